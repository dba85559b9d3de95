//! Typed parameters from `KEY=VALUE` arguments or a JSON params file.
//!
//! A params file is a JSON array of `[key, value]` pairs (order kept exactly) or
//! a JSON object. Both are read entry by entry with serde visitors, so every
//! entry reaches the core, *including repeated object keys*: a map type would
//! silently keep the last one, while the core refuses the repeat with
//! `duplicate-key`. Arrays and objects as values cannot be signed; they become
//! the core's `invalid-value` error.
//!
//! JSON numbers become doubles exactly as `JSON.parse` reads them: correctly
//! rounded, a number too large for a double is ±Infinity (`1e400`, printed
//! `Infinity`) and a tiny one 0. serde_json's own number parser refuses the
//! too-large ones ("number out of range"), so each value is taken as raw JSON
//! text (checked by serde_json, feature `raw_value`) and a number is parsed
//! by Rust's `f64` parser, which rounds correctly and saturates to ±Infinity.
//!
//! An object's entries come in the order JavaScript's `Object.entries` gives
//! them after `JSON.parse`, which is the order the reference signs ties in:
//! array-index keys (`"0"`, `"42"`: canonical decimal integers below
//! 2^32 − 1) first, in ascending numeric order, then the other keys in
//! document order. Error positions still name the entry in the file.

use crate::error::CliError;
use hooksig::{ErrorKind, Value};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// One parameter value as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// A string (from JSON, or any `KEY=VALUE` argument).
    Str(String),
    /// A JSON number, as the double `JSON.parse` reads.
    Number(f64),
    /// A JSON boolean.
    Bool(bool),
    /// JSON `null`.
    Null,
    /// A JSON array or object: not a protocol value.
    Unsupported,
}

/// Parameters in input order (for an object, the order JavaScript presents it in).
#[derive(Debug, Default, PartialEq)]
pub struct Params {
    /// The pairs, in signing input order.
    pub pairs: Vec<(String, Param)>,
    /// Each pair's 0-based position in the file, when that differs from its
    /// place in `pairs` (an object with array-index keys).
    file_positions: Option<Vec<usize>>,
}

/// The array index that `key` names to JavaScript, if it names one: the
/// canonical decimal form of an integer below 2^32 − 1 (`"0"`, `"42"`; not
/// `"01"`, `"-1"`, `"1.0"` or `"4294967295"`).
fn array_index(key: &str) -> Option<u32> {
    let digits = key.as_bytes();
    let canonical = matches!(digits, [b'0'] | [b'1'..=b'9', ..]) && digits.len() <= 10;
    if !canonical || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    key.parse::<u32>().ok().filter(|&n| n != u32::MAX)
}

impl Params {
    fn in_order(pairs: Vec<(String, Param)>) -> Params {
        Params {
            pairs,
            file_positions: None,
        }
    }

    /// An object's entries, reordered like `Object.entries(JSON.parse(text))`:
    /// array-index keys first, ascending, then the others in document order.
    /// (Repeated keys are all kept, adjacent, for the core to refuse.)
    fn object(pairs: Vec<(String, Param)>) -> Params {
        let mut entries: Vec<(usize, (String, Param))> = pairs.into_iter().enumerate().collect();
        // Stable: equal sort keys (all non-index keys) keep document order.
        entries.sort_by_key(|(_, (key, _))| array_index(key).map_or((1, 0), |n| (0, n)));
        let moved = entries.iter().enumerate().any(|(i, (at, _))| i != *at);
        let (positions, pairs) = entries.into_iter().unzip();
        Params {
            pairs,
            file_positions: moved.then_some(positions),
        }
    }

    /// `err` with its position (if it has one) turned into the position in
    /// the file, so a message names the entry the user wrote.
    pub fn locate(&self, err: hooksig::Error) -> hooksig::Error {
        match (err.index(), &self.file_positions) {
            (Some(i), Some(positions)) if i < positions.len() => {
                hooksig::Error::at(err.kind(), positions[i])
            }
            _ => err,
        }
    }

    /// Parses `KEY=VALUE` arguments, each split at its first `=`.
    pub fn from_args(args: &[String]) -> Result<Params, CliError> {
        let mut pairs = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            // The argument is not quoted: it might be a secret typed in the wrong place.
            let (key, value) = arg.split_once('=').ok_or_else(|| {
                CliError::Usage(format!(
                    "argument {} is not KEY=VALUE (it has no `=`); \
                     for other value types use --params FILE",
                    i + 1
                ))
            })?;
            pairs.push((key.to_owned(), Param::Str(value.to_owned())));
        }
        Ok(Params::in_order(pairs))
    }

    /// Parses a JSON params file.
    pub fn from_json(bytes: &[u8]) -> Result<Params, CliError> {
        serde_json::from_slice(bytes)
            .map_err(|e| CliError::Usage(format!("cannot read the params file: {e}")))
    }

    /// The pairs as the core's values; an array or object value is `invalid-value`
    /// at its (0-based) position in the file.
    pub fn values(&self) -> Result<Vec<(&str, Value<'_>)>, hooksig::Error> {
        self.pairs
            .iter()
            .enumerate()
            .map(|(i, (key, param))| {
                let value = match param {
                    Param::Str(s) => Value::Str(s),
                    Param::Number(x) => Value::Float(*x),
                    Param::Bool(b) => Value::Bool(*b),
                    Param::Null => Value::Null,
                    Param::Unsupported => {
                        return Err(self.locate(hooksig::Error::at(ErrorKind::InvalidValue, i)));
                    }
                };
                Ok((key.as_str(), value))
            })
            .collect()
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Params, D::Error> {
        deserializer.deserialize_any(ParamsVisitor)
    }
}

struct ParamsVisitor;

impl<'de> Visitor<'de> for ParamsVisitor {
    type Value = Params;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of [key, value] pairs, or a JSON object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Params, A::Error> {
        let mut pairs = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Pair(key, value)) = seq.next_element()? {
            pairs.push((key, value));
        }
        Ok(Params::in_order(pairs))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
        // Every entry, repeats included: the core decides about duplicates.
        while let Some((key, value)) = map.next_entry::<String, Param>()? {
            pairs.push((key, value));
        }
        Ok(Params::object(pairs))
    }
}

/// One `[key, value]` element of a pairs array.
struct Pair(String, Param);

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Pair, D::Error> {
        deserializer.deserialize_seq(PairVisitor)
    }
}

struct PairVisitor;

impl<'de> Visitor<'de> for PairVisitor {
    type Value = Pair;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a [key, value] pair with a string key")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
        let key: String = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let value: Param = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        Ok(Pair(key, value))
    }
}

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Param, D::Error> {
        let raw = <&RawValue>::deserialize(deserializer)?;
        Param::from_raw(raw.get()).map_err(de::Error::custom)
    }
}

impl Param {
    /// One JSON value's text, already checked by serde_json (with no
    /// surrounding whitespace), as the value `JSON.parse` makes of it.
    fn from_raw(text: &str) -> Result<Param, String> {
        Ok(match text.as_bytes().first() {
            // JSON's number syntax is a subset of Rust's float syntax.
            Some(b'-' | b'0'..=b'9') => Param::Number(text.parse().map_err(|e| format!("{e}"))?),
            Some(b'"') => Param::Str(serde_json::from_str(text).map_err(|e| {
                // The position is the value's; serde_json adds the file's.
                let message = e.to_string();
                match message.rsplit_once(" at line ") {
                    Some((message, _)) => message.to_owned(),
                    None => message,
                }
            })?),
            Some(b't') => Param::Bool(true),
            Some(b'f') => Param::Bool(false),
            Some(b'n') => Param::Null,
            _ => Param::Unsupported,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Params {
        Params::from_json(text.as_bytes()).unwrap()
    }

    #[test]
    fn pairs_keep_their_order_and_types() {
        let p = json(r#"[["b", "x"], ["a", 1e21], ["c", true], ["d", null], ["e", 7]]"#);
        assert_eq!(
            p.pairs,
            [
                ("b".into(), Param::Str("x".into())),
                ("a".into(), Param::Number(1e21)),
                ("c".into(), Param::Bool(true)),
                ("d".into(), Param::Null),
                ("e".into(), Param::Number(7.0)),
            ]
        );
    }

    #[test]
    fn objects_keep_every_entry_in_document_order() {
        let p = json(r#"{"z": "1", "a": "2", "z": "3"}"#);
        let keys: Vec<&str> = p.pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "z"]);
        let err = hooksig::canonical(&p.values().unwrap()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateKey);
    }

    #[test]
    fn objects_list_array_index_keys_first_like_javascript() {
        // Node: Object.keys(JSON.parse(text)) for this text.
        let p = json(
            r#"{"b": "1", "10": "x", "2": "y", "a": "z", "0": "w", "01": "v",
                "4294967295": "u", "4294967294": "t", "-1": "s", "1.0": "r", "1\u0000": "q"}"#,
        );
        let keys: Vec<&str> = p.pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "0",
                "2",
                "10",
                "4294967294",
                "b",
                "a",
                "01",
                "4294967295",
                "-1",
                "1.0",
                "1\u{0}"
            ]
        );
        // Arrays of pairs keep their order exactly.
        let p = json(r#"[["1\u0000", "x"], ["1", "y"]]"#);
        let keys: Vec<&str> = p.pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["1\u{0}", "1"]);
    }

    #[test]
    fn errors_name_the_entry_in_the_file() {
        // Reordered to 0, x, x: the repeat is the file's second entry.
        let p = json(r#"{"x": "1", "x": "2", "0": "z"}"#);
        let err = hooksig::canonical(&p.values().unwrap()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateKey);
        assert_eq!(p.locate(err).index(), Some(1));
        // Reordered to 0, b: the array value is the file's first entry.
        let p = json(r#"{"b": [1], "0": "x"}"#);
        let err = p.values().unwrap_err();
        assert_eq!(
            (err.kind(), err.index()),
            (ErrorKind::InvalidValue, Some(0))
        );
        // Nothing moved: positions as they are.
        let p = json(r#"{"b": [1], "c": "x"}"#);
        assert_eq!(p.values().unwrap_err().index(), Some(0));
    }

    #[test]
    fn numbers_are_read_like_json_parse() {
        // One step off without float_roundtrip.
        let p = json(r#"[["n", 123456789012345680000], ["m", 0.1], ["big", 9007199254740993]]"#);
        assert_eq!(p.pairs[0].1, Param::Number(123_456_789_012_345_680_000.0));
        assert_eq!(p.pairs[1].1, Param::Number(0.1));
        // JSON.parse("9007199254740993") === 9007199254740992
        assert_eq!(p.pairs[2].1, Param::Number(9_007_199_254_740_992.0));
        // Beyond the doubles: JSON.parse("1e400") === Infinity, and tiny ones are 0.
        let p = json(r#"{"a": 1e400, "b": -1e400, "c": 1e-400, "d": [1e400]}"#);
        assert_eq!(p.pairs[0].1, Param::Number(f64::INFINITY));
        assert_eq!(p.pairs[1].1, Param::Number(f64::NEG_INFINITY));
        assert_eq!(p.pairs[2].1, Param::Number(0.0));
        assert_eq!(p.pairs[3].1, Param::Unsupported);
    }

    #[test]
    fn arrays_and_objects_as_values_are_invalid_values() {
        let p = json(r#"[["a", "1"], ["b", [1, 2]], ["c", {"x": 1}]]"#);
        let err = p.values().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert_eq!(err.index(), Some(1));
    }

    #[test]
    fn malformed_files_are_usage_errors() {
        for text in [
            r#"[["a"]]"#,
            r#"[["a", "1", "2"]]"#,
            r#"[[1, "x"]]"#,
            r#""abc""#,
            "[",
            "",
        ] {
            let err = Params::from_json(text.as_bytes()).unwrap_err();
            assert!(matches!(err, CliError::Usage(_)), "{text}: {err}");
        }
    }

    #[test]
    fn arguments_split_at_the_first_equals_sign() {
        let p = Params::from_args(&["a=b=c".into(), "e=".into(), "=v".into()]).unwrap();
        assert_eq!(
            p.pairs,
            [
                ("a".into(), Param::Str("b=c".into())),
                ("e".into(), Param::Str(String::new())),
                (String::new(), Param::Str("v".into())),
            ]
        );
        let err = Params::from_args(&["ok=1".into(), "sekrit".into()]).unwrap_err();
        assert!(err.to_string().contains("argument 2"));
        assert!(!err.to_string().contains("sekrit"));
    }
}
