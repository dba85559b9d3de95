//! Arbitrary bytes as a form body.
//!
//! - `parse_form` and `verify_form` never panic;
//! - `parse_form` gives exactly what a naive line-by-line reading of the
//!   Parsing rules gives (the oracle shared with the test suite): the same
//!   fields, or the same fault at the same segment;
//! - every body the parser accepts round-trips: sign its fields, build the
//!   body with `encode_form`, and `verify_form` accepts it and returns exactly
//!   the signed fields (hash and dropped values out) in canonical order, which
//!   is checked against a plain stable sort with `collation::compare`.
#![no_main]

use hooksig::{FormOptions, Value, canonical::exclusion, collation};
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/hooksig/tests/oracle/form.rs"]
mod oracle;

const SECRET: &str = "fuzz-secret";

fuzz_target!(|body: &[u8]| {
    let _ = hooksig::verify_form(body, SECRET);
    let parsed = hooksig::parse_form(body);
    let owned = match &parsed {
        Ok(fields) => Ok(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        Err(e) => Err((e.kind(), e.index())),
    };
    assert_eq!(owned, oracle::naive(body, FormOptions::DEFAULT_MAX_PARAMS));
    let Ok(fields) = parsed else {
        return;
    };

    let sig = hooksig::sign(&fields, SECRET).expect("accepted fields sign");
    let rebuilt = hooksig::encode_form(&fields, SECRET).expect("accepted fields encode");
    assert!(rebuilt.ends_with(&format!("hash={}", sig.as_str())));
    // The rebuilt body has at most one segment more than the fields (`hash`).
    let options = FormOptions::new().max_params(FormOptions::DEFAULT_MAX_PARAMS + 1);
    let verified = hooksig::verify_form_with(rebuilt.as_bytes(), &[SECRET], &options)
        .expect("a rebuilt body verifies");
    assert_eq!(verified.secret_index, 0);

    let mut expected: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (&**k, &**v))
        .filter(|(k, v)| exclusion(k, &Value::Str(v)).is_none())
        .collect();
    expected.sort_by(|a, b| collation::compare(a.0, b.0).expect("orderable"));
    let got: Vec<(&str, &str)> = verified.fields.iter().map(|(k, v)| (&**k, &**v)).collect();
    assert_eq!(got, expected);
});
