//! What the runner reports while it runs: it never writes to stderr itself, it tells an
//! [`Events`] sink, which the CLI renders (the live progress line on a terminal, one line
//! per step, JSON lines with `--output json --verbose`, or nothing) and tests record
//! ([`Recorder`]).

use std::cell::RefCell;
use std::time::Duration;

use serde::Serialize;

use super::execute::StepReport;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A step begins; `label` is `[N/TOTAL] title`, variables resolved.
    StepStarted {
        number: usize,
        total: usize,
        label: String,
    },
    /// A kubectl command is about to run (never holds a secret).
    Command { command: String },
    /// A step is still running (about every 200 ms while kubectl runs, and between polls).
    Progress { label: String, elapsed: Duration },
    /// A step has finished: ok, skipped or failed.
    StepFinished(StepReport),
    /// Something the user should know that does not stop the run.
    Warning { message: String },
}

/// Where the runner's events go.
pub trait Events {
    fn event(&self, event: Event);
}

/// Drops every event.
pub struct Silent;

impl Events for Silent {
    fn event(&self, _event: Event) {}
}

/// Keeps every event, for tests to assert on.
#[derive(Debug, Default)]
pub struct Recorder {
    events: RefCell<Vec<Event>>,
}

impl Recorder {
    pub fn events(&self) -> Vec<Event> {
        self.events.borrow().clone()
    }
}

impl Events for Recorder {
    fn event(&self, event: Event) {
        self.events.borrow_mut().push(event);
    }
}
