//! Key order: JavaScript `a.localeCompare(b)` under en-US, which is ICU root
//! collation at tertiary strength, never the host locale.
//!
//! - Case is a third-level difference: `address` < `Amount` < `b`.
//! - Punctuation and symbols sort before digits, digits before letters.
//! - Ignorable characters (`\0`, most controls, U+00AD, U+200B…) change nothing,
//!   and canonically equivalent keys compare equal; such ties keep input order,
//!   because the reference sort is stable.
//!
//! Almost every real key is ASCII, so ASCII pairs take a table-driven fast path
//! whose agreement with the full collator is proven by tests. Other keys go to
//! ICU4X's root collator (feature `unicode`); without it they are refused.
//!
//! ```
//! let mut keys = ["b", "Amount", "address", "a-b", "a_b", "a1"];
//! hooksig::collation::sort(&mut keys)?;
//! assert_eq!(keys, ["a_b", "a-b", "a1", "address", "Amount", "b"]);
//! # Ok::<(), hooksig::Error>(())
//! ```

use crate::error::{Error, ErrorKind};
use crate::swar::{self, TOP};
use core::cmp::Ordering;

/// Primary weight of each ASCII byte in ICU root order; 0 means ignorable.
///
/// Read off `localeCompare` in Node (ICU 78): controls 00–08, 0E–1F and 7F are
/// ignorable; then `\t \n \v \f \r`, space, `_ - , ; : ! ? . ' " ( ) [ ] { } @ * / \ & # % `` ` `` ^ + < = > | ~ $`,
/// digits, and letters with `a`/`A` sharing a weight.
///
/// Only the order of weights matters, so they are chosen to make the usual
/// key bytes their own weights: a digit weighs its byte and a letter its
/// lowercase byte (`c | 0x20`), above the symbols' 1–38. That lets
/// [`primary_prefix`] weigh eight letters and digits at once.
const PRIMARY: [u8; 128] = primary_table();

/// The symbols, in primary order; digits and letters follow them.
const SYMBOLS: &[u8] = b"\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

// Symbols weigh less than the lowest digit, `0`.
const _: () = assert!(SYMBOLS.len() < b'0' as usize);

const fn primary_table() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < SYMBOLS.len() {
        t[SYMBOLS[i] as usize] = (i + 1) as u8;
        i += 1;
    }
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = c;
        c += 1;
    }
    let mut c = b'a';
    while c <= b'z' {
        t[c as usize] = c;
        t[c.to_ascii_uppercase() as usize] = c;
        c += 1;
    }
    t
}

/// Compares two ASCII keys exactly as ICU root collation at tertiary strength does.
///
/// Primary weights are compared first (ignorables skipped), then case
/// (lowercase before uppercase) position by position.
fn compare_ascii(a: &[u8], b: &[u8]) -> Ordering {
    // An identical prefix adds identical weights at every level: skip it.
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[common..], &b[common..]);
    // Nearly always the first differing bytes have different primary weights,
    // and then they alone decide; ignorables and case need the full walk.
    let weight = |s: &[u8]| s.first().map(|&c| PRIMARY[usize::from(c & 0x7f)]);
    match (weight(a), weight(b)) {
        (Some(x), Some(y)) if x != 0 && y != 0 && x != y => return x.cmp(&y),
        (None, Some(y)) if y != 0 => return Ordering::Less,
        (Some(x), None) if x != 0 => return Ordering::Greater,
        _ => {}
    }
    fn weights(s: &[u8]) -> impl Iterator<Item = (u8, bool)> + '_ {
        s.iter()
            .map(|&c| (PRIMARY[usize::from(c & 0x7f)], c.is_ascii_uppercase()))
            .filter(|&(p, _)| p != 0)
    }
    weights(a)
        .map(|w| w.0)
        .cmp(weights(b).map(|w| w.0))
        .then_with(|| weights(a).map(|w| w.1).cmp(weights(b).map(|w| w.1)))
}

#[cfg(feature = "unicode")]
static ROOT: icu_collator::CollatorBorrowed<'static> =
    icu_collator::CollatorBorrowed::new_root(icu_collator::options::CollatorOptions::default());

/// Compares two keys with the full ICU4X root collator, bypassing the ASCII fast path.
///
/// Tests use it to prove the fast path agrees; callers want [`compare`].
///
/// ```
/// use core::cmp::Ordering;
/// assert_eq!(hooksig::collation::compare_full("é", "e\u{301}"), Ordering::Equal);
/// ```
#[cfg(feature = "unicode")]
pub fn compare_full(a: &str, b: &str) -> Ordering {
    ROOT.compare(a, b)
}

/// Compares two keys like `a.localeCompare(b)` in the reference.
///
/// Fails with `unsupported-key` only when a key is not ASCII and the `unicode`
/// feature is off.
///
/// ```
/// use core::cmp::Ordering::*;
/// use hooksig::collation::compare;
/// assert_eq!(compare("address", "Amount"), Ok(Less));
/// assert_eq!(compare("a_b", "a-b"), Ok(Less));
/// assert_eq!(compare("a\0", "a"), Ok(Equal));
/// ```
pub fn compare(a: &str, b: &str) -> Result<Ordering, Error> {
    check_key(a)?;
    check_key(b)?;
    Ok(compare_checked(a, b))
}

/// Refuses a key this build cannot order (non-ASCII without `unicode`).
///
/// ```
/// assert!(hooksig::collation::check_key("fiatAmount").is_ok());
/// ```
pub fn check_key(key: &str) -> Result<(), Error> {
    if cfg!(feature = "unicode") || key.is_ascii() {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::UnsupportedKey))
    }
}

/// [`compare`] for keys already accepted by [`check_key`].
pub(crate) fn compare_checked(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return compare_ascii(a.as_bytes(), b.as_bytes());
    }
    #[cfg(feature = "unicode")]
    {
        compare_full(a, b)
    }
    #[cfg(not(feature = "unicode"))]
    {
        // Unreachable after check_key; order by bytes rather than panic.
        a.cmp(b)
    }
}

/// Sorts items by key, stably, so that tied keys keep their input order.
///
/// All-ASCII keys (nearly every webhook) are ordered by packed primary
/// weights: [`SmallOrder`] on the stack for a usual webhook, and
/// [`sort_ascii`] beyond that. Other keys use the standard library's stable
/// merge sort with `alloc` (n·log n), or without it a binary insertion sort
/// in place: at most n·⌈log2 n⌉ comparisons, but O(n²) moves, which is fine
/// for the few pairs a small device handles. Every key must already have
/// passed [`check_key`].
pub(crate) fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    if let Some(order) = SmallOrder::of(items.len(), |i| key(&items[i]).as_bytes()) {
        return order.apply(items);
    }
    // Checking for ASCII once, instead of in every comparison, keeps the
    // common all-ASCII sort on the table-driven path at no per-comparison cost.
    let foreign = items.iter().filter(|item| !key(item).is_ascii()).count();
    if foreign == 0 {
        #[cfg(feature = "alloc")]
        return sort_ascii(items, key);
        #[cfg(not(feature = "alloc"))]
        return sort_with(items, |a, b| {
            compare_ascii(key(a).as_bytes(), key(b).as_bytes())
        });
    }
    // Where most keys need ICU4X anyway, one sort key per key costs less
    // than a full collation in most of n·log n comparisons (about half as
    // much for 16 non-ASCII keys); a few such keys among ASCII ones are
    // cheaper compared directly, the ASCII pairs taking the fast path.
    #[cfg(feature = "unicode")]
    if 2 * foreign >= items.len() {
        return sort_by_sort_keys(items, key);
    }
    sort_with(items, |a, b| compare_checked(key(a), key(b)));
}

/// Sorts items stably by their ICU4X root sort keys: comparing two sort
/// keys bytewise gives the collator's comparison of the strings.
///
/// Up to 16 items keep their keys in a buffer on the stack, so the
/// no-alloc API ([`crate::sign_pairs`]) stays allocation-free; if the keys
/// do not fit there the items are compared directly instead.
#[cfg(feature = "unicode")]
fn sort_by_sort_keys<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    const ITEMS: usize = 16;
    if items.len() > ITEMS {
        let mut bytes = alloc::vec::Vec::new();
        let mut order: alloc::vec::Vec<(core::ops::Range<usize>, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let start = bytes.len();
                let Ok(()) = ROOT.write_sort_key_to(key(item), &mut bytes);
                (start..bytes.len(), i)
            })
            .collect();
        order.sort_unstable_by(counted(
            |a: &(core::ops::Range<usize>, usize), b: &(_, usize)| {
                bytes[a.0.clone()]
                    .cmp(&bytes[b.0.clone()])
                    .then(a.1.cmp(&b.1))
            },
        ));
        return permute(items, &mut order, |o| &mut o.1);
    }
    let mut bytes = [0u8; 1024];
    let mut ends = [0usize; ITEMS + 1];
    for (i, item) in items.iter().enumerate() {
        let Ok(written) = ROOT.write_sort_key_to(key(item), &mut bytes[ends[i]..]) else {
            return sort_with(items, |a, b| compare_checked(key(a), key(b)));
        };
        ends[i + 1] = ends[i] + written;
    }
    let sort_key = |i: usize| &bytes[ends[i]..ends[i + 1]];
    let mut order = [0usize; ITEMS];
    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    let order = &mut order[..items.len()];
    // Stable insertion: ties keep input order.
    let cmp = counted(|a: &usize, b: &usize| sort_key(*a).cmp(sort_key(*b)));
    for i in 1..order.len() {
        let pos = order[..i].partition_point(|x| cmp(x, &order[i]) != Ordering::Greater);
        order[pos..=i].rotate_right(1);
    }
    permute(items, order, |o| o);
}

/// The stable order of a few all-ASCII keys, found on the stack with no
/// allocation: the usual webhook's whole sort.
///
/// Each key becomes one integer: its first seven primary weights (see
/// [`primary_prefix`]) above its input position. Sorting those integers
/// orders every pair whose prefixes differ, one instruction per comparison
/// and no key in memory touched; the rare runs of equal prefixes, already
/// in input order, are then finished with the full comparison. Keys that
/// repeat exactly share a prefix, so finding them costs nothing when no two
/// prefixes are equal.
pub(crate) struct SmallOrder {
    /// Input positions in sorted order (the first `len`).
    positions: [u8; SmallOrder::MAX],
    len: usize,
    duplicate: Option<usize>,
}

impl SmallOrder {
    /// Most keys ordered this way.
    pub(crate) const MAX: usize = 128;

    /// The order of `n` keys (`key(i)` for each position `i`), or `None` if
    /// there are more than [`SmallOrder::MAX`] or one is not ASCII.
    pub(crate) fn of<'k>(n: usize, key: impl Fn(usize) -> &'k [u8]) -> Option<SmallOrder> {
        // The scratch space is zeroed on every call: size it to the input.
        match n {
            0..=16 => Self::sorted::<16>(n, key),
            17..=Self::MAX => Self::sorted::<{ SmallOrder::MAX }>(n, key),
            _ => None,
        }
    }

    /// [`SmallOrder::of`] with room for `N` keys.
    fn sorted<'k, const N: usize>(n: usize, key: impl Fn(usize) -> &'k [u8]) -> Option<SmallOrder> {
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
        let mut positions = [0u8; Self::MAX];
        for (to, p) in positions.iter_mut().zip(packed.iter()) {
            *to = *p as u8;
        }
        Some(SmallOrder {
            positions,
            len: n,
            duplicate,
        })
    }

    /// Input positions, in sorted order.
    #[cfg(feature = "alloc")]
    pub(crate) fn positions(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        self.positions[..self.len].iter().map(|&p| usize::from(p))
    }

    /// The earliest position whose key repeats an earlier one exactly.
    pub(crate) fn duplicate(&self) -> Option<usize> {
        self.duplicate
    }

    /// Moves `items` (the ones whose keys were ordered) into this order,
    /// following each cycle of the permutation once.
    pub(crate) fn apply<T>(mut self, items: &mut [T]) {
        const DONE: u8 = u8::MAX;
        let order = &mut self.positions[..self.len];
        for start in 0..order.len() {
            let mut at = start;
            while order[at] != DONE {
                let from = usize::from(core::mem::replace(&mut order[at], DONE));
                if from == start {
                    break;
                }
                items.swap(at, from);
                at = from;
            }
        }
    }
}

/// Orders each run of equal prefixes in `packed` (sorted, so in input
/// order) by the full comparison, stably, and returns the earliest position
/// that repeats an earlier key exactly: a binary insertion sort, since runs
/// of keys sharing seven weights are short and rare.
#[cold]
fn finish_equal_prefixes<'k>(packed: &mut [u64], key: impl Fn(usize) -> &'k [u8]) -> Option<usize> {
    let position = |p: &u64| (p & 0xff) as usize;
    let cmp = counted(|a: &u64, b: &u64| compare_ascii(key(position(a)), key(position(b))));
    let mut duplicate: Option<usize> = None;
    let mut start = 0;
    while start < packed.len() {
        let prefix = packed[start] >> 8;
        let len = packed[start..]
            .iter()
            .take_while(|&&p| p >> 8 == prefix)
            .count();
        let run = &mut packed[start..start + len];
        for i in 1..run.len() {
            // Earlier in the run means earlier in the input.
            let later = position(&run[i]);
            if run[..i].iter().any(|p| key(position(p)) == key(later)) {
                duplicate = Some(duplicate.map_or(later, |d| d.min(later)));
            }
            let pos = run[..i].partition_point(|x| cmp(x, &run[i]) != Ordering::Greater);
            run[pos..=i].rotate_right(1);
        }
        start += len;
    }
    duplicate
}

/// Sorts many items with all-ASCII keys, stably.
///
/// Like [`SmallOrder`], each key becomes one integer, its primary prefix
/// above its position, so that an integer sort orders almost every pair;
/// the runs of equal prefixes, in input order, are then finished by a
/// stable sort with the full comparison. Items are moved into place once.
#[cfg(feature = "alloc")]
fn sort_ascii<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    let position = |p: &u128| *p as u64 as usize;
    let mut packed: alloc::vec::Vec<u128> = items
        .iter()
        .enumerate()
        .map(|(i, item)| u128::from(primary_prefix(key(item).as_bytes())) << 64 | i as u128)
        .collect();
    packed.sort_unstable_by(counted(|a: &u128, b: &u128| a.cmp(b)));
    let bytes = |p: &u128| key(&items[position(p)]).as_bytes();
    for run in packed.chunk_by_mut(|a, b| a >> 64 == b >> 64) {
        if run.len() > 1 {
            run.sort_by(counted(|a: &u128, b: &u128| {
                compare_ascii(bytes(a), bytes(b))
            }));
        }
    }
    let mut order: alloc::vec::Vec<usize> = packed.iter().map(position).collect();
    permute(items, &mut order, |o| o);
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
        // The head is checked by [`primary_prefix`]'s letters test only when
        // it passes, so test it here: two overlapping words cover 16 bytes.
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

/// Moves `items[from(order[i])]` to position `i` for every `i`, following
/// each cycle of the permutation once (linear time; visited entries are
/// marked in `order`).
#[cfg(feature = "alloc")]
fn permute<T, S>(items: &mut [T], order: &mut [S], from: impl Fn(&mut S) -> &mut usize) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while *from(&mut order[at]) != DONE {
            let source = core::mem::replace(from(&mut order[at]), DONE);
            if source == start {
                break;
            }
            items.swap(at, source);
            at = source;
        }
    }
}

/// `cmp`, counting its calls under the test-only `__test-count` feature.
fn counted<T>(cmp: impl Fn(&T, &T) -> Ordering) -> impl Fn(&T, &T) -> Ordering {
    move |a, b| {
        #[cfg(feature = "__test-count")]
        count::COMPARISONS.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        cmp(a, b)
    }
}

/// The stable sort behind [`sort_by_key`] for keys that are not all ASCII.
fn sort_with<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let cmp = counted(cmp);
    #[cfg(feature = "alloc")]
    {
        items.sort_by(cmp);
    }
    #[cfg(not(feature = "alloc"))]
    {
        for i in 1..items.len() {
            // First position whose key is greater than items[i]: stable insertion.
            let pos = items[..i].partition_point(|x| cmp(x, &items[i]) != Ordering::Greater);
            items[pos..=i].rotate_right(1);
        }
    }
}

/// Test-only instrumentation (feature `__test-count`): how many key
/// comparisons the sorts made, so a test can prove there is no quadratic step
/// by counting rather than timing. Never enable it in a real build.
#[cfg(feature = "__test-count")]
#[doc(hidden)]
pub mod count {
    use core::sync::atomic::{AtomicUsize, Ordering};

    pub(super) static COMPARISONS: AtomicUsize = AtomicUsize::new(0);

    /// Key comparisons made by every sort since the last call, process-wide.
    pub fn take_comparisons() -> usize {
        COMPARISONS.swap(0, Ordering::Relaxed)
    }
}

/// Sorts keys in place like the reference (`keys.sort((a, b) => a.localeCompare(b))`).
///
/// ```
/// let mut keys = ["b", "_x", "a1", "aB", "a-b", "a_b", "Amount", "address"];
/// hooksig::collation::sort(&mut keys).unwrap();
/// assert_eq!(keys, ["_x", "a_b", "a-b", "a1", "aB", "address", "Amount", "b"]);
/// ```
pub fn sort<K: AsRef<str>>(keys: &mut [K]) -> Result<(), Error> {
    for k in keys.iter() {
        check_key(k.as_ref())?;
    }
    sort_by_key(keys, |k| k.as_ref());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_table_has_the_documented_shape() {
        let ignorable: usize = PRIMARY.iter().filter(|&&w| w == 0).count();
        assert_eq!(ignorable, 9 + 18 + 1);
        assert_eq!(PRIMARY[b'Q' as usize], b'q');
        assert_eq!(PRIMARY[b'7' as usize], b'7');
        assert!(PRIMARY[b'$' as usize] < PRIMARY[b'0' as usize]);
        assert!(PRIMARY[b'9' as usize] < PRIMARY[b'a' as usize]);
        assert_eq!(PRIMARY[b'q' as usize], PRIMARY[b'Q' as usize]);
    }

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

    #[test]
    fn case_is_tertiary() {
        assert_eq!(compare_ascii(b"aB", b"Ab"), Ordering::Less);
        assert_eq!(compare_ascii(b"ab", b"Aa"), Ordering::Greater);
        assert_eq!(compare_ascii(b"a", b"A"), Ordering::Less);
        assert_eq!(compare_ascii(b"A", b"ab"), Ordering::Less);
    }
}
