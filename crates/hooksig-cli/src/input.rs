//! Reading inputs (a file, or standard input for `-` or no file) and writing outputs.
//!
//! Bodies are bytes and are read exactly: trimming a trailing newline here
//! would verify a different body than the one a server receives.

use crate::error::CliError;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;

/// Reads all of `file`, or of standard input when `file` is `None` or `-`.
///
/// `what` names the input in messages ("body", "params file"); the path itself
/// is never quoted, in case a secret was typed where a path belongs.
pub fn read_input(file: Option<&Path>, what: &str) -> Result<Vec<u8>, CliError> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::read(path).map_err(|e| CliError::io(&format!("read the {what} file"), &e))
        }
        _ => {
            let mut stdin = std::io::stdin().lock();
            if stdin.is_terminal() {
                warn(&format!(
                    "hooksig: reading the {what} from standard input (end it with Ctrl-D)"
                ));
            }
            let mut bytes = Vec::new();
            stdin
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::io(&format!("read the {what} from standard input"), &e))?;
            Ok(bytes)
        }
    }
}

/// Writes a result exactly, adding a newline only for a person at a terminal,
/// so redirected output (a form body, a canonical string) is byte-exact.
pub fn write_exact(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let newline = if out.is_terminal() { "\n" } else { "" };
    write!(out, "{text}{newline}")
        .and_then(|()| out.flush())
        .map_err(|e| CliError::io("write the output", &e))
}

/// Writes one line of a message (a verdict, a JSON line, a report) to standard output.
pub fn write_line(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| CliError::io("write the output", &e))
}

/// Writes one line to standard error. A closed or broken stderr is ignored:
/// the exit status still tells the outcome, and the CLI must not panic.
pub fn warn(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A field value for a message line: as it is when it is plain, quoted and
/// escaped (`{:?}`) when it is empty or has spaces, quotes or control
/// characters (which could rewrite the terminal), and cut after 80 characters.
pub fn shown(value: &str) -> String {
    const MAX: usize = 80;
    let cut: String = value.chars().take(MAX).collect();
    let more = if cut.len() < value.len() { "..." } else { "" };
    if cut.is_empty()
        || cut
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"')
    {
        format!("{cut:?}{more}")
    } else {
        format!("{cut}{more}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_are_plain_or_escaped() {
        assert_eq!(shown("dep_1"), "dep_1");
        assert_eq!(shown("250.00"), "250.00");
        assert_eq!(shown(""), "\"\"");
        assert_eq!(shown("a b"), "\"a b\"");
        assert_eq!(shown("x\u{1b}[2J"), "\"x\\u{1b}[2J\"");
        assert_eq!(shown(&"y".repeat(100)), format!("{}...", "y".repeat(80)));
    }
}
