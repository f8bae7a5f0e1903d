//! The commands a user can give from a menu or the keyboard, each with its label,
//! its shortcuts and what it does in one place (as rerun's `UICommand`): the menus
//! and the key bindings both read this table, so they cannot drift apart.

use egui::{Key, KeyboardShortcut, Modifiers, Ui};

use super::state::{Command, PathPurpose, Selection};

/// Where a command belongs: the document being edited, files, or what is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Document,
    File,
    View,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Document => "Editing",
            Group::File => "Files",
            Group::View => "View",
        }
    }
}

/// A command of the menus and the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiCommand {
    Undo,
    Redo,
    NewFromPreset,
    Open,
    Save,
    SaveAs,
    ExportReport,
    ExportChart,
    Quit,
    ShowOverview,
    ShowProducts,
    ShowScenarios,
    ShowSettings,
    LightTheme,
    DarkTheme,
    Help,
}

const COMMAND: Modifiers = Modifiers::COMMAND;
const COMMAND_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl UiCommand {
    pub const ALL: [UiCommand; 16] = [
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::NewFromPreset,
        UiCommand::Open,
        UiCommand::Save,
        UiCommand::SaveAs,
        UiCommand::ExportReport,
        UiCommand::ExportChart,
        UiCommand::Quit,
        UiCommand::ShowOverview,
        UiCommand::ShowProducts,
        UiCommand::ShowScenarios,
        UiCommand::ShowSettings,
        UiCommand::LightTheme,
        UiCommand::DarkTheme,
        UiCommand::Help,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::NewFromPreset => "New from preset…",
            UiCommand::Open => "Open…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save As…",
            UiCommand::ExportReport => "Report… (PDF, HTML, XLSX, CSV, Markdown)",
            UiCommand::ExportChart => "Chart… (SVG, PNG)",
            UiCommand::Quit => "Quit",
            UiCommand::ShowOverview => "Overview",
            UiCommand::ShowProducts => "Products",
            UiCommand::ShowScenarios => "Scenarios",
            UiCommand::ShowSettings => "Settings",
            UiCommand::LightTheme => "Light theme",
            UiCommand::DarkTheme => "Dark theme",
            UiCommand::Help => "Help and keyboard shortcuts",
        }
    }

    pub fn group(self) -> Group {
        match self {
            UiCommand::Undo | UiCommand::Redo => Group::Document,
            UiCommand::NewFromPreset
            | UiCommand::Open
            | UiCommand::Save
            | UiCommand::SaveAs
            | UiCommand::ExportReport
            | UiCommand::ExportChart
            | UiCommand::Quit => Group::File,
            UiCommand::ShowOverview
            | UiCommand::ShowProducts
            | UiCommand::ShowScenarios
            | UiCommand::ShowSettings
            | UiCommand::LightTheme
            | UiCommand::DarkTheme
            | UiCommand::Help => Group::View,
        }
    }

    /// The keys that give this command, the one the menus show first.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const UNDO: [KeyboardShortcut; 1] = [KeyboardShortcut::new(COMMAND, Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [
            KeyboardShortcut::new(COMMAND_SHIFT, Key::Z),
            KeyboardShortcut::new(COMMAND, Key::Y),
        ];
        const NEW: [KeyboardShortcut; 1] = [KeyboardShortcut::new(COMMAND, Key::N)];
        const OPEN: [KeyboardShortcut; 1] = [KeyboardShortcut::new(COMMAND, Key::O)];
        const SAVE: [KeyboardShortcut; 1] = [KeyboardShortcut::new(COMMAND, Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [KeyboardShortcut::new(COMMAND_SHIFT, Key::S)];
        const HELP: [KeyboardShortcut; 1] = [KeyboardShortcut::new(Modifiers::NONE, Key::F1)];
        match self {
            UiCommand::Undo => &UNDO,
            UiCommand::Redo => &REDO,
            UiCommand::NewFromPreset => &NEW,
            UiCommand::Open => &OPEN,
            UiCommand::Save => &SAVE,
            UiCommand::SaveAs => &SAVE_AS,
            UiCommand::Help => &HELP,
            _ => &[],
        }
    }

    /// What the command asks of the app.
    pub fn command(self) -> Command {
        match self {
            UiCommand::Undo => Command::Undo,
            UiCommand::Redo => Command::Redo,
            UiCommand::NewFromPreset => Command::AskNewProject,
            UiCommand::Open => Command::AskPath(PathPurpose::Open),
            UiCommand::Save => Command::Save,
            UiCommand::SaveAs => Command::AskPath(PathPurpose::SaveAs),
            UiCommand::ExportReport => Command::AskPath(PathPurpose::ExportReport),
            UiCommand::ExportChart => Command::AskPath(PathPurpose::ExportChart),
            UiCommand::Quit => Command::Close,
            UiCommand::ShowOverview => Command::Select(Selection::Overview),
            UiCommand::ShowProducts => Command::Select(Selection::Products),
            UiCommand::ShowScenarios => Command::Select(Selection::Scenarios),
            UiCommand::ShowSettings => Command::Select(Selection::Settings),
            UiCommand::LightTheme => Command::SetDarkTheme(false),
            UiCommand::DarkTheme => Command::SetDarkTheme(true),
            UiCommand::Help => Command::ShowHelp(true),
        }
    }

    /// The shortcuts as the platform writes them ("Ctrl+Shift+Z / Ctrl+Y").
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcuts()
            .iter()
            .map(|shortcut| ctx.format_shortcut(shortcut))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// A menu entry for this command: its label and shortcut; returns the command
    /// to give when clicked (the caller pushes it, then closes the menu).
    pub fn menu_button(self, ui: &mut Ui, enabled: bool) -> Option<Command> {
        let shortcut = self.shortcut_text(ui.ctx());
        let clicked = ui
            .add_enabled(
                enabled,
                egui::Button::new(self.label()).shortcut_text(shortcut),
            )
            .clicked();
        if clicked {
            ui.close();
            Some(self.command())
        } else {
            None
        }
    }
}

/// The commands whose shortcut was pressed this frame, each shortcut consumed.
/// Shortcuts with more modifiers are tried first, so Ctrl+Shift+S is Save As and
/// not also Save (egui matches Ctrl+S when Shift is held too).
pub fn pressed(ctx: &egui::Context) -> Vec<Command> {
    let mut bindings: Vec<(KeyboardShortcut, UiCommand)> = UiCommand::ALL
        .iter()
        .flat_map(|&command| {
            command
                .shortcuts()
                .iter()
                .map(move |&shortcut| (shortcut, command))
        })
        .collect();
    bindings.sort_by_key(|(shortcut, _)| {
        std::cmp::Reverse(u8::from(shortcut.modifiers.shift) + u8::from(shortcut.modifiers.alt))
    });
    let mut commands = Vec::new();
    for (shortcut, command) in bindings {
        if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
            commands.push(command.command());
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let all: Vec<KeyboardShortcut> = UiCommand::ALL
            .iter()
            .flat_map(|command| command.shortcuts().iter().copied())
            .collect();
        for (i, a) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(a), "{a:?} is bound twice");
        }
    }
}
