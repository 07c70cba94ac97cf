//! `.dockerignore`: which context paths the CLI leaves out of the build context
//! (moby's `patternmatcher`: `glob.rs`'s Go `filepath.Match` plus `**`, `!` exceptions, last match
//! wins).

use crate::glob::ignore_match;

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
            let mut matched = ignore_match(pattern, path);
            if !matched {
                let mut prefix = String::new();
                for part in path.split('/') {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(part);
                    if prefix.len() < path.len() && ignore_match(pattern, &prefix) {
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
