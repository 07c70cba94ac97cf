//! Character devices: the kernel's memory devices Docker puts in every container's `/dev`
//! (`null`, `zero`, `full`, `random`, `urandom`) and `/dev/tty`, and what reading and writing
//! them does.

use serde::{Deserialize, Serialize};

use crate::{Errno, FsResult};

/// A character device node's device (`st_rdev`), by what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    /// `/dev/null` (1, 3): reads end at once, writes vanish.
    Null,
    /// `/dev/zero` (1, 5): endless zero bytes; writes vanish.
    Zero,
    /// `/dev/full` (1, 7): reads as `/dev/zero`; every write is `ENOSPC`.
    Full,
    /// `/dev/random` (1, 8): endless random bytes; writes are taken.
    Random,
    /// `/dev/urandom` (1, 9), as `/dev/random`.
    Urandom,
    /// `/dev/tty` (5, 0): the controlling terminal, which a container without `-t` has not:
    /// opening it is `ENXIO`.
    Tty,
    /// `/dev/pts/ptmx` (5, 2), the pseudo-terminal multiplexer.
    ///
    /// Emulation note: no pseudo-terminal is modelled; opening it is `ENXIO`.
    Ptmx,
}

/// The most an endless device gives one read that asks for everything (`cat /dev/zero`): as
/// much as a program may print (the tools' `MAX_OUTPUT`), so the reader stops at the
/// output limit, honestly, and memory stays bounded.
pub const ENDLESS_READ: usize = 64 << 20;

impl Device {
    /// The devices in a container's `/dev`, in `ls /dev`'s order of their names.
    pub const DEV: [Device; 6] = [
        Device::Full,
        Device::Null,
        Device::Random,
        Device::Tty,
        Device::Urandom,
        Device::Zero,
    ];

    /// The name of its node in `/dev`.
    pub fn name(self) -> &'static str {
        match self {
            Device::Null => "null",
            Device::Zero => "zero",
            Device::Full => "full",
            Device::Random => "random",
            Device::Urandom => "urandom",
            Device::Tty => "tty",
            Device::Ptmx => "ptmx",
        }
    }

    /// Its major and minor numbers, as `ls -l` shows them (`1, 3` for `/dev/null`).
    pub fn numbers(self) -> (u32, u32) {
        match self {
            Device::Null => (1, 3),
            Device::Zero => (1, 5),
            Device::Full => (1, 7),
            Device::Random => (1, 8),
            Device::Urandom => (1, 9),
            Device::Tty => (5, 0),
            Device::Ptmx => (5, 2),
        }
    }

    /// Whether a read never ends (every device but `null` and `tty`).
    pub fn endless(self) -> bool {
        !matches!(self, Device::Null | Device::Tty | Device::Ptmx)
    }

    /// What opening it and reading up to `max` bytes gives. `seed` picks the random stream
    /// (the node's identity): the same node gives the same bytes.
    ///
    /// Emulation note: `random` and `urandom` are a seeded pseudo-random stream (SplitMix64),
    /// not the kernel's, so that sessions replay alike.
    pub fn read(self, max: usize, seed: u64) -> FsResult<Vec<u8>> {
        match self {
            Device::Null => Ok(Vec::new()),
            Device::Tty | Device::Ptmx => Err(Errno::ENXIO),
            Device::Zero | Device::Full => Ok(vec![0; max]),
            Device::Random | Device::Urandom => {
                let mut out = Vec::with_capacity(max);
                let mut state = seed ^ 0x7572_616e_646f_6d21; // "urandom!"
                while out.len() < max {
                    state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    z ^= z >> 31;
                    let bytes = z.to_le_bytes();
                    let take = bytes.len().min(max - out.len());
                    out.extend_from_slice(&bytes[..take]);
                }
                Ok(out)
            }
        }
    }

    /// What opening it and writing does: taken (and dropped), `ENOSPC` for `full`, `ENXIO`
    /// for `tty`.
    pub fn write(self) -> FsResult<()> {
        match self {
            Device::Full => Err(Errno::ENOSPC),
            Device::Tty | Device::Ptmx => Err(Errno::ENXIO),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_read_and_write_as_the_kernel_does() {
        assert_eq!(Device::Null.read(10, 0), Ok(vec![]));
        assert_eq!(Device::Zero.read(3, 0), Ok(vec![0, 0, 0]));
        assert_eq!(Device::Full.write(), Err(Errno::ENOSPC));
        assert_eq!(Device::Tty.read(1, 0), Err(Errno::ENXIO));
        let a = Device::Urandom.read(100, 7).unwrap_or_default();
        assert_eq!(a.len(), 100);
        assert_eq!(Device::Urandom.read(100, 7).unwrap_or_default(), a);
        assert_ne!(Device::Urandom.read(100, 8).unwrap_or_default(), a);
        // A shorter read is the stream's beginning.
        assert_eq!(Device::Urandom.read(5, 7).unwrap_or_default(), a[..5]);
    }
}
