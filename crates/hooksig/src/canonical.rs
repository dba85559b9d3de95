//! The canonical string: filter the pairs, order the keys, join `key=value` with `&`.
//!
//! This is the string the reference hashes before appending the secret:
//! `Object.entries(p).filter(…).sort(localeCompare).map(k=v).join('&')`.
//! It is streamed into a sink (a hasher, a `fmt::Write`), so signing never
//! builds it in memory. Values are not escaped, which makes `&` and `=` inside
//! values ambiguous (see the README's Security section).
//!
//! ```
//! use hooksig::Value;
//! let params = [("b", Value::Str("x")), ("hash", Value::Str("…")), ("a", Value::Null), ("A", Value::Int(0))];
//! assert_eq!(hooksig::canonical(&params)?, "A=0&b=x");
//! # Ok::<(), hooksig::Error>(())
//! ```

use crate::collation::{self, Order};
use crate::error::{Error, ErrorKind};
use crate::value::{DropReason, Value};
use core::fmt;

/// Why the pair `(key, value)` is left out of the canonical string, if it is.
///
/// Only the exact key `hash` is excluded, and only null, `''`, `'null'` and
/// `'undefined'` values.
///
/// ```
/// use hooksig::{canonical::exclusion, DropReason, Value};
/// assert_eq!(exclusion("hash", &Value::Str("x")), Some(DropReason::HashField));
/// assert_eq!(exclusion("Hash", &Value::Str("x")), None);
/// assert_eq!(exclusion("a", &Value::Str("")), Some(DropReason::Empty));
/// assert_eq!(exclusion("a", &Value::Int(0)), None);
/// ```
#[inline]
pub fn exclusion(key: &str, value: &Value<'_>) -> Option<DropReason> {
    if key == "hash" {
        Some(DropReason::HashField)
    } else {
        value.drop_reason()
    }
}

/// Somewhere the canonical bytes can be streamed.
pub(crate) trait Sink {
    fn put(&mut self, piece: &str);
    /// One ASCII byte (`&`, `=`), cheaper than a one-byte [`Sink::put`].
    fn put_byte(&mut self, byte: u8);
}

/// Adapts a `fmt::Write`, remembering the first error.
pub(crate) struct FmtSink<'w, W: fmt::Write> {
    pub(crate) out: &'w mut W,
    pub(crate) result: fmt::Result,
}

impl<W: fmt::Write> Sink for FmtSink<'_, W> {
    fn put(&mut self, piece: &str) {
        if self.result.is_ok() {
            self.result = self.out.write_str(piece);
        }
    }

    fn put_byte(&mut self, byte: u8) {
        if self.result.is_ok() {
            self.result = self.out.write_char(char::from(byte));
        }
    }
}

/// Refuses keys that cannot be signed (empty, unorderable, duplicated) and
/// finds their order on the way.
///
/// Checks run in input order: an empty or unorderable key first, then the
/// earliest exact repeat (the reference's object keys cannot repeat). The
/// usual few ASCII keys show their repeats while being ordered; other key
/// sets are checked by [`find_duplicate`] first. Without `alloc`, more than
/// 128 keys have no order on positions: the caller sorts them in place.
pub(crate) fn check_keys<T>(items: &[T], key: impl Fn(&T) -> &str) -> Result<Option<Order>, Error> {
    for (i, item) in items.iter().enumerate() {
        let k = key(item);
        if k.is_empty() {
            return Err(Error::at(ErrorKind::EmptyKey, i));
        }
        collation::check_key(k).map_err(|e| Error::at(e.kind(), i))?;
    }
    let (order, duplicate) = match collation::packed(items.len(), &|i| key(&items[i]).as_bytes()) {
        Some(packed) => (Some(packed.order), packed.duplicate),
        None => {
            let duplicate = find_duplicate(items, &key);
            #[cfg(feature = "alloc")]
            let order = duplicate
                .is_none()
                .then(|| collation::order(items.len(), &|i| key(&items[i])));
            #[cfg(not(feature = "alloc"))]
            let order = None;
            (order, duplicate)
        }
    };
    match duplicate {
        Some(i) => Err(Error::at(ErrorKind::DuplicateKey, i)),
        None => Ok(order),
    }
}

/// The index of the earliest key that repeats an earlier one, if any.
///
/// With `alloc`, large inputs are sorted by bytes (n·log n); small ones, and
/// everything on the no-alloc path, are compared pairwise, length and first
/// byte first so that distinct keys rarely reach a full comparison.
pub(crate) fn find_duplicate<T>(items: &[T], key: impl Fn(&T) -> &str) -> Option<usize> {
    #[cfg(feature = "alloc")]
    if items.len() > 16 {
        // Each key's first 8 bytes as an integer decide most comparisons
        // without touching the rest of the key.
        let head = |k: &str| {
            let mut b = [0u8; 8];
            let n = k.len().min(8);
            b[..n].copy_from_slice(&k.as_bytes()[..n]);
            u64::from_be_bytes(b)
        };
        let mut sorted: alloc::vec::Vec<(u64, &str, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (head(key(item)), key(item), i))
            .collect();
        sorted.sort_unstable();
        return sorted
            .windows(2)
            .filter(|w| w[0].1 == w[1].1)
            .map(|w| w[1].2)
            .min();
    }
    let same = |a: &str, b: &str| {
        a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
    };
    (1..items.len()).find(|&i| {
        let k = key(&items[i]);
        items[..i].iter().any(|earlier| same(key(earlier), k))
    })
}

/// Anything the core can read as one `(key, value)` pair.
pub(crate) trait Pair {
    fn pair(&self) -> (&str, Value<'_>);
}

impl Pair for (&str, Value<'_>) {
    fn pair(&self) -> (&str, Value<'_>) {
        (self.0, self.1)
    }
}

#[cfg(feature = "alloc")]
impl Pair for (alloc::borrow::Cow<'_, str>, alloc::borrow::Cow<'_, str>) {
    fn pair(&self) -> (&str, Value<'_>) {
        (&self.0, Value::Str(&self.1))
    }
}

/// Reads items as pairs, for [`emit`].
pub(crate) fn pairs<P: Pair>(items: &[P]) -> impl Iterator<Item = (&str, Value<'_>)> + Clone {
    items.iter().map(Pair::pair)
}

/// A key as [`emit`] reads and writes it.
pub(crate) trait Key {
    /// The key's text.
    fn text(&self) -> &str;

    /// Writes the key with its separators: `&key=`, or `key=` for the first pair.
    #[inline]
    fn put_joined(&self, first: bool, sink: &mut impl Sink) {
        if !first {
            sink.put_byte(b'&');
        }
        sink.put(self.text());
        sink.put_byte(b'=');
    }
}

impl Key for &str {
    #[inline]
    fn text(&self) -> &str {
        self
    }
}

/// Streams the canonical string of pairs already sorted by key.
#[inline]
pub(crate) fn emit<'a, K: Key>(sorted: impl Iterator<Item = (K, Value<'a>)>, sink: &mut impl Sink) {
    let mut first = true;
    for (key, value) in sorted {
        if exclusion(key.text(), &value).is_some() {
            continue;
        }
        key.put_joined(first, sink);
        first = false;
        value.with_text(|text| sink.put(text));
    }
}

/// Checks and sorts items in place (stable), ready for [`emit`].
pub(crate) fn prepare<T>(items: &mut [T], key: impl Fn(&T) -> &str) -> Result<(), Error> {
    match check_keys(items, &key)? {
        Some(order) => order.apply(items),
        None => collation::sort_by_key(items, key),
    }
    Ok(())
}

/// Writes the canonical string of `pairs` to `out`, sorting `pairs` in place.
///
/// Needs no allocation. Tied keys keep their order in `pairs`.
///
/// ```
/// use hooksig::Value;
/// let mut pairs = [("b", Value::Str("2")), ("hash", Value::Str("x")), ("a", Value::Int(1))];
/// let mut out = String::new();
/// hooksig::canonical::write_canonical(&mut pairs, &mut out).unwrap();
/// assert_eq!(out, "a=1&b=2");
/// ```
pub fn write_canonical(
    pairs: &mut [(&str, Value<'_>)],
    out: &mut impl fmt::Write,
) -> Result<(), Error> {
    prepare(pairs, |p| p.0)?;
    let mut sink = FmtSink {
        out,
        result: Ok(()),
    };
    emit(self::pairs(pairs), &mut sink);
    sink.result.map_err(|_| Error::new(ErrorKind::Internal))
}

/// Borrowed view of one typed value, so callers can pass `&str`, `String`,
/// numbers, booleans, `Option`s or [`Value`]s.
///
/// ```
/// use hooksig::{AsValue, Value};
/// assert_eq!(3u8.as_value(), Value::UInt(3));
/// assert_eq!(None::<&str>.as_value(), Value::Null);
/// ```
pub trait AsValue {
    /// This value as a [`Value`].
    ///
    /// ```
    /// use hooksig::{AsValue, Value};
    /// assert_eq!(Some(1.5).as_value(), Value::Float(1.5));
    /// assert_eq!(String::from("x").as_value(), Value::Str("x"));
    /// ```
    fn as_value(&self) -> Value<'_>;
}

impl AsValue for Value<'_> {
    fn as_value(&self) -> Value<'_> {
        *self
    }
}
impl AsValue for str {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}
#[cfg(feature = "alloc")]
impl AsValue for alloc::string::String {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}
#[cfg(feature = "alloc")]
impl AsValue for alloc::borrow::Cow<'_, str> {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}
impl<T: AsValue + ?Sized> AsValue for &T {
    fn as_value(&self) -> Value<'_> {
        (**self).as_value()
    }
}
impl<T: AsValue> AsValue for Option<T> {
    fn as_value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, AsValue::as_value)
    }
}
macro_rules! as_value_copy {
    ($($t:ty),*) => {$(
        impl AsValue for $t {
            fn as_value(&self) -> Value<'_> {
                Value::from(*self)
            }
        }
    )*};
}
as_value_copy!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, bool);

/// Borrows typed params as the pairs the core works on.
#[cfg(feature = "alloc")]
pub(crate) fn collect<K: AsRef<str>, V: AsValue>(
    params: &[(K, V)],
) -> alloc::vec::Vec<(&str, Value<'_>)> {
    params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_value()))
        .collect()
}

/// The canonical string the reference would hash (before the secret).
///
/// Pairs keep their order where keys tie. Fails on an empty, duplicate or
/// (without `unicode`) non-ASCII key.
///
/// ```
/// use hooksig::Value;
/// let params = [("event", Value::Str("DEPOSIT")), ("Amount", Value::Float(1e21)),
///               ("amount", Value::Bool(true)), ("memo", Value::Null)];
/// assert_eq!(hooksig::canonical(&params).unwrap(), "amount=true&Amount=1e+21&event=DEPOSIT");
/// ```
#[cfg(feature = "alloc")]
pub fn canonical<K: AsRef<str>, V: AsValue>(
    params: &[(K, V)],
) -> Result<alloc::string::String, Error> {
    let mut pairs = collect(params);
    let mut out = alloc::string::String::new();
    write_canonical(&mut pairs, &mut out)?;
    Ok(out)
}
