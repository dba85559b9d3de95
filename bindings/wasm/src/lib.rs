//! wasm-bindgen adapter: the hooksig core as the npm package `hooksig`.
//!
//! This crate only converts types and maps errors. Every protocol rule (filter,
//! key order, number formatting, form decoding, signing) is the core's. The JS
//! glue (`js/api.js`) packs a call's strings into ONE string and its small
//! numbers into ONE list, because every crossing into WASM costs a copy and a
//! JS/WASM transition; this crate unpacks them into the core's types.
//!
//! The inputs do not go through wasm-bindgen's string and slice conversions:
//! they encode ASCII with a JS loop (slow for long strings) and allocate per
//! call. Instead the glue writes straight into two scratch buffers this crate
//! owns ([`text_buffer`], [`meta_buffer`], in [`wasm_memory`]): the packed string with
//! `TextEncoder.encodeInto`, the numbers into a `Float64Array`. Each call then
//! names how much of them it uses. The layouts, shared with `js/api.js`:
//!
//! - String lengths are in UTF-16 code units (JS `.length`); `-1` marks a JS
//!   string that is not well formed (a lone surrogate), which UTF-8 encoding
//!   would otherwise silently turn into U+FFFD: it becomes `invalid-encoding`.
//! - Secrets: `n, len_1 .. len_n`, their text concatenated.
//! - Params: one triple per pair, `tag, key_len, value_len_or_number`; the
//!   text is `key value` concatenated. Tags are the `TAG_*` constants.
//!   A [`sign`] with keys whose [`Layout`] is kept has values only: one
//!   pair `tag, value_len_or_number` each, and their text.
//! - Form calls: `max_params`, then the secrets; the body follows the secrets
//!   in the text scratch: the UTF-8 of a well-formed JS string (the `_text`
//!   exports), or bytes (the `_bytes` exports). A JS string body with a lone
//!   surrogate comes as bytes, its WTF-8 form, so that the core's parser finds
//!   the invalid UTF-8 where it is, in its left-to-right order.
//! - Outputs are returned as `String`s, except the signature of [`sign`],
//!   left in [`signature_buffer`], and the numbers of `verifyForm`'s fields,
//!   left in [`fields_buffer`] (see `verify_form_packed`).
//! - Errors cross as a number: the kind's position in [`ErrorKind::ALL`] plus
//!   16 × (parameter index + 1); [`error_info`] turns it into text.

use hooksig::{Error, ErrorKind, FormOptions, Layout, Report, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;
use wasm_bindgen::prelude::*;

/// A string value.
const TAG_STR: u8 = 0;
/// A JS number: the third slot holds it, as the f64 the core formats.
const TAG_NUMBER: u8 = 1;
/// `true`.
const TAG_TRUE: u8 = 2;
/// `false`.
const TAG_FALSE: u8 = 3;
/// `null` or `undefined`.
const TAG_NULL: u8 = 4;
/// Anything the protocol has no value for (array, object, bigint, ...).
const TAG_UNSUPPORTED: u8 = 5;

/// Reads the packed call: pieces of `text` by UTF-16 length, numbers from `meta`.
struct Unpack<'a> {
    text: &'a str,
    meta: &'a [f64],
    /// The rest of the text is ASCII, so UTF-16 lengths are byte lengths
    /// (checked once, by [`Unpack::params`]: a body after the secrets is not scanned).
    ascii: bool,
}

impl<'a> Unpack<'a> {
    fn new(text: &'a str, meta: &'a [f64]) -> Unpack<'a> {
        Unpack {
            text,
            meta,
            ascii: false,
        }
    }
}

/// `n` as a count, if it is a whole number from 0 up. One conversion and one
/// comparison (`as` saturates, and NaN becomes 0): cheaper than `fract()`,
/// which is a libm call outside WebAssembly. The largest counts saturate to
/// `usize::MAX`, which no buffer has, so they fail where they are used.
#[inline]
fn whole(n: f64) -> Option<usize> {
    let units = n as usize;
    (units as f64 == n || (units == usize::MAX && n > 0.0)).then_some(units)
}

/// A failure to unpack that the caller's input caused, or an internal one.
fn internal() -> Error {
    Error::new(ErrorKind::Internal)
}

impl<'a> Unpack<'a> {
    fn number(&mut self) -> Result<f64, Error> {
        let (&first, rest) = self.meta.split_first().ok_or_else(internal)?;
        self.meta = rest;
        Ok(first)
    }

    /// A non-negative count from `meta`.
    fn count(&mut self) -> Result<usize, Error> {
        whole(self.number()?).ok_or_else(internal)
    }

    /// The next `units` UTF-16 code units of `text`.
    fn take(&mut self, units: usize) -> Result<&'a str, Error> {
        let bytes = self.text.as_bytes();
        // Fast path: for ASCII, code units and bytes are the same.
        let end = if bytes.len() >= units && (self.ascii || bytes[..units].is_ascii()) {
            units
        } else {
            let mut seen = 0;
            let mut end = None;
            for (i, c) in self.text.char_indices() {
                if seen >= units {
                    end = Some(i);
                    break;
                }
                seen += c.len_utf16();
            }
            match end {
                Some(i) if seen == units => i,
                None if seen == units => self.text.len(),
                _ => return Err(internal()),
            }
        };
        let (piece, rest) = self.text.split_at(end);
        self.text = rest;
        Ok(piece)
    }

    /// A string whose length slot may say "not well formed" (`-1`).
    fn string(&mut self, index: Option<usize>) -> Result<&'a str, Error> {
        let len = self.number()?;
        match whole(len) {
            Some(units) => self.take(units),
            None if len == -1.0 => Err(match index {
                Some(i) => Error::at(ErrorKind::InvalidEncoding, i),
                None => Error::new(ErrorKind::InvalidEncoding),
            }),
            None => Err(internal()),
        }
    }

    fn secrets(&mut self) -> Result<Vec<&'a str>, Error> {
        let n = self.count()?;
        (0..n).map(|_| self.string(None)).collect()
    }

    /// The one secret of `sign` and `encodeForm`.
    fn secret(&mut self) -> Result<&'a str, Error> {
        if self.count()? != 1 {
            return Err(internal());
        }
        self.string(None)
    }

    /// The pair at position `i`.
    fn pair(&mut self, i: usize) -> Result<(&'a str, Value<'a>), Error> {
        let tag = self.tag()?;
        let key = self.string(Some(i))?;
        Ok((key, self.value(tag, i)?))
    }

    /// A value's tag (one of `TAG_*`).
    fn tag(&mut self) -> Result<u8, Error> {
        let n = self.number()?;
        // Saturating, so only a whole number from 0 to 255 converts back to itself.
        let tag = n as u8;
        if f64::from(tag) == n {
            Ok(tag)
        } else {
            Err(internal())
        }
    }

    /// The value of the pair at position `i`, after its tag (and key).
    fn value(&mut self, tag: u8, i: usize) -> Result<Value<'a>, Error> {
        if tag == TAG_STR {
            return Ok(Value::Str(self.string(Some(i))?));
        }
        let slot = self.number()?;
        match tag {
            TAG_NUMBER => Ok(Value::Float(slot)),
            TAG_TRUE => Ok(Value::Bool(true)),
            TAG_FALSE => Ok(Value::Bool(false)),
            TAG_NULL => Ok(Value::Null),
            TAG_UNSUPPORTED => Err(Error::at(ErrorKind::InvalidValue, i)),
            _ => Err(internal()),
        }
    }

    /// Calls `f` with the remaining items, `width` numbers each, each read by
    /// `item` from its position; on the stack when they are few (a typical
    /// webhook has about ten): no allocation per call.
    fn with_items<T: Copy, R>(
        &mut self,
        width: usize,
        empty: T,
        item: impl Fn(&mut Self, usize) -> Result<T, Error>,
        f: impl FnOnce(&[T]) -> Result<R, Error>,
    ) -> Result<R, Error> {
        // The array is initialized on every call: sized to the usual webhook.
        const STACK: usize = 16;
        let n = self.meta.len() / width;
        self.ascii = self.text.is_ascii();
        let mut stack = [empty; STACK];
        let mut heap = Vec::new();
        let items = if n <= STACK {
            &mut stack[..n]
        } else {
            heap.resize(n, empty);
            &mut heap[..]
        };
        for (i, slot) in items.iter_mut().enumerate() {
            *slot = item(self, i)?;
        }
        if !self.meta.is_empty() {
            return Err(internal());
        }
        f(items)
    }

    /// Calls `f` with every remaining pair (three numbers each).
    fn with_params<R>(
        &mut self,
        f: impl FnOnce(&[(&'a str, Value<'a>)]) -> Result<R, Error>,
    ) -> Result<R, Error> {
        self.with_items(3, ("", Value::Null), Self::pair, f)
    }

    /// Calls `f` with the remaining values of a [`Layout`] call (two numbers
    /// each: tag, then length or number).
    fn with_values<R>(
        &mut self,
        f: impl FnOnce(&[Value<'a>]) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let value = |u: &mut Self, i| {
            let tag = u.tag()?;
            u.value(tag, i)
        };
        self.with_items(2, Value::Null, value, f)
    }

    /// Form options: `max_params` (NaN for the core's default).
    fn options(&mut self) -> Result<FormOptions, Error> {
        let max = self.number()?;
        Ok(if max.is_nan() {
            FormOptions::new()
        } else {
            FormOptions::new().max_params(whole(max).ok_or_else(internal)?)
        })
    }
}

/// The number an error crosses as (see the module docs).
fn code(err: Error) -> f64 {
    let kind = ErrorKind::ALL
        .iter()
        .position(|&k| k == err.kind())
        .unwrap_or(ErrorKind::ALL.len() - 1);
    let index = err.index().map_or(0, |i| i.saturating_add(1));
    kind as f64 + 16.0 * index as f64
}

/// The error a code stands for.
fn decode(code: f64) -> Error {
    let kind = ErrorKind::ALL
        .get((code % 16.0) as usize)
        .copied()
        .unwrap_or(ErrorKind::Internal);
    match (code / 16.0) as usize {
        0 => Error::new(kind),
        n => Error::at(kind, n - 1),
    }
}

/// `kind \n category \n message` of an error code, for the glue to build a JS
/// `Error` subclass from (called on the error path only).
#[wasm_bindgen]
pub fn error_info(code: f64) -> String {
    let err = decode(code);
    format!(
        "{}\n{}\n{err}",
        err.kind().name(),
        err.kind().category().name()
    )
}

/// The code of an `internal` error: the glue reports a trap with it.
#[wasm_bindgen]
pub fn internal_error_code() -> f64 {
    code(Error::new(ErrorKind::Internal))
}

/// The code of an `invalid-value` error: the glue reports an argument of a
/// type it cannot convert (a number as the secret, a `Date` as params) with
/// this kind and category, and its own message.
#[wasm_bindgen]
pub fn invalid_value_code() -> f64 {
    code(Error::new(ErrorKind::InvalidValue))
}

/// The core's canonical string of packed params.
fn canonical_packed(text: &str, meta: &[f64]) -> Result<String, Error> {
    Unpack::new(text, meta).with_params(hooksig::canonical)
}

/// The signature of packed secret + params.
fn sign_packed(text: &str, meta: &[f64]) -> Result<hooksig::Signature, Error> {
    let mut unpack = Unpack::new(text, meta);
    let secret = unpack.secret()?;
    unpack.with_params(|pairs| hooksig::sign(pairs, secret))
}

/// How many key layouts [`sign`] keeps for the glue: a sender signs a few
/// event shapes over and over.
const LAYOUTS: usize = 4;

/// A layout whose keys are longer than this in all is not kept: its memory
/// would stay with the module.
const LAYOUT_BYTES: usize = 16 * 1024;

thread_local! {
    /// The layouts the glue asked [`sign`] to keep, by slot.
    static KEPT: RefCell<[Option<Layout>; LAYOUTS]> = const { RefCell::new([const { None }; LAYOUTS]) };
}

/// Signs packed secret + params, and keeps their keys' layout in `slot` for
/// the next calls with the same keys (unless the keys are too long).
/// Returns the signature and whether the layout was kept.
fn sign_and_keep(
    text: &str,
    meta: &[f64],
    slot: usize,
) -> Result<(hooksig::Signature, bool), Error> {
    let mut unpack = Unpack::new(text, meta);
    let secret = unpack.secret()?;
    KEPT.with_borrow_mut(|kept| {
        let kept = kept.get_mut(slot).ok_or_else(internal)?;
        *kept = None;
        let sig = unpack.with_params(|pairs| {
            let keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
            let Ok(layout) = Layout::new(&keys) else {
                // Keys that cannot be signed: sign's error (an empty secret
                // comes first there).
                return hooksig::sign(pairs, secret);
            };
            let values: Vec<Value<'_>> = pairs.iter().map(|(_, v)| *v).collect();
            let sig = layout.sign(&values, secret)?;
            if keys.iter().map(|k| k.len()).sum::<usize>() <= LAYOUT_BYTES {
                *kept = Some(layout);
            }
            Ok(sig)
        })?;
        Ok((sig, kept.is_some()))
    })
}

/// Signs packed secret + values with the layout kept in `slot`.
fn sign_with_kept(text: &str, meta: &[f64], slot: usize) -> Result<hooksig::Signature, Error> {
    let mut unpack = Unpack::new(text, meta);
    let secret = unpack.secret()?;
    KEPT.with_borrow(|kept| {
        let layout = kept
            .get(slot)
            .and_then(Option::as_ref)
            .ok_or_else(internal)?;
        if unpack.meta.len() != 2 * layout.len() {
            return Err(internal());
        }
        unpack.with_values(|values| layout.sign(values, secret))
    })
}

/// Verifies packed params that carry their `hash`; returns the secret index.
fn verify_packed(text: &str, meta: &[f64]) -> Result<u32, Error> {
    let mut unpack = Unpack::new(text, meta);
    let secrets = unpack.secrets()?;
    let index = unpack.with_params(|pairs| hooksig::verify_any(pairs, &secrets))?;
    Ok(index as u32)
}

/// The signed form body (`URLSearchParams` encoding) of packed secret + params.
fn encode_form_packed(text: &str, meta: &[f64]) -> Result<String, Error> {
    let mut unpack = Unpack::new(text, meta);
    let secret = unpack.secret()?;
    unpack.with_params(|pairs| hooksig::encode_form(pairs, secret))
}

/// UTF-16 length of `s`, as JS `.length` counts it.
fn len16(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// The unpacked arguments of `verifyForm` and `explain`.
struct FormArgs<'a> {
    options: FormOptions,
    secrets: Vec<&'a str>,
    /// The text after the secrets: the body of a string-body call.
    rest: &'a str,
}

/// Unpacks `meta = [max_params, n, len_1 .. len_n]` and the secrets' text.
fn form_args<'a>(text: &'a str, meta: &'a [f64]) -> Result<FormArgs<'a>, Error> {
    let mut unpack = Unpack::new(text, meta);
    let options = unpack.options()?;
    let secrets = unpack.secrets()?;
    Ok(FormArgs {
        options,
        secrets,
        rest: unpack.text,
    })
}

/// Appends `n` in decimal (the header of [`verify_form_packed`]), with the
/// core's integer formatting: `write!` showed in profiles.
fn push_decimal(out: &mut String, n: usize) {
    Value::UInt(n as u64).with_text(|digits| out.push_str(digits));
}

/// Verifies a body; returns the text of the signed fields that are not in
/// the body as they are (decoded ones, or all of a byte body), keys first,
/// and leaves in [`fields_buffer`] `secret_index, n`, then for each field
/// `key_offset, key_length, value_offset, value_length`. Lengths are in
/// UTF-16 code units; an offset is where the piece starts in the JS string
/// body when that body is ASCII (the glue slices it from the string it
/// already has: nothing copied here, nothing decoded there), or `-1` for the
/// next piece of the returned text.
///
/// Past 16 fields with no offsets it returns `{"secretIndex":i,"params":{...}}`
/// instead (and `n` is `-1`), for `JSON.parse`: V8 builds a large object from JSON faster than
/// from one keyed store per field (camel64: about 4.8 against 7 µs). A JSON
/// `"__proto__"` member is an own property, as the glue makes it otherwise.
fn verify_form_packed(body: &[u8], args: &FormArgs<'_>, in_body: bool) -> Result<String, Error> {
    const JSON_FIELDS: usize = 16;
    let verified = hooksig::verify_form_with(body, &args.secrets, &args.options)?;
    let ascii = in_body && body.is_ascii();
    // Where a borrowed piece starts in the body (pointers compared, not read).
    let offset = |piece: &Cow<'_, str>| match piece {
        Cow::Borrowed(s) if ascii => Some(s.as_ptr() as usize - body.as_ptr() as usize),
        _ => None,
    };
    if !ascii && verified.fields.len() > JSON_FIELDS {
        // `n = -1` tells the glue to parse JSON.
        FIELDS.with_borrow_mut(|numbers| {
            numbers.clear();
            numbers.extend([verified.secret_index as f64, -1.0]);
        });
        let mut out = String::with_capacity(32 + body.len() + verified.fields.len() * 6);
        out.push_str("{\"secretIndex\":");
        push_decimal(&mut out, verified.secret_index);
        out.push_str(",\"params\":{");
        for (n, (k, v)) in verified.fields.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            json_str(&mut out, k);
            out.push(':');
            json_str(&mut out, v);
        }
        out.push_str("}}");
        return Ok(out);
    }
    FIELDS.with_borrow_mut(|numbers| {
        numbers.clear();
        numbers.reserve(2 + 4 * verified.fields.len());
        numbers.push(verified.secret_index as f64);
        numbers.push(verified.fields.len() as f64);
        for (k, v) in &verified.fields {
            for piece in [k, v] {
                match offset(piece) {
                    Some(at) => numbers.extend([at as f64, piece.len() as f64]),
                    // Decoded text may be non-ASCII even in an ASCII body.
                    None => numbers.extend([-1.0, len16(piece) as f64]),
                }
            }
        }
    });
    let inline = |piece: &&Cow<'_, str>| offset(piece).is_none();
    let keys = verified.fields.iter().map(|(k, _)| k).filter(inline);
    let values = verified.fields.iter().map(|(_, v)| v).filter(inline);
    let mut out = String::with_capacity(keys.clone().chain(values.clone()).map(|p| p.len()).sum());
    for piece in keys.chain(values) {
        out.push_str(piece);
    }
    Ok(out)
}

thread_local! {
    /// The numbers of the last [`verify_form_packed`]'s fields.
    static FIELDS: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// Where the numbers of the last `verifyForm`'s fields are (valid until the next call).
#[wasm_bindgen]
pub fn fields_buffer() -> *const f64 {
    FIELDS.with_borrow(|f| f.as_ptr())
}

/// How many numbers fit at [`fields_buffer`] (its capacity: the glue's view of it).
#[wasm_bindgen]
pub fn fields_capacity() -> usize {
    FIELDS.with_borrow(|f| f.capacity())
}

/// `verifyForm` on a JS string body (its UTF-8 bytes follow the secrets in `text`).
fn verify_form_text_packed(text: &str, meta: &[f64]) -> Result<String, Error> {
    let args = form_args(text, meta)?;
    verify_form_packed(args.rest.as_bytes(), &args, true)
}

/// `verifyForm` on a `Uint8Array` body; `text` holds the secrets only.
fn verify_form_bytes_packed(body: &[u8], text: &str, meta: &[f64]) -> Result<String, Error> {
    verify_form_packed(body, &form_args(text, meta)?, false)
}

/// Appends `s` as a JSON string literal (the runs between escapes in one copy each).
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0..=0x1f => "",
            _ => continue,
        };
        // `b` is ASCII, so `i` is a char boundary.
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends a JSON string literal, or `null`.
fn json_opt(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.push_str("null"),
    }
}

/// The core's report as JSON text (the glue parses it into a plain object).
fn report_json(report: &Report) -> String {
    let mut out = String::with_capacity(256);
    match &report.verdict {
        Ok(i) => {
            let _ = write!(out, "{{\"valid\":true,\"secretIndex\":{i},\"error\":null");
        }
        Err(e) => {
            out.push_str("{\"valid\":false,\"secretIndex\":null,\"error\":{\"kind\":");
            json_str(&mut out, e.kind().name());
            out.push_str(",\"category\":");
            json_str(&mut out, e.kind().category().name());
            out.push_str(",\"message\":");
            json_str(&mut out, &e.to_string());
            out.push_str(",\"index\":");
            match e.index() {
                Some(i) => {
                    let _ = write!(out, "{i}");
                }
                None => out.push_str("null"),
            }
            out.push('}');
        }
    }
    out.push_str(",\"fields\":[");
    for (n, f) in report.fields.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str("{\"key\":");
        json_str(&mut out, &f.key);
        out.push_str(",\"value\":");
        json_str(&mut out, &f.value);
        out.push_str(",\"dropped\":");
        json_opt(&mut out, f.dropped.map(|d| d.name()));
        out.push('}');
    }
    out.push_str("],\"canonical\":");
    json_opt(&mut out, report.canonical.as_deref());
    out.push_str(",\"expected\":[");
    for (n, sig) in report.expected.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        json_str(&mut out, sig.as_str());
    }
    out.push_str("],\"received\":");
    json_opt(&mut out, report.received.as_deref());
    out.push_str(",\"diagnosis\":");
    match &report.diagnosis {
        None => out.push_str("null"),
        Some(d) => {
            out.push_str("{\"cause\":");
            json_opt(&mut out, d.cause().map(|v| v.name()));
            out.push_str(",\"findings\":[");
            for (n, f) in d.findings.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str("{\"variant\":");
                json_str(&mut out, f.variant.name());
                out.push_str(",\"description\":");
                json_str(&mut out, f.variant.describe());
                let _ = write!(out, ",\"reproduces\":{},\"secretIndex\":", f.reproduces);
                match f.secret_index {
                    Some(i) => {
                        let _ = write!(out, "{i}");
                    }
                    None => out.push_str("null"),
                }
                out.push('}');
            }
            out.push_str("]}");
        }
    }
    out.push_str(",\"text\":");
    json_str(&mut out, &report.to_string());
    out.push('}');
    out
}

/// The core's explain report of `body`, as JSON.
fn explain_packed(body: &[u8], args: &FormArgs<'_>) -> String {
    report_json(&hooksig::explain(body, &args.secrets, &args.options))
}

/// `explain` on a JS string body: same layout as [`verify_form_text`].
fn explain_text_packed(text: &str, meta: &[f64]) -> Result<String, Error> {
    let args = form_args(text, meta)?;
    Ok(explain_packed(args.rest.as_bytes(), &args))
}

/// `explain` on a `Uint8Array` body: same layout as [`verify_form_bytes`].
fn explain_bytes_packed(body: &[u8], text: &str, meta: &[f64]) -> Result<String, Error> {
    Ok(explain_packed(body, &form_args(text, meta)?))
}

/// The scratch buffers the glue writes a call's input into.
struct Scratch {
    text: Vec<u8>,
    meta: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const {
        RefCell::new(Scratch {
            text: Vec::new(),
            meta: Vec::new(),
        })
    };
}

/// The module's memory, for the glue's views of the scratch buffers.
#[wasm_bindgen]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Grows the text scratch buffer to at least `bytes` and returns where it
/// starts (valid until the next call of this function).
#[wasm_bindgen]
pub fn text_buffer(bytes: usize) -> *mut u8 {
    SCRATCH.with_borrow_mut(|s| {
        if s.text.len() < bytes {
            s.text.resize(bytes, 0);
        }
        s.text.as_mut_ptr()
    })
}

/// Grows the number scratch buffer to at least `count` numbers (keeping
/// those already written) and returns where it starts.
#[wasm_bindgen]
pub fn meta_buffer(count: usize) -> *mut f64 {
    SCRATCH.with_borrow_mut(|s| {
        if s.meta.len() < count {
            s.meta.resize(count, 0.0);
        }
        s.meta.as_mut_ptr()
    })
}

/// Runs `f` on the first `text_len` bytes and `meta_len` numbers of the scratch.
fn with_scratch<R>(
    text_len: usize,
    meta_len: usize,
    f: impl FnOnce(&[u8], &[f64]) -> Result<R, Error>,
) -> Result<R, f64> {
    SCRATCH
        .with(|s| {
            let s = s.try_borrow().map_err(|_| internal())?;
            let text = s.text.get(..text_len).ok_or_else(internal)?;
            let meta = s.meta.get(..meta_len).ok_or_else(internal)?;
            f(text, meta)
        })
        .map_err(code)
}

/// The packed string: it came from well-formed JS strings, so it is UTF-8.
fn utf8(bytes: &[u8]) -> Result<&str, Error> {
    core::str::from_utf8(bytes).map_err(|_| internal())
}

/// The core's canonical string of packed params.
#[wasm_bindgen]
pub fn canonical(text_len: usize, meta_len: usize) -> Result<String, f64> {
    with_scratch(text_len, meta_len, |t, m| canonical_packed(utf8(t)?, m))
}

thread_local! {
    /// Where [`sign`] leaves the signature: 32 ASCII bytes, which the glue
    /// turns into a string more cheaply than a returned `String` crosses.
    static SIGNATURE: RefCell<[u8; 32]> = const { RefCell::new([0; 32]) };
}

/// Where [`sign`] writes the signature (a fixed place).
#[wasm_bindgen]
pub fn signature_buffer() -> *const u8 {
    SIGNATURE.with_borrow(|s| s.as_ptr())
}

/// Signs packed secret + params; the 32 lowercase hex digits go to [`signature_buffer`].
///
/// `layout` is what the glue knows of the keys: `-1` nothing, `2 × slot`
/// that they are new (their layout is then kept in `slot`, which this
/// returns `1` for), `2 × slot + 1` that they are those kept in `slot`, and
/// only the values follow the secret (two numbers each: tag, then length or
/// number). See [`Layout`] and `js/api.js` `sign`.
///
/// Returns one number, not a `Result`: an error is `-1 - code`. (A `Result`
/// crosses as a multi-value return, for which the engine builds an array on
/// every call.)
#[wasm_bindgen]
pub fn sign(text_len: usize, meta_len: usize, layout: i32) -> f64 {
    let signed = with_scratch(text_len, meta_len, |t, m| {
        let text = utf8(t)?;
        match usize::try_from(layout) {
            Err(_) => Ok((sign_packed(text, m)?, false)),
            Ok(code) if code % 2 == 0 => sign_and_keep(text, m, code / 2),
            Ok(code) => Ok((sign_with_kept(text, m, code / 2)?, true)),
        }
    });
    match signed {
        Ok((sig, kept)) => {
            SIGNATURE.with_borrow_mut(|s| s.copy_from_slice(sig.as_str().as_bytes()));
            f64::from(u8::from(kept))
        }
        Err(code) => -1.0 - code,
    }
}

/// Verifies packed params that carry their `hash`; returns the secret index.
#[wasm_bindgen]
pub fn verify(text_len: usize, meta_len: usize) -> Result<u32, f64> {
    with_scratch(text_len, meta_len, |t, m| verify_packed(utf8(t)?, m))
}

/// The signed form body (`URLSearchParams` encoding) of packed secret + params.
#[wasm_bindgen]
pub fn encode_form(text_len: usize, meta_len: usize) -> Result<String, f64> {
    with_scratch(text_len, meta_len, |t, m| encode_form_packed(utf8(t)?, m))
}

/// `verifyForm` on a JS string body: its UTF-8 bytes follow the secrets.
#[wasm_bindgen]
pub fn verify_form_text(text_len: usize, meta_len: usize) -> Result<String, f64> {
    with_scratch(text_len, meta_len, |t, m| {
        verify_form_text_packed(utf8(t)?, m)
    })
}

/// `verifyForm` on a byte body: the secrets' text (`secrets_len` bytes), then
/// the body's bytes (`body_len`), which need not be UTF-8.
#[wasm_bindgen]
pub fn verify_form_bytes(
    secrets_len: usize,
    body_len: usize,
    meta_len: usize,
) -> Result<String, f64> {
    let total = secrets_len.saturating_add(body_len);
    with_scratch(total, meta_len, |t, m| {
        let (secrets, body) = t.split_at(secrets_len);
        verify_form_bytes_packed(body, utf8(secrets)?, m)
    })
}

/// `explain` on a JS string body: same layout as [`verify_form_text`].
#[wasm_bindgen]
pub fn explain_text(text_len: usize, meta_len: usize) -> Result<String, f64> {
    with_scratch(text_len, meta_len, |t, m| explain_text_packed(utf8(t)?, m))
}

/// `explain` on a byte body: same layout as [`verify_form_bytes`].
#[wasm_bindgen]
pub fn explain_bytes(secrets_len: usize, body_len: usize, meta_len: usize) -> Result<String, f64> {
    let total = secrets_len.saturating_add(body_len);
    with_scratch(total, meta_len, |t, m| {
        let (secrets, body) = t.split_at(secrets_len);
        explain_bytes_packed(body, utf8(secrets)?, m)
    })
}

/// Test-only: traps the module (a WebAssembly `unreachable`), so the tests can
/// prove the glue recovers from a trap. The glue does not export it: the tests
/// reach it as `hooksig[Symbol.for('hooksig.trap')]`, a non-enumerable property.
#[wasm_bindgen]
pub fn __trap() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_round_trip() {
        for &kind in ErrorKind::ALL {
            for err in [Error::new(kind), Error::at(kind, 0), Error::at(kind, 41)] {
                assert_eq!(decode(code(err)), err);
            }
        }
    }

    #[test]
    fn unpacks_utf16_lengths() {
        // "é" and "😀" are 1 and 2 UTF-16 units.
        let text = "s3cr3téb😀x";
        let meta = [1.0, 6.0, 0.0, 1.0, 3.0, 1.0, 1.0, 1.5];
        let mut u = Unpack::new(text, &meta);
        assert_eq!(u.secrets().unwrap(), ["s3cr3t"]);
        assert_eq!(
            u.with_params(|p| Ok(p.to_vec())).unwrap(),
            [("é", Value::Str("b😀")), ("x", Value::Float(1.5))]
        );
    }

    #[test]
    fn ill_formed_and_unsupported_values_are_refused() {
        let meta = [0.0, 1.0, -1.0];
        let err = Unpack::new("k", &meta).with_params(|_| Ok(())).unwrap_err();
        assert_eq!(err, Error::at(ErrorKind::InvalidEncoding, 0));
        let meta = [0.0, 1.0, 0.0, 5.0, 1.0, 0.0];
        let err = Unpack::new("ab", &meta)
            .with_params(|_| Ok(()))
            .unwrap_err();
        assert_eq!(err, Error::at(ErrorKind::InvalidValue, 1));
    }

    #[test]
    fn a_length_past_the_text_is_internal() {
        let meta = [0.0, 5.0, 0.0];
        let err = Unpack::new("ab", &meta)
            .with_params(|_| Ok(()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Internal);
    }

    #[test]
    fn whole_numbers_only() {
        assert_eq!(whole(3.0), Some(3));
        assert_eq!(whole(0.0), Some(0));
        assert_eq!(whole(1e300), Some(usize::MAX));
        for n in [
            -1.0,
            0.5,
            -0.5,
            f64::NAN,
            f64::NEG_INFINITY,
            2.0f64.powi(40) + 0.5,
        ] {
            assert_eq!(whole(n), None, "{n}");
        }
    }

    #[test]
    fn sign_returns_an_error_as_minus_one_minus_its_code() {
        // No scratch yet: a length past it is internal.
        let internal = code(Error::new(ErrorKind::Internal));
        assert_eq!(sign(1 << 20, 0, -1), -1.0 - internal);
    }

    #[test]
    fn decimals() {
        let mut out = String::new();
        for n in [0, 7, 10, 65536, usize::MAX] {
            push_decimal(&mut out, n);
            out.push(' ');
        }
        assert_eq!(out, format!("0 7 10 65536 {} ", usize::MAX));
    }

    #[test]
    fn report_json_escapes() {
        let mut out = String::new();
        json_str(&mut out, "a\"b\\c\u{1}é");
        assert_eq!(out, r#""a\"b\\c\u0001é""#);
    }
}
