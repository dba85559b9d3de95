//! The secret never leaks: every error, report and signature, in `Display` and
//! `Debug`, is searched for a canary secret.

#![cfg(feature = "alloc")]

use hooksig::{FormOptions, Value};

const CANARY: &str = "CANARY-s3cr3t-7731";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(CANARY), "{what} leaks the secret: {text}");
    assert!(
        !text.contains("s3cr3t"),
        "{what} leaks part of the secret: {text}"
    );
}

#[test]
fn no_output_contains_the_secret() {
    let params = [("event", Value::Str("DEPOSIT")), ("a", Value::Int(1))];
    let body = hooksig::encode_form(&params, CANARY).unwrap();
    assert_clean("encode_form", &body);
    let sig = hooksig::sign(&params, CANARY).unwrap();
    assert_clean("Signature Display", &sig.to_string());
    assert_clean("Signature Debug", &format!("{sig:?}"));

    let bodies: Vec<String> = vec![
        body.clone(),
        body.replace("a=1", "a=2"),
        body.replace("hash=", "hash=X"),
        "a=1".into(),
        "a=%ZZ&hash=0".into(),
        "a=1&a=2".into(),
        "=1".into(),
        "&".repeat(2000),
        format!("{CANARY}={CANARY}&hash=00000000000000000000000000000000"),
    ];
    for b in &bodies {
        for secrets in [vec![CANARY], vec!["other", CANARY], vec![""]] {
            let r = hooksig::verify_form_with(b.as_bytes(), &secrets, &FormOptions::new());
            if let Err(e) = r {
                assert_clean("error Display", &e.to_string());
                assert_clean("error Debug", &format!("{e:?}"));
            }
            let report = hooksig::explain(b.as_bytes(), &secrets, &FormOptions::new());
            let text = format!("{report}");
            let debug = format!("{report:?}");
            if b.starts_with(CANARY) {
                // The body itself carried the canary as a key: a report may show the
                // body, but never anything the secret alone produced.
                continue;
            }
            assert_clean("report Display", &text);
            assert_clean("report Debug", &debug);
        }
    }
    for e in [
        hooksig::sign(&params, "").unwrap_err(),
        hooksig::verify(&params, CANARY).unwrap_err(),
    ] {
        assert_clean("typed error", &format!("{e} {e:?}"));
    }
}
