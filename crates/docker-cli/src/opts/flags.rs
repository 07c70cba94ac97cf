//! The docker CLI's flags as data, parsed in two stages as ripgrep does: raw arguments become
//! [`Matches`] here (pflag's syntax and messages); each command then reads typed values from them.

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    /// Takes a value (`--name c1`, `--name=c1`, `-v x`, `-vx`).
    pub value: bool,
}

/// A boolean flag.
pub const fn switch(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        value: false,
    }
}

/// A flag with a value.
pub const fn option(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        value: true,
    }
}

/// How many positional arguments a command takes (cobra's `cli.NoArgs`, `ExactArgs`,
/// `RequiresMinArgs`, `RequiresMaxArgs`, `RequiresRangeArgs`): checked once, after the flags
/// and before the command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Exact(usize),
    AtLeast(usize),
    AtMost(usize),
    Between(usize, usize),
}

/// A command's place in the CLI: its path, usage line, arguments and flags.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// `run`, `volume ls`.
    pub path: &'static str,
    pub args: Arity,
    /// After `Usage:  `.
    pub usage: &'static str,
    pub flags: &'static [Flag],
    /// Flags may follow positional arguments (false for `run`, `exec`: the container's
    /// command keeps its own flags).
    pub interspersed: bool,
    /// Flags Docker has that layerbox does not model: the long name, then `/` and the
    /// shorthand if Docker has one (`follow/f`).
    pub not_modelled: &'static [&'static str],
}

/// Flags as given, in order, and the positional arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    pub values: Vec<(&'static str, String)>,
    pub args: Vec<String>,
    pub help: bool,
    /// Help was asked with the deprecated `-h`.
    pub help_short: bool,
}

impl Matches {
    /// Whether a boolean flag is set (the last of `--x`, `--x=false` wins).
    pub fn on(&self, long: &str) -> bool {
        self.last(long).is_some_and(|v| v == "true")
    }

    /// The last value given for a flag.
    pub fn last(&self, long: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| *k == long)
            .map(|(_, v)| v.as_str())
    }

    /// Which of `longs` was given last on the command line.
    pub fn values_order_last(&self, longs: &[&str]) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| longs.contains(k))
            .map(|(k, _)| *k)
    }

    /// Every value given for a repeatable flag, in order.
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(k, _)| *k == long)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A flag the CLI refuses, worded as pflag does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    /// Goes through cobra's flag error function (usage, exit 125).
    Usage(String),
    /// A Docker flag layerbox does not model.
    NotModelled(String),
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn bool_value(flag: &str, text: &str) -> Result<String, FlagError> {
    parse_bool(text)
        .map(|b| b.to_string())
        .ok_or_else(|| {
            FlagError::Usage(format!(
                "invalid argument \"{text}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{text}\": invalid syntax"
            ))
        })
}

/// Stage one: pflag's parse of `args` against `cmd`'s flags.
/// `cmd`'s unmodelled flags as (long name, shorthand).
fn not_modelled(cmd: &Command) -> impl Iterator<Item = (&'static str, Option<char>)> {
    cmd.not_modelled
        .iter()
        .map(|entry| match entry.split_once('/') {
            Some((long, short)) => (long, short.chars().next()),
            None => (*entry, None),
        })
}

pub fn parse(cmd: &Command, args: &[String]) -> Result<Matches, FlagError> {
    let mut m = Matches::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            m.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if name == "help" {
                m.help = true;
                continue;
            }
            let Some(flag) = cmd.flags.iter().find(|f| f.long == name) else {
                if not_modelled(cmd).any(|(long, _)| long == name) {
                    return Err(FlagError::NotModelled(format!("--{name}")));
                }
                return Err(FlagError::Usage(format!("unknown flag: --{name}")));
            };
            let value = if flag.value {
                match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(FlagError::Usage(format!(
                            "flag needs an argument: --{name}"
                        )))
                    }
                }
            } else {
                match inline {
                    Some(v) => {
                        let shown = match flag.short {
                            Some(c) => format!("-{c}, --{name}"),
                            None => format!("--{name}"),
                        };
                        bool_value(&shown, &v)?
                    }
                    None => "true".to_string(),
                }
            };
            m.values.push((flag.long, value));
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                if c == 'h' && !cmd.flags.iter().any(|f| f.short == Some('h')) {
                    m.help = true;
                    m.help_short = true;
                    continue;
                }
                let Some(flag) = cmd.flags.iter().find(|f| f.short == Some(c)) else {
                    if let Some((long, _)) = not_modelled(cmd).find(|(_, short)| *short == Some(c))
                    {
                        return Err(FlagError::NotModelled(format!("-{c}, --{long}")));
                    }
                    return Err(FlagError::Usage(format!(
                        "unknown shorthand flag: '{c}' in {arg}"
                    )));
                };
                if flag.value {
                    let rest: String = chars[j..].iter().collect();
                    let value = if let Some(v) = rest.strip_prefix('=') {
                        v.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(FlagError::Usage(format!(
                            "flag needs an argument: '{c}' in -{c}"
                        )));
                    };
                    m.values.push((flag.long, value));
                    break;
                }
                if chars.get(j) == Some(&'=') {
                    let rest: String = chars[j + 1..].iter().collect();
                    m.values.push((
                        flag.long,
                        bool_value(&format!("-{c}, --{}", flag.long), &rest)?,
                    ));
                    break;
                }
                m.values.push((flag.long, "true".to_string()));
            }
            continue;
        }
        m.args.push(arg.clone());
        if !cmd.interspersed {
            m.args.extend(args[i..].iter().cloned());
            break;
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: Command = Command {
        path: "run",
        args: Arity::AtLeast(1),
        usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        flags: &[
            option("name", None),
            switch("detach", Some('d')),
            switch("rm", None),
            option("volume", Some('v')),
        ],
        interspersed: false,
        not_modelled: &["network"],
    };

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn flags_stop_at_the_image_for_run() {
        let m = parse(&RUN, &argv("-d --name=c1 -vx:/y alpine ls -l")).expect("parses");
        assert!(m.on("detach"));
        assert_eq!(m.last("name"), Some("c1"));
        assert_eq!(m.all("volume"), vec!["x:/y".to_string()]);
        assert_eq!(m.args, argv("alpine ls -l"));
    }

    #[test]
    fn unknown_flags_are_worded_as_pflag_does() {
        assert_eq!(
            parse(&RUN, &argv("--foo alpine")),
            Err(FlagError::Usage("unknown flag: --foo".into()))
        );
        assert_eq!(
            parse(&RUN, &argv("-x alpine")),
            Err(FlagError::Usage("unknown shorthand flag: 'x' in -x".into()))
        );
        assert_eq!(
            parse(&RUN, &argv("--name")),
            Err(FlagError::Usage("flag needs an argument: --name".into()))
        );
        assert_eq!(
            parse(&RUN, &argv("--network host alpine")),
            Err(FlagError::NotModelled("--network".into()))
        );
    }
}
