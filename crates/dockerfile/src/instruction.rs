//! Typed instructions (BuildKit's `instructions.Parse` as the classic builder uses it): the
//! forms each keyword takes and the errors a Dockerfile gets before any step runs.
//! Variables stay unexpanded here: the builder substitutes them when it reaches the step.

use crate::parse::{Line, ParseError};

/// `RUN`/`CMD`/`ENTRYPOINT` arguments: shell form (run by `/bin/sh -c`) or exec (JSON) form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandForm {
    Shell(String),
    Exec(Vec<String>),
}

impl CommandForm {
    /// The argv the instruction stands for: shell form becomes `/bin/sh -c TEXT`.
    pub fn argv(&self) -> Vec<String> {
        match self {
            CommandForm::Shell(text) => vec!["/bin/sh".into(), "-c".into(), text.clone()],
            CommandForm::Exec(argv) => argv.clone(),
        }
    }
}

/// `COPY`/`ADD`: sources (relative to the context), destination and flags, unexpanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub sources: Vec<String>,
    pub dest: String,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub from: Option<String>,
}

/// `HEALTHCHECK`: the image's `Healthcheck` config (moby `container.HealthConfig`). `test` is
/// `["NONE"]`, `["CMD-SHELL", text]` (shell form) or `["CMD", argv...]` (JSON form); durations
/// are nanoseconds, 0 (and `retries` 0) meaning the daemon's default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub retries: i64,
}

/// The shortest interval, timeout or start period a health check takes (moby
/// `container.MinimumDuration`, 1ms).
pub const MINIMUM_DURATION: i64 = 1_000_000;

/// `HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D] [--retries=N] CMD …` or
/// `HEALTHCHECK NONE`, as 20.10's `parseHealthcheck` reads it (`--start-interval` came with
/// Engine 25: 20.10 refuses it as an unknown flag).
fn healthcheck(line: &Line) -> Result<Healthcheck, ParseError> {
    let mut rest = line.rest.as_str();
    let mut flags: Vec<(&str, &str)> = Vec::new();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (name, value) = flag[..end].split_once('=').unwrap_or((&flag[..end], ""));
        flags.push((name, value));
        rest = flag[end..].trim_start();
    }
    if rest.is_empty() {
        return Err(error(line, "HEALTHCHECK requires at least one argument"));
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let kind = rest[..end].to_ascii_uppercase();
    let args = rest[end..].trim();
    if kind == "NONE" {
        if !args.is_empty() {
            return Err(error(line, "HEALTHCHECK NONE takes no arguments"));
        }
        return Ok(Healthcheck {
            test: vec![kind],
            ..Healthcheck::default()
        });
    }
    let mut h = Healthcheck::default();
    let mut values: [&str; 4] = [""; 4];
    for (name, value) in flags {
        let slot = match name {
            "interval" => 0,
            "timeout" => 1,
            "start-period" => 2,
            "retries" => 3,
            _ => return Err(error(line, format!("Unknown flag: {name}"))),
        };
        values[slot] = value;
    }
    if kind != "CMD" {
        return Err(error(
            line,
            format!("Unknown type \"{kind}\" in HEALTHCHECK (try CMD)"),
        ));
    }
    h.test = match json_list(args) {
        Some(argv) => std::iter::once("CMD".to_string()).chain(argv).collect(),
        None if args.is_empty() => Vec::new(),
        None => vec!["CMD-SHELL".to_string(), args.to_string()],
    };
    if h.test.len() < 2 {
        return Err(error(line, "Missing command after HEALTHCHECK CMD"));
    }
    let names = ["interval", "timeout", "start-period"];
    for (i, name) in names.iter().enumerate() {
        if values[i].is_empty() {
            continue;
        }
        let d = crate::duration::parse(values[i]).map_err(|e| error(line, e))?;
        if d < MINIMUM_DURATION {
            return Err(error(
                line,
                format!("Interval \"{name}\" cannot be less than 1ms"),
            ));
        }
        match i {
            0 => h.interval = d,
            1 => h.timeout = d,
            _ => h.start_period = d,
        }
    }
    if !values[3].is_empty() {
        let retries: i64 = values[3].parse().map_err(|_| {
            error(
                line,
                format!(
                    "strconv.ParseInt: parsing \"{}\": invalid syntax",
                    values[3]
                ),
            )
        })?;
        if retries < 1 {
            return Err(error(
                line,
                format!("--retries must be at least 1 (not {retries})"),
            ));
        }
        h.retries = retries;
    }
    Ok(h)
}

/// One instruction of a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instruction {
    From {
        image: String,
        name: Option<String>,
    },
    Run(CommandForm),
    Cmd(CommandForm),
    Entrypoint(CommandForm),
    /// `KEY=value` pairs as written (quotes and variables still in).
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    Arg {
        name: String,
        default: Option<String>,
    },
    Workdir(String),
    User(String),
    Volume(Vec<String>),
    Expose(Vec<String>),
    Copy(Copy),
    Add(Copy),
    StopSignal(String),
    Maintainer(String),
    Healthcheck(Healthcheck),
    /// Instructions the model knows but does not carry out (`SHELL`, `ONBUILD`).
    Unmodelled(String),
}

fn error(line: &Line, message: impl Into<String>) -> ParseError {
    ParseError {
        line: line.line,
        message: message.into(),
    }
}

/// A JSON array of strings, if `text` is one.
fn json_list(text: &str) -> Option<Vec<String>> {
    if !text.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(text).ok()
}

fn command_form(text: &str) -> CommandForm {
    match json_list(text) {
        Some(list) => CommandForm::Exec(list),
        None => CommandForm::Shell(text.to_string()),
    }
}

/// Splits at unquoted blanks, keeping quotes and escapes in the words (BuildKit `parseWords`).
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            word.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                word.push(c);
                escaped = true;
            }
            '"' | '\'' if quote.is_none() => {
                quote = Some(c);
                word.push(c);
            }
            c if Some(c) == quote => {
                quote = None;
                word.push(c);
            }
            c if c.is_whitespace() && quote.is_none() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `ENV`/`LABEL` pairs: `KEY=value ...`, or the old `KEY value` form.
fn name_values(line: &Line, keyword: &str) -> Result<Vec<(String, String)>, ParseError> {
    let words = split_words(&line.rest);
    let Some(first) = words.first() else {
        return Err(error(
            line,
            format!("{keyword} requires at least one argument"),
        ));
    };
    if !first.contains('=') {
        // The old form: the rest of the line is the value.
        let value = line.rest[first.len()..].trim().to_string();
        if value.is_empty() {
            return Err(error(line, format!("{keyword} must have two arguments")));
        }
        return Ok(vec![(first.clone(), value)]);
    }
    words
        .iter()
        .map(|w| match w.split_once('=') {
            Some(("", _)) => Err(error(line, format!("{keyword} names can not be blank"))),
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Err(error(
                line,
                format!("Syntax error - can't find = in \"{w}\". Must be of the form: name=value"),
            )),
        })
        .collect()
}

fn copy_args(line: &Line, keyword: &str) -> Result<Copy, ParseError> {
    let mut rest = line.rest.as_str();
    let mut copy = Copy {
        sources: Vec::new(),
        dest: String::new(),
        chown: None,
        chmod: None,
        from: None,
    };
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (name, value) = flag[..end].split_once('=').unwrap_or((&flag[..end], ""));
        match name {
            "chown" => copy.chown = Some(value.to_string()),
            "chmod" => copy.chmod = Some(value.to_string()),
            "from" if keyword == "COPY" => copy.from = Some(value.to_string()),
            _ => return Err(error(line, format!("Unknown flag: {name}"))),
        }
        rest = flag[end..].trim_start();
    }
    let mut words =
        json_list(rest).unwrap_or_else(|| rest.split_whitespace().map(str::to_string).collect());
    if words.len() < 2 {
        return Err(error(
            line,
            format!("{keyword} requires at least two arguments"),
        ));
    }
    copy.dest = words.pop().unwrap_or_default();
    copy.sources = words;
    Ok(copy)
}

impl Instruction {
    /// The instruction a logical line holds, or the builder's parse error.
    pub fn from_line(line: &Line) -> Result<Instruction, ParseError> {
        let keyword = line.keyword.to_ascii_uppercase();
        let rest = line.rest.as_str();
        let needs_arg = |kw: &str| {
            if rest.is_empty() {
                Err(error(line, format!("{kw} requires at least one argument")))
            } else {
                Ok(())
            }
        };
        let exactly_one = |kw: &str| {
            if split_words(rest).len() == 1 {
                Ok(())
            } else {
                Err(error(line, format!("{kw} requires exactly one argument")))
            }
        };
        Ok(match line.keyword.as_str() {
            "from" => {
                let words: Vec<&str> = rest
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                match words.as_slice() {
                    [image] => Instruction::From {
                        image: image.to_string(),
                        name: None,
                    },
                    [image, as_word, name] if as_word.eq_ignore_ascii_case("as") => {
                        let name = name.to_ascii_lowercase();
                        // BuildKit's `^[a-z][a-z0-9-_\.]*$` for stage names.
                        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
                            && name.chars().all(|c| {
                                c.is_ascii_lowercase()
                                    || c.is_ascii_digit()
                                    || matches!(c, '-' | '_' | '.')
                            });
                        if !valid {
                            return Err(error(
                                line,
                                format!(
                                    "invalid name for build stage: \"{name}\", name can't start with a number or contain symbols"
                                ),
                            ));
                        }
                        Instruction::From {
                            image: image.to_string(),
                            name: Some(name),
                        }
                    }
                    [] => return Err(error(line, "FROM requires either one or three arguments")),
                    _ => return Err(error(line, "FROM requires either one or three arguments")),
                }
            }
            "run" => {
                needs_arg("RUN")?;
                Instruction::Run(command_form(rest))
            }
            "cmd" => Instruction::Cmd(command_form(rest)),
            "entrypoint" => Instruction::Entrypoint(command_form(rest)),
            "env" => Instruction::Env(name_values(line, "ENV")?),
            "label" => Instruction::Label(name_values(line, "LABEL")?),
            "arg" => {
                exactly_one("ARG")?;
                match rest.split_once('=') {
                    Some((name, default)) => Instruction::Arg {
                        name: name.to_string(),
                        default: Some(default.to_string()),
                    },
                    None => Instruction::Arg {
                        name: rest.to_string(),
                        default: None,
                    },
                }
            }
            "workdir" => {
                exactly_one("WORKDIR")?;
                Instruction::Workdir(rest.to_string())
            }
            "user" => {
                exactly_one("USER")?;
                Instruction::User(rest.to_string())
            }
            "volume" => {
                needs_arg("VOLUME")?;
                let list = json_list(rest)
                    .unwrap_or_else(|| rest.split_whitespace().map(str::to_string).collect());
                if list.iter().any(|v| v.trim().is_empty()) {
                    return Err(error(line, "VOLUME specified can not be an empty string"));
                }
                Instruction::Volume(list)
            }
            "expose" => {
                needs_arg("EXPOSE")?;
                Instruction::Expose(rest.split_whitespace().map(str::to_string).collect())
            }
            "copy" => Instruction::Copy(copy_args(line, "COPY")?),
            "add" => Instruction::Add(copy_args(line, "ADD")?),
            "stopsignal" => {
                exactly_one("STOPSIGNAL")?;
                Instruction::StopSignal(rest.to_string())
            }
            "maintainer" => {
                needs_arg("MAINTAINER")?;
                Instruction::Maintainer(rest.to_string())
            }
            "healthcheck" => Instruction::Healthcheck(healthcheck(line)?),
            "shell" | "onbuild" => Instruction::Unmodelled(keyword),
            _ => {
                return Err(error(
                    line,
                    format!("unknown instruction: {}", line.keyword.to_ascii_uppercase()),
                ))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn one(text: &str) -> Result<Instruction, ParseError> {
        Instruction::from_line(&parse(text)[0])
    }

    #[test]
    fn json_form_is_exec_and_anything_else_is_shell() {
        assert_eq!(
            one("CMD [\"cat\", \"index.html\"]"),
            Ok(Instruction::Cmd(CommandForm::Exec(vec![
                "cat".into(),
                "index.html".into()
            ])))
        );
        assert_eq!(
            one("CMD [not json"),
            Ok(Instruction::Cmd(CommandForm::Shell("[not json".into())))
        );
        assert_eq!(
            CommandForm::Shell("echo hi".into()).argv(),
            vec!["/bin/sh", "-c", "echo hi"]
        );
    }

    #[test]
    fn stage_names_are_lower_cased_and_must_start_with_a_letter() {
        assert_eq!(
            one("FROM alpine AS Builder"),
            Ok(Instruction::From {
                image: "alpine".into(),
                name: Some("builder".into())
            })
        );
        assert_eq!(
            one("FROM alpine AS 1st").map_err(|e| e.message),
            Err("invalid name for build stage: \"1st\", name can't start with a number or contain symbols".into())
        );
        assert!(one("FROM alpine AS a_b-c.d").is_ok());
        assert!(one("FROM alpine AS a/b").is_err());
    }

    #[test]
    fn env_takes_pairs_or_the_old_key_value_form() {
        assert_eq!(
            one("ENV A=1 B=\"two words\""),
            Ok(Instruction::Env(vec![
                ("A".into(), "1".into()),
                ("B".into(), "\"two words\"".into())
            ]))
        );
        assert_eq!(
            one("ENV GREETING hello world"),
            Ok(Instruction::Env(vec![(
                "GREETING".into(),
                "hello world".into()
            )]))
        );
    }

    #[test]
    fn copy_splits_flags_sources_and_destination() {
        let Ok(Instruction::Copy(copy)) = one("COPY --chown=1000:1000 a.txt b.txt /dst/") else {
            panic!("COPY parses");
        };
        assert_eq!(copy.sources, vec!["a.txt", "b.txt"]);
        assert_eq!(copy.dest, "/dst/");
        assert_eq!(copy.chown.as_deref(), Some("1000:1000"));
        assert_eq!(
            one("COPY onlyone").map_err(|e| e.message),
            Err("COPY requires at least two arguments".to_string())
        );
    }

    #[test]
    fn unknown_instructions_are_refused_in_upper_case() {
        assert_eq!(
            one("foo bar").map_err(|e| e.message),
            Err("unknown instruction: FOO".to_string())
        );
    }
}
