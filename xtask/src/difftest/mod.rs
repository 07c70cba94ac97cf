//! `cargo xtask difftest [--sessions N] [--seed S] [--keep DIR]`: differential testing of
//! layerbox against a real Docker Engine (issue 17).
//!
//! 1. `gen.rs` (with `grammar.rs`, `build.rs`, `mistakes.rs`, `rng.rs`) generates N sessions
//!    from the seed.
//! 2. Each runs on the engine through `record.rs`'s [`Recorder`] (same private daemon, host user,
//!    sample images and normaliser as `cargo xtask record`) and on layerbox (`layerbox replay`,
//!    built first), normalised alike; `compare.rs` compares them block by block.
//! 3. For each distinct cause (the first differing command's verb and kind of difference), the
//!    session where it comes earliest is shrunk by `shrink.rs` and the minimal case, with the
//!    engine's outputs, is written to the keep directory in the transcript format.
//! 4. A summary gives blocks compared, blocks that differ, the causes and the seed.
//!
//! Needs what `cargo xtask record` needs (root, `docker.io`, `busybox-static`); not run in CI.
//! `--print` only prints the generated sessions (no engine needed).

mod build;
mod compare;
mod gen;
mod grammar;
mod mistakes;
mod rng;
mod shrink;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use layerbox_acceptance::transcript::{output_lines, Block, Normalizer, Transcript};

use crate::record::{with_recorder, Recorder};
use compare::{compare_all, Cause, Difference, Outcome};
use shrink::{shrink, Runner, Shrunk};

const USAGE: &str = "\
usage: cargo xtask difftest [--sessions N] [--from K] [--seed S] [--keep DIR] [--budget RUNS] [--print]
  --sessions N   sessions to generate and run (default 50)
  --from K       start at the seed's session K (default 0), so that a long campaign can run in
                 batches: each batch holds the recorder's lock only while it runs
  --seed S       the generator's seed (default: from the clock, printed); same seed, same sessions
  --keep DIR     where minimal cases and the summary go (default target/difftest)
  --budget RUNS  engine runs the shrinker may make per cause (default 40)
  --print        print the generated sessions and stop (needs no Docker)";

struct Options {
    sessions: usize,
    from: usize,
    seed: u64,
    keep: PathBuf,
    budget: usize,
    print: bool,
}

fn parse(args: &[String]) -> Result<Option<Options>> {
    let mut options = Options {
        sessions: 50,
        from: 0,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() % 100_000)
            .unwrap_or(1),
        keep: crate::root().join("target").join("difftest"),
        budget: 40,
        print: false,
    };
    let mut at = 0;
    while at < args.len() {
        let value = |at: usize| -> Result<&String> {
            args.get(at + 1)
                .with_context(|| format!("{} needs a value\n{USAGE}", args[at]))
        };
        match args[at].as_str() {
            "--sessions" => options.sessions = value(at)?.parse().context("--sessions")?,
            "--from" => options.from = value(at)?.parse().context("--from")?,
            "--seed" => options.seed = value(at)?.parse().context("--seed")?,
            "--keep" => options.keep = PathBuf::from(value(at)?),
            "--budget" => options.budget = value(at)?.parse().context("--budget")?,
            "--print" => {
                options.print = true;
                at += 1;
                continue;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
        at += 2;
    }
    Ok(Some(options))
}

/// Entry point of `cargo xtask difftest`.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let Some(options) = parse(args)? else {
        return Ok(ExitCode::SUCCESS);
    };
    if options.print {
        for index in options.from..options.from + options.sessions {
            println!("# seed {}, session {index}", options.seed);
            for line in gen::session(options.seed, index) {
                println!("$ {line}");
            }
            println!();
        }
        return Ok(ExitCode::SUCCESS);
    }
    let layerbox = Layerbox::build()?;
    fs::create_dir_all(&options.keep)
        .with_context(|| format!("creating {}", options.keep.display()))?;
    let started = Instant::now();
    let summary = with_recorder(false, true, |recorder| {
        let mut both = Both {
            recorder,
            layerbox: &layerbox,
        };
        campaign(&mut both, recorder.header(), &options)
    })?;
    let summary = format!("{summary}time: {:.0}s\n", started.elapsed().as_secs_f64());
    print!("{summary}");
    let path = options.keep.join(if options.from == 0 {
        format!("summary-seed-{}.txt", options.seed)
    } else {
        format!("summary-seed-{}-from-{}.txt", options.seed, options.from)
    });
    fs::write(&path, &summary)?;
    println!("difftest: summary written to {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The engine through the recorder, and layerbox's `replay`.
struct Both<'a> {
    recorder: &'a Recorder,
    layerbox: &'a Layerbox,
}

impl Runner for Both<'_> {
    fn run(&mut self, commands: &[String]) -> Result<(Vec<Outcome>, Vec<Outcome>)> {
        let transcript = Transcript {
            header: Vec::new(),
            blocks: commands
                .iter()
                .map(|command| Block {
                    command: command.clone(),
                    ..Block::default()
                })
                .collect(),
        };
        let recorded = self.recorder.record(&transcript)?;
        let want = recorded
            .blocks
            .iter()
            .map(|block| Outcome {
                output: block.output.clone(),
                exit: block.exit,
                streams: Vec::new(),
            })
            .collect();
        let got = self.layerbox.run(commands)?;
        Ok((want, got))
    }
}

/// The native `layerbox` binary, built from this worktree.
struct Layerbox {
    binary: PathBuf,
    scratch: PathBuf,
}

impl Drop for Layerbox {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.binary);
    }
}

impl Layerbox {
    fn build() -> Result<Layerbox> {
        println!("difftest: building layerbox (cargo build -p layerbox-cli)");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "-q", "-p", "layerbox-cli"])
            .current_dir(crate::root())
            .status()?;
        if !status.success() {
            bail!("building layerbox-cli failed");
        }
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| crate::root().join("target"));
        // A copy of its own, so that a build while the run goes on cannot pull the binary
        // from under it.
        let binary = std::env::temp_dir().join(format!("layerbox-difftest-{}", std::process::id()));
        fs::copy(target.join("debug").join("layerbox"), &binary)
            .context("copying the layerbox binary")?;
        Ok(Layerbox {
            binary,
            scratch: std::env::temp_dir()
                .join(format!("layerbox-difftest-{}.txt", std::process::id())),
        })
    }

    /// Runs `commands` in one fresh layerbox session; each output normalised.
    fn run(&self, commands: &[String]) -> Result<Vec<Outcome>> {
        let text: String = commands.iter().map(|c| format!("$ {c}\n")).collect();
        fs::write(&self.scratch, text)?;
        let output = Command::new(&self.binary)
            .arg("replay")
            .arg("--mark-stderr")
            .arg(&self.scratch)
            .output()
            .with_context(|| format!("running {}", self.binary.display()))?;
        let _ = fs::remove_file(&self.scratch);
        if !output.status.success() {
            bail!(
                "layerbox replay failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        parse_replay(&String::from_utf8_lossy(&output.stdout), commands)
    }
}

/// Splits `layerbox replay --mark-stderr`'s transcript into one normalised outcome per
/// command, with which stream wrote each piece of each line.
fn parse_replay(text: &str, commands: &[String]) -> Result<Vec<Outcome>> {
    let marked = output_lines(text);
    let streams: Vec<Vec<(bool, String)>> = marked.iter().map(|l| pieces(l)).collect();
    let lines: Vec<String> = streams
        .iter()
        .map(|p| p.iter().map(|(_, t)| t.as_str()).collect())
        .collect();
    let mut normalizer = Normalizer::new();
    let mut outcomes = Vec::new();
    let mut at = 0;
    for (index, command) in commands.iter().enumerate() {
        if lines.get(at).map(String::as_str) != Some(&format!("$ {command}")) {
            bail!("layerbox replay: expected `$ {command}` at line {}", at + 1);
        }
        at += 1;
        let next = commands.get(index + 1).map(|c| format!("$ {c}"));
        let start = at;
        while at < lines.len() && Some(&lines[at]) != next.as_ref() {
            at += 1;
        }
        let mut output = lines[start..at].to_vec();
        let mut pieces = streams[start..at].to_vec();
        let mut exit = 0;
        if let Some(code) = output
            .last()
            .and_then(|l| l.strip_prefix("[exit ")?.strip_suffix(']')?.parse().ok())
        {
            exit = code;
            output.pop();
            pieces.pop();
        }
        let output = normalizer.normalize_lines(&output);
        if output.len() != pieces.len() {
            pieces.clear();
        }
        outcomes.push(Outcome {
            output,
            exit,
            streams: pieces,
        });
    }
    Ok(outcomes)
}

/// A marked line's pieces: text between `\x01` and `\x02` came from stderr.
fn pieces(line: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut err = false;
    let mut current = String::new();
    for c in line.chars() {
        match c {
            '\x01' | '\x02' => {
                if !current.is_empty() {
                    out.push((err, std::mem::take(&mut current)));
                }
                err = c == '\x01';
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push((err, current));
    }
    out
}

/// A session's first difference, with what is needed to shrink it.
struct Found {
    session: usize,
    commands: Vec<String>,
    want: Vec<Outcome>,
    got: Vec<Outcome>,
    difference: Difference,
}

/// Runs the sessions, shrinks one case per cause, writes the cases; returns the summary text.
fn campaign(runner: &mut dyn Runner, header: &str, options: &Options) -> Result<String> {
    let seed = options.seed;
    let mut blocks = 0;
    let mut differing = 0;
    let mut agreeing_sessions = 0;
    let mut unrecordable = 0;
    let mut reordered = 0;
    let mut interleaved = 0;
    let mut causes: BTreeMap<Cause, Vec<Found>> = BTreeMap::new();
    let sessions_dir = options.keep.join(format!("sessions-seed-{seed}"));
    for session in options.from..options.from + options.sessions {
        let started = Instant::now();
        let commands = gen::session(seed, session);
        let (want, got) = runner.run(&commands)?;
        let differences = compare_all(&commands, &want, &got);
        interleaved += want
            .iter()
            .zip(&got)
            .filter(|(w, g)| !compare::unrecordable(w) && compare::interleaved(w, g))
            .count();
        let skipped = want.iter().filter(|w| compare::unrecordable(w)).count();
        unrecordable += skipped;
        blocks += commands.len() - skipped;
        differing += differences.len();
        reordered += differences
            .iter()
            .filter(|d| d.cause.kind == compare::Kind::Order)
            .count();
        let first = differences.first().cloned();
        match &first {
            None => {
                agreeing_sessions += 1;
                println!(
                    "difftest: session {session}: {} blocks agree ({:.1}s)",
                    commands.len(),
                    started.elapsed().as_secs_f64()
                );
            }
            Some(d) => {
                println!(
                    "difftest: session {session}: {} of {} blocks differ, first at {}: {} ({:.1}s)",
                    differences.len(),
                    commands.len(),
                    d.index,
                    d.cause,
                    started.elapsed().as_secs_f64()
                );
                fs::create_dir_all(&sessions_dir)?;
                let base = sessions_dir.join(format!("session-{session:03}"));
                fs::write(
                    base.with_extension("txt"),
                    transcript(header, &[], &commands, &want).format(),
                )?;
                fs::write(base.with_extension("diff"), describe(&differences))?;
            }
        }
        if let Some(difference) = first {
            causes
                .entry(difference.cause.clone())
                .or_default()
                .push(Found {
                    session,
                    commands,
                    want,
                    got,
                    difference,
                });
        }
    }
    let mut summary = String::new();
    let share = if blocks == 0 {
        100.0
    } else {
        100.0 * (blocks - differing) as f64 / blocks as f64
    };
    let share_in_order = if blocks == 0 {
        100.0
    } else {
        100.0 * (blocks - differing + reordered) as f64 / blocks as f64
    };
    let _ = writeln!(
        summary,
        "difftest: seed {seed}: {} sessions, {blocks} blocks compared, {differing} differ ({share:.1}% agree); {agreeing_sessions} sessions agree entirely; {unrecordable} blocks not compared (the engine asked a registry)",
        options.sessions
    );
    let _ = writeln!(
        summary,
        "  {interleaved} agreeing blocks differ from the engine's only in how the container's stdout and stderr interleave, which varies from run to run in Docker itself (compare::interleaved)"
    );
    let _ = writeln!(
        summary,
        "  {reordered} of the differing blocks differ only in line order ({share_in_order:.1}% agree as sets of lines): a container's stdout and stderr reach the engine's client separately, so Docker's own order varies run to run"
    );
    let _ = writeln!(
        summary,
        "{} distinct cause(s) (first differing command's verb and kind of difference):",
        causes.len()
    );
    for (number, (cause, found)) in causes.iter().enumerate() {
        // the instance likeliest to shrink fast: fewest earlier commands sharing a name with the
        // differing one, then the earliest
        let Some(earliest) = found.iter().min_by_key(|f| {
            let d = &f.difference;
            let related = shrink::slice(&f.commands[..d.index], &f.commands[d.index]).len();
            (related, d.index, f.session)
        }) else {
            continue;
        };
        let sessions: Vec<String> = found.iter().map(|f| f.session.to_string()).collect();
        let _ = writeln!(
            summary,
            "{}. {cause}: sessions {}",
            number + 1,
            sessions.join(", ")
        );
        if cause.verb == compare::NORMALISER {
            let d = &earliest.difference;
            let _ = writeln!(
                summary,
                "   $ {}\n   want: {}\n   got:  {}\n   not shrunk: the shared normaliser's, by chance (session {}, block {})",
                d.command, d.want, d.got, earliest.session, d.index
            );
            continue;
        }
        println!("difftest: shrinking {cause} (session {})", earliest.session);
        let shrunk = shrink(
            runner,
            &earliest.commands,
            &earliest.want,
            &earliest.got,
            &earliest.difference,
            options.budget,
        )?;
        let path = options.keep.join(format!(
            "{}-seed{seed}-s{}.txt",
            slug(cause),
            earliest.session
        ));
        fs::write(&path, case(header, seed, earliest, &shrunk).format())?;
        // what layerbox printed for the same commands, beside it
        let ours = transcript("# layerbox replay", &[], &shrunk.commands, &shrunk.got);
        fs::write(path.with_extension("layerbox"), ours.format())?;
        let d = &shrunk.difference;
        let _ = writeln!(
            summary,
            "   $ {}\n   want: {}\n   got:  {}\n   minimal case: {} ({} of {} commands, {} runs{})",
            d.command,
            d.want,
            d.got,
            path.display(),
            shrunk.commands.len(),
            earliest.difference.index + 1,
            shrunk.runs,
            if shrunk.budget_spent {
                ", budget spent: may not be minimal"
            } else {
                ""
            }
        );
    }
    Ok(summary)
}

/// A transcript of `commands` with the engine's outcomes.
fn transcript(header: &str, more: &[String], commands: &[String], want: &[Outcome]) -> Transcript {
    Transcript {
        header: std::iter::once(header.to_string())
            .chain(more.iter().cloned())
            .collect(),
        blocks: commands
            .iter()
            .zip(want)
            .map(|(command, outcome)| Block {
                comments: Vec::new(),
                command: command.clone(),
                output: outcome.output.clone(),
                exit: outcome.exit,
            })
            .collect(),
    }
}

/// The minimal case as a transcript, recorded from the engine, ready for `tests/conformance`.
fn case(header: &str, seed: u64, found: &Found, shrunk: &Shrunk) -> Transcript {
    let d = &shrunk.difference;
    let about = vec![format!(
        "# Found by `cargo xtask difftest --seed {seed}` (session {}), shrunk from {} to {} commands: at the last one layerbox printed {:?} where Docker printed {:?} ({}).",
        found.session,
        found.difference.index + 1,
        shrunk.commands.len(),
        d.got,
        d.want,
        d.cause.kind
    )];
    transcript(header, &about, &shrunk.commands, &shrunk.want)
}

/// Every differing block of a session, for its `.diff` file.
fn describe(differences: &[Difference]) -> String {
    let mut text = String::new();
    for d in differences {
        let _ = writeln!(
            text,
            "block {}: {}\n$ {}\n  want: {}\n  got:  {}",
            d.index, d.cause, d.command, d.want, d.got
        );
    }
    text
}

/// A file-name form of a cause: `docker-run-ln-different-line`.
fn slug(cause: &Cause) -> String {
    let text = format!("{} {}", cause.verb, cause.kind);
    let mut slug = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_output_splits_into_blocks() {
        let commands: Vec<String> = ["docker volume create vol1", "ls nope", "true"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = "$ docker volume create vol1\nvol1\n$ ls nope\nls: cannot access 'nope': No such file or directory\n[exit 2]\n$ true\n";
        let outcomes = parse_replay(text, &commands).expect("parses");
        assert_eq!(outcomes.len(), 3);
        assert_eq!(outcomes[0].output, ["vol1"]);
        assert_eq!(outcomes[1].exit, 2);
        assert_eq!(outcomes[1].output.len(), 1);
        assert!(outcomes[2].output.is_empty());
        assert!(parse_replay("$ other\n", &commands).is_err());
    }

    #[test]
    fn slugs_name_files() {
        let cause = Cause {
            verb: "docker run … ln".into(),
            kind: compare::Kind::Line,
        };
        assert_eq!(slug(&cause), "docker-run-ln-different-line");
    }

    #[test]
    fn options() {
        let args: Vec<String> = ["--sessions", "3", "--seed", "9", "--keep", "/tmp/x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let options = parse(&args).expect("parses").expect("runs");
        assert_eq!((options.sessions, options.seed), (3, 9));
        assert_eq!(options.keep, PathBuf::from("/tmp/x"));
        assert!(parse(&["--bogus".to_string()]).is_err());
    }
}
