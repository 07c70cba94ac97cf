//! `-p`/`--publish` as the CLI parses it (`nat.ParsePortSpec`).

use layerbox_engine::container::PortBinding;

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
