//! Decimal text read as an `f64`, with exactly the results of Rust's `str::parse::<f64>()`
//! (its grammar, correct rounding), for `printf %f`, `sort -n`, `sleep 1.5` and the CLI's
//! `--tmpfs size=1.5g`.
//!
//! Natively the standard library parses. In the browser the grammar is checked here and the
//! engine's `parseFloat`, which rounds correctly too, turns the text into a number: the
//! standard library's parser carries a 10 kB table of powers of five, a fifth of a percent of
//! the web bundle on its own.

/// `text` as a number: an optional sign, then `inf`, `infinity` or `nan` (any case), or digits
/// with at most one `.` and at least one digit, then an optional exponent (`e` or `E`, a sign,
/// digits). `None` for anything else, as `str::parse` does.
pub fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    let special = match unsigned.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(value) = special {
        return Some(if negative { -value } else { value });
    }
    is_decimal(unsigned).then(|| parse_checked(text))
}

/// Digits with at most one `.` (a digit on at least one side), then an optional exponent.
fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let whole = digits(0);
    let mut at = whole;
    let mut fraction = 0;
    if bytes.get(at) == Some(&b'.') {
        fraction = digits(at + 1);
        at += 1 + fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// A number `is_decimal` accepted (with its sign).
#[cfg(target_arch = "wasm32")]
fn parse_checked(text: &str) -> f64 {
    js_sys::parse_float(text)
}

/// A number `is_decimal` accepted (with its sign).
#[cfg(not(target_arch = "wasm32"))]
fn parse_checked(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_is_rusts() {
        for text in [
            "0",
            "-0",
            "+1",
            "1.",
            ".5",
            "-.5",
            "1e5",
            "1E+5",
            "2.5e-3",
            "007",
            "1_0",
            "",
            ".",
            "-",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            " 1",
            "1 ",
            "0x10",
            "inf",
            "-Infinity",
            "NaN",
            "+nan",
            "infinit",
            "1,5",
            "١",
            "1e99999",
            "4.9e-324",
            "1.7976931348623157e308",
        ] {
            let ours = parse_f64(text);
            let std = text.parse::<f64>().ok();
            assert_eq!(
                ours.map(f64::to_bits)
                    .filter(|_| !ours.is_some_and(f64::is_nan)),
                std.map(f64::to_bits)
                    .filter(|_| !std.is_some_and(f64::is_nan)),
                "{text:?}"
            );
            assert_eq!(ours.is_some_and(f64::is_nan), std.is_some_and(f64::is_nan));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_text_reads_as_std_reads_it(text in "[-+]?[0-9]{0,3}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{0,3})?|[-+.eE0-9a-z]{0,8}") {
            let ours = parse_f64(&text).map(f64::to_bits);
            let std = text.parse::<f64>().ok().map(f64::to_bits);
            proptest::prop_assert_eq!(ours, std, "{:?}", text);
        }
    }
}
