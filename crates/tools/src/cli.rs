//! What every tool shares: option parsing (options may follow operands, as GNU's getopt and
//! BusyBox's getopt32 over musl's `getopt_long` allow, unless the applet's options start with
//! `+`), usage errors in each flavour's words, file-name quoting, and paths relative to the
//! working directory.

use crate::{Ctx, Flavor, Output};

/// The version line BusyBox prints above every usage text.
pub const BUSYBOX_BANNER: &str = "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n";

/// BusyBox's `--help` texts, one `@@ name` section per applet (recorded from BusyBox itself),
/// built into the native binary and tests. The web bundle loads them after the terminal is
/// usable (`layerbox-texts`); a line that needs them before then waits for them.
#[cfg(not(target_arch = "wasm32"))]
const BUSYBOX_USAGE: Option<&str> = Some(include_str!("busybox_usage.txt"));
#[cfg(target_arch = "wasm32")]
const BUSYBOX_USAGE: Option<&str> = None;

/// BusyBox's usage texts, or `None` when they cannot be had (see `layerbox-texts`).
fn usage_texts() -> Option<&'static str> {
    layerbox_texts::get(layerbox_texts::BUSYBOX_USAGE, BUSYBOX_USAGE)
}

/// Parsed command line: options in order (with their values) and operands.
#[derive(Debug, Default)]
pub struct Opts {
    pub flags: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
}

impl Opts {
    pub fn has(&self, c: char) -> bool {
        self.flags.iter().any(|(f, _)| *f == c)
    }

    /// The last value given to option `c`.
    pub fn value(&self, c: char) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(f, _)| *f == c)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Why a command line was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    Invalid(char),
    MissingArg(char),
    UnknownLong(String),
    Help,
}

/// A command-line grammar: short options (`"n:"` takes a value), long options as aliases of
/// short ones (`("recursive", 'r')`; a long option with no short form uses a private char).
/// A leading `+` stops the options at the first operand, as in getopt's option strings.
pub struct Spec<'s> {
    pub short: &'s str,
    pub long: &'s [(&'s str, char)],
}

impl Spec<'_> {
    fn takes_value(&self, c: char) -> Option<bool> {
        let mut it = self.short.trim_start_matches('+').chars().peekable();
        while let Some(x) = it.next() {
            let v = it.peek() == Some(&':');
            if v {
                it.next();
            }
            if x == c {
                return Some(v);
            }
        }
        None
    }
}

/// Parse `args` with `spec`. Options may follow operands: GNU's getopt permutes, and so does
/// BusyBox's getopt32, which calls musl's `getopt_long` (Alpine builds with
/// `CONFIG_LONG_OPTS`); an applet whose option string starts with `+` (`seq`, `tr`, `basename`),
/// or that reads its options with plain `getopt()`, which musl never permutes (`head`), stops
/// at the first operand: its spec starts with `+` too.
pub fn parse(args: &[String], spec: &Spec<'_>, _flavor: Flavor) -> Result<Opts, OptError> {
    let stop_at_operand = spec.short.starts_with('+');
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            o.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            if name == "help" {
                return Err(OptError::Help);
            }
            let hits: Vec<&(&str, char)> = spec
                .long
                .iter()
                .filter(|(n, _)| *n == name || n.starts_with(name))
                .collect();
            let hit = hits
                .iter()
                .find(|(n, _)| *n == name)
                .or(if hits.len() == 1 { hits.first() } else { None });
            let Some(&&(_, c)) = hit else {
                return Err(OptError::UnknownLong(a.clone()));
            };
            let val = match (spec.takes_value(c), val) {
                (Some(true), Some(v)) => Some(v),
                (Some(true), None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => return Err(OptError::MissingArg(c)),
                },
                (_, v) => v,
            };
            o.flags.push((c, val));
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let body: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < body.len() {
                let c = body[k];
                k += 1;
                match spec.takes_value(c) {
                    None => return Err(OptError::Invalid(c)),
                    Some(false) => o.flags.push((c, None)),
                    Some(true) => {
                        let rest: String = body[k..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return Err(OptError::MissingArg(c));
                        };
                        o.flags.push((c, Some(v)));
                        break;
                    }
                }
            }
            continue;
        }
        o.operands.push(a.clone());
        if stop_at_operand {
            o.operands.extend(args[i..].iter().cloned());
            break;
        }
    }
    Ok(o)
}

/// BusyBox's usage text for `prog` (banner included), as printed after a usage error; when
/// the usage texts cannot be had, layerbox's notice that says so instead.
pub fn busybox_usage(prog: &str) -> String {
    let Some(texts) = usage_texts() else {
        return layerbox_texts::unavailable(layerbox_texts::BUSYBOX_USAGE);
    };
    let head = format!("@@ {prog}\n");
    // A section runs to the newline before the next `@@` (or the file's last newline), so a
    // text that ends in a blank line (`timeout`'s) keeps it.
    let body = texts
        .split_once(&head)
        .map(|(_, rest)| match rest.split_once("\n@@ ") {
            Some((section, _)) => section,
            None => rest.strip_suffix('\n').unwrap_or(rest),
        })
        .unwrap_or("\nUsage: ");
    let mut s = String::from(BUSYBOX_BANNER);
    s.push_str(body);
    s.push('\n');
    s
}

/// The output of a usage error: GNU's `Try 'prog --help'` line with exit `gnu_code`, or
/// BusyBox's usage text with exit 1. `msg` is the line before it, if any.
pub fn usage_error(ctx: &Ctx<'_>, prog: &str, msg: Option<&str>, gnu_code: i32) -> Output {
    let mut o = Output::default();
    if let Some(m) = msg {
        o.err(format!("{prog}: {m}\n"));
    }
    match ctx.flavor {
        Flavor::Coreutils => {
            o.err(format!("Try '{prog} --help' for more information.\n"));
            o.code = gnu_code;
        }
        Flavor::BusyBox => {
            o.err(busybox_usage(prog));
            o.code = 1;
        }
    }
    o
}

/// Whether BusyBox's usage text for `prog` lists option `-c`: in the `Usage:` line (`[-abc]`,
/// `[-o ARG]`) or as an option line (`\t-c ...`, `\t-a,-c ...`).
pub fn usage_lists(prog: &str, c: char) -> bool {
    let text = busybox_usage(prog);
    let flag = format!("-{c}");
    let mut lines = text.lines();
    let listed_in_usage = lines
        .by_ref()
        .find(|l| l.starts_with("Usage: "))
        .is_some_and(|usage| {
            usage.split('[').skip(1).any(|group| {
                let group = group.split(']').next().unwrap_or("");
                let Some(letters) = group.strip_prefix('-') else {
                    return false;
                };
                let word = letters.split([' ', '|']).next().unwrap_or("");
                !word.starts_with('-')
                    && word.chars().all(|l| l.is_ascii_alphanumeric())
                    && word.contains(c)
            })
        });
    listed_in_usage
        || text.lines().any(|l| {
            l.starts_with('\t')
                && l.trim_start()
                    .split(['\t', ' '])
                    .next()
                    .is_some_and(|head| head.split(',').any(|f| f == flag))
        })
}

/// The output for a refused command line. An option BusyBox's usage text lists but the model
/// lacks says so (`layerbox: cp -l is not modelled`, the exit status of everything layerbox
/// does not model) instead of calling it invalid.
pub fn opt_error(ctx: &Ctx<'_>, prog: &str, e: OptError, gnu_code: i32) -> Output {
    if let OptError::Invalid(c) = e {
        if ctx.flavor == Flavor::BusyBox && usage_texts().is_none() {
            // Whether BusyBox has the option (not modelled) or not (invalid) is in the texts.
            let mut o = Output::default();
            o.err(layerbox_texts::unavailable(layerbox_texts::BUSYBOX_USAGE));
            o.code = layerbox_texts::UNAVAILABLE;
            return o;
        }
        if ctx.flavor == Flavor::BusyBox && usage_lists(prog, c) {
            let mut o = Output::default();
            o.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
            o.code = 69;
            return o;
        }
    }
    match e {
        OptError::Invalid(c) => usage_error(
            ctx,
            prog,
            Some(&format!("invalid option -- '{c}'")),
            gnu_code,
        ),
        OptError::MissingArg(c) => usage_error(
            ctx,
            prog,
            Some(&format!("option requires an argument -- '{c}'")),
            gnu_code,
        ),
        OptError::UnknownLong(a) => usage_error(
            ctx,
            prog,
            Some(&format!("unrecognized option '{a}'")),
            gnu_code,
        ),
        OptError::Help => {
            let mut o = Output::default();
            match ctx.flavor {
                Flavor::BusyBox => o.err(busybox_usage(prog)),
                // Emulation note: GNU prints a full manual page here; we print its first line.
                Flavor::Coreutils => o.out(format!("Usage: {prog} [OPTION]... [FILE]...\n")),
            }
            o
        }
    }
}

/// Parse, or the usage-error output.
pub fn parse_or_usage(
    ctx: &Ctx<'_>,
    prog: &str,
    args: &[String],
    spec: &Spec<'_>,
    gnu_code: i32,
) -> Result<Opts, Output> {
    parse(args, spec, ctx.flavor).map_err(|e| opt_error(ctx, prog, e, gnu_code))
}

/// [`parse_or_usage`] for a tool that needs at least one operand: none is GNU's "missing
/// operand" (or BusyBox's usage text).
pub fn parse_operands(
    ctx: &Ctx<'_>,
    prog: &str,
    args: &[String],
    spec: &Spec<'_>,
    gnu_code: i32,
) -> Result<Opts, Output> {
    let o = parse_or_usage(ctx, prog, args, spec, gnu_code)?;
    if o.operands.is_empty() {
        return Err(missing_operand(ctx, prog));
    }
    Ok(o)
}

/// GNU's "missing operand" (or BusyBox's usage text).
pub fn missing_operand(ctx: &Ctx<'_>, prog: &str) -> Output {
    let msg = if ctx.gnu() {
        Some("missing operand")
    } else {
        None
    };
    usage_error(ctx, prog, msg, 1)
}

/// Whether the environment selects a UTF-8 locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`):
/// GNU tools then quote with ‘curly quotes’ where they call `quote()`.
pub fn utf8_locale(ctx: &Ctx<'_>) -> bool {
    let v = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|k| ctx.env.get(*k))
        .find(|v| !v.is_empty());
    v.is_some_and(|v| {
        let l = v.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    })
}

/// GNU `quote()`: ‘name’ in a UTF-8 locale, 'name' otherwise.
pub fn quote(ctx: &Ctx<'_>, s: &str) -> String {
    if utf8_locale(ctx) {
        format!("\u{2018}{s}\u{2019}")
    } else {
        format!("'{s}'")
    }
}

fn needs_shell_quoting(s: &str) -> bool {
    s.is_empty()
        || s.starts_with('~')
        || s.starts_with('#')
        || s.chars().any(|c| {
            matches!(
                c,
                ' ' | '\t'
                    | '\n'
                    | '!'
                    | '"'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | ';'
                    | '<'
                    | '>'
                    | '?'
                    | '['
                    | '\\'
                    | ']'
                    | '^'
                    | '`'
                    | '{'
                    | '|'
                    | '}'
            ) || c.is_control()
        })
}

fn shell_quote_body(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    if !s.contains(['"', '$', '`', '\\', '!']) {
        return format!("\"{s}\"");
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// GNU `quoteaf()` (shell-escape-always): `'name'`, `"it's"`.
pub fn quote_always(s: &str) -> String {
    shell_quote_body(s)
}

/// GNU `quotef()` / `ls` on a terminal (shell-escape): quoted only when the shell would need it.
pub fn quote_if_needed(s: &str) -> String {
    if needs_shell_quoting(s) {
        shell_quote_body(s)
    } else {
        s.to_string()
    }
}

/// Whether `ls` on a terminal would quote this name.
pub fn ls_needs_quotes(s: &str) -> bool {
    needs_shell_quoting(s)
}

impl Ctx<'_> {
    /// `path` made absolute against the working directory (not normalised: `..` is resolved by
    /// the filesystem, through symlinks, as the kernel does).
    pub fn abs(&self, path: &str) -> String {
        if path.starts_with('/') || path.is_empty() {
            path.to_string()
        } else if self.cwd.ends_with('/') {
            format!("{}{path}", self.cwd)
        } else {
            format!("{}/{path}", self.cwd)
        }
    }

    pub fn gnu(&self) -> bool {
        self.flavor == Flavor::Coreutils
    }
}

/// `dir` + `/` + `name` as a tool prints it (`./x`, `d/x`, `/x`).
pub fn join_display(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The last component of a path as `basename` sees it (`a/b/` is `b`).
pub fn base_name(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}
