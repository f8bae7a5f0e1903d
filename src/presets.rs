//! Starting projects bundled into the program (`presets/`), and the catalogue of
//! materials and scenarios the app inserts from. `docs/PRESETS.md` gives the source of
//! every figure in them and the decisions behind their scenarios.

use crate::project::{LoadError, Loaded, load_bytes};

pub struct Preset {
    /// The name `new --preset NAME` takes.
    pub name: &'static str,
    pub title: &'static str,
    pub text: &'static str,
}

/// Every bundled preset; the first is the example the app opens on first start.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "ev-motor-line",
        title: "EV traction-motor line (NdPr, Dy, Tb)",
        text: include_str!("../presets/ev-motor-line.ron"),
    },
    Preset {
        name: "offshore-wind",
        title: "Offshore wind turbine programme (direct-drive generators)",
        text: include_str!("../presets/offshore-wind.ron"),
    },
    Preset {
        name: "gan-semiconductor",
        title: "GaN / semiconductor line (gallium, germanium)",
        text: include_str!("../presets/gan-semiconductor.ron"),
    },
    Preset {
        name: "defence-supplier",
        title: "Defence supplier facing military end-use refusals",
        text: include_str!("../presets/defence-supplier.ron"),
    },
    Preset {
        name: "battery-anode",
        title: "Battery-anode plant (graphite)",
        text: include_str!("../presets/battery-anode.ron"),
    },
];

/// The catalogue: a project file whose materials and scenarios are offered for insertion.
pub const CATALOGUE_TEXT: &str = include_str!("../presets/catalogue.ron");

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.name == name)
}

/// The example project the app opens the first time.
pub fn example() -> &'static Preset {
    &PRESETS[0]
}

impl Preset {
    pub fn load(&self) -> Result<Loaded, LoadError> {
        load_bytes(self.text.as_bytes(), &format!("preset {}", self.name))
    }
}

pub fn catalogue() -> Result<Loaded, LoadError> {
    load_bytes(CATALOGUE_TEXT.as_bytes(), "the bundled catalogue")
}
