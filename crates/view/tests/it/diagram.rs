//! The storage diagram over real sessions: the chapter's scenarios typed at the shell, then the
//! nodes, the edges and the change notes checked.

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

use layerbox_session::Session;
use layerbox_view::*;

/// Runs `lines`, each of which must succeed, and draws the diagram after the last one.
fn after(s: &mut Session, lines: &[&str]) -> Diagram {
    let mut d = Diagram::default();
    for line in lines {
        let before = s.world().clone();
        let r = s.run_line(line);
        assert_eq!(r.code, 0, "{line}: {}", r.text());
        d = diagram(s.world(), &r.changes, Some(&before), &[]);
    }
    d
}

fn disk<'a>(d: &'a Diagram, name: &str) -> &'a Disk {
    d.containers
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no disk {name} in {:#?}", d.containers))
}

fn source<'a>(d: &'a Diagram, id: &str) -> &'a Source {
    d.sources
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no source {id} in {:#?}", d.sources))
}

fn edge<'a>(d: &'a Diagram, mount: &str) -> &'a Edge {
    d.edges
        .iter()
        .find(|e| e.mount == mount)
        .unwrap_or_else(|| panic!("no edge {mount} in {:#?}", d.edges))
}

fn layer<'a>(d: &'a Diagram, id: &str) -> &'a LayerNode {
    d.layers
        .iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("no layer {id} in {:#?}", d.layers))
}

#[test]
fn two_containers_share_a_layer_and_a_volume() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &[
            "docker volume create todo-list",
            "docker run -d --name todo1 -v todo-list:/data diamol/ch06-todo-list",
            "docker run -d --name box -v todo-list:/shared:ro alpine sleep 600",
        ],
    );
    assert_eq!(d.containers.len(), 2);
    // alpine's layer is drawn once, under both disks, and says who stands on it.
    let base = layer(&d, "dg-layer-alpine-latest-1");
    assert_eq!(base.index, 0);
    assert!(
        base.created_by.starts_with("ADD alpine-minirootfs"),
        "{base:?}"
    );
    assert!(
        base.images
            .contains(&"diamol/ch06-todo-list:latest".to_string()),
        "{base:?}"
    );
    assert_eq!(base.containers, ["box", "todo1"]);
    assert!(base.size > 0);
    assert_eq!(disk(&d, "todo1").layers[0], base.id);
    assert_eq!(disk(&d, "box").layers, std::slice::from_ref(&base.id));
    assert_eq!(
        d.layers.iter().filter(|l| l.id == base.id).count(),
        1,
        "a shared layer is one node"
    );
    // The todo app's own layers are only under todo1.
    let app = layer(&d, "dg-layer-diamol-ch06-todo-list-latest-2");
    assert_eq!(app.created_by, "COPY app/ /app/");
    assert_eq!(app.containers, ["todo1"]);
    // One volume, in Docker's area, with two connectors.
    let v = source(&d, "dg-volume-todo-list");
    assert_eq!(v.kind, ElementKind::Volume);
    assert_eq!(v.region, Region::DockerArea);
    assert_eq!(v.path, "/var/lib/docker/volumes/todo-list/_data");
    let mut users = v.users.clone();
    users.sort();
    assert_eq!(users, ["box", "todo1"]);
    let e1 = edge(&d, "dg-mount-todo1-data");
    assert_eq!((e1.source.as_str(), e1.rw), ("dg-volume-todo-list", true));
    assert_eq!(e1.label(), "/data · volume · rw");
    let e2 = edge(&d, "dg-mount-box-shared");
    assert_eq!(e2.source, "dg-volume-todo-list");
    assert_eq!(e2.label(), "/shared · volume · ro");
    // Each disk has its own writable and init layers; the top-level entries include the
    // mount point, in the volume's kind.
    let todo1 = disk(&d, "todo1");
    assert_eq!(todo1.writable.id, "dg-writable-todo1");
    assert_eq!(todo1.init.id, "dg-init-todo1");
    assert!(todo1.running);
    let data = todo1.dirs.iter().find(|e| e.name == "data").expect("/data");
    assert!(data.mount_point);
    assert_eq!(data.kind, Kind::Volume);
    assert!(todo1
        .dirs
        .iter()
        .any(|e| e.name == "etc" && e.kind == Kind::ImageLayer));
    // Columns: the two stand side by side; the layout spans the shared layer over both.
    let l = layout(&d, false);
    let (a, b) = (l.rect("dg-container-todo1"), l.rect("dg-container-box"));
    let shared = l.rect(&base.id);
    assert!(shared.x <= a.x.min(b.x) && shared.right() >= a.right().max(b.right()));
    assert!(shared.y > l.rect("dg-init-todo1").bottom());
    assert!(l.rect("dg-volume-todo-list").bottom() < a.y);
    assert_eq!(l.edges.len(), 2);
}

#[test]
fn volumes_from_connects_a_second_container_to_the_same_volume() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &[
            "docker run --name todo1 diamol/ch06-todo-list true",
            "docker run --name t3 --volumes-from todo1 alpine ls /data",
        ],
    );
    let anon = d
        .sources
        .iter()
        .find(|s| s.kind == ElementKind::Volume)
        .expect("the image's VOLUME made one");
    match &anon.detail {
        SourceDetail::Volume {
            anonymous,
            origin,
            origin_image,
            used_by,
            ..
        } => {
            assert!(anonymous);
            assert_eq!(*origin, VolumeOrigin::ImageVolume);
            assert_eq!(origin_image.as_deref(), Some("diamol/ch06-todo-list"));
            assert_eq!(*used_by, 2);
        }
        other => panic!("{other:?}"),
    }
    let e1 = edge(&d, "dg-mount-todo1-data");
    let e3 = edge(&d, "dg-mount-t3-data");
    assert_eq!(e1.source, anon.id);
    assert_eq!(e3.source, anon.id);
    let m3 = disk(&d, "t3")
        .mounts
        .iter()
        .find(|m| m.destination == "/data")
        .unwrap();
    assert_eq!(m3.origin, MountOrigin::VolumesFrom);
    // Both stopped: drawn as stopped, their writable layers still there.
    assert!(!disk(&d, "todo1").running);
    assert!(!disk(&d, "t3").running);
}

#[test]
fn a_single_file_bind_hides_one_image_file() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &[
            "mkdir new",
            "echo 'new file' > new/123.txt",
            "docker run --name bm-file --mount type=bind,source=/home/user/new/123.txt,target=/init/abc.txt diamol/ch06-bind-mount",
        ],
    );
    let src = source(&d, "dg-bind-home-user-new-123-txt");
    assert_eq!(src.kind, ElementKind::Bind);
    assert_eq!(src.region, Region::HostFs);
    assert_eq!(
        src.detail,
        SourceDetail::Bind {
            file: true,
            missing: false
        }
    );
    let m = &disk(&d, "bm-file").mounts[0];
    assert_eq!(m.id, "dg-mount-bm-file-init-abc-txt");
    assert_eq!(m.mount_type, "bind");
    assert_eq!(m.kind, Kind::LocalBind);
    assert_eq!(
        (m.hides.as_slice(), m.hidden_total),
        (&["abc.txt".to_string()][..], 1)
    );
    assert_eq!(edge(&d, &m.id).label(), "/init/abc.txt · bind · rw");
}

#[test]
fn a_bind_over_an_image_directory_shows_what_it_hides() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &[
            "mkdir new",
            "echo 'new file' > new/123.txt",
            "docker run --name bm-dir -v /home/user/new:/init:ro diamol/ch06-bind-mount",
        ],
    );
    let m = &disk(&d, "bm-dir").mounts[0];
    assert_eq!(m.destination, "/init");
    assert!(!m.rw);
    assert_eq!(m.hides, ["abc.txt", "def.txt"]);
    assert_eq!(m.hidden_total, 2);
    assert!(m.changed, "the run mounted it over the image's files");
    assert!(d.notes.iter().any(|n| matches!(
        &n.what,
        NoteWhat::MountHides { destination, entries: 2, .. } if destination == "/init"
    )));
    assert_eq!(edge(&d, &m.id).label(), "/init · bind · ro");
    assert_eq!(source(&d, &m.source).path, "/home/user/new");
}

#[test]
fn tmpfs_lives_in_memory_and_empties_when_the_container_stops() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &["docker run -d --name tm --tmpfs /cache alpine sh -c 'touch /cache/x; sleep 600'"],
    );
    let t = source(&d, "dg-tmpfs-tm-cache");
    assert_eq!(
        (t.kind, t.region, t.storage),
        (ElementKind::Tmpfs, Region::Memory, Kind::Tmpfs)
    );
    assert!(
        matches!(t.detail, SourceDetail::Tmpfs { entries: 1, .. }),
        "{t:?}"
    );
    assert_eq!(edge(&d, "dg-mount-tm-cache").label(), "/cache · tmpfs · rw");
    let d = after(&mut s, &["docker stop tm"]);
    let t = source(&d, "dg-tmpfs-tm-cache");
    assert!(
        matches!(t.detail, SourceDetail::Tmpfs { entries: 0, .. }),
        "{t:?}"
    );
    assert!(!disk(&d, "tm").mounts[0].active);
    assert!(d
        .notes
        .iter()
        .any(|n| matches!(n.what, NoteWhat::Stopped { tmpfs_lost: 1, .. })));
}

#[test]
fn the_network_share_is_its_own_region() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &["docker run --name share-test -v /mnt/share:/shared alpine sh -c 'echo data > /shared/a.txt'"],
    );
    let src = source(&d, "dg-bind-mnt-share");
    assert_eq!(src.kind, ElementKind::NetworkShare);
    assert_eq!(src.region, Region::NetworkShare);
    assert_eq!(src.storage, Kind::NetworkBind);
    let e = edge(&d, "dg-mount-share-test-shared");
    assert_eq!(e.kind, Kind::NetworkBind);
    // The write landed on the share: the mount, the connector and the share flash.
    assert!(e.changed && src.changed);
    let note = d
        .notes
        .iter()
        .find(|n| matches!(n.what, NoteWhat::MountWrite { .. }))
        .expect("a write note");
    assert_eq!(
        note.what,
        NoteWhat::MountWrite {
            container: "share-test".into(),
            path: "/shared/a.txt".into(),
            destination: "/shared".into(),
            kind: Kind::NetworkBind,
            into: "/mnt/share".into(),
            removed: false,
        }
    );
    assert_eq!(
        note.targets,
        ["dg-mount-share-test-shared", "dg-bind-mnt-share"]
    );
    // The mount point the start made in the writable layer is no write of the learner's.
    assert!(
        !d.notes
            .iter()
            .any(|n| matches!(&n.what, NoteWhat::Wrote { path, .. } if path == "/shared")),
        "{:#?}",
        d.notes
    );
}

#[test]
fn copy_up_and_whiteout_are_noted_on_the_writable_layer() {
    let mut s = Session::new();
    let d = after(
        &mut s,
        &["docker run --name t1 alpine sh -c 'echo hi >> /etc/motd; rm /etc/issue'"],
    );
    let t1 = disk(&d, "t1");
    assert!(t1.writable.changed);
    assert!(
        t1.writable.modified >= 1 && t1.writable.removed == 1,
        "{:?}",
        t1.writable
    );
    let copy = d
        .notes
        .iter()
        .find(|n| matches!(n.what, NoteWhat::CopyUp { .. }))
        .expect("a copy-up");
    assert_eq!(
        copy.what,
        NoteWhat::CopyUp {
            container: "t1".into(),
            path: "/etc/motd".into(),
            from_layer: 0
        }
    );
    assert_eq!(copy.targets, ["dg-writable-t1", "dg-layer-alpine-latest-1"]);
    assert!(layer(&d, "dg-layer-alpine-latest-1").changed);
    assert!(d.notes.iter().any(|n| n.what
        == NoteWhat::Whiteout {
            container: "t1".into(),
            path: "/etc/issue".into()
        }));
}

#[test]
fn rm_takes_the_writable_layer_and_leaves_the_volume_rm_v_takes_the_anonymous_one() {
    let mut s = Session::new();
    after(
        &mut s,
        &[
            "docker volume create keep",
            "docker run --name aa -v keep:/keep -v /scratch alpine touch /keep/x /scratch/y /z",
        ],
    );
    let anon = s
        .world()
        .volumes()
        .list(&[])
        .unwrap()
        .into_iter()
        .find(|v| v.meta.is_anonymous())
        .map(|v| v.meta.name.clone())
        .expect("-v /scratch made an anonymous volume");
    // docker rm: the writable layer goes, both volumes stay.
    let mut s2 = s.clone();
    let d = after(&mut s2, &["docker rm aa"]);
    assert!(d.containers.is_empty());
    let gone = &d.removed[0];
    assert_eq!(gone.kind, ElementKind::WritableLayer);
    assert_eq!(gone.name, "aa");
    assert_eq!(gone.id, "dg-removed-writable-aa");
    assert!(gone.changes >= 1);
    let mut kept = vec!["keep".to_string(), anon.clone()];
    kept.sort();
    assert_eq!(gone.volumes_kept, kept);
    assert!(
        source(&d, "dg-volume-keep").changed,
        "the volume that stays is shown"
    );
    assert!(source(&d, &format!("dg-volume-{anon}")).users.is_empty());
    // docker rm -v: the anonymous volume goes with it, the named one stays.
    let d = after(&mut s, &["docker rm -v aa"]);
    let kinds: Vec<(ElementKind, &str)> = d
        .removed
        .iter()
        .map(|r| (r.kind, r.name.as_str()))
        .collect();
    assert!(
        kinds.contains(&(ElementKind::WritableLayer, "aa")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(ElementKind::Volume, anon.as_str())),
        "{kinds:?}"
    );
    assert_eq!(
        d.removed
            .iter()
            .find(|r| r.kind == ElementKind::WritableLayer)
            .unwrap()
            .volumes_kept,
        ["keep"]
    );
    assert!(d.sources.iter().any(|s| s.name == "keep"));
    assert!(!d.sources.iter().any(|s| s.name == anon));
    assert!(d.notes.iter().any(|n| n.what
        == NoteWhat::VolumeRemoved {
            name: anon.clone(),
            anonymous: true
        }));
    // The removed volume is laid out in Docker's area, as an outline.
    let l = layout(&d, false);
    assert!(l.boxes.contains_key(&format!("dg-removed-volume-{anon}")));
}

#[test]
fn more_than_six_containers_are_picked_from() {
    let mut s = Session::new();
    for i in 1..=8 {
        s.run_line(&format!("docker create --name c{i} alpine"));
    }
    let d = diagram(s.world(), &[], None, &[]);
    assert_eq!(d.containers.len(), MAX_SHOWN);
    assert_eq!(d.not_shown, ["c2", "c1"]);
    let picked = diagram(s.world(), &[], None, &["c1".to_string(), "c8".to_string()]);
    let names: Vec<&str> = picked.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["c1", "c8"]);
    assert_eq!(picked.not_shown.len(), 6);
    // Ids stay unique and layout gives every disk a column of its own.
    let l = layout(&d, true);
    let mut xs: Vec<i32> = d.containers.iter().map(|c| l.rect(&c.id).x).collect();
    xs.dedup();
    assert_eq!(xs.len(), MAX_SHOWN);
}

#[test]
fn a_loop_that_makes_or_removes_hundreds_draws_a_few_and_counts_the_rest() {
    let mut s = Session::new();
    // Volumes nobody drawn uses: the newest ones (the step made them) are drawn first.
    let d = after(
        &mut s,
        &["for i in $(seq 1 30); do docker volume create v$i; done"],
    );
    let volumes = d.sources.iter().filter(|s| s.kind == ElementKind::Volume);
    assert_eq!(volumes.count(), MAX_UNUSED_SOURCES);
    assert_eq!(d.sources_more, 30 - MAX_UNUSED_SOURCES);
    // One a drawn container mounts is always drawn.
    let d = after(&mut s, &["docker run --name c1 -v v30:/data alpine true"]);
    assert!(d
        .sources
        .iter()
        .any(|s| s.name == "v30" && !s.users.is_empty()));
    assert_eq!(d.sources_more, 29 - MAX_UNUSED_SOURCES);
    // Twenty containers removed by one line: six outlines, the rest counted.
    let mut s = Session::new();
    let d = after(
        &mut s,
        &["for i in $(seq 1 20); do docker run --rm alpine true; done"],
    );
    assert_eq!(d.removed.len(), MAX_REMOVED);
    assert_eq!(d.removed_more, 20 - MAX_REMOVED);
    assert_eq!((d.sources.len(), d.sources_more), (0, 0));
}
