//! Saving a whole session to versioned JSON and loading it back exactly. Sample images are
//! not written out (they are rebuilt from their definitions); every other layer is written
//! once and referred to by index wherever images and containers share it.

use std::collections::BTreeMap;
use std::sync::Arc;

use layerbox_fstree::{Layer, Tree, Union};
use serde::{Deserialize, Serialize};

use crate::clock::{Clock, IdGenerator};
use crate::container::Container;
use crate::daemon::logs::ContainerLog;
use crate::daemon::ports::{Listener, Published};
use crate::error::EngineError;
use crate::host::Host;
use crate::image::{HistoryEntry, Image, ImageConfig};
use crate::volume::VolumeStore;
use crate::world::World;

pub mod parts;

/// The format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// Where a layer comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerRef {
    /// Layer `index` of the sample image with this id.
    Sample { image: String, index: usize },
    /// Layer `0` of `layers` in the saved file.
    Saved(usize),
}

#[derive(Serialize, Deserialize)]
struct SavedImage {
    id: String,
    repo_tags: Vec<String>,
    parent: Option<String>,
    layers: Vec<LayerRef>,
    history: Vec<HistoryEntry>,
    config: ImageConfig,
    created: u64,
    #[serde(default)]
    last_tag_time: Option<u64>,
    #[serde(default)]
    committed: Option<crate::image::Committed>,
}

impl SavedImage {
    /// `img` with its layers named by `layers`.
    fn of(img: &Image, layers: Vec<LayerRef>) -> SavedImage {
        SavedImage {
            id: img.id.clone(),
            repo_tags: img.repo_tags.clone(),
            parent: img.parent.clone(),
            layers,
            history: img.history.clone(),
            config: img.config.clone(),
            created: img.created,
            last_tag_time: img.last_tag_time,
            committed: img.committed.clone(),
        }
    }

    /// The image again, over `layers` (its named layers, resolved).
    fn into_image(self, layers: Vec<Arc<Layer>>) -> Image {
        Image {
            id: self.id,
            repo_tags: self.repo_tags,
            parent: self.parent,
            layers,
            history: self.history,
            config: self.config,
            created: self.created,
            last_tag_time: self.last_tag_time,
            committed: self.committed,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct SavedRootfs {
    lowers: Vec<LayerRef>,
    upper: Tree,
    copied_up: Vec<(String, usize)>,
    /// Upper directories overlayfs marked impure (absent in older saves).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    impure: Vec<u64>,
    read_only: bool,
}

#[derive(Serialize, Deserialize)]
struct SavedWorld {
    version: u32,
    clock: Clock,
    ids: IdGenerator,
    host: Host,
    volumes: VolumeStore,
    layers: Vec<Layer>,
    images: Vec<SavedImage>,
    containers: Vec<(Container, SavedRootfs)>,
    /// What the daemon keeps besides storage: logs, creation order, ports, listeners.
    logs: BTreeMap<String, ContainerLog>,
    order: Vec<String>,
    ports: BTreeMap<String, Published>,
    next_ephemeral: u16,
    listeners: BTreeMap<String, Vec<Listener>>,
}

/// Numbers every distinct layer (by identity) so shared layers are written once.
struct LayerTable {
    samples: BTreeMap<usize, LayerRef>,
    saved: Vec<Layer>,
    by_ptr: BTreeMap<usize, usize>,
}

impl LayerTable {
    fn reference(&mut self, layer: &Arc<Layer>) -> LayerRef {
        let ptr = Arc::as_ptr(layer) as usize;
        if let Some(r) = self.samples.get(&ptr) {
            return r.clone();
        }
        let next = self.saved.len();
        let index = *self.by_ptr.entry(ptr).or_insert(next);
        if index == next {
            self.saved.push(Layer::clone(layer));
        }
        LayerRef::Saved(index)
    }
}

fn sample_ids() -> Result<BTreeMap<String, ()>, EngineError> {
    Ok(crate::image::ImageStore::with_samples(0)?
        .images
        .keys()
        .map(|k| (k.clone(), ()))
        .collect())
}

impl World {
    /// The whole session as versioned JSON.
    pub fn save(&self) -> Result<String, EngineError> {
        let samples = sample_ids()?;
        let mut table = LayerTable {
            samples: BTreeMap::new(),
            saved: Vec::new(),
            by_ptr: BTreeMap::new(),
        };
        for img in self
            .images
            .images
            .values()
            .filter(|i| samples.contains_key(&i.id))
        {
            for (index, layer) in img.layers.iter().enumerate() {
                let r = LayerRef::Sample {
                    image: img.id.clone(),
                    index,
                };
                table
                    .samples
                    .entry(Arc::as_ptr(layer) as usize)
                    .or_insert(r);
            }
        }
        let images = self
            .images
            .images
            .values()
            .map(|img| SavedImage::of(img, img.layers.iter().map(|l| table.reference(l)).collect()))
            .collect();
        let containers = self
            .containers
            .values()
            .map(|c| {
                let rootfs = SavedRootfs {
                    lowers: c
                        .rootfs
                        .lowers()
                        .iter()
                        .map(|l| table.reference(l))
                        .collect(),
                    upper: c.rootfs.upper().clone(),
                    copied_up: c.rootfs.copied_up(),
                    impure: c.rootfs.impure_dirs(),
                    read_only: c.rootfs.is_read_only(),
                };
                (c.clone(), rootfs)
            })
            .collect();
        let saved = SavedWorld {
            version: SNAPSHOT_VERSION,
            clock: self.clock,
            ids: self.ids.clone(),
            host: self.host.clone(),
            volumes: self.volumes.clone(),
            layers: table.saved,
            images,
            containers,
            logs: self
                .logs
                .iter()
                .map(|(id, log)| (id.clone(), ContainerLog::clone(log)))
                .collect(),
            order: self.order.clone(),
            ports: self.ports.clone(),
            next_ephemeral: self.next_ephemeral,
            listeners: self.listeners.clone(),
        };
        serde_json::to_string(&saved)
            .map_err(|e| EngineError::system(format!("saving the session: {e}")))
    }

    /// A session from JSON written by [`World::save`]; a file that is not one is refused with
    /// the reason, never half-loaded.
    pub fn load(json: &str) -> Result<World, EngineError> {
        let saved: SavedWorld = serde_json::from_str(json)
            .map_err(|e| EngineError::invalid(format!("not a layerbox session: {e}")))?;
        if saved.version != SNAPSHOT_VERSION {
            return Err(EngineError::invalid(format!(
                "this session file is version {}, this layerbox reads version {SNAPSHOT_VERSION}",
                saved.version
            )));
        }
        let mut world = World::new()?;
        let fresh = world.images.clone();
        let layers: Vec<Arc<Layer>> = saved.layers.into_iter().map(Arc::new).collect();
        let resolve = |r: &LayerRef| -> Result<Arc<Layer>, EngineError> {
            match r {
                LayerRef::Saved(i) => layers.get(*i).cloned(),
                LayerRef::Sample { image, index } => fresh
                    .images
                    .get(image)
                    .and_then(|img| img.layers.get(*index).cloned()),
            }
            .ok_or_else(|| {
                EngineError::invalid(format!("not a layerbox session: unknown layer {r:?}"))
            })
        };
        world.images.images_mut().clear();
        for img in saved.images {
            let layers = img
                .layers
                .iter()
                .map(&resolve)
                .collect::<Result<Vec<_>, _>>()?;
            world
                .images
                .images_mut()
                .insert(img.id.clone(), img.into_image(layers));
        }
        for (mut c, rootfs) in saved.containers {
            let lowers = rootfs
                .lowers
                .iter()
                .map(&resolve)
                .collect::<Result<Vec<_>, _>>()?;
            c.rootfs = Union::from_parts(
                lowers,
                rootfs.upper,
                rootfs.copied_up,
                rootfs.impure,
                rootfs.read_only,
            );
            world.containers.insert(c.id.clone(), c);
        }
        world.clock = saved.clock;
        world.ids = saved.ids;
        world.host = saved.host;
        world.volumes = saved.volumes;
        world.logs = saved
            .logs
            .into_iter()
            .map(|(id, log)| (id, Arc::new(log)))
            .collect();
        world.order = saved.order;
        world.ports = saved.ports;
        world.next_ephemeral = saved.next_ephemeral;
        world.listeners = saved.listeners;
        Ok(world)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::CreateRequest;
    use layerbox_fstree::{Cred, FileSystem};

    #[test]
    fn a_saved_session_loads_back_exactly() {
        let mut w = World::new().expect("world");
        let id = w
            .create_container(&CreateRequest {
                image: "alpine".into(),
                binds: vec!["data:/data".into()],
                name: Some("c1".into()),
                ..Default::default()
            })
            .expect("create");
        w.start_container(&id).expect("start");
        let now = w.now();
        w.with_container_fs(&id, false, |fs| {
            fs.write_file(&Cred::root(), "/data/kept", b"v", 0o644, now)?;
            fs.append_file(&Cred::root(), "/etc/motd", b"x", 0o644, now)?;
            fs.unlink(&Cred::root(), "/etc/issue", now)
        })
        .expect("c")
        .expect("writes");
        w.commit("c1", Some("snap"), "", "", |_| Ok(()))
            .expect("commit");
        let json = w.save().expect("save");
        let back = World::load(&json).expect("load");
        assert_eq!(
            back.save().expect("save again"),
            json,
            "save(load(save(w))) == save(w)"
        );
        assert_eq!(back.diff("c1").expect("diff"), w.diff("c1").expect("diff"));
        assert!(back.images.find("snap").is_some());
        let shared = back
            .images
            .find("snap")
            .map(|i| i.layers[0].clone())
            .expect("layers");
        assert!(Arc::ptr_eq(
            &shared,
            &back.images.find("alpine").expect("alpine").layers[0]
        ));
    }

    #[test]
    fn a_bad_file_is_refused_with_the_reason() {
        assert!(World::load("{}")
            .expect_err("bad")
            .message
            .starts_with("not a layerbox session"));
        let w = World::new().expect("world");
        let json = w
            .save()
            .expect("save")
            .replacen("\"version\":1", "\"version\":99", 1);
        assert_eq!(
            World::load(&json).expect_err("version").message,
            "this session file is version 99, this layerbox reads version 1"
        );
    }
}
