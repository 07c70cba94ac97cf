//! Rules specific to a plain `Tree`: limits, link counts, JSON form, errno texts.

use layerbox_fstree::{Cred, Errno, FileSystem, Limits, Meta, Pool, Store, Tree};

use crate::fixture::root;

#[test]
fn limits_turn_growth_into_enospc() {
    let mut t = Tree::with_root(
        Meta::default(),
        Limits {
            max_file_size: 4,
            max_total_bytes: 6,
            max_entries: 4,
        },
    );
    assert_eq!(
        t.write_file(&root(), "/a", b"12345", 0o644, 1),
        Err(Errno::ENOSPC)
    );
    t.write_file(&root(), "/a", b"1234", 0o644, 1).unwrap();
    assert_eq!(
        t.append_file(&root(), "/a", b"5", 0o644, 1),
        Err(Errno::ENOSPC)
    );
    assert_eq!(
        t.write_file(&root(), "/b", b"123", 0o644, 1),
        Err(Errno::ENOSPC)
    );
    t.write_file(&root(), "/b", b"12", 0o644, 1).unwrap();
    t.mkdir(&root(), "/d", 0o755, 1).unwrap();
    assert_eq!(t.mkdir(&root(), "/e", 0o755, 1), Err(Errno::ENOSPC));
    assert_eq!(t.total_bytes(), 6);
    t.unlink(&root(), "/a", 2).unwrap();
    assert_eq!(t.total_bytes(), 2);
    t.mkdir(&root(), "/e", 0o755, 1).unwrap();
}

#[test]
fn trees_sharing_a_pool_fill_up_together_and_free_into_it() {
    let pool = Pool::new(10);
    let mut a = Tree::new();
    let mut b = Tree::tmpfs(Meta::default(), Limits::default());
    a.set_pool(Some(pool.clone()));
    a.write_file(&root(), "/f", b"123456", 0o644, 1).unwrap();
    assert_eq!(pool.free(), 4);
    // What one tree took, the other cannot: a tmpfs takes whole pages.
    b.set_pool(Some(pool.clone()));
    assert_eq!(
        b.write_file(&root(), "/g", b"1", 0o644, 1),
        Err(Errno::ENOSPC)
    );
    assert_eq!(a.room("/f"), Some(4));
    assert_eq!(
        a.append_file(&root(), "/f", b"12345", 0o644, 1),
        Err(Errno::ENOSPC)
    );
    a.append_file(&root(), "/f", b"1234", 0o644, 1).unwrap();
    assert_eq!((pool.free(), a.room("/f")), (0, Some(0)));
    // A file shrunk or removed gives its bytes back; without a pool only the tree's limits hold.
    a.write_file(&root(), "/f", b"12", 0o644, 1).unwrap();
    assert_eq!(pool.free(), 8);
    a.unlink(&root(), "/f", 2).unwrap();
    assert_eq!(pool.free(), 10);
    b.set_pool(None);
    b.write_file(&root(), "/g", &[0; 8192], 0o644, 1).unwrap();
    assert_eq!(pool.free(), 10);
}

#[test]
fn directory_link_count_is_two_plus_subdirectories() {
    let mut t = Tree::new();
    t.mkdir_all(&root(), "/a/b", 0o755, 1).unwrap();
    t.mkdir(&root(), "/a/c", 0o755, 1).unwrap();
    t.write_file(&root(), "/a/f", b"", 0o644, 1).unwrap();
    assert_eq!(t.stat(&root(), "/a").unwrap().nlink, 4);
    t.rename(&root(), "/a/c", "/c", 1).unwrap();
    assert_eq!(t.stat(&root(), "/a").unwrap().nlink, 3);
    assert_eq!(t.stat(&root(), "/").unwrap().nlink, 4);
}

#[test]
fn creating_updates_the_parent_mtime() {
    let mut t = Tree::new();
    t.mkdir(&root(), "/d", 0o755, 1).unwrap();
    t.write_file(&root(), "/d/f", b"", 0o644, 7).unwrap();
    assert_eq!(t.stat(&root(), "/d").unwrap().mtime, 7);
    t.unlink(&root(), "/d/f", 9).unwrap();
    assert_eq!(t.stat(&root(), "/d").unwrap().mtime, 9);
}

#[test]
fn setgid_directory_hands_down_its_group() {
    let mut t = Tree::new();
    t.mkdir(&root(), "/shared", 0o2777, 1).unwrap();
    t.chown(&root(), "/shared", None, Some(50)).unwrap();
    let alice = crate::fixture::alice();
    t.write_file(&alice, "/shared/f", b"", 0o644, 1).unwrap();
    t.mkdir(&alice, "/shared/d", 0o755, 1).unwrap();
    assert_eq!(t.stat(&alice, "/shared/f").unwrap().gid, 50);
    assert_eq!(t.stat(&alice, "/shared/d").unwrap().mode, 0o2755);
}

#[test]
fn json_round_trips_exactly() {
    let mut t = crate::fixture::tree();
    t.write_file(&root(), "/bin.dat", &[0xff, 0, 1], 0o644, 3)
        .unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.starts_with("{\"version\":1,"));
    let back: Tree = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert_eq!(crate::fixture::listing(&back), crate::fixture::listing(&t));
    assert_eq!(back.stat(&root(), "/usr/bin/dir").unwrap().nlink, 2);
    assert_eq!(back.total_bytes(), t.total_bytes());
}

#[test]
fn a_file_of_zeros_is_written_as_its_length_not_its_bytes() {
    let mut t = Tree::new();
    t.write_file(&root(), "/zeros", &vec![0u8; 8 << 20], 0o644, 3)
        .unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains("\"zeros\":8388608"), "{json}");
    assert!(json.len() < 1000, "{} bytes of JSON", json.len());
    let back: Tree = serde_json::from_str(&json).unwrap();
    assert_eq!(back.read_file(&root(), "/zeros").unwrap().len(), 8 << 20);
    assert_eq!(back.total_bytes(), t.total_bytes());
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn json_with_broken_structure_is_rejected_not_loaded() {
    let base = r#"{"version":1,"root":1,"next_ino":3,"limits":{"max_file_size":9,"max_total_bytes":9,"max_entries":9},"inodes":"#;
    let dir = |ino: u64, entries: &str| {
        format!(
            r#"{{"ino":{ino},"type":"dir","mode":493,"uid":0,"gid":0,"mtime":0,"entries":{entries}}}"#
        )
    };
    for (why, inodes) in [
        (
            "cycle",
            format!("[{},{}]", dir(1, r#"{"a":2}"#), dir(2, r#"{"up":1}"#)),
        ),
        (
            "two parents",
            format!("[{},{}]", dir(1, r#"{"a":2,"b":2}"#), dir(2, "{}")),
        ),
        ("dangling", format!("[{}]", dir(1, r#"{"a":7}"#))),
        (
            "unreachable",
            format!("[{},{}]", dir(1, "{}"), dir(2, "{}")),
        ),
        (
            "bad name",
            format!("[{},{}]", dir(1, r#"{"a/b":2}"#), dir(2, "{}")),
        ),
        ("no root", "[]".to_string()),
    ] {
        assert!(
            serde_json::from_str::<Tree>(&format!("{base}{inodes}}}")).is_err(),
            "{why}"
        );
    }
    assert!(serde_json::from_str::<Tree>(&format!("{base}[{}]}}", dir(1, "{}"))).is_ok());
    assert!(serde_json::from_str::<Tree>(&format!(
        "{}[{}]}}",
        base.replace("1,", "2,"),
        dir(1, "{}")
    ))
    .is_err());
}

#[test]
fn errno_texts_are_glibcs() {
    assert_eq!(Errno::ENOENT.to_string(), "No such file or directory");
    assert_eq!(Errno::EXDEV.strerror(), "Invalid cross-device link");
    assert_eq!(Errno::ENAMETOOLONG.name(), "ENAMETOOLONG");
}

#[test]
fn diff_size_counts_symlink_targets_and_hard_links_once_like_overlay2() {
    let mut t = Tree::new();
    t.mkdir(&root(), "/log", 0o755, 1).unwrap();
    t.write_file(&root(), "/log/app.conf", b"12345", 0o644, 1)
        .unwrap();
    t.link(&root(), "/log/app.conf", "/log/again.conf", 1)
        .unwrap();
    t.symlink(&root(), "/dev/stdout", "/log/access.log", 1)
        .unwrap();
    // moby's directory.Size: 5 bytes of the file once, 11 of the symlink's target.
    assert_eq!(t.diff_size(), 16);
    assert_eq!(t.total_bytes(), 5);
}

#[test]
fn device_nodes_read_and_write_as_their_devices() {
    use layerbox_fstree::{Device, FileType, NewNode};
    let mut t = Tree::tmpfs(Meta::new(0o755, 0, 0, 0), Default::default());
    for d in [
        Device::Null,
        Device::Zero,
        Device::Full,
        Device::Urandom,
        Device::Tty,
    ] {
        let path = format!("/{}", d.name());
        t.insert(&path, NewNode::Device(d), Meta::new(0o666, 0, 0, 0), 0)
            .unwrap();
    }
    let user = Cred::user(1000, 1000);
    let st = t.stat(&user, "/zero").unwrap();
    assert_eq!(
        (st.kind, st.rdev, st.size),
        (FileType::CharDev, Some(Device::Zero), 0)
    );
    assert_eq!(
        t.read_file_max(&user, "/zero", 4).unwrap().to_vec(),
        vec![0; 4]
    );
    assert_eq!(t.read_file(&user, "/null").unwrap().len(), 0);
    assert_eq!(t.read_file_max(&user, "/urandom", 16).unwrap().len(), 16);
    // Opening is not writing: only the write to /dev/full fails.
    assert_eq!(t.write_file(&user, "/full", b"", 0o644, 1), Ok(()));
    assert_eq!(
        t.append_file(&user, "/full", b"x", 0o644, 1),
        Err(Errno::ENOSPC)
    );
    assert_eq!(t.write_file(&user, "/null", b"x", 0o644, 1), Ok(()));
    assert_eq!(
        t.write_file(&user, "/tty", b"", 0o644, 1),
        Err(Errno::ENXIO)
    );
    assert_eq!(t.read_file(&user, "/tty"), Err(Errno::ENXIO));
    // Writes to a device change nothing.
    assert_eq!(t.read_file(&user, "/null").unwrap().len(), 0);
}

#[test]
fn a_tmpfs_counts_whole_pages_and_says_how_much_room_a_file_has() {
    let limits = Limits {
        max_file_size: 8192,
        max_total_bytes: 8192,
        ..Default::default()
    };
    let mut t = Tree::tmpfs(Meta::new(0o1777, 0, 0, 0), limits);
    t.write_file(&root(), "/a", &[0; 4000], 0o644, 1).unwrap();
    t.write_file(&root(), "/b", &[0; 4000], 0o644, 1).unwrap();
    // Two pages are taken: a third file cannot hold a byte.
    assert_eq!(
        t.write_file(&root(), "/c", &[0; 1], 0o644, 1),
        Err(Errno::ENOSPC)
    );
    assert_eq!(t.room_at(&root(), "/a"), Some(96));
    t.write_file(&root(), "/c", b"", 0o644, 1).unwrap();
    assert_eq!(t.room_at(&root(), "/c"), Some(0));
    assert_eq!(t.room_at(&root(), "/nosuch"), None);
}
