//! Messages about a project file, in the `FILE:LINE:COL: message` form of CLI.md.

use std::fmt;

use super::limits::MAX_REPORTED_ERRORS;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One error or warning about a file, with its place where known.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line and column, where the parser or the locator knows them.
    pub position: Option<(usize, usize)>,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", escaped(&self.file))?;
        if let Some((line, col)) = self.position {
            write!(f, "{line}:{col}:")?;
        }
        if self.severity == Severity::Warning {
            write!(f, " warning:")?;
        }
        // One line whatever the file holds: a name with a newline or other control
        // character is printed escaped (`\n`).
        write!(f, " {}", escaped(&self.message))
    }
}

/// Why a project could not be loaded: one or more error diagnostics (every
/// validation failure, or the first parse error).
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", lines(.diagnostics))]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    pub fn single(
        file: &str,
        position: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            diagnostics: vec![Diagnostic {
                file: file.to_owned(),
                position,
                severity: Severity::Error,
                message: message.into(),
            }],
        }
    }
}

/// At most a screenful of diagnostics, then one line counting the rest: a file with
/// 100,000 problems is refused in 21 lines, not 100,000.
pub fn lines(diagnostics: &[Diagnostic]) -> String {
    let mut lines: Vec<String> = diagnostics
        .iter()
        .take(MAX_REPORTED_ERRORS)
        .map(ToString::to_string)
        .collect();
    let rest = diagnostics.len().saturating_sub(MAX_REPORTED_ERRORS);
    if let Some(first) = diagnostics.first()
        && rest > 0
    {
        let what = match first.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let plural = if rest == 1 { "" } else { "s" };
        lines.push(format!(
            "{}: … and {rest} more {what}{plural} not shown",
            escaped(&first.file)
        ));
    }
    lines.join("\n")
}

/// Text with its control characters escaped (`\n`, `\u{1b}`), so a name from a file
/// cannot move the cursor, clear the screen or split a line in a terminal.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Bidirectional overrides are not control characters but reorder what follows.
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
