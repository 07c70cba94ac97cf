//! awk's associative arrays, kept as BusyBox keeps them: a hash table whose buckets list the
//! newest key first and that grows through BusyBox's primes, so `for (k in a)` visits the keys
//! in BusyBox's order.

use super::value::Val;

const FIRST_PRIME: usize = 61;
const PRIMES: [usize; 5] = [251, 1021, 4093, 16381, 65521];

#[derive(Debug, Clone)]
pub struct Array {
    /// Each bucket's keys, oldest first (BusyBox walks a bucket newest first).
    buckets: Vec<Vec<(String, Val)>>,
    nprime: usize,
    len: usize,
}

impl Default for Array {
    fn default() -> Array {
        Array {
            buckets: vec![Vec::new(); FIRST_PRIME],
            nprime: 0,
            len: 0,
        }
    }
}

/// BusyBox's `hashidx`: `c + (idx << 6) - idx` over the key's (signed) chars.
fn hashidx(key: &str) -> u32 {
    key.bytes().fold(0u32, |idx, c| {
        (c as i8 as i32 as u32)
            .wrapping_add(idx << 6)
            .wrapping_sub(idx)
    })
}

impl Array {
    pub fn len(&self) -> usize {
        self.len
    }

    fn bucket(&self, key: &str) -> usize {
        hashidx(key) as usize % self.buckets.len()
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        self.buckets[self.bucket(key)]
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The element `key`, created (uninitialised) if absent; whether it was created.
    pub fn entry(&mut self, key: &str) -> (&mut Val, bool) {
        let b = self.bucket(key);
        if let Some(i) = self.buckets[b].iter().position(|(k, _)| k == key) {
            return (&mut self.buckets[b][i].1, false);
        }
        self.len += 1;
        if self.len > self.buckets.len() * 8 && self.nprime < PRIMES.len() {
            self.rebuild();
        }
        let b = self.bucket(key);
        self.buckets[b].push((key.to_string(), Val::Uninit));
        let last = self.buckets[b].len() - 1;
        (&mut self.buckets[b][last].1, true)
    }

    fn rebuild(&mut self) {
        let size = PRIMES[self.nprime];
        self.nprime += 1;
        let old = std::mem::replace(&mut self.buckets, vec![Vec::new(); size]);
        // BusyBox moves each old bucket's items, newest first, to the head of their new
        // bucket.
        for bucket in old {
            for item in bucket.into_iter().rev() {
                let b = hashidx(&item.0) as usize % size;
                self.buckets[b].push(item);
            }
        }
    }

    pub fn remove(&mut self, key: &str) {
        let b = self.bucket(key);
        if let Some(i) = self.buckets[b].iter().position(|(k, _)| k == key) {
            self.buckets[b].remove(i);
            self.len -= 1;
        }
    }

    /// `delete a`: BusyBox empties the table but keeps its size.
    pub fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.len = 0;
    }

    /// The keys in BusyBox's walking order.
    pub fn keys(&self) -> Vec<String> {
        self.buckets
            .iter()
            .flat_map(|b| b.iter().rev().map(|(k, _)| k.clone()))
            .collect()
    }
}
