//! `hooksig send` and `hooksig listen` over real HTTP on 127.0.0.1: send →
//! listen (valid, tampered by another secret or by a field changed after
//! signing, diagnosed, replayed, denied withdrawals, `--json`),
//! what the HTTP reply may never contain, Ctrl-C, send's exit statuses, and
//! interop with the repo's reference Express receiver and reference sender
//! (`tools/reference`, run when its `node_modules` is installed).
//!
//! Every test uses a canary secret and checks that no output contains it.
//! Child processes are killed when a test fails (see [`Proc`]); every wait has
//! a deadline, so a hung server fails the test instead of hanging the suite.

mod common;

use common::{Run, hooksig, repo_root, scratch};
use serde_json::Value as Json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The secret every test signs and verifies with; no output may contain it.
const CANARY: &str = "canary-5e1d-Ks9-send-listen-secret";
/// Another secret: events signed with it are tampered for a receiver holding [`CANARY`].
const OTHER: &str = "a-different-secret-4410";
/// How long any single wait may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(20);

/// A child process whose stdout lines arrive on a channel and whose stderr is
/// collected; killed on drop unless it already exited.
struct Proc {
    child: Child,
    lines: Receiver<String>,
    stdout: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

impl Proc {
    fn spawn(mut cmd: Command) -> Proc {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn child process");
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(err).read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        Proc {
            child,
            lines,
            stdout: Vec::new(),
            stderr,
        }
    }

    /// The next stdout line (waits up to the deadline).
    fn line(&mut self) -> String {
        match self.lines.recv_timeout(DEADLINE) {
            Ok(line) => {
                self.stdout.push(line.clone());
                line
            }
            Err(e) => panic!(
                "no output line ({e}); stdout so far {:?}, stderr {:?}",
                self.stdout,
                self.stderr.lock().unwrap()
            ),
        }
    }

    /// Sends SIGINT, as Ctrl-C does, and waits for the exit; returns the exit
    /// code, the remaining stdout lines and all of stderr.
    fn interrupt(mut self) -> (i32, Vec<String>, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -INT {pid}");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(start.elapsed() < DEADLINE, "no exit after SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        };
        let rest: Vec<String> = self.lines.iter().collect();
        // The stderr thread ends when the pipe closes, at exit.
        let start = Instant::now();
        while Arc::strong_count(&self.stderr) > 1 && start.elapsed() < DEADLINE {
            std::thread::sleep(Duration::from_millis(10));
        }
        let stderr = self.stderr.lock().unwrap().clone();
        (status.code().unwrap_or(-1), rest, stderr)
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A running `hooksig listen --port 0` with the canary secret.
struct Listen {
    proc: Proc,
    url: String,
}

impl Listen {
    fn start(extra: &[&str]) -> Listen {
        Listen::start_with(extra, &[("OPERATOR_SECRET_KEY", CANARY)])
    }

    /// Listens with two secrets (rotation): `old` is secret #1, `new` #2.
    fn start_rotating(old: &str, new: &str) -> Listen {
        Listen::start_with(
            &[
                "--secret-env",
                "HOOKSIG_TEST_OLD",
                "--secret-env",
                "HOOKSIG_TEST_NEW",
            ],
            &[("HOOKSIG_TEST_OLD", old), ("HOOKSIG_TEST_NEW", new)],
        )
    }

    fn start_with(extra: &[&str], env: &[(&str, &str)]) -> Listen {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hooksig"));
        cmd.args(["listen", "--port", "0"])
            .args(extra)
            .env_remove("OPERATOR_SECRET_KEY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut proc = Proc::spawn(cmd);
        let first = proc.line();
        let url = if extra.contains(&"--json") {
            let doc: Json = serde_json::from_str(&first).expect("first line is JSON");
            doc["listening"].as_str().expect("listening URL").to_owned()
        } else {
            first
                .strip_prefix("listening on ")
                .unwrap_or_else(|| panic!("first line: {first:?}"))
                .to_owned()
        };
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(url.ends_with("/api/webhook") || !extra.is_empty(), "{url}");
        Listen { proc, url }
    }

    fn line(&mut self) -> String {
        self.proc.line()
    }

    /// Ctrl-C: asserts a clean exit 0, returns the last stdout line (the
    /// summary) and every output of the process, for the canary check.
    fn stop(self) -> (String, String) {
        let before = self.proc.stdout.join("\n");
        let (code, rest, stderr) = self.proc.interrupt();
        assert_eq!(
            code, 0,
            "exit after SIGINT; rest {rest:?}, stderr {stderr:?}"
        );
        let summary = rest.last().cloned().expect("a summary line");
        let all = format!("{before}\n{}\n{stderr}", rest.join("\n"));
        (summary, all)
    }
}

/// `hooksig send URL ARGS...` with `secret` in OPERATOR_SECRET_KEY.
fn send(url: &str, args: &[&str], secret: &str) -> Run {
    let mut all = vec!["send", url, "--timeout", "10"];
    all.extend_from_slice(args);
    let run = hooksig(&all, &[("OPERATOR_SECRET_KEY", secret)], b"");
    assert_no_canary("send", &format!("{}{}", run.stdout, run.stderr));
    run
}

fn assert_no_canary(what: &str, text: &str) {
    assert!(
        !text.contains(CANARY),
        "{what}: the secret appears in the output"
    );
}

/// The reply line of a one-shot `send` (the line after `POST ...`).
fn reply_line(run: &Run) -> &str {
    let mut lines = run.stdout.lines();
    let post = lines.next().unwrap_or("");
    assert!(post.starts_with("POST http://127.0.0.1:"), "{run:?}");
    lines
        .next()
        .unwrap_or_else(|| panic!("no reply line: {run:?}"))
}

/// `key=value` of a text line (values are printed bare when they have no spaces).
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split(' ')
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
}

#[test]
fn send_to_listen_valid_tampered_diagnosed_replayed() {
    let mut listen = Listen::start(&[]);
    let url = listen.url.clone();

    // Valid, with a value that needs encoding.
    let run = send(&url, &["--event", "DEPOSIT", "note=a b&c=é+"], CANARY);
    assert_eq!(run.code, 0, "{run:?}");
    let reply = reply_line(&run);
    assert!(reply.starts_with("HTTP 200 OK in "), "{reply}");
    assert!(
        reply.ends_with(r#"ms: error=0 description="ok" transactionId="listen-1""#),
        "{reply}"
    );
    let key = field(&run.stdout, "idempotencyKey").expect("idempotencyKey");
    let line = listen.line();
    assert!(line.starts_with("#1 "), "{line}");
    assert!(line.contains(" DEPOSIT depositId=dep_"), "{line}");
    assert_eq!(field(&line, "idempotencyKey"), Some(key));
    assert_eq!(field(&line, "externalUserId"), Some("user-1187"));
    assert_eq!(field(&line, "fiatAmount"), Some("250.00"));
    assert!(
        line.ends_with(" : valid (secret #1) -> 200 error=0"),
        "{line}"
    );

    // Tampered: signed with another secret. Nothing known reproduces it.
    let run = send(&url, &["--event", "WITHDRAW_REQUEST"], OTHER);
    assert_eq!(run.code, 1, "{run:?}");
    let reply = reply_line(&run);
    assert!(reply.starts_with("HTTP 401 Unauthorized in "), "{reply}");
    assert!(
        reply.ends_with(r#"ms: error=1 description="invalid signature""#),
        "{reply}"
    );
    let line = listen.line();
    assert!(line.starts_with("#2 "), "{line}");
    assert!(
        line.contains(" WITHDRAW_REQUEST withdrawRequestId=wr_"),
        "{line}"
    );
    assert!(
        line.contains(
            " : INVALID [mismatch] no known bug reproduces the received hash \
             (wrong secret, or the body was changed); possible: "
        ),
        "{line}"
    );
    assert!(
        line.ends_with(" -> 401 error=1 (invalid signature)"),
        "{line}"
    );

    // A sender whose secret has a trailing newline: the diagnosis names it.
    let run = send(
        &url,
        &["--event", "WITHDRAW_COMPLETE"],
        &format!("{CANARY}\n"),
    );
    assert_eq!(run.code, 1, "{run:?}");
    let line = listen.line();
    assert!(line.starts_with("#3 "), "{line}");
    assert!(
        line.contains(
            " : INVALID [mismatch] cause: secret-newline-added (the secret has a trailing newline"
        ),
        "{line}"
    );

    // Replayed: the same body three times, one idempotencyKey, one transactionId.
    let run = send(&url, &["--event", "DEPOSIT", "--repeat", "3"], CANARY);
    assert_eq!(run.code, 0, "{run:?}");
    let key = field(&run.stdout, "idempotencyKey").expect("idempotencyKey");
    let replies: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(replies.len(), 3, "{run:?}");
    for (i, reply) in replies.iter().enumerate() {
        assert!(
            reply.starts_with(&format!("[{}/3] HTTP 200 OK in ", i + 1)),
            "{reply}"
        );
        assert!(reply.ends_with(r#"transactionId="listen-2""#), "{reply}");
    }
    for n in 4..=6 {
        let line = listen.line();
        assert!(line.starts_with(&format!("#{n} ")), "{line}");
        assert_eq!(field(&line, "idempotencyKey"), Some(key), "{line}");
        if n == 4 {
            assert!(
                line.ends_with(" : valid (secret #1) -> 200 error=0"),
                "{line}"
            );
        } else {
            assert!(
                line.ends_with(
                    " : valid (secret #1), replay of #4 (same idempotencyKey) -> 200 error=0"
                ),
                "{line}"
            );
        }
    }

    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 6 events received, 4 valid, 2 invalid");
    assert_no_canary("listen", &all);
}

/// Tampered also means a field changed after signing, not only another
/// secret: a validly signed event whose fiatAmount is then raised in the body
/// is answered 401 and reported invalid, with no known bug blamed.
#[test]
fn a_field_changed_after_signing_is_rejected() {
    let mut listen = Listen::start(&[]);
    let url = listen.url.clone();
    for event in ["DEPOSIT", "WITHDRAW_REQUEST", "WITHDRAW_COMPLETE"] {
        let dry = hooksig(
            &["send", &url, "--event", event, "--dry-run"],
            &[("OPERATOR_SECRET_KEY", CANARY)],
            b"",
        );
        assert_eq!(dry.code, 0, "{dry:?}");
        let amount = dry
            .stdout
            .split('&')
            .find_map(|f| f.strip_prefix("fiatAmount="))
            .unwrap_or_else(|| panic!("{event} has no fiatAmount: {dry:?}"));
        let tampered =
            dry.stdout
                .replacen(&format!("fiatAmount={amount}&"), "fiatAmount=999999.00&", 1);
        assert_ne!(tampered, dry.stdout);

        let (status, reply) = post_raw(&url, "POST", dry.stdout.as_bytes());
        assert_eq!(status, 200, "{event}: {reply}");
        assert!(
            listen
                .line()
                .contains(" : valid (secret #1) -> 200 error=0")
        );

        let (status, reply) = post_raw(&url, "POST", tampered.as_bytes());
        assert_eq!(status, 401, "{event}: {reply}");
        assert!(
            reply.ends_with(r#"{"error":1,"description":"invalid signature"}"#),
            "{reply}"
        );
        let line = listen.line();
        assert!(line.contains(&format!(" {event} ")), "{line}");
        assert!(line.contains(" fiatAmount=999999.00 "), "{line}");
        assert!(
            line.contains(" : INVALID [mismatch] no known bug reproduces the received hash"),
            "{line}"
        );
        assert!(
            line.ends_with(" -> 401 error=1 (invalid signature)"),
            "{line}"
        );
    }
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 6 events received, 3 valid, 3 invalid");
    assert_no_canary("listen", &all);
}

#[test]
fn reject_withdrawals_denies_only_valid_withdraw_requests() {
    let mut listen = Listen::start(&["--reject-withdrawals"]);
    let url = listen.url.clone();

    let run = send(&url, &["--event", "WITHDRAW_REQUEST"], CANARY);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        reply_line(&run).ends_with(r#"ms: error=3 description="withdrawal denied""#),
        "{run:?}"
    );
    assert!(reply_line(&run).starts_with("HTTP 200 OK"), "{run:?}");
    let line = listen.line();
    assert!(
        line.ends_with(" : valid (secret #1) -> 200 error=3 (withdrawal denied)"),
        "{line}"
    );

    // The signature is checked first: a tampered withdrawal is a 401, not a denial.
    let run = send(&url, &["--event", "WITHDRAW_REQUEST"], OTHER);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(reply_line(&run).starts_with("HTTP 401"), "{run:?}");
    assert!(listen.line().contains(" : INVALID [mismatch] "));

    for event in ["DEPOSIT", "WITHDRAW_COMPLETE"] {
        let run = send(&url, &["--event", event], CANARY);
        assert_eq!(run.code, 0, "{event}: {run:?}");
        assert!(listen.line().ends_with(" -> 200 error=0"));
    }
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 4 events received, 3 valid, 1 invalid");
    assert_no_canary("listen", &all);
}

#[test]
fn listen_json_lines_parse_and_hold_no_secret_or_expected_hash() {
    let mut listen = Listen::start(&["--json"]);
    let url = listen.url.clone();
    let mut expected_hashes = Vec::new();

    let run = send(&url, &["--event", "DEPOSIT", "fiatAmount=10.00"], CANARY);
    assert_eq!(run.code, 0, "{run:?}");
    let doc: Json = serde_json::from_str(&listen.line()).expect("event line is JSON");
    assert_eq!(doc["n"], 1);
    assert_eq!(doc["event"], "DEPOSIT");
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["error"], Json::Null);
    assert_eq!(doc["secret_index"], 0);
    assert_eq!(doc["fields"]["fiatAmount"], "10.00");
    assert_eq!(doc["content_type"], "application/x-www-form-urlencoded");
    assert_eq!(doc["status"], 200);
    assert_eq!(
        doc["reply"],
        serde_json::json!({"error": 0, "description": "ok", "transactionId": "listen-1"})
    );

    // A secret with a trailing newline: the cause is named, the expected hash is not.
    let dry = hooksig(
        &["send", &url, "--event", "DEPOSIT", "--dry-run"],
        &[("OPERATOR_SECRET_KEY", &format!("{CANARY}\n"))],
        b"",
    );
    assert_eq!(dry.code, 0, "{dry:?}");
    let report = hooksig::explain(dry.stdout.as_bytes(), &[CANARY], &Default::default());
    expected_hashes.extend(report.expected.iter().map(|s| s.as_str().to_owned()));
    let (status, reply) = post_raw(&url, "POST", dry.stdout.as_bytes());
    assert_eq!(status, 401, "{reply}");
    let doc: Json = serde_json::from_str(&listen.line()).expect("event line is JSON");
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["error"], "mismatch");
    assert_eq!(doc["secret_index"], Json::Null);
    assert_eq!(doc["cause"], "secret-newline-added");
    assert_eq!(doc["findings"][0]["variant"], "secret-newline-added");
    assert_eq!(doc["findings"][0]["reproduces"], true);
    assert_eq!(doc["status"], 401);
    assert_eq!(
        doc["reply"],
        serde_json::json!({"error": 1, "description": "invalid signature"})
    );
    assert!(doc.get("expected").is_none() && doc.get("canonical").is_none());

    // A refused body: no fields, the kind name.
    let (status, _) = post_raw(&url, "POST", b"a=1&a=2&hash=x");
    assert_eq!(status, 401);
    let doc: Json = serde_json::from_str(&listen.line()).expect("event line is JSON");
    assert_eq!(doc["error"], "duplicate-key");
    assert_eq!(doc["fields"], Json::Null);
    assert_eq!(doc["reply"]["error"], 2);

    let (summary, all) = listen.stop();
    let summary: Json = serde_json::from_str(&summary).expect("summary is JSON");
    assert_eq!(
        summary,
        serde_json::json!({"summary": {"received": 3, "valid": 1, "invalid": 2}})
    );
    for line in all.lines().filter(|l| l.starts_with('{')) {
        serde_json::from_str::<Json>(line).expect("every stdout line is JSON");
    }
    assert_no_canary("listen --json", &all);
    for hash in &expected_hashes {
        assert!(!all.contains(hash.as_str()), "an expected hash was printed");
    }
}

/// Every rejected webhook, a signature problem or a refused body, is answered
/// 401 with the protocol's JSON and a non-zero error; only a body over the
/// HTTP size cap gets another status (413).
#[test]
fn every_rejected_webhook_is_a_401_with_the_protocol_json() {
    let mut listen = Listen::start(&["--max-params", "5"]);
    let url = listen.url.clone();
    let zeros = format!("a=1&hash={}", "0".repeat(32));
    for (body, kind, error, description) in [
        ("a=1&a=2&hash=x", "duplicate-key", 2, "malformed body"),
        ("=1&hash=x", "empty-key", 2, "malformed body"),
        ("a=%ZZ&hash=x", "invalid-encoding", 2, "malformed body"),
        (
            "a=1&b=2&c=3&d=4&e=5&f=6",
            "too-many-params",
            2,
            "malformed body",
        ),
        ("a=1", "missing-hash", 1, "invalid signature"),
        ("a=1&hash=XYZ", "malformed-hash", 1, "invalid signature"),
        (zeros.as_str(), "mismatch", 1, "invalid signature"),
    ] {
        let (status, reply) = post_raw(&url, "POST", body.as_bytes());
        assert_eq!(status, 401, "{kind}: {reply}");
        assert!(
            reply.ends_with(&format!(
                r#"{{"error":{error},"description":"{description}"}}"#
            )),
            "{kind}: {reply}"
        );
        let line = listen.line();
        assert!(line.contains(&format!(" : INVALID [{kind}] ")), "{line}");
        assert!(
            line.ends_with(&format!(" -> 401 error={error} ({description})")),
            "{line}"
        );
    }
    // An HTTP-level problem keeps its HTTP status: a body over 1 MiB.
    let (status, reply) = post_raw(&url, "POST", &vec![b'a'; (1 << 20) + 1]);
    assert_eq!(status, 413, "{reply}");
    assert!(
        reply.ends_with(r#"{"error":2,"description":"malformed body"}"#),
        "{reply}"
    );
    let line = listen.line();
    assert!(
        line.ends_with(" : INVALID [body-too-large] the body is larger than 1048576 bytes -> 413 error=2 (malformed body)"),
        "{line}"
    );
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 8 events received, 0 valid, 8 invalid");
    assert_no_canary("listen", &all);
}

/// `host:port` and `/path` of an `http://` URL.
fn host_and_path(url: &str) -> (&str, &str) {
    let rest = url.strip_prefix("http://").expect("http URL");
    rest.split_at(rest.find('/').unwrap_or(rest.len()))
}

/// POSTs (or another method) `body` to `url` as a form over a plain TCP
/// connection and returns the status and the whole raw reply (headers and body).
fn post_raw(url: &str, method: &str, body: &[u8]) -> (u16, String) {
    request_raw(url, method, Some("application/x-www-form-urlencoded"), body)
}

/// Like [`post_raw`], with any Content-Type (or none).
fn request_raw(url: &str, method: &str, content_type: Option<&str>, body: &[u8]) -> (u16, String) {
    let (host, path) = host_and_path(url);
    let mut stream = TcpStream::connect(host).expect("connect");
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let content_type = content_type.map_or(String::new(), |t| format!("Content-Type: {t}\r\n"));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{content_type}\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read the reply");
    let reply = String::from_utf8(reply).expect("UTF-8 reply");
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line: {reply:?}"));
    (status, reply)
}

/// The HTTP reply never carries an expected hash, the canonical string or the
/// diagnosis, while the operator's terminal does get the diagnosis.
#[test]
fn http_replies_never_contain_hashes_canonical_strings_or_diagnoses() {
    let mut listen = Listen::start(&[]);
    let url = listen.url.clone();
    let params = [
        ("event", "DEPOSIT"),
        ("depositId", "dep_leak_1"),
        ("externalUserId", "user-1187"),
        ("fiatAmount", "250.00"),
        ("Zeta", "z"),
        ("note", "a b"),
    ];
    let canonical = hooksig::canonical(&params).unwrap();
    let good = hooksig::sign(&params, CANARY).unwrap().as_str().to_owned();
    let body_without_hash = hooksig::encode_form(&params, CANARY)
        .unwrap()
        .rsplit_once("&hash=")
        .unwrap()
        .0
        .to_owned();
    // Wrong senders: uppercase hex, a trailing-newline secret, another secret, no hash.
    let upper = good.to_ascii_uppercase();
    let newline = hooksig::sign(&params, &format!("{CANARY}\n")).unwrap();
    let other = hooksig::sign(&params, OTHER).unwrap();
    let bodies = [
        (
            format!("{body_without_hash}&hash={upper}"),
            Some("uppercase-hex"),
        ),
        (
            format!("{body_without_hash}&hash={}", newline.as_str()),
            Some("secret-newline-added"),
        ),
        (format!("{body_without_hash}&hash={}", other.as_str()), None),
        (body_without_hash.clone(), None),
    ];
    let mut forbidden = vec![good.clone(), upper.clone(), canonical.clone()];
    forbidden.extend(
        hooksig::diagnosis::Variant::ALL
            .iter()
            .map(|v| v.name().to_owned()),
    );
    forbidden.extend(
        hooksig::diagnosis::Variant::ALL
            .iter()
            .map(|v| v.describe().to_owned()),
    );
    for (body, cause) in &bodies {
        let report = hooksig::explain(body.as_bytes(), &[CANARY], &Default::default());
        assert_eq!(report.canonical.as_deref(), Some(canonical.as_str()));
        assert_eq!(
            report
                .diagnosis
                .as_ref()
                .and_then(|d| d.cause())
                .map(|v| v.name()),
            *cause
        );
        let (status, reply) = post_raw(&url, "POST", body.as_bytes());
        assert_eq!(status, 401, "{reply}");
        let json = reply.split("\r\n\r\n").nth(1).expect("reply body");
        assert_eq!(json, r#"{"error":1,"description":"invalid signature"}"#);
        for bad in &forbidden {
            assert!(!reply.contains(bad.as_str()), "the reply contains {bad:?}");
        }
        for part in canonical.split('&') {
            assert!(!reply.contains(part), "the reply contains {part:?}");
        }
        assert_no_canary("reply", &reply);
        // ... while the terminal line names the cause, and no expected hash.
        let line = listen.line();
        match cause {
            Some(name) => assert!(line.contains(&format!("cause: {name} (")), "{line}"),
            None => assert!(line.contains(" : INVALID ["), "{line}"),
        }
        assert!(!line.contains(&good), "{line}");
    }
    // The valid body's reply does not echo its hash either.
    let valid = format!("{body_without_hash}&hash={good}");
    let (status, reply) = post_raw(&url, "POST", valid.as_bytes());
    assert_eq!(status, 200, "{reply}");
    assert!(!reply.contains(&good) && !reply.contains(&canonical));
    assert!(
        listen
            .line()
            .ends_with(" : valid (secret #1) -> 200 error=0")
    );

    // Another Content-Type is verified all the same, and flagged; a charset parameter is fine.
    for (content_type, flagged) in [
        (Some("text/plain"), Some("text/plain")),
        (None, Some("none")),
        (
            Some("application/x-www-form-urlencoded; charset=UTF-8"),
            None,
        ),
        (Some("Application/X-WWW-Form-URLEncoded"), None),
    ] {
        let (status, _) = request_raw(&url, "POST", content_type, valid.as_bytes());
        assert_eq!(status, 200, "{content_type:?}");
        let line = listen.line();
        match flagged {
            Some(sent) => assert!(
                line.ends_with(&format!(
                    " : valid (secret #1) [Content-Type {sent} is not \
                     application/x-www-form-urlencoded: an Express receiver would not \
                     parse this body] -> 200 error=0"
                )),
                "{line}"
            ),
            None => assert!(
                line.ends_with(" : valid (secret #1) -> 200 error=0"),
                "{line}"
            ),
        }
    }

    // Other paths and methods: protocol JSON with 404 / 405, not counted as events.
    let other_path = format!("{}x", url);
    let (status, reply) = post_raw(&other_path, "POST", valid.as_bytes());
    assert_eq!(status, 404);
    assert!(
        reply.ends_with(r#"{"error":4,"description":"not found"}"#),
        "{reply}"
    );
    let (status, reply) = post_raw(&url, "GET", b"");
    assert_eq!(status, 405);
    assert!(reply.contains("\r\nAllow: POST\r\n"), "{reply}");
    assert!(
        reply.ends_with(r#"{"error":5,"description":"method not allowed"}"#),
        "{reply}"
    );

    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 9 events received, 5 valid, 4 invalid");
    assert_no_canary("listen", &all);
    assert!(!all.contains(&good), "the expected hash was printed");
}

#[test]
fn ctrl_c_with_no_events_exits_0_with_a_summary() {
    let listen = Listen::start(&["--path", "/hooks/in"]);
    assert!(listen.url.ends_with("/hooks/in"), "{}", listen.url);
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 0 events received, 0 valid, 0 invalid");
    assert!(all.contains("verifying with 1 secret(s)"), "{all}");
}

/// A client that never finishes its body delays neither other events nor Ctrl-C.
#[test]
fn a_stalled_client_blocks_nothing() {
    let mut listen = Listen::start(&[]);
    let url = listen.url.clone();
    let (host, _) = host_and_path(&url);
    let mut stalled = TcpStream::connect(host).unwrap();
    stalled
        .write_all(
            b"POST /api/webhook HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 100\r\n\r\nevent=DEP",
        )
        .unwrap();
    let run = send(&url, &["--event", "DEPOSIT"], CANARY);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(listen.line().starts_with("#1 "));
    let (summary, _) = listen.stop();
    assert_eq!(summary, "stopped: 1 events received, 1 valid, 0 invalid");
    drop(stalled);
}

/// Pipelined HTTP/1.1 requests on one connection are all answered.
/// tiny_http sends one connection's replies in request order, so a handler
/// waits in `respond` until the previous reply is out; a handler that held
/// the receiver's lock there once stopped every other one for good (and the
/// first Ctrl-C with them).
#[test]
fn pipelined_requests_are_all_answered() {
    const PIPELINED: usize = 20;
    let mut listen = Listen::start(&[]);
    let url = listen.url.clone();
    let (host, _) = host_and_path(&url);
    let request = "POST /api/webhook HTTP/1.1\r\nHost: x\r\n\
                   Content-Type: application/x-www-form-urlencoded\r\n\
                   Content-Length: 3\r\n\r\na=1";
    let mut conn = TcpStream::connect(host).unwrap();
    conn.set_read_timeout(Some(DEADLINE)).unwrap();
    conn.write_all(request.repeat(PIPELINED).as_bytes())
        .unwrap();
    let mut replies = String::new();
    let mut buf = [0u8; 4096];
    while replies.matches("HTTP/1.1 ").count() < PIPELINED {
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => replies.push_str(std::str::from_utf8(&buf[..n]).expect("UTF-8 replies")),
            Err(e) => panic!(
                "{e}: {} replies of {PIPELINED}: {replies:?}",
                replies.matches("HTTP/1.1 ").count()
            ),
        }
    }
    assert_eq!(
        replies.matches("HTTP/1.1 401 ").count(),
        PIPELINED,
        "{replies}"
    );
    for _ in 0..PIPELINED {
        let line = listen.line();
        assert!(line.contains(" : INVALID [missing-hash] "), "{line}");
    }
    // The receiver still answers a normal request, and stops on the first Ctrl-C.
    let body = hooksig::encode_form(&[("event", "DEPOSIT")], CANARY).unwrap();
    let (status, reply) = post_raw(&url, "POST", body.as_bytes());
    assert_eq!(status, 200, "{reply}");
    assert!(listen.line().contains(" : valid (secret #1)"));
    drop(conn);
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 21 events received, 1 valid, 20 invalid");
    assert_no_canary("listen", &all);
}

/// Verifying and diagnosing run outside the receiver's lock: a body that takes
/// long to diagnose (about 1 MiB with 998 numbers, under two secrets: seconds
/// in a debug build) delays no other event. Events are numbered when they are
/// answered, so the fast event sent during the slow diagnosis is #1.
#[test]
fn a_slow_diagnosis_blocks_nothing() {
    let mut listen = Listen::start_rotating("old-secret", CANARY);
    let url = listen.url.clone();
    let mut params: Vec<(String, String)> =
        (0..998).map(|i| (format!("n{i}"), i.to_string())).collect();
    params.push(("pad".into(), "x".repeat(1_000_000)));
    let big = hooksig::encode_form(&params, OTHER).unwrap();
    assert!(big.len() < 1 << 20);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow = {
        let (url, done) = (url.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let (status, _) = post_raw(&url, "POST", big.as_bytes());
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            status
        })
    };
    // Let the big body arrive and its diagnosis start.
    std::thread::sleep(Duration::from_millis(100));
    let pending = !done.load(std::sync::atomic::Ordering::SeqCst);
    let small =
        hooksig::encode_form(&[("event", "DEPOSIT"), ("depositId", "dep_fast")], CANARY).unwrap();
    let (status, reply) = post_raw(&url, "POST", small.as_bytes());
    assert_eq!(status, 200, "{reply}");
    assert_eq!(slow.join().unwrap(), 401);
    let lines = [listen.line(), listen.line()];
    let fast = lines.iter().position(|l| l.contains("depositId=dep_fast"));
    let diagnosed = lines
        .iter()
        .position(|l| l.contains(" : INVALID [mismatch] "));
    assert!(fast.is_some() && diagnosed.is_some(), "{lines:?}");
    if pending {
        assert_eq!(
            fast,
            Some(0),
            "the fast event waited for the slow diagnosis: {lines:?}"
        );
    } else {
        eprintln!("NOTICE: the slow diagnosis ended within 100 ms; the order is not checked");
    }
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 2 events received, 1 valid, 1 invalid");
    assert_no_canary("listen", &all);
}

#[test]
fn listen_rotates_secrets_and_refuses_missing_ones() {
    let mut listen = Listen::start_rotating(OTHER, CANARY);
    let url = listen.url.clone();
    for (secret, index) in [(OTHER, 1), (CANARY, 2)] {
        let run = send(&url, &["--event", "DEPOSIT"], secret);
        assert_eq!(run.code, 0, "{run:?}");
        let line = listen.line();
        assert!(
            line.contains(&format!(" : valid (secret #{index})")),
            "{line}"
        );
    }
    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 2 events received, 2 valid, 0 invalid");
    assert_no_canary("listen", &all);

    // No secret, or an empty one: exit 2 before binding.
    let run = hooksig(&["listen", "--port", "0"], &[], b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("[empty-secret]"), "{run:?}");
    assert!(run.stdout.is_empty());
    let run = hooksig(
        &["listen", "--port", "0"],
        &[("OPERATOR_SECRET_KEY", "")],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("[empty-secret]"), "{run:?}");
    let run = hooksig(
        &["listen", "--port", "0", "--path", "api"],
        &[("OPERATOR_SECRET_KEY", CANARY)],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn send_dry_run_prints_a_body_the_core_verifies() {
    let args = |extra: &[&'static str]| {
        let mut v = vec![
            "send",
            "http://127.0.0.1:9/api/webhook",
            "--dry-run",
            "--event",
        ];
        v.extend_from_slice(extra);
        v
    };
    let env = [("OPERATOR_SECRET_KEY", CANARY)];
    let run = hooksig(
        &args(&[
            "WITHDRAW_REQUEST",
            "fiatAmount=99.90",
            "memo=é & = +",
            "network=",
        ]),
        &env,
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_no_canary("dry run", &run.stdout);
    let fields = hooksig::verify_form(run.stdout.as_bytes(), CANARY).expect("a valid body");
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_ref())
    };
    assert_eq!(get("event"), Some("WITHDRAW_REQUEST"));
    assert_eq!(get("fiatAmount"), Some("99.90"));
    assert_eq!(get("memo"), Some("é & = +"));
    assert_eq!(get("externalUserId"), Some("user-1187"));
    assert!(get("withdrawRequestId").is_some_and(|id| id.starts_with("wr_")));
    // An empty value is not signed, so the core leaves it out of the body.
    assert_eq!(get("network"), None);
    assert!(!run.stdout.contains("network="));
    // The body is exactly what the core encodes for those fields.
    let again = hooksig::encode_form(&fields, CANARY).unwrap();
    assert_eq!(again, run.stdout);

    // Each type's own fields, and a fresh UUID v4 idempotencyKey every run.
    let mut keys = Vec::new();
    for (event, own) in [
        ("DEPOSIT", "depositId"),
        ("WITHDRAW_COMPLETE", "completedAt"),
        ("WITHDRAW_COMPLETE", "txHash"),
        ("WITHDRAW_COMPLETE", "fiatAmount"),
    ] {
        let run = hooksig(&args(&[event]), &env, b"");
        let fields = hooksig::verify_form(run.stdout.as_bytes(), CANARY).expect("valid body");
        assert!(fields.iter().any(|(k, _)| k == own), "{event} lacks {own}");
        assert!(fields.iter().any(|(k, v)| k == "event" && v == event));
        let key = fields
            .iter()
            .find(|(k, _)| k == "idempotencyKey")
            .map(|(_, v)| v.to_string())
            .expect("idempotencyKey");
        let bytes = key.as_bytes();
        assert_eq!(bytes.len(), 36, "{key}");
        assert_eq!(
            (bytes[8], bytes[13], bytes[14], bytes[18], bytes[23]),
            (b'-', b'-', b'4', b'-', b'-'),
            "{key}"
        );
        assert!(matches!(bytes[19], b'8' | b'9' | b'a' | b'b'), "{key}");
        keys.push(key);
    }
    keys.dedup();
    assert_eq!(keys.len(), 4, "idempotency keys repeat: {keys:?}");
    // An override of the key is kept.
    let run = hooksig(&args(&["DEPOSIT", "idempotencyKey=fixed-key"]), &env, b"");
    assert!(run.stdout.contains("&idempotencyKey=fixed-key&"), "{run:?}");
}

#[test]
fn send_exit_statuses() {
    let env = [("OPERATOR_SECRET_KEY", CANARY)];
    // Usage errors: 2, nothing sent.
    for (args, what) in [
        (
            vec!["send", "https://127.0.0.1:9/x", "--event", "DEPOSIT"],
            "https",
        ),
        (
            vec!["send", "127.0.0.1:9/x", "--event", "DEPOSIT"],
            "no scheme",
        ),
        (
            vec!["send", "http://127.0.0.1:9/x", "--event", "REFUND"],
            "event type",
        ),
        (vec!["send", "http://127.0.0.1:9/x"], "no event"),
        (
            vec!["send", "http://127.0.0.1:9/x", "--event", "DEPOSIT", CANARY],
            "not KEY=VALUE",
        ),
        (
            vec![
                "send",
                "http://127.0.0.1:9/x",
                "--event",
                "DEPOSIT",
                "--repeat",
                "0",
            ],
            "repeat 0",
        ),
    ] {
        let run = hooksig(&args, &env, b"");
        assert_eq!(run.code, 2, "{what}: {run:?}");
        assert!(run.stdout.is_empty(), "{what}: {run:?}");
        assert_no_canary(what, &run.stderr);
    }
    // No secret: 2.
    let run = hooksig(
        &["send", "http://127.0.0.1:9/x", "--event", "DEPOSIT"],
        &[],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("[empty-secret]"), "{run:?}");

    // Connection refused: 2. A port that was free a moment ago.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = send(
        &format!("http://127.0.0.1:{port}/api/webhook"),
        &["--event", "DEPOSIT"],
        CANARY,
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("cannot send the event"), "{run:?}");

    // A receiver that accepts but never answers: the timeout gives up, 2.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/webhook", silent.local_addr().unwrap());
    let run = hooksig(
        &["send", &url, "--event", "DEPOSIT", "--timeout", "1"],
        &env,
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--timeout 1 s"), "{run:?}");
    drop(silent);

    // Non-JSON and non-2xx replies: 1.
    for (reply, what) in [
        (
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "200 not JSON",
        ),
        (
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 29\r\n\r\n{\"error\":0,\"description\":\"x\"}",
            "500 with error 0",
        ),
        (
            "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/\r\nContent-Length: 0\r\n\r\n",
            "redirect not followed",
        ),
    ] {
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api/webhook", server.local_addr().unwrap());
        let answer = reply.to_owned();
        let thread = std::thread::spawn(move || {
            let (mut conn, _) = server.accept().unwrap();
            conn.set_read_timeout(Some(DEADLINE)).unwrap();
            let request = read_request(&mut conn);
            conn.write_all(answer.as_bytes()).unwrap();
            request
        });
        let run = send(&url, &["--event", "DEPOSIT"], CANARY);
        let request = thread.join().unwrap();
        assert_eq!(run.code, 1, "{what}: {run:?}");
        assert!(
            request.contains("\r\ncontent-type: application/x-www-form-urlencoded\r\n")
                || request.contains("\r\nContent-Type: application/x-www-form-urlencoded\r\n"),
            "{request}"
        );
        assert!(
            request.starts_with("POST /api/webhook HTTP/1.1\r\n"),
            "{request}"
        );
    }
}

/// Reads one HTTP request (head and Content-Length body) from a connection.
fn read_request(conn: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&seen).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
        let n = conn.read(&mut buf).expect("read the request");
        if n == 0 {
            return text;
        }
        seen.extend_from_slice(&buf[..n]);
    }
}

// ---- Interop with the reference JS tools (tools/reference) ----

/// The reference tools folder, when its dependencies are installed. Without
/// them the interop tests print a notice and pass, unless
/// `HOOKSIG_REQUIRE_REFERENCE` is set (the suite script sets it after `npm ci`).
fn reference_tools() -> Option<std::path::PathBuf> {
    let dir = repo_root().join("tools/reference");
    if dir.join("node_modules/express").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("HOOKSIG_REQUIRE_REFERENCE").is_none(),
        "HOOKSIG_REQUIRE_REFERENCE is set but tools/reference/node_modules is missing \
         (run `npm ci` in tools/reference)"
    );
    eprintln!(
        "NOTICE: skipping the reference interop test: tools/reference/node_modules is missing \
         (run `npm ci` in tools/reference)"
    );
    None
}

fn node() -> Command {
    Command::new(std::env::var_os("HOOKSIG_NODE").unwrap_or_else(|| "node".into()))
}

#[test]
fn send_to_the_reference_express_receiver() {
    let Some(dir) = reference_tools() else { return };
    let mut cmd = node();
    cmd.current_dir(&dir)
        .args(["receiver.mjs", "--host", "127.0.0.1", "--port", "0"])
        .env("OPERATOR_SECRET_KEY", CANARY);
    let mut receiver = Proc::spawn(cmd);
    let first = receiver.line();
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("receiver's first line: {first:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    // Every event type, with non-ASCII values and `+`, `&`, `=` inside values,
    // and keys whose order differs between code point and localeCompare.
    for event in ["DEPOSIT", "WITHDRAW_REQUEST", "WITHDRAW_COMPLETE"] {
        let run = send(
            &url,
            &[
                "--event",
                event,
                "note=Zoë & co = 1+1",
                "Zeta=z",
                "ärger=ü",
                "empty=",
            ],
            CANARY,
        );
        assert_eq!(run.code, 0, "{event}: {run:?}");
        assert!(
            reply_line(&run).starts_with("HTTP 200 OK in "),
            "{event}: {run:?}"
        );
        assert!(
            reply_line(&run).ends_with(r#"ms: error=0 description="ok""#),
            "{run:?}"
        );
        let seen: Json = serde_json::from_str(&receiver.line()).expect("receiver JSON line");
        assert_eq!(seen["status"], 200);
        assert_eq!(seen["event"], event);
        assert_eq!(seen["body"]["note"], "Zoë & co = 1+1");
        assert_eq!(
            seen["body"]["idempotencyKey"].as_str(),
            field(&run.stdout, "idempotencyKey")
        );
    }

    // Tampered (another secret): the Quick Start answers 401.
    let run = send(&url, &["--event", "DEPOSIT"], OTHER);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        reply_line(&run).starts_with("HTTP 401 Unauthorized in "),
        "{run:?}"
    );
    assert!(
        reply_line(&run).ends_with(r#"ms: error=1 description="invalid signature""#),
        "{run:?}"
    );
    let seen: Json = serde_json::from_str(&receiver.line()).unwrap();
    assert_eq!(seen["status"], 401);

    // Replayed: the same idempotencyKey twice, both accepted (the Quick Start does not deduplicate).
    let run = send(&url, &["--event", "DEPOSIT", "--repeat", "2"], CANARY);
    assert_eq!(run.code, 0, "{run:?}");
    let a: Json = serde_json::from_str(&receiver.line()).unwrap();
    let b: Json = serde_json::from_str(&receiver.line()).unwrap();
    assert_eq!(a["body"]["idempotencyKey"], b["body"]["idempotencyKey"]);
    assert_eq!(
        (a["status"].clone(), b["status"].clone()),
        (200.into(), 200.into())
    );
    drop(receiver);
}

/// Runs the reference sender with `secret` on a params file; returns its exit code and stdout.
fn reference_send(
    dir: &std::path::Path,
    params: &std::path::Path,
    url: &str,
    secret: &str,
) -> (i32, String) {
    let out = node()
        .current_dir(dir)
        .arg("sender.mjs")
        .arg("--params")
        .arg(params)
        .args(["--url", url])
        .env("OPERATOR_SECRET_KEY", secret)
        .stdin(Stdio::null())
        .output()
        .expect("run the reference sender");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    (out.status.code().unwrap_or(-1), stdout)
}

#[test]
fn the_reference_sender_to_listen() {
    let Some(dir) = reference_tools() else { return };
    let mut listen = Listen::start(&[]);
    let url = listen.url.clone();
    // The reference sender keeps unsigned empty fields in the body, in insertion order.
    let params = scratch(
        "reference-deposit.json",
        r#"[["event", "DEPOSIT"], ["depositId", "dep_ref_1"], ["externalUserId", "user-42"],
            ["fiatAmount", "12.50"], ["fiatCurrency", "EUR"], ["note", "Zoë & co = 1+1"],
            ["Zeta", "z"], ["memo", ""], ["idempotencyKey", "8f0e7a52-3c1d-4b6e-9a2f-1d5c7b9e0a43"]]"#
            .as_bytes(),
    );

    let (code, out) = reference_send(&dir, &params, &url, CANARY);
    assert_eq!(
        (code, out.trim_end()),
        (
            0,
            r#"200 {"error":0,"description":"ok","transactionId":"listen-1"}"#
        )
    );
    let line = listen.line();
    assert!(line.starts_with("#1 "), "{line}");
    assert!(line.contains(" DEPOSIT depositId=dep_ref_1 externalUserId=user-42 fiatAmount=12.50 fiatCurrency=EUR idempotencyKey=8f0e7a52-3c1d-4b6e-9a2f-1d5c7b9e0a43 : valid (secret #1) -> 200 error=0"), "{line}");

    // Replayed: the same params again.
    let (code, out) = reference_send(&dir, &params, &url, CANARY);
    assert_eq!(
        (code, out.trim_end()),
        (
            0,
            r#"200 {"error":0,"description":"ok","transactionId":"listen-1"}"#
        )
    );
    assert!(
        listen
            .line()
            .ends_with(" : valid (secret #1), replay of #1 (same idempotencyKey) -> 200 error=0")
    );

    // Tampered: another secret.
    let (code, out) = reference_send(&dir, &params, &url, OTHER);
    assert_eq!(
        (code, out.trim_end()),
        (1, r#"401 {"error":1,"description":"invalid signature"}"#)
    );
    let line = listen.line();
    assert!(
        line.contains(" : INVALID [mismatch] no known bug reproduces"),
        "{line}"
    );

    // A sender secret with a trailing newline: diagnosed.
    let (code, _) = reference_send(&dir, &params, &url, &format!("{CANARY}\n"));
    assert_eq!(code, 1);
    let line = listen.line();
    assert!(
        line.contains(" : INVALID [mismatch] cause: secret-newline-added ("),
        "{line}"
    );

    let (summary, all) = listen.stop();
    assert_eq!(summary, "stopped: 4 events received, 2 valid, 2 invalid");
    assert_no_canary("listen", &all);
}
