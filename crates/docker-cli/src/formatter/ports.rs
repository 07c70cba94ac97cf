//! The PORTS column of `docker ps` (the CLI's `DisplayablePorts`).

use layerbox_engine::container::{Container, Status};
use layerbox_engine::daemon::ports::Mapping;

/// `net.JoinHostPort`: IPv6 addresses in brackets.
pub(crate) fn join_host_port(ip: &str, port: u16) -> String {
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

pub(crate) fn form_group(key: &str, first: u16, last: u16) -> String {
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
