//! Go's `time.Duration` as Docker reads and prints it: `time.ParseDuration` with its error
//! texts (the builder's `HEALTHCHECK --interval=…`, the CLI's `--health-interval`) and
//! `Duration.String` (`1m30s`, `100ms`; the `HEALTHCHECK` history row).

/// Nanoseconds in a second.
pub const SECOND: i64 = 1_000_000_000;

/// Go's `time.ParseDuration`: `300ms`, `1.5h`, `2h45m`, `-1s`, `0`; the error as Go words it
/// (`time: missing unit in duration "5"`).
pub fn parse(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let first = s.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &s[..int_len];
        s = &s[int_len..];
        let mut frac_part = "";
        if let Some(rest) = s.strip_prefix('.') {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &rest[..n];
            s = &rest[n..];
            if int_part.is_empty() && frac_part.is_empty() {
                return Err(invalid());
            }
        } else if int_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = s
            .bytes()
            .take_while(|b| *b != b'.' && !b.is_ascii_digit())
            .count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let unit_text = &s[..unit_len];
        s = &s[unit_len..];
        let unit: u128 = match unit_text {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit_text),
                    quote(orig)
                ))
            }
        };
        let mut value: u128 = 0;
        for b in int_part.bytes() {
            value = value * 10 + u128::from(b - b'0');
            if value > 1 << 63 {
                return Err(invalid());
            }
        }
        value *= unit;
        // The fraction, scaled as Go does (digits past what fits are dropped).
        let mut scale: u128 = 1;
        let mut frac: u128 = 0;
        for b in frac_part.bytes() {
            if scale > 1 << 63 {
                break;
            }
            frac = frac * 10 + u128::from(b - b'0');
            scale *= 10;
        }
        value += frac * unit / scale;
        total += value;
        if total > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        Ok(-(total.min(1 << 63) as i128) as i64)
    } else if total > i64::MAX as u128 {
        Err(invalid())
    } else {
        Ok(total as i64)
    }
}

/// Go's `strconv.Quote` for the ASCII a duration holds; other characters as they are.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `Duration.String`: `0s`, `1.5µs`, `100ms`, `3s`, `1m30s`, `2h0m0s`.
pub fn format(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("\u{b5}s", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{sign}{}{unit}", fraction(u, div));
    }
    let secs = u / 1_000_000_000;
    let nanos = u % 1_000_000_000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let s = fraction(s * 1_000_000_000 + nanos, 1_000_000_000);
    if h > 0 {
        format!("{sign}{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{sign}{m}m{s}s")
    } else {
        format!("{sign}{s}s")
    }
}

/// `value / div` with the remainder's digits, trailing zeros dropped (`1.5`, `100`).
fn fraction(value: u64, div: u64) -> String {
    let whole = value / div;
    let rest = value % div;
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_go_does() {
        assert_eq!(parse("3s"), Ok(3 * SECOND));
        assert_eq!(parse("1.5h"), Ok(5400 * SECOND));
        assert_eq!(parse("2h45m"), Ok((2 * 3600 + 45 * 60) * SECOND));
        assert_eq!(parse("-1s"), Ok(-SECOND));
        assert_eq!(parse("100us"), Ok(100_000));
        assert_eq!(parse(".5s"), Ok(SECOND / 2));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(
            parse("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
        assert_eq!(
            parse("1x"),
            Err("time: unknown unit \"x\" in duration \"1x\"".into())
        );
        assert_eq!(parse("x"), Err("time: invalid duration \"x\"".into()));
        assert_eq!(parse(""), Err("time: invalid duration \"\"".into()));
        assert_eq!(parse("."), Err("time: invalid duration \".\"".into()));
        assert!(parse("99999999999h").is_err());
    }

    #[test]
    fn prints_as_go_does() {
        assert_eq!(format(0), "0s");
        assert_eq!(format(3 * SECOND), "3s");
        assert_eq!(format(90 * SECOND), "1m30s");
        assert_eq!(format(7200 * SECOND), "2h0m0s");
        assert_eq!(format(100_000_000), "100ms");
        assert_eq!(format(1_500), "1.5\u{b5}s");
        assert_eq!(format(SECOND + SECOND / 2), "1.5s");
        assert_eq!(format(-SECOND), "-1s");
    }
}
