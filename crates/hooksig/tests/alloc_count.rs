//! Heap allocations, counted with a counting global allocator.
//!
//! - `sign_pairs` and `verify_pairs` allocate nothing for a typical webhook
//!   (they are the no-alloc API, and stay allocation-free with `alloc` on for
//!   inputs up to 16 pairs; beyond that the `alloc` build's n·log n duplicate
//!   check and stable sort may use scratch space);
//! - `sign` and `verify` borrow up to 16 typed params on the stack: none either;
//! - `verify_form` on the deposit body allocates once: the returned `Fields`.
//!   Each escaped key or value (`+`, `%XX`) adds one decoded string.
//!
//! The allocator's counters are process-wide, so this file has one test.

use hooksig::Value;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations and reallocations made while `f` runs.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let region = Region::new(GLOBAL);
    let out = f();
    let change = region.change();
    (change.allocations + change.reallocations, out)
}

const SECRET: &str = "op_secret_4f9a";
const HASH: &str = "9f72b23a2b420cee2af96f239baf188f";

/// The deposit of the vectors (`deposit-basic`), in input order.
fn deposit() -> [(&'static str, Value<'static>); 8] {
    [
        ("event", Value::Str("DEPOSIT")),
        ("depositId", Value::Str("dep_7781")),
        ("externalUserId", Value::Str("user-42")),
        ("fiatAmount", Value::Str("100.50")),
        ("fiatCurrency", Value::Str("USD")),
        ("cryptoAmount", Value::Str("0.00161")),
        ("cryptoCurrency", Value::Str("BTC")),
        (
            "idempotencyKey",
            Value::Str("6c1e2a8e-2b0f-4a51-9d7e-3f1b2c9a0d11"),
        ),
    ]
}

#[test]
fn allocation_counts() {
    // sign_pairs: no allocation, right signature.
    let mut pairs = deposit();
    let (n, sig) = allocations(|| hooksig::sign_pairs(&mut pairs, SECRET));
    assert_eq!(sig.unwrap().as_str(), HASH);
    assert_eq!(n, 0, "sign_pairs allocated");

    // Numbers are formatted on the stack.
    let mut numbers = [
        ("a", Value::Float(0.1 + 0.2)),
        ("b", Value::Int(-7)),
        ("c", Value::UInt(u64::MAX)),
    ];
    let (n, sig) = allocations(|| hooksig::sign_pairs(&mut numbers, SECRET));
    assert!(sig.is_ok());
    assert_eq!(n, 0, "sign_pairs with numbers allocated");

    // verify_pairs: no allocation, on success and on mismatch.
    let mut with_hash: Vec<(&str, Value)> = deposit()
        .into_iter()
        .chain([("hash", Value::Str(HASH))])
        .collect();
    let (n, ok) = allocations(|| hooksig::verify_pairs(&mut with_hash, &[SECRET]));
    assert_eq!(ok, Ok(0));
    assert_eq!(n, 0, "verify_pairs allocated");
    let (n, err) = allocations(|| hooksig::verify_pairs(&mut with_hash, &["wrong"]));
    assert_eq!(err.unwrap_err().kind(), hooksig::ErrorKind::Mismatch);
    assert_eq!(n, 0, "a failing verify_pairs allocated");

    // The typed API borrows small inputs on the stack.
    #[cfg(feature = "alloc")]
    {
        let typed: Vec<(&str, &str)> = deposit()
            .iter()
            .map(|(k, v)| (*k, if let Value::Str(s) = v { *s } else { "" }))
            .collect();
        let (n, sig) = allocations(|| hooksig::sign(&typed, SECRET));
        assert_eq!(sig.unwrap().as_str(), HASH);
        assert_eq!(n, 0, "sign allocated");
        let mut signed = typed.clone();
        signed.push(("hash", HASH));
        let (n, ok) = allocations(|| hooksig::verify(&signed, SECRET));
        assert_eq!(ok, Ok(()));
        assert_eq!(n, 0, "verify allocated");
    }

    // Non-ASCII keys go through ICU4X's collator, which allocates nothing either.
    #[cfg(feature = "unicode")]
    {
        let mut pairs = [
            ("größe", Value::Str("1")),
            ("café", Value::Str("2")),
            ("cafe", Value::Str("3")),
        ];
        let (n, sig) = allocations(|| hooksig::sign_pairs(&mut pairs, SECRET));
        assert!(sig.is_ok());
        assert_eq!(n, 0, "sign_pairs with non-ASCII keys allocated");
    }

    // verify_form: the returned fields are the one allocation.
    #[cfg(feature = "alloc")]
    {
        let body = format!(
            "event=DEPOSIT&depositId=dep_7781&externalUserId=user-42&fiatAmount=100.50&fiatCurrency=USD\
             &cryptoAmount=0.00161&cryptoCurrency=BTC&idempotencyKey=6c1e2a8e-2b0f-4a51-9d7e-3f1b2c9a0d11&hash={HASH}"
        );
        let (n, fields) = allocations(|| hooksig::verify_form(&body, SECRET).map(|f| f.len()));
        assert_eq!(fields, Ok(8));
        eprintln!("verify_form on the deposit body: {n} allocation(s)");
        assert_eq!(n, 1, "verify_form on the deposit body");

        // One more per escaped key or value.
        let escaped = hooksig::encode_form(&[("note", "two words"), ("a", "b")], SECRET).unwrap();
        let (n, fields) = allocations(|| hooksig::verify_form(&escaped, SECRET).map(|f| f.len()));
        assert_eq!(fields, Ok(2));
        assert_eq!(n, 2, "verify_form with one escaped value");
    }
}
