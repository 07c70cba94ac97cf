//! Images as the daemon's API serves them: `docker tag`, `docker rmi` with the daemon's
//! pruning of untagged parents (`imageDeleteHelper`), and `docker image prune`, which starts
//! from the images no other image is built on, so a build's steps stay while the built image
//! needs them.

use std::sync::Arc;

use crate::change::Change;
use crate::clock::IdGenerator;
use crate::container::Status;
use crate::error::EngineError;
use crate::image::{normalize_reference, Image};
use crate::world::World;

/// Why an image may not be deleted, and whether a container uses it (moby's
/// `imageDeleteConflict`).
struct DeleteConflict {
    used: bool,
    error: EngineError,
}

/// One line of an image delete (moby's `ImageDeleteResponseItem`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteItem {
    /// A tag taken off (`Untagged: alpine:latest`).
    Untagged(String),
    /// An image or layer removed, by `sha256:` id.
    Deleted(String),
}

impl World {
    /// An image arrives whole, as `docker load` brings one (the benchmarks' and tests' large
    /// images); its tags move to it from any other image.
    pub fn load_image(&mut self, image: Image) {
        self.images.add(image);
    }

    /// `docker tag SOURCE TARGET`: puts the (normalised) tag `target` on the image `source`
    /// names, taking it off any other image.
    pub fn tag_image(&mut self, source: &str, target: &str) -> Result<(), EngineError> {
        let Some(id) = self.images.find(source).map(|i| i.id.clone()) else {
            return Err(no_such_image(source));
        };
        let target = normalize_reference(target);
        let now = self.now();
        for img in self.images.images_mut().values_mut() {
            img.repo_tags.retain(|t| *t != target);
        }
        if let Some(img) = self.images.images_mut().get_mut(&id) {
            img.repo_tags.push(target.clone());
            img.last_tag_time = Some(now);
        }
        self.changes.push(Change::ImageTagged { id, tag: target });
        Ok(())
    }

    /// `docker rmi [-f] [--no-prune] REFERENCE`, as moby's `ImageDelete`: a tag is taken off
    /// first (refused while a container uses the image by its only tag, unless `force`), and
    /// the image goes only when no tag is left; an id removes the image's only tag with it.
    /// Then `imageDeleteHelper`: an image other images are built on, or that a running
    /// container uses, cannot go even with `force` (a conflict, but quietly after a tag was
    /// taken off); one that has several tags or a stopped container must be forced. With
    /// `prune` its untagged parents go too.
    pub fn remove_image(
        &mut self,
        reference: &str,
        force: bool,
        prune: bool,
    ) -> Result<Vec<DeleteItem>, EngineError> {
        let Some(img) = self.images.find(reference).cloned() else {
            return Err(no_such_image(reference));
        };
        let tagged = normalize_reference(reference);
        let by_tag = img.repo_tags.contains(&tagged);
        // isSingleReference: exactly one tag (layerbox keeps no digests).
        let single = img.repo_tags.len() == 1;
        let mut lines = Vec::new();
        let quiet = by_tag;
        if by_tag {
            if !force && single {
                if let Some(c) = self.containers.values().find(|c| c.image_id == img.id) {
                    return Err(EngineError::conflict(format!(
                        "conflict: unable to remove repository reference \"{reference}\" (must force) - container {} is using its referenced image {}",
                        c.short_id(),
                        &img.id[..12]
                    )));
                }
            }
            self.untag(&img.id, &tagged);
            lines.push(DeleteItem::Untagged(tagged));
            if !single {
                return Ok(lines);
            }
        } else if single {
            let conflict = self.delete_conflict(&img, true, !force, false);
            if let Some(conflict) = conflict {
                return Err(conflict.error);
            }
            for tag in img.repo_tags.clone() {
                self.untag(&img.id, &tag);
                lines.push(DeleteItem::Untagged(tag));
            }
        }
        if let Some(conflict) = self.delete_conflict(&img, true, !force, !force) {
            // A dangling image is one with neither tags nor children.
            let dangling = !self.has_children(&img.id)
                && self
                    .images
                    .images
                    .get(&img.id)
                    .is_some_and(|i| i.repo_tags.is_empty());
            if quiet && (!dangling || conflict.used) {
                return Ok(lines);
            }
            return Err(conflict.error);
        }
        lines.extend(self.delete_image(&img.id, prune).0);
        Ok(lines)
    }

    /// Takes `tag` off image `id`, recording the change.
    fn untag(&mut self, id: &str, tag: &str) {
        if let Some(i) = self.images.images_mut().get_mut(id) {
            i.repo_tags.retain(|t| t != tag);
        }
        self.changes.push(Change::ImageUntagged {
            id: id.to_string(),
            tag: tag.to_string(),
        });
    }

    /// moby's `checkImageDeleteConflict`, in its order: children and running containers are
    /// hard conflicts (`hard`); several tags (`references`) and stopped containers
    /// (`stopped`) soft ones.
    fn delete_conflict(
        &self,
        img: &Image,
        hard: bool,
        stopped: bool,
        references: bool,
    ) -> Option<DeleteConflict> {
        let short = &img.id[..12];
        let conflict = |hard: bool, used: bool, message: String| {
            let force = if hard {
                "cannot be forced"
            } else {
                "must be forced"
            };
            Some(DeleteConflict {
                used,
                error: EngineError::conflict(format!(
                    "conflict: unable to delete {short} ({force}) - {message}"
                )),
            })
        };
        let current = self.images.images.get(&img.id).unwrap_or(img);
        let using = |running: bool| {
            self.containers
                .values()
                .filter(|c| c.image_id == img.id)
                .find(|c| (c.state.status == Status::Running) == running)
        };
        if hard && self.has_children(&img.id) {
            return conflict(true, false, "image has dependent child images".into());
        }
        if hard {
            if let Some(c) = using(true) {
                let message = format!("image is being used by running container {}", c.short_id());
                return conflict(true, true, message);
            }
        }
        if references && !current.repo_tags.is_empty() {
            return conflict(
                false,
                false,
                "image is referenced in multiple repositories".into(),
            );
        }
        if stopped {
            if let Some(c) = using(false) {
                let message = format!("image is being used by stopped container {}", c.short_id());
                return conflict(false, true, message);
            }
        }
        None
    }

    /// `docker image prune [-a]`: dangling images (no tag), or with `all` every image no
    /// container uses. Returns the delete lines and the bytes freed.
    pub fn prune_images(&mut self, all: bool) -> (Vec<DeleteItem>, u64) {
        // The daemon's candidates are the images no other image is built on (each takes its
        // untagged parents with it); with `all`, tagged ones too. An image a container uses
        // stays.
        let mut items = Vec::new();
        let mut freed = 0;
        loop {
            let doomed: Option<String> = self
                .images
                .images
                .values()
                .filter(|i| all || i.repo_tags.is_empty())
                .filter(|i| !self.has_children(&i.id))
                .find(|i| !self.containers.values().any(|c| c.image_id == i.id))
                .map(|i| i.id.clone());
            let Some(id) = doomed else {
                break;
            };
            let (l, f) = self.delete_image(&id, true);
            items.extend(l);
            freed += f;
        }
        (items, freed)
    }

    /// Removes image `id` as the daemon's `imageDeleteHelper` does: its tags, the image, then
    /// the layers no remaining image or container holds (top down); then, with `prune`, its
    /// parent the same way if that has no tag, no other child and no container, and so on up
    /// the chain, stopping quietly at the first that may not go. Returns the lines and the
    /// bytes freed.
    fn delete_image(&mut self, id: &str, prune: bool) -> (Vec<DeleteItem>, u64) {
        let mut lines: Vec<DeleteItem> = Vec::new();
        let mut freed = 0;
        let mut next = Some(id.to_string());
        while let Some(id) = next.take() {
            let Some(img) = self.images.images.get(&id).cloned() else {
                break;
            };
            self.images.images_mut().remove(&id);
            lines.extend(img.repo_tags.iter().cloned().map(DeleteItem::Untagged));
            lines.push(DeleteItem::Deleted(format!("sha256:{}", img.id)));
            let before = freed;
            for i in (0..img.layers.len()).rev() {
                if !self.release_layer(&img, i, &mut lines, &mut freed) {
                    break;
                }
            }
            self.changes.push(Change::ImageRemoved {
                id: img.id.clone(),
                tags: img.repo_tags.clone(),
                bytes_freed: freed - before,
            });
            next = img
                .parent
                .filter(|_| prune)
                .filter(|parent| self.removable_parent(parent));
        }
        (lines, freed)
    }

    /// Deletes layer `i` of the removed image `img` if no image or container holds it any
    /// more (a `Deleted` line, its bytes freed); false if it is still held.
    fn release_layer(
        &self,
        img: &Image,
        i: usize,
        lines: &mut Vec<DeleteItem>,
        freed: &mut u64,
    ) -> bool {
        let Some(layer) = img.layers.get(i) else {
            return false;
        };
        let held = self
            .images
            .images
            .values()
            .any(|o| o.layers.iter().any(|x| Arc::ptr_eq(x, layer)))
            || self
                .containers
                .values()
                .any(|c| c.rootfs.lowers().iter().any(|x| Arc::ptr_eq(x, layer)));
        if held {
            return false;
        }
        *freed += layer.size();
        let layer_id = IdGenerator::digest_of(format!("{}:layer{i}", img.id).as_bytes());
        lines.push(DeleteItem::Deleted(format!("sha256:{layer_id}")));
        true
    }

    /// Whether a pruned image's parent goes with it: no tag, no other child, no container.
    fn removable_parent(&self, id: &str) -> bool {
        self.images
            .images
            .get(id)
            .is_some_and(|p| p.repo_tags.is_empty())
            && !self.has_children(id)
            && !self.containers.values().any(|c| c.image_id == id)
    }

    /// Whether some image was built or committed on image `id`.
    fn has_children(&self, id: &str) -> bool {
        self.images
            .images
            .values()
            .any(|i| i.parent.as_deref() == Some(id))
    }
}

/// The daemon's `No such image: NAME:TAG`.
pub fn no_such_image(reference: &str) -> EngineError {
    EngineError::not_found(format!("No such image: {}", normalize_reference(reference)))
}
