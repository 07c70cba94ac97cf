//! The simulated machine the Docker host is: its fixed memory and its uptime, as the kernel
//! reports them in `/proc/meminfo` and `/proc/uptime` (what `free`, `top` and `uptime` read).
//!
//! Emulation note: layerbox models no memory use and no CPU time. The machine has
//! [`MEM_TOTAL_KB`] (2 GiB) of memory, of which fixed amounts are in use, in the page cache
//! and free, and no swap; it booted when the session began (`clock::SESSION_START`), so its
//! uptime is the logical time since, and its CPUs were always idle.

use crate::clock::SESSION_START;

/// The machine's memory, in KiB (2 GiB).
pub const MEM_TOTAL_KB: u64 = 2 * 1024 * 1024;
/// Memory no process uses (MemFree), in KiB.
pub const MEM_FREE_KB: u64 = 1_572_864;
/// The page cache (Cached), in KiB.
pub const CACHED_KB: u64 = 262_144;
/// Block-device buffers (Buffers), in KiB.
pub const BUFFERS_KB: u64 = 16_384;
/// Reclaimable kernel slab (SReclaimable), in KiB.
pub const SRECLAIMABLE_KB: u64 = 32_768;
/// Shared memory, tmpfs pages included (Shmem), in KiB.
pub const SHMEM_KB: u64 = 4_096;
/// What could be allocated without swapping (MemAvailable), in KiB.
pub const MEM_AVAILABLE_KB: u64 = MEM_FREE_KB + CACHED_KB + BUFFERS_KB + SRECLAIMABLE_KB;

/// `/proc/meminfo`'s first lines, as Linux words them (`%-16s%8lu kB` after the key's colon).
pub fn meminfo() -> String {
    let rows = [
        ("MemTotal", MEM_TOTAL_KB),
        ("MemFree", MEM_FREE_KB),
        ("MemAvailable", MEM_AVAILABLE_KB),
        ("Buffers", BUFFERS_KB),
        ("Cached", CACHED_KB),
        ("SwapCached", 0),
        ("Shmem", SHMEM_KB),
        ("SReclaimable", SRECLAIMABLE_KB),
        ("SwapTotal", 0),
        ("SwapFree", 0),
    ];
    rows.iter()
        .map(|(k, v)| format!("{:<16}{v:>8} kB\n", format!("{k}:")))
        .collect()
}

/// Seconds the machine has been up at logical time `now`.
pub fn uptime_seconds(now: u64) -> u64 {
    now.saturating_sub(SESSION_START)
}

/// `/proc/uptime`: seconds up and seconds idle (summed over the CPUs), with two decimals.
pub fn uptime(now: u64) -> String {
    let up = uptime_seconds(now);
    format!("{up}.00 {}.00\n", up.saturating_mul(CPUS))
}

/// The machine's CPUs (each idle all the time).
pub const CPUS: u64 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_lines_are_the_kernels_layout() {
        let text = meminfo();
        assert!(text.starts_with("MemTotal:        2097152 kB\nMemFree:         1572864 kB\n"));
        assert_eq!(MEM_AVAILABLE_KB, 1_884_160);
    }

    #[test]
    fn uptime_counts_from_the_start_of_the_session() {
        assert_eq!(uptime(SESSION_START), "0.00 0.00\n");
        assert_eq!(uptime(SESSION_START + 90), "90.00 180.00\n");
    }
}
