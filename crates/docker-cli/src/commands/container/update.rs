//! `docker update`: a container's restart policy (`--restart`); its resource limits are not
//! modelled.

use layerbox_engine::daemon::restart::RestartPolicy;
use layerbox_sh::Output;

use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::{self, line};
use crate::Cli;

pub const UPDATE: Command = Command {
    path: "update",
    args: Arity::AtLeast(1),
    usage: "docker update [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("restart", None)],
    interspersed: true,
    not_modelled: &[
        "blkio-weight",
        "cpu-period",
        "cpu-quota",
        "cpu-rt-period",
        "cpu-rt-runtime",
        "cpu-shares/c",
        "cpus",
        "cpuset-cpus",
        "cpuset-mems",
        "kernel-memory",
        "memory/m",
        "memory-reservation",
        "memory-swap",
        "pids-limit",
    ],
};

/// `docker update --restart POLICY CONTAINER...`: each container's name as typed once updated;
/// the daemon's errors together at the end (exit 1).
pub fn update(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let Some(raw) = m.last("restart") else {
        return reply::not_modelled("docker update without --restart");
    };
    let policy = match parse_restart_policy(raw) {
        Ok(p) => p,
        Err(e) => {
            let mut out = Output::default();
            reply::err_line(&mut out, e);
            out.code = 1;
            return out;
        }
    };
    let mut out = Output::default();
    let mut errors = Vec::new();
    for r in &m.args {
        match cli.world.update_restart_policy(r, policy.clone()) {
            Ok(_) => line(&mut out, r),
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    if !errors.is_empty() {
        reply::err_line(&mut out, errors.join("\n"));
        out.code = 1;
    }
    out
}

/// The CLI's `opts.ParseRestartPolicy`: `NAME[:COUNT]`, the count an integer; the daemon
/// checks the name.
pub(crate) fn parse_restart_policy(raw: &str) -> Result<RestartPolicy, String> {
    let (name, count) = raw.split_once(':').unwrap_or((raw, ""));
    if raw.contains(':') && name.is_empty() {
        return Err("invalid restart policy format: no policy provided before colon".into());
    }
    let maximum_retry_count = if count.is_empty() {
        0
    } else {
        count.parse::<i64>().map_err(|_| {
            "invalid restart policy format: maximum retry count must be an integer".to_string()
        })?
    };
    Ok(RestartPolicy {
        name: name.to_string(),
        maximum_retry_count,
    })
}
