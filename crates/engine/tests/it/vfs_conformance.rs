//! vfs's own conformance suite (`vfs::test_vfs!`) over the vfs adapter: a plain tree, a union
//! whose root is a lower-layer directory, and a running `alpine` container; plus the rules
//! the suite does not check (copy-up, `docker diff`, errno mapping, read-only containers).

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use layerbox_engine::vfs_adapter::{VfsContainer, VfsTree, VfsUnion};
use layerbox_engine::world::{CreateRequest, World};
use layerbox_fstree::{ChangeKind, Cred, FileSystem, Layer, Tree, Union};
use vfs::error::VfsErrorKind;
use vfs::FileSystem as _;

/// Logical time of the tree and union suites (2024-06-01T09:00:00Z).
const NOW: u64 = 1_717_232_400;

fn tree_fs() -> VfsTree {
    VfsTree::new(Tree::new(), NOW)
}

/// A union over one read-only layer holding `/etc/motd` and an empty `/vfs-test`, which is
/// vfs's root: every directory the suite makes below it copies `/vfs-test` up first.
fn union_fs() -> VfsUnion {
    let root = Cred::root();
    let mut lower = Tree::new();
    lower.mkdir(&root, "/etc", 0o755, NOW).unwrap();
    lower
        .write_file(&root, "/etc/motd", b"welcome\n", 0o644, NOW)
        .unwrap();
    lower.mkdir(&root, "/vfs-test", 0o755, NOW).unwrap();
    let mut union = Union::new(vec![Arc::new(Layer::from_tree(lower))]);
    union.set_read_only(false);
    VfsUnion::new(union, NOW).with_base("/vfs-test")
}

/// A fresh world with one running `alpine` container; returns the world and its id.
fn alpine(read_only: bool) -> (World, String) {
    let mut world = World::new().expect("a fresh world");
    let id = world
        .create_container(&CreateRequest {
            image: "alpine".into(),
            read_only,
            ..Default::default()
        })
        .expect("create alpine");
    world.start_container(&id).expect("start alpine");
    (world, id)
}

/// vfs's root is a fresh `/vfs-test` in a running `alpine` container (the suite needs an
/// empty root; the container's `/` holds alpine's files).
fn container_fs() -> VfsContainer {
    let (mut world, id) = alpine(false);
    let now = world.now();
    world
        .with_container_fs(&id, false, |fs| {
            fs.mkdir(&Cred::root(), "/vfs-test", 0o755, now)
        })
        .expect("container")
        .expect("mkdir /vfs-test");
    VfsContainer::new(world, &id)
        .expect("container id")
        .with_base("/vfs-test")
}

// vfs's macro is not ours to restyle.
#[allow(clippy::useless_vec)]
mod tree {
    use super::*;
    vfs::test_vfs!(tree_fs());
}

// vfs's macro is not ours to restyle.
#[allow(clippy::useless_vec)]
mod union {
    use super::*;
    vfs::test_vfs!(union_fs());
}

// vfs's macro is not ours to restyle.
#[allow(clippy::useless_vec)]
mod container {
    use super::*;
    vfs::test_vfs!(container_fs());
}

fn read_string(fs: &dyn vfs::FileSystem, path: &str) -> String {
    let mut s = String::new();
    fs.open_file(path)
        .expect("open")
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[test]
fn append_through_vfs_copies_a_lower_file_up_and_docker_diff_shows_it() {
    let (world, id) = alpine(false);
    let fs = VfsContainer::new(world, &id).unwrap();
    let before = read_string(&fs, "/etc/hostname");
    fs.append_file("/etc/motd")
        .unwrap()
        .write_all(b"extra\n")
        .unwrap();
    fs.create_dir("/data").unwrap();
    fs.create_file("/data/new.txt")
        .unwrap()
        .write_all(b"hi")
        .unwrap();
    assert!(read_string(&fs, "/etc/motd").ends_with("extra\n"));
    assert_eq!(read_string(&fs, "/etc/hostname"), before);
    let changes = fs.with_backend(|b| b.world.diff(&b.id).unwrap());
    let shown: Vec<(ChangeKind, &str)> = changes.iter().map(|c| (c.kind, &*c.path)).collect();
    assert!(
        shown.contains(&(ChangeKind::Modify, "/etc/motd")),
        "{shown:?}"
    );
    assert!(
        shown.contains(&(ChangeKind::Add, "/data/new.txt")),
        "{shown:?}"
    );
}

#[test]
fn removing_an_image_file_through_vfs_hides_it_and_docker_diff_says_deleted() {
    let (world, id) = alpine(false);
    let fs = VfsContainer::new(world, &id).unwrap();
    assert!(fs.exists("/etc/motd").unwrap());
    fs.remove_file("/etc/motd").unwrap();
    assert!(!fs.exists("/etc/motd").unwrap());
    assert!(!fs.read_dir("/etc").unwrap().any(|name| name == "motd"));
    let changes = fs.with_backend(|b| b.world.diff(&b.id).unwrap());
    assert!(changes
        .iter()
        .any(|c| c.kind == ChangeKind::Delete && c.path == "/etc/motd"));
}

#[test]
fn errnos_map_to_vfs_error_kinds() {
    let fs = tree_fs();
    let kind = |r: vfs::VfsResult<()>| format!("{:?}", r.unwrap_err().kind());
    assert_eq!(kind(fs.metadata("/nope").map(drop)), "FileNotFound");
    fs.create_dir("/d").unwrap();
    drop(fs.create_file("/f").unwrap());
    assert!(matches!(
        fs.create_dir("/d").unwrap_err().kind(),
        VfsErrorKind::DirectoryExists
    ));
    assert!(matches!(
        fs.create_dir("/f").unwrap_err().kind(),
        VfsErrorKind::FileExists
    ));
    assert_eq!(kind(fs.remove_dir("/f")), "Other(\"Not a directory\")");
    assert_eq!(kind(fs.remove_file("/d")), "Other(\"Is a directory\")");
    assert_eq!(
        kind(fs.open_file("/d").map(drop)),
        "Other(\"Is a directory\")"
    );
    assert_eq!(
        kind(fs.remove_dir("")),
        "Other(\"Device or resource busy\")"
    );
    fs.create_file("/d/x").unwrap();
    assert_eq!(kind(fs.remove_dir("/d")), "Other(\"Directory not empty\")");
}

#[test]
fn a_read_only_container_refuses_writes_with_erofs() {
    let (world, id) = alpine(true);
    let fs = VfsContainer::new(world, &id).unwrap();
    assert!(!read_string(&fs, "/etc/motd").is_empty());
    let err = fs.create_file("/etc/new").map(drop).unwrap_err();
    assert_eq!(
        format!("{:?}", err.kind()),
        "Other(\"Read-only file system\")"
    );
    let err = fs.append_file("/etc/motd").map(drop).unwrap_err();
    assert_eq!(
        format!("{:?}", err.kind()),
        "Other(\"Read-only file system\")"
    );
}

#[test]
fn whole_second_modification_times_round_trip_and_finer_ones_are_not_supported() {
    let fs = tree_fs();
    drop(fs.create_file("/f").unwrap());
    assert_eq!(
        fs.metadata("/f").unwrap().modified,
        Some(UNIX_EPOCH + Duration::from_secs(NOW))
    );
    let t = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs.set_modification_time("/f", t).unwrap();
    assert_eq!(fs.metadata("/f").unwrap().modified, Some(t));
    let fine = t + Duration::from_millis(1);
    assert!(matches!(
        fs.set_modification_time("/f", fine).unwrap_err().kind(),
        VfsErrorKind::NotSupported
    ));
    assert!(matches!(
        fs.set_creation_time("/f", SystemTime::now())
            .unwrap_err()
            .kind(),
        VfsErrorKind::NotSupported
    ));
}

#[test]
fn an_append_writer_flushes_each_batch_once_and_ignores_seeks() {
    use std::io::{Seek, SeekFrom};
    let fs = tree_fs();
    fs.create_file("/log").unwrap().write_all(b"a").unwrap();
    let mut w = fs.append_file("/log").unwrap();
    w.write_all(b"b").unwrap();
    w.flush().unwrap();
    assert_eq!(read_string(&fs, "/log"), "ab");
    assert_eq!(w.seek(SeekFrom::Start(0)).unwrap(), 0);
    w.write_all(b"c").unwrap();
    w.flush().unwrap();
    w.flush().unwrap();
    drop(w);
    assert_eq!(read_string(&fs, "/log"), "abc");
}

#[test]
fn copy_file_shares_the_source_bytes() {
    let fs = union_fs();
    fs.create_file("/a").unwrap().write_all(b"hello").unwrap();
    fs.copy_file("/a", "/b").unwrap();
    assert_eq!(read_string(&fs, "/b"), "hello");
    assert!(matches!(
        fs.copy_file("/a", "/b").unwrap_err().kind(),
        VfsErrorKind::FileExists
    ));
    assert!(matches!(
        fs.copy_file("/missing", "/c").unwrap_err().kind(),
        VfsErrorKind::FileNotFound
    ));
}
