//! Explain reports: what was signed, what was dropped and why, and which hash
//! was expected, for an operator debugging a failing signature.
//!
//! **Never send a report back to whoever sent the request.** The expected hash
//! is a valid signature for the body, so echoing it lets anyone forge requests.
//! Reports are for the operator's logs and tools. They never contain the secret.

use crate::canonical::{self, FmtSink};
use crate::diagnosis::{Diagnosis, diagnose};
use crate::error::{Error, ErrorKind};
use crate::form::{self, FormOptions};
use crate::signature::{self, Signature};
use crate::value::{DropReason, Value};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// One field of the body, as decoded, and whether it was signed.
///
/// ```
/// let report = hooksig::explain(b"a=1&b=", &["s"], &Default::default());
/// assert_eq!(report.fields[1].dropped, Some(hooksig::DropReason::Empty));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportField {
    /// The decoded key.
    pub key: String,
    /// The decoded value.
    pub value: String,
    /// Why the field is not signed, or `None` when it is.
    pub dropped: Option<DropReason>,
}

/// A structured explanation of one verification. See the module docs before
/// logging or displaying one.
///
/// ```
/// let body = hooksig::encode_form(&[("a", "1")], "s").unwrap();
/// let report = hooksig::explain(body.as_bytes(), &["s"], &Default::default());
/// assert_eq!(report.verdict, Ok(0));
/// assert_eq!(report.canonical.as_deref(), Some("a=1"));
/// assert_eq!(report.received.as_deref(), Some(report.expected[0].as_str()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// What verification concluded: the index of the matching secret, or the error.
    pub verdict: Result<usize, Error>,
    /// Every field of the body in body order; empty when the body was refused.
    pub fields: Vec<ReportField>,
    /// The string that is hashed before the secret; `None` when the body was refused.
    pub canonical: Option<String>,
    /// The signature under each secret, in the order given. A valid signature:
    /// never return it to the requester.
    pub expected: Vec<Signature>,
    /// The `hash` the body carried, as sent, if it had one.
    pub received: Option<String>,
    /// For a mismatched or malformed hash: the known-wrong computations that
    /// reproduce it, or could explain it, most likely first.
    pub diagnosis: Option<Diagnosis>,
}

/// Verifies `body` like [`verify_form_with`](crate::verify_form_with), and
/// explains the outcome. Costs nothing unless called.
///
/// ```
/// let report = hooksig::explain(b"b=2&a=1&hash=00000000000000000000000000000000", &["s"], &Default::default());
/// assert_eq!(report.verdict.unwrap_err().kind().name(), "mismatch");
/// assert_eq!(report.canonical.as_deref(), Some("a=1&b=2"));
/// assert!(!format!("{report}").contains("s\n"));
/// ```
pub fn explain<S: AsRef<str>>(body: &[u8], secrets: &[S], options: &FormOptions) -> Report {
    let verdict = form::verify_form_with(body, secrets, options).map(|v| v.secret_index);
    let mut report = Report {
        verdict,
        fields: Vec::new(),
        canonical: None,
        expected: Vec::new(),
        received: None,
        diagnosis: None,
    };
    let Ok(mut fields) = form::parse_form_with(body, options) else {
        return report;
    };
    report.fields = fields
        .iter()
        .map(|(k, v)| ReportField {
            key: String::from(&**k),
            value: String::from(&**v),
            dropped: canonical::exclusion(k, &Value::Str(v)),
        })
        .collect();
    report.received = fields
        .iter()
        .find(|f| f.0 == "hash")
        .map(|f| String::from(&*f.1));
    if form::received_hash(&fields).is_err_and(|e| e.kind() == ErrorKind::UnsupportedKey) {
        return report;
    }
    form::signed_fields(&mut fields);
    let mut text = String::new();
    let mut sink = FmtSink {
        out: &mut text,
        result: Ok(()),
    };
    canonical::emit(canonical::pairs(&fields), &mut sink);
    report.canonical = Some(text);
    if signature::check_secrets(secrets).is_ok() {
        report.expected = secrets
            .iter()
            .map(|s| signature::digest(canonical::pairs(&fields), s.as_ref()))
            .collect();
    }
    if report
        .verdict
        .is_err_and(|e| matches!(e.kind(), ErrorKind::Mismatch | ErrorKind::MalformedHash))
    {
        report.diagnosis = Some(diagnose(body, secrets, options));
    }
    report
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.verdict {
            Ok(i) => writeln!(f, "verdict:   valid (secret #{})", i + 1)?,
            Err(e) => writeln!(f, "verdict:   INVALID [{}] {e}", e.kind())?,
        }
        if !self.fields.is_empty() {
            writeln!(f, "fields (body order):")?;
        }
        for field in &self.fields {
            let status = match field.dropped {
                None => "signed",
                Some(reason) => reason.describe(),
            };
            writeln!(f, "  {:?} = {:?}  -> {status}", field.key, field.value)?;
        }
        if let Some(c) = &self.canonical {
            writeln!(f, "canonical: {c:?}")?;
            writeln!(f, "hashed:    MD5(canonical + secret), lowercase hex")?;
        }
        for (i, sig) in self.expected.iter().enumerate() {
            writeln!(f, "expected:  {sig} (secret #{})", i + 1)?;
        }
        match &self.received {
            Some(r) => writeln!(f, "received:  {r:?}")?,
            None => writeln!(f, "received:  (no hash field)")?,
        }
        if let Some(d) = &self.diagnosis {
            match d.cause() {
                Some(v) => writeln!(
                    f,
                    "diagnosis: the received hash is reproduced by a known bug: {}",
                    v.describe()
                )?,
                None => writeln!(
                    f,
                    "diagnosis: no known bug reproduces the received hash (wrong secret, or the body was changed)"
                )?,
            }
            for finding in d.findings.iter().take(8) {
                let how = if finding.reproduces {
                    "REPRODUCES"
                } else {
                    "possible"
                };
                writeln!(
                    f,
                    "  - [{how}] {}: {}",
                    finding.variant.name(),
                    finding.variant.describe()
                )?;
            }
        }
        Ok(())
    }
}
