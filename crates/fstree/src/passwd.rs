//! The account files of a filesystem, `/etc/passwd` and `/etc/group`, read once and looked up
//! as libc's `getpwnam`, `getpwuid`, `getgrnam` and `getgrgid` look them up.
//!
//! What to do when a name is not found (a numeric fallback, an error, a number shown instead
//! of a name) is each caller's rule and stays with the caller.

use crate::{Cred, FileSystem, Store};

/// One `/etc/passwd` entry: `name:password:uid:gid:gecos:home:shell`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passwd {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    /// Empty when the line has no sixth field.
    pub home: String,
    /// Empty when the line has no seventh field.
    pub shell: String,
}

/// One `/etc/group` entry: `name:password:gid:member,member`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub gid: u32,
    /// The user names of the fourth field, in order.
    pub members: Vec<String>,
}

/// The entries of `/etc/passwd` and `/etc/group`, in file order. An entry is a line that is
/// neither blank nor a `#` comment and whose ids are numbers (a passwd line needs its uid and
/// gid, a group line its gid); other lines are skipped, a missing or unreadable file has no
/// entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accounts {
    users: Vec<Passwd>,
    groups: Vec<Group>,
    /// Lines BusyBox's own parser (libpwdgrp) calls a "bad record", a line without 7 (passwd)
    /// or 4 (group) fields: each as the number of entries before it.
    bad_users: Vec<usize>,
    bad_groups: Vec<usize>,
}

impl Accounts {
    /// The entries of `fs`'s `/etc/passwd` and `/etc/group`, read as `cred` (symlinks followed,
    /// permissions checked, as a process's `fopen` would).
    pub fn read(fs: &dyn Store, cred: &Cred) -> Accounts {
        let read = |path: &str| {
            fs.read_file(cred, path)
                .map(|c| String::from_utf8_lossy(&c).into_owned())
                .unwrap_or_default()
        };
        Accounts::parse(&read("/etc/passwd"), &read("/etc/group"))
    }

    /// The entries of the texts of a passwd and a group file.
    pub fn parse(passwd: &str, group: &str) -> Accounts {
        let users = entries(passwd)
            .filter_map(|f| {
                Some(Passwd {
                    name: f.first()?.to_string(),
                    uid: f.get(2)?.parse().ok()?,
                    gid: f.get(3)?.parse().ok()?,
                    home: f.get(5).map(|s| s.to_string()).unwrap_or_default(),
                    shell: f.get(6).map(|s| s.to_string()).unwrap_or_default(),
                })
            })
            .collect();
        let groups = entries(group)
            .filter_map(|f| {
                Some(Group {
                    name: f.first()?.to_string(),
                    gid: f.get(2)?.parse().ok()?,
                    members: f
                        .get(3)
                        .map(|m| {
                            m.split(',')
                                .filter(|m| !m.is_empty())
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect();
        Accounts {
            users,
            groups,
            bad_users: bad_records(passwd, 7),
            bad_groups: bad_records(group, 4),
        }
    }

    /// How many bad records BusyBox's `getpwuid(uid)` reads on its way through `/etc/passwd`
    /// (each is reported as `PROG: /etc/passwd: bad record`): those before the matching entry,
    /// or all of them when none matches.
    pub fn bad_records_before_uid(&self, uid: u32) -> usize {
        let at = self.users.iter().position(|p| p.uid == uid);
        before(&self.bad_users, at)
    }

    /// [`Accounts::bad_records_before_uid`] for `getpwnam(name)`.
    pub fn bad_records_before_user_name(&self, name: &str) -> usize {
        let at = self.users.iter().position(|p| p.name == name);
        before(&self.bad_users, at)
    }

    /// [`Accounts::bad_records_before_uid`] for `getgrnam(name)` and `/etc/group`.
    pub fn bad_records_before_group_name(&self, name: &str) -> usize {
        let at = self.groups.iter().position(|g| g.name == name);
        before(&self.bad_groups, at)
    }

    /// [`Accounts::bad_records_before_uid`] for `getgrgid(gid)` and `/etc/group`.
    pub fn bad_records_before_gid(&self, gid: u32) -> usize {
        let at = self.groups.iter().position(|g| g.gid == gid);
        before(&self.bad_groups, at)
    }

    /// Every passwd entry, in file order.
    pub fn users(&self) -> &[Passwd] {
        &self.users
    }

    /// Every group entry, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// `getpwnam`: the first passwd entry named `name`.
    pub fn getpwnam(&self, name: &str) -> Option<&Passwd> {
        self.users.iter().find(|p| p.name == name)
    }

    /// `getpwuid`: the first passwd entry with uid `uid`.
    pub fn getpwuid(&self, uid: u32) -> Option<&Passwd> {
        self.users.iter().find(|p| p.uid == uid)
    }

    /// `getgrnam`: the first group entry named `name`.
    pub fn getgrnam(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// `getgrgid`: the first group entry with gid `gid`.
    pub fn getgrgid(&self, gid: u32) -> Option<&Group> {
        self.groups.iter().find(|g| g.gid == gid)
    }

    /// The gids of the group entries that list `user` as a member, one per entry in file order
    /// (runc's supplementary groups; callers that want each gid once drop repeats).
    pub fn member_of(&self, user: &str) -> Vec<u32> {
        self.groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m == user))
            .map(|g| g.gid)
            .collect()
    }
}

/// The bad records among `bad` (entry counts) that a scan stopping at entry `at` reads.
fn before(bad: &[usize], at: Option<usize>) -> usize {
    bad.iter().filter(|&&k| at.is_none_or(|at| k <= at)).count()
}

/// Each non-comment line of `text` without `fields` fields, as the number of entries before it.
fn bad_records(text: &str, fields: usize) -> Vec<usize> {
    let mut entries = 0;
    let mut bad = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.split(':').count() != fields {
            bad.push(entries);
        }
        if !line.trim().is_empty() {
            entries += 1;
        }
    }
    bad
}

/// The fields of each line that is neither blank nor a `#` comment.
fn entries(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(':').collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tree;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/ash\n\
        # a comment:x:5:5\n\
        \n\
        broken:x:abc:1:::\n\
        short:x:7:7\n\
        postgres:x:70:70::/var/lib/postgresql:/bin/sh\n\
        alias:x:70:70::/elsewhere:/bin/false\n";
    const GROUP: &str = "root:x:0:root\nwheel:x:10:root,postgres\nbad:x:nope:postgres\n\
        postgres:x:70:\nstaff:x:50:,postgres,\nwheel:x:11:\n";

    fn accounts() -> Accounts {
        Accounts::parse(PASSWD, GROUP)
    }

    #[test]
    fn names_and_ids_find_the_first_matching_entry() {
        let a = accounts();
        assert_eq!(a.getpwnam("postgres").map(|p| p.uid), Some(70));
        assert_eq!(
            a.getpwuid(70).map(|p| (p.name.as_str(), p.home.as_str())),
            Some(("postgres", "/var/lib/postgresql"))
        );
        assert_eq!(a.getgrnam("wheel").map(|g| g.gid), Some(10));
        assert_eq!(a.getgrgid(70).map(|g| g.name.as_str()), Some("postgres"));
        assert_eq!(a.getpwnam("nobody"), None);
        assert_eq!(a.getgrgid(999), None);
    }

    #[test]
    fn comments_blank_lines_and_lines_without_numeric_ids_are_skipped() {
        let a = accounts();
        let names: Vec<&str> = a.users().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["root", "short", "postgres", "alias"]);
        assert_eq!(a.getpwuid(5), None);
        assert_eq!(a.getgrnam("bad"), None);
        // Missing trailing fields read as empty.
        let short = a.getpwnam("short").expect("short");
        assert_eq!((short.home.as_str(), short.shell.as_str()), ("", ""));
    }

    #[test]
    fn supplementary_groups_are_the_entries_listing_the_user_in_file_order() {
        let a = accounts();
        assert_eq!(a.member_of("postgres"), [10, 50]);
        let twice = Accounts::parse("", "a:x:5:u\nb:x:5:u\n");
        assert_eq!(twice.member_of("u"), [5, 5]);
        assert_eq!(a.member_of("root"), [0, 10]);
        assert_eq!(a.member_of(""), Vec::<u32>::new());
    }

    #[test]
    fn files_are_read_through_the_filesystem_and_missing_ones_are_empty() {
        let mut t = Tree::default();
        let root = Cred::root();
        assert_eq!(Accounts::read(&t, &root), Accounts::default());
        t.mkdir(&root, "/etc", 0o755, 0).expect("mkdir");
        t.mkdir(&root, "/data", 0o755, 0).expect("mkdir");
        t.write_file(&root, "/data/passwd", PASSWD.as_bytes(), 0o600, 0)
            .expect("write");
        t.symlink(&root, "/data/passwd", "/etc/passwd", 0)
            .expect("symlink");
        let a = Accounts::read(&t, &root);
        assert_eq!(a.getpwnam("postgres").map(|p| p.uid), Some(70));
        assert!(a.groups().is_empty());
        // Read as another user, a file it may not read has no entries.
        assert_eq!(
            Accounts::read(&t, &Cred::user(1000, 1000)),
            Accounts::default()
        );
    }
}
