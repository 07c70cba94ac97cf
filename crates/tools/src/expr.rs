//! `expr`: integer arithmetic, comparisons, `|` and `&`, string functions (`length`,
//! `substr`, `index`, `match`) and `:` (an anchored basic regex) over its arguments, with the
//! exit status telling whether the result is null or zero (1) or the expression is wrong (2).
//! GNU computes with numbers of any size (here, 128 bits); BusyBox with 64-bit integers.

use crate::cli::{quote, usage_error};
use crate::regex::{Budget, Options, Regex, Search};
use crate::{Ctx, Output};

#[derive(Debug, Clone)]
enum Val {
    Int(i128),
    Str(String),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Str(s) => s.clone(),
        }
    }

    /// Null: the empty string or a zero.
    fn null(&self) -> bool {
        match self {
            Val::Int(n) => *n == 0,
            Val::Str(s) => s.is_empty() || as_int(s).is_some_and(|n| n == 0),
        }
    }
}

/// An integer as `expr` reads one: an optional `-`, then digits only.
fn as_int(s: &str) -> Option<i128> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Why an expression failed: GNU's and BusyBox's words.
struct Fail(String);

struct Eval<'a, 'c> {
    args: &'a [String],
    pos: usize,
    gnu: bool,
    ctx: &'a Ctx<'c>,
    search: Search,
    depth: usize,
}

pub fn expr(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let args: &[String] = if args.first().is_some_and(|a| a == "--") {
        &args[1..]
    } else {
        args
    };
    if args.is_empty() {
        if gnu {
            return usage_error(ctx, prog, Some("missing operand"), 2);
        }
        let mut o = Output::default();
        o.fail(prog, "too few arguments", 2);
        return o;
    }
    let mut e = Eval {
        args,
        pos: 0,
        gnu,
        ctx,
        search: Search::new(Budget::new(20_000_000)),
        depth: 0,
    };
    let result = e.or().and_then(|v| {
        if e.pos < e.args.len() {
            Err(e.syntax_unexpected())
        } else {
            Ok(v)
        }
    });
    let mut o = Output::default();
    match result {
        Ok(v) => {
            o.out(format!("{}\n", v.text()));
            o.code = i32::from(v.null());
        }
        Err(Fail(m)) => o.fail(prog, m, 2),
    }
    o
}

impl Eval<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn syntax(&self) -> Fail {
        if !self.gnu {
            return Fail("syntax error".into());
        }
        match self.pos.checked_sub(1).and_then(|p| self.args.get(p)) {
            Some(prev) => Fail(format!(
                "syntax error: missing argument after {}",
                quote(self.ctx, prev)
            )),
            None => Fail("syntax error".into()),
        }
    }

    fn syntax_unexpected(&self) -> Fail {
        if !self.gnu {
            return Fail("syntax error".into());
        }
        Fail(format!(
            "syntax error: unexpected argument {}",
            quote(self.ctx, self.peek().unwrap_or(""))
        ))
    }

    fn int(&self, v: &Val) -> Result<i128, Fail> {
        let n = match v {
            Val::Int(n) => Some(*n),
            Val::Str(s) => as_int(s),
        };
        let Some(n) = n else {
            return Err(Fail(if self.gnu {
                "non-integer argument".into()
            } else {
                "non-numeric argument".into()
            }));
        };
        Ok(if self.gnu {
            n
        } else {
            // BusyBox reads with `strtoll`, which stops at the 64-bit limits.
            n.clamp(i128::from(i64::MIN), i128::from(i64::MAX))
        })
    }

    fn fit(&self, n: Option<i128>) -> Result<Val, Fail> {
        match n {
            Some(n) if self.gnu => Ok(Val::Int(n)),
            // BusyBox's 64-bit arithmetic wraps.
            Some(n) => Ok(Val::Int(i128::from(n as i64))),
            None => Err(Fail("layerbox: number too large (layerbox limit)".into())),
        }
    }

    fn or(&mut self) -> Result<Val, Fail> {
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.pos += 1;
            let r = self.and()?;
            l = if !l.null() {
                l
            } else if !r.null() {
                r
            } else {
                Val::Int(0)
            };
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Val, Fail> {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.pos += 1;
            let r = self.cmp()?;
            l = if l.null() || r.null() { Val::Int(0) } else { l };
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<Val, Fail> {
        let mut l = self.add()?;
        while let Some(op) = self
            .peek()
            .filter(|o| matches!(*o, "<" | "<=" | "=" | "==" | "!=" | ">=" | ">"))
        {
            let op = op.to_string();
            self.pos += 1;
            let r = self.add()?;
            let ord = match (as_int(&l.text()), as_int(&r.text())) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.text().cmp(&r.text()),
            };
            let t = match op.as_str() {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                ">=" => ord.is_ge(),
                _ => ord.is_gt(),
            };
            l = Val::Int(i128::from(t));
        }
        Ok(l)
    }

    fn add(&mut self) -> Result<Val, Fail> {
        let mut l = self.mul()?;
        while let Some(op) = self.peek().filter(|o| matches!(*o, "+" | "-")) {
            let plus = op == "+";
            self.pos += 1;
            let r = self.mul()?;
            let (a, b) = (self.int(&l)?, self.int(&r)?);
            l = self.fit(if plus {
                a.checked_add(b)
            } else {
                a.checked_sub(b)
            })?;
        }
        Ok(l)
    }

    fn mul(&mut self) -> Result<Val, Fail> {
        let mut l = self.colon()?;
        while let Some(op) = self.peek().filter(|o| matches!(*o, "*" | "/" | "%")) {
            let op = op.to_string();
            self.pos += 1;
            let r = self.colon()?;
            let (a, b) = (self.int(&l)?, self.int(&r)?);
            if op != "*" && b == 0 {
                return Err(Fail("division by zero".into()));
            }
            l = self.fit(match op.as_str() {
                "*" => a.checked_mul(b),
                "/" => a.checked_div(b),
                _ => a.checked_rem(b),
            })?;
        }
        Ok(l)
    }

    fn colon(&mut self) -> Result<Val, Fail> {
        let mut l = self.unary()?;
        while self.peek() == Some(":") {
            self.pos += 1;
            let r = self.unary()?;
            l = self.matches(&l.text(), &r.text())?;
        }
        Ok(l)
    }

    /// `STRING : REGEX`: anchored at the start; `\1` if the pattern has a group, else the
    /// length of the match.
    fn matches(&mut self, s: &str, pattern: &str) -> Result<Val, Fail> {
        let o = Options {
            gnu: self.gnu,
            ..Options::default()
        };
        let re = match Regex::new(pattern, o) {
            Ok((re, _)) => re,
            Err(e) => return Err(Fail(e.message().to_string())),
        };
        let m = re
            .captures(s.as_bytes(), 0, None, false, &mut self.search)
            .map_err(|_| Fail("layerbox: pattern too costly (layerbox limit)".into()))?;
        let whole = m
            .as_ref()
            .and_then(|sp| sp.first().copied().flatten())
            .filter(|(a, _)| *a == 0);
        if re.groups() > 0 {
            let g = whole
                .and(m.as_ref())
                .and_then(|sp| sp.get(1).copied().flatten());
            return Ok(Val::Str(match g {
                Some((a, b)) => s.get(a..b).unwrap_or("").to_string(),
                None => String::new(),
            }));
        }
        Ok(Val::Int(match whole {
            Some((_, b)) => {
                let text = s.get(..b).unwrap_or("");
                if self.gnu {
                    text.chars().count() as i128
                } else {
                    text.len() as i128
                }
            }
            None => 0,
        }))
    }

    fn len(&self, s: &str) -> usize {
        if self.gnu {
            s.chars().count()
        } else {
            s.len()
        }
    }

    fn unary(&mut self) -> Result<Val, Fail> {
        self.depth += 1;
        if self.depth > 1000 {
            return Err(Fail(
                "layerbox: expression too deep (layerbox limit)".into(),
            ));
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<Val, Fail> {
        let Some(tok) = self.peek().map(str::to_string) else {
            return Err(self.syntax());
        };
        let more = self.pos + 1 < self.args.len();
        if self.gnu && !more && matches!(tok.as_str(), "length" | "match" | "substr" | "index") {
            self.pos += 1;
            return Err(self.syntax());
        }
        match tok.as_str() {
            "+" if self.gnu && more => {
                self.pos += 1;
                let t = self.args[self.pos].clone();
                self.pos += 1;
                Ok(Val::Str(t))
            }
            "length" if more || !self.gnu => {
                self.pos += 1;
                let v = self.unary()?;
                Ok(Val::Int(self.len(&v.text()) as i128))
            }
            "match" if more || !self.gnu => {
                self.pos += 1;
                let s = self.unary()?;
                let p = self.unary()?;
                self.matches(&s.text(), &p.text())
            }
            "substr" if more || !self.gnu => {
                self.pos += 1;
                let s = self.unary()?.text();
                let p = self.unary()?;
                let l = self.unary()?;
                let chars: Vec<char> = if self.gnu {
                    s.chars().collect()
                } else {
                    s.bytes().map(char::from).collect()
                };
                let (p, l) = (
                    as_int(&p.text()).unwrap_or(0),
                    as_int(&l.text()).unwrap_or(0),
                );
                if p < 1 || l < 1 || p as usize > chars.len() {
                    return Ok(Val::Str(String::new()));
                }
                let from = p as usize - 1;
                let to = (from as i128 + l).min(chars.len() as i128) as usize;
                let piece: Vec<char> = chars[from..to].to_vec();
                Ok(Val::Str(if self.gnu {
                    piece.into_iter().collect()
                } else {
                    let b: Vec<u8> = piece.into_iter().map(|c| c as u8).collect();
                    String::from_utf8_lossy(&b).into_owned()
                }))
            }
            "index" if more || !self.gnu => {
                self.pos += 1;
                let s = self.unary()?.text();
                let set = self.unary()?.text();
                let at = s.chars().position(|c| set.contains(c)).map_or(0, |i| i + 1);
                Ok(Val::Int(at as i128))
            }
            "(" => {
                self.pos += 1;
                let v = self.or()?;
                if self.peek() != Some(")") {
                    if !self.gnu {
                        return Err(Fail("syntax error".into()));
                    }
                    return Err(Fail(match self.peek() {
                        Some(t) => format!(
                            "syntax error: expecting ')' instead of {}",
                            quote(self.ctx, t)
                        ),
                        None => format!(
                            "syntax error: expecting ')' after {}",
                            quote(self.ctx, &self.args[self.pos - 1])
                        ),
                    }));
                }
                self.pos += 1;
                Ok(v)
            }
            "|" | "&" | "<" | "<=" | "=" | "==" | "!=" | ">=" | ">" | "+" | "-" | "*" | "/"
            | "%" | ":" | ")"
                if !self.gnu =>
            {
                Err(Fail("syntax error".into()))
            }
            _ => {
                self.pos += 1;
                Ok(match as_int(&tok) {
                    Some(n) if !self.gnu => {
                        Val::Int(n.clamp(i128::from(i64::MIN), i128::from(i64::MAX)))
                    }
                    _ => Val::Str(tok),
                })
            }
        }
    }
}
