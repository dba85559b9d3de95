//! Inputs that once crashed a fuzz target (`fuzz/`), replayed in the normal
//! test suite so the crash stays fixed. Each test names the target and the
//! finding.
#![cfg(feature = "alloc")]

use hooksig::FormOptions;

/// The raw body of a conformance vector, by id.
fn vector_body(id: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/bodies.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vector = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap();
    vector["body"].as_str().unwrap().to_owned()
}

/// fuzz target `form` (which then also ran `explain`), first run: the
/// mismatch diagnosis sorted the `ties-2/wire` body's keys with a comparator
/// that is not a total order (ASCII pairs in a tailored order, other pairs in
/// root order), and the standard library's sort panicked
/// ("user-provided comparison function does not correctly implement a total
/// order") inside `diagnosis::variant_canonicals`.
#[test]
fn explain_on_tied_keys_with_a_wrong_secret_does_not_panic() {
    let body = vector_body("ties-2/wire");
    let report = hooksig::explain(body.as_bytes(), &["fuzz-secret"], &FormOptions::new());
    // Without ICU collation its non-ASCII keys cannot be ordered at all.
    let expected = if cfg!(feature = "unicode") {
        hooksig::ErrorKind::Mismatch
    } else {
        hooksig::ErrorKind::UnsupportedKey
    };
    assert_eq!(report.verdict.unwrap_err().kind(), expected);
    assert!(!report.to_string().is_empty());
}
