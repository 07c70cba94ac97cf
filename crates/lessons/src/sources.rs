//! The lesson files, shared by the crate (natively) and its build script.

/// The lesson files, in course order.
pub const SOURCES: [(&str, &str); 8] = [
    (
        "01-writable-layer.toml",
        include_str!("../lessons/01-writable-layer.toml"),
    ),
    (
        "02-volumes-in-images.toml",
        include_str!("../lessons/02-volumes-in-images.toml"),
    ),
    (
        "03-named-volumes.toml",
        include_str!("../lessons/03-named-volumes.toml"),
    ),
    (
        "04-volume-flag-vs-instruction.toml",
        include_str!("../lessons/04-volume-flag-vs-instruction.toml"),
    ),
    (
        "05-bind-mounts.toml",
        include_str!("../lessons/05-bind-mounts.toml"),
    ),
    (
        "06-bind-mount-limits.toml",
        include_str!("../lessons/06-bind-mount-limits.toml"),
    ),
    (
        "07-union-filesystem.toml",
        include_str!("../lessons/07-union-filesystem.toml"),
    ),
    (
        "08-choosing-storage.toml",
        include_str!("../lessons/08-choosing-storage.toml"),
    ),
];
