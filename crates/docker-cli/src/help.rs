//! `--help`, `-h` and `docker help [COMMAND]`: Docker 28.2.2's own help texts (`help.txt`,
//! recorded from the real CLI by the `help-*` conformance sessions), printed whole.
//!
//! Emulation note: a text lists every flag Docker has, also those layerbox does not model;
//! using one of those answers `layerbox: docker run --network is not modelled`.

use layerbox_sh::Output;

const TEXTS: &str = include_str!("help.txt");

/// The recorded text for `docker WORDS --help` (`""` for `docker --help`).
fn recorded(words: &str) -> Option<&'static str> {
    let mut rest = TEXTS;
    while let Some(at) = rest.find("@@ ") {
        let after = &rest[at + 3..];
        let (key, body) = after.split_once('\n').unwrap_or((after, ""));
        let end = body.find("\n@@ ").map(|e| e + 1).unwrap_or(body.len());
        if key == words {
            return Some(&body[..end]);
        }
        rest = &body[end..];
    }
    None
}

/// Whether Docker's help for these words is known.
pub fn known(words: &str) -> bool {
    recorded(words).is_some()
}

/// The help of a command typed as `typed` (`container ps`), whose words in the table are
/// `names` (the first canonical): the usage line names the command as cobra does, by its
/// canonical words under the management command typed.
pub fn help(typed: &str, names: &[&str], short_flag: bool) -> Output {
    let usage_words = if typed.contains(' ') {
        let group = typed.split(' ').next().unwrap_or("");
        names
            .iter()
            .find(|n| n.split(' ').next() == Some(group) && n.contains(' '))
            .copied()
            .unwrap_or(typed)
    } else {
        typed
    };
    let text = recorded(usage_words).map(str::to_string).or_else(|| {
        // A text recorded under another of the command's names: only the usage line differs.
        names.iter().find_map(|n| {
            recorded(n).map(|t| {
                t.replacen(
                    &format!("docker {n} "),
                    &format!("docker {usage_words} "),
                    1,
                )
            })
        })
    });
    let mut out = Output::default();
    if short_flag {
        crate::reply::line(
            &mut out,
            "Flag shorthand -h has been deprecated, use --help",
        );
    }
    match text {
        Some(t) => out.stdout.extend_from_slice(t.as_bytes()),
        None => {
            return crate::reply::not_modelled(&format!("docker {typed} --help"));
        }
    }
    out
}

/// The usage cobra prints when a management command is given a subcommand it lacks
/// (recorded for `volume` and `container`).
pub fn management_usage(group: &str) -> Option<&'static str> {
    match group {
        "volume" => Some("docker volume COMMAND"),
        "container" => Some("docker container"),
        _ => None,
    }
}

/// Whether a management command's help lists `sub` among its commands.
pub fn lists_subcommand(group: &str, sub: &str) -> bool {
    recorded(group).is_some_and(|text| {
        text.lines()
            .skip_while(|l| *l != "Commands:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .any(|l| l.split_whitespace().next() == Some(sub))
    })
}

/// `docker help WORDS...`, `docker --help`, `docker MANAGEMENT --help`.
pub fn plain(words: &str) -> Option<Output> {
    recorded(words).map(|t| Output {
        stdout: t.as_bytes().to_vec(),
        ..Output::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_names_the_command_as_typed_under_its_group() {
        let out = help(
            "container ps",
            &["ps", "container ls", "container list", "container ps"],
            false,
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(
            text.starts_with("Usage:  docker container ls [OPTIONS]"),
            "{text}"
        );
        let out = help("ps", &["ps", "container ls"], true);
        assert!(out.stdout.starts_with(
            b"Flag shorthand -h has been deprecated, use --help\nUsage:  docker ps [OPTIONS]"
        ));
    }

    #[test]
    fn every_text_starts_with_a_usage_line() {
        for key in ["", "run", "volume", "volume ls", "system df"] {
            assert!(
                recorded(key).is_some_and(|t| t.starts_with("Usage:  docker")),
                "{key}"
            );
        }
    }
}
