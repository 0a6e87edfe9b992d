//! Why a command failed, as data: what happened (`message`), what to do next (`hints`),
//! a machine-readable `cause` with its facts, and what ran before (`details`). One
//! renderer each for people ([`Failure::text`]) and for `--output json`
//! ([`Failure::document`]); commands never format `hint:` lines themselves.

use std::fmt;
use std::process::ExitCode;

use serde::Serialize;

use super::rbac_cmd::Checked;
use crate::diagnostic::{Diagnostic, Hint};
use crate::runner::verify::Verification;
use crate::runner::StepReport;

#[derive(Debug)]
pub struct Failure {
    pub kind: FailureKind,
    /// What happened, to what (may span lines: a failed step's report).
    pub message: String,
    /// What to do next, one line each.
    pub hints: Vec<String>,
    /// For `--output json`: the `error` object's `cause` and its facts.
    /// (Boxed, as `details`: a `Result<_, Failure>` stays small on the happy path.)
    pub cause: Option<Box<Cause>>,
    /// For `--output json`: what the command did before it failed.
    pub details: Option<Box<Details>>,
    /// The command already printed its JSON document (with `"ok": false`).
    pub reported: bool,
}

/// Its exit code: 2 for usage and input errors, 1 for a failed operation (kubectl, files,
/// cluster state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureKind {
    Usage,
    Operation,
}

/// What scripts match on: `error.cause` and the facts beside it.
#[derive(Debug, Serialize)]
#[serde(tag = "cause", rename_all = "kebab-case")]
pub enum Cause {
    /// kubectl is neither where --kubectl or $KUBECTL say nor on PATH.
    KubectlNotFound,
    /// The cluster refused the access review the preflight asks.
    PreflightRefused {
        command: String,
        exit_code: Option<i32>,
    },
    /// The access review did not finish (a timeout, a login waiting).
    PreflightUnfinished {
        command: String,
        exit_code: Option<i32>,
    },
    /// Permissions the procedure needs are not granted; `fix` prints the Role.
    PermissionDenied { missing: Vec<Checked>, fix: String },
    /// A step of a procedure failed; its cause is the runner's (`kubectl-exit`, …).
    #[serde(untagged)]
    Step(Box<StepCause>),
}

/// A failed step, as `error` reports it.
#[derive(Debug, Serialize)]
pub struct StepCause {
    pub cause: &'static str,
    pub step: usize,
    pub title: String,
    pub command: Option<String>,
    pub exit_code: Option<i32>,
    pub stderr: Option<String>,
    /// The step error's own hint (the message, a whole report, already shows it).
    pub hint: Option<String>,
}

/// What ran before the failure, beside `error` in the document.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Details {
    Run {
        steps: Vec<StepReport>,
        verification: Option<Verification>,
    },
    Preflight {
        preflight: Vec<Checked>,
    },
}

impl Failure {
    fn new(kind: FailureKind, message: impl fmt::Display) -> Self {
        Failure {
            kind,
            message: message.to_string(),
            hints: Vec::new(),
            cause: None,
            details: None,
            reported: false,
        }
    }

    pub fn usage(message: impl fmt::Display) -> Self {
        Failure::new(FailureKind::Usage, message)
    }

    pub fn operation(message: impl fmt::Display) -> Self {
        Failure::new(FailureKind::Operation, message)
    }

    /// A core error as a failure: its message, and its hints in the CLI's words.
    pub fn diagnostic(kind: FailureKind, err: &impl Diagnostic) -> Self {
        Failure {
            hints: err.hints().iter().map(cli_hint).collect(),
            ..Failure::new(kind, err)
        }
    }

    /// The hints as one line (`; ` between them), for places that hold one.
    pub fn hint_line(&self) -> Option<String> {
        (!self.hints.is_empty()).then(|| self.hints.join("; "))
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn cause(mut self, cause: Cause) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    pub fn details(mut self, details: Details) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// Marks a failure whose JSON document the command has printed itself.
    pub fn reported(mut self) -> Self {
        self.reported = true;
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            FailureKind::Usage => ExitCode::from(2),
            FailureKind::Operation => ExitCode::from(1),
        }
    }

    /// As people read it: `error: MESSAGE`, then a `  hint: …` line per hint.
    pub fn text(&self) -> String {
        let mut text = format!("error: {}\n", self.message);
        for hint in &self.hints {
            text.push_str(&format!("  hint: {hint}\n"));
        }
        text
    }

    /// The document `--output json` prints: `{"ok": false, "error": {…}, "details": …}`.
    pub fn document(&self) -> impl Serialize + '_ {
        // A step's cause carries its own `hint`: a second one would repeat the key.
        debug_assert!(
            self.hints.is_empty() || !matches!(self.cause.as_deref(), Some(Cause::Step(_))),
            "a step failure's hint belongs to its cause"
        );
        Document {
            ok: false,
            error: ErrorObject {
                kind: self.kind,
                message: &self.message,
                cause: self.cause.as_deref(),
                hint: self.hint_line(),
            },
            details: self.details.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    ok: bool,
    error: ErrorObject<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a Details>,
}

#[derive(Serialize)]
struct ErrorObject<'a> {
    kind: FailureKind,
    message: &'a str,
    #[serde(flatten)]
    cause: Option<&'a Cause>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

/// A hint in the CLI's words: a remedy is the command that applies it.
fn cli_hint(hint: &Hint) -> String {
    match hint {
        Hint::AddProfile { name } => format!(
            "the file has no named profiles; create one with `profile add {name} --product clustered --host HOST`"
        ),
        Hint::ChangeProfile { name } => {
            format!("change it with `profile set {name} KEY VALUE`, or pick another name")
        }
        Hint::RemoveKey { key } => format!("remove it with `profile unset PROFILE {key}`"),
        Hint::ClearKey { key } => format!("fix or remove it first (`profile unset PROFILE {key}`)"),
        Hint::FixByHand => {
            "fix the file by hand (`config lint` shows where); nothing was changed".to_owned()
        }
        Hint::ProvideFields { fields } => {
            let flags: Vec<String> = fields
                .iter()
                .map(|k| format!("--{}", k.replace('_', "-")))
                .collect();
            format!("pass {}", flags.join(" and "))
        }
        Hint::ChooseKey => "choose one with --key".to_owned(),
        Hint::Utf8 => "pipe kubectl's output in directly, or save it with `| Out-File -Encoding utf8 FILE`".to_owned(),
        Hint::DidYouMean { .. }
        | Hint::Profiles { .. }
        | Hint::ValidKeys { .. }
        | Hint::SecretKeys { .. }
        | Hint::KubectlYaml => hint.text(),
    }
}

impl From<crate::config::EditError> for Failure {
    fn from(err: crate::config::EditError) -> Self {
        let kind = match err {
            crate::config::EditError::Internal { .. } => FailureKind::Operation,
            _ => FailureKind::Usage,
        };
        Failure::diagnostic(kind, &err)
    }
}

impl From<crate::secret::SecretError> for Failure {
    fn from(err: crate::secret::SecretError) -> Self {
        Failure::diagnostic(FailureKind::Usage, &err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(failure: &Failure) -> String {
        serde_json::to_string(&failure.document()).unwrap()
    }

    #[test]
    fn text_puts_each_hint_on_its_line() {
        let failure = Failure::usage("no such thing")
            .hint("try this")
            .hint("or that");
        assert_eq!(
            failure.text(),
            "error: no such thing\n  hint: try this\n  hint: or that\n"
        );
    }

    #[test]
    fn the_document_keeps_its_key_order_and_hints_as_a_field() {
        let failure = Failure::operation("kubectl is missing")
            .hint("install it")
            .cause(Cause::KubectlNotFound);
        assert_eq!(
            json(&failure),
            r#"{"ok":false,"error":{"kind":"operation","message":"kubectl is missing","cause":"kubectl-not-found","hint":"install it"}}"#
        );
        let plain = Failure::usage("bad");
        assert_eq!(
            json(&plain),
            r#"{"ok":false,"error":{"kind":"usage","message":"bad"}}"#
        );
    }

    #[test]
    fn core_hints_are_worded_as_the_cli_commands_that_apply_them() {
        let ambiguous = crate::secret::SecretError::AmbiguousKey {
            available: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            Failure::from(ambiguous).text(),
            "error: the secret has several keys (a, b)\n  hint: choose one with --key\n"
        );
        let removed = crate::config::EditError::RemovedKey {
            key: "auth.oauth2.client_secret".into(),
            version: "2.9.8",
        };
        let failure = Failure::from(removed);
        assert_eq!(failure.kind, FailureKind::Usage);
        assert_eq!(
            failure.hints,
            ["remove it with `profile unset PROFILE auth.oauth2.client_secret`"]
        );
    }

    #[test]
    fn a_step_cause_names_the_runners_cause() {
        let failure =
            Failure::operation("step 2 of 3 failed").cause(Cause::Step(Box::new(StepCause {
                cause: "kubectl-exit",
                step: 2,
                title: "Delete".into(),
                command: Some("kubectl delete".into()),
                exit_code: Some(1),
                stderr: None,
                hint: None,
            })));
        assert_eq!(
            json(&failure),
            r#"{"ok":false,"error":{"kind":"operation","message":"step 2 of 3 failed","cause":"kubectl-exit","step":2,"title":"Delete","command":"kubectl delete","exit_code":1,"stderr":null,"hint":null}}"#
        );
    }
}
