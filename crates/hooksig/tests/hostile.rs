//! Hostile input: each case gets a clear typed error or a correct answer
//! (asserted exactly), with no panic, hang or quadratic blow-up. Expected
//! hashes were computed independently (Python's hashlib) over the canonical
//! string plus the secret.
//!
//! Sizes are the issue's; the heaviest cases stay around a second in a debug build.
#![cfg(feature = "unicode")]

use hooksig::{ErrorKind, FormOptions, Value};

const SECRET: &str = "s";

fn kind<T: std::fmt::Debug>(r: Result<T, hooksig::Error>) -> (ErrorKind, Option<usize>) {
    let e = r.unwrap_err();
    (e.kind(), e.index())
}

/// `verify_form_with` with the parameter limit raised to `max`.
fn verify_raised(body: &[u8], max: usize) -> Result<hooksig::Verified<'_>, hooksig::Error> {
    hooksig::verify_form_with(body, &[SECRET], &FormOptions::new().max_params(max))
}

/// The signed fields as owned pairs, to compare with expectations.
fn pairs(fields: &hooksig::Fields<'_>) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn ten_mib_bodies() {
    // A valid 10 MiB body: one value of 2 Mi × "ab cd", spaces sent as `+`.
    let value = "ab cd".repeat(2 << 20);
    let body = hooksig::encode_form(&[("data", value.as_str())], SECRET).unwrap();
    assert!(body.len() > 10 << 20);
    assert!(body.ends_with("hash=4737069b1b0278590b9ce700a506e1bf"));
    let fields = hooksig::verify_form(&body, SECRET).unwrap();
    assert_eq!(fields.len(), 1);
    assert!(fields[0].1 == value);
    // 10 MiB of `%`: a malformed escape in the first segment.
    let junk = vec![b'%'; 10 << 20];
    assert_eq!(
        kind(hooksig::verify_form(&junk[..], SECRET)),
        (ErrorKind::InvalidEncoding, Some(0))
    );
    // 10 MiB of `a=1&`: the limit refuses it before decoding anything.
    let many = b"a=1&".repeat(10 << 18);
    assert_eq!(
        kind(hooksig::verify_form(&many[..], SECRET)).0,
        ErrorKind::TooManyParams
    );
}

#[test]
fn a_hundred_thousand_ampersands() {
    let body = format!(
        "{}a=1&hash=acd5f557e3b8da52b8aaec0623d7725e",
        "&".repeat(100_000)
    );
    // Every segment counts, empty ones included.
    assert_eq!(
        kind(hooksig::verify_form(&body, SECRET)).0,
        ErrorKind::TooManyParams
    );
    let fields = verify_raised(body.as_bytes(), 100_002).unwrap().fields;
    assert_eq!(pairs(&fields), [("a".to_owned(), "1".to_owned())]);
    assert_eq!(
        kind(verify_raised(body.as_bytes(), 100_001)).0,
        ErrorKind::TooManyParams
    );
}

#[test]
fn a_thousand_duplicate_keys() {
    let body = vec!["a=1"; 1000].join("&");
    // The second segment is the first repeat.
    assert_eq!(
        kind(hooksig::verify_form(&body, SECRET)),
        (ErrorKind::DuplicateKey, Some(1))
    );
    // Duplicates after 999 distinct keys are found without pairwise comparison.
    let mut keys: Vec<String> = (0..999).map(|i| format!("k{i}=1")).collect();
    keys.push("k500=2".to_owned());
    assert_eq!(
        kind(hooksig::verify_form(&keys.join("&"), SECRET)),
        (ErrorKind::DuplicateKey, Some(999))
    );
}

#[test]
fn keys_of_64_kib() {
    let key = "k".repeat(64 << 10);
    let body = format!("{key}=1&hash=7a9c36dcba922752d442d516602dd0e3");
    let fields = hooksig::verify_form(&body, SECRET).unwrap();
    assert!(fields.len() == 1 && fields[0].0 == key);
    // The same key escaped (`%6B` is `k`) decodes to the same field.
    let escaped = format!(
        "{}=1&hash=7a9c36dcba922752d442d516602dd0e3",
        "%6B".repeat(64 << 10)
    );
    assert!(hooksig::verify_form(&escaped, SECRET).unwrap()[0].0 == key);
    // Two such keys that tie only in their last byte's case still sort right.
    let upper = format!("{}K", "k".repeat((64 << 10) - 1));
    let params = [(upper.as_str(), "2"), (key.as_str(), "1")];
    let canonical = hooksig::canonical(&params).unwrap();
    assert!(canonical.starts_with(&format!("{key}=1&")));
}

#[test]
fn percent_at_the_end() {
    assert_eq!(
        kind(hooksig::verify_form("a=1%", SECRET)),
        (ErrorKind::InvalidEncoding, Some(0))
    );
    assert_eq!(
        kind(hooksig::verify_form("a=1&b=%", SECRET)),
        (ErrorKind::InvalidEncoding, Some(1))
    );
    assert_eq!(
        kind(hooksig::verify_form("a=1&b=%4", SECRET)),
        (ErrorKind::InvalidEncoding, Some(1))
    );
    assert_eq!(
        kind(hooksig::verify_form("a=1&%", SECRET)),
        (ErrorKind::InvalidEncoding, Some(1))
    );
}

#[test]
fn overlong_utf8() {
    // `/` as two bytes, and NUL as two and three bytes: escaped and raw.
    for body in [
        &b"a=%C0%AF"[..],
        b"a=%C0%80",
        b"a=%E0%80%80",
        b"a=\xC0\xAF",
        b"\xC0\xAF=1",
    ] {
        assert_eq!(
            kind(hooksig::verify_form(body, SECRET)),
            (ErrorKind::InvalidEncoding, Some(0)),
            "{body:?}"
        );
    }
}

#[test]
fn surrogates() {
    for body in [
        &b"a=%ED%A0%80"[..],
        b"%ED%A0%80=1",
        b"a=\xED\xA0\x80",
        b"a=%ED%B0%80%ED%A0%80",
    ] {
        assert_eq!(
            kind(hooksig::verify_form(body, SECRET)),
            (ErrorKind::InvalidEncoding, Some(0)),
            "{body:?}"
        );
    }
}

#[test]
fn nul_bytes() {
    // `a`, `a\0` and `\0a` are distinct keys that collate equal: kept, in input order.
    let params = [("a\0", "1"), ("a", "2"), ("\0a", "3")];
    let sig = hooksig::sign(&params, SECRET).unwrap();
    assert_eq!(hooksig::canonical(&params).unwrap(), "a\0=1&a=2&\0a=3");
    let body = format!("a%00=1&a=2&%00a=3&hash={sig}");
    let fields = hooksig::verify_form(&body, SECRET).unwrap();
    assert_eq!(
        fields,
        [
            ("a\0".into(), "1".into()),
            ("a".into(), "2".into()),
            ("\0a".into(), "3".into())
        ]
    );
    // Raw NUL bytes are the same fields.
    let raw = format!("a\0=1&a=2&\0a=3&hash={sig}");
    assert_eq!(hooksig::verify_form(&raw, SECRET).unwrap(), fields);
    // A NUL-only key is not empty; a value of NUL is not dropped.
    assert!(
        hooksig::verify_form("%00=%00&hash=00000000000000000000000000000000", SECRET)
            .is_err_and(|e| e.kind() == ErrorKind::Mismatch)
    );
}

#[test]
fn byte_order_marks() {
    // One raw leading BOM is stripped.
    let fields = hooksig::verify_form(
        b"\xEF\xBB\xBFa=1&hash=acd5f557e3b8da52b8aaec0623d7725e",
        SECRET,
    )
    .unwrap();
    assert_eq!(pairs(&fields), [("a".to_owned(), "1".to_owned())]);
    // A percent-encoded BOM is part of the key, and so of what is signed.
    assert_eq!(
        kind(hooksig::verify_form(
            "%EF%BB%BFa=1&hash=acd5f557e3b8da52b8aaec0623d7725e",
            SECRET
        ))
        .0,
        ErrorKind::Mismatch
    );
    let fields =
        hooksig::verify_form("%EF%BB%BFa=1&hash=35973b2db94b0e29b4237837aa9d1995", SECRET).unwrap();
    assert_eq!(pairs(&fields), [("\u{FEFF}a".to_owned(), "1".to_owned())]);
    // Only one raw BOM is stripped: a second one belongs to the key.
    let fields = hooksig::verify_form(
        b"\xEF\xBB\xBF\xEF\xBB\xBFa=1&hash=35973b2db94b0e29b4237837aa9d1995",
        SECRET,
    )
    .unwrap();
    assert_eq!(pairs(&fields), [("\u{FEFF}a".to_owned(), "1".to_owned())]);
}

#[test]
fn ten_thousand_tied_keys() {
    // Distinct keys that all collate equal to `a` (ignorable controls around it).
    let keys: Vec<String> = (0..10_000u32)
        .map(|i| {
            let pad: String = (0..5)
                .map(|d| char::from(((i >> (3 * d)) & 7) as u8))
                .collect();
            if i % 2 == 0 {
                format!("{pad}a")
            } else {
                format!("a{pad}")
            }
        })
        .collect();
    let params: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
    let expected: Vec<String> = keys.iter().map(|k| format!("{k}=v")).collect();
    assert_eq!(hooksig::canonical(&params).unwrap(), expected.join("&"));
    let sig = hooksig::sign(&params, SECRET).unwrap();
    let mut signed = params.clone();
    signed.push(("hash", sig.as_str()));
    assert_eq!(hooksig::verify(&signed, SECRET), Ok(()));
    // A repeat among them is still found, at its index.
    let mut dup = params.clone();
    dup.push(params[4321]);
    assert_eq!(
        kind(hooksig::sign(&dup, SECRET)),
        (ErrorKind::DuplicateKey, Some(10_000))
    );
}

#[test]
fn a_hundred_thousand_distinct_keys() {
    // Reverse order, so the sort has to move everything.
    let keys: Vec<String> = (0..100_000).rev().map(|i| format!("k{i:05}")).collect();
    let params: Vec<(&str, Value)> = keys.iter().map(|k| (k.as_str(), Value::Int(1))).collect();
    let canonical = hooksig::canonical(&params).unwrap();
    assert!(canonical.starts_with("k00000=1&k00001=1&"));
    assert!(canonical.ends_with("&k99998=1&k99999=1"));
    assert_eq!(canonical.len(), 100_000 * 9 - 1);
    let sig = hooksig::sign(&params, SECRET).unwrap();
    let mut signed = params.clone();
    signed.push(("hash", Value::Str(sig.as_str())));
    assert_eq!(hooksig::verify(&signed, SECRET), Ok(()));
}

#[test]
fn values_of_16_mib() {
    let value = "x".repeat(16 << 20);
    let sig = hooksig::sign(&[("v", value.as_str())], SECRET).unwrap();
    assert_eq!(sig.as_str(), "124c86a8c04220bdc7074e7444e419b9");
    let mut pairs = [
        ("v", Value::Str(&value)),
        ("hash", Value::Str("124c86a8c04220bdc7074e7444e419b9")),
    ];
    assert_eq!(hooksig::verify_pairs(&mut pairs, &[SECRET]), Ok(0));
}
