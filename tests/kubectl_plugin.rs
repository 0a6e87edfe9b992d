//! Installed or linked as `kubectl-influxdb_admin`, the binary is a kubectl plugin: the real
//! kubectl finds it on PATH and runs it as `kubectl influxdb-admin …`, and its usage lines
//! name it that way.

use std::path::Path;
use std::process::{Command, Output};

fn as_plugin(dir: &Path, args: &[&str]) -> Output {
    let link = dir.join("kubectl-influxdb_admin");
    if !link.exists() {
        std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("influxctl-admin"), &link).unwrap();
    }
    let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap());
    Command::new("kubectl")
        .args(["influxdb-admin"])
        .args(args)
        .env("PATH", path)
        .env("HOME", dir)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap()
}

#[test]
fn kubectl_runs_it_as_a_plugin_and_its_usage_names_the_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let help = as_plugin(dir.path(), &["--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success(), "{text}");
    assert!(
        text.contains("Usage: kubectl influxdb-admin [OPTIONS] <COMMAND>"),
        "{text}"
    );

    let plan = as_plugin(dir.path(), &["plan", "fetch", "-n", "team-a"]);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    assert!(
        text.contains("$ kubectl --namespace team-a get secret admin-token"),
        "{text}"
    );

    let wrong = as_plugin(dir.path(), &["bogus"]);
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(2), "{err}");
    assert!(err.contains("Usage: kubectl influxdb-admin"), "{err}");
}

#[test]
fn called_by_its_own_name_it_is_influxctl_admin() {
    let out = Command::new(assert_cmd::cargo::cargo_bin("influxctl-admin"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Usage: influxctl-admin [OPTIONS] <COMMAND>")
    );
}

#[test]
fn as_a_plugin_its_examples_and_suggested_commands_are_typed_as_kubectl_users_type_them() {
    let dir = tempfile::tempdir().unwrap();
    let help = as_plugin(dir.path(), &["token", "fetch", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains(
            "  kubectl influxdb-admin token fetch -n influxdb --host cluster.example.com"
        ),
        "{text}"
    );
    assert!(text.contains("see `kubectl influxdb-admin rbac`"), "{text}");
    assert!(!text.contains("influxctl-admin "), "{text}");

    // A remedy a message suggests is a command the plugin's user can type.
    let missing = dir.path().join("no-such-config.toml");
    let lint = as_plugin(
        dir.path(),
        &["--config", missing.to_str().unwrap(), "config", "lint"],
    );
    let err = String::from_utf8_lossy(&lint.stderr);
    assert_eq!(lint.status.code(), Some(2), "{err}");
    assert!(
        err.contains("create it with `kubectl influxdb-admin profile add default"),
        "{err}"
    );

    // Completions stay the binary's own: a shell completes one word.
    let help = as_plugin(dir.path(), &["completions", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("influxctl-admin completions bash"));
}
