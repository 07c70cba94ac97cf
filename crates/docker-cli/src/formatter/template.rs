//! Go's `text/template` as the docker CLI uses it for `--format`: text and `{{- -}}` trimming,
//! pipelines with `|`, fields, variables (`$`, `$x := ...`), parenthesised pipelines,
//! `if`/`else if`/`else`/`end`, `range` (with `$i, $v :=`), `with`, Go's built-in functions
//! (`and`, `or`, `not`, `len`, `index`, `print`, `printf`, `println`, `eq`, `ne`, `lt`, `le`,
//! `gt`, `ge`) and the CLI's (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`,
//! `truncate`). Errors use Go's wording and positions (`template: :1:2: executing "" at ...`).
//!
//! Emulation note: a hand-written subset; the maintained Go-template crate for Rust (gtmpl)
//! has its own value model without struct field order, which Go's `%v` printing needs.

use std::collections::BTreeMap;

use crate::formatter::value::Value;

/// Nesting of control structures and parentheses is capped, so no input runs unbounded.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Dot,
    /// `.A.B` on dot.
    Field(Vec<String>),
    /// `$x.A.B` (`$` alone is the template's data).
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Bool(bool),
    Nil,
    Func(String),
    /// `(pipeline).A.B`.
    Sub(Box<Pipe>, Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
struct Cmd {
    pos: usize,
    text: String,
    args: Vec<(usize, String, Operand)>,
}

#[derive(Debug, Clone, PartialEq)]
struct Pipe {
    pos: usize,
    decl: Vec<String>,
    cmds: Vec<Cmd>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action(Pipe),
    If(Vec<(Pipe, Vec<Node>)>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
}

/// A parsed `--format` template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
    text: String,
}

fn is_func(name: &str) -> bool {
    [
        "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le",
        "gt", "ge", "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
    ]
    .contains(&name)
}

/// `template: :LINE: ...` for a parse error at byte `pos` of `text`.
fn parse_err(text: &str, pos: usize, msg: impl std::fmt::Display) -> String {
    let line = 1 + text[..pos.min(text.len())].matches('\n').count();
    format!("template: :{line}: {msg}")
}

/// One `{{ }}` or text piece, before nesting.
enum Item {
    Text(String),
    /// Keyword (`if`, `range`, `with`, `else`, `end`, or "" for a plain action), its pipe.
    Action(usize, String, Option<Pipe>, Option<String>),
}

struct Lexer<'a> {
    src: &'a str,
    text: &'a str,
    base: usize,
    at: usize,
    depth: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Pipe,
    Decl,
    Comma,
    Word(String),
}

impl Lexer<'_> {
    fn err(&self, msg: impl std::fmt::Display) -> String {
        parse_err(self.src, self.base + self.at, msg)
    }

    fn tokens(&mut self) -> Result<Vec<(usize, Tok)>, String> {
        let bytes = self.text.as_bytes();
        let mut toks = Vec::new();
        while self.at < bytes.len() {
            let c = bytes[self.at];
            let start = self.at;
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => self.at += 1,
                b'(' => {
                    toks.push((start, Tok::Open));
                    self.at += 1
                }
                b')' => {
                    toks.push((start, Tok::Close));
                    self.at += 1
                }
                b'|' => {
                    toks.push((start, Tok::Pipe));
                    self.at += 1
                }
                b',' => {
                    toks.push((start, Tok::Comma));
                    self.at += 1
                }
                b':' if bytes.get(self.at + 1) == Some(&b'=') => {
                    toks.push((start, Tok::Decl));
                    self.at += 2
                }
                b'=' => {
                    toks.push((start, Tok::Decl));
                    self.at += 1
                }
                b'"' => {
                    self.at += 1;
                    let mut escaped = false;
                    loop {
                        match bytes.get(self.at) {
                            None | Some(b'\n') => {
                                return Err(self.err("unterminated quoted string"))
                            }
                            Some(b'\\') if !escaped => escaped = true,
                            Some(b'"') if !escaped => break,
                            _ => escaped = false,
                        }
                        self.at += 1;
                    }
                    self.at += 1;
                    toks.push((start, Tok::Word(self.text[start..self.at].to_string())));
                }
                b'`' => {
                    let Some(end) = self.text[self.at + 1..].find('`') else {
                        return Err(self.err("unterminated raw quoted string"));
                    };
                    self.at += end + 2;
                    toks.push((start, Tok::Word(self.text[start..self.at].to_string())));
                }
                _ => {
                    while self.at < bytes.len()
                        && !b" \t\n\r()|,=\"`".contains(&bytes[self.at])
                        && !(bytes[self.at] == b':' && bytes.get(self.at + 1) == Some(&b'='))
                    {
                        self.at += 1;
                    }
                    let word = &self.text[start..self.at];
                    // `).Field` after a parenthesis is lexed as a word starting with '.'.
                    toks.push((start, Tok::Word(word.to_string())));
                }
            }
        }
        Ok(toks)
    }
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
                    } else if is_func(&w) {
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

impl Template {
    /// Parses `text`; the error is Go's wording.
    pub fn parse(text: &str) -> Result<Template, String> {
        let items = lex(text)?;
        let mut at = 0;
        let (nodes, end) = nest(text, &items, &mut at, 0)?;
        if let Some((pos, kw)) = end {
            return Err(parse_err(text, pos, format!("unexpected {{{{{kw}}}}}")));
        }
        check_vars(text, &nodes, &mut vec!["$".to_string()])?;
        Ok(Template {
            nodes,
            text: text.to_string(),
        })
    }

    /// Executes the template on `dot`.
    pub fn execute(&self, dot: &Value) -> Result<String, String> {
        self.execute_as(dot, "")
    }

    /// Executes the template on `dot`, a value of Go type `type_name` (named in errors).
    pub fn execute_as(&self, dot: &Value, type_name: &str) -> Result<String, String> {
        self.run(dot, type_name, false, false)
    }

    /// Executes the template on a list formatter's context, whose `json` lists fields sorted.
    pub fn execute_sorted_json(&self, dot: &Value, type_name: &str) -> Result<String, String> {
        self.run(dot, type_name, true, false)
    }

    /// A table's header: the template over the column names, with the CLI's header functions
    /// (`json`, `upper`, `join`, ... return their first argument unchanged).
    pub fn execute_header(&self, names: &Value) -> String {
        let mut exec = self.exec(names, "", false, true);
        let _ = exec.nodes(&self.nodes, names);
        exec.out
    }

    fn exec<'a>(
        &'a self,
        dot: &Value,
        type_name: &'a str,
        sorted_json: bool,
        header: bool,
    ) -> Exec<'a> {
        Exec {
            text: &self.text,
            type_name,
            vars: vec![("$".to_string(), dot.clone())],
            out: String::new(),
            steps: 0,
            sorted_json,
            header,
            strict: false,
        }
    }

    /// Executes with `missingkey=error`, as the CLI's fallback over an object's raw JSON.
    pub fn execute_strict(&self, dot: &Value) -> Result<String, String> {
        let mut exec = self.exec(dot, "", false, false);
        exec.strict = true;
        exec.nodes(&self.nodes, dot)?;
        Ok(exec.out)
    }

    fn run(
        &self,
        dot: &Value,
        type_name: &str,
        sorted_json: bool,
        header: bool,
    ) -> Result<String, String> {
        let mut exec = self.exec(dot, type_name, sorted_json, header);
        exec.nodes(&self.nodes, dot)?;
        Ok(exec.out)
    }
}

fn lex(text: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut rest = 0;
    let mut trim_next = false;
    while let Some(found) = text[rest..].find("{{") {
        let start = rest + found;
        let mut chunk = &text[rest..start];
        if trim_next {
            chunk = chunk.trim_start();
        }
        let mut body_start = start + 2;
        let trim_before = text[body_start..].starts_with("- ")
            || text[body_start..].starts_with("-\t")
            || text[body_start..].starts_with("-\n");
        if trim_before {
            chunk = chunk.trim_end();
            body_start += 1;
        }
        if !chunk.is_empty() {
            items.push(Item::Text(chunk.to_string()));
        }
        // Find the closing `}}` outside quotes.
        let bytes = text.as_bytes();
        let mut i = body_start;
        let mut quote: Option<u8> = None;
        let end = loop {
            if i + 1 >= bytes.len() {
                let msg = match quote {
                    Some(b'"') => "unterminated quoted string",
                    Some(_) => "unterminated raw quoted string",
                    None => "unclosed action",
                };
                return Err(parse_err(text, start, msg));
            }
            match (quote, bytes[i]) {
                (None, b'"') | (None, b'`') => quote = Some(bytes[i]),
                (Some(b'"'), b'\\') => i += 1,
                (Some(q), c) if c == q => quote = None,
                (None, b'}') if bytes[i + 1] == b'}' => break i,
                _ => {}
            }
            i += 1;
        };
        let mut body_end = end;
        trim_next = false;
        if body_end > body_start
            && text[..body_end].ends_with('-')
            && text[..body_end - 1].ends_with([' ', '\t', '\n'])
        {
            body_end -= 1;
            trim_next = true;
        }
        let body = &text[body_start..body_end];
        rest = end + 2;
        let trimmed = body.trim_start();
        if trimmed.starts_with("/*") {
            continue;
        }
        let lead = body.len() - trimmed.len();
        let kw_len = trimmed
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(trimmed.len());
        let kw = &trimmed[..kw_len];
        let (kw, pipe_text, pipe_base) = match kw {
            "if" | "range" | "with" | "else" | "end" | "define" | "template" | "block"
            | "break" | "continue" => (kw, &trimmed[kw_len..], body_start + lead + kw_len),
            _ => ("", body, body_start),
        };
        if ["define", "template", "block", "break", "continue"].contains(&kw) {
            return Err(format!(
                "layerbox: template action \"{kw}\" is not modelled"
            ));
        }
        let mut lexer = Lexer {
            src: text,
            text: pipe_text,
            base: pipe_base,
            at: 0,
            depth: 0,
        };
        let toks = lexer.tokens()?;
        let _ = lexer.depth;
        // `else if ...`
        let (kw, toks, base, else_if) = match (kw, toks.first()) {
            ("else", Some((_, Tok::Word(w)))) if w == "if" => {
                let offset = toks[0].0 + 2;
                let mut lexer = Lexer {
                    src: text,
                    text: &pipe_text[offset..],
                    base: pipe_base + offset,
                    at: 0,
                    depth: 0,
                };
                (
                    "else",
                    lexer.tokens()?,
                    pipe_base + offset,
                    Some("if".to_string()),
                )
            }
            _ => (kw, toks, pipe_base, None),
        };
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
        items.push(Item::Action(start, kw.to_string(), pipe, else_if));
    }
    let mut chunk = &text[rest..];
    if trim_next {
        chunk = chunk.trim_start();
    }
    if !chunk.is_empty() {
        items.push(Item::Text(chunk.to_string()));
    }
    Ok(items)
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
            Item::Action(pos, kw, pipe, _) if kw == "else" || kw == "end" => {
                let _ = pipe;
                return Ok((nodes, Some((*pos, kw.clone()))));
            }
            Item::Action(pos, kw, Some(pipe), _) => {
                let mut branches = vec![(pipe.clone(), Vec::new())];
                let mut otherwise = Vec::new();
                loop {
                    let (body, end) = nest(text, items, at, depth + 1)?;
                    let Some((_, end_kw)) = end else {
                        return Err(parse_err(text, text.len(), "unexpected EOF"));
                    };
                    let _ = pos;
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
                        (Some(_), Some(p)) if kw == "if" => branches.push((p.clone(), Vec::new())),
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

struct Exec<'a> {
    text: &'a str,
    type_name: &'a str,
    vars: Vec<(String, Value)>,
    out: String,
    steps: usize,
    sorted_json: bool,
    header: bool,
    /// `missingkey=error`: a map without the key is an error (the CLI's raw-JSON fallback).
    strict: bool,
}

/// Go's truth: false, 0, nil, and empty strings, slices and maps are false.
pub fn truth(v: &Value) -> bool {
    match v {
        Value::Null | Value::NilMap | Value::NilList => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(t) => !t.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        Value::Struct(_) => true,
        Value::Missing => false,
    }
}

impl Exec<'_> {
    fn ctx(&self, pos: usize) -> String {
        let line = 1 + self.text[..pos.min(self.text.len())].matches('\n').count();
        let col = match self.text[..pos.min(self.text.len())].rfind('\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        format!(":{line}:{col}")
    }

    fn err(&self, pos: usize, node: &str, msg: impl std::fmt::Display) -> String {
        format!(
            "template: {}: executing \"\" at <{node}>: {msg}",
            self.ctx(pos)
        )
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Value) -> Result<(), String> {
        for node in nodes {
            self.steps += 1;
            if self.steps > 100_000 || self.out.len() > 1 << 20 {
                return Err("template: :1: executing \"\": output too large".into());
            }
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(pipe) => {
                    let v = self.pipe(pipe, dot)?;
                    if pipe.decl.is_empty() {
                        let text = print_value(&v);
                        self.out.push_str(&text);
                    }
                }
                Node::If(branches, otherwise) => {
                    let mark = self.vars.len();
                    let mut done = false;
                    for (pipe, body) in branches {
                        if truth(&self.pipe(pipe, dot)?) {
                            self.nodes(body, dot)?;
                            done = true;
                            break;
                        }
                    }
                    if !done {
                        self.nodes(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::With(pipe, body, otherwise) => {
                    let mark = self.vars.len();
                    let v = self.pipe(pipe, dot)?;
                    if truth(&v) {
                        self.nodes(body, &v)?;
                    } else {
                        self.nodes(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range(pipe, body, otherwise) => {
                    let mark = self.vars.len();
                    let mut decl = pipe.decl.clone();
                    let plain = Pipe {
                        decl: Vec::new(),
                        ..pipe.clone()
                    };
                    let v = self.pipe(&plain, dot)?;
                    let items: Vec<(Value, Value)> = match &v {
                        Value::List(l) => l
                            .iter()
                            .enumerate()
                            .map(|(i, x)| (Value::Int(i as i64), x.clone()))
                            .collect(),
                        Value::Map(m) => m.iter().map(|(k, x)| (s(k), x.clone())).collect(),
                        Value::Int(n) => (0..*n).map(|i| (Value::Int(i), Value::Int(i))).collect(),
                        Value::Null | Value::NilMap | Value::NilList | Value::Missing => Vec::new(),
                        other => {
                            return Err(self.err(
                                pipe.pos,
                                &pipe_text(pipe),
                                format!("range can't iterate over {}", print_value(other)),
                            ))
                        }
                    };
                    if items.is_empty() {
                        self.nodes(otherwise, dot)?;
                    }
                    for (k, x) in items {
                        let inner = self.vars.len();
                        match decl.len() {
                            1 => self.vars.push((decl[0].clone(), x.clone())),
                            2 => {
                                self.vars.push((decl[0].clone(), k));
                                self.vars.push((decl[1].clone(), x.clone()));
                            }
                            _ => {}
                        }
                        self.nodes(body, &x)?;
                        self.vars.truncate(inner);
                    }
                    decl.clear();
                    self.vars.truncate(mark);
                }
            }
        }
        Ok(())
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, String> {
        let mut last: Option<Value> = None;
        for cmd in &pipe.cmds {
            last = Some(self.cmd(cmd, dot, last)?);
        }
        let v = last.unwrap_or(Value::Null);
        for name in &pipe.decl {
            self.vars.push((name.clone(), v.clone()));
        }
        Ok(v)
    }

    fn field(
        &self,
        pos: usize,
        node: &str,
        mut v: Value,
        fields: &[String],
    ) -> Result<Value, String> {
        let mut pos = pos;
        if node.starts_with('$') {
            pos += node.split('.').next().map_or(0, str::len);
        }
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                pos += fields[i - 1].len() + 1;
            }
            v = match &v {
                Value::Map(m) if self.strict && !m.contains_key(f) => {
                    return Err(self.err(pos, node, format!("map has no entry for key \"{f}\"")))
                }
                Value::Map(m) => m.get(f).cloned().unwrap_or(Value::Missing),
                Value::NilMap => Value::Missing,
                Value::Struct(_) => match v.get(f) {
                    Some(x) => x.clone(),
                    None => {
                        let ty = if i == 0 && !self.type_name.is_empty() {
                            self.type_name.to_string()
                        } else {
                            "struct".to_string()
                        };
                        return Err(self.err(
                            pos,
                            node,
                            format!("can't evaluate field {f} in type {ty}"),
                        ));
                    }
                },
                Value::Null => {
                    return Err(self.err(
                        pos,
                        node,
                        format!("nil pointer evaluating interface {{}}.{f}"),
                    ))
                }
                other => {
                    return Err(self.err(
                        pos,
                        node,
                        format!("can't evaluate field {f} in type {}", go_type(other)),
                    ))
                }
            };
        }
        Ok(v)
    }

    fn operand(
        &mut self,
        pos: usize,
        text: &str,
        op: &Operand,
        dot: &Value,
    ) -> Result<Value, String> {
        Ok(match op {
            Operand::Dot => dot.clone(),
            Operand::Field(fields) => self.field(pos, text, dot.clone(), fields)?,
            Operand::Var(name, fields) => {
                let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| n == name) else {
                    return Err(parse_err(
                        self.text,
                        pos,
                        format!("undefined variable \"{name}\""),
                    ));
                };
                self.field(pos, text, v.clone(), fields)?
            }
            Operand::Str(t) => Value::Str(t.clone()),
            Operand::Int(i) => Value::Int(*i),
            Operand::Bool(b) => Value::Bool(*b),
            Operand::Nil => return Err(self.err(pos, text, "nil is not a command")),
            Operand::Func(name) => self.call(pos, text, name, Vec::new())?,
            Operand::Sub(pipe, fields) => {
                let v = self.pipe(pipe, dot)?;
                self.field(pos, text, v, fields)?
            }
        })
    }

    fn cmd(&mut self, cmd: &Cmd, dot: &Value, piped: Option<Value>) -> Result<Value, String> {
        let (pos, text, first) = &cmd.args[0];
        if let Operand::Func(name) = first {
            let mut args = Vec::new();
            for (p, t, op) in &cmd.args[1..] {
                let v = self.operand(*p, t, op, dot)?;
                // A wrong argument type is reported at the argument (Go's `evalArg`).
                if name == "join" && args.is_empty() {
                    if let Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::Map(_) = v {
                        return Err(self.err(
                            *p,
                            t,
                            format!(
                                "wrong type for value; expected []string; got {}",
                                go_type(&v)
                            ),
                        ));
                    }
                }
                args.push(v);
            }
            args.extend(piped);
            return self.call(cmd.pos, &cmd.text, name, args);
        }
        // The list contexts' `Label` method: `{{.Label "key"}}` over their `Labels` text.
        if let (Operand::Field(f), Some((p, t, op))) = (first, cmd.args.get(1)) {
            if f.len() == 1 && f[0] == "Label" && cmd.args.len() == 2 {
                if let Some(Value::Str(labels)) = dot.get("Labels") {
                    let key = print_value(&self.operand(*p, t, op, dot)?);
                    return Ok(Value::Str(
                        labels
                            .split(',')
                            .find_map(|kv| kv.strip_prefix(key.as_str())?.strip_prefix('='))
                            .unwrap_or("")
                            .to_string(),
                    ));
                }
            }
        }
        if cmd.args.len() > 1 || piped.is_some() {
            return Err(self.err(
                *pos,
                text,
                format!("can't give argument to non-function {text}"),
            ));
        }
        self.operand(*pos, text, first, dot)
    }

    fn call(&self, pos: usize, node: &str, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let want = |n: usize| -> Result<(), String> {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.err(
                    pos,
                    node,
                    format!(
                        "wrong number of args for {name}: want {n} got {}",
                        args.len()
                    ),
                ))
            }
        };
        let at_least = |n: usize| -> Result<(), String> {
            if args.len() >= n {
                Ok(())
            } else {
                Err(self.err(
                    pos,
                    node,
                    format!(
                        "wrong number of args for {name}: want at least {n} got {}",
                        args.len()
                    ),
                ))
            }
        };
        if self.header
            && [
                "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
            ]
            .contains(&name)
        {
            return Ok(args.first().cloned().unwrap_or(Value::Null));
        }
        let fail = |msg: String| self.err(pos, node, format!("error calling {name}: {msg}"));
        Ok(match name {
            "and" => {
                at_least(1)?;
                args.iter()
                    .find(|a| !truth(a))
                    .cloned()
                    .unwrap_or_else(|| args[args.len() - 1].clone())
            }
            "or" => {
                at_least(1)?;
                args.iter()
                    .find(|a| truth(a))
                    .cloned()
                    .unwrap_or_else(|| args[args.len() - 1].clone())
            }
            "not" => {
                want(1)?;
                Value::Bool(!truth(&args[0]))
            }
            "len" => {
                want(1)?;
                match &args[0] {
                    Value::Str(t) => Value::Int(t.len() as i64),
                    Value::List(l) => Value::Int(l.len() as i64),
                    Value::Map(m) => Value::Int(m.len() as i64),
                    Value::NilList | Value::NilMap => Value::Int(0),
                    other => return Err(fail(format!("len of type {}", go_type(other)))),
                }
            }
            "index" => {
                at_least(1)?;
                let mut v = args[0].clone();
                for key in &args[1..] {
                    v = match (&v, key) {
                        (Value::List(l), Value::Int(i)) => {
                            match usize::try_from(*i).ok().and_then(|i| l.get(i)) {
                                Some(x) => x.clone(),
                                None => return Err(fail(format!("index out of range: {i}"))),
                            }
                        }
                        (Value::Str(text), Value::Int(i)) => {
                            match usize::try_from(*i)
                                .ok()
                                .and_then(|i| text.as_bytes().get(i))
                            {
                                Some(b) => Value::Int(i64::from(*b)),
                                None => return Err(fail(format!("index out of range: {i}"))),
                            }
                        }
                        (Value::NilList, Value::Int(i)) => {
                            return Err(fail(format!("index out of range: {i}")))
                        }
                        (Value::Map(m), Value::Str(k)) => {
                            m.get(k).cloned().unwrap_or_else(|| zero_of(m))
                        }
                        (Value::NilMap, Value::Str(_)) => Value::Str(String::new()),
                        (Value::Null | Value::Missing, _) => {
                            return Err(fail("index of untyped nil".into()))
                        }
                        (other, _) => {
                            return Err(fail(format!(
                                "can't index item of type {}",
                                go_type(other)
                            )))
                        }
                    };
                }
                v
            }
            "print" => Value::Str(sprint(&args)),
            "println" => {
                let mut t = args.iter().map(print_value).collect::<Vec<_>>().join(" ");
                t.push('\n');
                Value::Str(t)
            }
            "printf" => {
                at_least(1)?;
                let Value::Str(f) = &args[0] else {
                    return Err(self.err(pos, node, "wrong type for value; expected string"));
                };
                Value::Str(sprintf(f, &args[1..]))
            }
            "eq" if args.len() > 2 => {
                let mut any = false;
                for other in &args[1..] {
                    let ord = compare(&args[0], other)
                        .ok_or_else(|| fail("incompatible types for comparison".to_string()))?;
                    any |= ord == std::cmp::Ordering::Equal;
                }
                Value::Bool(any)
            }
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                want(2)?;
                // Different basic kinds are incompatible; ordering bools is invalid.
                let ord = compare(&args[0], &args[1])
                    .ok_or_else(|| fail("incompatible types for comparison".to_string()))?;
                if matches!(args[0], Value::Bool(_)) && !["eq", "ne"].contains(&name) {
                    return Err(fail("invalid type for comparison".to_string()));
                }
                use std::cmp::Ordering::*;
                Value::Bool(match name {
                    "eq" => ord == Equal,
                    "ne" => ord != Equal,
                    "lt" => ord == Less,
                    "le" => ord != Greater,
                    "gt" => ord == Greater,
                    _ => ord != Less,
                })
            }
            "json" => {
                want(1)?;
                match &args[0] {
                    Value::Struct(fields) if self.sorted_json => Value::Str(
                        Value::Map(layerbox_order::map(
                            fields.iter().map(|f| (f.name.to_string(), f.value.clone())),
                        ))
                        .to_json(),
                    ),
                    other => Value::Str(other.to_json()),
                }
            }
            "split" => {
                want(2)?;
                let text = print_value(&args[0]);
                let sep = print_value(&args[1]);
                let parts: Vec<Value> = if sep.is_empty() {
                    text.chars().map(|c| Value::Str(c.to_string())).collect()
                } else {
                    text.split(sep.as_str()).map(s).collect()
                };
                Value::List(parts)
            }
            "join" => {
                want(2)?;
                let sep = print_value(&args[1]);
                match &args[0] {
                    Value::List(l) => {
                        Value::Str(l.iter().map(print_value).collect::<Vec<_>>().join(&sep))
                    }
                    Value::NilList => Value::Str(String::new()),
                    other => {
                        return Err(self.err(
                            pos,
                            node,
                            format!(
                                "wrong type for value; expected []string; got {}",
                                go_type(other)
                            ),
                        ))
                    }
                }
            }
            "title" | "lower" | "upper" => {
                want(1)?;
                let t = print_value(&args[0]);
                Value::Str(match name {
                    "lower" => t.to_lowercase(),
                    "upper" => t.to_uppercase(),
                    _ => title(&t),
                })
            }
            "pad" => {
                want(3)?;
                let (Value::Int(l), Value::Int(r)) = (&args[1], &args[2]) else {
                    return Err(self.err(pos, node, "wrong type for value; expected int"));
                };
                let l = (*l).clamp(0, 1000) as usize;
                let r = (*r).clamp(0, 1000) as usize;
                Value::Str(format!(
                    "{}{}{}",
                    " ".repeat(l),
                    print_value(&args[0]),
                    " ".repeat(r)
                ))
            }
            "truncate" => {
                want(2)?;
                let t = print_value(&args[0]);
                let Value::Int(n) = args[1] else {
                    return Err(self.err(pos, node, "wrong type for value; expected int"));
                };
                let n = usize::try_from(n).unwrap_or(0);
                Value::Str(if t.chars().count() > n {
                    t.chars().take(n).collect()
                } else {
                    t
                })
            }
            other => return Err(format!("template: :1: function \"{other}\" not defined")),
        })
    }
}

fn s(t: &str) -> Value {
    Value::Str(t.to_string())
}

fn zero_of(m: &BTreeMap<String, Value>) -> Value {
    match m.values().next() {
        Some(Value::Str(_)) | None => Value::Str(String::new()),
        Some(Value::Int(_)) => Value::Int(0),
        Some(Value::Bool(_)) => Value::Bool(false),
        _ => Value::Null,
    }
}

fn pipe_text(pipe: &Pipe) -> String {
    pipe.cmds
        .iter()
        .map(|c| c.text.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The Go type a value stands for, as named in errors.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null | Value::Missing => "interface {}",
        Value::NilMap | Value::Map(_) => "map[string]string",
        Value::NilList | Value::List(_) => "[]string",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::Struct(_) => "struct",
    }
}

/// How an action prints its value (`<no value>` for a missing map key).
fn print_value(v: &Value) -> String {
    match v {
        Value::Missing => "<no value>".into(),
        other => other.go_print(),
    }
}

/// `fmt.Sprint`: a space between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = matches!(a, Value::Str(_));
        if i > 0 && !is_str && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&print_value(a));
    }
    out
}

fn title(t: &str) -> String {
    let mut out = String::new();
    let mut prev_letter = false;
    for c in t.chars() {
        if !prev_letter {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) if x == y => Some(std::cmp::Ordering::Equal),
        (Value::Bool(_), Value::Bool(_)) => Some(std::cmp::Ordering::Less),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        _ => None,
    }
}

/// `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %t %x %%` with width and `-`.
fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut left = false;
        let mut zero = false;
        let mut plus = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                _ => break,
            }
            chars.next();
        }
        let mut width = 0usize;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = (width * 10 + d as usize).min(1000);
            chars.next();
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let text = match (verb, arg) {
            ('d', Value::Int(i)) => {
                if plus && *i >= 0 {
                    format!("+{i}")
                } else {
                    i.to_string()
                }
            }
            ('x', Value::Int(i)) => format!("{i:x}"),
            ('x', Value::Str(t)) => t.bytes().map(|b| format!("{b:02x}")).collect(),
            ('s' | 'v', v) => print_value(v),
            ('q', Value::Str(t)) => Value::Str(t.clone()).to_json(),
            ('t', Value::Bool(b)) => b.to_string(),
            (verb, v) => format!("%!{verb}({}={})", go_type(v), print_value(v)),
        };
        let n = text.chars().count();
        if n < width {
            let pad = width - n;
            if left {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', pad));
            } else {
                let fill = if zero { '0' } else { ' ' };
                out.extend(std::iter::repeat_n(fill, pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        out.push_str(
            &args[next..]
                .iter()
                .map(|a| format!("{}={}", go_type(a), print_value(a)))
                .collect::<Vec<_>>()
                .join(", "),
        );
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formatter::value::{field, s};

    fn vol() -> Value {
        Value::Struct(vec![
            field("Name", s("myvol")),
            field(
                "Labels",
                Value::Map([("env".to_string(), s("prod")), ("a".to_string(), s("b"))].into()),
            ),
            field("List", Value::List(vec![s("x"), s("y")])),
        ])
    }

    fn run(t: &str) -> Result<String, String> {
        Template::parse(t)?.execute(&vol())
    }

    #[test]
    fn fields_and_json_render_as_go_does() {
        assert_eq!(
            run("{{.Name}} {{json .Labels}}"),
            Ok("myvol {\"a\":\"b\",\"env\":\"prod\"}".into())
        );
    }

    #[test]
    fn control_structures_and_variables() {
        assert_eq!(
            run("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}"),
            Ok("a=b;env=prod;".into())
        );
        assert!(run("{{if .Nope}}x{{else}}y{{end}}").is_err());
        assert_eq!(
            run("{{if .Labels.x}}x{{else if .Name}}n{{else}}y{{end}}"),
            Ok("n".into())
        );
        assert_eq!(run("{{with .Labels}}{{.env}}{{end}}"), Ok("prod".into()));
        assert_eq!(
            run("{{range $i, $e := .List}}{{$i}}{{$e}}{{end}}"),
            Ok("0x1y".into())
        );
        assert_eq!(run("{{- .Name -}}  {{\"!\"}}"), Ok("myvol!".into()));
        assert_eq!(run("{{$n := .Name}}{{$n | upper}}"), Ok("MYVOL".into()));
    }

    #[test]
    fn functions() {
        assert_eq!(
            run("{{printf \"%s-%3d|%-3s|\" .Name 7 \"a\"}}"),
            Ok("myvol-  7|a  |".into())
        );
        assert_eq!(
            run("{{len .List}} {{index .List 1}} {{join .List \",\"}}"),
            Ok("2 y x,y".into())
        );
        assert_eq!(
            run("{{title \"hello world\"}} {{split \"a,b\" \",\"}}"),
            Ok("Hello World [a b]".into())
        );
        assert_eq!(run("{{(index .List 0) | upper}}"), Ok("X".into()));
        assert_eq!(
            run("{{if and .Name (eq .Name \"myvol\")}}y{{end}}"),
            Ok("y".into())
        );
    }

    #[test]
    fn errors_are_worded_as_go_does() {
        assert_eq!(
            Template::parse("{{foo .Name}}"),
            Err("template: :1: function \"foo\" not defined".into())
        );
        assert_eq!(
            Template::parse("{{.Name"),
            Err("template: :1: unclosed action".into())
        );
        assert_eq!(
            Template::parse("{{if .Name}}x"),
            Err("template: :1: unexpected EOF".into())
        );
        assert_eq!(
            Template::parse("{{end}}"),
            Err("template: :1: unexpected {{end}}".into())
        );
    }

    #[test]
    fn no_input_panics() {
        for t in [
            "{{",
            "}}",
            "{{(}}",
            "{{)}}",
            "{{|}}",
            "{{$}}",
            "{{$x :=}}",
            "{{-}}",
            "{{ - }}",
            "{{range}}",
            "{{else}}",
            "{{if 1}}{{else if}}{{end}}",
            "{{printf \"%\"}}",
            "{{\"\\\"}}",
            "{{`}}",
            "{{index .List 9}}",
            "{{(((((}}",
            "{{.}}{{- -}}",
            "{{/* c */}}",
        ] {
            let _ = run(t);
        }
    }
}
