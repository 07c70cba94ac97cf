//! Who a container's process runs as: the image's `USER` or `--user`, looked up in the
//! container's own `/etc/passwd` and `/etc/group` as runc does.

use layerbox_fstree::{Cred, FileSystem};

use crate::error::EngineError;
use crate::world::World;

/// One `name:x:uid:gid:...` line of a passwd file.
fn passwd_entry(passwd: &str, user: &str) -> Option<(u32, u32)> {
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        let (uid, gid) = (f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?);
        (f.first() == Some(&user) || user.parse::<u32>().ok() == Some(uid)).then_some((uid, gid))
    })
}

/// The group named `group` (or numbered) in a group file.
fn group_id(groups: &str, group: &str) -> Option<u32> {
    groups.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        let gid: u32 = f.get(2)?.parse().ok()?;
        (f.first() == Some(&group) || group.parse::<u32>().ok() == Some(gid)).then_some(gid)
    })
}

/// Supplementary groups listing `name` as a member.
fn member_of(groups: &str, name: &str) -> Vec<u32> {
    groups
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            let members = f.get(3)?;
            members
                .split(',')
                .any(|m| m == name)
                .then(|| f.get(2)?.parse().ok())?
        })
        .collect()
}

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
        let (files_passwd, files_group) = self.with_container_fs(&id, false, |fs| {
            let read = |p: &str| {
                fs.read_file(&Cred::root(), p)
                    .map(|c| String::from_utf8_lossy(&c).into_owned())
                    .unwrap_or_default()
            };
            (read("/etc/passwd"), read("/etc/group"))
        })?;
        let (name, group) = match spec.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (spec.as_str(), None),
        };
        let (uid, mut gid) = match (passwd_entry(&files_passwd, name), name.parse::<u32>()) {
            (Some(found), _) => found,
            (None, Ok(uid)) => (uid, 0),
            (None, Err(_)) => {
                return Err(EngineError::system(format!(
                    "unable to find user {name}: no matching entries in passwd file"
                )))
            }
        };
        if let Some(g) = group {
            gid = match (group_id(&files_group, g), g.parse::<u32>()) {
                (Some(found), _) => found,
                (None, Ok(n)) => n,
                (None, Err(_)) => {
                    return Err(EngineError::system(format!(
                        "unable to find group {g}: no matching entries in group file"
                    )))
                }
            };
        }
        let login = files_passwd
            .lines()
            .find(|l| l.split(':').nth(2).and_then(|u| u.parse::<u32>().ok()) == Some(uid))
            .and_then(|l| l.split(':').next())
            .unwrap_or(name)
            .to_string();
        let mut cred = Cred::user(uid, gid);
        cred.groups = member_of(&files_group, &login);
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
