//! Parsing one definition file: the TOML schema, the one-line entry format and BusyBox applet expansion.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{EntryDef, EntryKind, FileContent, ImageConfig, ImageDef, ImagesError, LayerDef};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    name: String,
    #[serde(default = "latest")]
    tag: String,
    stands_for: String,
    from: Option<String>,
    /// When the image was made, RFC 3339 in UTC (`2024-05-03T12:05:36Z`).
    created: String,
    /// Every history row's COMMENT (`buildkit.dockerfile.v0`); none by default.
    #[serde(default)]
    comment: String,
    #[serde(default)]
    config: ImageConfig,
    #[serde(default, rename = "layer")]
    layers: Vec<RawLayer>,
}

fn latest() -> String {
    "latest".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayer {
    created_by: String,
    #[serde(default)]
    entries: String,
    /// File texts, keyed by path.
    #[serde(default)]
    content: BTreeMap<String, String>,
    applets: Option<RawApplets>,
}

/// BusyBox applets of a layer: `dirs` maps a directory to the applet names linked there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplets {
    busybox: String,
    link: LinkStyle,
    dirs: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum LinkStyle {
    /// `/bin/ls -> /bin/busybox` (Alpine).
    Symlink,
    /// `/bin/ls` is the same inode as `/bin/busybox` (the busybox image).
    Hardlink,
}

/// Instructions that change only the image config; with no entries they make an empty layer.
const CONFIG_ONLY: &[&str] = &[
    "ENV",
    "CMD",
    "ENTRYPOINT",
    "USER",
    "VOLUME",
    "EXPOSE",
    "LABEL",
    "STOPSIGNAL",
    "ARG",
    "WORKDIR",
];

/// Parses definition files given in build order (`(file name, text)`, as [`crate::DEFINITIONS`]),
/// expands them (`from` layers and BusyBox applets) and validates every image.
pub fn parse_definitions(definitions: &[(&str, &str)]) -> Result<Vec<ImageDef>, ImagesError> {
    let mut images: Vec<ImageDef> = Vec::new();
    for (file, text) in definitions {
        let mut image = parse_image(file, text)?;
        if let Some(from) = &image.from {
            let parent = images
                .iter()
                .find(|candidate| &candidate.name == from || &candidate.reference() == from)
                .ok_or_else(|| ImagesError::Invalid {
                    image: image.reference(),
                    reason: format!("from {from:?}: no such image defined before it"),
                })?;
            let mut layers = parent.layers.clone();
            image.inherited_layers = layers.len();
            layers.append(&mut image.layers);
            image.layers = layers;
        }
        crate::validate::validate(&image)?;
        if images
            .iter()
            .any(|other| other.reference() == image.reference())
        {
            return Err(ImagesError::Invalid {
                image: image.reference(),
                reason: "defined twice".into(),
            });
        }
        images.push(image);
    }
    Ok(images)
}

/// Parses one definition file into an image with only its own layers (`from` not yet applied).
pub fn parse_image(file: &str, text: &str) -> Result<ImageDef, ImagesError> {
    let raw: RawImage = toml::from_str(text).map_err(|err| ImagesError::Toml {
        file: file.into(),
        message: err.to_string(),
    })?;
    let created = parse_time(&raw.created).ok_or_else(|| ImagesError::Toml {
        file: file.into(),
        message: format!("created {:?}: expected YYYY-MM-DDTHH:MM:SSZ", raw.created),
    })?;
    let mut layers = Vec::with_capacity(raw.layers.len());
    for (index, raw_layer) in raw.layers.into_iter().enumerate() {
        let mut layer = parse_layer(file, index, raw_layer)?;
        layer.created = created;
        layer.comment = raw.comment.clone();
        layers.push(layer);
    }
    Ok(ImageDef {
        name: raw.name,
        tag: raw.tag,
        stands_for: raw.stands_for.trim().to_string(),
        from: raw.from,
        layers,
        inherited_layers: 0,
        created,
        config: raw.config,
    })
}

/// `YYYY-MM-DDTHH:MM:SSZ` as seconds since the epoch.
fn parse_time(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.len() != 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[10] != b'T'
        || bytes[13] != b':'
        || bytes[16] != b':'
        || bytes[19] != b'Z'
    {
        return None;
    }
    let field = |at: usize, len: usize| text.get(at..at + len)?.parse::<i64>().ok();
    let (year, month, day) = (field(0, 4)?, field(5, 2)?, field(8, 2)?);
    let (hour, minute, second) = (field(11, 2)?, field(14, 2)?, field(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second).ok()
}

fn parse_layer(file: &str, index: usize, raw: RawLayer) -> Result<LayerDef, ImagesError> {
    let bad = |line: &str, reason: &str| ImagesError::Entry {
        file: file.into(),
        layer: index,
        line: line.into(),
        reason: reason.into(),
    };
    let mut content = raw.content;
    let mut entries = Vec::new();
    for line in raw.entries.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = parse_entry(line, &mut content).map_err(|reason| bad(line, &reason))?;
        entries.push(entry);
    }
    if let Some((path, _)) = content.iter().next() {
        return Err(bad(path, "content given for a path with no `f` entry"));
    }
    if let Some(applets) = raw.applets {
        for (dir, names) in &applets.dirs {
            for name in names {
                let path = format!("{}/{}", dir.trim_end_matches('/'), name);
                let kind = match applets.link {
                    LinkStyle::Symlink => EntryKind::Symlink {
                        target: applets.busybox.clone(),
                    },
                    LinkStyle::Hardlink => EntryKind::Hardlink {
                        target: applets.busybox.clone(),
                    },
                };
                let mode = match applets.link {
                    LinkStyle::Symlink => 0o777,
                    LinkStyle::Hardlink => 0o755,
                };
                entries.push(EntryDef {
                    path,
                    kind,
                    mode,
                    uid: 0,
                    gid: 0,
                });
            }
        }
    }
    // A hard link is the same inode as its target: same mode and owner.
    for index in 0..entries.len() {
        if let EntryKind::Hardlink { target } = &entries[index].kind {
            if let Some(file) = entries
                .iter()
                .find(|entry| &entry.path == target && matches!(entry.kind, EntryKind::File { .. }))
            {
                let (mode, uid, gid) = (file.mode, file.uid, file.gid);
                let link = &mut entries[index];
                (link.mode, link.uid, link.gid) = (mode, uid, gid);
            }
        }
    }
    // The instruction's keyword, after the classic builder's `/bin/sh -c #(nop) ` if any.
    let keyword = raw
        .created_by
        .trim_start()
        .strip_prefix("/bin/sh -c #(nop) ")
        .unwrap_or(&raw.created_by)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let empty_layer = entries.is_empty() && CONFIG_ONLY.contains(&keyword.as_str());
    Ok(LayerDef {
        created_by: raw.created_by,
        created: 0,
        comment: String::new(),
        empty_layer,
        entries,
    })
}

/// Parses `d MODE UID GID PATH`, `f MODE UID GID PATH [size=N]`, `l PATH -> TARGET`,
/// `h PATH => TARGET`. A text file takes (and removes) its text from `content`.
fn parse_entry(line: &str, content: &mut BTreeMap<String, String>) -> Result<EntryDef, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    match fields.as_slice() {
        ["d", mode, uid, gid, path] => Ok(EntryDef {
            path: (*path).into(),
            kind: EntryKind::Dir,
            mode: octal(mode)?,
            uid: number(uid)?,
            gid: number(gid)?,
        }),
        ["f", mode, uid, gid, path, rest @ ..] => {
            let file_content = match rest {
                [] => FileContent::Text(
                    content
                        .remove(*path)
                        .ok_or_else(|| format!("no [content] text for {path}"))?,
                ),
                [size] => {
                    let size = size
                        .strip_prefix("size=")
                        .ok_or("expected size=N after the path")?;
                    FileContent::Sized(number(size)?.into())
                }
                _ => return Err("too many fields".into()),
            };
            Ok(EntryDef {
                path: (*path).into(),
                kind: EntryKind::File {
                    content: file_content,
                },
                mode: octal(mode)?,
                uid: number(uid)?,
                gid: number(gid)?,
            })
        }
        ["l", path, "->", target] => Ok(EntryDef {
            path: (*path).into(),
            kind: EntryKind::Symlink {
                target: (*target).into(),
            },
            mode: 0o777,
            uid: 0,
            gid: 0,
        }),
        ["h", path, "=>", target] => Ok(EntryDef {
            path: (*path).into(),
            kind: EntryKind::Hardlink {
                target: (*target).into(),
            },
            // Validation copies the target's mode and owner: a hard link is the same inode.
            mode: 0,
            uid: 0,
            gid: 0,
        }),
        _ => {
            Err("expected `d|f MODE UID GID PATH`, `l PATH -> TARGET` or `h PATH => TARGET`".into())
        }
    }
}

fn octal(text: &str) -> Result<u32, String> {
    u32::from_str_radix(text, 8)
        .ok()
        .filter(|mode| *mode <= 0o7777)
        .ok_or_else(|| format!("bad mode {text:?} (octal, at most 7777)"))
}

fn number(text: &str) -> Result<u32, String> {
    text.parse().map_err(|_| format!("bad number {text:?}"))
}
