//! `$((...))`: integer arithmetic with variables, the usual C operators and precedence.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    Syntax,
    DivideByZero,
}

impl ArithError {
    /// BusyBox ash's wording.
    pub fn ash(self) -> &'static str {
        match self {
            ArithError::Syntax => "arithmetic syntax error",
            ArithError::DivideByZero => "divide by zero",
        }
    }

    /// Bash's wording, after `EXPR: `.
    pub fn bash(self) -> &'static str {
        match self {
            ArithError::Syntax => "syntax error: operand expected",
            ArithError::DivideByZero => "division by 0",
        }
    }
}

/// Evaluate `text`; `name=expr` assignments are not supported, names read variables (unset or
/// empty is 0).
pub fn eval(text: &str, env: &mut BTreeMap<String, String>) -> Result<i64, ArithError> {
    let toks = tokenize(text)?;
    let mut p = P {
        toks,
        i: 0,
        env,
        depth: 0,
    };
    if p.toks.is_empty() {
        return Ok(0);
    }
    let v = p.binary(0)?;
    if p.i != p.toks.len() {
        return Err(ArithError::Syntax);
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: [&str; 20] = [
    "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+", "-", "*", "/", "%", "(", ")", "<", ">",
    "!", "&", "|",
];

fn tokenize(text: &str) -> Result<Vec<T>, ArithError> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(T::Num(number(&s).ok_or(ArithError::Syntax)?));
        } else if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(T::Name(chars[start..i].iter().collect()));
        } else {
            let op = OPS
                .iter()
                .find(|op| {
                    op.chars()
                        .enumerate()
                        .all(|(k, o)| chars.get(i + k) == Some(&o))
                })
                .ok_or(ArithError::Syntax)?;
            i += op.len();
            out.push(T::Op(op));
        }
    }
    Ok(out)
}

fn number(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        i64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

struct P<'e> {
    toks: Vec<T>,
    i: usize,
    env: &'e mut BTreeMap<String, String>,
    depth: usize,
}

fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "&" => 4,
        "==" | "!=" => 5,
        "<" | ">" | "<=" | ">=" => 6,
        "<<" | ">>" => 7,
        "+" | "-" => 8,
        "*" | "/" | "%" => 9,
        _ => return None,
    })
}

impl P<'_> {
    fn binary(&mut self, min: u8) -> Result<i64, ArithError> {
        let mut lhs = self.unary()?;
        while let Some(T::Op(op)) = self.toks.get(self.i) {
            let op = *op;
            let Some(p) = prec(op).filter(|p| *p > min) else {
                break;
            };
            self.i += 1;
            let rhs = self.binary(p)?;
            lhs = apply(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(ArithError::Syntax);
        }
        let tok = self.toks.get(self.i).cloned().ok_or(ArithError::Syntax)?;
        self.i += 1;
        let v = match tok {
            T::Num(n) => n,
            T::Name(name) => {
                let v = self.env.get(&name).cloned().unwrap_or_default();
                if v.trim().is_empty() {
                    0
                } else {
                    number(v.trim()).ok_or(ArithError::Syntax)?
                }
            }
            T::Op("-") => self.unary()?.wrapping_neg(),
            T::Op("+") => self.unary()?,
            T::Op("!") => i64::from(self.unary()? == 0),
            T::Op("(") => {
                let v = self.binary(0)?;
                if self.toks.get(self.i) != Some(&T::Op(")")) {
                    return Err(ArithError::Syntax);
                }
                self.i += 1;
                v
            }
            T::Op(_) => return Err(ArithError::Syntax),
        };
        self.depth -= 1;
        Ok(v)
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, ArithError> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err(ArithError::DivideByZero),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&&" => i64::from(a != 0 && b != 0),
        "||" => i64::from(a != 0 || b != 0),
        "&" => a & b,
        "|" => a | b,
        _ => return Err(ArithError::Syntax),
    })
}
