//! The recommendation in words, drawn: the sentences every report states (from
//! [`text`]) and the figures table where every figure explains itself on hover.
//! Nothing here words a figure: the screen and the paper say the same thing.

use egui::{RichText, Ui};

use crate::engine::{MaterialRecommendation, Recommendation};
use crate::export::text::{self, ExplainedFigure};
use crate::project::Project;

/// The material's recommendation as the reports state it, then what drives it and
/// when today's stock runs dry. `size`: the headline's text size, if not the body's.
pub fn recommendation(
    ui: &mut Ui,
    project: &Project,
    rec: &Recommendation,
    index: usize,
    size: Option<f32>,
) {
    let Some(m) = rec.materials.get(index) else {
        return;
    };
    let headline = RichText::new(text::recommendation_sentence(project, rec, index));
    ui.label(match size {
        Some(size) => headline.size(size),
        None => headline,
    });
    ui.label(text::run_out_sentence(project, rec, m));
}

/// The open-ended sentences of a material (MODEL.md "Open-ended shortfalls"),
/// each on its own line in the warning colour; nothing when supply comes back.
pub fn open_ended_warning(ui: &mut Ui, project: &Project, m: &MaterialRecommendation) {
    if !m.open_ended {
        return;
    }
    let color = ui.visuals().warn_fg_color;
    for sentence in text::open_ended_sentences(project, m) {
        ui.label(RichText::new(sentence).color(color));
    }
}

/// The figures table, two columns, each value explaining itself on hover.
pub fn figures_table(ui: &mut Ui, id: &str, figures: &[ExplainedFigure]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for figure in figures {
                ui.label(figure.name).on_hover_text(&figure.explain);
                ui.label(RichText::new(&figure.value).strong())
                    .on_hover_text(&figure.explain);
                ui.end_row();
            }
        });
}
