//! Stable sorting through one shared instance of the standard library's sort: every list the
//! views sort is ordered by sorting its indices, so the web bundle carries one stable sort
//! instead of one per element type and comparison.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, exactly as `items.sort_by(compare)` would.
pub(crate) fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    // `order` is a permutation of the indices: each slot is taken exactly once.
    items.extend(order.into_iter().filter_map(|index| slots[index].take()));
}

/// Sorts `items` stably by the key `key` gives, as `items.sort_by_key(key)` would.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The indices `0..len` in the stable order `compare` gives them.
fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        let mut expected = items.clone();
        expected.sort_by_key(|item| item.0);
        sort_by_key(&mut items, |item| item.0);
        assert_eq!(items, expected);
    }

    #[test]
    fn sort_by_matches_the_standard_sort() {
        let words = ["b", "a", "B", "ab", "", "a", "ba"];
        let mut items: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let by_length = |a: &String, b: &String| a.len().cmp(&b.len());
        let mut expected = items.clone();
        expected.sort_by(by_length);
        sort_by(&mut items, by_length);
        assert_eq!(items, expected);
    }
}
