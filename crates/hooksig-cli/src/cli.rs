//! The command line, declared with clap's derive API.
//!
//! One subcommand per job, each with its own argument struct, so that later
//! subcommands (`send`, `listen`) are one more enum variant. The secret options
//! take a variable *name* or a file *path*, never the secret itself: a secret on
//! the command line ends up in shell history and in `ps` output.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The default variable for the secret, as in the protocol's configuration.
pub const DEFAULT_SECRET_ENV: &str = "OPERATOR_SECRET_KEY";

const ABOUT: &str = "Sign and verify operator webhooks bit for bit like the reference JavaScript";

const LONG_ABOUT: &str = "\
Sign and verify operator webhooks bit for bit like the reference JavaScript.

A webhook is an application/x-www-form-urlencoded body whose `hash` field is
the lowercase hex MD5 of the canonical string followed by the secret. The
canonical string joins the signed fields as key=value with `&`, keys ordered
like JavaScript `localeCompare` (ICU root collation); `hash` and empty,
`null` and `undefined` values are not signed.

The secret is read from an environment variable (--secret-env, default
OPERATOR_SECRET_KEY) or from a file (--secret-file). It is never accepted as an
argument value and never printed.";

const AFTER_HELP: &str = "\
Examples:
  OPERATOR_SECRET_KEY=demo_secret_2f7c hooksig verify examples/deposit.form
  hooksig sign --secret-file secret.txt event=DEPOSIT depositId=dep_1 fiatAmount=10.00
  hooksig sign --form --params examples/deposit.json
  hooksig sign --canonical --params - < params.json
  hooksig explain body.form

Exit status: 0 valid, 1 signature problem (mismatch, malformed-hash,
missing-hash), 2 refused body, missing secret, I/O or usage error.";

/// The `hooksig` command line.
#[derive(Debug, Parser)]
#[command(
    name = "hooksig",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands. `send` and `listen` will join them in a later issue.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign parameters: print the hash, the signed form body (--form) or the canonical string (--canonical).
    #[command(after_help = SIGN_AFTER_HELP)]
    Sign(SignArgs),
    /// Verify a raw form body; exit 0 if valid, 1 on a signature problem, 2 if refused.
    #[command(after_help = VERIFY_AFTER_HELP)]
    Verify(VerifyArgs),
    /// Explain how a raw body was verified: the fields, what was signed, the expected hash.
    #[command(long_about = EXPLAIN_LONG_ABOUT, after_help = EXPLAIN_AFTER_HELP)]
    Explain(ExplainArgs),
}

const SIGN_AFTER_HELP: &str = "\
A params file holds a JSON array of [key, value] pairs, which keeps their order
exactly (order matters only for keys that collate as equal), or a JSON object.
Values are strings, numbers (read as doubles, like JSON.parse, and printed like
JavaScript String(number)), booleans, or null (not signed). Arrays and objects
as values are refused (invalid-value); so are duplicate keys (duplicate-key).

Output is written exactly as computed; a newline is added only when standard
output is a terminal, so `hooksig sign --form ... > body.form` is a valid body.

Examples:
  hooksig sign event=DEPOSIT depositId=dep_1 fiatAmount=10.00
  hooksig sign --form --params examples/deposit.json
  echo '[[\"b\", 1e21], [\"a\", true]]' | hooksig sign --canonical --params -";

const VERIFY_AFTER_HELP: &str = "\
The body is read as bytes, exactly: nothing is trimmed, so a trailing newline
(as `echo` adds) is part of the last field.

Without --json, `valid (secret #N)` goes to standard output and
`invalid [KIND] <explanation>` to standard error. With --json, every verdict,
`empty-secret` included, is one JSON line on standard output; only I/O and
usage errors leave standard output empty.

Exit status: 0 valid, 1 signature problem (mismatch, malformed-hash,
missing-hash), 2 refused body (duplicate-key, empty-key, invalid-encoding,
too-many-params), missing secret (empty-secret), I/O or usage error.";

const EXPLAIN_AFTER_HELP: &str = "\
The body is read like `verify` reads it (exactly, from FILE or standard input).
Without any secret the report still shows the fields and the canonical string.

Exit status: as `verify`: 0 valid, 1 signature problem, 2 otherwise.";

const EXPLAIN_LONG_ABOUT: &str = "\
Explain how a raw body was verified, for a person debugging a failing signature:
every field as decoded and whether it is signed (and why not), the canonical
string, the hash expected under each secret, and the hash received.

The expected hash is a valid signature for the body: keep the report in your
own logs and terminals, and never return it to whoever sent the request. The
secret itself is never shown.";

/// Where `sign` gets its one secret.
#[derive(Debug, Args)]
pub struct SignSecret {
    /// Read the secret from the environment variable NAME [default: OPERATOR_SECRET_KEY].
    #[arg(long, value_name = "NAME", conflicts_with = "secret_file")]
    pub secret_env: Option<String>,
    /// Read the secret from the file PATH; one trailing newline (\n or \r\n) is removed.
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

/// Where `verify` and `explain` get their secrets (several during a rotation).
#[derive(Debug, Args)]
pub struct VerifySecrets {
    /// Read a secret from the environment variable NAME [default: OPERATOR_SECRET_KEY].
    /// Repeat it to accept several secrets during a rotation; the verdict names the one
    /// that matched by its position (#1 for the first).
    #[arg(long, value_name = "NAME", conflicts_with = "secret_file")]
    pub secret_env: Vec<String>,
    /// Read a secret from the file PATH; one trailing newline (\n or \r\n) is removed.
    /// Repeatable, like --secret-env.
    #[arg(long, value_name = "PATH")]
    pub secret_file: Vec<PathBuf>,
}

/// Arguments of `hooksig sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Parameters as KEY=VALUE, split at the first `=`; values are strings.
    #[arg(
        value_name = "KEY=VALUE",
        required_unless_present = "params",
        conflicts_with = "params"
    )]
    pub pairs: Vec<String>,
    /// Read the parameters from a JSON file (`-` for standard input): an array of
    /// [key, value] pairs or an object.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// Print the complete signed form body (the signed fields in canonical order, then hash).
    #[arg(long, conflicts_with = "canonical")]
    pub form: bool,
    /// Print the canonical string that is hashed before the secret (needs no secret).
    #[arg(long)]
    pub canonical: bool,
    /// The secret.
    #[command(flatten)]
    pub secret: SignSecret,
}

/// Arguments shared by `verify` and `explain`.
#[derive(Debug, Args)]
pub struct BodyArgs {
    /// The raw body file; standard input when absent or `-`.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Refuse bodies with more than N `&`-separated segments (empty ones count).
    #[arg(long, value_name = "N", default_value_t = hooksig::FormOptions::DEFAULT_MAX_PARAMS)]
    pub max_params: usize,
    /// The secrets.
    #[command(flatten)]
    pub secrets: VerifySecrets,
}

/// Arguments of `hooksig verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The body and secrets.
    #[command(flatten)]
    pub body: BodyArgs,
    /// Print one JSON line: {"valid": bool, "error": kind or null, "secret_index": 0-based
    /// index or null, "params": the signed fields in canonical order, or null}.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `hooksig explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The body and secrets.
    #[command(flatten)]
    pub body: BodyArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
