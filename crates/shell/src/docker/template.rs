//! The subset of Go's `text/template` that `--format` needs here: text, `{{.Field.Sub}}`,
//! `{{.}}`, and the functions `json`, `upper`, `lower`, `join`, `index`, `println`.
//! Emulation note: `range`, `if` and `printf` are not modelled; they answer with an error.

use super::value::Value;

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// `.A.B` (empty for `.`).
    Path(Vec<String>),
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action {
        func: Option<String>,
        args: Vec<Arg>,
    },
}

/// A parsed `--format` template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

const FUNCS: &[&str] = &["json", "upper", "lower", "join", "index", "println"];

impl Template {
    /// Parses `text`; the error is Go's wording where it is known.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut nodes = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                nodes.push(Node::Text(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err("template: :1: unclosed action".into());
            };
            nodes.push(parse_action(after[..end].trim())?);
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            nodes.push(Node::Text(rest.to_string()));
        }
        Ok(Template { nodes })
    }

    /// Executes the template on `dot`.
    pub fn execute(&self, dot: &Value) -> Result<String, String> {
        let mut out = String::new();
        for node in &self.nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Action { func, args } => {
                    let values: Vec<Value> = args
                        .iter()
                        .map(|a| eval(a, dot))
                        .collect::<Result<_, _>>()?;
                    out.push_str(&apply(func.as_deref(), &values)?);
                }
            }
        }
        Ok(out)
    }
}

fn parse_action(body: &str) -> Result<Node, String> {
    let words = split_words(body)?;
    let Some(first) = words.first() else {
        return Err("template: :1: missing value for command".into());
    };
    let (func, arg_words) = if first.starts_with('.') || first.starts_with('"') {
        (None, &words[..])
    } else if FUNCS.contains(&first.as_str()) {
        (Some(first.clone()), &words[1..])
    } else if ["range", "if", "with", "printf", "end", "else", "table"].contains(&first.as_str()) {
        return Err(format!(
            "layerbox: template action \"{first}\" is not modelled"
        ));
    } else {
        return Err(format!("template: :1: function \"{first}\" not defined"));
    };
    let args = arg_words
        .iter()
        .map(|w| {
            if let Some(q) = w.strip_prefix('"') {
                Ok(Arg::Str(
                    q.strip_suffix('"').unwrap_or(q).replace("\\n", "\n"),
                ))
            } else if w == "." {
                Ok(Arg::Path(Vec::new()))
            } else if let Some(p) = w.strip_prefix('.') {
                Ok(Arg::Path(p.split('.').map(str::to_string).collect()))
            } else {
                Err(format!("template: :1: function \"{w}\" not defined"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Node::Action { func, args })
}

fn split_words(body: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in body.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if quoted {
        return Err("template: :1: unterminated quoted string".into());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    Ok(words)
}

fn eval(arg: &Arg, dot: &Value) -> Result<Value, String> {
    match arg {
        Arg::Str(t) => Ok(Value::Str(t.clone())),
        Arg::Path(parts) => {
            let mut v = dot.clone();
            for p in parts {
                v = match &v {
                    Value::Map(m) => m.get(p).cloned().unwrap_or(Value::Str("<no value>".into())),
                    Value::NilMap => Value::Str("<no value>".into()),
                    Value::Struct(_) => v.get(p).cloned().ok_or_else(|| {
                        format!(
                            "template: :1:2: executing \"\" at <.{}>: can't evaluate field {p}",
                            parts.join(".")
                        )
                    })?,
                    _ => {
                        return Err(format!(
                            "template: :1:2: executing \"\" at <.{}>: can't evaluate field {p}",
                            parts.join(".")
                        ))
                    }
                };
            }
            Ok(v)
        }
    }
}

fn apply(func: Option<&str>, values: &[Value]) -> Result<String, String> {
    let arg = |i: usize| values.get(i).cloned().unwrap_or(Value::Null);
    Ok(match func {
        None => values
            .iter()
            .map(Value::go_print)
            .collect::<Vec<_>>()
            .join(" "),
        Some("json") => arg(0).to_json(),
        Some("upper") => arg(0).go_print().to_uppercase(),
        Some("lower") => arg(0).go_print().to_lowercase(),
        Some("println") => {
            let mut t = values
                .iter()
                .map(Value::go_print)
                .collect::<Vec<_>>()
                .join(" ");
            t.push('\n');
            t
        }
        Some("join") => match arg(0) {
            Value::List(items) => items
                .iter()
                .map(Value::go_print)
                .collect::<Vec<_>>()
                .join(&arg(1).go_print()),
            other => other.go_print(),
        },
        Some("index") => match arg(0) {
            Value::Map(m) => m
                .get(&arg(1).go_print())
                .map(Value::go_print)
                .unwrap_or_else(|| "<no value>".into()),
            other => other.go_print(),
        },
        Some(other) => return Err(format!("template: :1: function \"{other}\" not defined")),
    })
}

#[cfg(test)]
mod tests {
    use super::super::value::{field, s};
    use super::*;

    #[test]
    fn fields_and_json_render_as_go_does() {
        let v = Value::Struct(vec![
            field("Name", s("myvol")),
            field(
                "Labels",
                Value::Map([("env".to_string(), s("prod"))].into()),
            ),
        ]);
        let t = Template::parse("{{.Name}} {{json .Labels}}").expect("parses");
        assert_eq!(t.execute(&v), Ok("myvol {\"env\":\"prod\"}".into()));
    }

    #[test]
    fn unknown_functions_are_refused() {
        assert!(Template::parse("{{foo .Name}}").is_err());
    }
}
