//! Overlayfs rules of `Union`: lookup, copy-up, whiteouts, opaque dirs, EXDEV, events,
//! provenance, `docker diff`, commit and the OCI layer form.

use std::sync::Arc;

use layerbox_fstree::{
    Backing, Change, ChangeKind, Errno, Event, FileSystem, FileType, HiddenBy, Layer, Limits,
    OciEntry, OciKind, Store, Tree, Union,
};

use crate::fixture::root;

/// A layer built by running `f` on an empty tree.
fn layer(f: impl FnOnce(&mut Tree)) -> Arc<Layer> {
    let mut t = Tree::new();
    f(&mut t);
    Arc::new(Layer::from_tree(t))
}

fn file(t: &mut dyn Store, p: &str, text: &str) {
    let parent = layerbox_fstree::path::split(p).unwrap().0;
    t.mkdir_all(&root(), parent, 0o755, 1).unwrap();
    t.write_file(&root(), p, text.as_bytes(), 0o644, 1).unwrap();
}

/// A base image: /etc/{hostname,passwd,foo/{a,b}}, /usr/local/bin/x, /data (dir) and a
/// hard-linked pair /bin/{ls,dir}.
fn image() -> Union {
    let base = layer(|t| {
        file(t, "/etc/hostname", "box\n");
        file(t, "/etc/passwd", "root\n");
        file(t, "/etc/foo/a", "a");
        file(t, "/etc/foo/b", "b");
        file(t, "/usr/local/bin/x", "x");
        file(t, "/bin/ls", "ELF");
        t.link(&root(), "/bin/ls", "/bin/dir", 1).unwrap();
        t.mkdir(&root(), "/data", 0o755, 1).unwrap();
        t.chown(&root(), "/etc/passwd", Some(3), Some(4)).unwrap();
        t.chmod(&root(), "/etc/passwd", 0o640).unwrap();
    });
    Union::new(vec![base])
}

fn diff(u: &Union) -> Vec<String> {
    u.changes(&[]).iter().map(Change::to_string).collect()
}

fn oci_paths(l: &Layer) -> Vec<String> {
    l.to_oci().into_iter().map(|e| e.path).collect()
}

#[test]
fn copy_up_preserves_owner_and_mode() {
    let mut u = image();
    u.append_file(&root(), "/etc/passwd", b"more\n", 0o644, 5)
        .unwrap();
    let st = u.stat(&root(), "/etc/passwd").unwrap();
    assert_eq!((st.mode, st.uid, st.gid, st.mtime), (0o640, 3, 4, 5));
    assert_eq!(
        &*u.read_file(&root(), "/etc/passwd").unwrap(),
        b"root\nmore\n"
    );
    assert_eq!(
        u.take_events(),
        [
            Event::CopyUp {
                path: "/etc".into(),
                from_layer: 0
            },
            Event::CopyUp {
                path: "/etc/passwd".into(),
                from_layer: 0
            },
            Event::Modified {
                path: "/etc/passwd".into()
            },
        ]
    );
    assert_eq!(
        &*u.lowers()[0]
            .tree()
            .read_file(&root(), "/etc/passwd")
            .unwrap(),
        b"root\n",
        "lower untouched"
    );
}

#[test]
fn metadata_changes_copy_up_the_whole_file() {
    for op in ["chmod", "chown", "utimes", "link"] {
        let mut u = image();
        match op {
            "chmod" => u.chmod(&root(), "/etc/hostname", 0o600).unwrap(),
            "chown" => u.chown(&root(), "/etc/hostname", Some(9), None).unwrap(),
            "utimes" => u.set_mtime(&root(), "/etc/hostname", 50).unwrap(),
            _ => u
                .link(&root(), "/etc/hostname", "/etc/hostname2", 5)
                .unwrap(),
        }
        let p = u.provenance("/etc/hostname").unwrap();
        assert_eq!(
            (p.backing, p.copied_up_from),
            (Backing::Upper, Some(0)),
            "{op}"
        );
        assert_eq!(u.upper_size(), 4, "{op}: the data came along");
    }
}

#[test]
fn appending_to_a_copied_up_large_file_leaves_the_lower_layer_unchanged() {
    let big = vec![b'x'; 1 << 20];
    let lower = layer(|t| {
        t.write_file(&root(), "/big.bin", &big, 0o644, 1).unwrap();
        t.link(&root(), "/big.bin", "/big.link", 1).unwrap();
    });
    let mut u = Union::new(vec![lower.clone()]);
    let snapshot = u.clone();
    u.append_file(&root(), "/big.bin", b"!", 0o644, 5).unwrap();
    u.append_file(&root(), "/big.bin", b"?", 0o644, 6).unwrap();
    assert_eq!(
        u.take_events(),
        [
            Event::CopyUp {
                path: "/big.bin".into(),
                from_layer: 0
            },
            Event::Modified {
                path: "/big.bin".into()
            },
            Event::Modified {
                path: "/big.bin".into()
            },
        ]
    );
    let st = u.stat(&root(), "/big.bin").unwrap();
    assert_eq!((st.size, st.mtime), ((1 << 20) + 2, 6));
    assert_eq!(u.upper_size(), (1 << 20) + 2);
    let data = u.read_file(&root(), "/big.bin").unwrap();
    assert_eq!(data.len(), (1 << 20) + 2);
    assert_eq!(&data[(1 << 20) - 1..], b"x!?");
    assert!(data[..1 << 20].iter().all(|&b| b == b'x'));
    // The lower file, its other name and an earlier snapshot still see the old bytes.
    let fresh = Union::new(vec![lower]);
    for (fs, p) in [
        (&u, "/big.link"),
        (&snapshot, "/big.bin"),
        (&fresh, "/big.bin"),
    ] {
        assert_eq!(&*fs.read_file(&root(), p).unwrap(), &big[..], "{p}");
    }
    // Writing over it after the append replaces it whole.
    u.write_file(&root(), "/big.bin", b"new", 0o644, 7).unwrap();
    assert_eq!(&*u.read_file(&root(), "/big.bin").unwrap(), b"new");
    assert_eq!(u.upper_size(), 3);
}

#[test]
fn appending_past_the_file_size_limit_is_enospc_and_changes_nothing() {
    let mut u = Union::new(vec![layer(|t| {
        t.write_file(&root(), "/big.bin", &[b'x'; 100 << 10], 0o644, 1)
            .unwrap();
    })]);
    u.set_limits(Limits {
        max_file_size: 100 << 10,
        ..Limits::default()
    });
    assert_eq!(
        u.append_file(&root(), "/big.bin", b"!", 0o644, 5),
        Err(Errno::ENOSPC)
    );
    assert_eq!(u.stat(&root(), "/big.bin").unwrap().size, 100 << 10);
}

#[test]
fn creating_in_an_upper_directory_and_in_a_lower_one_record_the_same_events() {
    let mut u = image();
    u.write_file(&root(), "/etc/new1", b"1", 0o644, 5).unwrap();
    u.write_file(&root(), "/etc/new2", b"2", 0o644, 6).unwrap();
    u.mkdir(&root(), "/new", 0o755, 7).unwrap();
    u.write_file(&root(), "/new/f", b"3", 0o644, 8).unwrap();
    assert_eq!(
        u.take_events(),
        [
            Event::CopyUp {
                path: "/etc".into(),
                from_layer: 0
            },
            Event::Created {
                path: "/etc/new1".into()
            },
            Event::Created {
                path: "/etc/new2".into()
            },
            Event::Created {
                path: "/new".into()
            },
            Event::Created {
                path: "/new/f".into()
            },
        ]
    );
    assert_eq!(u.stat(&root(), "/etc").unwrap().mtime, 6);
    assert_eq!(u.stat(&root(), "/new").unwrap().mtime, 8);
    assert_eq!(&*u.read_file(&root(), "/etc/new2").unwrap(), b"2");
    assert_eq!(
        u.write_file(&root(), "/etc/passwd/x", b"", 0o644, 9),
        Err(Errno::ENOTDIR)
    );
}

#[test]
fn reading_copies_nothing_up() {
    let mut u = image();
    u.read_file(&root(), "/etc/passwd").unwrap();
    u.read_dir(&root(), "/etc").unwrap();
    assert!(u.take_events().is_empty());
    assert_eq!(
        u.provenance("/etc/passwd").unwrap().backing,
        Backing::Layer(0)
    );
    assert!(diff(&u).is_empty());
}

#[test]
fn copy_up_of_one_hard_link_name_breaks_the_link() {
    let mut u = image();
    u.write_file(&root(), "/bin/ls", b"patched", 0o755, 5)
        .unwrap();
    assert_eq!(
        &*u.read_file(&root(), "/bin/dir").unwrap(),
        b"ELF",
        "the other name keeps the lower data"
    );
    assert_eq!(u.stat(&root(), "/bin/ls").unwrap().nlink, 1);
    assert_ne!(
        u.stat(&root(), "/bin/ls").unwrap().ino,
        u.stat(&root(), "/bin/dir").unwrap().ino
    );
}

#[test]
fn deleting_a_lower_file_leaves_a_whiteout_no_listing_shows() {
    let mut u = image();
    u.unlink(&root(), "/etc/hostname", 5).unwrap();
    assert_eq!(u.stat(&root(), "/etc/hostname"), Err(Errno::ENOENT));
    let names: Vec<String> = u
        .read_dir(&root(), "/etc")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["foo", "passwd"]);
    let events = u.take_events();
    assert!(events.contains(&Event::Whiteout {
        path: "/etc/hostname".into()
    }));
    assert_eq!(oci_paths(&u.commit(&[])), ["/etc", "/etc/.wh.hostname"]);
    assert_eq!(diff(&u), ["C /etc", "D /etc/hostname"]);
}

#[test]
fn whiteout_is_never_listed() {
    let mut u = image();
    u.unlink(&root(), "/etc/hostname", 5).unwrap();
    u.remove_all(&root(), "/etc/foo", 5).unwrap();
    for p in [
        "/etc/.wh.hostname",
        "/etc/hostname",
        "/etc/.wh.foo",
        "/etc/foo",
    ] {
        assert_eq!(u.lstat(&root(), p), Err(Errno::ENOENT), "{p}");
    }
    assert!(u
        .read_dir(&root(), "/etc")
        .unwrap()
        .iter()
        .all(|e| !e.name.starts_with(".wh.")));
    assert_eq!(u.unlink(&root(), "/etc/hostname", 5), Err(Errno::ENOENT));
    assert_eq!(u.readlink(&root(), "/etc/hostname"), Err(Errno::ENOENT));
    assert_eq!(
        u.rename(&root(), "/etc/hostname", "/x", 5),
        Err(Errno::ENOENT)
    );
    assert_eq!(
        u.link(&root(), "/etc/hostname", "/x", 5),
        Err(Errno::ENOENT)
    );
    assert!(u.hidden("/etc").iter().all(|h| !h.name.starts_with(".wh.")));
    let committed = Arc::new(u.commit(&[]));
    let above = Union::new(vec![u.lowers()[0].clone(), committed.clone()]);
    assert_eq!(above.lstat(&root(), "/etc/hostname"), Err(Errno::ENOENT));
    assert_eq!(
        committed.tree().lstat(&root(), "/etc/hostname"),
        Err(Errno::ENOENT),
        "even in the layer itself"
    );
}

#[test]
fn deleting_an_upper_only_file_leaves_nothing() {
    let mut u = image();
    u.write_file(&root(), "/etc/new", b"n", 0o644, 5).unwrap();
    u.unlink(&root(), "/etc/new", 6).unwrap();
    let events = u.take_events();
    assert_eq!(
        events.last(),
        Some(&Event::Removed {
            path: "/etc/new".into()
        })
    );
    assert!(!events.iter().any(|e| matches!(e, Event::Whiteout { .. })));
    assert_eq!(oci_paths(&u.commit(&[])), ["/etc"]);
    assert!(diff(&u).is_empty());
}

#[test]
fn deleting_a_copied_up_file_leaves_a_whiteout() {
    let mut u = image();
    u.chmod(&root(), "/etc/passwd", 0o600).unwrap();
    u.unlink(&root(), "/etc/passwd", 6).unwrap();
    assert_eq!(oci_paths(&u.commit(&[])), ["/etc", "/etc/.wh.passwd"]);
}

#[test]
fn rmdir_of_lower_dir_hides_its_children() {
    let mut u = image();
    assert_eq!(u.rmdir(&root(), "/etc/foo", 5), Err(Errno::ENOTEMPTY));
    u.unlink(&root(), "/etc/foo/a", 5).unwrap();
    assert_eq!(
        u.rmdir(&root(), "/etc/foo", 5),
        Err(Errno::ENOTEMPTY),
        "b is still merged in"
    );
    u.unlink(&root(), "/etc/foo/b", 5).unwrap();
    u.rmdir(&root(), "/etc/foo", 5).unwrap();
    assert_eq!(u.stat(&root(), "/etc/foo/b"), Err(Errno::ENOENT));
    assert_eq!(
        oci_paths(&u.commit(&[])),
        ["/etc", "/etc/.wh.foo"],
        "one whiteout, the child whiteouts went with the dir"
    );
    assert_eq!(diff(&u), ["C /etc", "D /etc/foo"]);
}

#[test]
fn recreated_dir_is_opaque() {
    let mut u = image();
    u.remove_all(&root(), "/etc/foo", 5).unwrap();
    u.take_events();
    u.mkdir(&root(), "/etc/foo", 0o755, 6).unwrap();
    assert!(u.read_dir(&root(), "/etc/foo").unwrap().is_empty());
    assert_eq!(
        u.take_events(),
        [
            Event::Created {
                path: "/etc/foo".into()
            },
            Event::OpaqueDir {
                path: "/etc/foo".into()
            }
        ]
    );
    let l = u.commit(&[]);
    assert_eq!(oci_paths(&l), ["/etc", "/etc/foo", "/etc/foo/.wh..wh..opq"]);
    assert_eq!(
        diff(&u),
        ["C /etc", "C /etc/foo", "D /etc/foo/a", "D /etc/foo/b"]
    );
    let hidden = u.hidden("/etc/foo");
    assert_eq!(hidden.len(), 2);
    assert!(hidden
        .iter()
        .all(|h| h.by == HiddenBy::Opaque(Backing::Upper) && h.layer == 0));
}

#[test]
fn rename_of_lower_dir_is_exdev() {
    let mut u = image();
    assert_eq!(
        u.rename(&root(), "/etc/foo", "/etc/bar", 5),
        Err(Errno::EXDEV)
    );
    u.write_file(&root(), "/etc/foo/c", b"c", 0o644, 5).unwrap();
    assert_eq!(
        u.rename(&root(), "/etc/foo", "/etc/bar", 5),
        Err(Errno::EXDEV),
        "merged dirs too"
    );
    u.mkdir(&root(), "/new", 0o755, 5).unwrap();
    u.write_file(&root(), "/new/f", b"f", 0o644, 5).unwrap();
    u.rename(&root(), "/new", "/newer", 5).unwrap();
    assert_eq!(
        &*u.read_file(&root(), "/newer/f").unwrap(),
        b"f",
        "upper-only dirs rename"
    );
}

#[test]
fn rename_of_a_lower_file_copies_up_and_whites_out() {
    let mut u = image();
    u.rename(&root(), "/etc/hostname", "/etc/hostname.old", 5)
        .unwrap();
    assert_eq!(
        &*u.read_file(&root(), "/etc/hostname.old").unwrap(),
        b"box\n"
    );
    assert_eq!(u.stat(&root(), "/etc/hostname"), Err(Errno::ENOENT));
    assert_eq!(
        u.take_events(),
        [
            Event::CopyUp {
                path: "/etc".into(),
                from_layer: 0
            },
            Event::CopyUp {
                path: "/etc/hostname".into(),
                from_layer: 0
            },
            Event::Renamed {
                from: "/etc/hostname".into(),
                to: "/etc/hostname.old".into()
            },
            Event::Whiteout {
                path: "/etc/hostname".into()
            },
        ]
    );
    assert_eq!(
        diff(&u),
        ["C /etc", "A /etc/hostname.old", "D /etc/hostname"]
    );
}

#[test]
fn rename_of_an_upper_dir_onto_an_emptied_lower_dir_keeps_lower_entries_hidden() {
    let mut u = image();
    u.unlink(&root(), "/etc/foo/a", 5).unwrap();
    u.unlink(&root(), "/etc/foo/b", 5).unwrap();
    u.mkdir(&root(), "/mine", 0o755, 5).unwrap();
    u.rename(&root(), "/mine", "/etc/foo", 5).unwrap();
    assert!(u.read_dir(&root(), "/etc/foo").unwrap().is_empty());
    assert_eq!(u.stat(&root(), "/mine"), Err(Errno::ENOENT));
}

#[test]
fn merged_dir_takes_metadata_from_the_top_most_layer() {
    let low = layer(|t| file(t, "/d/low", "l"));
    let high = layer(|t| {
        file(t, "/d/high", "h");
        t.chmod(&root(), "/d", 0o700).unwrap();
    });
    let u = Union::new(vec![low, high]);
    assert_eq!(u.stat(&root(), "/d").unwrap().mode, 0o700);
    let names: Vec<String> = u
        .read_dir(&root(), "/d")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["high", "low"]);
    let p = u.provenance("/d").unwrap();
    assert_eq!(p.merged, [Backing::Layer(1), Backing::Layer(0)]);
    assert_eq!(
        u.stat(&root(), "/d").unwrap().nlink,
        1,
        "overlayfs reports 1 for merged dirs"
    );
}

#[test]
fn a_file_in_a_higher_layer_shadows_a_lower_dir() {
    let low = layer(|t| file(t, "/x/inner", "i"));
    let high = layer(|t| file(t, "/x", "file"));
    let u = Union::new(vec![low, high]);
    assert_eq!(u.stat(&root(), "/x").unwrap().kind, FileType::File);
    assert_eq!(u.stat(&root(), "/x/inner"), Err(Errno::ENOTDIR));
    assert_eq!(
        u.hidden("/")
            .iter()
            .map(|h| (h.name.as_str(), h.by))
            .collect::<Vec<_>>(),
        [("x", HiddenBy::Shadowed(Backing::Layer(1)))]
    );
}

#[test]
fn opaque_layer_dir_stops_the_merge() {
    let low = layer(|t| file(t, "/d/old", "o"));
    let entries = [
        OciEntry {
            path: "/d".into(),
            kind: OciKind::Dir,
            meta: Default::default(),
        },
        OciEntry {
            path: "/d/.wh..wh..opq".into(),
            kind: OciKind::OpaqueWhiteout,
            meta: Default::default(),
        },
        OciEntry {
            path: "/d/new".into(),
            kind: OciKind::File(b"n"[..].into()),
            meta: Default::default(),
        },
    ];
    let high = Arc::new(Layer::from_oci(&entries).unwrap());
    let u = Union::new(vec![low, high.clone()]);
    let names: Vec<String> = u
        .read_dir(&root(), "/d")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["new"]);
    assert_eq!(high.to_oci(), entries, "OCI form round-trips");
    assert_eq!(u.hidden("/d")[0].by, HiddenBy::Opaque(Backing::Layer(1)));
}

#[test]
fn oci_whiteouts_hide_lower_entries() {
    let low = layer(|t| {
        file(t, "/a/gone", "g");
        file(t, "/a/kept", "k");
    });
    let high = Layer::from_oci(&[OciEntry {
        path: "/a/.wh.gone".into(),
        kind: OciKind::Whiteout,
        meta: Default::default(),
    }])
    .unwrap();
    assert_eq!(
        high.summary(std::slice::from_ref(&low)),
        layerbox_fstree::LayerSummary {
            added: 0,
            modified: 0,
            removed: 1,
            size: 0
        }
    );
    let u = Union::new(vec![low, Arc::new(high)]);
    assert_eq!(u.read_dir(&root(), "/a").unwrap().len(), 1);
    assert_eq!(u.hidden("/a")[0].by, HiddenBy::Whiteout(Backing::Layer(1)));
    assert_eq!(
        Layer::from_oci(&[OciEntry {
            path: "/a/.wh..".into(),
            kind: OciKind::Whiteout,
            meta: Default::default()
        }])
        .err(),
        Some(Errno::EINVAL)
    );
}

#[test]
fn hard_links_survive_the_oci_form() {
    let l = layer(|t| {
        file(t, "/f", "data");
        t.link(&root(), "/f", "/g", 1).unwrap();
    });
    let oci = l.to_oci();
    assert_eq!(oci[1].kind, OciKind::Link("/f".into()));
    let back = Layer::from_oci(&oci).unwrap();
    assert_eq!(back.tree().stat(&root(), "/g").unwrap().nlink, 2);
    assert_eq!(back.size(), 4, "a hard-linked file counts once");
}

#[test]
fn layer_summary_counts_added_modified_removed() {
    let mut u = image();
    u.write_file(&root(), "/etc/passwd", b"x", 0o644, 5)
        .unwrap();
    u.write_file(&root(), "/etc/new", b"new", 0o644, 5).unwrap();
    u.unlink(&root(), "/etc/hostname", 5).unwrap();
    let l = u.commit(&[]);
    let s = l.summary(u.lowers());
    assert_eq!((s.added, s.modified, s.removed, s.size), (1, 1, 1, 4));
}

#[test]
fn read_only_union_is_erofs() {
    let mut u = image();
    u.set_read_only(true);
    let r = root();
    assert_eq!(
        u.write_file(&r, "/etc/passwd", b"x", 0o644, 5),
        Err(Errno::EROFS)
    );
    assert_eq!(
        u.write_file(&r, "/etc/new", b"x", 0o644, 5),
        Err(Errno::EROFS)
    );
    assert_eq!(u.mkdir(&r, "/x", 0o755, 5), Err(Errno::EROFS));
    assert_eq!(
        u.mkdir(&r, "/etc", 0o755, 5),
        Err(Errno::EEXIST),
        "existence is checked first"
    );
    assert_eq!(u.unlink(&r, "/etc/passwd", 5), Err(Errno::EROFS));
    assert_eq!(u.rmdir(&r, "/data", 5), Err(Errno::EROFS));
    assert_eq!(u.rename(&r, "/etc/passwd", "/p", 5), Err(Errno::EROFS));
    assert_eq!(u.chmod(&r, "/etc/passwd", 0o600), Err(Errno::EROFS));
    assert_eq!(u.chown(&r, "/etc/passwd", Some(1), None), Err(Errno::EROFS));
    assert_eq!(u.set_mtime(&r, "/etc/passwd", 9), Err(Errno::EROFS));
    assert_eq!(u.symlink(&r, "x", "/l", 5), Err(Errno::EROFS));
    assert_eq!(u.link(&r, "/etc/passwd", "/l", 5), Err(Errno::EROFS));
    assert_eq!(&*u.read_file(&r, "/etc/passwd").unwrap(), b"root\n");
    assert!(u.take_events().is_empty());
}

#[test]
fn upper_limits_turn_growth_into_enospc() {
    let mut u = image();
    u.set_limits(Limits {
        max_file_size: 10,
        max_total_bytes: 15,
        max_entries: 100,
    });
    assert_eq!(
        u.write_file(&root(), "/big", &[0; 11], 0o644, 5),
        Err(Errno::ENOSPC)
    );
    u.write_file(&root(), "/a", &[0; 10], 0o644, 5).unwrap();
    assert_eq!(
        u.write_file(&root(), "/b", &[0; 6], 0o644, 5),
        Err(Errno::ENOSPC)
    );
    u.set_limits(Limits {
        max_file_size: 10,
        max_total_bytes: 100,
        max_entries: 3,
    });
    assert_eq!(u.mkdir(&root(), "/d1", 0o755, 5), Ok(()));
    assert_eq!(u.mkdir(&root(), "/d2", 0o755, 5), Err(Errno::ENOSPC));
    assert_eq!(
        u.unlink(&root(), "/etc/passwd", 5),
        Err(Errno::ENOSPC),
        "copying /etc up needs an inode"
    );
    assert_eq!(
        u.stat(&root(), "/etc/passwd").map(|s| s.size),
        Ok(5),
        "nothing hidden by a failed delete"
    );
}

#[test]
fn copy_up_of_a_file_larger_than_the_file_limit_keeps_it_whole() {
    // /etc/passwd is 5 bytes in the image; a writable layer whose largest file is 4 bytes
    // still copies it up for a chmod (overlayfs copies any size), but the total still counts.
    let mut u = image();
    u.set_limits(Limits {
        max_file_size: 4,
        max_total_bytes: 100,
        max_entries: 100,
    });
    assert_eq!(u.chmod(&root(), "/etc/passwd", 0o600), Ok(()));
    assert_eq!(
        u.stat(&root(), "/etc/passwd")
            .map(|s| (s.mode & 0o7777, s.size)),
        Ok((0o600, 5))
    );
    assert_eq!(
        u.write_file(&root(), "/etc/passwd", b"longer", 0o644, 5),
        Err(Errno::ENOSPC),
        "a write that makes it larger is still limited"
    );
    let mut full = image();
    full.set_limits(Limits {
        max_file_size: 4,
        max_total_bytes: 4,
        max_entries: 100,
    });
    assert_eq!(
        full.chmod(&root(), "/etc/passwd", 0o600),
        Err(Errno::ENOSPC)
    );
}

#[test]
fn diff_lists_added_dir_and_its_children() {
    let mut u = image();
    u.mkdir(&root(), "/foo", 0o755, 5).unwrap();
    u.write_file(&root(), "/foo/bar", b"xyzzy\n", 0o644, 5)
        .unwrap();
    assert_eq!(diff(&u), ["A /foo", "A /foo/bar"]);
}

#[test]
fn diff_marks_ancestors_changed_before_children() {
    let mut u = image();
    u.append_file(&root(), "/usr/local/bin/x", b"!", 0o644, 5)
        .unwrap();
    u.create_file(&root(), "/file1", 0o644, 5).unwrap();
    assert_eq!(
        diff(&u),
        [
            "A /file1",
            "C /usr",
            "C /usr/local",
            "C /usr/local/bin",
            "C /usr/local/bin/x"
        ]
    );
}

#[test]
fn diff_ignores_directory_mtime_but_not_mode() {
    let mut u = image();
    u.write_file(&root(), "/etc/tmp", b"t", 0o644, 5).unwrap();
    u.unlink(&root(), "/etc/tmp", 6).unwrap();
    assert!(
        diff(&u).is_empty(),
        "/etc was copied up and its mtime changed, nothing else"
    );
    u.chmod(&root(), "/data", 0o700).unwrap();
    assert_eq!(diff(&u), ["C /data"]);
}

#[test]
fn diff_reports_a_recreated_file_as_changed_and_a_type_change_as_changed() {
    let mut u = image();
    u.unlink(&root(), "/etc/hostname", 5).unwrap();
    u.write_file(&root(), "/etc/hostname", b"other\n", 0o644, 6)
        .unwrap();
    u.unlink(&root(), "/etc/passwd", 5).unwrap();
    u.mkdir(&root(), "/etc/passwd", 0o755, 6).unwrap();
    u.write_file(&root(), "/etc/passwd/inside", b"", 0o644, 6)
        .unwrap();
    assert_eq!(
        diff(&u),
        [
            "C /etc",
            "C /etc/hostname",
            "C /etc/passwd",
            "A /etc/passwd/inside"
        ]
    );
}

#[test]
fn diff_and_commit_leave_out_excluded_mount_points() {
    let mut u = image();
    u.write_file(&root(), "/data/in-volume", b"v", 0o644, 5)
        .unwrap();
    u.mkdir(&root(), "/mnt", 0o755, 5).unwrap();
    u.write_file(&root(), "/kept", b"k", 0o644, 5).unwrap();
    assert_eq!(
        u.changes(&["/data", "/mnt"])
            .iter()
            .map(Change::to_string)
            .collect::<Vec<_>>(),
        ["A /kept"]
    );
    assert_eq!(oci_paths(&u.commit(&["/data", "/mnt"])), ["/kept"]);
    assert_eq!(
        u.changes(&[])[0],
        Change {
            kind: ChangeKind::Modify,
            path: "/data".into()
        }
    );
}

#[test]
fn commit_stacks_as_a_new_layer() {
    let mut u = image();
    u.unlink(&root(), "/etc/hostname", 5).unwrap();
    u.write_file(&root(), "/etc/new", b"n", 0o600, 5).unwrap();
    let before = crate::fixture::listing(&u);
    u.commit_and_restack();
    assert_eq!(u.lowers().len(), 2);
    assert_eq!(crate::fixture::listing(&u), before);
    assert!(diff(&u).is_empty());
    assert_eq!(u.provenance("/etc/new").unwrap().backing, Backing::Layer(1));
}

#[test]
fn snapshots_are_independent() {
    let mut u = image();
    let snap = u.clone();
    u.remove_all(&root(), "/etc", 5).unwrap();
    assert!(snap.stat(&root(), "/etc/passwd").is_ok());
    let mut restored = snap;
    restored.take_events();
    assert!(diff(&restored).is_empty());
}

#[test]
fn json_round_trips_a_layer_with_whiteouts() {
    let mut u = image();
    u.unlink(&root(), "/etc/hostname", 5).unwrap();
    u.remove_all(&root(), "/etc/foo", 5).unwrap();
    u.mkdir(&root(), "/etc/foo", 0o755, 5).unwrap();
    u.write_file(&root(), "/bin.dat", &[0, 255, 1], 0o644, 5)
        .unwrap();
    let l = u.commit(&[]);
    let json = serde_json::to_string(&l).unwrap();
    assert!(
        json.contains("\"whiteout\"")
            && json.contains("\"opaque\":true")
            && json.contains("\"base64\":\"AP8B\"")
    );
    let back: Layer = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_oci(), l.to_oci());
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn a_layer_over_other_layers_shows_those_layers_not_the_first_ones() {
    let under_a = layer(|t| file(t, "/only-a", "a"));
    let under_b = layer(|t| file(t, "/only-b", "b"));
    let top = layer(|t| file(t, "/top", "t"));
    let over_a = Union::new(vec![under_a.clone(), top.clone()]);
    assert!(over_a.exists(&root(), "/only-a"));
    let over_b = Union::new(vec![under_b, top.clone()]);
    assert!(over_b.exists(&root(), "/only-b"));
    assert!(!over_b.exists(&root(), "/only-a"));
    assert!(over_b.exists(&root(), "/top"));
    let again_a = Union::new(vec![under_a, top]);
    assert!(again_a.exists(&root(), "/only-a"));
    assert!(!again_a.exists(&root(), "/only-b"));
}

#[test]
fn creating_in_a_lower_directory_copies_it_up_once_with_the_new_entry() {
    let mut u = image();
    u.write_file(&root(), "/etc/new", b"hi\n", 0o644, 7)
        .unwrap();
    assert_eq!(
        u.take_events(),
        [
            Event::CopyUp {
                path: "/etc".into(),
                from_layer: 0
            },
            Event::Created {
                path: "/etc/new".into()
            },
        ]
    );
    let etc = u.stat(&root(), "/etc").unwrap();
    assert_eq!(
        (etc.mtime, etc.nlink),
        (7, 1),
        "merged: nlink 1, mtime of the create"
    );
    let new = u.stat(&root(), "/etc/new").unwrap();
    assert_eq!((new.size, new.nlink, new.mtime), (3, 1, 7));
    assert_eq!(&*u.read_file(&root(), "/etc/new").unwrap(), b"hi\n");
    u.mkdir(&root(), "/usr/local/d", 0o755, 8).unwrap();
    let e = u.take_events();
    assert_eq!(
        e.len(),
        3,
        "/usr and /usr/local copied up, then created: {e:?}"
    );
    assert_eq!(u.upper().inode_count(), 6);
    assert_eq!(u.stat(&root(), "/usr/local").unwrap().mtime, 8);
    assert_eq!(
        u.stat(&root(), "/usr").unwrap().mtime,
        1,
        "only the parent's mtime"
    );
    let names: Vec<String> = u
        .read_dir(&root(), "/etc")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["foo", "hostname", "new", "passwd"]);
}

#[test]
fn a_create_that_does_not_fit_still_copies_the_directory_up() {
    for (limits, what) in [
        (
            Limits {
                max_file_size: 2,
                max_total_bytes: 100,
                max_entries: 100,
            },
            "file too large",
        ),
        (
            Limits {
                max_file_size: 100,
                max_total_bytes: 100,
                max_entries: 2,
            },
            "one inode left",
        ),
    ] {
        let mut u = image();
        u.set_limits(limits);
        assert_eq!(
            u.write_file(&root(), "/etc/new", b"hi\n", 0o644, 7),
            Err(Errno::ENOSPC),
            "{what}"
        );
        assert_eq!(
            u.take_events(),
            [Event::CopyUp {
                path: "/etc".into(),
                from_layer: 0
            }],
            "{what}"
        );
        assert_eq!(u.provenance("/etc").unwrap().copied_up_from, Some(0));
        assert_eq!(u.stat(&root(), "/etc").unwrap().mtime, 1, "{what}");
        assert!(!u.exists(&root(), "/etc/new"), "{what}");
    }
}

#[test]
fn copied_up_directories_are_reported_and_survive_a_reload() {
    let mut u = image();
    u.write_file(&root(), "/etc/foo/c", b"c", 0o644, 5).unwrap();
    u.chmod(&root(), "/bin/ls", 0o700).unwrap();
    u.link(&root(), "/bin/ls", "/bin/ls2", 5).unwrap();
    u.mkdir(&root(), "/fresh", 0o755, 5).unwrap();
    u.mkdir(&root(), "/fresh/sub", 0o755, 5).unwrap();
    u.rmdir(&root(), "/data", 5).unwrap();
    u.mkdir(&root(), "/data", 0o755, 5).unwrap();
    u.mkdir(&root(), "/etc-x", 0o755, 5).unwrap();
    let want: Vec<(String, usize)> = [("/bin", 0), ("/bin/ls", 0), ("/etc", 0), ("/etc/foo", 0)]
        .iter()
        .map(|&(p, l)| (p.to_string(), l))
        .collect();
    assert_eq!(u.copied_up(), want);
    let from = |u: &Union, p: &str| u.provenance(p).map(|p| (p.backing, p.copied_up_from));
    for u in [
        u.clone(),
        Union::from_parts(
            u.lowers().to_vec(),
            u.upper().clone(),
            want.clone(),
            u.impure_dirs(),
            false,
        ),
    ] {
        assert_eq!(u.copied_up(), want);
        assert_eq!(from(&u, "/etc/foo"), Some((Backing::Upper, Some(0))));
        assert_eq!(from(&u, "/bin/ls"), Some((Backing::Upper, Some(0))));
        assert_eq!(
            from(&u, "/bin/ls2"),
            Some((Backing::Upper, None)),
            "a new name"
        );
        assert_eq!(from(&u, "/data"), Some((Backing::Upper, None)), "opaque");
        assert_eq!(from(&u, "/fresh/sub"), Some((Backing::Upper, None)));
        assert_eq!(from(&u, "/etc/passwd"), Some((Backing::Layer(0), None)));
    }
}

/// overlayfs merges a directory with the directory of the same path above it: the lower one
/// is not hidden (its entries show through), unlike a file under a file, or a directory under
/// an opaque directory or a file.
#[test]
fn directories_of_the_same_path_merge_and_are_not_reported_hidden() {
    let low = layer(|t| {
        file(t, "/etc/hostname", "h");
        file(t, "/motd", "old");
    });
    let high = layer(|t| {
        file(t, "/etc/hosts", "x");
        file(t, "/motd", "new");
    });
    let u = Union::new(vec![low, high]);
    let hidden = u.hidden("/");
    let names: Vec<&str> = hidden.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["motd"], "etc/ merges, motd is shadowed");
    assert_eq!(hidden[0].by, HiddenBy::Shadowed(Backing::Layer(1)));
    let mut etc: Vec<String> = u
        .read_dir(&root(), "/etc")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    etc.sort();
    assert_eq!(etc, ["hostname", "hosts"]);
}
