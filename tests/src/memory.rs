//! The test process's peak memory, read from Linux's `/proc`: what a hostile line or a fuzzed
//! one may add to it is asserted without an allocator of our own (the workspace forbids
//! `unsafe`).

/// The process's peak resident set since the last [`reset_peak`], in bytes (`VmHWM`);
/// `None` where `/proc` does not say.
pub fn peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb << 10)
}

/// Resets the peak resident set to the current one (`clear_refs` value 5) and returns it.
pub fn reset_peak() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    peak()
}

/// Runs `f` and returns its value with how much it raised the peak resident set (`None` where
/// `/proc` does not tell). Tests run one at a time for this to be the run's own.
pub fn growth<T>(f: impl FnOnce() -> T) -> (T, Option<u64>) {
    let before = reset_peak();
    let value = f();
    let grew = before.zip(peak()).map(|(b, p)| p.saturating_sub(b));
    (value, grew)
}
