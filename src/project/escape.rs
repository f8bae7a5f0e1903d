//! A project's own words (names, descriptions, notes) are data from whoever wrote the
//! file: each output escapes them its own way. `map_text` gives a copy of a project
//! with every such text escaped, so an output's sentences, which quote names in many
//! places, cannot miss one.

use super::types::{Event, Project};

/// A copy of `project` with every name passed through `name` and every longer text
/// (descriptions, notes) through `prose`. Ids are left alone: validation allows only
/// `a-z`, `0-9`, `_` and `-` in them.
pub fn map_text(
    project: &Project,
    name: &dyn Fn(&str) -> String,
    prose: &dyn Fn(&str) -> String,
) -> Project {
    let mut copy = project.clone();
    copy.name = name(&copy.name);
    copy.description = prose(&copy.description);
    copy.currency = name(&copy.currency);
    for material in &mut copy.materials {
        material.name = name(&material.name);
        material.notes = prose(&material.notes);
        for alternative in &mut material.alternatives {
            alternative.name = name(&alternative.name);
        }
    }
    for product in &mut copy.products {
        product.name = name(&product.name);
        product.notes = prose(&product.notes);
    }
    for scenario in &mut copy.scenarios {
        scenario.name = name(&scenario.name);
        scenario.description = prose(&scenario.description);
        scenario.notes = prose(&scenario.notes);
        for event in &mut scenario.events {
            let (Event::Once {
                name: event_name, ..
            }
            | Event::Recurring {
                name: event_name, ..
            }) = event;
            *event_name = name(event_name);
        }
    }
    copy
}
