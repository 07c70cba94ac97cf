//! Published ports: the daemon's allocation when a container starts (ephemeral ports from
//! 32768, `port is already allocated`), what each running container publishes, and the
//! servers its processes listen with behind them.

use serde::{Deserialize, Serialize};

use crate::container::Status;
use crate::error::EngineError;
use crate::world::World;

/// The first port the daemon hands out for `-p 80` (Linux's `ip_local_port_range` start).
pub const EPHEMERAL_START: u16 = 32768;

/// One host address the daemon's proxy listens on for a container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// `0.0.0.0`, `::` or the address asked for.
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub proto: String,
}

/// What the daemon allocated when a container last started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The container's `started_at` this belongs to: a stopped container has none.
    pub started_at: u64,
    pub mappings: Vec<Mapping>,
}

/// A server a container's process started: BusyBox `httpd` serving `home` on `port`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    pub port: u16,
    /// The document root (`-h`, else the cwd httpd started in).
    pub home: String,
}

impl World {
    /// The ports container `id` publishes now (none unless it is running).
    pub fn live_ports(&self, id: &str) -> &[Mapping] {
        let running_since = self
            .containers
            .get(id)
            .filter(|c| c.state.status == Status::Running)
            .and_then(|c| c.state.started_at);
        match self.ports.get(id) {
            Some(p) if Some(p.started_at) == running_since => &p.mappings,
            _ => &[],
        }
    }

    /// The servers container `id`'s processes listen with (empty unless it runs).
    pub fn listeners(&self, id: &str) -> &[Listener] {
        self.listeners.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A process of running container `id` started servers (`httpd -p 80`).
    pub fn add_listeners(&mut self, id: &str, started: Vec<Listener>) {
        if started.is_empty() {
            return;
        }
        self.listeners
            .entry(id.to_string())
            .or_default()
            .extend(started);
    }

    /// Binds container `id`'s published ports before it starts; the daemon's error if a host
    /// port is taken (the container then stays as it was).
    pub(crate) fn allocate_ports(&mut self, id: &str) -> Result<Vec<Mapping>, EngineError> {
        let Some(c) = self.containers.get(id) else {
            return Ok(Vec::new());
        };
        let bindings = c.host_config.port_bindings.clone();
        let name = c.name.clone();
        let taken: Vec<Mapping> = self
            .containers
            .keys()
            .filter(|other| *other != id)
            .flat_map(|other| self.live_ports(other).to_vec())
            .collect();
        // One address family at a time: `0.0.0.0` takes the port on every IPv4 address, `::`
        // on every IPv6 one.
        let clashes = |m: &Mapping, ip: &str, port: u16| {
            let wildcard = |a: &str| a == "0.0.0.0" || a == "::";
            m.host_port == port
                && m.host_ip.contains(':') == ip.contains(':')
                && (m.host_ip == ip || wildcard(&m.host_ip) || wildcard(ip))
        };
        let mut mappings: Vec<Mapping> = Vec::new();
        for b in &bindings {
            let ips: Vec<&str> = if b.host_ip.is_empty() {
                vec!["0.0.0.0", "::"]
            } else {
                vec![b.host_ip.as_str()]
            };
            let port = match b.host_port.parse::<u16>() {
                Ok(p) if p != 0 => p,
                _ => {
                    let mut p = self.next_ephemeral.max(EPHEMERAL_START);
                    while taken
                        .iter()
                        .chain(&mappings)
                        .any(|m| ips.iter().any(|ip| clashes(m, ip, p)))
                    {
                        p = p.checked_add(1).unwrap_or(EPHEMERAL_START);
                    }
                    self.next_ephemeral = p.checked_add(1).unwrap_or(EPHEMERAL_START);
                    p
                }
            };
            for ip in ips {
                if taken.iter().chain(&mappings).any(|m| clashes(m, ip, port)) {
                    let endpoint = self.ids.next_id();
                    let shown = if ip.contains(':') {
                        format!("[{ip}]")
                    } else {
                        ip.to_string()
                    };
                    return Err(EngineError::system(format!(
                        "driver failed programming external connectivity on endpoint {name} ({endpoint}): Bind for {shown}:{port} failed: port is already allocated"
                    )));
                }
                mappings.push(Mapping {
                    host_ip: ip.to_string(),
                    host_port: port,
                    container_port: b.container_port.parse().unwrap_or(0),
                    proto: b.proto.clone(),
                });
            }
        }
        Ok(mappings)
    }

    /// Records the ports container `id` was given when it started, and forgets the servers of
    /// its previous run.
    pub(crate) fn publish(&mut self, id: &str, mappings: Vec<Mapping>) {
        let started_at = self
            .containers
            .get(id)
            .and_then(|c| c.state.started_at)
            .unwrap_or(0);
        self.ports.insert(
            id.to_string(),
            Published {
                started_at,
                mappings,
            },
        );
        self.listeners.remove(id);
    }
}
