//! `hooksig`: sign, verify and explain operator webhook bodies from a shell,
//! fire test events at a receiver (`send`) and receive them locally (`listen`).
//!
//! The CLI is an adapter over the `hooksig` core crate: it reads arguments,
//! files and environment variables, converts them to the core's types, and maps
//! the core's errors to exit statuses and output. Every protocol rule (filtering,
//! key order, value text, form decoding, signing) lives in the core, never here.
//!
//! Exit status: 0 valid / done, 1 a signature problem (`mismatch`,
//! `malformed-hash`, `missing-hash`), 2 anything else (a refused body, a missing
//! secret, an I/O error, a usage error).
//!
//! The secret comes only from an environment variable or a file, and is never
//! printed: not in output, not in errors, not in `Debug`.

mod cli;
mod commands;
mod error;
mod event;
mod input;
mod listen;
mod params;
mod secret;
mod send;

use clap::Parser;
use input::warn;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints help/version and exits 0, or prints a usage error and exits 2.
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            warn(&format!("hooksig: {err}"));
            ExitCode::from(err.exit_code())
        }
    }
}
