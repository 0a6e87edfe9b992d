//! Least privilege, on the real control plane (its RBAC is the real one): a ServiceAccount
//! bound to exactly the Role that `influxctl-admin rbac` prints runs every procedure to the
//! end, and with any one permission of it taken away the preflight refuses before anything
//! in the namespace changes.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use influxctl_admin_testcluster::backend::Kind;
use influxctl_admin_testcluster::{crypto, Options};
use serde_json::{json, Value};

mod support;
use support::{jwt_of, Env};

const ACCOUNT: &str = "influxctl-admin";

/// An install on the control plane and a kubeconfig for a ServiceAccount with no rights yet.
fn start() -> Option<(Env, PathBuf)> {
    let env = Env::with_backend(Kind::ControlPlane, Options::default())?;
    let kubeconfig = env.path("service-account.kubeconfig");
    env.backend()
        .control_plane()
        .unwrap()
        .service_account_kubeconfig(ACCOUNT, &kubeconfig)
        .unwrap();
    Some((env, kubeconfig))
}

/// `influxctl-admin rbac --method METHOD -n NS --service-account NS:ACCOUNT --output json`.
fn printed_role(env: &Env, method: &str) -> Value {
    let ns = env.backend().namespace();
    let out = env
        .cli()
        .args(["rbac", "--method", method, "--namespace", ns])
        .args([
            "--service-account",
            &format!("{ns}:{ACCOUNT}"),
            "--output",
            "json",
        ])
        .status(0)
        .run();
    serde_json::from_str(&out.stdout).unwrap()
}

/// `kubectl apply -f -` as the cluster's admin.
fn apply(env: &Env, manifest: &Value) {
    let mut child = env
        .backend()
        .kubectl()
        .args(["apply", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(manifest.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "kubectl apply: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `influxctl-admin ARGS` as the ServiceAccount.
fn as_account(env: &Env, kubeconfig: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("influxctl-admin"))
        .current_dir(env.root())
        .env("HOME", env.home())
        .env_remove("KUBECONFIG")
        .arg("--config")
        .arg(env.config_path())
        .args(args)
        .args(["--yes", "--timeout", "120", "--kubeconfig"])
        .arg(kubeconfig)
        .args(["--namespace", env.backend().namespace()])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `kubectl auth can-i VERB RESOURCE[/NAME]` as the ServiceAccount.
fn can_i(env: &Env, kubeconfig: &Path, verb: &str, resource: &str, name: Option<&str>) -> bool {
    let what = match name {
        Some(n) => format!("{resource}/{n}"),
        None => resource.to_owned(),
    };
    Command::new("kubectl")
        .env("HOME", env.home())
        .env_remove("KUBECONFIG")
        .args(["auth", "can-i", verb, &what, "--kubeconfig"])
        .arg(kubeconfig)
        .args(["--namespace", env.backend().namespace()])
        .output()
        .unwrap()
        .status
        .success()
}

/// RBAC reaches the authorizer through a watch: wait until it answers `want`.
fn await_rbac(
    env: &Env,
    kubeconfig: &Path,
    verb: &str,
    resource: &str,
    name: Option<&str>,
    want: bool,
) {
    let settled = env
        .backend()
        .wait_until(std::time::Duration::from_secs(20), |_| {
            can_i(env, kubeconfig, verb, resource, name) == want
        });
    assert!(
        settled,
        "RBAC never answered {want} for {verb} {resource} {name:?}"
    );
}

#[test]
fn a_service_account_bound_to_the_printed_role_runs_every_procedure() {
    let Some((env, kubeconfig)) = start() else {
        return;
    };
    let file = env.token_file();
    let file = file.to_str().unwrap();
    let (ok, text) = as_account(
        &env,
        &kubeconfig,
        &["token", "fetch", "--host", "h", "--token-file", file],
    );
    assert!(
        !ok && text.contains("rbac"),
        "without a Role the preflight refuses:\n{text}"
    );

    apply(&env, &printed_role(&env, "current"));
    await_rbac(&env, &kubeconfig, "delete", "pods", None, true);
    for args in [
        vec!["token", "fetch", "--host", "h", "--token-file", file],
        vec!["token", "revoke"],
        vec!["token", "revoke", "--recreate", "--token-file", file],
        vec!["token", "create", "--token-file", file],
    ] {
        let (ok, text) = as_account(&env, &kubeconfig, &args);
        assert!(ok, "{args:?} as the ServiceAccount:\n{text}");
    }
    apply(&env, &printed_role(&env, "original"));
    await_rbac(&env, &kubeconfig, "delete", "jobs", None, false);
    let old = env.admin_token();
    let (ok, text) = as_account(
        &env,
        &kubeconfig,
        &[
            "token",
            "revoke",
            "--method",
            "original",
            "--recreate",
            "--token-file",
            file,
        ],
    );
    assert!(
        ok,
        "revoke --method original as the ServiceAccount:\n{text}"
    );
    let new = env.admin_token();
    assert_ne!(new, old);
    assert_eq!(std::fs::read(file).unwrap(), new);
    assert!(crypto::verify_jwt(&jwt_of(&new), &env.public_pem()));
}

/// One permission: a verb on a resource, by name where the Role names objects.
#[derive(Clone, Debug, PartialEq)]
struct Permission {
    group: String,
    resource: String,
    verb: String,
    name: Option<String>,
}

fn permissions(role: &Value) -> Vec<Permission> {
    let mut all = Vec::new();
    for rule in role["rules"].as_array().unwrap() {
        let strings = |k: &str| -> Vec<String> {
            rule[k]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default()
        };
        let names: Vec<Option<String>> = match strings("resourceNames") {
            n if n.is_empty() => vec![None],
            n => n.into_iter().map(Some).collect(),
        };
        for group in strings("apiGroups") {
            for resource in strings("resources") {
                for verb in strings("verbs") {
                    for name in &names {
                        all.push(Permission {
                            group: group.clone(),
                            resource: resource.clone(),
                            verb: verb.clone(),
                            name: name.clone(),
                        });
                    }
                }
            }
        }
    }
    all
}

fn rule(p: &Permission) -> Value {
    let mut r = json!({"apiGroups": [p.group], "resources": [p.resource], "verbs": [p.verb]});
    if let Some(n) = &p.name {
        r["resourceNames"] = json!([n]);
    }
    r
}

/// Everything in the namespace a procedure could change: secrets (with their data),
/// jobs and pods, by name.
fn state(env: &Env) -> (BTreeMap<String, Vec<u8>>, Vec<String>, Vec<String>) {
    let b = env.backend();
    let mut secrets = BTreeMap::new();
    for name in ["admin-token", "rsa-keys", "influxdb-catalog"] {
        secrets.insert(
            name.to_owned(),
            serde_json::to_vec(&b.secret(name)).unwrap(),
        );
    }
    let names = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    (secrets, names(b.jobs()), names(b.pods()))
}

#[test]
fn without_any_one_permission_of_the_role_the_preflight_refuses_and_nothing_changes() {
    let Some((env, kubeconfig)) = start() else {
        return;
    };
    let printed = printed_role(&env, "current");
    let role = printed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "Role")
        .unwrap()
        .clone();
    apply(&env, &printed);
    await_rbac(&env, &kubeconfig, "delete", "pods", None, true);
    let all = permissions(&role);
    assert!(all.len() >= 10, "{all:?}");
    let before = state(&env);
    let mut refused = Vec::new();
    for missing in &all {
        let mut less = role.clone();
        less["rules"] = all.iter().filter(|p| *p != missing).map(rule).collect();
        apply(&env, &less);
        let (group_resource, name) = (missing.resource.as_str(), missing.name.as_deref());
        await_rbac(
            &env,
            &kubeconfig,
            &missing.verb,
            group_resource,
            name,
            false,
        );
        // `token create` is the only command of this method that creates jobs.
        let command = if missing.resource == "jobs" && missing.verb == "create" {
            vec!["token", "create", "--host", "h", "--token-file", "t.json"]
        } else {
            vec!["token", "revoke"]
        };
        let (ok, text) = as_account(&env, &kubeconfig, &command);
        let what = match &missing.name {
            Some(n) => format!("{} {}/{n}", missing.verb, missing.resource),
            None => format!("{} {}", missing.verb, missing.resource),
        };
        assert!(
            !ok,
            "{command:?} without `{what}` should be refused:\n{text}"
        );
        assert!(
            text.contains(&missing.verb)
                && text.contains(&missing.resource)
                && text.contains("rbac"),
            "the refusal names `{what}` and the fix:\n{text}"
        );
        assert_eq!(
            state(&env),
            before,
            "{command:?} without `{what}` changed the namespace"
        );
        refused.push(what);
    }
    assert_eq!(refused.len(), all.len());
}
