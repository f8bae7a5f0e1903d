//! Messages about a project file, in the `FILE:LINE:COL: message` form of CLI.md.

use std::fmt;

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
        write!(f, "{}:", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, "{line}:{col}:")?;
        }
        if self.severity == Severity::Warning {
            write!(f, " warning:")?;
        }
        // One line whatever the file holds: a name with a newline or other control
        // character is printed escaped (`\n`).
        f.write_str(" ")?;
        for c in self.message.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
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

fn lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
