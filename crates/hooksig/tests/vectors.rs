//! Replays every shared conformance vector (tests/vectors/*.json, copied
//! unedited from the reference runs) through the Rust API.

use hooksig::Value;
use serde_json::Value as Json;

fn load(name: &str) -> Vec<Json> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Json = serde_json::from_str(&text).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

/// A JSON value as the reference reads it: numbers are doubles (`JSON.parse`).
fn value(v: &Json) -> Value<'_> {
    match v {
        Json::String(s) => Value::Str(s),
        Json::Number(n) => Value::Float(n.as_f64().unwrap()),
        Json::Bool(b) => Value::Bool(*b),
        Json::Null => Value::Null,
        other => panic!("unexpected value {other}"),
    }
}

/// Without the `unicode` feature, a vector with a non-ASCII key must be refused
/// with `unsupported-key` instead of being ordered by a guess.
const UNICODE: bool = cfg!(feature = "unicode");

fn ascii_keys<'a>(mut keys: impl Iterator<Item = &'a str>) -> bool {
    keys.all(|k| k.is_ascii())
}

fn params(v: &Json) -> Vec<(&str, Value<'_>)> {
    v["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap(), value(&p[1])))
        .collect()
}

#[test]
#[cfg(feature = "alloc")]
fn params_vectors_canonical_and_hash() {
    let vectors = load("params.json");
    assert_eq!(vectors.len(), 230);
    let mut failures = Vec::new();
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let pairs = params(v);
        let secret = v["secret"].as_str().unwrap();
        if !UNICODE && !ascii_keys(pairs.iter().map(|p| p.0)) {
            let err = hooksig::sign(&pairs, secret).unwrap_err();
            assert_eq!(err.kind().name(), "unsupported-key", "{id}");
            continue;
        }
        let canonical = hooksig::canonical(&pairs).unwrap();
        let sig = hooksig::sign(&pairs, secret).unwrap();
        if canonical != v["canonical"].as_str().unwrap() || sig.as_str() != v["hash"] {
            failures.push(id.to_string());
        }
        // The no-alloc path agrees.
        let mut in_place = pairs.clone();
        assert_eq!(
            hooksig::sign_pairs(&mut in_place, secret).unwrap(),
            sig,
            "{id}"
        );
        // And verifying the pairs with their hash succeeds.
        let mut with_hash = pairs.clone();
        with_hash.retain(|p| p.0 != "hash");
        with_hash.push(("hash", Value::Str(v["hash"].as_str().unwrap())));
        assert_eq!(hooksig::verify_any(&with_hash, &[secret]), Ok(0), "{id}");
    }
    assert!(failures.is_empty(), "failing params vectors: {failures:?}");
}

#[test]
#[cfg(feature = "alloc")]
fn collation_vectors_sorted() {
    let vectors = load("collation.json");
    assert_eq!(vectors.len(), 200);
    for v in &vectors {
        let mut keys: Vec<&str> = v["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        let sorted: Vec<&str> = v["sorted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        if !UNICODE && !ascii_keys(keys.iter().copied()) {
            assert!(hooksig::collation::sort(&mut keys).is_err());
            continue;
        }
        hooksig::collation::sort(&mut keys).unwrap();
        assert_eq!(keys, sorted, "{}", v["id"]);
    }
}

#[test]
#[cfg(feature = "alloc")]
fn body_vectors_verdicts() {
    let vectors = load("bodies.json");
    assert_eq!(vectors.len(), 188);
    let mut failures = Vec::new();
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let body = v["body"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let got = match hooksig::verify_form_with(
            body.as_bytes(),
            &[secret],
            &hooksig::FormOptions::new(),
        ) {
            Ok(_) => "accept".to_string(),
            Err(e) => format!("reject:{}", e.kind().name()),
        };
        let mut want = v["expected"].as_str().unwrap().to_string();
        if let Ok(fields) = hooksig::parse_form(body.as_bytes())
            && !UNICODE
            && !ascii_keys(fields.iter().map(|f| &*f.0))
        {
            want = "reject:unsupported-key".into();
        }
        if got != want {
            failures.push(format!("{id}: got {got}, want {}", v["expected"]));
        }
    }
    assert!(failures.is_empty(), "failing body vectors: {failures:#?}");
}

#[test]
#[cfg(feature = "alloc")]
fn golden_forms_byte_for_byte() {
    let params_vectors = load("params.json");
    let mut checked = 0;
    for v in load("bodies.json") {
        let id = v["id"].as_str().unwrap();
        let Some(pid) = id.strip_suffix("/golden") else {
            continue;
        };
        let p = params_vectors.iter().find(|p| p["id"] == pid).unwrap();
        if !UNICODE && !ascii_keys(params(p).iter().map(|p| p.0)) {
            continue;
        }
        let body = hooksig::encode_form(&params(p), p["secret"].as_str().unwrap()).unwrap();
        assert_eq!(body, v["body"].as_str().unwrap(), "{id}");
        checked += 1;
    }
    let want = if UNICODE { 73 } else { 29 };
    assert_eq!(checked, want, "golden vectors checked");
}

#[test]
#[cfg(feature = "alloc")]
fn accepted_bodies_return_exactly_the_signed_fields() {
    for v in load("bodies.json") {
        let body = v["body"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let Ok(fields) = hooksig::verify_form(body, secret) else {
            continue;
        };
        for (k, val) in &fields {
            assert_ne!(k, "hash");
            assert!(!matches!(&**val, "" | "null" | "undefined"), "{}", v["id"]);
        }
        // The fields alone re-sign to the received hash.
        let sig = hooksig::sign(&fields, secret).unwrap();
        assert!(body.contains(sig.as_str()), "{}", v["id"]);
    }
}

/// The no-alloc path (in-place stable sort, pairwise duplicate check) on every
/// params vector it can order; compiled in every feature combination.
#[test]
fn params_vectors_in_place_without_allocation_api() {
    let mut checked = 0;
    for v in &load("params.json") {
        let id = v["id"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let mut pairs = params(v);
        if !UNICODE && !ascii_keys(pairs.iter().map(|p| p.0)) {
            let err = hooksig::sign_pairs(&mut pairs, secret).unwrap_err();
            assert_eq!(err.kind().name(), "unsupported-key", "{id}");
            continue;
        }
        let sig = hooksig::sign_pairs(&mut pairs, secret).unwrap();
        assert_eq!(sig.as_str(), v["hash"], "{id}");
        let hash = v["hash"].as_str().unwrap();
        let mut with_hash = params(v);
        with_hash.retain(|p| p.0 != "hash");
        with_hash.push(("hash", Value::Str(hash)));
        assert_eq!(
            hooksig::verify_pairs(&mut with_hash, &["wrong", secret]),
            Ok(1),
            "{id}"
        );
        checked += 1;
    }
    assert_eq!(checked, if UNICODE { 230 } else { 72 });
}
