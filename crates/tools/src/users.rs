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
}

impl Names {
    /// The account files of `fs`, read on the first call.
    pub fn accounts(&mut self, fs: &dyn Store) -> &Accounts {
        self.accounts
            .get_or_insert_with(|| Accounts::read(fs, &Cred::root()))
    }

    /// The name of user `uid`, if `/etc/passwd` has one.
    pub fn user(&mut self, fs: &dyn Store, uid: u32) -> Option<String> {
        self.accounts(fs).getpwuid(uid).map(|p| p.name.clone())
    }

    /// The name of group `gid`, if `/etc/group` has one.
    pub fn group(&mut self, fs: &dyn Store, gid: u32) -> Option<String> {
        self.accounts(fs).getgrgid(gid).map(|g| g.name.clone())
    }
}
