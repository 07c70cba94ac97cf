//! User and group names from `/etc/passwd` and `/etc/group` inside the filesystem, as
//! `getpwuid`/`getgrgid` find them (numeric ids when the files or entries are missing).

use layerbox_fstree::{Cred, FileSystem, Store};

/// One `/etc/passwd` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passwd {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
}

fn lines(fs: &dyn Store, path: &str) -> Vec<Vec<String>> {
    let Ok(data) = fs.read_file(&Cred::root(), path) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&data)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(':').map(str::to_string).collect())
        .collect()
}

fn passwd_entries(fs: &dyn Store) -> Vec<Passwd> {
    lines(fs, "/etc/passwd")
        .into_iter()
        .filter_map(|f| {
            Some(Passwd {
                name: f.first()?.clone(),
                uid: f.get(2)?.parse().ok()?,
                gid: f.get(3)?.parse().ok()?,
                home: f.get(5).cloned().unwrap_or_default(),
                shell: f.get(6).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

/// The `/etc/passwd` entry with this name, or with this number if `name` is numeric and no
/// entry has it as a name (what `chown 1000 f` does).
pub fn lookup_user(fs: &dyn Store, name: &str) -> Option<Passwd> {
    passwd_entries(fs).into_iter().find(|p| p.name == name)
}

/// The gid of the group named `name` in `/etc/group`.
pub fn lookup_group(fs: &dyn Store, name: &str) -> Option<u32> {
    lines(fs, "/etc/group")
        .into_iter()
        .find(|f| f.first().is_some_and(|n| n == name))
        .and_then(|f| f.get(2)?.parse().ok())
}

/// The name of user `uid`, if `/etc/passwd` has one.
pub fn user_name(fs: &dyn Store, uid: u32) -> Option<String> {
    passwd_entries(fs)
        .into_iter()
        .find(|p| p.uid == uid)
        .map(|p| p.name)
}

/// The name of group `gid`, if `/etc/group` has one.
pub fn group_name(fs: &dyn Store, gid: u32) -> Option<String> {
    lines(fs, "/etc/group")
        .into_iter()
        .find(|f| f.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(gid))
        .and_then(|f| f.first().cloned())
}

/// Id-to-name caches for one listing (`ls -l` over many files reads the files once).
#[derive(Default)]
pub struct Names {
    users: Vec<(u32, Option<String>)>,
    groups: Vec<(u32, Option<String>)>,
}

impl Names {
    pub fn user(&mut self, fs: &dyn Store, uid: u32) -> Option<String> {
        if let Some((_, n)) = self.users.iter().find(|(u, _)| *u == uid) {
            return n.clone();
        }
        let n = user_name(fs, uid);
        self.users.push((uid, n.clone()));
        n
    }

    pub fn group(&mut self, fs: &dyn Store, gid: u32) -> Option<String> {
        if let Some((_, n)) = self.groups.iter().find(|(g, _)| *g == gid) {
            return n.clone();
        }
        let n = group_name(fs, gid);
        self.groups.push((gid, n.clone()));
        n
    }
}
