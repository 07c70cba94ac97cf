//! `docker diff` and `docker commit`: what a container's writable layer changed, and an image
//! made from it (its config, history row and the committed container's provenance).

use std::sync::Arc;

use crate::change::Change;
use crate::error::EngineError;
use crate::image::{Committed, HistoryEntry, Image, ImageConfig};
use crate::world::World;

impl World {
    /// `docker diff`: the writable layer against the image (and init layer).
    pub fn diff(&self, reference: &str) -> Result<Vec<layerbox_fstree::Change>, EngineError> {
        Ok(self.find_container(reference)?.rootfs.changes(&[]))
    }

    /// `docker commit`: the writable layer becomes a new top layer of a new image (mounted
    /// content never is; anonymous `-v` volumes become the image's VOLUMEs). `comment` is
    /// `--message`, `author` `--author`; `change` edits the new image's config (`--change`),
    /// and its error, worded for the daemon's reply, commits nothing.
    pub fn commit(
        &mut self,
        reference: &str,
        tag: Option<&str>,
        comment: &str,
        author: &str,
        change: impl FnOnce(&mut ImageConfig) -> Result<(), String>,
    ) -> Result<String, EngineError> {
        let container = self.find_container(reference)?.clone();
        let base = self
            .images
            .images
            .get(&container.image_id)
            .cloned()
            .ok_or_else(|| {
                EngineError::not_found(format!("No such image: {}", container.image_id))
            })?;
        let now = self.now();
        let layer = container.rootfs.commit(&[]);
        let empty = layer.to_oci().is_empty();
        let mut layers = base.layers.clone();
        let layer_bytes = layer.size();
        if !empty {
            self.room_for_layer(&layer)?;
            layers.push(Arc::new(layer));
        }
        let mut config = base.config.clone();
        config.env = container.config.env.clone();
        config.cmd = Some(container.config.cmd.clone()).filter(|c| !c.is_empty());
        config.entrypoint = Some(container.config.entrypoint.clone()).filter(|e| !e.is_empty());
        config.working_dir = container.config.working_dir.clone();
        config.user = container.config.user.clone();
        config.labels = container.config.labels.clone();
        config.volumes = container.config.volumes.clone();
        change(&mut config).map_err(EngineError::invalid)?;
        let mut history = base.history.clone();
        history.push(HistoryEntry {
            created: now,
            created_by: container
                .config
                .entrypoint
                .iter()
                .chain(container.config.cmd.iter())
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            empty_layer: empty,
            comment: comment.to_string(),
        });
        let id = self.ids.next_id();
        let repo_tags = tag
            .map(|t| vec![crate::image::normalize_reference(t)])
            .unwrap_or_default();
        self.images.add(Image {
            id: id.clone(),
            last_tag_time: tag.map(|_| now),
            repo_tags,
            parent: Some(base.id.clone()),
            layers,
            history,
            config,
            created: now,
            committed: Some(Committed::Commit {
                container: container.id.clone(),
                config: Box::new(container.config.clone()),
                author: author.to_string(),
            }),
        });
        self.changes.push(Change::ImageCommitted {
            id: id.clone(),
            container: container.id.clone(),
            layer_bytes,
            empty,
        });
        Ok(id)
    }
}
