//! Block-by-block comparison of the engine's and layerbox's normalised outputs, and what a
//! difference is called: the first differing command's verb and the kind of difference, the
//! key that groups differences into causes and that the shrinker keeps.

use std::fmt;

/// What one command printed (normalised) and its exit code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    pub output: Vec<String>,
    pub exit: i32,
    /// layerbox's side only: which stream wrote each piece of each line (`true` for stderr),
    /// one entry per line of `output`; empty when not known (the engine's side).
    pub streams: Vec<Vec<(bool, String)>>,
}

/// How two outcomes of one command differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The same output, another exit code.
    Exit,
    /// layerbox printed fewer lines, the ones it printed agree.
    Missing,
    /// layerbox printed more lines, the engine's all agree.
    Extra,
    /// The same lines in another order (stdout and stderr interleaved otherwise, say).
    Order,
    /// A line differs.
    Line,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Exit => "exit code",
            Kind::Missing => "missing lines",
            Kind::Extra => "extra lines",
            Kind::Order => "same lines, other order",
            Kind::Line => "different line",
        })
    }
}

/// The key of a difference: the command's verb and the kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cause {
    pub verb: String,
    pub kind: Kind,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.verb, self.kind)
    }
}

/// One differing block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The block's index in the session.
    pub index: usize,
    pub command: String,
    pub cause: Cause,
    /// The first differing line on each side (`<end>` past the last line), or the exit codes.
    pub want: String,
    pub got: String,
}

fn is_diff(command: &str) -> bool {
    command.starts_with("docker diff") || command.starts_with("docker container diff")
}

/// Whether the engine's answer depends on the recording machine, not on Docker: an image that
/// is not local makes `docker run` (or a `FROM`) ask a registry, which the recording machine
/// cannot reach
/// (layerbox answers as Docker without a registry would; `crates/shell/tests/not_modelled.rs`).
pub fn unrecordable(want: &Outcome) -> bool {
    want.output.iter().any(|line| {
        line.starts_with("Unable to find image") || line.contains("https://registry-1.docker.io/")
    })
}

/// layerbox's line in Engine 20.10's words where layerbox follows current Docker on purpose
/// (the transcripts' `# current-docker:` notes): since Engine 23 a runtime start error begins
/// "failed to create task for container: ", and runc 1.2 adds "error during container init: "
/// before an exec error.
fn as_engine_20_10(line: &str) -> String {
    line.replace(
        "failed to create task for container: failed to create shim task",
        "failed to create shim task",
    )
    // runc 1.1 already says it before a mount error, not before an exec error
    .replace(
        "unable to start container process: error during container init: exec:",
        "unable to start container process: exec:",
    )
}

/// Whether the engine's output is layerbox's stdout and stderr interleaved another way, and
/// the exit codes agree. A container's two streams reach the engine's client through
/// separate pipes, so Docker's own interleaving varies from run to run (`mv /a /b; echo hi`
/// printed the two lines in both orders in six runs on Engine 20.10.24): such a block is
/// Docker's race, not a disagreement about Docker's behaviour.
pub fn interleaved(want: &Outcome, got: &Outcome) -> bool {
    if want.exit != got.exit || got.streams.len() != got.output.len() || want.output == got.output {
        return false;
    }
    let (mut out, mut err) = (String::new(), String::new());
    for (line, pieces) in got.output.iter().zip(&got.streams) {
        let plain: String = pieces.iter().map(|(_, text)| text.as_str()).collect();
        let last_err = pieces.last().is_some_and(|(e, _)| *e);
        if pieces.iter().all(|(e, _)| *e == last_err) {
            // one stream wrote the whole line: its normalised form goes there
            if last_err { &mut err } else { &mut out }.push_str(line);
        } else if plain == *line {
            for (e, text) in pieces {
                if *e { &mut err } else { &mut out }.push_str(text);
            }
        } else {
            return false;
        }
        if last_err { &mut err } else { &mut out }.push('\n');
    }
    let (out, err) = (as_engine_20_10(&out), as_engine_20_10(&err));
    let whole: String = want.output.iter().map(|l| format!("{l}\n")).collect();
    is_shuffle(whole.as_bytes(), out.as_bytes(), err.as_bytes())
}

/// Whether `whole` is `a` and `b` interleaved, each in its own order (bounded: a too large
/// table answers no).
fn is_shuffle(whole: &[u8], a: &[u8], b: &[u8]) -> bool {
    if whole.len() != a.len() + b.len() || (a.len() + 1) * (b.len() + 1) > 8_000_000 {
        return false;
    }
    let width = b.len() + 1;
    let mut can = vec![false; (a.len() + 1) * width];
    can[0] = true;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if i == 0 && j == 0 {
                continue;
            }
            let c = whole[i + j - 1];
            can[i * width + j] = (i > 0 && can[(i - 1) * width + j] && a[i - 1] == c)
                || (j > 0 && can[i * width + j - 1] && b[j - 1] == c);
        }
    }
    can[a.len() * width + b.len()]
}

/// How `got` (layerbox) differs from `want` (the engine) for `command`, if it does. A
/// `docker diff` compares as a set, as the conformance replay does; an [`unrecordable`] block
/// is not compared, nor one that is only Docker's stdout/stderr race ([`interleaved`]).
pub fn compare(index: usize, command: &str, want: &Outcome, got: &Outcome) -> Option<Difference> {
    if unrecordable(want) || interleaved(want, got) {
        return None;
    }
    let (mut want_lines, mut got_lines) = (
        want.output.clone(),
        got.output
            .iter()
            .map(|l| as_engine_20_10(l))
            .collect::<Vec<_>>(),
    );
    if is_diff(command) {
        want_lines.sort();
        got_lines.sort();
    }
    let difference = |kind, want: String, got: String| Difference {
        index,
        command: command.to_string(),
        cause: Cause {
            verb: verb(command, &want_lines),
            kind,
        },
        want,
        got,
    };
    if want_lines == got_lines {
        if want.exit == got.exit {
            return None;
        }
        return Some(difference(
            Kind::Exit,
            format!("[exit {}]", want.exit),
            format!("[exit {}]", got.exit),
        ));
    }
    let (mut want_set, mut got_set) = (want_lines.clone(), got_lines.clone());
    want_set.sort();
    got_set.sort();
    let reordered = want_set == got_set;
    let at = want_lines
        .iter()
        .zip(&got_lines)
        .position(|(w, g)| w != g)
        .unwrap_or(want_lines.len().min(got_lines.len()));
    let subset = |small: &[String], large: &[String]| {
        let mut rest = large.to_vec();
        small
            .iter()
            .all(|line| match rest.iter().position(|l| l == line) {
                Some(found) => {
                    rest.remove(found);
                    true
                }
                None => false,
            })
    };
    let kind = if reordered {
        Kind::Order
    } else if is_diff(command) && subset(&got_lines, &want_lines) {
        Kind::Missing
    } else if is_diff(command) && subset(&want_lines, &got_lines) {
        Kind::Extra
    } else if at == got_lines.len() {
        Kind::Missing
    } else if at == want_lines.len() {
        Kind::Extra
    } else {
        Kind::Line
    };
    let line = |lines: &[String]| lines.get(at).cloned().unwrap_or_else(|| "<end>".into());
    let mut found = difference(kind, line(&want_lines), line(&got_lines));
    if kind == Kind::Line && escaped_id(&found.want, &found.got) {
        found.cause.verb = NORMALISER.into();
    }
    if kind == Kind::Order {
        // how lines interleave does not depend on the program in the container
        found.cause.verb = found
            .cause
            .verb
            .split(" … ")
            .next()
            .unwrap_or("")
            .to_string();
    }
    Some(found)
}

/// Every differing block of a session, in order (`want` and `got` as long as `commands`).
pub fn compare_all(commands: &[String], want: &[Outcome], got: &[Outcome]) -> Vec<Difference> {
    commands
        .iter()
        .zip(want.iter().zip(got))
        .enumerate()
        .filter_map(|(index, (command, (w, g)))| compare(index, command, w, g))
        .collect()
}

/// The verb of a difference that is the normaliser's, not layerbox's: a short id of twelve
/// decimal digits (one in 280 ids) is not recognised as an id, so the engine's line keeps it
/// where layerbox's has `<idN>`, and the ids after it are numbered one apart.
pub const NORMALISER: &str = "normaliser: a 12-digit all-decimal id";

/// Whether the engine's line has a 12-digit decimal word where layerbox's has an `<idN>`.
fn escaped_id(want: &str, got: &str) -> bool {
    let decimal = |w: &str| w.len() == 12 && w.bytes().all(|b| b.is_ascii_digit());
    let placeholder = |w: &str| w.starts_with("<id") && w.ends_with('>');
    let (want, got): (Vec<&str>, Vec<&str>) = (
        want.split([' ', ':']).collect(),
        got.split([' ', ':']).collect(),
    );
    want.len() == got.len()
        && want
            .iter()
            .zip(&got)
            .any(|(w, g)| decimal(w) && placeholder(g))
}

/// Flags of `docker run`, `create` and `exec` that take a value (the next word).
pub const VALUE_FLAGS: &[&str] = &[
    "-v",
    "--volume",
    "--mount",
    "--tmpfs",
    "--volumes-from",
    "-u",
    "--user",
    "-w",
    "--workdir",
    "-e",
    "--env",
    "--name",
    "--entrypoint",
    "-p",
    "--publish",
    "-l",
    "--label",
];

/// The words of a command line up to its first pipe, quotes removed (a rough split, enough for
/// naming verbs).
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for ch in command.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                any = true;
            }
            (None, '|') => break,
            (None, ' ') => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

/// The verb of a command line: `docker volume ls`, `docker run`, `docker exec … chmod`, `ls`.
/// For `run`, `create` and `exec` the program run in the container is added (the first word of
/// an `sh -c` script), unless the engine refused the command (exit 125: the daemon's words).
pub fn verb(command: &str, want: &[String]) -> String {
    let words = words(command);
    let Some(program) = words.first() else {
        return String::new();
    };
    if program != "docker" {
        return program.clone();
    }
    let mut at = 1;
    let mut verb = String::from("docker");
    while let Some(word) = words.get(at) {
        if word.starts_with('-') {
            break;
        }
        verb.push(' ');
        verb.push_str(word);
        at += 1;
        if !matches!(word.as_str(), "volume" | "container" | "image" | "system") {
            break;
        }
    }
    let refused = want
        .first()
        .is_some_and(|line| line.starts_with("docker: Error response from daemon"));
    let runs = ["docker run", "docker create", "docker exec"]
        .iter()
        .any(|v| verb == *v || verb == v.replace("docker ", "docker container "));
    if !runs || refused {
        return verb;
    }
    // skip flags and their values, then the image (or the container for exec)
    while let Some(word) = words.get(at) {
        if !word.starts_with('-') {
            break;
        }
        at += if VALUE_FLAGS.contains(&word.as_str()) {
            2
        } else {
            1
        };
    }
    at += 1;
    let Some(program) = words.get(at) else {
        return verb;
    };
    let program = if program == "sh" && words.get(at + 1).is_some_and(|w| w == "-c") {
        words
            .get(at + 2)
            .and_then(|script| script.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "sh".into())
    } else {
        program.clone()
    };
    format!("{verb} … {program}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(lines: &[&str], exit: i32) -> Outcome {
        Outcome {
            output: lines.iter().map(|l| l.to_string()).collect(),
            exit,
            streams: Vec::new(),
        }
    }

    /// layerbox's outcome from marked lines (`\x01…\x02` is stderr), as `parse_replay` makes it.
    fn marked(lines: &[&str], exit: i32) -> Outcome {
        let streams: Vec<Vec<(bool, String)>> =
            lines.iter().map(|l| super::super::pieces(l)).collect();
        Outcome {
            output: streams
                .iter()
                .map(|p| p.iter().map(|(_, t)| t.as_str()).collect())
                .collect(),
            exit,
            streams,
        }
    }

    #[test]
    fn only_stdout_and_stderr_interleaving_otherwise_is_docker_s_race() {
        let got = marked(&["\x01mv: can't rename '/a'\x02", "hi"], 1);
        // the other order, and a message split by a line of the other stream
        assert!(interleaved(
            &outcome(&["hi", "mv: can't rename '/a'"], 1),
            &got
        ));
        let split = marked(&["\x01sh: can't create /x\x02", "total 0"], 1);
        assert!(interleaved(
            &outcome(&["sh: total 0", "can't create /x"], 1),
            &split
        ));
        assert_eq!(
            compare(
                0,
                "docker run",
                &outcome(&["hi", "mv: can't rename '/a'"], 1),
                &got
            ),
            None
        );
        // lines of one stream in another order are a real difference
        let two_out = marked(&["a", "b"], 0);
        assert!(!interleaved(&outcome(&["b", "a"], 0), &two_out));
        // so is another exit code, or other text
        assert!(!interleaved(
            &outcome(&["hi", "mv: can't rename '/a'"], 0),
            &got
        ));
        assert!(!interleaved(
            &outcome(&["hi", "mv: can't rename '/b'"], 1),
            &got
        ));
    }

    #[test]
    fn kinds_of_difference() {
        let want = outcome(&["a", "b"], 0);
        assert_eq!(compare(0, "ls", &want, &want), None);
        let kind = |got: Outcome| compare(0, "ls", &want, &got).map(|d| d.cause.kind);
        assert_eq!(kind(outcome(&["a", "b"], 1)), Some(Kind::Exit));
        assert_eq!(kind(outcome(&["a"], 0)), Some(Kind::Missing));
        assert_eq!(kind(outcome(&["a", "b", "c"], 0)), Some(Kind::Extra));
        assert_eq!(kind(outcome(&["b", "a"], 0)), Some(Kind::Order));
        let registry = outcome(
            &["Unable to find image 'x:latest' locally", "docker: …"],
            125,
        );
        assert_eq!(compare(0, "docker run x", &registry, &want), None);
        let line = compare(3, "ls", &want, &outcome(&["a", "x"], 0)).expect("differs");
        assert_eq!(line.cause.kind, Kind::Line);
        assert_eq!((line.want.as_str(), line.got.as_str()), ("b", "x"));
        assert_eq!(line.index, 3);
    }

    #[test]
    fn an_all_decimal_id_is_the_normalisers_difference() {
        let want = outcome(&["Step 2/3 : RUN true", " ---> 688869632212"], 0);
        let got = outcome(&["Step 2/3 : RUN true", " ---> <id4>"], 0);
        let d = compare(0, "docker build -t img1 ctx1", &want, &got).expect("differs");
        assert_eq!(d.cause.verb, NORMALISER);
        let got = outcome(&["Step 2/3 : RUN true", " ---> <end>"], 0);
        let d = compare(0, "docker build -t img1 ctx1", &want, &got).expect("differs");
        assert_eq!(d.cause.verb, "docker build");
    }

    #[test]
    fn docker_diff_compares_as_a_set() {
        let want = outcome(&["C /etc", "A /etc/x"], 0);
        let got = outcome(&["A /etc/x", "C /etc"], 0);
        assert_eq!(compare(0, "docker diff c1", &want, &got), None);
        assert!(compare(0, "docker ps", &want, &got).is_some());
        // a set that lacks an entry is missing lines wherever the entry sorts
        let fewer = outcome(&["C /etc", "A /etc/x"], 0);
        let more = outcome(&["A /a", "C /etc", "A /etc/x"], 0);
        let kind = compare(0, "docker diff c1", &more, &fewer).map(|d| d.cause.kind);
        assert_eq!(kind, Some(Kind::Missing));
        let kind = compare(0, "docker diff c1", &fewer, &more).map(|d| d.cause.kind);
        assert_eq!(kind, Some(Kind::Extra));
    }

    #[test]
    fn verbs() {
        assert_eq!(verb("docker volume ls -q", &[]), "docker volume ls");
        assert_eq!(verb("docker ps -a --format '{{.Names}}'", &[]), "docker ps");
        assert_eq!(verb("ls -l d1", &[]), "ls");
        assert_eq!(
            verb(
                "docker run --rm --name c1 -v vol1:/data -u 1000 alpine sh -c 'ln -s a /data/b; ls -l /data'",
                &[]
            ),
            "docker run … ln"
        );
        assert_eq!(
            verb("docker exec -w /data c2 ls -la", &[]),
            "docker exec … ls"
        );
        assert_eq!(
            verb(
                "docker run --name c1 -v x:rel alpine true",
                &["docker: Error response from daemon: invalid".to_string()]
            ),
            "docker run"
        );
        assert_eq!(
            verb("docker inspect --format '{{.Mounts}}' c1 | sort", &[]),
            "docker inspect"
        );
        assert_eq!(
            verb("docker container rm -v c1", &[]),
            "docker container rm"
        );
    }
}
