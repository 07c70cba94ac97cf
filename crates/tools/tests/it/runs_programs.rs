//! Tools that run programs (`xargs`, `find -exec`, `timeout`, awk's `system`) through the
//! caller's `Exec` hook: what they pass it, and their bounds.

use std::cell::RefCell;
use std::collections::BTreeMap;

use layerbox_fstree::{Cred, Tree};
use layerbox_tools::{run, Ctx, Exec, Flavor, Output, SharedStore};

use crate::fixture::fixture;

/// A hook that records every argv and answers `echo` (and nothing else, as "not found").
struct Recorder {
    calls: Vec<Vec<String>>,
}

impl Exec for Recorder {
    fn exec(
        &mut self,
        argv: &[String],
        _stdin: &[u8],
        _env: &BTreeMap<String, String>,
        _cwd: &str,
    ) -> Option<Output> {
        self.calls.push(argv.to_vec());
        (argv[0] == "echo").then(|| Output {
            stdout: format!("{}\n", argv[1..].join(" ")).into_bytes(),
            ..Output::default()
        })
    }
}

fn with_hook(line: &[&str], stdin: &str) -> (Output, Vec<Vec<String>>) {
    let mut tree = fixture();
    let env = BTreeMap::new();
    let mut hook = Recorder { calls: Vec::new() };
    let mut ctx = Ctx {
        fs: &mut tree,
        cred: Cred::root(),
        cwd: "/tmp/g".into(),
        env: &env,
        now: 0,
        flavor: Flavor::BusyBox,
        stdin: stdin.as_bytes(),
        hostname: "h".into(),
        user_name: None,
        group_name: None,
        mounts: &[],
        tty: false,
        exec: Some(&mut hook),
        umask: layerbox_tools::DEFAULT_UMASK,
        work: None,
        max_output: layerbox_tools::MAX_OUTPUT,
    };
    let args: Vec<String> = line[1..].iter().map(|s| s.to_string()).collect();
    let out = run(line[0], &args, &mut ctx).expect("modelled");
    (out, hook.calls)
}

#[test]
fn xargs_stops_after_as_many_commands_as_a_shell_line_runs() {
    let stdin = "x\n".repeat(20_000);
    let (out, calls) = with_hook(&["xargs", "-n", "1", "echo"], &stdin);
    assert_eq!(calls.len(), 10_000);
    assert_eq!(out.code, 1);
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("(layerbox limit)\n"));
}

#[test]
fn find_exec_substitutes_every_brace_pair_and_plus_gathers_the_files() {
    let (out, calls) = with_hook(
        &["find", "d", "-type", "f", "-exec", "echo", "<{}>{}", ";"],
        "",
    );
    assert_eq!(
        calls,
        vec![vec!["echo".to_string(), "<d/f>d/f".to_string()]]
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "<d/f>d/f\n");
    let (_, calls) = with_hook(
        &["find", ".", "-name", "*.txt", "-exec", "echo", "{}", "+"],
        "",
    );
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].len(), 3);
}

#[test]
fn timeout_kills_a_sleep_longer_than_its_limit_after_the_limit() {
    let (out, calls) = with_hook(&["timeout", "2", "sleep", "5"], "");
    assert_eq!(calls, vec![vec!["sleep".to_string(), "2".to_string()]]);
    // The hook answers "not found" for sleep: timeout says so.
    assert_eq!(out.code, 127);
}

#[test]
fn a_tool_and_the_programs_it_runs_share_one_filesystem() {
    // The hook writes a file through the same cell the tool reads: awk sees it at once.
    struct Writer<'r, 'f> {
        cell: &'r RefCell<&'f mut Tree>,
    }
    impl Exec for Writer<'_, '_> {
        fn exec(
            &mut self,
            _argv: &[String],
            _stdin: &[u8],
            _env: &BTreeMap<String, String>,
            _cwd: &str,
        ) -> Option<Output> {
            let mut fs = self.cell.try_borrow_mut().ok()?;
            use layerbox_fstree::FileSystem;
            fs.write_file(&Cred::root(), "/tmp/g/made", b"by the hook\n", 0o644, 0)
                .ok()?;
            Some(Output::default())
        }
    }
    let mut tree = fixture();
    let cell = RefCell::new(&mut tree);
    let mut hook = Writer { cell: &cell };
    let mut fs = SharedStore::new(&cell, |t| &**t, |t| &mut **t);
    let env = BTreeMap::new();
    let mut ctx = Ctx {
        fs: &mut fs,
        cred: Cred::root(),
        cwd: "/tmp/g".into(),
        env: &env,
        now: 0,
        flavor: Flavor::BusyBox,
        stdin: b"",
        hostname: "h".into(),
        user_name: None,
        group_name: None,
        mounts: &[],
        tty: false,
        exec: Some(&mut hook),
        umask: layerbox_tools::DEFAULT_UMASK,
        work: None,
        max_output: layerbox_tools::MAX_OUTPUT,
    };
    let args = vec!["BEGIN { system(\"make it\"); getline l < \"made\"; print l }".to_string()];
    let out = run("awk", &args, &mut ctx).expect("modelled");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "by the hook\n");
}
