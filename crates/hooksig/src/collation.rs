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

use crate::error::{Error, ErrorKind};
use core::cmp::Ordering;

/// Primary weight of each ASCII byte in ICU root order; 0 means ignorable.
///
/// Read off `localeCompare` in Node (ICU 78): controls 00–08, 0E–1F and 7F are
/// ignorable; then `\t \n \v \f \r`, space, `_ - , ; : ! ? . ' " ( ) [ ] { } @ * / \ & # % `` ` `` ^ + < = > | ~ $`,
/// digits, and letters with `a`/`A` sharing a weight.
const PRIMARY: [u8; 128] = primary_table();

const ORDER: &[u8] = b"\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789";

const fn primary_table() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < ORDER.len() {
        t[ORDER[i] as usize] = (i + 1) as u8;
        i += 1;
    }
    let mut c = 0;
    while c < 26 {
        let w = (ORDER.len() + 1 + c) as u8;
        t[(b'a' + c as u8) as usize] = w;
        t[(b'A' + c as u8) as usize] = w;
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
/// All-ASCII keys (nearly every webhook) go through [`sort_ascii`]. Other
/// keys use the standard library's stable merge sort with `alloc` (n·log n),
/// or without it a binary insertion sort in place: at most n·⌈log2 n⌉
/// comparisons, but O(n²) moves, which is fine for the few pairs a small
/// device handles. Every key must already have passed [`check_key`].
pub(crate) fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    // Checking for ASCII once, instead of in every comparison, keeps the
    // common all-ASCII sort on the table-driven path at no per-comparison cost.
    if items.iter().all(|item| key(item).is_ascii()) {
        // A handful of keys (the usual webhook) cost less to compare directly
        // than to prepare prefixes for.
        #[cfg(feature = "alloc")]
        if items.len() > 16 {
            return sort_ascii(items, key);
        }
        sort_with(items, |a, b| {
            compare_ascii(key(a).as_bytes(), key(b).as_bytes())
        });
    } else {
        sort_with(items, |a, b| compare_checked(key(a), key(b)));
    }
}

/// Sorts many items with all-ASCII keys, stably.
///
/// Each key's first eight primary weights are packed into one integer, so a
/// single integer comparison orders almost every pair; only equal prefixes
/// fall back to [`compare_ascii`], and then input position breaks ties, which
/// makes the order stable and lets an in-place unstable sort (no scratch
/// memory) produce it. Items are then moved into place in one pass.
#[cfg(feature = "alloc")]
fn sort_ascii<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    let mut order: alloc::vec::Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (primary_prefix(key(item).as_bytes()), i))
        .collect();
    {
        let bytes = |i: usize| key(&items[i]).as_bytes();
        order.sort_unstable_by(counted(|a: &(u64, usize), b: &(u64, usize)| {
            a.0.cmp(&b.0)
                .then_with(|| compare_ascii(bytes(a.1), bytes(b.1)))
                .then(a.1.cmp(&b.1))
        }));
    }
    permute(items, &mut order);
}

/// The first eight primary weights of an ASCII key (ignorables skipped),
/// big-endian and zero-padded: when two keys' prefixes differ, comparing them
/// as integers orders the keys, because weights are never zero and a shorter
/// weight sequence sorts first.
#[cfg(feature = "alloc")]
fn primary_prefix(key: &[u8]) -> u64 {
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

/// Moves `items[order[i].1]` to position `i` for every `i`, following each
/// cycle of the permutation once (linear time; visited entries are marked).
#[cfg(feature = "alloc")]
fn permute<T>(items: &mut [T], order: &mut [(u64, usize)]) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at].1 != DONE {
            let from = order[at].1;
            order[at].1 = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
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
        assert!(PRIMARY[b'$' as usize] < PRIMARY[b'0' as usize]);
        assert!(PRIMARY[b'9' as usize] < PRIMARY[b'a' as usize]);
        assert_eq!(PRIMARY[b'q' as usize], PRIMARY[b'Q' as usize]);
    }

    #[test]
    fn case_is_tertiary() {
        assert_eq!(compare_ascii(b"aB", b"Ab"), Ordering::Less);
        assert_eq!(compare_ascii(b"ab", b"Aa"), Ordering::Greater);
        assert_eq!(compare_ascii(b"a", b"A"), Ordering::Less);
        assert_eq!(compare_ascii(b"A", b"ab"), Ordering::Less);
    }
}
