//! Typed parameter values and their JavaScript `String(v)` text.
//!
//! The reference signs `${v}`, so a number is printed the way JavaScript prints it
//! (`1e21` → `1e+21`, `1e-7` → `1e-7`) and a boolean is `true`/`false`. Floats go
//! through `ryu_js`, which matches `Number.prototype.toString` exactly.

use core::fmt;

/// One parameter value, as a caller's language holds it.
///
/// ```
/// use hooksig::Value;
/// assert_eq!(Value::Float(1e21).to_string(), "1e+21");
/// assert_eq!(Value::Float(1e16).to_string(), "10000000000000000");
/// assert_eq!(Value::Float(-0.0).to_string(), "0");
/// assert_eq!(Value::Bool(true).to_string(), "true");
/// assert_eq!(Value::UInt(u64::MAX).to_string(), "18446744073709551615");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A string, signed as is.
    Str(&'a str),
    /// A signed integer, printed in exact decimal.
    Int(i64),
    /// An unsigned integer, printed in exact decimal.
    UInt(u64),
    /// A double, printed like JavaScript `String(number)`.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// Absent: the pair is dropped, like JavaScript `null`/`undefined`.
    Null,
}

impl Value<'_> {
    /// Whether the reference would drop this value (`null`, `''`, `'null'`, `'undefined'`).
    ///
    /// ```
    /// use hooksig::Value;
    /// assert!(Value::Str("null").is_dropped());
    /// assert!(!Value::Str("NULL").is_dropped());
    /// assert!(!Value::Int(0).is_dropped());
    /// assert!(!Value::Bool(false).is_dropped());
    /// ```
    pub fn is_dropped(&self) -> bool {
        self.drop_reason().is_some()
    }

    /// Why the reference would drop this value, if it would.
    ///
    /// ```
    /// use hooksig::{DropReason, Value};
    /// assert_eq!(Value::Str("").drop_reason(), Some(DropReason::Empty));
    /// assert_eq!(Value::Str(" ").drop_reason(), None);
    /// ```
    #[inline]
    pub fn drop_reason(&self) -> Option<DropReason> {
        match self {
            Value::Null => Some(DropReason::Null),
            Value::Str(s) => DropReason::of_text(s),
            _ => None,
        }
    }

    /// Calls `f` with the exact text the reference signs for this value.
    ///
    /// No allocation: numbers are formatted on the stack.
    ///
    /// ```
    /// let len = hooksig::Value::Float(0.1 + 0.2).with_text(|s| s.len());
    /// assert_eq!(len, "0.30000000000000004".len());
    /// ```
    #[inline]
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match *self {
            Value::Str(s) => f(s),
            Value::Int(i) => {
                let mut buf = [0u8; 20];
                f(decimal(i.unsigned_abs(), i < 0, &mut buf))
            }
            Value::UInt(u) => {
                let mut buf = [0u8; 20];
                f(decimal(u, false, &mut buf))
            }
            Value::Float(x) => f(ryu_js::Buffer::new().format(x)),
            Value::Bool(b) => f(if b { "true" } else { "false" }),
            Value::Null => f("null"),
        }
    }
}

/// Writes `n` (negated when `neg`) in decimal at the end of `buf`.
fn decimal(mut n: u64, neg: bool, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if neg {
        // 20 digits only for u64::MAX, which is never negative.
        i -= 1;
        buf[i] = b'-';
    }
    // Only ASCII digits and '-' were written.
    core::str::from_utf8(&buf[i..]).unwrap_or("")
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_text(|s| f.write_str(s))
    }
}

/// Why a field is not part of the signed string.
///
/// ```
/// use hooksig::DropReason;
/// assert_eq!(DropReason::of_text("undefined"), Some(DropReason::UndefinedText));
/// assert_eq!(DropReason::HashField.describe(), "the signature field itself");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DropReason {
    /// The key is exactly `hash`.
    HashField,
    /// The value is null/None/undefined.
    Null,
    /// The value is the empty string.
    Empty,
    /// The value is the text `null`.
    NullText,
    /// The value is the text `undefined`.
    UndefinedText,
}

impl DropReason {
    /// The reason a text value is dropped, if it is (`''`, `'null'`, `'undefined'`).
    ///
    /// ```
    /// assert_eq!(hooksig::DropReason::of_text("0"), None);
    /// ```
    #[inline]
    pub fn of_text(s: &str) -> Option<DropReason> {
        match s {
            "" => Some(DropReason::Empty),
            "null" => Some(DropReason::NullText),
            "undefined" => Some(DropReason::UndefinedText),
            _ => None,
        }
    }

    /// A stable short name for reports (`hash-field`, `null`, `empty`, `null-text`, `undefined-text`).
    ///
    /// ```
    /// assert_eq!(hooksig::DropReason::Empty.name(), "empty");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            DropReason::HashField => "hash-field",
            DropReason::Null => "null",
            DropReason::Empty => "empty",
            DropReason::NullText => "null-text",
            DropReason::UndefinedText => "undefined-text",
        }
    }

    /// A phrase for people.
    ///
    /// ```
    /// assert_eq!(hooksig::DropReason::NullText.describe(), "the value is the text 'null'");
    /// ```
    pub const fn describe(self) -> &'static str {
        match self {
            DropReason::HashField => "the signature field itself",
            DropReason::Null => "the value is null",
            DropReason::Empty => "the value is empty",
            DropReason::NullText => "the value is the text 'null'",
            DropReason::UndefinedText => "the value is the text 'undefined'",
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(s)
    }
}

#[cfg(feature = "alloc")]
impl<'a> From<&'a alloc::string::String> for Value<'a> {
    fn from(s: &'a alloc::string::String) -> Self {
        Value::Str(s)
    }
}

macro_rules! from_int {
    ($variant:ident: $($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            fn from(n: $t) -> Self {
                Value::$variant(n.into())
            }
        }
    )*};
}
from_int!(Int: i8, i16, i32, i64);
from_int!(UInt: u8, u16, u32, u64);

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}

impl From<f32> for Value<'_> {
    fn from(x: f32) -> Self {
        Value::Float(x.into())
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
