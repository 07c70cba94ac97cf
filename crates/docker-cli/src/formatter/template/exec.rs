//! The template executor: runs parsed nodes on a value (fields, variables, `if`/`range`/`with`,
//! calls through the function table) under a step, output and work budget, with Go's
//! `executing "" at <...>` errors.
//!
//! Emulation note: Go's `text/template` runs until it is done; layerbox stops an execution
//! after [`STEP_BUDGET`] steps (nodes, pipeline commands and `range` iterations), [`OUTPUT_BUDGET`]
//! bytes of output or [`WORK_BUDGET`] bytes taken in and built by its functions, and prints one
//! plain line instead of a Go error, e.g. `layerbox: template stopped after 100000 steps
//! (layerbox limit)`: the command fails (exit 1), never printing a cut-short result as if whole.

use super::funcs::{self, Options, Origin};
use super::lex::parse_err;
use super::parse::{Cmd, Node, Operand, Pipe};
use super::ExecError;
use crate::formatter::value::{s, Value};

/// Steps one execution may take: every node, pipeline command and `range` iteration is one.
pub(super) const STEP_BUDGET: usize = 100_000;
/// Bytes one execution may print.
pub(super) const OUTPUT_BUDGET: usize = 1 << 20;
/// Bytes the function calls of one execution may take in and build, all calls together.
pub(super) const WORK_BUDGET: usize = 4 << 20;

type Res<T> = Result<T, ExecError>;

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
) -> (String, Res<()>) {
    let mut exec = Exec {
        text,
        type_name,
        vars: vec![("$".to_string(), dot.clone())],
        out: String::new(),
        steps: 0,
        work: 0,
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
    /// Bytes charged to [`WORK_BUDGET`] so far.
    work: usize,
    mode: Mode,
}

/// The size of a value in bytes, roughly as it is held: what a function taking it works on.
fn size(v: &Value) -> usize {
    match v {
        Value::Str(t) => t.len(),
        Value::List(l) => l.iter().map(|x| 8 + size(x)).sum(),
        Value::Map(m) => m.iter().map(|(k, x)| 8 + k.len() + size(x)).sum(),
        Value::Struct(fields) => fields.iter().map(|f| 8 + size(&f.value)).sum(),
        _ => 8,
    }
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

    fn err(&self, pos: usize, node: &str, msg: impl std::fmt::Display) -> ExecError {
        ExecError::Go(format!(
            "template: {}: executing \"\" at <{node}>: {msg}",
            self.ctx(pos)
        ))
    }

    /// Counts one step; stops the execution when a budget is spent.
    fn step(&mut self) -> Res<()> {
        self.steps += 1;
        if !super::line_work::take(super::line_work::STEP_WORK) {
            // The typed line's work ran out: the shell ends the line with the budget's message.
            return Err(ExecError::Stopped(String::new()));
        }
        if self.steps > STEP_BUDGET {
            return Err(ExecError::Stopped(format!(
                "layerbox: template stopped after {STEP_BUDGET} steps (layerbox limit)"
            )));
        }
        if self.out.len() > OUTPUT_BUDGET {
            return Err(ExecError::Stopped(
                "layerbox: template stopped after 1 MiB of output (layerbox limit)".into(),
            ));
        }
        Ok(())
    }

    /// Charges `bytes` of function work; stops the execution past [`WORK_BUDGET`].
    fn charge(&mut self, bytes: usize) -> Res<()> {
        self.work = self.work.saturating_add(bytes);
        if self.work > WORK_BUDGET {
            return Err(work_stopped());
        }
        Ok(())
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Value) -> Res<()> {
        for node in nodes {
            self.step()?;
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

    fn range(&mut self, pipe: &Pipe, body: &[Node], otherwise: &[Node], dot: &Value) -> Res<()> {
        let mark = self.vars.len();
        let decl = &pipe.decl;
        let plain = Pipe {
            decl: Vec::new(),
            ..pipe.clone()
        };
        let v = self.pipe(&plain, dot)?;
        // Each iteration is taken as it comes (a step each), never collected first: `range N`
        // over a huge N ends at the step budget, not in an allocation.
        let empty = match &v {
            Value::List(l) => {
                for (i, x) in l.iter().enumerate() {
                    self.iteration(decl, Value::Int(i as i64), x, body)?;
                }
                l.is_empty()
            }
            Value::Map(m) => {
                for (k, x) in m {
                    self.iteration(decl, s(k), x, body)?;
                }
                m.is_empty()
            }
            Value::Int(n) => {
                for i in 0..*n {
                    self.iteration(decl, Value::Int(i), &Value::Int(i), body)?;
                }
                *n <= 0
            }
            Value::Null | Value::NilMap | Value::NilList | Value::Missing => true,
            other => {
                return Err(self.err(
                    pipe.pos,
                    &pipe_text(pipe),
                    format!("range can't iterate over {}", other.go_print()),
                ))
            }
        };
        if empty {
            self.nodes(otherwise, dot)?;
        }
        self.vars.truncate(mark);
        Ok(())
    }

    /// One pass of a `range` body with `x` as dot, declaring the key `k` and `x` as asked.
    fn iteration(&mut self, decl: &[String], k: Value, x: &Value, body: &[Node]) -> Res<()> {
        self.step()?;
        let inner = self.vars.len();
        match decl.len() {
            1 => self.vars.push((decl[0].clone(), x.clone())),
            2 => {
                self.vars.push((decl[0].clone(), k));
                self.vars.push((decl[1].clone(), x.clone()));
            }
            _ => {}
        }
        self.nodes(body, x)?;
        self.vars.truncate(inner);
        Ok(())
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Res<Value> {
        let mut last: Option<Value> = None;
        for cmd in &pipe.cmds {
            self.step()?;
            last = Some(self.cmd(cmd, dot, last)?);
        }
        let v = last.unwrap_or(Value::Null);
        for name in &pipe.decl {
            self.vars.push((name.clone(), v.clone()));
        }
        Ok(v)
    }

    fn field(&self, pos: usize, node: &str, mut v: Value, fields: &[String]) -> Res<Value> {
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

    fn operand(&mut self, pos: usize, text: &str, op: &Operand, dot: &Value) -> Res<Value> {
        Ok(match op {
            Operand::Dot => dot.clone(),
            Operand::Field(fields) => self.field(pos, text, dot.clone(), fields)?,
            Operand::Var(name, fields) => {
                let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| n == name) else {
                    return Err(ExecError::Go(parse_err(
                        self.text,
                        pos,
                        format!("undefined variable \"{name}\""),
                    )));
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

    fn cmd(&mut self, cmd: &Cmd, dot: &Value, piped: Option<Value>) -> Res<Value> {
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

    fn call(&mut self, pos: usize, node: &str, name: &str, args: Vec<Value>) -> Res<Value> {
        let Some(func) = funcs::lookup(name) else {
            return Err(ExecError::Go(format!(
                "template: :1: function \"{name}\" not defined"
            )));
        };
        if self.mode.header && func.origin == Origin::Cli {
            return Ok(args.first().cloned().unwrap_or(Value::Null));
        }
        func.arity
            .check(name, args.len())
            .map_err(|msg| self.err(pos, node, msg))?;
        self.charge(args.iter().map(size).sum())?;
        let options = Options {
            sorted_json: self.mode.sorted_json,
            room: WORK_BUDGET - self.work,
        };
        let v = (func.body)(&args, &options).map_err(|failure| match failure {
            funcs::Failure::Returned(msg) => {
                self.err(pos, node, format!("error calling {name}: {msg}"))
            }
            funcs::Failure::Arg(msg) => self.err(pos, node, msg),
            funcs::Failure::TooMuch => work_stopped(),
        })?;
        self.charge(size(&v))?;
        Ok(v)
    }
}

fn work_stopped() -> ExecError {
    ExecError::Stopped(
        "layerbox: template stopped after 4 MiB of work in its functions (layerbox limit)".into(),
    )
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

    fn run(t: &str) -> Result<String, ExecError> {
        let nodes = super::super::parse::parse(t).map_err(ExecError::Go)?;
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

    fn stopped(r: Result<String, ExecError>) -> String {
        match r {
            Err(ExecError::Stopped(line)) => line,
            other => panic!("expected a stop, got {other:?}"),
        }
    }

    #[test]
    fn range_over_a_huge_number_stops_at_the_step_budget() {
        assert_eq!(
            stopped(run("{{range 9223372036854775807}}{{end}}")),
            "layerbox: template stopped after 100000 steps (layerbox limit)"
        );
        assert_eq!(run("{{range 3}}{{.}}{{end}}"), Ok("012".into()));
        assert_eq!(run("{{range -3}}x{{else}}none{{end}}"), Ok("none".into()));
    }

    #[test]
    fn functions_that_build_by_a_number_stop_before_allocating() {
        for t in [
            "{{printf \"%9999999d\" 1}}",
            "{{printf \"%*d\" 999999 1}}{{printf \"%*d\" 999999 1}}{{printf \"%*d\" 999999 1}}{{printf \"%*d\" 999999 1}}{{printf \"%*d\" 999999 1}}",
            "{{pad \"x\" 9223372036854775807 1}}",
            "{{$x := printf \"%999999d\" 1}}{{join (split $x \"\") $x}}",
        ] {
            assert!(stopped(run(t)).starts_with("layerbox: template stopped after"), "{t}");
        }
        let mut doubling = String::from("{{$x := \"ab\"}}");
        for _ in 0..40 {
            doubling.push_str("{{$x := printf \"%s%s\" $x $x}}");
        }
        assert!(stopped(run(&doubling)).contains("of work in its functions"));
        assert_eq!(
            run("{{printf \"%99999999d\" 1}}"),
            Ok("%!(NOVERB)%!(EXTRA int=1)".into())
        );
        assert_eq!(
            run("{{printf \"%*d|%-*d|\" 3 7 -3 7}}"),
            Ok("  7|7  |".into())
        );
        assert_eq!(
            run("{{printf \"%*d\" \"a\" 7}}"),
            Ok("%!(BADWIDTH)7".into())
        );
        assert_eq!(
            run("{{pad \"x\" -1 0}}"),
            Err(ExecError::Go(
                "template: :1:2: executing \"\" at <pad \"x\" -1 0>: error calling pad: strings: negative Repeat count".into()
            ))
        );
        assert_eq!(run("{{pad \"x\" 2 1}}"), Ok("  x ".into()));
    }
}
