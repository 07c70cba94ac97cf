//! `docker create`: a container made from an image, not started.

use layerbox_sh::Output;

use crate::commands::container::opts::{create_request, CREATE_FLAGS, CREATE_NOT_MODELLED};
use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, err_line, line, run_error};
use crate::Cli;

pub const CREATE: Command = Command {
    path: "create",
    args: Arity::AtLeast(1),
    usage: "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]",
    flags: CREATE_FLAGS,
    interspersed: false,
    not_modelled: CREATE_NOT_MODELLED,
};

pub fn create(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    match create_container(cli, cmd, m) {
        Ok(id) => {
            let mut out = Output::default();
            line(&mut out, id);
            out
        }
        Err(out) => out,
    }
}

/// `--pull`: when the CLI pulls the image before creating the container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PullPolicy {
    /// Only when the daemon has no such image (the default).
    Missing,
    Never,
    Always,
}

/// What `docker create` shares with `run`: the request, then the daemon's create, with
/// `--pull`'s pull around it as docker/cli's `createContainer` does.
/// Units of the line's work each layer of a new container's image takes, beyond the docker
/// command's own `COMMAND_WORK`: a loop of `docker run --rm postgres true` (11 layers) ends at
/// the line's budget within the two seconds a hostile line may take.
pub const LAYER_WORK: u64 = 5_000;

pub(crate) fn create_container(
    cli: &mut Cli<'_>,
    cmd: &Command,
    m: &Matches,
) -> Result<String, Output> {
    let policy = match m.last("pull").unwrap_or_default() {
        "" | "missing" => PullPolicy::Missing,
        "never" => PullPolicy::Never,
        "always" => PullPolicy::Always,
        other => {
            return Err(run_error(
                cmd,
                &format!(
                    "invalid pull option: '{other}': must be one of \"always\", \"missing\" or \"never\""
                ),
                125,
            ))
        }
    };
    let req = create_request(cli, cmd, m)?;
    let reference = layerbox_engine::image::normalize_reference(&req.image);
    let no_registry = |what: String| {
        let samples = layerbox_engine::image::ImageStore::sample_references().join(", ");
        let mut out = Output::default();
        err_line(
            &mut out,
            format!("layerbox: {what} is not modelled: there is no registry; the sample images are {samples}"),
        );
        out.code = 1;
        out
    };
    if policy == PullPolicy::Always {
        return Err(no_registry(format!("docker {} --pull always", cmd.path)));
    }
    match cli.world.create_container(&req) {
        Ok(id) => {
            // A container is a union over every layer of its image (and its volumes are
            // filled from them): each layer takes `LAYER_WORK` more off the line's work.
            let layers = cli
                .world
                .containers()
                .get(&id)
                .and_then(|c| cli.world.images().images.get(&c.image_id))
                .map_or(0, |img| img.layers.len() as u64);
            let work = cli.budget.work();
            work.set(work.get().saturating_sub(layers * LAYER_WORK));
            Ok(id)
        }
        // The CLI takes any "not found" of the daemon's for a missing image: it pulls the
        // image, then asks again (docker/cli's createContainer). So does a 404 about something
        // else, as a volume that `--volumes-from` cannot get.
        Err(e)
            if policy == PullPolicy::Missing
                && e.kind == layerbox_engine::error::ErrorKind::NotFound =>
        {
            let mut out = if e.to_string() == format!("No such image: {reference}") {
                no_registry(format!("pulling {reference}"))
            } else {
                let mut out = Output::default();
                err_line(
                    &mut out,
                    format!(
                        "layerbox: pulling {reference} is not modelled: there is no registry \
                         (the daemon answered \"{e}\", which the docker CLI takes for a \
                         missing image; with a registry it pulls, asks again and prints that)"
                    ),
                );
                out.code = 1;
                out
            };
            out.stderr.splice(
                0..0,
                format!("Unable to find image '{reference}' locally\n").into_bytes(),
            );
            Err(out)
        }
        Err(e) => Err(if cmd.path == "run" {
            run_error(cmd, &format!("Error response from daemon: {e}"), 125)
        } else {
            let mut out = Output::default();
            daemon_error(&mut out, &e);
            out
        }),
    }
}
