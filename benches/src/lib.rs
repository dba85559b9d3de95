//! The benchmark payloads and the operations measured on them, shared by the
//! criterion bench (`benches/hooksig.rs`) and the `ratios` table, so both time
//! exactly the same code.
//!
//! Payloads live in `benches/payloads.json`, which the Python and JS benches
//! read too. Every operation has a baseline: MD5 alone over the exact bytes
//! hooksig hashes (canonical string + secret), so a ratio of 1.0 means the
//! signing protocol costs nothing beyond the hash itself.

use hooksig::FormOptions;
use md5::{Digest, Md5};
use std::hint::black_box;

/// One payload, with everything an operation needs prepared in advance.
pub struct Payload {
    /// Short name (`deposit`, `camel64`, ...).
    pub name: String,
    /// The typed parameters, in input order, without `hash`.
    pub params: Vec<(String, String)>,
    /// The parameters plus their `hash`, as a receiver has them after parsing.
    pub signed: Vec<(String, String)>,
    /// The body as it arrives: every field in input order, then `hash`,
    /// URL-encoded (so a receiver has to sort, as with most senders).
    pub body: String,
    /// The canonical string followed by the secret: exactly what MD5 reads.
    pub hashed: Vec<u8>,
    /// The shared secret.
    pub secret: String,
}

impl Payload {
    /// Form options that admit this body (the 1000-field payload needs a higher limit).
    pub fn options(&self) -> FormOptions {
        FormOptions::new().max_params(self.signed.len().max(FormOptions::DEFAULT_MAX_PARAMS))
    }
}

/// The operations measured on each payload; `Baseline` is MD5 alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// MD5 over the canonical bytes plus the secret, nothing else.
    Baseline,
    /// `hooksig::sign` over typed pairs.
    Sign,
    /// `hooksig::verify` over parsed pairs that include `hash`.
    Verify,
    /// `hooksig::verify_form_with` over the raw body.
    VerifyForm,
}

impl Op {
    /// Every operation, baseline first.
    pub const ALL: [Op; 4] = [Op::Baseline, Op::Sign, Op::Verify, Op::VerifyForm];

    /// The name shown in tables and criterion ids.
    pub fn name(self) -> &'static str {
        match self {
            Op::Baseline => "md5-baseline",
            Op::Sign => "sign",
            Op::Verify => "verify",
            Op::VerifyForm => "verify_form",
        }
    }

    /// Bytes this operation reads, for throughput.
    pub fn bytes(self, p: &Payload) -> u64 {
        match self {
            Op::VerifyForm => p.body.len() as u64,
            _ => p.hashed.len() as u64,
        }
    }
}

/// Borrowed views of a payload, made once so that timing excludes them.
pub struct Prepared<'p> {
    payload: &'p Payload,
    params: Vec<(&'p str, &'p str)>,
    signed: Vec<(&'p str, &'p str)>,
    secrets: [&'p str; 1],
    options: FormOptions,
}

impl<'p> Prepared<'p> {
    /// Borrows `payload` as the pairs and options the operations take.
    pub fn new(payload: &'p Payload) -> Prepared<'p> {
        let view = |v: &'p [(String, String)]| v.iter().map(|(k, v)| (&**k, &**v)).collect();
        Prepared {
            payload,
            params: view(&payload.params),
            signed: view(&payload.signed),
            secrets: [&payload.secret],
            options: payload.options(),
        }
    }

    /// Runs `op` once; panics if hooksig fails, because a bench of an error path
    /// would be meaningless.
    #[inline(never)]
    pub fn run(&self, op: Op) {
        match op {
            Op::Baseline => {
                black_box(Md5::digest(black_box(&self.payload.hashed[..])));
            }
            Op::Sign => {
                let sig =
                    hooksig::sign(black_box(&self.params[..]), black_box(&self.payload.secret));
                black_box(sig.expect("sign"));
            }
            Op::Verify => {
                let r =
                    hooksig::verify(black_box(&self.signed[..]), black_box(&self.payload.secret));
                r.expect("verify");
            }
            Op::VerifyForm => {
                let r = hooksig::verify_form_with(
                    black_box(self.payload.body.as_bytes()),
                    black_box(&self.secrets[..]),
                    &self.options,
                );
                black_box(r.expect("verify_form"));
            }
        }
    }
}

/// Where `payloads.json` is, whatever the working directory.
pub const PAYLOADS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/payloads.json");

/// Reads and expands every payload from [`PAYLOADS`].
pub fn load() -> Vec<Payload> {
    let text = std::fs::read_to_string(PAYLOADS).expect("read benches/payloads.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("parse benches/payloads.json");
    let secret = doc["secret"].as_str().expect("secret").to_owned();
    doc["payloads"]
        .as_array()
        .expect("payloads")
        .iter()
        .map(|p| build(p, &secret))
        .collect()
}

/// A value is a string, or `{"repeat": TEXT, "count": N}`.
fn value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        _ => {
            let text = v["repeat"].as_str().expect("repeat");
            let count = v["count"].as_u64().expect("count");
            text.repeat(count as usize)
        }
    }
}

fn build(p: &serde_json::Value, secret: &str) -> Payload {
    let params: Vec<(String, String)> = p["params"]
        .as_array()
        .expect("params")
        .iter()
        .map(|pair| (pair[0].as_str().expect("key").to_owned(), value(&pair[1])))
        .collect();
    let sig = hooksig::sign(&params, secret).expect("payload signs");
    let mut signed = params.clone();
    signed.push(("hash".to_owned(), sig.as_str().to_owned()));
    let mut hashed = hooksig::canonical(&params).expect("canonical").into_bytes();
    hashed.extend_from_slice(secret.as_bytes());
    let mut body = String::new();
    for (k, v) in &signed {
        if !body.is_empty() {
            body.push('&');
        }
        hooksig::form::encode_component(k, &mut body);
        body.push('=');
        hooksig::form::encode_component(v, &mut body);
    }
    Payload {
        name: p["name"].as_str().expect("name").to_owned(),
        body,
        params,
        signed,
        hashed,
        secret: secret.to_owned(),
    }
}
