//! `hooksig send`: sign a realistic test event and POST it to a receiver.
//!
//! The event's fields come from [`Event`]; signing and encoding are the core's
//! (`hooksig::encode_form`, the exact body a reference sender produces). This
//! module only moves bytes over HTTP and reports what came back.

use crate::cli::SendArgs;
use crate::error::CliError;
use crate::event::Event;
use crate::input::{shown, warn, write_exact, write_line};
use crate::params::{Param, Params};
use crate::secret;
use serde_json::Value as Json;
use std::time::{Duration, Instant};

/// The most of a reply that is read: protocol replies are a few dozen bytes.
const MAX_REPLY: u64 = 1 << 20;

/// How much of a reply that is not the protocol's JSON is shown.
const SHOWN_REPLY_CHARS: usize = 200;

/// `hooksig send`: returns 0 when every reply was 2xx with `error: 0`, 1 when
/// one was not, and 2 (as an error) when the receiver could not be reached.
pub fn send(args: &SendArgs) -> Result<u8, CliError> {
    check_url(&args.url)?;
    let mut event = Event::new(args.event)
        .map_err(|e| CliError::Io(format!("cannot get random numbers from the OS: {e}")))?;
    for (key, value) in Params::from_args(&args.pairs)?.pairs {
        if let Param::Str(value) = value {
            event.set(&key, &value);
        }
    }
    let secret = secret::load_one(
        args.secret.secret_env.as_ref(),
        args.secret.secret_file.as_ref(),
    )?;
    let body = hooksig::encode_form(&event.0, secret.as_ref())?;
    drop(secret);
    if args.dry_run {
        write_exact(&body)?;
        return Ok(0);
    }

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        // A 401 or 500 is a reply to report, not an error.
        .http_status_as_error(false)
        // A webhook POST is not replayed elsewhere: a 3xx is reported as it is.
        .max_redirects(0)
        .max_redirects_will_error(false)
        // Test events go where the user said, never through a proxy from the environment.
        .proxy(None)
        .user_agent(concat!("hooksig/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();

    write_line(&format!(
        "POST {} event={} idempotencyKey={} ({} bytes)",
        args.url,
        shown(event.get("event").unwrap_or("")),
        shown(event.get("idempotencyKey").unwrap_or("")),
        body.len()
    ))?;
    let mut worst = 0;
    for attempt in 1..=args.repeat {
        let prefix = if args.repeat > 1 {
            format!("[{attempt}/{}] ", args.repeat)
        } else {
            String::new()
        };
        let (status, reply, latency) = match post(&agent, &args.url, &body) {
            Ok(outcome) => outcome,
            Err(err) => {
                let hint = match err {
                    ureq::Error::Timeout(_) => format!(" (--timeout {} s)", args.timeout),
                    _ => String::new(),
                };
                warn(&format!(
                    "hooksig: {prefix}cannot send the event: {err}{hint}"
                ));
                worst = 2;
                break;
            }
        };
        let (line, ok) = describe(status, &reply);
        write_line(&format!(
            "{prefix}HTTP {status} in {:.1} ms: {line}",
            latency.as_secs_f64() * 1000.0
        ))?;
        if !ok {
            worst = worst.max(1);
        }
    }
    Ok(worst)
}

/// Only plain `http://` URLs: no TLS stack is built in, and any other scheme is a typo.
fn check_url(url: &str) -> Result<(), CliError> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http") => Ok(()),
        Some("https") => Err(CliError::Usage(
            "https URLs are not supported: this hooksig is built without TLS; \
             send to the receiver's plain http:// address (e.g. http://127.0.0.1:3001/api/webhook)"
                .to_owned(),
        )),
        _ => Err(CliError::Usage(
            "the URL must start with http:// (e.g. http://127.0.0.1:3001/api/webhook)".to_owned(),
        )),
    }
}

/// POSTs the body; returns the status, the reply's bytes and the latency
/// (until the whole reply was read).
fn post(
    agent: &ureq::Agent,
    url: &str,
    body: &str,
) -> Result<(ureq::http::StatusCode, Vec<u8>, Duration), ureq::Error> {
    let start = Instant::now();
    let mut response = agent
        .post(url)
        .content_type("application/x-www-form-urlencoded")
        .send(body)?;
    let status = response.status();
    let reply = response
        .body_mut()
        .with_config()
        .limit(MAX_REPLY)
        .read_to_vec()?;
    Ok((status, reply, start.elapsed()))
}

/// The reply as one line, and whether it means success: a 2xx status and a
/// JSON object whose `error` is the number 0.
fn describe(status: ureq::http::StatusCode, reply: &[u8]) -> (String, bool) {
    let Ok(Json::Object(map)) = serde_json::from_slice::<Json>(reply) else {
        let text = String::from_utf8_lossy(reply);
        let cut: String = text.chars().take(SHOWN_REPLY_CHARS).collect();
        let more = if cut.len() < text.len() { "..." } else { "" };
        return (
            format!("not the protocol's JSON reply: {cut:?}{more}"),
            false,
        );
    };
    let mut parts = Vec::new();
    for key in ["error", "description", "transactionId"] {
        match map.get(key) {
            Some(value) => parts.push(format!("{key}={value}")),
            None if key == "transactionId" => {}
            None => parts.push(format!("{key} missing")),
        }
    }
    let error_zero = map.get("error").and_then(Json::as_f64) == Some(0.0);
    (parts.join(" "), status.is_success() && error_zero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::http::StatusCode;

    #[test]
    fn success_needs_2xx_and_error_zero() {
        let ok = describe(StatusCode::OK, br#"{"error":0,"description":"ok"}"#);
        assert_eq!(ok, (r#"error=0 description="ok""#.to_owned(), true));
        let tx = describe(
            StatusCode::OK,
            br#"{"error":0,"description":"ok","transactionId":"t1"}"#,
        );
        assert_eq!(
            tx,
            (
                r#"error=0 description="ok" transactionId="t1""#.to_owned(),
                true
            )
        );
        let denied = describe(StatusCode::OK, br#"{"error":3,"description":"no"}"#);
        assert!(!denied.1);
        let unauthorized = describe(
            StatusCode::UNAUTHORIZED,
            br#"{"error":1,"description":"invalid signature"}"#,
        );
        assert!(!unauthorized.1);
        // error 0 with a failure status is still a failure.
        assert!(!describe(StatusCode::INTERNAL_SERVER_ERROR, br#"{"error":0}"#).1);
        // A string "0" is not the protocol's number.
        assert!(!describe(StatusCode::OK, br#"{"error":"0","description":"ok"}"#).1);
        let missing = describe(StatusCode::OK, br#"{"description":"ok"}"#);
        assert_eq!(
            missing,
            (r#"error missing description="ok""#.to_owned(), false)
        );
    }

    #[test]
    fn other_replies_are_shown_escaped_and_cut() {
        let (line, ok) = describe(StatusCode::NOT_FOUND, b"Cannot POST /x\n");
        assert!(!ok);
        assert_eq!(line, r#"not the protocol's JSON reply: "Cannot POST /x\n""#);
        let long = "x".repeat(500);
        let (line, _) = describe(StatusCode::OK, long.as_bytes());
        assert!(line.ends_with("\"..."), "{line}");
        assert_eq!(line.matches('x').count(), SHOWN_REPLY_CHARS);
    }

    #[test]
    fn only_http_urls() {
        assert!(check_url("http://127.0.0.1:3001/api/webhook").is_ok());
        assert!(check_url("HTTP://localhost/").is_ok());
        for url in ["https://example.com/", "ftp://x/", "127.0.0.1:3001", ""] {
            assert!(matches!(check_url(url), Err(CliError::Usage(_))), "{url}");
        }
    }
}
