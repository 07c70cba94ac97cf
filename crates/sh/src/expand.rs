//! Word expansion: parameters, command substitution, arithmetic, field splitting, pathname
//! globbing against the filesystem, and quote removal.

use layerbox_fstree::fnmatch::{fnmatch, Flags};
use layerbox_fstree::FileSystem;

use crate::ast::{Param, ParamOp, Word, WordPart};
use crate::exec::{Flow, Interp, Io, Target};
use crate::Dialect;

/// How the shell matches a pattern (globs, `case`, `${v#pattern}`): `fnmatch(3)` with
/// `FNM_NOESCAPE`, since quote removal has already marked every quoted character.
pub(crate) const PATTERN: Flags = Flags {
    noescape: true,
    casefold: false,
};

/// Expanded words larger than this stop the command. Emulation note: BusyBox says `out of
/// memory` when it really runs out; here the limit keeps `A=$A$A` loops from eating the tab,
/// and the message says it is layerbox's.
const MAX_WORD: usize = 1 << 20;

/// One expanded character: the character, whether it was quoted, and whether it came from an
/// unquoted expansion (and so splits fields at blanks).
#[derive(Debug, Clone, Copy)]
enum Seg {
    Ch(char, bool, bool),
    /// Between the arguments of `"$@"`.
    Break,
    /// A quoted empty string: the field exists even if it has no characters.
    Empty,
}

/// A field after splitting: its characters, each with whether it was quoted.
pub(crate) type Field = Vec<(char, bool)>;

impl Interp<'_> {
    /// Expand words into the argument list: split, globbed, quotes removed.
    pub fn expand_words(&mut self, words: &[Word], io: &Io) -> Result<Vec<String>, Flow> {
        let mut out = Vec::new();
        for word in words {
            let mut segs = Vec::new();
            self.expand_parts(word, false, io, &mut segs)?;
            let ifs = self
                .sh
                .env
                .get("IFS")
                .cloned()
                .unwrap_or_else(|| " \t\n".into());
            for field in split(&segs, &ifs) {
                out.extend(self.glob(&field));
            }
        }
        Ok(out)
    }

    /// Expand a word without splitting or globbing (assignments, redirection targets).
    pub fn expand_string(&mut self, word: &Word, io: &Io) -> Result<String, Flow> {
        let mut segs = Vec::new();
        self.expand_parts(word, false, io, &mut segs)?;
        Ok(segs
            .iter()
            .filter_map(|s| match s {
                Seg::Ch(c, ..) => Some(*c),
                Seg::Break => Some(' '),
                Seg::Empty => None,
            })
            .collect())
    }

    /// Expand a word into a pattern (for `${v%pat}`): characters with their quotedness.
    pub(crate) fn expand_pattern(&mut self, word: &Word, io: &Io) -> Result<Field, Flow> {
        let mut segs = Vec::new();
        self.expand_parts(word, false, io, &mut segs)?;
        Ok(segs
            .iter()
            .filter_map(|s| match s {
                Seg::Ch(c, q, _) => Some((*c, *q)),
                _ => None,
            })
            .collect())
    }

    fn expand_parts(
        &mut self,
        parts: &[WordPart],
        quoted: bool,
        io: &Io,
        out: &mut Vec<Seg>,
    ) -> Result<(), Flow> {
        for part in parts {
            match part {
                WordPart::Literal(s) => out.extend(s.chars().map(|c| Seg::Ch(c, quoted, false))),
                WordPart::Quoted(s) => {
                    out.push(Seg::Empty);
                    out.extend(s.chars().map(|c| Seg::Ch(c, true, false)));
                }
                WordPart::DoubleQuoted(inner) => {
                    let only_at = matches!(inner.as_slice(),
                        [WordPart::Param(Param { name, op: ParamOp::Plain })] if name == "@");
                    if only_at {
                        let args = self.sh.args.clone();
                        for (i, a) in args.iter().enumerate() {
                            if i > 0 {
                                out.push(Seg::Break);
                            }
                            out.push(Seg::Empty);
                            out.extend(a.chars().map(|c| Seg::Ch(c, true, false)));
                        }
                    } else {
                        out.push(Seg::Empty);
                        self.expand_parts(inner, true, io, out)?;
                    }
                }
                WordPart::Param(p) => {
                    let value = self.param(p, io)?;
                    push_value(out, &value, quoted);
                }
                WordPart::CommandSubst(program) => {
                    let value = self.command_subst(program, io)?;
                    push_value(out, &value, quoted);
                }
                WordPart::Arith(parts) => {
                    let text = self.expand_string(parts, io)?;
                    let value = match crate::arith::eval(&text, &mut self.sh.env) {
                        Ok(n) => n.to_string(),
                        Err(e) => {
                            let msg = match self.sh.dialect {
                                Dialect::BusyBoxAsh => e.ash().to_string(),
                                Dialect::Bash => format!("{}: {}", text.trim(), e.bash()),
                            };
                            self.diag(io, 1, None, &msg);
                            return Err(Flow::Fail(match self.sh.dialect {
                                Dialect::BusyBoxAsh => 2,
                                Dialect::Bash => 1,
                            }));
                        }
                    };
                    push_value(out, &value, quoted);
                }
            }
            if out.len() > MAX_WORD {
                let msg = format!("{}: out of memory (layerbox limit)\n", self.sh.name);
                self.write(&io.err.clone(), msg.as_bytes());
                return Err(Flow::Fail(1));
            }
        }
        Ok(())
    }

    /// `$(...)`: run in a subshell with stdout captured; trailing newlines removed.
    fn command_subst(&mut self, program: &crate::ast::Program, io: &Io) -> Result<String, Flow> {
        let buf = self.buffers.len();
        self.buffers.push(Vec::new());
        let sub = Io {
            stdin: io.stdin.clone(),
            out: Target::Buf(buf),
            err: io.err.clone(),
        };
        let status = self.subshell(|me| me.run_program(program, &sub))?;
        self.subst_status = Some(status);
        self.sh.last_status = status;
        let bytes = std::mem::take(&mut self.buffers[buf]);
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    /// A parameter's value: `None` when unset.
    pub fn lookup(&self, name: &str) -> Option<String> {
        let sh = &self.sh;
        match name {
            "?" => Some(sh.last_status.to_string()),
            "#" => Some(sh.args.len().to_string()),
            "@" | "*" => Some(sh.args.join(" ")),
            "$" => Some(sh.pid.to_string()),
            "!" => Some(sh.last_job.map(|p| p.to_string()).unwrap_or_default()),
            "-" => Some(String::new()),
            "0" => Some(sh.name.clone()),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                sh.args.get(i.checked_sub(1)?).cloned()
            }
            n => sh.env.get(n).cloned(),
        }
    }

    fn param(&mut self, p: &Param, io: &Io) -> Result<String, Flow> {
        let value = self.lookup(&p.name);
        let unset = |colon: bool| match &value {
            None => true,
            Some(v) => colon && v.is_empty(),
        };
        if value.is_none()
            && self.sh.nounset
            && matches!(p.op, ParamOp::Plain | ParamOp::Length)
            && !matches!(p.name.as_str(), "@" | "*")
        {
            // `set -u`: expanding an unset variable is an error.
            let text = match self.sh.dialect {
                Dialect::BusyBoxAsh => format!("{}: parameter not set", p.name),
                Dialect::Bash => format!("{}: unbound variable", p.name),
            };
            self.diag(io, 1, None, &text);
            return Err(Flow::Fail(match self.sh.dialect {
                Dialect::BusyBoxAsh => 2,
                Dialect::Bash => 1,
            }));
        }
        Ok(match &p.op {
            ParamOp::Plain => value.unwrap_or_default(),
            ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
            ParamOp::Default(colon, w) => {
                if unset(*colon) {
                    self.expand_string(w, io)?
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Assign(colon, w) => {
                if unset(*colon) {
                    let v = self.expand_string(w, io)?;
                    self.sh.set_var(&p.name, v.clone());
                    v
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Alternative(colon, w) => {
                if unset(*colon) {
                    String::new()
                } else {
                    self.expand_string(w, io)?
                }
            }
            ParamOp::Error(colon, w) => {
                if unset(*colon) {
                    let mut text = self.expand_string(w, io)?;
                    if text.is_empty() {
                        text = match (self.sh.dialect, colon) {
                            (Dialect::BusyBoxAsh, false) => "parameter not set".into(),
                            (Dialect::BusyBoxAsh, true) => "parameter null or not set".into(),
                            (Dialect::Bash, false) => "parameter not set".into(),
                            (Dialect::Bash, true) => "parameter null or not set".into(),
                        };
                    }
                    self.diag(io, 1, None, &format!("{}: {text}", p.name));
                    return Err(Flow::Fail(match self.sh.dialect {
                        Dialect::BusyBoxAsh => 2,
                        Dialect::Bash => 1,
                    }));
                }
                value.unwrap_or_default()
            }
            ParamOp::RemoveSuffix(longest, w) | ParamOp::RemovePrefix(longest, w) => {
                let pat = self.expand_pattern(w, io)?;
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let suffix = matches!(p.op, ParamOp::RemoveSuffix(..));
                let mut cuts: Vec<usize> = (0..=v.len()).collect();
                if suffix != *longest {
                    cuts.reverse();
                }
                // For a suffix, cut at i keeps v[..i]; for a prefix, it keeps v[i..].
                let hit = cuts.into_iter().find(|&i| {
                    if suffix {
                        fnmatch(&pat, &v[i..], PATTERN)
                    } else {
                        fnmatch(&pat, &v[..i], PATTERN)
                    }
                });
                match hit {
                    Some(i) if suffix => v[..i].iter().collect(),
                    Some(i) => v[i..].iter().collect(),
                    None => v.iter().collect(),
                }
            }
        })
    }

    /// Pathname expansion of one field: the sorted matches, or the field itself when it has
    /// no unquoted `*`, `?` or `[` or nothing matches.
    fn glob(&mut self, field: &Field) -> Vec<String> {
        let literal: String = field.iter().map(|(c, _)| *c).collect();
        if !field
            .iter()
            .any(|&(c, q)| !q && matches!(c, '*' | '?' | '['))
        {
            return vec![literal];
        }
        let absolute = field.first().is_some_and(|(c, _)| *c == '/');
        let comps: Vec<&[(char, bool)]> = field.split(|(c, _)| *c == '/').collect();
        // Candidates: (path to show, absolute path to look at).
        let mut cands: Vec<(String, String)> = vec![if absolute {
            (String::new(), String::new())
        } else {
            (String::new(), self.sh.cwd.trim_end_matches('/').to_string())
        }];
        let (fs, cred, _) = self.host.fs();
        for (i, comp) in comps.iter().enumerate() {
            if absolute && i == 0 {
                continue;
            }
            let sep = |shown: &str| {
                if shown.is_empty() && !absolute {
                    ""
                } else {
                    "/"
                }
            };
            let is_glob = comp
                .iter()
                .any(|&(c, q)| !q && matches!(c, '*' | '?' | '['));
            let mut next = Vec::new();
            for (shown, real) in &cands {
                if !is_glob {
                    let name: String = comp.iter().map(|(c, _)| *c).collect();
                    next.push((
                        format!("{shown}{}{name}", sep(shown)),
                        format!("{real}/{name}"),
                    ));
                    continue;
                }
                let dir = if real.is_empty() { "/" } else { real.as_str() };
                let Ok(entries) = fs.read_dir(cred, dir) else {
                    continue;
                };
                let dot_ok = comp.first().is_some_and(|(c, _)| *c == '.');
                for e in entries {
                    let chars: Vec<char> = e.name.chars().collect();
                    if (chars.first() == Some(&'.') && !dot_ok) || !fnmatch(comp, &chars, PATTERN) {
                        continue;
                    }
                    next.push((
                        format!("{shown}{}{}", sep(shown), e.name),
                        format!("{real}/{}", e.name),
                    ));
                }
            }
            cands = next;
            if cands.is_empty() {
                break;
            }
        }
        let mut found: Vec<String> = cands
            .into_iter()
            .filter(|(_, real)| {
                fs.lstat(cred, if real.is_empty() { "/" } else { real })
                    .is_ok()
            })
            .map(|(shown, _)| shown)
            .collect();
        if found.is_empty() {
            return vec![literal];
        }
        layerbox_order::sort(&mut found);
        found
    }
}

fn push_value(out: &mut Vec<Seg>, value: &str, quoted: bool) {
    out.extend(value.chars().map(|c| Seg::Ch(c, quoted, !quoted)));
}

/// Split at unquoted `IFS` characters that came from expansions (runs of IFS white space
/// count once; any other IFS character ends a field, even an empty one); drop fields that are
/// empty and were never quoted.
fn split(segs: &[Seg], ifs: &str) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut cur: Field = Vec::new();
    let mut exists = false;
    for seg in segs {
        match *seg {
            Seg::Ch(c, _, true) if ifs.contains(c) && c.is_ascii_whitespace() => {
                if exists {
                    fields.push(std::mem::take(&mut cur));
                }
                exists = false;
            }
            Seg::Ch(c, _, true) if ifs.contains(c) => {
                fields.push(std::mem::take(&mut cur));
                exists = false;
            }
            Seg::Ch(c, q, _) => {
                cur.push((c, q));
                exists = true;
            }
            Seg::Break => {
                fields.push(std::mem::take(&mut cur));
                exists = false;
            }
            Seg::Empty => exists = true,
        }
    }
    if exists {
        fields.push(cur);
    }
    fields
}
