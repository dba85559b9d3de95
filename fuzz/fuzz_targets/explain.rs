//! Arbitrary bytes into `explain`: it never panics, and its verdict is the
//! one `verify_form_with` gives for the same body, secrets and limits.
#![no_main]

use hooksig::FormOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let secrets = ["fuzz-secret", "other"];
    let options = FormOptions::new();
    let report = hooksig::explain(body, &secrets, &options);
    let _ = report.to_string();
    let verdict = hooksig::verify_form_with(body, &secrets, &options).map(|v| v.secret_index);
    assert_eq!(report.verdict, verdict);
});
