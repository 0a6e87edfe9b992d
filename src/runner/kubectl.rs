//! Running the real kubectl: found with `which` (or `--kubectl`, `$KUBECTL`), run with
//! duct and no shell, stdin closed unless a manifest is sent, output captured, bounded
//! in time. Secrets only ever travel on kubectl's stdout, never in its argv.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::procedure::shell_join;

#[derive(Debug, Clone)]
pub struct Kubectl {
    pub program: PathBuf,
}

/// What one kubectl run gave back.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// A kubectl run that could not complete.
#[derive(Debug)]
pub enum RunError {
    Spawn { program: PathBuf, error: std::io::Error },
    TimedOut { after: Duration },
    /// Stopped early: waiting longer could not succeed.
    GaveUp { reason: String },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Spawn { program, error } => write!(f, "could not run {}: {error}", program.display()),
            RunError::TimedOut { after } => write!(f, "kubectl did not finish within {}s and was stopped", after.as_secs()),
            RunError::GaveUp { reason } => write!(f, "stopped waiting: {reason}"),
        }
    }
}

impl Kubectl {
    /// `explicit` (from --kubectl or $KUBECTL), else `kubectl` on PATH.
    pub fn find(explicit: Option<&Path>) -> Result<Kubectl, String> {
        match explicit {
            Some(path) if path.components().count() > 1 => {
                if path.is_file() {
                    Ok(Kubectl { program: path.to_path_buf() })
                } else {
                    Err(format!("kubectl not found at {}\n  hint: check --kubectl or $KUBECTL", path.display()))
                }
            }
            Some(name) => which::which(name).map(|program| Kubectl { program }).map_err(|_| {
                format!("`{}` was not found on PATH\n  hint: check --kubectl or $KUBECTL", name.display())
            }),
            None => which::which("kubectl").map(|program| Kubectl { program }).map_err(|_| {
                "kubectl was not found on PATH\n  hint: install kubectl (https://kubernetes.io/docs/tasks/tools/) or pass --kubectl PATH".to_owned()
            }),
        }
    }

    /// Runs kubectl with `argv`, sending `stdin` if given, for at most `timeout`;
    /// `tick` is called about every 200 ms while it runs (progress display, and checks
    /// that can give up early: returning `Some(reason)` stops kubectl with that reason).
    pub fn run(
        &self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        timeout: Duration,
        mut tick: impl FnMut(Duration) -> Option<String>,
    ) -> Result<Output, RunError> {
        let mut expression = duct::cmd(&self.program, argv).stdout_capture().stderr_capture().unchecked();
        expression = match stdin {
            Some(bytes) => expression.stdin_bytes(bytes),
            None => expression.stdin_null(),
        };
        let started = Instant::now();
        let handle = expression
            .start()
            .map_err(|error| RunError::Spawn { program: self.program.clone(), error })?;
        let deadline = started + timeout;
        loop {
            let step = Duration::from_millis(200).min(deadline.saturating_duration_since(Instant::now()));
            match handle.wait_timeout(step) {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = handle.kill();
                    return Err(RunError::TimedOut { after: timeout });
                }
                Ok(None) => {
                    if let Some(reason) = tick(started.elapsed()) {
                        let _ = handle.kill();
                        return Err(RunError::GaveUp { reason });
                    }
                }
                Err(error) => return Err(RunError::Spawn { program: self.program.clone(), error }),
            }
        }
        let output = handle.into_output().map_err(|error| RunError::Spawn { program: self.program.clone(), error })?;
        Ok(Output {
            code: output.status.code(),
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            elapsed: started.elapsed(),
        })
    }

    pub fn display(&self, argv: &[String]) -> String {
        format!("kubectl {}", shell_join(argv))
    }
}

/// What to do next, read from kubectl's error output.
pub fn hint_for(stderr: &str, namespace: &str) -> Option<String> {
    let s = stderr.to_ascii_lowercase();
    if s.contains("forbidden") {
        Some(format!("your Kubernetes account lacks a permission in namespace {namespace}: check it with `kubectl auth can-i --list -n {namespace}` and ask for the RBAC role"))
    } else if s.contains("unauthorized") || s.contains("provide credentials") {
        Some("kubectl's credentials were rejected: log in again or check --kubeconfig/--context".into())
    } else if s.contains("namespaces") && s.contains("not found") {
        Some(format!("namespace {namespace} does not exist in this cluster: pass -n with the InfluxDB namespace (check --context too)"))
    } else if s.contains("not found") {
        Some(format!("an object is missing from namespace {namespace}: check -n, the names (--secret, --rsa-secret, --key-gen-job, …) and `influxctl-admin doctor`"))
    } else if s.contains("connection refused") || s.contains("unable to connect") || s.contains("eof") || s.contains("i/o timeout") || s.contains("no such host") || s.contains("connection reset") {
        Some("the Kubernetes API server could not be reached: check the cluster, --context and --kubeconfig, then run the command again".into())
    } else if s.contains("timed out waiting") {
        Some("the wait timed out: raise --timeout, or look at the object with `kubectl describe`".into())
    } else if s.contains("internalerror") || s.contains("internal error") || s.contains("503") || s.contains("service unavailable") {
        Some("the API server failed; run the command again (it continues from where the cluster is)".into())
    } else {
        None
    }
}
