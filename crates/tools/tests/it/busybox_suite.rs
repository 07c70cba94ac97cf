//! BusyBox's own test suite replayed against the model: each case of
//! `tests/busybox-suite/cases.txt` (what the real `busybox sh -c COMMAND` printed, recorded by
//! `tests/record/busybox_suite.py`) runs through layerbox's BusyBox ash and tools over the same
//! scratch tree, and its stdout and exit status must agree. `known-failures.txt` lists the cases
//! that do not agree yet, with reasons; the test fails when that list is not exact, so it only
//! shrinks. The format of both files is in `tests/busybox-suite/README.md`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use layerbox_fstree::{Cred, Device, FileSystem, Meta, NewNode, Store, Tree};
use layerbox_sh::{Budget, Dialect, Host, Output as ShOutput, Shell};
use layerbox_tools::{is_tool, run, Ctx, Exec, Flavor, SharedStore};

const CASES: &[u8] = include_bytes!("../busybox-suite/cases.txt");
const KNOWN: &str = include_str!("../busybox-suite/known-failures.txt");

/// Fewer cases than this means the recording was cut short.
const MIN_CASES: usize = 400;

/// One recorded case.
#[derive(Debug, Default)]
struct Case {
    /// `SUITE.tests: NAME` (` #2` on the second case of the same name).
    id: String,
    /// The applet the suite tests: the file name before `.tests`.
    applet: String,
    cwd: String,
    now: u64,
    skip: Option<String>,
    command: Vec<u8>,
    /// The scratch tree before the command: (kind, mode, mtime, path, content or link target).
    tree: Vec<Entry>,
    stdin: Vec<u8>,
    stdout: Vec<u8>,
    code: i32,
}

#[derive(Debug)]
struct Entry {
    kind: u8,
    mode: u32,
    mtime: u64,
    path: String,
    data: Vec<u8>,
}

/// The recording: its scratch directory, the applets the real busybox has, and the cases.
struct Recording {
    scratch: String,
    applets: BTreeSet<String>,
    cases: Vec<Case>,
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Appends one `X|`/`X~` line to `buf`.
fn push_line(buf: &mut Vec<u8>, rest: &[u8], newline: bool) {
    buf.extend_from_slice(rest.strip_prefix(b" ").unwrap_or(rest));
    if newline {
        buf.push(b'\n');
    }
}

fn parse(data: &[u8]) -> Result<Recording, String> {
    let mut rec = Recording {
        scratch: String::new(),
        applets: BTreeSet::new(),
        cases: Vec::new(),
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut open: Option<Case> = None;
    for (n, row) in data.split(|&b| b == b'\n').enumerate() {
        let at = n + 1;
        if let Some(h) = row.strip_prefix(b"# scratch: ") {
            rec.scratch = text(h);
            continue;
        }
        if let Some(h) = row.strip_prefix(b"# applets: ") {
            rec.applets = text(h).split(' ').map(str::to_string).collect();
            continue;
        }
        if row.is_empty() || row.starts_with(b"#") && open.is_none() {
            continue;
        }
        if let Some(title) = row.strip_prefix(b"=== ") {
            if open.is_some() {
                return Err(format!("cases.txt:{at}: the case before has no `rc` line"));
            }
            let title = text(title);
            let count = seen.entry(title.clone()).or_default();
            *count += 1;
            let id = if *count > 1 {
                format!("{title} #{count}")
            } else {
                title.clone()
            };
            let applet = title.split(".tests:").next().unwrap_or("").to_string();
            open = Some(Case {
                id,
                applet,
                ..Case::default()
            });
            continue;
        }
        let Some(case) = open.as_mut() else {
            return Err(format!("cases.txt:{at}: a line outside a case"));
        };
        let (tag, rest) = row.split_at(row.len().min(2));
        match tag {
            b"$|" => push_line(&mut case.command, rest, true),
            b"$~" => push_line(&mut case.command, rest, false),
            b"0|" => push_line(&mut case.stdin, rest, true),
            b"0~" => push_line(&mut case.stdin, rest, false),
            b"1|" => push_line(&mut case.stdout, rest, true),
            b"1~" => push_line(&mut case.stdout, rest, false),
            b"f|" | b"f~" => match case.tree.last_mut() {
                Some(e) if e.kind == b'f' => push_line(&mut e.data, rest, tag == b"f|"),
                _ => return Err(format!("cases.txt:{at}: content with no file before it")),
            },
            _ => {
                let row = text(row);
                let bad = || format!("cases.txt:{at}: cannot read {row:?}");
                if let Some(v) = row.strip_prefix("cwd ") {
                    case.cwd = v.to_string();
                } else if let Some(v) = row.strip_prefix("now ") {
                    case.now = v.parse().map_err(|_| bad())?;
                } else if let Some(v) = row.strip_prefix("skip ") {
                    case.skip = Some(v.to_string());
                } else if let Some(v) = row.strip_prefix("rc ") {
                    case.code = v.parse().map_err(|_| bad())?;
                    rec.cases.extend(open.take());
                } else if let Some(v) = row.strip_prefix("l ") {
                    let (mtime, rest) = v.split_once(' ').ok_or_else(bad)?;
                    let (path, target) = rest.split_once(" -> ").ok_or_else(bad)?;
                    case.tree.push(Entry {
                        kind: b'l',
                        mode: 0o777,
                        mtime: mtime.parse().map_err(|_| bad())?,
                        path: path.to_string(),
                        data: target.as_bytes().to_vec(),
                    });
                } else if row.starts_with("d ") || row.starts_with("f ") {
                    let mut parts = row.splitn(4, ' ');
                    let kind = parts.next().ok_or_else(bad)?.as_bytes()[0];
                    let mode =
                        u32::from_str_radix(parts.next().ok_or_else(bad)?, 8).map_err(|_| bad())?;
                    let mtime = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
                    let path = parts.next().ok_or_else(bad)?.to_string();
                    case.tree.push(Entry {
                        kind,
                        mode,
                        mtime,
                        path,
                        data: Vec::new(),
                    });
                } else if !row.starts_with('#') {
                    return Err(bad());
                }
            }
        }
    }
    if open.is_some() {
        return Err("cases.txt: the last case has no `rc` line".into());
    }
    Ok(rec)
}

/// The case's scratch tree in fstree, as the recorder's snapshot saw it.
fn build_tree(scratch: &str, case: &Case) -> Tree {
    let mut t = Tree::with_root(Meta::default(), Default::default());
    let r = Cred::root();
    t.mkdir_all(&r, "/etc", 0o755, 0).unwrap();
    t.mkdir_all(&r, "/root", 0o700, 0).unwrap();
    t.write_file(
        &r,
        "/etc/passwd",
        b"root:x:0:0:root:/root:/bin/sh\n",
        0o644,
        0,
    )
    .unwrap();
    t.write_file(&r, "/etc/group", b"root:x:0:\n", 0o644, 0)
        .unwrap();
    // A container's /dev: its character devices, as the engine makes them.
    t.mkdir_all(&r, "/dev", 0o755, 0).unwrap();
    for device in Device::DEV {
        let path = format!("/dev/{}", device.name());
        t.insert(&path, NewNode::Device(device), Meta::new(0o666, 0, 0, 0), 0)
            .unwrap();
    }
    t.mkdir_all(&r, scratch, 0o755, case.now).unwrap();
    t.chmod(&r, "/tmp", 0o1777).unwrap();
    for e in &case.tree {
        let path = format!("{scratch}/{}", e.path);
        match e.kind {
            b'd' => t.mkdir(&r, &path, e.mode, e.mtime).unwrap(),
            b'f' => t.write_file(&r, &path, &e.data, e.mode, e.mtime).unwrap(),
            _ => t.symlink(&r, &text(&e.data), &path, e.mtime).unwrap(),
        }
    }
    // Directories last, deepest first: their modes and mtimes as recorded.
    for e in case.tree.iter().rev().filter(|e| e.kind == b'd') {
        let path = format!("{scratch}/{}", e.path);
        t.chmod(&r, &path, e.mode).unwrap();
        t.set_mtime(&r, &path, e.mtime).unwrap();
    }
    t
}

/// What the container side gives the shell, reduced to this test: BusyBox's tools over the
/// case's tree as root, `busybox APPLET`, and `sh -c`. An applet that the real busybox has and
/// layerbox does not model is noted (the case is then skipped) and says it is not modelled.
struct SuiteHost<'a> {
    tree: Tree,
    cred: Cred,
    now: u64,
    applets: &'a BTreeSet<String>,
    budget: Rc<Budget>,
    /// The programs a case ran that the model does not have.
    unmodelled: BTreeSet<String>,
}

/// Programs that exist in layerbox's containers but are modelled by the runtime, not by the
/// tools this test runs: a case that uses one is skipped.
const RUNTIME_PROGRAMS: &[&str] = &["sleep", "httpd", "wget", "su"];

impl Host for SuiteHost<'_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<ShOutput> {
        let mut argv = argv;
        let base = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
        if base(&argv[0]) == "busybox" && argv.len() > 1 {
            argv = &argv[1..];
        }
        let name = base(&argv[0]);
        // `sh -c SCRIPT [NAME ARGS...]`, and the `test` applet, which is ash's builtin.
        let script = match name.as_str() {
            "sh" if argv.get(1).map(String::as_str) == Some("-c") && argv.len() > 2 => {
                Some((argv[2].clone(), argv.get(3).cloned(), argv.get(4..)))
            }
            "test" | "[" => Some((format!("{name} \"$@\""), Some(name.clone()), argv.get(1..))),
            _ => None,
        };
        if let Some((script, zero, args)) = script {
            let mut shell = Shell::new(Dialect::BusyBoxAsh, env.clone(), cwd);
            shell.interactive = false;
            if let Some(zero) = zero {
                shell.name = zero;
            }
            shell.args = args.unwrap_or_default().to_vec();
            let budget = Rc::clone(&self.budget);
            let r = shell.run_with_stdin(&script, stdin, self, &budget);
            return Some(ShOutput {
                stdout: r.stdout,
                stderr: r.stderr,
                code: r.code,
                stdin_used: Some(r.stdin_read),
                ..ShOutput::default()
            });
        }
        let modelled = !RUNTIME_PROGRAMS.contains(&name.as_str());
        let now = self.now;
        // A tool that runs programs (`xargs`, `find -exec`, awk's `system()`) starts them
        // through this host again, over the same tree.
        let cell = RefCell::new(&mut *self);
        let mut hook = Nested { host: &cell };
        let mut fs = SharedStore::new(&cell, |h| &h.tree, |h| &mut h.tree);
        let mut ctx = Ctx {
            fs: &mut fs,
            cred: Cred::root(),
            cwd: cwd.to_string(),
            env,
            now,
            flavor: Flavor::BusyBox,
            stdin,
            hostname: "bbsuite".into(),
            user_name: None,
            group_name: None,
            mounts: &[],
            tty: false,
            exec: Some(&mut hook),
            umask: layerbox_tools::DEFAULT_UMASK,
            work: None,
            max_output: layerbox_tools::MAX_OUTPUT,
        };
        let ran = run(&name, &argv[1..], &mut ctx);
        match ran.filter(|_| modelled) {
            Some(o) => Some(ShOutput {
                stdout: o.stdout,
                stderr: o.stderr,
                code: o.code,
                ..ShOutput::default()
            }),
            None if self.applets.contains(&name) || !modelled => {
                self.unmodelled.insert(name.clone());
                Some(ShOutput {
                    stderr: format!("layerbox: {name} is not modelled\n").into_bytes(),
                    code: 69,
                    ..ShOutput::default()
                })
            }
            None => None,
        }
    }

    fn fs(&mut self) -> (&mut dyn Store, &Cred, u64) {
        (&mut self.tree, &self.cred, self.now)
    }
}

/// The suite host lent to a tool as its [`Exec`] hook.
struct Nested<'r, 'a, 'h> {
    host: &'r RefCell<&'h mut SuiteHost<'a>>,
}

impl Exec for Nested<'_, '_, '_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<layerbox_tools::Output> {
        let mut host = self.host.try_borrow_mut().ok()?;
        let out = host.exec(argv, stdin, env, cwd)?;
        Some(layerbox_tools::Output {
            stdout: out.stdout,
            stderr: out.stderr,
            code: out.code,
        })
    }
}

/// How one case went.
enum Verdict {
    Pass,
    Fail(String),
    Skip(String),
}

fn shown(b: &[u8]) -> String {
    format!("{:?}", text(b))
}

fn replay(rec: &Recording, case: &Case) -> Verdict {
    if let Some(reason) = &case.skip {
        return Verdict::Skip(reason.clone());
    }
    if !is_tool(&case.applet, Flavor::BusyBox) && case.applet != "test" {
        return Verdict::Skip(format!("{} is not modelled", case.applet));
    }
    let cwd = match case.cwd.as_str() {
        "." => rec.scratch.clone(),
        rel => format!("{}/{rel}", rec.scratch),
    };
    let env: BTreeMap<String, String> = [
        ("PATH", "/tmp/bbsuite/bin"),
        ("HOME", "/root"),
        ("ECHO", "echo"),
        ("LANG", "C"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut host = SuiteHost {
        tree: build_tree(&rec.scratch, case),
        cred: Cred::root(),
        now: case.now,
        applets: &rec.applets,
        budget: Rc::new(Budget::default()),
        unmodelled: BTreeSet::new(),
    };
    let mut shell = Shell::new(Dialect::BusyBoxAsh, env, &cwd);
    shell.interactive = false;
    let budget = Rc::clone(&host.budget);
    let result = shell.run_with_stdin(&text(&case.command), &case.stdin, &mut host, &budget);
    if !host.unmodelled.is_empty() {
        let names: Vec<_> = host.unmodelled.into_iter().collect();
        return Verdict::Skip(format!("uses {}, not modelled", names.join(", ")));
    }
    if result.stdout == case.stdout && result.code == case.code {
        Verdict::Pass
    } else {
        Verdict::Fail(format!(
            "stdout {} rc {}, want stdout {} rc {} (stderr {})",
            shown(&result.stdout),
            result.code,
            shown(&case.stdout),
            case.code,
            shown(&result.stderr[..result.stderr.len().min(200)])
        ))
    }
}

/// `known-failures.txt`: `## REASON` lines, each followed by the ids of the cases that fail for
/// that reason.
fn known_failures() -> Result<BTreeMap<String, String>, String> {
    let mut known = BTreeMap::new();
    let mut reason: Option<String> = None;
    for (n, line) in KNOWN.lines().enumerate() {
        if let Some(r) = line.strip_prefix("## ") {
            reason = Some(r.to_string());
        } else if line.is_empty() || line.starts_with('#') {
            continue;
        } else {
            let Some(r) = &reason else {
                return Err(format!(
                    "known-failures.txt:{}: a case before any `## reason` line",
                    n + 1
                ));
            };
            if known.insert(line.to_string(), r.clone()).is_some() {
                return Err(format!("known-failures.txt:{}: listed twice", n + 1));
            }
        }
    }
    Ok(known)
}

#[test]
fn busybox_suite_agrees_with_the_real_busybox() {
    let rec = parse(CASES).unwrap();
    assert!(
        rec.cases.len() >= MIN_CASES,
        "only {} cases recorded",
        rec.cases.len()
    );
    let known = known_failures().unwrap();
    // applet -> (passed, failed, skipped)
    let mut rates: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut skipped_known = Vec::new();
    let mut failing = BTreeSet::new();
    for case in &rec.cases {
        let rate = rates.entry(&case.applet).or_default();
        match replay(&rec, case) {
            Verdict::Pass => {
                rate.0 += 1;
                if known.contains_key(&case.id) {
                    problems.push(format!(
                        "now passes, take it off known-failures.txt: {}",
                        case.id
                    ));
                }
            }
            Verdict::Fail(why) => {
                rate.1 += 1;
                failing.insert(case.id.clone());
                if !known.contains_key(&case.id) {
                    problems.push(format!("fails: {}\n    {why}", case.id));
                }
            }
            Verdict::Skip(why) => {
                rate.2 += 1;
                if known.contains_key(&case.id) {
                    skipped_known.push(format!("{} (skipped: {why})", case.id));
                }
            }
        }
    }
    let ids: BTreeSet<&str> = rec.cases.iter().map(|c| c.id.as_str()).collect();
    for id in known.keys() {
        if !ids.contains(id.as_str()) {
            problems.push(format!("known-failures.txt names no recorded case: {id}"));
        }
    }
    for s in skipped_known {
        problems.push(format!(
            "known-failures.txt names a case that is not run: {s}"
        ));
    }
    println!("BusyBox test suite against the real busybox, per applet (passed/compared, skipped):");
    let (mut pass, mut compared) = (0, 0);
    for (applet, (p, f, s)) in &rates {
        if p + f > 0 {
            println!("  {applet:<10} {p:>3}/{:<3} skipped {s}", p + f);
        } else {
            println!("  {applet:<10} not compared, skipped {s}");
        }
        pass += p;
        compared += p + f;
    }
    println!("  all        {pass:>3}/{compared}");
    assert!(
        problems.is_empty(),
        "the BusyBox suite disagrees with known-failures.txt:\n{}",
        problems.join("\n")
    );
}
