//! Who a container's process runs as: the image's `USER` or `--user`, looked up in the
//! container's own `/etc/passwd` and `/etc/group` as runc does.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::Cred;

use crate::error::EngineError;
use crate::world::World;

impl World {
    /// The credentials of a process started in the container as `user` (`""` = the
    /// container's configured user, else root).
    pub fn process_cred(&mut self, container: &str, user: &str) -> Result<Cred, EngineError> {
        let id = self.container_id(container)?;
        let spec = if user.is_empty() {
            self.containers[&id].config.user.clone()
        } else {
            user.to_string()
        };
        // No user: root, with the supplementary groups `/etc/group` lists root in (runc).
        let spec = if spec.is_empty() {
            "0".to_string()
        } else {
            spec
        };
        let accounts =
            self.with_container_fs(&id, false, |fs| Accounts::read(&*fs, &Cred::root()))?;
        let (name, group) = match spec.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (spec.as_str(), None),
        };
        // runc: the first entry named so, or numbered so when the name is a number.
        let uid_arg = name.parse::<u32>().ok();
        let found = accounts
            .users()
            .iter()
            .find(|p| p.name == name || Some(p.uid) == uid_arg);
        let (uid, mut gid) = match (found, uid_arg) {
            (Some(p), _) => (p.uid, p.gid),
            (None, Some(uid)) => (uid, 0),
            (None, None) => {
                return Err(EngineError::system(format!(
                    "unable to find user {name}: no matching entries in passwd file"
                )))
            }
        };
        if let Some(g) = group {
            let gid_arg = g.parse::<u32>().ok();
            let found = accounts
                .groups()
                .iter()
                .find(|e| e.name == g || Some(e.gid) == gid_arg);
            gid = match (found, gid_arg) {
                (Some(e), _) => e.gid,
                (None, Some(n)) => n,
                (None, None) => {
                    return Err(EngineError::system(format!(
                        "unable to find group {g}: no matching entries in group file"
                    )))
                }
            };
        }
        let login = accounts.getpwuid(uid).map_or(name, |p| p.name.as_str());
        let mut cred = Cred::user(uid, gid);
        // moby's getUser: the primary group, then (unless --user named a group) the groups
        // /etc/group lists the user in; the kernel keeps them sorted, without repeats.
        cred.groups = vec![gid];
        if group.is_none() {
            cred.groups.extend(accounts.member_of(login));
        }
        layerbox_order::sort(&mut cred.groups);
        cred.groups.dedup();
        Ok(cred)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::CreateRequest;

    #[test]
    fn users_are_looked_up_in_the_containers_passwd() {
        let mut w = World::new().expect("world");
        let id = w
            .create_container(&CreateRequest {
                image: "postgres".into(),
                ..Default::default()
            })
            .expect("create");
        let pg = w.process_cred(&id, "postgres").expect("postgres");
        assert_eq!((pg.uid, pg.gid), (70, 70));
        assert_eq!(
            w.process_cred(&id, "1000").map(|c| (c.uid, c.gid)),
            Ok((1000, 0))
        );
        assert_eq!(
            w.process_cred(&id, "1000:70").map(|c| (c.uid, c.gid)),
            Ok((1000, 70))
        );
        assert_eq!(
            w.process_cred(&id, "nobody-here")
                .expect_err("unknown")
                .message,
            "unable to find user nobody-here: no matching entries in passwd file"
        );
    }
}
