//! The template executor: runs parsed nodes on a value (fields, variables, `if`/`range`/`with`,
//! calls through the function table) under a step and output budget, with Go's
//! `executing "" at <...>` errors.

use super::funcs::{self, Options, Origin};
use super::lex::parse_err;
use super::parse::{Cmd, Node, Operand, Pipe};
use crate::formatter::value::{s, Value};

/// How a run differs from Go's plain `Execute`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Mode {
    /// `json` of a struct lists its fields sorted (a list formatter's context).
    pub(super) sorted_json: bool,
    /// A table's header row: the CLI's functions return their first argument unchanged.
    pub(super) header: bool,
    /// `missingkey=error`: a map without the key is an error (the CLI's raw-JSON fallback).
    pub(super) strict: bool,
}

/// Runs `nodes`, parsed from `text`, on `dot`, a value of Go type `type_name` (named in
/// errors); the output written before any error comes back beside it.
pub(super) fn execute(
    text: &str,
    nodes: &[Node],
    dot: &Value,
    type_name: &str,
    mode: Mode,
) -> (String, Result<(), String>) {
    let mut exec = Exec {
        text,
        type_name,
        vars: vec![("$".to_string(), dot.clone())],
        out: String::new(),
        steps: 0,
        mode,
    };
    let result = exec.nodes(nodes, dot);
    (exec.out, result)
}

struct Exec<'a> {
    text: &'a str,
    type_name: &'a str,
    vars: Vec<(String, Value)>,
    out: String,
    steps: usize,
    mode: Mode,
}

fn pipe_text(pipe: &Pipe) -> String {
    pipe.cmds
        .iter()
        .map(|c| c.text.clone())
        .collect::<Vec<_>>()
        .join(" | ")
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
                        let text = v.go_print();
                        self.out.push_str(&text);
                    }
                }
                Node::If(branches, otherwise) => {
                    let mark = self.vars.len();
                    let mut done = false;
                    for (pipe, body) in branches {
                        if funcs::truth(&self.pipe(pipe, dot)?) {
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
                    if funcs::truth(&v) {
                        self.nodes(body, &v)?;
                    } else {
                        self.nodes(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range(pipe, body, otherwise) => self.range(pipe, body, otherwise, dot)?,
            }
        }
        Ok(())
    }

    fn range(
        &mut self,
        pipe: &Pipe,
        body: &[Node],
        otherwise: &[Node],
        dot: &Value,
    ) -> Result<(), String> {
        let mark = self.vars.len();
        let decl = &pipe.decl;
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
                    format!("range can't iterate over {}", other.go_print()),
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
        self.vars.truncate(mark);
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
                Value::Map(m) if self.mode.strict && !m.contains_key(f) => {
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
                        format!("can't evaluate field {f} in type {}", other.go_type()),
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
            let param = funcs::lookup(name).map(|f| f.first);
            let mut args = Vec::new();
            for (p, t, op) in &cmd.args[1..] {
                let v = self.operand(*p, t, op, dot)?;
                // A wrong argument type is reported at the argument (Go's `evalArg`).
                if let (Some(param), true) = (param, args.is_empty()) {
                    param.check(&v).map_err(|msg| self.err(*p, t, msg))?;
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
                    let key = self.operand(*p, t, op, dot)?.go_print();
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
        let Some(func) = funcs::lookup(name) else {
            return Err(format!("template: :1: function \"{name}\" not defined"));
        };
        if self.mode.header && func.origin == Origin::Cli {
            return Ok(args.first().cloned().unwrap_or(Value::Null));
        }
        func.arity
            .check(name, args.len())
            .map_err(|msg| self.err(pos, node, msg))?;
        let options = Options {
            sorted_json: self.mode.sorted_json,
        };
        (func.body)(&args, &options).map_err(|failure| match failure {
            funcs::Failure::Returned(msg) => {
                self.err(pos, node, format!("error calling {name}: {msg}"))
            }
            funcs::Failure::Arg(msg) => self.err(pos, node, msg),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formatter::value::field;

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
        let nodes = super::super::parse::parse(t)?;
        let (out, result) = execute(t, &nodes, &vol(), "", Mode::default());
        result.map(|()| out)
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
}
