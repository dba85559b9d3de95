//! The body parser against a deliberately naive oracle that follows the
//! vectors README's "Parsing rules" line by line, on random bodies rich in
//! the bytes that matter (`&`, `=`, `%`, `+`, hex digits, UTF-8 pieces).

#![cfg(feature = "alloc")]

use hooksig::FormOptions;
use proptest::prelude::*;

#[path = "oracle/form.rs"]
mod oracle;

use oracle::{Parsed, naive};

fn parsed(body: &[u8], max: usize) -> Parsed {
    match hooksig::parse_form_with(body, &FormOptions::new().max_params(max)) {
        Ok(fields) => Ok(fields
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()),
        Err(e) => Err((e.kind(), e.index())),
    }
}

/// Bodies built from the bytes the parser looks at, and some it must not.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop::sample::select(vec![
        &b"&"[..],
        b"=",
        b"%",
        b"+",
        b"a",
        b"B",
        b"k",
        b"0",
        b"%41",
        b"%2b",
        b"%2B",
        b"%26",
        b"%3D",
        b"%C3%A9",
        b"%C3",
        b"%A9",
        b"%E0%80%80",
        b"%ED%A0%80",
        b"%zz",
        "é".as_bytes(),
        b"\xC3",
        b"\xFF",
        b"\0",
        b"\xEF\xBB\xBF",
        b"hash",
        b"abcdefghijklmnop",
        b"'<$*",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|ps| ps.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn parse_form_agrees_with_the_naive_oracle(body in body(), max in 1usize..12) {
        prop_assert_eq!(parsed(&body, max), naive(&body, max));
        prop_assert_eq!(parsed(&body, 1000), naive(&body, 1000));
    }
}

#[test]
fn words_and_tails_of_every_length() {
    // Specials at every offset of the word-at-a-time scan, and at the end.
    for len in 0..40 {
        for at in 0..len {
            for special in [b'&', b'=', b'%', b'+'] {
                let mut body = vec![b'x'; len];
                body[at] = special;
                prop_assert_eq_plain(&body);
                body.push(b'=');
                prop_assert_eq_plain(&body);
            }
        }
    }
}

fn prop_assert_eq_plain(body: &[u8]) {
    assert_eq!(
        parsed(body, 1000),
        naive(body, 1000),
        "{:?}",
        String::from_utf8_lossy(body)
    );
}
