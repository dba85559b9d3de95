//! Raw `application/x-www-form-urlencoded` bodies: strict decoding for
//! receivers, and `URLSearchParams`-style encoding for senders.
//!
//! The reference receiver (`qs`) guesses on ambiguous bodies: it joins
//! duplicates, nests `a[b]`, drops empty and `__proto__` keys and keeps bad
//! escapes as text. hooksig reads keys literally and refuses what is ambiguous,
//! following the "Parsing rules" of the conformance vectors:
//!
//! 1. one raw leading UTF-8 BOM is stripped;
//! 2. the `&`-separated segments are counted first, empty ones included;
//! 3. empty segments are skipped; a segment splits at its first `=`;
//! 4. `+` is a space, `%XX` a byte, and the bytes must be strict UTF-8;
//! 5. pairs are checked left to right, the first fault deciding:
//!    `invalid-encoding`, then `empty-key`, then `duplicate-key`;
//! 6. then the signature: `missing-hash`, `malformed-hash`, `mismatch`;
//! 7. only the signed fields are returned.
//!
//! ```
//! let body = hooksig::encode_form(&[("event", "DEPOSIT"), ("note", "a&b c")], "s")?;
//! assert!(body.starts_with("event=DEPOSIT&note=a%26b+c&hash="));
//! let fields = hooksig::verify_form(body.as_bytes(), "s")?;
//! assert_eq!(fields[1], ("note".into(), "a&b c".into()));
//! # Ok::<(), hooksig::Error>(())
//! ```

use crate::canonical::{self, AsValue};
use crate::collation;
use crate::error::{Error, ErrorKind};
use crate::signature::{self, Signature};
use crate::swar;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

/// Decoded `(key, value)` fields, borrowed from the body where no decoding was needed.
///
/// ```
/// use std::borrow::Cow;
/// let fields: hooksig::Fields = hooksig::parse_form(b"a=1&b=x+y")?;
/// assert!(matches!(fields[0].1, Cow::Borrowed("1")));
/// assert!(matches!(fields[1].1, Cow::Owned(_)));
/// # Ok::<(), hooksig::Error>(())
/// ```
pub type Fields<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// Limits for parsing a body.
///
/// ```
/// let opts = hooksig::FormOptions::new().max_params(5000);
/// assert_eq!(opts.limit(), 5000);
/// assert_eq!(hooksig::FormOptions::default().limit(), 1000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormOptions {
    max_params: usize,
}

impl FormOptions {
    /// The reference receiver's limit: 1000 parameters (`hash` and empty segments included).
    ///
    /// ```
    /// let body = "a=1&".repeat(1000); // 1001 segments, the last one empty
    /// let err = hooksig::parse_form(body.as_bytes()).unwrap_err();
    /// assert_eq!(err.kind().name(), "too-many-params");
    /// assert_eq!(hooksig::FormOptions::DEFAULT_MAX_PARAMS, 1000);
    /// ```
    pub const DEFAULT_MAX_PARAMS: usize = 1000;

    /// The default options.
    ///
    /// ```
    /// assert_eq!(hooksig::FormOptions::new(), hooksig::FormOptions::default());
    /// ```
    pub const fn new() -> FormOptions {
        FormOptions {
            max_params: Self::DEFAULT_MAX_PARAMS,
        }
    }

    /// Sets the most `&`-separated segments a body may have.
    ///
    /// ```
    /// let opts = hooksig::FormOptions::new().max_params(2);
    /// let err = hooksig::parse_form_with(b"a=1&b=2&c=3", &opts).unwrap_err();
    /// assert_eq!(err.kind().name(), "too-many-params");
    /// ```
    pub const fn max_params(self, max_params: usize) -> FormOptions {
        FormOptions { max_params }
    }

    /// The parameter limit in force.
    ///
    /// ```
    /// assert_eq!(hooksig::FormOptions::new().max_params(7).limit(), 7);
    /// ```
    pub const fn limit(&self) -> usize {
        self.max_params
    }
}

impl Default for FormOptions {
    fn default() -> Self {
        FormOptions::new()
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One non-empty `&`-separated segment of a body: its index among all
/// segments (empty ones included), the byte ranges of its key and value
/// (split at the first `=`), and whether each holds a `+` or `%` to decode.
struct Segment {
    index: usize,
    key: Range<usize>,
    value: Range<usize>,
    escaped: (bool, bool),
}

/// Calls `each` with every non-empty segment of `body`, in order, until it
/// returns `false`.
///
/// The scan visits only the bytes that matter, found eight at a time by
/// [`stops`]: the `&` that ends a segment, its first `=`, and `+` or `%`,
/// which mark the key or value for decoding (unescaped keys and values are
/// then borrowed without another scan). Nearly every byte of a body is none
/// of these and costs a fraction of an instruction.
fn for_each_segment(body: &[u8], mut each: impl FnMut(Segment) -> bool) {
    let (mut index, mut start, mut eq, mut escaped) = (0, 0, None, (false, false));
    let mut end = |index: usize, start: usize, eq: Option<usize>, escaped, i: usize| {
        if i == start {
            return true;
        }
        let (key, value) = match eq {
            Some(eq) => (start..eq, eq + 1..i),
            None => (start..i, i..i),
        };
        each(Segment {
            index,
            key,
            value,
            escaped,
        })
    };
    let mut at = 0;
    while let Some((base, mut found)) = next_stops(body, at) {
        while found != 0 {
            let i = base + (found.trailing_zeros() / 8) as usize;
            found &= found - 1;
            match body.get(i) {
                Some(b'&') => {
                    if !end(index, start, eq, escaped, i) {
                        return;
                    }
                    (index, start, eq, escaped) = (index + 1, i + 1, None, (false, false));
                }
                Some(b'=') if eq.is_none() => eq = Some(i),
                Some(b'=') => {}
                _ if eq.is_none() => escaped.0 = true,
                _ => escaped.1 = true,
            }
        }
        at = base + 8;
    }
    end(index, start, eq, escaped, body.len());
}

/// The next eight-byte word at or after `from` (a multiple of eight) that
/// holds a stop, as its offset and [`stops`] mask; the last word is
/// zero-padded, and a zero byte is never a stop. The loop over words
/// without a stop, nearly all of a long value, is as tight as it gets.
#[inline(always)]
fn next_stops(body: &[u8], from: usize) -> Option<(usize, u64)> {
    let rest = body.get(from..)?;
    let mut words = rest.chunks_exact(8);
    for (i, word) in (&mut words).enumerate() {
        let found = stops(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if found != 0 {
            return Some((from + 8 * i, found));
        }
    }
    let tail = words.remainder();
    let mut last = [0u8; 8];
    last[..tail.len()].copy_from_slice(tail);
    let found = stops(u64::from_le_bytes(last));
    (found != 0).then_some((body.len() - tail.len(), found))
}

/// The top bit of each byte of `x` that is `&`, `=`, `%` or `+`.
fn stops(x: u64) -> u64 {
    swar::equal_to_any(x, [b'&', b'=', b'%', b'+'])
}

/// How many `&` bytes `body` holds. Counting in `u8` lanes, 255 bytes at a
/// time, lets the compiler use wide vector compares.
fn count_ampersands(body: &[u8]) -> usize {
    body.chunks(255)
        .map(|chunk| {
            let n = chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'&'));
            usize::from(n)
        })
        .sum()
}

/// Decodes one key or value of a body that is UTF-8 text: borrowed unless
/// escaped. `None` on a bad escape or when the decoded bytes are not UTF-8.
fn decode_text(text: &str, escaped: bool) -> Option<Cow<'_, str>> {
    if escaped {
        unescape(text.as_bytes()).map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(text))
    }
}

/// [`decode_text`] for raw bytes that may not be UTF-8: escapes may still
/// complete them into UTF-8 (`\xC3%A9` is `é`), so only the result is checked.
fn decode_bytes(raw: &[u8], escaped: bool) -> Option<Cow<'_, str>> {
    if escaped {
        unescape(raw).map(Cow::Owned)
    } else {
        core::str::from_utf8(raw).ok().map(Cow::Borrowed)
    }
}

/// Turns `+` into a space and `%XX` into a byte, then requires strict UTF-8.
fn unescape(raw: &[u8]) -> Option<String> {
    let mut out = alloc::vec![0u8; raw.len()];
    let (mut read, mut written) = (0, 0);
    while let Some(&b) = raw.get(read) {
        let byte = match b {
            b'+' => b' ',
            b'%' => {
                let digit = |at: usize| raw.get(at).and_then(|&c| char::from(c).to_digit(16));
                let byte = digit(read + 1)? << 4 | digit(read + 2)?;
                read += 2;
                byte as u8
            }
            b => b,
        };
        // `written` never passes `read`, which is in bounds.
        if let Some(slot) = out.get_mut(written) {
            *slot = byte;
        }
        written += 1;
        read += 1;
    }
    out.truncate(written);
    String::from_utf8(out).ok()
}

/// Parses a body into its fields, in body order, refusing ambiguous bodies.
/// The `hash` field and unsigned fields are included; nothing is verified.
///
/// ```
/// let fields = hooksig::parse_form(b"a=1+2%2B3&a%5Bb%5D=&&c").unwrap();
/// assert_eq!(fields, [("a".into(), "1 2+3".into()), ("a[b]".into(), "".into()), ("c".into(), "".into())]);
/// assert_eq!(hooksig::parse_form(b"a=1&a=2").unwrap_err().kind().name(), "duplicate-key");
/// ```
pub fn parse_form(body: &[u8]) -> Result<Fields<'_>, Error> {
    parse_form_with(body, &FormOptions::new())
}

/// [`parse_form`] with explicit limits.
///
/// ```
/// let opts = hooksig::FormOptions::new().max_params(3);
/// assert!(hooksig::parse_form_with(b"a=1&&", &opts).is_ok());
/// assert!(hooksig::parse_form_with(b"a=1&&&", &opts).is_err());
/// ```
pub fn parse_form_with<'a>(body: &'a [u8], options: &FormOptions) -> Result<Fields<'a>, Error> {
    let decoded = decode_fields(body, options)?;
    let duplicate = canonical::find_duplicate(&decoded.fields, |f| &f.0);
    decoded.result(duplicate)
}

/// A body's fields up to its first fault, and that fault; duplicates are
/// not looked for yet.
struct Decoded<'a> {
    body: &'a [u8],
    fields: Fields<'a>,
    fault: Option<Error>,
}

impl<'a> Decoded<'a> {
    /// The fields, or the first fault: a duplicate among the fields before
    /// a decoding fault comes first. `duplicate` is the index of the
    /// earliest field that repeats an earlier one.
    fn result(self, duplicate: Option<usize>) -> Result<Fields<'a>, Error> {
        if let Some(dup) = duplicate {
            // Errors name segments, counting empty ones.
            let segment = self
                .body
                .strip_prefix(BOM)
                .unwrap_or(self.body)
                .split(|&b| b == b'&')
                .enumerate()
                .filter(|(_, s)| !s.is_empty())
                .nth(dup)
                .map_or(dup, |(i, _)| i);
            return Err(Error::at(ErrorKind::DuplicateKey, segment));
        }
        match self.fault {
            Some(err) => Err(err),
            None => Ok(self.fields),
        }
    }
}

/// Rules 1 to 4 and the first faults of rule 5: the BOM, the limit,
/// segments, decoding, and empty keys.
fn decode_fields<'a>(body: &'a [u8], options: &FormOptions) -> Result<Decoded<'a>, Error> {
    let raw = body;
    let body = body.strip_prefix(BOM).unwrap_or(body);
    // The limit comes before any decoding.
    let count = count_ampersands(body) + 1;
    if count > options.max_params {
        return Err(Error::new(ErrorKind::TooManyParams));
    }
    let mut fields: Fields<'a> = Vec::with_capacity(count);
    let mut fault = None;
    // Nearly every body is UTF-8 text: validating it once lets keys and
    // values be borrowed as they are.
    let text = core::str::from_utf8(body).ok();
    for_each_segment(body, |seg| {
        let decoded = match text {
            Some(text) => decode_text(&text[seg.key], seg.escaped.0)
                .zip(decode_text(&text[seg.value], seg.escaped.1)),
            None => decode_bytes(&body[seg.key], seg.escaped.0)
                .zip(decode_bytes(&body[seg.value], seg.escaped.1)),
        };
        let Some((key, value)) = decoded else {
            fault = Some(Error::at(ErrorKind::InvalidEncoding, seg.index));
            return false;
        };
        if key.is_empty() {
            fault = Some(Error::at(ErrorKind::EmptyKey, seg.index));
            return false;
        }
        fields.push((key, value));
        true
    });
    Ok(Decoded {
        body: raw,
        fields,
        fault,
    })
}

/// The outcome of a successful verification.
///
/// ```
/// let body = hooksig::encode_form(&[("a", "1")], "new").unwrap();
/// let v = hooksig::verify_form_with(body.as_bytes(), &["old", "new"], &Default::default()).unwrap();
/// assert_eq!(v.secret_index, 1);
/// assert_eq!(v.fields, [("a".into(), "1".into())]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified<'a> {
    /// The signed fields only, in canonical (signing) order. Empty, `null` and
    /// `undefined` values and `hash` are left out: nothing vouches for them.
    pub fields: Fields<'a>,
    /// Index of the secret that matched.
    pub secret_index: usize,
}

/// The received `hash` of parsed fields, checked for shape
/// (`missing-hash`, `malformed-hash`), after refusing keys this build cannot order.
pub(crate) fn received_hash(fields: &Fields<'_>) -> Result<Signature, Error> {
    for (i, (k, _)) in fields.iter().enumerate() {
        collation::check_key(k).map_err(|e| Error::at(e.kind(), i))?;
    }
    let hash = fields.iter().find(|f| f.0 == "hash").map_or("", |f| &*f.1);
    Signature::parse(hash)
}

/// Keeps only the signed fields, in canonical order (stable for ties).
pub(crate) fn signed_fields(fields: &mut Fields<'_>) {
    fields.retain(|(k, v)| canonical::exclusion(k, &v.as_value()).is_none());
    collation::sort_by_key(fields, |f| &f.0);
}

/// Verifies a raw body with one secret and returns the signed fields.
///
/// ```
/// // The hash is md5("amount=10&event=DEPOSIT" + "s"), as the reference computes it.
/// let body = "amount=10&event=DEPOSIT&hash=310b38b1dbd3f70407fd2d7c345ed1c2";
/// let fields = hooksig::verify_form(body, "s").unwrap();
/// assert_eq!(fields, [("amount".into(), "10".into()), ("event".into(), "DEPOSIT".into())]);
/// let err = hooksig::verify_form("event=DEPOSIT", "s").unwrap_err();
/// assert_eq!(err.kind().name(), "missing-hash");
/// ```
pub fn verify_form<'a, B: AsRef<[u8]> + ?Sized>(
    body: &'a B,
    secret: &str,
) -> Result<Fields<'a>, Error> {
    verify_form_with(body.as_ref(), &[secret], &FormOptions::new()).map(|v| v.fields)
}

/// Verifies a raw body against several secrets, with explicit limits.
///
/// ```
/// let body = hooksig::encode_form(&[("a", "x y")], "k2").unwrap();
/// assert_eq!(body, "a=x+y&hash=".to_string() + hooksig::sign(&[("a", "x y")], "k2").unwrap().as_str());
/// let v = hooksig::verify_form_with(body.as_bytes(), &["k1", "k2"], &hooksig::FormOptions::new()).unwrap();
/// assert_eq!(v.secret_index, 1);
/// ```
pub fn verify_form_with<'a, S: AsRef<str>>(
    body: &'a [u8],
    secrets: &[S],
    options: &FormOptions,
) -> Result<Verified<'a>, Error> {
    signature::check_secrets(secrets)?;
    let decoded = decode_fields(body, options)?;
    // The usual few ASCII keys are ordered on the way, and the order shows
    // duplicates, so the duplicate check and the sort are one step.
    let packed = match decoded.fault {
        None => collation::packed(decoded.fields.len(), &|i| decoded.fields[i].0.as_bytes()),
        Some(_) => None,
    };
    let (order, duplicate) = match packed {
        Some(packed) => (Some(packed.order), packed.duplicate),
        None => (None, canonical::find_duplicate(&decoded.fields, |f| &f.0)),
    };
    let mut fields = decoded.result(duplicate)?;
    let received = received_hash(&fields)?;
    match order {
        Some(order) => order.apply(&mut fields),
        None => collation::sort_by_key(&mut fields, |f| &f.0),
    }
    // Stable: the signed fields keep their canonical order.
    fields.retain(|(k, v)| canonical::exclusion(k, &v.as_value()).is_none());
    let secret_index = signature::match_secrets(canonical::pairs(&fields), &received, secrets)?;
    Ok(Verified {
        fields,
        secret_index,
    })
}

/// Appends `s` encoded like `URLSearchParams.toString()`: space → `+`, and only
/// ASCII letters, digits and `*-._` left as they are.
///
/// ```
/// let mut out = String::new();
/// hooksig::form::encode_component("a b&c=é*", &mut out);
/// assert_eq!(out, "a+b%26c%3D%C3%A9*");
/// ```
pub fn encode_component(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// Builds the complete signed body a sender POSTs: the signed fields in
/// canonical order, then `hash`, encoded like `URLSearchParams`.
///
/// ```
/// use hooksig::Value;
/// let body = hooksig::encode_form(&[("b", Value::Str("x&y")), ("a", Value::Null)], "s").unwrap();
/// assert!(body.starts_with("b=x%26y&hash="));
/// ```
pub fn encode_form<K: AsRef<str>, V: AsValue>(
    params: &[(K, V)],
    secret: &str,
) -> Result<String, Error> {
    let mut pairs = canonical::collect(params);
    let sig: Signature = signature::sign_pairs(&mut pairs, secret)?;
    let mut out = String::new();
    for (key, value) in &pairs {
        if canonical::exclusion(key, value).is_some() {
            continue;
        }
        encode_component(key, &mut out);
        out.push('=');
        value.with_text(|text| encode_component(text, &mut out));
        out.push('&');
    }
    out.push_str("hash=");
    out.push_str(sig.as_str());
    Ok(out)
}
