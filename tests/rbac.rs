//! Least privilege: `rbac` prints the Role the token commands need (snapshots in
//! `tests/snapshots/rbac/`), and the token commands' preflight refuses, changing nothing,
//! when the cluster denies one of those permissions (the test server's allow/deny model
//! answers the access review as it answers the requests).

use influxctl_admin_testcluster::{Fault, FaultAction, Options, Times};
use serde_json::Value;

mod support;
use support::Env;

#[test]
fn rbac_prints_the_role_for_each_method() {
    let env = Env::new();
    env.cli()
        .config()
        .args(["rbac", "-n", "influxdb"])
        .stderr("")
        .status(0)
        .snapshot("rbac/current.yaml")
        .run();
    env.cli()
        .config()
        .args(["rbac", "--method", "original"])
        .stderr("")
        .status(0)
        .snapshot("rbac/original.yaml")
        .run();
}

#[test]
fn rbac_honours_the_custom_names_and_the_subject() {
    let env = Env::new();
    env.cli()
        .config()
        .args([
            "rbac",
            "-n",
            "iox",
            "--secret",
            "iox-admin",
            "--rsa-secret",
            "iox-signing-keys",
            "--key-gen-job",
            "iox-keygen",
            "--create-token-job",
            "iox-admin-token",
            "--selector",
            "app.kubernetes.io/name=tokens",
            "--role",
            "token-rotator",
            "--service-account",
            "ops:rotator",
        ])
        .stderr("")
        .status(0)
        .snapshot("rbac/custom-names.yaml")
        .run();
    let run = env
        .cli()
        .config()
        .args([
            "rbac",
            "--method",
            "original",
            "--group",
            "influxdb-operators",
            "--output",
            "json",
        ])
        .stderr("")
        .status(0)
        .snapshot("rbac/original-group.json")
        .run();
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"][0]["kind"], "Role");
    assert_eq!(list["items"][1]["kind"], "RoleBinding");
    assert_eq!(
        list["items"][1]["subjects"][0],
        serde_json::json!({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "influxdb-operators"})
    );
    // A service account without a namespace is in the Role's.
    let run = env
        .cli()
        .args(["rbac", "-n", "iox", "--service-account", "rotator"])
        .status(0)
        .run();
    assert!(
        run.stdout
            .contains("  - kind: ServiceAccount\n    name: \"rotator\"\n    namespace: \"iox\"\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn rbac_refuses_bad_names_and_two_subjects() {
    let env = Env::new();
    let run = env
        .cli()
        .args(["rbac", "--role", "Token Rotator"])
        .status(2)
        .run();
    assert!(
        run.stderr
            .contains("role \"Token Rotator\" is not a valid Kubernetes name"),
        "{}",
        run.stderr
    );
    let run = env
        .cli()
        .args(["rbac", "--service-account", "ops:Rotator"])
        .status(2)
        .run();
    assert!(run.stderr.contains("service account"), "{}", run.stderr);
    let run = env
        .cli()
        .args(["rbac", "--user", "a", "--group", "b"])
        .status(2)
        .run();
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

/// Everything a revoke would change, to compare before and after.
fn cluster_state(env: &Env) -> (u64, Vec<String>, Vec<String>, bool, bool) {
    let c = env.cluster();
    (
        c.resource_version(),
        env.job_names("key-gen"),
        env.token_pods(),
        c.secret("rsa-keys").is_some(),
        c.secret("admin-token").is_some(),
    )
}

#[test]
fn revoke_refuses_when_one_permission_is_denied_and_changes_nothing() {
    let env = Env::with_cluster(Options::default());
    env.cluster().deny("delete", "secrets");
    let before = cluster_state(&env);
    let run = env
        .cli()
        .config()
        .args(["token", "revoke", "--yes"])
        .stdout("")
        .status(1)
        .run();
    assert_eq!(
        env.normalise(&run.stderr),
        "Revoke the admin token in namespace influxdb (as documented since September 2024)\n\
         error: missing permissions in namespace influxdb: `token revoke` needs 2 that you do not have, so nothing was run or changed\n  \
         cannot delete secrets/admin-token: needed by step 3 (Delete secrets rsa-keys and admin-token)\n  \
         cannot delete secrets/rsa-keys: needed by step 3 (Delete secrets rsa-keys and admin-token)\n  \
         hint: ask a cluster admin to apply the Role that grants exactly what influxctl-admin needs: `influxctl-admin rbac -n influxdb --user YOUR-USER | kubectl apply -f -` (`influxctl-admin rbac -n influxdb` prints it); or run again with --skip-preflight to try anyway\n"
    );
    assert_eq!(
        cluster_state(&env),
        before,
        "nothing changed in the cluster"
    );
    assert!(
        env.cluster().secret("rsa-keys").is_some() && env.cluster().secret("admin-token").is_some()
    );
    assert_eq!(
        env.job_names("key-gen").len(),
        1,
        "the key-gen job is still there"
    );
    assert!(
        env.mutating_requests().is_empty(),
        "{:?}",
        env.mutating_requests()
    );
    assert!(!env.config_path().exists());
    assert_eq!(
        env.kubectl_processes(),
        1,
        "one kubectl run asked every question"
    );
}

#[test]
fn the_refusal_is_data_with_output_json_and_names_the_custom_names() {
    let env = Env::with_cluster(Options::default());
    env.cluster().deny("watch", "jobs");
    let before = cluster_state(&env);
    let run = env
        .cli()
        .config()
        .args([
            "token", "revoke", "--yes", "--method", "original", "--output", "json",
        ])
        .status(1)
        .run();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    let error = &doc["error"];
    assert_eq!(error["cause"], "permission-denied", "{doc:#}");
    assert_eq!(
        error["fix"],
        "influxctl-admin rbac -n influxdb --method original"
    );
    let missing = error["missing"].as_array().unwrap();
    assert_eq!(missing.len(), 1, "{doc:#}");
    assert_eq!(missing[0]["verb"], "watch");
    assert_eq!(missing[0]["resource"], "jobs");
    assert_eq!(missing[0]["group"], "batch");
    assert_eq!(missing[0]["name"], Value::Null);
    assert_eq!(missing[0]["allowed"], false);
    let steps: Vec<u64> = missing[0]["needed_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["step"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, [5], "{doc:#}");
    let checks = doc["details"]["preflight"].as_array().unwrap();
    assert!(checks.len() > 5);
    assert_eq!(checks.iter().filter(|c| c["allowed"] == false).count(), 1);
    assert_eq!(cluster_state(&env), before);

    // The custom names are what is checked, and what the fix prints.
    let env = Env::with_cluster(Options::default());
    env.cluster().deny("get", "secrets");
    let run = env
        .cli()
        .config()
        .args(["token", "fetch", "--secret", "iox-admin", "--host", "h"])
        .status(1)
        .run();
    assert!(
        run.stderr.contains(
            "cannot get secrets/iox-admin: needed by step 1 (Fetch secret iox-admin into"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`influxctl-admin rbac -n influxdb --secret iox-admin` prints it"),
        "{}",
        run.stderr
    );
    assert!(!env.token_file().exists() && !env.config_path().exists());
}

#[test]
fn skip_preflight_goes_ahead_and_the_step_then_fails() {
    let env = Env::with_cluster(Options::default());
    env.cluster().deny("get", "secrets");
    let args = ["token", "fetch", "--host", "h"];
    let refused = env.cli().config().args(args).status(1).run();
    assert!(
        refused.stderr.contains("--skip-preflight"),
        "{}",
        refused.stderr
    );
    assert!(
        !refused.stderr.contains("step 1 of 1 failed"),
        "{}",
        refused.stderr
    );
    let run = env
        .cli()
        .config()
        .args(args)
        .arg("--skip-preflight")
        .status(1)
        .run();
    assert!(
        !run.stderr.contains("Preflight") && !run.stderr.contains("missing permission"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("step 1 of 1 failed: Fetch secret admin-token")
            && run.stderr.contains("Forbidden"),
        "the fetch itself ran and was refused: {}",
        run.stderr
    );
    let reviews = |env: &Env| {
        env.cluster()
            .requests()
            .iter()
            .filter(|r| r.path.contains("selfsubjectaccessreviews"))
            .count()
    };
    assert_eq!(reviews(&env), 1, "only the first run asked");
    env.cluster().allow_all();
    env.cli()
        .config()
        .args(args)
        .arg("--skip-preflight")
        .status(0)
        .run();
    assert_eq!(reviews(&env), 1);
    assert_eq!(std::fs::read(env.token_file()).unwrap(), env.admin_token());
    assert!(env.config_path().exists());
}

#[test]
fn a_failed_access_review_is_not_a_no_and_suggests_skip_preflight() {
    let env = Env::with_cluster(Options::default());
    env.cluster().inject_fault(Fault::new(
        "POST",
        "selfsubjectaccessreviews",
        FaultAction::Status(403),
        Times::Always,
    ));
    let before = cluster_state(&env);
    let run = env
        .cli()
        .config()
        .args(["token", "revoke", "--yes", "--output", "json"])
        .status(1)
        .run();
    assert!(
        run.stderr.contains(
            "error: could not check the permissions `token revoke` needs in namespace influxdb, so nothing was run or changed: the access review failed: kubectl exited with 1"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("run again with --skip-preflight"),
        "{}",
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["error"]["cause"], "preflight-refused", "{doc:#}");
    assert!(doc["error"]["command"]
        .as_str()
        .unwrap()
        .contains("create -f - -o json"));
    assert_eq!(cluster_state(&env), before);
    // --skip-preflight: the revoke runs (the fault is on the review only).
    let run = env
        .cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--skip-preflight",
            "--output",
            "json",
        ])
        .status(0)
        .run();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["preflight"], Value::Null);
    assert_eq!(
        doc["verification"]["old_token_rejected"]["result"],
        "passed"
    );
}

#[test]
fn a_granted_preflight_says_so_and_dry_run_lists_without_asking() {
    let env = Env::with_cluster(Options::default());
    let run = env
        .cli()
        .config()
        .args(["token", "revoke", "--dry-run", "--method", "original"])
        .status(0)
        .run();
    assert!(
        run.stdout.contains("Preflight (not run by --dry-run): first checks that you may get secrets/admin-token, get secrets/rsa-keys, delete secrets/rsa-keys, get jobs, list jobs, watch jobs, create jobs, get pods, list pods, watch pods, delete pods\n"),
        "{}",
        run.stdout
    );
    assert!(
        env.cluster().requests().is_empty(),
        "a dry run asks nothing"
    );
    let run = env
        .cli()
        .config()
        .args([
            "token", "create", "--yes", "--host", "h", "--output", "json",
        ])
        .status(0)
        .run();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let checks = doc["preflight"].as_array().unwrap();
    let subjects: Vec<String> = checks
        .iter()
        .map(|c| {
            format!(
                "{} {}{}",
                c["verb"].as_str().unwrap(),
                c["resource"].as_str().unwrap(),
                c["name"]
                    .as_str()
                    .map(|n| format!("/{n}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        subjects,
        [
            "get secrets/admin-token",
            "delete secrets/admin-token",
            "get jobs",
            "list jobs",
            "watch jobs",
            "create jobs"
        ]
    );
    assert!(checks.iter().all(|c| c["allowed"] == true));
    let run = env.cli().config().args(["token", "fetch"]).status(0).run();
    assert!(
        run.stderr
            .contains(" ok  Preflight: the one permission `token fetch` needs is granted\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn doctor_shows_each_permission_and_what_needs_it() {
    let env = Env::with_cluster(Options::default());
    env.cluster().deny("watch", "jobs");
    let run = env.cli().config().args(["doctor"]).status(1).run();
    let permission_lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(" permission ") || l.contains("influxctl-admin rbac"))
        .collect();
    assert_eq!(
        permission_lines,
        [
            "ok    permission       can get secrets/admin-token (token fetch step 1; token revoke steps 1, 3, 13; token create steps 2, 5)",
            "ok    permission       can get secrets/rsa-keys (token revoke steps 1, 3, 13)",
            "ok    permission       can delete secrets/admin-token (token revoke step 3; token create step 2)",
            "ok    permission       can delete secrets/rsa-keys (token revoke step 3)",
            "ok    permission       can get jobs (token revoke steps 4, 6, 10, 12; token create step 4)",
            "ok    permission       can list jobs (token revoke steps 2, 5, 6, 11, 12; token create steps 1, 4)",
            "FAIL  permission       cannot watch jobs in influxdb (token revoke steps 6, 12; token create step 4)",
            "                       hint: `influxctl-admin rbac -n influxdb` prints the Role that grants it, for a cluster admin to apply",
            "ok    permission       can create jobs (token create step 3)",
            "ok    permission       can delete jobs (token revoke steps 4, 10)",
            "ok    permission       can get pods (token revoke step 7)",
            "ok    permission       can list pods (token revoke steps 7, 8, 9)",
            "ok    permission       can watch pods (token revoke steps 7, 9)",
            "ok    permission       can delete pods (token revoke step 7)",
        ],
        "{}",
        run.stdout
    );
    let run = env
        .cli()
        .config()
        .args(["doctor", "--method", "original"])
        .status(1)
        .run();
    assert!(
        run.stdout
            .contains("`influxctl-admin rbac -n influxdb --method original` prints the Role"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("can delete jobs"), "{}", run.stdout);
}

#[test]
fn the_access_review_works_with_every_kubectl_version() {
    for minor in [27, 28, 30, 32] {
        let env = Env::with_cluster(Options {
            kubernetes_version: (1, minor),
            ..Options::default()
        });
        env.cluster().deny("get", "secrets");
        let run = env
            .cli()
            .config()
            .args(["token", "fetch", "--host", "h"])
            .status(1)
            .run();
        assert!(
            run.stderr
                .contains("cannot get secrets/admin-token: needed by step 1"),
            "kubectl 1.{minor}: {}",
            run.stderr
        );
        env.cluster().allow_all();
        let run = env
            .cli()
            .config()
            .args(["token", "fetch", "--host", "h"])
            .status(0)
            .run();
        assert!(
            run.stderr.contains(" ok  Preflight: the one permission"),
            "kubectl 1.{minor}: {}",
            run.stderr
        );
    }
}
