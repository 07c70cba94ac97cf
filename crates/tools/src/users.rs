//! Id-to-name lookups for one program run (`ls -l`, `stat`, `tar -c` over many files read
//! `/etc/passwd` and `/etc/group` once), over `layerbox_fstree::passwd`.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, Store};

/// The filesystem's account files, read the first time a name is asked for. A program asks
/// about one filesystem only; the files are read as root, as a setuid-free libc reads a
/// world-readable `/etc/passwd`.
#[derive(Default)]
pub struct Names {
    accounts: Option<Accounts>,
    /// The ids asked about so far (BusyBox caches each lookup), and the files whose bad
    /// records those lookups read, in order.
    asked_users: Vec<u32>,
    asked_groups: Vec<u32>,
    bad_records: Vec<&'static str>,
}

impl Names {
    /// The account files of `fs`, read on the first call.
    pub fn accounts(&mut self, fs: &dyn Store) -> &Accounts {
        self.accounts
            .get_or_insert_with(|| Accounts::read(fs, &Cred::root()))
    }

    /// The name of user `uid`, if `/etc/passwd` has one.
    pub fn user(&mut self, fs: &dyn Store, uid: u32) -> Option<String> {
        if !self.asked_users.contains(&uid) {
            self.asked_users.push(uid);
            let bad = self.accounts(fs).bad_records_before_uid(uid);
            self.bad_records
                .extend(std::iter::repeat_n("/etc/passwd", bad));
        }
        self.accounts(fs).getpwuid(uid).map(|p| p.name.clone())
    }

    /// The name of group `gid`, if `/etc/group` has one.
    pub fn group(&mut self, fs: &dyn Store, gid: u32) -> Option<String> {
        if !self.asked_groups.contains(&gid) {
            self.asked_groups.push(gid);
            let bad = self.accounts(fs).bad_records_before_gid(gid);
            self.bad_records
                .extend(std::iter::repeat_n("/etc/group", bad));
        }
        self.accounts(fs).getgrgid(gid).map(|g| g.name.clone())
    }

    /// BusyBox's `PROG: FILE: bad record` messages for what the lookups so far read (its own
    /// passwd parser reports each malformed line it reads; glibc's skips them silently), once.
    pub fn take_bad_records(&mut self, prog: &str) -> String {
        std::mem::take(&mut self.bad_records)
            .into_iter()
            .map(|file| format!("{prog}: {file}: bad record\n"))
            .collect()
    }
}
