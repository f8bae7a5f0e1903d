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

/// `text` at the largest size up to `size` (and not below `min_size`) at which it fits
/// in `width` pixels; a text too long even then is shortened with an ellipsis, so a
/// long material name never runs off the figure.
pub(crate) fn fit_text(
    text: &str,
    size: f64,
    min_size: f64,
    bold: bool,
    width: f64,
) -> (String, f64) {
    let natural = text_width(text, size, bold);
    if natural <= width {
        return (text.to_owned(), size);
    }
    // Text width is proportional to the size: above the floor the shrunk text fits
    // (less a hair, so rounding cannot tip it over the width).
    let fitting = size * width / natural * (1.0 - 1e-9);
    if fitting >= min_size {
        return (text.to_owned(), fitting);
    }
    // At the floor: keep the longest start that fits with an ellipsis (a binary search,
    // as a name can be long).
    let ends: Vec<usize> = text.char_indices().map(|(at, _)| at).skip(1).collect();
    let shortened = |end: usize| format!("{}…", text[..end].trim_end());
    let fits = ends.partition_point(|&end| text_width(&shortened(end), min_size, bold) <= width);
    let end = ends[..fits]
        .last()
        .or(ends.first())
        .copied()
        .unwrap_or(text.len());
    (shortened(end), min_size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_shrinks_then_shortens_to_fit() {
        let short = "Fan chart · NdPr oxide";
        assert_eq!(
            fit_text(short, 24.0, 15.0, true, 660.0),
            (short.to_owned(), 24.0)
        );

        let long = "Build-up plan toward the target · Samarium oxide (for SmCo magnets)";
        let (text, size) = fit_text(long, 24.0, 15.0, true, 660.0);
        assert_eq!(text, long);
        assert!((15.0..24.0).contains(&size));
        assert!(text_width(&text, size, true) <= 660.0);

        // Whatever the width, a title that fits above the floor is never shortened.
        let at_floor = text_width(long, 15.0, true);
        for width in (300..900).map(f64::from) {
            let (text, size) = fit_text(long, 24.0, 15.0, true, width);
            assert!(text_width(&text, size, true) <= width, "width {width}");
            if at_floor <= width {
                assert_eq!(text, long, "width {width}");
            }
        }

        let very_long = long.repeat(4);
        let (text, size) = fit_text(&very_long, 24.0, 15.0, true, 660.0);
        assert_eq!(size, 15.0);
        assert!(text.ends_with('…') && text.len() < very_long.len());
        assert!(text_width(&text, size, true) <= 660.0);
    }
}
