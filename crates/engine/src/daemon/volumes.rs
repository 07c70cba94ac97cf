//! Volumes as the daemon's API serves them: create, remove and prune, each recording its
//! change events.

use std::collections::BTreeMap;

use crate::change::Change;
use crate::error::EngineError;
use crate::volume::{Filter, VolumeCreate, VolumeOrigin};
use crate::world::World;

impl World {
    /// `docker volume create [NAME]`: without a name the daemon names it (it is not anonymous).
    /// Returns the name; an existing volume of that name is returned unchanged.
    pub fn create_volume(&mut self, name: &str, req: &VolumeCreate) -> Result<String, EngineError> {
        let now = self.now();
        let name = if name.is_empty() {
            self.ids.next_id()
        } else {
            name.to_string()
        };
        let (name, created) =
            self.volumes
                .create(&name, String::new, req, VolumeOrigin::Create, now)?;
        if created {
            self.changes.push(Change::VolumeCreated {
                name: name.clone(),
                anonymous: false,
                origin: VolumeOrigin::Create,
            });
        }
        Ok(name)
    }

    /// `docker volume rm [-f] NAME`: refused while a container refers to it, even with force.
    pub fn remove_volume(&mut self, name: &str, force: bool) -> Result<(), EngineError> {
        let bytes = self.volumes.get(name).map(|v| v.size()).unwrap_or(0);
        let existed = self.volumes.volumes.contains_key(name);
        self.volumes.remove(name, force)?;
        if existed {
            self.changes.push(Change::VolumeRemoved {
                name: name.to_string(),
                bytes,
            });
        }
        Ok(())
    }

    /// `docker volume prune [-a]`: the unused anonymous volumes (with `all` named ones too)
    /// that pass `filters`. Returns their names and the bytes reclaimed.
    pub fn prune_volumes(
        &mut self,
        filters: &[Filter],
        all: bool,
    ) -> Result<(Vec<String>, u64), EngineError> {
        let sizes: BTreeMap<String, u64> = layerbox_order::map(
            self.volumes
                .volumes
                .iter()
                .map(|(k, v)| (k.clone(), v.size())),
        );
        let (names, bytes) = self.volumes.prune(filters, all)?;
        for n in &names {
            self.changes.push(Change::VolumeRemoved {
                bytes: sizes.get(n).copied().unwrap_or(0),
                name: n.clone(),
            });
        }
        Ok((names, bytes))
    }
}
