//! Tests: every definition parses and validates, and the facts the lessons rely on hold.

use super::*;

fn image(reference: &str) -> ImageDef {
    let images = sample_images().expect("the sample images load");
    images
        .into_iter()
        .find(|image| image.reference() == reference)
        .unwrap_or_else(|| panic!("no image {reference}"))
}

/// The entry at `path` in the union of the image's layers (the top-most one wins).
fn entry<'a>(image: &'a ImageDef, path: &str) -> &'a EntryDef {
    image
        .layers
        .iter()
        .rev()
        .flat_map(|layer| layer.entries.iter())
        .find(|entry| entry.path == path)
        .unwrap_or_else(|| panic!("{}: no entry {path}", image.reference()))
}

fn text<'a>(image: &'a ImageDef, path: &str) -> &'a str {
    match &entry(image, path).kind {
        EntryKind::File {
            content: FileContent::Text(text),
        } => text,
        other => panic!("{path} is not a text file: {other:?}"),
    }
}

#[test]
fn the_images_built_in_are_the_definition_files_parsed() {
    let parsed = parse_definitions(DEFINITIONS).expect("the definition files parse");
    assert_eq!(sample_images().expect("built in"), parsed);
}

#[test]
fn every_definition_parses_and_validates() {
    let images = sample_images().expect("the sample images load");
    let references: Vec<String> = images.iter().map(ImageDef::reference).collect();
    assert_eq!(
        references,
        [
            "alpine:latest",
            "busybox:latest",
            "nginx:latest",
            "postgres:latest",
            "diamol/ch06-todo-list:latest",
            "diamol/ch06-bind-mount:latest"
        ]
    );
    for image in &images {
        assert!(!image.stands_for.is_empty());
        assert!(!image.layers.is_empty());
        assert!(!image.layers[0].entries.is_empty(), "{}", image.reference());
    }
}

#[test]
fn alpine_sh_is_a_symlink_to_busybox() {
    let alpine = image("alpine:latest");
    assert_eq!(
        entry(&alpine, "/bin/sh").kind,
        EntryKind::Symlink {
            target: "/bin/busybox".into()
        }
    );
    assert_eq!(
        entry(&alpine, "/usr/bin/[").kind,
        EntryKind::Symlink {
            target: "/bin/busybox".into()
        }
    );
}

#[test]
fn alpine_os_release_says_3_20() {
    let alpine = image("alpine:latest");
    assert_eq!(
        entry(&alpine, "/etc/os-release").kind,
        EntryKind::Symlink {
            target: "../usr/lib/os-release".into()
        }
    );
    let os_release = text(&alpine, "/usr/lib/os-release");
    assert!(os_release.contains("VERSION_ID=3.20."), "{os_release}");
    assert!(text(&alpine, "/etc/alpine-release").starts_with("3.20."));
}

#[test]
fn alpine_special_modes_are_real() {
    let alpine = image("alpine:latest");
    assert_eq!(entry(&alpine, "/tmp").mode, 0o1777);
    assert_eq!(entry(&alpine, "/root").mode, 0o700);
    let shadow = entry(&alpine, "/etc/shadow");
    assert_eq!((shadow.mode, shadow.uid, shadow.gid), (0o640, 0, 42));
    assert_eq!(alpine.config.cmd, Some(vec!["/bin/sh".to_string()]));
}

#[test]
fn busybox_applets_are_hard_links_with_busybox_mode() {
    let busybox = image("busybox:latest");
    let ls = entry(&busybox, "/bin/ls");
    assert_eq!(
        ls.kind,
        EntryKind::Hardlink {
            target: "/bin/busybox".into()
        }
    );
    assert_eq!(ls.mode, 0o755);
}

#[test]
fn postgres_declares_its_data_volume_and_user() {
    let postgres = image("postgres:latest");
    assert_eq!(postgres.config.volumes, ["/var/lib/postgresql/data"]);
    assert!(postgres
        .config
        .env
        .contains(&"PGDATA=/var/lib/postgresql/data".to_string()));
    assert!(text(&postgres, "/etc/passwd").contains("postgres:x:70:70:"));
    let data = entry(&postgres, "/var/lib/postgresql/data");
    assert_eq!((data.mode, data.uid, data.gid), (0o1777, 70, 70));
    assert_eq!(postgres.inherited_layers, 2);
    assert_eq!(postgres.own_layers()[0].entries.len(), 4);
}

#[test]
fn todo_list_declares_volume_data_and_add_todo() {
    let todo = image("diamol/ch06-todo-list:latest");
    assert_eq!(todo.config.volumes, ["/data"]);
    assert!(text(&todo, "/usr/local/bin/add-todo").contains("/data/todo-list.db"));
    assert_eq!(todo.config.working_dir, "/app");
}

#[test]
fn bind_mount_image_lists_init() {
    let image = image("diamol/ch06-bind-mount:latest");
    assert_eq!(text(&image, "/init/abc.txt"), "abc\n");
    assert_eq!(
        image.config.cmd,
        Some(vec!["/bin/sh".into(), "-c".into(), "ls /init".into()])
    );
}

#[test]
fn config_only_instructions_are_empty_layers() {
    let nginx = image("nginx:latest");
    let own: Vec<(bool, &str)> = nginx
        .own_layers()
        .iter()
        .map(|layer| (layer.empty_layer, layer.created_by.as_str()))
        .collect();
    assert_eq!(
        own[0],
        (
            true,
            "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>"
        )
    );
    assert!(!own[4].0, "the RUN that installs nginx makes a layer");
    assert_eq!(
        own.last().map(|row| row.0),
        Some(false),
        "the RUN that adds the modules is the top layer"
    );
    let todo = image("diamol/ch06-todo-list:latest");
    assert!(todo
        .own_layers()
        .iter()
        .any(|layer| layer.empty_layer && layer.created_by == "VOLUME [/data]"));
}

#[test]
fn history_rows_carry_their_image_date_and_comment() {
    let nginx = image("nginx:latest");
    let alpine = image("alpine:latest");
    assert_eq!(rfc3339(alpine.created), "2024-04-20T09:00:00Z");
    assert_eq!(rfc3339(nginx.created), "2024-05-04T09:00:00Z");
    // The inherited rows keep alpine's date; every row is BuildKit's.
    assert_eq!(nginx.layers[0].created, alpine.created);
    assert_eq!(nginx.layers.last().map(|l| l.created), Some(nginx.created));
    assert!(nginx
        .layers
        .iter()
        .all(|layer| layer.comment == "buildkit.dockerfile.v0"));
}

/// The sample images' sizes as `docker images` shows them, close to the real images' (see the
/// sources in each definition): nginx about 44 MB, postgres about 220 MB.
#[test]
fn sample_images_are_about_the_real_sizes() {
    let size = |reference: &str| -> u64 {
        image(reference)
            .layers
            .iter()
            .flat_map(|layer| &layer.entries)
            .map(|entry| match &entry.kind {
                EntryKind::File { content } => content.len(),
                EntryKind::Symlink { target } => target.len() as u64,
                _ => 0,
            })
            .sum()
    };
    let mb = |bytes: u64| bytes / 1_000_000;
    assert_eq!(mb(size("alpine:latest")), 8);
    assert!(
        (40..50).contains(&mb(size("nginx:latest"))),
        "{}",
        size("nginx:latest")
    );
    assert!(
        (200..250).contains(&mb(size("postgres:latest"))),
        "{}",
        size("postgres:latest")
    );
}

#[test]
fn missing_parent_is_rejected() {
    let text = r#"
name = "bad"
stands_for = "nothing"
created = "2024-05-01T00:00:00Z"
[[layer]]
created_by = "ADD x /"
entries = '''
f 0644 0 0 /etc/passwd
'''
[layer.content]
"/etc/passwd" = "x"
"#;
    let image = parse_image("bad.toml", text).expect("parses");
    let err = validate::validate(&image).expect_err("no /etc");
    assert_eq!(
        err.to_string(),
        "bad:latest: layer 0: parent directory of /etc/passwd is not a directory of this or a lower layer"
    );
}

#[test]
fn duplicates_and_bad_lines_are_rejected() {
    let dup = r#"
name = "dup"
stands_for = "nothing"
created = "2024-05-01T00:00:00Z"
[[layer]]
created_by = "ADD x /"
entries = '''
d 0755 0 0 /etc
d 0755 0 0 /etc
'''
"#;
    let image = parse_image("dup.toml", dup).expect("parses");
    assert!(validate::validate(&image)
        .expect_err("duplicate")
        .to_string()
        .contains("listed twice"));
    let bad = r#"
name = "bad"
stands_for = "nothing"
created = "2024-05-01T00:00:00Z"
[[layer]]
created_by = "ADD x /"
entries = "d 0999 0 0 /etc"
"#;
    assert!(matches!(
        parse_image("bad.toml", bad),
        Err(ImagesError::Entry { .. })
    ));
    let relative = r#"
name = "rel"
stands_for = "nothing"
created = "2024-05-01T00:00:00Z"
[[layer]]
created_by = "ADD x /"
entries = "d 0755 0 0 etc"
"#;
    let image = parse_image("rel.toml", relative).expect("parses");
    assert!(validate::validate(&image).is_err());
}
