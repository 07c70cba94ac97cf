//! The docker CLI (`layerbox-docker-cli`): one table of commands (management aliases
//! included), each with its flags as data and a handler that asks the engine and words the
//! answer as Docker 28's CLI does. It keeps no daemon state: the world is the engine's, the
//! processes are the runtime's.

use std::collections::BTreeMap;

use layerbox_engine::world::World;
use layerbox_sh::Output;

use layerbox_runtime::{InteractiveShell, Runtime};

pub mod build;
pub mod container;
pub mod cp;
pub mod flags;
pub mod format;
pub mod help;
pub mod history;
pub mod image;
pub mod image_inspect;
pub mod image_rm;
pub mod inspect;
pub mod mount_flag;
pub mod port;
pub mod ps_filter;
pub mod rename;
pub mod reply;
pub mod system;
pub mod table;
pub mod template;
pub mod value;
pub mod volume;

use flags::{Command, Flag, Matches};

/// An interactive shell in a container, attached to the learner's terminal.
#[derive(Debug, Clone)]
pub struct Attach {
    pub shell: InteractiveShell,
    /// The container's main process (`docker run -it`): when it exits, the container stops.
    pub main: bool,
}

/// One docker command line and what it runs against: the daemon (the engine's world), the
/// runtime's processes, and the terminal it was typed at.
pub struct Cli<'a> {
    pub world: &'a mut World,
    pub runtime: &'a mut Runtime,
    /// A shell the command attached to the terminal (`docker exec -it c sh`), for the session
    /// to take over.
    pub attach: Option<Attach>,
    /// The shell's working directory (relative bind sources).
    pub cwd: &'a str,
    pub stdin: &'a [u8],
    pub env: &'a BTreeMap<String, String>,
    /// Whether stderr is a terminal (the CLI's progress lines, `Successfully copied …`).
    pub tty: bool,
}

type Handler = fn(&mut Cli<'_>, &Command, &Matches) -> Output;

/// Every command modelled: the words that name it (first is canonical), its flags and handler.
const COMMANDS: &[(&[&str], &Command, Handler)] = &[
    (&["volume create"], &volume::CREATE, volume::create),
    (&["volume ls", "volume list"], &volume::LS, volume::ls),
    (&["volume inspect"], &volume::INSPECT, volume::inspect),
    (&["volume rm", "volume remove"], &volume::RM, volume::rm),
    (&["volume prune"], &volume::PRUNE, volume::prune),
    (&["container prune"], &container::PRUNE, container::prune),
    (&["system prune"], &system::PRUNE, system::prune),
    (&["run", "container run"], &container::RUN, container::run),
    (
        &["create", "container create"],
        &container::CREATE,
        container::create,
    ),
    (
        &["start", "container start"],
        &container::START,
        container::start,
    ),
    (
        &["stop", "container stop"],
        &container::STOP,
        container::stop,
    ),
    (
        &["rm", "container rm", "container remove"],
        &container::RM,
        container::rm,
    ),
    (
        &["ps", "container ls", "container list", "container ps"],
        &container::PS,
        container::ps,
    ),
    (
        &["exec", "container exec"],
        &container::EXEC,
        container::exec,
    ),
    (
        &["diff", "container diff"],
        &container::DIFF,
        container::diff,
    ),
    (
        &["logs", "container logs"],
        &container::LOGS,
        container::logs,
    ),
    (
        &["commit", "container commit"],
        &container::COMMIT,
        container::commit,
    ),
    (&["port", "container port"], &port::PORT, port::port),
    (&["cp", "container cp"], &cp::CP, cp::cp),
    (
        &["restart", "container restart"],
        &container::RESTART,
        container::restart,
    ),
    (
        &["kill", "container kill"],
        &container::KILL,
        container::kill,
    ),
    (
        &["wait", "container wait"],
        &container::WAIT,
        container::wait,
    ),
    (&["top", "container top"], &container::TOP, container::top),
    (&["inspect"], &inspect::INSPECT, inspect::inspect),
    (
        &["container inspect"],
        &inspect::CONTAINER_INSPECT,
        inspect::container_inspect,
    ),
    (
        &["images", "image ls", "image list"],
        &image::IMAGES,
        image::images,
    ),
    (
        &["image inspect"],
        &image_inspect::IMAGE_INSPECT,
        image_inspect::image_inspect,
    ),
    (&["tag", "image tag"], &image_rm::TAG, image_rm::tag),
    (
        &["rmi", "image rm", "image remove"],
        &image_rm::RMI,
        image_rm::rmi,
    ),
    (&["image prune"], &image_rm::PRUNE, image_rm::prune),
    (
        &["rename", "container rename"],
        &rename::RENAME,
        rename::rename,
    ),
    (&["version"], &system::VERSION, system::version),
    (&["info", "system info"], &system::INFO, system::info),
    (&["system df"], &system::DF, system::df),
    (&["pull", "image pull"], &system::PULL, system::pull),
    (&["build"], &build::BUILD, build::build),
    (&["image build"], &build::IMAGE_BUILD, build::build),
    (&["history"], &history::HISTORY, history::history),
    (
        &["image history"],
        &history::IMAGE_HISTORY,
        history::history,
    ),
];

/// Docker commands that exist but are not modelled yet.
const KNOWN: &[&str] = &[
    "attach", "builder", "buildx", "compose", "config", "context", "events", "export", "import",
    "load", "login", "logout", "network", "node", "pause", "plugin", "push", "save", "search",
    "secret", "service", "stack", "stats", "swarm", "trust", "unpause", "update",
];

/// Management commands whose subcommands are looked up in [`COMMANDS`].
const MANAGEMENT: &[&str] = &["volume", "container", "image", "system"];

/// Runs `docker ARGS...` typed in the host shell.
pub fn main(cli: &mut Cli<'_>, args: &[String]) -> Output {
    let Some(first) = args.first() else {
        return reply::not_modelled("docker without a command");
    };
    if first == "--help" || first == "-h" {
        if let Some(out) = help::plain("") {
            return out;
        }
    }
    if first.starts_with('-') {
        return reply::not_modelled(&format!("docker {first}"));
    }
    if first == "help" {
        let words = args[1..].join(" ");
        if let Some((names, _, _)) = COMMANDS
            .iter()
            .find(|(names, _, _)| names.contains(&words.as_str()))
        {
            return help::help(&words, names, false);
        }
        if let Some(out) = help::plain(&words) {
            return out;
        }
        return reply::not_modelled(&format!("docker help {words}"));
    }
    let two = args
        .get(1)
        .map(|second| format!("{first} {second}"))
        .unwrap_or_default();
    for (names, cmd, handler) in COMMANDS {
        let (used, rest) = if names.contains(&two.as_str()) {
            (2, &args[2..])
        } else if names.contains(&first.as_str()) {
            (1, &args[1..])
        } else {
            continue;
        };
        let typed = if used == 2 {
            two.as_str()
        } else {
            first.as_str()
        };
        return match flags::parse(cmd, rest) {
            Ok(m) if m.help => help::help(typed, names, m.help_short),
            Ok(m) => handler(cli, cmd, &m),
            Err(e) => reply::flag_error(cmd, e),
        };
    }
    if MANAGEMENT.contains(&first.as_str()) {
        if matches!(
            args.get(1).map(String::as_str),
            Some("--help" | "-h") | None
        ) {
            if let Some(out) = help::plain(first) {
                return out;
            }
        }
        // A subcommand the management command does not have (its help lists them).
        if let (Some(sub), Some(usage)) = (args.get(1), help::management_usage(first)) {
            if !sub.starts_with('-') && !help::lists_subcommand(first, sub) {
                return Output {
                    stderr: format!(
                        "docker: unknown command: docker {first} {sub}\n\nUsage:  {usage}\n\nRun 'docker {first} --help' for more information\n"
                    )
                    .into_bytes(),
                    code: 1,
                    ..Output::default()
                };
            }
        }
        return match args.get(1) {
            Some(sub) if !sub.starts_with('-') => {
                reply::not_modelled(&format!("docker {first} {sub}"))
            }
            _ => reply::not_modelled(&format!("docker {first}")),
        };
    }
    if KNOWN.contains(&first.as_str()) {
        return reply::not_modelled(&format!("docker {first}"));
    }
    Output {
        stderr: format!(
            "docker: unknown command: docker {first}\n\nRun 'docker --help' for more information\n"
        )
        .into_bytes(),
        code: 1,
        ..Output::default()
    }
}

/// Every modelled command's words (`run`, `volume ls`, `container run`, ...) with its flags, for
/// a terminal's Tab completion.
pub fn catalog() -> impl Iterator<Item = (&'static str, &'static [Flag])> {
    COMMANDS
        .iter()
        .flat_map(|(names, cmd, _)| names.iter().map(move |n| (*n, cmd.flags)))
}
