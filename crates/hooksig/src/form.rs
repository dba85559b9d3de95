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

use crate::canonical::{self, AsValue};
use crate::collation;
use crate::error::{Error, ErrorKind};
use crate::signature::{self, Signature};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// Decoded `(key, value)` fields, borrowed from the body where no decoding was needed.
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

/// Percent-decodes one key or value; `None` on a bad escape or non-UTF-8 bytes.
fn decode(raw: &[u8]) -> Option<Cow<'_, str>> {
    if !raw.iter().any(|&b| b == b'%' || b == b'+') {
        return core::str::from_utf8(raw).ok().map(Cow::Borrowed);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw.get(i + 1..i + 3)?;
                let hi = (hex[0] as char).to_digit(16)?;
                let lo = (hex[1] as char).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
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
    let body = body.strip_prefix(BOM).unwrap_or(body);
    let segments = body.iter().filter(|&&b| b == b'&').count() + 1;
    if segments > options.max_params {
        return Err(Error::new(ErrorKind::TooManyParams));
    }
    let mut fields: Fields<'a> = Vec::with_capacity(segments);
    let mut fault = None;
    for (i, segment) in body.split(|&b| b == b'&').enumerate() {
        if segment.is_empty() {
            continue;
        }
        let (k, v) = match segment.iter().position(|&b| b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (segment, &segment[segment.len()..]),
        };
        let (Some(key), Some(value)) = (decode(k), decode(v)) else {
            fault = Some(Error::at(ErrorKind::InvalidEncoding, i));
            break;
        };
        if key.is_empty() {
            fault = Some(Error::at(ErrorKind::EmptyKey, i));
            break;
        }
        fields.push((key, value));
    }
    // A duplicate among the pairs before the first fault comes first.
    if let Some(dup) = canonical::find_duplicate(fields.iter().map(|f| &*f.0)) {
        let segment = body
            .split(|&b| b == b'&')
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .nth(dup)
            .map_or(dup, |(i, _)| i);
        return Err(Error::at(ErrorKind::DuplicateKey, segment));
    }
    match fault {
        Some(err) => Err(err),
        None => Ok(fields),
    }
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
/// let body = "event=DEPOSIT&amount=10&hash=8c4a72d7a4a1dc92a4bbc3bd7bb29a20";
/// let _ = hooksig::verify_form(body, "s"); // Ok(fields) or Err(kind)
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
    let mut fields = parse_form_with(body, options)?;
    let received = received_hash(&fields)?;
    signed_fields(&mut fields);
    let secret_index = signature::match_secrets(&fields, &received, secrets)?;
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
