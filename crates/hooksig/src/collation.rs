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
use core::cmp::Ordering;

mod sort;
#[cfg(feature = "alloc")]
pub(crate) use sort::order;
pub(crate) use sort::{Order, packed};

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
/// The order is found on positions by the [`sort`](self::sort) module and
/// the items moved once. Without `alloc`, more than 128 keys are sorted in
/// place by binary insertion: at most n·⌈log2 n⌉ comparisons but O(n²)
/// moves, which is fine for the few pairs a small device handles. Every key
/// must already have passed [`check_key`].
pub(crate) fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    #[cfg(feature = "alloc")]
    {
        let order = sort::order(items.len(), &|i| key(&items[i]));
        order.apply(items);
    }
    #[cfg(not(feature = "alloc"))]
    {
        if let Some(packed) = sort::packed(items.len(), &|i| key(&items[i]).as_bytes()) {
            return packed.order.apply(items);
        }
        let cmp = counted(|a: &T, b: &T| compare_checked(key(a), key(b)));
        sort::insertion_sort(items, &cmp);
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
    fn case_is_tertiary() {
        assert_eq!(compare_ascii(b"aB", b"Ab"), Ordering::Less);
        assert_eq!(compare_ascii(b"ab", b"Aa"), Ordering::Greater);
        assert_eq!(compare_ascii(b"a", b"A"), Ordering::Less);
        assert_eq!(compare_ascii(b"A", b"ab"), Ordering::Less);
    }
}
