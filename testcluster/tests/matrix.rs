//! Every kubectl minor the gcloud dispatcher ships (1.27 … 1.33): the server's `/version` picks it.
//! A short pass over the runner's commands on each, checking what kubectl sent.

mod common;
use common::*;

fn runner_commands(minor: u32) {
    let c = cluster((1, minor));
    let ver: serde_json::Value =
        serde_json::from_str(&ok(&c, &["version", "-o", "json"]).stdout).unwrap();
    // 1.32 is the dispatcher's own build: it reports minor "32+".
    let client_minor = ver["clientVersion"]["minor"]
        .as_str()
        .unwrap()
        .trim_end_matches('+')
        .to_string();
    assert_eq!(client_minor, minor.to_string());
    ok(
        &c,
        &[
            "-n",
            "influxdb",
            "get",
            "secret",
            "admin-token",
            "-o",
            "json",
        ],
    );
    assert_eq!(
        ok(&c, &["auth", "can-i", "delete", "secrets"])
            .stdout
            .trim(),
        "yes"
    );
    c.deny("get", "secrets");
    assert_eq!(
        kubectl(&c, &["auth", "can-i", "get", "secrets"])
            .stdout
            .trim(),
        "no"
    );
    c.allow_all();
    // Secrets first, as the procedures do: a key-gen job leaves an existing rsa-keys alone.
    ok(
        &c,
        &[
            "-n",
            "influxdb",
            "delete",
            "secret",
            "rsa-keys",
            "admin-token",
            "--ignore-not-found",
        ],
    );
    let kg = job_names(&c, "key-gen-").remove(0);
    let o = kubectl_in(
        &c,
        &["-n", "influxdb", "create", "-f", "-"],
        Some(&rerun_manifest(&c.job(&kg).unwrap(), "key-gen-001")),
    );
    assert_eq!(o.code, 0, "{o:?}");
    let post = c
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/jobs"))
        .unwrap();
    assert_eq!(
        post.query_param("fieldValidation").as_deref(),
        Some("Strict"),
        "kubectl {minor} found server-side field validation"
    );
    let openapi = if minor <= 28 {
        "/openapi/v2"
    } else {
        "/openapi/v3"
    };
    assert!(
        c.requests().iter().any(|r| r.path == openapi),
        "kubectl 1.{minor} reads {openapi}"
    );
    ok(
        &c,
        &[
            "-n",
            "influxdb",
            "wait",
            "--for=condition=complete",
            "job/key-gen-001",
            "--timeout=60s",
        ],
    );
    assert!(c.secret("rsa-keys").is_some(), "key-gen-001 made new keys");
    ok(
        &c,
        &[
            "-n",
            "influxdb",
            "delete",
            "pods",
            "-l",
            "app=token-management",
        ],
    );
    ok(
        &c,
        &[
            "-n",
            "influxdb",
            "wait",
            "--for=condition=Ready",
            "pod",
            "-l",
            "app=token-management",
            "--timeout=60s",
        ],
    );
}

#[test]
fn kubectl_1_27() {
    runner_commands(27)
}
#[test]
fn kubectl_1_28() {
    runner_commands(28)
}
#[test]
fn kubectl_1_29() {
    runner_commands(29)
}
#[test]
fn kubectl_1_30() {
    runner_commands(30)
}
#[test]
fn kubectl_1_32() {
    runner_commands(32)
}
