//! `docker tag` and `docker rmi` / `docker image rm`: names on images, and removing an image
//! with the layers nothing else holds and (unless `--no-prune`) its untagged parents, as the
//! daemon prunes a build's step images; `docker image prune` starts from the images no other
//! image is built on, so a build's steps stay while the built image needs them.

use std::sync::Arc;

use layerbox_engine::clock::IdGenerator;
use layerbox_engine::image::{normalize_reference, Image};
use layerbox_engine::world::World;
use layerbox_sh::Output;

use super::flags::{switch, Command, Matches};
use super::history::sample_row_id;
use super::reply::{self, check_args, err_line, line, Arity};
use super::Cli;

pub const TAG: Command = Command {
    path: "tag",
    usage: "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub const RMI: Command = Command {
    path: "rmi",
    usage: "docker rmi [OPTIONS] IMAGE [IMAGE...]",
    flags: &[switch("force", Some('f')), switch("no-prune", None)],
    interspersed: true,
    not_modelled: &["platform"],
};

/// Checks a `name[:tag]` as the reference parser does; `Err` is its message.
pub(crate) fn check_reference(reference: &str) -> Result<(), String> {
    let last_slash = reference.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repo, tag) = match reference[last_slash..].rfind(':') {
        Some(i) => (
            &reference[..last_slash + i],
            Some(&reference[last_slash + i + 1..]),
        ),
        None => (reference, None),
    };
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.split(['.', '_', '-']).all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && !t.starts_with(['.', '-'])
    });
    // A first component with a dot, a port or `localhost` is a registry host.
    let (domain, path) = match repo.split_once('/') {
        Some((d, p)) if d.contains(['.', ':']) || d == "localhost" => (Some(d), p),
        _ => (None, repo),
    };
    let domain_ok = domain.is_none_or(|d| {
        let (host, port) = d.split_once(':').unwrap_or((d, "0"));
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
    });
    // The lowercase check comes first, as in `reference.ParseNormalizedNamed`.
    if path != path.to_lowercase() {
        let full = if repo.contains('/') {
            repo.to_string()
        } else {
            format!("library/{repo}")
        };
        return Err(format!(
            "invalid reference format: repository name ({full}) must be lowercase"
        ));
    }
    if domain_ok && path.split('/').all(component_ok) && tag_ok {
        return Ok(());
    }
    Err("invalid reference format".to_string())
}

pub fn tag(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(2)) {
        return out;
    }
    let mut out = Output::default();
    let (source, target) = (&m.args[0], &m.args[1]);
    if let Err(e) = check_reference(target) {
        err_line(
            &mut out,
            format!("Error parsing reference: \"{target}\" is not a valid repository/tag: {e}"),
        );
        out.code = 1;
        return out;
    }
    let images = &mut cli.daemon.world.images;
    let Some(id) = images.find(source).map(|i| i.id.clone()) else {
        err_line(
            &mut out,
            format!(
                "Error response from daemon: No such image: {}",
                normalize_reference(source)
            ),
        );
        out.code = 1;
        return out;
    };
    let target = normalize_reference(target);
    let now = cli.daemon.world.clock.now();
    let images = &mut cli.daemon.world.images;
    for img in images.images.values_mut() {
        img.repo_tags.retain(|t| *t != target);
    }
    if let Some(img) = images.images.get_mut(&id) {
        img.repo_tags.push(target);
        img.last_tag_time = Some(now);
    }
    out
}

pub fn rmi(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    let force = m.on("force");
    for reference in &m.args {
        let world = &mut cli.daemon.world;
        let Some(img) = world.images.find(reference).cloned() else {
            err_line(
                &mut out,
                format!(
                    "Error response from daemon: No such image: {}",
                    normalize_reference(reference)
                ),
            );
            out.code = 1;
            continue;
        };
        let tagged = normalize_reference(reference);
        let by_tag = img.repo_tags.contains(&tagged);
        if by_tag && img.repo_tags.len() > 1 {
            if let Some(i) = world.images.images.get_mut(&img.id) {
                i.repo_tags.retain(|t| *t != tagged);
            }
            line(&mut out, format!("Untagged: {tagged}"));
            continue;
        }
        let user = world.containers.values().find(|c| c.image_id == img.id);
        if let (Some(c), false) = (user, force) {
            let what = if by_tag {
                format!("unable to remove repository reference \"{reference}\" (must force)")
            } else {
                format!("unable to delete {} (must be forced)", &img.id[..12])
            };
            err_line(
                &mut out,
                format!(
                    "Error response from daemon: conflict: {what} - container {} is using its referenced image {}",
                    c.short_id(),
                    &img.id[..12]
                ),
            );
            out.code = 1;
            continue;
        }
        for (verb, what) in delete(world, &img.id, !m.on("no-prune")).0 {
            line(&mut out, format!("{verb}: {what}"));
        }
    }
    out
}

/// Removes image `id` as the daemon's `imageDeleteHelper` does: its tags, the image, then the
/// layers no remaining image or container holds (top down); then, with `prune`, its parent the
/// same way if that has no tag, no other child and no container, and so on up the chain,
/// stopping quietly at the first that may not go. Returns the lines (`Untagged`/`Deleted` and
/// what) and the bytes freed.
fn delete(world: &mut World, id: &str, prune: bool) -> (Vec<(&'static str, String)>, u64) {
    let mut lines: Vec<(&'static str, String)> = Vec::new();
    let mut freed = 0;
    let mut next = Some(id.to_string());
    while let Some(id) = next.take() {
        let Some(img) = world.images.images.get(&id).cloned() else {
            break;
        };
        // A sample's steps were images of their own (the recorder's classic build): with
        // `prune` they go after it, each with the layer it made.
        let steps: Vec<String> = if prune && is_sample(&img) {
            (1..img.history.len())
                .rev()
                .map(|rows| sample_row_id(world, &img, rows))
                .collect()
        } else {
            Vec::new()
        };
        world.images.images.remove(&id);
        lines.extend(img.repo_tags.iter().map(|t| ("Untagged", t.clone())));
        lines.push(("Deleted", format!("sha256:{}", img.id)));
        if steps.is_empty() {
            for i in (0..img.layers.len()).rev() {
                if !release_layer(world, &img, i, &mut lines, &mut freed) {
                    break;
                }
            }
        } else {
            // Step `rows` (counted from the bottom) made layer `made(rows)` if it made one.
            let made = |rows: usize| {
                let entry = &img.history[rows - 1];
                (!entry.empty_layer).then(|| {
                    img.history[..rows]
                        .iter()
                        .filter(|h| !h.empty_layer)
                        .count()
                        - 1
                })
            };
            if let Some(i) = made(img.history.len()) {
                release_layer(world, &img, i, &mut lines, &mut freed);
            }
            for (step, rows) in steps.iter().zip((1..img.history.len()).rev()) {
                let in_use = world.images.images.contains_key(step)
                    || world.containers.values().any(|c| c.image_id == *step);
                if in_use {
                    break;
                }
                lines.push(("Deleted", format!("sha256:{step}")));
                if let Some(i) = made(rows) {
                    release_layer(world, &img, i, &mut lines, &mut freed);
                }
            }
        }
        next = img
            .parent
            .filter(|_| prune)
            .filter(|parent| removable_parent(world, parent));
    }
    (lines, freed)
}

/// A sample image (its steps are the recorder's, not images here).
fn is_sample(img: &Image) -> bool {
    img.parent.is_none()
        && img
            .history
            .first()
            .is_some_and(|h| !h.created_by.starts_with("/bin/sh -c "))
}

/// Deletes layer `i` of the removed image `img` if no image or container holds it any more
/// (a `Deleted` line, its bytes freed); false if it is still held.
fn release_layer(
    world: &World,
    img: &Image,
    i: usize,
    lines: &mut Vec<(&'static str, String)>,
    freed: &mut u64,
) -> bool {
    let Some(layer) = img.layers.get(i) else {
        return false;
    };
    let held = world
        .images
        .images
        .values()
        .any(|o| o.layers.iter().any(|x| Arc::ptr_eq(x, layer)))
        || world
            .containers
            .values()
            .any(|c| c.rootfs.lowers().iter().any(|x| Arc::ptr_eq(x, layer)));
    if held {
        return false;
    }
    *freed += layer.size();
    let layer_id = IdGenerator::digest_of(format!("{}:layer{i}", img.id).as_bytes());
    lines.push(("Deleted", format!("sha256:{layer_id}")));
    true
}

/// Whether a pruned image's parent goes with it: no tag, no other child, no container.
fn removable_parent(world: &World, id: &str) -> bool {
    world
        .images
        .images
        .get(id)
        .is_some_and(|p| p.repo_tags.is_empty())
        && !has_children(world, id)
        && !world.containers.values().any(|c| c.image_id == id)
}

/// Whether some image was built or committed on image `id`.
fn has_children(world: &World, id: &str) -> bool {
    world
        .images
        .images
        .values()
        .any(|i| i.parent.as_deref() == Some(id))
}

pub const PRUNE: Command = Command {
    path: "image prune",
    usage: "docker image prune [OPTIONS]",
    flags: &[switch("all", Some('a')), switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &["filter"],
};

/// `docker image prune [-a] [-f]`: dangling images (no tag), or with `-a` every image no
/// container uses.
pub fn prune(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let mut out = match reply::start_prune(
        cmd,
        m,
        cli.stdin,
        "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ",
        "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ",
    ) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let (section, freed) = prune_images(&mut cli.daemon.world, m.on("all"));
    reply::end_prune(&mut out, section, freed);
    out
}

/// Removes dangling images (or with `all` every image no container uses): the `Deleted
/// Images:` section the CLI prints (nothing if none went) and the bytes freed.
pub fn prune_images(world: &mut World, all: bool) -> (Vec<String>, u64) {
    // The daemon's candidates are the images no other image is built on (each takes its
    // untagged parents with it); with `all`, tagged ones too. An image a container uses stays.
    let mut lines = Vec::new();
    let mut freed = 0;
    loop {
        let doomed: Option<String> = world
            .images
            .images
            .values()
            .filter(|i| all || i.repo_tags.is_empty())
            .filter(|i| !has_children(world, &i.id))
            .find(|i| !world.containers.values().any(|c| c.image_id == i.id))
            .map(|i| i.id.clone());
        let Some(id) = doomed else {
            break;
        };
        let (l, f) = delete(world, &id, true);
        lines.extend(l);
        freed += f;
    }
    let mut section = Vec::new();
    if !lines.is_empty() {
        section.push("Deleted Images:".to_string());
        for (verb, what) in lines {
            section.push(format!("{}: {what}", verb.to_lowercase()));
        }
        section.push(String::new());
    }
    (section, freed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_checked_as_docker_does() {
        assert!(check_reference("myalpine:1.0").is_ok());
        assert!(check_reference("localhost:5000/a/b").is_ok());
        assert!(check_reference("Bad:Name")
            .is_err_and(|e| e.ends_with("repository name (library/Bad) must be lowercase")));
        assert!(check_reference("a::b").is_err());
    }
}
