//! The fonts every export uses, embedded so output never depends on the system.

use std::sync::Once;

use plotters::style::{FontDesc, FontFamily, FontStyle};

pub(crate) static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family charts name: generic, so an SVG opened anywhere finds a sans font;
/// the PDF maps it to the embedded DejaVu Sans.
pub(crate) const FAMILY: &str = "sans-serif";
/// DejaVu Sans's family name inside the font file.
pub(crate) const DEJAVU: &str = "DejaVu Sans";

/// Registers the embedded fonts with plotters (once per process).
pub(crate) fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are the files in assets/fonts, known to be valid fonts.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD);
    });
}

/// The width in pixels of `text` at `size` pixels (plotters' size), estimated from the font.
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    register();
    // Measure at a large size and scale, so integer rounding does not matter.
    const REFERENCE: f64 = 100.0;
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::Name(FAMILY), REFERENCE, style);
    match font.box_size(text) {
        Ok((width, _)) => f64::from(width) * size / REFERENCE,
        Err(_) => text.chars().count() as f64 * size * 0.6,
    }
}
