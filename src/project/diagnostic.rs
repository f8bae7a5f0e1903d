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

/// Where in a project a value lives, spelled as the file spells it:
/// `materials[0].exposed_share`, `products[1].bill_of_materials.ndpr`, `start`.
/// Validation and the app's panels build paths with the same constructors, so a
/// field's error always finds its field, and undo merges keystrokes by path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(String);

/// One of the project's top-level lists, with an item's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemPath {
    Material(usize),
    Product(usize),
    Scenario(usize),
}

impl FieldPath {
    /// The project itself (problems about the whole project).
    pub fn root() -> Self {
        Self::default()
    }

    /// A field of the project (`start`, `service_level`).
    pub fn top(field: &str) -> Self {
        Self::root().field(field)
    }

    pub fn material(index: usize) -> Self {
        Self::root().item("materials", index)
    }

    pub fn product(index: usize) -> Self {
        Self::root().item("products", index)
    }

    pub fn scenario(index: usize) -> Self {
        Self::root().item("scenarios", index)
    }

    /// The item at `index` of the list `list` inside this path (`alternatives[1]`).
    pub fn item(&self, list: &str, index: usize) -> Self {
        self.field(&format!("{list}[{index}]"))
    }

    /// The field `name` inside this path; an empty name is this path.
    pub fn field(&self, name: &str) -> Self {
        if name.is_empty() {
            self.clone()
        } else if self.0.is_empty() {
            Self(name.to_owned())
        } else {
            Self(format!("{}.{name}", self.0))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this path is `ancestor` or lies inside it: `materials[1]` holds
    /// `materials[1].on_hand_kg` but not `materials[10]`.
    pub fn is_within(&self, ancestor: &FieldPath) -> bool {
        ancestor.0.is_empty()
            || self.0 == ancestor.0
            || (self.0.starts_with(&ancestor.0)
                && matches!(self.0.as_bytes().get(ancestor.0.len()), Some(b'.' | b'[')))
    }

    /// The material, product or scenario this path lies in, if any.
    pub fn item_path(&self) -> Option<ItemPath> {
        let (list, rest) = self.0.split_once('[')?;
        let index = rest.split_once(']')?.0.parse().ok()?;
        match list {
            "materials" => Some(ItemPath::Material(index)),
            "products" => Some(ItemPath::Product(index)),
            "scenarios" => Some(ItemPath::Scenario(index)),
            _ => None,
        }
    }

    /// The last field's name in words for a message: `on_hand_kg` -> "on hand".
    pub fn field_words(&self) -> String {
        let last = self.0.rsplit('.').next().unwrap_or_default();
        let last = last.split('[').next().unwrap_or_default();
        match last {
            "" => "this value".to_owned(),
            "max_purchase_kg_per_month" => "the purchase cap".to_owned(),
            "direct_kg_per_month" => "direct demand".to_owned(),
            other => other.strip_suffix("_kg").unwrap_or(other).replace('_', " "),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_nest_and_contain() {
        let on_hand = FieldPath::material(1).field("on_hand_kg");
        assert_eq!(on_hand.as_str(), "materials[1].on_hand_kg");
        assert!(on_hand.is_within(&FieldPath::material(1)));
        assert!(!FieldPath::material(10).is_within(&FieldPath::material(1)));
        assert_eq!(on_hand.item_path(), Some(ItemPath::Material(1)));
        assert_eq!(on_hand.field_words(), "on hand");
        let cut = FieldPath::scenario(0).item("events", 2).field("supply_cut");
        assert_eq!(cut.as_str(), "scenarios[0].events[2].supply_cut");
        assert_eq!(cut.item_path(), Some(ItemPath::Scenario(0)));
        assert_eq!(FieldPath::top("start").item_path(), None);
    }
}
