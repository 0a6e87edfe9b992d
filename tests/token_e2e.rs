//! End to end: the real `influxctl-admin` binary runs the real `kubectl` against the
//! project's Kubernetes API test server, and we check its output, the files it wrote and
//! the cluster's state afterwards.

use std::fs;
use std::path::Path;

use influxctl_admin_testcluster::{crypto, Fault, FaultAction, Options, Times};
use serde_json::Value;

mod support;
use support::{jwt_of, Env};

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Neither the token file nor its JWT nor their base64 appears in `text`.
fn assert_no_secret(text: &str, token: &[u8]) {
    use base64::Engine;
    let jwt = jwt_of(token);
    let b64 = base64::engine::general_purpose::STANDARD.encode(token);
    assert!(!text.contains(&jwt), "the JWT leaked:\n{text}");
    assert!(
        !text.contains(&b64[..40]),
        "the base64 token leaked:\n{text}"
    );
    assert!(
        !text.contains(jwt.rsplit('.').next().unwrap()),
        "the signature leaked:\n{text}"
    );
}

#[test]
fn fetch_writes_the_token_0600_and_creates_the_profile_with_one_kubectl_process() {
    let env = Env::with_cluster(Options::default());
    let token_file = env.token_file();
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "fetch",
            "--host",
            "cluster.example.com",
            "--port",
            "443",
            "--token-file",
            token_file.to_str().unwrap(),
        ])
        .status(0)
        .run();
    let token = env.admin_token();
    assert_eq!(
        fs::read(&token_file).unwrap(),
        token,
        "the file holds the secret's bytes exactly"
    );
    assert_eq!(mode(&token_file), 0o600);
    assert_no_secret(&out.stdout, &token);
    assert_no_secret(&out.stderr, &token);
    assert_eq!(
        env.kubectl_processes(),
        2,
        "token fetch runs exactly two kubectl: the preflight's access review, and the fetch"
    );
    let config =
        influxctl_admin::config::ConfigFile::parse(&fs::read_to_string(env.config_path()).unwrap())
            .unwrap();
    let profile = config.profile("default").unwrap();
    assert_eq!(
        profile.token_file.as_deref(),
        Some(token_file.to_str().unwrap())
    );
    assert_eq!(profile.host.as_deref(), Some("cluster.example.com"));
    assert_eq!(profile.port.as_deref(), Some("443"));
    assert_eq!(mode(&env.config_path()), 0o600);
}

#[test]
fn fetch_into_every_documentation_fixture_changes_only_the_token_file() {
    let env = Env::with_cluster(Options::default());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/configs");
    let mut seen = 0;
    for entry in fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let original = fs::read_to_string(&path).unwrap();
        fs::write(env.config_path(), &original).unwrap();
        let parsed = influxctl_admin::config::ConfigFile::parse(&original).unwrap();
        let profile = parsed.profiles()[0].name.clone().unwrap();
        let token_file = env.root().join(format!("{profile}-token.json"));
        env.cli()
            .config()
            .args([
                "token",
                "fetch",
                "--profile",
                &profile,
                "--token-file",
                token_file.to_str().unwrap(),
            ])
            .status(0)
            .run();
        let edited = fs::read_to_string(env.config_path()).unwrap();
        let removed: Vec<&str> = similar::TextDiff::from_lines(&original, &edited)
            .iter_all_changes()
            .filter(|c| c.tag() == similar::ChangeTag::Delete)
            .map(|c| c.value())
            .collect();
        assert!(
            removed.iter().all(|l| l.contains("token_file")),
            "{}: lines lost: {removed:?}",
            path.display()
        );
        let after = influxctl_admin::config::ConfigFile::parse(&edited).unwrap();
        assert_eq!(
            after.profile(&profile).unwrap().token_file.as_deref(),
            Some(token_file.to_str().unwrap()),
            "{}",
            path.display()
        );
        assert_eq!(fs::read(&token_file).unwrap(), env.admin_token());
        seen += 1;
    }
    assert!(seen >= 9, "all fixtures were tried ({seen})");
}

#[test]
fn a_failed_fetch_leaves_every_file_as_it_was_and_a_second_run_finishes() {
    let env = Env::with_cluster(Options::default());
    let config = "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n";
    fs::write(env.config_path(), config).unwrap();
    fs::write(env.token_file(), b"old token").unwrap();
    let token_file = env.token_file();
    let args = [
        "token",
        "fetch",
        "--token-file",
        token_file.to_str().unwrap(),
    ];
    for action in [
        FaultAction::Status(500),
        FaultAction::Status(403),
        FaultAction::Drop,
    ] {
        env.cluster().inject_fault(Fault::new(
            "GET",
            "/secrets/admin-token",
            action.clone(),
            Times::Always,
        ));
        let out = env.cli().config().args(args).status(1).run();
        let err = out.stderr;
        assert!(
            err.contains("step 1 of 1 failed: Fetch secret admin-token"),
            "{action:?}: {err}"
        );
        assert!(err.contains("command: kubectl"), "{err}");
        assert!(err.contains("kubectl exited with"), "{err}");
        assert_eq!(
            fs::read_to_string(env.config_path()).unwrap(),
            config,
            "{action:?}"
        );
        assert_eq!(
            fs::read(env.token_file()).unwrap(),
            b"old token",
            "{action:?}"
        );
        env.cluster().clear_faults();
    }
    env.cli().config().args(args).status(0).run();
    assert_eq!(fs::read(env.token_file()).unwrap(), env.admin_token());
}

#[test]
fn fetch_explains_a_missing_secret_a_missing_key_and_bad_names() {
    let env = Env::with_cluster(Options::default());
    let token_file = env.token_file();
    let tf = token_file.to_str().unwrap();
    env.cli()
        .config()
        .args([
            "token",
            "fetch",
            "--host",
            "h",
            "--token-file",
            tf,
            "--key",
            "nope",
        ])
        .status(1)
        .stderr_contains("has no key `nope`")
        .run();
    env.cluster().remove("secrets", "admin-token");
    let out = env
        .cli()
        .config()
        .args(["token", "fetch", "--host", "h", "--token-file", tf])
        .status(1)
        .run();
    assert!(
        out.stderr.contains("NotFound") || out.stderr.contains("not found"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(
        !token_file.exists() && !env.config_path().exists(),
        "nothing was written"
    );
    let before = env.cluster().requests().len();
    for bad in [
        ["--secret", "Admin Token"],
        ["-n", "influx db"],
        ["--key", "a/b"],
    ] {
        env.cli()
            .config()
            .args([
                "token",
                "fetch",
                "--host",
                "h",
                "--token-file",
                tf,
                bad[0],
                bad[1],
            ])
            .status(2)
            .stderr_contains("not a valid Kubernetes name")
            .run();
    }
    assert_eq!(
        env.cluster().requests().len(),
        before,
        "invalid names never reach kubectl"
    );
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "fetch",
            "--host",
            "h",
            "--token-file",
            tf,
            "--kubectl",
            "/nonexistent/kubectl",
        ])
        .status(1)
        .run();
    assert!(
        out.stderr
            .contains("kubectl not found at /nonexistent/kubectl"),
        "{}",
        out.stderr
    );
    let out = env
        .cli()
        .config()
        .args(["token", "fetch", "--token-file", tf])
        .status(2)
        .run();
    assert!(
        out.stderr.contains("pass --host"),
        "a missing profile needs --host: {}",
        out.stderr
    );
}

#[test]
fn revoke_needs_yes_without_a_terminal_and_dry_run_changes_nothing() {
    let env = Env::with_cluster(Options::default());
    env.cli()
        .config()
        .args(["token", "revoke"])
        .status(2)
        .stderr_contains("--yes")
        .run();
    let out = env
        .cli()
        .config()
        .args(["token", "revoke", "--dry-run", "--recreate"])
        .status(2)
        .run();
    assert!(
        out.stderr.contains("pass --host"),
        "checked before anything runs: {}",
        out.stderr
    );
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "revoke",
            "--dry-run",
            "--recreate",
            "--host",
            "h.example.com",
        ])
        .status(0)
        .run();
    assert!(
        out.stdout.contains("+  [profile.auth.token]"),
        "the config diff is shown: {}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("delete secret rsa-keys admin-token --ignore-not-found"),
        "{}",
        out.stdout
    );
    assert!(
        env.cluster().requests().is_empty(),
        "neither refusal nor dry run talks to the cluster"
    );
    assert!(!env.config_path().exists());
}

#[test]
fn token_create_reruns_the_job_and_fetches_the_new_token() {
    let env = Env::with_cluster(Options::default());
    let old_token = env.admin_token();
    let token_file = env.token_file();
    let out = env.create_token();
    let new_token = env.admin_token();
    assert_ne!(new_token, old_token);
    assert_eq!(fs::read(&token_file).unwrap(), new_token);
    assert!(
        crypto::verify_jwt(&jwt_of(&new_token), &env.public_pem()),
        "signed with the current key"
    );
    assert_no_secret(&out.stdout, &new_token);
    assert_no_secret(&out.stderr, &new_token);
    let created = env
        .cluster()
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/jobs"))
        .expect("a job was created");
    let body = created.body.expect("a JSON manifest");
    assert_eq!(body["metadata"]["name"], "create-admin-token-001");
    assert!(
        body["metadata"].get("uid").is_none()
            && body.get("status").is_none()
            && body["spec"].get("selector").is_none()
    );
}

#[test]
fn plan_shows_exactly_what_the_runner_then_runs() {
    let env = Env::with_cluster(Options::default());
    let plan = env
        .cli()
        .config()
        .args(["plan", "revoke", "--output", "json"])
        .status(0)
        .run();
    let plan: Value = serde_json::from_str(&plan.stdout).unwrap();
    let run = env
        .cli()
        .config()
        .args(["token", "revoke", "--yes", "--output", "json"])
        .status(0)
        .run();
    let run: Value = serde_json::from_str(&run.stdout).unwrap();
    let jobs = run["jobs"].as_object().unwrap();
    let planned = plan["procedure"]["steps"].as_array().unwrap();
    let executed = run["steps"].as_array().unwrap();
    assert_eq!(planned.len(), executed.len());
    for (p, e) in planned.iter().zip(executed) {
        let argv: Vec<String> = p["argv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                influxctl_admin::procedure::resolve(a.as_str().unwrap(), |v| {
                    jobs.get(v).and_then(Value::as_str).map(str::to_owned)
                })
                .unwrap()
            })
            .collect();
        let command = e["command"].as_str().unwrap();
        assert!(
            command.ends_with(&influxctl_admin::procedure::shell_join(&argv)),
            "plan {argv:?}\nran  {command}"
        );
    }
    // And the cluster saw the deletions the plan announced, and no others.
    let kg = jobs["KEY_GEN_JOB"].as_str().unwrap();
    let cat = jobs["CREATE_TOKEN_JOB"].as_str().unwrap();
    let mutations = env.mutating_requests();
    let deleted: Vec<&String> = mutations
        .iter()
        .filter(|m| m.starts_with("DELETE"))
        .collect();
    for expected in [
        "/secrets/rsa-keys".to_owned(),
        "/secrets/admin-token".to_owned(),
        format!("/jobs/{kg}"),
        format!("/jobs/{cat}"),
    ] {
        assert!(
            deleted.iter().any(|d| d.ends_with(&expected)),
            "{expected} not in {deleted:?}"
        );
    }
    assert!(
        deleted.iter().all(|d| d.contains("/secrets/")
            || d.contains("/jobs/")
            || d.contains("/pods/token-management-")),
        "{deleted:?}"
    );
    assert!(
        mutations.iter().all(|m| m.starts_with("DELETE")),
        "the current method creates nothing itself: {mutations:?}"
    );
}

#[test]
fn a_fault_at_any_revoke_step_names_the_step_and_a_second_run_finishes() {
    // (method, path pattern, action, step title fragment)
    let faults: &[(&str, &str, FaultAction, &str)] = &[
        (
            "GET",
            "/secrets/rsa-keys",
            FaultAction::Status(500),
            "Record the current signing keys",
        ),
        ("GET", "/jobs", FaultAction::Status(403), "Find the key-gen"),
        (
            "DELETE",
            "/secrets/rsa-keys",
            FaultAction::Status(403),
            "Delete secrets rsa-keys and admin-token",
        ),
        (
            "DELETE",
            "*/jobs/key-gen-*",
            FaultAction::Status(500),
            "Delete the key-gen job",
        ),
        (
            "DELETE",
            "*/jobs/create-admin-token-*",
            FaultAction::Status(503),
            "Delete the create-admin-token job",
        ),
        (
            "DELETE",
            "*/pods/token-management-*",
            FaultAction::Drop,
            "Restart the token-management pods",
        ),
        // Only `kubectl wait` lists jobs by name (`delete --wait` finds the job gone at once).
        (
            "GET",
            "*/jobs?*fieldSelector=metadata.name%3Dkey-gen-*",
            FaultAction::Status(500),
            "to complete",
        ),
    ];
    for (method, pattern, action, title) in faults {
        let env = Env::with_cluster(Options::default());
        let token_file = env.token_file();
        let tf = token_file.to_str().unwrap();
        env.cli()
            .config()
            .args(["token", "fetch", "--host", "h", "--token-file", tf])
            .status(0)
            .run();
        let config_before = fs::read(env.config_path()).unwrap();
        let token_before = fs::read(&token_file).unwrap();
        env.cluster()
            .inject_fault(Fault::new(method, pattern, action.clone(), Times::Always));
        let out = env
            .cli()
            .config()
            .args([
                "token",
                "revoke",
                "--yes",
                "--recreate",
                "--token-file",
                tf,
                "--timeout",
                "5",
            ])
            .status(1)
            .run();
        let err = out.stderr;
        assert!(
            err.contains("failed: ") && err.contains(title),
            "{method} {pattern}: {err}"
        );
        assert!(err.contains("kubectl exited with"), "{err}");
        assert_eq!(
            fs::read(env.config_path()).unwrap(),
            config_before,
            "{pattern}: config untouched"
        );
        assert_eq!(
            fs::read(&token_file).unwrap(),
            token_before,
            "{pattern}: token file untouched"
        );
        env.cluster().clear_faults();
        let out = env
            .cli()
            .config()
            .args([
                "token",
                "revoke",
                "--yes",
                "--recreate",
                "--token-file",
                tf,
                "--output",
                "json",
            ])
            .status(0)
            .run();
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        // Even when the first run had already deleted admin-token, the old token (still in
        // the token file) is checked against the new key.
        assert_eq!(
            report["verification"]["old_token_rejected"]["result"], "passed",
            "{pattern}: {report:#}"
        );
        assert_eq!(
            fs::read(&token_file).unwrap(),
            env.admin_token(),
            "{pattern}: the second run fetched the new token"
        );
        assert_ne!(fs::read(&token_file).unwrap(), token_before);
    }
}

#[test]
fn a_job_that_never_completes_times_out_with_its_status() {
    let env = Env::with_cluster(Options {
        jobs_hang: true,
        ..Options::default()
    });
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--timeout",
            "2",
        ])
        .status(1)
        .run();
    let err = out.stderr;
    assert!(
        err.contains("failed: Wait for job key-gen-001 to complete"),
        "{err}"
    );
    assert!(err.contains("still running"), "{err}");
    // Run again while the job still hangs: the rerun job from the first attempt is
    // waited for, not created a second time.
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--timeout",
            "2",
        ])
        .status(1)
        .stderr_contains("exists from an earlier run")
        .run();
    assert!(
        out.stderr.contains("skip [3/9] Delete secret rsa-keys"),
        "rsa-keys is not deleted under a running key-gen job: {}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("failed: Wait for job key-gen-001 to complete"),
        "{}",
        out.stderr
    );
    assert!(
        env.cluster().job("key-gen-002").is_none(),
        "no second copy was created"
    );
    env.cluster().set_jobs_hang(false);
    env.cli()
        .config()
        .args(["token", "revoke", "--yes", "--method", "original"])
        .status(0)
        .run();
    assert!(env.cluster().secret("rsa-keys").is_some());
}

#[test]
fn doctor_reports_each_check_and_fails_on_missing_permissions() {
    let env = Env::with_cluster(Options {
        kubernetes_version: (1, 33),
        ..Options::default()
    });
    fs::write(
        env.config_path(),
        "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h.example.com\"\n",
    )
    .unwrap();
    let out = env.cli().config().args(["doctor"]).status(0).run();
    let text = out.stdout;
    for line in [
        "ok    kubectl",
        "ok    namespace",
        "can delete secrets",
        "ok    admin token",
        "2/2 pods Ready",
        "ok    config",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    assert_no_secret(&text, &env.admin_token());
    env.cluster().deny("delete", "secrets");
    let out = env
        .cli()
        .config()
        .args(["doctor", "--output", "json"])
        .status(1)
        .run();
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let failed: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["level"] == "fail")
        .collect();
    // One line per secret the Role names: both are denied.
    assert_eq!(failed.len(), 2, "{report:#}");
    for (check, secret) in failed.iter().zip(["admin-token", "rsa-keys"]) {
        assert!(check["message"]
            .as_str()
            .unwrap()
            .contains(&format!("cannot delete secrets/{secret}")));
    }
}

#[test]
fn fetch_and_revoke_work_with_kubectl_1_33_too() {
    let env = Env::with_cluster(Options {
        kubernetes_version: (1, 33),
        ..Options::default()
    });
    let token_file = env.token_file();
    env.cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--recreate",
            "--host",
            "h",
            "--token-file",
            token_file.to_str().unwrap(),
        ])
        .status(0)
        .run();
    assert_eq!(fs::read(&token_file).unwrap(), env.admin_token());
    assert!(
        env.cluster().requests().iter().any(|r| r
            .user_agent
            .as_deref()
            .is_some_and(|ua| ua.contains("kubectl/v1.33"))),
        "kubectl 1.33 ran"
    );
}

/// Runs `influxctl-admin ARGS` on a pseudo-terminal (util-linux `script`), typing `input`.
fn on_a_terminal(env: &Env, args: &[&str], input: &str) -> (bool, String) {
    let bin = assert_cmd::cargo::cargo_bin("influxctl-admin");
    let mut line = format!("{} --config {}", bin.display(), env.config_path().display());
    for arg in args {
        line.push(' ');
        line.push_str(&influxctl_admin::procedure::shell_quote(arg));
    }
    line.push_str(&format!(
        " --kubeconfig {}",
        env.cluster().kubeconfig_path().display()
    ));
    let mut child = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("HOME", env.cluster().home_dir())
        .env_remove("KUBECONFIG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn on_a_terminal_revoke_asks_first_and_shows_live_progress() {
    let env = Env::with_cluster(Options::default());
    let (ok, screen) = on_a_terminal(&env, &["token", "revoke"], "n\n");
    assert!(!ok, "answering no fails the command: {screen}");
    assert!(screen.contains("Continue? [y/N]"), "{screen}");
    assert!(
        screen.contains("cancelled; nothing was changed"),
        "{screen}"
    );
    assert!(
        env.mutating_requests().is_empty(),
        "nothing was deleted: {:?}",
        env.mutating_requests()
    );
    let (ok, screen) = on_a_terminal(&env, &["token", "revoke"], "y\n");
    assert!(ok, "{screen}");
    assert!(
        screen.contains("\r\u{1b}[2K"),
        "the live progress line is redrawn in place: {screen:?}"
    );
    assert!(screen.contains("Revoked the admin token"), "{screen}");
    assert!(
        screen.contains("next: the token file still holds the old, revoked token"),
        "without --recreate, says what to do next: {screen}"
    );
}

#[test]
fn fetch_warns_when_influxctl_is_too_old_or_missing() {
    let env = Env::with_cluster(Options::default());
    let fake = env.root().join("bin");
    fs::create_dir_all(&fake).unwrap();
    // influxctl cannot be installed here; a script that answers `version` like it stands in.
    let influxctl = fake.join("influxctl");
    fs::write(
        &influxctl,
        "#!/bin/sh\necho 'influxctl version 2.1.3 (abcdef)'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&influxctl, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", fake.display(), std::env::var("PATH").unwrap());
    let token_file = env.token_file();
    env.cli()
        .config()
        .env("PATH", &path)
        .args(["token", "fetch", "--host", "h", "--token-file"])
        .arg(&token_file)
        .status(0)
        .stderr_contains("is v2.1.3, older than v2.2.0")
        .run();
    fs::remove_file(&influxctl).unwrap();
    let kubectl = which::which("kubectl").expect("kubectl on PATH");
    env.cli()
        .config()
        .env("PATH", &fake) // kubectl found by --kubectl
        .args(["token", "fetch", "--token-file"])
        .arg(&token_file)
        .arg("--kubectl")
        .arg(&kubectl)
        .status(0)
        .stderr_contains("influxctl is not on PATH")
        .run();
}

#[test]
fn a_failed_job_stops_the_wait_at_once_with_its_reason() {
    let env = Env::with_cluster(Options::default());
    // Without signing keys, the create-admin-token job fails.
    env.cluster().remove("secrets", "rsa-keys");
    let token_file = env.token_file();
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "create",
            "--yes",
            "--host",
            "h",
            "--timeout",
            "120",
            "--token-file",
            token_file.to_str().unwrap(),
        ])
        .status(1)
        .run();
    let err = out.stderr;
    assert!(
        err.contains("failed: Wait for job create-admin-token-001 to complete"),
        "{err}"
    );
    assert!(
        err.contains("stopped waiting: job create-admin-token-001 failed"),
        "the failure is seen before the timeout: {err}"
    );
    assert!(
        err.contains("kubectl describe job create-admin-token-001"),
        "{err}"
    );
    assert!(
        !token_file.exists() && !env.config_path().exists(),
        "nothing was written"
    );
}
