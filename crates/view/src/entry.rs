//! One row of any tree the UI draws: name, type, size, mode and owner as `ls -l` shows them.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{path, Cred, FileType, Stat, Store};

/// A file, directory or symlink as `ls -l` would show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Canonical absolute path in the tree it belongs to (container, volume, host, layer).
    pub path: String,
    pub file_type: FileType,
    /// Bytes of content; a symlink's target length; 4096 for a directory.
    pub size: u64,
    /// `ls -l`'s mode column: `drwxr-xr-x`.
    pub mode: String,
    /// Owner and group names from the tree's own `/etc/passwd` and `/etc/group`, else numbers.
    pub owner: String,
    pub group: String,
    pub uid: u32,
    pub gid: u32,
    pub mtime: u64,
    pub symlink_target: Option<String>,
    /// Whether the UI may ask for its children (a directory; symlinks are leaves).
    pub expandable: bool,
}

/// Names of users and groups, read once per listing from a tree's `/etc/passwd` and
/// `/etc/group`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Owners {
    accounts: Accounts,
}

impl Owners {
    /// The names in `store`'s `/etc/passwd` and `/etc/group` (none if it has none).
    pub(crate) fn of(store: &dyn Store) -> Owners {
        Owners {
            accounts: Accounts::read(store, &Cred::root()),
        }
    }

    /// The names in the files `read` returns for `/etc/passwd` and `/etc/group`.
    pub(crate) fn read(read: impl Fn(&str) -> String) -> Owners {
        Owners {
            accounts: Accounts::parse(&read("/etc/passwd"), &read("/etc/group")),
        }
    }

    fn user(&self, uid: u32) -> String {
        self.accounts
            .getpwuid(uid)
            .map_or_else(|| uid.to_string(), |p| p.name.clone())
    }

    fn group(&self, gid: u32) -> String {
        self.accounts
            .getgrgid(gid)
            .map_or_else(|| gid.to_string(), |g| g.name.clone())
    }
}

impl Entry {
    /// The entry for `stat` of the node at `rel` in `store`, shown at `shown_path`.
    pub(crate) fn new(
        store: &dyn Store,
        rel: &str,
        shown_path: &str,
        stat: &Stat,
        owners: &Owners,
    ) -> Entry {
        let name = path::split(shown_path)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| "/".to_string());
        Entry {
            name,
            path: shown_path.to_string(),
            file_type: stat.kind,
            size: stat.size,
            mode: stat.mode_string(),
            owner: owners.user(stat.uid),
            group: owners.group(stat.gid),
            uid: stat.uid,
            gid: stat.gid,
            mtime: stat.mtime,
            symlink_target: (stat.kind == FileType::Symlink)
                .then(|| store.link_target(rel).ok())
                .flatten(),
            expandable: stat.kind == FileType::Dir,
        }
    }
}

/// The entries of directory `rel` in `store`, shown under `shown_dir`, sorted by name
/// bytewise (`ls` in the C locale). `NotFound` / `NotADirectory` name `shown_dir`.
pub(crate) fn list(
    store: &dyn Store,
    rel: &str,
    shown_dir: &str,
    owners: &Owners,
) -> Result<Vec<Entry>, crate::ViewError> {
    check_dir(store, rel, shown_dir)?;
    let names = store.entries(rel).unwrap_or_default();
    let mut out = Vec::with_capacity(names.len());
    for e in names {
        let r = path::join(rel, &e.name);
        if let Some(st) = store.node(&r) {
            out.push(Entry::new(
                store,
                &r,
                &path::join(shown_dir, &e.name),
                &st,
                owners,
            ));
        }
    }
    layerbox_order::sort_by(&mut out, |a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(out)
}

/// `Ok` if `rel` is a directory of `store`.
pub(crate) fn check_dir(
    store: &dyn Store,
    rel: &str,
    shown_dir: &str,
) -> Result<(), crate::ViewError> {
    match store.node(rel) {
        None => Err(crate::ViewError::NotFound(shown_dir.to_string())),
        Some(st) if !st.is_dir() => Err(crate::ViewError::NotADirectory(shown_dir.to_string())),
        Some(_) => Ok(()),
    }
}
