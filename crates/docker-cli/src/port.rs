//! Published ports: `-p`/`--publish` as the CLI parses it, the daemon's allocation when a
//! container starts (ephemeral ports, `port is already allocated`), the PORTS column of
//! `docker ps` and `docker port`.

use layerbox_engine::container::{Container, PortBinding, Status};
use layerbox_engine::daemon::ports::Mapping;
use layerbox_sh::Output;

use super::flags::{Command, Matches};
use super::reply::{self, check_args, daemon_error, line, Arity};
use super::Cli;

/// `-p [IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]` (nat.ParsePortSpec), in the CLI's words.
pub fn parse_publish(value: &str) -> Result<Vec<PortBinding>, String> {
    let (spec, proto) = match value.rsplit_once('/') {
        Some((s, p)) => (s, p.to_string()),
        None => (value, "tcp".to_string()),
    };
    let (ip, rest) = if let Some(r) = spec.strip_prefix('[') {
        match r.split_once("]:") {
            Some((ip, rest)) => (ip.to_string(), rest),
            None => return Err(format!("invalid ip address: {spec}")),
        }
    } else {
        match spec.matches(':').count() {
            2 => {
                let (ip, rest) = spec.split_once(':').unwrap_or(("", spec));
                (ip.to_string(), rest)
            }
            _ => (String::new(), spec),
        }
    };
    let (host_port, container_port) = match rest.rsplit_once(':') {
        Some((h, c)) => (h, c),
        None => ("", rest),
    };
    let valid = |p: &str| p.parse::<u32>().is_ok_and(|n| n <= 65535);
    if !valid(container_port) || container_port.parse::<u32>() == Ok(0) {
        return Err(format!("invalid containerPort: {container_port}"));
    }
    if !host_port.is_empty() && !valid(host_port) {
        return Err(format!("invalid hostPort: {host_port}"));
    }
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("invalid ip address: {ip}"));
    }
    Ok(vec![PortBinding {
        host_ip: ip,
        host_port: host_port.to_string(),
        container_port: container_port.to_string(),
        proto,
    }])
}

/// Starts container `id` with its ports bound (the runtime forgets a process left waiting
/// from its previous run); errors in the daemon's words.
pub fn start_container(cli: &mut Cli<'_>, id: &str) -> Result<(), String> {
    cli.runtime
        .start_container(cli.world, id)
        .map_err(|e| e.to_string())
}

/// `net.JoinHostPort`: IPv6 addresses in brackets.
fn join_host_port(ip: &str, port: u16) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The PORTS column (the CLI's `DisplayablePorts`): for a running container its exposed
/// ports, `80/tcp` when not published, `0.0.0.0:8010->80/tcp` when published.
pub fn displayable_ports(c: &Container, mappings: &[Mapping]) -> String {
    if c.state.status != Status::Running {
        return String::new();
    }
    // (private port, proto, ip, public port) as the API lists them.
    let mut ports: Vec<(u16, String, String, u16)> = mappings
        .iter()
        .map(|m| {
            (
                m.container_port,
                m.proto.clone(),
                m.host_ip.clone(),
                m.host_port,
            )
        })
        .collect();
    let mut exposed: Vec<(u16, String)> = c
        .config
        .exposed_ports
        .iter()
        .filter_map(|p| {
            let (n, proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
            Some((n.parse().ok()?, proto.to_string()))
        })
        .collect();
    for b in &c.host_config.port_bindings {
        if let Ok(n) = b.container_port.parse() {
            exposed.push((n, b.proto.clone()));
        }
    }
    layerbox_order::sort(&mut exposed);
    exposed.dedup();
    for (n, proto) in exposed {
        if !ports.iter().any(|p| p.0 == n && p.1 == proto) {
            ports.push((n, proto, String::new(), 0));
        }
    }
    layerbox_order::sort_by(&mut ports, |a, b| {
        (a.0, &a.2, a.3, &a.1).cmp(&(b.0, &b.2, b.3, &b.1))
    });
    let mut groups: Vec<(String, u16, u16)> = Vec::new();
    let mut result = Vec::new();
    let mut host_mappings = Vec::new();
    for (private, proto, ip, public) in ports {
        let key = if ip.is_empty() {
            proto.clone()
        } else {
            if public != private {
                host_mappings.push(format!(
                    "{}->{private}/{proto}",
                    join_host_port(&ip, public)
                ));
                continue;
            }
            format!("{ip}/{proto}")
        };
        match groups.iter_mut().find(|g| g.0 == key) {
            None => groups.push((key, private, private)),
            Some(g) if private == g.2.wrapping_add(1) => g.2 = private,
            Some(g) => {
                result.push(form_group(&g.0, g.1, g.2));
                *g = (key, private, private);
            }
        }
    }
    for (key, first, last) in &groups {
        result.push(form_group(key, *first, *last));
    }
    result.extend(host_mappings);
    result.join(", ")
}

fn form_group(key: &str, first: u16, last: u16) -> String {
    let range = if first == last {
        first.to_string()
    } else {
        format!("{first}-{last}")
    };
    match key.rsplit_once('/') {
        Some((ip, proto)) => {
            let host = if ip.contains(':') {
                format!("[{ip}]:{range}")
            } else {
                format!("{ip}:{range}")
            };
            format!("{host}->{range}/{proto}")
        }
        None => format!("{range}/{key}"),
    }
}

pub const PORT: Command = Command {
    path: "port",
    usage: "docker port CONTAINER [PRIVATE_PORT[/PROTO]]",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`.
pub fn port(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Between(1, 2)) {
        return out;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_specs_parse_as_the_cli_does() {
        let b = parse_publish("127.0.0.1:8010:80").expect("valid");
        assert_eq!(
            (
                b[0].host_ip.as_str(),
                b[0].host_port.as_str(),
                b[0].container_port.as_str()
            ),
            ("127.0.0.1", "8010", "80")
        );
        assert_eq!(parse_publish("80").expect("valid")[0].host_port, "");
        assert_eq!(
            parse_publish("abc").unwrap_err(),
            "invalid containerPort: abc"
        );
        assert_eq!(
            parse_publish("70000:80").unwrap_err(),
            "invalid hostPort: 70000"
        );
    }
}
