//! The Debian 12 host's procps-ng 4.0.2: `free`, `uptime`, `ps` and `top -b -n 1`, over the
//! simulated machine (`layerbox_engine::machine`: 2 GiB, up since the session began, CPUs
//! always idle) and the host's process table ([`crate::host_procs`]), where every running
//! container's processes are listed with the host PIDs `docker top` shows.
//!
//! Output formats (headers, column widths, number formats) were recorded from procps-ng 4.0.2
//! on Debian 12 with the simulated machine's `/proc/meminfo` bind-mounted over the real one,
//! and with `kernel.pid_max` at 4194304 as Debian 12's systemd sets it (so PIDs are 7 wide).
//! Options that are not modelled say so (`layerbox: ps -X is not modelled`, exit 69).
//!
//! Emulation note: the machine's load average is 0.00 (no CPU time is modelled), one user is
//! logged in (the learner, over SSH on `pts/0`) and the host's time zone is UTC.

use layerbox_engine::clock::SESSION_START;
use layerbox_engine::machine;
use layerbox_engine::world::World;
use layerbox_fstree::calendar::civil_from_unix;
use layerbox_sh::{Output, NOT_MODELLED};

use crate::host_procs::{host_processes, HostProc, USER_TTY};
use crate::Runtime;

mod ps;
mod top;

/// The host's procps programs, by name.
pub const PROGRAMS: [&str; 4] = ["free", "ps", "top", "uptime"];

/// Runs procps program `name` (one of [`PROGRAMS`]) with `args` on the host; `tty` when its
/// output is the terminal. `None` for another name.
pub fn run(
    name: &str,
    args: &[String],
    world: &World,
    runtime: &Runtime,
    tty: bool,
) -> Option<Output> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let mut argv = vec![base.to_string()];
    argv.extend(args.iter().cloned());
    Some(match base {
        "free" => free(args),
        "uptime" => uptime(args, world.now()),
        "ps" => ps::ps(args, &host_processes(world, runtime, &argv), world, tty),
        "top" => top::top(args, &host_processes(world, runtime, &argv), world),
        _ => return None,
    })
}

fn output(stdout: String, stderr: String, code: i32) -> Output {
    Output {
        stdout: stdout.into_bytes(),
        stderr: stderr.into_bytes(),
        code,
        ..Output::default()
    }
}

/// `layerbox: WHAT is not modelled`, exit [`NOT_MODELLED`].
fn not_modelled(what: &str) -> Output {
    output(
        String::new(),
        format!("layerbox: {what} is not modelled\n"),
        NOT_MODELLED,
    )
}

const FREE_USAGE: &str = "
Usage:
 free [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -t, --total         show total for RAM + swap
 -v, --committed     show committed memory and commit limit
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
";

const UPTIME_USAGE: &str = "
Usage:
 uptime [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
 -V, --version  output version information and exit

For more details see uptime(1).
";

/// A getopt error: the message, then the usage on stderr, exit 1.
fn usage_error(message: String, usage: &str) -> Output {
    output(String::new(), format!("{message}{usage}"), 1)
}

/// How `free` shows sizes.
struct Scale {
    /// 0: KiB (or kB with `--si`); 1: bytes; N: units of base^(N-1).
    exponent: u32,
    human: bool,
    si: bool,
}

/// procps's `scale_size`: `kib` KiB as `free` prints it.
fn scale_size(kib: u64, scale: &Scale) -> String {
    let base: u64 = if scale.si { 1000 } else { 1024 };
    let bytes = kib.saturating_mul(1024);
    if !scale.human {
        return match scale.exponent {
            0 => (bytes / base).to_string(),
            1 => bytes.to_string(),
            e => (bytes / base.saturating_pow(e - 1)).to_string(),
        };
    }
    let plain = format!("{bytes}B");
    if plain.len() <= 4 {
        return plain;
    }
    const UP: [char; 6] = ['B', 'K', 'M', 'G', 'T', 'P'];
    let (limit, suffix) = if scale.si { (4, "") } else { (5, "i") };
    for (i, unit) in UP.iter().enumerate().skip(1) {
        let power = (base as f64).powi(i as i32);
        let tenth = format!("{:.1}{unit}{suffix}", (bytes as f64 / power) as f32);
        if tenth.len() <= limit {
            return tenth;
        }
        let whole = format!("{}{unit}{suffix}", (bytes as f64 / power) as i64);
        if whole.len() <= limit {
            return whole;
        }
    }
    format!("{:.1}E", bytes as f64 / (base as f64).powi(6))
}

/// `free`: the machine's memory (`/proc/meminfo`) as procps-ng 4.0.2 prints it.
pub fn free(args: &[String]) -> Output {
    let mut scale = Scale {
        exponent: 0,
        human: false,
        si: false,
    };
    let (mut lohi, mut total, mut wide) = (false, false, false);
    let mut operands = false;
    let mut only_operands = false;
    let (mut seconds, mut count): (Option<String>, Option<String>) = (None, None);
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_operands || arg == "-" || !arg.starts_with('-') {
            operands = true;
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let name = long.split_once('=').map_or(long, |(n, _)| n);
            match name {
                "bytes" => scale.exponent = 1,
                "kilo" | "mega" | "giga" | "tera" | "peta" => {
                    scale.si = true;
                    scale.exponent = match name {
                        "kilo" => 2,
                        "mega" => 3,
                        "giga" => 4,
                        "tera" => 5,
                        _ => 6,
                    };
                }
                "kibi" => scale.exponent = 2,
                "mebi" => scale.exponent = 3,
                "gibi" => scale.exponent = 4,
                "tebi" => scale.exponent = 5,
                "pebi" => scale.exponent = 6,
                "human" => scale.human = true,
                "si" => scale.si = true,
                "lohi" => lohi = true,
                "total" => total = true,
                "wide" => wide = true,
                "help" => return output(FREE_USAGE.to_string(), String::new(), 0),
                "version" => return output("free from procps-ng 4.0.2\n".into(), String::new(), 0),
                "seconds" | "count" => {
                    let value = match long.split_once('=') {
                        Some((_, v)) => v.to_string(),
                        None => match args.get(i) {
                            Some(v) => {
                                i += 1;
                                v.clone()
                            }
                            None => {
                                return usage_error(
                                    format!("free: option '--{name}' requires an argument\n"),
                                    FREE_USAGE,
                                )
                            }
                        },
                    };
                    if name == "seconds" {
                        seconds = Some(value);
                    } else {
                        count = Some(value);
                    }
                }
                "committed" => return not_modelled("free --committed"),
                _ => {
                    return usage_error(format!("free: unrecognized option '{arg}'\n"), FREE_USAGE)
                }
            }
            continue;
        }
        let chars: Vec<char> = arg[1..].chars().collect();
        for (j, &c) in chars.iter().enumerate() {
            match c {
                'b' => scale.exponent = 1,
                'k' => scale.exponent = 2,
                'm' => scale.exponent = 3,
                'g' => scale.exponent = 4,
                'h' => scale.human = true,
                'l' => lohi = true,
                't' => total = true,
                'w' => wide = true,
                'V' => return output("free from procps-ng 4.0.2\n".into(), String::new(), 0),
                's' | 'c' => {
                    let rest: String = chars[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return usage_error(
                            format!("free: option requires an argument -- '{c}'\n"),
                            FREE_USAGE,
                        );
                    };
                    if c == 's' {
                        seconds = Some(value);
                    } else {
                        count = Some(value);
                    }
                    break;
                }
                'v' => return not_modelled("free -v"),
                _ => return usage_error(format!("free: invalid option -- '{c}'\n"), FREE_USAGE),
            }
        }
    }
    // One count prints once and does not wait; anything that repeats is not modelled.
    match (count.as_deref(), seconds.is_some()) {
        (Some("1"), _) | (None, false) => {}
        (Some(n), _) => return not_modelled(&format!("free -c {n}")),
        (None, true) => return not_modelled("free -s without -c 1"),
    }
    if operands {
        return usage_error(String::new(), FREE_USAGE);
    }
    let mem_total = machine::MEM_TOTAL_KB;
    let mem_free = machine::MEM_FREE_KB;
    let available = machine::MEM_AVAILABLE_KB;
    let buffers = machine::BUFFERS_KB;
    let cache = machine::CACHED_KB + machine::SRECLAIMABLE_KB;
    let used = mem_total - available;
    let s = |kib: u64| scale_size(kib, &scale);
    // procps prints each row's label in 9 columns, its first value in 11, each other in 12.
    let row = |label: &str, values: &[u64]| {
        let mut line = format!("{label:<9}");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                line.push(' ');
            }
            line.push_str(&format!("{:>11}", s(*v)));
        }
        line.push('\n');
        line
    };
    let mut out = String::from(if wide {
        "               total        used        free      shared     buffers       cache   available\n"
    } else {
        "               total        used        free      shared  buff/cache   available\n"
    });
    if wide {
        out.push_str(&row(
            "Mem:",
            &[
                mem_total,
                used,
                mem_free,
                machine::SHMEM_KB,
                buffers,
                cache,
                available,
            ],
        ));
    } else {
        out.push_str(&row(
            "Mem:",
            &[
                mem_total,
                used,
                mem_free,
                machine::SHMEM_KB,
                buffers + cache,
                available,
            ],
        ));
    }
    if lohi {
        out.push_str(&row("Low:", &[mem_total, mem_total - mem_free, mem_free]));
        out.push_str(&row("High:", &[0, 0, 0]));
    }
    out.push_str(&row("Swap:", &[0, 0, 0]));
    if total {
        out.push_str(&row("Total:", &[mem_total, used, mem_free]));
    }
    output(out, String::new(), 0)
}

/// `HH:MM:SS` of logical time `t` (the host's clock is UTC).
fn clock_time(t: u64) -> String {
    let c = civil_from_unix(t);
    format!("{:02}:{:02}:{:02}", c.hour, c.min, c.sec)
}

/// procps's `procps_uptime_sprint`: ` HH:MM:SS up …,  1 user,  load average: …`.
fn uptime_line(now: u64) -> String {
    let up = machine::uptime_seconds(now);
    let days = up / 86_400;
    let hours = (up / 3600) % 24;
    let minutes = (up / 60) % 60;
    let mut s = format!(" {} up ", clock_time(now));
    if days > 0 {
        s.push_str(&format!(
            "{days} {}, ",
            if days > 1 { "days" } else { "day" }
        ));
    }
    if hours > 0 {
        s.push_str(&format!("{hours:2}:{minutes:02}, "));
    } else {
        s.push_str(&format!("{minutes} min, "));
    }
    s.push_str(" 1 user,  load average: 0.00, 0.00, 0.00");
    s
}

/// procps's `procps_uptime_sprint_short` (`uptime -p`), quirks kept: a unit is counted only
/// past a whole one (`>`), and minutes show when there are some or under a minute is left.
fn uptime_pretty(now: u64) -> String {
    let mut secs = machine::uptime_seconds(now);
    let mut parts: Vec<String> = Vec::new();
    for (size, one, many) in [
        (60 * 60 * 24 * 365 * 10, "decade", "decades"),
        (60 * 60 * 24 * 365, "year", "years"),
        (60 * 60 * 24 * 7, "week", "weeks"),
        (60 * 60 * 24, "day", "days"),
        (60 * 60, "hour", "hours"),
    ] {
        if secs > size {
            let n = secs / size;
            secs -= n * size;
            parts.push(format!("{n} {}", if n > 1 { many } else { one }));
        }
    }
    let mut minutes = 0;
    if secs > 60 {
        minutes = secs / 60;
        secs -= minutes * 60;
    }
    if minutes > 0 || secs < 60 {
        parts.push(format!(
            "{minutes} {}",
            if minutes != 1 { "minutes" } else { "minute" }
        ));
    }
    format!("up {}", parts.join(", "))
}

/// `uptime` (`-p`, `-s`) as procps-ng 4.0.2 prints it.
pub fn uptime(args: &[String], now: u64) -> Output {
    let mut pretty = false;
    let mut operands = false;
    for arg in args {
        if arg == "-" || !arg.starts_with('-') {
            operands = true;
            continue;
        }
        let letters: Vec<char> = match arg.strip_prefix("--") {
            Some("pretty") => vec!['p'],
            Some("help") => vec!['h'],
            Some("since") => vec!['s'],
            Some("version") => vec!['V'],
            Some(_) => {
                return usage_error(
                    format!("uptime: unrecognized option '{arg}'\n"),
                    UPTIME_USAGE,
                )
            }
            None => arg[1..].chars().collect(),
        };
        for c in letters {
            match c {
                'p' => pretty = true,
                'h' => return output(UPTIME_USAGE.to_string(), String::new(), 0),
                's' => {
                    let c = civil_from_unix(SESSION_START);
                    return output(
                        format!(
                            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}\n",
                            c.year, c.month, c.day, c.hour, c.min, c.sec
                        ),
                        String::new(),
                        0,
                    );
                }
                'V' => return output("uptime from procps-ng 4.0.2\n".into(), String::new(), 0),
                _ => {
                    return usage_error(format!("uptime: invalid option -- '{c}'\n"), UPTIME_USAGE)
                }
            }
        }
    }
    if operands {
        return usage_error(String::new(), UPTIME_USAGE);
    }
    let line = if pretty {
        uptime_pretty(now)
    } else {
        uptime_line(now)
    };
    output(format!("{line}\n"), String::new(), 0)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// `ps`'s `bsdstart` (`START` of `ps aux`): `HH:MM` within a day, else `MonDD`.
fn start_short(started: u64, now: u64) -> String {
    let c = civil_from_unix(started);
    if now.saturating_sub(started) <= 86_400 {
        format!("{:02}:{:02}", c.hour, c.min)
    } else {
        format!(
            "{}{:02}",
            MONTHS[(c.month as usize).saturating_sub(1) % 12],
            c.day
        )
    }
}

/// `ps`'s `stime` (`STIME` of `ps -f`): `HH:MM` on the same day, `MonDD` in the same year,
/// else the year (`pr_stime`).
fn start_stime(started: u64, now: u64) -> String {
    let (c, today) = (civil_from_unix(started), civil_from_unix(now));
    if c.year != today.year {
        c.year.to_string()
    } else if c.yday != today.yday {
        format!(
            "{}{:02}",
            MONTHS[(c.month as usize).saturating_sub(1) % 12],
            c.day
        )
    } else {
        format!("{:02}:{:02}", c.hour, c.min)
    }
}

/// `ps`'s `start` (`STARTED`): `HH:MM:SS` within a day, else `  Mon DD` (`pr_start`).
fn start_time(started: u64, now: u64) -> String {
    if started.saturating_add(86_400) > now {
        clock_time(started)
    } else {
        let c = civil_from_unix(started);
        format!(
            "  {} {:02}",
            MONTHS[(c.month as usize).saturating_sub(1) % 12],
            c.day
        )
    }
}

/// `ps`'s `lstart`: `Mon Dec  7 00:45:16 2026`.
fn start_long(started: u64) -> String {
    let c = civil_from_unix(started);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS[c.weekday as usize % 7],
        MONTHS[(c.month as usize).saturating_sub(1) % 12],
        c.day,
        c.hour,
        c.min,
        c.sec,
        c.year
    )
}

/// `[[DD-]HH:]MM:SS` of `secs` (`ps`'s `etime`).
fn elapsed(secs: u64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
    );
    if d > 0 {
        format!("{d}-{h:02}:{m:02}:{s:02}")
    } else if h > 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A process's share of the machine's memory in tenths of a percent, as procps rounds it.
fn pmem_tenths(p: &HostProc) -> u64 {
    p.rss * 1000 / machine::MEM_TOTAL_KB
}

/// Whether `p` is on the learner's terminal.
fn on_user_tty(p: &HostProc) -> bool {
    p.tty.as_deref() == Some(USER_TTY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(o: Output) -> String {
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
    }

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    // Recorded from procps-ng 4.0.2 (Debian 12) with the machine's /proc/meminfo bind-mounted.
    #[test]
    fn free_prints_the_machine_as_procps_does() {
        assert_eq!(
            text(free(&[])),
            "               total        used        free      shared  buff/cache   available\n\
Mem:         2097152      212992     1572864        4096      311296     1884160\n\
Swap:              0           0           0\n"
        );
        assert_eq!(
            text(free(&args("-h -w"))),
            "               total        used        free      shared     buffers       cache   available\n\
Mem:           2.0Gi       208Mi       1.5Gi       4.0Mi        16Mi       288Mi       1.8Gi\n\
Swap:             0B          0B          0B\n"
        );
        assert_eq!(
            text(free(&args("-m -t"))),
            "               total        used        free      shared  buff/cache   available\n\
Mem:            2048         208        1536           4         304        1840\n\
Swap:              0           0           0\n\
Total:          2048         208        1536\n"
        );
        assert!(text(free(&args("-b"))).contains(
            "Mem:      2147483648   218103808  1610612736     4194304   318767104  1929379840\n"
        ));
        assert!(text(free(&args("-g"))).contains(
            "Mem:               2           0           1           0           0           1\n"
        ));
        assert!(text(free(&args("--si"))).contains(
            "Mem:         2147483      218103     1610612        4194      318767     1929379\n"
        ));
        assert!(text(free(&args("--mega"))).contains(
            "Mem:            2147         218        1610           4         318        1929\n"
        ));
        assert!(text(free(&args("-l"))).contains("Low:         2097152      524288     1572864\nHigh:              0           0           0\n"));
        let bad = free(&args("-x"));
        assert_eq!(bad.code, 1);
        assert!(text(bad).starts_with("free: invalid option -- 'x'\n\nUsage:\n free [options]\n"));
        assert_eq!(free(&args("-s 1")).code, NOT_MODELLED);
        assert_eq!(text(free(&args("-s 1 -c 1"))), text(free(&[])));
        assert_eq!(text(free(&args("-c1"))), text(free(&[])));
        assert_eq!(free(&args("-c 2")).code, NOT_MODELLED);
        assert!(text(free(&args("-s"))).starts_with("free: option requires an argument -- 's'\n"));
    }

    #[test]
    fn uptime_counts_from_the_sessions_start() {
        let now = SESSION_START + 8 * 3600 + 49 * 60 + 7;
        assert_eq!(
            text(uptime(&[], now)),
            " 17:49:07 up  8:49,  1 user,  load average: 0.00, 0.00, 0.00\n"
        );
        assert_eq!(
            text(uptime(&[], SESSION_START + 300)),
            " 09:05:00 up 5 min,  1 user,  load average: 0.00, 0.00, 0.00\n"
        );
        assert_eq!(text(uptime(&args("-p"), now)), "up 8 hours, 49 minutes\n");
        assert_eq!(
            text(uptime(&args("-p"), SESSION_START + 3600)),
            "up 60 minutes\n"
        );
        assert_eq!(
            text(uptime(&args("-p"), SESSION_START + 30)),
            "up 0 minutes\n"
        );
        assert_eq!(
            text(uptime(&args("-p"), SESSION_START + 90_061)),
            "up 1 day, 1 hour, 1 minute\n"
        );
        assert_eq!(text(uptime(&args("-s"), now)), "2024-06-01 09:00:00\n");
        assert_eq!(uptime(&args("extra"), now).code, 1);
    }
}
