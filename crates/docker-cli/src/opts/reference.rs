//! Image references as the CLI's reference parser checks them (`name[:tag]`, lowercase,
//! registry hosts).

/// Checks a `name[:tag]` as the reference parser does; `Err` is its message.
pub(crate) fn check_reference(reference: &str) -> Result<(), String> {
    let last_slash = reference.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repo, tag) = match reference[last_slash..].rfind(':') {
        Some(i) => (
            &reference[..last_slash + i],
            Some(&reference[last_slash + i + 1..]),
        ),
        None => (reference, None),
    };
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.split(['.', '_', '-']).all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && !t.starts_with(['.', '-'])
    });
    // A first component with a dot, a port or `localhost` is a registry host.
    let (domain, path) = match repo.split_once('/') {
        Some((d, p)) if d.contains(['.', ':']) || d == "localhost" => (Some(d), p),
        _ => (None, repo),
    };
    let domain_ok = domain.is_none_or(|d| {
        let (host, port) = d.split_once(':').unwrap_or((d, "0"));
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
    });
    // The lowercase check comes first, as in `reference.ParseNormalizedNamed`.
    if path != path.to_lowercase() {
        let full = if repo.contains('/') {
            repo.to_string()
        } else {
            format!("library/{repo}")
        };
        return Err(format!(
            "invalid reference format: repository name ({full}) must be lowercase"
        ));
    }
    if domain_ok && path.split('/').all(component_ok) && tag_ok {
        return Ok(());
    }
    Err("invalid reference format".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_checked_as_docker_does() {
        assert!(check_reference("myalpine:1.0").is_ok());
        assert!(check_reference("localhost:5000/a/b").is_ok());
        assert!(check_reference("Bad:Name")
            .is_err_and(|e| e.ends_with("repository name (library/Bad) must be lowercase")));
        assert!(check_reference("a::b").is_err());
    }
}
