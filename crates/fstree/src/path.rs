//! Canonical absolute paths: the only path form the [`Store`](crate::Store) layer sees.
//!
//! A canonical path starts with `/`, has no empty, `.` or `..` components, no trailing `/`
//! (except the root itself) and, once produced by [`resolve`](crate::resolve), no symlinks.

use crate::Errno;

/// Longest file name component in bytes (`NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// The components of a canonical path (`"/"` has none).
pub fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty())
}

/// `parent` + `/` + `name`, for a canonical `parent`.
pub fn join(parent: &str, name: &str) -> String {
    let mut s = String::with_capacity(parent.len() + name.len() + 1);
    s.push_str(parent.trim_end_matches('/'));
    s.push('/');
    s.push_str(name);
    s
}

/// The parent directory and last name of a canonical path; `None` for `/`.
pub fn split(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    // `cut` is the index of an ASCII `/`, so `cut + 1` is a char boundary.
    let name = &trimmed[cut + 1..];
    if name.is_empty() {
        return None;
    }
    Some((if cut == 0 { "/" } else { &trimmed[..cut] }, name))
}

/// Whether canonical `path` is `ancestor` or lies below it.
pub fn is_within(path: &str, ancestor: &str) -> bool {
    if ancestor == "/" {
        return true;
    }
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Canonical form of an absolute path by lexical rules only (`.`, `..`, repeated `/`), without
/// looking at symlinks; `EINVAL` for a relative path. Mount points are given in this form.
pub fn normalize(path: &str) -> Result<String, Errno> {
    if !path.starts_with('/') {
        return Err(Errno::EINVAL);
    }
    let mut out: Vec<&str> = Vec::new();
    for c in components(path) {
        match c {
            "." => {}
            ".." => {
                out.pop();
            }
            c => {
                check_name(c)?;
                out.push(c);
            }
        }
    }
    Ok(from_components(out))
}

/// A canonical path from its components.
pub fn from_components<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for p in parts {
        s.push('/');
        s.push_str(p);
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

/// `ENAMETOOLONG` for a component over [`NAME_MAX`] bytes.
pub fn check_name(name: &str) -> Result<(), Errno> {
    if name.len() > NAME_MAX {
        Err(Errno::ENAMETOOLONG)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_join_are_inverse() {
        assert_eq!(split("/a/b"), Some(("/a", "b")));
        assert_eq!(split("/a"), Some(("/", "a")));
        assert_eq!(split("/"), None);
        assert_eq!(join("/", "a"), "/a");
        assert_eq!(join("/a", "b"), "/a/b");
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize("//a/./b/../c/").as_deref(), Ok("/a/c"));
        assert_eq!(normalize("/..").as_deref(), Ok("/"));
        assert_eq!(normalize("a"), Err(Errno::EINVAL));
        assert_eq!(
            normalize(&format!("/{}", "x".repeat(256))),
            Err(Errno::ENAMETOOLONG)
        );
    }

    #[test]
    fn within_respects_component_boundaries() {
        assert!(is_within("/data/x", "/data"));
        assert!(is_within("/data", "/data"));
        assert!(!is_within("/database", "/data"));
        assert!(is_within("/anything", "/"));
    }
}
