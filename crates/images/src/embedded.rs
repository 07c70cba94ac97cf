//! The sample images as static data: `build.rs` parses, expands and validates `defs/*.toml` and
//! writes them in this form; [`images`] turns them into [`ImageDef`]s.

use crate::{EntryDef, EntryKind, FileContent, ImageConfig, ImageDef, LayerDef};

struct Image {
    name: &'static str,
    tag: &'static str,
    stands_for: &'static str,
    from: Option<&'static str>,
    inherited_layers: usize,
    created: u64,
    layers: &'static [&'static Layer],
    config: Config,
}

struct Layer {
    created_by: &'static str,
    created: u64,
    comment: &'static str,
    empty_layer: bool,
    entries: &'static [Entry],
}

struct Entry {
    path: &'static str,
    kind: Kind,
    mode: u32,
    uid: u32,
    gid: u32,
}

enum Kind {
    Dir,
    Text(&'static str),
    Sized(u64),
    Symlink(&'static str),
    Hardlink(&'static str),
}

struct Config {
    env: &'static [&'static str],
    cmd: Option<&'static [&'static str]>,
    entrypoint: Option<&'static [&'static str]>,
    working_dir: &'static str,
    user: &'static str,
    volumes: &'static [&'static str],
    exposed_ports: &'static [&'static str],
    labels: &'static [(&'static str, &'static str)],
    stop_signal: Option<&'static str>,
}

// `static IMAGES: &[Image]`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/images.rs"));

/// Every sample image, in build order.
pub(crate) fn images() -> Vec<ImageDef> {
    IMAGES.iter().map(Image::to_def).collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Image {
    fn to_def(&self) -> ImageDef {
        let config = &self.config;
        ImageDef {
            name: self.name.into(),
            tag: self.tag.into(),
            stands_for: self.stands_for.into(),
            from: self.from.map(String::from),
            layers: self.layers.iter().map(|layer| layer.to_def()).collect(),
            inherited_layers: self.inherited_layers,
            created: self.created,
            config: ImageConfig {
                env: strings(config.env),
                cmd: config.cmd.map(strings),
                entrypoint: config.entrypoint.map(strings),
                working_dir: config.working_dir.into(),
                user: config.user.into(),
                volumes: strings(config.volumes),
                exposed_ports: strings(config.exposed_ports),
                labels: layerbox_order::map(
                    config
                        .labels
                        .iter()
                        .map(|(key, value)| (key.to_string(), value.to_string())),
                ),
                stop_signal: config.stop_signal.map(String::from),
                healthcheck: None,
            },
        }
    }
}

impl Layer {
    fn to_def(&self) -> LayerDef {
        LayerDef {
            created_by: self.created_by.into(),
            created: self.created,
            comment: self.comment.into(),
            empty_layer: self.empty_layer,
            entries: self.entries.iter().map(Entry::to_def).collect(),
        }
    }
}

impl Entry {
    fn to_def(&self) -> EntryDef {
        let kind = match self.kind {
            Kind::Dir => EntryKind::Dir,
            Kind::Text(text) => EntryKind::File {
                content: FileContent::Text(text.into()),
            },
            Kind::Sized(size) => EntryKind::File {
                content: FileContent::Sized(size),
            },
            Kind::Symlink(target) => EntryKind::Symlink {
                target: target.into(),
            },
            Kind::Hardlink(target) => EntryKind::Hardlink {
                target: target.into(),
            },
        };
        EntryDef {
            path: self.path.into(),
            kind,
            mode: self.mode,
            uid: self.uid,
            gid: self.gid,
        }
    }
}
