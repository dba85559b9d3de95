//! Typed parameters from `KEY=VALUE` arguments or a JSON params file.
//!
//! A params file is a JSON array of `[key, value]` pairs (order kept exactly) or
//! a JSON object. Both are read entry by entry with serde visitors, so every
//! entry reaches the core in document order, *including repeated object keys*:
//! a map type would silently keep the last one, while the core refuses the
//! repeat with `duplicate-key`. JSON numbers become doubles, like `JSON.parse`
//! (serde_json's `float_roundtrip` makes the parse exact). Arrays and objects
//! as values cannot be signed; they become the core's `invalid-value` error.

use crate::error::CliError;
use hooksig::{ErrorKind, Value};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
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

/// Parameters in input order.
#[derive(Debug, Default, PartialEq)]
pub struct Params(pub Vec<(String, Param)>);

impl Params {
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
        Ok(Params(pairs))
    }

    /// Parses a JSON params file.
    pub fn from_json(bytes: &[u8]) -> Result<Params, CliError> {
        serde_json::from_slice(bytes)
            .map_err(|e| CliError::Usage(format!("cannot read the params file: {e}")))
    }

    /// The pairs as the core's values; an array or object value is `invalid-value`
    /// at its (0-based) position.
    pub fn values(&self) -> Result<Vec<(&str, Value<'_>)>, hooksig::Error> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, (key, param))| {
                let value = match param {
                    Param::Str(s) => Value::Str(s),
                    Param::Number(x) => Value::Float(*x),
                    Param::Bool(b) => Value::Bool(*b),
                    Param::Null => Value::Null,
                    Param::Unsupported => {
                        return Err(hooksig::Error::at(ErrorKind::InvalidValue, i));
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
        Ok(Params(pairs))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
        // Every entry, repeats included: the core decides about duplicates.
        while let Some((key, value)) = map.next_entry::<String, Param>()? {
            pairs.push((key, value));
        }
        Ok(Params(pairs))
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
        deserializer.deserialize_any(ParamVisitor)
    }
}

struct ParamVisitor;

impl<'de> Visitor<'de> for ParamVisitor {
    type Value = Param;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Param, E> {
        Ok(Param::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Param, E> {
        Ok(Param::Str(v))
    }

    // JSON.parse reads every number as a double; an integer literal converts to
    // the nearest double, exactly as JSON.parse rounds it.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Param, E> {
        Ok(Param::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Param, E> {
        Ok(Param::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Param, E> {
        Ok(Param::Number(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Param, E> {
        Ok(Param::Bool(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Param, E> {
        Ok(Param::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Param, E> {
        Ok(Param::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Param, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Param::Unsupported)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Param, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Param::Unsupported)
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
            p.0,
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
        let keys: Vec<&str> = p.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "z"]);
        let err = hooksig::canonical(&p.values().unwrap()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateKey);
    }

    #[test]
    fn numbers_are_read_like_json_parse() {
        // One step off without float_roundtrip.
        let p = json(r#"[["n", 123456789012345680000], ["m", 0.1], ["big", 9007199254740993]]"#);
        assert_eq!(p.0[0].1, Param::Number(123_456_789_012_345_680_000.0));
        assert_eq!(p.0[1].1, Param::Number(0.1));
        // JSON.parse("9007199254740993") === 9007199254740992
        assert_eq!(p.0[2].1, Param::Number(9_007_199_254_740_992.0));
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
            p.0,
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
