//! Fuzzes the project loader and validator with arbitrary bytes, and compiles the
//! engine's model from whatever loads (with the run kept small; the engine is not run).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockpile_planner::engine::{Model, RunOptions};
use stockpile_planner::project::{load_bytes, parse, to_ron_string};

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = load_bytes(data, "fuzz.ron") else {
        return;
    };
    // Whatever loads must save, and the saved text must load back to an equal project.
    let text = to_ron_string(&loaded.project).expect("a loaded project saves");
    let again = parse(&text, "saved.ron").expect("a saved project parses");
    assert_eq!(
        again, loaded.project,
        "load -> save -> load changed the project"
    );
    // Compile the engine's model with the fewest paths; never run the engine here.
    let options = RunOptions {
        paths: Some(100),
        ..RunOptions::default()
    };
    let _ = Model::new(&loaded.project, &options);
});
