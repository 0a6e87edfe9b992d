//! The kubectl processes the CLI starts: a bounded `--timeout`, a timeout or Ctrl-C ending
//! kubectl and its credential plugin, and `doctor` reporting a malformed reply. The real
//! binary and the real kubectl against the project's test server.

use influxctl_admin_testcluster::Options;
use influxctl_admin_testcluster::TestCluster;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command as Std;
use std::time::Duration;
use std::time::Instant;

mod support;
use support::{bin, stderr_of, stdout_of, Env};

// ---------------------------------------------------------------------------------------
// --timeout is bounded; no panic on any number
// ---------------------------------------------------------------------------------------

#[test]
fn timeout_is_bounded_as_a_usage_error() {
    let env = Env::new();
    for bad in [
        "18446744073709551615",
        "0",
        "86401",
        "-1",
        "99999999999999999999999",
    ] {
        let run = env
            .cli()
            .config()
            .args([
                "token",
                "revoke",
                "--yes",
                "--kubectl",
                "/nonexistent/kubectl",
            ])
            .args(["--timeout", bad])
            .status(2)
            .no_file("config.toml")
            .run();
        let err = &run.stderr;
        assert!(
            err.contains("--timeout") || err.contains("unexpected argument '-1'"),
            "{bad}: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{bad}: {err}"
        );
    }
    env.cli()
        .args(["plan", "revoke", "--timeout", "86400"])
        .status(0)
        .stdout_contains("--timeout=86400s")
        .run();
}

// ---------------------------------------------------------------------------------------
// kubectl's whole process group ends on a timeout or Ctrl-C
// ---------------------------------------------------------------------------------------

/// A kubeconfig for `cluster` whose user logs in with an `exec:` credential plugin that
/// writes its PID to `pid_file` and then waits forever (a login helper waiting for input).
fn hanging_plugin_kubeconfig(cluster: &TestCluster, dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let pid_file = dir.join("plugin.pid");
    let plugin = dir.join("slow-login");
    fs::write(
        &plugin,
        format!(
            "#!/bin/sh\necho $$ > '{}'\nwhile :; do sleep 1; done\n",
            pid_file.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&plugin, fs::Permissions::from_mode(0o755)).unwrap();
    let exec = format!(
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {}\n      interactiveMode: Never\n",
        plugin.display()
    );
    let kubeconfig = cluster.kubeconfig();
    let token_line = kubeconfig
        .lines()
        .find(|l| l.trim_start().starts_with("token:"))
        .expect("the kubeconfig has a token");
    let path = dir.join("kubeconfig");
    fs::write(&path, kubeconfig.replace(&format!("{token_line}\n"), &exec)).unwrap();
    (path, pid_file)
}

/// Whether `pid` is a live process (a zombie left for PID 1 to reap is not).
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !matches!(
            stat.rsplit_once(") ").map(|(_, r)| &r[..1]),
            Some("Z" | "X")
        )
    })
}

fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    cond()
}

#[test]
fn a_timeout_or_ctrl_c_ends_kubectl_and_its_credential_plugin() {
    let cluster = TestCluster::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let (kubeconfig, pid_file) = hanging_plugin_kubeconfig(&cluster, dir.path());
    let config = dir.path().join("config.toml");
    let token_file = dir.path().join("token.json");
    let args = |timeout: &str| {
        vec![
            "--config".to_owned(),
            config.display().to_string(),
            "token".into(),
            "fetch".into(),
            "--host".into(),
            "h".into(),
            "--token-file".into(),
            token_file.display().to_string(),
            "--kubeconfig".into(),
            kubeconfig.display().to_string(),
            "--timeout".into(),
            timeout.into(),
        ]
    };

    // The timeout: kubectl and the plugin are stopped, and the message says what ran.
    let out = bin()
        .env("HOME", cluster.home_dir())
        .args(args("2"))
        .assert()
        .code(1);
    let err = stderr_of(&out);
    let pid: u32 = fs::read_to_string(&pid_file)
        .expect("the plugin ran")
        .trim()
        .parse()
        .unwrap();
    assert!(
        !alive(pid),
        "the credential plugin (pid {pid}) outlived the timeout:\n{err}"
    );
    assert!(err.contains("did not finish within 2s"), "{err}");
    assert!(
        err.contains(&format!("slow-login (pid {pid})")),
        "says what was still running: {err}"
    );
    assert!(err.contains("credential plugin"), "{err}");
    assert!(
        !err.contains("API server may be slow"),
        "does not blame the API server: {err}"
    );
    assert!(!token_file.exists() && !config.exists());

    // Ctrl-C: the same, and the process then ends by SIGINT as a shell expects.
    fs::remove_file(&pid_file).unwrap();
    let child = Std::new(assert_cmd::cargo::cargo_bin("influxctl-admin"))
        .env("HOME", cluster.home_dir())
        .env_remove("KUBECONFIG")
        .args(args("600"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for(Duration::from_secs(60), || fs::read_to_string(&pid_file)
            .is_ok_and(|p| p.ends_with('\n'))),
        "the plugin started"
    );
    let pid: u32 = fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(pid));
    assert!(Std::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        out.status.signal(),
        Some(2),
        "ends by SIGINT: {:?}\n{err}",
        out.status
    );
    assert!(
        !alive(pid),
        "the credential plugin (pid {pid}) outlived Ctrl-C:\n{err}"
    );
    assert!(err.contains("interrupted by Ctrl-C (SIGINT)"), "{err}");
    assert!(err.contains("slow-login (pid"), "{err}");
}

// ---------------------------------------------------------------------------------------
// `doctor` reports a malformed kubectl reply as such
// ---------------------------------------------------------------------------------------

#[test]
fn doctor_reports_a_malformed_kubectl_reply() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::on(TestCluster::start(Options::default()));
    fs::write(
        env.config_path(),
        "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h.example.com\"\n",
    )
    .unwrap();
    let kubectl = which::which("kubectl").expect("kubectl on PATH");
    // The real kubectl, except for `get jobs` (cut short) and `get pods` (JSON, not a list).
    let wrapper = env.root().join("kubectl-wrapper");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\ncase \"$*\" in\n  *' get jobs '*) printf '{{\"apiVersion\": \"v1\", \"items\": [{{\"metadata\": {{\"na'; exit 0;;\n  *' get pods '*) echo '{{\"kind\": \"Status\"}}'; exit 0;;\nesac\nexec '{}' \"$@\"\n",
            kubectl.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .cli()
        .config()
        .args([
            "doctor",
            "--kubectl",
            wrapper.to_str().unwrap(),
            "--output",
            "json",
        ])
        .assert()
        .code(1);
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let checks = report["checks"].as_array().unwrap();
    let job = checks.iter().find(|c| c["name"] == "job").unwrap();
    assert_eq!(job["level"], "fail", "{report:#}");
    let message = job["message"].as_str().unwrap();
    assert!(
        message.contains("reply to `get jobs -o json` is not valid JSON"),
        "{message}"
    );
    assert!(!message.contains("no key-gen"), "{message}");
    assert!(job["hint"].as_str().unwrap().contains("--kubectl"), "{job}");
    let pods = checks
        .iter()
        .find(|c| c["name"] == "token-management")
        .unwrap();
    assert!(
        pods["message"].as_str().unwrap().contains("not a list"),
        "{pods}"
    );
    assert!(
        checks
            .iter()
            .any(|c| c["name"] == "admin token" && c["level"] == "ok"),
        "the rest still works: {report:#}"
    );
    // The real kubectl: all is well.
    env.cli().config().args(["doctor"]).assert().success();
}
