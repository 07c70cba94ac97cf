//! The view model over a real session: chapter scenarios typed at the shell, then the panels'
//! data and the explanations checked.

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

use std::sync::Arc;

use layerbox_engine::image::{HistoryEntry, Image, ImageConfig};
use layerbox_engine::world::CreateRequest;
use layerbox_fstree::{Cred, FileSystem, Layer, Tree};
use layerbox_i18n::Lang;
use layerbox_session::{LineResult, Session};
use layerbox_view::*;

/// Runs `line`, which must succeed, and returns its result.
fn run(s: &mut Session, line: &str) -> LineResult {
    let r = s.run_line(line);
    assert_eq!(r.code, 0, "{line}: {}", r.text());
    r
}

/// Runs `line` and explains it in both languages.
fn told(s: &mut Session, line: &str) -> (Vec<String>, Vec<String>) {
    let before = s.world().clone();
    let r = run(s, line);
    let w = s.world();
    (
        explain(&r.changes, Some(&before), w, Lang::En),
        explain(&r.changes, Some(&before), w, Lang::Ko),
    )
}

fn has(sentences: &[String], needle: &str) -> bool {
    sentences.iter().any(|t| t.contains(needle))
}

fn node<'a>(nodes: &'a [Node], name: &str) -> &'a Node {
    nodes
        .iter()
        .find(|n| n.entry.name == name && n.hidden.is_none())
        .unwrap_or_else(|| panic!("no {name} in {nodes:#?}"))
}

fn ghost<'a>(nodes: &'a [Node], name: &str) -> &'a Node {
    nodes
        .iter()
        .find(|n| n.entry.name == name && n.hidden.is_some())
        .unwrap_or_else(|| panic!("no ghost {name} in {nodes:#?}"))
}

/// `docker volume create todo-list` and the todo app on it, as chapter 6 starts.
fn todo_app() -> Session {
    let mut s = Session::new();
    run(&mut s, "docker volume create todo-list");
    run(
        &mut s,
        "docker run -d --name todo-v1 -v todo-list:/data diamol/ch06-todo-list",
    );
    s
}

#[test]
fn kinds_use_the_legends_keys_in_its_order() {
    let keys: Vec<&str> = Kind::ALL.iter().map(|k| k.key()).collect();
    assert_eq!(
        keys,
        ["image", "writable", "volume", "bind", "netshare", "tmpfs", "managed", "procfs"]
    );
    let classes: Vec<&str> = Kind::ALL.iter().map(|k| k.css_class()).collect();
    assert_eq!(
        classes,
        [
            "kind-image",
            "kind-writable",
            "kind-volume",
            "kind-bind",
            "kind-netshare",
            "kind-tmpfs",
            "kind-managed",
            "kind-procfs"
        ]
    );
}

#[test]
fn volume_create_is_explained_and_listed_unused() {
    let mut s = Session::new();
    let (en, ko) = told(&mut s, "docker volume create todo-list");
    assert_eq!(
        en,
        ["The empty volume todo-list was created; it belongs to no container and stays until docker volume rm."]
    );
    assert_eq!(
        ko,
        ["빈 볼륨(todo-list)을 만들었습니다. 어느 컨테이너에도 속하지 않으며, docker volume rm 할 때까지 남습니다."]
    );
    let vols = volumes(s.world());
    assert_eq!(vols.len(), 1);
    assert_eq!(vols[0].name, "todo-list");
    assert!(!vols[0].anonymous);
    assert_eq!(vols[0].origin, VolumeOrigin::Create);
    assert!(vols[0].users.is_empty());
}

#[test]
fn storage_map_shows_where_each_root_entry_lives() {
    let s = todo_app();
    let w = s.world();
    let root = storage_children(w, "todo-v1", "/", false).expect("root");
    let data = node(&root, "data");
    assert_eq!(data.kind, Kind::Volume);
    assert!(data.mount_point);
    assert!(
        matches!(&data.backs, Backs::Volume { name, anonymous: false, destination } if name == "todo-list" && destination == "/data")
    );
    let app = node(&root, "app");
    assert_eq!(app.kind, Kind::ImageLayer);
    assert!(matches!(app.backs, Backs::ImageLayer { index: 1, .. }));
    assert_eq!(app.instruction.as_deref(), Some("COPY app/ /app/"));
    assert_eq!(app.entry.mode, "drwxr-xr-x");
    assert_eq!(
        (app.entry.owner.as_str(), app.entry.group.as_str()),
        ("root", "root")
    );
    // /etc merges the init layer's placeholders into alpine's directory: shown from alpine.
    assert!(matches!(
        node(&root, "etc").backs,
        Backs::ImageLayer { index: 0, .. }
    ));
    assert_eq!(node(&root, ".dockerenv").kind, Kind::DockerManaged);
    let names: Vec<&str> = root.iter().map(|n| n.entry.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sorted like ls");
    let etc = storage_children(w, "todo-v1", "/etc", false).expect("etc");
    let hostname = node(&etc, "hostname");
    assert_eq!(hostname.kind, Kind::DockerManaged);
    assert!(hostname.mount_point);
    let mtab = node(&etc, "mtab");
    assert_eq!(mtab.entry.symlink_target.as_deref(), Some("/proc/mounts"));
    assert!(!mtab.entry.expandable);
    assert_eq!(
        storage_children(w, "todo-v1", "/etc/passwd", false),
        Err(ViewError::NotADirectory("/etc/passwd".into()))
    );
    assert_eq!(
        storage_children(w, "nope", "/", false),
        Err(ViewError::NoSuchContainer("nope".into()))
    );
}

#[test]
fn changing_an_image_file_copies_it_up_and_the_original_shows_as_shadowed() {
    let mut s = todo_app();
    let (en, ko) = told(
        &mut s,
        "docker exec todo-v1 sh -c 'echo debug=1 >> /app/appsettings.json'",
    );
    assert_eq!(
        en,
        ["/app/appsettings.json was copied up from image layer 2 (COPY app/ /app/) into todo-v1's writable layer before it changed; the image layer itself is untouched."]
    );
    assert_eq!(
        ko,
        ["/app/appsettings.json 파일은 이미지 레이어 2(COPY app/ /app/)에 있던 것입니다. 바꾸기 전에 도커가 todo-v1 컨테이너의 기록 가능 레이어로 복사(copy-up)했고, 이미지 레이어는 그대로입니다."]
    );
    let w = s.world();
    let app = storage_children(w, "todo-v1", "/app", true).expect("app");
    let copied = node(&app, "appsettings.json");
    assert_eq!(copied.kind, Kind::WritableLayer);
    assert_eq!(
        copied.backs,
        Backs::WritableLayer {
            copied_up_from: Some(1)
        }
    );
    assert_eq!(copied.instruction.as_deref(), Some("COPY app/ /app/"));
    assert_eq!(
        badge(&copied.backs, Lang::En),
        "writable · copied up from layer 2"
    );
    let original = ghost(&app, "appsettings.json");
    assert!(matches!(original.backs, Backs::ImageLayer { index: 1, .. }));
    let g = original.hidden.as_ref().expect("ghost");
    assert_eq!(g.hidden_by, Kind::WritableLayer);
    assert!(matches!(
        g.why,
        HiddenWhy::Shadowed {
            from_layer: 1,
            by: Backing::Upper
        }
    ));
    let at = |name: &str, hidden: bool| {
        app.iter()
            .position(|n| n.entry.name == name && n.hidden.is_some() == hidden)
    };
    assert_eq!(
        at("appsettings.json", true),
        at("appsettings.json", false).map(|i| i + 1),
        "the ghost follows its visible name"
    );
    assert_eq!(node(&app, "start.sh").kind, Kind::ImageLayer);
    let without = storage_children(w, "todo-v1", "/app", false).expect("app");
    assert!(without.iter().all(|n| n.hidden.is_none()));
}

#[test]
fn deleting_an_image_file_leaves_a_whiteout_ghost_and_a_removal_in_the_layers() {
    let mut s = todo_app();
    let (en, ko) = told(&mut s, "docker exec todo-v1 rm /etc/motd");
    assert_eq!(en.len(), 1);
    assert!(en[0].starts_with("/etc/motd was deleted only in todo-v1's view: a whiteout in its writable layer hides it, and the original stays in image layer 1 (ADD alpine-minirootfs"), "{en:?}");
    assert!(ko[0].starts_with("/etc/motd 파일은 todo-v1 컨테이너에서만 지워졌습니다. 기록 가능 레이어의 화이트아웃(whiteout)이 가릴 뿐, 이미지 레이어 1("), "{ko:?}");
    let w = s.world();
    let etc = storage_children(w, "todo-v1", "/etc", false).expect("etc");
    assert!(etc.iter().all(|n| n.entry.name != "motd"));
    let etc = storage_children(w, "todo-v1", "/etc", true).expect("etc");
    let motd = ghost(&etc, "motd");
    assert!(matches!(
        motd.hidden.as_ref().map(|g| &g.why),
        Some(HiddenWhy::Whiteout {
            from_layer: 0,
            by: Backing::Upper
        })
    ));
    // The layer panel's writable row counts what `docker diff` lists.
    let stack = layer_stack(w, Target::Container("todo-v1")).expect("stack");
    let top = stack.rows.last().expect("writable");
    assert_eq!(top.layer, Some(LayerRef::Writable));
    let diff = w.diff("todo-v1").expect("diff");
    assert_eq!(top.added + top.modified + top.removed, diff.len());
    assert_eq!(top.removed, 1);
    let changes =
        layer_changes(w, Target::Container("todo-v1"), LayerRef::Writable).expect("changes");
    assert!(changes
        .iter()
        .any(|c| c.path == "/etc/motd" && c.what == LayerChangeKind::Removed));
    let merged = merged_children(w, Target::Container("todo-v1"), LayerRef::Writable, "/etc")
        .expect("merged");
    let m = merged
        .iter()
        .find(|m| m.entry.name == "motd")
        .expect("motd listed as removed");
    assert_eq!(m.change, Some(LayerChangeKind::Removed));
    let passwd = merged
        .iter()
        .find(|m| m.entry.name == "passwd")
        .expect("passwd");
    assert_eq!(
        (passwd.change, passwd.touched, passwd.layer),
        (None, false, LayerRef::Image(0))
    );
}

#[test]
fn layer_stack_lists_instructions_sizes_counts_and_sharing() {
    let s = todo_app();
    let w = s.world();
    let stack = layer_stack(w, Target::Image("diamol/ch06-todo-list")).expect("stack");
    assert_eq!(stack.image, "diamol/ch06-todo-list:latest");
    let with_layer: Vec<&LayerRow> = stack.rows.iter().filter(|r| r.layer.is_some()).collect();
    assert_eq!(with_layer.len(), 3);
    assert!(with_layer[0]
        .created_by
        .starts_with("ADD alpine-minirootfs"));
    assert!(with_layer[0]
        .shared_by
        .contains(&"alpine:latest".to_string()));
    assert!(with_layer[0].shared_by.contains(&"todo-v1".to_string()));
    assert!(with_layer[0].added > 50 && with_layer[0].size > 0);
    assert_eq!(
        (
            with_layer[1].created_by.as_str(),
            with_layer[1].added,
            with_layer[1].modified,
            with_layer[1].removed
        ),
        ("COPY app/ /app/ # buildkit", 3, 0, 0)
    );
    assert_eq!(with_layer[1].shared_by, ["todo-v1"]);
    let volume_row = stack
        .rows
        .iter()
        .find(|r| r.created_by == "VOLUME [/data]")
        .expect("VOLUME row");
    assert_eq!((volume_row.layer, volume_row.size), (None, 0));
    for (i, row) in with_layer.iter().enumerate() {
        let changes = layer_changes(
            w,
            Target::Image("diamol/ch06-todo-list"),
            LayerRef::Image(i),
        )
        .expect("changes");
        assert_eq!(
            changes.len(),
            row.added + row.modified + row.removed,
            "layer {i}"
        );
    }
    let own = layer_changes(
        w,
        Target::Image("diamol/ch06-todo-list"),
        LayerRef::Image(1),
    )
    .expect("changes");
    let paths: Vec<&str> = own.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["/app", "/app/appsettings.json", "/app/start.sh"]);
    assert!(own.iter().all(|c| c.what == LayerChangeKind::Added));
    let merged = merged_children(
        w,
        Target::Image("diamol/ch06-todo-list"),
        LayerRef::Image(1),
        "/",
    )
    .expect("merged");
    let app = merged.iter().find(|m| m.entry.name == "app").expect("app");
    assert_eq!(
        (app.change, app.touched, app.layer),
        (Some(LayerChangeKind::Added), true, LayerRef::Image(1))
    );
    let etc = merged.iter().find(|m| m.entry.name == "etc").expect("etc");
    assert_eq!((etc.change, etc.touched), (None, false));
    let container = layer_stack(w, Target::Container("todo-v1")).expect("stack");
    let tail: Vec<Option<LayerRef>> = container
        .rows
        .iter()
        .rev()
        .take(2)
        .map(|r| r.layer)
        .collect();
    assert_eq!(tail, [Some(LayerRef::Writable), Some(LayerRef::Init)]);
    assert_eq!(container.container.as_deref(), Some("todo-v1"));
    assert!(layer_stack(w, Target::Image("nosuch")).is_err());
}

#[test]
fn bind_mount_over_a_non_empty_directory_hides_the_image_files() {
    let mut s = Session::new();
    run(&mut s, "mkdir x && echo 1 > x/a.txt");
    let (en, ko) = told(
        &mut s,
        "docker run -d --name b1 -v /home/user/x:/init diamol/ch06-bind-mount sleep 1000",
    );
    assert!(has(&en, "The bind mount of the host's /home/user/x mounted at /init hides the 2 entries b1's image has there; they are not deleted, just out of sight."), "{en:?}");
    assert!(has(&ko, "b1 컨테이너의 /init에 호스트의 /home/user/x 경로를 바인드 마운트해서, 이미지가 그 자리에 둔 항목 2개가 가려졌습니다. 지워진 것이 아니라 보이지 않을 뿐이며, 이미지에 그대로 있습니다."), "{ko:?}");
    let w = s.world();
    let init = storage_children(w, "b1", "/init", true).expect("init");
    let a = node(&init, "a.txt");
    assert_eq!(a.kind, Kind::LocalBind);
    assert!(
        matches!(&a.backs, Backs::Bind { host_path, network_share: false, .. } if host_path == "/home/user/x/a.txt")
    );
    assert_eq!(
        a.entry.owner, "1000",
        "owner names come from the container's passwd"
    );
    for name in ["abc.txt", "def.txt"] {
        let g = ghost(&init, name);
        assert!(matches!(g.backs, Backs::ImageLayer { index: 1, .. }));
        let why = g.hidden.as_ref().expect("ghost");
        assert_eq!(why.hidden_by, Kind::LocalBind);
        assert!(matches!(&why.why, HiddenWhy::Mount { destination, .. } if destination == "/init"));
    }
    let rows = mount_table(w, "b1").expect("mounts");
    let bind = &rows[0];
    assert_eq!(
        (
            bind.mount_type,
            bind.source.as_str(),
            bind.destination.as_str(),
            bind.mode.as_str(),
            bind.rw,
            bind.propagation.as_str(),
            bind.in_inspect
        ),
        ("bind", "/home/user/x", "/init", "", true, "rprivate", true)
    );
    assert_eq!(bind.kind, Kind::LocalBind);
    let managed: Vec<&str> = rows
        .iter()
        .filter(|r| !r.in_inspect)
        .map(|r| r.destination.as_str())
        .collect();
    assert_eq!(managed, ["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"]);
    // The host side: the source, what leads to it, and what is in it.
    let home = host_children(w, "/home/user").expect("home");
    let x = home.iter().find(|n| n.entry.name == "x").expect("x");
    assert_eq!(x.kind, Some(Kind::LocalBind));
    assert_eq!(x.binds[0].relation, BindRelation::Source);
    assert_eq!(
        (
            x.binds[0].container.as_str(),
            x.binds[0].destination.as_str()
        ),
        ("b1", "/init")
    );
    assert_eq!(x.entry.owner, "user");
    let top = host_children(w, "/home").expect("home");
    assert_eq!(top[0].binds[0].relation, BindRelation::ContainsSource);
    assert_eq!(top[0].kind, None);
    let inside = host_children(w, "/home/user/x").expect("x");
    assert_eq!(inside[0].binds[0].relation, BindRelation::InsideSource);
    // A write through the bind lands on the host, and is highlighted there.
    let before = s.world().clone();
    let r = run(&mut s, "docker exec b1 sh -c 'echo 2 > /init/b.txt'");
    let w = s.world();
    let en = explain(&r.changes, Some(&before), w, Lang::En);
    assert_eq!(en, ["b1 wrote /init/b.txt straight to the host's /home/user/x/b.txt through the bind mount; the file lives on the host, not in the container."]);
    let h = highlights(&r.changes, w);
    assert!(h.host_paths.contains("/home/user/x/b.txt"));
    assert!(h.host_dir("/home/user"));
    let id = w.container_id("b1").expect("id");
    assert!(h.container_path(&id, "/init/b.txt"));
    assert!(h.container_dir(&id, "/init"));
}

#[test]
fn network_share_bind_is_marked_and_its_cost_explained() {
    let mut s = Session::new();
    let (en, _) = told(
        &mut s,
        "docker run -d --name s1 -v /mnt/share/rep:/rep alpine sleep 1000",
    );
    assert!(has(&en, "The host directory /mnt/share/rep did not exist, so Docker created it, owned by root, for the bind mount."), "{en:?}");
    let (en, ko) = told(&mut s, "docker exec s1 sh -c 'echo 2 > /rep/b.txt'");
    assert_eq!(en.len(), 1);
    assert!(en[0].starts_with("s1 wrote /rep/b.txt on the network share (/mnt/share/rep/b.txt) through its bind mount;"), "{en:?}");
    assert!(en[0].contains("over the network took about"));
    assert!(
        ko[0].starts_with(
            "s1 컨테이너가 바인드 마운트를 통해 네트워크 공유의 /mnt/share/rep/b.txt에 썼습니다."
        ),
        "{ko:?}"
    );
    let w = s.world();
    let usage = w.host().share.usage();
    let rep = storage_children(w, "s1", "/rep", false).expect("rep");
    assert_eq!(node(&rep, "b.txt").kind, Kind::NetworkBind);
    let mnt = host_children(w, "/mnt").expect("mnt");
    let share = &mnt[0];
    assert!(share.share_mount && share.network_share);
    assert_eq!(share.binds[0].relation, BindRelation::ContainsSource);
    let on_share = host_children(w, "/mnt/share").expect("share");
    assert_eq!(on_share[0].entry.name, "rep");
    assert_eq!(on_share[0].kind, Some(Kind::NetworkBind));
    assert_eq!(
        w.host().share.usage(),
        usage,
        "looking is not a share operation"
    );
    assert_eq!(
        mount_table(w, "s1").expect("mounts")[0].kind,
        Kind::NetworkBind
    );
}

#[test]
fn tmpfs_content_shows_while_running_and_is_lost_on_stop() {
    let mut s = Session::new();
    run(
        &mut s,
        "docker run -d --name t1 --tmpfs /scratch alpine sleep 1000",
    );
    let (en, ko) = told(&mut s, "docker exec t1 sh -c 'echo x > /scratch/f'");
    assert_eq!(
        en,
        ["t1 wrote /scratch/f in a tmpfs: it is in memory only and is lost when t1 stops."]
    );
    assert_eq!(ko, ["t1 컨테이너가 /scratch/f 파일을 tmpfs에 썼습니다. 메모리에만 있어서 컨테이너가 멈추면 사라집니다."]);
    let w = s.world();
    let scratch = storage_children(w, "t1", "/scratch", false).expect("scratch");
    assert_eq!(node(&scratch, "f").kind, Kind::Tmpfs);
    let root = storage_children(w, "t1", "/", false).expect("root");
    assert!(node(&root, "scratch").mount_point);
    let rows = mount_table(w, "t1").expect("mounts");
    let tmpfs = rows
        .iter()
        .find(|r| r.destination == "/scratch")
        .expect("tmpfs row");
    assert_eq!(
        (tmpfs.kind, tmpfs.mount_type, tmpfs.in_inspect, tmpfs.active),
        (Kind::Tmpfs, "tmpfs", false, true)
    );
    let (en, ko) = told(&mut s, "docker stop t1");
    assert_eq!(
        en,
        ["t1 stopped, and the 1 entry in its tmpfs was lost: a tmpfs lives in memory only."]
    );
    assert_eq!(ko, ["t1 컨테이너가 멈추면서 tmpfs에 있던 항목 1개가 사라졌습니다. tmpfs는 메모리에만 있기 때문입니다."]);
    let w = s.world();
    assert!(storage_children(w, "t1", "/scratch", false)
        .expect("scratch")
        .is_empty());
    assert!(
        !mount_table(w, "t1")
            .expect("mounts")
            .iter()
            .find(|r| r.destination == "/scratch")
            .expect("row")
            .active
    );
}

#[test]
fn rm_v_takes_the_anonymous_volume_and_the_named_one_survives() {
    let mut s = Session::new();
    run(
        &mut s,
        "docker run -d --name both -v named:/a -v /b alpine sleep 1000",
    );
    run(
        &mut s,
        "docker exec both sh -c 'echo 1 > /a/keep; echo 2 > /b/lose'",
    );
    let vols = volumes(s.world());
    assert_eq!(vols.len(), 2);
    let named = vols.iter().find(|v| v.name == "named").expect("named");
    assert_eq!(
        (named.anonymous, named.origin, named.size),
        (false, VolumeOrigin::VolumeFlag, 2)
    );
    assert_eq!(named.users.len(), 1);
    assert_eq!(
        (
            named.users[0].container.as_str(),
            named.users[0].destination.as_str(),
            named.users[0].running
        ),
        ("both", "/a", true)
    );
    let anon = vols.iter().find(|v| v.anonymous).expect("anonymous");
    let files = volume_children(s.world(), &anon.name, "/").expect("files");
    assert_eq!(
        files.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["lose"]
    );
    let anon_short = anon.name[..12].to_string();
    let (en, ko) = told(&mut s, "docker rm -f -v both");
    assert_eq!(
        en,
        [
            "both was removed together with its writable layer: its 2 changes (0 B) are gone."
                .to_string(),
            "The volume named survived: its data stays until docker volume rm.".to_string(),
            format!("The anonymous volume {anon_short} was deleted with its data (2 B)."),
        ]
    );
    assert_eq!(
        ko[1],
        "named 볼륨은 남아 있습니다. 데이터는 docker volume rm 할 때까지 유지됩니다."
    );
    assert_eq!(
        ko[2],
        format!("익명 볼륨({anon_short})도 데이터(2 B)와 함께 삭제되었습니다.")
    );
    let vols = volumes(s.world());
    assert_eq!(
        vols.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["named"]
    );
    assert!(vols[0].users.is_empty());
    assert_eq!(
        volume_children(s.world(), "gone", "/"),
        Err(ViewError::NoSuchVolume("gone".into()))
    );
}

#[test]
fn an_image_volume_names_the_image_and_is_filled_from_it() {
    let mut s = Session::new();
    let (en, ko) = told(&mut s, "docker run -d --name pg postgres");
    let vols = volumes(s.world());
    assert_eq!(vols.len(), 1);
    assert_eq!(
        (vols[0].origin, vols[0].origin_image.as_deref()),
        (VolumeOrigin::ImageVolume, Some("postgres"))
    );
    let short = &vols[0].name[..12];
    assert!(has(&en, &format!("The image postgres declares VOLUME /var/lib/postgresql/data, so Docker created the anonymous volume {short} for it.")), "{en:?}");
    assert!(has(&ko, &format!("이미지 postgres에 VOLUME /var/lib/postgresql/data 선언이 있어서, 도커가 /var/lib/postgresql/data에 쓸 익명 볼륨({short})을 만들었습니다.")), "{ko:?}");
}

#[test]
fn commit_turns_the_writable_layer_into_a_new_image_layer() {
    let mut s = todo_app();
    run(
        &mut s,
        "docker exec todo-v1 sh -c 'echo debug=1 >> /app/appsettings.json; rm /etc/motd'",
    );
    let (en, ko) = told(&mut s, "docker commit todo-v1 mytodo");
    assert_eq!(en.len(), 1);
    assert!(
        en[0].starts_with("todo-v1's writable layer was frozen into a new read-only layer ("),
        "{en:?}"
    );
    assert!(
        en[0].ends_with(
            "of the new image mytodo:latest; volume and bind-mount content is not in it."
        ),
        "{en:?}"
    );
    assert!(
        ko[0].contains("새 이미지(mytodo:latest)를 만들었습니다."),
        "{ko:?}"
    );
    let w = s.world();
    let stack = layer_stack(w, Target::Image("mytodo")).expect("stack");
    let last = stack
        .rows
        .iter()
        .rev()
        .find(|r| r.layer.is_some())
        .expect("layer");
    assert_eq!(last.layer, Some(LayerRef::Image(3)));
    assert!(last.removed >= 1 && last.modified >= 1);
    let first = stack
        .rows
        .iter()
        .find(|r| r.layer == Some(LayerRef::Image(1)))
        .expect("COPY");
    assert!(first
        .shared_by
        .contains(&"diamol/ch06-todo-list:latest".to_string()));
    assert!(first.shared_by.contains(&"todo-v1".to_string()));
    let own = layer_changes(w, Target::Image("mytodo"), LayerRef::Image(3)).expect("changes");
    assert!(own
        .iter()
        .any(|c| c.path == "/etc/motd" && c.what == LayerChangeKind::Removed));
    assert!(own
        .iter()
        .any(|c| c.path == "/app/appsettings.json" && c.what == LayerChangeKind::Modified));
    assert!(
        own.iter().all(|c| !c.path.starts_with("/data/")),
        "volume content is not committed"
    );
}

#[test]
fn commands_that_touch_no_storage_say_nothing() {
    let mut s = todo_app();
    for line in ["docker ps", "ls", "docker diff todo-v1", "docker volume ls"] {
        let (en, ko) = told(&mut s, line);
        assert!(en.is_empty() && ko.is_empty(), "{line}: {en:?} {ko:?}");
    }
    let r = run(&mut s, "docker ps");
    assert!(highlights(&r.changes, s.world()).is_empty());
}

#[test]
fn many_copy_ups_are_counted_not_listed() {
    let mut s = todo_app();
    let (en, ko) = told(
        &mut s,
        "docker exec todo-v1 sh -c 'touch /etc/passwd /etc/group /etc/motd /etc/hostname /app/start.sh'",
    );
    assert!(has(&en, "4 files were copied up from the image layers into todo-v1's writable layer before they changed"), "{en:?}");
    assert!(has(&ko, "파일 4개가 바뀌기 전에 이미지 레이어에서 todo-v1 컨테이너의 기록 가능 레이어로 복사(copy-up)되었습니다."), "{ko:?}");
}

#[test]
fn volume_writes_are_highlighted_in_the_volume() {
    let mut s = todo_app();
    let r = run(&mut s, "docker exec todo-v1 add-todo milk");
    let w = s.world();
    let h = highlights(&r.changes, w);
    assert!(h.volumes.contains("todo-list"));
    assert!(h.volume_dir("todo-list", "/"));
    assert!(h
        .volume_paths
        .contains(&("todo-list".to_string(), "/todo-list.db".to_string())));
    let en = explain(&r.changes, None, w, Lang::En);
    assert_eq!(en, ["todo-v1 wrote /data/todo-list.db in the volume todo-list, which outlives the container."]);
    let files = volume_children(w, "todo-list", "/").expect("files");
    assert_eq!(files[0].name, "todo-list.db");
    assert!(files[0].size > 0);
}

/// An image of one layer holding `/big` with `n` files.
fn big_image(n: usize) -> Image {
    let mut t = Tree::new();
    t.mkdir(&Cred::root(), "/big", 0o755, 0).expect("mkdir");
    for i in 0..n {
        t.write_file(&Cred::root(), &format!("/big/f{i:05}"), b"x", 0o644, 0)
            .expect("write");
    }
    Image {
        id: "b".repeat(64),
        repo_tags: vec!["bench/flat:latest".into()],
        parent: None,
        layers: vec![Arc::new(Layer::from_tree(t))],
        history: vec![HistoryEntry {
            created: 0,
            created_by: "COPY big /big".into(),
            empty_layer: false,
            comment: String::new(),
        }],
        config: ImageConfig::default(),
        created: 0,
        last_tag_time: Some(0),
        committed: None,
    }
}

#[test]
fn a_directory_of_ten_thousand_files_is_listed_with_one_lookup_per_entry() {
    let mut world = layerbox_engine::world::World::new().expect("world");
    world.load_image(big_image(10_000));
    let w = &mut world;
    let id = w
        .create_container(&CreateRequest {
            name: Some("big".into()),
            image: "bench/flat".into(),
            cmd: Some(vec!["true".into()]),
            ..Default::default()
        })
        .expect("create");
    w.start_container(&id).expect("start");
    let w = &world;
    let started = std::time::Instant::now();
    let nodes = storage_children(w, "big", "/big", true).expect("big");
    let took = started.elapsed();
    assert_eq!(nodes.len(), 10_000);
    assert!(nodes.iter().all(|n| n.kind == Kind::ImageLayer));
    assert_eq!(nodes[9_999].entry.name, "f09999");
    // Generous even for an unoptimised build on a busy machine; a walk of the image per entry
    // (10^8 lookups) would take minutes.
    assert!(took.as_secs() < 10, "{took:?}");
    let page = storage_children_page(w, "big", "/big", true, 0..200).expect("page");
    assert_eq!((page.total, page.nodes.len()), (10_000, 200));
    assert_eq!(page.nodes[..], nodes[..200]);
    let started = std::time::Instant::now();
    let root = storage_children(w, "big", "/", true).expect("root");
    assert!(root.iter().any(|n| n.entry.name == "big"));
    let merged =
        merged_children(w, Target::Container("big"), LayerRef::Image(0), "/big").expect("merged");
    assert_eq!(merged.len(), 10_000);
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn mount_table_agrees_with_docker_inspect() {
    let mut s = Session::new();
    run(&mut s, "mkdir x");
    run(
        &mut s,
        "docker run -d --name m1 -v named:/a -v /home/user/x:/b:ro --mount type=tmpfs,target=/t --mount type=volume,target=/v --tmpfs /s:size=64m alpine sleep 1000",
    );
    let inspect = run(&mut s, "docker inspect --format '{{json .Mounts}}' m1").text();
    let listed: Vec<serde_json::Value> = serde_json::from_str(&inspect).expect("json");
    let rows = mount_table(s.world(), "m1").expect("mounts");
    let ours: Vec<serde_json::Value> = rows
        .iter()
        .filter(|r| r.in_inspect)
        .map(|r| {
            serde_json::json!({
                "Type": r.mount_type,
                "Name": r.name,
                "Source": r.source,
                "Destination": r.destination,
                "Mode": r.mode,
                "RW": r.rw,
                "Propagation": r.propagation,
            })
        })
        .collect();
    let theirs: Vec<serde_json::Value> = listed
        .into_iter()
        .map(|mut m| {
            if let Some(o) = m.as_object_mut() {
                o.remove("Driver");
                o.entry("Name").or_insert(serde_json::Value::from(""));
            }
            m
        })
        .collect();
    assert_eq!(ours, theirs);
    let s_row = rows
        .iter()
        .find(|r| r.destination == "/s")
        .expect("--tmpfs");
    assert_eq!((s_row.in_inspect, s_row.mode.as_str()), (false, "size=64m"));
    let t_row = rows
        .iter()
        .find(|r| r.destination == "/t")
        .expect("--mount tmpfs");
    assert_eq!((t_row.in_inspect, t_row.kind), (true, Kind::Tmpfs));
    let b_row = rows.iter().find(|r| r.destination == "/b").expect("bind");
    assert_eq!(
        (b_row.rw, b_row.origin),
        (false, Some(MountOrigin::VolumeFlag))
    );
}

#[test]
fn pages_of_a_listing_laid_end_to_end_give_the_whole_listing() {
    let mut s = todo_app();
    run(
        &mut s,
        "docker exec todo-v1 sh -c 'rm /etc/motd /etc/group; echo x >> /etc/passwd'",
    );
    let w = s.world();
    let all = storage_children(w, "todo-v1", "/etc", true).expect("etc");
    let visible = all.iter().filter(|n| n.hidden.is_none()).count();
    for size in [1, 2, 5, 7, 1000] {
        let mut joined = Vec::new();
        let mut at = 0;
        loop {
            let page =
                storage_children_page(w, "todo-v1", "/etc", true, at..at + size).expect("page");
            assert_eq!(page.total, visible);
            joined.extend(page.nodes);
            at += size;
            if at >= visible {
                break;
            }
        }
        assert_eq!(joined, all, "pages of {size}");
    }
    let past =
        storage_children_page(w, "todo-v1", "/etc", true, visible + 5..visible + 10).expect("past");
    assert!(past.nodes.is_empty());
    // A directory whose every entry was deleted still shows its ghosts.
    run(
        &mut s,
        "docker exec todo-v1 rm /app/appsettings.json /app/start.sh",
    );
    let app = storage_children(s.world(), "todo-v1", "/app", true).expect("app");
    assert_eq!(app.len(), 2);
    assert!(app.iter().all(|n| n.hidden.is_some()));
}

#[test]
fn a_bind_write_of_a_container_gone_with_run_rm_still_names_the_host_file() {
    let mut s = Session::new();
    let before = s.world().clone();
    let r = run(
        &mut s,
        "docker run --rm -v /home/user:/h alpine sh -c 'echo 1 > /h/z'",
    );
    let w = s.world();
    let en = explain(&r.changes, Some(&before), w, Lang::En);
    assert!(
        has(
            &en,
            "straight to the host's /home/user/z through the bind mount"
        ),
        "{en:?}"
    );
    assert!(
        has(
            &en,
            "was removed together with its writable layer: its 1 change (0 B) is gone."
        ),
        "{en:?}"
    );
    assert!(highlights(&r.changes, w)
        .host_paths
        .contains("/home/user/z"));
}

#[test]
fn what_a_command_makes_and_deletes_again_is_not_told() {
    let mut s = todo_app();
    let (en, ko) = told(
        &mut s,
        "docker exec todo-v1 sh -c 'mkdir /tmp/x; rmdir /tmp/x'",
    );
    assert!(en.is_empty() && ko.is_empty(), "{en:?} {ko:?}");
}

#[test]
fn an_empty_image_directory_gives_the_volume_only_its_owner() {
    let mut s = Session::new();
    let (en, ko) = told(
        &mut s,
        "docker run -d --name pg -v pgdata:/var/lib/postgresql/data postgres",
    );
    assert!(has(&en, "The volume pgdata was empty, so it took the owner and mode of the image's /var/lib/postgresql/data, which holds no files to copy."), "{en:?}");
    assert!(has(&ko, "pgdata 볼륨이 비어 있어서, 이미지의 /var/lib/postgresql/data 디렉터리의 소유자와 권한을 물려받았습니다."), "{ko:?}");
    assert!(
        has(
            &en,
            "The volume pgdata did not exist, so Docker created it; it will outlive the container."
        ),
        "{en:?}"
    );
}

#[test]
fn storage_map_shows_procfs_at_proc_only_while_the_container_runs() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name p1 alpine sleep 3600");
    let w = s.world();
    let root = storage_children(w, "p1", "/", false).expect("root");
    let proc_dir = node(&root, "proc");
    assert_eq!(proc_dir.backs, Backs::Proc);
    assert_eq!(
        proc_dir.kind,
        Kind::Procfs,
        "the kernel's procfs, not a file Docker writes"
    );
    assert!(proc_dir.mount_point);
    let proc = storage_children(w, "p1", "/proc", false).expect("/proc");
    let mounts = node(&proc, "mounts");
    assert_eq!(mounts.backs, Backs::Proc);
    assert_eq!(badge(&mounts.backs, Lang::En), "procfs (kernel)");

    run(&mut s, "docker stop p1");
    let w = s.world();
    let root = storage_children(w, "p1", "/", false).expect("root");
    assert!(matches!(
        node(&root, "proc").backs,
        Backs::ImageLayer { index: 0, .. }
    ));
    assert!(storage_children(w, "p1", "/proc", false)
        .expect("/proc")
        .is_empty());
}

#[test]
fn volumes_made_with_driver_options_show_where_their_files_live() {
    let mut s = Session::new();
    run(
        &mut s,
        "mkdir /home/user/site && echo hi > /home/user/site/index.html",
    );
    run(
        &mut s,
        "docker volume create --opt type=none --opt o=bind --opt device=/home/user/site site",
    );
    run(
        &mut s,
        "docker volume create --opt type=tmpfs --opt device=tmpfs --opt o=size=1m cache",
    );
    run(&mut s, "docker volume create plain");
    let vols = volumes(s.world());
    let backing = |name: &str| {
        vols.iter()
            .find(|v| v.name == name)
            .map(|v| v.backing.clone())
            .expect("listed")
    };
    assert_eq!(
        backing("site"),
        VolumeBacking::HostDir("/home/user/site".into())
    );
    assert_eq!(backing("cache"), VolumeBacking::Memory);
    assert_eq!(backing("plain"), VolumeBacking::Disk);
    let names: Vec<String> = volume_children(s.world(), "site", "/")
        .expect("site")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["index.html"]);
    // A write through a container lands in the host directory, and nothing stays in memory.
    run(&mut s, "docker run --rm -v site:/usr/share/www -v cache:/cache alpine sh -c 'echo new > /usr/share/www/new.html; echo x > /cache/x'");
    assert_eq!(
        volume_children(s.world(), "site", "/").expect("site").len(),
        2
    );
    assert!(volume_children(s.world(), "cache", "/")
        .expect("cache")
        .is_empty());
}

#[test]
fn an_nfs_volume_lists_the_servers_files_and_the_map_calls_it_a_volume() {
    // Follows moby's local driver; the recording machine's kernel has no NFS (see
    // crates/session/tests/it/nfs.rs).
    let mut s = Session::new();
    run(&mut s, "echo on-server > /mnt/share/s.txt");
    run(
        &mut s,
        "docker volume create --opt type=nfs --opt o=addr=10.0.2.20,rw --opt device=:/export nv",
    );
    let row = volumes(s.world())
        .into_iter()
        .find(|v| v.name == "nv")
        .expect("listed");
    assert_eq!(row.backing, VolumeBacking::Nfs("10.0.2.20:/export".into()));
    let names: Vec<String> = volume_children(s.world(), "nv", "/")
        .expect("nv")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["s.txt"]);
    run(
        &mut s,
        "docker run -d --name nfsc -v nv:/data alpine sleep 1000",
    );
    let data = storage_children(s.world(), "nfsc", "/data", false).expect("data");
    assert_eq!(data.len(), 1);
    assert_eq!(data[0].kind, Kind::Volume);
    assert!(
        matches!(&data[0].backs, Backs::Volume { name, .. } if name == "nv"),
        "{:?}",
        data[0].backs
    );
    assert!(nfs_server_note(Lang::En).contains("10.0.2.20"));
}
