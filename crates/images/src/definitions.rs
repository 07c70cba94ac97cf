//! The embedded definition files (`defs/*.toml`), shared by the crate (natively) and its build script.

/// The embedded definition files, in build order (an image comes after the image it is `from`).
pub const DEFINITIONS: &[(&str, &str)] = &[
    ("alpine.toml", include_str!("../defs/alpine.toml")),
    ("busybox.toml", include_str!("../defs/busybox.toml")),
    ("nginx.toml", include_str!("../defs/nginx.toml")),
    ("postgres.toml", include_str!("../defs/postgres.toml")),
    (
        "ch06-todo-list.toml",
        include_str!("../defs/ch06-todo-list.toml"),
    ),
    (
        "ch06-bind-mount.toml",
        include_str!("../defs/ch06-bind-mount.toml"),
    ),
];
