//! The default bridge network as a container sees it (libnetwork's `bridge` driver and its
//! default IPAM, recorded in `network-default-bridge`): a container in network mode `default`
//! (or `bridge`) gets an address of 172.17.0.0/16 when it starts, the lowest one no running
//! container holds (the gateway 172.17.0.1 is the host's), a MAC address made from it
//! (`02:42:ac:11:…`), and its `/etc/hosts` line; it gives the address back when it stops.
//! `--network none` has no address.

use serde::{Deserialize, Serialize};

use layerbox_fstree::FileSystem;

use crate::world::World;

/// The bridge's gateway, the host's address on `docker0`.
pub const GATEWAY: [u8; 4] = [172, 17, 0, 1];
/// The bridge's prefix length (172.17.0.0/16).
pub const PREFIX_LEN: i64 = 16;

/// A container's endpoint on the default bridge while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub ip: [u8; 4],
}

impl Endpoint {
    /// `NetworkSettings.IPAddress`.
    pub fn ip_address(&self) -> String {
        dotted(self.ip)
    }

    /// `NetworkSettings.MacAddress`: Docker's prefix `02:42` and the four bytes of the address.
    pub fn mac_address(&self) -> String {
        let [a, b, c, d] = self.ip;
        format!("02:42:{a:02x}:{b:02x}:{c:02x}:{d:02x}")
    }
}

/// An address in dotted form.
pub fn dotted(ip: [u8; 4]) -> String {
    let [a, b, c, d] = ip;
    format!("{a}.{b}.{c}.{d}")
}

/// `--network` values the model knows: the default bridge (`default`, `bridge`) and `none`.
pub fn is_modelled_mode(mode: &str) -> bool {
    matches!(mode, "" | "default" | "bridge" | "none")
}

/// `HostConfig.NetworkMode` for a `--network` value: `default` when none is given.
pub fn mode_of(requested: &str) -> String {
    if requested.is_empty() {
        "default".into()
    } else {
        requested.into()
    }
}

/// Whether a container in `mode` joins the default bridge.
pub fn on_bridge(mode: &str) -> bool {
    matches!(mode, "" | "default" | "bridge")
}

/// The `/etc/hosts` Docker writes for a container: the loopback and IPv6 lines, then its
/// address and hostname when it has one.
pub fn hosts_file(hostname: &str, endpoint: Option<&Endpoint>) -> String {
    let mut hosts = String::from(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
    );
    if let Some(e) = endpoint {
        hosts.push_str(&format!("{}\t{hostname}\n", e.ip_address()));
    }
    hosts
}

impl World {
    /// A starting container joins the default bridge (unless its mode is `none`): the lowest
    /// free address, and its hosts file written for it.
    pub(crate) fn connect_bridge(&mut self, id: &str) {
        let Some(c) = self.containers.get(id) else {
            return;
        };
        let endpoint = if on_bridge(&c.host_config.network_mode) {
            let taken: Vec<[u8; 4]> = self
                .containers
                .values()
                .filter_map(|c| c.state.endpoint.map(|e| e.ip))
                .collect();
            (2u32..0xfffe)
                .map(|n| [172, 17, (n >> 8) as u8, (n & 0xff) as u8])
                .find(|ip| !taken.contains(ip))
                .map(|ip| Endpoint { ip })
        } else {
            None
        };
        let now = self.now();
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        c.state.endpoint = endpoint;
        let hosts = hosts_file(c.hostname(), endpoint.as_ref());
        let _ = c.managed.write_file(
            &layerbox_fstree::Cred::root(),
            "/hosts",
            hosts.as_bytes(),
            0o644,
            now,
        );
    }

    /// The running container that holds address `ip` on the default bridge.
    pub fn container_at(&self, ip: &str) -> Option<&str> {
        self.containers
            .iter()
            .find(|(_, c)| c.state.endpoint.is_some_and(|e| e.ip_address() == ip))
            .map(|(id, _)| id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_address_is_made_from_the_ip() {
        let e = Endpoint {
            ip: [172, 17, 0, 2],
        };
        assert_eq!(e.ip_address(), "172.17.0.2");
        assert_eq!(e.mac_address(), "02:42:ac:11:00:02");
    }
}
