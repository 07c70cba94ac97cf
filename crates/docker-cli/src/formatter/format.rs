//! `--format` as the CLI's formatters apply it: lists (`volume ls`, `ps`, `images`, `system df`)
//! with `table` and its headers, and `inspect` (one template run per object, Go's raw-JSON
//! fallback, errors after the output).

use layerbox_sh::Output;

use crate::formatter::table;
use crate::formatter::template::{ExecError, Template};
use crate::formatter::value::Value;
use crate::reply::err_line;

/// What `--format` asks of a list command.
pub enum ListFormat {
    /// No format, or `table`: the command's default table.
    Default,
    /// A template (the `table ` prefix removed, escapes read) and whether it is a table.
    Template { table: bool, body: String },
}

/// Reads a list command's `--format` as `formatter.Format` does.
pub fn list_format(format: Option<&str>) -> ListFormat {
    let Some(format) = format.filter(|f| !f.is_empty() && *f != "table") else {
        return ListFormat::Default;
    };
    if format == "json" {
        return ListFormat::Template {
            table: false,
            body: "{{json .}}".into(),
        };
    }
    let (table, body) = match format.strip_prefix("table") {
        Some(rest) => (true, rest),
        None => (false, format),
    };
    let body = body
        .trim_matches(' ')
        .replace("\\t", "\t")
        .replace("\\n", "\n");
    ListFormat::Template { table, body }
}

/// Prints `values` through the template `body`: in a table, the header (the template run over
/// `header`, the column names by field) first and every line through the CLI's tabwriter.
/// `type_name` is the Go type of each value, as execution errors name it.
pub fn list(
    out: &mut Output,
    table_mode: bool,
    body: &str,
    header: &[(&str, &str)],
    type_name: &str,
    values: impl IntoIterator<Item = Value>,
) {
    let template = match Template::parse(body) {
        Ok(t) => t,
        Err(e) => {
            err_line(out, format!("template parsing error: {e}"));
            out.code = 1;
            return;
        }
    };
    let mut text = String::new();
    for v in values {
        match template.execute_sorted_json(&v, type_name) {
            Ok(row) => {
                text.push_str(&row);
                text.push('\n');
            }
            Err(e) => {
                err_line(out, e.line("template parsing error: "));
                out.code = 1;
                return;
            }
        }
    }
    if !table_mode {
        out.stdout.extend_from_slice(text.as_bytes());
        return;
    }
    let head = Value::Map(layerbox_order::map(
        header
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Str(v.to_string()))),
    ));
    let mut all = template.execute_header(&head);
    all.push('\n');
    all.push_str(&text);
    let cells: Vec<Vec<String>> = all
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    out.stdout
        .extend_from_slice(table::render(&cells).as_bytes());
}

/// One object for `inspect --format`: its value, and whether the CLI has its raw JSON to fall
/// back on when the typed value fails (`docker inspect`, `container inspect`, `image inspect`).
pub struct Inspected {
    pub value: Value,
    pub raw: bool,
    pub type_name: &'static str,
}

/// `inspect --format`: the template once per object; errors after the output (a blank line
/// when nothing was printed); a template that does not parse exits 64.
pub fn inspect(out: &mut Output, format: &str, found: Vec<Inspected>, mut errors: Vec<String>) {
    let template = match Template::parse(format) {
        Ok(t) => t,
        Err(e) => {
            err_line(out, format!("template parsing error: {e}"));
            out.code = 64;
            return;
        }
    };
    let mut printed = String::new();
    for obj in found {
        let result = match template.execute_as(&obj.value, obj.type_name) {
            Err(ExecError::Go(_)) if obj.raw => template.execute_strict(&raw(&obj.value)),
            r => r,
        };
        match result {
            Ok(text) => {
                printed.push_str(&text);
                printed.push('\n');
            }
            Err(e) => errors.push(e.line("template parsing error: ")),
        }
    }
    if printed.is_empty() {
        printed.push('\n');
    }
    out.stdout.extend_from_slice(printed.as_bytes());
    for e in &errors {
        err_line(out, e);
    }
    if !errors.is_empty() {
        out.code = 1;
    }
}

/// The object as the CLI decodes its raw JSON (`map[string]interface{}`): structs become maps
/// of their JSON fields.
fn raw(v: &Value) -> Value {
    match v {
        Value::Struct(fields) => Value::Map(layerbox_order::map(
            fields
                .iter()
                .filter(|f| !(f.omit_empty && f.value.is_empty()))
                .map(|f| (f.name.to_string(), raw(&f.value))),
        )),
        Value::List(l) => Value::List(l.iter().map(raw).collect()),
        Value::Map(m) => Value::Map(layerbox_order::map(
            m.iter().map(|(k, x)| (k.clone(), raw(x))),
        )),
        Value::NilMap | Value::NilList => Value::Null,
        other => other.clone(),
    }
}
