//! Loading secrets from environment variables or files.
//!
//! A secret is never an argument value (shell history, `ps`), never printed, and
//! its `Debug` is redacted. An empty secret is passed on to the core, which
//! refuses it with `empty-secret`; an unset variable is reported here with the
//! same kind, because there is no secret to pass on.

use crate::cli::DEFAULT_SECRET_ENV;
use crate::error::CliError;
use std::fmt;
use std::path::PathBuf;

/// A secret's text. Only [`AsRef<str>`] reveals it, to hand it to the core.
pub struct Secret(String);

impl AsRef<str> for Secret {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Loads the secrets named by the options, in order (the order is the rotation index).
///
/// With neither variables nor files, the secret is `$OPERATOR_SECRET_KEY`.
pub fn load(envs: &[String], files: &[PathBuf]) -> Result<Vec<Secret>, CliError> {
    if envs.is_empty() && files.is_empty() {
        return Ok(vec![from_env(DEFAULT_SECRET_ENV)?]);
    }
    let mut secrets = Vec::with_capacity(envs.len() + files.len());
    for name in envs {
        secrets.push(from_env(name)?);
    }
    for (i, path) in files.iter().enumerate() {
        secrets.push(from_file(path, i + 1)?);
    }
    Ok(secrets)
}

/// Loads the one secret `sign` uses.
pub fn load_one(env: Option<&String>, file: Option<&PathBuf>) -> Result<Secret, CliError> {
    match (env, file) {
        (_, Some(path)) => from_file(path, 1),
        (Some(name), None) => from_env(name),
        (None, None) => from_env(DEFAULT_SECRET_ENV),
    }
}

fn from_env(name: &str) -> Result<Secret, CliError> {
    let shown = shown_name(name);
    match std::env::var_os(name) {
        None => Err(CliError::NoSecret(format!(
            "no secret: the environment variable {shown} is not set \
             (set it, or pass --secret-env NAME or --secret-file PATH)"
        ))),
        Some(value) => value.into_string().map(Secret).map_err(|_| {
            CliError::Usage(format!(
                "the secret in the environment variable {shown} is not valid UTF-8"
            ))
        }),
    }
}

/// Reads a secret file, removing one trailing `\n` or `\r\n` (editors and
/// `echo` add one; a second one, if any, is part of the secret).
fn from_file(path: &PathBuf, position: usize) -> Result<Secret, CliError> {
    let what = format!("read secret file #{position} (--secret-file)");
    let bytes = std::fs::read(path).map_err(|e| CliError::io(&what, &e))?;
    let text = strip_one_newline(&bytes);
    String::from_utf8(text.to_vec()).map(Secret).map_err(|_| {
        CliError::Usage(format!(
            "the secret in secret file #{position} (--secret-file) is not valid UTF-8"
        ))
    })
}

fn strip_one_newline(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(bytes)
}

/// A variable name as it may appear in a message: conventional names
/// (`[A-Z_][A-Z0-9_]*`) are shown; anything else might be a secret typed where
/// the name belongs, so it is not.
fn shown_name(name: &str) -> String {
    let conventional = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if conventional {
        name.to_owned()
    } else {
        "named by --secret-env (not shown: it does not look like a variable name; \
         pass the variable's name, never the secret)"
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_removed() {
        assert_eq!(strip_one_newline(b"abc\n"), b"abc");
        assert_eq!(strip_one_newline(b"abc\r\n"), b"abc");
        assert_eq!(strip_one_newline(b"abc\n\n"), b"abc\n");
        assert_eq!(strip_one_newline(b"abc\r\n\r\n"), b"abc\r\n");
        assert_eq!(strip_one_newline(b"abc\r"), b"abc\r");
        assert_eq!(strip_one_newline(b"\n"), b"");
        assert_eq!(strip_one_newline(b" abc "), b" abc ");
    }

    #[test]
    fn only_conventional_names_are_shown() {
        assert_eq!(shown_name("OPERATOR_SECRET_KEY"), "OPERATOR_SECRET_KEY");
        assert_eq!(shown_name("KEY_2"), "KEY_2");
        assert!(!shown_name("demo_secret_2f7c").contains("demo"));
        assert!(!shown_name("2KEY").contains("2KEY"));
        assert!(!shown_name("").is_empty());
    }

    #[test]
    fn debug_is_redacted() {
        let s = Secret("canary".into());
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    }
}
