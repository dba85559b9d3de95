//! Many payloads with the same keys: check and order the keys once.
//!
//! A sender signs the same few event shapes over and over. A [`Layout`]
//! holds one list of keys, checked and put in the reference's order once;
//! each payload then only brings its values, streamed in that order. The
//! signature is the one [`sign`](crate::sign) gives for the same pairs: the
//! filter still runs per payload, because it depends on the values.
//!
//! ```
//! use hooksig::{Layout, Value};
//! let layout = Layout::new(&["event", "amount", "memo"])?;
//! let values = [Value::Str("DEPOSIT"), Value::Float(10.5), Value::Null];
//! let pairs = [("event", values[0]), ("amount", values[1]), ("memo", values[2])];
//! assert_eq!(layout.sign(&values, "op_secret")?, hooksig::sign(&pairs, "op_secret")?);
//! # Ok::<(), hooksig::Error>(())
//! ```

use crate::canonical::{self, AsValue, Key, Sink};
use crate::error::{Error, ErrorKind};
use crate::signature::{self, Signature};
use alloc::string::String;
use alloc::vec::Vec;

/// One list of keys, checked and ordered like the reference orders them.
pub struct Layout {
    /// Each key with its separators, `&key=`, one after the other in input
    /// order: a payload then costs one piece per key instead of three.
    text: String,
    /// Where each key's `&key=` starts in `text`, then where the last ends.
    starts: Vec<usize>,
    /// Input positions in the reference's order (tied keys in input order).
    order: Vec<usize>,
}

/// A key of a [`Layout`]: its `&key=` piece.
struct Joined<'l>(&'l str);

impl<'l> Joined<'l> {
    /// The key without its separators.
    #[inline]
    fn key(&self) -> &'l str {
        self.0.get(1..self.0.len() - 1).unwrap_or("")
    }
}

impl Key for Joined<'_> {
    #[inline]
    fn text(&self) -> &str {
        self.key()
    }

    #[inline]
    fn put_joined(&self, first: bool, sink: &mut impl Sink) {
        sink.put(if first {
            self.0.get(1..).unwrap_or("")
        } else {
            self.0
        });
    }
}

impl Layout {
    /// Checks and orders `keys`, with the errors [`sign`](crate::sign) gives
    /// for them: `empty-key`, `duplicate-key` or (without `unicode`)
    /// `unsupported-key`, at the key's position.
    ///
    /// ```
    /// use hooksig::{ErrorKind, Layout};
    /// assert_eq!(Layout::new(&["b", "a", "A"])?.len(), 3);
    /// let err = Layout::new(&["a", "b", "a"]).err().unwrap();
    /// assert_eq!((err.kind(), err.index()), (ErrorKind::DuplicateKey, Some(2)));
    /// # Ok::<(), hooksig::Error>(())
    /// ```
    pub fn new<K: AsRef<str>>(keys: &[K]) -> Result<Layout, Error> {
        let order = canonical::check_keys(keys, |k| k.as_ref())?
            .ok_or_else(|| Error::new(ErrorKind::Internal))?;
        let bytes = keys.iter().map(|k| k.as_ref().len() + 2).sum();
        let mut text = String::with_capacity(bytes);
        let mut starts = Vec::with_capacity(keys.len() + 1);
        for key in keys {
            starts.push(text.len());
            text.push('&');
            text.push_str(key.as_ref());
            text.push('=');
        }
        starts.push(text.len());
        Ok(Layout {
            text,
            starts,
            order: order.positions().collect(),
        })
    }

    /// The `&key=` piece of the key at input position `i`.
    fn joined(&self, i: usize) -> Option<Joined<'_>> {
        let start = *self.starts.get(i)?;
        let end = *self.starts.get(i + 1)?;
        Some(Joined(self.text.get(start..end)?))
    }

    /// How many keys.
    ///
    /// ```
    /// assert_eq!(hooksig::Layout::new(&["a", "b"]).unwrap().len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether there are no keys (an empty payload still has a signature).
    ///
    /// ```
    /// let none: [&str; 0] = [];
    /// assert!(hooksig::Layout::new(&none).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key at input position `i`.
    ///
    /// ```
    /// let layout = hooksig::Layout::new(&["b", "a"]).unwrap();
    /// assert_eq!((layout.key(0), layout.key(2)), (Some("b"), None));
    /// ```
    pub fn key(&self, i: usize) -> Option<&str> {
        Some(self.joined(i)?.key())
    }

    /// Signs one payload: `values[i]` is the value of key `i`. Checks the
    /// secret first, as [`sign`](crate::sign) does; a missing or extra value
    /// is `invalid-value` at the first position without a partner.
    ///
    /// ```
    /// use hooksig::{ErrorKind, Layout};
    /// let layout = Layout::new(&["b", "a"])?;
    /// assert_eq!(layout.sign(&["2", "1"], "s")?.as_str(), "48ede480f182f325db2c33f8d705c464");
    /// let err = layout.sign(&["2"], "s").unwrap_err();
    /// assert_eq!((err.kind(), err.index()), (ErrorKind::InvalidValue, Some(1)));
    /// # Ok::<(), hooksig::Error>(())
    /// ```
    pub fn sign<V: AsValue>(&self, values: &[V], secret: &str) -> Result<Signature, Error> {
        signature::check_secrets(&[secret])?;
        if values.len() != self.len() {
            return Err(Error::at(
                ErrorKind::InvalidValue,
                values.len().min(self.len()),
            ));
        }
        let pairs = self.order.iter().filter_map(|&i| {
            // Always some: `i` is a position of the keys, and of the values.
            Some((self.joined(i)?, values.get(i)?.as_value()))
        });
        Ok(signature::digest(pairs, secret))
    }
}

impl core::fmt::Debug for Layout {
    /// The keys in input order (keys are not secret).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries((0..self.len()).filter_map(|i| self.key(i)))
            .finish()
    }
}
