//! BusyBox's `free` and `uptime` (`procps/free.c`, `uptime.c` of BusyBox 1.36.1), which read
//! the kernel's numbers: here `/proc/meminfo` and `/proc/uptime`, which the engine's procfs
//! writes for the simulated machine.
//!
//! Emulation note: layerbox models no CPU load, so the load average is 0.00; like Alpine's
//! BusyBox (built without utmp), `uptime` shows no user count.

use layerbox_fstree::FileSystem;

use crate::cli::usage_error;
use crate::procs::{mem, meminfo};
use crate::{human, Ctx, Output};

/// `free [-bkmgh]`: only the first argument is looked at, as `free_main` does.
pub fn free(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    // Bytes per shown unit; 0: human-readable.
    let unit: u64 = match args.first().map(String::as_str) {
        Some(a) if a.starts_with('-') => match a.as_bytes().get(1) {
            Some(b'b') => 1,
            Some(b'k') => 1 << 10,
            Some(b'm') => 1 << 20,
            Some(b'g') => 1 << 30,
            Some(b'h') => 0,
            _ => return usage_error(ctx, prog, None, 1),
        },
        _ => 1 << 10,
    };
    let mut out = Output::default();
    let Some(info) = meminfo(ctx) else {
        out.fail(
            prog,
            "can't open '/proc/meminfo': No such file or directory",
            1,
        );
        return out;
    };
    // `make_human_readable_str(kb * 1024, 1, unit)`: rounded to the unit, or scaled.
    let scale = |kb: u64| -> String {
        let bytes = kb.saturating_mul(1024);
        if unit == 0 {
            human::busybox(bytes)
        } else if bytes == 0 {
            "0".to_string()
        } else {
            ((bytes + unit / 2) / unit).to_string()
        }
    };
    let total = mem(&info, "MemTotal");
    let free = mem(&info, "MemFree");
    let cached = mem(&info, "Cached") + mem(&info, "Buffers") + mem(&info, "SReclaimable");
    out.out(format!(
        "       {:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "total", "used", "free", "shared", "buff/cache", "available"
    ));
    out.out(format!(
        "Mem:   {:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        scale(total),
        scale(total.saturating_sub(cached + free)),
        scale(free),
        scale(mem(&info, "Shmem")),
        scale(cached),
        scale(mem(&info, "MemAvailable")),
    ));
    let swap = mem(&info, "SwapTotal");
    let swap_free = mem(&info, "SwapFree");
    out.out(format!(
        "Swap:  {:>12}{:>12}{:>12}\n",
        scale(swap),
        scale(swap.saturating_sub(swap_free)),
        scale(swap_free)
    ));
    out
}

/// Seconds since boot, from `/proc/uptime`'s first field.
fn seconds_up(ctx: &Ctx<'_>) -> Option<u64> {
    let bytes = ctx.fs.read_file(&ctx.cred, "/proc/uptime").ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let first = text.split_whitespace().next()?;
    first.split('.').next()?.parse().ok()
}

/// `uptime [-s]`: the time, how long the machine has been up and its load average; `-s` the
/// time it booted.
pub fn uptime(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut since = false;
    for a in args {
        match a.strip_prefix('-') {
            Some(flags) if !flags.is_empty() => {
                for c in flags.chars() {
                    if c == 's' {
                        since = true;
                    } else {
                        return usage_error(
                            ctx,
                            prog,
                            Some(&format!("invalid option -- '{c}'")),
                            1,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Output::default();
    let Some(up) = seconds_up(ctx) else {
        out.fail(
            prog,
            "can't open '/proc/uptime': No such file or directory",
            1,
        );
        return out;
    };
    if since {
        let c = layerbox_fstree::calendar::civil_from_unix(ctx.now.saturating_sub(up));
        out.out(format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}\n",
            c.year, c.month, c.day, c.hour, c.min, c.sec
        ));
        return out;
    }
    let c = layerbox_fstree::calendar::civil_from_unix(ctx.now);
    let mut line = format!(" {:02}:{:02}:{:02} up ", c.hour, c.min, c.sec);
    let days = up / 86_400;
    if days != 0 {
        line.push_str(&format!("{days} day{}, ", if days != 1 { "s" } else { "" }));
    }
    let minutes = up / 60;
    let (hours, minutes) = (minutes / 60 % 24, minutes % 60);
    if hours != 0 {
        line.push_str(&format!("{hours:2}:{minutes:02}"));
    } else {
        line.push_str(&format!("{minutes} min"));
    }
    line.push_str(",  load average: 0.00, 0.00, 0.00\n");
    out.out(line);
    out
}
