//! Where output goes: data (tables, TOML, JSON documents) to stdout, status and errors to
//! stderr, so that `influxctl-admin … > file` captures only the data.

use std::io::Write;

use serde_json::{json, Value};

use super::{Failure, FailureKind};

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
            let _ = writeln!(stdout, "{}", serde_json::to_string_pretty(&document).expect("JSON values serialise"));
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
            eprintln!("{}", line.as_ref());
        }
    }

    /// A warning: shown unless --quiet, also in JSON mode (on stderr, so stdout stays one document).
    pub fn warn(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", line.as_ref());
        }
    }

    pub fn error(&self, failure: &Failure) {
        eprintln!("error: {}", failure.message);
        if self.json && !failure.reported {
            let kind = match failure.kind {
                FailureKind::Usage => "usage",
                FailureKind::Operation => "operation",
            };
            let mut doc = json!({ "ok": false, "error": { "kind": kind, "message": failure.message } });
            if let (Some(details), Some(map)) = (&failure.details, doc.as_object_mut()) {
                map.insert("details".into(), details.clone());
            }
            println!("{}", serde_json::to_string_pretty(&doc).expect("JSON values serialise"));
        }
    }
}

/// A unified diff of a file's old and new text, as `--dry-run` shows it.
pub fn diff(path: &std::path::Path, before: &str, after: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&name, &format!("{name} (after)"))
        .to_string()
}
