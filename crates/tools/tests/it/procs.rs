//! `ps`, `top`, `kill`, `pgrep`, `pkill`, `free` and `uptime` over a process table a hook lends.
//! `pgrep` and `pkill` follow BusyBox 1.36.1's `procps/pgrep.c` (Debian's BusyBox, the one
//! the goldens are recorded from, has neither): the pattern is an ERE matched against the first
//! argument (the command line with `-f`), then the program's name; they never list themselves.

use std::collections::BTreeMap;

use layerbox_fstree::{Cred, FileSystem, Tree};
use layerbox_tools::{run, Ctx, Exec, Flavor, Output, ProcInfo, SignalError};

use crate::fixture::fixture;

/// A process table: `signal` removes what it kills (`PID 1` ignores), and the calls are kept.
struct Table {
    procs: Vec<ProcInfo>,
    sent: Vec<(u32, u32)>,
}

impl Exec for Table {
    fn exec(
        &mut self,
        _: &[String],
        _: &[u8],
        _: &BTreeMap<String, String>,
        _: &str,
    ) -> Option<Output> {
        None
    }
    fn processes(&mut self) -> Option<Vec<ProcInfo>> {
        Some(self.procs.clone())
    }
    fn signal(&mut self, pid: u32, signal: u32) -> Result<(), SignalError> {
        if !self.procs.iter().any(|p| p.pid == pid) {
            return Err(SignalError::NoSuchProcess);
        }
        self.sent.push((pid, signal));
        Ok(())
    }
}

fn proc(pid: u32, ppid: u32, argv: &str, started: u64) -> ProcInfo {
    let argv: Vec<String> = argv.split(' ').map(str::to_string).collect();
    let comm = argv[0].rsplit('/').next().unwrap_or("").to_string();
    ProcInfo {
        pid,
        ppid,
        pgid: pid,
        sid: if ppid == 0 { pid } else { ppid },
        argv,
        comm,
        vsz_kb: 2096,
        started,
        ..ProcInfo::default()
    }
}

/// PID 1 `sleep 1000`, a loop's shell (7) and its `sleep 900` (13), `/bin/sleep 5` (14), and
/// the listing program, PID 20.
fn table(me: &str) -> Table {
    let mut me = proc(20, 0, me, 40);
    me.running = true;
    Table {
        procs: vec![
            proc(1, 0, "sleep 1000", 0),
            proc(7, 0, "sh -c while true; do sleep 900; done", 10),
            proc(13, 7, "sleep 900", 10),
            proc(14, 7, "/bin/sleep 5", 30),
            me,
        ],
        sent: Vec::new(),
    }
}

fn with(table: &mut Table, tree: &mut Tree, line: &str) -> Output {
    let words: Vec<String> = line.split(' ').map(str::to_string).collect();
    let env = BTreeMap::new();
    let mut ctx = Ctx {
        fs: tree,
        cred: Cred::root(),
        cwd: "/".into(),
        env: &env,
        now: 1_717_232_400 + 3725,
        flavor: Flavor::BusyBox,
        stdin: b"",
        hostname: "h".into(),
        user_name: None,
        group_name: None,
        mounts: &[],
        tty: false,
        exec: Some(table),
        umask: layerbox_tools::DEFAULT_UMASK,
        work: None,
        max_output: layerbox_tools::MAX_OUTPUT,
    };
    run(&words[0], &words[1..], &mut ctx).expect("modelled")
}

fn text(line: &str) -> (String, String, i32) {
    let mut t = table(line);
    let mut tree = fixture();
    let o = with(&mut t, &mut tree, line);
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.code,
    )
}

#[test]
fn ps_prints_alpines_default_columns_and_takes_aux_as_busybox_does() {
    let (out, _, code) = text("ps aux");
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().take(2).collect::<Vec<_>>(),
        [
            "PID   USER     TIME  COMMAND",
            "    1 root      0:00 sleep 1000"
        ]
    );
    assert!(out.ends_with("   20 root      0:00 ps aux\n"), "{out}");
}

#[test]
fn ps_refuses_an_unknown_column_and_option() {
    let (_, err, code) = text("ps -o nosuch");
    assert_eq!(code, 1);
    assert!(err.starts_with("ps: bad -o argument 'nosuch', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,"), "{err}");
    let (_, err, code) = text("ps -x");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("ps: invalid option -- 'x'\nBusyBox v1.36.1"),
        "{err}"
    );
}

#[test]
fn pgrep_matches_the_first_argument_then_the_name_and_not_itself() {
    assert_eq!(text("pgrep sleep").0, "1\n13\n14\n");
    assert_eq!(
        text("pgrep -x sleep").0,
        "1\n13\n14\n",
        "the name matches whole"
    );
    assert_eq!(
        text("pgrep -l sleep").0,
        "1 sleep\n13 sleep\n14 /bin/sleep\n"
    );
    assert_eq!(
        text("pgrep -a sle+p").0,
        "1 sleep 1000\n13 sleep 900\n14 /bin/sleep 5\n"
    );
    assert_eq!(text("pgrep -f 900").0, "7\n13\n");
    assert_eq!(text("pgrep -n sleep").0, "14\n");
    assert_eq!(text("pgrep -o sleep").0, "1\n");
    assert_eq!(text("pgrep -P 7").0, "13\n14\n");
    assert_eq!(text("pgrep -v sleep").0, "7\n");
    let (out, _, code) = text("pgrep nosuch");
    assert_eq!((out.as_str(), code), ("", 1));
    let (_, err, code) = text("pgrep");
    assert_eq!(code, 1);
    assert!(err.contains("Usage: pgrep [-flanovx]"), "{err}");
}

#[test]
fn pkill_signals_what_pgrep_would_list() {
    let mut t = table("pkill -9 -f 900");
    let mut tree = fixture();
    let o = with(&mut t, &mut tree, "pkill -9 -f 900");
    assert_eq!((o.code, t.sent.clone()), (0, vec![(7, 9), (13, 9)]));
    let mut t = table("pkill -e -x sleep");
    let o = with(&mut t, &mut tree, "pkill -e -o sleep");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "sleep killed (pid 1)\n");
    assert_eq!(t.sent, vec![(1, 15)]);
}

#[test]
fn kill_says_which_pid_it_could_not_signal() {
    let (_, err, code) = text("kill 999");
    assert_eq!(
        (err.as_str(), code),
        ("kill: can't kill pid 999: No such process\n", 1)
    );
    let mut t = table("kill -s HUP 13 14");
    let mut tree = fixture();
    let o = with(&mut t, &mut tree, "kill -s HUP 13 14");
    assert_eq!((o.code, t.sent.clone()), (0, vec![(13, 1), (14, 1)]));
    assert_eq!(text("kill -l 9 TERM").0, "KILL\n15\n");
}

#[test]
fn top_batch_screen_lists_the_table() {
    let mut tree = fixture();
    tree.mkdir_all(&Cred::root(), "/proc", 0o555, 0)
        .expect("mkdir");
    let meminfo = layerbox_engine_meminfo();
    tree.write_file(&Cred::root(), "/proc/meminfo", meminfo.as_bytes(), 0o444, 0)
        .expect("write");
    let mut t = table("top -b -n 1");
    let o = with(&mut t, &mut tree, "top -b -n 1");
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Mem: 524288K used, 1572864K free, 4096K shrd, 16384K buff, 262144K cached"
    );
    assert_eq!(
        lines[1],
        "CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq"
    );
    assert_eq!(lines[2], "Load average: 0.00 0.00 0.00 1/5 20");
    assert_eq!(
        lines[3],
        "  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND"
    );
    assert_eq!(
        lines[4],
        "    1     0 root     S     2096   0%   0% sleep 1000"
    );
    assert_eq!(
        lines[8],
        "   20     0 root     R     2096   0%   0% top -b -n 1"
    );
    assert_eq!(lines[9], "");
    let (_, err, code) = text("top");
    assert_eq!(code, 1);
    assert!(err.contains("top without -b is not modelled"), "{err}");
}

#[test]
fn free_and_uptime_read_proc() {
    let mut tree = fixture();
    tree.mkdir_all(&Cred::root(), "/proc", 0o555, 0)
        .expect("mkdir");
    let meminfo = layerbox_engine_meminfo();
    tree.write_file(&Cred::root(), "/proc/meminfo", meminfo.as_bytes(), 0o444, 0)
        .expect("write");
    tree.write_file(
        &Cred::root(),
        "/proc/uptime",
        b"3725.00 7450.00\n",
        0o444,
        0,
    )
    .expect("write");
    let mut t = table("free");
    let o = with(&mut t, &mut tree, "free");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "              total        used        free      shared  buff/cache   available\n\
         Mem:        2097152      212992     1572864        4096      311296     1884160\n\
         Swap:             0           0           0\n"
    );
    let o = with(&mut t, &mut tree, "free -h");
    let human = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        human.contains(
            "\nMem:           2.0G      208.0M        1.5G        4.0M      304.0M        1.8G\n"
        ),
        "{human}"
    );
    let o = with(&mut t, &mut tree, "uptime");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        " 10:02:05 up  1:02,  load average: 0.00, 0.00, 0.00\n"
    );
    let o = with(&mut t, &mut tree, "uptime -s");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "2024-06-01 09:00:00\n");
}

/// What the engine's procfs writes (`layerbox_engine::machine::meminfo`), copied: the tools
/// crate does not depend on the engine.
fn layerbox_engine_meminfo() -> String {
    "MemTotal:        2097152 kB\nMemFree:         1572864 kB\nMemAvailable:    1884160 kB\n\
     Buffers:           16384 kB\nCached:           262144 kB\nSwapCached:            0 kB\n\
     Shmem:              4096 kB\nSReclaimable:      32768 kB\nSwapTotal:             0 kB\n\
     SwapFree:              0 kB\n"
        .to_string()
}
