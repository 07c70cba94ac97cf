//! A world as named parts, each its own JSON, so a copy of it elsewhere (the page's copy of a
//! session its Web Worker runs) is brought up to date by the parts a step changed, in time that
//! follows what changed, not the work that changed it.
//!
//! The parts: `daemon` (clock, ids, creation order, ports, listeners), `host`, and one part per
//! image, container, volume and container log. A layer is named by where the world before the
//! step holds it (layer `i` of image `X`, or under container `C`: the copy already has it), or
//! by a number, its JSON sent once ([`LayerNames`]); the receiving side keeps the numbered layers it was sent
//! ([`LayerCache`]) and reads every name against its own world before the step, so the layers it
//! already holds stay shared.

use std::collections::BTreeMap;
use std::sync::Arc;

use layerbox_fstree::{Content, Layer, SharedContents, Union};
use serde::{Deserialize, Serialize};

use super::{SavedImage, SavedRootfs};
use crate::clock::{Clock, IdGenerator};
use crate::container::Container;
use crate::daemon::logs::ContainerLog;
use crate::daemon::ports::{Listener, Published};
use crate::error::EngineError;
use crate::host::Host;
use crate::volume::Volume;
use crate::world::World;

/// Where a part finds a layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum PartLayer {
    /// Layer `index` of image `image` in the world before the step.
    Held { image: String, index: usize },
    /// Lower layer `index` of container `container` in the world before the step (an init
    /// layer, which no image holds).
    Lower { container: String, index: usize },
    /// A layer sent by number.
    Sent(usize),
}

/// One part: its JSON and the numbered layers it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub json: String,
    pub layers: Vec<usize>,
}

/// What a number names: a layer, or a large file's bytes (its number in the
/// [`SharedContents`] table the trees are written with).
enum Numbered {
    Layer(Arc<Layer>),
    Content(u64),
}

/// The sending side's numbers for layers and large files' bytes, by identity, and which it
/// has sent. What is numbered is kept, so a number is never reused for another.
#[derive(Default)]
pub struct LayerNames {
    layers: BTreeMap<usize, usize>,
    contents: BTreeMap<u64, usize>,
    numbered: Vec<Numbered>,
    table: SharedContents,
    sent: BTreeMap<usize, ()>,
}

impl LayerNames {
    fn number(&mut self, layer: &Arc<Layer>) -> usize {
        let next = self.numbered.len();
        let n = *self
            .layers
            .entry(Arc::as_ptr(layer) as usize)
            .or_insert(next);
        if n == next {
            self.numbered.push(Numbered::Layer(layer.clone()));
        }
        n
    }

    fn content_number(&mut self, content: u64) -> usize {
        let next = self.numbered.len();
        let n = *self.contents.entry(content).or_insert(next);
        if n == next {
            self.numbered.push(Numbered::Content(content));
        }
        n
    }

    /// `value`'s JSON, its trees' large files named in the table, and the numbers it names.
    fn json_sharing<T: Serialize>(&mut self, value: &T) -> (String, Vec<usize>) {
        let mut table = std::mem::take(&mut self.table);
        let text = table.lend(|| json(value));
        let used = table.take_used();
        self.table = table;
        let numbers = used.into_iter().map(|k| self.content_number(k)).collect();
        (text, numbers)
    }

    /// Every numbered layer or file among `numbers` not sent before, now counted as sent:
    /// each layer's number and JSON, each large file's number in the trees' table and its
    /// bytes as they are (the page's worker hands them over without writing them as text).
    pub fn unsent(&mut self, numbers: &[usize]) -> Unsent {
        let mut out = Unsent::default();
        for &n in numbers {
            if self.sent.contains_key(&n) {
                continue;
            }
            match self.numbered.get(n) {
                Some(Numbered::Layer(layer)) => {
                    let Ok(text) = serde_json::to_string(&**layer) else {
                        continue;
                    };
                    out.layers.push((n, text));
                }
                Some(Numbered::Content(k)) => {
                    let Some(bytes) = self.table.get(*k) else {
                        continue;
                    };
                    out.contents.push((*k, bytes.clone()));
                }
                None => continue,
            }
            self.sent.insert(n, ());
        }
        out
    }
}

/// What a step's parts name that the receiving side was not sent before
/// ([`LayerNames::unsent`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unsent {
    /// Layers, by number, as JSON.
    pub layers: Vec<(usize, String)>,
    /// Large files' bytes, by their number in the trees' table.
    pub contents: Vec<(u64, Content)>,
}

impl Unsent {
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.contents.is_empty()
    }
}

/// The receiving side's numbered layers and large files' bytes, as sent.
#[derive(Default)]
pub struct LayerCache {
    by_number: BTreeMap<usize, Arc<Layer>>,
    contents: SharedContents,
}

impl LayerCache {
    /// Keeps every layer and file's bytes in `unsent`.
    pub fn receive_all(&mut self, unsent: &Unsent) -> Result<(), EngineError> {
        for (n, json) in &unsent.layers {
            self.receive(*n, json)?;
        }
        for (k, bytes) in &unsent.contents {
            self.receive_content(*k, bytes.clone());
        }
        Ok(())
    }

    /// Keeps a large file's bytes, number `number` in the trees' table.
    pub fn receive_content(&mut self, number: u64, bytes: Content) {
        self.contents.insert(number, bytes);
    }

    /// Keeps a layer the sender numbered `number`.
    pub fn receive(&mut self, number: usize, json: &str) -> Result<(), EngineError> {
        let layer: Layer = serde_json::from_str(json)
            .map_err(|e| EngineError::invalid(format!("not a layer: {e}")))?;
        self.by_number.insert(number, Arc::new(layer));
        Ok(())
    }
}

/// Where each layer of the world before the step is held: its first image (in id order) and
/// place there, else its first container's lowers.
struct Held(BTreeMap<usize, PartLayer>);

impl Held {
    fn of(before: &World) -> Held {
        let mut held = BTreeMap::new();
        for img in before.images.images.values() {
            for (index, layer) in img.layers.iter().enumerate() {
                held.entry(Arc::as_ptr(layer) as usize)
                    .or_insert_with(|| PartLayer::Held {
                        image: img.id.clone(),
                        index,
                    });
            }
        }
        for c in before.containers.values() {
            for (index, layer) in c.rootfs.lowers().iter().enumerate() {
                held.entry(Arc::as_ptr(layer) as usize)
                    .or_insert_with(|| PartLayer::Lower {
                        container: c.id.clone(),
                        index,
                    });
            }
        }
        Held(held)
    }
}

#[derive(Serialize, Deserialize)]
struct Daemon {
    clock: Clock,
    ids: IdGenerator,
    order: Vec<String>,
    ports: BTreeMap<String, Published>,
    next_ephemeral: u16,
    listeners: BTreeMap<String, Vec<Listener>>,
}

#[derive(Serialize, Deserialize)]
struct PartImage {
    image: SavedImage,
    layers: Vec<PartLayer>,
}

#[derive(Serialize, Deserialize)]
struct PartContainer {
    container: Container,
    rootfs: SavedRootfs,
    lowers: Vec<PartLayer>,
}

/// Names layers for one world's parts.
struct Namer<'a> {
    held: &'a Held,
    names: &'a mut LayerNames,
    used: Vec<usize>,
}

impl Namer<'_> {
    fn name(&mut self, layer: &Arc<Layer>) -> PartLayer {
        if let Some(held) = self.held.0.get(&(Arc::as_ptr(layer) as usize)) {
            return held.clone();
        }
        let n = self.names.number(layer);
        self.used.push(n);
        PartLayer::Sent(n)
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl World {
    /// Every part of this world, its layers named against `before` (the world the receiving
    /// side holds) and `names`.
    pub fn parts(&self, before: &World, names: &mut LayerNames) -> BTreeMap<String, Part> {
        self.parts_with(before, names, true)
    }

    /// [`World::parts`], without the images' parts when `images` is false (the caller knows
    /// they are as they were: writing them is most of the cost of a world of sample images).
    pub fn parts_with(
        &self,
        before: &World,
        names: &mut LayerNames,
        images: bool,
    ) -> BTreeMap<String, Part> {
        let held = Held::of(before);
        let mut parts = BTreeMap::new();
        let mut plain = |key: String, (json, layers): (String, Vec<usize>)| {
            parts.insert(key, Part { json, layers });
        };
        plain(
            "daemon".into(),
            (
                json(&Daemon {
                    clock: self.clock,
                    ids: self.ids.clone(),
                    order: self.order.clone(),
                    ports: self.ports.clone(),
                    next_ephemeral: self.next_ephemeral,
                    listeners: self.listeners.clone(),
                }),
                Vec::new(),
            ),
        );
        plain("host".into(), names.json_sharing(&self.host));
        for (name, volume) in &self.volumes.volumes {
            plain(format!("volume/{name}"), names.json_sharing(volume));
        }
        for (id, log) in &self.logs {
            plain(format!("log/{id}"), (json(&**log), Vec::new()));
        }
        for img in self.images.images.values().filter(|_| images) {
            let mut namer = Namer {
                held: &held,
                names,
                used: Vec::new(),
            };
            let layers = img.layers.iter().map(|l| namer.name(l)).collect();
            let used = namer.used;
            let part = PartImage {
                image: SavedImage::of(img, Vec::new()),
                layers,
            };
            parts.insert(
                format!("image/{}", img.id),
                Part {
                    json: json(&part),
                    layers: used,
                },
            );
        }
        for c in self.containers.values() {
            let mut namer = Namer {
                held: &held,
                names,
                used: Vec::new(),
            };
            let lowers = c.rootfs.lowers().iter().map(|l| namer.name(l)).collect();
            let mut used = namer.used;
            let part = PartContainer {
                container: c.clone(),
                rootfs: SavedRootfs {
                    lowers: Vec::new(),
                    upper: c.rootfs.upper().clone(),
                    copied_up: c.rootfs.copied_up(),
                    impure: c.rootfs.impure_dirs(),
                    read_only: c.rootfs.is_read_only(),
                },
                lowers,
            };
            let (json, contents) = names.json_sharing(&part);
            used.extend(contents);
            parts.insert(format!("container/{}", c.id), Part { json, layers: used });
        }
        parts
    }

    /// This world with the parts in `changed` put in place and those in `removed` taken away:
    /// the world after the step whose parts they are, when this is the world before it. A part
    /// that does not read, or names a layer that is not held, refuses the whole change.
    pub fn with_parts(
        &self,
        changed: &[(String, String)],
        removed: &[String],
        cache: &LayerCache,
    ) -> Result<World, EngineError> {
        let bad = |what: &str, e: String| EngineError::invalid(format!("part {what}: {e}"));
        let resolve = |r: &PartLayer| -> Result<Arc<Layer>, EngineError> {
            match r {
                PartLayer::Held { image, index } => self
                    .images
                    .images
                    .get(image)
                    .and_then(|img| img.layers.get(*index).cloned()),
                PartLayer::Lower { container, index } => self
                    .containers
                    .get(container)
                    .and_then(|c| c.rootfs.lowers().get(*index).cloned()),
                PartLayer::Sent(n) => cache.by_number.get(n).cloned(),
            }
            .ok_or_else(|| EngineError::invalid(format!("part names a layer not held: {r:?}")))
        };
        let mut world = self.clone();
        for key in removed {
            let (kind, name) = key.split_once('/').unwrap_or((key, ""));
            match kind {
                "volume" => drop(world.volumes.volumes.remove(name)),
                "log" => drop(world.logs.remove(name)),
                "image" => drop(world.images.images_mut().remove(name)),
                "container" => drop(world.containers.remove(name)),
                _ => return Err(bad(key, "cannot be removed".into())),
            }
        }
        cache
            .contents
            .lend_for_reading(|| world.put_parts(changed, &resolve))?;
        Ok(world)
    }

    /// Reads `changed` into this world (while the receiving side's file contents are lent).
    fn put_parts(
        &mut self,
        changed: &[(String, String)],
        resolve: &dyn Fn(&PartLayer) -> Result<Arc<Layer>, EngineError>,
    ) -> Result<(), EngineError> {
        let bad = |what: &str, e: String| EngineError::invalid(format!("part {what}: {e}"));
        let world = self;
        for (key, text) in changed {
            let (kind, name) = key.split_once('/').unwrap_or((key, ""));
            let e = |e: serde_json::Error| bad(key, e.to_string());
            match kind {
                "daemon" => {
                    let d: Daemon = serde_json::from_str(text).map_err(e)?;
                    world.clock = d.clock;
                    world.ids = d.ids;
                    world.order = d.order;
                    world.ports = d.ports;
                    world.next_ephemeral = d.next_ephemeral;
                    world.listeners = d.listeners;
                }
                "host" => world.host = serde_json::from_str::<Host>(text).map_err(e)?,
                "volume" => {
                    let v: Volume = serde_json::from_str(text).map_err(e)?;
                    world.volumes.volumes.insert(name.to_string(), v);
                }
                "log" => {
                    let log: ContainerLog = serde_json::from_str(text).map_err(e)?;
                    world.logs.insert(name.to_string(), Arc::new(log));
                }
                "image" => {
                    let p: PartImage = serde_json::from_str(text).map_err(e)?;
                    let layers = p.layers.iter().map(resolve).collect::<Result<_, _>>()?;
                    let img = p.image;
                    world
                        .images
                        .images_mut()
                        .insert(img.id.clone(), img.into_image(layers));
                }
                "container" => {
                    let p: PartContainer = serde_json::from_str(text).map_err(e)?;
                    let lowers = p.lowers.iter().map(resolve).collect::<Result<_, _>>()?;
                    let mut c = p.container;
                    c.rootfs = Union::from_parts(
                        lowers,
                        p.rootfs.upper,
                        p.rootfs.copied_up,
                        p.rootfs.impure,
                        p.rootfs.read_only,
                    );
                    world.containers.insert(c.id.clone(), c);
                }
                _ => return Err(bad(key, "unknown".into())),
            }
        }
        Ok(())
    }
}

/// What changed from `before` to `after`, both from [`World::parts`]: the parts that differ or
/// are new, with the numbered layers they name, and the parts gone.
pub fn changed_parts(
    before: &BTreeMap<String, Part>,
    after: &BTreeMap<String, Part>,
) -> (Vec<(String, String)>, Vec<usize>, Vec<String>) {
    let mut changed = Vec::new();
    let mut layers = Vec::new();
    for (key, part) in after {
        if before.get(key).map(|p| &p.json) != Some(&part.json) {
            changed.push((key.clone(), part.json.clone()));
            layers.extend(part.layers.iter().copied());
        }
    }
    let removed = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (changed, layers, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::CreateRequest;
    use layerbox_fstree::{Cred, FileSystem};

    /// Brings `copy` (equal to `before`) to `after` by the changed parts alone.
    fn follow(
        copy: &World,
        before: &World,
        after: &World,
        names: &mut LayerNames,
        cache: &mut LayerCache,
    ) -> World {
        let (changed, layers, removed) =
            changed_parts(&before.parts(before, names), &after.parts(before, names));
        cache.receive_all(&names.unsent(&layers)).expect("layers");
        copy.with_parts(&changed, &removed, cache).expect("parts")
    }

    #[test]
    fn a_large_file_is_sent_once_however_often_its_tree_changes() {
        let mut names = LayerNames::default();
        let mut cache = LayerCache::default();
        let w0 = World::new().expect("world");
        let copy0 = World::new().expect("world");
        let big: Vec<u8> = (0..4u32 << 20).map(|i| (i % 251) as u8 + 1).collect();
        let mut w1 = w0.clone();
        let now = w1.now();
        w1.host_mut()
            .write_file(&Cred::root(), "/big", &big, 0o644, now)
            .expect("big");
        let (changed, numbers, _) =
            changed_parts(&w0.parts(&w0, &mut names), &w1.parts(&w0, &mut names));
        let host = &changed.iter().find(|(k, _)| k == "host").expect("host").1;
        assert!(
            host.len() < 200_000,
            "the host part is {} bytes",
            host.len()
        );
        let sent = names.unsent(&numbers);
        assert_eq!(
            (sent.layers.len(), sent.contents.len()),
            (0, 1),
            "one file's bytes sent"
        );
        assert_eq!(&*sent.contents[0].1, &big[..]);
        cache.receive_all(&sent).expect("content");
        let copy1 = copy0.with_parts(&changed, &[], &cache).expect("parts");
        assert_eq!(copy1.save().ok(), w1.save().ok());
        // Another change to the host names the file again, and sends no bytes of it.
        let mut w2 = w1.clone();
        w2.host_mut()
            .write_file(&Cred::root(), "/small", b"hi", 0o644, now)
            .expect("small");
        let (changed, numbers, _) =
            changed_parts(&w1.parts(&w1, &mut names), &w2.parts(&w1, &mut names));
        assert!(names.unsent(&numbers).is_empty());
        let copy2 = copy1.with_parts(&changed, &[], &cache).expect("parts");
        assert_eq!(copy2.save().ok(), w2.save().ok());
        // A part naming bytes the receiver was never sent is refused, not read as empty.
        assert!(copy1
            .with_parts(&changed, &[], &LayerCache::default())
            .is_err());
    }

    #[test]
    fn a_copy_follows_a_world_by_the_parts_that_changed() {
        let mut names = LayerNames::default();
        let mut cache = LayerCache::default();
        let w0 = World::new().expect("world");
        // The copy is built on its own, as the page's is: equal, not the same layers.
        let copy0 = World::new().expect("world");
        let mut w1 = w0.clone();
        let id = w1
            .create_container(&CreateRequest {
                image: "alpine".into(),
                binds: vec!["data:/data".into()],
                name: Some("c1".into()),
                ..Default::default()
            })
            .expect("create");
        w1.start_container(&id).expect("start");
        let now = w1.now();
        w1.with_container_fs(&id, false, |fs| {
            fs.write_file(&Cred::root(), "/data/kept", b"v", 0o644, now)?;
            fs.unlink(&Cred::root(), "/etc/issue", now)
        })
        .expect("c")
        .expect("writes");
        let copy1 = follow(&copy0, &w0, &w1, &mut names, &mut cache);
        assert_eq!(copy1.save().ok(), w1.save().ok());
        // The image layers under the container are the copy's own.
        let alpine = copy1.images.find("alpine").expect("alpine").layers[0].clone();
        assert!(Arc::ptr_eq(
            &copy1.containers[&id].rootfs.lowers()[0],
            &alpine
        ));
        let mut w2 = w1.clone();
        w2.commit("c1", Some("snap"), "", "", |_| Ok(()))
            .expect("commit");
        let copy2 = follow(&copy1, &w1, &w2, &mut names, &mut cache);
        assert_eq!(copy2.save().ok(), w2.save().ok());
        assert_eq!(copy2.diff("c1").ok(), w2.diff("c1").ok());
        // A step that changes nothing sends nothing.
        let (changed, _, removed) =
            changed_parts(&w2.parts(&w2, &mut names), &w2.parts(&w2, &mut names));
        assert!(changed.is_empty() && removed.is_empty());
        let mut w3 = w2.clone();
        w3.remove_container("c1", true, true).expect("rm");
        let copy3 = follow(&copy2, &w2, &w3, &mut names, &mut cache);
        assert_eq!(copy3.save().ok(), w3.save().ok());
    }
}
