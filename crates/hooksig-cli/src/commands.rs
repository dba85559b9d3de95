//! The subcommands: each converts its inputs, calls the core, and reports.
//!
//! Commands return their exit status; errors that stop a command early come
//! back as [`CliError`] and `main` prints them.

use crate::cli::{BodyArgs, Cli, Command, ExplainArgs, SignArgs, VerifyArgs};
use crate::error::{CliError, exit_code};
use crate::input::{read_input, warn, write_exact, write_line};
use crate::params::Params;
use crate::secret::{self, Secret};
use hooksig::FormOptions;
use serde_json::{Map, Value as Json, json};

/// Runs the command line and returns the exit status.
pub fn run(cli: Cli) -> Result<u8, CliError> {
    match cli.command {
        Command::Sign(args) => sign(&args),
        Command::Verify(args) => verify(&args),
        Command::Explain(args) => explain(&args),
        Command::Send(args) => crate::send::send(&args),
        Command::Listen(args) => crate::listen::listen(&args),
    }
}

/// `hooksig sign`: the hash, the form body, or the canonical string.
fn sign(args: &SignArgs) -> Result<u8, CliError> {
    let params = match &args.params {
        Some(file) => Params::from_json(&read_input(Some(file), "params file")?)?,
        None => Params::from_args(&args.pairs)?,
    };
    let pairs = params.values()?;
    // A refused pair is named by its place in the file.
    let located = |err| params.locate(err);
    let output = if args.canonical {
        hooksig::canonical(&pairs).map_err(located)?
    } else {
        let secret = secret::load_one(
            args.secret.secret_env.as_ref(),
            args.secret.secret_file.as_ref(),
        )?;
        if args.form {
            hooksig::encode_form(&pairs, secret.as_ref()).map_err(located)?
        } else {
            hooksig::sign(&pairs, secret.as_ref())
                .map_err(located)?
                .as_str()
                .to_owned()
        }
    };
    write_exact(&output)?;
    Ok(0)
}

/// The secrets of `verify` and `explain`. They are loaded before the body is
/// read, so a missing secret is reported without waiting for standard input.
fn load_secrets(args: &BodyArgs) -> Result<Vec<Secret>, CliError> {
    secret::load(&args.secrets.secret_env, &args.secrets.secret_file)
}

/// `hooksig verify`: a verdict line, or one JSON object with `--json`.
fn verify(args: &VerifyArgs) -> Result<u8, CliError> {
    let options = FormOptions::new().max_params(args.body.max_params);
    let outcome = match load_secrets(&args.body) {
        Ok(secrets) => {
            let body = read_input(args.body.file.as_deref(), "body")?;
            match hooksig::verify_form_with(&body, &secrets, &options) {
                Ok(verified) => {
                    let mut params = Map::new();
                    for (key, value) in verified.fields {
                        params.insert(key.into_owned(), Json::String(value.into_owned()));
                    }
                    Ok((verified.secret_index, params))
                }
                Err(err) => Err(CliError::Core(err)),
            }
        }
        // An unset variable is the verdict `empty-secret`; an unreadable secret
        // file or a non-UTF-8 secret has no verdict.
        Err(err @ CliError::NoSecret(_)) => Err(err),
        Err(err) => return Err(err),
    };
    match (&outcome, args.json) {
        (Ok((index, params)), true) => write_line(
            &json!({"valid": true, "error": null, "secret_index": index, "params": params})
                .to_string(),
        )?,
        (Ok((index, _)), false) => write_line(&format!("valid (secret #{})", index + 1))?,
        (Err(err), true) => {
            if let CliError::NoSecret(_) = err {
                warn(&format!("hooksig: {err}"));
            }
            let kind = err.kind().map(|k| k.name());
            write_line(
                &json!({"valid": false, "error": kind, "secret_index": null, "params": null})
                    .to_string(),
            )?;
        }
        (Err(CliError::Core(err)), false) => warn(&format!("invalid [{}] {err}", err.kind())),
        (Err(err), false) => warn(&format!("hooksig: {err}")),
    }
    Ok(match &outcome {
        Ok(_) => 0,
        Err(err) => err.exit_code(),
    })
}

/// `hooksig explain`: the core's report, for a person debugging.
///
/// Without any secret the report is still useful (fields, canonical string), so
/// an unset variable is a warning here, and the verdict says `empty-secret`.
fn explain(args: &ExplainArgs) -> Result<u8, CliError> {
    let secrets = match load_secrets(&args.body) {
        Ok(secrets) => secrets,
        Err(err @ CliError::NoSecret(_)) => {
            warn(&format!("hooksig: {err}; explaining without a secret"));
            Vec::new()
        }
        Err(err) => return Err(err),
    };
    let body = read_input(args.body.file.as_deref(), "body")?;
    let options = FormOptions::new().max_params(args.body.max_params);
    let report = hooksig::explain(&body, &secrets, &options);
    // The report's Display ends with a newline.
    let text = report.to_string();
    write_line(text.strip_suffix('\n').unwrap_or(&text))?;
    Ok(match report.verdict {
        Ok(_) => 0,
        Err(err) => exit_code(Some(err.kind())),
    })
}
