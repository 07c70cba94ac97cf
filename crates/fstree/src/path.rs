//! Canonical absolute paths: the only path form the [`Store`](crate::Store) layer sees.
//!
//! A canonical path starts with `/`, has no empty, `.` or `..` components, no trailing `/`
//! (except the root itself) and, once produced by [`resolve`](crate::resolve), no symlinks.

use crate::Errno;

/// Longest file name component in bytes (`NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Bytes in a path, its terminating NUL included (`PATH_MAX`): a longer path is
/// `ENAMETOOLONG`. Emulation note: Linux measures the path a program passes, which may be
/// relative; here every path is measured absolute, as the shells and tools make them.
pub const PATH_MAX: usize = 4096;

/// The components of a canonical path (`"/"` has none).
pub fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    Components { rest: path }
}

/// The non-empty `/`-separated parts of a path, cut at `/` bytes (ASCII, so every cut is
/// a char boundary) without decoding characters.
struct Components<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Components<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let b = self.rest.as_bytes();
        let start = b.iter().position(|&c| c != b'/')?;
        let len = b.get(start..)?.iter().position(|&c| c == b'/');
        let end = len.map_or(b.len(), |l| start + l);
        let part = self.rest.get(start..end)?;
        self.rest = self.rest.get(end..).unwrap_or("");
        Some(part)
    }
}

impl<'a> DoubleEndedIterator for Components<'a> {
    fn next_back(&mut self) -> Option<&'a str> {
        let b = self.rest.as_bytes();
        let end = b.iter().rposition(|&c| c != b'/')? + 1;
        let start = b
            .get(..end)?
            .iter()
            .rposition(|&c| c == b'/')
            .map_or(0, |i| i + 1);
        let part = self.rest.get(start..end)?;
        self.rest = self.rest.get(..start).unwrap_or("");
        Some(part)
    }
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
    let b = path.as_bytes();
    let end = b.iter().rposition(|&c| c != b'/')? + 1;
    // `cut` is the index of an ASCII `/`, so `cut + 1` is a char boundary.
    let cut = b.get(..end)?.iter().rposition(|&c| c == b'/')?;
    let name = path.get(cut + 1..end)?;
    Some((if cut == 0 { "/" } else { path.get(..cut)? }, name))
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

    #[test]
    fn components_skip_empty_parts_both_ways() {
        fn all(p: &str) -> Vec<&str> {
            components(p).collect()
        }
        fn back(p: &str) -> Vec<&str> {
            components(p).rev().collect()
        }
        for p in ["/", "", "//", "/a", "/a/bc/d", "//a//b/", "a/b", "/é/ü/"] {
            let want: Vec<&str> = p.split('/').filter(|c| !c.is_empty()).collect();
            assert_eq!(all(p), want, "{p}");
            let mut rev = want.clone();
            rev.reverse();
            assert_eq!(back(p), rev, "{p}");
        }
        let mut it = components("/a/b/c");
        assert_eq!(
            (it.next(), it.next_back(), it.next(), it.next()),
            (Some("a"), Some("c"), Some("b"), None)
        );
    }

    #[test]
    fn split_trims_trailing_slashes() {
        assert_eq!(split("/a/b/"), Some(("/a", "b")));
        assert_eq!(split("//"), None);
        assert_eq!(split(""), None);
        assert_eq!(split("a"), None);
        assert_eq!(split("/é/ü"), Some(("/é", "ü")));
    }
}
