//! The admin-token procedures end to end, with the real kubectl, on both clusters: the
//! in-process test server (`on_testcluster::…`) and the real kube-apiserver, controllers and
//! etcd with the simulator (`on_control_plane::…`, run by `scripts/test`, which starts the
//! control plane once and exports `INFLUXCTL_ADMIN_CONTROL_PLANE`). One source for both:
//! what differs between them is a finding, fixed in the product or the fake.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use influxctl_admin_testcluster::backend::Kind;
use influxctl_admin_testcluster::{crypto, Options};
use serde_json::Value;

mod support;
use support::{jwt_of, Env, Run};

on_both_clusters!(
    fetch_writes_the_token_0600_and_points_the_profile_at_it,
    revoke_current_replaces_keys_token_and_pods_and_leaves_the_rest,
    revoke_original_then_create_makes_a_new_token_that_verifies,
    revoke_recreate_fetches_the_new_token,
    create_then_revoke_then_fetch_ends_on_the_current_token,
    without_the_operator_the_current_method_fails_clearly_and_the_original_one_finishes,
    an_interrupted_revoke_is_finished_by_a_second_run,
    the_fetch_script_writes_the_token_and_the_profile,
    the_current_revoke_script_waits_for_the_operator,
    the_original_revoke_script_rotates_the_keys,
    a_job_whose_pods_fail_is_reported_as_retrying_not_as_running,
    create_copies_the_job_that_create_token_job_name_names,
);

fn start(kind: Kind) -> Option<Env> {
    Env::with_backend(kind, Options::default())
}

fn output(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

fn assert_no_secret(env: &Env, text: &str) {
    let jwt = jwt_of(&env.admin_token());
    assert!(!text.contains(&jwt), "the admin token leaked:\n{text}");
}

/// `token ARGS --yes --timeout 120 --host h --token-file ROOT/token.json`, then success.
fn token(env: &Env, args: &[&str]) -> String {
    let out = env
        .cli()
        .config()
        .arg("token")
        .args(args)
        .args(["--yes", "--timeout", "120"])
        .run();
    let text = output(&out);
    assert!(out.code == 0, "token {args:?} failed:\n{text}");
    text
}

fn with_file<'a>(args: &[&'a str], file: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--host", "h.example.com", "--token-file", file]);
    all
}

fn fetch_writes_the_token_0600_and_points_the_profile_at_it(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let file = env.token_file();
    let text = token(&env, &with_file(&["fetch"], file.to_str().unwrap()));
    assert_eq!(fs::read(&file).unwrap(), env.admin_token());
    assert_eq!(
        fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let config = fs::read_to_string(env.config_path()).unwrap();
    assert!(
        config.contains(&format!("token_file = \"{}\"", file.display())),
        "{config}"
    );
    assert_no_secret(&env, &text);
}

fn revoke_current_replaces_keys_token_and_pods_and_leaves_the_rest(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let (old_token, old_pem, old_pods) = (env.admin_token(), env.public_pem(), env.token_pods());
    assert!(
        crypto::verify_jwt(&jwt_of(&old_token), &old_pem),
        "sanity: the seed token verifies"
    );
    let out = env
        .cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--timeout",
            "120",
            "--output",
            "json",
        ])
        .run();
    assert!(out.code == 0, "{}", output(&out));
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    for check in [
        "keys_changed",
        "token_changed",
        "old_token_rejected",
        "new_token_signed_by_new_key",
    ] {
        assert_eq!(
            report["verification"][check]["result"], "passed",
            "{check}: {report:#}"
        );
    }
    let (new_token, new_pem) = (env.admin_token(), env.public_pem());
    assert_ne!(new_token, old_token);
    assert!(
        !crypto::verify_jwt(&jwt_of(&old_token), &new_pem),
        "the old token no longer verifies"
    );
    assert!(crypto::verify_jwt(&jwt_of(&new_token), &new_pem));
    let new_pods = env.token_pods();
    assert_eq!(new_pods.len(), 2, "{new_pods:?}");
    assert!(
        new_pods.iter().all(|p| !old_pods.contains(p)),
        "{old_pods:?} → {new_pods:?}"
    );
    let b = env.backend();
    assert!(
        b.secret("influxdb-catalog").is_some(),
        "unrelated secrets stay"
    );
    assert!(
        b.jobs().iter().any(|j| j["metadata"]["name"]
            .as_str()
            .unwrap()
            .starts_with("catalog-migrate-")),
        "unrelated jobs stay"
    );
    assert_eq!(
        env.job_names("key-gen").len(),
        1,
        "the operator's one key-gen job, no copy"
    );
    assert_no_secret(&env, &output(&out));
}

fn revoke_original_then_create_makes_a_new_token_that_verifies(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let old_token = env.admin_token();
    token(&env, &["revoke", "--method", "original"]);
    let pem = env.public_pem();
    assert!(
        !crypto::verify_jwt(&jwt_of(&old_token), &pem),
        "the keys rotated"
    );
    assert_eq!(
        env.admin_token(),
        old_token,
        "this method leaves the secret as it was"
    );
    assert!(env
        .job_names("key-gen")
        .contains(&"key-gen-001".to_string()));
    let file = env.token_file();
    token(&env, &with_file(&["create"], file.to_str().unwrap()));
    let new_token = env.admin_token();
    assert_ne!(new_token, old_token);
    assert_eq!(fs::read(&file).unwrap(), new_token);
    assert!(crypto::verify_jwt(&jwt_of(&new_token), &env.public_pem()));
    assert!(env
        .job_names("create-admin-token")
        .contains(&"create-admin-token-001".to_string()));
}

fn revoke_recreate_fetches_the_new_token(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let file = env.token_file();
    let old_token = env.admin_token();
    token(
        &env,
        &with_file(&["revoke", "--recreate"], file.to_str().unwrap()),
    );
    let new_token = env.admin_token();
    assert_ne!(new_token, old_token);
    assert_eq!(
        fs::read(&file).unwrap(),
        new_token,
        "the token file holds the new token"
    );
    assert!(crypto::verify_jwt(&jwt_of(&new_token), &env.public_pem()));
}

fn create_then_revoke_then_fetch_ends_on_the_current_token(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let file = env.token_file();
    let file = file.to_str().unwrap();
    token(&env, &with_file(&["create"], file));
    // The copy `create` made (create-admin-token-001) has no owner: the current method
    // deletes and waits for the operator's own jobs only.
    token(&env, &["revoke"]);
    token(&env, &with_file(&["fetch"], file));
    let current = env.admin_token();
    assert_eq!(fs::read(file).unwrap(), current);
    assert!(crypto::verify_jwt(&jwt_of(&current), &env.public_pem()));
    assert!(
        env.job_names("create-admin-token")
            .contains(&"create-admin-token-001".to_string()),
        "the copy is left alone"
    );
}

fn without_the_operator_the_current_method_fails_clearly_and_the_original_one_finishes(kind: Kind) {
    let Some(env) = start(kind) else { return };
    env.backend().set_operator(false);
    let old_token = env.admin_token();
    let out = env
        .cli()
        .config()
        .args(["token", "revoke", "--yes", "--timeout", "5"])
        .status(1)
        .run();
    let text = output(&out);
    for expected in [
        "failed: Wait for the operator to re-create the key-gen job",
        "--method original",
        "run the same command again",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    assert!(env.job_names("key-gen").is_empty(), "the jobs are gone");
    // The deleted jobs' manifests were kept, so the original method can still re-run them.
    let file = env.token_file();
    token(
        &env,
        &with_file(
            &["revoke", "--method", "original", "--recreate"],
            file.to_str().unwrap(),
        ),
    );
    assert_eq!(env.job_names("key-gen"), ["key-gen-001"]);
    // The failed run stopped before it deleted the create-admin-token job: that one stays.
    assert!(env
        .job_names("create-admin-token")
        .contains(&"create-admin-token-001".to_owned()));
    let current = env.admin_token();
    assert_ne!(current, old_token);
    assert_eq!(
        fs::read(&file).unwrap(),
        current,
        "--recreate fetched the new token"
    );
    assert!(crypto::verify_jwt(&jwt_of(&current), &env.public_pem()));
    assert!(!crypto::verify_jwt(&jwt_of(&old_token), &env.public_pem()));
    // A second original revoke picks the next free number.
    token(&env, &["revoke", "--method", "original"]);
    assert!(env.job_names("key-gen").contains(&"key-gen-002".to_owned()));
}

/// Ctrl-C once the first deletions are done: the second run finishes the revoke.
fn an_interrupted_revoke_is_finished_by_a_second_run(kind: Kind) {
    // Jobs that take a second on the test server (the real cluster's take longer): the
    // revoke is still waiting for the new key when it is interrupted.
    let options = Options {
        job_delay: std::time::Duration::from_secs(1),
        ..Options::default()
    };
    let Some(env) = Env::with_backend(kind, options) else {
        return;
    };
    let old_token = env.admin_token();
    let old_pem = env.public_pem();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("influxctl-admin"))
        .current_dir(env.root())
        .env("HOME", env.home())
        .env_remove("KUBECONFIG")
        .args([
            "--config",
            env.config_path().to_str().unwrap(),
            "token",
            "revoke",
            "--yes",
        ])
        .args(["--timeout", "120", "--kubeconfig"])
        .arg(env.backend().kubeconfig_path())
        .args(["--namespace", env.backend().namespace()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the keys are gone (the procedure's first change).
    let b = env.backend();
    let gone = b.wait_until(std::time::Duration::from_secs(60), |b| {
        b.secret("rsa-keys").is_none()
    });
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(gone, "the revoke never got to delete the keys:\n{err}");
    // Interrupted, not finished before the signal came: the second run has work to do.
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&out.status),
        Some(libc::SIGINT),
        "the first run was not interrupted (it ended with {}):\n{err}",
        out.status
    );
    token(&env, &["revoke"]);
    let new_pem = env.public_pem();
    assert_ne!(new_pem, old_pem);
    assert!(!crypto::verify_jwt(&jwt_of(&old_token), &new_pem));
    assert!(crypto::verify_jwt(&jwt_of(&env.admin_token()), &new_pem));
}

// ---------------------------------------------------------------- plan … --shell, run by bash

/// Prints the plan's script, then runs it with bash, the real kubectl and jq.
fn run_script(env: &Env, plan: &[&str]) {
    let out = env
        .cli()
        .arg("plan")
        .args(plan)
        .args(["--shell", "--timeout", "120"])
        .status(0)
        .run();
    support::run_shell_script(&out.stdout, &env.home());
}

fn the_fetch_script_writes_the_token_and_the_profile(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let config_dir = env.home().join(".config/influxctl");
    fs::create_dir_all(&config_dir).unwrap();
    fs::write(
        config_dir.join("config.toml"),
        "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n",
    )
    .unwrap();
    run_script(&env, &["fetch"]);
    let token_file = config_dir.join("token.json");
    assert_eq!(fs::read(&token_file).unwrap(), env.admin_token());
    assert_eq!(
        fs::metadata(&token_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let config = fs::read_to_string(config_dir.join("config.toml")).unwrap();
    assert!(
        config.contains(&format!("token_file = \"{}\"", token_file.display())),
        "{config}"
    );
}

fn the_current_revoke_script_waits_for_the_operator(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let old_token = env.admin_token();
    run_script(&env, &["revoke"]);
    let new_token = env.admin_token();
    assert_ne!(new_token, old_token);
    let pem = env.public_pem();
    assert!(crypto::verify_jwt(&jwt_of(&new_token), &pem));
    assert!(!crypto::verify_jwt(&jwt_of(&old_token), &pem));
}

fn the_original_revoke_script_rotates_the_keys(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let old_token = env.admin_token();
    let old_pem = env.public_pem();
    run_script(&env, &["revoke", "--method", "original"]);
    let pem = env.public_pem();
    assert_ne!(pem, old_pem);
    assert!(
        env.job_names("key-gen")
            .contains(&"key-gen-001".to_string()),
        "re-ran as key-gen-001"
    );
    assert!(
        !crypto::verify_jwt(&jwt_of(&old_token), &pem),
        "the old token no longer verifies"
    );
}

/// Without signing keys the create-admin-token job's pods fail; a real job controller then
/// retries them with a growing delay for minutes before the Job is Failed. A wait that ends
/// before that says the pods failed, not that the job is merely running.
fn a_job_whose_pods_fail_is_reported_as_retrying_not_as_running(kind: Kind) {
    // The test server's retries start from job_delay (doubled, at most 2 s): 2 s makes its
    // seven attempts take longer than the wait below, as a real cluster's take minutes.
    let options = Options {
        job_delay: std::time::Duration::from_secs(2),
        ..Options::default()
    };
    let Some(env) = Env::with_backend(kind, options) else {
        return;
    };
    let b = env.backend();
    let out = b
        .kubectl()
        .args(["delete", "secret", "rsa-keys"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env
        .cli()
        .config()
        .args(["token", "create", "--yes", "--host", "h", "--timeout", "10"])
        .status(1)
        .run();
    let text = output(&out);
    assert!(text.contains("create-admin-token-001"), "{text}");
    assert!(
        text.contains("of its pods failed; the job controller retries up to backoffLimit 6 times"),
        "{text}"
    );
    assert!(
        !text.contains("no Complete or Failed condition yet"),
        "{text}"
    );
}

/// The docs' CREATE_ADMIN_TOKEN_JOB: `--create-token-job-name` names the job `token create`
/// copies, instead of the operator's newest one (here: an earlier copy).
fn create_copies_the_job_that_create_token_job_name_names(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let file = env.token_file();
    let file = file.to_str().unwrap();
    token(&env, &with_file(&["create"], file));
    let text = token(
        &env,
        &with_file(
            &[
                "create",
                "--create-token-job-name",
                "create-admin-token-001",
            ],
            file,
        ),
    );
    assert!(
        text.contains("CREATE_TOKEN_JOB=create-admin-token-001 (as given)"),
        "{text}"
    );
    assert!(
        text.contains("as create-admin-token-002 (a copy of create-admin-token-001)"),
        "{text}"
    );
    let current = env.admin_token();
    assert_eq!(fs::read(file).unwrap(), current);
    assert!(crypto::verify_jwt(&jwt_of(&current), &env.public_pem()));
}
