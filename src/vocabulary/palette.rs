//! The colours of every chart, from the Okabe–Ito palette (readable by people
//! with the common colour-vision deficiencies), as plain RGB so that egui and
//! plotters can each convert them.

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, as SVG writes it.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// The blend (the recommendation) and its bands.
pub const BLUE: Rgb = Rgb(0, 114, 178);
pub const ORANGE: Rgb = Rgb(230, 159, 0);
/// Purchases, arrivals, the cheapest point: what the plan wants more of.
pub const GREEN: Rgb = Rgb(0, 158, 115);
/// The stock on hand and running dry.
pub const VERMILION: Rgb = Rgb(213, 94, 0);
pub const PURPLE: Rgb = Rgb(204, 121, 167);
pub const SKY: Rgb = Rgb(86, 180, 233);
pub const GREY: Rgb = Rgb(120, 120, 120);
pub const DARK: Rgb = Rgb(35, 35, 35);
pub const GRID: Rgb = Rgb(225, 225, 225);

/// Scenario colours, stable by the scenario's index; none of them is the blend's blue.
pub const SCENARIOS: [Rgb; 7] = [
    GREEN,
    PURPLE,
    SKY,
    ORANGE,
    Rgb(140, 100, 40),
    Rgb(90, 90, 200),
    Rgb(150, 150, 30),
];

/// The colour of the scenario at `index`.
pub fn scenario(index: usize) -> Rgb {
    SCENARIOS[index % SCENARIOS.len()]
}
