//! Properties checked on random inputs against deliberately naive oracles.

#![cfg(feature = "alloc")]

use core::cmp::Ordering;
use hooksig::collation::compare;
use hooksig::{FormOptions, Value};
use proptest::prelude::*;

/// Keys from an alphabet rich in the hard cases: case pairs, punctuation,
/// digits, ignorables (with `unicode`: accents, combining marks, NFC/NFD).
fn key_char() -> impl Strategy<Value = char> {
    let ascii = prop::sample::select(vec![
        'a', 'A', 'b', 'B', 'z', '_', '-', '.', ' ', '1', '9', '$', '~', '\0', '\u{1f}', '\u{7f}',
        '\t',
    ]);
    if cfg!(feature = "unicode") {
        prop_oneof![
            4 => ascii,
            1 => prop::sample::select(vec!['é', '\u{301}', 'ё', 'ß', '\u{200b}', '\u{ad}', '\u{feff}', 'ı', 'İ', '😀', 'ア']),
        ]
        .boxed()
    } else {
        ascii.boxed()
    }
}

fn key() -> impl Strategy<Value = String> {
    prop::collection::vec(key_char(), 1..6).prop_map(|cs| cs.into_iter().collect())
}

#[derive(Clone, Debug)]
enum Val {
    S(String),
    I(i64),
    F(f64),
    B(bool),
    N,
}

impl Val {
    fn as_value(&self) -> Value<'_> {
        match self {
            Val::S(s) => Value::Str(s),
            Val::I(i) => Value::Int(*i),
            Val::F(f) => Value::Float(*f),
            Val::B(b) => Value::Bool(*b),
            Val::N => Value::Null,
        }
    }
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        4 => "[a-zA-Z0-9 &=+%é]{0,8}".prop_map(Val::S),
        1 => prop::sample::select(vec!["", "null", "undefined", "0", " "]).prop_map(|s| Val::S(s.into())),
        1 => any::<i64>().prop_map(Val::I),
        1 => any::<f64>().prop_map(Val::F),
        1 => any::<bool>().prop_map(Val::B),
        1 => Just(Val::N),
    ]
}

/// Params with unique, non-empty keys (a JS object cannot repeat a key).
fn params() -> impl Strategy<Value = Vec<(String, Val)>> {
    prop::collection::vec((key(), val()), 0..12).prop_map(|mut ps| {
        let mut seen = std::collections::HashSet::new();
        ps.retain(|(k, _)| k != "hash" && seen.insert(k.clone()));
        ps
    })
}

fn typed(ps: &[(String, Val)]) -> Vec<(&str, Value<'_>)> {
    ps.iter().map(|(k, v)| (k.as_str(), v.as_value())).collect()
}

/// The naive oracle: filter, then a stable insertion sort with `compare`, then join.
fn oracle_canonical(ps: &[(&str, Value)]) -> String {
    let mut kept: Vec<(&str, String)> = Vec::new();
    for (k, v) in ps {
        let text = v.to_string();
        if *k == "hash"
            || matches!(v, Value::Null)
            || matches!(text.as_str(), "" | "null" | "undefined")
        {
            continue;
        }
        let pos = kept
            .iter()
            .position(|(other, _)| compare(k, other).unwrap() == Ordering::Less)
            .unwrap_or(kept.len());
        kept.insert(pos, (k, text));
    }
    kept.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn verify_of_sign_holds(ps in params(), secret in "[a-z]{1,8}") {
        let pairs = typed(&ps);
        let sig = hooksig::sign(&pairs, &secret).unwrap();
        let mut with_hash = pairs.clone();
        with_hash.push(("hash", Value::Str(sig.as_str())));
        prop_assert_eq!(hooksig::verify_any(&with_hash, &["other", secret.as_str()]), Ok(1));
    }

    #[test]
    fn canonical_matches_a_stable_naive_oracle(ps in params()) {
        let pairs = typed(&ps);
        prop_assert_eq!(hooksig::canonical(&pairs).unwrap(), oracle_canonical(&pairs));
    }

    #[test]
    fn shuffling_untied_keys_keeps_the_hash(ps in params(), seed in any::<u64>()) {
        let mut pairs = typed(&ps);
        // Keep one key of each tie class, so the order is fully determined.
        let mut untied: Vec<(&str, Value)> = Vec::new();
        for p in pairs.drain(..) {
            if untied.iter().all(|q| compare(q.0, p.0).unwrap() != Ordering::Equal) {
                untied.push(p);
            }
        }
        let before = hooksig::sign(&untied, "s").unwrap();
        let mut rng = seed;
        for i in (1..untied.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            untied.swap(i, (rng >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(hooksig::sign(&untied, "s").unwrap(), before);
    }

    #[test]
    fn dropped_values_never_affect_the_hash(ps in params(), extra in prop::collection::vec(0u8..5, 0..4)) {
        let pairs = typed(&ps);
        let before = hooksig::sign(&pairs, "s").unwrap();
        let names: Vec<String> = (0..extra.len()).map(|i| format!("zz_dropped_{i}")).collect();
        let mut more = pairs.clone();
        for (name, kind) in names.iter().zip(&extra) {
            let v = [Value::Null, Value::Str(""), Value::Str("null"), Value::Str("undefined"), Value::Null][*kind as usize];
            more.insert(0, (name.as_str(), v));
        }
        more.push(("hash", Value::Str("anything")));
        prop_assert_eq!(hooksig::sign(&more, "s").unwrap(), before);
    }

    #[test]
    fn form_round_trip_gives_back_the_signed_fields(ps in params(), secret in "[a-z]{1,8}") {
        let pairs = typed(&ps);
        let body = hooksig::encode_form(&pairs, &secret).unwrap();
        let v = hooksig::verify_form_with(body.as_bytes(), &[&secret], &FormOptions::new()).unwrap();
        let expected: Vec<(String, String)> = {
            let c = oracle_canonical(&pairs);
            let mut sorted: Vec<(&str, Value)> = pairs.iter().copied().filter(|(k, v)| hooksig::canonical::exclusion(k, v).is_none()).collect();
            hooksig::canonical::write_canonical(&mut sorted, &mut String::new()).unwrap();
            let out: Vec<(String, String)> = sorted.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            prop_assert_eq!(out.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"), c);
            out
        };
        let got: Vec<(String, String)> = v.fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn a_layout_signs_like_sign_for_every_payload_of_its_keys(
        keys in prop::collection::vec(prop_oneof![6 => key(), 1 => Just(String::new()), 1 => Just("hash".to_string())], 0..12),
        payloads in prop::collection::vec(prop::collection::vec(val(), 12), 1..4),
        secret in prop_oneof![4 => "[a-z]{1,8}", 1 => Just(String::new())],
    ) {
        // Repeated and empty keys too: the layout refuses them as sign does.
        let layout = hooksig::Layout::new(&keys);
        for values in &payloads {
            let values: Vec<Value> = values[..keys.len()].iter().map(Val::as_value).collect();
            let pairs: Vec<(&str, Value)> = keys.iter().map(String::as_str).zip(values.iter().copied()).collect();
            let want = hooksig::sign(&pairs, &secret);
            match &layout {
                Ok(layout) => prop_assert_eq!(layout.sign(&values, &secret), want),
                // Key errors come after the secret's in sign.
                Err(e) => prop_assert!(want == Err(*e) || want.unwrap_err().kind() == hooksig::ErrorKind::EmptySecret),
            }
        }
    }

    #[test]
    fn collation_is_a_total_preorder(a in key(), b in key(), c in key()) {
        let ab = compare(&a, &b).unwrap();
        prop_assert_eq!(compare(&b, &a).unwrap(), ab.reverse());
        prop_assert_eq!(compare(&a, &a).unwrap(), Ordering::Equal);
        let bc = compare(&b, &c).unwrap();
        let ac = compare(&a, &c).unwrap();
        if ab != Ordering::Greater && bc != Ordering::Greater {
            prop_assert_ne!(ac, Ordering::Greater);
        }
        if ab == Ordering::Equal && bc == Ordering::Equal {
            prop_assert_eq!(ac, Ordering::Equal);
        }
    }
}

#[cfg(feature = "unicode")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn ascii_fast_path_agrees_with_the_full_collator(a in "[\\x00-\\x7f]{0,8}", b in "[\\x00-\\x7f]{0,8}") {
        prop_assert_eq!(compare(&a, &b).unwrap(), hooksig::collation::compare_full(&a, &b));
    }

    #[test]
    fn ascii_fast_path_agrees_on_near_ties(a in "[aA_\\-0\\x00\\x1f ]{0,6}", b in "[aA_\\-0\\x00\\x1f ]{0,6}") {
        prop_assert_eq!(compare(&a, &b).unwrap(), hooksig::collation::compare_full(&a, &b));
    }

    /// Every way a set of keys is sorted (the packed ASCII orders, sort keys
    /// for mostly non-ASCII sets on the stack or the heap, direct
    /// comparisons for mixed ones) gives the stable order of the full collator.
    #[test]
    fn every_sort_path_gives_the_full_collators_stable_order(
        keys in prop::collection::vec(prop_oneof![key(), "[a-zA-Z0-9_\\-]{0,12}"], 0..40),
    ) {
        let mut expected = keys.clone();
        expected.sort_by(|a, b| hooksig::collation::compare_full(a, b));
        let mut got = keys.clone();
        hooksig::collation::sort(&mut got).unwrap();
        prop_assert_eq!(got, expected);
    }
}

/// Every pair of single ASCII characters, and of two-character strings over a
/// sample: the fast path and ICU agree exhaustively there.
#[cfg(feature = "unicode")]
#[test]
fn ascii_fast_path_agrees_exhaustively_on_short_keys() {
    let all: Vec<String> = (0u8..128).map(|c| (c as char).to_string()).collect();
    for a in &all {
        for b in &all {
            assert_eq!(
                compare(a, b).unwrap(),
                hooksig::collation::compare_full(a, b),
                "{a:?} vs {b:?}"
            );
        }
    }
    let some = "aAzZ09_-. \0\t~$";
    let pairs: Vec<String> = some
        .chars()
        .flat_map(|x| some.chars().map(move |y| format!("{x}{y}")))
        .collect();
    for a in &pairs {
        for b in &pairs {
            assert_eq!(
                compare(a, b).unwrap(),
                hooksig::collation::compare_full(a, b),
                "{a:?} vs {b:?}"
            );
        }
    }
}
