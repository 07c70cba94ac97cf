//! `FileData`: a regular file's bytes as a tree holds them, with what was appended to a large
//! file kept apart until the file is next read, and a large file of zero bytes held as its
//! length only.

use std::sync::{Arc, OnceLock};

use crate::store::Content;

/// Files at least this large keep appended bytes apart instead of being rewritten whole.
const KEEP_APART_FROM: usize = 64 << 10;
/// Most appended bytes kept apart; the append that would pass it rewrites the file whole.
const MAX_APART: usize = 64 << 10;
/// Files at least this large whose bytes are all zero (the sample images' sized placeholders
/// for programs and libraries, `dd if=/dev/zero`) hold no bytes, only their length, as a
/// sparse file does; a read makes the zeros for as long as the reader holds them.
const SPARSE_FROM: usize = 4 << 10;

/// The bytes of one regular file. Appending to a large file shares its bytes and keeps the
/// appended ones apart, so `>>` on a big file (after a copy-up, too) copies only what it
/// appends, as a kernel's append writes only the new bytes; the first read joins the parts,
/// once, and every clone of the file shares the joined bytes.
///
/// Nothing outside a tree can tell the two forms apart: [`FileData::content`] is the whole
/// content and the lower layer's bytes are never written (they are immutable `Arc` content).
#[derive(Debug, Clone)]
pub(crate) enum FileData {
    Whole(Content),
    Appended(Arc<Appended>),
    /// This many zero bytes, none of them held.
    Zeros(usize),
}

/// `base` followed by `apart`; `joined` caches the two as one, made by the first read.
#[derive(Debug)]
pub(crate) struct Appended {
    base: Content,
    apart: Box<[u8]>,
    joined: OnceLock<Content>,
}

impl FileData {
    /// Bytes in the file.
    pub(crate) fn len(&self) -> usize {
        match self {
            FileData::Whole(c) => c.len(),
            FileData::Appended(a) => a.base.len() + a.apart.len(),
            FileData::Zeros(len) => *len,
        }
    }

    /// The whole content (joined on the first read of an appended file).
    pub(crate) fn content(&self) -> Content {
        match self {
            FileData::Whole(c) => c.clone(),
            FileData::Appended(a) => a
                .joined
                .get_or_init(|| [&a.base[..], &a.apart[..]].concat().into())
                .clone(),
            FileData::Zeros(len) => Content::from(vec![0u8; *len]),
        }
    }

    /// This file with `data` appended; `self` is unchanged.
    pub(crate) fn append(&self, data: &[u8]) -> FileData {
        let apart = |base: &Content, apart: &[u8]| {
            FileData::Appended(Arc::new(Appended {
                base: base.clone(),
                apart: [apart, data].concat().into(),
                joined: OnceLock::new(),
            }))
        };
        match self {
            FileData::Whole(c) if c.len() >= KEEP_APART_FROM && data.len() <= MAX_APART => {
                apart(c, &[])
            }
            FileData::Appended(a) => match a.joined.get() {
                Some(whole) if data.len() <= MAX_APART => apart(whole, &[]),
                None if a.apart.len() + data.len() <= MAX_APART => apart(&a.base, &a.apart),
                _ => FileData::Whole([&self.content()[..], data].concat().into()),
            },
            FileData::Whole(c) => FileData::Whole([&c[..], data].concat().into()),
            FileData::Zeros(len) if data.iter().all(|&b| b == 0) => {
                FileData::Zeros(len + data.len())
            }
            FileData::Zeros(_) => FileData::Whole([&self.content()[..], data].concat().into()),
        }
    }
}

impl FileData {
    /// A file of `len` zero bytes, none of them held (a length past the address space, which no
    /// image declares, makes an empty file, as the bytes it stood for were before).
    pub(crate) fn zeros(len: u64) -> FileData {
        FileData::Zeros(usize::try_from(len).unwrap_or(0))
    }
}

impl From<Content> for FileData {
    fn from(c: Content) -> FileData {
        if c.len() >= SPARSE_FROM && c.iter().all(|&b| b == 0) {
            FileData::Zeros(c.len())
        } else {
            FileData::Whole(c)
        }
    }
}

/// A regular file's bytes in an OCI entry ([`crate::OciKind::File`]), held as the tree holds
/// them: a file of zeros declared by its size (a sample image's padding) stays a length until
/// something reads [`FileBytes::content`].
#[derive(Debug, Clone)]
pub struct FileBytes(pub(crate) FileData);

impl FileBytes {
    /// Bytes in the file.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// The whole content (a sparse file's zeros are made here).
    pub fn content(&self) -> Content {
        self.0.content()
    }

    /// `Some(len)` when the file is `len` zero bytes of which none are held. Files of zeros
    /// from [`SPARSE_FROM`] bytes up are always held this way, so two files with the same
    /// content give the same answer.
    pub fn sparse_len(&self) -> Option<usize> {
        match &self.0 {
            FileData::Zeros(len) if *len >= SPARSE_FROM => Some(*len),
            _ => None,
        }
    }
}

impl From<Content> for FileBytes {
    fn from(c: Content) -> FileBytes {
        FileBytes(c.into())
    }
}

impl From<&[u8]> for FileBytes {
    fn from(bytes: &[u8]) -> FileBytes {
        FileBytes(Content::from(bytes).into())
    }
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &FileBytes) -> bool {
        self.len() == other.len()
            && (self.sparse_len().is_some() && other.sparse_len().is_some()
                || self.content() == other.content())
    }
}

impl Eq for FileBytes {}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(len: usize) -> FileData {
        FileData::from(Content::from(vec![b'x'; len]))
    }

    #[test]
    fn appending_to_a_large_file_shares_its_bytes_and_leaves_it_unchanged() {
        let big = whole(KEEP_APART_FROM);
        let FileData::Whole(before) = &big else {
            panic!("a whole file")
        };
        let grown = big.append(b"!").append(b"?");
        let FileData::Appended(a) = &grown else {
            panic!("kept apart")
        };
        assert!(Arc::ptr_eq(&a.base, before));
        assert_eq!(grown.len(), KEEP_APART_FROM + 2);
        assert_eq!(big.len(), KEEP_APART_FROM);
        let c = grown.content();
        assert_eq!(c.len(), KEEP_APART_FROM + 2);
        assert_eq!(&c[KEEP_APART_FROM - 1..], b"x!?");
        assert!(before.iter().all(|&b| b == b'x'));
        // Joined once, shared by every clone.
        assert!(Arc::ptr_eq(&grown.clone().content(), &c));
        let after_read = grown.append(b".");
        assert_eq!(&after_read.content()[KEEP_APART_FROM..], b"!?.");
    }

    #[test]
    fn a_large_file_of_zeros_holds_only_its_length() {
        let zeros = FileData::from(Content::from(vec![0u8; 2 << 20]));
        assert!(matches!(zeros, FileData::Zeros(n) if n == 2 << 20));
        assert_eq!(zeros.len(), 2 << 20);
        assert!(zeros.content().iter().all(|&b| b == 0));
        assert_eq!(zeros.content().len(), 2 << 20);
        // More zeros keep it sparse; anything else makes it bytes again, read back exactly.
        assert!(matches!(zeros.append(&[0; 10]), FileData::Zeros(n) if n == (2 << 20) + 10));
        let written = zeros.append(b"end");
        assert_eq!(written.len(), (2 << 20) + 3);
        assert_eq!(&written.content()[(2 << 20) - 1..], b"\0end");
        // A small file of zeros, or a large one with one other byte, is held as it is.
        assert!(matches!(
            FileData::from(Content::from(vec![0u8; 100])),
            FileData::Whole(_)
        ));
        let mut almost = vec![0u8; 8 << 10];
        almost[5000] = 1;
        assert!(matches!(
            FileData::from(Content::from(almost)),
            FileData::Whole(_)
        ));
    }

    #[test]
    fn small_files_and_large_appends_are_rewritten_whole() {
        let small = whole(10).append(b"!");
        assert!(matches!(small, FileData::Whole(_)));
        assert_eq!(&small.content()[9..], b"x!");
        let mut f = whole(KEEP_APART_FROM);
        for _ in 0..(MAX_APART / 1024 + 1) {
            f = f.append(&[b'y'; 1024]);
        }
        assert!(matches!(f, FileData::Whole(_)));
        assert_eq!(f.len(), KEEP_APART_FROM + MAX_APART + 1024);
        assert_eq!(
            f.content().iter().filter(|&&b| b == b'y').count(),
            MAX_APART + 1024
        );
    }
}
