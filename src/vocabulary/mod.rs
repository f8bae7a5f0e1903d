//! One presentation vocabulary for the app and the reports: colours, labels and
//! the series each chart draws. The app (egui_plot) and the exporters (plotters)
//! only draw what is defined here, so a chart on screen and the same chart
//! exported show the same lines in the same colours under the same names.

pub mod labels;
pub mod palette;
pub mod series;
