//! The command line, declared with clap's derive API.
//!
//! One subcommand per job, each with its own argument struct. The secret options
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
  hooksig listen --port 3001
  hooksig send http://127.0.0.1:3001/api/webhook --event DEPOSIT fiatAmount=10.00

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

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign parameters: print the hash, the signed form body (--form) or the canonical string (--canonical).
    #[command(after_help = SIGN_AFTER_HELP)]
    Sign(SignArgs),
    /// Verify a raw form body; exit 0 if valid, 1 on a signature problem, 2 if refused.
    #[command(after_help = VERIFY_AFTER_HELP)]
    Verify(VerifyArgs),
    /// Explain how a raw body was verified (fields, signed string, expected hash); diagnose a mismatch.
    #[command(long_about = EXPLAIN_LONG_ABOUT, after_help = EXPLAIN_AFTER_HELP)]
    Explain(ExplainArgs),
    /// Sign a realistic test event and POST it to a receiver; print the status, latency and reply.
    #[command(long_about = SEND_LONG_ABOUT, after_help = SEND_AFTER_HELP)]
    Send(SendArgs),
    /// Run a local development receiver: verify each POSTed event and print one line per event.
    #[command(long_about = LISTEN_LONG_ABOUT, after_help = LISTEN_AFTER_HELP)]
    Listen(ListenArgs),
}

const SIGN_AFTER_HELP: &str = "\
A params file holds a JSON array of [key, value] pairs, which keeps their order
exactly (order matters only for keys that collate as equal), or a JSON object.
An object is read in the order JavaScript's JSON.parse and Object.entries give
its entries, which the reference signs ties in: array-index keys (\"0\", \"42\":
decimal integers below 2^32-1, no leading zero) first in ascending numeric
order, then the other keys in document order. So {\"1\\u0000\": \"x\", \"1\": \"y\"}
signs 1=y&1\\u0000=x, like the reference.
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

When the signature does not match, a diagnosis follows: the received hash is
recomputed the ways known-wrong senders compute it (keys sorted by code point
or under another locale, empty values or the hash field signed, a secret with
a trailing newline or prepended, values decoded twice or not at all, uppercase
hex, Latin-1, numbers printed like Python, ...), and the report names the
mistake that reproduces it, or else the likely ones.

The expected hash is a valid signature for the body: keep the report in your
own logs and terminals, and never return it to whoever sent the request. The
secret itself is never shown.";

const SEND_LONG_ABOUT: &str = "\
Sign a realistic test event and POST it to a receiver as
application/x-www-form-urlencoded, like the operator's API server does.

Each event type gets plausible default fields (ids, externalUserId, amounts,
currencies, ...) and a fresh random idempotencyKey (UUID v4). KEY=VALUE
arguments override a default field or add one; an empty value (KEY=) is not
signed, so the field is left out of the body. Prints the HTTP status, the
latency and the receiver's JSON reply (error, description, transactionId).

Only plain http:// URLs are supported (no TLS stack is built in); proxy
environment variables are ignored and redirects are not followed.";

const SEND_AFTER_HELP: &str = "\
Examples:
  hooksig send http://127.0.0.1:3001/api/webhook --event DEPOSIT
  hooksig send http://127.0.0.1:3001/api/webhook --event WITHDRAW_REQUEST fiatAmount=99.90 note='a b&c'
  hooksig send http://127.0.0.1:3001/api/webhook --event DEPOSIT --repeat 3   # same idempotencyKey
  hooksig send http://127.0.0.1:3001/api/webhook --event WITHDRAW_COMPLETE --dry-run > body.form

Exit status: 0 every reply was 2xx with error 0; 1 a reply had a non-zero
error, a non-2xx status or no protocol JSON; 2 connection error, timeout,
missing secret or usage error. With --repeat, the worst outcome counts; a
connection error stops the repetitions.";

const LISTEN_LONG_ABOUT: &str = "\
Run a local development receiver. Every POST to the path is verified from its
raw body (with the secrets, as `verify` does) and printed as one line: the
event type, its key fields, valid or invalid, and for an invalid signature the
diagnosis (the known mistake that reproduces the received hash, or the likely
ones). Valid events with an idempotencyKey already seen are marked as replays
and answered with the first event's transactionId.

The HTTP reply is only the protocol's JSON, never a hash, the canonical string
or the diagnosis: an expected hash would let the sender forge signatures.
The diagnosis is printed on this terminal only.

Binds to 127.0.0.1 by default. Ctrl-C stops accepting, prints a summary line
and exits 0. The first line printed is the address listened on
(`listening on http://127.0.0.1:PORT/PATH`), also with --port 0, which picks
a free port.";

const LISTEN_AFTER_HELP: &str = "\
Replies (the protocol's JSON, {\"error\": N, \"description\": \"...\"}):
  200 error 0 \"ok\", transactionId \"listen-N\"  a valid event (a replay gets the first one's id)
  401 error 1 \"invalid signature\"            mismatch, malformed-hash, missing-hash
  401 error 2 \"malformed body\"               a refused body (duplicate-key, empty-key,
                                             invalid-encoding, too-many-params)
  413 error 2 \"malformed body\"               a body over 1 MiB (not read further)
  400 error 2 \"malformed body\"               a body that could not be read (HTTP framing)
  200 error 3 \"withdrawal denied\"            a valid WITHDRAW_REQUEST with --reject-withdrawals
  404 error 4 \"not found\"                    another path
  405 error 5 \"method not allowed\"           not a POST
  500 error 6 \"internal error\"               the core failed

Every rejected webhook, a bad signature or a refused body, is answered 401
with a non-zero error, as the protocol's receiver answers it; only problems
at the HTTP level (size cap, framing, path, method) get another status.

A Content-Type other than application/x-www-form-urlencoded is verified all
the same, and flagged: an Express receiver would not parse that body.

With --json, every standard output line is one JSON object: first
{\"listening\": URL}, then one per event (n, time, event, valid, error,
secret_index, cause, findings, replay_of, content_type, fields: every field of
the body as decoded, in body order; status, reply), and on Ctrl-C
{\"summary\": {\"received\", \"valid\", \"invalid\"}}. Expected hashes are never
printed; the secret never is.

Examples:
  OPERATOR_SECRET_KEY=demo_secret_2f7c hooksig listen
  hooksig listen --port 0 --secret-env OLD_KEY --secret-env NEW_KEY --json | jq .
  hooksig listen --reject-withdrawals";

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
    /// [key, value] pairs (order kept) or an object (read in JavaScript's order; see below).
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

/// The event types of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    /// A confirmed deposit.
    Deposit,
    /// A withdrawal waiting for the operator's approval (error 0) or denial.
    WithdrawRequest,
    /// A withdrawal that was paid out.
    WithdrawComplete,
}

/// Arguments of `hooksig send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The receiver's URL, e.g. http://127.0.0.1:3001/api/webhook.
    #[arg(value_name = "URL")]
    pub url: String,
    /// The event type; it decides the default fields.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub event: EventType,
    /// Fields as KEY=VALUE, split at the first `=`: override a default field or add one.
    #[arg(value_name = "KEY=VALUE")]
    pub pairs: Vec<String>,
    /// Print the signed body instead of sending it.
    #[arg(long)]
    pub dry_run: bool,
    /// Send the same body N times (the same idempotencyKey), to test deduplication.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub repeat: u32,
    /// Give up on a request after SECS seconds (connecting, sending and reading the reply).
    #[arg(long, value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// The secret.
    #[command(flatten)]
    pub secret: SignSecret,
}

/// Arguments of `hooksig listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// The TCP port; 0 picks a free one (the first output line tells which).
    #[arg(long, value_name = "PORT", default_value_t = 3001)]
    pub port: u16,
    /// The path that receives events; other paths get 404.
    #[arg(long, value_name = "PATH", default_value = "/api/webhook")]
    pub path: String,
    /// The address to bind; anything but a loopback address exposes the receiver to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Answer every valid WITHDRAW_REQUEST with a non-zero error (deny it), to test the deny path.
    #[arg(long)]
    pub reject_withdrawals: bool,
    /// Print one JSON object per line instead of text lines, for piping.
    #[arg(long)]
    pub json: bool,
    /// Refuse bodies with more than N `&`-separated segments (empty ones count).
    #[arg(long, value_name = "N", default_value_t = hooksig::FormOptions::DEFAULT_MAX_PARAMS)]
    pub max_params: usize,
    /// The secrets.
    #[command(flatten)]
    pub secrets: VerifySecrets,
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
