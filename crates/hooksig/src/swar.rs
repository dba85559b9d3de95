//! Byte tests on eight bytes at once ("SIMD within a register"), in plain
//! integer arithmetic so they work on every target, `no_std` and wasm32
//! included, without `unsafe` or target features.
//!
//! Each test returns a mask with the top bit of a byte lane set where the
//! byte passes. The hot paths use them to skip the bytes that need no work:
//! the letters and digits of keys ([`crate::collation`]), the bytes between
//! `&`, `=`, `%` and `+` of a body ([`crate::form`]) and the digits of a
//! received hash.

/// 0x01 in every byte lane.
pub(crate) const LANES: u64 = u64::MAX / 0xff;

/// The top bit of every byte lane: set in a test's result where a byte passes.
pub(crate) const TOP: u64 = LANES * 0x80;

/// `c` in every byte lane.
pub(crate) const fn splat(c: u8) -> u64 {
    LANES * c as u64
}

/// Lanes whose byte is in `lo..=hi`, for words whose bytes are all below
/// 0x80 (check `x & TOP == 0` first): adding `0x80 - lo` sets a lane's top
/// bit exactly when its byte is at least `lo`, and no carry leaves a lane.
pub(crate) fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least = |v: u8| x.wrapping_add(splat(0x80 - v));
    at_least(lo) & !at_least(hi + 1) & TOP
}

/// Lanes whose byte is one of `values`, for any bytes: with the top bit
/// cleared, `(x ^ c) + 0x7f` has its top bit clear exactly where the low
/// seven bits equal `c` (no carry leaves a lane), and or-ing `x` back in
/// excludes bytes of 0x80 and above.
#[cfg(feature = "alloc")]
pub(crate) fn equal_to_any<const N: usize>(x: u64, values: [u8; N]) -> u64 {
    const LOW: u64 = LANES * 0x7f;
    let low = x & LOW;
    let differs = values
        .iter()
        .fold(u64::MAX, |all, &c| all & (low ^ splat(c)).wrapping_add(LOW));
    !(differs | x) & TOP
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls `check` with every byte value in every lane of a word.
    fn each_lane(mut check: impl FnMut(u8, usize, u64)) {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'k'; 8];
                bytes[lane] = b;
                check(b, lane, u64::from_le_bytes(bytes));
            }
        }
    }

    #[test]
    fn in_range_agrees_with_bytewise_tests() {
        each_lane(|b, lane, x| {
            if b < 0x80 {
                let others = TOP & !(0x80 << (8 * lane));
                let expected = if b.is_ascii_lowercase() { TOP } else { others };
                assert_eq!(in_range(x, b'a', b'z'), expected, "{b:#x} in lane {lane}");
                let expected = if b.is_ascii_digit() {
                    0x80 << (8 * lane)
                } else {
                    0
                };
                assert_eq!(in_range(x, b'0', b'9'), expected, "{b:#x} in lane {lane}");
            }
        });
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn equal_to_any_agrees_with_bytewise_tests() {
        each_lane(|b, lane, x| {
            let expected = if b"&=%+".contains(&b) {
                0x80 << (8 * lane)
            } else {
                0
            };
            let found = equal_to_any(x, [b'&', b'=', b'%', b'+']);
            assert_eq!(found, expected, "{b:#x} in lane {lane}");
        });
    }
}
