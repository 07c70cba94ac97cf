//! Go's `filters.Args.Match` for one `--filter key=value`, as the daemon applies `name=` to
//! volumes and containers: the value is the source exactly, or a regular expression (Go's RE2
//! syntax) found anywhere in it; a value that is not a valid expression matches nothing.

mod regex;

/// Whether `pattern` (one filter value) matches `source`.
pub fn matches(pattern: &str, source: &str) -> bool {
    if source == pattern {
        return true;
    }
    match regex::Regex::new(pattern) {
        Ok(re) => re.is_match(source),
        Err(_) => false,
    }
}

/// Whether `pattern` matches a container's name: the daemon tries the name as stored (with its
/// leading `/`) and without it (moby `daemon/list.go`).
pub fn matches_container_name(pattern: &str, name: &str) -> bool {
    let bare = name.trim_start_matches('/');
    matches(pattern, &format!("/{bare}")) || matches(pattern, bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_a_regular_expression_found_anywhere() {
        assert!(matches("web", "my-web-1"));
        assert!(matches("^data", "data-1"));
        assert!(!matches("^data", "old-data"));
        assert!(matches(r"\d$", "web-2"));
        assert!(matches("(?i)WEB", "web"));
        assert!(!matches("WEB", "web"));
    }

    #[test]
    fn an_invalid_expression_matches_only_itself() {
        assert!(!matches("(", "a(b"));
        assert!(matches("[", "["));
    }

    #[test]
    fn a_container_name_matches_with_or_without_its_slash() {
        assert!(matches_container_name("^web", "web-1"));
        assert!(matches_container_name("^/web", "web-1"));
        assert!(matches_container_name("^/db$", "/db"));
        assert!(!matches_container_name("^eb", "web"));
    }
}
