//! Inode metadata (type, mode, owner, mtime), caller credentials and the POSIX permission checks.

use serde::{Deserialize, Serialize};

/// The set-user-ID bit.
pub const S_ISUID: u32 = 0o4000;
/// The set-group-ID bit: on a directory, new entries inherit the directory's group.
pub const S_ISGID: u32 = 0o2000;
/// The sticky bit: in a sticky directory (`/tmp`) only the owner of an entry, the owner of the
/// directory or root may remove or rename the entry.
pub const S_ISVTX: u32 = 0o1000;
/// All bits `chmod` can set.
pub const MODE_MASK: u32 = 0o7777;

/// The type of an inode, as `ls -l` shows it in its first column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Dir,
    File,
    Symlink,
    /// A character device (`/dev/null`); which one is [`Stat::rdev`].
    CharDev,
}

impl FileType {
    /// The `ls -l` type letter: `d`, `-`, `l` or `c`.
    pub fn letter(self) -> char {
        match self {
            FileType::Dir => 'd',
            FileType::File => '-',
            FileType::Symlink => 'l',
            FileType::CharDev => 'c',
        }
    }
}

/// The metadata a caller chooses and `chmod`/`chown`/`touch` change; copied whole on overlayfs
/// copy-up together with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Meta {
    /// Permission bits plus setuid/setgid/sticky (`& 0o7777`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Logical modification time: the caller's clock, never the wall clock.
    pub mtime: u64,
}

impl Meta {
    /// Metadata with the given mode owned by `uid:gid`.
    pub fn new(mode: u32, uid: u32, gid: u32, mtime: u64) -> Meta {
        Meta {
            mode: mode & MODE_MASK,
            uid,
            gid,
            mtime,
        }
    }
}

impl Default for Meta {
    /// `0755 root:root` at time 0, the metadata of a fresh root directory.
    fn default() -> Meta {
        Meta::new(0o755, 0, 0, 0)
    }
}

/// What `stat(2)` returns for one inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stat {
    /// Inode number, unique within one filesystem. Emulation note: as on overlayfs without
    /// `xino`, a union's inode numbers change on copy-up.
    pub ino: u64,
    pub kind: FileType,
    /// Permission bits plus setuid/setgid/sticky.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Bytes of content; a symlink's target length; a directory's as its filesystem says
    /// (4096 on disk, 40 plus 20 per entry on tmpfs).
    pub size: u64,
    /// 512-byte blocks allocated (`st_blocks`): whole 4 KiB pages of content; 8 for a
    /// directory on disk and none on tmpfs; none for a symlink short enough to live in its
    /// inode.
    pub blocks: u64,
    pub mtime: u64,
    /// Names linking to this inode; for directories `2 + subdirectories`, and 1 for a merged
    /// union directory (as overlayfs reports).
    pub nlink: u32,
    /// The device a character device node stands for (`st_rdev`); `None` for other nodes.
    pub rdev: Option<crate::Device>,
}

impl Stat {
    pub fn is_dir(&self) -> bool {
        self.kind == FileType::Dir
    }

    /// The metadata part of this stat.
    pub fn meta(&self) -> Meta {
        Meta {
            mode: self.mode,
            uid: self.uid,
            gid: self.gid,
            mtime: self.mtime,
        }
    }

    /// `ls -l`'s mode column, e.g. `drwxr-xr-t`.
    pub fn mode_string(&self) -> String {
        let m = self.mode;
        let mut s = String::with_capacity(10);
        s.push(self.kind.letter());
        for (shift, special, lower, upper) in [
            (6, S_ISUID, 's', 'S'),
            (3, S_ISGID, 's', 'S'),
            (0, S_ISVTX, 't', 'T'),
        ] {
            let bits = (m >> shift) & 7;
            s.push(if bits & 4 != 0 { 'r' } else { '-' });
            s.push(if bits & 2 != 0 { 'w' } else { '-' });
            s.push(match (bits & 1 != 0, m & special != 0) {
                (true, true) => lower,
                (false, true) => upper,
                (true, false) => 'x',
                (false, false) => '-',
            });
        }
        s
    }
}

/// Read permission, for [`Cred::may`].
pub const MAY_READ: u32 = 4;
/// Write permission, for [`Cred::may`].
pub const MAY_WRITE: u32 = 2;
/// Execute (search, for a directory) permission, for [`Cred::may`].
pub const MAY_EXEC: u32 = 1;

/// The credentials of the calling process: effective uid, gid and supplementary groups.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

impl Cred {
    /// uid 0, gid 0: bypasses read/write checks and directory search checks.
    pub fn root() -> Cred {
        Cred::default()
    }

    /// An unprivileged user with no supplementary groups.
    pub fn user(uid: u32, gid: u32) -> Cred {
        Cred {
            uid,
            gid,
            groups: Vec::new(),
        }
    }

    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// Whether the caller is in group `gid` (primary or supplementary).
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }

    /// `generic_permission`: may the caller access `st` for every bit in `want`
    /// (`MAY_READ | MAY_WRITE | MAY_EXEC`)? Root passes read and write always, and execute on a
    /// directory always, but executes a non-directory only if some `x` bit is set (Linux's
    /// `CAP_DAC_OVERRIDE` rule). Otherwise the owner class, else the group class, else other.
    pub fn may(&self, st: &Stat, want: u32) -> bool {
        if self.is_root() {
            return want & MAY_EXEC == 0 || st.is_dir() || st.mode & 0o111 != 0;
        }
        let class = if self.uid == st.uid {
            (st.mode >> 6) & 7
        } else if self.in_group(st.gid) {
            (st.mode >> 3) & 7
        } else {
            st.mode & 7
        };
        class & want == want
    }

    /// Whether the caller owns `st` or is root: the test for `chmod`, `utimes` with explicit times.
    pub fn owns(&self, st: &Stat) -> bool {
        self.is_root() || self.uid == st.uid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(kind: FileType, mode: u32, uid: u32, gid: u32) -> Stat {
        Stat {
            ino: 1,
            kind,
            mode,
            uid,
            gid,
            size: 0,
            blocks: 0,
            mtime: 0,
            nlink: 1,
            rdev: None,
        }
    }

    #[test]
    fn root_cannot_execute_a_file_without_x_bits() {
        let f = stat(FileType::File, 0o644, 1000, 1000);
        assert!(Cred::root().may(&f, MAY_READ | MAY_WRITE));
        assert!(!Cred::root().may(&f, MAY_EXEC));
        let d = stat(FileType::Dir, 0o000, 1000, 1000);
        assert!(Cred::root().may(&d, MAY_EXEC | MAY_WRITE));
    }

    #[test]
    fn owner_class_wins_even_when_it_grants_less() {
        let f = stat(FileType::File, 0o077, 1000, 1000);
        assert!(!Cred::user(1000, 1000).may(&f, MAY_READ));
        assert!(Cred::user(1001, 1000).may(&f, MAY_READ));
        assert!(Cred {
            uid: 2,
            gid: 2,
            groups: vec![1000]
        }
        .may(&f, MAY_WRITE));
    }

    #[test]
    fn mode_string_shows_special_bits() {
        assert_eq!(
            stat(FileType::Dir, 0o1777, 0, 0).mode_string(),
            "drwxrwxrwt"
        );
        assert_eq!(
            stat(FileType::File, 0o4644, 0, 0).mode_string(),
            "-rwSr--r--"
        );
        assert_eq!(
            stat(FileType::Symlink, 0o777, 0, 0).mode_string(),
            "lrwxrwxrwx"
        );
    }
}
