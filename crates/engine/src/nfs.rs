//! The simulated file server's NFS side: the export a `docker volume create --opt type=nfs`
//! volume mounts, which `addr=` values reach it, and what a mount that fails answers, as
//! moby 20.10's local driver (`volume/local/local_unix.go`) and the kernel's NFS client do.
//!
//! The file server is the machine behind the host's network share: the host mounts its
//! directory over SMB/CIFS at [`SHARE_MOUNT`], and the server exports the same directory over
//! NFS as [`EXPORT`] (`/export *(rw,sync,no_subtree_check,no_root_squash)` in its
//! `/etc/exports`), so a file a container writes into an NFS volume is the file the host sees
//! below `/mnt/share`, and every container that mounts the volume sees the same files.
//!
//! Addresses, on the host's network `10.0.2.0/24` (the recording machine's, whose resolver is
//! `10.0.2.3`):
//! - [`SERVER_ADDR`] (`10.0.2.20`) is the file server; the name [`SERVER_NAME`]
//!   (`fileserver`) resolves to it;
//! - the Docker host itself (`127.0.0.0/8`, `localhost`, [`HOST_ADDR`], the bridge's
//!   `172.17.0.1`, the name `docker-host`) runs no NFS server: `connection refused`;
//! - any other address of `10.0.2.0/24` or `172.17.0.0/16` answers no ARP: `no route to host`;
//! - any other IPv4 address is silent: `connection timed out`;
//! - any other name does not resolve (moby resolves it before mounting, with Go's resolver).
//!
//! Emulation note: the kernel of the machine layerbox is recorded on has no NFS client, so
//! nothing here could be recorded: it follows moby's source, the kernel's NFS client
//! (`fs/nfs/fs_context.c`: the options it shows in `/proc/mounts`, `EINVAL` for a device that
//! is not `host:path` and for no `addr=`) and reports of these errors from Docker users.
//! Of the NFS options, only those listed in [`DATA_OPTIONS`] and the mount flags of
//! [`FLAGS`] are modelled; another says it is not modelled. The server answers NFSv3 and
//! NFSv4 alike; a `vers=4` mount shows the NFSv4 options.

use layerbox_fstree::{Attr, Content, DirEntry, Errno, FsResult, Meta, NewNode, Stat, Store, Tree};

use crate::host::{NetworkShare, SHARE_MOUNT};
use crate::mount_table::Space;

/// The file server's address on the host's network.
pub const SERVER_ADDR: &str = "10.0.2.20";
/// The file server's name, which the network's DNS resolves to [`SERVER_ADDR`].
pub const SERVER_NAME: &str = "fileserver";
/// The directory the file server exports over NFS: the share's root.
pub const EXPORT: &str = "/export";
/// The Docker host's own address on that network.
pub const HOST_ADDR: &str = "10.0.2.15";
/// The resolver Go's lookups name in their errors (the host's `/etc/resolv.conf`).
const RESOLVER: &str = "10.0.2.3:53";
/// The port the server's `rpc.mountd` listens on (nfs-utils' usual fixed port).
const MOUNTD_PORT: u32 = 20048;
/// The server's disk, as `df` shows an NFS mount of it: 1 TiB in 1024-byte blocks.
const SERVER_DISK_KIB: u64 = 1 << 30;

/// The mount flags moby's `parseOptions` takes out of `o=` (`moby/sys/mount`), with their
/// `MS_*` value and whether the word clears it, that layerbox models for NFS.
pub const FLAGS: [(&str, u32, bool); 9] = [
    ("ro", 0x1, false),
    ("rw", 0x1, true),
    ("nosuid", 0x2, false),
    ("nodev", 0x4, false),
    ("noexec", 0x8, false),
    ("noatime", 0x400, false),
    ("atime", 0x400, true),
    ("relatime", 0x20_0000, false),
    ("norelatime", 0x20_0000, true),
];

/// The NFS options (passed to the kernel as the mount's data) that layerbox models.
pub const DATA_OPTIONS: [&str; 10] = [
    "addr", "vers", "nfsvers", "soft", "hard", "nolock", "lock", "proto", "timeo", "retrans",
];

/// How a mount of an NFS volume failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NfsError {
    /// moby's lookup of a name given as `addr=` failed: its whole message.
    Resolve(String),
    /// mount(2) failed: the flags and data moby passed, and the errno's Go text.
    Mount {
        flags: u32,
        data: String,
        errno: String,
    },
    /// An option layerbox does not model: what to name in `layerbox: … is not modelled`.
    NotModelled(String),
}

/// A mount of an NFS volume that succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NfsMount {
    /// The exported directory mounted, as a path of the share's tree (`/` = [`EXPORT`]).
    pub root: String,
    /// The server's address the mount went to.
    pub addr: String,
    pub read_only: bool,
    /// The options `/proc/mounts` shows after `rw`/`ro`.
    pub shown: String,
    /// `nfs` or, for `vers=4`, `nfs4`.
    pub fstype: String,
}

/// moby/sys `parseOptions`: the mount flags `o=` names, and the rest joined as the data.
fn parse_options(o: &str) -> Result<(u32, Vec<String>), NfsError> {
    let mut flags = 0u32;
    let mut data = Vec::new();
    for word in o.split(',') {
        if let Some((_, bit, clear)) = FLAGS.iter().find(|(name, ..)| *name == word) {
            if *clear {
                flags &= !bit;
            } else {
                flags |= bit;
            }
            continue;
        }
        let key = word.split_once('=').map_or(word, |(k, _)| k);
        if !word.is_empty() && !DATA_OPTIONS.contains(&key) {
            return Err(NfsError::NotModelled(format!(
                "the NFS mount option {word}"
            )));
        }
        data.push(word.to_string());
    }
    Ok((flags, data))
}

/// Go's `net.ParseIP(s).To4() != nil` for the dotted forms: four decimal bytes.
fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// moby's resolution of a name given as `addr=` (Go's `net.ResolveIPAddr("ip", name)`):
/// the host's `/etc/hosts`, then the network's DNS.
fn resolve(name: &str) -> Result<String, NfsError> {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix('.').unwrap_or(&lower);
    match lower {
        "localhost" => Ok("127.0.0.1".into()),
        "docker-host" => Ok("127.0.1.1".into()),
        n if n == SERVER_NAME => Ok(SERVER_ADDR.into()),
        _ if name.contains(':') => Err(NfsError::NotModelled("an IPv6 NFS address".into())),
        _ => Err(NfsError::Resolve(format!(
            "error resolving passed in nfs address: lookup {name} on {RESOLVER}: no such host"
        ))),
    }
}

/// What connecting to `addr`'s NFS server answers: `None` when it is the file server.
fn unreachable(addr: &str) -> Option<&'static str> {
    let octets: Vec<u8> = addr.split('.').filter_map(|p| p.parse().ok()).collect();
    match octets.as_slice() {
        _ if addr == SERVER_ADDR => None,
        [127, ..] => Some("connection refused"),
        _ if addr == HOST_ADDR || addr == "172.17.0.1" => Some("connection refused"),
        [10, 0, 2, _] | [172, 17, ..] => Some("no route to host"),
        _ => Some("connection timed out"),
    }
}

/// Mounts NFS volume `device` with options `o` over the server's tree `share`, as the local
/// driver does at a container's start.
pub fn mount(device: &str, o: &str, share: &Tree) -> Result<NfsMount, NfsError> {
    // moby resolves a name before it parses anything else.
    let mut o = o.to_string();
    if let Some(addr) = o
        .split(',')
        .find_map(|w| w.strip_prefix("addr="))
        .map(str::to_string)
    {
        if !addr.is_empty() && !is_ipv4(&addr) {
            let ip = resolve(&addr)?;
            o = o.replacen(&format!("addr={addr}"), &format!("addr={ip}"), 1);
        }
    }
    let (flags, data) = parse_options(&o)?;
    let failed = |errno: &str| NfsError::Mount {
        flags,
        data: data.join(","),
        errno: errno.to_string(),
    };
    let value = |key: &str| {
        data.iter()
            .rev()
            .find_map(|w| w.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
    };
    // The kernel's parse: a `host:path` device, an address, a version it knows.
    let Some((_, path)) = device.split_once(':') else {
        return Err(failed("invalid argument"));
    };
    let addr = match value("addr") {
        Some(a) if is_ipv4(a) => a.to_string(),
        _ => return Err(failed("invalid argument")),
    };
    let vers = value("vers").or_else(|| value("nfsvers")).unwrap_or("3");
    let v4 = match vers {
        "3" => None,
        "4" | "4.2" => Some("4.2"),
        "4.0" | "4.1" => Some(vers),
        "2" => return Err(NfsError::NotModelled("NFS version 2".into())),
        _ => return Err(failed("invalid argument")),
    };
    let numeric = |key: &str, default: u32| match value(key) {
        None => Ok(default),
        Some(v) => v.parse::<u32>().map_err(|_| failed("invalid argument")),
    };
    let timeo = numeric("timeo", 600)?;
    let retrans = numeric("retrans", 2)?;
    if value("proto").is_some_and(|p| p != "tcp") {
        return Err(NfsError::NotModelled(format!(
            "the NFS transport {}",
            value("proto").unwrap_or("")
        )));
    }
    if let Some(errno) = unreachable(&addr) {
        return Err(failed(errno));
    }
    // The server's mountd: only paths at or below the export.
    let Ok(path) = layerbox_fstree::path::normalize(path) else {
        return Err(failed("invalid argument"));
    };
    let Some(root) = crate::routing::below(&path, EXPORT) else {
        return Err(failed("permission denied"));
    };
    match share.node(&root) {
        None => return Err(failed("no such file or directory")),
        Some(st) if !st.is_dir() => return Err(failed("not a directory")),
        Some(_) => {}
    }
    let soft = data.iter().rev().find(|w| *w == "soft" || *w == "hard");
    let nolock = data.iter().rev().find(|w| *w == "nolock" || *w == "lock");
    let mut shown = Vec::new();
    for (word, bit) in [("nosuid", 0x2), ("nodev", 0x4), ("noexec", 0x8)] {
        if flags & bit != 0 {
            shown.push(word.to_string());
        }
    }
    shown.push(
        if flags & 0x400 != 0 {
            "noatime"
        } else {
            "relatime"
        }
        .into(),
    );
    shown.push(format!("vers={}", v4.unwrap_or("3")));
    shown.push("rsize=1048576,wsize=1048576,namlen=255".into());
    shown.push(
        if soft.is_some_and(|w| w == "soft") {
            "soft"
        } else {
            "hard"
        }
        .into(),
    );
    shown.push(format!("proto=tcp,timeo={timeo},retrans={retrans},sec=sys"));
    let lock = if nolock.is_some_and(|w| w == "nolock") && v4.is_none() {
        "all"
    } else {
        "none"
    };
    match v4 {
        None => shown.push(format!(
            "mountaddr={addr},mountvers=3,mountport={MOUNTD_PORT},mountproto=tcp,local_lock={lock},addr={addr}"
        )),
        Some(_) => shown.push(format!("clientaddr={HOST_ADDR},local_lock={lock},addr={addr}")),
    }
    Ok(NfsMount {
        root,
        addr,
        read_only: flags & 0x1 != 0,
        shown: shown.join(","),
        fstype: if v4.is_some() { "nfs4" } else { "nfs" }.into(),
    })
}

/// The space `df` shows for an NFS mount of the server: its disk, what the share holds used.
pub fn space(share: &Tree) -> Space {
    let used = share.blocks() / 2;
    Space {
        blocks: SERVER_DISK_KIB,
        used,
        avail: SERVER_DISK_KIB.saturating_sub(used),
    }
}

/// Where the host sees a path of an NFS mount rooted at `root` (the share's tree): below
/// [`SHARE_MOUNT`].
pub fn host_path(root: &str) -> String {
    crate::host::rebase(SHARE_MOUNT, root)
}

/// The share's tree as the NFS server serves it: every operation a round trip (the share's
/// latency, as a bind of the share counts it), and hard links, symbolic links, `chmod` and
/// `chown` work, since NFS has them (the SMB view of the same tree, [`crate::host::Host`],
/// refuses them). With `no_root_squash`, root in a container acts as root on the server.
impl Store for NetworkShare {
    fn child_node(&self, dir: &str, at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        self.charge();
        self.tree.child_node(dir, at, name)
    }
    fn node(&self, p: &str) -> Option<Stat> {
        self.charge();
        self.tree.node(p)
    }
    fn entries(&self, p: &str) -> FsResult<Vec<DirEntry>> {
        self.charge();
        self.tree.entries(p)
    }
    fn content(&self, p: &str) -> FsResult<Content> {
        self.charge();
        self.tree.content(p)
    }
    fn link_target(&self, p: &str) -> FsResult<String> {
        self.tree.link_target(p)
    }
    fn room(&self, p: &str) -> Option<u64> {
        self.tree.room(p)
    }
    fn insert(&mut self, p: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        self.charge();
        self.tree.insert(p, node, meta, now)
    }
    fn delete(&mut self, p: &str, now: u64) -> FsResult<()> {
        if p == "/" {
            return Err(Errno::EBUSY);
        }
        self.charge();
        self.tree.delete(p, now)
    }
    fn replace_content(&mut self, p: &str, content: Content, now: u64) -> FsResult<()> {
        self.charge();
        self.tree.replace_content(p, content, now)
    }
    fn append_content(&mut self, p: &str, data: &[u8], now: u64) -> FsResult<()> {
        self.charge();
        self.tree.append_content(p, data, now)
    }
    fn set_attr(&mut self, p: &str, attr: Attr) -> FsResult<()> {
        self.charge();
        self.tree.set_attr(p, attr)
    }
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.charge();
        self.tree.move_node(from, to, now)
    }
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.charge();
        self.tree.add_link(from, to, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share() -> Tree {
        let mut t = Tree::with_root(Meta::new(0o755, 1000, 1000, 0), Default::default());
        let _ = t.insert("/web", NewNode::Dir, Meta::new(0o755, 1000, 1000, 0), 0);
        t
    }

    fn errno(r: Result<NfsMount, NfsError>) -> String {
        match r {
            Err(NfsError::Mount { errno, .. }) => errno,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_server_mounts_its_export_and_below() {
        let m = mount(":/export", "addr=10.0.2.20,rw", &share()).expect("mounts");
        assert_eq!((m.root.as_str(), m.read_only), ("/", false));
        assert!(
            m.shown.starts_with("relatime,vers=3,rsize=1048576"),
            "{}",
            m.shown
        );
        assert!(m
            .shown
            .ends_with("mountproto=tcp,local_lock=none,addr=10.0.2.20"));
        let m = mount("fileserver:/export/web", "addr=fileserver,ro", &share()).expect("web");
        assert_eq!((m.root.as_str(), m.read_only), ("/web", true));
        let m = mount(":/export", "addr=10.0.2.20,vers=4", &share()).expect("v4");
        assert_eq!(m.fstype, "nfs4");
        assert!(m.shown.contains("vers=4.2,") && m.shown.contains("clientaddr=10.0.2.15"));
    }

    #[test]
    fn unreachable_addresses_fail_as_the_kernel_reports() {
        let t = share();
        assert_eq!(
            errno(mount(":/export", "addr=127.0.0.1", &t)),
            "connection refused"
        );
        assert_eq!(
            errno(mount(":/export", "addr=localhost", &t)),
            "connection refused"
        );
        assert_eq!(
            errno(mount(":/export", "addr=10.0.2.99", &t)),
            "no route to host"
        );
        assert_eq!(
            errno(mount(":/export", "addr=192.0.2.1", &t)),
            "connection timed out"
        );
        assert_eq!(errno(mount(":/export", "rw", &t)), "invalid argument");
        assert_eq!(
            errno(mount("/export", "addr=10.0.2.20", &t)),
            "invalid argument"
        );
        assert_eq!(
            errno(mount(":/srv", "addr=10.0.2.20", &t)),
            "permission denied"
        );
        assert_eq!(
            errno(mount(":/export/nope", "addr=10.0.2.20", &t)),
            "no such file or directory"
        );
        assert_eq!(
            mount(":/export", "addr=nas.lan,rw", &t),
            Err(NfsError::Resolve(
                "error resolving passed in nfs address: lookup nas.lan on 10.0.2.3:53: no such host"
                    .into()
            ))
        );
        assert_eq!(
            mount(":/export", "addr=10.0.2.20,nconnect=8", &t),
            Err(NfsError::NotModelled(
                "the NFS mount option nconnect=8".into()
            ))
        );
    }

    #[test]
    fn flags_leave_the_data_as_moby_passes_it() {
        let r = mount(":/export", "addr=10.0.2.99,rw,noatime,nolock", &share());
        assert_eq!(
            r,
            Err(NfsError::Mount {
                flags: 0x400,
                data: "addr=10.0.2.99,nolock".into(),
                errno: "no route to host".into()
            })
        );
    }
}
