//! Containers as the daemon lists and renames them: creation order (`docker ps` lists newest
//! first), `docker rename`, and `docker container prune`.

use crate::container::{Container, Status};
use crate::error::EngineError;
use crate::world::{validate_container_name, World};

/// Why `docker rename` failed, in the daemon's words (the CLI adds its own line after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

impl World {
    /// The name Docker makes up for a container created without `--name`, unused so far.
    pub(crate) fn generated_name(&self, id: &str) -> String {
        (0..)
            .map(|retry| crate::names::generate(id, retry))
            .find(|n| !self.containers.values().any(|c| &c.name == n))
            .unwrap_or_else(|| id[..12].to_string())
    }

    /// Every container, newest first, as the daemon lists them.
    pub fn containers_newest_first(&self) -> Vec<&Container> {
        self.order
            .iter()
            .rev()
            .filter_map(|id| self.containers.get(id))
            .collect()
    }

    /// Where container `id` stands in creation order (0 = the oldest still here).
    pub fn creation_index(&self, id: &str) -> Option<usize> {
        self.order.iter().position(|x| x == id)
    }

    /// `docker rename OLD NEW` (the daemon's `ContainerRename`).
    pub fn rename_container(&mut self, old: &str, new: &str) -> Result<(), EngineError> {
        let id = self.container_id(old)?;
        let new_name = new.trim_start_matches('/');
        let current = self
            .containers
            .get(&id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        if current == new_name {
            return Err(EngineError::invalid(
                "Renaming a container with the same name as its current name",
            ));
        }
        validate_container_name(&format!("/{new_name}")).map_err(|e| {
            EngineError::new(e.kind, format!("Error when allocating new name: {e}"))
        })?;
        if let Some(other) = self.containers.values().find(|c| c.name == new_name) {
            return Err(EngineError::conflict(format!(
                "Error when allocating new name: Conflict. The container name \"/{new_name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                other.id
            )));
        }
        if let Some(c) = self.containers.get_mut(&id) {
            c.name = new_name.to_string();
        }
        Ok(())
    }

    /// `docker container prune`: removes every container that is not running, newest first
    /// as the daemon lists them (their volumes stay). Returns the ids removed and the bytes
    /// their writable layers freed.
    pub fn prune_containers(&mut self) -> (Vec<String>, u64) {
        let doomed: Vec<(String, u64)> = self
            .containers_newest_first()
            .into_iter()
            .filter(|c| c.state.status != Status::Running)
            .map(|c| (c.id.clone(), c.size_rw()))
            .collect();
        let mut removed = Vec::new();
        let mut freed = 0;
        for (id, bytes) in doomed {
            if self.remove_container(&id, false, false).is_ok() {
                removed.push(id);
                freed += bytes;
            }
        }
        (removed, freed)
    }
}
