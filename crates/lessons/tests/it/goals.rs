//! Goal predicates, each in a state where it holds and one where it does not, written as
//! lesson files write them.
// Goals are read from TOML natively only (the browser gets the course pre-built).
#![cfg(not(target_arch = "wasm32"))]

use layerbox_lessons::Goal;
use layerbox_session::Session;
use serde::Deserialize;

fn goal(src: &str) -> Goal {
    #[derive(Deserialize)]
    struct File {
        goal: Goal,
    }
    match toml::from_str::<File>(&format!("goal = {src}")) {
        Ok(f) => f.goal,
        Err(e) => panic!("{src}: {e}"),
    }
}

/// A fresh session after `lines`, each of which must succeed.
fn after(lines: &[&str]) -> Session {
    let mut s = Session::new();
    for line in lines {
        let r = s.run_line(line);
        assert_eq!(r.code, 0, "`{line}`:\n{}", r.text());
    }
    s
}

fn holds(s: &Session, src: &str) -> bool {
    goal(src).holds(s)
}

#[test]
fn all_any_and_not_combine_goals() {
    let s = after(&["docker run -d --name c1 alpine sleep 60"]);
    assert!(holds(&s, "{ all = [] }"));
    assert!(!holds(&s, "{ any = [] }"));
    assert!(holds(
        &s,
        r#"{ all = [{ container_exists = "c1" }, { not = { container_exists = "c2" } }] }"#
    ));
    assert!(!holds(
        &s,
        r#"{ all = [{ container_exists = "c1" }, { container_exists = "c2" }] }"#
    ));
    assert!(holds(
        &s,
        r#"{ any = [{ container_exists = "c2" }, { container_exists = "c1" }] }"#
    ));
    assert!(!holds(&s, r#"{ not = { container_exists = "c1" } }"#));
}

#[test]
fn container_state_goals_follow_run_stop_and_rm() {
    let mut s = after(&["docker run -d --name c1 alpine sleep 60"]);
    assert!(holds(&s, r#"{ container_exists = "c1" }"#));
    assert!(holds(&s, r#"{ container_running = "c1" }"#));
    assert!(!holds(&s, r#"{ container_stopped = "c1" }"#));
    assert!(!holds(&s, r#"{ container_removed = "c1" }"#));
    assert!(holds(&s, r#"{ container_removed = "never-made" }"#));
    assert!(!holds(&s, r#"{ container_running = "never-made" }"#));
    assert!(!holds(&s, r#"{ container_stopped = "never-made" }"#));
    s.run_line("docker stop c1");
    assert!(holds(&s, r#"{ container_stopped = "c1" }"#));
    assert!(!holds(&s, r#"{ container_running = "c1" }"#));
    s.run_line("docker rm c1");
    assert!(holds(&s, r#"{ container_removed = "c1" }"#));
    assert!(!holds(&s, r#"{ container_exists = "c1" }"#));
}

#[test]
fn containers_are_named_by_name_never_by_an_id_prefix() {
    let s = after(&["docker run -d --name c1 alpine sleep 60"]);
    let id = s.world().find_container("c1").expect("c1").id.clone();
    assert!(!holds(
        &s,
        &format!(r#"{{ container_exists = "{}" }}"#, &id[..4])
    ));
    assert!(holds(
        &s,
        &format!(r#"{{ container_removed = "{}" }}"#, &id[..4])
    ));
    assert!(holds(&s, r#"{ container_exists = "/c1" }"#));
}

#[test]
fn container_restarted_needs_a_stop_then_a_start() {
    let mut s = after(&["docker run -d --name c1 alpine sleep 60"]);
    assert!(!holds(&s, r#"{ container_restarted = "c1" }"#));
    s.run_line("docker stop c1");
    assert!(!holds(&s, r#"{ container_restarted = "c1" }"#));
    s.run_line("docker start c1");
    assert!(holds(&s, r#"{ container_restarted = "c1" }"#));
}

#[test]
fn container_image_compares_images_not_the_words_typed() {
    let s = after(&["docker run -d --name c1 alpine sleep 60"]);
    assert!(holds(
        &s,
        r#"{ container_image = { container = "c1", image = "alpine:latest" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ container_image = { container = "c1", image = "busybox" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ container_image = { container = "c1", image = "no-such-image" } }"#
    ));
}

#[test]
fn logs_contain_reads_what_the_process_printed() {
    let s = after(&["docker run --name c1 alpine echo hello there"]);
    assert!(holds(
        &s,
        r#"{ logs_contain = { container = "c1", text = "hello" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ logs_contain = { container = "c1", text = "goodbye" } }"#
    ));
}

#[test]
fn volume_mount_checks_the_name_anonymity_and_mode() {
    let s = after(&[
        "docker run -d --name named -v data:/data:ro diamol/ch06-todo-list",
        "docker run -d --name anon diamol/ch06-todo-list",
    ]);
    let g = |c: &str, extra: &str| {
        format!(r#"{{ volume_mount = {{ container = "{c}", destination = "/data"{extra} }} }}"#)
    };
    assert!(holds(&s, &g("named", "")));
    assert!(holds(&s, &g("named", r#", volume = "data""#)));
    assert!(holds(
        &s,
        &g("named", ", anonymous = false, read_only = true")
    ));
    assert!(!holds(&s, &g("named", r#", volume = "other""#)));
    assert!(!holds(&s, &g("named", ", read_only = false")));
    assert!(holds(
        &s,
        &g("anon", ", anonymous = true, read_only = false")
    ));
    assert!(!holds(&s, &g("anon", ", anonymous = false")));
    assert!(!holds(
        &s,
        r#"{ volume_mount = { container = "anon", destination = "/elsewhere" } }"#
    ));
}

#[test]
fn bind_mount_checks_the_source_and_mode() {
    let s = after(&[
        "mkdir site",
        "docker run -d --name c1 -v /home/user/site:/srv/site/:ro alpine sleep 60",
    ]);
    assert!(holds(
        &s,
        r#"{ bind_mount = { container = "c1", destination = "/srv/site", source = "/home/user/site", read_only = true } }"#
    ));
    assert!(holds(
        &s,
        r#"{ bind_mount = { container = "c1", destination = "/srv/site/" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ bind_mount = { container = "c1", destination = "/srv/site", source = "/tmp" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ bind_mount = { container = "c1", destination = "/srv/site", read_only = false } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ volume_mount = { container = "c1", destination = "/srv/site" } }"#
    ));
}

#[test]
fn tmpfs_mount_and_mounted_name_what_is_at_a_destination() {
    let s = after(&["docker run -d --name c1 --tmpfs /cache alpine sleep 60"]);
    assert!(holds(
        &s,
        r#"{ tmpfs_mount = { container = "c1", destination = "/cache" } }"#
    ));
    assert!(holds(
        &s,
        r#"{ mounted = { container = "c1", destination = "/cache" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ tmpfs_mount = { container = "c1", destination = "/tmp" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ mounted = { container = "c1", destination = "/tmp" } }"#
    ));
}

#[test]
fn same_volume_holds_for_volumes_from_and_not_for_two_image_volumes() {
    let s = after(&[
        "docker run -d --name c1 diamol/ch06-todo-list",
        "docker run -d --name c2 --volumes-from c1 diamol/ch06-todo-list",
        "docker run -d --name c3 diamol/ch06-todo-list",
    ]);
    let same = |names: &str| {
        format!(r#"{{ same_volume = {{ containers = [{names}], destination = "/data" }} }}"#)
    };
    assert!(holds(&s, &same(r#""c1", "c2""#)));
    assert!(!holds(&s, &same(r#""c1", "c3""#)));
    assert!(!holds(&s, &same(r#""c1", "missing""#)));
    assert!(!holds(&s, &same("")));
}

#[test]
fn path_exists_sees_files_through_mounts_and_checks_content() {
    let s = after(&[
        "docker run -d --name c1 -v data:/data alpine sleep 60",
        "docker exec c1 sh -c 'echo hello > /data/x; echo bye > /root/y'",
    ]);
    let exists = |path: &str, contains: Option<&str>| {
        let c = contains
            .map(|t| format!(r#", contains = "{t}""#))
            .unwrap_or_default();
        format!(r#"{{ path_exists = {{ container = "c1", path = "{path}"{c} }} }}"#)
    };
    assert!(holds(&s, &exists("/data/x", None)));
    assert!(holds(&s, &exists("/data/x", Some("hell"))));
    assert!(!holds(&s, &exists("/data/x", Some("bye"))));
    assert!(holds(&s, &exists("/root/y", Some("bye"))));
    assert!(holds(&s, &exists("/etc/alpine-release", Some("3.20"))));
    assert!(!holds(&s, &exists("/nope", None)));
    assert!(
        !holds(&s, &exists("/data", Some("x"))),
        "a directory has no content"
    );
    assert!(!holds(
        &s,
        r#"{ path_exists = { container = "missing", path = "/" } }"#
    ));
}

#[test]
fn path_absent_needs_the_container_to_exist() {
    let s = after(&["docker run -d --name c1 alpine sleep 60"]);
    assert!(holds(
        &s,
        r#"{ path_absent = { container = "c1", path = "/nope" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ path_absent = { container = "c1", path = "/etc/passwd" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ path_absent = { container = "missing", path = "/nope" } }"#
    ));
}

#[test]
fn path_backing_names_the_storage_a_path_lives_on() {
    let s = after(&[
        "mkdir local",
        "docker run -d --name c1 -v v1:/vol -v /home/user/local:/local -v /mnt/share:/share --tmpfs /mem diamol/ch06-bind-mount sleep 60",
        "docker exec c1 sh -c 'echo x > /init/new; echo y >> /init/abc.txt; touch /vol/f /local/f /share/f /mem/f'",
        "docker run -d --name anon diamol/ch06-todo-list",
    ]);
    let backs = |c: &str, path: &str, backing: &str| {
        format!(
            r#"{{ path_backing = {{ container = "{c}", path = "{path}", backing = "{backing}" }} }}"#
        )
    };
    assert!(holds(&s, &backs("c1", "/init/def.txt", "image_layer")));
    assert!(holds(&s, &backs("c1", "/.dockerenv", "init_layer")));
    assert!(holds(&s, &backs("c1", "/init/new", "writable_layer")));
    assert!(!holds(&s, &backs("c1", "/init/new", "copied_up")));
    assert!(holds(&s, &backs("c1", "/init/abc.txt", "copied_up")));
    assert!(holds(&s, &backs("c1", "/init/abc.txt", "writable_layer")));
    assert!(holds(&s, &backs("c1", "/vol/f", "volume")));
    assert!(!holds(&s, &backs("c1", "/vol/f", "anonymous_volume")));
    assert!(holds(&s, &backs("anon", "/data", "anonymous_volume")));
    assert!(holds(&s, &backs("c1", "/local/f", "local_bind")));
    assert!(!holds(&s, &backs("c1", "/local/f", "network_bind")));
    assert!(holds(&s, &backs("c1", "/share/f", "network_bind")));
    assert!(holds(&s, &backs("c1", "/mem/f", "tmpfs")));
    assert!(holds(&s, &backs("c1", "/etc/hostname", "docker_managed")));
    assert!(!holds(&s, &backs("c1", "/init/def.txt", "writable_layer")));
    assert!(!holds(&s, &backs("c1", "/missing", "image_layer")));
}

#[test]
fn diff_matches_the_path_and_the_kind_of_change() {
    let s = after(&[
        "docker run -d --name c1 alpine sleep 60",
        "docker exec c1 sh -c 'touch /root/new; rm /etc/motd; echo x >> /etc/issue'",
    ]);
    let diff = |path: &str, kind: &str| {
        format!(r#"{{ diff = {{ container = "c1", path = "{path}"{kind} }} }}"#)
    };
    assert!(holds(&s, &diff("/root/new", r#", kind = "added""#)));
    assert!(holds(&s, &diff("/etc/motd", r#", kind = "deleted""#)));
    assert!(holds(&s, &diff("/etc/issue", r#", kind = "changed""#)));
    assert!(holds(&s, &diff("/etc", "")));
    assert!(!holds(&s, &diff("/root/new", r#", kind = "deleted""#)));
    assert!(!holds(&s, &diff("/bin", "")));
}

#[test]
fn host_path_checks_kind_owner_and_content() {
    let s = after(&["mkdir d", "echo hi > d/f", "ln -s f d/l"]);
    assert!(holds(
        &s,
        r#"{ host_path = { path = "/home/user/d", kind = "dir", owner = 1000 } }"#
    ));
    assert!(holds(
        &s,
        r#"{ host_path = { path = "/home/user/d/f", kind = "file", contains = "hi" } }"#
    ));
    assert!(holds(
        &s,
        r#"{ host_path = { path = "/home/user/d/l", kind = "symlink" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ host_path = { path = "/home/user/d", owner = 0 } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ host_path = { path = "/home/user/d/f", kind = "dir" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ host_path = { path = "/home/user/d/f", contains = "bye" } }"#
    ));
    assert!(holds(&s, r#"{ host_path_absent = "/home/user/nope" }"#));
    assert!(!holds(&s, r#"{ host_path_absent = "/home/user/d/l" }"#));
}

#[test]
fn volume_goals_see_names_anonymous_volumes_and_content() {
    let s = after(&[
        "docker volume create named",
        "docker run --name c1 -v named:/data alpine sh -c 'echo kept > /data/f'",
        "docker run --name c2 diamol/ch06-todo-list sh -c 'echo anon > /data/g'",
    ]);
    assert!(holds(&s, r#"{ volume_exists = "named" }"#));
    assert!(!holds(&s, r#"{ volume_exists = "other" }"#));
    assert!(holds(&s, "{ anonymous_volumes_at_least = 1 }"));
    assert!(!holds(&s, "{ anonymous_volumes_at_least = 2 }"));
    assert!(holds(
        &s,
        r#"{ volume_contains = { volume = "named", path = "/f", contains = "kept" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ volume_contains = { volume = "named", path = "/g" } }"#
    ));
    assert!(holds(
        &s,
        r#"{ volume_contains = { path = "/g", contains = "anon" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ volume_contains = { path = "/g", contains = "kept" } }"#
    ));
}

#[test]
fn image_goals_see_committed_layers() {
    let mut s = after(&[
        "docker run -d --name c1 alpine sleep 60",
        "docker exec c1 sh -c 'echo mine > /root/f; rm /etc/motd'",
    ]);
    assert!(holds(&s, r#"{ image_exists = "alpine" }"#));
    assert!(!holds(&s, r#"{ image_exists = "snap" }"#));
    s.run_line("docker commit c1 snap");
    assert!(holds(&s, r#"{ image_exists = "snap:latest" }"#));
    assert!(holds(
        &s,
        r#"{ image_file = { image = "snap", path = "/root/f", contains = "mine" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ image_file = { image = "snap", path = "/etc/motd" } }"#
    ));
    assert!(holds(
        &s,
        r#"{ image_file = { image = "alpine", path = "/etc/motd" } }"#
    ));
    assert!(!holds(
        &s,
        r#"{ image_file = { image = "missing", path = "/" } }"#
    ));
}

#[test]
fn checking_a_goal_leaves_the_session_as_it_was() {
    let s = after(&["docker run -d --name c1 -v /mnt/share:/share alpine sleep 60"]);
    let usage = s.world().host().share.usage();
    let g = goal(
        r#"{ all = [
            { path_exists = { container = "c1", path = "/share" } },
            { host_path_absent = "/mnt/share/x" },
            { path_backing = { container = "c1", path = "/share", backing = "network_bind" } },
        ] }"#,
    );
    assert!(g.holds(&s));
    assert_eq!(s.world().host().share.usage(), usage);
    assert!(s.world().clone().take_changes().is_empty());
}

#[test]
fn a_misspelt_field_in_a_goal_is_an_error() {
    #[derive(Deserialize, Debug)]
    struct File {
        #[allow(dead_code)]
        goal: Goal,
    }
    let typo = r#"goal = { path_exists = { container = "c1", path = "/x", contain = "y" } }"#;
    assert!(toml::from_str::<File>(typo).is_err());
    let unknown = r#"goal = { container_sleeping = "a" }"#;
    assert!(toml::from_str::<File>(unknown).is_err());
}

#[test]
fn walk_lists_every_goal_inside() {
    let g = goal(r#"{ all = [{ not = { volume_exists = "v" } }, { image_exists = "i" }] }"#);
    assert_eq!(g.walk().len(), 4);
}
