//! The shrinker of `cargo xtask difftest`: delta debugging (Zeller's ddmin, complements first)
//! of a session down to the fewest commands that still differ first at the same command, with
//! the same verb and kind of difference.
//!
//! The differing command is always kept, last; only the commands before it are removed. Runs on
//! the real engine cost about half a second a command, so before ddmin two cheap candidates are
//! tried: the command alone, and its slice (the earlier commands that share a name with it,
//! transitively: `c3`, `vol2`, `d4`, `img5`, `f6.txt`). Every candidate run is remembered, and a
//! budget caps the runs per case.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;

use super::compare::{compare_all, Difference, Outcome};

/// Runs a session on both sides: the engine's outcomes, then layerbox's, one per command.
pub trait Runner {
    fn run(&mut self, commands: &[String]) -> Result<(Vec<Outcome>, Vec<Outcome>)>;
}

/// A minimal case.
#[derive(Debug, Clone)]
pub struct Shrunk {
    pub commands: Vec<String>,
    /// The engine's outcomes (what the transcript keeps).
    pub want: Vec<Outcome>,
    pub got: Vec<Outcome>,
    /// The difference at its last command.
    pub difference: Difference,
    /// Candidate runs made.
    pub runs: usize,
    /// Whether the budget ran out before ddmin finished (then the case may not be minimal).
    pub budget_spent: bool,
}

struct Search<'a> {
    runner: &'a mut dyn Runner,
    tried: HashMap<Vec<String>, bool>,
    runs: usize,
    budget: usize,
    best: Best,
}

/// The smallest passing case so far (the differing command last) and its run's outcomes.
struct Best {
    commands: Vec<String>,
    want: Vec<Outcome>,
    got: Vec<Outcome>,
    difference: Difference,
}

/// The verb without the program run in the container (`docker run … ln` → `docker run`).
fn base_verb(verb: &str) -> &str {
    verb.split(" … ").next().unwrap_or(verb)
}

/// How big a case is: commands first, then characters.
fn size(commands: &[String]) -> (usize, usize) {
    (commands.len(), commands.iter().map(String::len).sum())
}

impl Search<'_> {
    /// Whether `commands` still differ first at their last command with the same cause.
    /// `relaxed` (when that command itself was simplified) lets the program in the container
    /// change, not the docker verb, the kind, or whether the daemon refused the command.
    fn test(&mut self, commands: Vec<String>, relaxed: bool) -> Result<bool> {
        if let Some(known) = self.tried.get(&commands) {
            return Ok(*known);
        }
        if self.runs >= self.budget {
            return Ok(false);
        }
        self.runs += 1;
        let (want, got) = self.runner.run(&commands)?;
        let first = compare_all(&commands, &want, &got).into_iter().next();
        // the best case's cause: the original one, or as a simplified command words it
        let cause = &self.best.difference.cause;
        let same = first.filter(|d| {
            d.index + 1 == commands.len()
                && d.cause.kind == cause.kind
                && if relaxed {
                    base_verb(&d.cause.verb) == base_verb(&cause.verb)
                        && d.cause.verb.contains(" … ") == cause.verb.contains(" … ")
                } else {
                    d.cause.verb == cause.verb
                }
        });
        let pass = same.is_some();
        if let Some(difference) = same {
            if size(&commands) < size(&self.best.commands) {
                self.best = Best {
                    commands: commands.clone(),
                    want,
                    got,
                    difference,
                };
            }
        }
        self.tried.insert(commands, pass);
        Ok(pass)
    }

    /// ddmin over the commands before the differing one in the best case, complements first
    /// (the command alone, then `first` if given, are tried before); the result is the best case.
    fn ddmin(&mut self, first: Option<Vec<usize>>) -> Result<()> {
        let base = self.best.commands.clone();
        let Some((last, prefix)) = base.split_last() else {
            return Ok(());
        };
        let case = |keep: &[usize]| -> Vec<String> {
            keep.iter()
                .map(|&i| prefix[i].clone())
                .chain(std::iter::once(last.clone()))
                .collect()
        };
        let mut items: Vec<usize> = (0..prefix.len()).collect();
        if items.is_empty() || self.test(case(&[]), false)? {
            return Ok(());
        }
        if let Some(first) = first.filter(|f| f.len() < items.len()) {
            if self.test(case(&first), false)? {
                items = first;
            }
        }
        let mut n = 2;
        while !items.is_empty() && self.runs < self.budget {
            let chunks = split(&items, n.min(items.len()));
            let mut reduced = false;
            for chunk in &chunks {
                let complement: Vec<usize> = items
                    .iter()
                    .copied()
                    .filter(|i| !chunk.contains(i))
                    .collect();
                if self.test(case(&complement), false)? {
                    items = complement;
                    n = (n - 1).max(2);
                    reduced = true;
                    break;
                }
            }
            if !reduced && n > 2 {
                for chunk in &chunks {
                    if chunk.len() < items.len() && self.test(case(chunk), false)? {
                        items = chunk.clone();
                        n = 2;
                        reduced = true;
                        break;
                    }
                }
            }
            if !reduced {
                if n >= items.len() {
                    break;
                }
                n = (n * 2).min(items.len());
            }
        }
        Ok(())
    }

    /// Leaves out options and script steps of the case's commands (the differing one first)
    /// while it still differs the same way; whether anything changed.
    fn simplify(&mut self) -> Result<bool> {
        let mut changed = false;
        'again: while self.runs < self.budget {
            let commands = self.best.commands.clone();
            for at in (0..commands.len()).rev() {
                let last = at + 1 == commands.len();
                for candidate in simpler(&commands[at]) {
                    let mut case = commands.clone();
                    case[at] = candidate;
                    if self.test(case, last)? {
                        changed = true;
                        continue 'again;
                    }
                }
            }
            break;
        }
        Ok(changed)
    }
}

/// `items` in `n` nearly equal consecutive chunks.
fn split(items: &[usize], n: usize) -> Vec<Vec<usize>> {
    let n = n.max(1);
    let mut chunks = Vec::new();
    let mut start = 0;
    for k in 0..n {
        let end = (items.len() * (k + 1)) / n;
        if end > start {
            chunks.push(items[start..end].to_vec());
        }
        start = end;
    }
    chunks
}

/// The names a command mentions: words with a letter and a digit (`c3`, `vol2`, `f6.txt`).
pub fn names(command: &str) -> BTreeSet<String> {
    command
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'))
        .filter(|w| {
            w.len() <= 16
                && w.bytes().any(|b| b.is_ascii_digit())
                && w.bytes().any(|b| b.is_ascii_alphabetic())
        })
        .map(str::to_string)
        .collect()
}

/// The earlier commands `last` depends on by name, transitively (indices, ascending).
pub fn slice(prefix: &[String], last: &str) -> Vec<usize> {
    let mut wanted = names(last);
    let mut kept = Vec::new();
    for (index, command) in prefix.iter().enumerate().rev() {
        let mentioned = names(command);
        if mentioned.iter().any(|n| wanted.contains(n)) {
            wanted.extend(mentioned);
            kept.push(index);
        }
    }
    kept.reverse();
    kept
}

/// Shrinks `commands`, whose first difference is `target` (with outcomes `want` and `got` of a
/// run already made), to a minimal case, making at most `budget` runs: ddmin over the commands
/// before the differing one, then fewer options and script steps in each command kept, then
/// ddmin again if that freed earlier commands.
pub fn shrink(
    runner: &mut dyn Runner,
    commands: &[String],
    want: &[Outcome],
    got: &[Outcome],
    target: &Difference,
    budget: usize,
) -> Result<Shrunk> {
    let case = commands[..=target.index].to_vec();
    let sliced = slice(&commands[..target.index], &commands[target.index]);
    let mut search = Search {
        runner,
        tried: HashMap::new(),
        runs: 0,
        budget,
        // The session as run, cut after the difference: known to pass.
        best: Best {
            commands: case.clone(),
            want: want[..=target.index].to_vec(),
            got: got[..=target.index].to_vec(),
            difference: target.clone(),
        },
    };
    search.tried.insert(case, true);
    search.ddmin(Some(sliced))?;
    if search.simplify()? {
        search.ddmin(None)?;
    }
    let runs = search.runs;
    let best = search.best;
    Ok(Shrunk {
        commands: best.commands,
        want: best.want,
        got: best.got,
        difference: best.difference,
        runs,
        budget_spent: runs >= budget,
    })
}

/// A command line's words as written (quotes kept), split at unquoted spaces.
fn raw_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for ch in command.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => {
                quote = None;
                word.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(ch);
                word.push(ch);
            }
            (None, ' ') => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Simpler forms of a `docker run`, `create` or `exec` line: each with one option left out
/// (`--name` stays, so the case reads as written), or one step of its `sh -c '…'` script.
pub fn simpler(command: &str) -> Vec<String> {
    let words = raw_words(command);
    let mut at = 1;
    while words
        .get(at)
        .is_some_and(|w| matches!(w.as_str(), "container"))
    {
        at += 1;
    }
    if words.first().map(String::as_str) != Some("docker")
        || !words
            .get(at)
            .is_some_and(|w| matches!(w.as_str(), "run" | "create" | "exec"))
    {
        return Vec::new();
    }
    at += 1;
    let mut candidates = Vec::new();
    let without = |from: usize, to: usize| -> String {
        words[..from]
            .iter()
            .chain(&words[to..])
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    while let Some(word) = words.get(at) {
        if !word.starts_with('-') {
            break;
        }
        let width = if super::compare::VALUE_FLAGS.contains(&word.as_str()) {
            2
        } else {
            1
        };
        if word != "--name" {
            candidates.push(without(at, (at + width).min(words.len())));
        }
        at += width;
    }
    // the image (or container), then the program
    at += 1;
    let script = words.get(at + 2).filter(|_| {
        words.get(at).is_some_and(|w| w == "sh") && words.get(at + 1).is_some_and(|w| w == "-c")
    });
    if let Some(script) = script {
        let inner = script.trim_matches('\'');
        let glue = if inner.contains("; ") { "; " } else { " && " };
        let steps: Vec<&str> = inner.split(glue).collect();
        if steps.len() > 1 {
            for skip in 0..steps.len() {
                let kept: Vec<&str> = steps
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, s)| *s)
                    .collect();
                let mut words = words.clone();
                words[at + 2] = format!("'{}'", kept.join(glue));
                candidates.push(words.join(" "));
            }
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake pair of sides over a toy language: `set NAME` and `bump NAME` change a counter,
    /// `show NAME` prints it; "layerbox" forgets a bump after a `reset`, and prints one line
    /// too many for `list` when two names are set.
    struct Fake {
        runs: usize,
    }

    fn side(commands: &[String], faulty: bool) -> Vec<Outcome> {
        let mut values: std::collections::BTreeMap<String, i32> = Default::default();
        let mut was_reset = false;
        commands
            .iter()
            .map(|command| {
                let words: Vec<&str> = command.split(' ').collect();
                let mut out = Outcome::default();
                match words.as_slice() {
                    ["set", name] => {
                        values.insert(name.to_string(), 0);
                    }
                    ["bump", name] => match values.get_mut(*name) {
                        Some(v) if !(faulty && was_reset) => *v += 1,
                        Some(_) => {}
                        None => {
                            out.output.push(format!("no {name}"));
                            out.exit = 1;
                        }
                    },
                    ["reset"] => was_reset = true,
                    ["show", name] => match values.get(*name) {
                        Some(v) => out.output.push(v.to_string()),
                        None => out.exit = 1,
                    },
                    ["list"] => {
                        out.output = values.keys().cloned().collect();
                        if faulty && values.len() >= 2 {
                            out.output.push("extra".into());
                        }
                    }
                    _ => {}
                }
                out
            })
            .collect()
    }

    impl Runner for Fake {
        fn run(&mut self, commands: &[String]) -> Result<(Vec<Outcome>, Vec<Outcome>)> {
            self.runs += 1;
            Ok((side(commands, false), side(commands, true)))
        }
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    fn first_difference(
        runner: &mut Fake,
        commands: &[String],
    ) -> (Vec<Outcome>, Vec<Outcome>, Difference) {
        let (want, got) = runner.run(commands).expect("fake runs");
        let difference = compare_all(commands, &want, &got)
            .into_iter()
            .next()
            .expect("the session differs");
        (want, got, difference)
    }

    #[test]
    fn keeps_only_the_commands_the_difference_depends_on() {
        let session = lines(
            "set a1\nset b2\nshow b2\nbump b2\nreset\nset c3\nshow c3\nbump a1\nbump c3\nshow a1\nlist",
        );
        let mut runner = Fake { runs: 0 };
        let (want, got, target) = first_difference(&mut runner, &session);
        assert_eq!(target.command, "show a1");
        let shrunk = shrink(&mut runner, &session, &want, &got, &target, 100).expect("shrinks");
        assert_eq!(shrunk.commands, lines("set a1\nreset\nbump a1\nshow a1"));
        assert_eq!(shrunk.difference.cause, target.cause);
        assert_eq!(shrunk.want.len(), 4);
        assert_eq!(shrunk.want[3].output, ["1"]);
        assert_eq!(shrunk.got[3].output, ["0"]);
        assert!(!shrunk.budget_spent);
    }

    #[test]
    fn a_global_command_keeps_what_it_needs_without_shared_names() {
        let session = lines("set a1\nshow a1\nset b2\nbump a1\nlist");
        let mut runner = Fake { runs: 0 };
        let (want, got, target) = first_difference(&mut runner, &session);
        assert_eq!(target.command, "list");
        let shrunk = shrink(&mut runner, &session, &want, &got, &target, 100).expect("shrinks");
        assert_eq!(shrunk.commands, lines("set a1\nset b2\nlist"));
    }

    #[test]
    fn a_short_session_shrinks_in_a_few_runs() {
        let session = lines("set a1\nset b2\nshow a1\nreset\nlist");
        let mut runner = Fake { runs: 0 };
        let (want, got, target) = first_difference(&mut runner, &session);
        let before = runner.runs;
        let shrunk = shrink(&mut runner, &session, &want, &got, &target, 100).expect("shrinks");
        // `list` needs both sets: the command alone does not differ, ddmin finds the two
        assert_eq!(shrunk.commands, lines("set a1\nset b2\nlist"));
        assert!(runner.runs - before <= 6, "{} runs", runner.runs - before);
    }

    #[test]
    fn the_budget_bounds_the_runs_and_keeps_the_best_case_so_far() {
        let session = lines(
            "set a1\nset b2\nshow b2\nbump b2\nreset\nset c3\nshow c3\nbump a1\nbump c3\nshow a1",
        );
        let mut runner = Fake { runs: 0 };
        let (want, got, target) = first_difference(&mut runner, &session);
        let shrunk = shrink(&mut runner, &session, &want, &got, &target, 2).expect("shrinks");
        assert_eq!(shrunk.runs, 2);
        assert!(shrunk.budget_spent);
        assert_eq!(shrunk.commands.last().map(String::as_str), Some("show a1"));
        assert_eq!(shrunk.difference.cause, target.cause);
    }

    #[test]
    fn simpler_forms_leave_out_one_option_or_script_step() {
        let forms = simpler(
            "docker run --rm --name c1 -v vol1:/data -e A=1 alpine sh -c 'echo x > /data/f; ls /data'",
        );
        assert_eq!(
            forms,
            [
                "docker run --name c1 -v vol1:/data -e A=1 alpine sh -c 'echo x > /data/f; ls /data'",
                "docker run --rm --name c1 -e A=1 alpine sh -c 'echo x > /data/f; ls /data'",
                "docker run --rm --name c1 -v vol1:/data alpine sh -c 'echo x > /data/f; ls /data'",
                "docker run --rm --name c1 -v vol1:/data -e A=1 alpine sh -c 'ls /data'",
                "docker run --rm --name c1 -v vol1:/data -e A=1 alpine sh -c 'echo x > /data/f'",
            ]
        );
        assert_eq!(
            simpler("docker exec -w /data c2 ls -la"),
            ["docker exec c2 ls -la"]
        );
        assert!(simpler("docker volume ls -q").is_empty());
        assert!(simpler("ls -l d1").is_empty());
    }

    /// "layerbox" gets `ls` wrong in a directory that a `-v` bound when `touch` made a file there.
    struct Mounted;

    fn mounted_side(commands: &[String], faulty: bool) -> Vec<Outcome> {
        commands
            .iter()
            .map(|command| {
                let mut out = Outcome::default();
                if command.contains("ls /data") {
                    out.output.push("f".into());
                    if faulty && command.contains("-v vol1:/data") && command.contains("touch") {
                        out.output[0] = "g".into();
                    }
                }
                out
            })
            .collect()
    }

    impl Runner for Mounted {
        fn run(&mut self, commands: &[String]) -> Result<(Vec<Outcome>, Vec<Outcome>)> {
            Ok((mounted_side(commands, false), mounted_side(commands, true)))
        }
    }

    #[test]
    fn the_differing_command_loses_what_it_does_not_need() {
        let session = lines(
            "docker volume create vol1\ndocker run --rm --name c1 -u 1000 -v vol1:/data -e A=1 alpine sh -c 'touch /data/f; echo x; ls /data'",
        );
        let mut runner = Mounted;
        let (want, got) = runner.run(&session).expect("runs");
        let target = compare_all(&session, &want, &got)
            .into_iter()
            .next()
            .expect("differs");
        let shrunk = shrink(&mut runner, &session, &want, &got, &target, 100).expect("shrinks");
        assert_eq!(
            shrunk.commands,
            ["docker run --name c1 -v vol1:/data alpine sh -c 'touch /data/f; ls /data'"]
        );
    }

    #[test]
    fn slices_follow_names_transitively() {
        let prefix = lines("mkdir d1\necho x > f2.txt\ndocker run --name c3 -v $(pwd)/d1:/data alpine true\ndocker volume create vol4");
        assert_eq!(slice(&prefix, "docker diff c3"), vec![0, 2]);
        let expected: BTreeSet<String> = ["c3", "out5"].iter().map(|s| s.to_string()).collect();
        assert_eq!(names("docker cp c3:/data/a.txt out5"), expected);
    }
}
