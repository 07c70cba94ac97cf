//! `docker port`: the host addresses a running container's ports are published on.

use layerbox_sh::Output;

use crate::formatter::ports::join_host_port;
use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

pub const PORT: Command = Command {
    path: "port",
    args: Arity::Between(1, 2),
    usage: "docker port CONTAINER [PRIVATE_PORT[/PROTO]]",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`.
pub fn port(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    let id = match cli.world.container_id(&m.args[0]) {
        Ok(id) => id,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    let mappings = cli.world.live_ports(&id);
    match m.args.get(1) {
        Some(wanted) => {
            let (n, proto) = wanted.split_once('/').unwrap_or((wanted.as_str(), "tcp"));
            let mut found: Vec<String> = mappings
                .iter()
                .filter(|p| p.container_port.to_string() == n && p.proto == proto)
                .map(|p| join_host_port(&p.host_ip, p.host_port))
                .collect();
            layerbox_order::sort(&mut found);
            if found.is_empty() {
                reply::err_line(
                    &mut out,
                    format!(
                        "Error: No public port '{wanted}' published for {}",
                        m.args[0]
                    ),
                );
                out.code = 1;
            }
            for f in found {
                line(&mut out, f);
            }
        }
        None => {
            let mut lines: Vec<String> = mappings
                .iter()
                .map(|p| {
                    format!(
                        "{}/{} -> {}",
                        p.container_port,
                        p.proto,
                        join_host_port(&p.host_ip, p.host_port)
                    )
                })
                .collect();
            layerbox_order::sort(&mut lines);
            for l in lines {
                line(&mut out, l);
            }
        }
    }
    out
}
