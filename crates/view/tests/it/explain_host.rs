//! The explain panel is not silent where a learner's own hand changed storage: a host-side
//! write into a bind source, `mkdir` of a bind source, an item added through the browser
//! panel, a single-file mount; and a `run` leads with what is new, its routine folded.

use layerbox_engine::world::World;
use layerbox_i18n::Lang;
use layerbox_session::Session;
use layerbox_view::{explain, explain_folded};

/// Runs `line`, which must succeed, and explains it in both languages.
fn told(s: &mut Session, line: &str) -> (Vec<String>, Vec<String>) {
    let before: World = s.world().clone();
    let r = s.run_line(line);
    assert_eq!(r.code, 0, "{line}: {}", r.text());
    (
        explain(&r.changes, Some(&before), s.world(), Lang::En),
        explain(&r.changes, Some(&before), s.world(), Lang::Ko),
    )
}

fn has(sentences: &[String], needle: &str) -> bool {
    sentences.iter().any(|t| t.contains(needle))
}

#[test]
fn mkdir_of_a_future_bind_source_is_told_as_the_hosts_own() {
    let mut s = Session::new();
    let (en, ko) = told(&mut s, "mkdir databases");
    assert!(
        has(
            &en,
            "The directory /home/user/databases was made on the host's own disk, owned by user"
        ),
        "{en:?}"
    );
    assert!(
        has(&en, "no container sees it until one bind-mounts it"),
        "{en:?}"
    );
    assert!(
        has(&ko, "/home/user/databases 디렉터리를 만들었습니다"),
        "{ko:?}"
    );
}

#[test]
fn a_host_write_into_a_bind_source_is_told_as_what_the_container_sees() {
    let mut s = Session::new();
    s.run_line("mkdir databases");
    s.run_line(
        "docker run -d --name todo-bind -v /home/user/databases:/data diamol/ch06-todo-list",
    );
    let (en, ko) = told(&mut s, "echo 'from the host' > databases/host-note.txt");
    assert!(
        has(&en, "/home/user/databases/host-note.txt was written on the host. It is inside /home/user/databases, which todo-bind bind-mounts at /data, so todo-bind sees it as /data/host-note.txt at once"),
        "{en:?}"
    );
    assert!(has(&ko, "/data/host-note.txt(으)로 보입니다"), "{ko:?}");
}

#[test]
fn an_item_added_through_the_browser_panel_is_told() {
    let mut s = Session::new();
    s.run_line("docker run -d --name todo1 -p 8010:80 diamol/ch06-todo-list");
    s.take_changes();
    let before = s.world().clone();
    let (status, _) = s
        .http_get(8010, "/cgi-bin/add.cgi?item=milk")
        .expect("the app answers");
    assert_eq!(status, 200);
    let changes = s.take_changes();
    let en = explain(&changes, Some(&before), s.world(), Lang::En);
    assert!(!en.is_empty(), "silent on a to-do added through the page");
    assert!(has(&en, "todo1"), "{en:?}");
}

#[test]
fn a_single_file_mount_is_told_as_one_file_over_the_images_directory() {
    let mut s = Session::new();
    s.run_line("mkdir new && echo 'new file' > new/123.txt");
    let (en, ko) = told(
        &mut s,
        "docker run --name bm-file --mount type=bind,source=/home/user/new/123.txt,target=/init/123.txt diamol/ch06-bind-mount",
    );
    assert!(
        has(&en, "bm-file bind-mounts the single host file /home/user/new/123.txt at /init/123.txt: only that one file is the host's, and the rest of /init still shows the image's entries"),
        "{en:?}"
    );
    assert!(has(&ko, "파일 /home/user/new/123.txt 하나만"), "{ko:?}");
}

#[test]
fn a_run_leads_with_what_is_new_and_folds_the_layer_routine() {
    let mut s = Session::new();
    let before = s.world().clone();
    let r = s.run_line("docker run -d --name todo1 diamol/ch06-todo-list");
    let (lead, routine) = explain_folded(&r.changes, Some(&before), s.world(), Lang::En);
    assert!(
        !lead.is_empty() && !routine.is_empty(),
        "{lead:?} {routine:?}"
    );
    assert!(!has(&lead, "empty writable layer"), "{lead:?}");
    assert!(has(&routine, "empty writable layer"), "{routine:?}");
    assert!(
        has(&lead, "anonymous volume") || has(&lead, "volume"),
        "{lead:?}"
    );
    // A run with nothing else to tell leads with the routine.
    let before = s.world().clone();
    let r = s.run_line("docker run -d --name f1 alpine sleep 3600");
    let (lead, routine) = explain_folded(&r.changes, Some(&before), s.world(), Lang::En);
    assert!(has(&lead, "empty writable layer"), "{lead:?}");
    assert!(routine.is_empty());
}

#[test]
fn an_nfs_volume_is_explained_with_the_server_it_reaches() {
    let mut s = Session::new();
    let (en, ko) = told(
        &mut s,
        "docker volume create --opt type=nfs --opt o=addr=10.0.2.20,rw --opt device=:/export nv",
    );
    assert!(has(&en, "The NFS volume nv was created"), "{en:?}");
    assert!(has(&en, "10.0.2.20") && has(&en, "/mnt/share"), "{en:?}");
    assert!(has(&ko, "NFS 볼륨(nv)"), "{ko:?}");
}
