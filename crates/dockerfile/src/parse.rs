//! A Dockerfile's text as logical lines: comments and blank lines dropped, `\` continuations
//! joined, the first word of each line its instruction (any case).

/// One instruction as written: where it starts, its keyword in lower case and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line of the instruction's first physical line.
    pub line: usize,
    /// `run`, `copy`, ... (the keyword lower-cased).
    pub keyword: String,
    /// Everything after the keyword, continuations joined, outer whitespace trimmed.
    pub rest: String,
    /// The logical line as the builder prints it in `Step N/M : ...`.
    pub original: String,
}

/// Why a Dockerfile does not parse, in the builder's words (without its `dockerfile parse
/// error` prefix, which the caller adds with the line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Splits `text` into logical lines (BuildKit's `parser.Parse`).
pub fn parse(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut physical = text.lines().enumerate().peekable();
    while let Some((index, raw)) = physical.next() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let start = index + 1;
        let mut logical = String::new();
        let mut current = trimmed.to_string();
        loop {
            match strip_continuation(&current) {
                Some(body) => {
                    logical.push_str(body);
                    // The next physical line that is not a comment continues this one;
                    // blank lines inside a continuation are skipped.
                    let mut next = None;
                    for (_, raw) in physical.by_ref() {
                        let t = raw.trim_start();
                        if t.starts_with('#') || t.is_empty() {
                            continue;
                        }
                        next = Some(raw.to_string());
                        break;
                    }
                    match next {
                        Some(n) => current = n,
                        None => break,
                    }
                }
                None => {
                    logical.push_str(&current);
                    break;
                }
            }
        }
        let logical = logical.trim().to_string();
        if logical.is_empty() {
            continue;
        }
        let (word, rest) = match logical.find(|c: char| c.is_whitespace()) {
            Some(at) => (&logical[..at], logical[at..].trim()),
            None => (logical.as_str(), ""),
        };
        lines.push(Line {
            line: start,
            keyword: word.to_ascii_lowercase(),
            rest: rest.to_string(),
            original: logical.clone(),
        });
    }
    lines
}

/// The line without its trailing escape character (and the blanks after it), if it has one.
fn strip_continuation(line: &str) -> Option<&str> {
    let trimmed = line.trim_end();
    trimmed.strip_suffix('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_dropped() {
        let lines = parse("# a comment\n\nFROM alpine\n   # indented comment\nRUN echo hi\n");
        let words: Vec<(&str, &str, usize)> = lines
            .iter()
            .map(|l| (l.keyword.as_str(), l.rest.as_str(), l.line))
            .collect();
        assert_eq!(words, vec![("from", "alpine", 3), ("run", "echo hi", 5)]);
    }

    #[test]
    fn instructions_are_case_insensitive() {
        let lines = parse("from alpine\nRun echo hi\n");
        assert_eq!(lines[0].keyword, "from");
        assert_eq!(lines[1].keyword, "run");
        assert_eq!(lines[1].original, "Run echo hi");
    }

    #[test]
    fn backslash_continues_a_line_across_comments() {
        let lines = parse("FROM alpine\nRUN echo a \\\n# skipped\n    && echo b\nCMD x\n");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].rest, "echo a     && echo b");
        assert_eq!(lines[1].line, 2);
        assert_eq!(lines[2].line, 5);
    }
}
