//! The one error type, and the stable kind names shared by Rust, the CLI, Python and JS.
//!
//! Bindings map errors by [`ErrorKind::name`] and [`ErrorKind::category`], so a
//! name, once published, never changes.

use core::fmt;

/// What went wrong, as a stable, binding-neutral name.
///
/// ```
/// use hooksig::ErrorKind;
/// assert_eq!(ErrorKind::MalformedHash.name(), "malformed-hash");
/// assert_eq!(ErrorKind::from_name("too-many-params"), Some(ErrorKind::TooManyParams));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The `hash` is well formed but is not the signature of the fields.
    Mismatch,
    /// The `hash` is not exactly 32 lowercase hex digits.
    MalformedHash,
    /// There is no `hash`, or it is empty.
    MissingHash,
    /// A key appears twice (the reference parser would silently join the values).
    DuplicateKey,
    /// A key is empty (the reference parser would silently drop the pair).
    EmptyKey,
    /// A malformed `%XX` escape, or bytes that are not UTF-8.
    InvalidEncoding,
    /// More `&`-separated segments than the parameter limit allows.
    TooManyParams,
    /// The secret is empty, or no secret was given.
    EmptySecret,
    /// A non-ASCII key while full collation (the `unicode` feature) is off.
    UnsupportedKey,
    /// A value the caller's language cannot represent as a protocol value.
    InvalidValue,
    /// A bug or a trap inside hooksig itself; never caused by input alone.
    Internal,
}

/// The broad class of an [`ErrorKind`]; bindings use it to pick an exception class.
///
/// ```
/// use hooksig::{Category, ErrorKind};
/// assert_eq!(ErrorKind::Mismatch.category(), Category::Signature);
/// assert_eq!(ErrorKind::DuplicateKey.category(), Category::Body);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// The request is well formed but its signature is wrong or absent.
    Signature,
    /// The raw body is refused before any signature is checked.
    Body,
    /// The caller passed something unusable: no secret, an unsupported key, a bad value.
    Input,
    /// hooksig itself failed.
    Internal,
}

impl Category {
    /// A stable short name (`signature`, `body`, `input`, `internal`), the
    /// same in every binding's reports.
    ///
    /// ```
    /// assert_eq!(hooksig::ErrorKind::EmptyKey.category().name(), "body");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Category::Signature => "signature",
            Category::Body => "body",
            Category::Input => "input",
            Category::Internal => "internal",
        }
    }
}

impl ErrorKind {
    /// Every kind, in a fixed order (for tests and bindings that build tables).
    ///
    /// ```
    /// assert!(hooksig::ErrorKind::ALL.len() >= 11);
    /// ```
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Mismatch,
        ErrorKind::MalformedHash,
        ErrorKind::MissingHash,
        ErrorKind::DuplicateKey,
        ErrorKind::EmptyKey,
        ErrorKind::InvalidEncoding,
        ErrorKind::TooManyParams,
        ErrorKind::EmptySecret,
        ErrorKind::UnsupportedKey,
        ErrorKind::InvalidValue,
        ErrorKind::Internal,
    ];

    /// The stable kebab-case name, identical in every binding.
    ///
    /// ```
    /// assert_eq!(hooksig::ErrorKind::EmptySecret.name(), "empty-secret");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::Mismatch => "mismatch",
            ErrorKind::MalformedHash => "malformed-hash",
            ErrorKind::MissingHash => "missing-hash",
            ErrorKind::DuplicateKey => "duplicate-key",
            ErrorKind::EmptyKey => "empty-key",
            ErrorKind::InvalidEncoding => "invalid-encoding",
            ErrorKind::TooManyParams => "too-many-params",
            ErrorKind::EmptySecret => "empty-secret",
            ErrorKind::UnsupportedKey => "unsupported-key",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::Internal => "internal",
        }
    }

    /// The kind with this stable name, if any.
    ///
    /// ```
    /// use hooksig::ErrorKind;
    /// assert_eq!(ErrorKind::from_name("mismatch"), Some(ErrorKind::Mismatch));
    /// assert_eq!(ErrorKind::from_name("Mismatch"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// Which class of problem this is.
    ///
    /// ```
    /// use hooksig::{Category, ErrorKind};
    /// assert_eq!(ErrorKind::InvalidValue.category(), Category::Input);
    /// ```
    pub const fn category(self) -> Category {
        match self {
            ErrorKind::Mismatch | ErrorKind::MalformedHash | ErrorKind::MissingHash => {
                Category::Signature
            }
            ErrorKind::DuplicateKey
            | ErrorKind::EmptyKey
            | ErrorKind::InvalidEncoding
            | ErrorKind::TooManyParams => Category::Body,
            ErrorKind::EmptySecret | ErrorKind::UnsupportedKey | ErrorKind::InvalidValue => {
                Category::Input
            }
            ErrorKind::Internal => Category::Internal,
        }
    }

    /// A sentence that tells a person how to fix the problem.
    const fn advice(self) -> &'static str {
        match self {
            ErrorKind::Mismatch => {
                "signature mismatch: the hash does not match the signed fields and the secret \
                 (check the secret; an explain report shows what was signed and diagnoses known mistakes)"
            }
            ErrorKind::MalformedHash => {
                "malformed hash: the hash field must be exactly 32 lowercase hex digits"
            }
            ErrorKind::MissingHash => "missing hash: the body has no hash field, or it is empty",
            ErrorKind::DuplicateKey => {
                "duplicate key: a key appears more than once; the protocol carries flat, unique fields"
            }
            ErrorKind::EmptyKey => "empty key: a pair has an empty key, such as `=value`",
            ErrorKind::InvalidEncoding => {
                "invalid encoding: a malformed %XX escape, or decoded bytes that are not UTF-8"
            }
            ErrorKind::TooManyParams => {
                "too many parameters: the body has more &-separated segments than the limit \
                 (1000 unless configured; empty segments count)"
            }
            ErrorKind::EmptySecret => "empty secret: a non-empty secret is required",
            ErrorKind::UnsupportedKey => {
                "unsupported key: a non-ASCII key needs the `unicode` feature (full collation); \
                 its order is never guessed"
            }
            ErrorKind::InvalidValue => {
                "invalid value: only strings, integers, floats, booleans and null can be signed"
            }
            ErrorKind::Internal => "internal error in hooksig (please report it)",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of every fallible hooksig operation.
///
/// It is opaque: inspect it with [`Error::kind`] and [`Error::index`]. It never
/// contains a secret, a key or a value.
///
/// ```
/// let err = hooksig::verify_form(b"a=%ZZ&hash=x", "s").unwrap_err();
/// assert_eq!(err.kind().name(), "invalid-encoding");
/// assert_eq!(err.index(), Some(0));
/// assert!(err.to_string().contains("parameter 1"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    index: Option<usize>,
}

impl Error {
    /// An error of this kind, not tied to a parameter.
    ///
    /// ```
    /// let e = hooksig::Error::new(hooksig::ErrorKind::InvalidValue);
    /// assert_eq!(e.index(), None);
    /// ```
    pub const fn new(kind: ErrorKind) -> Error {
        Error { kind, index: None }
    }

    /// An error about the parameter at `index` (0-based: the `&`-separated segment
    /// of a body, or the pair of a typed list).
    ///
    /// ```
    /// let e = hooksig::Error::at(hooksig::ErrorKind::EmptyKey, 2);
    /// assert_eq!(e.index(), Some(2));
    /// ```
    pub const fn at(kind: ErrorKind, index: usize) -> Error {
        Error {
            kind,
            index: Some(index),
        }
    }

    /// The stable kind.
    ///
    /// ```
    /// let e = hooksig::Error::new(hooksig::ErrorKind::Mismatch);
    /// assert_eq!(e.kind(), hooksig::ErrorKind::Mismatch);
    /// ```
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The 0-based position of the offending parameter, when there is one.
    ///
    /// ```
    /// assert_eq!(hooksig::Error::at(hooksig::ErrorKind::EmptyKey, 0).index(), Some(0));
    /// ```
    pub const fn index(&self) -> Option<usize> {
        self.index
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.advice())?;
        if let Some(i) = self.index {
            write!(f, " (at parameter {})", i + 1)?;
        }
        Ok(())
    }
}

impl core::error::Error for Error {}
