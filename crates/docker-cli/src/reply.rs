//! The shapes of the docker CLI's answers: daemon errors, `docker run`'s wrapper, flag and
//! argument-count errors (v28 wording), and layerbox's own "not modelled".

use layerbox_engine::EngineError;
use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, FlagError};

/// Appends a line to stdout.
pub fn line(out: &mut Output, text: impl AsRef<str>) {
    out.stdout.extend_from_slice(text.as_ref().as_bytes());
    out.stdout.push(b'\n');
}

/// Appends a line to stderr.
/// Appends what a container's process printed, both streams in the order it wrote them (the
/// CLI copies the attached streams as they come).
pub fn relay(out: &mut Output, from: &Output) {
    for (stream, bytes) in from.chunks() {
        out.push(stream, bytes);
    }
}

/// Prints `text` and a newline on stderr; an empty `text` prints nothing (a template stopped
/// because the typed line's work ran out: the shell says so).
pub fn err_line(out: &mut Output, text: impl AsRef<str>) {
    if text.as_ref().is_empty() {
        return;
    }
    out.stderr.extend_from_slice(text.as_ref().as_bytes());
    out.stderr.push(b'\n');
}

/// Prints `template` executed over each value, one line each, as `--format` does; a template
/// that does not parse or fails on a value ends the output with the error, exit 1.
pub fn format_each<V: std::borrow::Borrow<crate::formatter::value::Value>>(
    out: &mut Output,
    template: &str,
    values: impl IntoIterator<Item = V>,
) {
    let t = match crate::formatter::template::Template::parse(template) {
        Ok(t) => t,
        Err(e) => {
            err_line(out, format!("template parsing error: {e}"));
            out.code = 1;
            return;
        }
    };
    for v in values {
        match t.execute(v.borrow()) {
            Ok(text) => line(out, text),
            Err(e) => {
                err_line(out, e.line(""));
                out.code = 1;
                return;
            }
        }
    }
}

/// A prune's `WARNING! ... [y/N] ` question, answered from stdin: whether to go on. Without a
/// yes the CLI ends the prompt's line and cancels without a word (also on an empty stdin).
fn confirm(out: &mut Output, warning: &str, stdin: &[u8]) -> bool {
    out.stdout.extend_from_slice(warning.as_bytes());
    let answer = String::from_utf8_lossy(stdin);
    let answer = answer.lines().next().unwrap_or("").trim().to_lowercase();
    let yes = answer == "y" || answer == "yes";
    if !yes {
        out.stdout.push(b'\n');
    }
    yes
}

/// What every `prune` does first (its Command accepts no arguments): without `--force`, ask
/// `warning` and go on only on `y`. `Ok` holds what was printed so far; `Err` is the whole
/// output when the prune stops there.
pub fn confirm_prune(force: bool, stdin: &[u8], warning: &str) -> Result<Output, Output> {
    let mut out = Output::default();
    if !force && !confirm(&mut out, warning, stdin) {
        return Err(out);
    }
    Ok(out)
}

/// What every prune ends with: the `Deleted …:` sections, then `Total reclaimed space: …`.
pub fn end_prune(out: &mut Output, sections: Vec<String>, freed: u64) {
    for text in sections {
        line(out, text);
    }
    line(
        out,
        format!(
            "Total reclaimed space: {}",
            crate::formatter::units::human_size(freed)
        ),
    );
}

/// `Error response from daemon: MESSAGE`, exit 1.
pub fn daemon_error(out: &mut Output, e: &EngineError) {
    err_line(out, format!("Error response from daemon: {e}"));
    out.code = 1;
}

/// An error of `docker run`/`create` before the container starts:
/// `docker: MESSAGE` + blank line + `Run 'docker run --help' for more information`.
pub fn run_error(cmd: &Command, message: &str, code: i32) -> Output {
    let mut out = Output::default();
    err_line(
        &mut out,
        format!(
            "docker: {message}\n\nRun 'docker {} --help' for more information",
            cmd.path
        ),
    );
    out.code = code;
    out
}

/// A flag the CLI refuses (cobra's `FlagErrorFunc`, exit 125), or one not modelled.
pub fn flag_error(cmd: &Command, e: FlagError) -> Output {
    match e {
        FlagError::Usage(message) => usage_error(cmd, &message),
        FlagError::NotModelled(flag) => not_modelled(&format!("docker {} {flag}", cmd.path)),
    }
}

/// `MESSAGE` + usage line + help hint, exit 125.
pub fn usage_error(cmd: &Command, message: &str) -> Output {
    let mut out = Output::default();
    err_line(
        &mut out,
        format!(
            "{message}\n\nUsage:  {}\n\nRun 'docker {} --help' for more information",
            cmd.usage, cmd.path
        ),
    );
    out.code = 125;
    out
}

/// Checks the argument count; `Err` holds the CLI's message (exit 1).
pub fn check_args(cmd: &Command, args: &[String], arity: Arity) -> Result<(), Output> {
    let n = args.len();
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    let (ok, text, verb) = match arity {
        // cli.NoArgs and cli.ExactArgs (CLI 28.2.2, seen on the recording engine).
        Arity::Exact(0) => (n == 0, "accepts no arguments".to_string(), "Run"),
        Arity::Exact(k) => (n == k, format!("requires {k} {}", plural(k)), "Run"),
        Arity::AtLeast(k) => (
            n >= k,
            format!("requires at least {k} {}", plural(k)),
            "See",
        ),
        // v28.0–28.5 print this typo; v29 fixes it.
        Arity::AtMost(k) => (
            n <= k,
            format!("requires at most {k} {}", plural(k)),
            "SRun",
        ),
        Arity::Between(a, b) => (
            n >= a && n <= b,
            format!("requires at least {a} and at most {b} {}", plural(b)),
            "Run",
        ),
    };
    if ok {
        return Ok(());
    }
    let mut out = Output::default();
    let tail = if verb == "SRun" {
        format!("SRun 'docker {} --help' for more information", cmd.path)
    } else if verb == "Run" {
        // RequiresRangeArgs (CLI 28.2.2, recorded).
        format!("Run 'docker {} --help' for more information", cmd.path)
    } else {
        format!("See 'docker {} --help' for more information", cmd.path)
    };
    err_line(
        &mut out,
        format!(
            "docker: 'docker {}' {text}\n\nUsage:  {}\n\n{tail}",
            cmd.path, cmd.usage
        ),
    );
    out.code = 1;
    Err(out)
}

/// `layerbox: WHAT is not modelled`, exit 1.
pub fn not_modelled(what: &str) -> Output {
    let mut out = Output::default();
    err_line(&mut out, format!("layerbox: {what} is not modelled"));
    out.code = 1;
    out
}
