//! Merged readdir: a directory's names across the layers of its stack, upper first, each name
//! once with the kind of its top-most entry.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::tree::Inode;
use crate::FileType;

use super::{Slot, Union};

impl Union {
    /// The names in a directory stack, sorted, first hit wins: `None` for a name whited out.
    pub(crate) fn merge<'a>(&'a self, stack: &[Slot<'a>]) -> Vec<(&'a str, Option<FileType>)> {
        let mut names = Vec::new();
        self.merge_with(stack, |name, kind| names.push((name, kind)));
        names
    }

    /// Call `f` on each name of a directory stack in order, with the kind of its top-most entry
    /// (`None` for a whiteout): a k-way merge of the layers' sorted entries in which, on equal
    /// names, the top-most layer wins.
    pub(super) fn merge_with<'a>(
        &'a self,
        stack: &[Slot<'a>],
        mut f: impl FnMut(&'a str, Option<FileType>),
    ) {
        let mut iters = Vec::with_capacity(stack.len());
        let mut heap = BinaryHeap::with_capacity(stack.len());
        for &(li, _, dir) in stack {
            if let Some(e) = dir.entries() {
                let mut it = e.iter();
                if let Some((name, &ino)) = it.next() {
                    heap.push(Reverse((name.as_str(), iters.len(), ino)));
                }
                iters.push((self.tree_at(li), it));
            }
        }
        let mut last: Option<&str> = None;
        while let Some(Reverse((mut name, pos, mut ino))) = heap.pop() {
            let Some((t, it)) = iters.get_mut(pos) else {
                continue;
            };
            // Emit this layer's names while they come before every other layer's next one.
            loop {
                if last != Some(name) {
                    f(name, t.inode(ino).and_then(Inode::kind));
                    last = Some(name);
                }
                let Some((next, &next_ino)) = it.next() else {
                    break;
                };
                match heap.peek() {
                    Some(Reverse((top, top_pos, _))) if (*top, *top_pos) < (next.as_str(), pos) => {
                        heap.push(Reverse((next.as_str(), pos, next_ino)));
                        break;
                    }
                    _ => {
                        name = next;
                        ino = next_ino;
                    }
                }
            }
        }
    }
}
