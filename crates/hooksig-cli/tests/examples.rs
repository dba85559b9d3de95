//! The bundled `examples/`: each body is exactly what `sign --form` builds from
//! its params file, each verifies with the demo secret, and each hash equals the
//! one the protocol's Quick Start code computes in Node.js (when `node` runs).

mod common;

use common::{hooksig, repo_root};
use std::process::Command;

const DEMO: &str = "demo_secret_2f7c";
const EVENTS: [(&str, &str); 3] = [
    ("deposit", "DEPOSIT"),
    ("withdraw-request", "WITHDRAW_REQUEST"),
    ("withdraw-complete", "WITHDRAW_COMPLETE"),
];

fn example_path(name: &str) -> String {
    repo_root()
        .join("examples")
        .join(name)
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(example_path(name)).expect("example file")
}

#[test]
fn the_readme_names_the_demo_secret() {
    assert!(read("README.md").contains(DEMO));
}

#[test]
fn each_body_is_the_signed_form_of_its_params_and_verifies() {
    let env = [("OPERATOR_SECRET_KEY", DEMO)];
    for (name, event) in EVENTS {
        let body = read(&format!("{name}.form"));
        assert!(
            !body.ends_with('\n'),
            "{name}.form must have no trailing newline"
        );
        assert!(
            body.contains(&format!("event={event}&")),
            "{name}.form is a {event}"
        );
        let built = hooksig(
            &[
                "sign",
                "--form",
                "--params",
                &example_path(&format!("{name}.json")),
            ],
            &env,
            b"",
        );
        assert_eq!(
            (built.code, built.stdout.as_str()),
            (0, body.as_str()),
            "{name}"
        );
        // The `make demo` command, as a test.
        let run = hooksig(
            &["verify", &example_path(&format!("{name}.form"))],
            &env,
            b"",
        );
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "valid (secret #1)\n"),
            "{name}"
        );
        let run = hooksig(
            &["verify", "--json", &example_path(&format!("{name}.form"))],
            &env,
            b"",
        );
        assert_eq!(run.json()["params"]["event"], event);
        // Another secret: a mismatch, exit status 1.
        let run = hooksig(
            &["verify", &example_path(&format!("{name}.form"))],
            &[("OPERATOR_SECRET_KEY", "x")],
            b"",
        );
        assert_eq!(run.code, 1, "{name}");
    }
}

/// Each example carries the fields `hooksig send` gives every event of its
/// type by default and issue 6 names for all types: the event's id,
/// `externalUserId`, `fiatAmount` and its `fiatCurrency`.
#[test]
fn each_example_carries_the_fields_send_gives_every_event() {
    for (name, event) in EVENTS {
        let id = if event == "DEPOSIT" {
            "depositId"
        } else {
            "withdrawRequestId"
        };
        let sent = hooksig(
            &["send", "http://127.0.0.1:9/", "--event", event, "--dry-run"],
            &[("OPERATOR_SECRET_KEY", DEMO)],
            b"",
        );
        assert_eq!(sent.code, 0, "{sent:?}");
        let params: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&read(&format!("{name}.json"))).expect("params JSON");
        for key in [id, "externalUserId", "fiatAmount", "fiatCurrency"] {
            assert!(
                sent.stdout.contains(&format!("&{key}="))
                    || sent.stdout.starts_with(&format!("{key}=")),
                "send --event {event} has no {key}: {}",
                sent.stdout
            );
            assert!(params.contains_key(key), "{name}.json has no {key}");
        }
    }
}

/// The Quick Start's canonicalization, run by Node on each body as Express would
/// decode it (`URLSearchParams`, like `express.urlencoded` for flat keys). The
/// locale is pinned to en-US, as the vectors were made.
const NODE_REFERENCE: &str = r#"
const fs = require('fs');
const { createHash } = require('crypto');
const [bodyFile, secret] = process.argv.slice(1);
const params = Object.fromEntries(new URLSearchParams(fs.readFileSync(bodyFile, 'utf8')));
const canonical = Object.entries(params)
  .filter(([k, v]) => k !== 'hash' && v != null && v !== 'null' && v !== 'undefined' && `${v}` !== '')
  .sort(([a], [b]) => a.localeCompare(b, 'en-US'))
  .map(([k, v]) => `${k}=${v}`)
  .join('&');
process.stdout.write(createHash('md5').update(canonical + secret, 'utf8').digest('hex') + ' ' + params.hash);
"#;

#[test]
fn node_quick_start_computes_the_same_hashes() {
    let node = std::env::var("HOOKSIG_NODE").unwrap_or_else(|_| "node".to_owned());
    if Command::new(&node).arg("--version").output().is_err() {
        println!(
            "notice: `{node}` is not available; skipping the Node.js cross-check of examples/"
        );
        return;
    }
    for (name, _) in EVENTS {
        let out = Command::new(&node)
            .args([
                "-e",
                NODE_REFERENCE,
                &example_path(&format!("{name}.form")),
                DEMO,
            ])
            .output()
            .expect("run node");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let (expected, received) = text.split_once(' ').expect("two hashes");
        assert_eq!(expected.len(), 32, "{name}");
        assert_eq!(
            expected, received,
            "{name}: Node's Quick Start hash differs from the body's"
        );
    }
    println!(
        "Node's Quick Start reproduces the hash of all {} examples",
        EVENTS.len()
    );
}
