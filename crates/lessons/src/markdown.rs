//! The markdown subset lesson texts are written in, parsed into a small tree that a UI renders
//! element by element, so no lesson text ever becomes HTML: paragraphs, bullet lists, fenced
//! code blocks, `inline code`, **bold** and [links](https://example.com).
//!
//! Rules: blocks are separated by blank lines; lines of a paragraph are joined by one space; a
//! line starting with `- ` or `* ` starts a list item and the lines after it (until a blank
//! line) continue it; a line starting with three backticks opens a code block, kept verbatim
//! until the next such line. Inline: a backslash escapes ASCII punctuation; a code span runs
//! to the next run of as many backticks; `**` pairs do not nest; a link's target must be
//! `http`, `https`, `mailto` or relative. [`parse`] never fails (stray markers stay text);
//! [`parse_strict`] reports them, for checking lesson files.

use thiserror::Error;

/// A block of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Lines of text, joined by spaces.
    Paragraph(Vec<Inline>),
    /// A fenced code block: its info string (`sh`), if any, and its lines verbatim.
    Code { lang: Option<String>, text: String },
    /// A bullet list; each item is one paragraph.
    List(Vec<Vec<Inline>>),
}

/// A span inside a paragraph or list item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// `inline code`, verbatim.
    Code(String),
    /// **bold**.
    Strong(Vec<Inline>),
    /// `[children](href)`; `href` is `http`, `https`, `mailto` or relative.
    Link {
        href: String,
        children: Vec<Inline>,
    },
}

/// What [`parse_strict`] refuses.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MarkdownError {
    #[error("line {line}: the code block opened here is never closed")]
    UnclosedFence { line: usize },
    #[error("unmatched {marker} in \"{context}\"")]
    Unmatched {
        marker: &'static str,
        context: String,
    },
    #[error("link to \"{href}\": only http, https, mailto and relative links are allowed")]
    UnsafeLink { href: String },
}

/// Parses `text`; markers without a partner stay as text and unsafe links become their text.
pub fn parse(text: &str) -> Vec<Block> {
    parse_blocks(text, &mut Vec::new())
}

/// Parses `text`, failing on the first marker without a partner, unclosed code block or
/// unsafe link.
pub fn parse_strict(text: &str) -> Result<Vec<Block>, MarkdownError> {
    let mut problems = Vec::new();
    let blocks = parse_blocks(text, &mut problems);
    match problems.into_iter().next() {
        Some(p) => Err(p),
        None => Ok(blocks),
    }
}

/// The text without markup: blocks separated by blank lines, list items by newlines.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        parts.push(match b {
            Block::Paragraph(inlines) => inline_text(inlines),
            Block::Code { text, .. } => text.clone(),
            Block::List(items) => items
                .iter()
                .map(|i| inline_text(i))
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    parts.join("\n\n")
}

/// The text of spans without markup.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Link { children: c, .. } => out.push_str(&inline_text(c)),
        }
    }
    out
}

fn parse_blocks(text: &str, problems: &mut Vec<MarkdownError>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            flush_paragraph(&mut para, &mut blocks, problems);
            flush_list(&mut items, &mut blocks, problems);
            let indent = line.len() - trimmed.len();
            let mut body = Vec::new();
            let mut closed = false;
            for (_, l) in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    closed = true;
                    break;
                }
                body.push(strip_indent(l, indent));
            }
            if !closed {
                problems.push(MarkdownError::UnclosedFence { line: number + 1 });
            }
            let info = info.trim();
            blocks.push(Block::Code {
                lang: (!info.is_empty()).then(|| info.to_string()),
                text: body.join("\n"),
            });
            continue;
        }
        if trimmed.is_empty() {
            flush_paragraph(&mut para, &mut blocks, problems);
            flush_list(&mut items, &mut blocks, problems);
            continue;
        }
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            flush_paragraph(&mut para, &mut blocks, problems);
            items.push(item.trim().to_string());
            continue;
        }
        if let Some(last) = items.last_mut() {
            last.push(' ');
            last.push_str(trimmed.trim_end());
            continue;
        }
        para.push(trimmed.trim_end());
    }
    flush_paragraph(&mut para, &mut blocks, problems);
    flush_list(&mut items, &mut blocks, problems);
    blocks
}

/// `line` without up to `indent` leading spaces (a fenced block indented in a list).
fn strip_indent(line: &str, indent: usize) -> String {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    line[spaces.min(indent)..].to_string()
}

fn flush_paragraph(para: &mut Vec<&str>, blocks: &mut Vec<Block>, p: &mut Vec<MarkdownError>) {
    if !para.is_empty() {
        blocks.push(Block::Paragraph(inlines(&para.join(" "), p)));
        para.clear();
    }
}

fn flush_list(items: &mut Vec<String>, blocks: &mut Vec<Block>, p: &mut Vec<MarkdownError>) {
    if !items.is_empty() {
        blocks.push(Block::List(items.iter().map(|i| inlines(i, p)).collect()));
        items.clear();
    }
}

fn inlines(s: &str, problems: &mut Vec<MarkdownError>) -> Vec<Inline> {
    let mut out = Vec::new();
    Spans {
        problems,
        in_strong: false,
        in_link: false,
    }
    .parse(s, &mut out);
    merge_text(out)
}

/// The inline parser's context: what encloses the text being parsed.
struct Spans<'p> {
    problems: &'p mut Vec<MarkdownError>,
    in_strong: bool,
    in_link: bool,
}

impl Spans<'_> {
    fn parse(&mut self, s: &str, out: &mut Vec<Inline>) {
        let mut text = String::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if c == '\\' {
                if let Some(n) = rest[1..].chars().next().filter(char::is_ascii_punctuation) {
                    text.push(n);
                    rest = &rest[1 + n.len_utf8()..];
                    continue;
                }
            }
            if c == '`' {
                let n = rest.len() - rest.trim_start_matches('`').len();
                match code_span_end(&rest[n..], n) {
                    Some(end) => {
                        flush_text(&mut text, out);
                        out.push(Inline::Code(trim_code(&rest[n..n + end]).to_string()));
                        rest = &rest[n + end + n..];
                    }
                    None => {
                        self.unmatched("`", s);
                        text.push_str(&rest[..n]);
                        rest = &rest[n..];
                    }
                }
                continue;
            }
            if rest.starts_with("**") {
                if self.in_strong {
                    // The enclosing strong span ended before this: a stray pair.
                    self.unmatched("**", s);
                    text.push_str("**");
                    rest = &rest[2..];
                    continue;
                }
                match find_outside_code(&rest[2..], "**").filter(|&end| end > 0) {
                    Some(end) => {
                        flush_text(&mut text, out);
                        let mut children = Vec::new();
                        self.in_strong = true;
                        self.parse(&rest[2..2 + end], &mut children);
                        self.in_strong = false;
                        out.push(Inline::Strong(merge_text(children)));
                        rest = &rest[2 + end + 2..];
                    }
                    None => {
                        self.unmatched("**", s);
                        text.push_str("**");
                        rest = &rest[2..];
                    }
                }
                continue;
            }
            if c == '[' && !self.in_link {
                if let Some((label, href, used)) = link(rest) {
                    flush_text(&mut text, out);
                    let mut children = Vec::new();
                    self.in_link = true;
                    self.parse(label, &mut children);
                    self.in_link = false;
                    let children = merge_text(children);
                    if safe_href(href) {
                        out.push(Inline::Link {
                            href: href.to_string(),
                            children,
                        });
                    } else {
                        self.problems.push(MarkdownError::UnsafeLink {
                            href: href.to_string(),
                        });
                        out.extend(children);
                    }
                    rest = &rest[used..];
                    continue;
                }
            }
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
        flush_text(&mut text, out);
    }

    fn unmatched(&mut self, marker: &'static str, context: &str) {
        self.problems.push(MarkdownError::Unmatched {
            marker,
            context: context.to_string(),
        });
    }
}

/// Where the run of exactly `n` backticks closing a code span starts in `s`.
fn code_span_end(s: &str, n: usize) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let run = rest.len() - rest.trim_start_matches('`').len();
        if run == n {
            return Some(i);
        }
        i += run.max(rest.chars().next().map_or(1, char::len_utf8));
    }
    None
}

/// A code span's content: one space is stripped from each end when both ends have one (so
/// `` `` ` `` `` can hold a backtick).
fn trim_code(code: &str) -> &str {
    if code.len() >= 2 && code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty() {
        &code[1..code.len() - 1]
    } else {
        code
    }
}

/// The position of `marker` in `s`, skipping code spans and escaped characters.
fn find_outside_code(s: &str, marker: &str) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with(marker) {
            return Some(i);
        }
        let c = rest.chars().next()?;
        if c == '\\' {
            i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
            continue;
        }
        if c == '`' {
            let n = rest.len() - rest.trim_start_matches('`').len();
            if let Some(end) = code_span_end(&rest[n..], n) {
                i += n + end + n;
                continue;
            }
            i += n;
            continue;
        }
        i += c.len_utf8();
    }
    None
}

/// `[label](href)` at the start of `s`: the label, the href and the bytes used.
fn link(s: &str) -> Option<(&str, &str, usize)> {
    let close = find_outside_code(&s[1..], "]")? + 1;
    let after = s[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let href = after[..end].trim();
    Some((&s[1..close], href, close + 1 + 1 + end + 1))
}

/// Whether a link may point there: no scheme (relative), or http, https, mailto.
pub fn safe_href(href: &str) -> bool {
    if href.is_empty() || href.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match href.find(':') {
        None => true,
        Some(i) if href[..i].contains(['/', '?', '#']) => true,
        Some(i) => matches!(
            href[..i].to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto"
        ),
    }
}

fn flush_text(text: &mut String, out: &mut Vec<Inline>) {
    if !text.is_empty() {
        out.push(Inline::Text(std::mem::take(text)));
    }
}

/// Adjacent text spans as one.
fn merge_text(spans: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(spans.len());
    for span in spans {
        match (out.last_mut(), span) {
            (Some(Inline::Text(prev)), Inline::Text(t)) => prev.push_str(&t),
            (_, span) => out.push(span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn code(s: &str) -> Inline {
        Inline::Code(s.to_string())
    }

    fn para(spans: Vec<Inline>) -> Block {
        Block::Paragraph(spans)
    }

    #[test]
    fn lines_of_a_paragraph_are_joined_and_blank_lines_separate_paragraphs() {
        assert_eq!(
            parse("one\ntwo\n\n three  \n"),
            vec![para(vec![text("one two")]), para(vec![text("three")])]
        );
    }

    #[test]
    fn inline_code_bold_and_links_become_spans() {
        assert_eq!(
            parse("Run `docker rm` **now**, see [the docs](https://docs.docker.com/)."),
            vec![para(vec![
                text("Run "),
                code("docker rm"),
                text(" "),
                Inline::Strong(vec![text("now")]),
                text(", see "),
                Inline::Link {
                    href: "https://docs.docker.com/".into(),
                    children: vec![text("the docs")],
                },
                text("."),
            ])]
        );
    }

    #[test]
    fn bold_may_hold_code_and_code_keeps_stars_verbatim() {
        assert_eq!(
            parse("**`-v` flag** and `a**b`"),
            vec![para(vec![
                Inline::Strong(vec![code("-v"), text(" flag")]),
                text(" and "),
                code("a**b"),
            ])]
        );
    }

    #[test]
    fn double_backticks_hold_a_backtick() {
        assert_eq!(parse("`` a`b ``"), vec![para(vec![code("a`b")])]);
    }

    #[test]
    fn fenced_code_is_kept_verbatim_with_its_language() {
        let md = "Type:\n\n```sh\ndocker run -v data:/data **alpine**\n  ls `x`\n```\nafter";
        assert_eq!(
            parse(md),
            vec![
                para(vec![text("Type:")]),
                Block::Code {
                    lang: Some("sh".into()),
                    text: "docker run -v data:/data **alpine**\n  ls `x`".into(),
                },
                para(vec![text("after")]),
            ]
        );
    }

    #[test]
    fn bullet_items_continue_on_following_lines() {
        assert_eq!(
            parse("Kinds:\n- **volume**: kept\n  by Docker\n* bind mount\n\nend"),
            vec![
                para(vec![text("Kinds:")]),
                Block::List(vec![
                    vec![
                        Inline::Strong(vec![text("volume")]),
                        text(": kept by Docker")
                    ],
                    vec![text("bind mount")],
                ]),
                para(vec![text("end")]),
            ]
        );
    }

    #[test]
    fn a_line_starting_with_bold_is_not_a_bullet() {
        assert_eq!(
            parse("**bold** start"),
            vec![para(vec![
                Inline::Strong(vec![text("bold")]),
                text(" start")
            ])]
        );
    }

    #[test]
    fn backslash_escapes_markers() {
        assert_eq!(
            parse(r"\*\*not bold\*\* and \`tick\`"),
            vec![para(vec![text("**not bold** and `tick`")])]
        );
        assert!(parse_strict(r"\*\* and \`").is_ok());
    }

    #[test]
    fn unsafe_link_becomes_its_text() {
        // The target ends at the first `)`; what follows it stays text.
        assert_eq!(
            parse("[click](javascript:alert(1))"),
            vec![para(vec![text("click)")])]
        );
        assert_eq!(
            parse_strict("[x](JavaScript:alert)"),
            Err(MarkdownError::UnsafeLink {
                href: "JavaScript:alert".into()
            })
        );
    }

    #[test]
    fn relative_http_and_mailto_links_are_safe() {
        assert!(safe_href("https://example.com/a?b=c:d"));
        assert!(safe_href("http://x"));
        assert!(safe_href("mailto:a@b.c"));
        assert!(safe_href("./lesson#step-2"));
        assert!(safe_href("docs/a:b"));
        assert!(!safe_href("data:text/html,<script>"));
        assert!(!safe_href("vbscript:x"));
        assert!(!safe_href(""));
        assert!(!safe_href("https://a b"));
    }

    #[test]
    fn html_stays_text() {
        assert_eq!(
            parse("<script>alert(1)</script>"),
            vec![para(vec![text("<script>alert(1)</script>")])]
        );
    }

    #[test]
    fn stray_markers_stay_text_but_strict_parsing_reports_them() {
        assert_eq!(parse("a ` b"), vec![para(vec![text("a ` b")])]);
        assert_eq!(parse("a ** b"), vec![para(vec![text("a ** b")])]);
        assert!(matches!(
            parse_strict("a ` b"),
            Err(MarkdownError::Unmatched { marker: "`", .. })
        ));
        assert!(matches!(
            parse_strict("a ** b"),
            Err(MarkdownError::Unmatched { marker: "**", .. })
        ));
        assert_eq!(
            parse_strict("x\n```sh\nls"),
            Err(MarkdownError::UnclosedFence { line: 2 })
        );
    }

    #[test]
    fn a_bracket_without_a_target_is_text() {
        assert_eq!(
            parse("[not a link] and [x]"),
            vec![para(vec![text("[not a link] and [x]")])]
        );
    }

    #[test]
    fn korean_text_and_multibyte_characters_pass_through() {
        assert_eq!(
            parse("컨테이너를 **삭제**하면 `docker rm` 데이터도 사라집니다 — 끝"),
            vec![para(vec![
                text("컨테이너를 "),
                Inline::Strong(vec![text("삭제")]),
                text("하면 "),
                code("docker rm"),
                text(" 데이터도 사라집니다 — 끝"),
            ])]
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        let blocks = parse("**a** `b`\n\n- c\n- [d](x)");
        assert_eq!(plain_text(&blocks), "a b\n\nc\nd");
    }

    #[test]
    fn empty_text_has_no_blocks() {
        assert_eq!(parse(""), Vec::<Block>::new());
        assert_eq!(parse("\n \n"), Vec::<Block>::new());
    }
}
