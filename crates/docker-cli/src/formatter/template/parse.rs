//! The template parser: each action's tokens into a pipeline of commands and operands, the
//! actions nested into `if`/`range`/`with` trees, and Go's check that every variable is declared
//! in scope and every function is defined.

use super::funcs;
use super::lex::{self, parse_err, Tok};

/// Nesting of control structures and parentheses is capped, so no input runs unbounded.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Operand {
    Dot,
    /// `.A.B` on dot.
    Field(Vec<String>),
    /// `$x.A.B` (`$` alone is the template's data).
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Bool(bool),
    Nil,
    /// A function of [`funcs::FUNCS`], by name.
    Func(String),
    /// `(pipeline).A.B`.
    Sub(Box<Pipe>, Vec<String>),
}

/// One command of a pipeline: its operands, each with its position and text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cmd {
    pub(super) pos: usize,
    pub(super) text: String,
    pub(super) args: Vec<(usize, String, Operand)>,
}

/// A pipeline, with the variables it declares.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pipe {
    pub(super) pos: usize,
    pub(super) decl: Vec<String>,
    pub(super) cmds: Vec<Cmd>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Text(String),
    Action(Pipe),
    If(Vec<(Pipe, Vec<Node>)>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
}

/// Parses `text` into its nodes; the error is Go's wording.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut items = Vec::new();
    lex::lex(text, |item| {
        items.push(match item {
            lex::Item::Text(t) => Item::Text(t),
            lex::Item::Action(action) => parse_action(text, action)?,
        });
        Ok(())
    })?;
    let mut at = 0;
    let (nodes, end) = nest(text, &items, &mut at, 0)?;
    if let Some((pos, kw)) = end {
        return Err(parse_err(text, pos, format!("unexpected {{{{{kw}}}}}")));
    }
    check_vars(text, &nodes, &mut vec!["$".to_string()])?;
    Ok(nodes)
}

/// One `{{ }}` or text piece, before nesting.
enum Item {
    Text(String),
    /// Position, keyword (`if`, `range`, `with`, `else`, `end`, or "" for a plain action), its
    /// pipe, and whether it is an `else if`.
    Action(usize, String, Option<Pipe>, bool),
}

fn parse_action(text: &str, action: lex::Action<'_>) -> Result<Item, String> {
    let lex::Action {
        pos: start,
        keyword: kw,
        else_if,
        toks,
        base,
    } = action;
    let pipe = if toks.is_empty() {
        None
    } else {
        let mut p = PipeParser {
            src: text,
            base,
            toks,
            at: 0,
        };
        Some(p.pipe(0, false)?)
    };
    match (kw, &pipe) {
        ("", None) => return Err(parse_err(text, start, "missing value for command")),
        ("if" | "range" | "with", None) => {
            return Err(parse_err(text, start, format!("missing value for {kw}")))
        }
        ("end", Some(_)) => return Err(parse_err(text, start, "unexpected value in end")),
        _ => {}
    }
    Ok(Item::Action(start, kw.to_string(), pipe, else_if))
}

struct PipeParser<'a> {
    src: &'a str,
    base: usize,
    toks: Vec<(usize, Tok)>,
    at: usize,
}

fn unquote(word: &str) -> Option<String> {
    if let Some(raw) = word.strip_prefix('`') {
        return raw.strip_suffix('`').map(str::to_string);
    }
    let inner = word.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            '0' => out.push('\0'),
            _ => return None,
        }
    }
    Some(out)
}

fn chain(text: &str) -> Vec<String> {
    text.split('.')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

impl PipeParser<'_> {
    fn err(&self, msg: impl std::fmt::Display) -> String {
        let pos = self.toks.get(self.at).map(|t| t.0).unwrap_or(0);
        parse_err(self.src, self.base + pos, msg)
    }

    fn pipe(&mut self, depth: usize, in_paren: bool) -> Result<Pipe, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("too deeply nested"));
        }
        let pos = self.base + self.toks.get(self.at).map(|t| t.0).unwrap_or(0);
        let mut decl = Vec::new();
        // `$x :=` or `$i, $v :=`.
        let save = self.at;
        let mut vars = Vec::new();
        while let Some((_, Tok::Word(w))) = self.toks.get(self.at) {
            if !w.starts_with('$') || w.contains('.') {
                break;
            }
            vars.push(w.clone());
            self.at += 1;
            match self.toks.get(self.at) {
                Some((_, Tok::Comma)) => self.at += 1,
                Some((_, Tok::Decl)) => {
                    self.at += 1;
                    decl = std::mem::take(&mut vars);
                    break;
                }
                _ => break,
            }
        }
        if decl.is_empty() {
            self.at = save;
        }
        let mut cmds = Vec::new();
        loop {
            let cmd = self.cmd(depth)?;
            if cmd.args.is_empty() {
                return Err(self.err("missing value for command"));
            }
            cmds.push(cmd);
            match self.toks.get(self.at) {
                Some((_, Tok::Pipe)) => self.at += 1,
                Some((_, Tok::Close)) if in_paren => break,
                Some((_, Tok::Close)) => return Err(self.err("unexpected \")\" in operand")),
                None if in_paren => return Err(self.err("unclosed left paren")),
                None => break,
                Some((_, t)) => return Err(self.err(format!("unexpected {t:?} in command"))),
            }
        }
        Ok(Pipe { pos, decl, cmds })
    }

    fn cmd(&mut self, depth: usize) -> Result<Cmd, String> {
        let pos = self.base + self.toks.get(self.at).map(|t| t.0).unwrap_or(0);
        let mut args = Vec::new();
        let start_tok = self.at;
        while let Some((p, tok)) = self.toks.get(self.at).cloned() {
            match tok {
                Tok::Pipe | Tok::Close => break,
                Tok::Comma | Tok::Decl => return Err(self.err("unexpected token in operand")),
                Tok::Open => {
                    self.at += 1;
                    let inner = self.pipe(depth + 1, true)?;
                    self.at += 1; // the `)`
                    let mut fields = Vec::new();
                    if let Some((q, Tok::Word(w))) = self.toks.get(self.at) {
                        if w.starts_with('.') && *q == self.toks[self.at - 1].0 + 1 {
                            fields = chain(w);
                            self.at += 1;
                        }
                    }
                    args.push((
                        self.base + p,
                        "(...)".to_string(),
                        Operand::Sub(Box::new(inner), fields),
                    ));
                }
                Tok::Word(w) => {
                    self.at += 1;
                    let op = if w == "." {
                        Operand::Dot
                    } else if let Some(rest) = w.strip_prefix('.') {
                        if rest.is_empty() || rest.split('.').any(str::is_empty) {
                            return Err(self.err(format!("bad character {:?}", '.')));
                        }
                        Operand::Field(chain(rest))
                    } else if let Some(rest) = w.strip_prefix('$') {
                        let (name, fields) = match rest.split_once('.') {
                            Some((n, f)) => (n, chain(f)),
                            None => (rest, Vec::new()),
                        };
                        Operand::Var(format!("${name}"), fields)
                    } else if w.starts_with('"') || w.starts_with('`') {
                        Operand::Str(
                            unquote(&w).ok_or_else(|| self.err(format!("bad string {w}")))?,
                        )
                    } else if w == "true" || w == "false" {
                        Operand::Bool(w == "true")
                    } else if w == "nil" {
                        Operand::Nil
                    } else if w.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
                        Operand::Int(
                            w.parse()
                                .map_err(|_| self.err(format!("bad number syntax: \"{w}\"")))?,
                        )
                    } else if funcs::lookup(&w).is_some() {
                        Operand::Func(w.clone())
                    } else {
                        return Err(self.err(format!("function \"{w}\" not defined")));
                    };
                    args.push((self.base + p, w, op));
                }
            }
        }
        let text = self.toks[start_tok..self.at]
            .iter()
            .map(|(_, t)| match t {
                Tok::Word(w) => w.clone(),
                Tok::Open => "(".into(),
                Tok::Close => ")".into(),
                Tok::Pipe => "|".into(),
                Tok::Comma => ",".into(),
                Tok::Decl => ":=".into(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Cmd { pos, text, args })
    }
}

/// Nests items into nodes until an `else` or `end` at this level, which is returned.
#[allow(clippy::type_complexity)]
fn nest(
    text: &str,
    items: &[Item],
    at: &mut usize,
    depth: usize,
) -> Result<(Vec<Node>, Option<(usize, String)>), String> {
    if depth > MAX_DEPTH {
        return Err(parse_err(text, 0, "too deeply nested"));
    }
    let mut nodes = Vec::new();
    while *at < items.len() {
        let item = &items[*at];
        *at += 1;
        match item {
            Item::Text(t) => nodes.push(Node::Text(t.clone())),
            Item::Action(_, kw, Some(pipe), _) if kw.is_empty() => {
                nodes.push(Node::Action(pipe.clone()))
            }
            Item::Action(pos, kw, _, _) if kw == "else" || kw == "end" => {
                return Ok((nodes, Some((*pos, kw.clone()))));
            }
            Item::Action(_, kw, Some(pipe), _) => {
                let mut branches = vec![(pipe.clone(), Vec::new())];
                let mut otherwise = Vec::new();
                loop {
                    let (body, end) = nest(text, items, at, depth + 1)?;
                    let Some((_, end_kw)) = end else {
                        return Err(parse_err(text, text.len(), "unexpected EOF"));
                    };
                    if let Some(last) = branches.last_mut() {
                        last.1 = body;
                    }
                    if end_kw == "end" {
                        break;
                    }
                    // An `else`: either `else if PIPE` or the last branch.
                    let Item::Action(_, _, else_pipe, else_if) = &items[*at - 1] else {
                        break;
                    };
                    match (else_if, else_pipe) {
                        (true, Some(p)) if kw == "if" => branches.push((p.clone(), Vec::new())),
                        _ => {
                            let (body, end) = nest(text, items, at, depth + 1)?;
                            match end {
                                Some((_, k)) if k == "end" => {}
                                Some((p, k)) => {
                                    return Err(parse_err(
                                        text,
                                        p,
                                        format!("expected end; found {{{{{k}}}}}"),
                                    ))
                                }
                                None => return Err(parse_err(text, text.len(), "unexpected EOF")),
                            }
                            otherwise = body;
                            if otherwise.is_empty() {
                                otherwise = vec![Node::Text(String::new())];
                            }
                            break;
                        }
                    }
                }
                let node = match kw.as_str() {
                    "if" => Node::If(branches, otherwise),
                    "range" => {
                        let (p, b) = branches.remove(0);
                        Node::Range(p, b, otherwise)
                    }
                    _ => {
                        let (p, b) = branches.remove(0);
                        Node::With(p, b, otherwise)
                    }
                };
                nodes.push(node);
            }
            Item::Action(pos, _, None, _) => {
                return Err(parse_err(text, *pos, "missing value for command"))
            }
        }
    }
    Ok((nodes, None))
}

/// Go's parser refuses a variable used before it is declared in scope.
fn check_vars(text: &str, nodes: &[Node], scope: &mut Vec<String>) -> Result<(), String> {
    fn pipe(text: &str, p: &Pipe, scope: &mut Vec<String>) -> Result<(), String> {
        for cmd in &p.cmds {
            for (pos, _, op) in &cmd.args {
                match op {
                    Operand::Var(name, _) if !scope.contains(name) => {
                        return Err(parse_err(
                            text,
                            *pos,
                            format!("undefined variable \"{name}\""),
                        ))
                    }
                    Operand::Sub(inner, _) => pipe(text, inner, scope)?,
                    _ => {}
                }
            }
        }
        scope.extend(p.decl.iter().cloned());
        Ok(())
    }
    for node in nodes {
        match node {
            Node::Text(_) => {}
            Node::Action(p) => pipe(text, p, scope)?,
            Node::If(branches, otherwise) => {
                let mark = scope.len();
                for (p, body) in branches {
                    pipe(text, p, scope)?;
                    check_vars(text, body, scope)?;
                }
                check_vars(text, otherwise, scope)?;
                scope.truncate(mark);
            }
            Node::Range(p, body, otherwise) | Node::With(p, body, otherwise) => {
                let mark = scope.len();
                pipe(text, p, scope)?;
                check_vars(text, body, scope)?;
                check_vars(text, otherwise, scope)?;
                scope.truncate(mark);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_worded_as_go_does() {
        assert_eq!(
            parse("{{foo .Name}}"),
            Err("template: :1: function \"foo\" not defined".into())
        );
        assert_eq!(
            parse("{{.Name"),
            Err("template: :1: unclosed action".into())
        );
        assert_eq!(
            parse("{{if .Name}}x"),
            Err("template: :1: unexpected EOF".into())
        );
        assert_eq!(
            parse("{{end}}"),
            Err("template: :1: unexpected {{end}}".into())
        );
    }
}
