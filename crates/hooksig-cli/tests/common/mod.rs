//! Shared helpers for the CLI tests: run the built `hooksig` binary with a
//! controlled environment, and load the shared conformance vectors.

#![allow(dead_code)] // Each test file uses a different subset.

use serde_json::Value as Json;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What one run of `hooksig` produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as one JSON value.
    pub fn json(&self) -> Json {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// Runs the binary with `args`, the given environment variables only (the
/// caller's `OPERATOR_SECRET_KEY` never leaks in), and `stdin` as input.
pub fn hooksig(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hooksig"));
    cmd.args(args)
        .env_remove("OPERATOR_SECRET_KEY")
        .env_remove("HOOKSIG_TEST_SECRET")
        .env_remove("HOOKSIG_TEST_OLD")
        .env_remove("HOOKSIG_TEST_NEW")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn hooksig");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_vec();
    // Written from a thread, so a large input cannot deadlock against the output pipes.
    let writer = std::thread::spawn(move || {
        // The binary may exit without reading (usage errors): ignore a broken pipe.
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for hooksig");
    writer.join().expect("stdin writer");
    Run {
        code: out.status.code().expect("exit status (not a signal)"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `vectors` array of one shared vectors file (the project copy in the core crate).
pub fn vectors(name: &str) -> Vec<Json> {
    let path = repo_root().join("crates/hooksig/tests/vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: Json = serde_json::from_str(&text).expect("vectors JSON");
    doc["vectors"].as_array().expect("vectors array").clone()
}

/// A scratch file under Cargo's per-target temporary directory.
pub fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hooksig-cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write scratch file");
    path
}

/// Runs `job` on every item with two worker threads, collecting failure messages.
pub fn par_failures<T: Sync>(
    items: &[T],
    job: impl Fn(&T) -> Option<String> + Sync,
) -> Vec<String> {
    let chunk = items.len().div_ceil(2).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().filter_map(&job).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    })
}
