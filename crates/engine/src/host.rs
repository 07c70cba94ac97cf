//! The Docker host's own filesystem: a Debian-like tree with the user `user` (uid 1000) and a
//! simulated network share, where bind-mount sources live.

use std::cell::Cell;

use layerbox_fstree::{
    Attr, Content, Cred, DirEntry, Errno, FileSystem, FsResult, Meta, NewNode, Stat, Store, Tree,
};
use serde::{Deserialize, Serialize};

/// The host user learners type as.
pub const USER_UID: u32 = 1000;
pub const USER_HOME: &str = "/home/user";
/// The `docker` group of the host's `/etc/group`, which the user belongs to.
pub const DOCKER_GID: u32 = 999;

/// The learner's credentials on the host: `user` (1000:1000), also in the `docker` group, as
/// `id` shows after a login. The one constructor: the terminal, the Host panel's editor,
/// completion and `docker build`'s context reader all act as this user.
pub fn user_cred() -> Cred {
    Cred {
        uid: USER_UID,
        gid: USER_UID,
        groups: vec![USER_UID, DOCKER_GID],
    }
}
/// Where the simulated network share is mounted on the host.
pub const SHARE_MOUNT: &str = "/mnt/share";

/// What a network filesystem supports. SMB/CIFS without Unix extensions, the chapter's
/// "distributed bind mount" example, lacks hard links, symlinks and permission changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareFeatures {
    pub hard_links: bool,
    pub symlinks: bool,
    pub chmod: bool,
    pub byte_range_locks: bool,
    /// Simulated round trip charged for every operation, in microseconds.
    pub latency_micros: u64,
}

impl Default for ShareFeatures {
    fn default() -> ShareFeatures {
        ShareFeatures {
            hard_links: false,
            symlinks: false,
            chmod: false,
            byte_range_locks: false,
            latency_micros: 2_000,
        }
    }
}

/// A host directory backed by a network filesystem mounted over SMB/CIFS (as Azure Files is):
/// every operation costs a simulated round trip, and what such a server does not support (hard
/// links, symbolic links, chmod; an NFS server has all three) fails as the CIFS client reports it.
/// The same server exports the tree over NFS (`crate::nfs`), where the share implements
/// `Store` itself with NFS's semantics, for the volumes made with `--opt type=nfs`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NetworkShare {
    pub tree: Tree,
    pub features: ShareFeatures,
    /// Operations served so far (reads included).
    #[serde(skip)]
    ops: Cell<u64>,
}

impl NetworkShare {
    pub(crate) fn charge(&self) {
        self.ops.set(self.ops.get().saturating_add(1));
    }

    /// Operations served and the simulated time they cost, in microseconds.
    pub fn usage(&self) -> (u64, u64) {
        let ops = self.ops.get();
        (ops, ops.saturating_mul(self.features.latency_micros))
    }
}

/// The host: a local tree plus the network share mounted at [`SHARE_MOUNT`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Host {
    pub local: Tree,
    pub share: NetworkShare,
    /// The devtmpfs mounted at [`DEV_MOUNT`].
    pub dev: Tree,
}

/// Where the host's devtmpfs is mounted.
pub const DEV_MOUNT: &str = "/dev";

/// The host's `/dev`, a devtmpfs: the character devices programs open (`null`, `zero`,
/// `full`, `random`, `urandom`, `tty`, mode 0666 as udev makes them), the links into
/// `/proc/self/fd`, and the `pts` and `shm` directories.
///
/// Emulation note: a real host's `/dev` also holds its disks, consoles and terminals, about a
/// hundred entries that no lesson reads; `pts` and `shm` are directories here, not mounts.
fn devtmpfs(now: u64) -> Tree {
    let mut t = Tree::tmpfs(Meta::new(0o755, 0, 0, now), Default::default());
    crate::container::add_dev_nodes(&mut t, now, false);
    t
}

/// Which tree holds a canonical host path, and the path in it.
enum At {
    Local,
    Share(String),
    Dev(String),
}

impl At {
    fn of(p: &str) -> At {
        if let Some(rel) = Host::on_share(p) {
            return At::Share(rel);
        }
        if p == DEV_MOUNT {
            return At::Dev("/".to_string());
        }
        match p
            .strip_prefix(DEV_MOUNT)
            .filter(|rest| rest.starts_with('/'))
        {
            Some(rest) => At::Dev(rest.to_string()),
            None => At::Local,
        }
    }

    /// Which mount: 0 the local tree, 1 the share, 2 the devtmpfs.
    fn device(&self) -> u64 {
        match self {
            At::Local => 0,
            At::Share(_) => 1,
            At::Dev(_) => 2,
        }
    }
}

impl Host {
    /// A fresh Debian-like host at time `now`: `/home/user` empty and owned by `user`.
    pub fn new(now: u64) -> Host {
        let mut local = Tree::with_root(Meta::new(0o755, 0, 0, now), Default::default());
        let root = Cred::root();
        let dirs: [(&str, u32, u32); 14] = [
            ("/bin", 0o755, 0),
            (DEV_MOUNT, 0o755, 0),
            ("/etc", 0o755, 0),
            ("/home", 0o755, 0),
            (USER_HOME, 0o755, USER_UID),
            ("/mnt", 0o755, 0),
            (SHARE_MOUNT, 0o755, USER_UID),
            ("/root", 0o700, 0),
            ("/srv", 0o755, 0),
            ("/tmp", 0o1777, 0),
            ("/usr", 0o755, 0),
            ("/var", 0o755, 0),
            ("/var/lib", 0o755, 0),
            ("/var/lib/docker", 0o710, 0),
        ];
        for (dir, mode, owner) in dirs {
            // The fresh tree has room for these: a failure here would be a bug in this list.
            let _ = local.mkdir(&root, dir, mode, now);
            let _ = local.chown(&root, dir, Some(owner), Some(owner));
        }
        let files: [(&str, &str, u32); 4] = [
            ("/etc/hostname", "docker-host\n", 0o644),
            ("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000:user,,,:/home/user:/bin/bash\n", 0o644),
            ("/etc/group", "root:x:0:\ndocker:x:999:user\nuser:x:1000:\n", 0o644),
            ("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n", 0o644),
        ];
        for (file, text, mode) in files {
            let _ = local.write_file(&root, file, text.as_bytes(), mode, now);
        }
        let share_tree = Tree::with_root(
            Meta::new(0o755, USER_UID, USER_UID, now),
            Default::default(),
        );
        Host {
            local,
            share: NetworkShare {
                tree: share_tree,
                features: ShareFeatures::default(),
                ops: Cell::new(0),
            },
            dev: devtmpfs(now),
        }
    }

    /// The share-relative path if `p` lies on the network share.
    fn on_share(p: &str) -> Option<String> {
        if p == SHARE_MOUNT {
            return Some("/".to_string());
        }
        p.strip_prefix(SHARE_MOUNT)
            .filter(|rest| rest.starts_with('/'))
            .map(str::to_string)
    }

    /// Whether canonical path `p` is on the network share.
    pub fn is_on_share(p: &str) -> bool {
        Host::on_share(p).is_some()
    }

    /// The tree that holds canonical host path `p` (the local tree, or the share's for
    /// [`SHARE_MOUNT`] and below) and `p`'s path in it. Reads through it charge the share
    /// nothing: they are the UI's looks, not round trips of the learner's commands.
    pub fn store(&self, p: &str) -> (&dyn Store, String) {
        match At::of(p) {
            At::Share(rel) => (&self.share.tree, rel),
            At::Dev(rel) => (&self.dev, rel),
            At::Local => (&self.local, p.to_string()),
        }
    }
}

impl Store for Host {
    /// A handle is the local tree's, the share's below its mount point, or the devtmpfs's.
    fn child_node(&self, dir: &str, at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        let p = layerbox_fstree::path::join(dir, name);
        match (At::of(dir), At::of(&p)) {
            (At::Local, At::Local) => self.local.child_node(dir, at, name),
            (At::Share(rel), At::Share(_)) => {
                self.share.charge();
                self.share.tree.child_node(&rel, at, name)
            }
            (At::Dev(rel), At::Dev(_)) => self.dev.child_node(&rel, at, name),
            // The step onto a mount point.
            _ => self.node(&p).map(|st| (st, None)),
        }
    }
    fn node(&self, p: &str) -> Option<Stat> {
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                self.share.tree.node(&rel)
            }
            At::Dev(rel) => self.dev.node(&rel),
            At::Local => self.local.node(p),
        }
    }
    fn entries(&self, p: &str) -> FsResult<Vec<DirEntry>> {
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                self.share.tree.entries(&rel)
            }
            At::Dev(rel) => self.dev.entries(&rel),
            At::Local => self.local.entries(p),
        }
    }
    fn content(&self, p: &str) -> FsResult<Content> {
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                self.share.tree.content(&rel)
            }
            At::Dev(rel) => self.dev.content(&rel),
            At::Local => self.local.content(p),
        }
    }
    fn room(&self, p: &str) -> Option<u64> {
        match At::of(p) {
            At::Share(rel) => self.share.tree.room(&rel),
            At::Dev(rel) => self.dev.room(&rel),
            At::Local => self.local.room(p),
        }
    }
    fn link_target(&self, p: &str) -> FsResult<String> {
        match At::of(p) {
            At::Share(rel) => self.share.tree.link_target(&rel),
            At::Dev(rel) => self.dev.link_target(&rel),
            At::Local => self.local.link_target(p),
        }
    }
    fn device(&self, p: &str) -> u64 {
        At::of(p).device()
    }
    fn insert(&mut self, p: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                if matches!(node, NewNode::Symlink(_)) && !self.share.features.symlinks {
                    return Err(Errno::EOPNOTSUPP);
                }
                self.share.tree.insert(&rel, node, meta, now)
            }
            At::Dev(rel) => self.dev.insert(&rel, node, meta, now),
            At::Local => self.local.insert(p, node, meta, now),
        }
    }
    fn delete(&mut self, p: &str, now: u64) -> FsResult<()> {
        if p == SHARE_MOUNT || p == DEV_MOUNT {
            return Err(Errno::EBUSY);
        }
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                self.share.tree.delete(&rel, now)
            }
            At::Dev(rel) => self.dev.delete(&rel, now),
            At::Local => self.local.delete(p, now),
        }
    }
    fn replace_content(&mut self, p: &str, content: Content, now: u64) -> FsResult<()> {
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                self.share.tree.replace_content(&rel, content, now)
            }
            At::Dev(rel) => self.dev.replace_content(&rel, content, now),
            At::Local => self.local.replace_content(p, content, now),
        }
    }
    fn set_attr(&mut self, p: &str, attr: Attr) -> FsResult<()> {
        match At::of(p) {
            At::Share(rel) => {
                self.share.charge();
                let changes_owner_or_mode =
                    attr.mode.is_some() || attr.uid.is_some() || attr.gid.is_some();
                if changes_owner_or_mode && !self.share.features.chmod {
                    return Err(Errno::EPERM);
                }
                self.share.tree.set_attr(&rel, attr)
            }
            At::Dev(rel) => self.dev.set_attr(&rel, attr),
            At::Local => self.local.set_attr(p, attr),
        }
    }
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        if [from, to]
            .iter()
            .any(|p| *p == SHARE_MOUNT || *p == DEV_MOUNT)
        {
            return Err(Errno::EBUSY);
        }
        match (At::of(from), At::of(to)) {
            (At::Share(f), At::Share(t)) => {
                self.share.charge();
                self.share.tree.move_node(&f, &t, now)
            }
            (At::Dev(f), At::Dev(t)) => self.dev.move_node(&f, &t, now),
            (At::Local, At::Local) => self.local.move_node(from, to, now),
            _ => Err(Errno::EXDEV),
        }
    }
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        match (At::of(from), At::of(to)) {
            (At::Share(f), At::Share(t)) => {
                self.share.charge();
                if !self.share.features.hard_links {
                    return Err(Errno::EOPNOTSUPP);
                }
                self.share.tree.add_link(&f, &t, now)
            }
            (At::Dev(f), At::Dev(t)) => self.dev.add_link(&f, &t, now),
            (At::Local, At::Local) => self.local.add_link(from, to, now),
            _ => Err(Errno::EXDEV),
        }
    }
}

/// Joins a canonical base path and a canonical relative rest (`/a` + `/b` = `/a/b`).
pub fn rebase(base: &str, rest: &str) -> String {
    match (base, rest) {
        (b, "" | "/") => b.to_string(),
        ("/", r) => r.to_string(),
        (b, r) => format!("{b}{r}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> Cred {
        Cred::user(USER_UID, USER_UID)
    }

    #[test]
    fn the_user_owns_an_empty_home() {
        let host = Host::new(0);
        let st = host.stat(&user(), USER_HOME).expect("home");
        assert_eq!((st.uid, st.mode), (USER_UID, 0o755));
        assert!(host.read_dir(&user(), USER_HOME).expect("list").is_empty());
        assert_eq!(host.read_dir(&user(), "/root"), Err(Errno::EACCES));
    }

    #[test]
    fn network_share_refuses_links_and_permission_changes() {
        let mut host = Host::new(0);
        let u = user();
        host.write_file(&u, "/mnt/share/report.txt", b"q3", 0o644, 1)
            .expect("write");
        assert_eq!(
            host.symlink(&u, "report.txt", "/mnt/share/latest", 2),
            Err(Errno::EOPNOTSUPP)
        );
        assert_eq!(
            host.link(&u, "/mnt/share/report.txt", "/mnt/share/copy", 2),
            Err(Errno::EOPNOTSUPP)
        );
        assert_eq!(
            host.chmod(&u, "/mnt/share/report.txt", 0o600),
            Err(Errno::EPERM)
        );
        assert_eq!(
            host.rename(&u, "/mnt/share/report.txt", "/home/user/report.txt", 3),
            Err(Errno::EXDEV)
        );
        let (ops, micros) = host.share.usage();
        assert!(ops >= 5, "every operation is a round trip: {ops}");
        assert_eq!(micros, ops * 2_000);
    }

    #[test]
    fn rebase_joins_paths() {
        assert_eq!(rebase("/srv/www", "/"), "/srv/www");
        assert_eq!(rebase("/srv/www", "/a/b"), "/srv/www/a/b");
        assert_eq!(rebase("/", "/a"), "/a");
    }
}
