//! The background run: edits are debounced, a stale run is cancelled through its
//! flag, the simulation runs on a worker thread and its result comes back over a
//! channel with a repaint request. The UI thread never simulates. Each run reuses
//! what the previous one computed and the edit left unchanged (`engine::run_reusing`):
//! an edit of one material simulates that material only.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::engine::{
    Model, Recommendation, RunControl, RunError, RunMemory, RunOptions, run_reusing,
};
use crate::project::Project;

/// Quiet time after the last edit before a run starts: short, because a run of the
/// reference plant takes about 150 ms (an edit of one material a fifth of that) and a
/// stale run is cancelled at once (issue 18: new figures within 300 ms of an edit).
/// The run's thread waits it out, so the debounce costs no frame of its own.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// A finished run and what it was computed with.
#[derive(Clone, Debug)]
pub struct Computed {
    pub recommendation: Arc<Recommendation>,
    /// The project the figures belong to (names and ids for display).
    pub project: Arc<Project>,
    pub generation: u64,
    pub elapsed: Duration,
    pub warnings: usize,
    /// The run itself, for the next run and the comparisons to reuse.
    pub memory: Arc<RunMemory>,
}

enum Message {
    Done(Computed),
    Failed { generation: u64, error: RunError },
}

struct Job {
    cancel: Arc<AtomicBool>,
    progress: Arc<AtomicU32>,
    generation: u64,
}

/// Runs the engine off the UI thread; holds the newest finished result.
pub struct Worker {
    sender: Sender<Message>,
    receiver: Receiver<Message>,
    job: Option<Job>,
    /// A run wanted for this generation, not to start before the instant given.
    wanted: Option<(u64, Instant)>,
    /// The newest generation asked for and when its first unshown edit was made:
    /// with `STOCKPILE_TIMING` set, the time to its figures goes to standard error.
    edited: Option<(u64, Instant)>,
    pub latest: Option<Computed>,
    pub failure: Option<String>,
}

impl Default for Worker {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            job: None,
            wanted: None,
            edited: None,
            latest: None,
            failure: None,
        }
    }
}

impl Worker {
    /// The project changed: cancel a run of an older generation and start a new one after the debounce.
    pub fn request(&mut self, generation: u64, immediately: bool) {
        if let Some(job) = &self.job
            && job.generation != generation
        {
            job.cancel.store(true, Ordering::Relaxed);
        }
        let at = if immediately {
            Instant::now()
        } else {
            Instant::now() + DEBOUNCE
        };
        self.wanted = Some((generation, at));
        let first_edit = self.edited.map_or_else(Instant::now, |(_, at)| at);
        self.edited = Some((generation, first_edit));
    }

    /// The project became invalid: stop what runs, start nothing.
    pub fn cancel(&mut self) {
        if let Some(job) = self.job.take() {
            job.cancel.store(true, Ordering::Relaxed);
        }
        self.wanted = None;
    }

    /// Share of the current run done, if one runs.
    pub fn progress(&self) -> Option<f32> {
        self.job
            .as_ref()
            .map(|job| f32::from_bits(job.progress.load(Ordering::Relaxed)))
    }

    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.wanted.is_some()
    }

    /// Called every frame, and again after the frame's edits: takes finished
    /// results and starts the wanted run (its thread waits out the debounce, so the
    /// run starts without waiting for another frame).
    pub fn poll(
        &mut self,
        project: &Project,
        generation: u64,
        warnings: usize,
        ctx: &egui::Context,
    ) {
        while let Ok(message) = self.receiver.try_recv() {
            match message {
                Message::Done(computed) => {
                    if self
                        .job
                        .as_ref()
                        .is_some_and(|j| j.generation == computed.generation)
                    {
                        self.job = None;
                    }
                    self.failure = None;
                    if let Some((generation, at)) = self.edited
                        && generation == computed.generation
                    {
                        self.edited = None;
                        if std::env::var_os("STOCKPILE_TIMING").is_some() {
                            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
                            let (total, run) = (ms(at.elapsed()), ms(computed.elapsed));
                            let simulated = computed.memory.simulated_materials().len();
                            let materials = computed.recommendation.materials.len();
                            eprintln!(
                                "edit to figures: {total:.0} ms (run {run:.0} ms), \
                                 {simulated} of {materials} materials simulated"
                            );
                        }
                    }
                    self.latest = Some(computed);
                }
                Message::Failed { generation, error } => {
                    if self
                        .job
                        .as_ref()
                        .is_some_and(|j| j.generation == generation)
                    {
                        self.job = None;
                    }
                    if error != RunError::Cancelled {
                        self.failure = Some(error.to_string());
                    }
                }
            }
        }
        if let Some(job) = &self.job
            && job.cancel.load(Ordering::Relaxed)
        {
            // A cancelled run finishes on its own; we no longer wait for it.
            self.job = None;
        }
        let Some((wanted_generation, not_before)) = self.wanted.take() else {
            return;
        };
        // A job still here runs this generation: the older ones were cancelled above.
        if wanted_generation != generation || self.job.is_some() {
            return;
        }
        self.start(
            project.clone(),
            generation,
            not_before,
            warnings,
            ctx.clone(),
        );
    }

    fn start(
        &mut self,
        project: Project,
        generation: u64,
        not_before: Instant,
        warnings: usize,
        ctx: egui::Context,
    ) {
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
        self.job = Some(Job {
            cancel: Arc::clone(&cancel),
            progress: Arc::clone(&progress),
            generation,
        });
        let sender = self.sender.clone();
        let previous = self.latest.as_ref().map(|c| Arc::clone(&c.memory));
        let spawned = std::thread::Builder::new()
            .name("stockpile-run".to_owned())
            .spawn(move || {
                // The debounce: an edit meanwhile cancels this run before it starts.
                std::thread::sleep(not_before.saturating_duration_since(Instant::now()));
                if cancel.load(Ordering::Relaxed) {
                    let _ = sender.send(Message::Failed {
                        generation,
                        error: RunError::Cancelled,
                    });
                    return;
                }
                let started = Instant::now();
                let message = match Model::new(&project, &RunOptions::default()) {
                    Err(err) => Message::Failed {
                        generation,
                        error: err.into(),
                    },
                    Ok(model) => {
                        let report = throttled_progress(&progress, &ctx);
                        let control = RunControl {
                            cancel: &cancel,
                            progress: &report,
                        };
                        match run_reusing(&model, previous.as_deref(), &control) {
                            Ok(memory) => Message::Done(Computed {
                                recommendation: Arc::clone(memory.recommendation()),
                                project: Arc::new(project),
                                generation,
                                elapsed: started.elapsed(),
                                warnings,
                                memory: Arc::new(memory),
                            }),
                            Err(cancelled) => Message::Failed {
                                generation,
                                error: cancelled.into(),
                            },
                        }
                    }
                };
                let _ = sender.send(message);
                ctx.request_repaint();
            });
        if let Err(err) = spawned {
            self.job = None;
            self.failure = Some(format!("cannot start the computation: {err}"));
        }
    }
}

/// How often a running computation asks for a frame to show its progress. A frame
/// is not free: with a software renderer (llvmpipe, a virtual machine, a remote
/// desktop) one frame of the material view costs about 100 ms of processor time on
/// two threads, so frames every 50 to 100 ms took most of two cores from the run
/// (issue 18: the app's run was two to three times slower than the command line's).
/// The first request comes this long after the start, so a run shorter than this
/// draws no frame at all before its figures.
pub const PROGRESS_REPAINT_EVERY: Duration = Duration::from_millis(250);

/// A progress callback for [`RunControl`]: it stores the share done where the UI
/// reads it and asks for a repaint at most every [`PROGRESS_REPAINT_EVERY`], so
/// showing the progress does not slow down what it shows.
pub(super) fn throttled_progress<'a>(
    progress: &'a AtomicU32,
    ctx: &'a egui::Context,
) -> impl Fn(f32) + Sync + 'a {
    let last_repaint = std::sync::Mutex::new(Instant::now());
    move |share: f32| {
        progress.store(share.to_bits(), Ordering::Relaxed);
        if let Ok(mut last) = last_repaint.lock()
            && last.elapsed() > PROGRESS_REPAINT_EVERY
        {
            *last = Instant::now();
            ctx.request_repaint();
        }
    }
}
