//! The `influxctl-admin-testcluster` binary: flags, its one `ready` line, serving kubectl, SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_influxctl-admin-testcluster");

#[test]
fn serves_until_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let mut child = Command::new(BIN)
        .args([
            "--kubeconfig-out",
            kc.to_str().unwrap(),
            "--namespace",
            "tokens",
            "--kubernetes-version",
            "1.33",
        ])
        .args([
            "--job-delay-ms",
            "100",
            "--pod-ready-delay-ms",
            "100",
            "--no-operator",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "ready", "{line}");
    assert!(words[1].starts_with("https://127.0.0.1:"));
    let port = words[2].strip_prefix("port=").unwrap();
    assert!(words[1].ends_with(&format!(":{port}")));
    assert_eq!(words[3], format!("kubeconfig={}", kc.display()));
    assert_eq!(words[4..], ["namespace=tokens", "kubernetes=v1.33"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&kc).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let kubectl = |args: &[&str]| {
        Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&kc)
            .arg("--cache-dir")
            .arg(dir.path().join("cache"))
            .env("HOME", dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    // The context's namespace is the install's.
    let o = kubectl(&[
        "get",
        "secret",
        "admin-token",
        "-o",
        "jsonpath={.metadata.namespace}",
    ]);
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).as_ref()),
        (Some(0), "tokens")
    );
    let v = kubectl(&["version", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v["clientVersion"]["minor"], "33");
    // --no-operator: a deleted job stays deleted.
    let jobs = String::from_utf8(kubectl(&["get", "jobs", "-o", "name"]).stdout).unwrap();
    let kg = jobs
        .lines()
        .find(|l| l.starts_with("job.batch/key-gen-"))
        .unwrap()
        .to_string();
    assert_eq!(kubectl(&["delete", &kg]).status.code(), Some(0));
    std::thread::sleep(Duration::from_millis(500));
    let jobs = String::from_utf8(kubectl(&["get", "jobs", "-o", "name"]).stdout).unwrap();
    assert!(!jobs.contains("key-gen-"), "{jobs}");

    let t = Instant::now();
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(t.elapsed() < Duration::from_secs(5));
    let o = kubectl(&["get", "secrets", "--request-timeout=2s"]);
    assert_eq!(o.status.code(), Some(1), "the server is gone");
}

#[test]
fn bad_flags_exit_2() {
    let o = Command::new(BIN).args(["--bogus"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown argument \"--bogus\""));
    let o = Command::new(BIN).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--kubeconfig-out is required"));
    let o = Command::new(BIN)
        .args(["--kubeconfig-out", "/tmp/x", "--kubernetes-version", "131"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn name_flags_seed_the_install_under_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let mut child = Command::new(BIN)
        .args(["--kubeconfig-out", kc.to_str().unwrap()])
        .args([
            "--secret",
            "iox-admin",
            "--key",
            "jwt",
            "--rsa-secret",
            "iox-keys",
        ])
        .args(["--selector", "tier=auth,component=tokens"])
        .args([
            "--key-gen-job",
            "iox-keygen",
            "--create-token-job",
            "iox-mint",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("ready "), "{line}");
    let kubectl = |args: &[&str]| {
        let o = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&kc)
            .arg("--cache-dir")
            .arg(dir.path().join("cache"))
            .env("HOME", dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {o:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(!kubectl(&["get", "secret", "iox-admin", "-o", "jsonpath={.data.jwt}"]).is_empty());
    assert_eq!(
        kubectl(&["get", "secrets", "-o", "name"])
            .lines()
            .filter(|l| l.contains("iox-keys") || l.contains("rsa-keys"))
            .collect::<Vec<_>>(),
        ["secret/iox-keys"]
    );
    let pods = kubectl(&[
        "get",
        "pods",
        "-l",
        "tier=auth,component=tokens",
        "-o",
        "name",
    ]);
    assert_eq!(pods.lines().count(), 2, "{pods}");
    let jobs = kubectl(&["get", "jobs", "-o", "name"]);
    assert!(
        jobs.contains("job.batch/iox-keygen-") && jobs.contains("job.batch/iox-mint-"),
        "{jobs}"
    );
    let _ = child.kill();
    let _ = child.wait();
}
