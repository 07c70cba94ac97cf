//! Values as the CLI's Go templates see them: structs (fields in declaration order), maps
//! (sorted keys), slices, with Go's default printing (`%v`) and `encoding/json` output.

use std::collections::BTreeMap;

/// A Go value the CLI formats.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A nil interface or pointer: `<nil>`, JSON `null`.
    Null,
    /// A nil map: `map[]`, JSON `null`.
    NilMap,
    /// A nil slice: `[]`, JSON `null`.
    NilList,
    /// A map key that is not there (`<no value>` when a template prints it).
    Missing,
    Float(f64),
    Bool(bool),
    Int(i64),
    /// A Go `time.Duration` in nanoseconds: `4s` when printed, a number in JSON.
    Duration(i64),
    Str(String),
    List(Vec<Value>),
    Struct(Vec<Field>),
    Map(BTreeMap<String, Value>),
}

/// One struct field; `omit_empty` as the `json:",omitempty"` tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub value: Value,
    pub omit_empty: bool,
}

/// A field that is always in the JSON.
pub fn field(name: &'static str, value: Value) -> Field {
    Field {
        name,
        value,
        omit_empty: false,
    }
}

/// A field left out of the JSON when empty.
pub fn field_omitempty(name: &'static str, value: Value) -> Field {
    Field {
        name,
        value,
        omit_empty: true,
    }
}

/// A string value.
pub fn s(text: impl Into<String>) -> Value {
    Value::Str(text.into())
}

/// A string map, or a nil map when `None`.
pub fn string_map(map: Option<&BTreeMap<String, String>>) -> Value {
    match map {
        None => Value::NilMap,
        Some(m) => Value::Map(layerbox_order::map(
            m.iter().map(|(k, v)| (k.clone(), s(v))),
        )),
    }
}

impl Value {
    /// A struct field or a map key.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(fields) => fields.iter().find(|f| f.name == name).map(|f| &f.value),
            Value::Map(m) => m.get(name),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null | Value::NilMap | Value::NilList | Value::Missing => true,
            Value::Float(f) => *f == 0.0,
            Value::Bool(b) => !b,
            Value::Int(i) | Value::Duration(i) => *i == 0,
            Value::Str(t) => t.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Map(m) => m.is_empty(),
            Value::Struct(_) => false,
        }
    }

    /// The Go type the value stands for, as template errors name it.
    pub fn go_type(&self) -> &'static str {
        match self {
            Value::Null | Value::Missing => "interface {}",
            Value::NilMap | Value::Map(_) => "map[string]string",
            Value::NilList | Value::List(_) => "[]string",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Duration(_) => "time.Duration",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Struct(_) => "struct",
        }
    }

    /// Go's `fmt.Sprint` (`%v`).
    pub fn go_print(&self) -> String {
        match self {
            Value::Null => "<nil>".into(),
            Value::NilMap => "map[]".into(),
            Value::NilList => "[]".into(),
            Value::Missing => "<no value>".into(),
            Value::Float(f) => format_float(*f),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Duration(d) => layerbox_dockerfile::duration::format(*d),
            Value::Str(t) => t.clone(),
            Value::List(l) => format!(
                "[{}]",
                l.iter().map(Value::go_print).collect::<Vec<_>>().join(" ")
            ),
            Value::Struct(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|f| f.value.go_print())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Value::Map(m) => format!(
                "map[{}]",
                m.iter()
                    .map(|(k, v)| format!("{k}:{}", v.go_print()))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        }
    }

    /// `json.Marshal`: compact.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, None, 0);
        out
    }

    /// `json.MarshalIndent` with a four-space indent, as `docker inspect` prints.
    pub fn to_json_indented(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, Some("    "), 0);
        out
    }

    fn write_json(&self, out: &mut String, indent: Option<&str>, level: usize) {
        let newline = |out: &mut String, level: usize| {
            if let Some(ind) = indent {
                out.push('\n');
                for _ in 0..level {
                    out.push_str(ind);
                }
            }
        };
        let colon = if indent.is_some() { ": " } else { ":" };
        match self {
            Value::Null | Value::NilMap | Value::NilList | Value::Missing => out.push_str("null"),
            Value::Float(f) => out.push_str(&format_float(*f)),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Duration(i) => out.push_str(&i.to_string()),
            Value::Str(t) => json_string(out, t),
            Value::List(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level + 1);
                    item.write_json(out, indent, level + 1);
                }
                newline(out, level);
                out.push(']');
            }
            Value::Struct(fields) => {
                let shown: Vec<&Field> = fields
                    .iter()
                    .filter(|f| !(f.omit_empty && f.value.is_empty()))
                    .collect();
                let pairs: Vec<(&str, &Value)> = shown.iter().map(|f| (f.name, &f.value)).collect();
                write_object(out, &pairs, indent, level, colon);
            }
            Value::Map(m) => {
                let pairs: Vec<(&str, &Value)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
                write_object(out, &pairs, indent, level, colon);
            }
        }
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)` for ordinary sizes).
fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

fn write_object(
    out: &mut String,
    pairs: &[(&str, &Value)],
    indent: Option<&str>,
    level: usize,
    colon: &str,
) {
    if pairs.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some(ind) = indent {
            out.push('\n');
            for _ in 0..=level {
                out.push_str(ind);
            }
        }
        json_string(out, k);
        out.push_str(colon);
        v.write_json(out, indent, level + 1);
    }
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(ind);
        }
    }
    out.push('}');
}

/// A JSON string as the CLI's Go encoder writes it (HTML characters not escaped).
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // The CLI's encoders leave `<`, `>` and `&` alone (`SetEscapeHTML(false)` in the
            // templates' json and in docker inspect; recorded: inspect-json-html-characters).
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `strconv.Quote`: a double-quoted string with Go's escapes (`\n`, `\t`, `\x1b`,
/// `\u0085`), as the CLI quotes a command in `docker ps` and the builder's JSON-form lists.
pub fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount() -> Value {
        Value::Struct(vec![
            field("Type", s("bind")),
            field_omitempty("Name", s("")),
            field("Source", s("/home/user")),
            field("Destination", s("/host")),
            field_omitempty("Driver", s("")),
            field("Mode", s("ro")),
            field("RW", Value::Bool(false)),
            field("Propagation", s("rprivate")),
        ])
    }

    #[test]
    fn structs_print_every_field_and_json_omits_empty_ones() {
        let v = Value::List(vec![mount()]);
        assert_eq!(
            v.go_print(),
            "[{bind  /home/user /host  ro false rprivate}]"
        );
        assert_eq!(
            v.to_json(),
            r#"[{"Type":"bind","Source":"/home/user","Destination":"/host","Mode":"ro","RW":false,"Propagation":"rprivate"}]"#
        );
    }

    #[test]
    fn indented_json_uses_four_spaces() {
        let v = Value::List(vec![Value::Struct(vec![
            field("Labels", Value::NilMap),
            field("Name", s("v")),
        ])]);
        assert_eq!(
            v.to_json_indented(),
            "[\n    {\n        \"Labels\": null,\n        \"Name\": \"v\"\n    }\n]"
        );
    }
}
