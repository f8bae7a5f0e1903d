//! Background tasks besides the main run (a sensitivity, a plan comparison,
//! qualify-or-stockpile, an export, a save): each on its own thread with a cancel
//! flag and a progress share, handing back its answer once over a channel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::worker::throttled_progress;
use crate::engine::{RunControl, RunError};
use crate::export::ExportError;
use crate::project::SaveError;

/// Why a background task gave no answer. Each message is one line in the user's
/// words; the engine's, the exporters' and the project's own errors keep their source.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error("cannot start {what}: {source}")]
    Spawn {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The thread ended without sending an answer (it panicked).
    #[error("{what} stopped without an answer")]
    Lost { what: String },
}

/// One background task besides the main run (a sensitivity, a plan comparison,
/// qualify-or-stockpile, an export, a save): it runs on its own thread with a cancel flag
/// and a progress share, and hands back its answer once, over a channel, with a
/// repaint request. Dropping it sets its cancel flag: an engine run stops at its next
/// check, and whatever the thread still sends is thrown away.
pub struct Task<T> {
    /// What it computes, in words, for the progress line ("what drives NdPr oxide").
    pub what: String,
    cancel: Arc<AtomicBool>,
    progress: Arc<AtomicU32>,
    receiver: Receiver<Result<T, TaskError>>,
}

impl<T: Send + 'static> Task<T> {
    /// Starts `work` on its own thread; it gets a [`RunControl`] to report progress
    /// and notice cancellation.
    pub fn start<E: Into<TaskError>>(
        what: impl Into<String>,
        ctx: &egui::Context,
        work: impl FnOnce(&RunControl) -> Result<T, E> + Send + 'static,
    ) -> Result<Self, TaskError> {
        let what = what.into();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
        let (sender, receiver) = channel();
        let thread_cancel = Arc::clone(&cancel);
        let thread_progress = Arc::clone(&progress);
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("stockpile-task".to_owned())
            .spawn(move || {
                let report = throttled_progress(&thread_progress, &ctx);
                let control = RunControl {
                    cancel: &thread_cancel,
                    progress: &report,
                };
                let answer = work(&control).map_err(Into::into);
                // Nobody listens once the task was dropped: nothing to do then.
                let _ = sender.send(answer);
                ctx.request_repaint();
            })
            .map_err(|source| TaskError::Spawn {
                what: what.clone(),
                source,
            })?;
        Ok(Self {
            what,
            cancel,
            progress,
            receiver,
        })
    }

    /// The share done, 0 to 1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// The answer once it is there (`Err` also when the thread died without one).
    pub fn poll(&self) -> Option<Result<T, TaskError>> {
        match self.receiver.try_recv() {
            Ok(answer) => Some(answer),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Err(TaskError::Lost {
                what: self.what.clone(),
            })),
        }
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
