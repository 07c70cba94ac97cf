//! The storage rules of a Docker host, each as a test named after the behaviour (the recorded
//! sessions in tests/conformance are the evidence for each).

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

use layerbox_engine::change::Change;
use layerbox_engine::container::Status;
use layerbox_engine::host::USER_UID;
use layerbox_engine::mount_spec::{MountSpec, MountType};
use layerbox_engine::world::{CreateRequest, World};
use layerbox_fstree::{Cred, Errno, FileSystem, Store};

fn world() -> World {
    World::new().expect("a fresh world")
}

fn run(w: &mut World, image: &str, edit: impl FnOnce(&mut CreateRequest)) -> String {
    let mut req = CreateRequest {
        image: image.into(),
        ..Default::default()
    };
    edit(&mut req);
    let id = w.create_container(&req).expect("create");
    w.start_container(&id).expect("start");
    id
}

fn root() -> Cred {
    Cred::root()
}

fn write(w: &mut World, id: &str, path: &str, text: &str) -> Result<(), Errno> {
    let now = w.now();
    w.with_container_fs(id, false, |fs| {
        fs.write_file(&root(), path, text.as_bytes(), 0o644, now)
    })
    .expect("container")
}

fn read(w: &mut World, id: &str, path: &str) -> Result<String, Errno> {
    w.with_container_fs(id, false, |fs| {
        fs.read_file(&root(), path)
            .map(|c| String::from_utf8_lossy(&c).into_owned())
    })
    .expect("container")
}

fn ls(w: &mut World, id: &str, path: &str) -> Vec<String> {
    w.with_container_fs(id, false, |fs| fs.read_dir(&root(), path))
        .expect("container")
        .map(|e| e.into_iter().map(|e| e.name).collect())
        .unwrap_or_default()
}

fn diff(w: &World, id: &str) -> Vec<String> {
    let mut d: Vec<String> = w
        .diff(id)
        .expect("diff")
        .iter()
        .map(|c| c.to_string())
        .collect();
    d.sort();
    d
}

#[test]
fn writable_layer_survives_stop_and_is_lost_on_rm() {
    let mut w = world();
    let c1 = run(&mut w, "alpine", |r| r.name = Some("c1".into()));
    write(&mut w, &c1, "/note.txt", "hi\n").expect("write");
    w.stop_container(&c1, 0).expect("stop");
    w.start_container(&c1).expect("start");
    assert_eq!(read(&mut w, &c1, "/note.txt").as_deref(), Ok("hi\n"));
    w.remove_container("c1", true, false).expect("rm");
    let c2 = run(&mut w, "alpine", |_| {});
    assert_eq!(read(&mut w, &c2, "/note.txt"), Err(Errno::ENOENT));
}

#[test]
fn writing_an_image_file_copies_it_up_and_diff_shows_ancestors() {
    let mut w = world();
    let c = run(&mut w, "alpine", |_| {});
    w.take_changes();
    let now = w.now();
    w.with_container_fs(&c, false, |fs| {
        fs.append_file(&root(), "/etc/motd", b"x\n", 0o644, now)
    })
    .expect("container")
    .expect("append");
    let changes = w.take_changes();
    assert!(changes.iter().any(|ch| matches!(ch, Change::Layer { event: layerbox_fstree::Event::CopyUp { path, .. }, .. } if path == "/etc/motd")), "{changes:?}");
    w.with_container_fs(&c, false, |fs| fs.unlink(&root(), "/etc/issue", now))
        .expect("container")
        .expect("rm");
    assert_eq!(diff(&w, &c), ["C /etc", "C /etc/motd", "D /etc/issue"]);
}

#[test]
fn named_volume_outlives_the_container() {
    let mut w = world();
    let c1 = run(&mut w, "alpine", |r| r.binds = vec!["data:/d".into()]);
    write(&mut w, &c1, "/d/f", "hi\n").expect("write");
    w.remove_container(&c1, true, true)
        .expect("rm -v keeps named volumes");
    let c2 = run(&mut w, "alpine", |r| r.binds = vec!["data:/d".into()]);
    assert_eq!(read(&mut w, &c2, "/d/f").as_deref(), Ok("hi\n"));
}

#[test]
fn image_volume_gives_each_container_its_own_anonymous_volume() {
    let mut w = world();
    let a = run(&mut w, "diamol/ch06-todo-list", |_| {});
    let b = run(&mut w, "diamol/ch06-todo-list", |_| {});
    let vol = |w: &World, id: &str| {
        w.containers()[id]
            .mounts
            .iter()
            .find(|m| m.destination == "/data")
            .map(|m| m.name.clone())
    };
    let (va, vb) = (vol(&w, &a).expect("a"), vol(&w, &b).expect("b"));
    assert_ne!(va, vb);
    assert_eq!(va.len(), 64);
    assert!(w.volumes().get(&va).expect("volume").meta.is_anonymous());
    assert_eq!(w.containers()[&a].mounts[0].mode, "");
}

#[test]
fn volumes_from_shares_the_volume_and_ro_makes_it_read_only() {
    let mut w = world();
    let src = run(&mut w, "alpine", |r| {
        r.name = Some("src".into());
        r.anonymous_volumes = vec!["/data".into()];
    });
    write(&mut w, &src, "/data/a", "a\n").expect("write");
    let ro = run(&mut w, "alpine", |r| r.volumes_from = vec!["src:ro".into()]);
    assert_eq!(read(&mut w, &ro, "/data/a").as_deref(), Ok("a\n"));
    assert_eq!(write(&mut w, &ro, "/data/b", ""), Err(Errno::EROFS));
    let rw = run(&mut w, "alpine", |r| r.volumes_from = vec!["src".into()]);
    write(&mut w, &rw, "/data/b", "").expect("rw");
    assert_eq!(ls(&mut w, &src, "/data"), ["a", "b"]);
    let err = w.create_container(&CreateRequest {
        image: "alpine".into(),
        volumes_from: vec!["nosuch".into()],
        ..Default::default()
    });
    assert_eq!(
        err.expect_err("unknown").message,
        "No such container: nosuch"
    );
}

#[test]
fn empty_volume_is_filled_from_the_image_with_owner_and_mode() {
    let mut w = world();
    let c = run(&mut w, "diamol/ch06-todo-list", |r| {
        r.binds = vec!["appvol:/app".into()]
    });
    assert_eq!(ls(&mut w, &c, "/app"), ["appsettings.json", "start.sh"]);
    let other = run(&mut w, "alpine", |r| r.binds = vec!["appvol:/x".into()]);
    assert_eq!(ls(&mut w, &other, "/x"), ["appsettings.json", "start.sh"]);
    let st = w
        .volumes()
        .get("appvol")
        .expect("vol")
        .data
        .node("/start.sh")
        .expect("file");
    assert_eq!(st.mode, 0o755);
}

#[test]
fn volume_is_filled_only_when_empty_and_never_with_nocopy() {
    let mut w = world();
    let a = run(&mut w, "alpine", |r| r.binds = vec!["etcvol:/etc".into()]);
    write(&mut w, &a, "/etc/only", "").expect("write");
    let mut w2 = world();
    let b = run(&mut w2, "alpine", |r| {
        r.binds = vec!["v2:/etc:nocopy".into()]
    });
    assert!(
        ls(&mut w2, &b, "/etc").is_empty(),
        "nocopy leaves the volume empty"
    );
    // A non-empty volume is not filled again by the next container.
    let n = ls(&mut w, &a, "/etc").len();
    let c = run(&mut w, "nginx", |r| r.binds = vec!["etcvol:/etc".into()]);
    assert_eq!(ls(&mut w, &c, "/etc").len(), n);
    assert!(
        ls(&mut w, &c, "/etc").contains(&"hostname".to_string()),
        "Docker's placeholders are copied too"
    );
}

#[test]
fn bind_mount_hides_the_image_directory_and_changes_flow_both_ways() {
    let mut w = world();
    let user = Cred::user(USER_UID, USER_UID);
    let now = w.now();
    w.host_mut()
        .mkdir(&user, "/home/user/new", 0o755, now)
        .expect("mkdir");
    w.host_mut()
        .write_file(&user, "/home/user/new/123.txt", b"x", 0o644, now)
        .expect("write");
    let c = run(&mut w, "diamol/ch06-bind-mount", |r| {
        r.binds = vec!["/home/user/new:/init".into()]
    });
    assert!(w.take_changes().iter().any(|ch| matches!(ch, Change::MountObscures { destination, entries: 2, .. } if destination == "/init")));
    assert_eq!(ls(&mut w, &c, "/init"), ["123.txt"]);
    write(&mut w, &c, "/init/from-container", "c").expect("write");
    let st = w
        .host()
        .stat(&user, "/home/user/new/from-container")
        .expect("on the host");
    assert_eq!(
        st.uid, 0,
        "files a root container writes are root-owned on the host"
    );
}

#[test]
fn single_file_bind_joins_the_image_directory() {
    let mut w = world();
    let user = Cred::user(USER_UID, USER_UID);
    let now = w.now();
    w.host_mut()
        .write_file(&user, "/home/user/extra.conf", b"server {}\n", 0o644, now)
        .expect("write");
    let c = run(&mut w, "nginx", |r| {
        r.binds = vec!["/home/user/extra.conf:/etc/nginx/conf.d/extra.conf:ro".into()]
    });
    assert_eq!(
        ls(&mut w, &c, "/etc/nginx/conf.d"),
        ["default.conf", "extra.conf"]
    );
    assert_eq!(
        write(&mut w, &c, "/etc/nginx/conf.d/extra.conf", "x"),
        Err(Errno::EROFS)
    );
    let now = w.now();
    let rm = w
        .with_container_fs(&c, false, |fs| {
            fs.unlink(&root(), "/etc/nginx/conf.d/extra.conf", now)
        })
        .expect("c");
    assert!(matches!(rm, Err(Errno::EBUSY | Errno::EROFS)));
}

#[test]
fn dash_v_creates_a_missing_host_dir_and_mount_flag_refuses_it() {
    let mut w = world();
    run(&mut w, "alpine", |r| {
        r.binds = vec!["/home/user/missing:/x".into()]
    });
    let st = w.host().stat(&root(), "/home/user/missing").expect("made");
    assert_eq!((st.uid, st.is_dir()), (0, true));
    let spec = MountSpec::new(MountType::Bind, "/nope", "/x");
    let err = w.create_container(&CreateRequest {
        image: "alpine".into(),
        mounts: vec![spec],
        ..Default::default()
    });
    assert_eq!(
        err.expect_err("refused").message,
        "invalid mount config for type \"bind\": bind source path does not exist: /nope"
    );
}

#[test]
fn non_root_user_cannot_write_a_root_owned_bind_dir() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| r.binds = vec!["/srv:/srv".into()]);
    let now = w.now();
    let r = w
        .with_container_fs(&c, false, |fs| {
            fs.write_file(&Cred::user(1000, 1000), "/srv/x", b"", 0o644, now)
        })
        .expect("c");
    assert_eq!(r, Err(Errno::EACCES));
}

#[test]
fn tmpfs_is_emptied_when_the_container_stops() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.tmpfs = vec![("/scratch".into(), String::new())]
    });
    write(&mut w, &c, "/scratch/f", "x").expect("write");
    assert!(
        !w.containers()[&c].mounts[0].listed(),
        "--tmpfs is not in .Mounts"
    );
    w.stop_container(&c, 0).expect("stop");
    w.start_container(&c).expect("start");
    assert!(ls(&mut w, &c, "/scratch").is_empty());
    assert_eq!(diff(&w, &c), ["A /scratch"]);
}

#[test]
fn diff_lists_mount_points_but_not_mounted_content() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| r.binds = vec!["v1:/data".into()]);
    write(&mut w, &c, "/data/file", "x").expect("write");
    assert_eq!(diff(&w, &c), ["A /data"]);
}

#[test]
fn commit_leaves_out_volume_content_and_keeps_anonymous_volumes_as_image_volumes() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.anonymous_volumes = vec!["/cache".into()]
    });
    write(&mut w, &c, "/cache/big", "x").expect("write");
    write(&mut w, &c, "/kept", "k").expect("write");
    let id = w
        .commit(&c, Some("mine"), "", "", |_| Ok(()))
        .expect("commit");
    let img = w.images().find("mine").expect("tagged").clone();
    assert_eq!(img.id, id);
    assert_eq!(img.config.volumes, ["/cache"]);
    let d = run(&mut w, "mine", |_| {});
    assert_eq!(read(&mut w, &d, "/kept").as_deref(), Ok("k"));
    assert_eq!(ls(&mut w, &d, "/cache"), Vec::<String>::new());
}

#[test]
fn rm_v_removes_anonymous_volumes_only_and_volumes_in_use_stay() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.anonymous_volumes = vec!["/anon".into()];
        r.binds = vec!["named:/named".into()];
    });
    let anon = w.containers()[&c]
        .mounts
        .iter()
        .find(|m| m.destination == "/anon")
        .map(|m| m.name.clone())
        .expect("anon");
    w.stop_container(&c, 0).expect("stop");
    assert_eq!(
        w.remove_volume("named", true).expect_err("in use").message,
        format!("remove named: volume is in use - [{c}]")
    );
    w.remove_container(&c, false, true).expect("rm -v");
    assert!(w.volumes().get(&anon).is_err());
    assert!(w.volumes().get("named").is_ok());
}

#[test]
fn read_only_rootfs_refuses_writes_but_volumes_and_tmpfs_work() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.read_only = true;
        r.anonymous_volumes = vec!["/icanwrite".into()];
        r.tmpfs = vec![("/tmp".into(), String::new())];
    });
    assert_eq!(write(&mut w, &c, "/file", ""), Err(Errno::EROFS));
    assert_eq!(write(&mut w, &c, "/etc/hosts", ""), Err(Errno::EROFS));
    write(&mut w, &c, "/icanwrite/here", "").expect("volume");
    write(&mut w, &c, "/tmp/x", "").expect("tmpfs");
}

#[test]
fn network_share_bind_lacks_symlinks_and_charges_round_trips() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.binds = vec!["/mnt/share:/share".into()]
    });
    w.take_changes();
    let now = w.now();
    let r = w
        .with_container_fs(&c, false, |fs| fs.symlink(&root(), "x", "/share/link", now))
        .expect("c");
    assert_eq!(r, Err(Errno::EOPNOTSUPP));
    assert!(w
        .take_changes()
        .iter()
        .any(|ch| matches!(ch, Change::NetworkShare { ops, .. } if *ops > 0)));
}

#[test]
fn duplicate_mount_points_and_bad_names_are_refused_in_dockers_words() {
    let mut w = world();
    let dup = CreateRequest {
        image: "alpine".into(),
        binds: vec!["/a:/x".into(), "/b:/x".into()],
        ..Default::default()
    };
    assert_eq!(
        w.create_container(&dup).expect_err("dup").message,
        "Duplicate mount point: /x"
    );
    let short = CreateRequest {
        image: "alpine".into(),
        name: Some("c".into()),
        ..Default::default()
    };
    assert_eq!(
        w.create_container(&short).expect_err("short").message,
        "Invalid container name (c), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
    );
    let id = run(&mut w, "alpine", |r| r.name = Some("ok".into()));
    assert_eq!(w.containers()[&id].state.status, Status::Running);
    let again = CreateRequest {
        image: "alpine".into(),
        name: Some("ok".into()),
        ..Default::default()
    };
    assert_eq!(
        w.create_container(&again).expect_err("taken").message,
        format!("Conflict. The container name \"/ok\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.")
    );
}

#[test]
fn diff_of_a_recreated_directory_is_c_with_its_old_files_d() {
    let mut w = world();
    let c = run(&mut w, "alpine", |_| {});
    let now = w.now();
    w.with_container_fs(&c, false, |fs| {
        fs.remove_all(&root(), "/etc/periodic", now)?;
        fs.mkdir(&root(), "/etc/periodic", 0o755, now)
    })
    .expect("c")
    .expect("rm and mkdir");
    assert_eq!(
        diff(&w, &c),
        [
            "C /etc",
            "C /etc/periodic",
            "D /etc/periodic/15min",
            "D /etc/periodic/daily",
            "D /etc/periodic/hourly",
            "D /etc/periodic/monthly",
            "D /etc/periodic/weekly"
        ]
    );
}

#[test]
fn diff_of_a_deleted_directory_lists_only_the_directory() {
    let mut w = world();
    let c = run(&mut w, "alpine", |_| {});
    let now = w.now();
    w.with_container_fs(&c, false, |fs| fs.remove_all(&root(), "/etc/apk", now))
        .expect("c")
        .expect("rm -r");
    assert_eq!(diff(&w, &c), ["C /etc", "D /etc/apk"]);
}

#[test]
fn diff_of_a_chmod_and_of_nested_new_files() {
    let mut w = world();
    let c = run(&mut w, "alpine", |_| {});
    w.with_container_fs(&c, false, |fs| fs.chmod(&root(), "/etc/motd", 0o600))
        .expect("c")
        .expect("chmod");
    assert_eq!(diff(&w, &c), ["C /etc", "C /etc/motd"]);
    let d = run(&mut w, "alpine", |_| {});
    write(&mut w, &d, "/usr/local/bin/tool", "x").expect("write");
    assert_eq!(
        diff(&w, &d),
        [
            "A /usr/local/bin/tool",
            "C /usr",
            "C /usr/local",
            "C /usr/local/bin"
        ]
    );
}

#[test]
fn mount_flag_tmpfs_point_is_made_in_the_writable_layer() {
    let mut w = world();
    let spec = MountSpec::new(MountType::Tmpfs, "", "/etc/cache");
    let c = run(&mut w, "alpine", |r| r.mounts = vec![spec]);
    assert_eq!(diff(&w, &c), ["A /etc/cache", "C /etc"]);
    assert!(
        w.containers()[&c].mounts[0].listed(),
        "--mount type=tmpfs is in .Mounts"
    );
}

#[test]
fn docker_cp_sees_volumes_and_binds_but_not_tmpfs() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.binds = vec!["v1:/data".into()];
        r.tmpfs = vec![("/scratch".into(), String::new())];
    });
    write(&mut w, &c, "/data/in-volume", "v").expect("write");
    write(&mut w, &c, "/scratch/in-tmpfs", "t").expect("write");
    w.stop_container(&c, 0).expect("stop");
    let seen = w
        .with_container_fs(&c, true, |fs| {
            (
                fs.exists(&root(), "/data/in-volume"),
                fs.read_dir(&root(), "/scratch").map(|e| e.len()),
            )
        })
        .expect("c");
    assert_eq!(seen, (true, Ok(0)));
}

#[test]
fn run_rm_removes_the_container_and_its_anonymous_volumes_when_it_exits() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.auto_remove = true;
        r.anonymous_volumes = vec!["/foo".into()];
        r.binds = vec!["awesome:/bar".into()];
    });
    let anon = w.containers()[&c]
        .mounts
        .iter()
        .find(|m| m.destination == "/foo")
        .map(|m| m.name.clone())
        .expect("anon");
    w.stop_container(&c, 0).expect("exit");
    assert!(w.containers().is_empty());
    assert!(
        w.volumes().get(&anon).is_err(),
        "the anonymous volume went with it"
    );
    assert!(w.volumes().get("awesome").is_ok(), "the named volume stays");
}

/// `--tmpfs /cache:size=8k` holds no more than its size, in whole pages as the kernel counts:
/// a write past it is ENOSPC (Engine 20.10 showed a 64k tmpfs full at 65536 bytes).
#[test]
fn a_tmpfs_holds_no_more_than_its_size() {
    let mut w = world();
    let c = run(&mut w, "alpine", |r| {
        r.tmpfs = vec![("/cache".into(), "size=8k".into())]
    });
    write(&mut w, &c, "/cache/small", "x").expect("fits");
    let big = "y".repeat(9 * 1024);
    assert_eq!(write(&mut w, &c, "/cache/big", &big), Err(Errno::ENOSPC));
    let unlimited = run(&mut w, "alpine", |r| {
        r.tmpfs = vec![("/cache".into(), String::new())]
    });
    write(&mut w, &unlimited, "/cache/big", &big).expect("no size= means the usual limits");
}
