//! Behaviour of the `hooksig` binary beyond the vectors: secrets (files,
//! rotation, missing, never printed), params files, standard input, exit
//! statuses, `--json` and `explain`.

mod common;

use common::{Run, hooksig, repo_root, scratch};

const DEMO: &str = "demo_secret_2f7c";

fn example(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("examples").join(name)).expect("example body")
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The core's hash of `a=1` under `secret`: the reference the CLI must reproduce.
fn core_hash(secret: &str) -> String {
    hooksig::sign(&[("a", "1")], secret)
        .unwrap()
        .as_str()
        .to_owned()
}

#[test]
fn secret_file_loses_exactly_one_trailing_newline() {
    // The shared vector `secret-trailing-newline`: secret "abc\n", params a=1.
    const ABC_NL: &str = "c583137e77f2485ce267d0c684b7fe8d";
    assert_eq!(core_hash("abc\n"), ABC_NL);
    let abc = core_hash("abc");
    assert_ne!(abc, ABC_NL);
    for (name, contents, want) in [
        ("nl", &b"abc\n"[..], abc.clone()),
        ("crlf", b"abc\r\n", abc.clone()),
        ("none", b"abc", abc.clone()),
        ("nl-nl", b"abc\n\n", ABC_NL.to_owned()),
        ("crlf-crlf", b"abc\r\n\r\n", core_hash("abc\r\n")),
        ("cr", b"abc\r", core_hash("abc\r")),
        ("spaces", b" abc \n", core_hash(" abc ")),
    ] {
        let file = scratch(&format!("secret-{name}"), contents);
        let run = hooksig(&["sign", "--secret-file", path(&file), "a=1"], &[], b"");
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, want.as_str()),
            "{name}: {run:?}"
        );
    }
    // The environment is used byte for byte.
    let run = hooksig(&["sign", "a=1"], &[("OPERATOR_SECRET_KEY", "abc\n")], b"");
    assert_eq!(run.stdout, ABC_NL);
}

#[test]
fn help_says_how_secret_files_are_read() {
    for cmd in ["sign", "verify", "explain", "send", "listen"] {
        let run = hooksig(&[cmd, "--help"], &[], b"");
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("--secret-env <NAME>"), "{cmd}");
        assert!(
            run.stdout
                .contains("one trailing newline (\\n or \\r\\n) is removed"),
            "{cmd}"
        );
        assert!(run.stdout.contains("OPERATOR_SECRET_KEY"), "{cmd}");
    }
}

#[test]
fn rotation_reports_the_matching_secret() {
    let body = example("deposit.form");
    let env = [
        ("HOOKSIG_TEST_OLD", "retired-secret"),
        ("HOOKSIG_TEST_NEW", DEMO),
    ];
    let old_new = [
        "--secret-env",
        "HOOKSIG_TEST_OLD",
        "--secret-env",
        "HOOKSIG_TEST_NEW",
    ];
    let new_old = [
        "--secret-env",
        "HOOKSIG_TEST_NEW",
        "--secret-env",
        "HOOKSIG_TEST_OLD",
    ];

    let run = hooksig(&[&["verify", "--json"][..], &old_new].concat(), &env, &body);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["secret_index"], 1);
    let run = hooksig(&[&["verify", "--json"][..], &new_old].concat(), &env, &body);
    assert_eq!(run.json()["secret_index"], 0);
    let run = hooksig(&[&["verify"][..], &old_new].concat(), &env, &body);
    assert_eq!((run.code, run.stdout.as_str()), (0, "valid (secret #2)\n"));

    // Secret files rotate the same way.
    let old = scratch("rot-old", b"retired-secret\n");
    let new = scratch("rot-new", format!("{DEMO}\n").as_bytes());
    let run = hooksig(
        &[
            "verify",
            "--json",
            "--secret-file",
            path(&old),
            "--secret-file",
            path(&new),
        ],
        &[],
        &body,
    );
    assert_eq!(
        (run.code, run.json()["secret_index"].as_u64()),
        (0, Some(1)),
        "{run:?}"
    );

    // No secret matches: a mismatch, exit status 1.
    let env = [("HOOKSIG_TEST_OLD", "a"), ("HOOKSIG_TEST_NEW", "b")];
    let run = hooksig(&[&["verify", "--json"][..], &old_new].concat(), &env, &body);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["error"], "mismatch");
}

#[test]
fn a_missing_or_empty_secret_exits_2() {
    let body = example("deposit.form");
    // The default variable, unset.
    let run = hooksig(&["verify"], &[], &body);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("[empty-secret]"), "{run:?}");
    assert!(
        run.stderr.contains("OPERATOR_SECRET_KEY is not set"),
        "{run:?}"
    );
    // A named variable, unset.
    let run = hooksig(
        &["verify", "--json", "--secret-env", "HOOKSIG_TEST_SECRET"],
        &[],
        &body,
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["valid"], false);
    assert_eq!(run.json()["error"], "empty-secret");
    assert!(
        run.stderr.contains("HOOKSIG_TEST_SECRET is not set"),
        "{run:?}"
    );
    // One of several rotation variables unset.
    let run = hooksig(
        &[
            "verify",
            "--secret-env",
            "HOOKSIG_TEST_NEW",
            "--secret-env",
            "HOOKSIG_TEST_OLD",
        ],
        &[("HOOKSIG_TEST_NEW", DEMO)],
        &body,
    );
    assert_eq!(run.code, 2, "{run:?}");
    // sign, too.
    let run = hooksig(&["sign", "a=1"], &[], b"");
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("[empty-secret]"));
    // Empty secrets are refused by the core.
    let empty = scratch("secret-empty", b"\n");
    for run in [
        hooksig(&["sign", "a=1"], &[("OPERATOR_SECRET_KEY", "")], b""),
        hooksig(
            &["sign", "--form", "--secret-file", path(&empty), "a=1"],
            &[],
            b"",
        ),
        hooksig(
            &["verify", "--json", "--secret-file", path(&empty)],
            &[],
            &body,
        ),
        hooksig(&["verify", "--json"], &[("OPERATOR_SECRET_KEY", "")], &body),
    ] {
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains("[empty-secret]") || run.json()["error"] == "empty-secret",
            "{run:?}"
        );
    }
    // An unreadable secret file is an I/O error, exit 2.
    let run = hooksig(
        &["verify", "--secret-file", "/nonexistent/secret"],
        &[],
        &body,
    );
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("cannot read secret file #1"), "{run:?}");
}

/// Runs every command and error path with a canary secret and searches the output.
#[test]
fn the_secret_never_appears_in_any_output() {
    const CANARY: &str = "canary-7d1f-Zq8-secret-value";
    let env = [("OPERATOR_SECRET_KEY", CANARY)];
    let file = scratch("secret-canary", format!("{CANARY}\n").as_bytes());
    let file = path(&file);
    let params = scratch(
        "canary-params.json",
        br#"{"event": "DEPOSIT", "amount": 10.5, "memo": null}"#,
    );
    let params = path(&params);
    let signed = hooksig::encode_form(&[("event", "DEPOSIT"), ("amount", "10")], CANARY).unwrap();
    let tampered = signed.replace("amount=10", "amount=11");
    let refused = format!("{signed}&event=again");

    let mut runs: Vec<(String, Run)> = Vec::new();
    let mut run = |label: &str, args: &[&str], env: &[(&str, &str)], stdin: &[u8]| {
        runs.push((label.to_owned(), hooksig(args, env, stdin)));
    };
    for source in [&["--secret-file", file][..], &[]] {
        let env: &[(&str, &str)] = if source.is_empty() { &env } else { &[] };
        // The arguments, then the secret source.
        macro_rules! with {
            ($($arg:expr),*) => {{
                let mut args: Vec<&str> = vec![$($arg),*];
                args.extend_from_slice(source);
                args
            }};
        }
        run("sign", &with!("sign", "event=DEPOSIT"), env, b"");
        run(
            "sign --form",
            &with!("sign", "--form", "--params", params),
            env,
            b"",
        );
        run(
            "sign --canonical",
            &with!("sign", "--canonical", "--params", params),
            env,
            b"",
        );
        run(
            "sign bad value",
            &with!("sign", "--params", "-"),
            env,
            br#"[["a", [1]]]"#,
        );
        run(
            "sign duplicate",
            &with!("sign", "--params", "-"),
            env,
            br#"{"a":"1","a":"2"}"#,
        );
        for (what, body) in [
            ("valid", &signed),
            ("tampered", &tampered),
            ("refused", &refused),
        ] {
            run(
                &format!("verify {what}"),
                &with!("verify"),
                env,
                body.as_bytes(),
            );
            run(
                &format!("verify --json {what}"),
                &with!("verify", "--json"),
                env,
                body.as_bytes(),
            );
            run(
                &format!("explain {what}"),
                &with!("explain"),
                env,
                body.as_bytes(),
            );
        }
    }
    // The secret typed where a variable name, a path or a parameter belongs.
    run(
        "secret as --secret-env",
        &["verify", "--secret-env", CANARY],
        &[],
        signed.as_bytes(),
    );
    run(
        "secret as --secret-file",
        &["sign", "--secret-file", CANARY, "a=1"],
        &[],
        b"",
    );
    run("secret as a parameter", &["sign", "a=1", CANARY], &env, b"");
    run("secret as the body file", &["verify", CANARY], &env, b"");
    run(
        "secret as an option",
        &["verify", "--secret", CANARY],
        &env,
        b"",
    );
    run(
        "explain, secret as --secret-env",
        &["explain", "--secret-env", CANARY],
        &[],
        signed.as_bytes(),
    );

    assert_eq!(runs.len(), 2 * 14 + 6);
    // The runs did something: the valid body verified, the tampered one did not.
    let code = |label: &str| runs.iter().find(|(l, _)| l == label).unwrap().1.code;
    assert_eq!(
        (
            code("verify valid"),
            code("verify tampered"),
            code("verify refused")
        ),
        (0, 1, 2)
    );
    assert_eq!(code("explain valid"), 0);
    for (label, run) in &runs {
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(
                !text.contains(CANARY),
                "{label}: the secret is in {stream}: {run:?}"
            );
            assert!(
                !text.contains("Zq8"),
                "{label}: part of the secret is in {stream}: {run:?}"
            );
        }
    }
}

#[test]
fn duplicate_keys_in_a_json_object_are_refused() {
    for doc in [
        r#"{"a": "1", "a": "2"}"#,
        r#"{"a": null, "b": "x", "a": "2"}"#,
        r#"[["a", "1"], ["a", "1"]]"#,
    ] {
        let canonical = hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            doc.as_bytes(),
        );
        let signed = hooksig(
            &["sign", "--params", "-"],
            &[("OPERATOR_SECRET_KEY", DEMO)],
            doc.as_bytes(),
        );
        for run in [canonical, signed] {
            assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{doc}: {run:?}");
            assert!(run.stderr.contains("[duplicate-key]"), "{doc}: {run:?}");
        }
    }
    // Distinct keys that merely look alike are fine.
    let run = hooksig(
        &["sign", "--canonical", "--params", "-"],
        &[],
        br#"{"a": "1", "A": "2"}"#,
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, "a=1&A=2"));
}

#[test]
fn params_files_as_objects_pairs_and_typed_values() {
    let canonical = |doc: &str| {
        hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            doc.as_bytes(),
        )
    };
    // An object: document order in, canonical order out.
    let run =
        canonical(r#"{"event": "DEPOSIT", "Amount": 1e21, "amount": true, "memo": null, "n": 0}"#);
    assert_eq!(run.stdout, "amount=true&Amount=1e+21&event=DEPOSIT&n=0");
    // Numbers are doubles printed like JavaScript; -0 is "0"; 0.1+0.2 keeps its digits.
    let run = canonical(
        r#"[["a", 1e-7], ["b", -0.0], ["c", 0.30000000000000004], ["d", 100.50], ["e", 1e16]]"#,
    );
    assert_eq!(
        run.stdout,
        "a=1e-7&b=0&c=0.30000000000000004&d=100.5&e=10000000000000000"
    );
    // Arrays and objects are not values.
    for doc in [r#"[["a", "x"], ["b", [1]]]"#, r#"{"b": {"c": 1}}"#] {
        let run = canonical(doc);
        assert_eq!(run.code, 2, "{doc}");
        assert!(run.stderr.contains("[invalid-value]"), "{run:?}");
    }
    // A file that is not params at all: a usage error, exit 2.
    for doc in ["", "[", r#""text""#, r#"[["a"]]"#, r#"[[1, "a"]]"#] {
        let run = canonical(doc);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{doc}");
        assert!(
            run.stderr.contains("cannot read the params file"),
            "{run:?}"
        );
    }
    // A params file on disk, and a missing one.
    let run = hooksig(
        &[
            "sign",
            "--canonical",
            "--params",
            path(&repo_root().join("examples/deposit.json")),
        ],
        &[],
        b"",
    );
    assert!(
        run.stdout
            .starts_with("cryptoAmount=0.00391&cryptoCurrency=BTC&depositId=")
    );
    let run = hooksig(
        &["sign", "--canonical", "--params", "/nonexistent.json"],
        &[],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read the params file"));
}

#[test]
fn key_value_arguments() {
    let run = hooksig(
        &["sign", "--canonical", "b=x=y", "a=1", "c=", "d=null"],
        &[],
        b"",
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, "a=1&b=x=y"));
    let run = hooksig(&["sign", "--canonical", "a=1", "b"], &[], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("argument 2 is not KEY=VALUE"));
    let run = hooksig(&["sign", "--canonical", "=1"], &[], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("[empty-key]"));
    // --form: the signed body, exactly (no newline when redirected).
    let run = hooksig(
        &["sign", "--form", "b=x y&z", "a="],
        &[("OPERATOR_SECRET_KEY", DEMO)],
        b"",
    );
    let hash = hooksig::sign(&[("b", "x y&z")], DEMO).unwrap();
    assert_eq!(run.stdout, format!("b=x+y%26z&hash={}", hash.as_str()));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["sign"][..],
        &["sign", "--params", "-", "a=1"],
        &["sign", "--form", "--canonical", "a=1"],
        &["sign", "--secret-env", "X", "--secret-file", "f", "a=1"],
        &["verify", "--secret-env", "X", "--secret-file", "f"],
        &["verify", "--max-params", "many"],
        &["verify", "a", "b"],
        &["frobnicate"],
        &[],
    ] {
        let run = hooksig(args, &[("OPERATOR_SECRET_KEY", DEMO)], b"");
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (2, ""),
            "{args:?}: {run:?}"
        );
        assert!(!run.stderr.is_empty());
    }
    assert_eq!(hooksig(&["--version"], &[], b"").code, 0);
}

/// A secret pasted where another argument belongs is never echoed: clap
/// quotes the offending text, so usage errors are rendered from the error
/// kind and the argument's declared name only (still exit 2).
#[test]
fn usage_errors_never_echo_what_was_typed() {
    const CANARY: &str = "canary_SECRET_xyz";
    let flag = format!("--{CANARY}");
    let assigned = format!("--secret={CANARY}");
    let json = format!("--json={CANARY}");
    for (args, names) in [
        (
            &["verify", "body.form", CANARY][..],
            "unexpected argument (argument 3)",
        ),
        (&["explain", "--max-params", CANARY], "--max-params <N>"),
        (&["verify", "--max-params", CANARY], "--max-params <N>"),
        (&["listen", "--port", CANARY], "--port <PORT>"),
        (&["listen", "--bind", CANARY], "--bind <ADDR>"),
        (&["listen", "--max-params", CANARY], "--max-params <N>"),
        (
            &["send", "http://127.0.0.1:9/", "--event", CANARY],
            "--event <TYPE>",
        ),
        (
            &[
                "send",
                "http://127.0.0.1:9/",
                "--event",
                "DEPOSIT",
                "--repeat",
                CANARY,
            ],
            "--repeat <N>",
        ),
        (
            &[
                "send",
                "http://127.0.0.1:9/",
                "--event",
                "DEPOSIT",
                "--timeout",
                CANARY,
            ],
            "--timeout <SECS>",
        ),
        (
            &["sign", &assigned, "a=1"],
            "unexpected argument (argument 2)",
        ),
        (&["sign", &flag], "unexpected argument (argument 2)"),
        (&["verify", &json], "--json"),
        (&[CANARY], "unrecognized subcommand (argument 1)"),
    ] {
        let run = hooksig(args, &[("OPERATOR_SECRET_KEY", DEMO)], b"");
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (2, ""),
            "{args:?}: {run:?}"
        );
        assert!(run.stderr.starts_with("hooksig: "), "{args:?}: {run:?}");
        assert!(run.stderr.contains(names), "{args:?}: {run:?}");
        assert!(!run.stderr.contains("SECRET"), "{args:?} echoed: {run:?}");
    }
}

#[test]
fn bodies_from_standard_input_and_files_are_read_exactly() {
    let body = example("deposit.form");
    let env = [("OPERATOR_SECRET_KEY", DEMO)];
    let file = path(&repo_root().join("examples/deposit.form")).to_owned();
    for args in [&["verify"][..], &["verify", "-"], &["verify", &file]] {
        let run = hooksig(args, &env, &body);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "valid (secret #1)\n"),
            "{args:?}"
        );
    }
    // Nothing is trimmed: echo's newline makes the hash malformed.
    let mut with_newline = body.clone();
    with_newline.push(b'\n');
    let run = hooksig(&["verify"], &env, &with_newline);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert!(
        run.stderr.starts_with("invalid [malformed-hash]"),
        "{run:?}"
    );
    // An unreadable body file.
    let run = hooksig(&["verify", "/nonexistent/body.form"], &env, b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read the body file"), "{run:?}");
}

#[test]
fn verify_json_lists_the_signed_fields_in_canonical_order() {
    let body = b"b=2&a=1&empty=&n=null&hash=".to_vec();
    let hash = hooksig::sign(&[("a", "1"), ("b", "2")], DEMO).unwrap();
    let body = [body, hash.as_str().as_bytes().to_vec()].concat();
    let run = hooksig(
        &["verify", "--json"],
        &[("OPERATOR_SECRET_KEY", DEMO)],
        &body,
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "{\"valid\":true,\"error\":null,\"secret_index\":0,\"params\":{\"a\":\"1\",\"b\":\"2\"}}\n"
    );
    let run = hooksig(
        &["verify", "--json"],
        &[("OPERATOR_SECRET_KEY", "x")],
        &body,
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "{\"valid\":false,\"error\":\"mismatch\",\"secret_index\":null,\"params\":null}\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn max_params_sets_the_segment_limit() {
    let body = hooksig::encode_form(&[("a", "1"), ("b", "2")], DEMO).unwrap();
    let env = [("OPERATOR_SECRET_KEY", DEMO)];
    let run = hooksig(
        &["verify", "--json", "--max-params", "3"],
        &env,
        body.as_bytes(),
    );
    assert_eq!(run.code, 0);
    let run = hooksig(
        &["verify", "--json", "--max-params", "2"],
        &env,
        body.as_bytes(),
    );
    assert_eq!(
        (run.code, run.json()["error"].as_str()),
        (2, Some("too-many-params"))
    );
    let run = hooksig(&["explain", "--max-params", "2"], &env, body.as_bytes());
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("too-many-params"));
}

#[test]
fn explain_reports_what_was_signed() {
    let env = [("OPERATOR_SECRET_KEY", DEMO)];
    let body = "event=DEPOSIT&memo=&Amount=10&hash=";
    let hash = hooksig::sign(&[("event", "DEPOSIT"), ("Amount", "10")], DEMO).unwrap();
    let valid = format!("{body}{}", hash.as_str());
    let run = hooksig(&["explain"], &env, valid.as_bytes());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("verdict:   valid (secret #1)\n"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("canonical: \"Amount=10&event=DEPOSIT\"")
    );
    assert!(
        run.stdout
            .contains(&format!("expected:  {} (secret #1)", hash.as_str()))
    );
    assert!(run.stdout.contains("\"memo\" = \"\""));

    let wrong = format!("{body}{}", "0".repeat(32));
    let run = hooksig(&["explain", "-"], &env, wrong.as_bytes());
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("INVALID [mismatch]"), "{run:?}");
    assert!(
        run.stdout.contains(hash.as_str()),
        "the expected hash is shown"
    );

    let run = hooksig(&["explain"], &env, b"a=1&a=2");
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("INVALID [duplicate-key]"), "{run:?}");

    // Without a secret: a warning, the canonical string, and exit status 2.
    let run = hooksig(&["explain"], &[], valid.as_bytes());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("explaining without a secret"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("canonical: \"Amount=10&event=DEPOSIT\"")
    );
    assert!(!run.stdout.contains("expected:"));
}

#[test]
fn explain_names_the_known_bug_that_reproduces_the_hash() {
    let run = hooksig(&["explain", "--help"], &[], b"");
    assert!(run.stdout.contains("a diagnosis follows"), "{run:?}");
    let run = hooksig(&["--help"], &[], b"");
    assert!(run.stdout.contains("diagnose a mismatch"), "{run:?}");

    let env = [("OPERATOR_SECRET_KEY", DEMO)];
    let params = [("event", "DEPOSIT"), ("fiatAmount", "10.00")];
    let good = hooksig::encode_form(&params, DEMO).unwrap();
    let unsigned = good.rsplit_once("&hash=").unwrap().0;
    // Bodies from two known-wrong senders: one whose secret came from a file
    // with its trailing newline, one that sent uppercase hex.
    let newline = hooksig::sign(&params, &format!("{DEMO}\n")).unwrap();
    let upper = hooksig::sign(&params, DEMO)
        .unwrap()
        .as_str()
        .to_ascii_uppercase();
    for (hash, name, describe) in [
        (
            newline.as_str(),
            "secret-newline-added",
            "the secret has a trailing newline (e.g. read from a file)",
        ),
        (
            upper.as_str(),
            "uppercase-hex",
            "the hash is uppercase hex; it must be lowercase",
        ),
    ] {
        let body = format!("{unsigned}&hash={hash}");
        let run = hooksig(&["explain"], &env, body.as_bytes());
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.stdout.contains(&format!(
                "diagnosis: the received hash is reproduced by a known bug: {describe}\n"
            )),
            "{run:?}"
        );
        assert!(
            run.stdout
                .contains(&format!("  - [REPRODUCES] {name}: {describe}\n")),
            "{run:?}"
        );
    }
    // A valid body gets no diagnosis.
    let run = hooksig(&["explain"], &env, good.as_bytes());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("diagnosis:"), "{run:?}");
}

/// The reference's canonical string for a JSON object, computed by Node with
/// the protocol's Quick Start code (`JSON.parse`, then `verifySignature`'s
/// filter, sort, map and join); `None` when `node` is not installed, unless
/// `HOOKSIG_REQUIRE_REFERENCE` is set.
fn reference_canonical(doc: &str) -> Option<String> {
    const QUICK_START: &str = "\
        const params = JSON.parse(require('fs').readFileSync(0, 'utf8'));\
        const canonical = Object.entries(params)\
          .filter(([k, v]) => k !== 'hash' && v != null && v !== 'null' && v !== 'undefined' && `${v}` !== '')\
          .sort(([a], [b]) => a.localeCompare(b))\
          .map(([k, v]) => `${k}=${v}`)\
          .join('&');\
        process.stdout.write(canonical);";
    let node = std::env::var_os("HOOKSIG_NODE").unwrap_or_else(|| "node".into());
    let child = std::process::Command::new(node)
        .args(["-e", QUICK_START])
        .env("LC_ALL", "en_US.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            assert!(
                std::env::var_os("HOOKSIG_REQUIRE_REFERENCE").is_none(),
                "HOOKSIG_REQUIRE_REFERENCE is set but node cannot run: {e}"
            );
            eprintln!("NOTICE: node not found; JSON object order not checked against it");
            return None;
        }
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed on {doc}");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Numbers beyond the doubles: `JSON.parse` makes them ±Infinity (and tiny
/// ones 0), which JavaScript prints as `Infinity`; serde_json alone refuses
/// them ("number out of range").
#[test]
fn json_numbers_too_large_for_a_double_are_infinity_like_json_parse() {
    let huge = format!("1{}", "0".repeat(400));
    let doc = format!(
        r#"{{"a": 1e400, "b": -1e400, "c": 1E+309, "d": {huge}, "e": -{huge}.5, "f": 1e-400, "g": -1e-400, "h": 1.7976931348623157e308}}"#
    );
    let want = "a=Infinity&b=-Infinity&c=Infinity&d=Infinity&e=-Infinity&f=0&g=0\
                &h=1.7976931348623157e+308";
    let run = hooksig(
        &["sign", "--canonical", "--params", "-"],
        &[],
        doc.as_bytes(),
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, want), "{run:?}");
    if let Some(reference) = reference_canonical(&doc) {
        assert_eq!(reference, want, "the reference's canonical for {doc}");
    }
    // As pairs, and signed: the hash of the canonical string the reference makes.
    let run = hooksig(
        &["sign", "--canonical", "--params", "-"],
        &[],
        br#"[["a", 1e400], ["b", -1e400]]"#,
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "a=Infinity&b=-Infinity")
    );
    let run = hooksig(
        &["sign", "--params", "-"],
        &[("OPERATOR_SECRET_KEY", "s")],
        br#"[["a", 1e400]]"#,
    );
    let want = hooksig::sign(&[("a", "Infinity")], "s").unwrap();
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, want.as_str()),
        "{run:?}"
    );
    // Still JSON: a malformed number or string is a usage error, with its place.
    for doc in [
        r#"[["a", 1e]]"#,
        r#"[["a", 01]]"#,
        r#"[["a", -]]"#,
        r#"[["a", "\ud800"]]"#,
        r#"[["a", "\x"]]"#,
    ] {
        let run = hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            doc.as_bytes(),
        );
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{doc}");
        assert!(
            run.stderr.contains("cannot read the params file"),
            "{doc}: {run:?}"
        );
        assert!(run.stderr.contains("line 1 column"), "{doc}: {run:?}");
    }
}

#[test]
fn json_objects_are_read_in_javascripts_order() {
    for (doc, want) in [
        // The array-index key "1" comes first in JavaScript; it ties with "1\0".
        (r#"{"1\u0000": "x", "1": "y"}"#, "1=y&1\u{0}=x"),
        (
            r#"{"b": "1", "2\u0000": "q", "10": "x", "2": "y", "a\u0000": "p", "a": "z",
                "0": "w", "01": "v", "1\u0000": "o", "4294967295\u0000": "n",
                "4294967295": "u", "4294967294\u0000": "m", "4294967294": "t"}"#,
            "0=w&01=v&1\u{0}=o&10=x&2=y&2\u{0}=q&4294967294=t&4294967294\u{0}=m\
             &4294967295\u{0}=n&4294967295=u&a\u{0}=p&a=z&b=1",
        ),
    ] {
        let run = hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            doc.as_bytes(),
        );
        assert_eq!((run.code, run.stdout.as_str()), (0, want), "{doc}: {run:?}");
        if let Some(reference) = reference_canonical(doc) {
            assert_eq!(reference, want, "the reference's canonical for {doc}");
        }
        // The same pairs as an array keep their order exactly.
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(doc).unwrap();
        let pairs: Vec<serde_json::Value> = object
            .into_iter()
            .map(|(k, v)| serde_json::json!([k, v]))
            .collect();
        let pairs = serde_json::Value::from(pairs).to_string();
        let run = hooksig(
            &["sign", "--canonical", "--params", "-"],
            &[],
            pairs.as_bytes(),
        );
        let by_file_order =
            hooksig::canonical(&serde_json::from_str::<Vec<(String, String)>>(&pairs).unwrap())
                .unwrap();
        assert_eq!(run.stdout, by_file_order, "{pairs}");
    }
}
