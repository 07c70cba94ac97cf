//! The import graph between the files of one crate, from their text alone (a small lexer, no
//! parser): which file's paths name which other file's modules, and the cycles in it.

use std::collections::{BTreeMap, BTreeSet};

/// At most this many cycles are listed per group of files that import each other.
const MAX_CYCLES_PER_GROUP: usize = 20;

/// The import cycles between the files of one crate, given as (path under `src/`, text). Each
/// cycle lists its files from the smallest path on, each with the line of its import of the
/// next one.
///
/// An import is a path that starts with `crate::` or `super::` (and `$crate::`), in a `use`
/// item or anywhere in code, resolved to the file of the deepest module it names; a path into a
/// module of the same file (`mod tests { use super::*; }`) is no import. A parent reaching its
/// own child through `self::child` or `child::` is not followed: a module tree always does
/// that. `src/bin/` files are crates of their own and are left out.
pub fn import_cycles(files: &[(&str, &str)]) -> Vec<Vec<(String, usize)>> {
    let modules: BTreeMap<Vec<String>, &str> = files
        .iter()
        .filter_map(|(path, _)| Some((module_path(path)?, *path)))
        .collect();
    // file -> (imported file -> first line that imports it)
    let mut graph: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (path, text) in files {
        let Some(module) = module_path(path) else {
            continue;
        };
        let edges = graph.entry(*path).or_default();
        for (target, line) in imports(&module, text) {
            let file = (0..=target.len())
                .rev()
                .find_map(|k| modules.get(&target[..k]).copied());
            if let Some(file) = file.filter(|f| f != path) {
                edges.entry(file).or_insert(line);
            }
        }
    }
    let mut cycles = Vec::new();
    for group in strongly_connected(&graph) {
        if group.len() < 2 {
            continue;
        }
        cycles.extend(simple_cycles(&graph, &group));
    }
    cycles
}

/// The module a file under `src/` holds: `lib.rs` and `main.rs` the root, `a/mod.rs` and
/// `a.rs` the module `a`; `None` for `bin/` and what is not a `.rs` file.
fn module_path(path: &str) -> Option<Vec<String>> {
    let stem = path.strip_suffix(".rs")?;
    if stem.starts_with("bin/") {
        return None;
    }
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod")) {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    Some(parts)
}

/// The groups of files that reach each other (Tarjan's strongly connected components).
fn strongly_connected<'a>(
    graph: &BTreeMap<&'a str, BTreeMap<&'a str, usize>>,
) -> Vec<Vec<&'a str>> {
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, BTreeMap<&'a str, usize>>,
        s: &mut State<'a>,
    ) {
        let i = s.index.len();
        s.index.insert(node, i);
        s.low.insert(node, i);
        s.stack.push(node);
        s.on_stack.insert(node);
        for &next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            if !s.index.contains_key(next) {
                visit(next, graph, s);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut group = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                group.push(top);
                if top == node {
                    break;
                }
            }
            group.sort();
            s.groups.push(group);
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for &node in graph.keys() {
        if !s.index.contains_key(node) {
            visit(node, graph, &mut s);
        }
    }
    s.groups.sort();
    s.groups
}

/// The simple cycles inside one group, each listed once from its smallest file, at most
/// [`MAX_CYCLES_PER_GROUP`].
fn simple_cycles(
    graph: &BTreeMap<&str, BTreeMap<&str, usize>>,
    group: &[&str],
) -> Vec<Vec<(String, usize)>> {
    fn extend(
        graph: &BTreeMap<&str, BTreeMap<&str, usize>>,
        group: &[&str],
        start: &str,
        path: &mut Vec<(String, usize)>,
        out: &mut Vec<Vec<(String, usize)>>,
    ) {
        let node = path.last().map(|(f, _)| f.clone()).unwrap_or_default();
        for (&next, &line) in graph.get(node.as_str()).into_iter().flatten() {
            if out.len() >= MAX_CYCLES_PER_GROUP {
                return;
            }
            if let Some(last) = path.last_mut() {
                last.1 = line;
            }
            if next == start {
                out.push(path.clone());
            } else if next > start && group.contains(&next) && !path.iter().any(|(f, _)| f == next)
            {
                path.push((next.to_string(), 0));
                extend(graph, group, start, path, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    for &start in group {
        extend(
            graph,
            group,
            start,
            &mut vec![(start.to_string(), 0)],
            &mut out,
        );
    }
    out
}

/// Every path into the crate a file's code names, as an absolute module path with its line;
/// `module` is the file's own module.
fn imports(module: &[String], text: &str) -> Vec<(Vec<String>, usize)> {
    let tokens = lex(text);
    let mut out = Vec::new();
    // Inline modules open in this file: (name, brace depth inside them).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let here = |inline: &[(String, usize)]| {
        let mut m = module.to_vec();
        m.extend(inline.iter().map(|(name, _)| name.clone()));
        m
    };
    let mut i = 0;
    while i < tokens.len() {
        let (tok, line) = (&tokens[i].0, tokens[i].1);
        match tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    depth += 1;
                    inline.push((name.clone(), depth));
                    i += 3;
                    continue;
                }
            }
            Tok::Ident(w) if w == "use" => {
                let mut leaves = Vec::new();
                i = use_tree(&tokens, i + 1, Vec::new(), &mut leaves);
                let at = here(&inline);
                out.extend(
                    leaves
                        .into_iter()
                        .filter_map(|p| resolve(&at, &p))
                        .map(|p| (p, line)),
                );
                continue;
            }
            Tok::Ident(w) if w == "crate" || w == "super" => {
                let after_sep = i > 0 && matches!(tokens[i - 1].0, Tok::PathSep);
                let visibility = i > 0 && matches!(&tokens[i - 1].0, Tok::Ident(v) if v == "in");
                if !after_sep && !visibility && matches!(tokens.get(i + 1), Some((Tok::PathSep, _)))
                {
                    let mut path = Vec::new();
                    let mut j = i;
                    while let Some((Tok::Ident(seg), _)) = tokens.get(j) {
                        path.push(seg.clone());
                        if !matches!(tokens.get(j + 1), Some((Tok::PathSep, _))) {
                            break;
                        }
                        j += 2;
                    }
                    if let Some(p) = resolve(&here(&inline), &path) {
                        out.push((p, line));
                    }
                    i = j + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads one `use` tree from `i` on, pushing every leaf path (after `prefix`); returns the
/// index after it.
fn use_tree(
    tokens: &[(Tok, usize)],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    if matches!(tokens.get(i), Some((Tok::PathSep, _))) {
        i += 1;
    }
    loop {
        match tokens.get(i).map(|(t, _)| t) {
            Some(Tok::Ident(seg)) => {
                if seg != "self" || prefix.is_empty() {
                    prefix.push(seg.clone());
                }
                i += 1;
                if matches!(tokens.get(i), Some((Tok::PathSep, _))) {
                    i += 1;
                    continue;
                }
                // The leaf, perhaps followed by `as name`.
                out.push(prefix);
                return skip_to_end(tokens, i);
            }
            Some(Tok::Punct('*')) => {
                out.push(prefix);
                return skip_to_end(tokens, i + 1);
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    match tokens.get(i).map(|(t, _)| t) {
                        Some(Tok::Punct('}')) => return skip_to_end(tokens, i + 1),
                        Some(Tok::Punct(',')) => i += 1,
                        None => return i,
                        Some(_) => i = use_tree_item(tokens, i, prefix.clone(), out),
                    }
                }
            }
            _ => return skip_to_end(tokens, i),
        }
    }
}

/// One item of a `{...}` group: a nested tree, up to its `,` or the group's `}`.
fn use_tree_item(
    tokens: &[(Tok, usize)],
    i: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let end = use_tree(tokens, i, prefix, out);
    // `use_tree` stops at `;`, `,` or `}` of this group; never go backwards.
    end.max(i + 1)
}

/// The index of the `;`, `,` or `}` that ends a use tree at the current level, from `i` on.
fn skip_to_end(tokens: &[(Tok, usize)], mut i: usize) -> usize {
    let mut depth = 0;
    while let Some((t, _)) = tokens.get(i) {
        match t {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') if depth == 0 => return i,
            Tok::Punct('}') => depth -= 1,
            Tok::Punct(',') if depth == 0 => return i,
            Tok::Punct(';') if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// A path as written in module `at`, made absolute if it starts with `crate`, `$crate` or
/// `super`; `None` for any other path (another crate, a child, a local name).
fn resolve(at: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut segs = path.iter().peekable();
    let mut base: Vec<String> = match segs.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segs.next();
            Vec::new()
        }
        Some("super") => at.to_vec(),
        _ => return None,
    };
    while segs.peek().is_some_and(|s| *s == "super") {
        segs.next();
        base.pop()?;
    }
    base.extend(segs.cloned());
    Some(base)
}

/// A token of Rust source, comments and literals dropped.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A word: identifier, keyword or number (`$crate` is `crate`).
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// Splits Rust source into tokens with their lines; string, char and byte literals,
/// lifetimes and comments leave nothing.
fn lex(text: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let word = |c: char| c.is_alphanumeric() || c == '_';
    // Skips a quoted literal whose opening quote is at `i`; returns the index after it.
    let quoted = |mut i: usize, line: &mut usize, quote: char| {
        i += 1;
        while i < chars.len() && chars[i] != quote {
            if chars[i] == '\\' {
                i += 1;
            }
            if chars.get(i) == Some(&'\n') {
                *line += 1;
            }
            i += 1;
        }
        i + 1
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let mut nesting = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        nesting += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        nesting -= 1;
                        i += 2;
                        if nesting == 0 {
                            break;
                        }
                    } else {
                        if chars[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '"' => i = quoted(i, &mut line, '"'),
            '\'' => {
                // A char literal ('x', '\n', '\u{1F600}') or a lifetime / label ('a, 'static).
                if chars.get(i + 1) == Some(&'\\') || chars.get(i + 2) == Some(&'\'') {
                    i = quoted(i, &mut line, '\'');
                } else {
                    i += 1;
                    while i < chars.len() && word(chars[i]) {
                        i += 1;
                    }
                }
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                out.push((Tok::PathSep, line));
                i += 2;
            }
            '$' if chars[i + 1..].starts_with(&['c', 'r', 'a', 't', 'e']) => i += 1,
            c if word(c) => {
                let start = i;
                while i < chars.len() && word(chars[i]) {
                    i += 1;
                }
                let w: String = chars[start..i].iter().collect();
                let raw = matches!(w.as_str(), "r" | "br" | "cr");
                if matches!(w.as_str(), "b" | "c") && chars.get(i) == Some(&'"') {
                    i = quoted(i, &mut line, '"');
                } else if w == "b" && chars.get(i) == Some(&'\'') {
                    i = quoted(i, &mut line, '\'');
                } else if raw && matches!(chars.get(i), Some('"' | '#')) {
                    let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
                    if chars.get(i + hashes) != Some(&'"') {
                        // A raw identifier: r#type.
                        i += hashes;
                        continue;
                    }
                    i += hashes + 1;
                    loop {
                        match chars.get(i) {
                            None => break,
                            Some('"')
                                if chars[i + 1..].iter().take_while(|&&c| c == '#').count()
                                    >= hashes =>
                            {
                                i += 1 + hashes;
                                break;
                            }
                            Some(ch) => {
                                if *ch == '\n' {
                                    line += 1;
                                }
                                i += 1;
                            }
                        }
                    }
                } else {
                    out.push((Tok::Ident(w), line));
                }
            }
            c if c.is_whitespace() => i += 1,
            c => {
                out.push((Tok::Punct(c), line));
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_of_files() {
        let m = |p: &str| module_path(p).map(|v| v.join("::"));
        assert_eq!(m("lib.rs").as_deref(), Some(""));
        assert_eq!(m("main.rs").as_deref(), Some(""));
        assert_eq!(m("a.rs").as_deref(), Some("a"));
        assert_eq!(m("a/mod.rs").as_deref(), Some("a"));
        assert_eq!(m("a/b/c.rs").as_deref(), Some("a::b::c"));
        assert_eq!(m("bin/tool.rs"), None);
    }

    #[test]
    fn imports_resolve_crate_super_and_groups() {
        let text = r#"//! x
use crate::a::{b::{self, C}, d as e, *};
use super::f;
use std::io;
pub(in crate::a) fn g() -> crate::h::I { super::super::j::k(); let s = "crate::no"; 'l: loop {} }
// crate::comment
mod tests {
    use super::*;
}
"#;
        let found: Vec<(String, usize)> = imports(&["m".into(), "n".into()], text)
            .into_iter()
            .map(|(p, l)| (p.join("::"), l))
            .collect();
        assert_eq!(
            found,
            [
                ("a::b".into(), 2),
                ("a::b::C".into(), 2),
                ("a::d".into(), 2),
                ("a".into(), 2),
                ("m::f".into(), 3),
                ("h::I".into(), 5),
                ("j::k".into(), 5),
                ("m::n".into(), 8),
            ]
        );
    }

    #[test]
    fn a_cycle_between_files_is_found_with_its_lines() {
        let files = [
            ("lib.rs", "//! root\nmod a;\nmod b;\nmod c;\n"),
            ("a.rs", "//! a\nuse crate::b::B;\n"),
            ("b.rs", "//! b\n\nuse crate::c::C;\n"),
            ("c/mod.rs", "//! c\nfn f() { super::a::A::new(); }\n"),
        ];
        assert_eq!(
            import_cycles(&files),
            [vec![
                ("a.rs".to_string(), 2),
                ("b.rs".to_string(), 3),
                ("c/mod.rs".to_string(), 2)
            ]]
        );
    }

    #[test]
    fn layered_files_have_no_cycle() {
        let files = [
            ("lib.rs", "//! root\nmod a;\nmod b;\npub use a::A;\n"),
            ("a.rs", "//! a\nuse crate::b::B;\nuse super::b::C;\n"),
            ("b.rs", "//! b\nmod inner { use crate::b::D; }\n"),
        ];
        assert!(import_cycles(&files).is_empty());
    }

    #[test]
    fn a_file_importing_itself_is_no_cycle() {
        let files = [
            ("lib.rs", "//! root\nmod a;\n"),
            (
                "a.rs",
                "//! a\nuse crate::a::X;\nstruct X;\nmod tests {\n    use super::*;\n    use crate::a::tests::Y;\n}\n",
            ),
        ];
        assert!(import_cycles(&files).is_empty());
    }

    #[test]
    fn every_cycle_of_a_group_is_listed_once() {
        let files = [
            ("a.rs", "//! a\nuse crate::b::B;\nuse crate::c::C;\n"),
            ("b.rs", "//! b\nuse crate::a::A;\n"),
            ("c.rs", "//! c\nuse crate::a::A;\n"),
        ];
        let cycles = import_cycles(&files);
        let files_of: Vec<Vec<&str>> = cycles
            .iter()
            .map(|c| c.iter().map(|(f, _)| f.as_str()).collect())
            .collect();
        assert_eq!(files_of, [vec!["a.rs", "b.rs"], vec!["a.rs", "c.rs"]]);
    }

    #[test]
    fn the_lexer_drops_literals_and_comments() {
        let words: Vec<String> = lex("a /* b /* c */ d */ e \"f\\\" g\" r#\"h\"# 'i' '\\'' 'j k b'l' br##\"m\"## r#n $crate::o")
            .into_iter()
            .filter_map(|(t, _)| match t {
                Tok::Ident(w) => Some(w),
                _ => None,
            })
            .collect();
        assert_eq!(words, ["a", "e", "k", "n", "crate", "o"]);
    }
}
