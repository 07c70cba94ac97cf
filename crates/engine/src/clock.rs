//! Logical time and deterministic ids: the engine's only sources of "now" and of names.

use layerbox_fstree::calendar::civil_from_unix;
use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, advanced only by the session (a command, a `sleep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    now: u64,
}

/// Where every fresh session's clock starts: 2024-06-01T09:00:00Z.
pub const SESSION_START: u64 = 1_717_232_400;

impl Default for Clock {
    fn default() -> Clock {
        Clock { now: SESSION_START }
    }
}

impl Clock {
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Moves time forward (never back).
    pub fn advance(&mut self, seconds: u64) {
        self.now = self.now.saturating_add(seconds);
    }
}

/// Makes Docker-shaped ids (64 lowercase hex) from a seed and a counter: the same session
/// always gets the same ids, and no two ids of a session collide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdGenerator {
    seed: u64,
    counter: u64,
}

impl Default for IdGenerator {
    fn default() -> IdGenerator {
        IdGenerator::new(0x6c61_7965_7262_6f78) // "layerbox"
    }
}

impl IdGenerator {
    pub fn new(seed: u64) -> IdGenerator {
        IdGenerator { seed, counter: 0 }
    }

    /// A new 64-hex id. Like Docker's `stringid.GenerateRandomID`, never all digits, so a
    /// 12-character prefix is never mistaken for a number.
    pub fn next_id(&mut self) -> String {
        loop {
            self.counter = self.counter.wrapping_add(1);
            let mut state = self.seed ^ self.counter.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let mut id = String::with_capacity(64);
            for _ in 0..4 {
                state = splitmix64(state);
                id.push_str(&format!("{state:016x}"));
            }
            if !id[..12].bytes().all(|b| b.is_ascii_digit()) {
                return id;
            }
        }
    }

    /// A content digest for a layer or image config: deterministic in its input.
    pub fn digest_of(bytes: &[u8]) -> String {
        let mut lanes = [
            0x243f_6a88_85a3_08d3u64,
            0x1319_8a2e_0370_7344,
            0xa409_3822_299f_31d0,
            0x082e_fa98_ec4e_6c89,
        ];
        for (i, chunk) in bytes.chunks(8).enumerate() {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            let lane = i % 4;
            lanes[lane] = splitmix64(lanes[lane] ^ u64::from_le_bytes(word));
        }
        // Every output word depends on every lane (so on every input byte): a short id, the
        // first 12 digits, differs whenever the content does.
        let mut whole = bytes.len() as u64;
        for lane in lanes {
            whole = splitmix64(whole ^ lane);
        }
        let mut out = String::with_capacity(64);
        for (i, lane) in lanes.iter().enumerate() {
            whole = splitmix64(whole ^ lane ^ i as u64);
            out.push_str(&format!("{whole:016x}"));
        }
        out
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_64_hex_and_repeat_per_seed() {
        let (mut a, mut b) = (IdGenerator::default(), IdGenerator::default());
        let ids: Vec<String> = (0..100).map(|_| a.next_id()).collect();
        assert!(ids.iter().all(|id| id.len() == 64
            && id
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())));
        assert_eq!(ids, (0..100).map(|_| b.next_id()).collect::<Vec<_>>());
        let mut unique = ids.clone();
        layerbox_order::sort(&mut unique);
        unique.dedup();
        assert_eq!(unique.len(), 100);
    }

    #[test]
    fn digests_depend_on_every_byte() {
        assert_ne!(
            IdGenerator::digest_of(b"abc"),
            IdGenerator::digest_of(b"abd")
        );
        assert_ne!(IdGenerator::digest_of(b""), IdGenerator::digest_of(b"\0"));
        assert_eq!(
            IdGenerator::digest_of(b"layer"),
            IdGenerator::digest_of(b"layer")
        );
    }

    #[test]
    fn digests_of_different_contents_differ_in_their_first_12_digits() {
        // Inputs of one length that differ in any one 8-byte word, whichever lane it feeds.
        let base = [b'a'; 64];
        let short = |b: &[u8]| IdGenerator::digest_of(b)[..12].to_string();
        let mut seen = vec![short(&base)];
        for word in 0..8 {
            let mut other = base;
            other[word * 8] = b'b';
            seen.push(short(&other));
        }
        let mut unique = seen.clone();
        layerbox_order::sort(&mut unique);
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{seen:?}");
    }

    #[test]
    fn clock_only_moves_forward() {
        let mut c = Clock::default();
        c.advance(5);
        assert_eq!(c.now(), SESSION_START + 5);
    }
}

/// The 12-character form of a 64-hex id, as tables, `Running in` and hostnames show it.
pub fn short_id(id: &str) -> &str {
    &id[..12.min(id.len())]
}

/// RFC 3339 in UTC with second precision (`2024-06-01T09:00:00Z`), as the daemon prints
/// `CreatedAt` and `Created` when it runs in UTC.
pub fn rfc3339(secs: u64) -> String {
    let c = civil_from_unix(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.min, c.sec
    )
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn rfc3339_renders_utc_seconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(SESSION_START), "2024-06-01T09:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
