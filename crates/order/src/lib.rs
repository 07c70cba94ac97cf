//! Stable sorting through one shared instance of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type and the comparison, so every call site
//! compiles its own copy of the sort (about 4 kB of wasm each). These functions sort the
//! *indices* of a slice with one non-generic comparison (`&mut dyn FnMut`), then move the
//! elements into that order in place: the web bundle carries one sort, and each caller only a
//! few bytes of glue. The order is exactly the standard library's stable order.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare`, exactly as `items.sort_by(compare)` would.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order = {
        let view: &[T] = items;
        sorted_indices(view.len(), &mut |a, b| compare(&view[a], &view[b]))
    };
    permute(items, &mut order);
}

/// Sorts `items` stably by the key `key` gives, as `items.sort_by_key(key)` would.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their natural order, as `items.sort()` would.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// A map of `pairs`, as `collect()` makes it (a later duplicate key's value wins), built by
/// inserting: `BTreeMap`'s `FromIterator` sorts the pairs first, with a copy of the sort for every
/// iterator type it is called with.
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// A set of `items`, as `collect()` makes it, built by inserting (see [`map`]).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The indices `0..len` in the stable order `compare` gives them: the one place that
/// instantiates the standard library's sort.
#[allow(clippy::disallowed_methods)] // the one permitted call
fn sorted_indices(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that position `i` holds what was at `order[i]`, following each cycle
/// of the permutation once (`order` is consumed as the visited marks).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // compared with the standard library's sorts
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_by_key(&mut items, |item| item.0);
        assert_eq!(items, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn a_reversed_comparison_reverses() {
        let mut items = vec!["b", "c", "a"];
        sort_by(&mut items, |a, b| b.cmp(a));
        assert_eq!(items, ["c", "b", "a"]);
    }

    #[test]
    fn empty_and_single_lists_are_left_alone() {
        let mut empty: Vec<String> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec![String::from("x")];
        sort(&mut one);
        assert_eq!(one, ["x"]);
    }

    #[test]
    fn a_later_duplicate_key_wins_as_with_collect() {
        let pairs = [("a", 1), ("b", 2), ("a", 3)];
        let collected: BTreeMap<_, _> = pairs.into_iter().collect();
        assert_eq!(map(pairs), collected);
        assert_eq!(map(pairs)["a"], 3);
        assert_eq!(set(["b", "a", "b"]), BTreeSet::from(["a", "b"]));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn sorts_exactly_as_the_standard_library(items in proptest::collection::vec((0u8..6, proptest::prelude::any::<u16>()), 0..200)) {
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            proptest::prop_assert_eq!(ours, expected);

            let mut expected = items.clone();
            expected.sort();
            let mut ours = items;
            sort(&mut ours);
            proptest::prop_assert_eq!(ours, expected);
        }
    }
}
