//! procps-ng 4.0.2's `ps` on the host: `ps`, `ps -e`/`-A`, `-f`, `-o LIST`, the selections
//! `-p`, `-C` and `-u`, and the BSD `a`, `u`, `x` (`ps aux`), over the host's process table,
//! in PID order.

use layerbox_engine::world::World;
use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::Cred;
use layerbox_sh::Output;

use super::{
    elapsed, not_modelled, on_user_tty, output, pmem_tenths, start_long, start_short, start_stime,
    start_time,
};
use crate::host_procs::HostProc;

/// A column: its key, header, width and alignment (`ps`'s `format_array`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Column {
    key: &'static str,
    header: String,
    width: usize,
    right: bool,
}

/// The `-o` keys modelled: names (with aliases), header, width, right-aligned.
const KEYS: [(&[&str], &str, usize, bool); 27] = [
    (&["pid"], "PID", 7, true),
    (&["ppid"], "PPID", 7, true),
    (&["pgid", "pgrp"], "PGID", 7, true),
    (&["sid", "sess", "session"], "SID", 7, true),
    (&["uid"], "UID", 5, true),
    (&["euid"], "EUID", 5, true),
    (&["user", "euser", "uname"], "USER", 8, false),
    (&["ruser"], "RUSER", 8, false),
    (&["gid", "egid"], "GID", 5, true),
    (&["group", "egroup"], "GROUP", 8, false),
    (&["comm", "ucomm"], "COMMAND", 15, false),
    (&["ucmd"], "CMD", 15, false),
    (&["args", "command"], "COMMAND", 27, false),
    (&["cmd"], "CMD", 27, false),
    (&["stat"], "STAT", 4, false),
    (&["s", "state"], "S", 1, false),
    (&["tty", "tt"], "TT", 8, false),
    (&["tname"], "TTY", 8, false),
    (&["time", "cputime"], "TIME", 8, true),
    (&["etime"], "ELAPSED", 11, true),
    (&["vsz", "vsize"], "VSZ", 6, true),
    (&["rss", "rssize", "rsz"], "RSS", 5, true),
    (&["pcpu", "%cpu"], "%CPU", 4, true),
    (&["pmem", "%mem"], "%MEM", 4, true),
    (&["stime", "start_time"], "STIME", 5, false),
    (&["start"], "STARTED", 8, true),
    (&["lstart"], "STARTED", 24, true),
];

/// The column `key` names, or `None` when it is not modelled.
fn column(key: &str) -> Option<Column> {
    match key {
        "c" => return Some(col("c", "C", 2, true)),
        "ni" | "nice" => return Some(col("ni", "NI", 3, true)),
        "bsdtime" => return Some(col("bsdtime", "TIME", 6, true)),
        "bsdstart" => return Some(col("bsdstart", "START", 5, false)),
        _ => {}
    }
    KEYS.iter()
        .find(|(names, ..)| names.contains(&key))
        .map(|(names, header, width, right)| col(names[0], header, *width, *right))
}

fn col(key: &'static str, header: &str, width: usize, right: bool) -> Column {
    Column {
        key,
        header: header.to_string(),
        width,
        right,
    }
}

/// The value of column `key` for `p`.
fn value(key: &str, p: &HostProc, now: u64, accounts: &Accounts) -> String {
    let name = |uid: u32| {
        accounts
            .getpwuid(uid)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| uid.to_string())
    };
    let group = |gid: u32| {
        accounts
            .getgrgid(gid)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| gid.to_string())
    };
    match key {
        "pid" => p.pid.to_string(),
        "ppid" => p.ppid.to_string(),
        "pgid" => p.pgid.to_string(),
        "sid" => p.sid.to_string(),
        "uid" | "euid" => p.uid.to_string(),
        "user" | "ruser" => name(p.uid),
        "gid" => p.gid.to_string(),
        "group" => group(p.gid),
        "comm" | "ucmd" => p.command_name(),
        "args" | "cmd" => p.command_line(),
        "stat" => p.stat.clone(),
        "s" => p.stat.chars().next().map(String::from).unwrap_or_default(),
        "tty" | "tname" => p.tty.clone().unwrap_or_else(|| "?".into()),
        "time" => "00:00:00".into(),
        "bsdtime" => "0:00".into(),
        "etime" => elapsed(now.saturating_sub(p.started)),
        "vsz" => p.vsz.to_string(),
        "rss" => p.rss.to_string(),
        "pcpu" => "0.0".into(),
        "pmem" => {
            let t = pmem_tenths(p);
            format!("{}.{}", t / 10, t % 10)
        }
        "c" | "ni" => "0".into(),
        "stime" => start_stime(p.started, now),
        "bsdstart" => start_short(p.started, now),
        "start" => start_time(p.started, now),
        "lstart" => start_long(p.started),
        _ => String::new(),
    }
}

/// Which processes `ps` lists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Select {
    /// The learner's processes on the learner's terminal (no option).
    Own,
    /// `-e`, `-A`, `ax`.
    All,
    /// BSD `a`: every process with a terminal.
    WithTty,
    /// BSD `x`: every process of the learner.
    Mine,
}

/// `ps ARGS` over the host's processes `procs` (sorted by PID); lines are cut at 80 columns
/// when the output is the terminal.
pub fn ps(args: &[String], procs: &[HostProc], world: &World, tty: bool) -> Output {
    let (mut all, mut full, mut bsd_a, mut bsd_u, mut bsd_x) = (false, false, false, false, false);
    let mut list: Option<Vec<Column>> = None;
    let mut filters: Vec<Filter> = Vec::new();
    let accounts = Accounts::read(&world.host().local, &Cred::root());
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--help" {
            return output(HELP.to_string(), String::new(), 0);
        }
        if arg == "--version" || arg == "-V" {
            return output("ps from procps-ng 4.0.2\n".into(), String::new(), 0);
        }
        if arg.starts_with("--") {
            return not_modelled(&format!("ps {arg}"));
        }
        if let Some(letters) = arg.strip_prefix('-') {
            let chars: Vec<char> = letters.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                match chars[j] {
                    'e' | 'A' => all = true,
                    'f' => full = true,
                    c @ ('p' | 'C' | 'u') => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let list = if rest.is_empty() {
                            let Some(next) = args.get(i) else {
                                return not_modelled(&format!("ps -{c} without a list"));
                            };
                            i += 1;
                            next.clone()
                        } else {
                            rest
                        };
                        for item in list.split([',', ' ']).filter(|w| !w.is_empty()) {
                            let filter = match c {
                                'p' => match item.parse::<u32>() {
                                    Ok(pid) => Filter::Pid(pid),
                                    Err(_) => {
                                        return list_error("error: process ID list syntax error\n")
                                    }
                                },
                                'C' => Filter::Comm(item.to_string()),
                                _ => match user_id(item, &accounts) {
                                    Some(uid) => Filter::User(uid),
                                    None => return list_error("error: user name does not exist\n"),
                                },
                            };
                            filters.push(filter);
                        }
                        j = chars.len();
                        continue;
                    }
                    'o' => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let spec = if rest.is_empty() {
                            let Some(next) = args.get(i) else {
                                return not_modelled("ps -o without a format");
                            };
                            i += 1;
                            next.clone()
                        } else {
                            rest
                        };
                        match parse_list(&spec) {
                            Ok(cols) => list.get_or_insert_with(Vec::new).extend(cols),
                            Err(out) => return out,
                        }
                        j = chars.len();
                        continue;
                    }
                    c => return not_modelled(&format!("ps -{c}")),
                }
                j += 1;
            }
            continue;
        }
        for c in arg.chars() {
            match c {
                'a' => bsd_a = true,
                'u' => bsd_u = true,
                'x' => bsd_x = true,
                c => return not_modelled(&format!("ps {c}")),
            }
        }
    }
    let select = match (all, bsd_a, bsd_x) {
        (true, ..) | (false, true, true) => Select::All,
        (false, true, false) => Select::WithTty,
        (false, false, true) => Select::Mine,
        _ => Select::Own,
    };
    let bsd = bsd_a || bsd_u || bsd_x;
    let columns = match list {
        Some(cols) => cols,
        None if bsd_u => format(&[
            ("user", "USER"),
            ("pid", ""),
            ("pcpu", ""),
            ("pmem", ""),
            ("vsz", ""),
            ("rss", ""),
            ("tname", ""),
            ("stat", ""),
            ("bsdstart", ""),
            ("bsdtime", ""),
            ("args", ""),
        ]),
        None if bsd => format(&[
            ("pid", ""),
            ("tname", ""),
            ("stat", ""),
            ("bsdtime", ""),
            ("args", ""),
        ]),
        None if full => format(&[
            ("user", "UID"),
            ("pid", ""),
            ("ppid", ""),
            ("c", ""),
            ("stime", ""),
            ("tname", ""),
            ("time", ""),
            ("cmd", ""),
        ]),
        None => format(&[("pid", ""), ("tname", ""), ("time", ""), ("ucmd", "")]),
    };
    let now = world.now();
    let chosen = procs.iter().filter(|p| match select {
        _ if !all && !filters.is_empty() => filters.iter().any(|f| match f {
            Filter::Pid(pid) => p.pid == *pid,
            Filter::Comm(comm) => p.comm == *comm,
            Filter::User(uid) => p.uid == *uid,
        }),
        Select::All => true,
        Select::Own => p.uid == 1000 && on_user_tty(p),
        Select::WithTty => p.tty.is_some(),
        Select::Mine => p.uid == 1000,
    });
    let mut rows: Vec<Vec<String>> = Vec::new();
    if columns.iter().any(|c| !c.header.is_empty()) {
        rows.push(columns.iter().map(|c| c.header.clone()).collect());
    }
    let mut listed = 0;
    for p in chosen {
        listed += 1;
        rows.push(
            columns
                .iter()
                .map(|c| value(c.key, p, now, &accounts))
                .collect(),
        );
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (n, (c, cell)) in columns.iter().zip(&row).enumerate() {
            if n > 0 {
                line.push(' ');
            }
            let last = n + 1 == columns.len();
            if c.right {
                line.push_str(&format!("{cell:>w$}", w = c.width));
            } else if last {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}", w = c.width));
            }
        }
        if tty {
            line = line.chars().take(80).collect();
        }
        out.push_str(&line);
        out.push('\n');
    }
    // ps exits 1 when it selected no process.
    output(out, String::new(), i32::from(listed == 0))
}

/// A `-p`, `-C` or `-u` selection.
enum Filter {
    Pid(u32),
    Comm(String),
    User(u32),
}

/// The uid `-u` names: a user of the host's `/etc/passwd`, or a number.
fn user_id(name: &str, accounts: &Accounts) -> Option<u32> {
    accounts
        .getpwnam(name)
        .map(|e| e.uid)
        .or_else(|| name.parse().ok())
}

/// A list option's error: the message, then the usage, on stderr, exit 1.
fn list_error(message: &str) -> Output {
    output(String::new(), format!("{message}{HELP}"), 1)
}

/// Columns of a built-in format, each with its header replaced when one is given.
fn format(keys: &[(&str, &str)]) -> Vec<Column> {
    keys.iter()
        .filter_map(|(key, header)| {
            let mut c = column(key)?;
            if !header.is_empty() {
                c.header = header.to_string();
            }
            Some(c)
        })
        .collect()
}

/// A `-o` list: keys separated by commas or blanks, each may be `key=Header` (to the next
/// comma, as procps-ng 4.0.2 reads it) or `key=` for no header.
fn parse_list(spec: &str) -> Result<Vec<Column>, Output> {
    let mut cols = Vec::new();
    for word in spec.split([',', ' ']).filter(|w| !w.is_empty()) {
        let (key, header) = match word.split_once('=') {
            Some((k, h)) => (k, Some(h)),
            None => (word, None),
        };
        if key.contains(':') {
            return Err(not_modelled(&format!("ps -o {key}")));
        }
        let mut c = column(key).ok_or_else(|| not_modelled(&format!("ps -o {key}")))?;
        if let Some(header) = header {
            c.width = c.width.max(header.chars().count());
            c.header = header.to_string();
        }
        cols.push(c);
    }
    Ok(cols)
}

const HELP: &str = "
Usage:
 ps [options]

 Try 'ps --help <simple|list|output|threads|misc|all>'
  or 'ps --help <s|l|o|t|m|a>'
 for additional help text.

For more details see ps(1).
";
