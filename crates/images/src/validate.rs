//! The rules every expanded image must keep: absolute normal paths, parents before children, no duplicates, links that resolve.

use std::collections::BTreeMap;

use crate::{EntryKind, ImageDef, ImagesError};

/// Checks `image` (with its inherited layers) against the rules above.
pub fn validate(image: &ImageDef) -> Result<(), ImagesError> {
    let fail = |reason: String| ImagesError::Invalid {
        image: image.reference(),
        reason,
    };
    // What the union of the layers so far holds at each path: true for a directory.
    let mut union: BTreeMap<&str, bool> = BTreeMap::new();
    union.insert("/", true);
    for (index, layer) in image.layers.iter().enumerate() {
        if layer.created_by.is_empty() {
            return Err(fail(format!("layer {index}: empty created_by")));
        }
        let mut in_layer: BTreeMap<&str, &EntryKind> = BTreeMap::new();
        for entry in &layer.entries {
            let path = entry.path.as_str();
            if !is_normal_absolute(path) || path == "/" {
                return Err(fail(format!(
                    "layer {index}: {path:?} is not a normal absolute path"
                )));
            }
            if in_layer.insert(path, &entry.kind).is_some() {
                return Err(fail(format!("layer {index}: {path} listed twice")));
            }
            let parent = parent_of(path);
            if union.get(parent) != Some(&true) {
                return Err(fail(format!(
                    "layer {index}: parent directory of {path} is not a directory of this or a lower layer"
                )));
            }
            match &entry.kind {
                EntryKind::Hardlink { target }
                    if !matches!(in_layer.get(target.as_str()), Some(EntryKind::File { .. })) =>
                {
                    return Err(fail(format!(
                        "layer {index}: hard link {path} => {target}: not a file listed earlier in the same layer"
                    )));
                }
                EntryKind::Symlink { target } if target.is_empty() => {
                    return Err(fail(format!("layer {index}: symlink {path} has no target")));
                }
                _ => {}
            }
            union.insert(path, matches!(entry.kind, EntryKind::Dir));
        }
    }
    let config = &image.config;
    for volume in &config.volumes {
        if !is_normal_absolute(volume) || volume == "/" {
            return Err(fail(format!("VOLUME {volume:?} is not an absolute path")));
        }
        if union.get(volume.as_str()) == Some(&false) {
            return Err(fail(format!("VOLUME {volume} is a file in the image")));
        }
    }
    if !config.working_dir.is_empty() && !is_normal_absolute(&config.working_dir) {
        return Err(fail(format!(
            "WORKDIR {:?} is not absolute",
            config.working_dir
        )));
    }
    for env in &config.env {
        if !env.contains('=') {
            return Err(fail(format!("ENV {env:?} is not KEY=value")));
        }
    }
    Ok(())
}

/// `/a/b` style: starts with `/`, no empty, `.` or `..` components, no trailing slash.
pub fn is_normal_absolute(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    match path.strip_prefix('/') {
        Some(rest) => rest
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".."),
        None => false,
    }
}

fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(at) => &path[..at],
    }
}
