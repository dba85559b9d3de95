//! Signing and verifying: lowercase hex MD5 of `canonical + secret`, compared in
//! constant time.
//!
//! MD5 over `message + secret` is what the existing protocol uses; hooksig keeps
//! it for interoperability, not for its strength (see the README's Security
//! section). Secrets are never stored, printed or put in an error.

use crate::canonical::{self, Sink};
use crate::error::{Error, ErrorKind};
use crate::swar;
use crate::value::Value;
use core::fmt;
use md5::{Digest, Md5};
use subtle::{ConditionallySelectable, ConstantTimeEq};

/// A signature: 32 lowercase hex digits.
///
/// Equality is constant-time, so comparing a computed signature with a
/// received one leaks nothing through timing.
///
/// ```
/// let sig = hooksig::sign(&[("a", "1")], "s").unwrap();
/// assert_eq!(sig.as_str().len(), 32);
/// assert_eq!(sig, hooksig::Signature::parse(sig.as_str()).unwrap());
/// ```
#[derive(Clone, Copy, Eq)]
pub struct Signature([u8; 32]);

impl Signature {
    /// The 32 lowercase hex digits.
    ///
    /// ```
    /// let sig = hooksig::sign(&[("a", "1")], "s").unwrap();
    /// assert!(sig.as_str().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    /// ```
    pub fn as_str(&self) -> &str {
        // Always ASCII hex by construction.
        core::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Parses a received `hash`: `missing-hash` when empty, `malformed-hash`
    /// unless it is exactly 32 lowercase hex digits.
    ///
    /// ```
    /// use hooksig::{ErrorKind, Signature};
    /// assert_eq!(Signature::parse("").unwrap_err().kind(), ErrorKind::MissingHash);
    /// assert_eq!(Signature::parse(&"A".repeat(32)).unwrap_err().kind(), ErrorKind::MalformedHash);
    /// assert!(Signature::parse(&"a".repeat(32)).is_ok());
    /// ```
    pub fn parse(hash: &str) -> Result<Signature, Error> {
        if hash.is_empty() {
            return Err(Error::new(ErrorKind::MissingHash));
        }
        let bytes: [u8; 32] = hash
            .as_bytes()
            .try_into()
            .map_err(|_| Error::new(ErrorKind::MalformedHash))?;
        // Eight digits at a time.
        let hex = |w: &[u8]| {
            let x = u64::from_le_bytes(w.try_into().unwrap_or_default());
            x & swar::TOP == 0
                && swar::in_range(x, b'0', b'9') | swar::in_range(x, b'a', b'f') == swar::TOP
        };
        if bytes.chunks_exact(8).all(hex) {
            Ok(Signature(bytes))
        } else {
            Err(Error::new(ErrorKind::MalformedHash))
        }
    }
}

impl Signature {
    /// Constant-time equality: compares 8-byte words without branching on
    /// their contents (4 word comparisons instead of 32 byte comparisons).
    fn ct_eq(&self, other: &Signature) -> subtle::Choice {
        let word = |s: &[u8]| u64::from_le_bytes(s.try_into().unwrap_or_default());
        self.0
            .chunks_exact(8)
            .zip(other.0.chunks_exact(8))
            .fold(subtle::Choice::from(1), |eq, (a, b)| {
                eq & word(a).ct_eq(&word(b))
            })
    }
}

impl PartialEq for Signature {
    /// Constant-time comparison.
    fn eq(&self, other: &Signature) -> bool {
        self.ct_eq(other).into()
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}

/// Streams pieces into MD5 through a one-block buffer, so the many short
/// `key`, `=`, `value`, `&` pieces cost a copy each and MD5 sees whole blocks
/// (which it compresses in place, without copying them again).
struct Hasher {
    md5: Md5,
    /// One block, and room for a short piece to overflow it.
    buf: [u8; BLOCK + SHORT],
    /// Bytes buffered; always less than [`BLOCK`] between calls.
    len: usize,
}

/// MD5's block size.
const BLOCK: usize = 64;

/// Pieces up to this long (most keys and values, UUIDs and timestamps
/// included) are copied inline.
const SHORT: usize = 64;

// An overflow is moved back to the block's start with the same short copy.
const _: () = assert!(SHORT <= BLOCK);

impl Hasher {
    fn new() -> Hasher {
        Hasher {
            md5: Md5::new(),
            buf: [0; BLOCK + SHORT],
            len: 0,
        }
    }

    fn finish(mut self) -> Signature {
        self.md5.update(&self.buf[..self.len]);
        let digest = self.md5.finalize();
        let mut hex = [0u8; 32];
        // 16 bytes always fit 32 hex digits.
        let _ = hex::encode_to_slice(digest.as_slice(), &mut hex);
        Signature(hex)
    }

    /// Hashes the full block and keeps what overflowed it.
    #[inline(never)]
    fn flush(&mut self) {
        self.md5.update(&self.buf[..BLOCK]);
        self.len -= BLOCK;
        // At most SHORT bytes overflowed the block.
        let (block, overflow) = self.buf.split_at_mut(BLOCK);
        if let Some(block) = block.first_chunk_mut::<SHORT>() {
            copy_short(block, &overflow[..self.len]);
        }
    }

    /// [`Sink::put`] for a piece longer than [`SHORT`]: completes the
    /// buffered block, hashes whole blocks straight from `bytes`, keeps the tail.
    #[inline(never)]
    fn put_long(&mut self, mut bytes: &[u8]) {
        let room = BLOCK - self.len;
        if bytes.len() < room {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
            return;
        }
        self.buf[self.len..BLOCK].copy_from_slice(&bytes[..room]);
        self.md5.update(&self.buf[..BLOCK]);
        bytes = &bytes[room..];
        let whole = bytes.len() - bytes.len() % BLOCK;
        self.md5.update(&bytes[..whole]);
        self.buf[..bytes.len() - whole].copy_from_slice(&bytes[whole..]);
        self.len = bytes.len() - whole;
    }
}

/// Copies `src` (at most [`SHORT`] bytes) to the start of `dst` with two
/// overlapping fixed-size moves, instead of a call to `memcpy`.
#[inline(always)]
fn copy_short(dst: &mut [u8; SHORT], src: &[u8]) {
    let n = src.len();
    if n >= 32 {
        dst[..32].copy_from_slice(&src[..32]);
        dst[n - 32..n].copy_from_slice(&src[n - 32..]);
    } else if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..n].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..n].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..n].copy_from_slice(&src[n - 4..]);
    } else if n > 0 {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

impl Sink for Hasher {
    #[inline(always)]
    fn put(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        if bytes.len() > SHORT {
            return self.put_long(bytes);
        }
        let at = self.len;
        // Always in bounds: `at` < BLOCK, and the buffer has SHORT to spare.
        if let Some(dst) = self.buf.get_mut(at..at + SHORT)
            && let Ok(dst) = <&mut [u8; SHORT]>::try_from(dst)
        {
            copy_short(dst, bytes);
        }
        self.len += bytes.len();
        if self.len >= BLOCK {
            self.flush();
        }
    }

    #[inline]
    fn put_byte(&mut self, byte: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = byte;
        }
        self.len += 1;
        if self.len >= BLOCK {
            self.flush();
        }
    }
}

/// Refuses an empty secret, or an empty list of secrets.
pub(crate) fn check_secrets<S: AsRef<str>>(secrets: &[S]) -> Result<(), Error> {
    if secrets.is_empty() || secrets.iter().any(|s| s.as_ref().is_empty()) {
        return Err(Error::new(ErrorKind::EmptySecret));
    }
    Ok(())
}

/// The signature of pairs already checked and sorted.
pub(crate) fn digest<'a, K: canonical::Key>(
    sorted: impl Iterator<Item = (K, Value<'a>)>,
    secret: &str,
) -> Signature {
    let mut hasher = Hasher::new();
    canonical::emit(sorted, &mut hasher);
    hasher.put(secret);
    hasher.finish()
}

/// Which secret, if any, signs `sorted` as `received`. Every secret is tried,
/// whatever matches, and the comparison is constant-time.
pub(crate) fn match_secrets<'a, S: AsRef<str>>(
    sorted: impl Iterator<Item = (&'a str, Value<'a>)> + Clone,
    received: &Signature,
    secrets: &[S],
) -> Result<usize, Error> {
    let mut found = subtle::Choice::from(0);
    let mut index = 0u64;
    for (i, secret) in secrets.iter().enumerate() {
        let hit = digest(sorted.clone(), secret.as_ref()).ct_eq(received);
        index.conditional_assign(&(i as u64), hit & !found);
        found |= hit;
    }
    if bool::from(found) {
        Ok(index as usize)
    } else {
        Err(Error::new(ErrorKind::Mismatch))
    }
}

/// The received `hash` among pairs: `missing-hash` when absent or empty,
/// `malformed-hash` unless it is 32 lowercase hex digits.
fn received_hash<'a>(
    mut pairs: impl Iterator<Item = (&'a str, Value<'a>)>,
) -> Result<Signature, Error> {
    match pairs
        .find(|(k, _)| *k == "hash")
        .map_or(Value::Null, |p| p.1)
    {
        Value::Null => Err(Error::new(ErrorKind::MissingHash)),
        other => other.with_text(Signature::parse),
    }
}

/// Signs pairs in place, with no allocation: sorts `pairs` (stably) and hashes
/// the canonical string plus `secret`.
///
/// ```
/// use hooksig::Value;
/// let mut pairs = [("b", Value::Str("2")), ("a", Value::Str("1"))];
/// let sig = hooksig::sign_pairs(&mut pairs, "s").unwrap();
/// assert_eq!(sig.as_str(), "48ede480f182f325db2c33f8d705c464");
/// assert_eq!(pairs[0].0, "a");
/// ```
pub fn sign_pairs(pairs: &mut [(&str, Value<'_>)], secret: &str) -> Result<Signature, Error> {
    check_secrets(&[secret])?;
    canonical::prepare(pairs, |p| p.0)?;
    Ok(digest(canonical::pairs(pairs), secret))
}

/// Verifies pairs that carry their `hash`, in place and with no allocation.
/// Returns the index of the secret that matched.
///
/// Order of checks: secrets, keys, then `missing-hash`, `malformed-hash`, `mismatch`.
///
/// ```
/// use hooksig::Value;
/// let mut pairs = [("a", Value::Str("1")), ("b", Value::Str("2")),
///                  ("hash", Value::Str("48ede480f182f325db2c33f8d705c464"))];
/// assert_eq!(hooksig::verify_pairs(&mut pairs, &["old", "s"]), Ok(1));
/// ```
pub fn verify_pairs<S: AsRef<str>>(
    pairs: &mut [(&str, Value<'_>)],
    secrets: &[S],
) -> Result<usize, Error> {
    check_secrets(secrets)?;
    canonical::prepare(pairs, |p| p.0)?;
    let received = received_hash(canonical::pairs(pairs))?;
    match_secrets(canonical::pairs(pairs), &received, secrets)
}

/// Signs typed params with one secret.
///
/// ```
/// use hooksig::Value;
/// let params = [("event", Value::Str("DEPOSIT")), ("amount", Value::Float(10.5))];
/// let sig = hooksig::sign(&params, "op_secret").unwrap();
/// // md5("amount=10.5&event=DEPOSIT" + "op_secret"), as the reference computes it
/// assert_eq!(sig.as_str(), "23f958bd0a9495843a530145ee4da578");
/// assert_eq!(hooksig::sign(&params, "").unwrap_err().kind().name(), "empty-secret");
/// ```
#[cfg(feature = "alloc")]
pub fn sign<K: AsRef<str>, V: canonical::AsValue>(
    params: &[(K, V)],
    secret: &str,
) -> Result<Signature, Error> {
    check_secrets(&[secret])?;
    // Streamed from the params in key order, without copying them.
    let order = canonical::check_keys(params, |p| p.0.as_ref())?.ok_or_else(internal)?;
    Ok(digest(order.positions().map(|i| typed(&params[i])), secret))
}

/// One typed param as the pair the core reads.
#[cfg(feature = "alloc")]
fn typed<K: AsRef<str>, V: canonical::AsValue>(param: &(K, V)) -> (&str, Value<'_>) {
    (param.0.as_ref(), param.1.as_value())
}

/// Verifies typed params that include their `hash`, with one secret.
///
/// ```
/// let ok = [("a", "1"), ("b", "2"), ("hash", "48ede480f182f325db2c33f8d705c464")];
/// assert!(hooksig::verify(&ok, "s").is_ok());
/// assert_eq!(hooksig::verify(&ok, "t").unwrap_err().kind().name(), "mismatch");
/// ```
#[cfg(feature = "alloc")]
pub fn verify<K: AsRef<str>, V: canonical::AsValue>(
    params: &[(K, V)],
    secret: &str,
) -> Result<(), Error> {
    verify_any(params, &[secret]).map(|_| ())
}

/// Verifies typed params against several secrets (rotation); returns the index
/// of the one that matched.
///
/// ```
/// let ok = [("a", "1"), ("b", "2"), ("hash", "48ede480f182f325db2c33f8d705c464")];
/// assert_eq!(hooksig::verify_any(&ok, &["new", "s"]), Ok(1));
/// let none: [&str; 0] = [];
/// assert_eq!(hooksig::verify_any(&ok, &none).unwrap_err().kind().name(), "empty-secret");
/// ```
#[cfg(feature = "alloc")]
pub fn verify_any<K: AsRef<str>, V: canonical::AsValue, S: AsRef<str>>(
    params: &[(K, V)],
    secrets: &[S],
) -> Result<usize, Error> {
    check_secrets(secrets)?;
    let order = canonical::check_keys(params, |p| p.0.as_ref())?.ok_or_else(internal)?;
    let received = received_hash(params.iter().map(typed))?;
    match_secrets(
        order.positions().map(|i| typed(&params[i])),
        &received,
        secrets,
    )
}

/// An order the `alloc` build always finds (see [`canonical::check_keys`]).
#[cfg(feature = "alloc")]
fn internal() -> Error {
    Error::new(ErrorKind::Internal)
}
