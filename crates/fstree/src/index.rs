//! A lower layer's name index: every directory entry of an immutable layer in one hash table
//! keyed by (directory inode, name), so a union lookup probing ten layers for a name costs ten
//! hash probes (the name hashed once) instead of ten ordered-map searches and inode-table
//! lookups. Built once per layer (layers never change), shared by every union over it, never
//! iterated: its order (a fixed hash, no random seed) can show nowhere.

use std::fmt;
use std::sync::Arc;

use crate::tree::{Ino, Inode, Tree};

/// Multiplier of the FxHash family: fast, fixed, good enough when equality is checked anyway.
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The hash of a name; combine it with a directory with [`slot_hash`].
#[inline]
pub(crate) fn name_hash(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(rest) {
            *d = *s;
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h
}

#[inline]
fn slot_hash(dir: Ino, name_hash: u64) -> u64 {
    (name_hash ^ dir.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(K)
}

/// One directory entry of the layer.
struct Entry {
    hash: u64,
    dir: Ino,
    name: Box<str>,
    ino: Ino,
    node: Arc<Inode>,
}

/// The layer's entries, open addressing with linear probing, at most half full.
pub(crate) struct LayerIndex {
    /// `(low half of the entry's hash, position in entries)`, position `u32::MAX` for an
    /// empty slot; the length is a power of two, `1 << (64 - shift)`. A slot's place comes
    /// from the high bits of the hash, its tag from the low ones: a miss reads only `slots`.
    slots: Vec<(u32, u32)>,
    shift: u32,
    entries: Vec<Entry>,
}

impl fmt::Debug for LayerIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LayerIndex({} entries)", self.entries.len())
    }
}

const EMPTY: u32 = u32::MAX;

impl LayerIndex {
    /// The index of every directory entry of `tree` (whiteouts included); `None` past
    /// 2^31 entries.
    pub(crate) fn new(tree: &Tree) -> Option<LayerIndex> {
        let mut entries = Vec::new();
        for (&dir, n) in tree.inodes.iter() {
            let Some(e) = n.entries() else { continue };
            for (name, &ino) in e.iter() {
                let Some(node) = tree.inodes.get(&ino) else {
                    continue;
                };
                entries.push(Entry {
                    hash: slot_hash(dir, name_hash(name)),
                    dir,
                    name: name.as_str().into(),
                    ino,
                    node: node.clone(),
                });
            }
        }
        if entries.len() >= 1 << 31 {
            return None;
        }
        let size = (entries.len() * 2).max(8).next_power_of_two();
        let shift = 64 - size.trailing_zeros();
        let mask = size - 1;
        let mut slots = vec![(0, EMPTY); size];
        for (pos, e) in entries.iter().enumerate() {
            let mut i = (e.hash >> shift) as usize;
            while let Some(s) = slots.get_mut(i) {
                if s.1 == EMPTY {
                    *s = (e.hash as u32, pos as u32);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        Some(LayerIndex {
            slots,
            shift,
            entries,
        })
    }

    /// The entry `name` (hashed by [`name_hash`] to `nh`) of directory `dir`: its inode number
    /// and inode.
    #[inline]
    pub(crate) fn get(&self, dir: Ino, name: &str, nh: u64) -> Option<(Ino, &Arc<Inode>)> {
        let h = slot_hash(dir, nh);
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = h.checked_shr(self.shift).unwrap_or(0) as usize;
        loop {
            let &(tag, pos) = self.slots.get(i)?;
            if pos == EMPTY {
                return None;
            }
            if tag == h as u32 {
                let e = self.entries.get(pos as usize)?;
                if e.hash == h && e.dir == dir && *e.name == *name {
                    return Some((e.ino, &e.node));
                }
            }
            i = (i + 1) & mask;
        }
    }
}
