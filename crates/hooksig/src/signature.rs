//! Signing and verifying: lowercase hex MD5 of `canonical + secret`, compared in
//! constant time.
//!
//! MD5 over `message + secret` is what the existing protocol uses; hooksig keeps
//! it for interoperability, not for its strength (see the README's Security
//! section). Secrets are never stored, printed or put in an error.

use crate::canonical::{self, Pair, Sink};
use crate::error::{Error, ErrorKind};
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
        // No early exit: the 32 checks run as a few vector instructions.
        let hex = |b: u8| b.is_ascii_digit() | (b'a'..=b'f').contains(&b);
        if bytes.iter().fold(true, |ok, &b| ok & hex(b)) {
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
    buf: [u8; BLOCK],
    len: usize,
}

/// MD5's block size.
const BLOCK: usize = 64;

impl Hasher {
    fn new() -> Hasher {
        Hasher {
            md5: Md5::new(),
            buf: [0; BLOCK],
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
}

impl Hasher {
    /// The rare case of [`Sink::put`]: `bytes` fills the buffered block.
    /// Kept out of line so the common short copy needs no register spills.
    #[inline(never)]
    fn put_across_blocks(&mut self, mut bytes: &[u8]) {
        // Complete the buffered block, hash whole blocks straight from
        // `bytes`, keep the tail.
        let room = BLOCK - self.len;
        self.buf[self.len..].copy_from_slice(&bytes[..room]);
        self.md5.update(self.buf.as_slice());
        bytes = &bytes[room..];
        let whole = bytes.len() - bytes.len() % BLOCK;
        self.md5.update(&bytes[..whole]);
        self.buf[..bytes.len() - whole].copy_from_slice(&bytes[whole..]);
        self.len = bytes.len() - whole;
    }
}

impl Sink for Hasher {
    #[inline]
    fn put(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        if bytes.len() < BLOCK - self.len {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            self.put_across_blocks(bytes);
        }
    }

    #[inline]
    fn put_byte(&mut self, byte: u8) {
        if self.len + 1 < BLOCK {
            self.buf[self.len] = byte;
            self.len += 1;
        } else {
            self.put_across_blocks(&[byte]);
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
pub(crate) fn digest<P: Pair>(sorted: &[P], secret: &str) -> Signature {
    let mut hasher = Hasher::new();
    canonical::emit(sorted, &mut hasher);
    hasher.put(secret);
    hasher.finish()
}

/// Which secret, if any, signs `sorted` as `received`. Every secret is tried,
/// whatever matches, and the comparison is constant-time.
pub(crate) fn match_secrets<P: Pair, S: AsRef<str>>(
    sorted: &[P],
    received: &Signature,
    secrets: &[S],
) -> Result<usize, Error> {
    let mut found = subtle::Choice::from(0);
    let mut index = 0u64;
    for (i, secret) in secrets.iter().enumerate() {
        let hit = digest(sorted, secret.as_ref()).ct_eq(received);
        index.conditional_assign(&(i as u64), hit & !found);
        found |= hit;
    }
    if bool::from(found) {
        Ok(index as usize)
    } else {
        Err(Error::new(ErrorKind::Mismatch))
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
/// ```
pub fn sign_pairs(pairs: &mut [(&str, Value<'_>)], secret: &str) -> Result<Signature, Error> {
    check_secrets(&[secret])?;
    canonical::prepare(pairs)?;
    Ok(digest(pairs, secret))
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
    canonical::prepare(pairs)?;
    let received = pairs
        .iter()
        .find(|(k, _)| *k == "hash")
        .map_or(Value::Null, |p| p.1);
    let received = match received {
        Value::Null => return Err(Error::new(ErrorKind::MissingHash)),
        other => other.with_text(Signature::parse)?,
    };
    match_secrets(pairs, &received, secrets)
}

/// Signs typed params with one secret.
///
/// ```
/// use hooksig::Value;
/// let params = [("event", Value::Str("DEPOSIT")), ("amount", Value::Float(10.5))];
/// let sig = hooksig::sign(&params, "op_secret").unwrap();
/// assert_eq!(sig.as_str().len(), 32);
/// assert_eq!(hooksig::sign(&params, "").unwrap_err().kind().name(), "empty-secret");
/// ```
#[cfg(feature = "alloc")]
pub fn sign<K: AsRef<str>, V: canonical::AsValue>(
    params: &[(K, V)],
    secret: &str,
) -> Result<Signature, Error> {
    canonical::with_pairs(params, |pairs| sign_pairs(pairs, secret))
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
    canonical::with_pairs(params, |pairs| verify_pairs(pairs, secrets))
}
