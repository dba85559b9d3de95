//! No quadratic step in key ordering, shown by counting comparisons, not by
//! timing: through the typed API, sorting n keys may use at most
//! 2·n·⌈log2 n⌉ key comparisons, for distinct keys and for keys that all tie.
//!
//! The count comes from the core's test-only `__test-count` feature (enabled
//! for tests by the crate's dev-dependency on itself). The counter is
//! process-wide, so this file holds a single test that runs the cases in turn.
#![cfg(feature = "alloc")]

use hooksig::collation::count::take_comparisons;

/// The bound the issue sets: 2·n·⌈log2 n⌉.
fn bound(n: usize) -> usize {
    2 * n * (usize::BITS - (n - 1).leading_zeros()) as usize
}

/// A deterministic shuffle (xorshift), so the sort has real work to do.
fn shuffle<T>(items: &mut [T]) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.swap(i, (x % (i as u64 + 1)) as usize);
    }
}

/// `n` distinct byte strings that all collate equal to `a`: ignorable
/// controls (U+0000–U+0008) spelling `i` in base 9, before or after the `a`.
fn tied_keys(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let mut digits = String::new();
            let mut j = i;
            loop {
                digits.insert(0, char::from((j % 9) as u8));
                j /= 9;
                if j == 0 {
                    break;
                }
            }
            if i % 2 == 0 {
                digits + "a"
            } else {
                "a".to_owned() + &digits
            }
        })
        .collect()
}

/// Signs `params` and returns how many key comparisons that took.
fn comparisons_to_sign(params: &[(String, String)]) -> usize {
    take_comparisons();
    hooksig::sign(params, "s").expect("signs");
    let used = take_comparisons();
    eprintln!(
        "{} keys: {used} comparisons (bound {})",
        params.len(),
        bound(params.len())
    );
    used
}

#[test]
fn sorting_keys_is_n_log_n_in_comparisons() {
    // 1000 distinct ASCII keys, shuffled.
    let mut params: Vec<(String, String)> = (0..1000)
        .map(|i| (format!("key{i:04}"), i.to_string()))
        .collect();
    shuffle(&mut params);
    let used = comparisons_to_sign(&params);
    assert!(
        used > 0 && used <= bound(1000),
        "{used} comparisons for 1000 keys"
    );
    // And the order is right: the canonical string lists key0000..key0999.
    let expected: Vec<String> = (0..1000).map(|i| format!("key{i:04}={i}")).collect();
    assert_eq!(hooksig::canonical(&params).unwrap(), expected.join("&"));

    // 10,000 distinct keys that all tie: the stable order is the input order.
    let keys = tied_keys(10_000);
    let params: Vec<(String, String)> = keys.iter().map(|k| (k.clone(), "v".to_owned())).collect();
    let used = comparisons_to_sign(&params);
    assert!(
        used > 0 && used <= bound(10_000),
        "{used} comparisons for 10,000 tied keys"
    );
    let expected: Vec<String> = keys.iter().map(|k| format!("{k}=v")).collect();
    assert_eq!(hooksig::canonical(&params).unwrap(), expected.join("&"));

    // 1000 distinct non-ASCII keys go through the full collator, counted alike.
    #[cfg(feature = "unicode")]
    {
        let mut params: Vec<(String, String)> = (0..1000)
            .map(|i| (format!("clé{i:04}"), "v".to_owned()))
            .collect();
        shuffle(&mut params);
        let used = comparisons_to_sign(&params);
        assert!(
            used > 0 && used <= bound(1000),
            "{used} comparisons for 1000 non-ASCII keys"
        );
    }
}
