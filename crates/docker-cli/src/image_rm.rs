//! `docker tag` and `docker rmi` / `docker image rm`: names on images, and removing an image
//! with the layers nothing else holds and (unless `--no-prune`) its untagged parents, as the
//! daemon prunes a build's step images; `docker image prune` starts from the images no other
//! image is built on, so a build's steps stay while the built image needs them.

use layerbox_engine::daemon::images::DeleteItem;
use layerbox_engine::world::World;
use layerbox_sh::Output;

use super::flags::{switch, Command, Matches};
use super::reply::{self, check_args, daemon_error, err_line, line, Arity};
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
    if let Err(e) = cli.world.tag_image(source, target) {
        daemon_error(&mut out, &e);
    }
    out
}

pub fn rmi(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    for reference in &m.args {
        match cli
            .world
            .remove_image(reference, m.on("force"), !m.on("no-prune"))
        {
            Ok(items) => {
                for item in items {
                    let (verb, what) = delete_line(item);
                    line(&mut out, format!("{verb}: {what}"));
                }
            }
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

/// A delete item as `docker rmi` prints it (`Untagged: …`, `Deleted: sha256:…`).
fn delete_line(item: DeleteItem) -> (&'static str, String) {
    match item {
        DeleteItem::Untagged(t) => ("Untagged", t),
        DeleteItem::Deleted(id) => ("Deleted", id),
    }
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
    let (section, freed) = prune_images(cli.world, m.on("all"));
    reply::end_prune(&mut out, section, freed);
    out
}

/// The daemon's image prune as the CLI prints it: the `Deleted Images:` section (nothing if
/// none went) and the bytes freed.
pub fn prune_images(world: &mut World, all: bool) -> (Vec<String>, u64) {
    let (items, freed) = world.prune_images(all);
    let mut section = Vec::new();
    if !items.is_empty() {
        section.push("Deleted Images:".to_string());
        for item in items {
            let (verb, what) = delete_line(item);
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
