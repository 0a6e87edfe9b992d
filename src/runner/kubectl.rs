//! Running the real kubectl: found with `which` (or `--kubectl`, `$KUBECTL`), run with
//! duct and no shell, stdin closed unless a manifest is sent, output captured, bounded
//! in time. Secrets only ever travel on kubectl's stdout, never in its argv.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::FindError;

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
    Spawn {
        program: PathBuf,
        error: std::io::Error,
    },
    /// Stopped at the timeout; `running` is what was still running in kubectl's process
    /// group then (kubectl, a credential plugin, …), all of it stopped.
    TimedOut {
        after: Duration,
        running: Vec<Process>,
    },
    /// Stopped early: waiting longer could not succeed.
    GaveUp { reason: String },
    /// Ctrl-C (or SIGTERM, SIGHUP) arrived while kubectl ran; its whole group was stopped.
    Interrupted { signal: i32, running: Vec<Process> },
    /// kubectl wrote more than `limit` bytes to `stream` (`stdout` or `stderr`); its whole
    /// group was stopped and what it wrote was dropped. `stderr` is the end of its stderr.
    Flooded {
        stream: &'static str,
        limit: usize,
        stderr: String,
    },
}

/// The most of kubectl's stdout that is read: a Secret is at most 1 MiB, and files and
/// stdin are capped at 4 MiB too.
pub const STDOUT_LIMIT: usize = 4 << 20;
/// The most of kubectl's stderr that is read; of it, only the last [`STDERR_TAIL`] bytes
/// are kept and shown.
pub const STDERR_LIMIT: usize = 1 << 20;
pub const STDERR_TAIL: usize = 4 << 10;

/// A process that was still running in kubectl's group when it was stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    /// The program's name (`/proc/PID/comm`), never its arguments (they may hold secrets).
    pub name: String,
}

impl RunError {
    /// The processes other than kubectl itself (the dispatcher's `kubectl.1.NN` included)
    /// that were still running: a credential plugin from the kubeconfig, usually.
    pub fn helpers(&self) -> Vec<&Process> {
        match self {
            RunError::TimedOut { running, .. } | RunError::Interrupted { running, .. } => running
                .iter()
                .filter(|p| !p.name.starts_with("kubectl"))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        let helpers = self.helpers();
        match self {
            RunError::Spawn { .. } => Some("check --kubectl".into()),
            RunError::TimedOut { .. } | RunError::Interrupted { .. } if !helpers.is_empty() => Some(format!(
                "kubectl was still waiting for {}: most likely the credential plugin (`exec:`) of the kubeconfig's user, which may be waiting for a login; \
                 run `kubectl get namespace` in a terminal with the same --kubeconfig/--context to log in, then run this command again",
                list(&helpers)
            )),
            RunError::TimedOut { .. } => Some("the API server may be slow or unreachable; raise --timeout or check the cluster".into()),
            RunError::Flooded { .. } => Some("kubectl (or what --kubectl or $KUBECTL runs) printed far more than any of its answers here can hold; run the same kubectl command by hand to see what it prints".into()),
            _ => None,
        }
    }
}

fn list(processes: &[&Process]) -> String {
    processes
        .iter()
        .map(|p| format!("{} (pid {})", p.name, p.pid))
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stopped = |running: &Vec<Process>| {
            if running.is_empty() {
                String::new()
            } else {
                format!(
                    "; still running then, and stopped: {}",
                    list(&running.iter().collect::<Vec<_>>())
                )
            }
        };
        match self {
            RunError::Spawn { program, error } => {
                write!(f, "could not run {}: {error}", program.display())
            }
            RunError::TimedOut { after, running } => write!(
                f,
                "kubectl did not finish within {}s and was stopped{}",
                after.as_secs(),
                stopped(running)
            ),
            RunError::GaveUp { reason } => write!(f, "stopped waiting: {reason}"),
            RunError::Flooded {
                stream,
                limit,
                stderr,
            } => {
                write!(
                    f,
                    "kubectl wrote more than {} MiB to its {stream} and was stopped; nothing was written",
                    limit >> 20
                )?;
                if !stderr.is_empty() {
                    write!(f, "; the end of its stderr: {stderr}")?;
                }
                Ok(())
            }
            RunError::Interrupted { signal, running } => write!(
                f,
                "interrupted by {}{}",
                signal_name(*signal),
                stopped(running)
            ),
        }
    }
}

fn signal_name(signal: i32) -> String {
    match signal {
        2 => "Ctrl-C (SIGINT)".into(),
        15 => "SIGTERM".into(),
        1 => "SIGHUP (the terminal closed)".into(),
        other => format!("signal {other}"),
    }
}

impl Kubectl {
    /// `explicit` (from --kubectl or $KUBECTL), else `kubectl` on PATH.
    pub fn find(explicit: Option<&Path>) -> Result<Kubectl, FindError> {
        match explicit {
            Some(path) if path.components().count() > 1 => {
                if path.is_file() {
                    Ok(Kubectl {
                        program: path.to_path_buf(),
                    })
                } else {
                    Err(FindError::NotAt(path.to_path_buf()))
                }
            }
            Some(name) => which::which(name)
                .map(|program| Kubectl { program })
                .map_err(|_| FindError::NotOnPath(name.to_path_buf())),
            None => which::which("kubectl")
                .map(|program| Kubectl { program })
                .map_err(|_| FindError::Missing),
        }
    }

    /// Runs kubectl with `argv`, sending `stdin` if given, for at most `timeout`;
    /// `tick` is called about every 200 ms while it runs (progress display, and checks
    /// that can give up early: returning `Some(reason)` stops kubectl with that reason).
    ///
    /// kubectl runs in a process group of its own, with everything it starts (a credential
    /// plugin, the dispatcher's real kubectl); a timeout, giving up, or Ctrl-C ends the
    /// whole group (SIGTERM, then SIGKILL), so nothing is left running under PID 1.
    pub fn run(
        &self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        timeout: Duration,
        mut tick: impl FnMut(Duration) -> Option<String>,
    ) -> Result<Output, RunError> {
        // Read through pipes of our own, so that what is read is bounded (a flooding
        // kubectl is stopped, not buffered into memory).
        let spawn_error = |error| RunError::Spawn {
            program: self.program.clone(),
            error,
        };
        let (stdout_reader, stdout_writer) = os_pipe::pipe().map_err(spawn_error)?;
        let (stderr_reader, stderr_writer) = os_pipe::pipe().map_err(spawn_error)?;
        let mut expression = duct::cmd(&self.program, argv)
            .stdout_file(stdout_writer)
            .stderr_file(stderr_writer)
            .unchecked();
        expression = match stdin {
            Some(bytes) => expression.stdin_bytes(bytes),
            None => expression.stdin_null(),
        };
        #[cfg(unix)]
        {
            expression = expression.before_spawn(|command| {
                std::os::unix::process::CommandExt::process_group(command, 0);
                Ok(())
            });
        }
        if let Some(signal) = group::interrupted() {
            return Err(RunError::Interrupted {
                signal,
                running: Vec::new(),
            });
        }
        let started = Instant::now();
        let mut group = group::starting();
        let handle = expression.start().map_err(|error| RunError::Spawn {
            program: self.program.clone(),
            error,
        })?;
        group.started(&handle);
        // Our copies of the pipes' write ends go, so the readers see the end of output.
        drop(expression);
        let flooded = Arc::new(AtomicBool::new(false));
        let stdout = read_capped(stdout_reader, STDOUT_LIMIT, None, &flooded);
        let stderr = read_capped(stderr_reader, STDERR_LIMIT, Some(STDERR_TAIL), &flooded);
        let deadline = super::execute::deadline_after(timeout);
        loop {
            if flooded.load(Ordering::SeqCst) {
                group.stop(&handle);
                let out = stdout.join().unwrap_or_default();
                let err = stderr.join().unwrap_or_default();
                let (stream, limit) = if out.over {
                    ("stdout", STDOUT_LIMIT)
                } else {
                    ("stderr", STDERR_LIMIT)
                };
                return Err(RunError::Flooded {
                    stream,
                    limit,
                    stderr: err.text(),
                });
            }
            if let Some(signal) = group::interrupted() {
                let running = group.stop(&handle);
                return Err(RunError::Interrupted { signal, running });
            }
            let step =
                Duration::from_millis(200).min(deadline.saturating_duration_since(Instant::now()));
            match handle.wait_timeout(step) {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() >= deadline => {
                    let running = group.stop(&handle);
                    return Err(RunError::TimedOut {
                        after: timeout,
                        running,
                    });
                }
                Ok(None) => {
                    if let Some(reason) = tick(started.elapsed()) {
                        group.stop(&handle);
                        return Err(RunError::GaveUp { reason });
                    }
                }
                Err(error) => {
                    group.stop(&handle);
                    return Err(RunError::Spawn {
                        program: self.program.clone(),
                        error,
                    });
                }
            }
        }
        // kubectl has exited by itself (on its own request timeout, say): what it started
        // in its group (a credential plugin waiting for a login) ends with it.
        group.end_leftovers();
        drop(group);
        let output = handle.into_output().map_err(spawn_error)?;
        let out = stdout.join().unwrap_or_default();
        let err = stderr.join().unwrap_or_default();
        if out.over || err.over {
            let (stream, limit) = if out.over {
                ("stdout", STDOUT_LIMIT)
            } else {
                ("stderr", STDERR_LIMIT)
            };
            return Err(RunError::Flooded {
                stream,
                limit,
                stderr: err.text(),
            });
        }
        Ok(Output {
            code: output.status.code(),
            stdout: out.bytes,
            stderr: err.text(),
            elapsed: started.elapsed(),
        })
    }

    pub fn display(&self, argv: &[String]) -> String {
        format!("kubectl {}", crate::shell::join(argv))
    }
}

/// What was read of one of kubectl's streams.
#[derive(Default)]
struct Capture {
    bytes: Vec<u8>,
    /// Some bytes were dropped from the front (only the tail is kept).
    cut: bool,
    /// More than the limit arrived: kubectl is to be stopped.
    over: bool,
}

impl Capture {
    /// The bytes as text, trimmed, with `…` where the front was cut.
    fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.bytes);
        let text = text.trim();
        if self.cut {
            // The cut may have split a character: drop what is left of it.
            format!("…{}", text.trim_start_matches('\u{fffd}'))
        } else {
            text.to_owned()
        }
    }
}

/// Reads `reader` on a thread of its own: at most `limit` bytes, keeping all of them or,
/// with `tail`, the last `tail`. Past `limit` it sets `flooded` and stops reading.
fn read_capped(
    mut reader: os_pipe::PipeReader,
    limit: usize,
    tail: Option<usize>,
    flooded: &Arc<AtomicBool>,
) -> std::thread::JoinHandle<Capture> {
    let flooded = Arc::clone(flooded);
    std::thread::spawn(move || {
        let mut capture = Capture::default();
        let mut total = 0usize;
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            total = total.saturating_add(n);
            if total > limit {
                capture.over = true;
                flooded.store(true, Ordering::SeqCst);
                break;
            }
            capture.bytes.extend_from_slice(&buf[..n]);
            if let Some(keep) = tail {
                if capture.bytes.len() > 2 * keep {
                    let drop = capture.bytes.len() - keep;
                    capture.bytes.drain(..drop);
                    capture.cut = true;
                }
            }
        }
        if let Some(keep) = tail {
            if capture.bytes.len() > keep {
                let drop = capture.bytes.len() - keep;
                capture.bytes.drain(..drop);
                capture.cut = true;
            }
        }
        capture
    })
}

/// What to do next, read from kubectl's error output.
pub fn hint_for(stderr: &str, namespace: &str) -> Option<String> {
    let s = stderr.to_ascii_lowercase();
    if s.contains("forbidden") {
        Some(format!("your Kubernetes account lacks a permission in namespace {namespace}: `{program} doctor -n {namespace}` lists which, and `{program} rbac -n {namespace}` prints the Role that grants them", program = crate::program::name()))
    } else if s.contains("unauthorized") || s.contains("provide credentials") {
        Some(
            "kubectl's credentials were rejected: log in again or check --kubeconfig/--context"
                .into(),
        )
    } else if s.contains("namespaces") && s.contains("not found") {
        Some(format!("namespace {namespace} does not exist in this cluster: pass -n with the InfluxDB namespace (check --context too)"))
    } else if s.contains("not found") {
        Some(format!("an object is missing from namespace {namespace}: check -n, the names (--secret, --rsa-secret, --key-gen-job, …) and `{} doctor`", crate::program::name()))
    } else if s.contains("connection refused")
        || s.contains("unable to connect")
        || s.contains("eof")
        || s.contains("i/o timeout")
        || s.contains("no such host")
        || s.contains("connection reset")
    {
        Some("the Kubernetes API server could not be reached: check the cluster, --context and --kubeconfig, then run the command again".into())
    } else if s.contains("timed out waiting") {
        Some(
            "the wait timed out: raise --timeout, or look at the object with `kubectl describe`"
                .into(),
        )
    } else if s.contains("internalerror")
        || s.contains("internal error")
        || s.contains("503")
        || s.contains("service unavailable")
    {
        Some(
            "the API server failed; run the command again (it continues from where the cluster is)"
                .into(),
        )
    } else {
        None
    }
}

/// The signal (Ctrl-C, SIGTERM, SIGHUP) that stopped a kubectl run, if one did: the CLI
/// reports the failure, then ends itself with the same signal, as a shell expects.
pub fn interrupted_by() -> Option<i32> {
    group::interrupted()
}

/// Ends the process with `signal` as its default action would (no return if it is fatal).
pub fn die_of(signal: i32) {
    group::die_of(signal);
}

/// kubectl's process group: started, watched for signals, and ended as a whole.
#[cfg(unix)]
mod group {
    use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
    use std::sync::Once;
    use std::time::{Duration, Instant};

    use super::Process;

    /// How many kubectl runs are under way (a wait's progress check runs one inside another).
    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    /// The signal that arrived while kubectl ran (0: none).
    static SIGNAL: AtomicI32 = AtomicI32::new(0);
    static INSTALL: Once = Once::new();

    /// Only async-signal-safe calls: atomics, signal, raise. While kubectl runs, its run
    /// loop sees the signal within 200 ms and ends kubectl's group (which is not the
    /// terminal's, so the signal reaches it only that way).
    extern "C" fn on_signal(signal: libc::c_int) {
        SIGNAL.store(signal, Ordering::SeqCst);
        if RUNNING.load(Ordering::SeqCst) == 0 {
            // Nothing of ours is running: die as the signal means, as before.
            die_of(signal);
        }
    }

    pub fn die_of(signal: i32) {
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    pub fn interrupted() -> Option<i32> {
        Some(SIGNAL.load(Ordering::SeqCst)).filter(|s| *s != 0)
    }

    /// One kubectl run: counted from before its spawn until dropped.
    pub struct Group(i32);

    pub fn starting() -> Group {
        INSTALL.call_once(|| {
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction =
                        on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                    action.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    libc::sigaction(signal, &action, std::ptr::null_mut());
                }
            }
        });
        RUNNING.fetch_add(1, Ordering::SeqCst);
        Group(0)
    }

    impl Drop for Group {
        fn drop(&mut self) {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
        }
    }

    impl Group {
        pub fn started(&mut self, handle: &duct::Handle) {
            // process_group(0): the group's id is kubectl's pid.
            self.0 = handle
                .pids()
                .first()
                .map_or(0, |p| i32::try_from(*p).unwrap_or(0));
        }

        /// Ends the whole group: SIGTERM, up to 2 s to go, then SIGKILL. Returns what was
        /// running when it was asked to stop.
        pub fn stop(&self, handle: &duct::Handle) -> Vec<Process> {
            let running = members(self.0);
            if self.0 > 0 {
                unsafe { libc::kill(-self.0, libc::SIGTERM) };
                if !self.gone_within(handle, Duration::from_secs(2)) {
                    unsafe { libc::kill(-self.0, libc::SIGKILL) };
                    self.gone_within(handle, Duration::from_secs(2));
                }
            } else {
                let _ = handle.kill();
            }
            running
        }

        /// After kubectl has exited: ends what is left of its group (SIGTERM, up to 2 s,
        /// then SIGKILL). Only while members are left, so the group's id is still theirs.
        pub fn end_leftovers(&self) {
            for signal in [libc::SIGTERM, libc::SIGKILL] {
                if members(self.0).is_empty() {
                    return;
                }
                unsafe { libc::kill(-self.0, signal) };
                let deadline = Instant::now() + Duration::from_secs(2);
                while Instant::now() < deadline && !members(self.0).is_empty() {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }

        /// Waits until kubectl has exited (and is reaped) and nothing of its group runs.
        fn gone_within(&self, handle: &duct::Handle, limit: Duration) -> bool {
            let deadline = Instant::now() + limit;
            loop {
                let reaped = !matches!(handle.try_wait(), Ok(None));
                if reaped && members(self.0).is_empty() {
                    return true;
                }
                if Instant::now() >= deadline {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// The live (not zombie) processes of process group `group`.
    fn members(group: i32) -> Vec<Process> {
        if group <= 0 {
            return Vec::new();
        }
        let Ok(dir) = std::fs::read_dir("/proc") else {
            // No /proc (macOS): whether anything is left is all that can be told.
            let alive = unsafe { libc::kill(-group, 0) } == 0;
            return if alive {
                vec![Process {
                    pid: group.unsigned_abs(),
                    name: "kubectl's process group".into(),
                }]
            } else {
                Vec::new()
            };
        };
        let mut found: Vec<Process> = dir
            .filter_map(|entry| {
                let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses.
                let (head, rest) = stat.rsplit_once(") ")?;
                let name = head.split_once(" (")?.1.to_owned();
                let mut fields = rest.split(' ');
                let state = fields.next()?;
                let pgrp: i32 = fields.nth(1)?.parse().ok()?;
                (pgrp == group && state != "Z" && state != "X").then_some(Process { pid, name })
            })
            .collect();
        found.sort_by_key(|p| p.pid);
        found
    }
}

#[cfg(not(unix))]
mod group {
    use super::Process;

    pub fn interrupted() -> Option<i32> {
        None
    }

    pub fn die_of(_signal: i32) {}

    pub struct Group;

    pub fn starting() -> Group {
        Group
    }

    impl Group {
        pub fn started(&mut self, _handle: &duct::Handle) {}

        pub fn end_leftovers(&self) {}

        pub fn stop(&self, handle: &duct::Handle) -> Vec<Process> {
            let _ = handle.kill();
            Vec::new()
        }
    }
}
