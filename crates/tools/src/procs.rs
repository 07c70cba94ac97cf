//! BusyBox's process programs over the process table the caller keeps: `ps` (its `-o`
//! columns, with Alpine's `FEATURE_PS_TIME`, so the default is `pid,user,time,args`), `top -b
//! -n 1`, `kill`, `pgrep` and `pkill` (`procps/ps.c`, `top.c`, `kill.c`, `pgrep.c` of BusyBox
//! 1.36.1; Debian's BusyBox has no `pgrep` or `pkill`, so those follow the source and Alpine).
//! The caller lends the table through [`Exec::processes`](crate::Exec::processes) and sends
//! signals through [`Exec::signal`](crate::Exec::signal); without it they say they are not
//! modelled.
//!
//! Emulation note: layerbox keeps no CPU time or memory per process. `TIME` is `0:00`, `%CPU`
//! 0, the load average 0.00, every process sleeps (`S`) but the one listing (`R`), and `VSZ` is
//! [`ProcInfo::vsz_kb`], what the caller says the program maps.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::Cred;

use crate::cli::{busybox_usage, usage_error};
use crate::regex::{Budget, Options, Regex, Search};
use crate::{Ctx, Output};

/// The exit status of a program that exists but that layerbox does not model (`EX_UNAVAILABLE`).
const NOT_MODELLED: i32 = 69;

/// One process as `ps` and `top` show it (what `/proc/PID/stat`, `status` and `cmdline` hold).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcInfo {
    pub pid: u32,
    pub ppid: u32,
    /// Process group and session (the process that `docker exec` or the runtime started).
    pub pgid: u32,
    pub sid: u32,
    pub uid: u32,
    pub gid: u32,
    /// `/proc/PID/cmdline`: the program's arguments (a forked shell's, for an applet that
    /// BusyBox ran without `exec`).
    pub argv: Vec<String>,
    /// `/proc/PID/comm`: the program's name.
    pub comm: String,
    /// The process is the one listing (it runs; every other process sleeps).
    pub running: bool,
    /// It ended and waits for its parent to reap it (`Z`).
    pub zombie: bool,
    /// Virtual memory size in KiB.
    pub vsz_kb: u64,
    /// Resident memory in KiB.
    pub rss_kb: u64,
    /// Its terminal as `major,minor` (`136,0` for `/dev/pts/0`), if it has one.
    pub tty: Option<(u32, u32)>,
    /// When it started, in logical seconds since the epoch.
    pub started: u64,
}

/// Why a signal was not sent: `kill(2)`'s `ESRCH` or `EPERM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalError {
    NoSuchProcess,
    NotPermitted,
}

impl SignalError {
    fn text(self) -> &'static str {
        match self {
            SignalError::NoSuchProcess => "No such process",
            SignalError::NotPermitted => "Operation not permitted",
        }
    }
}

/// Linux's signal names by number (x86-64), as BusyBox's `get_signum` reads them.
const SIGNALS: [&str; 32] = [
    "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/// libbb's `get_signum`: a number below 65, or a name with or without `SIG` (any case).
pub fn signal_number(name: &str) -> Option<u32> {
    if let Ok(n) = name.parse::<u32>() {
        return (n < 65).then_some(n);
    }
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    let bare = match bare {
        "IO" => "POLL",
        "CLD" => "CHLD",
        "IOT" => "ABRT",
        other => other,
    };
    SIGNALS
        .iter()
        .position(|n| *n == bare)
        .map(|i| i as u32)
        .filter(|n| *n > 0)
}

/// The name of signal `n` (`TERM`), for `kill -l N`.
pub fn signal_name(n: u32) -> Option<&'static str> {
    SIGNALS.get(n as usize).copied()
}

/// What a program without the caller's process table says.
fn no_table(prog: &str) -> Output {
    let mut o = Output::default();
    o.err(format!(
        "layerbox: {prog} is not modelled here (there is no process table)\n"
    ));
    o.code = NOT_MODELLED;
    o
}

/// The processes the caller lends, by PID.
fn table(ctx: &mut Ctx<'_>) -> Option<Vec<ProcInfo>> {
    let mut procs = ctx.exec.as_deref_mut()?.processes()?;
    layerbox_order::sort_by_key(&mut procs, |p| p.pid);
    Some(procs)
}

/// User and group names as `get_cached_username` finds them: the container's `/etc/passwd`,
/// else the number.
struct Names(Accounts);

impl Names {
    fn read(ctx: &Ctx<'_>) -> Names {
        Names(Accounts::read(&*ctx.fs, &Cred::root()))
    }
    fn user(&self, uid: u32) -> String {
        self.0
            .getpwuid(uid)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| uid.to_string())
    }
    fn group(&self, gid: u32) -> String {
        self.0
            .getgrgid(gid)
            .map(|g| g.name.clone())
            .unwrap_or_else(|| gid.to_string())
    }
}

/// libbb's `read_cmdline`: the arguments joined by spaces, `[comm]` when there are none, and
/// `{comm} ` before them when the program's name is not the first argument's base name (an
/// applet that a shell ran in its own forked process).
fn cmdline(p: &ProcInfo) -> String {
    if p.argv.is_empty() {
        return format!("[{}]", p.comm);
    }
    let joined: String = p
        .argv
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let argv0 = p.argv[0].as_str();
    let base = argv0.rsplit('/').next().unwrap_or(argv0);
    if base.starts_with(&p.comm) {
        joined
    } else {
        format!("{{{}}} {joined}", p.comm)
    }
}

/// The process's state letter: running, a zombie, or sleeping.
fn state(p: &ProcInfo) -> &'static str {
    if p.running {
        "R"
    } else if p.zombie {
        "Z"
    } else {
        "S"
    }
}

/// `smart_ulltoa4` (`ps`'s VSZ and RSS): four characters, scaled with ` mgtpezy`.
fn ulltoa4(kb: u64) -> String {
    if kb < 10_000 {
        return format!("{kb:4}");
    }
    let mut v = kb;
    let mut i = 0;
    let units = b" mgtpezy";
    while v >= 1000 && i + 1 < units.len() {
        v /= 1024;
        i += 1;
    }
    format!("{v:3}{}", units[i] as char)
}

/// `smart_ulltoa5` (`top`'s VSZ): five characters, scaled with ` mgtpezy`.
fn ulltoa5(kb: u64) -> String {
    if kb < 100_000 {
        return format!("{kb:5}");
    }
    let mut v = kb;
    let mut i = 0;
    let units = b" mgtpezy";
    while v >= 10_000 && i + 1 < units.len() {
        v /= 1024;
        i += 1;
    }
    format!("{v:4}{}", units[i] as char)
}

/// A `ps -o` column: its name, default header and width (`out_spec`, in its order).
const COLUMNS: [(&str, &str, usize); 17] = [
    ("user", "USER", 8),
    ("group", "GROUP", 8),
    ("comm", "COMMAND", 16),
    ("args", "COMMAND", MAX_WIDTH),
    ("pid", "PID", 5),
    ("ppid", "PPID", 5),
    ("pgid", "PGID", 5),
    ("etime", "ELAPSED", 7),
    ("nice", "NI", 5),
    ("rgroup", "RGROUP", 8),
    ("ruser", "RUSER", 8),
    ("time", "TIME", 5),
    ("tty", "TT", 6),
    ("vsz", "VSZ", 4),
    ("sid", "SID", 5),
    ("stat", "STAT", 4),
    ("rss", "RSS", 4),
];

/// `ps`'s line width when stdout is not a terminal.
const MAX_WIDTH: usize = 2 * 1024;

/// The default columns with `FEATURE_PS_TIME` (Alpine's configuration).
const DEFAULT_O: &str = "pid,user,time,args";

struct Column {
    name: &'static str,
    header: String,
    width: usize,
}

/// `find_out_spec`: a column by its name, compared over six characters as `strncmp` does.
fn find_column(name: &str) -> Result<Column, String> {
    let six = |s: &str| {
        let mut b = [0u8; 6];
        for (i, c) in s.bytes().take(6).enumerate() {
            b[i] = c;
        }
        b
    };
    let key = six(name);
    match COLUMNS.iter().find(|(n, _, _)| six(n) == key) {
        Some(&(n, h, w)) => Ok(Column {
            name: n,
            header: h.to_string(),
            width: w,
        }),
        None => {
            let names: Vec<&str> = COLUMNS.iter().map(|(n, _, _)| *n).collect();
            Err(format!(
                "bad -o argument '{name}', supported arguments: {}",
                names.join(",")
            ))
        }
    }
}

/// `parse_o`: `COL,COL=HEADER`; only the last column of a list may rename its header, and a
/// header sets the column's width to its length.
fn parse_o(spec: &str, out: &mut Vec<Column>) -> Result<(), String> {
    let mut rest = spec;
    loop {
        let comma = rest.find(',');
        let equal = rest.find('=');
        match (comma, equal) {
            (Some(c), e) if e.is_none_or(|e| e > c) => {
                out.push(find_column(&rest[..c])?);
                rest = &rest[c + 1..];
            }
            (_, None) => {
                out.push(find_column(rest)?);
                return Ok(());
            }
            (_, Some(e)) => {
                let mut col = find_column(&rest[..e])?;
                let after = &rest[e + 1..];
                let (header, next) = match after.find(',') {
                    Some(c) => (&after[..c], Some(&after[c + 1..])),
                    None => (after, None),
                };
                col.header = header.to_string();
                if !header.is_empty() {
                    col.width = header.len();
                }
                out.push(col);
                match next {
                    Some(n) => rest = n,
                    None => return Ok(()),
                }
            }
        }
    }
}

/// BusyBox `format_time`: `MM:SS` below an hour, then `HHhMM`, `DDdHH`, `DDDDd`.
fn format_time(secs: u64) -> String {
    let (mm, ss) = (secs / 60, secs % 60);
    if mm < 60 {
        return format!("{mm:2}:{ss:02}");
    }
    let (hh, mm) = (mm / 60, mm % 60);
    if hh < 24 {
        return format!("{hh:2}h{mm:02}");
    }
    let (dd, hh) = (hh / 24, hh % 24);
    if dd < 100 {
        return format!("{dd:2}d{hh:02}");
    }
    format!("{dd:4}d")
}

fn truncate(s: &str, width: usize) -> String {
    s.chars().take(width).collect()
}

fn column_value(col: &Column, p: &ProcInfo, names: &Names, now: u64) -> String {
    let w = col.width;
    let v = match col.name {
        "user" | "ruser" => truncate(&names.user(p.uid), w),
        "group" | "rgroup" => truncate(&names.group(p.gid), w),
        "comm" => truncate(&p.comm, w),
        "args" => truncate(&cmdline(p), w),
        "pid" => format!("{:w$}", p.pid),
        "ppid" => format!("{:w$}", p.ppid),
        "pgid" => format!("{:w$}", p.pgid),
        "sid" => format!("{:w$}", p.sid),
        "nice" => format!("{:w$}", 0),
        "etime" => truncate(&format_time(now.saturating_sub(p.started)), w),
        "time" => truncate(&format_time(0), w),
        "tty" => match p.tty {
            Some((major, minor)) => truncate(&format!("{major},{minor}"), w),
            None => "?".to_string(),
        },
        "vsz" => truncate(&ulltoa4(p.vsz_kb), w),
        "rss" => truncate(&ulltoa4(p.rss_kb), w),
        "stat" => truncate(state(p), w),
        _ => String::new(),
    };
    if v.is_empty() {
        "-".to_string()
    } else {
        v
    }
}

/// `ps [-o COL1,COL2=HEADER] [-T]`, as `ps_main` with `ENABLE_DESKTOP`: `-a -A -d -e -f -l`
/// are taken and ignored, and so are operands (`ps aux` lists what `ps` does).
pub fn ps(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut specs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            break;
        }
        let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) else {
            continue;
        };
        let chars: Vec<char> = flags.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            match chars[j] {
                'o' => {
                    let rest: String = chars[j + 1..].iter().collect();
                    if !rest.is_empty() {
                        specs.push(rest);
                    } else if let Some(next) = args.get(i) {
                        specs.push(next.clone());
                        i += 1;
                    } else {
                        return usage_error(
                            ctx,
                            prog,
                            Some("option requires an argument -- 'o'"),
                            1,
                        );
                    }
                    break;
                }
                'Z' | 'a' | 'A' | 'd' | 'e' | 'f' | 'l' | 'T' => {}
                c => return usage_error(ctx, prog, Some(&format!("invalid option -- '{c}'")), 1),
            }
            j += 1;
        }
    }
    let mut cols = Vec::new();
    if specs.is_empty() {
        specs.push(DEFAULT_O.to_string());
    }
    for s in &specs {
        if let Err(e) = parse_o(s, &mut cols) {
            let mut o = Output::default();
            o.fail(prog, e, 1);
            return o;
        }
    }
    let Some(procs) = table(ctx) else {
        return no_table(prog);
    };
    let width = if ctx.tty { 79 } else { MAX_WIDTH };
    // `alloc_line_buffer`: the columns that do not fit on the line are dropped.
    let mut total = 0;
    let mut kept = 0;
    for c in &cols {
        kept += 1;
        total += c.width + 1;
        if total > width {
            break;
        }
    }
    cols.truncate(kept);
    let names = Names::read(ctx);
    let mut out = Output::default();
    let line = |cells: Vec<String>, cols: &[Column], header: bool| {
        let mut text = String::new();
        for (k, (cell, col)) in cells.iter().zip(cols).enumerate() {
            text.push_str(cell);
            if k + 1 < cols.len() {
                let len = cell.chars().count();
                let pad = if header {
                    col.width.saturating_sub(len) + 1
                } else {
                    (col.width + 1).saturating_sub(len).max(1)
                };
                text.push_str(&" ".repeat(pad));
            }
        }
        let mut text: String = text.chars().take(width).collect();
        text.push('\n');
        text
    };
    if cols.iter().any(|c| !c.header.is_empty()) {
        let cells = cols.iter().map(|c| c.header.clone()).collect();
        out.out(line(cells, &cols, true));
    }
    for p in &procs {
        let cells = cols
            .iter()
            .map(|c| column_value(c, p, &names, ctx.now))
            .collect();
        out.out(line(cells, &cols, false));
        if out.full() {
            break;
        }
    }
    out
}

/// Reads `/proc/meminfo` as `key: value kB` lines, in KiB.
pub(crate) fn meminfo(ctx: &Ctx<'_>) -> Option<Vec<(String, u64)>> {
    use layerbox_fstree::FileSystem;
    let bytes = ctx.fs.read_file(&ctx.cred, "/proc/meminfo").ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(
        text.lines()
            .filter_map(|l| {
                let (k, v) = l.split_once(':')?;
                let n = v.split_whitespace().next()?.parse().ok()?;
                Some((k.to_string(), n))
            })
            .collect(),
    )
}

pub(crate) fn mem(info: &[(String, u64)], key: &str) -> u64 {
    info.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| *v)
        .unwrap_or(0)
}

/// `top -b -n 1`: BusyBox top's batch screen (Debian's configuration, as recorded: no `CPU`
/// column and no decimals), its memory line from `/proc/meminfo`.
/// Emulation note: no CPU time is modelled, so the CPU line shows an idle machine, the load
/// average is 0.00 with this container's process count, and `%CPU` is 0; processes are in PID
/// order (all tie on `%CPU`). Without `-b` (a full screen) or with more than one round it says
/// it is not modelled (exit 1, as an option layerbox does not model).
pub fn top(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut batch = false;
    let mut rounds: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        // `make_all_argv_opts`: options may come without their dash.
        let a = args[i].trim_start_matches('-').to_string();
        i += 1;
        let chars: Vec<char> = a.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            match chars[j] {
                'b' => batch = true,
                'H' | 'm' => {}
                c @ ('d' | 'n') => {
                    let rest: String = chars[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(next) = args.get(i) {
                        i += 1;
                        next.trim_start_matches('-').to_string()
                    } else {
                        return usage_error(
                            ctx,
                            prog,
                            Some(&format!("option requires an argument -- '{c}'")),
                            1,
                        );
                    };
                    if c == 'n' {
                        rounds = Some(value);
                    }
                    break;
                }
                c => return usage_error(ctx, prog, Some(&format!("invalid option -- '{c}'")), 1),
            }
            j += 1;
        }
    }
    let mut out = Output::default();
    let rounds = match rounds.as_deref().map(str::parse::<u32>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            out.fail(
                prog,
                format!("invalid number '{}'", rounds.unwrap_or_default()),
                1,
            );
            return out;
        }
    };
    if !batch {
        out.fail(
            "layerbox",
            "top without -b is not modelled (it draws a full screen); use top -b -n 1",
            1,
        );
        return out;
    }
    if rounds != Some(1) {
        out.fail(
            "layerbox",
            "top -b is modelled for one round only (-n 1)",
            1,
        );
        return out;
    }
    let Some(procs) = table(ctx) else {
        return no_table(prog);
    };
    let Some(info) = meminfo(ctx) else {
        out.fail(
            prog,
            "can't open '/proc/meminfo': No such file or directory",
            1,
        );
        return out;
    };
    let total = mem(&info, "MemTotal").max(1);
    let free = mem(&info, "MemFree");
    out.out(format!(
        "Mem: {}K used, {free}K free, {}K shrd, {}K buff, {}K cached\n",
        total.saturating_sub(free),
        mem(&info, "MemShared") + mem(&info, "Shmem"),
        mem(&info, "Buffers"),
        mem(&info, "Cached"),
    ));
    out.out("CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq\n");
    let running = procs.iter().filter(|p| p.running).count();
    let last = procs.iter().map(|p| p.pid).max().unwrap_or(0);
    out.out(format!(
        "Load average: 0.00 0.00 0.00 {running}/{} {last}\n",
        procs.len()
    ));
    out.out("  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND");
    let names = Names::read(ctx);
    for p in &procs {
        let ppu = pid_ppid_user(p.pid, p.ppid, &names.user(p.uid));
        let pmem = (p.vsz_kb * 100 + total / 2) / total;
        let state = state(p);
        out.out(format!(
            "\n{ppu} {state:<3}  {}{pmem:4}%   0% {}",
            ulltoa5(p.vsz_kb),
            cmdline(p)
        ));
    }
    out.out("\n\n");
    out
}

/// `top`'s `PID PPID USER` part in 20 characters: PID and PPID shrink before USER is cut.
fn pid_ppid_user(pid: u32, ppid: u32, user: &str) -> String {
    let full: Vec<char> = format!("{pid:5} {ppid:5} {user:<8.8}").chars().collect();
    let mut n = full.len();
    if n == 20 {
        return full.into_iter().collect();
    }
    let mut start = 0;
    if full[0] == ' ' {
        loop {
            start += 1;
            n -= 1;
            if n == 20 {
                return full[start..].iter().collect();
            }
            if full.get(start) != Some(&' ') {
                break;
            }
        }
    }
    let mut rest: Vec<char> = full[start..].to_vec();
    let after = rest
        .iter()
        .position(|c| *c == ' ')
        .map_or(rest.len(), |i| i + 1);
    if rest.get(after) == Some(&' ') {
        let mut p = after;
        loop {
            p += 1;
            n -= 1;
            if n == 20 || rest.get(p) != Some(&' ') {
                break;
            }
        }
        rest.drain(after..p);
    }
    rest.truncate(20);
    rest.into_iter().collect()
}

/// `kill [-l] [-SIG | -s SIG] PID...` (`procps/kill.c`): signals each PID; `-l` lists the
/// signal names. Run as a program (`/bin/kill`, `busybox kill`); ash's builtin checks its
/// arguments first and then runs the same.
pub fn kill(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut out = Output::default();
    let mut rest = args;
    if rest.first().is_some_and(|a| a == "-l") {
        if rest.len() == 1 {
            for (n, name) in SIGNALS.iter().enumerate().skip(1) {
                out.out(format!("{n:2}) {name}\n"));
            }
            return out;
        }
        for a in &rest[1..] {
            if let Ok(n) = a.parse::<u32>() {
                match signal_name(n & 0x7f) {
                    Some(s) => out.out(format!("{s}\n")),
                    None => out.out(format!("{}\n", n & 0x7f)),
                }
            } else {
                match signal_number(a).filter(|n| *n < 32) {
                    Some(n) => out.out(format!("{n}\n")),
                    None => {
                        out.fail(prog, format!("unknown signal '{a}'"), 1);
                        return out;
                    }
                }
            }
        }
        return out;
    }
    let mut signal = 15;
    if let Some(first) = rest.first().filter(|a| a.starts_with('-') && a.len() > 1) {
        let opt = &first[1..];
        if opt != "-" {
            let (name, skip) = if opt == "s" && rest.len() > 1 {
                (rest[1].as_str(), 2)
            } else {
                (opt, 1)
            };
            match signal_number(name) {
                Some(n) => signal = n,
                None => {
                    out.fail(prog, format!("bad signal name '{name}'"), 1);
                    return out;
                }
            }
            rest = &rest[skip..];
        } else {
            rest = &rest[1..];
        }
    }
    if rest.is_empty() {
        out.fail(prog, "you need to specify whom to kill", 1);
        return out;
    }
    if ctx
        .exec
        .as_deref_mut()
        .and_then(|e| e.processes())
        .is_none()
    {
        return no_table(prog);
    }
    for a in rest {
        let Ok(pid) = a.trim().parse::<i64>() else {
            out.fail(prog, format!("invalid number '{a}'"), 1);
            continue;
        };
        let sent = match u32::try_from(pid) {
            Ok(pid) if pid > 0 => ctx
                .exec
                .as_deref_mut()
                .map(|e| e.signal(pid, signal))
                .unwrap_or(Err(SignalError::NoSuchProcess)),
            _ => {
                out.err(format!(
                    "layerbox: {prog} of a process group ({pid}) is not modelled\n"
                ));
                out.code = NOT_MODELLED;
                continue;
            }
        };
        if let Err(e) = sent {
            out.fail(prog, format!("can't kill pid {pid}: {}", e.text()), 1);
        }
    }
    out
}

/// What `pgrep` and `pkill` select.
struct Match {
    full: bool,
    exact: bool,
    invert: bool,
    newest: bool,
    oldest: bool,
    parent: Option<Vec<u32>>,
    session: Option<Vec<u32>>,
    pattern: Option<String>,
}

/// `pgrep [-flanovx] [-s SID|-P PPID|PATTERN]` and `pkill [-l|-SIG] [-fnovx] [-s SID|-P
/// PPID|PATTERN]` (`procps/pgrep.c`, BusyBox 1.36.1; Debian's BusyBox has neither, so this
/// follows the source): PATTERN is an extended regular expression matched against the
/// program's name (its whole command line with `-f`), and neither lists itself.
pub fn pgrep(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let is_pkill = prog == "pkill";
    let mut out = Output::default();
    let mut signal = 15;
    let mut args: Vec<String> = args.to_vec();
    // pkill: a first argument that is a signal (`-9`, `-TERM`) is taken before the options.
    if is_pkill {
        if let Some(first) = args.first().and_then(|a| a.strip_prefix('-')) {
            if let Some(n) = signal_number(first) {
                signal = n;
                args.remove(0);
            }
        }
    }
    let mut m = Match {
        full: false,
        exact: false,
        invert: false,
        newest: false,
        oldest: false,
        parent: None,
        session: None,
        pattern: None,
    };
    let mut list_name = false;
    let mut list_full = false;
    let mut echo = false;
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && operands.is_empty())
        else {
            operands.push(a);
            continue;
        };
        if flags == "-" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        let chars: Vec<char> = flags.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            match c {
                'f' => m.full = true,
                'x' => m.exact = true,
                'v' => m.invert = true,
                'n' => m.newest = true,
                'o' => m.oldest = true,
                'l' => list_name = true,
                'a' => list_full = true,
                'e' => echo = true,
                's' | 'P' => {
                    let rest: String = chars[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(next) = args.get(i) {
                        i += 1;
                        next.clone()
                    } else {
                        return usage_error(
                            ctx,
                            prog,
                            Some(&format!("option requires an argument -- '{c}'")),
                            1,
                        );
                    };
                    // getopt32's `+`: one number.
                    let ids = match value.parse::<u32>() {
                        Ok(n) => vec![n],
                        Err(_) => {
                            out.fail(prog, format!("invalid number '{value}'"), 1);
                            return out;
                        }
                    };
                    if c == 's' {
                        m.session = Some(ids);
                    } else {
                        m.parent = Some(ids);
                    }
                    break;
                }
                c => return usage_error(ctx, prog, Some(&format!("invalid option -- '{c}'")), 1),
            }
            j += 1;
        }
    }
    if is_pkill && list_name {
        // pkill's `-l` prints the whole signal list.
        return kill("kill", &["-l".to_string()], ctx);
    }
    // One pattern is required unless `-s` or `-P` is given.
    if (m.session.is_none() && m.parent.is_none()) && operands.len() != 1 {
        let mut o = Output::default();
        o.err(busybox_usage(prog));
        o.code = 1;
        return o;
    }
    m.pattern = operands.into_iter().next();
    let options = Options {
        extended: true,
        whole_line: m.exact,
        ..Options::default()
    };
    let regex = match &m.pattern {
        Some(p) => match Regex::new(p, options) {
            Ok((r, _)) => Some(r),
            Err(e) => {
                out.fail(prog, format!("bad regex '{p}': {}", e.message()), 1);
                return out;
            }
        },
        None => None,
    };
    let Some(procs) = table(ctx) else {
        return no_table(prog);
    };
    let me = procs.iter().find(|p| p.running).cloned();
    let my_sid = me.as_ref().map_or(0, |p| p.sid);
    let sid = |ids: &Vec<u32>| -> Vec<u32> {
        ids.iter()
            .map(|&s| if s == 0 { my_sid } else { s })
            .collect()
    };
    let sessions = m.session.as_ref().map(sid);
    let mut search = Search::new(Budget::new(1 << 20));
    // (pid, what `act` prints for it)
    let mut chosen: Vec<(u32, String)> = Vec::new();
    for p in &procs {
        if me.as_ref().is_some_and(|me| me.pid == p.pid) {
            continue;
        }
        let other_ppid = m.parent.as_ref().is_some_and(|ids| !ids.contains(&p.ppid));
        let other_sid = sessions.as_ref().is_some_and(|ids| !ids.contains(&p.sid));
        if !m.invert && (other_ppid || other_sid) {
            continue;
        }
        // Matched against the first argument (the whole command line with -f), then the
        // program's name.
        let first = p.argv.first().cloned().unwrap_or_else(|| p.comm.clone());
        let line = if m.full || list_full {
            p.argv.join(" ")
        } else {
            first.clone()
        };
        let subject = if m.full { line.clone() } else { first.clone() };
        let matched = match &regex {
            None => true,
            Some(r) => {
                let mut test = |text: &str| r.is_match(text.as_bytes(), &mut search) == Ok(true);
                test(&subject) || test(&p.comm)
            }
        };
        // `pgrep -v -P1 NAME` is "not (ppid 1 and NAME)".
        let hit = (m.invert && (other_ppid || other_sid)) || matched != m.invert;
        if hit {
            let shown = if list_full { line } else { first };
            chosen.push((p.pid, shown));
            if m.oldest {
                break;
            }
        }
    }
    if m.newest {
        chosen = chosen.pop().into_iter().collect();
    }
    if chosen.is_empty() {
        out.code = 1;
        return out;
    }
    for (pid, cmd) in chosen {
        if is_pkill {
            if let Some(hook) = ctx.exec.as_deref_mut() {
                let _ = hook.signal(pid, signal);
            }
            if echo {
                out.out(format!("{cmd} killed (pid {pid})\n"));
            }
        } else if list_name || list_full {
            out.out(format!("{pid} {cmd}\n"));
        } else {
            out.out(format!("{pid}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_over_six_characters() {
        assert_eq!(find_column("pid").map(|c| c.width), Ok(5));
        assert!(find_column("pi").is_err());
        assert_eq!(find_column("rgroupX").map(|c| c.name), Ok("rgroup"));
        let e = find_column("nosuch").err().unwrap_or_default();
        assert_eq!(e, "bad -o argument 'nosuch', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss");
    }

    #[test]
    fn a_header_sets_the_width_of_the_last_column_of_a_list() {
        let mut cols = Vec::new();
        parse_o("user=WHO,pid=ID,comm", &mut cols).expect("parses");
        let shown: Vec<(String, usize)> =
            cols.iter().map(|c| (c.header.clone(), c.width)).collect();
        assert_eq!(
            shown,
            vec![("WHO".into(), 3), ("ID".into(), 2), ("COMMAND".into(), 16)]
        );
    }

    #[test]
    fn cmdline_marks_an_applet_run_in_a_forked_shell() {
        let p = ProcInfo {
            argv: vec!["sh".into(), "-c".into(), "ps; echo done".into()],
            comm: "ps".into(),
            ..ProcInfo::default()
        };
        assert_eq!(cmdline(&p), "{ps} sh -c ps; echo done");
        let own = ProcInfo {
            argv: vec!["/bin/sleep".into(), "5".into()],
            comm: "sleep".into(),
            ..ProcInfo::default()
        };
        assert_eq!(cmdline(&own), "/bin/sleep 5");
    }

    #[test]
    fn times_and_sizes_fit_their_columns() {
        assert_eq!(format_time(0), " 0:00");
        assert_eq!(format_time(3 * 3600 + 120), " 3h02");
        assert_eq!(ulltoa4(2096), "2096");
        assert_eq!(ulltoa5(2096), " 2096");
        assert_eq!(ulltoa5(592_896), " 579m");
        assert_eq!(pid_ppid_user(1, 0, "root"), "    1     0 root    ");
        assert_eq!(pid_ppid_user(123_456, 1, "guest"), "123456    1 guest   ");
    }

    #[test]
    fn signals_are_named_as_libbb_reads_them() {
        assert_eq!(signal_number("TERM"), Some(15));
        assert_eq!(signal_number("sigkill"), Some(9));
        assert_eq!(signal_number("9"), Some(9));
        assert_eq!(signal_number("NOSUCH"), None);
    }
}
