//! The docker CLI (`layerbox-docker-cli`): one table of commands (management aliases
//! included), each with its flags as data and a handler that asks the engine and words the
//! answer as Docker 28's CLI does. It keeps no daemon state: the world is the engine's, the
//! processes are the runtime's.

pub mod commands;
pub mod formatter;
pub mod help;
pub mod opts;
pub mod reply;

use std::collections::BTreeMap;

use layerbox_engine::world::World;
use layerbox_runtime::{InteractiveShell, Runtime};
use layerbox_sh::{Budget, Output};
use opts::flags::{Command, Flag, Matches};

use crate::opts::flags;

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
    /// The typed line's budget: the processes the command runs in containers share it.
    pub budget: &'a Budget,
    /// The typed line's background budget: what the containers' detached and waiting
    /// processes may do while the line runs, all together (`run -d`, `exec -d`, and the
    /// time `stop` and `wait` let pass), so neither a busy loop there spends the line's budget
    /// nor a loop of the line multiplies theirs.
    pub background: &'a Budget,
}

type Handler = fn(&mut Cli<'_>, &Command, &Matches) -> Output;

/// Every command modelled: the words that name it (first is canonical) and its flags
/// (`COMMANDS`), and at the same index its handler (`HANDLERS`). Two tables, so what reads only
/// the words and flags (Tab completion on the web page, [`catalog`]) holds no handler: the
/// page's wasm module, which runs no command, is linked without them.
macro_rules! commands {
    ($(($names:expr, $cmd:expr, $handler:expr $(,)?),)*) => {
        const COMMANDS: &[(&[&str], &Command)] = &[$(($names, $cmd)),*];
        const HANDLERS: &[Handler] = &[$($handler),*];
    };
}

commands! {
    (
        &["volume create"],
        &commands::volume::create::CREATE,
        commands::volume::create::create,
    ),
    (
        &["volume ls", "volume list"],
        &commands::volume::list::LS,
        commands::volume::list::ls,
    ),
    (
        &["volume inspect"],
        &commands::volume::inspect::INSPECT,
        commands::volume::inspect::inspect,
    ),
    (
        &["volume rm", "volume remove"],
        &commands::volume::remove::RM,
        commands::volume::remove::rm,
    ),
    (
        &["volume prune"],
        &commands::volume::prune::PRUNE,
        commands::volume::prune::prune,
    ),
    (
        &["container prune"],
        &commands::container::prune::PRUNE,
        commands::container::prune::prune,
    ),
    (
        &["system prune"],
        &commands::system::prune::PRUNE,
        commands::system::prune::prune,
    ),
    (
        &["run", "container run"],
        &commands::container::run::RUN,
        commands::container::run::run,
    ),
    (
        &["create", "container create"],
        &commands::container::create::CREATE,
        commands::container::create::create,
    ),
    (
        &["start", "container start"],
        &commands::container::start::START,
        commands::container::start::start,
    ),
    (
        &["stop", "container stop"],
        &commands::container::stop::STOP,
        commands::container::stop::stop,
    ),
    (
        &["rm", "container rm", "container remove"],
        &commands::container::rm::RM,
        commands::container::rm::rm,
    ),
    (
        &["ps", "container ls", "container list", "container ps"],
        &commands::container::list::PS,
        commands::container::list::ps,
    ),
    (
        &["exec", "container exec"],
        &commands::container::exec::EXEC,
        commands::container::exec::exec,
    ),
    (
        &["diff", "container diff"],
        &commands::container::diff::DIFF,
        commands::container::diff::diff,
    ),
    (
        &["logs", "container logs"],
        &commands::container::logs::LOGS,
        commands::container::logs::logs,
    ),
    (
        &["commit", "container commit"],
        &commands::container::commit::COMMIT,
        commands::container::commit::commit,
    ),
    (
        &["port", "container port"],
        &commands::container::port::PORT,
        commands::container::port::port,
    ),
    (
        &["cp", "container cp"],
        &commands::container::cp::CP,
        commands::container::cp::cp,
    ),
    (
        &["restart", "container restart"],
        &commands::container::restart::RESTART,
        commands::container::restart::restart,
    ),
    (
        &["kill", "container kill"],
        &commands::container::kill::KILL,
        commands::container::kill::kill,
    ),
    (
        &["wait", "container wait"],
        &commands::container::wait::WAIT,
        commands::container::wait::wait,
    ),
    (
        &["update", "container update"],
        &commands::container::update::UPDATE,
        commands::container::update::update,
    ),
    (
        &["top", "container top"],
        &commands::container::top::TOP,
        commands::container::top::top,
    ),
    (
        &["inspect"],
        &commands::system::inspect::INSPECT,
        commands::system::inspect::inspect,
    ),
    (
        &["container inspect"],
        &commands::container::inspect::CONTAINER_INSPECT,
        commands::container::inspect::container_inspect,
    ),
    (
        &["images", "image ls", "image list"],
        &commands::image::list::IMAGES,
        commands::image::list::images,
    ),
    (
        &["image inspect"],
        &commands::image::inspect::IMAGE_INSPECT,
        commands::image::inspect::image_inspect,
    ),
    (
        &["tag", "image tag"],
        &commands::image::tag::TAG,
        commands::image::tag::tag,
    ),
    (
        &["rmi", "image rm", "image remove"],
        &commands::image::remove::RMI,
        commands::image::remove::rmi,
    ),
    (
        &["image prune"],
        &commands::image::prune::PRUNE,
        commands::image::prune::prune,
    ),
    (
        &["rename", "container rename"],
        &commands::container::rename::RENAME,
        commands::container::rename::rename,
    ),
    (
        &["version"],
        &commands::system::version::VERSION,
        commands::system::version::version,
    ),
    (
        &["info", "system info"],
        &commands::system::info::INFO,
        commands::system::info::info,
    ),
    (
        &["system df"],
        &commands::system::df::DF,
        commands::system::df::df,
    ),
    (
        &["pull", "image pull"],
        &commands::image::pull::PULL,
        commands::image::pull::pull,
    ),
    (
        &["build"],
        &commands::image::build::BUILD,
        commands::image::build::build,
    ),
    (
        &["image build"],
        &commands::image::build::IMAGE_BUILD,
        commands::image::build::build,
    ),
    (
        &["history"],
        &commands::image::history::HISTORY,
        commands::image::history::history,
    ),
    (
        &["image history"],
        &commands::image::history::IMAGE_HISTORY,
        commands::image::history::history,
    ),
}

/// Docker commands that exist but are not modelled yet.
const KNOWN: &[&str] = &[
    "attach", "builder", "buildx", "compose", "config", "context", "events", "export", "import",
    "load", "login", "logout", "network", "node", "pause", "plugin", "push", "save", "search",
    "secret", "service", "stack", "stats", "swarm", "trust", "unpause",
];

/// Management commands whose subcommands are looked up in [`COMMANDS`].
const MANAGEMENT: &[&str] = &["volume", "container", "image", "system"];

/// Units of the typed line's work one docker command takes (see `layerbox_sh::WORK_BUDGET`):
/// a line runs at most a thousand of them.
pub const COMMAND_WORK: u64 = 25_000;

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
        if let Some((names, _)) = COMMANDS
            .iter()
            .find(|(names, _)| names.contains(&words.as_str()))
        {
            return help::help(&words, names, false);
        }
        if let Some(out) = help::plain(&words) {
            return out;
        }
        return reply::not_modelled(&format!("docker help {words}"));
    }
    // A docker command does the daemon's work (containers, images, layers): each takes
    // `COMMAND_WORK` off the line's, so a loop of the shell cannot run thousands of them.
    let work = cli.budget.work();
    if work.get() < COMMAND_WORK {
        work.set(0);
        return Output {
            code: 130,
            ..Output::default()
        };
    }
    work.set(work.get() - COMMAND_WORK);
    // The templates this command runs take their steps off the line's work.
    let lent = formatter::template::line_work::lend(cli.budget.work().get());
    let out = dispatch(cli, args);
    let used = formatter::template::line_work::give_back(lent);
    let work = cli.budget.work();
    work.set(work.get().saturating_sub(used));
    out
}

/// Runs the command `args` names, after `main`'s own words (`--help`, `help`).
fn dispatch(cli: &mut Cli<'_>, args: &[String]) -> Output {
    let Some(first) = args.first() else {
        return reply::not_modelled("docker without a command");
    };
    let two = args
        .get(1)
        .map(|second| format!("{first} {second}"))
        .unwrap_or_default();
    for ((names, cmd), handler) in COMMANDS.iter().zip(HANDLERS) {
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
        let mut out = match flags::parse(cmd, rest) {
            Ok(m) if m.help => help::help(typed, names, m.help_short),
            Ok(m) => match reply::check_args(cmd, &m.args, cmd.args) {
                Ok(()) => handler(cli, cmd, &m),
                Err(refused) => refused,
            },
            Err(e) => reply::flag_error(cmd, e),
        };
        if matches!(cmd.path, "build" | "image build") {
            // cmd/docker/builder.go: the fallback to the legacy builder is announced before the
            // command runs, so even a refused build prints it first.
            out.stderr_first = commands::image::build::DEPRECATED.as_bytes().to_vec();
        }
        return out;
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
            let listed = if sub.starts_with('-') {
                Ok(true)
            } else {
                help::lists_subcommand(first, sub)
            };
            match listed {
                Ok(true) => {}
                Err(unavailable) => return unavailable,
                Ok(false) => return Output {
                    stderr: format!(
                        "docker: unknown command: docker {first} {sub}\n\nUsage:  {usage}\n\nRun 'docker {first} --help' for more information\n"
                    )
                    .into_bytes(),
                    code: 1,
                    ..Output::default()
                },
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

/// What says it is not modelled: every command Docker has that layerbox does not run, then
/// each modelled command's words with the flags of Docker's it does not model (`follow/f`).
pub fn not_modelled_catalog() -> (
    &'static [&'static str],
    impl Iterator<Item = (&'static str, &'static [&'static str])>,
) {
    let flags = COMMANDS
        .iter()
        .flat_map(|(names, cmd)| names.iter().map(move |n| (*n, cmd.not_modelled)));
    (KNOWN, flags)
}

/// Every modelled command's words (`run`, `volume ls`, `container run`, ...) with its flags, for
/// a terminal's Tab completion.
pub fn catalog() -> impl Iterator<Item = (&'static str, &'static [Flag])> {
    COMMANDS
        .iter()
        .flat_map(|(names, cmd)| names.iter().map(move |n| (*n, cmd.flags)))
}
