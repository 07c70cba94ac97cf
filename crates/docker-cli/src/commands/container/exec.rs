//! `docker exec`: a process in a running container (an attached shell with `-it`).

use layerbox_engine::container::Status;
use layerbox_runtime::process::{self, Ended, ProcessSpec, StartError};
use layerbox_runtime::procs::Role;
use layerbox_sh::Output;

use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::daemon_error;
use crate::{reply, Cli};

pub const EXEC: Command = Command {
    path: "exec",
    args: Arity::AtLeast(2),
    usage: "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
    flags: &[
        switch("detach", Some('d')),
        switch("interactive", Some('i')),
        switch("tty", Some('t')),
        option("user", Some('u')),
        option("workdir", Some('w')),
        option("env", Some('e')),
    ],
    interspersed: false,
    not_modelled: &["privileged", "env-file", "detach-keys"],
};

pub fn exec(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    let world = &mut cli.world;
    let id = match world.container_id(&m.args[0]) {
        Ok(id) => id,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    if world
        .containers()
        .get(&id)
        .is_none_or(|c| c.state.status != Status::Running)
    {
        reply::err_line(
            &mut out,
            // Engine 20.10's wording, as recorded (`exec-errors`).
            format!("Error response from daemon: Container {id} is not running"),
        );
        out.code = 1;
        return out;
    }
    let spec = ProcessSpec {
        argv: m.args[1..].to_vec(),
        user: m.last("user").unwrap_or("").to_string(),
        cwd: m.last("workdir").map(str::to_string),
        env: m.all("env"),
        stdin: if m.on("interactive") {
            cli.stdin.to_vec()
        } else {
            Vec::new()
        },
        detached: m.on("detach"),
        tty: m.on("tty"),
        listening: world.listeners(&id).to_vec(),
        at: None,
        procs: Some(cli.runtime.table_for(&id)),
        role: Role::Exec,
    };
    if m.on("interactive")
        && spec.tty
        && !spec.detached
        && process::is_interactive_shell(&spec.argv)
    {
        match process::InteractiveShell::start(world, &id, &spec) {
            Ok(mut shell) => {
                if let Some(table) = shell.procs.take() {
                    cli.runtime.set_table(&id, table);
                }
                cli.attach = Some(crate::Attach { shell, main: false });
                return out;
            }
            Err(e) => return exec_error(e),
        }
    }
    // `exec -d` is background work: a budget of its own, not the typed line's (see `run -d`).
    let budget = if spec.detached {
        cli.background
    } else {
        cli.budget
    };
    match process::run(world, &id, &spec, budget) {
        Ok((proc_out, end, mut left)) => {
            cli.world
                .add_listeners(&id, std::mem::take(&mut left.listeners));
            cli.runtime.ran(cli.world, &id, &mut left, true, budget);
            if !spec.detached {
                out = proc_out;
            } else if cli.background.spent() && matches!(end, Ended::Exited(_)) {
                let name = cli.world.containers().get(&id).map(|c| c.name.clone());
                let name = name.unwrap_or_else(|| id.clone());
                out.stderr = layerbox_runtime::exec_cut_notice(&name).into_bytes();
            }
            if let Ended::Exited(code) = end {
                out.code = code;
            } else {
                out.code = 0;
            }
        }
        Err(e) => return exec_error(e),
    }
    out
}

/// Why `docker exec` could not start its process, as the CLI prints it (exit 126).
pub(crate) fn exec_error(e: StartError) -> Output {
    let mut out = Output::default();
    reply::err_line(&mut out, e.exec_message());
    out.code = 126;
    out
}
