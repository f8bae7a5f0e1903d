//! Comparing the figures a file was saved with against what this program computes
//! for it (FORMAT.md "Version 2"), so a colleague never silently sees other numbers
//! than the sender did.
//!
//! The comparison needs a run with the saved paths and seed on the project as
//! opened. Usually that is the app's own first run of the file, so nothing is
//! computed twice; when it cannot be (the saved paths or seed differ from the
//! project's, or the file was edited before its first figures arrived), the check
//! runs the engine itself on a background thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::worker::Computed;
use crate::engine::{self, Model, Recommendation, RunControl, RunOptions, saved};
use crate::export::text;
use crate::project::{Project, SavedResults};

/// What the check found once it is done.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckOutcome {
    /// Still waiting for figures.
    Waiting,
    /// The saved figures are what this program computes (or cannot be computed).
    Agrees,
    /// They differ: the warning naming each material and both figures.
    Differs(String),
}

/// A run of the check's own, with the saved paths and seed.
struct OwnRun {
    cancel: Arc<AtomicBool>,
    /// `None` when the project as opened cannot be computed (the app shows why).
    receiver: Receiver<Option<Recommendation>>,
}

/// The saved figures of a document as opened, until they are compared.
pub struct SavedCheck {
    saved: SavedResults,
    /// The project as opened, for a run of its own.
    project: Arc<Project>,
    /// The document's generation when it was opened: the app's figures of that
    /// generation are the figures of the file as opened.
    generation: u64,
    own_run: Option<OwnRun>,
}

impl SavedCheck {
    /// A check for `project` as opened at `generation`, if it carries saved figures.
    pub fn new(project: &Project, generation: u64) -> Option<Self> {
        let saved = project.saved_results.clone()?;
        Some(Self {
            saved,
            project: Arc::new(project.clone()),
            generation,
            own_run: None,
        })
    }

    /// Whether the app's own run computes what the check needs.
    fn app_run_serves(&self) -> bool {
        self.saved.paths == self.project.paths && self.saved.seed == self.project.seed
    }

    /// Advances the check with the app's newest figures (`latest`) and the document's
    /// current generation; starts a run of its own when the app's cannot serve.
    pub fn poll(
        &mut self,
        latest: Option<&Computed>,
        document_generation: u64,
        ctx: &egui::Context,
    ) -> CheckOutcome {
        if let Some(run) = &self.own_run {
            return match run.receiver.try_recv() {
                Ok(Some(rec)) => self.outcome(&rec),
                Ok(None) | Err(TryRecvError::Disconnected) => CheckOutcome::Agrees,
                Err(TryRecvError::Empty) => CheckOutcome::Waiting,
            };
        }
        if self.app_run_serves() {
            if let Some(computed) = latest.filter(|c| c.generation == self.generation) {
                return self.outcome(&computed.recommendation);
            }
            if document_generation == self.generation {
                return CheckOutcome::Waiting;
            }
        }
        self.start_own_run(ctx);
        CheckOutcome::Waiting
    }

    fn outcome(&self, rec: &Recommendation) -> CheckOutcome {
        let differences = saved::differences(&self.saved, &self.project, rec);
        if differences.is_empty() {
            CheckOutcome::Agrees
        } else {
            CheckOutcome::Differs(text::saved_results_warning(&self.saved, &differences))
        }
    }

    fn start_own_run(&mut self, ctx: &egui::Context) {
        let (sender, receiver) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let project = Arc::clone(&self.project);
        let options = RunOptions {
            paths: Some(self.saved.paths),
            seed: Some(self.saved.seed),
            service_level: None,
        };
        let stop = Arc::clone(&cancel);
        let ctx = ctx.clone();
        // Without a thread the sender is dropped, the receiver disconnects and the
        // check gives up quietly: the file's figures are then only checked by `check`.
        let _ = std::thread::Builder::new()
            .name("stockpile-saved-check".to_owned())
            .spawn(move || {
                let control = RunControl {
                    cancel: &stop,
                    progress: &|_| {},
                };
                let rec = Model::new(&project, &options)
                    .ok()
                    .and_then(|model| engine::run(&model, &control).ok());
                // The app may have moved on to another document: then nobody listens.
                let _ = sender.send(rec);
                ctx.request_repaint();
            });
        self.own_run = Some(OwnRun { cancel, receiver });
    }
}

impl Drop for SavedCheck {
    /// A document closed before its check finished stops the check's run.
    fn drop(&mut self) {
        if let Some(run) = &self.own_run {
            run.cancel.store(true, Ordering::Relaxed);
        }
    }
}
