//! Arbitrary pairs: the core's canonical string (and its refusals) equals a
//! deliberately naive oracle's, which filters, insertion-sorts with the same
//! `collation::compare`, and joins, one obvious step at a time.
//!
//! Input format (so seeds and the dictionary stay readable): the bytes as
//! lossy UTF-8, split on `&` into pairs, each split at its first `=`. A value
//! starting with a control character picks a type: `\x01` null, `\x02` integer,
//! `\x03` unsigned, `\x04` float, `\x05` boolean (the rest parsed or measured).
//! A [`hooksig::Layout`] of the same keys must sign exactly as `sign` does.
#![no_main]

use hooksig::{ErrorKind, Value, collation};
use libfuzzer_sys::fuzz_target;
use std::cmp::Ordering;

fn value(text: &str) -> Value<'_> {
    let mut chars = text.chars();
    let tag = chars.next();
    let rest = chars.as_str();
    match tag {
        Some('\x01') => Value::Null,
        Some('\x02') => Value::Int(rest.parse().unwrap_or(-(rest.len() as i64))),
        Some('\x03') => Value::UInt(rest.parse().unwrap_or(u64::MAX - rest.len() as u64)),
        Some('\x04') => Value::Float(rest.parse().unwrap_or(rest.len() as f64 / 7.0)),
        Some('\x05') => Value::Bool(rest.is_empty()),
        _ => Value::Str(text),
    }
}

/// The naive canonical string, or the error kind and index it must refuse with.
fn oracle(pairs: &[(&str, Value<'_>)]) -> Result<String, (ErrorKind, usize)> {
    if let Some(i) = pairs.iter().position(|(k, _)| k.is_empty()) {
        return Err((ErrorKind::EmptyKey, i));
    }
    for i in 0..pairs.len() {
        for j in 0..i {
            if pairs[j].0 == pairs[i].0 {
                return Err((ErrorKind::DuplicateKey, i));
            }
        }
    }
    let mut kept: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        let text = v.to_string();
        let dropped = *k == "hash"
            || matches!(v, Value::Null)
            || text.is_empty()
            || text == "null"
            || text == "undefined";
        if !dropped {
            kept.push((k.to_string(), text));
        }
    }
    // Insertion sort, stable: each pair goes after every key not greater than it.
    let mut sorted: Vec<(String, String)> = Vec::new();
    for pair in kept {
        let mut at = sorted.len();
        while at > 0 && collation::compare(&sorted[at - 1].0, &pair.0).unwrap() == Ordering::Greater
        {
            at -= 1;
        }
        sorted.insert(at, pair);
    }
    let parts: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Ok(parts.join("&"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if text.is_empty() {
        return;
    }
    let pairs: Vec<(&str, Value<'_>)> = text
        .split('&')
        .map(|s| {
            let (k, v) = s.split_once('=').unwrap_or((s, ""));
            (k, value(v))
        })
        .collect();
    let core = hooksig::canonical(&pairs).map_err(|e| (e.kind(), e.index().unwrap_or(usize::MAX)));
    assert_eq!(core, oracle(&pairs));
    // A Layout of the same keys signs as sign does, or refuses the same key.
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
    let values: Vec<Value<'_>> = pairs.iter().map(|(_, v)| *v).collect();
    let signed = hooksig::sign(&pairs, "s");
    match hooksig::Layout::new(&keys) {
        Ok(layout) => assert_eq!(layout.sign(&values, "s"), signed),
        Err(e) => assert_eq!(Err(e), signed),
    }
});
