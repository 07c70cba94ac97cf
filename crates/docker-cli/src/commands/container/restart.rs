//! `docker restart`: stop, then start again; the writable layer stays, tmpfs starts empty.

use layerbox_sh::Output;

use crate::commands::container::start::start_and_run;
use crate::commands::container::stop::{stop_options, stop_running, time_notice};
use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const RESTART: Command = Command {
    path: "restart",
    args: Arity::AtLeast(1),
    usage: "docker restart [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[
        option("timeout", Some('t')),
        option("time", None),
        option("signal", Some('s')),
    ],
    interspersed: true,
    not_modelled: &[],
};

/// `docker restart`: stop (as `docker stop`) then start again, detached.
pub fn restart(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let (timeout, signal) = stop_options(m);
    let mut out = Output::default();
    time_notice(m, &mut out);
    for r in &m.args {
        let id = match cli.world.container_id(r) {
            Ok(id) => id,
            Err(e) => {
                daemon_error(&mut out, &e);
                continue;
            }
        };
        let notices = stop_running(cli, &id, &signal, timeout);
        out.stderr.extend_from_slice(notices.as_bytes());
        match start_and_run(cli, &id, true) {
            Ok((notice, _)) => {
                line(&mut out, r);
                out.stderr.extend_from_slice(&notice.stderr);
            }
            Err(e) => {
                reply::err_line(&mut out, format!("Error response from daemon: {e}"));
                out.code = 1;
            }
        }
    }
    out
}
