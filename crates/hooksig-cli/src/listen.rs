//! `hooksig listen`: a local development receiver.
//!
//! Every POST to the path is verified from its raw body by the core
//! (`hooksig::verify_form_with`); an invalid signature is diagnosed by the core
//! (`hooksig::explain`). This module serves HTTP, counts, and prints.
//!
//! The HTTP reply is built only from fixed strings and a counter: it never
//! carries a hash, the canonical string or the diagnosis, because an expected
//! hash is a valid signature that would let the sender forge requests. The
//! diagnosis goes to the operator's terminal only, and nothing prints the
//! secret or an expected hash.

use crate::cli::ListenArgs;
use crate::error::CliError;
use crate::event::iso_time;
use crate::input::{shown, warn, write_line};
use crate::secret::{self, Secret};
use hooksig::diagnosis::Diagnosis;
use hooksig::{Category, ErrorKind, FormOptions};
use serde_json::{Map, Value as Json, json};
use std::collections::HashMap;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tiny_http::{Header, Method, Request, Response, Server};

/// The largest body accepted; a webhook is a few hundred bytes.
pub const MAX_BODY: usize = 1 << 20;

/// The fields shown on an event's text line, in this order, when present.
const SHOWN_FIELDS: &[&str] = &[
    "depositId",
    "withdrawRequestId",
    "externalUserId",
    "fiatAmount",
    "fiatCurrency",
    "cryptoAmount",
    "cryptoCurrency",
    "status",
    "idempotencyKey",
];

/// How many non-reproducing findings a text line names.
const SHOWN_FINDINGS: usize = 3;

/// The protocol reply: `{"error": N, "description": ...}` with an HTTP status.
/// These are the only replies the receiver sends.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reply {
    status: u16,
    error: u8,
    description: &'static str,
    transaction_id: Option<String>,
}

impl Reply {
    const fn fixed(status: u16, error: u8, description: &'static str) -> Reply {
        Reply {
            status,
            error,
            description,
            transaction_id: None,
        }
    }

    fn ok(transaction_id: String) -> Reply {
        Reply {
            transaction_id: Some(transaction_id),
            ..Reply::fixed(200, 0, "ok")
        }
    }

    // Every rejected webhook, a bad signature or a refused body, is a 401 with
    // a non-zero error, as the protocol answers it. Only HTTP-level problems
    // get other statuses: a body over the HTTP size cap (413) or unreadable
    // (400), another path (404), another method (405).
    const INVALID_SIGNATURE: Reply = Reply::fixed(401, 1, "invalid signature");
    const MALFORMED: Reply = Reply::fixed(401, 2, "malformed body");
    const TOO_LARGE: Reply = Reply::fixed(413, 2, "malformed body");
    const UNREADABLE: Reply = Reply::fixed(400, 2, "malformed body");
    const DENIED: Reply = Reply::fixed(200, 3, "withdrawal denied");
    const NOT_FOUND: Reply = Reply::fixed(404, 4, "not found");
    const METHOD_NOT_ALLOWED: Reply = Reply::fixed(405, 5, "method not allowed");
    const INTERNAL: Reply = Reply::fixed(500, 6, "internal error");

    fn json(&self) -> Json {
        let mut map = Map::new();
        map.insert("error".into(), self.error.into());
        map.insert("description".into(), self.description.into());
        if let Some(id) = &self.transaction_id {
            map.insert("transactionId".into(), id.as_str().into());
        }
        Json::Object(map)
    }
}

/// Why an event is invalid.
#[derive(Debug)]
enum Invalid {
    /// The core refused it.
    Core(hooksig::Error),
    /// Larger than [`MAX_BODY`]; not read further.
    TooLarge,
}

impl Invalid {
    /// A stable name: the core's kind name, or `body-too-large`.
    fn name(&self) -> &'static str {
        match self {
            Invalid::Core(err) => err.kind().name(),
            Invalid::TooLarge => "body-too-large",
        }
    }
}

/// What happened to one event, for its output line.
struct Record {
    n: usize,
    time: String,
    /// Every field of the body as decoded, in body order; `None` if the body was refused.
    fields: Option<Vec<(String, String)>>,
    /// The matching secret's index, or why the event is invalid.
    verdict: Result<usize, Invalid>,
    diagnosis: Option<Diagnosis>,
    /// The event that first carried this idempotencyKey.
    replay_of: Option<usize>,
    reply: Reply,
    /// Whether the receiver holds several secrets (then a cause names its secret).
    rotation: bool,
    /// The request's Content-Type header, if any.
    content_type: Option<String>,
}

impl Record {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .as_ref()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// One line for a person.
    fn text(&self) -> String {
        let mut line = format!(
            "#{} {} {}",
            self.n,
            self.time.get(11..19).unwrap_or(&self.time),
            self.field("event").map_or("-".to_owned(), shown)
        );
        for key in SHOWN_FIELDS {
            if let Some(value) = self.field(key) {
                line.push_str(&format!(" {key}={}", shown(value)));
            }
        }
        line.push_str(" : ");
        match &self.verdict {
            Ok(index) => {
                line.push_str(&format!("valid (secret #{})", index + 1));
                if let Some(first) = self.replay_of {
                    line.push_str(&format!(", replay of #{first} (same idempotencyKey)"));
                }
            }
            Err(invalid) => {
                line.push_str(&format!("INVALID [{}] ", invalid.name()));
                line.push_str(&self.why(invalid));
            }
        }
        if !self.form_content_type() {
            let sent = self
                .content_type
                .as_deref()
                .map_or("none".to_owned(), shown);
            line.push_str(&format!(
                " [Content-Type {sent} is not application/x-www-form-urlencoded: \
                 an Express receiver would not parse this body]"
            ));
        }
        line.push_str(&format!(
            " -> {} error={}",
            self.reply.status, self.reply.error
        ));
        if self.reply.error != 0 {
            line.push_str(&format!(" ({})", self.reply.description));
        }
        line
    }

    /// Why an event is invalid: the diagnosis for a mismatched hash, else the core's message.
    fn why(&self, invalid: &Invalid) -> String {
        let Some(diagnosis) = &self.diagnosis else {
            return match invalid {
                Invalid::Core(err) => err.to_string(),
                Invalid::TooLarge => format!("the body is larger than {MAX_BODY} bytes"),
            };
        };
        if let Some(finding) = diagnosis.findings.iter().find(|f| f.reproduces) {
            let with = match finding.secret_index {
                Some(i) if self.rotation => format!(" with secret #{}", i + 1),
                _ => String::new(),
            };
            return format!(
                "cause: {}{with} ({})",
                finding.variant.name(),
                finding.variant.describe()
            );
        }
        let mut text =
            "no known bug reproduces the received hash (wrong secret, or the body was changed)"
                .to_owned();
        if !diagnosis.findings.is_empty() {
            let names: Vec<&str> = diagnosis
                .findings
                .iter()
                .take(SHOWN_FINDINGS)
                .map(|f| f.variant.name())
                .collect();
            text.push_str(&format!("; possible: {}", names.join(", ")));
        }
        text
    }

    /// Whether the body was sent as a form, as the protocol requires (Express's
    /// `urlencoded` parser leaves any other body unparsed, so it fails there).
    fn form_content_type(&self) -> bool {
        self.content_type.as_deref().is_some_and(|t| {
            let essence = t.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    }

    /// One JSON object, for piping. No secret and no expected hash.
    fn json(&self) -> Json {
        let fields = self.fields.as_ref().map(|fields| {
            let mut map = Map::new();
            for (k, v) in fields {
                map.insert(k.clone(), Json::String(v.clone()));
            }
            Json::Object(map)
        });
        let findings: Vec<Json> = self
            .diagnosis
            .iter()
            .flat_map(|d| &d.findings)
            .map(|f| {
                json!({
                    "variant": f.variant.name(),
                    "reproduces": f.reproduces,
                    "secret_index": f.secret_index,
                })
            })
            .collect();
        json!({
            "n": self.n,
            "time": self.time,
            "event": self.field("event"),
            "valid": self.verdict.is_ok(),
            "error": self.verdict.as_ref().err().map(Invalid::name),
            "secret_index": self.verdict.as_ref().ok(),
            "cause": self.diagnosis.as_ref().and_then(Diagnosis::cause).map(|v| v.name()),
            "findings": findings,
            "replay_of": self.replay_of,
            "content_type": self.content_type,
            "fields": fields,
            "status": self.reply.status,
            "reply": self.reply.json(),
        })
    }
}

/// The receiver's settings, read by every request thread without a lock.
struct Config {
    secrets: Vec<Secret>,
    options: FormOptions,
    path: String,
    reject_withdrawals: bool,
    json: bool,
}

/// The receiver's state between events, under one lock. Only numbering and
/// deduplication happen under it, never I/O: verifying and diagnosing a body
/// happen before, printing and answering after. A slow request stalls no
/// other, and neither do pipelined ones: tiny_http sends one connection's
/// replies in request order, so a handler waits in `respond` until another
/// handler has sent the previous reply.
struct State {
    received: usize,
    valid: usize,
    /// idempotencyKey → (first event number, its transactionId if it was accepted).
    seen: HashMap<String, (usize, Option<String>)>,
    transactions: usize,
    /// Set when an output line could not be written; stops the receiver.
    output_error: Option<CliError>,
}

/// `hooksig listen`: serves until Ctrl-C (or SIGTERM), then prints a summary and returns 0.
pub fn listen(args: &ListenArgs) -> Result<u8, CliError> {
    if !args.path.starts_with('/') {
        return Err(CliError::Usage(
            "--path must start with `/` (e.g. /api/webhook)".to_owned(),
        ));
    }
    let secrets = secret::load(&args.secrets.secret_env, &args.secrets.secret_file)?;
    let options = FormOptions::new().max_params(args.max_params);
    // Refuse an empty secret now rather than on every request: the core checks
    // the secrets before it looks at the body.
    if let Err(err) = hooksig::verify_form_with(b"", &secrets, &options)
        && err.kind() == ErrorKind::EmptySecret
    {
        return Err(err.into());
    }
    let requested = SocketAddr::new(args.bind, args.port);
    let server = Server::http(requested)
        .map_err(|e| CliError::Io(format!("cannot listen on {requested}: {e}")))?;
    let addr = server.server_addr().to_ip().unwrap_or(requested);
    let server = Arc::new(server);

    // The handler is installed before the address is printed, so whoever reads
    // that line may already send SIGINT and get a clean stop.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                // A second Ctrl-C: something is stuck (e.g. a blocked standard
                // output); leave at once.
                std::process::exit(130);
            }
            server.unblock();
        })
        .map_err(|e| CliError::Io(format!("cannot handle Ctrl-C: {e}")))?;
    }

    let url = format!("http://{addr}{}", args.path);
    if args.json {
        write_line(&json!({ "listening": url }).to_string())?;
    } else {
        write_line(&format!("listening on {url}"))?;
    }
    if !args.bind.is_loopback() {
        warn(&format!(
            "hooksig: warning: bound to {}, not a loopback address: anyone who can reach \
             this machine can send events",
            args.bind
        ));
    }
    warn(&format!(
        "hooksig: verifying with {} secret(s); Ctrl-C stops",
        secrets.len()
    ));

    let config = Arc::new(Config {
        secrets,
        options,
        path: args.path.clone(),
        reject_withdrawals: args.reject_withdrawals,
        json: args.json,
    });
    // Each request gets its own thread, so a client that never finishes its
    // body, a body that takes long to diagnose, or a reply waiting for an
    // earlier one on its connection delays neither other events nor Ctrl-C.
    // Events are numbered under the lock, then printed and answered without it.
    let state = Arc::new(Mutex::new(State {
        received: 0,
        valid: 0,
        seen: HashMap::new(),
        transactions: 0,
        output_error: None,
    }));
    while !stop.load(Ordering::SeqCst) {
        match server.recv() {
            Ok(request) => {
                let (config, state, server, stop) = (
                    Arc::clone(&config),
                    Arc::clone(&state),
                    Arc::clone(&server),
                    Arc::clone(&stop),
                );
                std::thread::spawn(move || {
                    if let Err(err) = serve(&config, &state, request) {
                        lock(&state).output_error.get_or_insert(err);
                        stop.store(true, Ordering::SeqCst);
                        server.unblock();
                    }
                });
            }
            Err(_) if stop.load(Ordering::SeqCst) => break,
            Err(err) => {
                warn(&format!("hooksig: cannot accept a request: {err}"));
                // Accept errors (e.g. out of file descriptors) tend to repeat.
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }

    let (received, valid) = {
        let mut receiver = lock(&state);
        if let Some(err) = receiver.output_error.take() {
            return Err(err);
        }
        (receiver.received, receiver.valid)
    };
    let invalid = received - valid;
    if config.json {
        write_line(
            &json!({"summary": {
                "received": received,
                "valid": valid,
                "invalid": invalid,
            }})
            .to_string(),
        )?;
    } else {
        write_line(&format!(
            "stopped: {received} events received, {valid} valid, {invalid} invalid"
        ))?;
    }
    Ok(0)
}

/// The receiver's state, also when a handler thread panicked while holding it.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Answers one request; an event gets its output line. Only a failure to
/// write that line is an error (it stops the receiver).
fn serve(config: &Config, state: &Mutex<State>, mut request: Request) -> Result<(), CliError> {
    let path = request.url().split('?').next().unwrap_or("");
    if path != config.path {
        let url = request.url().to_owned();
        other(request, &url, &Reply::NOT_FOUND);
        return Ok(());
    }
    if *request.method() != Method::Post {
        let url = request.url().to_owned();
        other(request, &url, &Reply::METHOD_NOT_ALLOWED);
        return Ok(());
    }
    // Read without the lock: the client may be slow.
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body);
    if let Err(err) = read {
        warn(&format!("hooksig: cannot read a request body: {err}"));
        respond(request, &Reply::UNREADABLE);
        return Ok(());
    }
    // Verify and diagnose without the lock too: a diagnosis takes a while.
    let checked = Checked::of(config, &body);
    drop(body);
    let content_type = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .map(|h| h.value.as_str().to_owned());
    let record = lock(state).record(config, checked, content_type);
    // The line is out before the reply, so a sender that got its reply finds
    // it printed. Both without the lock (see [`State`]).
    let printed = if config.json {
        write_line(&record.json().to_string())
    } else {
        write_line(&record.text())
    };
    respond(request, &record.reply);
    printed
}

/// Answers a request that is not an event (another path or method); noted on stderr.
fn other(request: Request, url: &str, reply: &Reply) {
    warn(&format!(
        "hooksig: {} {url:?} -> {} {}",
        request.method(),
        reply.status,
        reply.description
    ));
    respond(request, reply);
}

/// What verifying one body found; computed outside the lock.
struct Checked {
    /// Every field of the body as decoded, in body order; `None` if the body was refused.
    fields: Option<Vec<(String, String)>>,
    /// The matching secret's index, or why the event is invalid.
    verdict: Result<usize, Invalid>,
    /// A valid event's idempotencyKey.
    idempotency_key: Option<String>,
    /// Whether a valid event is a WITHDRAW_REQUEST.
    withdraw_request: bool,
    diagnosis: Option<Diagnosis>,
}

impl Checked {
    /// Verifies one body, and diagnoses an invalid signature.
    fn of(config: &Config, body: &[u8]) -> Checked {
        let mut checked = Checked {
            fields: None,
            verdict: Err(Invalid::TooLarge),
            idempotency_key: None,
            withdraw_request: false,
            diagnosis: None,
        };
        if body.len() > MAX_BODY {
            return checked;
        }
        checked.fields = hooksig::parse_form_with(body, &config.options)
            .ok()
            .map(|f| {
                f.into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect::<Vec<_>>()
            });
        match hooksig::verify_form_with(body, &config.secrets, &config.options) {
            Ok(verified) => {
                checked.verdict = Ok(verified.secret_index);
                checked.idempotency_key = verified
                    .fields
                    .iter()
                    .find(|(k, _)| k == "idempotencyKey")
                    .map(|(_, v)| v.clone().into_owned());
                checked.withdraw_request = verified
                    .fields
                    .iter()
                    .any(|(k, v)| k == "event" && v == "WITHDRAW_REQUEST");
            }
            Err(err) => {
                if err.kind().category() == Category::Signature {
                    checked.diagnosis =
                        hooksig::explain(body, &config.secrets, &config.options).diagnosis;
                }
                checked.verdict = Err(Invalid::Core(err));
            }
        }
        checked
    }
}

impl State {
    /// Numbers and deduplicates one checked event, and chooses its reply.
    /// No I/O: the caller holds the lock.
    fn record(
        &mut self,
        config: &Config,
        checked: Checked,
        content_type: Option<String>,
    ) -> Record {
        self.received += 1;
        let n = self.received;
        let mut record = Record {
            n,
            time: iso_time(now_millis()),
            fields: checked.fields,
            verdict: checked.verdict,
            diagnosis: checked.diagnosis,
            replay_of: None,
            reply: Reply::INTERNAL,
            rotation: config.secrets.len() > 1,
            content_type,
        };
        record.reply = match &record.verdict {
            Ok(_) => {
                self.valid += 1;
                let key = checked.idempotency_key;
                let first = key.as_ref().and_then(|k| self.seen.get(k)).cloned();
                record.replay_of = first.as_ref().map(|(n, _)| *n);
                let reply = if config.reject_withdrawals && checked.withdraw_request {
                    Reply::DENIED
                } else if let Some((_, Some(tx))) = &first {
                    // A deduplicating receiver answers a replay like the original.
                    Reply::ok(tx.clone())
                } else {
                    self.transactions += 1;
                    Reply::ok(format!("listen-{}", self.transactions))
                };
                if let (Some(key), None) = (key, &first) {
                    self.seen.insert(key, (n, reply.transaction_id.clone()));
                }
                reply
            }
            Err(Invalid::TooLarge) => Reply::TOO_LARGE,
            Err(Invalid::Core(err)) => match err.kind().category() {
                Category::Signature => Reply::INVALID_SIGNATURE,
                Category::Body => Reply::MALFORMED,
                _ => Reply::INTERNAL,
            },
        };
        record
    }
}

/// Sends a protocol reply. A client that went away is not the receiver's problem.
fn respond(request: Request, reply: &Reply) {
    let mut response =
        Response::from_data(reply.json().to_string().into_bytes()).with_status_code(reply.status);
    if let Ok(header) = Header::from_bytes("Content-Type", "application/json; charset=utf-8") {
        response = response.with_header(header);
    }
    if reply.status == 405
        && let Ok(header) = Header::from_bytes("Allow", "POST")
    {
        response = response.with_header(header);
    }
    if let Err(err) = request.respond(response) {
        warn(&format!("hooksig: cannot send the reply: {err}"));
    }
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_the_protocol_json() {
        assert_eq!(
            Reply::ok("listen-1".into()).json().to_string(),
            r#"{"error":0,"description":"ok","transactionId":"listen-1"}"#
        );
        assert_eq!(
            Reply::INVALID_SIGNATURE.json().to_string(),
            r#"{"error":1,"description":"invalid signature"}"#
        );
        for reply in [
            Reply::INVALID_SIGNATURE,
            Reply::MALFORMED,
            Reply::TOO_LARGE,
            Reply::UNREADABLE,
            Reply::DENIED,
            Reply::NOT_FOUND,
            Reply::METHOD_NOT_ALLOWED,
            Reply::INTERNAL,
        ] {
            assert_ne!(reply.error, 0, "{reply:?}");
        }
    }
}
