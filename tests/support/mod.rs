//! The one way the CLI tests set up and run `influxctl-admin` (in the style of `just`'s
//! test builder): a temporary directory (the working directory and, without a cluster,
//! `HOME`), an optional config file, an optional test cluster (its `HOME` and
//! `--kubeconfig`), the arguments, and what to expect: stdout, stderr, exit status and the
//! files afterwards.
//!
//! ```ignore
//! let env = Env::new();
//! env.write_config(TEXT, 0o600);
//! env.cli()
//!     .config()
//!     .args(["profile", "list"])
//!     .stdout("  NAME ...\n")
//!     .stderr("")
//!     .status(0)
//!     .file("config.toml", TEXT)
//!     .run();
//! ```
//!
//! Expected texts are compared after [`Env::normalise`]: the temporary directory reads
//! `[ROOT]`, the config's path `[CONFIG]`, the cluster's `HOME` `[HOME]` and its port `[PORT]`.
//! `SNAPSHOTS=overwrite` makes [`Cli::snapshot`] rewrite its file from what the binary
//! printed (read every change before committing it).
#![allow(dead_code)] // each test binary uses its own part of this module

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use influxctl_admin_testcluster::backend::{Backend, Kind};
use influxctl_admin_testcluster::{Options, TestCluster};

/// Guards against a hang (a FIFO opened for reading blocks forever); not a timing check.
pub const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(60);

/// The binary, with none of the caller's `INFLUXCTL_PROFILE`, `KUBECONFIG` or `KUBECTL`
/// (for tests that set up `HOME` and the cluster themselves; else [`Env::command`]).
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("influxctl-admin").unwrap();
    cmd.env_remove("KUBECONFIG")
        .env_remove("KUBECTL")
        .env_remove("INFLUXCTL_PROFILE");
    cmd
}

/// The binary's path, for tests that run it as a std process (signals, FIFOs).
pub fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("influxctl-admin")
}

pub fn stdout_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

pub fn stderr_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// The JWT in a token file (`{"access_token": …}`).
pub fn jwt_of(token_file: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(token_file).unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// Names in `dir` that a write must not leave behind.
pub fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".lock"))
        .collect()
}

/// One test's world: a temporary directory and, if asked for, a test cluster.
pub struct Env {
    _temp: tempfile::TempDir,
    root: PathBuf,
    cluster: Option<Backend>,
    hang_guard: Option<std::time::Duration>,
}

impl Env {
    /// A temporary directory, with no cluster: `HOME` is the directory itself.
    pub fn new() -> Env {
        let temp = tempfile::tempdir().unwrap();
        // Canonical, so that the paths the binary prints are the ones we replace.
        let root = temp.path().canonicalize().unwrap();
        Env {
            _temp: temp,
            root,
            cluster: None,
            hang_guard: None,
        }
    }

    /// A temporary directory and a test cluster started with `options`: `HOME` is the
    /// cluster's (so kubectl's discovery cache is this test's own), and every command gets
    /// `--kubeconfig` for it.
    pub fn with_cluster(options: Options) -> Env {
        Env::on(TestCluster::start(options))
    }

    /// As [`Env::with_cluster`], with a cluster the test started itself.
    pub fn on(cluster: TestCluster) -> Env {
        Env::on_backend(Backend::TestCluster(cluster))
    }

    /// As [`Env::with_cluster`], on either cluster: `None` when the real control plane is
    /// not running outside CI (the fixture has said that it skipped).
    pub fn with_backend(kind: Kind, options: Options) -> Option<Env> {
        Backend::start(kind, options).map(Env::on_backend)
    }

    pub fn on_backend(backend: Backend) -> Env {
        let mut env = Env::new();
        env.cluster = Some(backend);
        env
    }

    /// Every command is killed after `limit` (a guard against a hang, not a timing check);
    /// a command so ended has exit code -1 in its [`Run`].
    pub fn hang_guard(mut self, limit: std::time::Duration) -> Env {
        self.hang_guard = Some(limit);
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Writes `ROOT/NAME`; returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, contents).unwrap();
        path
    }

    /// Where the config file is (it need not exist): `ROOT/config.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.path("config.toml")
    }

    /// Writes the config file with `text` and mode `mode`; returns its path.
    pub fn write_config(&self, text: &str, mode: u32) -> PathBuf {
        let path = self.config_path();
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    pub fn token_file(&self) -> PathBuf {
        self.path("token.json")
    }

    /// `token create --yes --host h --token-file TOKEN_FILE` with this env's config: it
    /// must succeed.
    pub fn create_token(&self) -> Run {
        self.cli()
            .config()
            .args(["token", "create", "--yes", "--host", "h", "--token-file"])
            .arg(self.token_file())
            .status(0)
            .run()
    }

    /// The in-process test cluster (panics when the test started none, or runs on the
    /// real control plane).
    pub fn cluster(&self) -> &TestCluster {
        self.backend()
            .test_cluster()
            .expect("this test runs on the real control plane: use Env::backend")
    }

    /// The cluster this test runs on, whichever it is.
    pub fn backend(&self) -> &Backend {
        self.cluster
            .as_ref()
            .expect("this test started no cluster (Env::with_cluster)")
    }

    /// The `HOME` the binary runs with.
    pub fn home(&self) -> PathBuf {
        match &self.cluster {
            Some(cluster) => cluster.home_dir(),
            None => self.root.clone(),
        }
    }

    /// The binary with this test's `HOME` and working directory, and none of the caller's
    /// `INFLUXCTL_PROFILE`, `XDG_CONFIG_HOME`, `KUBECONFIG` or `KUBECTL`.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("influxctl-admin").unwrap();
        cmd.current_dir(&self.root)
            .env("HOME", self.home())
            .env_remove("INFLUXCTL_PROFILE")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("KUBECONFIG")
            .env_remove("KUBECTL");
        if let Some(limit) = self.hang_guard {
            cmd.timeout(limit);
        }
        cmd
    }

    /// A command to build: arguments, then expectations, then [`Cli::run`].
    pub fn cli(&self) -> Cli<'_> {
        Cli {
            env: self,
            config: None,
            args: Vec::new(),
            envs: Vec::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            status: None,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            files: Vec::new(),
            snapshot: None,
        }
    }

    /// `text` with this run's varying values replaced by placeholders.
    pub fn normalise(&self, text: &str) -> String {
        let mut text = text.replace(&self.config_path().display().to_string(), "[CONFIG]");
        if let Some(cluster) = &self.cluster {
            text = text.replace(&cluster.home_dir().display().to_string(), "[HOME]");
            if let Some(c) = cluster.test_cluster() {
                text = text.replace(&format!(":{}", c.port()), ":[PORT]");
            }
        }
        text.replace(&self.root.display().to_string(), "[ROOT]")
    }

    /// No temporary file or lock left in the directory ([`leftovers`]).
    pub fn assert_no_leftovers(&self) {
        let left = leftovers(&self.root);
        assert!(
            left.is_empty(),
            "temporary files or locks left behind: {left:?}"
        );
    }

    /// `influxctl-admin ARGS`, nothing expected: `self.cli().args(args).run()`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.cli().args(args).run()
    }

    /// `influxctl-admin --config CONFIG ARGS`, nothing expected.
    pub fn with_config(&self, config: &Path, args: &[&str]) -> Run {
        self.cli().config_at(config).args(args).run()
    }

    // ------------------------------------------------------------ the cluster's state

    /// The admin Secret's token key (`admin-token`'s `token` unless the cluster's names
    /// differ): the token file's bytes.
    pub fn admin_token(&self) -> Vec<u8> {
        let names = self.backend().names();
        self.backend()
            .secret(&names.admin_secret)
            .expect("the admin secret exists")[&names.token_key]
            .clone()
    }

    /// The signing-keys Secret's (`rsa-keys`) public key.
    pub fn public_pem(&self) -> String {
        let names = self.backend().names();
        String::from_utf8(
            self.backend()
                .secret(&names.rsa_secret)
                .expect("the signing keys exist")["public.pem"]
                .clone(),
        )
        .unwrap()
    }

    /// The names of the token-management pods (by the cluster's own selector).
    pub fn token_pods(&self) -> Vec<String> {
        let cluster = self.backend();
        cluster.pod_names_selected(&cluster.names().pod_selector())
    }

    /// The names of the jobs called `PREFIX-…`.
    pub fn job_names(&self, prefix: &str) -> Vec<String> {
        self.backend()
            .jobs()
            .iter()
            .filter_map(|j| j["metadata"]["name"].as_str())
            .filter(|n| n.starts_with(&format!("{prefix}-")))
            .map(str::to_owned)
            .collect()
    }

    /// How many kubectl processes ran: the dispatcher asks `/version` once per process.
    pub fn kubectl_processes(&self) -> usize {
        self.cluster()
            .requests()
            .iter()
            .filter(|r| {
                r.path == "/version"
                    && r.user_agent
                        .as_deref()
                        .is_some_and(|ua| ua.contains("dispatcher"))
            })
            .count()
    }

    /// Every request that changed the cluster, as `METHOD PATH`.
    pub fn mutating_requests(&self) -> Vec<String> {
        self.cluster()
            .requests()
            .iter()
            .filter(|r| {
                matches!(r.method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE")
                    && !r.path.contains("selfsubjectaccessreviews")
            })
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }
}

/// What a command did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A command being built; see the module's documentation.
#[must_use = "a Cli does nothing until .run() or .assert()"]
pub struct Cli<'a> {
    env: &'a Env,
    config: Option<PathBuf>,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
    stdout: Option<String>,
    stderr: Option<String>,
    status: Option<i32>,
    /// Texts the normalised stdout and stderr must contain.
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
    snapshot: Option<PathBuf>,
}

impl Cli<'_> {
    /// `--config ROOT/config.toml` before the arguments.
    pub fn config(mut self) -> Self {
        self.config = Some(self.env.config_path());
        self
    }

    /// `--config PATH` before the arguments (relative to the root, or absolute).
    pub fn config_at(mut self, path: impl AsRef<Path>) -> Self {
        self.config = Some(self.env.root.join(path));
        self
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.args
            .push(arg.as_ref().to_str().expect("UTF-8 argument").to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.envs
            .push((key.to_owned(), value.as_ref().to_str().unwrap().to_owned()));
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Expected stdout, exactly (after normalising).
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.to_owned());
        self
    }

    /// Expected stderr, exactly (after normalising).
    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = Some(text.to_owned());
        self
    }

    /// Expected exit code.
    pub fn status(mut self, code: i32) -> Self {
        self.status = Some(code);
        self
    }

    /// A file (relative to the root, or absolute) must hold exactly `contents` afterwards.
    pub fn file(mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> Self {
        self.files
            .push((self.env.root.join(path), Some(contents.into())));
        self
    }

    /// A file must not exist afterwards.
    pub fn no_file(mut self, path: impl AsRef<Path>) -> Self {
        self.files.push((self.env.root.join(path), None));
        self
    }

    /// A file must be afterwards exactly as it is now (or still absent).
    pub fn unchanged(mut self, path: impl AsRef<Path>) -> Self {
        let path = self.env.root.join(path);
        let now = read_if_exists(&path);
        self.files.push((path, now));
        self
    }

    /// The normalised stdout must contain `text` (as often as called, each text).
    pub fn stdout_contains(mut self, text: &str) -> Self {
        self.stdout_has.push(text.to_owned());
        self
    }

    /// The normalised stderr must contain `text` (as often as called, each text).
    pub fn stderr_contains(mut self, text: &str) -> Self {
        self.stderr_has.push(text.to_owned());
        self
    }

    /// The normalised stdout must equal the file `tests/snapshots/NAME` (with
    /// `SNAPSHOTS=overwrite`, the file is rewritten instead).
    pub fn snapshot(mut self, name: &str) -> Self {
        self.snapshot = Some(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/snapshots")
                .join(name),
        );
        self
    }

    fn command(&self) -> Command {
        let mut cmd = self.env.command();
        if let Some(config) = &self.config {
            cmd.arg("--config").arg(config);
        }
        cmd.args(&self.args);
        if let Some(cluster) = &self.env.cluster {
            cmd.arg("--kubeconfig").arg(cluster.kubeconfig_path());
            // Every test has a namespace of its own on the shared control plane.
            let named = self
                .args
                .iter()
                .any(|a| a == "-n" || a == "--namespace" || a.starts_with("--namespace="));
            if cluster.kind() == Kind::ControlPlane && !named {
                cmd.arg("--namespace").arg(cluster.namespace());
            }
        }
        for (key, value) in &self.envs {
            cmd.env(key, value);
        }
        if let Some(stdin) = &self.stdin {
            cmd.write_stdin(stdin.clone());
        }
        cmd
    }

    /// Runs the command without checking anything: for tests that use `assert_cmd`'s
    /// assertions.
    pub fn assert(self) -> assert_cmd::assert::Assert {
        assert!(
            self.stdout.is_none()
                && self.stderr.is_none()
                && self.status.is_none()
                && self.stdout_has.is_empty()
                && self.stderr_has.is_empty()
                && self.files.is_empty()
                && self.snapshot.is_none(),
            "expectations are checked by .run(), not .assert()"
        );
        self.command().assert()
    }

    /// Runs the command and checks every expectation; returns what it did (not normalised).
    pub fn run(self) -> Run {
        let out = self.command().output().unwrap();
        let run = Run {
            code: match out.status.code() {
                Some(code) => code,
                None if self.env.hang_guard.is_some() => -1,
                None => panic!("the binary was ended by a signal: {out:?}"),
            },
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let env = self.env;
        let line = self.args.join(" ");
        if let Some(code) = self.status {
            assert_eq!(run.code, code, "exit status of `{line}`: {run:?}");
        }
        if let Some(expected) = &self.stdout {
            assert_eq!(
                &env.normalise(&run.stdout),
                expected,
                "stdout of `{line}`: {run:?}"
            );
        }
        if let Some(expected) = &self.stderr {
            assert_eq!(
                &env.normalise(&run.stderr),
                expected,
                "stderr of `{line}`: {run:?}"
            );
        }
        for (name, has, text) in [
            ("stdout", &self.stdout_has, &run.stdout),
            ("stderr", &self.stderr_has, &run.stderr),
        ] {
            let text = env.normalise(text);
            for part in has {
                assert!(
                    text.contains(part.as_str()),
                    "{name} of `{line}` lacks {part:?}: {run:?}"
                );
            }
        }
        for (path, expected) in &self.files {
            let actual = read_if_exists(path);
            assert_eq!(
                actual.as_deref().map(String::from_utf8_lossy),
                expected.as_deref().map(String::from_utf8_lossy),
                "{} after `{line}`",
                path.display()
            );
        }
        if let Some(snapshot) = &self.snapshot {
            let actual = env.normalise(&run.stdout);
            if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
                fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
                fs::write(snapshot, &actual).unwrap();
            } else {
                let expected = fs::read_to_string(snapshot).unwrap_or_else(|e| {
                    panic!(
                        "cannot read {} ({e}); SNAPSHOTS=overwrite writes it",
                        snapshot.display()
                    )
                });
                assert_eq!(
                    actual,
                    expected,
                    "stdout of `{line}` differs from {} (SNAPSHOTS=overwrite rewrites it)",
                    snapshot.display()
                );
            }
        }
        run
    }
}

/// A file's bytes, `None` if it does not exist.
fn read_if_exists(path: &Path) -> Option<Vec<u8>> {
    match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// The mode bits of a file.
pub fn mode_of(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Runs `script` with bash as a reader of a `plan … --shell` script would: the real kubectl
/// and jq, the built influxctl-admin first on PATH, `HOME` as given, no `KUBECONFIG`. Panics
/// with the script and its stderr if it fails.
pub fn run_shell_script(script: &str, home: &Path) {
    let bin_dir = assert_cmd::cargo::cargo_bin("influxctl-admin")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("HOME", home)
        .env("PATH", path)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the script failed:\n{script}\n--- stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs each named test function (`fn NAME(kind: Kind)`) on both clusters: as
/// `on_testcluster::NAME` and `on_control_plane::NAME`.
#[macro_export]
macro_rules! on_both_clusters {
    ($($name:ident),* $(,)?) => {
        mod on_testcluster {
            $( #[test] fn $name() { super::$name(influxctl_admin_testcluster::backend::Kind::TestCluster) } )*
        }
        mod on_control_plane {
            $( #[test] fn $name() { super::$name(influxctl_admin_testcluster::backend::Kind::ControlPlane) } )*
        }
    };
}
