//! The `strftime` subset `date`, `ls`, `stat` and `tar` print times with, in UTC and the C locale
//! (the calendar itself is `layerbox_fstree::calendar`).

use layerbox_fstree::calendar::civil_from_unix;

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
/// The months' names in the C locale (strftime's `%B`; date and sort parsers read them too).
pub(crate) const MONTHS_LONG: [&str; 12] = [
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
