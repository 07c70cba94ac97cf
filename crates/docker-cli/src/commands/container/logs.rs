//! `docker logs`: what the main process wrote, each line back on its own stream, with
//! `--tail`, `--timestamps`, `--since` and `--until` as the daemon's json-file reader applies
//! them.

use layerbox_engine::container::Status;
use layerbox_engine::daemon::logs::Stream as LogStream;
use layerbox_sh::{Output, Stream};

use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::{self, daemon_error};
use crate::Cli;

pub const LOGS: Command = Command {
    path: "logs",
    args: Arity::Exact(1),
    usage: "docker logs [OPTIONS] CONTAINER",
    flags: &[
        switch("follow", Some('f')),
        option("tail", Some('n')),
        switch("timestamps", Some('t')),
        option("since", None),
        option("until", None),
    ],
    interspersed: true,
    not_modelled: &["details"],
};

pub fn logs(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    let now = cli.world.now();
    // The CLI turns `--since` and `--until` into timestamps before it asks the daemon.
    let mut bounds = [None, None];
    for (i, flag) in ["since", "until"].iter().enumerate() {
        if let Some(value) = m.last(flag).filter(|v| !v.is_empty()) {
            match timestamp(value, now) {
                Some(t) => bounds[i] = Some(t),
                None => {
                    reply::err_line(
                        &mut out,
                        format!(
                            "invalid value for \"{flag}\": failed to parse value as time or duration: \"{value}\""
                        ),
                    );
                    out.code = 1;
                    return out;
                }
            }
        }
    }
    let id = match cli.world.container_id(&m.args[0]) {
        Ok(id) => id,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    let running = cli
        .world
        .containers()
        .get(&id)
        .is_some_and(|c| c.state.status == Status::Running);
    if m.on("follow") && running {
        // Following a running container never returns: the terminal would wait for good.
        let refused =
            reply::not_modelled("docker logs --follow of a running container (it never returns)");
        out.stderr.extend_from_slice(&refused.stderr);
        out.code = refused.code;
        return out;
    }
    let Some(log) = cli.world.logs(&id) else {
        return out;
    };
    let entries = log.entries();
    // `--tail N` counts entries from the end; `all`, a negative or unreadable number: all.
    let skip = match m.last("tail").map(str::parse::<i64>) {
        Some(Ok(n)) if n >= 0 => entries.len().saturating_sub(n as usize),
        _ => 0,
    };
    let (since, until) = (bounds[0], bounds[1]);
    for e in &entries[skip..] {
        let t = (e.time as f64) * 1e9;
        if since.is_some_and(|s| t < s) {
            continue;
        }
        if until.is_some_and(|u| t > u) {
            break;
        }
        let stream = match e.stream {
            LogStream::Stdout => Stream::Stdout,
            LogStream::Stderr => Stream::Stderr,
        };
        if m.on("timestamps") {
            let stamp = layerbox_engine::clock::rfc3339(e.time);
            // RFC3339NanoFixed: always nine digits of fraction.
            let stamp = stamp.replace('Z', ".000000000Z");
            out.push(stream, format!("{stamp} ").as_bytes());
        }
        // Both streams in the order logged, as the CLI relays them.
        out.push(stream, &e.bytes);
    }
    out
}

/// A `--since`/`--until` value as the CLI's `timetypes.GetTimestamp` reads it, in nanoseconds
/// since the epoch: a Go duration back from `now` (`10m`, `1h30m`), a Unix time (`1717232400`,
/// `1717232400.5`), or a date or time in UTC (`2024-06-01`, `2024-06-01T09`,
/// `2024-06-01T09:00`, `2024-06-01T09:00:00[.fraction][Z]`). `None` if it is none of them.
/// Emulation note: offsets other than `Z` are not read.
fn timestamp(value: &str, now: u64) -> Option<f64> {
    let now_ns = now as f64 * 1e9;
    if value != "0" {
        if let Some(d) = go_duration(value) {
            return Some(now_ns - d);
        }
    }
    if value.contains('-') {
        return date_time(value);
    }
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) {
        return None;
    }
    let secs: f64 = whole.parse().ok()?;
    let frac: f64 = if frac.is_empty() {
        0.0
    } else {
        format!("0.{frac}").parse().ok()?
    };
    Some((secs + frac) * 1e9)
}

/// Go's `time.ParseDuration` in nanoseconds (`300ms`, `1.5h`, `2h45m`, `-1h`).
fn go_duration(value: &str) -> Option<f64> {
    let (sign, mut rest) = match value.as_bytes().first()? {
        b'-' => (-1.0, &value[1..]),
        b'+' => (1.0, &value[1..]),
        _ => (1.0, value),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[u..];
        total += number * unit;
    }
    Some(sign * total)
}

/// `YYYY-MM-DD[THH[:MM[:SS[.fraction]]]][Z]` in UTC, in nanoseconds since the epoch.
fn date_time(value: &str) -> Option<f64> {
    let value = value.strip_suffix(['Z', 'z']).unwrap_or(value);
    let (date, time) = value.split_once('T').unwrap_or((value, ""));
    let mut d = date.split('-');
    let num = |s: Option<&str>, len: usize| -> Option<i64> {
        let s = s?;
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, mo, da) = (num(d.next(), 4)?, num(d.next(), 2)?, num(d.next(), 2)?);
    if d.next().is_some() || !(1..=12).contains(&mo) || !(1..=31).contains(&da) {
        return None;
    }
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.split(':');
    let (h, mi, s) = if time.is_empty() {
        (0, 0, 0)
    } else {
        (
            num(t.next(), 2)?,
            t.next().map_or(Some(0), |x| num(Some(x), 2))?,
            t.next().map_or(Some(0), |x| num(Some(x), 2))?,
        )
    };
    if (!time.is_empty() && t.next().is_some()) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let frac: f64 = if frac.is_empty() {
        0.0
    } else if frac.bytes().all(|b| b.is_ascii_digit()) {
        format!("0.{frac}").parse().ok()?
    } else {
        return None;
    };
    // Days from the civil date (Howard Hinnant's days_from_civil).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + da - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    Some((secs as f64 + frac) * 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_values_read_as_the_cli_reads_them() {
        let now = 1_717_232_400;
        let ns = |s: u64| s as f64 * 1e9;
        assert_eq!(timestamp("1h", now), Some(ns(now - 3600)));
        assert_eq!(timestamp("1h30m", now), Some(ns(now - 5400)));
        assert_eq!(timestamp("946684800", now), Some(ns(946_684_800)));
        assert_eq!(timestamp("2000-01-01", now), Some(ns(946_684_800)));
        assert_eq!(timestamp("2000-01-01T00:00:00", now), Some(ns(946_684_800)));
        assert_eq!(timestamp("2024-06-01T09:00:00Z", now), Some(ns(now)));
        assert_eq!(timestamp("bogus", now), None);
        assert_eq!(timestamp("2000-13-01", now), None);
    }
}
