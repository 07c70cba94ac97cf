//! awk's built-in functions (`length substr index split sub gsub match sprintf tolower toupper
//! int sqrt exp log sin cos atan2 rand srand system close fflush` and BusyBox's bitwise ones) and
//! `getline`, over the interpreter's state.

use super::*;

impl Interp<'_, '_, '_> {
    pub(super) fn builtin(&mut self, name: &str, args: &[Expr]) -> R<Val> {
        let n = args.len();
        let need = |min: usize, max: usize| -> R<()> {
            if n < min {
                Err(Jump::Fatal("Too few arguments".into()))
            } else if n > max {
                Err(Jump::Fatal("Too many arguments".into()))
            } else {
                Ok(())
            }
        };
        match name {
            "length" => {
                need(0, 1)?;
                if let Some(Expr::Var(v)) = args.first() {
                    if let Cell::Arr(a) = self.cell(*v) {
                        let len = a.borrow().len();
                        return Ok(Val::Num(len as f64));
                    }
                }
                let s = if n == 0 {
                    self.record.clone()
                } else {
                    self.arg_str(args, 0)?
                };
                Ok(Val::Num(s.len() as f64))
            }
            "substr" => {
                need(2, 3)?;
                let s = self.arg_str(args, 0)?;
                let l = s.len() as i64;
                let mut i = (self.arg(args, 1)?.num() - 1.0) as i64;
                i = i.clamp(0, l);
                let mut k = if n > 2 {
                    self.arg(args, 2)?.num() as i64
                } else {
                    l - i
                };
                k = k.clamp(0, l - i);
                let b = &s.as_bytes()[i as usize..(i + k) as usize];
                Ok(Val::Str(String::from_utf8_lossy(b).into_owned()))
            }
            "index" => {
                need(2, 2)?;
                let s = self.arg_str(args, 0)?;
                let t = self.arg_str(args, 1)?;
                self.step(1 + (s.len() / 256) as u64)?;
                // BusyBox finds the empty string nowhere.
                let at = if t.is_empty() {
                    0
                } else {
                    s.find(&t).map_or(0, |p| p + 1)
                };
                Ok(Val::Num(at as f64))
            }
            "split" => {
                need(2, 3)?;
                let s = self.arg_str(args, 0)?;
                let Some(Expr::Var(v)) = args.get(1) else {
                    return Err(Jump::Fatal("Not an array".into()));
                };
                let parts = if n > 2 {
                    match &args[2] {
                        Expr::Regex(r) => {
                            let r = r.clone();
                            self.split_regex(&s, &r)?
                        }
                        e => {
                            let v = self.eval(e)?;
                            let fs = self.to_str(&v);
                            self.split_by(&s, &fs)?
                        }
                    }
                } else {
                    let fs = self.gstr(FS);
                    self.split_by(&s, &fs)?
                };
                self.step(parts.len() as u64)?;
                let a = self.array(*v)?;
                let mut a = a.borrow_mut();
                a.clear();
                for (i, p) in parts.iter().enumerate() {
                    *a.entry(&(i + 1).to_string()).0 = Val::StrNum(p.clone());
                }
                Ok(Val::Num(parts.len() as f64))
            }
            "sub" | "gsub" => {
                need(2, 3)?;
                self.substitute(name == "gsub", args)
            }
            "gensub" => {
                need(3, 4)?;
                let re = self.regex_of(&args[0])?;
                let repl = self.arg_str(args, 1)?;
                // BusyBox reads `how` as a number: "g" (or anything not numeric) is 0, all.
                let how = self.arg(args, 2)?.num();
                let src = if n > 3 {
                    self.arg_str(args, 3)?
                } else {
                    self.record.clone()
                };
                let nth = if how.is_nan() { 0 } else { how as i64 };
                let (new, _) = self.awk_sub(&re, &repl, nth, &src, true)?;
                Ok(Val::Str(new))
            }
            "match" => {
                need(2, 2)?;
                let s = self.arg_str(args, 0)?;
                let re = self.regex_of(&args[1])?;
                let (start, len) = match self.find(&re, s.as_bytes(), 0)? {
                    Some((a, b)) => (a as f64 + 1.0, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.set_global_num(RSTART, start);
                self.set_global_num(RLENGTH, len);
                Ok(Val::Num(start))
            }
            "sprintf" => {
                if n == 0 {
                    return Err(Jump::Fatal("Too few arguments".into()));
                }
                Ok(Val::Str(self.sprintf(args)?))
            }
            "tolower" => {
                need(1, 1)?;
                Ok(Val::Str(self.arg_str(args, 0)?.to_ascii_lowercase()))
            }
            "toupper" => {
                need(1, 1)?;
                Ok(Val::Str(self.arg_str(args, 0)?.to_ascii_uppercase()))
            }
            "int" => {
                need(1, 1)?;
                Ok(Val::Num(self.arg(args, 0)?.num().trunc()))
            }
            "sqrt" | "exp" | "log" | "sin" | "cos" => {
                need(1, 1)?;
                let x = self.arg(args, 0)?.num();
                Ok(Val::Num(match name {
                    "sqrt" => x.sqrt(),
                    "exp" => x.exp(),
                    "log" => x.ln(),
                    "sin" => x.sin(),
                    _ => x.cos(),
                }))
            }
            "atan2" => {
                need(2, 2)?;
                let y = self.arg(args, 0)?.num();
                let x = self.arg(args, 1)?.num();
                Ok(Val::Num(y.atan2(x)))
            }
            "rand" => {
                need(0, 0)?;
                // BusyBox: three `rand()` calls of musl's generator make 63 bits.
                let a = u64::from(self.c_rand());
                let b = u64::from(self.c_rand());
                let u = ((a as u32) << 16) ^ (b as u32);
                let c = u64::from(self.c_rand());
                let v = (c << 32) | u64::from(u);
                Ok(Val::Num(v as f64 / 9_223_372_036_854_775_808.0))
            }
            "srand" => {
                need(0, 1)?;
                let prev = self.seed;
                // Emulation note: BusyBox seeds from time(NULL); layerbox from the logical
                // clock, so a replay gives the same numbers.
                self.seed = if n == 1 {
                    self.arg(args, 0)?.num() as i64 as u32
                } else {
                    self.ctx.now as u32
                };
                self.rand_state = u64::from(self.seed.wrapping_sub(1));
                Ok(Val::Num(f64::from(prev)))
            }
            "system" => {
                need(1, 1)?;
                let cmd = self.arg_str(args, 0)?;
                let o = self.shell(&cmd, b"", "system()")?;
                self.out.out(&o.stdout);
                self.out.err(&o.stderr);
                Ok(Val::Num(f64::from(o.code)))
            }
            "close" => {
                need(1, 1)?;
                let name = self.arg_str(args, 0)?;
                let mut status = -1;
                if let Some(i) = self.outputs.iter().position(|o| o.name == name) {
                    status = self.close_output(i)?;
                }
                if self.readers.remove(&name).is_some() {
                    status = 0;
                }
                Ok(Val::Num(f64::from(status)))
            }
            "fflush" => {
                self.flush_files();
                Ok(Val::Num(0.0))
            }
            "and" | "or" | "xor" | "lshift" | "rshift" => {
                need(2, 2)?;
                let a = uint(self.arg(args, 0)?.num());
                let b = uint(self.arg(args, 1)?.num());
                Ok(Val::Num(match name {
                    "and" => a & b,
                    "or" => a | b,
                    "xor" => a ^ b,
                    "lshift" => a.checked_shl(b as u32).unwrap_or(0),
                    _ => a.checked_shr(b as u32).unwrap_or(0),
                } as f64))
            }
            "compl" => {
                need(1, 1)?;
                Ok(Val::Num(!uint(self.arg(args, 0)?.num()) as f64))
            }
            _ => Err(Jump::Fatal("Call to undefined function".into())),
        }
    }

    /// musl's `rand()`: a 64-bit LCG whose top 31 bits are the result.
    fn c_rand(&mut self) -> u32 {
        self.rand_state = self
            .rand_state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (self.rand_state >> 33) as u32
    }

    fn split_regex(&mut self, s: &str, r: &str) -> R<Vec<String>> {
        if s.is_empty() {
            return Ok(Vec::new());
        }
        // A regular expression of one plain character splits as that character.
        if r == " " {
            return Ok(s.split(' ').map(str::to_string).collect());
        }
        let fs = if r.len() == 1 && r != " " {
            format!("[{r}]")
        } else {
            r.to_string()
        };
        let fs = if fs == "[\\]" { "\\\\".to_string() } else { fs };
        self.split_by(s, &if fs.len() == 1 { format!("[{fs}]") } else { fs })
    }

    /// `sub(re, repl [, target])` and `gsub`: the target gets the result even when nothing
    /// matched (BusyBox's `awk_sub` always stores it, so a field's record is rebuilt).
    fn substitute(&mut self, global: bool, args: &[Expr]) -> R<Val> {
        let re = self.regex_of(&args[0])?;
        let repl = self.arg_str(args, 1)?;
        let nth = i64::from(!global);
        let target = match args.get(2) {
            None => LValue::Field(Box::new(Expr::Num(0.0))),
            Some(e) => match e {
                Expr::Var(v) => LValue::Var(*v),
                Expr::Field(i) => LValue::Field(i.clone()),
                Expr::Index(v, s) => LValue::Index(*v, s.clone()),
                Expr::Group(inner) => match &**inner {
                    Expr::Var(v) => LValue::Var(*v),
                    Expr::Field(i) => LValue::Field(i.clone()),
                    _ => return Err(Jump::Fatal("Unexpected token".into())),
                },
                _ => {
                    // Not assignable: BusyBox substitutes in a temporary.
                    let v = self.eval(e)?;
                    let s = self.to_str(&v);
                    let (_, count) = self.awk_sub(&re, &repl, nth, &s, false)?;
                    return Ok(Val::Num(count as f64));
                }
            },
        };
        let v = self.lvalue_val(&target)?;
        let s = self.to_str(&v);
        let (new, count) = self.awk_sub(&re, &repl, nth, &s, false)?;
        self.assign(&target, Val::Str(new))?;
        Ok(Val::Num(count as f64))
    }

    /// BusyBox's `awk_sub` (editors/awk.c): replaces the `nth` match of `re` in `src`, or
    /// every match when `nth` is 0 or less, and gives the result and the number of matches. In `repl`, `&` is the match and `\&` a
    /// literal `&` (backslashes before it halved); with `subexp` (gensub) `\0`...`\9` are the
    /// groups. Each search starts at the text after the last match, as a string of its own
    /// (`REG_NOTBOL`), so `\<` matches there again (BusyBox's bug 1333, which 1.36 keeps).
    fn awk_sub(
        &mut self,
        re: &Regex,
        repl: &str,
        nth: i64,
        src: &str,
        subexp: bool,
    ) -> R<(String, usize)> {
        let b = src.as_bytes();
        let repl = repl.as_bytes();
        let mut res: Vec<u8> = Vec::new();
        let mut sp = 0;
        let mut matches: i64 = 0;
        let mut notbol = false;
        loop {
            let rest = &b[sp..];
            self.step(1 + (rest.len() / 256) as u64)?;
            let spans = re
                .captures(rest, 0, None, notbol, &mut self.search)
                .map_err(|_| self.regex_limit())?;
            let Some(spans) = spans else {
                break;
            };
            let Some((so, eo)) = spans.first().copied().flatten() else {
                break;
            };
            res.extend_from_slice(&rest[..eo]);
            matches += 1;
            if matches >= nth {
                res.truncate(res.len() - (eo - so));
                let mut nbs = 0usize;
                for &c in repl {
                    res.push(c);
                    if c == b'\\' {
                        nbs += 1;
                        continue;
                    }
                    if c == b'&' || (subexp && c.is_ascii_digit()) {
                        res.truncate(res.len().saturating_sub((nbs + 3) >> 1));
                        let mut j = 0;
                        if c != b'&' {
                            j = usize::from(c - b'0');
                            nbs += 1;
                        }
                        if nbs % 2 == 1 {
                            res.push(c);
                        } else if let Some(Some((gs, ge))) = spans.get(j) {
                            res.extend_from_slice(&rest[*gs..*ge]);
                        }
                    }
                    nbs = 0;
                }
                self.made(res.len())?;
            }
            notbol = true;
            sp += eo;
            if matches == nth {
                break;
            }
            if eo == so {
                // An empty match: the next character is copied and the search goes on after it.
                match b.get(sp) {
                    Some(&c) => res.push(c),
                    None => {
                        return Ok((String::from_utf8_lossy(&res).into_owned(), matches as usize))
                    }
                }
                sp += 1;
            }
        }
        res.extend_from_slice(&b[sp..]);
        Ok((String::from_utf8_lossy(&res).into_owned(), matches as usize))
    }

    pub(super) fn getline(&mut self, kind: &Getline, target: Option<&LValue>) -> R<Val> {
        self.step(1)?;
        let rs = self.gstr(RS);
        let rec = match kind {
            Getline::Main => {
                let r = self.next_main_record()?;
                if r.is_some() {
                    self.bump(NR);
                    self.bump(FNR);
                }
                r
            }
            Getline::File(e) => {
                let v = self.eval(e)?;
                let name = self.to_str(&v);
                if !self.readers.contains_key(&name) {
                    let data = if name == "-" || name == "/dev/stdin" {
                        self.ctx.stdin.to_vec()
                    } else {
                        match crate::text::read_input(self.ctx, &name) {
                            Ok(d) => d,
                            Err(e) => {
                                self.set_global_num(ERRNO, errno_number(e));
                                return Ok(Val::Num(-1.0));
                            }
                        }
                    };
                    self.made(data.len() / 4)?;
                    self.readers.insert(name.clone(), Reader { data, pos: 0 });
                }
                let Some(mut r) = self.readers.remove(&name) else {
                    return Ok(Val::Num(-1.0));
                };
                let rec = self.read_record(&mut r, &rs);
                self.readers.insert(name, r);
                rec?
            }
            Getline::Cmd(cmd) => {
                // The command runs once, at the first `getline` from it; later ones read on
                // through what it printed, until `close(cmd)`.
                let v = self.eval(cmd)?;
                let name = self.to_str(&v);
                if !self.readers.contains_key(&name) {
                    let o = self.shell(&name, b"", "command | getline")?;
                    self.out.err(&o.stderr);
                    self.made(o.stdout.len() / 4)?;
                    self.readers.insert(
                        name.clone(),
                        Reader {
                            data: o.stdout,
                            pos: 0,
                        },
                    );
                }
                let Some(mut r) = self.readers.remove(&name) else {
                    return Ok(Val::Num(-1.0));
                };
                let rec = self.read_record(&mut r, &rs);
                self.readers.insert(name, r);
                rec?
            }
        };
        let Some(rec) = rec else {
            return Ok(Val::Num(0.0));
        };
        match target {
            None => self.set_record(rec)?,
            Some(lv) => {
                self.assign(lv, Val::StrNum(rec))?;
            }
        }
        Ok(Val::Num(1.0))
    }
}

/// The `errno` value of `e`, for `ERRNO`.
fn errno_number(e: layerbox_fstree::Errno) -> f64 {
    use layerbox_fstree::Errno::*;
    match e {
        ENOENT => 2.0,
        EACCES => 13.0,
        ENOTDIR => 20.0,
        EISDIR => 21.0,
        ELOOP => 40.0,
        _ => 5.0,
    }
}

/// BusyBox's `getvar_i_int`: a number as C's `unsigned long` (64 bits on Alpine's x86_64).
fn uint(n: f64) -> u64 {
    if n < 0.0 {
        (n as i64) as u64
    } else {
        n as u64
    }
}
