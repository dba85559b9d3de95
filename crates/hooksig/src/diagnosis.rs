//! Mismatch diagnosis: recompute the signature the ways known-wrong
//! implementations compute it, and name the one that reproduces the hash the
//! body carried. Part of [`explain`](crate::explain); the verify path never
//! runs it.
//!
//! Each [`Variant`] models one real bug: a wrong key order (code point,
//! case-folded, a locale tailoring that changes ASCII order), a wrong filter,
//! a wrong secret placement or whitespace, wrong decoding, wrong hex case,
//! Latin-1 bytes, or numbers printed the Python way. Only hashes leave this
//! module, never the secret or anything else derived from it.

use crate::canonical::{self, FmtSink};
use crate::collation;
use crate::form::{self, FormOptions};
use crate::value::DropReason;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use md5::{Digest, Md5};

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
    /// Danish tailoring: `aa` sorts after `z`.
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
        let next = bytes.get(i + 1).map(|&b| (b as char).to_ascii_lowercase());
        let upper = c.is_ascii_uppercase();
        let mut e = Element {
            base: c.to_ascii_lowercase(),
            offset: 0,
            secondary: 0,
            upper,
        };
        match (locale, e.base, next) {
            (Variant::LocaleDa, 'a', Some('a')) => {
                i += 1;
                (e.base, e.offset) = ('z', 1);
            }
            (Variant::LocaleCsSk, 'c', Some('h')) => {
                i += 1;
                (e.base, e.offset) = ('h', 1);
            }
            (Variant::LocaleLt, 'y', _) => (e.base, e.secondary) = ('i', 1),
            (Variant::LocaleTr, 'i', _) if upper => e.offset = -1,
            _ => {}
        }
        let mut buf = [0u8; 4];
        if collation::compare(e.base.encode_utf8(&mut buf), "") != Ok(Ordering::Equal) {
            out.push(e);
        }
        i += 1;
    }
    out
}

/// Compares ASCII keys under a tailoring. Callers pass ASCII keys only: mixing
/// in root order for other keys would not be a total order.
fn tailored_compare(a: &str, b: &str, locale: Variant) -> Ordering {
    let (ea, eb) = (tailored_elements(a, locale), tailored_elements(b, locale));
    let primary = |x: &Element, y: &Element| {
        let (mut b1, mut b2) = ([0u8; 4], [0u8; 4]);
        collation::compare(x.base.encode_utf8(&mut b1), y.base.encode_utf8(&mut b2))
            .unwrap_or(Ordering::Equal)
            .then(x.offset.cmp(&y.offset))
    };
    for (x, y) in ea.iter().zip(&eb) {
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

/// The canonical strings a sender with this bug may have signed (one, except
/// for reformatted numbers, where several subsets are tried).
fn variant_canonicals(raw: &[RawField<'_>], variant: Variant) -> Vec<String> {
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
        Order::Root => {
            fields.sort_by(|a, b| collation::compare(&a.0, &b.0).unwrap_or(Ordering::Equal))
        }
        Order::CodePoint => fields.sort_by(|a, b| a.0.cmp(&b.0)),
        Order::CaseFolded => fields.sort_by_key(|f| f.0.to_lowercase()),
        Order::Tailored(locale) => {
            // Only the ASCII-changing rules are modelled: no guess for other keys.
            if !fields.iter().all(|f| f.0.is_ascii()) {
                return Vec::new();
            }
            fields.sort_by(|a, b| tailored_compare(&a.0, &b.0, locale));
        }
    }
    if variant != Variant::NumbersReformatted {
        return alloc::vec![join(&fields)];
    }
    number_subsets(&fields)
        .into_iter()
        .map(|subset| {
            let mut f = fields.clone();
            for i in subset {
                f[i].1 = python_number(&f[i].1).unwrap_or_default();
            }
            join(&f)
        })
        .collect()
}

fn join(fields: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
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

/// Which values to print Python-style: a sender's numbers cannot be told from
/// numeric strings on the wire, so every subset of the candidates is tried
/// (up to 2^12), or else all of them and each one alone.
fn number_subsets(fields: &[(String, String)]) -> Vec<Vec<usize>> {
    let candidates: Vec<usize> = (0..fields.len())
        .filter(|&i| python_number(&fields[i].1).is_some())
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    if candidates.len() <= 12 {
        (1u32..1 << candidates.len())
            .map(|mask| {
                (0..candidates.len())
                    .filter(|b| mask & (1 << b) != 0)
                    .map(|b| candidates[b])
                    .collect()
            })
            .collect()
    } else {
        core::iter::once(candidates.clone())
            .chain(candidates.iter().map(|&c| alloc::vec![c]))
            .collect()
    }
}

fn md5_hex(pieces: &[&[u8]]) -> String {
    let mut h = Md5::new();
    for p in pieces {
        h.update(p);
    }
    let mut hex = [0u8; 32];
    let _ = hex::encode_to_slice(h.finalize().as_slice(), &mut hex);
    text(hex.to_vec())
}

fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// The hashes a sender with this bug could have sent.
fn variant_hashes(raw: &[RawField<'_>], root: &str, variant: Variant, secret: &str) -> Vec<String> {
    let canonicals = match variant {
        Variant::SecretNewlineAdded
        | Variant::SecretCrlfAdded
        | Variant::SecretSpaceAdded
        | Variant::SecretTrimmed
        | Variant::SecretPrepended
        | Variant::SecretJoinedWithKey
        | Variant::UppercaseHex
        | Variant::Latin1
        | Variant::Utf8ReadAsLatin1 => alloc::vec![root.to_owned()],
        Variant::HashIncluded => {
            // The params still held the hash of a first, correct signing.
            let first = md5_hex(&[root.as_bytes(), secret.as_bytes()]);
            let resigned: Vec<RawField<'_>> = raw
                .iter()
                .map(|f| match f.key {
                    b"hash" => RawField {
                        key: f.key,
                        value: first.as_bytes(),
                    },
                    _ => RawField {
                        key: f.key,
                        value: f.value,
                    },
                })
                .collect();
            variant_canonicals(&resigned, variant)
        }
        _ => variant_canonicals(raw, variant),
    };
    let s = secret.as_bytes();
    canonicals
        .iter()
        .map(|canonical| {
            let c = canonical.as_bytes();
            match variant {
                Variant::SecretNewlineAdded => md5_hex(&[c, s, b"\n"]),
                Variant::SecretCrlfAdded => md5_hex(&[c, s, b"\r\n"]),
                Variant::SecretSpaceAdded => md5_hex(&[c, s, b" "]),
                Variant::SecretTrimmed => md5_hex(&[c, secret.trim_end().as_bytes()]),
                Variant::SecretPrepended => md5_hex(&[s, c]),
                Variant::SecretJoinedWithKey => md5_hex(&[c, b"&key=", s]),
                Variant::UppercaseHex => md5_hex(&[c, s]).to_ascii_uppercase(),
                Variant::Latin1 => md5_hex(&[&latin1(canonical), &latin1(secret)]),
                Variant::Utf8ReadAsLatin1 => {
                    let mojibake: String = c.iter().map(|&b| char::from(b)).collect();
                    md5_hex(&[mojibake.as_bytes(), s])
                }
                _ => md5_hex(&[c, s]),
            }
        })
        .collect()
}

/// Tries every [`Variant`] on `body` and ranks them. Meant for a body whose
/// hash did not verify; see [`explain`](crate::explain) for the full report.
///
/// ```
/// use hooksig::diagnosis::{diagnose, Variant};
/// let good = hooksig::encode_form(&[("a", "1")], "s").unwrap();
/// let upper = good.replace(&good[good.len() - 32..], &good[good.len() - 32..].to_uppercase());
/// let d = diagnose(upper.as_bytes(), &["s"], &Default::default());
/// assert_eq!(d.cause(), Some(Variant::UppercaseHex));
/// ```
pub fn diagnose<S: AsRef<str>>(body: &[u8], secrets: &[S], options: &FormOptions) -> Diagnosis {
    let stripped = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let segments = stripped.iter().filter(|&&b| b == b'&').count() + 1;
    if segments > options.limit() {
        return Diagnosis::default();
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
        return Diagnosis::default();
    };
    let Ok(mut fields) = form::parse_form_with(body, options) else {
        return Diagnosis::default();
    };
    form::signed_fields(&mut fields);
    let mut root = String::new();
    let mut sink = FmtSink {
        out: &mut root,
        result: Ok(()),
    };
    canonical::emit(canonical::pairs(&fields), &mut sink);
    let mut findings = Vec::new();
    for &variant in Variant::ALL {
        let mut finding = Finding {
            variant,
            reproduces: false,
            secret_index: None,
        };
        // Without a reproduction, list only the variants this body could
        // trigger: those that sign a different string for it. A secret
        // mistake or uppercase hex either reproduces or is not the cause.
        let plausible = match variant {
            Variant::Latin1 | Variant::Utf8ReadAsLatin1 => !root.is_ascii(),
            Variant::UppercaseHex
            | Variant::SecretNewlineAdded
            | Variant::SecretCrlfAdded
            | Variant::SecretSpaceAdded
            | Variant::SecretTrimmed
            | Variant::SecretPrepended
            | Variant::SecretJoinedWithKey => false,
            Variant::HashIncluded => true,
            _ => variant_canonicals(&raw, variant).iter().any(|c| *c != root),
        };
        for (i, secret) in secrets.iter().enumerate() {
            let secret = secret.as_ref();
            if secret.is_empty() {
                continue;
            }
            for wrong in variant_hashes(&raw, &root, variant, secret) {
                if wrong == received && !finding.reproduces {
                    finding.reproduces = true;
                    finding.secret_index = Some(i);
                }
            }
        }
        if finding.reproduces || plausible {
            findings.push(finding);
        }
    }
    // Reproducing variants first; otherwise keep the prior order of `ALL`.
    findings.sort_by_key(|f| !f.reproduces);
    Diagnosis { findings }
}
