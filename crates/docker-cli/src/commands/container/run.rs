//! `docker run`: create, then start with the main process attached (or detached with `-d`).

use layerbox_runtime::process::Ended;
use layerbox_sh::Output;

use crate::commands::container::create::create_container;
use crate::commands::container::opts::{CREATE_FLAGS, CREATE_NOT_MODELLED};
use crate::commands::container::start::{start_and_run, start_attached};
use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{line, run_error};
use crate::Cli;

pub const RUN: Command = Command {
    path: "run",
    args: Arity::AtLeast(1),
    usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
    flags: CREATE_FLAGS,
    interspersed: false,
    not_modelled: CREATE_NOT_MODELLED,
};

pub fn run(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let id = match create_container(cli, cmd, m) {
        Ok(id) => id,
        Err(out) => return out,
    };
    let detached = m.on("detach");
    if !detached {
        match start_attached(cli, &id) {
            Some(Ok(())) => return Output::default(),
            Some(Err(e)) => {
                return run_error(cmd, &format!("Error response from daemon: {e}"), 125)
            }
            None => {}
        }
    }
    let mut out = Output::default();
    if detached {
        line(&mut out, &id);
    }
    match start_and_run(cli, &id, detached) {
        Ok((proc_out, end)) => {
            if detached {
                out.stderr.extend_from_slice(&proc_out.stderr);
            } else {
                crate::reply::relay(&mut out, &proc_out);
                if let Ended::Exited(code) = end {
                    out.code = code;
                }
            }
        }
        Err(e) => {
            // The id (with -d) was printed before the start failed.
            let err = run_error(cmd, &format!("Error response from daemon: {e}"), e.code);
            crate::reply::relay(&mut out, &err);
            out.code = err.code;
            return out;
        }
    }
    out
}
