//! Mismatch diagnosis: recompute the signature the ways known-wrong
//! implementations compute it, and name the one that reproduces the hash the
//! body carried. Part of [`explain`](mod@crate::explain); the verify path never
//! runs it.
//!
//! Each [`Variant`] models one real bug: a wrong key order (code point,
//! case-folded, a locale tailoring that changes ASCII order), a wrong filter,
//! a wrong secret placement or whitespace, wrong decoding, wrong hex case,
//! Latin-1 bytes, or numbers printed the Python way. Only hashes leave this
//! module, never the secret or anything else derived from it.
//!
//! Any request can reach the diagnosis (`hooksig listen` runs it on every
//! invalid POST), so its cost is bounded and linear in the body's length:
//! every candidate string is streamed into MD5 as it is generated, never
//! built, and the subsets of reformatted numbers stop at a fixed budget.

use crate::canonical::{self, FmtSink};
use crate::collation;
use crate::form::{self, FormOptions};
use crate::value::DropReason;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use md5::{Digest, Md5};
use subtle::ConstantTimeEq;

/// One known-wrong way to compute the signature.
///
/// ```
/// use hooksig::diagnosis::Variant;
/// assert_eq!(Variant::CodePointOrder.name(), "code-point-order");
/// assert!(Variant::ALL.len() >= 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Variant {
    /// Keys sorted by code point (plain byte/string comparison).
    CodePointOrder,
    /// Keys lowercased, then sorted by code point.
    CaseFoldedOrder,
    /// Danish tailoring: `aa`, `Aa` and `AA` (not `aA`) sort after `z`.
    LocaleDa,
    /// Lithuanian tailoring: `y` sorts with `i`.
    LocaleLt,
    /// Czech/Slovak tailoring: `ch` sorts after `h`.
    LocaleCsSk,
    /// Turkish tailoring: `I` is the capital of dotless `ı`, before `i`.
    LocaleTr,
    /// Empty, `'null'` and `'undefined'` values were signed too.
    DroppedValuesKept,
    /// The `hash` field itself was part of the signed string.
    HashIncluded,
    /// The secret had a trailing `\n` added.
    SecretNewlineAdded,
    /// The secret had a trailing `\r\n` added.
    SecretCrlfAdded,
    /// The secret had a trailing space added.
    SecretSpaceAdded,
    /// The secret's trailing whitespace was stripped.
    SecretTrimmed,
    /// The secret was put before the string instead of after it.
    SecretPrepended,
    /// The secret was joined as a field: `canonical&key=secret`.
    SecretJoinedWithKey,
    /// Values were percent-decoded twice.
    DecodedTwice,
    /// Keys and values were signed as sent, without percent-decoding.
    NotDecoded,
    /// `+` was kept as a literal plus instead of a space.
    PlusLiteral,
    /// The hash was sent in uppercase hex.
    UppercaseHex,
    /// The string was hashed as Latin-1 bytes instead of UTF-8.
    Latin1,
    /// UTF-8 text was misread as Latin-1 and hashed re-encoded (mojibake).
    Utf8ReadAsLatin1,
    /// Numbers were printed the Python way (`10.0`, `1e-07`) when signing.
    NumbersReformatted,
}

impl Variant {
    /// Every variant, in the order a tie between equally plausible ones is broken.
    pub const ALL: &'static [Variant] = &[
        Variant::UppercaseHex,
        Variant::SecretNewlineAdded,
        Variant::SecretCrlfAdded,
        Variant::SecretTrimmed,
        Variant::SecretSpaceAdded,
        Variant::SecretPrepended,
        Variant::SecretJoinedWithKey,
        Variant::PlusLiteral,
        Variant::NotDecoded,
        Variant::DecodedTwice,
        Variant::CodePointOrder,
        Variant::CaseFoldedOrder,
        Variant::DroppedValuesKept,
        Variant::HashIncluded,
        Variant::Latin1,
        Variant::Utf8ReadAsLatin1,
        Variant::NumbersReformatted,
        Variant::LocaleDa,
        Variant::LocaleLt,
        Variant::LocaleCsSk,
        Variant::LocaleTr,
    ];

    /// A stable kebab-case name, the same in every binding.
    ///
    /// ```
    /// assert_eq!(hooksig::diagnosis::Variant::PlusLiteral.name(), "plus-literal");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Variant::CodePointOrder => "code-point-order",
            Variant::CaseFoldedOrder => "case-folded-order",
            Variant::LocaleDa => "locale-da",
            Variant::LocaleLt => "locale-lt",
            Variant::LocaleCsSk => "locale-cs-sk",
            Variant::LocaleTr => "locale-tr",
            Variant::DroppedValuesKept => "dropped-values-kept",
            Variant::HashIncluded => "hash-included",
            Variant::SecretNewlineAdded => "secret-newline-added",
            Variant::SecretCrlfAdded => "secret-crlf-added",
            Variant::SecretSpaceAdded => "secret-space-added",
            Variant::SecretTrimmed => "secret-trimmed",
            Variant::SecretPrepended => "secret-prepended",
            Variant::SecretJoinedWithKey => "secret-joined-with-key",
            Variant::DecodedTwice => "decoded-twice",
            Variant::NotDecoded => "not-decoded",
            Variant::PlusLiteral => "plus-literal",
            Variant::UppercaseHex => "uppercase-hex",
            Variant::Latin1 => "latin1",
            Variant::Utf8ReadAsLatin1 => "utf8-read-as-latin1",
            Variant::NumbersReformatted => "numbers-reformatted",
        }
    }

    /// What the sender probably did, for people.
    ///
    /// ```
    /// assert!(hooksig::diagnosis::Variant::LocaleDa.describe().contains("aa"));
    /// ```
    pub const fn describe(self) -> &'static str {
        match self {
            Variant::CodePointOrder => "keys sorted by code point instead of localeCompare",
            Variant::CaseFoldedOrder => "keys lowercased, then sorted by code point",
            Variant::LocaleDa => "keys sorted under a Danish locale ('aa' after 'z')",
            Variant::LocaleLt => "keys sorted under a Lithuanian locale ('y' with 'i')",
            Variant::LocaleCsSk => "keys sorted under a Czech/Slovak locale ('ch' after 'h')",
            Variant::LocaleTr => "keys sorted under a Turkish locale (dotless/dotted i)",
            Variant::DroppedValuesKept => "empty, 'null' or 'undefined' values were signed",
            Variant::HashIncluded => "the hash field was included in the signed string",
            Variant::SecretNewlineAdded => {
                "the secret has a trailing newline (e.g. read from a file)"
            }
            Variant::SecretCrlfAdded => "the secret has a trailing CRLF (e.g. a Windows file)",
            Variant::SecretSpaceAdded => "the secret has a trailing space",
            Variant::SecretTrimmed => "the sender trimmed trailing whitespace off the secret",
            Variant::SecretPrepended => "the secret was put before the string, not appended",
            Variant::SecretJoinedWithKey => "the secret was appended as '&key=<secret>'",
            Variant::DecodedTwice => "values were percent-decoded twice",
            Variant::NotDecoded => "the still-encoded body text was signed",
            Variant::PlusLiteral => "'+' was taken as a literal plus, not a space",
            Variant::UppercaseHex => "the hash is uppercase hex; it must be lowercase",
            Variant::Latin1 => "the string was hashed as Latin-1, not UTF-8",
            Variant::Utf8ReadAsLatin1 => {
                "UTF-8 text was misread as Latin-1 (mojibake) before hashing"
            }
            Variant::NumbersReformatted => {
                "numbers were printed Python-style (10.0, 1e-07) when signing"
            }
        }
    }
}

/// One variant that could explain the mismatch.
///
/// ```
/// let f = hooksig::diagnosis::Finding { variant: hooksig::diagnosis::Variant::Latin1, reproduces: false, secret_index: None };
/// assert!(!f.reproduces);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The wrong computation.
    pub variant: Variant,
    /// Whether it reproduces the received hash exactly (then it is almost surely the cause).
    pub reproduces: bool,
    /// With several secrets: the secret it reproduces with.
    pub secret_index: Option<usize>,
}

/// Ranked likely causes of a mismatch: variants that reproduce the received
/// hash first, then those that change the signed string for this body.
///
/// ```
/// use hooksig::diagnosis::{diagnose, Variant};
/// // A sender that sorted keys by code point: `B` before `a`.
/// let canonical = "B=2&a=1";
/// let wrong = format!("{:x}", md5_of(&(canonical.to_owned() + "s")));
/// # fn md5_of(s: &str) -> u128 { use md5::Digest; u128::from_be_bytes(md5::Md5::digest(s).into()) }
/// let body = format!("a=1&B=2&hash={wrong:0>32}");
/// let d = diagnose(body.as_bytes(), &["s"], &Default::default());
/// assert_eq!(d.findings[0].variant, Variant::CodePointOrder);
/// assert!(d.findings[0].reproduces);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnosis {
    /// Most likely first.
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// The variant that reproduces the received hash, if one does.
    ///
    /// ```
    /// assert_eq!(hooksig::diagnosis::Diagnosis::default().cause(), None);
    /// ```
    pub fn cause(&self) -> Option<Variant> {
        self.findings
            .iter()
            .find(|f| f.reproduces)
            .map(|f| f.variant)
    }
}

/// One field as it crossed the wire.
struct RawField<'b> {
    key: &'b [u8],
    value: &'b [u8],
}

/// Lenient percent-decoding, as other implementations do it (bad escapes kept).
fn lenient_decode(raw: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        let hex = |c: u8| (c as char).to_digit(16);
        match b {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Key order of a variant.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    Root,
    CodePoint,
    CaseFolded,
    Tailored(Variant),
}

/// One collation element of a tailored ASCII key.
#[derive(Clone, Copy)]
struct Element {
    /// The root letter whose primary weight this element borrows.
    base: char,
    /// Sorts just before (-1) or after (+1) that primary.
    offset: i8,
    /// A secondary difference (Lithuanian `y` is a secondary variant of `i`).
    secondary: u8,
    upper: bool,
}

/// Splits an ASCII key into elements under one of the ASCII-changing
/// tailorings (CLDR da, lt, cs/sk, tr). Only those rules are modelled.
fn tailored_elements(key: &str, locale: Variant) -> Vec<Element> {
    let bytes = key.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        let next = bytes.get(i + 1).map(|&b| b as char);
        let upper = c.is_ascii_uppercase();
        let mut e = Element {
            base: c.to_ascii_lowercase(),
            offset: 0,
            secondary: 0,
            upper,
        };
        match (locale, c, next) {
            // CLDR da contracts `aa`, `Aa` and `AA` (tertiary variants of `å`,
            // after `z`), never `aA`, which stays `a` then `A`.
            (Variant::LocaleDa, 'a', Some('a')) | (Variant::LocaleDa, 'A', Some('a' | 'A')) => {
                i += 1;
                (e.base, e.offset) = ('z', 1);
            }
            (Variant::LocaleCsSk, 'c' | 'C', Some('h' | 'H')) => {
                i += 1;
                (e.base, e.offset) = ('h', 1);
            }
            (Variant::LocaleLt, 'y' | 'Y', _) => (e.base, e.secondary) = ('i', 1),
            (Variant::LocaleTr, 'I', _) => e.offset = -1,
            _ => {}
        }
        let mut buf = [0u8; 4];
        if collation::compare_checked(e.base.encode_utf8(&mut buf), "") != Ordering::Equal {
            out.push(e);
        }
        i += 1;
    }
    out
}

/// Compares ASCII keys, split by [`tailored_elements`], under a tailoring.
/// Callers pass ASCII keys only: mixing in root order for other keys would not
/// be a total order.
fn tailored_compare(ea: &[Element], eb: &[Element], locale: Variant) -> Ordering {
    let primary = |x: &Element, y: &Element| {
        let (mut b1, mut b2) = ([0u8; 4], [0u8; 4]);
        // ASCII bases: the fast path, a total order in every build.
        collation::compare_checked(x.base.encode_utf8(&mut b1), y.base.encode_utf8(&mut b2))
            .then(x.offset.cmp(&y.offset))
    };
    for (x, y) in ea.iter().zip(eb) {
        let p = primary(x, y);
        if p != Ordering::Equal {
            return p;
        }
    }
    // Danish sorts uppercase first; the others lowercase first, like root.
    let case = |e: &Element| e.upper != (locale == Variant::LocaleDa);
    ea.len()
        .cmp(&eb.len())
        .then_with(|| {
            ea.iter()
                .map(|e| e.secondary)
                .cmp(eb.iter().map(|e| e.secondary))
        })
        .then_with(|| ea.iter().map(case).cmp(eb.iter().map(case)))
}

/// The fields a sender with this bug signed, decoded, filtered and ordered
/// its way; `None` when the variant is not modelled for these keys (a
/// tailoring with a non-ASCII key).
fn variant_fields(raw: &[RawField<'_>], variant: Variant) -> Option<Vec<(String, String)>> {
    let mut fields: Vec<(String, String)> = raw
        .iter()
        .map(|f| {
            let dec = |b: &[u8]| match variant {
                Variant::NotDecoded => text(b.to_vec()),
                Variant::PlusLiteral => text(lenient_decode(b, false)),
                Variant::DecodedTwice => text(lenient_decode(&lenient_decode(b, true), false)),
                _ => text(lenient_decode(b, true)),
            };
            (dec(f.key), dec(f.value))
        })
        .collect();
    fields.retain(|(k, v)| match variant {
        Variant::DroppedValuesKept => k != "hash",
        Variant::HashIncluded => DropReason::of_text(v).is_none(),
        _ => k != "hash" && DropReason::of_text(v).is_none(),
    });
    let order = match variant {
        Variant::CodePointOrder => Order::CodePoint,
        Variant::CaseFoldedOrder => Order::CaseFolded,
        Variant::LocaleDa | Variant::LocaleLt | Variant::LocaleCsSk | Variant::LocaleTr => {
            Order::Tailored(variant)
        }
        _ => Order::Root,
    };
    match order {
        // The core's own sort, which needs keys this build can order: a
        // decoded variant may hold non-ASCII keys the wire did not (`%25C3%25A9`
        // decoded twice is `é`), and without `unicode` none is guessed.
        Order::Root => {
            if !fields.iter().all(|f| collation::check_key(&f.0).is_ok()) {
                return None;
            }
            collation::sort_by_key(&mut fields, |f| &f.0);
        }
        Order::CodePoint => fields.sort_by(|a, b| a.0.cmp(&b.0)),
        // Stable, and each key is lowercased once, not once per comparison.
        Order::CaseFolded => fields.sort_by_cached_key(|f| f.0.to_lowercase()),
        Order::Tailored(locale) => {
            // Only the ASCII-changing rules are modelled: no guess for other keys.
            if !fields.iter().all(|f| f.0.is_ascii()) {
                return None;
            }
            // Each key is split into elements once, not once per comparison.
            let mut keyed: Vec<(Vec<Element>, (String, String))> = fields
                .into_iter()
                .map(|f| (tailored_elements(&f.0, locale), f))
                .collect();
            keyed.sort_by(|a, b| tailored_compare(&a.0, &b.0, locale));
            fields = keyed.into_iter().map(|(_, f)| f).collect();
        }
    }
    Some(fields)
}

/// How Python's `str(float)` prints a number that JavaScript printed as
/// `text`, when the two differ (`10` → `10.0`, `1e-7` → `1e-07`,
/// `10000000000000000` → `1e+16`).
fn python_number(text: &str) -> Option<String> {
    let x: f64 = text.parse().ok()?;
    if !x.is_finite() || ryu_js::Buffer::new().format(x) != text {
        return None;
    }
    let sci = alloc::format!("{x:e}"); // shortest round-trip digits, e.g. "1.5e-7"
    let (mantissa, exp) = sci.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let py = if (-4..16).contains(&exp) {
        let fixed = alloc::format!("{x}");
        if fixed.contains('.') {
            fixed
        } else {
            fixed + ".0"
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        alloc::format!("{mantissa}e{sign}{:02}", exp.abs())
    };
    (py != text).then_some(py)
}

/// The values that a Python-style sender would print differently, if they
/// were numbers: per field, its rank among them and its Python form.
struct Numbers {
    forms: Vec<Option<(usize, String)>>,
    count: usize,
}

/// Which of the [`Numbers`] a candidate prints Python-style, by rank.
#[derive(Clone, Copy)]
enum Subset {
    All,
    Only(usize),
    AllBut(usize),
    Mask(u32),
}

impl Subset {
    fn has(self, rank: usize) -> bool {
        match self {
            Subset::All => true,
            Subset::Only(r) => rank == r,
            Subset::AllBut(r) => rank != r,
            Subset::Mask(m) => rank < 32 && (m >> rank) & 1 == 1,
        }
    }
}

/// With at most this many numbers, every subset of them is tried (budget permitting).
const MAX_MASK_BITS: usize = 12;

/// The bytes that reformatted-number candidates may hash, per secret:
/// `max(NUMBERS_FLOOR, NUMBERS_PER_BODY_BYTE × body length)`. With the dozen
/// other variants (about 22 × the body), a diagnosis hashes at most about
/// 40 × the body's length (plus 256 KiB) per secret.
const NUMBERS_PER_BODY_BYTE: usize = 16;
const NUMBERS_FLOOR: usize = 256 * 1024;

impl Numbers {
    fn of(fields: &[(String, String)]) -> Numbers {
        let mut count = 0;
        let forms = fields
            .iter()
            .map(|(_, v)| {
                let py = python_number(v)?;
                count += 1;
                Some((count - 1, py))
            })
            .collect();
        Numbers { forms, count }
    }

    /// The subsets to try, likeliest first: all the numbers, each one alone,
    /// all but one, then (for a few numbers) every other subset. A sender's
    /// numbers cannot be told from numeric strings on the wire, hence subsets.
    /// The caller stops when the budget is spent.
    fn subsets(&self) -> impl Iterator<Item = Subset> {
        let k = self.count;
        let masks = if k <= MAX_MASK_BITS { 1u32 << k } else { 0 };
        (k > 0)
            .then_some(Subset::All)
            .into_iter()
            .chain((0..if k > 1 { k } else { 0 }).map(Subset::Only))
            .chain((0..if k > 2 { k } else { 0 }).map(Subset::AllBut))
            .chain(
                (1..masks)
                    .filter(move |m| (2..=k.saturating_sub(2)).contains(&(m.count_ones() as usize)))
                    .map(Subset::Mask),
            )
    }
}

/// A signed string to try, streamed piece by piece and never built.
#[derive(Clone, Copy)]
enum Text<'a> {
    /// The correct canonical string.
    Root(&'a str),
    /// A variant's fields joined as `k=v&…`, with the chosen numbers printed
    /// Python-style and, if given, the `hash` field's value replaced.
    Fields {
        fields: &'a [(String, String)],
        numbers: Option<(&'a Numbers, Subset)>,
        hash: Option<&'a str>,
    },
}

impl Text<'_> {
    fn write(self, out: &mut impl FnMut(&str)) {
        let (fields, numbers, hash) = match self {
            Text::Root(root) => return out(root),
            Text::Fields {
                fields,
                numbers,
                hash,
            } => (fields, numbers, hash),
        };
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                out("&");
            }
            out(k);
            out("=");
            let python = numbers.and_then(|(n, subset)| match &n.forms[i] {
                Some((rank, py)) if subset.has(*rank) => Some(py.as_str()),
                _ => None,
            });
            let replaced = hash.filter(|_| k == "hash");
            out(python.or(replaced).unwrap_or(v));
        }
    }

    /// Whether this is exactly `root`, compared as it streams.
    fn is(self, root: &str) -> bool {
        let (mut rest, mut same) = (root.as_bytes(), true);
        self.write(&mut |piece| match rest.strip_prefix(piece.as_bytes()) {
            Some(tail) if same => rest = tail,
            _ => same = false,
        });
        same && rest.is_empty()
    }
}

mod work {
    /// What one diagnosis cost: the bytes it fed to MD5 and the candidate
    /// hashes it computed, over every variant and secret.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Work {
        /// Bytes hashed.
        pub bytes: usize,
        /// Candidate hashes computed.
        pub candidates: usize,
    }
}
use work::Work;

/// Test-only instrumentation (feature `__test-count`): the work a diagnosis
/// does, so a test proves it is bounded by counting rather than timing.
#[cfg(feature = "__test-count")]
#[doc(hidden)]
pub mod count {
    pub use super::work::Work;

    /// Runs [`diagnose`](super::diagnose) and returns what it cost.
    pub fn work<S: AsRef<str>>(
        body: &[u8],
        secrets: &[S],
        options: &crate::form::FormOptions,
    ) -> Work {
        super::run(body, secrets, options).1
    }
}

/// MD5 of one candidate, counting the bytes it is fed.
struct Counted<'w> {
    md5: Md5,
    work: &'w mut Work,
}

impl<'w> Counted<'w> {
    fn new(work: &'w mut Work) -> Counted<'w> {
        work.candidates += 1;
        Counted {
            md5: Md5::new(),
            work,
        }
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.work.bytes += bytes.len();
        self.md5.update(bytes);
    }

    /// `s` as Latin-1 bytes, `?` for characters beyond U+00FF.
    fn latin1(&mut self, s: &str) {
        let mut buf = [0u8; 64];
        let mut n = 0;
        for c in s.chars() {
            buf[n] = u8::try_from(u32::from(c)).unwrap_or(b'?');
            n += 1;
            if n == buf.len() {
                self.bytes(&buf);
                n = 0;
            }
        }
        self.bytes(&buf[..n]);
    }

    /// The UTF-8 bytes of `s` misread as Latin-1 characters, re-encoded as UTF-8.
    fn mojibake(&mut self, s: &str) {
        let mut buf = [0u8; 64];
        let mut n = 0;
        for &b in s.as_bytes() {
            let mut c = [0u8; 2];
            let encoded = char::from(b).encode_utf8(&mut c).as_bytes();
            if n + encoded.len() > buf.len() {
                self.bytes(&buf[..n]);
                n = 0;
            }
            buf[n..n + encoded.len()].copy_from_slice(encoded);
            n += encoded.len();
        }
        self.bytes(&buf[..n]);
    }

    fn hex(self) -> [u8; 32] {
        let mut hex = [0u8; 32];
        let _ = hex::encode_to_slice(self.md5.finalize().as_slice(), &mut hex);
        hex
    }
}

/// The hash a sender with this bug would send for `text`, hashed as it streams.
fn candidate(text: Text<'_>, variant: Variant, secret: &str, work: &mut Work) -> [u8; 32] {
    let mut h = Counted::new(work);
    let s = secret.as_bytes();
    match variant {
        Variant::SecretPrepended => {
            h.bytes(s);
            text.write(&mut |p| h.bytes(p.as_bytes()));
        }
        Variant::Latin1 => {
            text.write(&mut |p| h.latin1(p));
            h.latin1(secret);
        }
        Variant::Utf8ReadAsLatin1 => {
            text.write(&mut |p| h.mojibake(p));
            h.bytes(s);
        }
        _ => {
            text.write(&mut |p| h.bytes(p.as_bytes()));
            match variant {
                Variant::SecretNewlineAdded => [s, b"\n"].iter().for_each(|p| h.bytes(p)),
                Variant::SecretCrlfAdded => [s, b"\r\n"].iter().for_each(|p| h.bytes(p)),
                Variant::SecretSpaceAdded => [s, b" "].iter().for_each(|p| h.bytes(p)),
                Variant::SecretTrimmed => h.bytes(secret.trim_end().as_bytes()),
                Variant::SecretJoinedWithKey => [b"&key=", s].iter().for_each(|p| h.bytes(p)),
                _ => h.bytes(s),
            }
        }
    }
    let mut hex = h.hex();
    if variant == Variant::UppercaseHex {
        hex.make_ascii_uppercase();
    }
    hex
}

/// What the variant loop needs about one body.
struct Attempt<'a> {
    secrets: &'a [(usize, &'a str)],
    received: &'a [u8],
    work: Work,
}

impl Attempt<'_> {
    /// Hashes `text` under every secret.
    fn reproduce(&mut self, text: Text<'_>, variant: Variant, found: &mut Option<usize>) {
        let secrets = self.secrets;
        for &(i, secret) in secrets {
            self.check(i, secret, text, variant, found);
        }
    }

    /// Hashes `text` under secret `i`; keeps in `found` the lowest index of a
    /// secret that reproduces the received hash. The comparison is
    /// constant-time (`subtle`), like [`Signature`](crate::Signature)'s: a
    /// candidate is a valid signature under some bug, and how many of its
    /// leading digits a forged hash matched must not show in the timing.
    fn check(
        &mut self,
        i: usize,
        secret: &str,
        text: Text<'_>,
        variant: Variant,
        found: &mut Option<usize>,
    ) {
        let hash = candidate(text, variant, secret, &mut self.work);
        if bool::from(hash[..].ct_eq(self.received)) && found.is_none_or(|f| i < f) {
            *found = Some(i);
        }
    }
}

/// Tries every [`Variant`] on `body` and ranks them. Meant for a body whose
/// hash did not verify; see [`explain`](fn@crate::explain) for the full report.
///
/// The cost is bounded and linear in the body's length: each candidate is
/// hashed as it is generated, never built, and the reformatted-number subsets
/// stop after a fixed multiple of the body's length (so with many numbers,
/// only all of them, each alone, and as many others as fit are tried).
///
/// ```
/// use hooksig::diagnosis::{diagnose, Variant};
/// let good = hooksig::encode_form(&[("a", "1")], "s").unwrap();
/// let upper = good.replace(&good[good.len() - 32..], &good[good.len() - 32..].to_uppercase());
/// let d = diagnose(upper.as_bytes(), &["s"], &Default::default());
/// assert_eq!(d.cause(), Some(Variant::UppercaseHex));
/// ```
pub fn diagnose<S: AsRef<str>>(body: &[u8], secrets: &[S], options: &FormOptions) -> Diagnosis {
    run(body, secrets, options).0
}

fn run<S: AsRef<str>>(body: &[u8], secrets: &[S], options: &FormOptions) -> (Diagnosis, Work) {
    let stripped = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let segments = stripped.iter().filter(|&&b| b == b'&').count() + 1;
    if segments > options.limit() {
        return Default::default();
    }
    let raw: Vec<RawField<'_>> = stripped
        .split(|&b| b == b'&')
        .filter(|s| !s.is_empty())
        .map(|s| match s.iter().position(|&b| b == b'=') {
            Some(eq) => RawField {
                key: &s[..eq],
                value: &s[eq + 1..],
            },
            None => RawField { key: s, value: &[] },
        })
        .collect();
    let received = raw
        .iter()
        .rev()
        .find(|f| f.key == b"hash")
        .map(|f| text(lenient_decode(f.value, true)));
    let Some(received) = received.filter(|r| !r.is_empty()) else {
        return Default::default();
    };
    let Ok(mut fields) = form::parse_form_with(body, options) else {
        return Default::default();
    };
    // Keys this build cannot order (non-ASCII without `unicode`) have no
    // canonical string to start from; `verify` refuses them too.
    if fields.iter().any(|f| collation::check_key(&f.0).is_err()) {
        return Default::default();
    }
    form::signed_fields(&mut fields);
    let mut root = String::new();
    let mut sink = FmtSink {
        out: &mut root,
        result: Ok(()),
    };
    canonical::emit(canonical::pairs(&fields), &mut sink);
    drop(fields);
    let secrets: Vec<(usize, &str)> = secrets
        .iter()
        .map(AsRef::as_ref)
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let mut attempt = Attempt {
        secrets: &secrets,
        received: received.as_bytes(),
        work: Work::default(),
    };
    let mut findings = Vec::new();
    for &variant in Variant::ALL {
        let mut found = None;
        // Without a reproduction, list only the variants this body could
        // trigger: those that sign a different string for it. A secret
        // mistake or uppercase hex either reproduces or is not the cause.
        let plausible = match variant {
            Variant::UppercaseHex
            | Variant::SecretNewlineAdded
            | Variant::SecretCrlfAdded
            | Variant::SecretSpaceAdded
            | Variant::SecretTrimmed
            | Variant::SecretPrepended
            | Variant::SecretJoinedWithKey
            | Variant::Latin1
            | Variant::Utf8ReadAsLatin1 => {
                attempt.reproduce(Text::Root(&root), variant, &mut found);
                matches!(variant, Variant::Latin1 | Variant::Utf8ReadAsLatin1) && !root.is_ascii()
            }
            Variant::HashIncluded => match variant_fields(&raw, variant) {
                None => false,
                Some(fields) => {
                    // The params still held the hash of a first, correct
                    // signing, which depends on the secret.
                    let secrets = attempt.secrets;
                    for &(i, secret) in secrets {
                        let first =
                            candidate(Text::Root(&root), variant, secret, &mut attempt.work);
                        let text = Text::Fields {
                            fields: &fields,
                            numbers: None,
                            hash: core::str::from_utf8(&first).ok(),
                        };
                        attempt.check(i, secret, text, variant, &mut found);
                    }
                    true
                }
            },
            Variant::NumbersReformatted => match variant_fields(&raw, variant) {
                None => false,
                Some(fields) => {
                    let numbers = Numbers::of(&fields);
                    let budget = body
                        .len()
                        .saturating_mul(NUMBERS_PER_BODY_BYTE)
                        .max(NUMBERS_FLOOR)
                        .saturating_mul(secrets.len());
                    let start = attempt.work.bytes;
                    for subset in numbers.subsets() {
                        if attempt.work.bytes - start >= budget {
                            break;
                        }
                        let text = Text::Fields {
                            fields: &fields,
                            numbers: Some((&numbers, subset)),
                            hash: None,
                        };
                        attempt.reproduce(text, variant, &mut found);
                    }
                    numbers.count > 0
                }
            },
            _ => match variant_fields(&raw, variant) {
                None => false,
                Some(fields) => {
                    let text = Text::Fields {
                        fields: &fields,
                        numbers: None,
                        hash: None,
                    };
                    attempt.reproduce(text, variant, &mut found);
                    !text.is(&root)
                }
            },
        };
        if found.is_some() || plausible {
            findings.push(Finding {
                variant,
                reproduces: found.is_some(),
                secret_index: found,
            });
        }
    }
    // Reproducing variants first; otherwise keep the prior order of `ALL`.
    findings.sort_by_key(|f| !f.reproduces);
    (Diagnosis { findings }, attempt.work)
}
