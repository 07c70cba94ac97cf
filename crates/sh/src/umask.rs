//! The `umask` builtin: the shell's file mode creation mask, shown in octal (`0022`) or
//! symbolically (`-S`: `u=rwx,g=rx,o=rx`), set from an octal number or a chmod-like symbolic
//! mode (which names the permissions to keep), in BusyBox ash's words (`umaskcmd` over libbb's
//! `bb_parse_mode`) and bash's. The shell's own redirections, the programs it runs and its child
//! shells create files under it.

use crate::exec::{Interp, Io, Status};
use crate::Dialect;

/// The mask every shell starts with (Docker's containers and Debian's login alike).
pub const DEFAULT: u32 = 0o022;

/// `u=rwx,g=rx,o=rx` for the permissions a mask leaves.
fn symbolic(mask: u32) -> String {
    let perms = !mask & 0o777;
    let class = |shift: u32| {
        let bits = (perms >> shift) & 7;
        let mut s = String::new();
        for (bit, c) in [(4, 'r'), (2, 'w'), (1, 'x')] {
            if bits & bit != 0 {
                s.push(c);
            }
        }
        s
    };
    format!("u={},g={},o={}", class(6), class(3), class(0))
}

/// Why a symbolic mode was refused: bash names the character and what it is.
enum Bad {
    Operator(char),
    Character(char),
    Empty,
}

/// Applies a symbolic mode (`u=rwx,g-w,a+r`) to the permission bits `perms`. Copies from a
/// class (`g=u`) and `X` are ash's (`bb_parse_mode`); bash takes `r`, `w` and `x` only.
fn apply(spec: &str, mut perms: u32, dialect: Dialect) -> Result<u32, Bad> {
    for clause in spec.split(',') {
        let cs: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0u32;
        while i < cs.len() && "ugoa".contains(cs[i]) {
            who |= match cs[i] {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                _ => 0o777,
            };
            i += 1;
        }
        if who == 0 {
            who = 0o777;
        }
        if i == cs.len() {
            return Err(match cs.last() {
                Some(&c) => Bad::Operator(c),
                None => Bad::Empty,
            });
        }
        while i < cs.len() {
            let op = cs[i];
            if !"+-=".contains(op) {
                return Err(Bad::Operator(op));
            }
            i += 1;
            let mut bits = 0u32;
            while i < cs.len() && !"+-=".contains(cs[i]) {
                let c = cs[i];
                bits |= match (c, dialect) {
                    ('r', _) => 0o444,
                    ('w', _) => 0o222,
                    ('x', _) => 0o111,
                    ('X', Dialect::BusyBoxAsh) => {
                        if perms & 0o111 != 0 {
                            0o111
                        } else {
                            0
                        }
                    }
                    ('s' | 't', Dialect::BusyBoxAsh) => 0,
                    ('u', Dialect::BusyBoxAsh) => ((perms >> 6) & 7) * 0o111,
                    ('g', Dialect::BusyBoxAsh) => ((perms >> 3) & 7) * 0o111,
                    ('o', Dialect::BusyBoxAsh) => (perms & 7) * 0o111,
                    _ => return Err(Bad::Character(c)),
                };
                i += 1;
            }
            let bits = bits & who;
            perms = match op {
                '+' => perms | bits,
                '-' => perms & !bits,
                _ => (perms & !who) | bits,
            };
        }
    }
    Ok(perms & 0o777)
}

/// `umask [-S] [MODE]` (bash also `-p`).
pub fn umask(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    let dialect = me.sh.dialect;
    let mut show_symbolic = false;
    let mut reusable = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a.len() == 1 {
            break;
        }
        for c in a[1..].chars() {
            match (c, dialect) {
                ('S', _) => show_symbolic = true,
                ('p', Dialect::Bash) => reusable = true,
                (c, Dialect::BusyBoxAsh) => {
                    me.diag(io, line, Some("umask"), &format!("illegal option -{c}"));
                    return Ok(2);
                }
                (c, Dialect::Bash) => {
                    me.diag(io, line, Some("umask"), &format!("-{c}: invalid option"));
                    me.write(&io.err, b"umask: usage: umask [-p] [-S] [mode]\n");
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let Some(mode) = args.get(i) else {
        let shown = if show_symbolic {
            symbolic(me.sh.umask)
        } else {
            format!("{:04o}", me.sh.umask)
        };
        let text = if reusable {
            let flag = if show_symbolic { " -S" } else { "" };
            format!("umask{flag} {shown}\n")
        } else {
            format!("{shown}\n")
        };
        me.write(&io.out, text.as_bytes());
        return Ok(0);
    };
    let numeric = mode.starts_with(|c: char| c.is_ascii_digit());
    let new = if numeric {
        let octal = u32::from_str_radix(mode, 8).ok().filter(|m| *m <= 0o777);
        match (octal, dialect) {
            (Some(m), _) => Ok(m),
            (None, Dialect::BusyBoxAsh) => Err(format!("illegal mode: {mode}")),
            (None, Dialect::Bash) => Err(format!("{mode}: octal number out of range")),
        }
    } else {
        match (apply(mode, !me.sh.umask & 0o777, dialect), dialect) {
            (Ok(perms), _) => Ok(!perms & 0o777),
            (Err(_), Dialect::BusyBoxAsh) => Err(format!("illegal mode: {mode}")),
            (Err(Bad::Character(c)), Dialect::Bash) => {
                Err(format!("`{c}': invalid symbolic mode character"))
            }
            (Err(Bad::Operator(c)), Dialect::Bash) => {
                Err(format!("`{c}': invalid symbolic mode operator"))
            }
            (Err(Bad::Empty), Dialect::Bash) => {
                Err("`': invalid symbolic mode operator".to_string())
            }
        }
    };
    match new {
        Ok(mask) => {
            me.sh.umask = mask;
            me.host.umask(mask);
            Ok(0)
        }
        Err(text) => {
            me.diag(io, line, Some("umask"), &text);
            Ok(match dialect {
                Dialect::BusyBoxAsh => 2,
                Dialect::Bash => 1,
            })
        }
    }
}
