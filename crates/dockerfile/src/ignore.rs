//! `.dockerignore`: which context paths the CLI leaves out of the build context
//! (moby's `patternmatcher`: Go `filepath.Match` globs plus `**`, `!` exceptions, last match wins).

/// The patterns of a `.dockerignore` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    patterns: Vec<(String, bool)>,
}

impl Ignore {
    /// Reads a `.dockerignore`: one pattern a line, `#` comments, `!` for an exception.
    pub fn parse(text: &str) -> Ignore {
        let patterns = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (exception, pattern) = match l.strip_prefix('!') {
                    Some(p) => (true, p.trim()),
                    None => (false, l),
                };
                let cleaned = clean(pattern);
                (!cleaned.is_empty()).then_some((cleaned, exception))
            })
            .collect();
        Ignore { patterns }
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out.
    pub fn excludes(&self, path: &str) -> bool {
        let mut excluded = false;
        for (pattern, exception) in &self.patterns {
            // A pattern matches the path itself or any directory above it.
            let mut matched = glob(pattern, path);
            if !matched {
                let mut prefix = String::new();
                for part in path.split('/') {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(part);
                    if prefix.len() < path.len() && glob(pattern, &prefix) {
                        matched = true;
                        break;
                    }
                }
            }
            if matched {
                excluded = !exception;
            }
        }
        excluded
    }
}

/// `filepath.Clean` of a pattern, relative (a leading `/` is dropped).
fn clean(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Go's `filepath.Match` with `**` matching any number of directories.
fn glob(pattern: &str, path: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = path.chars().collect();
    glob_at(&p, &s)
}

fn glob_at(p: &[char], s: &[char]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') if p.get(1) == Some(&'*') => {
            let rest = if p.get(2) == Some(&'/') {
                &p[3..]
            } else {
                &p[2..]
            };
            (0..=s.len()).any(|i| glob_at(rest, &s[i..]))
        }
        Some('*') => {
            let mut i = 0;
            loop {
                if glob_at(&p[1..], &s[i..]) {
                    return true;
                }
                if i >= s.len() || s[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        Some('?') => s.first().is_some_and(|c| *c != '/') && glob_at(&p[1..], &s[1..]),
        Some('[') => {
            let Some(close) = p.iter().position(|c| *c == ']') else {
                return false;
            };
            let Some(&c) = s.first() else { return false };
            let class = &p[1..close];
            let (negate, class) = match class.first() {
                Some('^') | Some('!') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if class.get(i + 1) == Some(&'-') && i + 2 < class.len() {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && glob_at(&p[close + 1..], &s[1..])
        }
        Some('\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob_at(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && glob_at(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_leaves_out_the_file_and_everything_below_a_directory() {
        let ignore = Ignore::parse("# comment\nsecret.txt\nnode_modules\n*.log\n");
        assert!(ignore.excludes("secret.txt"));
        assert!(ignore.excludes("node_modules/a/b.js"));
        assert!(ignore.excludes("debug.log"));
        assert!(!ignore.excludes("sub/debug.log"));
        assert!(!ignore.excludes("index.html"));
    }

    #[test]
    fn exceptions_and_double_star_follow_the_last_match() {
        let ignore = Ignore::parse("**/*.md\n!README.md\n");
        assert!(ignore.excludes("docs/a.md"));
        assert!(ignore.excludes("b.md"));
        assert!(!ignore.excludes("README.md"));
    }
}
