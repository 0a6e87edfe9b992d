//! What the runner reports, as data: the `--output json` error document of a failed step
//! (the runner's cause, the step, the command, kubectl's exit code, the hint, beside the
//! human message that stays as it was).

use assert_cmd::Command;
use influxctl_admin_testcluster::{Options, TestCluster};
use serde_json::Value;

#[test]
fn a_failed_kubectl_step_is_a_typed_error_in_json() {
    let cluster = TestCluster::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("influxctl-admin")
        .unwrap()
        .env("HOME", cluster.home_dir())
        .env_remove("KUBECONFIG")
        .env_remove("KUBECTL")
        .env_remove("INFLUXCTL_PROFILE")
        .arg("--config")
        .arg(dir.path().join("config.toml"))
        .args([
            "--output",
            "json",
            "token",
            "fetch",
            "--host",
            "h.example.com",
        ])
        .args(["--secret", "no-such-secret", "--token-file"])
        .arg(dir.path().join("token.json"))
        .arg("--kubeconfig")
        .arg(cluster.kubeconfig_path())
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let error = &doc["error"];
    assert_eq!(doc["ok"], false, "{doc:#}");
    assert_eq!(error["kind"], "operation", "{doc:#}");
    assert_eq!(error["cause"], "kubectl-exit", "{doc:#}");
    assert_eq!(error["step"], 1, "{doc:#}");
    assert_eq!(error["exit_code"], 1, "{doc:#}");
    let command = error["command"].as_str().unwrap();
    assert!(
        command.starts_with("kubectl ") && command.contains("no-such-secret"),
        "{doc:#}"
    );
    assert!(
        error["stderr"].as_str().unwrap().contains("NotFound"),
        "{doc:#}"
    );
    assert!(
        error["hint"].as_str().unwrap().contains("missing"),
        "{doc:#}"
    );
    // The human message is the one the text mode prints, hint included.
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("step 1 of "), "{message}");
    assert!(
        message.contains(&format!("  command: {command}\n")),
        "{message}"
    );
    assert!(message.contains("\n    hint: "), "{message}");
    assert_eq!(doc["details"]["steps"][0]["status"], "failed", "{doc:#}");
    assert!(!dir.path().join("token.json").exists());
}
