//! A deliberately naive body parser that follows the vectors README's
//! "Parsing rules" line by line, one byte at a time: the oracle for
//! `tests/form_oracle.rs` and for the `form` fuzz target, which includes
//! this file by path.

use hooksig::ErrorKind;

/// What a body parses to: fields in body order, or a fault and its segment.
pub type Parsed = Result<Vec<(String, String)>, (ErrorKind, Option<usize>)>;

/// Rule 4, one byte at a time: `+` is a space, `%XX` a byte, then strict UTF-8.
fn decode(raw: &[u8]) -> Option<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(raw.get(i + 1..i + 3)?).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Rules 1 to 5, literally.
pub fn naive(body: &[u8], max: usize) -> Parsed {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let segments: Vec<&[u8]> = body.split(|&b| b == b'&').collect();
    if segments.len() > max {
        return Err((ErrorKind::TooManyParams, None));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            continue;
        }
        let (key, value) = match segment.iter().position(|&b| b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (&segment[..], &b""[..]),
        };
        let (Some(key), Some(value)) = (decode(key), decode(value)) else {
            return Err((ErrorKind::InvalidEncoding, Some(index)));
        };
        if key.is_empty() {
            return Err((ErrorKind::EmptyKey, Some(index)));
        }
        if fields.iter().any(|(k, _)| *k == key) {
            return Err((ErrorKind::DuplicateKey, Some(index)));
        }
        fields.push((key, value));
    }
    Ok(fields)
}
