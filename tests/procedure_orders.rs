//! The admin-token procedures in any order and with faults: create, revoke and fetch in
//! any sequence, a missing operator, the saved job manifests bounded, and a named key-gen
//! job. The real binary and the real kubectl against the project's test server.

use influxctl_admin_testcluster::crypto;
use influxctl_admin_testcluster::Options;
use influxctl_admin_testcluster::TestCluster;
use serde_json::Value;
use std::fs;
use std::time::Duration;

mod support;
use support::{bin, jwt_of, stdout_of, Env};

/// A test server made quick (short job, pod and operator delays) for long sequences.
fn quick_cluster() -> TestCluster {
    TestCluster::start(Options {
        job_delay: Duration::from_millis(100),
        pod_ready_delay: Duration::from_millis(100),
        pod_terminate_delay: Duration::from_millis(50),
        operator_delay: Duration::from_millis(100),
        rsa_bits: 1024,
        ..Options::default()
    })
}

// ---------------------------------------------------------------------------------------
// Every sequence of create, revoke (both methods, with and without --recreate), fetch
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Op {
    Create,
    Revoke { original: bool, recreate: bool },
    Fetch,
}

/// Runs `ops` in order against a fresh cluster; after each, a valid admin token exists and
/// verifies with the current keys, a revoked one no longer does, and a fetched one is on disk.
fn run_sequence(ops: &[Op]) {
    let env = Env::on(quick_cluster());
    let tf = env.token_file();
    let tf = tf.to_str().unwrap();
    for (i, op) in ops.iter().enumerate() {
        let before = env.admin_token();
        let mut args: Vec<&str> = match op {
            Op::Create => vec!["token", "create", "--yes"],
            Op::Revoke { original, recreate } => {
                let mut a = vec!["token", "revoke", "--yes"];
                if *original {
                    a.extend(["--method", "original"]);
                }
                if *recreate {
                    a.push("--recreate");
                }
                a
            }
            Op::Fetch => vec!["token", "fetch"],
        };
        args.extend([
            "--host",
            "h.example.com",
            "--token-file",
            tf,
            "--timeout",
            "60",
        ]);
        let out = env.cli().config().args(&args).run();
        let err = out.stderr;
        assert!(
            out.code == 0,
            "step {} {op:?} of {ops:?} failed:\n{err}",
            i + 1
        );
        let token = env.admin_token();
        let pem = env.public_pem();
        let step = format!("step {} {op:?} of {ops:?}", i + 1);
        match op {
            // As documented in March 2024, the original method alone makes no new token: the
            // old one stays in the secret, revoked, until `token create` (the next step).
            Op::Revoke {
                original: true,
                recreate: false,
            } => {
                assert_eq!(token, before, "{step}");
                assert!(
                    !crypto::verify_jwt(&jwt_of(&token), &pem),
                    "{step}: the old token still verifies"
                );
                assert!(
                    out.stdout.contains("next:"),
                    "{step}: says what to do next: {}",
                    out.stdout
                );
            }
            _ => assert!(
                crypto::verify_jwt(&jwt_of(&token), &pem),
                "{step}: the admin token does not verify"
            ),
        }
        if let Op::Revoke { .. } = op {
            assert!(
                !crypto::verify_jwt(&jwt_of(&before), &pem),
                "{step}: the revoked token still verifies"
            );
        }
        if matches!(
            op,
            Op::Create
                | Op::Revoke {
                    original: false,
                    ..
                }
                | Op::Revoke { recreate: true, .. }
        ) {
            assert_ne!(token, before, "{step}: a new admin token");
        }
        if !matches!(
            op,
            Op::Revoke {
                recreate: false,
                ..
            }
        ) {
            assert_eq!(
                fs::read(tf).unwrap(),
                token,
                "{step}: the token file holds the admin token"
            );
        }
    }
}

/// Runs `plan … --shell` with bash, jq and the real kubectl against `cluster`.
fn run_shell_plan(cluster: &TestCluster, plan: &[&str]) {
    let script = bin()
        .env("HOME", cluster.home_dir())
        .arg("plan")
        .args(plan)
        .args(["--shell", "--timeout", "60", "--kubeconfig"])
        .arg(cluster.kubeconfig_path())
        .assert()
        .success();
    support::run_shell_script(&stdout_of(&script), &cluster.home_dir());
}

#[test]
fn create_revoke_and_fetch_work_in_any_order() {
    use Op::*;
    let current = Revoke {
        original: false,
        recreate: false,
    };
    let current_recreate = Revoke {
        original: false,
        recreate: true,
    };
    let original = Revoke {
        original: true,
        recreate: false,
    };
    let original_recreate = Revoke {
        original: true,
        recreate: true,
    };
    let sequences: Vec<Vec<Op>> = vec![
        // The reported failure: create then revoke.
        vec![Create, current, Fetch],
        vec![
            Create,
            Create,
            current_recreate,
            original_recreate,
            current,
            Fetch,
        ],
        vec![
            original,
            Create,
            current,
            original_recreate,
            Create,
            current_recreate,
        ],
        vec![
            original_recreate,
            current,
            Create,
            original,
            current_recreate,
            Fetch,
        ],
    ];
    // Each sequence has its own cluster; two at a time (the machine has two cores).
    for pair in sequences.chunks(2) {
        std::thread::scope(|s| {
            for ops in pair {
                s.spawn(move || run_sequence(ops));
            }
        });
    }

    // The shell rendering chooses the same jobs: after `token create`, the current-method
    // script deletes the operator's job (not the copy) and the operator re-runs it.
    let env = Env::on(quick_cluster());
    env.create_token();
    assert!(env.cluster().job("create-admin-token-001").is_some());
    let before = env.admin_token();
    run_shell_plan(env.cluster(), &["revoke"]);
    let after = env.admin_token();
    assert_ne!(after, before);
    assert!(crypto::verify_jwt(&jwt_of(&after), &env.public_pem()));
    assert!(!crypto::verify_jwt(&jwt_of(&before), &env.public_pem()));
    run_shell_plan(env.cluster(), &["revoke", "--method", "original"]);
    assert!(env.cluster().job("key-gen-001").is_some());
    assert!(!crypto::verify_jwt(&jwt_of(&after), &env.public_pem()));
    let config_dir = env.cluster().home_dir().join(".config/influxctl");
    fs::create_dir_all(&config_dir).unwrap();
    fs::write(
        config_dir.join("config.toml"),
        "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n",
    )
    .unwrap();
    run_shell_plan(env.cluster(), &["create"]);
    assert_eq!(
        fs::read(config_dir.join("token.json")).unwrap(),
        env.admin_token()
    );
    assert!(
        env.cluster().job("create-admin-token-002").is_some(),
        "the next free number"
    );
    assert!(crypto::verify_jwt(
        &jwt_of(&env.admin_token()),
        &env.public_pem()
    ));
}

#[test]
fn without_the_operator_the_hint_names_the_copy_and_the_way_out() {
    let env = Env::on(quick_cluster());
    let tf = env.token_file();
    let tf = tf.to_str().unwrap();
    env.create_token();
    env.cluster().set_operator(false);
    let out = env
        .cli()
        .config()
        .args(["token", "revoke", "--yes", "--timeout", "2"])
        .status(1)
        .run();
    let err = out.stderr;
    assert!(
        err.contains("failed: Wait for the operator to re-create the key-gen job"),
        "{err}"
    );
    assert!(
        err.contains("re-creates only the jobs it deployed itself"),
        "{err}"
    );
    assert!(err.contains("--method original"), "{err}");
    assert!(
        env.cluster().job("create-admin-token-001").is_some(),
        "our copy was not deleted in the operator's job's stead"
    );
    env.cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--recreate",
            "--token-file",
            tf,
        ])
        .status(0)
        .run();
    let token = env.admin_token();
    assert!(crypto::verify_jwt(&jwt_of(&token), &env.public_pem()));
    assert_eq!(fs::read(tf).unwrap(), token);
}

// ---------------------------------------------------------------------------------------
// The saved jobs-manifest file stays bounded
// ---------------------------------------------------------------------------------------

#[test]
fn the_saved_job_manifests_stay_bounded() {
    let env = Env::on(quick_cluster());
    // Keyed by the cluster too, so two clusters never share one: `influxctl-admin-jobs-influxdb-HASH.json`.
    let saved_file = || {
        fs::read_dir(env.root())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.starts_with("influxctl-admin-jobs-influxdb-") && name.ends_with(".json")
            })
            .expect("the saved manifests")
    };
    let mut sizes = Vec::new();
    for round in 1..=5 {
        let kg = env
            .cluster()
            .jobs()
            .iter()
            .filter_map(|j| j["metadata"]["name"].as_str())
            .find(|n| n.starts_with("key-gen-"))
            .unwrap()
            .to_owned();
        env.cli()
            .config()
            .args(["token", "revoke", "--yes", "--timeout", "60"])
            .status(0)
            .run();
        let saved = saved_file();
        let manifests: Vec<Value> = serde_json::from_slice(&fs::read(&saved).unwrap()).unwrap();
        let names: Vec<&str> = manifests
            .iter()
            .map(|m| m["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "round {round}: one manifest per job prefix: {names:?}"
        );
        assert!(
            names.contains(&kg.as_str()),
            "round {round}: the newest deleted key-gen job ({kg}) is kept: {names:?}"
        );
        sizes.push(fs::metadata(&saved).unwrap().len());
    }
    assert!(sizes.iter().all(|s| *s < 16 * 1024), "{sizes:?}");
    // What is kept is still enough to resume without an operator.
    env.cluster().set_operator(false);
    env.cli()
        .config()
        .args(["token", "revoke", "--yes", "--timeout", "2"])
        .status(1)
        .run();
    env.cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--recreate",
            "--host",
            "h",
            "--token-file",
            env.token_file().to_str().unwrap(),
        ])
        .status(0)
        .run();
    assert!(crypto::verify_jwt(
        &jwt_of(&env.admin_token()),
        &env.public_pem()
    ));
}

// ---------------------------------------------------------------------------------------
// The docs' KEY_GEN_JOB: `--key-gen-job-name` names the job the original method copies
// (the docs widget renders the same plan).
// ---------------------------------------------------------------------------------------

#[test]
fn a_named_key_gen_job_is_the_one_re_run_and_a_wrong_name_deletes_nothing() {
    let env = Env::on(quick_cluster());
    let key_gen = env
        .cluster()
        .jobs()
        .iter()
        .map(|j| j["metadata"]["name"].as_str().unwrap().to_owned())
        .find(|n| n.starts_with("key-gen-"))
        .unwrap();
    let plan = env
        .cli()
        .config()
        .args([
            "plan",
            "revoke",
            "--method",
            "original",
            "--shell",
            "--key-gen-job-name",
            &key_gen,
        ])
        .status(0)
        .run()
        .stdout;
    assert!(
        plan.contains(&format!("\nKEY_GEN_JOB={key_gen}\n")),
        "{plan}"
    );
    assert!(!plan.contains("\nKEY_GEN_JOB=$(jq"), "{plan}");

    let keys = env.public_pem();
    env.cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--key-gen-job-name",
            "key-gen-nosuch",
        ])
        .status(1)
        .stderr_contains("there is no job named key-gen-nosuch")
        .run();
    assert_eq!(env.public_pem(), keys, "nothing was deleted");

    let bad = env
        .cli()
        .config()
        .args([
            "plan",
            "revoke",
            "--method",
            "original",
            "--key-gen-job-name",
            "Key Gen",
        ])
        .status(2)
        .run();
    assert!(
        bad.stderr
            .contains("job \"Key Gen\" is not a valid Kubernetes name"),
        "{}",
        bad.stderr
    );

    let out = env
        .cli()
        .config()
        .args([
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--key-gen-job-name",
            &key_gen,
        ])
        .status(0)
        .run();
    assert!(
        out.stdout
            .contains(&format!("KEY_GEN_JOB={key_gen} (as given)"))
            || out
                .stderr
                .contains(&format!("KEY_GEN_JOB={key_gen} (as given)"))
    );
    assert_ne!(env.public_pem(), keys, "new signing keys");
    assert!(
        env.cluster().job("key-gen-001").is_some(),
        "the named job was copied as key-gen-001"
    );
}
