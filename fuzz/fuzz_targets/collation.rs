//! Arbitrary key triples: `collation::compare` is a consistent total preorder
//! (reflexive, antisymmetric, transitive, ties included), and on ASCII keys
//! the table-driven fast path agrees with the full ICU4X collator.
//!
//! Input format: the bytes as lossy UTF-8, split on `\n` into up to three keys.
#![no_main]

use hooksig::collation::{compare, compare_full};
use libfuzzer_sys::fuzz_target;
use std::cmp::Ordering::{self, *};

fn cmp(a: &str, b: &str) -> Ordering {
    compare(a, b).expect("the unicode build orders every key")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut keys = text.splitn(3, '\n');
    let a = keys.next().unwrap_or("");
    let b = keys.next().unwrap_or("");
    let c = keys.next().unwrap_or("");
    for (x, y) in [(a, b), (b, c), (a, c)] {
        assert_eq!(cmp(x, x), Equal);
        assert_eq!(cmp(x, y), cmp(y, x).reverse(), "antisymmetry: {x:?} {y:?}");
        if x.is_ascii() && y.is_ascii() {
            assert_eq!(
                cmp(x, y),
                compare_full(x, y),
                "fast path vs ICU4X: {x:?} {y:?}"
            );
        }
    }
    // Transitivity, over every ordering of the triple.
    for (x, y, z) in [
        (a, b, c),
        (a, c, b),
        (b, a, c),
        (b, c, a),
        (c, a, b),
        (c, b, a),
    ] {
        let (xy, yz, xz) = (cmp(x, y), cmp(y, z), cmp(x, z));
        if xy != Greater && yz != Greater {
            assert_ne!(xz, Greater, "transitivity: {x:?} {y:?} {z:?}");
        }
        if xy == Equal && yz == Equal {
            assert_eq!(xz, Equal, "ties are transitive: {x:?} {y:?} {z:?}");
        }
        if xy == Less && yz != Greater {
            assert_eq!(xz, Less, "strict transitivity: {x:?} {y:?} {z:?}");
        }
    }
});
