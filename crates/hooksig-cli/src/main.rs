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
mod usage;

use clap::Parser;
use clap::error::ErrorKind;
use input::warn;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        // Help and version: clap prints them and exits (0, or 2 for help
        // shown because nothing was given).
        Err(err)
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            err.exit()
        }
        // A usage error, exit 2, without the text typed (see `usage`).
        Err(err) => {
            warn(&format!("hooksig: {}", usage::message(&err, &args)));
            return ExitCode::from(2);
        }
    };
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            warn(&format!("hooksig: {err}"));
            ExitCode::from(err.exit_code())
        }
    }
}
