//! Sorting keys as the reference does (a stable sort by
//! [`compare`](super::compare)), fast for the webhooks that really arrive.
//!
//! The order is found on input positions, not on the caller's items: the
//! sorting code then exists once whatever the item type (which keeps the
//! wasm build small), items move once, at the end, and the typed API can
//! stream params in order without copying them. The ways, first match wins:
//!
//! 1. up to 128 keys, all ASCII: each key packs its first primary weights
//!    and its position into one integer, sorted on the stack ([`packed`]),
//!    which also finds exact repeats for free;
//! 2. more ASCII keys: the same with 128-bit integers on the heap;
//! 3. mostly non-ASCII keys: one ICU4X sort key per key, compared bytewise;
//! 4. otherwise: direct comparisons, ASCII pairs on the fast path.
//!
//! Without `alloc` only the first way exists; longer lists are sorted in
//! place by binary insertion (see [`super::sort_by_key`]).

use super::{PRIMARY, compare_ascii, counted};
use crate::swar::{self, TOP};
use core::cmp::Ordering;

/// Most keys ordered on the stack.
const STACK: usize = 128;

/// Input positions in sorted order, on the stack when they are few.
pub(crate) enum Order {
    /// The first `len` of `positions`.
    Stack { positions: [u8; STACK], len: usize },
    /// Any number of positions.
    #[cfg(feature = "alloc")]
    Heap(alloc::vec::Vec<usize>),
}

impl Order {
    /// Input positions, in sorted order.
    #[cfg(feature = "alloc")]
    pub(crate) fn positions(&self) -> Positions<'_> {
        match self {
            Order::Stack { positions, len } => Positions::Stack(positions[..*len].iter()),
            Order::Heap(positions) => Positions::Heap(positions.iter()),
        }
    }

    /// Moves `items` (the ones whose keys were ordered) into this order,
    /// following each cycle of the permutation once (linear time).
    pub(crate) fn apply<T>(self, items: &mut [T]) {
        match self {
            Order::Stack { mut positions, len } => {
                permute(items, &mut positions[..len], u8::MAX, usize::from)
            }
            #[cfg(feature = "alloc")]
            Order::Heap(mut positions) => permute(items, &mut positions, usize::MAX, |p| p),
        }
    }
}

/// The positions of an [`Order`], in order. One type for both storages, so
/// a loop over them can be specialized for each (the storage never changes
/// during the loop).
#[cfg(feature = "alloc")]
#[derive(Clone)]
pub(crate) enum Positions<'a> {
    Stack(core::slice::Iter<'a, u8>),
    Heap(core::slice::Iter<'a, usize>),
}

#[cfg(feature = "alloc")]
impl Iterator for Positions<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Positions::Stack(it) => it.next().map(|&p| usize::from(p)),
            Positions::Heap(it) => it.next().copied(),
        }
    }
}

/// Moves `items[order[i]]` to position `i` for every `i`; `done` marks the
/// visited entries of `order` (it is never a position).
fn permute<T, P: Copy + PartialEq>(
    items: &mut [T],
    order: &mut [P],
    done: P,
    position: impl Fn(P) -> usize,
) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != done {
            let from = position(core::mem::replace(&mut order[at], done));
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The order of a few all-ASCII keys and the earliest exact repeat.
pub(crate) struct Packed {
    /// The stable order.
    pub(crate) order: Order,
    /// The earliest position whose key repeats an earlier one exactly.
    pub(crate) duplicate: Option<usize>,
}

/// The order of `n` keys (`key(i)` for each position `i`) if there are at
/// most [`STACK`] and all are ASCII (way 1).
///
/// Each key becomes one integer: its first seven primary weights (see
/// [`primary_prefix`]) above its position. Sorting those integers orders
/// every pair whose prefixes differ, one instruction per comparison and no
/// key in memory touched; the rare runs of equal prefixes, already in input
/// order, are then finished with the full comparison. Keys that repeat
/// exactly share a prefix, so finding them costs nothing when no two
/// prefixes are equal.
pub(crate) fn packed<'k>(n: usize, key: &dyn Fn(usize) -> &'k [u8]) -> Option<Packed> {
    // The scratch space is zeroed on every call: size it to the input.
    match n {
        0..=16 => packed_in::<16>(n, key),
        17..=STACK => packed_in::<STACK>(n, key),
        _ => None,
    }
}

/// [`packed`] with room for `N` keys.
fn packed_in<'k, const N: usize>(n: usize, key: &dyn Fn(usize) -> &'k [u8]) -> Option<Packed> {
    let mut packed = [0u64; N];
    for (i, slot) in packed.iter_mut().enumerate().take(n) {
        // Seven weights decide nearly every pair; the low byte is the position.
        *slot = ascii_prefix(key(i))? & !0xff | i as u64;
    }
    let packed = packed.get_mut(..n)?;
    packed.sort_unstable();
    let mut duplicate = None;
    if packed.windows(2).any(|w| w[0] >> 8 == w[1] >> 8) {
        duplicate = finish_equal_prefixes(packed, key);
    }
    let mut positions = [0u8; STACK];
    for (to, p) in positions.iter_mut().zip(packed.iter()) {
        *to = *p as u8;
    }
    Some(Packed {
        order: Order::Stack { positions, len: n },
        duplicate,
    })
}

/// Orders each run of equal prefixes in `packed` (sorted, so in input
/// order) by the full comparison, stably, and returns the earliest position
/// that repeats an earlier key exactly: a binary insertion sort, since runs
/// of keys sharing seven weights are short and rare.
#[cold]
fn finish_equal_prefixes<'k>(packed: &mut [u64], key: &dyn Fn(usize) -> &'k [u8]) -> Option<usize> {
    let position = |p: &u64| (p & 0xff) as usize;
    let cmp = counted(|a: &u64, b: &u64| compare_ascii(key(position(a)), key(position(b))));
    let mut duplicate: Option<usize> = None;
    for run in packed.chunk_by_mut(|a, b| a >> 8 == b >> 8) {
        for i in 1..run.len() {
            // Earlier in the run means earlier in the input.
            let later = position(&run[i]);
            if run[..i].iter().any(|p| key(position(p)) == key(later)) {
                duplicate = Some(duplicate.map_or(later, |d| d.min(later)));
            }
            let pos = run[..i].partition_point(|x| cmp(x, &run[i]) != Ordering::Greater);
            run[pos..=i].rotate_right(1);
        }
    }
    duplicate
}

/// The stable order of any `n` keys that passed [`super::check_key`]
/// (ways 1 to 4).
#[cfg(feature = "alloc")]
pub(crate) fn order<'k>(n: usize, key: &dyn Fn(usize) -> &'k str) -> Order {
    if let Some(packed) = packed(n, &|i| key(i).as_bytes()) {
        return packed.order;
    }
    // Checking for ASCII once, instead of in every comparison, keeps the
    // common all-ASCII sort on the table-driven path at no per-comparison cost.
    let foreign = (0..n).filter(|&i| !key(i).is_ascii()).count();
    if foreign == 0 {
        return Order::Heap(ascii_order(n, key));
    }
    // Where most keys need ICU4X anyway, one sort key per key costs less
    // than a full collation in most of n·log n comparisons (about half as
    // much for 16 non-ASCII keys); a few such keys among ASCII ones are
    // cheaper compared directly, the ASCII pairs taking the fast path.
    #[cfg(feature = "unicode")]
    if 2 * foreign >= n
        && let Some(order) = sort_key_order(n, key)
    {
        return order;
    }
    let cmp = counted(|a: &usize, b: &usize| super::compare_checked(key(*a), key(*b)));
    if n <= SMALL_INSERTION {
        // A few keys: sorted on the stack, so the no-alloc API
        // (`sign_pairs`) stays allocation-free in an `alloc` build too.
        let mut positions = [0u8; STACK];
        let mut order = [0usize; SMALL_INSERTION];
        for (i, o) in order.iter_mut().enumerate() {
            *o = i;
        }
        insertion_sort(&mut order[..n], &cmp);
        for (to, &p) in positions.iter_mut().zip(&order[..n]) {
            *to = p as u8;
        }
        return Order::Stack { positions, len: n };
    }
    let mut order: alloc::vec::Vec<usize> = (0..n).collect();
    order.sort_by(cmp);
    Order::Heap(order)
}

/// Up to this many keys that way 1 cannot order are sorted on the stack.
#[cfg(feature = "alloc")]
const SMALL_INSERTION: usize = 16;

/// A stable binary insertion sort: n·⌈log2 n⌉ comparisons, O(n²) moves.
pub(crate) fn insertion_sort<T>(items: &mut [T], cmp: &impl Fn(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        // First position whose key is greater than items[i]: stable insertion.
        let pos = items[..i].partition_point(|x| cmp(x, &items[i]) != Ordering::Greater);
        items[pos..=i].rotate_right(1);
    }
}

/// Way 2: many ASCII keys, each one integer, its primary prefix above its
/// position; the runs of equal prefixes, in input order, are finished by a
/// stable sort with the full comparison.
#[cfg(feature = "alloc")]
fn ascii_order<'k>(n: usize, key: &dyn Fn(usize) -> &'k str) -> alloc::vec::Vec<usize> {
    let position = |p: &u128| *p as u64 as usize;
    let mut packed: alloc::vec::Vec<u128> = (0..n)
        .map(|i| u128::from(primary_prefix(key(i).as_bytes())) << 64 | i as u128)
        .collect();
    packed.sort_unstable_by(counted(|a: &u128, b: &u128| a.cmp(b)));
    let bytes = |p: &u128| key(position(p)).as_bytes();
    for run in packed.chunk_by_mut(|a, b| a >> 64 == b >> 64) {
        if run.len() > 1 {
            run.sort_by(counted(|a: &u128, b: &u128| {
                compare_ascii(bytes(a), bytes(b))
            }));
        }
    }
    packed.iter().map(position).collect()
}

/// Way 3: keys ordered by their ICU4X root sort keys, which compare
/// bytewise as the collator compares the strings. Up to 16 keys keep their
/// sort keys on the stack (`None` if they do not fit there).
#[cfg(feature = "unicode")]
fn sort_key_order<'k>(n: usize, key: &dyn Fn(usize) -> &'k str) -> Option<Order> {
    use super::ROOT;
    if n > SMALL_INSERTION {
        let mut bytes = alloc::vec::Vec::new();
        let mut ends = alloc::vec::Vec::with_capacity(n + 1);
        ends.push(0);
        for i in 0..n {
            let Ok(()) = ROOT.write_sort_key_to(key(i), &mut bytes);
            ends.push(bytes.len());
        }
        let sort_key = |i: usize| &bytes[ends[i]..ends[i + 1]];
        let mut order: alloc::vec::Vec<usize> = (0..n).collect();
        order.sort_by(counted(|a: &usize, b: &usize| {
            sort_key(*a).cmp(sort_key(*b))
        }));
        return Some(Order::Heap(order));
    }
    let mut bytes = [0u8; 1024];
    let mut ends = [0usize; SMALL_INSERTION + 1];
    for i in 0..n {
        let written = ROOT.write_sort_key_to(key(i), &mut bytes[ends[i]..]).ok()?;
        ends[i + 1] = ends[i] + written;
    }
    let sort_key = |i: usize| &bytes[ends[i]..ends[i + 1]];
    let mut order = [0usize; SMALL_INSERTION];
    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    insertion_sort(
        &mut order[..n],
        &counted(|a: &usize, b: &usize| sort_key(*a).cmp(sort_key(*b))),
    );
    let mut positions = [0u8; STACK];
    for (to, &p) in positions.iter_mut().zip(&order[..n]) {
        *to = p as u8;
    }
    Some(Order::Stack { positions, len: n })
}

/// The first eight primary weights of an ASCII key (ignorables skipped),
/// big-endian and zero-padded: when two keys' prefixes differ, comparing
/// them as integers orders the keys, because weights are never zero and a
/// shorter weight sequence sorts first.
///
/// Keys nearly always start with letters and digits, whose weights are
/// their bytes with the lowercase bit set (see [`PRIMARY`]): up to eight of
/// those are weighed at once; other keys one byte at a time.
fn primary_prefix(key: &[u8]) -> u64 {
    let (head, n) = head(key);
    // The bytes that are part of the key; the padding passes as letters.
    let keep = !u64::MAX.checked_shr(8 * n as u32).unwrap_or(0);
    if all_alphanumeric(head | !keep & swar::splat(b'a')) {
        return (head | LOWER) & keep;
    }
    let mut packed = 0u64;
    let mut count = 0;
    for &c in key {
        let weight = PRIMARY[usize::from(c & 0x7f)];
        if weight != 0 {
            packed = packed << 8 | u64::from(weight);
            count += 1;
            if count == 8 {
                return packed;
            }
        }
    }
    packed.checked_shl(8 * (8 - count)).unwrap_or(0)
}

/// [`primary_prefix`] of a key that is ASCII; `None` for any other key.
fn ascii_prefix(key: &[u8]) -> Option<u64> {
    let ascii = match key.len() {
        // Two overlapping words cover up to 16 bytes.
        0..=8 => head(key).0 & TOP == 0,
        9..=16 => {
            let word = |w: Option<&[u8; 8]>| w.map_or(0, |w| u64::from_ne_bytes(*w));
            (word(key.first_chunk()) | word(key.last_chunk())) & TOP == 0
        }
        _ => key.is_ascii(),
    };
    ascii.then(|| primary_prefix(key))
}

/// The first eight bytes of `key` as a big-endian integer, zero-padded, and
/// how many there were; read with at most three loads, whatever the length.
fn head(key: &[u8]) -> (u64, usize) {
    let n = key.len();
    if let Some(first) = key.first_chunk::<8>() {
        return (u64::from_be_bytes(*first), 8);
    }
    let word = |at: usize| {
        key.get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map_or(0, |w| u64::from(u32::from_be_bytes(w)))
    };
    let byte = |at: usize| key.get(at).map_or(0, |&b| u64::from(b));
    let x = if n >= 4 {
        // Two overlapping words; the overlap holds the same bytes twice.
        word(0) << 32 | word(n - 4) << (8 * (8 - n))
    } else if n > 0 {
        byte(0) << 56 | byte(n / 2) << (56 - 8 * (n / 2)) | byte(n - 1) << (56 - 8 * (n - 1))
    } else {
        0
    };
    (x, n)
}

/// The lowercase bit in every byte.
const LOWER: u64 = swar::splat(0x20);

/// Whether all eight bytes of `x` are ASCII letters or digits.
fn all_alphanumeric(x: u64) -> bool {
    let letters = swar::in_range(x, b'0', b'9') | swar::in_range(x | LOWER, b'a', b'z');
    x & TOP == 0 && letters == TOP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_alphanumeric_tests_every_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"aZ09zA9q";
                bytes[at] = b;
                let x = u64::from_be_bytes(bytes);
                assert_eq!(
                    all_alphanumeric(x),
                    b.is_ascii_alphanumeric(),
                    "{b:#x} at {at}"
                );
            }
        }
    }

    /// The prefix, one weight at a time from the table.
    fn slow_prefix(key: &[u8]) -> u64 {
        let weights = key
            .iter()
            .map(|&c| PRIMARY[usize::from(c)])
            .filter(|&w| w != 0);
        let mut bytes = [0u8; 8];
        for (b, w) in bytes.iter_mut().zip(weights) {
            *b = w;
        }
        u64::from_be_bytes(bytes)
    }

    #[test]
    fn primary_prefix_agrees_with_the_table() {
        let alphabet = b"aZ09_-\0 .~Mq";
        let mut key = [0u8; 20];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 21) as usize;
            let mut bits = state;
            for b in key[..len].iter_mut() {
                bits = bits.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
                *b = alphabet[(bits % alphabet.len() as u64) as usize];
            }
            assert_eq!(
                primary_prefix(&key[..len]),
                slow_prefix(&key[..len]),
                "{:?}",
                &key[..len]
            );
        }
    }

    #[test]
    fn ascii_prefix_refuses_any_non_ascii_byte() {
        for len in 0..40 {
            let key = [b'k'; 40];
            assert_eq!(ascii_prefix(&key[..len]), Some(primary_prefix(&key[..len])));
            for at in 0..len {
                let mut key = key;
                key[at] = 0xC3;
                assert_eq!(ascii_prefix(&key[..len]), None, "len {len}, at {at}");
            }
        }
    }
}
