//! What the classic builder (`docker build` without BuildKit) asks of the daemon besides
//! create, start and remove: commit a step's container with the step's config and history row,
//! add a layer of copied files, look a step up in the build cache, make a WORKDIR.
//!
//! The Dockerfile itself and the order of steps belong to the CLI side (`layerbox-shell`);
//! each step here makes one image whose parent is the previous step's image, as Docker does, so
//! `docker history` shows an id on every row of a built image.

use std::sync::Arc;

use layerbox_fstree::{Cred, FileSystem, Layer, Union};

use crate::change::Change;
use crate::error::EngineError;
use crate::image::{Committed, HistoryEntry, Image, ImageConfig};
use crate::world::{no_such_container, World};

/// One step's result as the builder records it: the image config after the step and its
/// history row (`/bin/sh -c #(nop)  ENV A=1`, `/bin/sh -c echo hi`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildStep {
    pub config: ImageConfig,
    pub created_by: String,
}

impl World {
    /// The build cache (moby's `getLocalCachedImage`): a child of `parent` made by the same
    /// instruction with the same resulting config.
    /// `parent` is empty for a first step `FROM scratch`.
    pub fn build_cache_lookup(&self, parent: &str, step: &BuildStep) -> Option<String> {
        let parent_len = if parent.is_empty() {
            0
        } else {
            self.images.images.get(parent)?.history.len()
        };
        let wanted_parent = Some(parent).filter(|p| !p.is_empty());
        self.images
            .images
            .values()
            .filter(|img| img.parent.as_deref() == wanted_parent)
            .filter(|img| img.history.len() == parent_len + 1)
            .filter(|img| img.config == step.config)
            .filter(|img| {
                img.history
                    .last()
                    .is_some_and(|h| h.created_by == step.created_by)
            })
            .max_by_key(|img| img.created)
            .map(|img| img.id.clone())
    }

    /// Commits a build step's container (`RUN`, `WORKDIR` and the metadata instructions): its
    /// writable layer becomes a new layer unless empty, the image gets `step`'s config and
    /// history row, and its parent is the container's image. Mounted content is never
    /// committed. Returns the new image's id.
    pub fn commit_build_step(
        &mut self,
        container: &str,
        step: &BuildStep,
    ) -> Result<String, EngineError> {
        let c = self
            .containers
            .get(container)
            .ok_or_else(|| no_such_container(container))?;
        let layer = c.rootfs.commit(&[]);
        let image_id = c.image_id.clone();
        let container_id = c.id.clone();
        let layer_bytes = layer.size();
        let id = self.add_build_image(&image_id, layer, step, Some(&container_id))?;
        let empty = self
            .images
            .images
            .get(&id)
            .and_then(|i| i.history.last())
            .is_some_and(|h| h.empty_layer);
        self.changes.push(Change::ImageCommitted {
            id: id.clone(),
            container: container_id,
            layer_bytes,
            empty,
        });
        Ok(id)
    }

    /// A build step's image over `parent`: `layer` on top unless it is empty. An empty
    /// `parent` is `FROM scratch`: the image starts with no layers and no parent.
    pub fn add_build_image(
        &mut self,
        parent: &str,
        layer: Layer,
        step: &BuildStep,
        container: Option<&str>,
    ) -> Result<String, EngineError> {
        let (base_layers, base_history, base_parent) = if parent.is_empty() {
            (Vec::new(), Vec::new(), None)
        } else {
            let base = self
                .images
                .images
                .get(parent)
                .ok_or_else(|| EngineError::not_found(format!("No such image: {parent}")))?;
            (
                base.layers.clone(),
                base.history.clone(),
                Some(base.id.clone()),
            )
        };
        let now = self.now();
        let empty = layer.to_oci().is_empty();
        let mut layers = base_layers;
        if !empty {
            self.room_for_layer(&layer)?;
            layers.push(Arc::new(layer));
        }
        let mut history = base_history;
        history.push(HistoryEntry {
            created: now,
            created_by: step.created_by.clone(),
            empty_layer: empty,
            comment: String::new(),
        });
        let id = self.ids.next_id();
        self.images.add(Image {
            id: id.clone(),
            repo_tags: Vec::new(),
            parent: base_parent,
            layers,
            history,
            config: step.config.clone(),
            created: now,
            last_tag_time: None,
            committed: container.map(|id| Committed::BuildStep {
                container: id.to_string(),
            }),
        });
        Ok(id)
    }

    /// The image's files with a writable layer on top, for `COPY`/`ADD` to write into as
    /// root; [`World::add_build_image`] takes the result's [`Union::commit`]. An empty `image` is
    /// `FROM scratch`.
    pub fn build_rootfs(&self, image: &str) -> Result<Union, EngineError> {
        if image.is_empty() {
            // `FROM scratch`: nothing below the writable layer.
            let mut rootfs = Union::new(Vec::new());
            rootfs.set_read_only(false);
            return Ok(rootfs);
        }
        let img = self
            .images
            .images
            .get(image)
            .ok_or_else(|| EngineError::not_found(format!("No such image: {image}")))?;
        let mut rootfs = Union::new(img.layers.clone());
        rootfs.set_read_only(false);
        Ok(rootfs)
    }

    /// `WORKDIR`: the directory is made in the step's container (moby's
    /// `ContainerCreateWorkdir`), root-owned, mode 0755, with its missing parents.
    pub fn create_workdir(&mut self, container: &str, dir: &str) -> Result<(), EngineError> {
        let now = self.now();
        let c = self
            .containers
            .get_mut(container)
            .ok_or_else(|| no_such_container(container))?;
        c.rootfs
            .mkdir_all(&Cred::root(), dir, 0o755, now)
            .map_err(|e| EngineError::system(format!("mkdir {dir}: {e}")))?;
        let _ = c.rootfs.take_events();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::CreateRequest;
    use layerbox_fstree::Store;

    fn alpine(world: &World) -> String {
        world.images.find("alpine").expect("alpine").id.clone()
    }

    #[test]
    fn a_metadata_step_adds_an_empty_history_row_and_no_layer() {
        let mut world = World::new().expect("world");
        let base = alpine(&world);
        let mut config = world.images.images[&base].config.clone();
        config.env.push("A=1".into());
        let step = BuildStep {
            config,
            created_by: "/bin/sh -c #(nop)  ENV A=1".into(),
        };
        let id = world
            .add_build_image(&base, Layer::default(), &step, None)
            .expect("built");
        let img = &world.images.images[&id];
        assert_eq!(img.layers.len(), world.images.images[&base].layers.len());
        assert!(img.history.last().is_some_and(|h| h.empty_layer));
        assert_eq!(img.parent.as_deref(), Some(base.as_str()));
        assert_eq!(world.build_cache_lookup(&base, &step), Some(id));
    }

    #[test]
    fn a_run_step_commits_the_container_layer_under_the_parent_image() {
        let mut world = World::new().expect("world");
        let base = alpine(&world);
        let c = world
            .create_container(&CreateRequest {
                image: base.clone(),
                ..CreateRequest::default()
            })
            .expect("created");
        world
            .with_container_fs(&c, false, |ns| {
                ns.write_file(&Cred::root(), "/built.txt", b"built\n", 0o644, 0)
            })
            .expect("container")
            .expect("written");
        let step = BuildStep {
            config: world.images.images[&base].config.clone(),
            created_by: "/bin/sh -c echo built > /built.txt".into(),
        };
        let id = world.commit_build_step(&c, &step).expect("committed");
        let img = &world.images.images[&id];
        assert_eq!(
            img.layers.len(),
            world.images.images[&base].layers.len() + 1
        );
        let view = Union::new(img.layers.clone());
        assert!(view.node("/built.txt").is_some());
        world.tag_image(&id, "myapp").expect("tagged");
        assert_eq!(
            world.images.find("myapp:latest").map(|i| i.id.clone()),
            Some(id)
        );
    }
}
