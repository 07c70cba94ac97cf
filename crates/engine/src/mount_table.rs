//! A running container's mount table as its processes see it (`/proc/mounts`, BusyBox `mount`
//! and `df`): the overlay root, what runc mounts for Docker's default spec, the container's
//! volumes, binds, tmpfs mounts and Docker's own files, then the masked `/proc` and `/sys` paths.
//! The host disk's size, used and available blocks are the session's storage limit's
//! (`storage.rs`), so `df` agrees with the writes that fail.
//!
//! Emulation note: the host disk (`/dev/vda`, its options), the host memory that sizes
//! a tmpfs without `size=` and the cgroup v1 hierarchies are those of the machine the
//! conformance sessions were recorded on.

use layerbox_fstree::{Content, Meta, NewNode, Store, Tree};

use crate::container::{Container, MountPoint, Status};
use crate::error::EngineError;
use crate::image::Image;
use crate::mount_spec::MountType;
use crate::world::no_such_container;

/// The host disk that volumes, bind sources and Docker's own files live on.
pub const HOST_DISK: &str = "/dev/vda";
/// Its filesystem type.
pub const HOST_DISK_FSTYPE: &str = "ext4";
/// Its mount options after `rw`/`ro`.
pub const HOST_DISK_OPTIONS: &str = "relatime,discard,resv_strict,resuid=65534,resgid=65534";
/// The size of a tmpfs mounted without `size=`: half the host's memory, in KiB.
pub const TMPFS_DEFAULT_KIB: u64 = 12_341_828;
/// The size runc gives `/dev`, `/dev/shm` (and the tmpfs masking `/proc/keys`), in KiB.
const DEV_TMPFS_KIB: u64 = 65_536;

/// The cgroup v1 hierarchies mounted read-only under `/sys/fs/cgroup`, with the option that
/// names each.
const CGROUPS: [(&str, &str); 9] = [
    ("cpu", "cpu"),
    ("cpuacct", "cpuacct"),
    ("cpuset", "cpuset"),
    ("memory", "memory"),
    ("devices", "devices"),
    ("freezer", "freezer"),
    ("blkio", "blkio"),
    ("pids", "pids"),
    ("systemd", "name=systemd"),
];

/// The space `df` shows for a mount, in 1024-byte blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Space {
    pub blocks: u64,
    pub used: u64,
    /// Less than `blocks - used` where blocks are reserved.
    pub avail: u64,
}

impl Space {
    /// An empty memory filesystem of `kib` KiB.
    fn memory(kib: u64) -> Space {
        Space {
            blocks: kib,
            used: 0,
            avail: kib,
        }
    }
}

/// One line of `/proc/mounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountEntry {
    /// The source column: `overlay`, `proc`, `tmpfs`, `/dev/vda`.
    pub source: String,
    /// The mount point as the container sees it.
    pub target: String,
    pub fstype: String,
    /// The options as the kernel shows them: `rw,nosuid,nodev,noexec,relatime`.
    pub options: String,
    /// `None` for filesystems without blocks (`proc`, `sysfs`, `cgroup`, `devpts`, `mqueue`).
    pub space: Option<Space>,
}

impl MountEntry {
    fn new(source: &str, target: &str, fstype: &str, options: &str, space: Option<Space>) -> Self {
        MountEntry {
            source: source.to_string(),
            target: target.to_string(),
            fstype: fstype.to_string(),
            options: options.to_string(),
            space,
        }
    }

    fn disk(target: &str, rw: bool, disk: Space) -> MountEntry {
        MountEntry::new(
            HOST_DISK,
            target,
            HOST_DISK_FSTYPE,
            &format!("{},{HOST_DISK_OPTIONS}", rw_flag(rw)),
            Some(disk),
        )
    }
}

fn rw_flag(rw: bool) -> &'static str {
    if rw {
        "rw"
    } else {
        "ro"
    }
}

/// The container's mount table, in the order the kernel lists it.
///
/// Docker hands runc its default mounts, then the container's own sorted by the depth of their
/// destination (a stable sort of volumes and binds, then `/etc/resolv.conf`, `/etc/hostname`,
/// `/etc/hosts`, then tmpfs mounts: `--tmpfs` before `--mount type=tmpfs`); runc then masks
/// paths of `/proc` and `/sys`. Emulation note: volumes and binds at the same depth come in
/// creation order; Docker takes them from a Go map, so their order varies from run to run.
/// `disk` is the host disk's space, which the overlay root shows too.
pub fn mount_table(container: &Container, image: Option<&Image>, disk: Space) -> Vec<MountEntry> {
    let read_only = container.host_config.read_only;
    let mut table = vec![MountEntry::new(
        "overlay",
        "/",
        "overlay",
        &format!(
            "{},relatime,{}",
            rw_flag(!read_only),
            overlay_dirs(container, image)
        ),
        Some(disk),
    )];
    let proc_opts = |rw: bool| format!("{},nosuid,nodev,noexec,relatime", rw_flag(rw));
    table.push(MountEntry::new(
        "proc",
        "/proc",
        "proc",
        &proc_opts(true),
        None,
    ));
    table.push(MountEntry::new(
        "tmpfs",
        "/dev",
        "tmpfs",
        "rw,nosuid,size=65536k,mode=755",
        Some(Space::memory(DEV_TMPFS_KIB)),
    ));
    table.push(MountEntry::new(
        "devpts",
        "/dev/pts",
        "devpts",
        "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666",
        None,
    ));
    table.push(MountEntry::new(
        "sysfs",
        "/sys",
        "sysfs",
        &proc_opts(false),
        None,
    ));
    table.push(MountEntry::new(
        "tmpfs",
        "/sys/fs/cgroup",
        "tmpfs",
        "rw,nosuid,nodev,noexec,relatime,mode=755",
        Some(Space::memory(TMPFS_DEFAULT_KIB)),
    ));
    for (dir, option) in CGROUPS {
        table.push(MountEntry::new(
            "cgroup",
            &format!("/sys/fs/cgroup/{dir}"),
            "cgroup",
            &format!("{},{option}", proc_opts(false)),
            None,
        ));
    }
    table.push(MountEntry::new(
        "mqueue",
        "/dev/mqueue",
        "mqueue",
        &proc_opts(true),
        None,
    ));
    table.push(MountEntry::new(
        "shm",
        "/dev/shm",
        "tmpfs",
        "rw,nosuid,nodev,noexec,relatime,size=65536k",
        Some(Space::memory(DEV_TMPFS_KIB)),
    ));

    let mut own: Vec<MountEntry> = container
        .mounts
        .iter()
        .filter(|m| m.kind != MountType::Tmpfs)
        .map(|m| MountEntry::disk(&m.destination, m.rw, disk))
        .collect();
    for file in ["resolv.conf", "hostname", "hosts"] {
        own.push(MountEntry::disk(&format!("/etc/{file}"), !read_only, disk));
    }
    let tmpfs = |m: &&MountPoint| m.kind == MountType::Tmpfs;
    let (flag, other): (Vec<&MountPoint>, Vec<&MountPoint>) = container
        .mounts
        .iter()
        .filter(tmpfs)
        .partition(|m| m.origin == crate::container::MountOrigin::TmpfsFlag);
    own.extend(flag.into_iter().chain(other).map(tmpfs_entry));
    // `sort_by_key` is stable, as Go's insertion sort is for the few mounts a container has.
    layerbox_order::sort_by_key(&mut own, |m| m.target.split('/').count());
    table.extend(own);

    for dir in ["bus", "fs", "irq", "sys"] {
        table.push(MountEntry::new(
            "proc",
            &format!("/proc/{dir}"),
            "proc",
            &proc_opts(false),
            None,
        ));
    }
    let masked = |target: &str, options: &str, kib: u64| {
        MountEntry::new("tmpfs", target, "tmpfs", options, Some(Space::memory(kib)))
    };
    table.push(masked("/proc/acpi", "ro,relatime", TMPFS_DEFAULT_KIB));
    for file in ["/proc/keys", "/proc/timer_list"] {
        table.push(masked(
            file,
            "rw,nosuid,size=65536k,mode=755",
            DEV_TMPFS_KIB,
        ));
    }
    table.push(masked("/sys/firmware", "ro,relatime", TMPFS_DEFAULT_KIB));
    table
}

/// A tmpfs mount as the kernel shows it: Docker's `noexec,nosuid,nodev` under the options the
/// user gave, in the kernel's order, `size=` rounded up to pages and shown in KiB, `mode=` unless
/// it is tmpfs's 1777.
fn tmpfs_entry(m: &MountPoint) -> MountEntry {
    let mut rw = m.rw;
    let (mut suid, mut dev, mut exec) = (false, false, false);
    let mut size: Option<u64> = None;
    let (mut mode, mut uid, mut gid) = (None, None, None);
    for option in m.tmpfs_options.split(',').filter(|o| !o.is_empty()) {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        match key {
            "ro" => rw = false,
            "rw" => rw = true,
            "suid" => suid = true,
            "nosuid" => suid = false,
            "dev" => dev = true,
            "nodev" => dev = false,
            "exec" => exec = true,
            "noexec" => exec = false,
            "size" => size = memparse(value),
            "mode" => mode = u32::from_str_radix(value, 8).ok(),
            "uid" => uid = value.parse::<u32>().ok(),
            "gid" => gid = value.parse::<u32>().ok(),
            _ => {}
        }
    }
    let mut options = vec![rw_flag(rw).to_string()];
    for (on, name) in [(suid, "nosuid"), (dev, "nodev"), (exec, "noexec")] {
        if !on {
            options.push(name.to_string());
        }
    }
    options.push("relatime".to_string());
    let kib = size.map(|bytes| bytes.div_ceil(4096) * 4);
    if let Some(kib) = kib {
        options.push(format!("size={kib}k"));
    }
    if let Some(mode) = mode.filter(|m| *m != 0o1777) {
        options.push(format!("mode={mode:03o}"));
    }
    if let Some(uid) = uid.filter(|u| *u != 0) {
        options.push(format!("uid={uid}"));
    }
    if let Some(gid) = gid.filter(|g| *g != 0) {
        options.push(format!("gid={gid}"));
    }
    MountEntry::new(
        "tmpfs",
        &m.destination,
        "tmpfs",
        &options.join(","),
        Some(Space::memory(kib.unwrap_or(TMPFS_DEFAULT_KIB))),
    )
}

/// The kernel's `memparse`: a number with an optional `k`, `m`, `g` or `t` suffix, in bytes.
pub(crate) fn memparse(text: &str) -> Option<u64> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let shift = match &text[digits.len()..] {
        "" => 0,
        "k" | "K" => 10,
        "m" | "M" => 20,
        "g" | "G" => 30,
        "t" | "T" => 40,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

/// overlay2's `lowerdir=...,upperdir=...,workdir=...` for the container: the init layer's link,
/// then the image's layers top first, each a 26-character link name under `l/`, and the
/// container's own directory.
///
/// Emulation note: Docker draws link names at random; here they come from the layers' history
/// (so images that share a base share its links) and the container's id.
fn overlay_dirs(container: &Container, image: Option<&Image>) -> String {
    let root = "/var/lib/docker/overlay2";
    let mut links = vec![link_name(&format!("{}-init", container.id))];
    if let Some(image) = image {
        let mut chain = String::new();
        let mut image_links = Vec::new();
        for row in image.layer_history() {
            chain.push_str(&format!("{}|{}\n", row.created, row.created_by));
            image_links.push(link_name(&chain));
        }
        links.extend(image_links.into_iter().rev());
    }
    let lower: Vec<String> = links.iter().map(|l| format!("{root}/l/{l}")).collect();
    format!(
        "lowerdir={},upperdir={root}/{id}/diff,workdir={root}/{id}/work",
        lower.join(":"),
        id = container.id
    )
}

/// A 26-character base32 name (overlay2's link names) drawn from `seed` by FNV-1a.
fn link_name(seed: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut name = String::with_capacity(26);
    for round in 0..26u64 {
        for byte in seed.bytes().chain(round.to_le_bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        name.push(char::from(ALPHABET[(hash >> 59) as usize]));
    }
    name
}

/// `/proc/mounts`: one `source target fstype options 0 0` line per mount, with space, tab,
/// newline and backslash escaped in octal as the kernel does.
pub fn proc_mounts(table: &[MountEntry]) -> String {
    let escape = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                ' ' => out.push_str("\\040"),
                '\t' => out.push_str("\\011"),
                '\n' => out.push_str("\\012"),
                '\\' => out.push_str("\\134"),
                c => out.push(c),
            }
        }
        out
    };
    table
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {} 0 0\n",
                escape(&m.source),
                escape(&m.target),
                m.fstype,
                m.options
            )
        })
        .collect()
}

/// The container's `/proc` as far as it is modelled: `mounts -> self/mounts`, `self -> 1`,
/// `1/mounts` holding [`proc_mounts`] of `table`, `1/cmdline` the NUL-terminated arguments
/// of the container's process `argv`, and the paths runc masks; read-only.
///
/// Emulation note: every process is pid 1 to `/proc/self`, the other files of procfs are not
/// there, and `mounts` has its content's size where procfs shows 0.
pub fn proc_filesystem(table: &[MountEntry], argv: &[String], now: u64) -> Tree {
    let dir = Meta::new(0o555, 0, 0, now);
    let mut t = Tree::with_root(dir, Default::default());
    // Parents are inserted before their children into a fresh tree, so these cannot fail.
    let _ = t.insert("/1", NewNode::Dir, dir, now);
    let _ = t.insert(
        "/1/mounts",
        NewNode::File(Content::from(proc_mounts(table).as_bytes())),
        Meta::new(0o444, 0, 0, now),
        now,
    );
    let cmdline: Vec<u8> = argv
        .iter()
        .flat_map(|a| a.bytes().chain(std::iter::once(0)))
        .collect();
    let _ = t.insert(
        "/1/cmdline",
        NewNode::File(Content::from(cmdline)),
        Meta::new(0o444, 0, 0, now),
        now,
    );
    // The paths runc masks, so that they are there to be mounted over.
    for masked in ["/acpi", "/bus", "/fs", "/irq", "/sys"] {
        let _ = t.insert(masked, NewNode::Dir, dir, now);
    }
    for masked in ["/keys", "/timer_list"] {
        let empty = NewNode::File(Content::from(&b""[..]));
        let _ = t.insert(masked, empty, Meta::new(0o444, 0, 0, now), now);
    }
    // The machine's numbers (`free`, `top`, `uptime` read them).
    let machine = [
        ("/meminfo", crate::machine::meminfo()),
        ("/uptime", crate::machine::uptime(now)),
    ];
    for (path, text) in machine {
        let file = NewNode::File(Content::from(text.as_bytes()));
        let _ = t.insert(path, file, Meta::new(0o444, 0, 0, now), now);
    }
    let link = Meta::new(0o777, 0, 0, now);
    let _ = t.insert("/self", NewNode::Symlink("1".into()), link, now);
    let _ = t.insert("/mounts", NewNode::Symlink("self/mounts".into()), link, now);
    t
}

impl crate::world::World {
    /// The mount table container `id`'s processes see (`/proc/mounts`, `mount`, `df`).
    pub fn mount_table(&self, id: &str) -> Result<Vec<MountEntry>, EngineError> {
        let container = self
            .containers
            .get(id)
            .ok_or_else(|| no_such_container(id))?;
        let image = self.images.images.get(&container.image_id);
        let disk = self.storage().space();
        let mut table = mount_table(container, image, disk);
        for m in container
            .mounts
            .iter()
            .filter(|m| m.kind == MountType::Volume)
        {
            if let Some(entry) = table.iter_mut().find(|e| e.target == m.destination) {
                self.local_volume_entry(m, entry);
            }
        }
        Ok(table)
    }

    /// The procfs container `id`'s processes see at `/proc`: `None` unless it is running.
    pub fn proc_filesystem(&self, id: &str) -> Result<Option<Tree>, EngineError> {
        match self.containers.get(id) {
            Some(c) if c.state.status == Status::Running => {
                let table = self.mount_table(id)?;
                let argv: Vec<String> = c
                    .config
                    .entrypoint
                    .iter()
                    .chain(&c.config.cmd)
                    .cloned()
                    .collect();
                Ok(Some(proc_filesystem(&table, &argv, self.now())))
            }
            Some(_) => Ok(None),
            None => Err(no_such_container(id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memparse_reads_kernel_suffixes() {
        assert_eq!(memparse("1m"), Some(1 << 20));
        assert_eq!(memparse("64K"), Some(64 << 10));
        assert_eq!(memparse("100"), Some(100));
        assert_eq!(memparse("1x"), None);
    }

    #[test]
    fn link_names_are_26_base32_characters_and_differ_by_seed() {
        let a = link_name("a");
        assert_eq!(a.len(), 26);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        assert_ne!(a, link_name("b"));
    }

    #[test]
    fn proc_mounts_escapes_spaces_in_paths() {
        let table = [MountEntry::new("/dev/vda", "/my dir", "ext4", "rw", None)];
        assert_eq!(proc_mounts(&table), "/dev/vda /my\\040dir ext4 rw 0 0\n");
    }
}
