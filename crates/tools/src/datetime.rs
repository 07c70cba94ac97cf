//! Date strings to seconds, for `date -d`, `touch -d` and `touch -t`: BusyBox's
//! `parse_datestr` (its `strptime` formats, `@N`, and `[[[[[YY]YY]MM]DD]hh]mm[.ss]`) and a part
//! of GNU's `parse_datetime` (ISO dates and times, `@N`, month names, `now`, `today`,
//! `yesterday`, `tomorrow`, and relative items such as `2 days ago` or `+1 hour`), plus GNU
//! `touch -t`'s `[[CC]YY]MMDDhhmm[.ss]`. Times are UTC, as every clock in layerbox is.

use crate::clock::MONTHS_LONG;
use layerbox_fstree::calendar::civil_from_unix;

/// A broken-down time as `struct tm` holds it before `mktime` normalises it.
#[derive(Debug, Clone, Copy)]
struct Tm {
    year: i64,
    /// 1..=12 (a day past the month's end rolls over, as `mktime` does).
    mon: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Tm {
    fn at(t: u64) -> Tm {
        let c = civil_from_unix(t);
        Tm {
            year: c.year,
            mon: i64::from(c.month),
            day: i64::from(c.day),
            hour: i64::from(c.hour),
            min: i64::from(c.min),
            sec: i64::from(c.sec),
        }
    }

    /// `timegm`: the seconds, or `None` before the epoch or absurdly far.
    fn seconds(&self) -> Option<u64> {
        if !(1..=12).contains(&self.mon) || self.year.abs() > 1_000_000 {
            return None;
        }
        let days = days_from_civil(self.year, self.mon, 1) + self.day - 1;
        let t = days * 86_400 + self.hour * 3600 + self.min * 60 + self.sec;
        u64::try_from(t).ok()
    }
}

/// Reads `n` to `max` digits at `*i` (after blanks, as `strptime`'s numbers do).
fn number(s: &[u8], i: &mut usize, max: usize) -> Option<i64> {
    while *i < s.len() && s[*i] == b' ' {
        *i += 1;
    }
    let start = *i;
    while *i < s.len() && *i - start < max && s[*i].is_ascii_digit() {
        *i += 1;
    }
    std::str::from_utf8(&s[start..*i]).ok()?.parse().ok()
}

/// A month name or its three-letter abbreviation at `*i` (any case): 1..=12.
fn month_name(s: &[u8], i: &mut usize) -> Option<i64> {
    let rest = String::from_utf8_lossy(&s[*i..]).to_ascii_lowercase();
    for (k, m) in MONTHS_LONG.iter().enumerate() {
        let m = m.to_ascii_lowercase();
        for cand in [&m[..], &m[..3]] {
            if rest.starts_with(cand) {
                *i += cand.len();
                return Some(k as i64 + 1);
            }
        }
    }
    None
}

/// `strptime(s, fmt, tm)` for the conversions BusyBox's formats use, the whole string read.
fn strptime(s: &[u8], fmt: &str, tm: &mut Tm) -> bool {
    let mut t = *tm;
    let mut i = 0;
    let f = fmt.as_bytes();
    let mut k = 0;
    while k < f.len() {
        let c = f[k];
        k += 1;
        if c != b'%' {
            if c == b' ' {
                while i < s.len() && s[i].is_ascii_whitespace() {
                    i += 1;
                }
                continue;
            }
            if s.get(i) != Some(&c) {
                return false;
            }
            i += 1;
            continue;
        }
        let conv = f[k];
        k += 1;
        let ok = match conv {
            b'Y' => number(s, &mut i, 4).map(|v| t.year = v).is_some(),
            b'm' => number(s, &mut i, 2)
                .filter(|v| (1..=12).contains(v))
                .map(|v| t.mon = v)
                .is_some(),
            b'd' => number(s, &mut i, 2)
                .filter(|v| (1..=31).contains(v))
                .map(|v| t.day = v)
                .is_some(),
            b'H' => number(s, &mut i, 2)
                .filter(|v| *v <= 23)
                .map(|v| t.hour = v)
                .is_some(),
            b'M' => number(s, &mut i, 2)
                .filter(|v| *v <= 59)
                .map(|v| t.min = v)
                .is_some(),
            b'S' => number(s, &mut i, 2)
                .filter(|v| *v <= 61)
                .map(|v| t.sec = v)
                .is_some(),
            b'b' => {
                while i < s.len() && s[i] == b' ' {
                    i += 1;
                }
                month_name(s, &mut i).map(|v| t.mon = v).is_some()
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    if i != s.len() {
        return false;
    }
    *tm = t;
    true
}

/// BusyBox's `parse_datestr` then `validate_tm_time`, from `base` (the time the fields not
/// given keep); `None` is its `invalid date`.
pub fn busybox(s: &str, base: u64, zero_time: bool) -> Option<u64> {
    let mut tm = Tm::at(base);
    if zero_time {
        (tm.hour, tm.min, tm.sec) = (0, 0, 0);
    }
    let b = s.as_bytes();
    const FORMATS: [&str; 11] = [
        "%H:%M",
        "%H:%M:%S",
        "%m.%d-%H:%M",
        "%m.%d-%H:%M:%S",
        "%Y.%m.%d-%H:%M",
        "%Y.%m.%d-%H:%M:%S",
        "%b %d %H:%M:%S %Y",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H",
        "%Y-%m-%d",
    ];
    for fmt in FORMATS {
        if strptime(b, fmt, &mut tm) {
            return tm.seconds();
        }
    }
    if let Some(n) = s.strip_prefix('@') {
        return n.parse::<i64>().ok().and_then(|v| u64::try_from(v).ok());
    }
    let (digits, secs) = match s.split_once('.') {
        Some((d, ss)) => (d, Some(ss)),
        None => (s, None),
    };
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let two = |k: usize| digits.get(k..k + 2).and_then(|x| x.parse::<i64>().ok());
    match digits.len() {
        2 => tm.min = two(0)?,
        4 => (tm.hour, tm.min) = (two(0)?, two(2)?),
        6 => (tm.day, tm.hour, tm.min) = (two(0)?, two(2)?, two(4)?),
        8 => (tm.mon, tm.day, tm.hour, tm.min) = (two(0)?, two(2)?, two(4)?, two(6)?),
        10 => {
            let yy = two(0)?;
            let cur = tm.year - 1900;
            let mut year = yy;
            if cur >= 50 {
                year += (cur / 100) * 100;
                if year < cur - 50 {
                    year += 100;
                }
                if year > cur + 50 {
                    year -= 100;
                }
            }
            tm.year = year + 1900;
            (tm.mon, tm.day, tm.hour, tm.min) = (two(2)?, two(4)?, two(6)?, two(8)?);
        }
        12 => {
            tm.year = digits[..4].parse().ok()?;
            (tm.mon, tm.day, tm.hour, tm.min) = (two(4)?, two(6)?, two(8)?, two(10)?);
        }
        _ => return None,
    }
    tm.sec = match secs {
        Some(ss) if !ss.is_empty() && ss.bytes().all(|c| c.is_ascii_digit()) => ss.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    if tm.sec > 60 || tm.min > 59 || tm.hour > 23 || tm.day > 31 || tm.mon > 12 || tm.mon < 1 {
        return None;
    }
    tm.seconds()
}

/// GNU `touch -t [[CC]YY]MMDDhhmm[.ss]`; `None` is its `invalid date format`.
pub fn gnu_stamp(s: &str, now: u64) -> Option<u64> {
    let (digits, secs) = match s.split_once('.') {
        Some((d, ss)) if ss.len() == 2 => (d, Some(ss)),
        Some(_) => return None,
        None => (s, None),
    };
    if !digits.bytes().all(|c| c.is_ascii_digit()) || s.contains(['+', '-', ' ']) {
        return None;
    }
    let two = |k: usize| digits.get(k..k + 2).and_then(|x| x.parse::<i64>().ok());
    let mut tm = Tm::at(now);
    let rest = match digits.len() {
        8 => 0,
        10 => {
            let yy = two(0)?;
            tm.year = if yy < 69 { 2000 + yy } else { 1900 + yy };
            2
        }
        12 => {
            tm.year = digits[..4].parse().ok()?;
            4
        }
        _ => return None,
    };
    (tm.mon, tm.day, tm.hour, tm.min) =
        (two(rest)?, two(rest + 2)?, two(rest + 4)?, two(rest + 6)?);
    tm.sec = match secs {
        Some(ss) => ss.parse().ok()?,
        None => 0,
    };
    if !(1..=12).contains(&tm.mon)
        || tm.day < 1
        || tm.day > days_in_month(tm.year, tm.mon)
        || tm.hour > 23
        || tm.min > 59
        || tm.sec > 60
    {
        return None;
    }
    tm.seconds()
}

/// What GNU's `parse_datetime` gives for `s`: `Ok(Some(t))`, `Ok(None)` for a string it
/// refuses (`invalid date`), `Err(())` for one in a grammar layerbox does not read.
pub fn gnu(s: &str, now: u64) -> Result<Option<u64>, ()> {
    let text = s.trim().to_ascii_lowercase();
    if text.is_empty() {
        // An empty string is midnight today.
        let mut tm = Tm::at(now);
        (tm.hour, tm.min, tm.sec) = (0, 0, 0);
        return Ok(tm.seconds());
    }
    if let Some(n) = text.strip_prefix('@') {
        return match n.trim().parse::<i64>() {
            Ok(v) => Ok(u64::try_from(v).ok()),
            Err(_) => Err(()),
        };
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut tm = Tm::at(now);
    let mut date_set = false;
    let mut time_set = false;
    // Relative offsets: months and years apply to the calendar, the rest in seconds.
    let (mut rel_months, mut rel_secs) = (0i64, 0i64);
    let mut k = 0;
    let mut pending: Option<i64> = None;
    while k < words.len() {
        let w = words[k];
        k += 1;
        let w = w.trim_end_matches(',');
        if let Some(d) = iso_date(w) {
            (tm.year, tm.mon, tm.day) = d;
            date_set = true;
            continue;
        }
        if let Some((d, t)) = w
            .split_once('t')
            .and_then(|(d, t)| Some((iso_date(d)?, clock(t)?)))
        {
            (tm.year, tm.mon, tm.day) = d;
            (tm.hour, tm.min, tm.sec) = t;
            date_set = true;
            time_set = true;
            continue;
        }
        if let Some(t) = clock(w.trim_end_matches('z')) {
            (tm.hour, tm.min, tm.sec) = t;
            time_set = true;
            continue;
        }
        if matches!(w, "utc" | "gmt" | "z") {
            continue;
        }
        // Shaped like a date or a time of day but out of range: GNU's "invalid date".
        let shaped = |sep: char| {
            w.contains(sep)
                && w.split(sep)
                    .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
        };
        if shaped('-') || shaped(':') {
            return Ok(None);
        }
        let mut i = 0;
        if let Some(m) =
            month_name(w.as_bytes(), &mut i).filter(|_| w[i..].trim_end_matches('.').is_empty())
        {
            // "Jan 2 [2024]" or "2 Jan [2024]".
            tm.mon = m;
            if let Some(d) = pending.take() {
                tm.day = d;
            } else if let Some(d) = words
                .get(k)
                .and_then(|d| d.trim_end_matches(',').parse().ok())
            {
                tm.day = d;
                k += 1;
            } else {
                return Err(());
            }
            if let Some(y) = words
                .get(k)
                .and_then(|y| y.parse::<i64>().ok())
                .filter(|y| (1000..=1_000_000).contains(y))
            {
                tm.year = y;
                k += 1;
            }
            date_set = true;
            continue;
        }
        match w {
            "now" => continue,
            "today" => continue,
            "yesterday" => {
                rel_secs -= 86_400;
                continue;
            }
            "tomorrow" => {
                rel_secs += 86_400;
                continue;
            }
            "ago" => {
                rel_secs = rel_secs.saturating_neg();
                rel_months = rel_months.saturating_neg();
                continue;
            }
            _ => {}
        }
        if let Ok(n) = w.parse::<i64>() {
            if pending.is_some() {
                return Err(());
            }
            pending = Some(n);
            continue;
        }
        let unit = w.trim_end_matches('s');
        let n = pending.take().unwrap_or(1);
        let (secs, months) = match unit {
            "sec" | "second" => (1, 0),
            "min" | "minute" => (60, 0),
            "hour" => (3600, 0),
            "day" => (86_400, 0),
            "week" => (7 * 86_400, 0),
            "fortnight" => (14 * 86_400, 0),
            "month" => (0, 1),
            "year" => (0, 12),
            _ => return Err(()),
        };
        // Past what a time_t holds: GNU's "invalid date".
        let (Some(s2), Some(m2)) = (
            n.checked_mul(secs).and_then(|x| rel_secs.checked_add(x)),
            n.checked_mul(months)
                .and_then(|x| rel_months.checked_add(x)),
        ) else {
            return Ok(None);
        };
        (rel_secs, rel_months) = (s2, m2);
    }
    if pending.is_some() {
        return Err(());
    }
    if date_set && !time_set {
        (tm.hour, tm.min, tm.sec) = (0, 0, 0);
    }
    if tm.year.abs() > 1_000_000 || rel_months.abs() > 12_000_000 || rel_secs.abs() > 1 << 45 {
        return Ok(None);
    }
    if rel_months != 0 {
        let m = tm.year * 12 + (tm.mon - 1) + rel_months;
        tm.year = m.div_euclid(12);
        tm.mon = m.rem_euclid(12) + 1;
    }
    if !(1..=31).contains(&tm.day) || tm.hour > 24 || tm.min > 59 || tm.sec > 60 {
        return Ok(None);
    }
    Ok(tm
        .seconds()
        .and_then(|t| u64::try_from(t as i64 + rel_secs).ok()))
}

/// `YYYY-MM-DD`.
fn iso_date(w: &str) -> Option<(i64, i64, i64)> {
    let mut parts = w.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() < 4
        || ![y, m, d]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    (y <= 1_000_000 && (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d))
        .then_some((y, m, d))
}

/// How many days month `m` (1..=12) of year `y` has.
fn days_in_month(y: i64, m: i64) -> i64 {
    let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    days_from_civil(next.0, next.1, 1) - days_from_civil(y, m, 1)
}

/// `HH:MM[:SS]`.
fn clock(w: &str) -> Option<(i64, i64, i64)> {
    let parts: Vec<&str> = w.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let h = parts[0].parse().ok()?;
    let m = parts[1].parse().ok()?;
    let s = parts.get(2).map_or(Some(0), |s| s.parse().ok())?;
    (h <= 23 && m <= 59 && s <= 60).then_some((h, m, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_are_invalid_dates_not_panics() {
        let now = 1_795_852_800;
        for s in [
            "9223372036854775807 days",
            "-9223372036854775808 seconds ago",
            "9223372036854775807-01-01",
            "Jan 2 9223372036854775807",
            "Jan 9223372036854775807",
            "@-1",
        ] {
            let _ = gnu(s, now);
            let _ = busybox(s, now, true);
            let _ = gnu_stamp(s, now);
        }
        assert_eq!(gnu("2024-01-02 1 day ago", now), Ok(Some(1_704_067_200)));
        assert_eq!(busybox("2024-01-02", now, true), Some(1_704_153_600));
    }
}
