//! The runner's errors, typed. A kubectl run that exits non-zero is a [`ProcessError`]
//! (as cargo's: the argv, the exit code, stdout and stderr); hints are data beside the
//! message, joined to it only when the error is shown ([`StepError::text`]).

use std::fmt;
use std::path::PathBuf;

use super::kubectl::RunError;

/// A kubectl run that finished with a non-zero exit (or was ended by a signal).
#[derive(Debug, Clone)]
pub struct ProcessError {
    /// The whole command line, the program (`kubectl`) first.
    pub argv: Vec<String>,
    /// `None`: ended by a signal.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    /// kubectl's error output, trimmed.
    pub stderr: String,
    /// What to do next, read from kubectl's error output.
    pub hint: Option<String>,
}

impl ProcessError {
    /// The command as a POSIX shell would take it.
    pub fn command(&self) -> String {
        crate::shell::join(&self.argv)
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code.map_or("a signal".to_owned(), |c| c.to_string());
        let stderr = if self.stderr.is_empty() {
            "(no error output)"
        } else {
            &self.stderr
        };
        write!(f, "kubectl exited with {code}: {stderr}")
    }
}

impl std::error::Error for ProcessError {}

/// What the host (the CLI) could not do: store the token, keep job manifests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    pub message: String,
    pub hint: Option<String>,
}

impl HostError {
    pub fn new(message: impl Into<String>) -> Self {
        HostError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        HostError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HostError {}

/// Why a step failed.
#[derive(Debug)]
pub enum StepError {
    /// kubectl ran and exited non-zero.
    Process(Box<ProcessError>),
    /// kubectl could not run to its end: not started, timed out, given up, interrupted.
    Run(RunError),
    /// kubectl's output was not what the step reads (not JSON, not a Secret, …).
    Output(String),
    /// The cluster is not as the step needs it: a job missing or not re-created, a pod not
    /// re-created, a key missing, a revocation that did not take effect.
    Cluster {
        message: String,
        hint: Option<String>,
    },
    /// Waiting for a job failed (`source`); `status` is the job's condition then.
    Job {
        source: Box<StepError>,
        job: String,
        status: String,
        hint: String,
    },
    /// The host could not store or keep something.
    Host(HostError),
    /// A bug: a step ran before what it needs was found.
    Internal(String),
}

impl StepError {
    pub fn cluster(message: impl Into<String>) -> Self {
        StepError::Cluster {
            message: message.into(),
            hint: None,
        }
    }

    pub fn cluster_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        StepError::Cluster {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// A short, stable name for `--output json` (`kubectl-exit`, `kubectl-timeout`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            StepError::Process(_) => "kubectl-exit",
            StepError::Run(RunError::Spawn { .. }) => "kubectl-spawn",
            StepError::Run(RunError::TimedOut { .. }) => "kubectl-timeout",
            StepError::Run(RunError::GaveUp { .. }) => "gave-up",
            StepError::Run(RunError::Interrupted { .. }) => "interrupted",
            StepError::Run(RunError::Flooded { .. }) => "kubectl-output-too-large",
            StepError::Output(_) => "kubectl-output",
            StepError::Cluster { .. } => "cluster-state",
            StepError::Job { .. } => "job",
            StepError::Host(_) => "host",
            StepError::Internal(_) => "internal",
        }
    }

    /// What to do next, if anything is known.
    pub fn hint(&self) -> Option<String> {
        match self {
            StepError::Process(e) => e.hint.clone(),
            StepError::Run(e) => e.hint(),
            StepError::Cluster { hint, .. } => hint.clone(),
            StepError::Job { hint, .. } => Some(hint.clone()),
            StepError::Host(e) => e.hint.clone(),
            StepError::Output(_) | StepError::Internal(_) => None,
        }
    }

    /// kubectl's exit code, where kubectl exited non-zero.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            StepError::Process(e) => e.code,
            StepError::Job { source, .. } => source.exit_code(),
            _ => None,
        }
    }

    /// The kubectl run that failed, where one did.
    pub fn process(&self) -> Option<&ProcessError> {
        match self {
            StepError::Process(e) => Some(e),
            StepError::Job { source, .. } => source.process(),
            _ => None,
        }
    }

    /// The message and its hint, as people read them.
    pub fn text(&self) -> String {
        match self.hint() {
            Some(hint) => format!("{self}\n  hint: {hint}"),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Process(e) => e.fmt(f),
            StepError::Run(e) => e.fmt(f),
            StepError::Output(message)
            | StepError::Cluster { message, .. }
            | StepError::Internal(message) => f.write_str(message),
            StepError::Job {
                source,
                job,
                status,
                ..
            } => write!(f, "{}\n  job {job}: {status}", source.text()),
            StepError::Host(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StepError {}

impl From<ProcessError> for StepError {
    fn from(e: ProcessError) -> Self {
        StepError::Process(Box::new(e))
    }
}

impl From<RunError> for StepError {
    fn from(e: RunError) -> Self {
        StepError::Run(e)
    }
}

impl From<HostError> for StepError {
    fn from(e: HostError) -> Self {
        StepError::Host(e)
    }
}

/// kubectl could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindError {
    /// `--kubectl PATH` (or `$KUBECTL`) names no file.
    NotAt(PathBuf),
    /// `--kubectl NAME` is not on PATH.
    NotOnPath(PathBuf),
    /// No `kubectl` on PATH.
    Missing,
}

impl FindError {
    pub fn hint(&self) -> &'static str {
        match self {
            FindError::NotAt(_) | FindError::NotOnPath(_) => "check --kubectl or $KUBECTL",
            FindError::Missing => {
                "install kubectl (https://kubernetes.io/docs/tasks/tools/) or pass --kubectl PATH"
            }
        }
    }

    /// The message and its hint, as people read them.
    pub fn text(&self) -> String {
        format!("{self}\n  hint: {}", self.hint())
    }
}

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindError::NotAt(path) => write!(f, "kubectl not found at {}", path.display()),
            FindError::NotOnPath(name) => {
                write!(f, "`{}` was not found on PATH", name.display())
            }
            FindError::Missing => f.write_str("kubectl was not found on PATH"),
        }
    }
}

impl std::error::Error for FindError {}

/// kubectl's reply to `get secret … -o json` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    NotJson(String),
    NotASecret(String),
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::NotJson(e) => write!(f, "kubectl's output is not JSON: {e}"),
            SnapshotError::NotASecret(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for SnapshotError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit() -> ProcessError {
        ProcessError {
            argv: vec![
                "kubectl".into(),
                "get".into(),
                "secret".into(),
                "a b".into(),
            ],
            code: Some(1),
            stdout: Vec::new(),
            stderr: "Error from server (NotFound): secrets \"a b\" not found".into(),
            hint: Some("check the names".into()),
        }
    }

    #[test]
    fn a_kubectl_exit_keeps_argv_code_and_output_and_shows_its_hint_last() {
        let error = StepError::from(exit());
        assert_eq!(error.kind(), "kubectl-exit");
        assert_eq!(error.exit_code(), Some(1));
        assert_eq!(
            error.process().map(ProcessError::command).as_deref(),
            Some("kubectl get secret 'a b'")
        );
        assert_eq!(
            error.text(),
            "kubectl exited with 1: Error from server (NotFound): secrets \"a b\" not found\n  hint: check the names"
        );
        let signalled = ProcessError {
            code: None,
            stderr: String::new(),
            ..exit()
        };
        assert_eq!(
            signalled.to_string(),
            "kubectl exited with a signal: (no error output)"
        );
    }

    #[test]
    fn a_failed_job_wraps_the_wait_error_and_has_its_own_hint() {
        let error = StepError::Job {
            source: Box::new(StepError::from(exit())),
            job: "key-gen-001".into(),
            status: "Failed: BackoffLimitExceeded".into(),
            hint: "see why".into(),
        };
        assert_eq!(error.kind(), "job");
        assert_eq!(error.exit_code(), Some(1));
        assert_eq!(error.hint().as_deref(), Some("see why"));
        assert!(error.text().ends_with(
            "hint: check the names\n  job key-gen-001: Failed: BackoffLimitExceeded\n  hint: see why"
        ));
    }

    #[test]
    fn hints_are_data_and_text_joins_them() {
        let error = StepError::cluster_hint("no new key-gen job appeared", "use --method original");
        assert_eq!(error.to_string(), "no new key-gen job appeared");
        assert_eq!(
            error.text(),
            "no new key-gen job appeared\n  hint: use --method original"
        );
        assert_eq!(StepError::cluster("x").hint(), None);
        let missing = FindError::NotAt("/nonexistent/kubectl".into());
        assert_eq!(
            missing.text(),
            "kubectl not found at /nonexistent/kubectl\n  hint: check --kubectl or $KUBECTL"
        );
    }
}
