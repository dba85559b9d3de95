//! The CLI's error: a core error, whose kind decides the exit status, or a
//! problem of the CLI's own (no secret, I/O, a bad argument or params file).
//!
//! Messages never quote a secret, and never quote a path or a variable name
//! that could be a secret typed in the wrong place (see `secret::shown_name`).

use hooksig::{Category, ErrorKind};
use std::fmt;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The core refused the input; its kind is the stable name users script against.
    Core(hooksig::Error),
    /// No secret could be found (a variable is unset); reported as `empty-secret`.
    NoSecret(String),
    /// Reading or writing failed.
    Io(String),
    /// An argument or a params file is unusable.
    Usage(String),
}

impl CliError {
    /// The stable kind name's error kind, when there is one.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            CliError::Core(e) => Some(e.kind()),
            CliError::NoSecret(_) => Some(ErrorKind::EmptySecret),
            CliError::Io(_) | CliError::Usage(_) => None,
        }
    }

    /// 1 for a signature problem, 2 for everything else.
    pub fn exit_code(&self) -> u8 {
        exit_code(self.kind())
    }

    /// An I/O error, described by what was being done (never by a path).
    pub fn io(doing: &str, err: &std::io::Error) -> CliError {
        CliError::Io(format!("cannot {doing}: {err}"))
    }
}

/// The exit status for a verdict: 0 valid, 1 signature problem, 2 otherwise.
pub fn exit_code(kind: Option<ErrorKind>) -> u8 {
    match kind.map(ErrorKind::category) {
        Some(Category::Signature) => 1,
        _ => 2,
    }
}

impl From<hooksig::Error> for CliError {
    fn from(err: hooksig::Error) -> CliError {
        CliError::Core(err)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Core(e) => write!(f, "[{}] {e}", e.kind()),
            CliError::NoSecret(m) => write!(f, "[{}] {m}", ErrorKind::EmptySecret),
            CliError::Io(m) | CliError::Usage(m) => f.write_str(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_category() {
        assert_eq!(exit_code(Some(ErrorKind::Mismatch)), 1);
        assert_eq!(exit_code(Some(ErrorKind::MalformedHash)), 1);
        assert_eq!(exit_code(Some(ErrorKind::MissingHash)), 1);
        assert_eq!(exit_code(Some(ErrorKind::DuplicateKey)), 2);
        assert_eq!(exit_code(Some(ErrorKind::EmptySecret)), 2);
        assert_eq!(exit_code(None), 2);
    }

    #[test]
    fn messages_carry_the_kind_name() {
        let e = CliError::from(hooksig::Error::at(ErrorKind::EmptyKey, 1));
        assert_eq!(
            e.to_string(),
            "[empty-key] empty key: a pair has an empty key, such as `=value` (at parameter 2)"
        );
        assert_eq!(
            CliError::NoSecret("x".into()).to_string(),
            "[empty-secret] x"
        );
    }
}
