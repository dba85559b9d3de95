//! Replays every shared conformance vector through the built `hooksig` binary:
//! the canonical string and hash of each params vector (`sign --params`), the
//! key order of each collation vector (`sign --canonical`), the golden form
//! bodies (`sign --form`), and the verdict, exit status and signed fields of
//! each body vector (`verify --json`).
//!
//! Params are passed as JSON arrays of `[key, value]` pairs on standard input,
//! so tied keys keep their input order.

mod common;

use common::{hooksig, par_failures, vectors};
use serde_json::Value as Json;
use std::collections::HashSet;

/// The params vector's pairs as a params file.
fn params_file(v: &Json) -> String {
    serde_json::to_string(&v["params"]).expect("params to JSON")
}

#[test]
fn params_vectors_canonical_and_hash() {
    let vectors = vectors("params.json");
    assert_eq!(vectors.len(), 230);
    let failures = par_failures(&vectors, |v| {
        let id = v["id"].as_str().unwrap();
        let input = params_file(v);
        let secret = v["secret"].as_str().unwrap();
        // --canonical needs no secret: none is set.
        let canonical = hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            input.as_bytes(),
        );
        if canonical.code != 0 || canonical.stdout != v["canonical"].as_str().unwrap() {
            return Some(format!("{id}: canonical {canonical:?}"));
        }
        let hash = hooksig(
            &["sign", "--params", "-"],
            &[("OPERATOR_SECRET_KEY", secret)],
            input.as_bytes(),
        );
        if hash.code != 0 || hash.stdout != v["hash"].as_str().unwrap() {
            return Some(format!("{id}: hash {hash:?}"));
        }
        None
    });
    assert!(failures.is_empty(), "failing params vectors: {failures:#?}");
    println!("{} params vectors passed through the CLI", vectors.len());
}

/// Around each key's index in its value, so the canonical string tells the
/// order even for keys that hold `&` or `=` or collate as equal. No collation
/// vector key contains them (checked).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The keys of a collation vector list that can go through signing: some
/// cannot, and are left out of both `keys` and `sorted`. Removing items from a
/// stable sort's output leaves the stable sort of the rest, so the order of
/// the others is still checked exactly.
/// - `hash`: the protocol drops it from the canonical string, so its place
///   cannot be seen.
/// - The empty key: refused (`empty-key`). No vector has one today.
/// - A repeat of an earlier key: refused (`duplicate-key`). Identical keys
///   tie, so a stable sort keeps their first occurrences in input order, and
///   the first occurrences in `sorted` are those of the stable sort of the
///   first occurrences in `keys`.
fn signable<'a>(list: &[&'a str]) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    list.iter()
        .copied()
        .filter(|k| !k.is_empty() && *k != "hash" && seen.insert(*k))
        .collect()
}

/// A JSON array of strings.
fn strings(v: &Json) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect()
}

#[test]
fn collation_vectors_order_through_sign_canonical() {
    let vectors = vectors("collation.json");
    assert_eq!(vectors.len(), 200);
    let failures = par_failures(&vectors, |v| {
        let id = v["id"].as_str().unwrap();
        let (keys, sorted) = (
            signable(&strings(&v["keys"])),
            signable(&strings(&v["sorted"])),
        );
        assert!(
            keys.iter().all(|k| !k.contains([OPEN, CLOSE])),
            "{id}: a key holds a marker"
        );
        let params: Vec<Json> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                Json::from(vec![
                    Json::from(*k),
                    Json::from(format!("{OPEN}{i}{CLOSE}")),
                ])
            })
            .collect();
        let run = hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            Json::from(params).to_string().as_bytes(),
        );
        if run.code != 0 {
            return Some(format!("{id}: {run:?}"));
        }
        let got: Vec<&str> = run
            .stdout
            .split(OPEN)
            .skip(1)
            .filter_map(|s| s.split(CLOSE).next()?.parse::<usize>().ok())
            .map(|i| keys[i])
            .collect();
        (got != sorted).then(|| format!("{id}: got {got:?}, want {sorted:?}"))
    });
    assert!(
        failures.is_empty(),
        "failing collation vectors: {failures:#?}"
    );
    println!(
        "{} collation vectors ordered through the CLI",
        vectors.len()
    );
}

#[test]
fn golden_bodies_byte_for_byte() {
    let params = vectors("params.json");
    let golden: Vec<Json> = vectors("bodies.json")
        .into_iter()
        .filter(|b| b["id"].as_str().unwrap().ends_with("/golden"))
        .collect();
    assert_eq!(golden.len(), 73);
    let failures = par_failures(&golden, |b| {
        let id = b["id"].as_str().unwrap();
        let pid = id.strip_suffix("/golden").unwrap();
        let p = params
            .iter()
            .find(|p| p["id"] == pid)
            .expect("params vector of a golden body");
        let run = hooksig(
            &["sign", "--form", "--params", "-"],
            &[("OPERATOR_SECRET_KEY", p["secret"].as_str().unwrap())],
            params_file(p).as_bytes(),
        );
        (run.code != 0 || run.stdout != b["body"].as_str().unwrap())
            .then(|| format!("{id}: {run:?}"))
    });
    assert!(failures.is_empty(), "failing golden bodies: {failures:#?}");
    println!("{} golden bodies matched byte for byte", golden.len());
}

/// The exit status the issue requires for an `expected` verdict.
fn expected_code(expected: &str) -> i32 {
    match expected {
        "accept" => 0,
        "reject:mismatch" | "reject:malformed-hash" | "reject:missing-hash" => 1,
        "reject:duplicate-key"
        | "reject:empty-key"
        | "reject:invalid-encoding"
        | "reject:too-many-params" => 2,
        other => panic!("unknown expected verdict {other}"),
    }
}

#[test]
fn body_vectors_verdicts() {
    let bodies = vectors("bodies.json");
    assert_eq!(bodies.len(), 188);
    let failures = par_failures(&bodies, |b| {
        let id = b["id"].as_str().unwrap();
        let body = b["body"].as_str().unwrap();
        let secret = b["secret"].as_str().unwrap();
        let expected = b["expected"].as_str().unwrap();
        let run = hooksig(
            &["verify", "--json"],
            &[("OPERATOR_SECRET_KEY", secret)],
            body.as_bytes(),
        );
        let out = run.json();
        let got = match (&out["valid"], &out["error"]) {
            (Json::Bool(true), Json::Null) => "accept".to_string(),
            (Json::Bool(false), Json::String(kind)) => format!("reject:{kind}"),
            _ => return Some(format!("{id}: malformed verdict {run:?}")),
        };
        if got != expected || run.code != expected_code(expected) {
            return Some(format!(
                "{id}: got {got} (exit {}), want {expected}",
                run.code
            ));
        }
        // The signed fields, in canonical order, exactly as the core returns them.
        match hooksig::verify_form(body, secret) {
            Ok(fields) => {
                let want: Vec<(String, Json)> = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), Json::String(v.to_string())))
                    .collect();
                let Some(params) = out["params"].as_object() else {
                    return Some(format!("{id}: no params object: {out}"));
                };
                let got: Vec<(String, Json)> =
                    params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                if got != want || out["secret_index"] != 0 {
                    return Some(format!("{id}: params/secret_index differ: {out}"));
                }
            }
            Err(_) => {
                if !out["params"].is_null() || !out["secret_index"].is_null() {
                    return Some(format!("{id}: a refused body reports params: {out}"));
                }
            }
        }
        None
    });
    assert!(failures.is_empty(), "failing body vectors: {failures:#?}");
    println!("{} body vectors passed through the CLI", bodies.len());
}
