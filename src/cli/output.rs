//! Where output goes: data (tables, TOML, JSON documents) to stdout, status and errors to
//! stderr, so that `influxctl-admin … > file` captures only the data.

use std::io::Write;

use serde_json::{json, Value};

use super::{Failure, FailureKind};
use crate::config::text::escape_controls;
use crate::runner::{Event, Events, Status};

pub struct Out {
    pub json: bool,
    pub quiet: bool,
}

impl Out {
    pub fn new(json: bool, quiet: bool) -> Self {
        Out { json, quiet }
    }

    /// The command's result: `text` in text mode, `document` in JSON mode.
    pub fn result(&self, document: Value, text: impl FnOnce() -> String) {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&document).expect("JSON values serialise")
            );
        } else {
            let text = text();
            if !text.is_empty() {
                let _ = write!(stdout, "{text}");
                if !text.ends_with('\n') {
                    let _ = writeln!(stdout);
                }
            }
        }
    }

    /// A progress or status line for people (stderr; silent with --quiet or --output json).
    pub fn status(&self, line: impl AsRef<str>) {
        if !self.quiet && !self.json {
            eprintln!("{}", escape_controls(line.as_ref(), true));
        }
    }

    /// A warning: shown unless --quiet, also in JSON mode (on stderr, so stdout stays one document).
    pub fn warn(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", escape_controls(line.as_ref(), true));
        }
    }

    pub fn error(&self, failure: &Failure) {
        // Messages quote names and file text: control characters are shown, not obeyed.
        eprintln!("error: {}", escape_controls(&failure.message, true));
        if self.json && !failure.reported {
            let kind = match failure.kind {
                FailureKind::Usage => "usage",
                FailureKind::Operation => "operation",
            };
            let mut error = json!({ "kind": kind, "message": failure.message });
            if let (Some(Value::Object(more)), Some(map)) =
                (failure.error.as_deref(), error.as_object_mut())
            {
                for (key, value) in more {
                    map.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
            let mut doc = json!({ "ok": false, "error": error });
            if let (Some(details), Some(map)) = (&failure.details, doc.as_object_mut()) {
                map.insert("details".into(), details.clone());
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("JSON values serialise")
            );
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
                    eprintln!("{line}");
                }
            }
            return;
        }
        match event {
            Event::Command { command } if self.verbose => eprintln!("  $ {command}"),
            Event::Progress { label, elapsed } if self.progress == Progress::Live => {
                eprint!("\r\x1b[2K{label} … {}s", elapsed.as_secs());
                let _ = std::io::stderr().flush();
            }
            Event::StepFinished(step) => {
                if self.progress == Progress::Live {
                    eprint!("\r\x1b[2K");
                }
                if self.progress != Progress::Silent && step.status != Status::Failed {
                    let mark = if step.status == Status::Skipped {
                        "skip"
                    } else {
                        " ok "
                    };
                    eprintln!(
                        "{mark} {} ({:.1}s){}",
                        step.title,
                        step.seconds,
                        step.detail
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default()
                    );
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
