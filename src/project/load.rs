//! Reading a project file: bounded, version-checked, parsed, then validated.

use std::io::Read;
use std::path::Path;

use ron::extensions::Extensions;

use super::diagnostic::{Diagnostic, LoadError, Severity};
use super::limits::{MAX_FILE_BYTES, MAX_NESTING};
use super::migrate::migrate;
use super::types::{CURRENT_FORMAT_VERSION, Project};
use super::validate::{Issue, validate};

/// A project that parsed and validated, with the warnings it raised.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub project: Project,
    pub warnings: Vec<Diagnostic>,
}

/// Reads, parses and validates a project file. `Err` holds every error found.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let label = path.display().to_string();
    let bytes = read_bounded(path, &label)?;
    load_bytes(&bytes, &label)
}

fn read_bounded(path: &Path, label: &str) -> Result<Vec<u8>, LoadError> {
    let not_regular = || {
        LoadError::single(
            label,
            None,
            "this is not a regular file (a folder, a pipe or a device); a project is a file",
        )
    };
    // Checked before opening: opening a pipe waits for a writer for ever, and reading
    // a device such as /dev/zero never ends. Checked again on the opened file, in case
    // the path was swapped in between.
    let metadata = std::fs::metadata(path)
        .map_err(|err| LoadError::single(label, None, format!("cannot open the file: {err}")))?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path)
        .map_err(|err| LoadError::single(label, None, format!("cannot open the file: {err}")))?;
    if !file.metadata().is_ok_and(|opened| opened.is_file()) {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    // Read one byte past the limit so a too-large file is detected without reading it all.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| LoadError::single(label, None, format!("cannot read the file: {err}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::single(
            label,
            None,
            format!(
                "the file is larger than {} MiB, the limit for a project file",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// Parses and validates project text held in memory; `label` names it in messages.
pub fn load_bytes(bytes: &[u8], label: &str) -> Result<Loaded, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::single(
            label,
            None,
            "the file is larger than 16 MiB",
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let (line, col) = position_of(bytes, err.valid_up_to());
            return Err(LoadError::single(
                label,
                Some((line, col)),
                "the file is not UTF-8 text (is it a project file?)",
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let project = parse(text, label)?;
    let validation = validate(&project);
    let diagnostics: Vec<Diagnostic> = validation
        .issues
        .iter()
        .enumerate()
        .map(|(index, issue)| diagnostic_for(issue, text, label, index < MAX_LOCATED_ISSUES))
        .collect();
    if !validation.is_valid() {
        return Err(LoadError {
            diagnostics: diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        });
    }
    Ok(Loaded {
        project,
        warnings: diagnostics,
    })
}

/// Parses project text (no validation): version first, then the whole file.
pub fn parse(text: &str, label: &str) -> Result<Project, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::single(label, None, "the file is empty"));
    }
    let version = scan_format_version(text).map_err(|err| {
        LoadError::single(label, Some(line_col(text, err.offset)), err.to_string())
    })?;
    if version > i64::from(CURRENT_FORMAT_VERSION) {
        return Err(LoadError::single(
            label,
            None,
            format!(
                "this project was written in format version {version}, newer than this program reads (version {CURRENT_FORMAT_VERSION}); open it with a newer Stockpile Planner"
            ),
        ));
    }
    if version <= 0 {
        return Err(LoadError::single(
            label,
            None,
            format!("format_version {version} is not a format version (versions start at 1)"),
        ));
    }
    let options = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING);
    let project: Project = options.from_str(text).map_err(|err| {
        let position = (err.span.start.line, err.span.start.col);
        let mut message = describe_ron_error(&err.code);
        // An error just past the last character ("expected comma") means the file stops
        // in the middle of the project: say so.
        let end = line_col(text, text.trim_end().len());
        if position >= end && !matches!(err.code, ron::Error::Eof) {
            message = format!("the file ends too early (is it truncated?): {message}");
        }
        LoadError::single(label, Some(position), message)
    })?;
    Ok(migrate(project, version as u32))
}

fn describe_ron_error(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => "the file ends too early (is it truncated?)".to_owned(),
        ron::Error::ExceededRecursionLimit => {
            format!("the file nests deeper than {MAX_NESTING} levels, more than a project needs")
        }
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// Why no format version was found, and the byte offset where the scan stopped.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
struct VersionScanError {
    offset: usize,
    problem: VersionProblem,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum VersionProblem {
    #[error("an attribute is not closed")]
    AttributeNotClosed,
    #[error("this is not a project file: expected `Project(`")]
    NotAProject,
    #[error("format_version must be the project's first field")]
    NotFirstField,
    #[error("expected `:` after format_version")]
    NoColon,
    #[error("format_version must be a whole number")]
    NotAWholeNumber,
}

impl VersionProblem {
    fn at(self, offset: usize) -> VersionScanError {
        VersionScanError {
            offset,
            problem: self,
        }
    }
}

/// Finds `format_version: N` as the project's first field without parsing the rest,
/// so that a newer file is refused before anything in it is read.
fn scan_format_version(text: &str) -> Result<i64, VersionScanError> {
    let bytes = text.as_bytes();
    let mut at = skip_trivia(bytes, 0);
    // RON extension attributes such as #![enable(implicit_some)] may come first.
    while bytes[at..].starts_with(b"#![") {
        match text[at..].find(']') {
            Some(end) => at = skip_trivia(bytes, at + end + 1),
            None => return Err(VersionProblem::AttributeNotClosed.at(at)),
        }
    }
    let ident_end = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count()
    };
    let name_end = ident_end(at);
    if name_end > at {
        at = skip_trivia(bytes, name_end);
    }
    if bytes.get(at) != Some(&b'(') {
        return Err(VersionProblem::NotAProject.at(at));
    }
    at = skip_trivia(bytes, at + 1);
    let field_end = ident_end(at);
    if &text[at..field_end] != "format_version" {
        return Err(VersionProblem::NotFirstField.at(at));
    }
    at = skip_trivia(bytes, field_end);
    if bytes.get(at) != Some(&b':') {
        return Err(VersionProblem::NoColon.at(at));
    }
    at = skip_trivia(bytes, at + 1);
    let number_start = at;
    if matches!(bytes.get(at), Some(b'-' | b'+')) {
        at += 1;
    }
    let digits_end = at
        + bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    text[number_start..digits_end]
        .parse::<i64>()
        .map_err(|_| VersionProblem::NotAWholeNumber.at(number_start))
}

/// Skips white space and comments (`// …` and nested `/* … */`).
fn skip_trivia(bytes: &[u8], mut at: usize) -> usize {
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes[at..].starts_with(b"//") {
            while at < bytes.len() && bytes[at] != b'\n' {
                at += 1;
            }
        } else if bytes[at..].starts_with(b"/*") {
            let mut depth = 0usize;
            while at < bytes.len() {
                if bytes[at..].starts_with(b"/*") {
                    depth += 1;
                    at += 2;
                } else if bytes[at..].starts_with(b"*/") {
                    depth -= 1;
                    at += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    at += 1;
                }
            }
        } else {
            return at;
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    position_of(text.as_bytes(), offset)
}

/// 1-based line and column (in characters) of a byte offset.
fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// How many validation issues are given a line and column. Finding one searches the
/// text from its start, so a hostile file with tens of thousands of problems (a 1 MB
/// list of bad materials) took minutes, and a 16 MiB one hours; past this many, a
/// message names the file and the item (its id) instead.
const MAX_LOCATED_ISSUES: usize = 100;

/// Turns a validation issue into a `FILE:LINE:COL` diagnostic, finding the place
/// by searching for its hints in order (a list name, an item's id, a field name);
/// with `locate` false, a `FILE: message` one.
fn diagnostic_for(issue: &Issue, text: &str, label: &str, locate: bool) -> Diagnostic {
    let mut at = 0usize;
    let mut found = locate && !issue.hints.is_empty();
    if found {
        for hint in &issue.hints {
            match find_token(text, at, hint) {
                Some(offset) => at = offset,
                None => {
                    found = false;
                    break;
                }
            }
        }
    }
    Diagnostic {
        file: label.to_owned(),
        position: found.then(|| line_col(text, at)),
        severity: issue.severity,
        message: issue.message.clone(),
    }
}

/// The next occurrence of `token` at or after `from` that is a whole word (or a quoted string).
fn find_token(text: &str, from: usize, token: &str) -> Option<usize> {
    let mut search = from;
    while let Some(found) = text.get(search..)?.find(token) {
        let start = search + found;
        let end = start + token.len();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let bytes = text.as_bytes();
        let clean_start = start == 0 || !word(bytes[start - 1]) || token.starts_with('"');
        let clean_end = end >= bytes.len() || !word(bytes[end]) || token.ends_with('"');
        if clean_start && clean_end {
            return Some(start);
        }
        search = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_scan_skips_comments_and_attributes() {
        let text = "// c\n#![enable(implicit_some)]\n/* x /* y */ */ Project( format_version : 3, name: \"x\")";
        assert_eq!(scan_format_version(text), Ok(3));
        assert_eq!(
            scan_format_version("Project(name: \"x\", format_version: 1)"),
            Err(VersionProblem::NotFirstField.at(8))
        );
        assert_eq!(scan_format_version("(format_version: -2)"), Ok(-2));
    }

    #[test]
    fn positions_are_one_based_characters() {
        assert_eq!(position_of("ab\nçd".as_bytes(), 5), (2, 2));
        assert_eq!(position_of(b"abc", 0), (1, 1));
    }
}
