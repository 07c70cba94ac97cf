//! The functions a template can call, Go's builtins and the docker CLI's, as one table
//! ([`FUNCS`]: name, arity, body) that the parser checks names against and the executor calls
//! through; and Go's `truth`, `fmt.Sprint` and `fmt.Sprintf` that they print and test with.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::formatter::value::{s, Value};
use Arity::{AtLeast, Exact};

/// How many arguments a function takes, as Go checks them before the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arity {
    /// Exactly this many.
    Exact(usize),
    /// A variadic function: at least this many.
    AtLeast(usize),
}

impl Arity {
    /// Go's `wrong number of args` when `got` arguments do not fit.
    pub(super) fn check(self, name: &str, got: usize) -> Result<(), String> {
        match self {
            Arity::Exact(n) if got != n => Err(format!(
                "wrong number of args for {name}: want {n} got {got}"
            )),
            Arity::AtLeast(n) if got < n => Err(format!(
                "wrong number of args for {name}: want at least {n} got {got}"
            )),
            _ => Ok(()),
        }
    }
}

/// Where a function comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// Go's `text/template` builtins.
    Go,
    /// The docker CLI's own (`templates.basicFunctions`); a table's header row passes their
    /// first argument through, as the CLI's `HeaderFunctions` do.
    Cli,
}

/// The Go type of a function's first parameter, checked at the argument itself before the call
/// (Go's `evalArg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Param {
    Any,
    /// `[]string`: a string, number, bool or map is refused where it is written.
    Strings,
}

impl Param {
    /// Go's wording for an argument `v` this parameter refuses.
    pub(super) fn check(self, v: &Value) -> Result<(), String> {
        match (self, v) {
            (Param::Strings, Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::Map(_)) => {
                Err(format!(
                    "wrong type for value; expected []string; got {}",
                    v.go_type()
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Why a call failed; the executor adds where.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Failure {
    /// The function returned an error: Go prints `error calling NAME: ...`.
    Returned(String),
    /// An argument of the wrong type, printed as it is.
    Arg(String),
    /// The call would build more than [`Options::room`] bytes: the template is stopped.
    TooMuch,
}

/// What a function may know of the run that calls it.
pub(super) struct Options {
    /// `json` of a struct lists its fields sorted (a list formatter's context).
    pub(super) sorted_json: bool,
    /// How many bytes the call may build beyond its arguments (what is left of the
    /// execution's work budget): a width, a count or a separator that would pass it stops the
    /// template before anything is allocated.
    pub(super) room: usize,
}

/// A function's body. The executor checks [`Func::arity`] first, so a body indexes its
/// arguments up to the arity without looking.
pub(super) type Body = fn(&[Value], &Options) -> Result<Value, Failure>;

/// One template function.
pub(super) struct Func {
    pub(super) name: &'static str,
    pub(super) arity: Arity,
    pub(super) origin: Origin,
    pub(super) first: Param,
    pub(super) body: Body,
}

const fn go(name: &'static str, arity: Arity, body: Body) -> Func {
    Func {
        name,
        arity,
        origin: Origin::Go,
        first: Param::Any,
        body,
    }
}

const fn cli(name: &'static str, arity: Arity, body: Body) -> Func {
    Func {
        origin: Origin::Cli,
        ..go(name, arity, body)
    }
}

/// Every function a template can call: the one place to add one.
pub(super) const FUNCS: &[Func] = &[
    go("and", AtLeast(1), and),
    go("or", AtLeast(1), or),
    go("not", Exact(1), not),
    go("len", Exact(1), len),
    go("index", AtLeast(1), index),
    go("print", AtLeast(0), print),
    go("printf", AtLeast(1), printf),
    go("println", AtLeast(0), println),
    // Emulation note: Go's `eq` takes one or more and answers one alone with "missing argument
    // for comparison"; this model asks for two in the arity's wording (see `eq`).
    go("eq", AtLeast(0), eq),
    go("ne", Exact(2), ne),
    go("lt", Exact(2), lt),
    go("le", Exact(2), le),
    go("gt", Exact(2), gt),
    go("ge", Exact(2), ge),
    cli("json", Exact(1), json),
    cli("split", Exact(2), split),
    Func {
        first: Param::Strings,
        ..cli("join", Exact(2), join)
    },
    cli("title", Exact(1), title),
    cli("lower", Exact(1), lower),
    cli("upper", Exact(1), upper),
    cli("pad", Exact(3), pad),
    cli("truncate", Exact(2), truncate),
];

/// The function called `name`.
pub(super) fn lookup(name: &str) -> Option<&'static Func> {
    FUNCS.iter().find(|f| f.name == name)
}

/// Go's truth: false, 0, nil, and empty strings, slices and maps are false.
pub(super) fn truth(v: &Value) -> bool {
    match v {
        Value::Null | Value::NilMap | Value::NilList => false,
        Value::Bool(b) => *b,
        Value::Int(i) | Value::Duration(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(t) => !t.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        Value::Struct(_) => true,
        Value::Missing => false,
    }
}

fn returned(msg: impl Into<String>) -> Failure {
    Failure::Returned(msg.into())
}

fn and(args: &[Value], _: &Options) -> Result<Value, Failure> {
    let first_false = args.iter().find(|a| !truth(a));
    Ok(first_false.or(args.last()).cloned().unwrap_or(Value::Null))
}

fn or(args: &[Value], _: &Options) -> Result<Value, Failure> {
    let first_true = args.iter().find(|a| truth(a));
    Ok(first_true.or(args.last()).cloned().unwrap_or(Value::Null))
}

fn not(args: &[Value], _: &Options) -> Result<Value, Failure> {
    Ok(Value::Bool(!truth(&args[0])))
}

fn len(args: &[Value], _: &Options) -> Result<Value, Failure> {
    Ok(match &args[0] {
        Value::Str(t) => Value::Int(t.len() as i64),
        Value::List(l) => Value::Int(l.len() as i64),
        Value::Map(m) => Value::Int(m.len() as i64),
        Value::NilList | Value::NilMap => Value::Int(0),
        other => return Err(returned(format!("len of type {}", other.go_type()))),
    })
}

fn index(args: &[Value], _: &Options) -> Result<Value, Failure> {
    let mut v = args[0].clone();
    for key in &args[1..] {
        v = match (&v, key) {
            (Value::List(l), Value::Int(i)) => {
                match usize::try_from(*i).ok().and_then(|i| l.get(i)) {
                    Some(x) => x.clone(),
                    None => return Err(returned(format!("index out of range: {i}"))),
                }
            }
            (Value::Str(text), Value::Int(i)) => {
                match usize::try_from(*i)
                    .ok()
                    .and_then(|i| text.as_bytes().get(i))
                {
                    Some(b) => Value::Int(i64::from(*b)),
                    None => return Err(returned(format!("index out of range: {i}"))),
                }
            }
            (Value::NilList, Value::Int(i)) => {
                return Err(returned(format!("index out of range: {i}")))
            }
            (Value::Map(m), Value::Str(k)) => m.get(k).cloned().unwrap_or_else(|| zero_of(m)),
            (Value::NilMap, Value::Str(_)) => Value::Str(String::new()),
            (Value::Null | Value::Missing, _) => return Err(returned("index of untyped nil")),
            (other, _) => {
                return Err(returned(format!(
                    "can't index item of type {}",
                    other.go_type()
                )))
            }
        };
    }
    Ok(v)
}

/// The zero value of a map's element type, guessed from its first value.
fn zero_of(m: &BTreeMap<String, Value>) -> Value {
    match m.values().next() {
        Some(Value::Str(_)) | None => Value::Str(String::new()),
        Some(Value::Int(_)) => Value::Int(0),
        Some(Value::Bool(_)) => Value::Bool(false),
        _ => Value::Null,
    }
}

fn print(args: &[Value], _: &Options) -> Result<Value, Failure> {
    Ok(Value::Str(sprint(args)))
}

fn println(args: &[Value], _: &Options) -> Result<Value, Failure> {
    let mut t = args
        .iter()
        .map(Value::go_print)
        .collect::<Vec<_>>()
        .join(" ");
    t.push('\n');
    Ok(Value::Str(t))
}

fn printf(args: &[Value], options: &Options) -> Result<Value, Failure> {
    let Value::Str(f) = &args[0] else {
        return Err(Failure::Arg("wrong type for value; expected string".into()));
    };
    sprintf(f, &args[1..], options.room).map(Value::Str)
}

fn eq(args: &[Value], _: &Options) -> Result<Value, Failure> {
    if args.len() <= 2 {
        Exact(2).check("eq", args.len()).map_err(Failure::Arg)?;
        return comparison(args, false, |o| o == Ordering::Equal);
    }
    let mut any = false;
    for other in &args[1..] {
        let ord = compare(&args[0], other)
            .ok_or_else(|| returned("incompatible types for comparison"))?;
        any |= ord == Ordering::Equal;
    }
    Ok(Value::Bool(any))
}

fn ne(args: &[Value], _: &Options) -> Result<Value, Failure> {
    comparison(args, false, |o| o != Ordering::Equal)
}

fn lt(args: &[Value], _: &Options) -> Result<Value, Failure> {
    comparison(args, true, |o| o == Ordering::Less)
}

fn le(args: &[Value], _: &Options) -> Result<Value, Failure> {
    comparison(args, true, |o| o != Ordering::Greater)
}

fn gt(args: &[Value], _: &Options) -> Result<Value, Failure> {
    comparison(args, true, |o| o == Ordering::Greater)
}

fn ge(args: &[Value], _: &Options) -> Result<Value, Failure> {
    comparison(args, true, |o| o != Ordering::Less)
}

/// Two arguments compared: different basic kinds are incompatible; ordering (`ordered`) bools is
/// invalid.
fn comparison(
    args: &[Value],
    ordered: bool,
    holds: fn(Ordering) -> bool,
) -> Result<Value, Failure> {
    let ord =
        compare(&args[0], &args[1]).ok_or_else(|| returned("incompatible types for comparison"))?;
    if ordered && matches!(args[0], Value::Bool(_)) {
        return Err(returned("invalid type for comparison"));
    }
    Ok(Value::Bool(holds(ord)))
}

fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Int(y)) | (Value::Duration(x), Value::Duration(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) if x == y => Some(Ordering::Equal),
        (Value::Bool(_), Value::Bool(_)) => Some(Ordering::Less),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        _ => None,
    }
}

fn json(args: &[Value], options: &Options) -> Result<Value, Failure> {
    Ok(match &args[0] {
        Value::Struct(fields) if options.sorted_json => Value::Str(
            Value::Map(layerbox_order::map(
                fields.iter().map(|f| (f.name.to_string(), f.value.clone())),
            ))
            .to_json(),
        ),
        other => Value::Str(other.to_json()),
    })
}

fn split(args: &[Value], options: &Options) -> Result<Value, Failure> {
    let text = args[0].go_print();
    let sep = args[1].go_print();
    let count = if sep.is_empty() {
        text.chars().count()
    } else {
        text.matches(sep.as_str()).count() + 1
    };
    if count.saturating_mul(std::mem::size_of::<Value>()) > options.room {
        return Err(Failure::TooMuch);
    }
    let parts: Vec<Value> = if sep.is_empty() {
        text.chars().map(|c| Value::Str(c.to_string())).collect()
    } else {
        text.split(sep.as_str()).map(s).collect()
    };
    Ok(Value::List(parts))
}

fn join(args: &[Value], options: &Options) -> Result<Value, Failure> {
    let sep = args[1].go_print();
    match &args[0] {
        Value::List(l) if l.len().saturating_mul(sep.len()) > options.room => Err(Failure::TooMuch),
        Value::List(l) => Ok(Value::Str(
            l.iter().map(Value::go_print).collect::<Vec<_>>().join(&sep),
        )),
        Value::NilList => Ok(Value::Str(String::new())),
        other => Err(Failure::Arg(format!(
            "wrong type for value; expected []string; got {}",
            other.go_type()
        ))),
    }
}

fn title(args: &[Value], _: &Options) -> Result<Value, Failure> {
    let mut out = String::new();
    let mut prev_letter = false;
    for c in args[0].go_print().chars() {
        if !prev_letter {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    Ok(Value::Str(out))
}

fn lower(args: &[Value], _: &Options) -> Result<Value, Failure> {
    Ok(Value::Str(args[0].go_print().to_lowercase()))
}

fn upper(args: &[Value], _: &Options) -> Result<Value, Failure> {
    Ok(Value::Str(args[0].go_print().to_uppercase()))
}

fn pad(args: &[Value], options: &Options) -> Result<Value, Failure> {
    let (Value::Int(l), Value::Int(r)) = (&args[1], &args[2]) else {
        return Err(Failure::Arg("wrong type for value; expected int".into()));
    };
    // `strings.Repeat` panics on a negative count; the template reports the panic.
    let (Ok(l), Ok(r)) = (usize::try_from(*l), usize::try_from(*r)) else {
        return Err(returned("strings: negative Repeat count"));
    };
    if l.saturating_add(r) > options.room {
        return Err(Failure::TooMuch);
    }
    Ok(Value::Str(format!(
        "{}{}{}",
        " ".repeat(l),
        args[0].go_print(),
        " ".repeat(r)
    )))
}

fn truncate(args: &[Value], _: &Options) -> Result<Value, Failure> {
    let t = args[0].go_print();
    let Value::Int(n) = args[1] else {
        return Err(Failure::Arg("wrong type for value; expected int".into()));
    };
    let n = usize::try_from(n).unwrap_or(0);
    Ok(Value::Str(if t.chars().count() > n {
        t.chars().take(n).collect()
    } else {
        t
    }))
}

/// `fmt.Sprint`: a space between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = matches!(a, Value::Str(_));
        if i > 0 && !is_str && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&a.go_print());
    }
    out
}

/// Go's `fmt` refuses a width or a `*` argument beyond a million (`tooLarge`).
const MAX_WIDTH: usize = 1_000_000;

/// `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %t %x %%` with a width (digits or
/// `*` from the arguments) and `-`, `0`, `+`; a width that would pass `room` bytes of padding
/// stops the template (`Failure::TooMuch`) before anything is allocated.
fn sprintf(format: &str, args: &[Value], room: usize) -> Result<String, Failure> {
    let mut padded = 0usize;
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
        if chars.peek() == Some(&'*') {
            chars.next();
            match args.get(next) {
                Some(Value::Int(w)) if w.unsigned_abs() <= MAX_WIDTH as u64 => {
                    width = w.unsigned_abs() as usize;
                    if *w < 0 {
                        left = true;
                        zero = false;
                    }
                    next += 1;
                }
                Some(_) => {
                    next += 1;
                    out.push_str("%!(BADWIDTH)");
                }
                None => out.push_str("%!(BADWIDTH)"),
            }
        } else {
            let mut overflow = false;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                if width > MAX_WIDTH {
                    // Go gives up on the rest of the format: "crazy long number".
                    overflow = true;
                    break;
                }
                width = width * 10 + d as usize;
                chars.next();
            }
            if overflow {
                out.push_str("%!(NOVERB)");
                break;
            }
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
            ('s' | 'v', v) => v.go_print(),
            ('q', Value::Str(t)) => Value::Str(t.clone()).to_json(),
            ('t', Value::Bool(b)) => b.to_string(),
            (verb, v) => format!("%!{verb}({}={})", v.go_type(), v.go_print()),
        };
        let n = text.chars().count();
        if n < width {
            let pad = width - n;
            padded = padded.saturating_add(pad);
            if padded > room {
                return Err(Failure::TooMuch);
            }
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
                .map(|a| format!("{}={}", a.go_type(), a.go_print()))
                .collect::<Vec<_>>()
                .join(", "),
        );
        out.push(')');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value]) -> Result<Value, Failure> {
        let f = lookup(name).expect("a function of the table");
        f.arity.check(name, args.len()).map_err(Failure::Arg)?;
        (f.body)(
            args,
            &Options {
                sorted_json: false,
                room: 1 << 20,
            },
        )
    }

    fn text(v: Result<Value, Failure>) -> String {
        v.map(|v| v.go_print()).unwrap_or_else(|f| format!("{f:?}"))
    }

    #[test]
    fn every_name_is_in_the_table_once() {
        for f in FUNCS {
            assert_eq!(FUNCS.iter().filter(|g| g.name == f.name).count(), 1);
        }
    }

    #[test]
    fn functions_compute_as_go_and_the_cli_do() {
        let list = Value::List(vec![s("x"), s("y")]);
        let cases = [
            (
                "printf",
                vec![s("%s-%3d|%-3s|"), s("myvol"), Value::Int(7), s("a")],
                "myvol-  7|a  |",
            ),
            ("len", vec![list.clone()], "2"),
            ("index", vec![list.clone(), Value::Int(1)], "y"),
            ("join", vec![list.clone(), s(",")], "x,y"),
            ("title", vec![s("hello world")], "Hello World"),
            ("split", vec![s("a,b"), s(",")], "[a b]"),
            ("upper", vec![s("x")], "X"),
            ("eq", vec![s("myvol"), s("myvol")], "true"),
            ("eq", vec![s("a"), s("b"), s("a")], "true"),
            ("and", vec![s("myvol"), Value::Bool(true)], "true"),
        ];
        for (name, args, want) in cases {
            assert_eq!(text(call(name, &args)), want, "{name}");
        }
    }

    #[test]
    fn arity_and_argument_errors_use_gos_wording() {
        assert_eq!(
            call("not", &[]),
            Err(Failure::Arg(
                "wrong number of args for not: want 1 got 0".into()
            ))
        );
        assert_eq!(
            call("index", &[]),
            Err(Failure::Arg(
                "wrong number of args for index: want at least 1 got 0".into()
            ))
        );
        assert_eq!(
            call("eq", &[Value::Int(1)]),
            Err(Failure::Arg(
                "wrong number of args for eq: want 2 got 1".into()
            ))
        );
        assert_eq!(
            call("lt", &[Value::Bool(true), Value::Bool(false)]),
            Err(Failure::Returned("invalid type for comparison".into()))
        );
        assert_eq!(
            Param::Strings.check(&s("a")),
            Err("wrong type for value; expected []string; got string".into())
        );
    }
}
