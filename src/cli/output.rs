//! Where output goes: data (tables, TOML, JSON documents) to stdout, status and errors to
//! stderr, so that `influxctl-admin … > file` captures only the data.

use std::cell::RefCell;
use std::io::{self, Write};

use serde::Serialize;

use super::Failure;
use crate::config::text::escape_controls;
use crate::runner::{Event, Events, Status};

pub struct Out {
    pub json: bool,
    pub quiet: bool,
    /// The first failed write to stdout: the command then exits 1 (or, for a closed
    /// pipe, quietly, as other Unix tools do), never 0 with the output lost.
    failed: RefCell<Option<io::Error>>,
}

/// Writes `text` to stderr. A failed write is ignored: there is nowhere left to report it,
/// and `eprintln!` would panic.
pub fn to_stderr(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}

impl Out {
    pub fn new(json: bool, quiet: bool) -> Self {
        Out {
            json,
            quiet,
            failed: RefCell::new(None),
        }
    }

    /// Writes `bytes` to stdout, flushed: a failure is kept for [`Out::write_failure`]
    /// (and nothing more is written after one).
    pub fn stdout(&self, bytes: &[u8]) {
        if self.failed.borrow().is_some() {
            return;
        }
        let mut stdout = io::stdout().lock();
        if let Err(err) = stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            *self.failed.borrow_mut() = Some(err);
        }
    }

    /// The first write to stdout that failed, if one did.
    pub fn write_failure(&self) -> Option<io::Error> {
        self.failed.borrow_mut().take()
    }

    /// The command's result: `text` in text mode, `document` in JSON mode. A document is
    /// a typed struct, never a `serde_json` map: its keys come in the struct's order
    /// whether or not a build unifies serde_json's `preserve_order` feature (the tests'
    /// dev-dependencies do, `cargo install` does not).
    pub fn result(&self, document: &impl Serialize, text: impl FnOnce() -> String) {
        if self.json {
            self.document(document);
        } else {
            let mut text = text();
            if !text.is_empty() {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                self.stdout(text.as_bytes());
            }
        }
    }

    fn document(&self, document: &impl Serialize) {
        let mut doc = serde_json::to_string_pretty(document).expect("documents serialise");
        doc.push('\n');
        self.stdout(doc.as_bytes());
    }

    /// A progress or status line for people (stderr; silent with --quiet or --output json).
    pub fn status(&self, line: impl AsRef<str>) {
        if !self.quiet && !self.json {
            to_stderr(&format!("{}\n", escape_controls(line.as_ref(), true)));
        }
    }

    /// A warning: shown unless --quiet, also in JSON mode (on stderr, so stdout stays one document).
    pub fn warn(&self, line: impl AsRef<str>) {
        if !self.quiet {
            to_stderr(&format!(
                "warning: {}\n",
                escape_controls(line.as_ref(), true)
            ));
        }
    }

    /// A failure: its text on stderr and, in JSON mode, its document on stdout (unless
    /// the command printed its own).
    pub fn error(&self, failure: &Failure) {
        // Messages quote names and file text: control characters are shown, not obeyed.
        to_stderr(&escape_controls(&failure.text(), true));
        if self.json && !failure.reported {
            self.document(&failure.document());
        }
    }
}

/// How the runner's events are shown on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A live line with the current step and elapsed time (stderr is a terminal).
    Live,
    /// One line per finished step.
    Lines,
    Silent,
}

/// Renders the runner's events on stderr: the live line, a line per finished step, each
/// command with --verbose, warnings as [`Out::warn`] shows them.
pub struct StepLines<'a> {
    pub out: &'a Out,
    pub progress: Progress,
    pub verbose: bool,
}

impl Events for StepLines<'_> {
    fn event(&self, event: Event) {
        // `--output json --verbose`: every event as one JSON line on stderr (stdout keeps
        // the one document), for scripts that follow a run as it goes.
        if self.out.json {
            if self.verbose {
                if let Ok(line) = serde_json::to_string(&event) {
                    to_stderr(&format!("{line}\n"));
                }
            }
            return;
        }
        match event {
            Event::Command { command } if self.verbose => to_stderr(&format!("  $ {command}\n")),
            Event::Progress { label, elapsed } if self.progress == Progress::Live => {
                to_stderr(&format!("\r\x1b[2K{label} … {}s", elapsed.as_secs()));
            }
            Event::StepFinished(step) => {
                if self.progress == Progress::Live {
                    to_stderr("\r\x1b[2K");
                }
                if self.progress != Progress::Silent && step.status != Status::Failed {
                    let mark = if step.status == Status::Skipped {
                        "skip"
                    } else {
                        " ok "
                    };
                    to_stderr(&format!(
                        "{mark} {} ({:.1}s){}\n",
                        step.title,
                        step.seconds,
                        step.detail
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default()
                    ));
                }
            }
            Event::Warning { message } => self.out.warn(message),
            Event::StepStarted { .. } | Event::Command { .. } | Event::Progress { .. } => {}
        }
    }
}

/// A unified diff of a file's old and new text, as `--dry-run` shows it. Unless
/// `show_secrets`, secret values read `"<hidden>"`: the lines are compared as they are
/// (so a changed token still shows as a changed line) but printed with secrets hidden.
pub fn diff(path: &std::path::Path, before: &str, after: &str, show_secrets: bool) -> String {
    let name = path.display().to_string();
    let text_diff = similar::TextDiff::from_lines(before, after);
    if show_secrets {
        return text_diff
            .unified_diff()
            .context_radius(3)
            .header(&name, &format!("{name} (after)"))
            .to_string();
    }
    let hidden_before = crate::config::secrets::hide(before);
    let hidden_after = crate::config::secrets::hide(after);
    let old_lines: Vec<&str> = hidden_before.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = hidden_after.split_inclusive('\n').collect();
    let mut out = String::new();
    for group in text_diff.grouped_ops(3).iter().filter(|g| !g.is_empty()) {
        if out.is_empty() {
            out.push_str(&format!("--- {name}\n+++ {name} (after)\n"));
        }
        out.push_str(&format!(
            "{}\n",
            similar::udiff::UnifiedHunkHeader::new(group)
        ));
        for change in group.iter().flat_map(|op| text_diff.iter_changes(op)) {
            let line = match change.tag() {
                similar::ChangeTag::Insert => {
                    new_lines.get(change.new_index().unwrap_or(usize::MAX))
                }
                _ => old_lines.get(change.old_index().unwrap_or(usize::MAX)),
            }
            .copied()
            .unwrap_or("\n");
            out.push_str(&format!("{}{line}", change.tag()));
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}
