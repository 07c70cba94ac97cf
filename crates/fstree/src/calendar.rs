//! The UTC calendar: seconds since the epoch (every time in layerbox) as a civil date and time.

/// A broken-down UTC time (`struct tm` from `gmtime`, with a 1-based month and day of year).
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

/// Seconds since the epoch as a UTC date in the proleptic Gregorian calendar (Howard
/// Hinnant's `civil_from_days`).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_hms(t: u64) -> (i64, u32, u32, u32, u32, u32) {
        let c = civil_from_unix(t);
        (c.year, c.month, c.day, c.hour, c.min, c.sec)
    }

    #[test]
    fn the_epoch_was_a_thursday() {
        let c = civil_from_unix(0);
        assert_eq!(
            (c.year, c.month, c.day, c.weekday, c.yday),
            (1970, 1, 1, 4, 1)
        );
    }

    #[test]
    fn leap_days_and_known_dates() {
        assert_eq!(ymd_hms(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(civil_from_unix(951_782_400).yday, 60);
        // 2024-06-01 09:00:00, the session's start.
        assert_eq!(ymd_hms(1_717_232_400), (2024, 6, 1, 9, 0, 0));
        // 2026-11-28 07:15:51 was a Saturday, day 332.
        let c = civil_from_unix(1_795_850_151);
        assert_eq!(
            (c.year, c.month, c.day, c.weekday, c.yday),
            (2026, 11, 28, 6, 332)
        );
        // 2100 is not a leap year: 1 March follows 28 February.
        assert_eq!(ymd_hms(4_107_542_400), (2100, 3, 1, 0, 0, 0));
        assert_eq!(civil_from_unix(4_107_542_400).yday, 60);
        assert_eq!(ymd_hms(u64::from(u32::MAX)), (2106, 2, 7, 6, 28, 15));
    }
}
