//! Go's `text/template` as the docker CLI uses it for `--format`: the public [`Template`] over
//! the lexer (`lex.rs`: text and `{{- -}}` trimming, tokens), the parser (`parse.rs`: pipelines
//! with `|`, fields, variables (`$`, `$x := ...`), parenthesised pipelines,
//! `if`/`else if`/`else`/`end`, `range` (with `$i, $v :=`), `with`), the executor (`exec.rs`) and
//! the functions (`funcs.rs`, one table: Go's built-ins `and`, `or`, `not`, `len`, `index`,
//! `print`, `printf`, `println`, `eq`, `ne`, `lt`, `le`, `gt`, `ge` and the CLI's `json`,
//! `split`, `join`, `title`, `lower`, `upper`, `pad`, `truncate`). Errors use Go's wording and
//! positions (`template: :1:2: executing "" at ...`).
//!
//! Emulation note: a hand-written subset; the maintained Go-template crate for Rust (gtmpl)
//! has its own value model without struct field order, which Go's `%v` printing needs.

mod exec;
mod funcs;
mod lex;
pub mod line_work;
mod parse;

use crate::formatter::value::Value;
use exec::Mode;
use parse::Node;

/// Why executing a template failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecError {
    /// Go's own error, in its words (`template: :1:2: executing "" at <.X>: ...`).
    Go(String),
    /// layerbox stopped the execution at one of its budgets (see `exec.rs`): a plain
    /// `layerbox: ...` line that the CLI prints as it is.
    Stopped(String),
}

impl ExecError {
    /// The line the CLI prints: Go's error after `prefix` (`template parsing error: `), or
    /// layerbox's own line without one.
    pub fn line(&self, prefix: &str) -> String {
        match self {
            ExecError::Go(e) => format!("{prefix}{e}"),
            ExecError::Stopped(line) => line.clone(),
        }
    }
}

/// A parsed `--format` template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
    text: String,
}

impl Template {
    /// Parses `text`; the error is Go's wording.
    pub fn parse(text: &str) -> Result<Template, String> {
        Ok(Template {
            nodes: parse::parse(text)?,
            text: text.to_string(),
        })
    }

    /// Executes the template on `dot`.
    pub fn execute(&self, dot: &Value) -> Result<String, ExecError> {
        self.execute_as(dot, "")
    }

    /// Executes the template on `dot`, a value of Go type `type_name` (named in errors).
    pub fn execute_as(&self, dot: &Value, type_name: &str) -> Result<String, ExecError> {
        self.run(dot, type_name, Mode::default())
    }

    /// Executes the template on a list formatter's context, whose `json` lists fields sorted.
    pub fn execute_sorted_json(&self, dot: &Value, type_name: &str) -> Result<String, ExecError> {
        let mode = Mode {
            sorted_json: true,
            ..Mode::default()
        };
        self.run(dot, type_name, mode)
    }

    /// A table's header: the template over the column names, with the CLI's header functions
    /// (`json`, `upper`, `join`, ... return their first argument unchanged).
    pub fn execute_header(&self, names: &Value) -> String {
        let mode = Mode {
            header: true,
            ..Mode::default()
        };
        exec::execute(&self.text, &self.nodes, names, "", mode).0
    }

    /// Executes with `missingkey=error`, as the CLI's fallback over an object's raw JSON.
    pub fn execute_strict(&self, dot: &Value) -> Result<String, ExecError> {
        let mode = Mode {
            strict: true,
            ..Mode::default()
        };
        self.run(dot, "", mode)
    }

    fn run(&self, dot: &Value, type_name: &str, mode: Mode) -> Result<String, ExecError> {
        let (out, result) = exec::execute(&self.text, &self.nodes, dot, type_name, mode);
        result.map(|()| out)
    }
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

    fn run(t: &str) -> Result<String, ExecError> {
        Template::parse(t).map_err(ExecError::Go)?.execute(&vol())
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
