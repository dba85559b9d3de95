//! Usage errors, rendered from clap's error kind and argument names only.
//!
//! clap quotes what the user typed ("unexpected argument 'x' found",
//! "invalid value 'x' for '--port <PORT>'"), and that may be a secret pasted
//! in the wrong place. These messages name the problem, the argument as it is
//! declared (`--port <PORT>`) and the position of an unexpected one, never the
//! text typed. Help and version output are clap's own (they echo nothing).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::OsString;

/// The message for a usage error, then clap's usage line and a pointer to
/// `--help`. `args` is the command line (`args[0]` the program), to tell the
/// position of an unexpected argument.
pub fn message(err: &clap::Error, args: &[OsString]) -> String {
    let arg = || strings(err, ContextKind::InvalidArg).join(", ");
    // Whether the error is about text the user typed, which is left out.
    let mut withheld = true;
    let mut text = match err.kind() {
        ErrorKind::InvalidValue if matches!(err.get(ContextKind::InvalidValue), Some(ContextValue::String(v)) if v.is_empty()) =>
        {
            withheld = false;
            format!("a value is required for {}", arg())
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut text = format!("invalid value for {}", arg());
            let valid = strings(err, ContextKind::ValidValue);
            if !valid.is_empty() {
                text.push_str(&format!(" (possible values: {})", valid.join(", ")));
            }
            text
        }
        ErrorKind::UnknownArgument => {
            // The context holds the typed text itself: only its position is told.
            let typed = strings(err, ContextKind::InvalidArg);
            format!("unexpected argument{}", position(typed.first(), args))
        }
        ErrorKind::InvalidSubcommand => {
            let typed = strings(err, ContextKind::InvalidSubcommand);
            format!("unrecognized subcommand{}", position(typed.first(), args))
        }
        ErrorKind::NoEquals => {
            withheld = false;
            format!("{} takes its value after `=`", arg())
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("wrong number of values for {}", arg())
        }
        ErrorKind::ArgumentConflict => {
            withheld = false;
            let prior = strings(err, ContextKind::PriorArg);
            if prior.is_empty() {
                format!("{} cannot be used with one of the other arguments", arg())
            } else {
                format!("{} cannot be used with {}", arg(), prior.join(", "))
            }
        }
        ErrorKind::MissingRequiredArgument => {
            withheld = false;
            format!("missing required argument: {}", arg())
        }
        ErrorKind::MissingSubcommand => {
            withheld = false;
            "a subcommand is required".to_owned()
        }
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_owned(),
        _ => "invalid command line".to_owned(),
    };
    // Suggestions are declared names (`--secret-env`, `verify`), never typed text.
    for suggested in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        if let Some(name) = strings(err, suggested).first() {
            text.push_str(&format!("; did you mean {name}?"));
        }
    }
    if withheld {
        text.push_str(" (what was typed is not shown, in case it is a secret)");
    }
    if let Some(ContextValue::StyledStr(usage)) = err.get(ContextKind::Usage) {
        text.push_str(&format!("\n\n{usage}"));
    }
    text.push_str("\n\nFor more information, try '--help'.");
    text
}

/// A context's strings (an argument as declared, a list of values).
fn strings(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// ` (argument N)`, the 1-based position after the program name of the first
/// argument that is `typed` (or `typed=...`); empty if none is.
fn position(typed: Option<&String>, args: &[OsString]) -> String {
    let Some(typed) = typed else {
        return String::new();
    };
    args.iter()
        .skip(1)
        .position(|a| {
            let a = a.to_string_lossy();
            *a == **typed
                || a.strip_prefix(typed.as_str())
                    .is_some_and(|r| r.starts_with('='))
        })
        .map_or(String::new(), |i| format!(" (argument {})", i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    const CANARY: &str = "canary_SECRET_xyz";

    fn usage_error(args: &[&str]) -> String {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let err = Cli::try_parse_from(&args).expect_err("a usage error");
        message(&err, &args)
    }

    #[test]
    fn usage_errors_name_the_argument_not_the_text() {
        for (args, want) in [
            (
                &["hooksig", "verify", "body.form", CANARY][..],
                "unexpected argument (argument 3)",
            ),
            (
                &["hooksig", "explain", "--max-params", CANARY],
                "invalid value for --max-params <N>",
            ),
            (
                &["hooksig", "listen", "--port", CANARY],
                "invalid value for --port <PORT>",
            ),
            (
                &["hooksig", "listen", "--bind", CANARY],
                "invalid value for --bind <ADDR>",
            ),
            (
                &["hooksig", "send", "http://x/", "--event", CANARY],
                "invalid value for --event <TYPE> (possible values: DEPOSIT, WITHDRAW_REQUEST, WITHDRAW_COMPLETE)",
            ),
            (
                &["hooksig", "sign", &format!("--{CANARY}=1")],
                "unexpected argument (argument 2)",
            ),
            (&["hooksig", CANARY], "unrecognized subcommand (argument 1)"),
            (
                &["hooksig", "verify", "--secret-env"],
                "a value is required for --secret-env <NAME>",
            ),
            (
                &["hooksig", "verify", &format!("--json={CANARY}")],
                "wrong number of values for --json",
            ),
        ] {
            let text = usage_error(args);
            assert!(text.starts_with(want), "{args:?}: {text}");
            assert!(!text.contains("SECRET"), "{args:?}: {text}");
            assert!(text.ends_with("try '--help'."), "{text}");
        }
    }
}
