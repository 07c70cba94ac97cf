//! `--help`, `-h` and `docker help [COMMAND]`: Docker 28.2.2's own help texts (`help.txt`,
//! recorded from the real CLI by the `help-*` conformance sessions), printed whole.
//!
//! Emulation note: a text lists every flag Docker has, also those layerbox does not model;
//! using one of those answers `layerbox: docker run --network is not modelled`.
//!
//! The web bundle does not carry `help.txt`: the page loads it after the terminal is usable
//! (`layerbox-texts`), and a line that needs it before then waits for it. If it cannot be had,
//! a help says so in layerbox's words ([`layerbox_texts::unavailable`]), never guessing.

use layerbox_sh::Output;

/// The texts built into the native binary and tests; the web bundle loads them instead.
#[cfg(not(target_arch = "wasm32"))]
const EMBEDDED: Option<&str> = Some(include_str!("help.txt"));
#[cfg(target_arch = "wasm32")]
const EMBEDDED: Option<&str> = None;

/// Every recorded text, or what to print when they cannot be had.
fn texts() -> Result<&'static str, Output> {
    layerbox_texts::get(layerbox_texts::DOCKER_HELP, EMBEDDED).ok_or_else(|| Output {
        stderr: layerbox_texts::unavailable(layerbox_texts::DOCKER_HELP).into_bytes(),
        code: layerbox_texts::UNAVAILABLE,
        ..Output::default()
    })
}

/// The recorded text for `docker WORDS --help` (`""` for `docker --help`) in `texts`.
fn recorded_in(texts: &'static str, words: &str) -> Option<&'static str> {
    let mut rest = texts;
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

/// The recorded text for `docker WORDS --help`, or what to print when the texts cannot be had.
fn recorded(words: &str) -> Result<Option<&'static str>, Output> {
    Ok(recorded_in(texts()?, words))
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
    let texts = match texts() {
        Ok(texts) => texts,
        Err(unavailable) => return unavailable,
    };
    let text = recorded_in(texts, usage_words)
        .map(str::to_string)
        .or_else(|| {
            // A text recorded under another of the command's names: only the usage line differs.
            names.iter().find_map(|n| {
                recorded_in(texts, n).map(|t| {
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

/// Whether a management command's help lists `sub` among its commands (or what to print when
/// the texts that tell cannot be had).
pub fn lists_subcommand(group: &str, sub: &str) -> Result<bool, Output> {
    Ok(recorded(group)?.is_some_and(|text| {
        text.lines()
            .skip_while(|l| *l != "Commands:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .any(|l| l.split_whitespace().next() == Some(sub))
    }))
}

/// `docker help WORDS...`, `docker --help`, `docker MANAGEMENT --help` (`None`: no such text;
/// a text that cannot be had says so).
pub fn plain(words: &str) -> Option<Output> {
    match recorded(words) {
        Ok(text) => text.map(|t| Output {
            stdout: t.as_bytes().to_vec(),
            ..Output::default()
        }),
        Err(unavailable) => Some(unavailable),
    }
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
                recorded(key).is_ok_and(|t| t.is_some_and(|t| t.starts_with("Usage:  docker"))),
                "{key}"
            );
        }
    }

    #[test]
    fn without_its_texts_a_help_says_so_and_prints_no_other_text() {
        layerbox_texts::without_embedded(|| {
            let unavailable = layerbox_texts::unavailable(layerbox_texts::DOCKER_HELP);
            for out in [
                help("run", &["run", "container run"], true),
                plain("").expect("docker --help"),
                plain("volume").expect("docker volume --help"),
                lists_subcommand("volume", "nosuch").expect_err("not told"),
            ] {
                assert_eq!(String::from_utf8_lossy(&out.stderr), unavailable);
                assert!(out.stdout.is_empty());
                assert_eq!(out.code, layerbox_texts::UNAVAILABLE);
            }
        });
    }
}
