//! procps-ng 4.0.2's `top` in batch mode for one iteration (`top -b -n 1`): the summary
//! (uptime, tasks, CPU, memory) and every host process, sorted by `%CPU` (all 0.0 here, so
//! by PID), in 79 columns.

use layerbox_engine::machine;
use layerbox_engine::world::World;
use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::Cred;
use layerbox_sh::Output;

use super::{not_modelled, output, uptime_line};
use crate::host_procs::HostProc;

/// The columns `top -b` fills: one less than the terminal's 80 (or than the 80 it assumes
/// when the output is not a terminal), as recorded.
const WIDTH: usize = 79;

/// `s` cut to `width` columns, its last one `+` when it was longer (top's truncation).
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(width.saturating_sub(1)).collect();
    cut.push('+');
    cut
}

/// `top ARGS` over the host's processes `procs`.
pub fn top(args: &[String], procs: &[HostProc], world: &World) -> Output {
    let (mut batch, mut iterations, mut cmdline) = (false, None::<String>, false);
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        match arg.as_str() {
            "--batch-mode" => {
                batch = true;
                continue;
            }
            "--cmdline-toggle" => {
                cmdline = !cmdline;
                continue;
            }
            "-h" | "--help" => return output(HELP.to_string(), String::new(), 0),
            "-V" | "--version" => {
                return output("top from procps-ng 4.0.2\n".into(), String::new(), 0)
            }
            _ => {}
        }
        if let Some(n) = arg.strip_prefix("--iterations=") {
            iterations = Some(n.to_string());
            continue;
        }
        let Some(letters) = arg
            .strip_prefix('-')
            .filter(|l| !l.is_empty() && !l.starts_with('-'))
        else {
            return not_modelled(&format!("top {arg}"));
        };
        let chars: Vec<char> = letters.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            match chars[j] {
                'b' => batch = true,
                'c' => cmdline = !cmdline,
                'n' => {
                    let rest: String = chars[j + 1..].iter().collect();
                    iterations = Some(if rest.is_empty() {
                        let next = args.get(i).cloned().unwrap_or_default();
                        i += 1;
                        next
                    } else {
                        rest
                    });
                    break;
                }
                c => return not_modelled(&format!("top -{c}")),
            }
            j += 1;
        }
    }
    if !batch {
        return not_modelled("top without -b (a full-screen program; try top -b -n 1)");
    }
    match iterations.as_deref() {
        Some("1") => {}
        None => return not_modelled("top -b without -n 1 (it runs until stopped)"),
        Some(n) => return not_modelled(&format!("top -n {n}")),
    }
    let now = world.now();
    let accounts = Accounts::read(&world.host().local, &Cred::root());
    let state = |p: &HostProc| p.stat.chars().next().unwrap_or('S');
    let running = procs.iter().filter(|p| state(p) == 'R').count();
    let zombie = procs.iter().filter(|p| state(p) == 'Z').count();
    let mib = |kib: u64| kib as f64 / 1024.0;
    let mut out = format!("top -{}\n", uptime_line(now));
    out.push_str(&format!(
        "Tasks: {:>3} total, {running:>3} running, {:>3} sleeping, {:>3} stopped, {zombie:>3} zombie\n",
        procs.len(),
        procs.len() - running - zombie,
        0
    ));
    out.push_str(
        "%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st \n",
    );
    out.push_str(&format!(
        "MiB Mem :{:>9.1} total,{:>9.1} free,{:>9.1} used,{:>9.1} buff/cache     \n",
        mib(machine::MEM_TOTAL_KB),
        mib(machine::MEM_FREE_KB),
        mib(machine::MEM_TOTAL_KB - machine::MEM_AVAILABLE_KB),
        mib(machine::BUFFERS_KB + machine::CACHED_KB + machine::SRECLAIMABLE_KB),
    ));
    out.push_str(&format!(
        "MiB Swap:{:>9.1} total,{:>9.1} free,{:>9.1} used.{:>9.1} avail Mem \n",
        0.0,
        0.0,
        0.0,
        mib(machine::MEM_AVAILABLE_KB)
    ));
    out.push('\n');
    out.push_str(
        "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n",
    );
    // Every %CPU is 0.0: the sort keeps PID order.
    for p in procs {
        let user = accounts
            .getpwuid(p.uid)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| p.uid.to_string());
        let fixed = format!(
            "{:>7} {:<8} {:>3} {:>3} {:>7} {:>6} {:>6} {} {:>5.1} {:>5.1} {:>9} ",
            p.pid,
            fit(&user, 8),
            20,
            0,
            p.vsz,
            p.rss,
            p.shr,
            state(p),
            0.0,
            p.rss as f64 * 100.0 / machine::MEM_TOTAL_KB as f64,
            "0:00.00",
        );
        let command = if cmdline {
            p.command_line()
        } else {
            p.comm.clone()
        };
        let room = WIDTH.saturating_sub(fixed.chars().count());
        out.push_str(&fixed);
        out.push_str(&fit(&command, room));
        out.push('\n');
    }
    output(out, String::new(), 0)
}

const HELP: &str = "
Usage:
 top [options]

Options:
 -b, --batch-mode                run in non-interactive batch mode
 -c, --cmdline-toggle            reverse last remembered 'c' state
 -d, --delay =SECS [.TENTHS]     iterative delay as SECS [.TENTHS]
 -E, --scale-summary-mem =SCALE  set mem as: k,m,g,t,p,e for SCALE
 -e, --scale-task-mem =SCALE     set mem with: k,m,g,t,p for SCALE
 -H, --threads-show              show tasks plus all their threads
 -i, --idle-toggle               reverse last remembered 'i' state
 -n, --iterations =NUMBER        exit on maximum iterations NUMBER
 -O, --list-fields               output all field names, then exit
 -o, --sort-override =FIELD      force sorting on this named FIELD
 -p, --pid =PIDLIST              monitor only the tasks in PIDLIST
 -S, --accum-time-toggle         reverse last remembered 'S' state
 -s, --secure-mode               run with secure mode restrictions
 -U, --filter-any-user =USER     show only processes owned by USER
 -u, --filter-only-euser =USER   show only processes owned by USER
 -w, --width [=COLUMNS]          change print width [,use COLUMNS]
 -1, --single-cpu-toggle         reverse last remembered '1' state

 -h, --help                      display this help text, then exit
 -V, --version                   output version information & exit

For more details see top(1).
";
