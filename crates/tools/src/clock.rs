//! The UTC calendar: logical seconds to dates, and the `strftime` subset `date` and `ls` use.

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAYS_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    /// 0 = Sunday
    pub weekday: u32,
    /// 1..=366
    pub yday: u32,
}

/// Seconds since the epoch to a UTC date (Howard Hinnant's `civil_from_days`).
pub fn civil_from_unix(t: u64) -> Civil {
    let days = (t / 86400) as i64;
    let rem = t % 86400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = cum[(month - 1) as usize] + day + u32::from(leap && month > 2);
    Civil {
        year,
        month,
        day,
        hour: (rem / 3600) as u32,
        min: (rem % 3600 / 60) as u32,
        sec: (rem % 60) as u32,
        weekday: ((days + 4).rem_euclid(7)) as u32,
        yday,
    }
}

/// `strftime(fmt)` in UTC for the C locale; unknown conversions are kept as written.
pub fn strftime(fmt: &str, t: u64) -> String {
    let c = civil_from_unix(t);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(ch) = it.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let Some(conv) = it.next() else {
            out.push('%');
            break;
        };
        let m = (c.month - 1) as usize;
        let s = match conv {
            'a' => DAYS[c.weekday as usize].to_string(),
            'A' => DAYS_LONG[c.weekday as usize].to_string(),
            'b' | 'h' => MONTHS[m].to_string(),
            'B' => MONTHS_LONG[m].to_string(),
            'c' => strftime("%a %b %e %H:%M:%S %Y", t),
            'C' => format!("{:02}", c.year / 100),
            'd' => format!("{:02}", c.day),
            'D' => strftime("%m/%d/%y", t),
            'e' => format!("{:2}", c.day),
            'F' => strftime("%Y-%m-%d", t),
            'H' => format!("{:02}", c.hour),
            'I' => format!("{:02}", (c.hour + 11) % 12 + 1),
            'j' => format!("{:03}", c.yday),
            'k' => format!("{:2}", c.hour),
            'l' => format!("{:2}", (c.hour + 11) % 12 + 1),
            'm' => format!("{:02}", c.month),
            'M' => format!("{:02}", c.min),
            'n' => "\n".to_string(),
            'N' => "000000000".to_string(),
            'p' => if c.hour < 12 { "AM" } else { "PM" }.to_string(),
            'R' => strftime("%H:%M", t),
            's' => t.to_string(),
            'S' => format!("{:02}", c.sec),
            't' => "\t".to_string(),
            'T' => strftime("%H:%M:%S", t),
            'u' => (if c.weekday == 0 { 7 } else { c.weekday }).to_string(),
            'w' => c.weekday.to_string(),
            'x' => strftime("%m/%d/%y", t),
            'X' => strftime("%H:%M:%S", t),
            'y' => format!("{:02}", c.year % 100),
            'Y' => c.year.to_string(),
            'z' => "+0000".to_string(),
            'Z' => "UTC".to_string(),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        out.push_str(&s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_a_known_date() {
        assert_eq!(
            strftime("%a %b %e %H:%M:%S %Z %Y", 0),
            "Thu Jan  1 00:00:00 UTC 1970"
        );
        // 2026-11-28 07:15:51 UTC was a Saturday.
        assert_eq!(
            strftime("%a %b %e %H:%M:%S %Z %Y %j", 1_795_850_151),
            "Sat Nov 28 07:15:51 UTC 2026 332"
        );
        assert_eq!(strftime("%F %T", 951_782_400), "2000-02-29 00:00:00");
    }
}
