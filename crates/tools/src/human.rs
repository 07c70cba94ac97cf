//! Human-readable sizes (`-h`): GNU rounds up and shows one decimal below 10; BusyBox rounds to
//! the nearest tenth and always shows it.

const UNITS: [char; 9] = ['\0', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/// GNU `human_readable` with `human_autoscale | human_SI off | human_ceiling`, base 1024, for a
/// size in bytes: `4.0K`, `252G`, `77`.
pub fn gnu(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut u = 0;
    let mut div: u128 = 1;
    while u128::from(bytes) >= div * 1024 && u < UNITS.len() - 1 {
        div *= 1024;
        u += 1;
    }
    let b = u128::from(bytes);
    // Tenths, rounded up.
    let tenths = (b * 10).div_ceil(div);
    if tenths < 100 {
        return format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[u]);
    }
    let whole = b.div_ceil(div);
    if whole >= 1024 && u + 1 < UNITS.len() {
        return format!("1.0{}", UNITS[u + 1]);
    }
    format!("{whole}{}", UNITS[u])
}

/// BusyBox `make_human_readable_str(val, block_size, 0)`: `0`, `77`, `4.0K`, `252.0G`.
pub fn busybox(bytes: u64) -> String {
    if bytes == 0 {
        return "0".to_string();
    }
    let mut val = bytes;
    let mut frac = 0u64;
    let mut u = 0;
    while val >= 1024 && u < UNITS.len() - 1 {
        u += 1;
        frac = ((val % 1024) * 10 + 512) / 1024;
        val /= 1024;
    }
    if frac >= 10 {
        val += 1;
        frac = 0;
    }
    if u == 0 {
        val.to_string()
    } else {
        format!("{val}.{frac}{}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn gnu_and_busybox_round_differently() {
        assert_eq!(super::gnu(4096), "4.0K");
        assert_eq!(super::gnu(264_212_084 * 1024), "252G");
        assert_eq!(super::gnu(17_863_128 * 1024), "18G");
        assert_eq!(super::gnu(77), "77");
        assert_eq!(super::busybox(264_212_084 * 1024), "252.0G");
        assert_eq!(super::busybox(17_862_952 * 1024), "17.0G");
        assert_eq!(super::busybox(77_422_936 * 1024), "73.8G");
        assert_eq!(super::busybox(1024 * 1024), "1.0M");
    }
}
