//! End to end with every name not the documented one: the test server's InfluxDB model is
//! seeded with its own namespace, admin secret and key, signing-keys secret, token-management
//! pod labels and job prefixes, and the real binary is told them by flag (`--secret`, `--key`,
//! `--rsa-secret`, `--selector`, `--key-gen-job`, `--create-token-job`). With the default
//! names the same commands must fail cleanly, naming what is missing, and change nothing.

use std::fs;
use std::time::Duration;

use influxctl_admin_testcluster::backend::Kind;
use influxctl_admin_testcluster::{crypto, Names, Options};

const NS: &str = "iox-prod";
const ADMIN_SECRET: &str = "iox-admin-jwt";
/// A dot in the key: kubectl's JSONPath needs it escaped.
const TOKEN_KEY: &str = "token.json";
const RSA_SECRET: &str = "iox-signing-keys";
const SELECTOR: &str = "app.kubernetes.io/name=token-service,tier=auth";
const KEY_GEN: &str = "iox-keygen";
const CREATE_TOKEN: &str = "iox-mint-token";

fn names() -> Names {
    Names {
        admin_secret: ADMIN_SECRET.into(),
        token_key: TOKEN_KEY.into(),
        rsa_secret: RSA_SECRET.into(),
        token_deployment: "iox-token-service".into(),
        token_pod_labels: [
            ("app.kubernetes.io/name", "token-service"),
            ("tier", "auth"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        key_gen_prefix: KEY_GEN.into(),
        create_token_prefix: CREATE_TOKEN.into(),
    }
}

/// `--secret`/`--key`, which every token command takes.
const TARGET_FLAGS: [&str; 4] = ["--secret", ADMIN_SECRET, "--key", TOKEN_KEY];
/// The rest, which revoke and create take.
const CLUSTER_FLAGS: [&str; 8] = [
    "--rsa-secret",
    RSA_SECRET,
    "--selector",
    SELECTOR,
    "--key-gen-job",
    KEY_GEN,
    "--create-token-job",
    CREATE_TOKEN,
];

mod support;
use support::{jwt_of, Cli, Env};

on_both_clusters!(
    fetch_reads_the_named_secret_and_key,
    revoke_current_with_named_objects,
    revoke_original_with_named_objects,
    create_with_named_objects,
);

/// An install with every name changed, on `kind` (on the control plane, in a namespace of
/// the test's own: `NS` is the test server's).
fn start_on(kind: Kind) -> Option<Env> {
    let env = Env::with_backend(
        kind,
        Options {
            namespace: NS.into(),
            names: names(),
            job_delay: Duration::from_millis(100),
            pod_ready_delay: Duration::from_millis(100),
            pod_terminate_delay: Duration::from_millis(50),
            operator_delay: Duration::from_millis(100),
            rsa_bits: 1024,
            ..Options::default()
        },
    )?;
    assert_eq!(env.backend().names().pod_selector(), SELECTOR, "sanity");
    Some(env)
}

fn start() -> Env {
    start_on(Kind::TestCluster).expect("the test server always starts")
}

/// `influxctl-admin --config … ARGS -n NS --host h --token-file … --kubeconfig …`, and
/// `--timeout 60` unless ARGS has one.
fn cli<'a>(env: &'a Env, args: &[&str]) -> Cli<'a> {
    let mut cli = env
        .cli()
        .config()
        .args(args)
        .args([
            "-n",
            env.backend().namespace(),
            "--host",
            "h.example.com",
            "--token-file",
        ])
        .arg(env.token_file());
    if !args.contains(&"--timeout") {
        cli = cli.args(["--timeout", "60"]);
    }
    cli
}

/// The token command `args` with every name flag.
fn cli_named<'a>(env: &'a Env, args: &[&str]) -> Cli<'a> {
    let mut all = args.to_vec();
    all.extend(TARGET_FLAGS);
    if args[1] != "fetch" {
        all.extend(CLUSTER_FLAGS);
    }
    cli(env, &all)
}

/// After a revoke: the token file holds the new token, which the new key signed; the old
/// token no longer verifies; the token-service pods were replaced; nothing else was touched.
fn assert_revoked(env: &Env, old_token: &[u8], old_pem: &str, old_pods: &[String]) {
    let new_token = env.admin_token();
    let new_pem = env.public_pem();
    assert_ne!(new_token, old_token, "a new token");
    assert_ne!(new_pem, old_pem, "new keys");
    assert_eq!(
        fs::read(env.token_file()).unwrap(),
        new_token,
        "--recreate fetched the new token"
    );
    assert!(crypto::verify_jwt(&jwt_of(&new_token), &new_pem));
    assert!(
        !crypto::verify_jwt(&jwt_of(old_token), &new_pem),
        "the old token no longer verifies"
    );
    let new_pods = env.token_pods();
    assert_eq!(new_pods.len(), 2, "{new_pods:?}");
    assert!(
        new_pods.iter().all(|p| !old_pods.contains(p)),
        "{old_pods:?} → {new_pods:?}"
    );
    assert_eq!(env.backend().pod_names_selected("app=router").len(), 1);
    assert!(env.backend().secret("influxdb-catalog").is_some());
}

fn fetch_reads_the_named_secret_and_key(kind: Kind) {
    let Some(env) = start_on(kind) else { return };
    cli_named(&env, &["token", "fetch"]).status(0).run();
    assert_eq!(fs::read(env.token_file()).unwrap(), env.admin_token());
    let config = fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("token_file"), "{config}");
}

fn revoke_current_with_named_objects(kind: Kind) {
    let Some(env) = start_on(kind) else { return };
    let (old_token, old_pem, old_pods) = (env.admin_token(), env.public_pem(), env.token_pods());
    assert!(crypto::verify_jwt(&jwt_of(&old_token), &old_pem), "sanity");
    let old_jobs = [env.job_names(KEY_GEN), env.job_names(CREATE_TOKEN)];
    assert!(old_jobs.iter().all(|j| j.len() == 1), "{old_jobs:?}");
    cli_named(&env, &["token", "revoke", "--yes", "--recreate"])
        .status(0)
        .run();
    assert_revoked(&env, &old_token, &old_pem, &old_pods);
    // The operator re-created both of its jobs under new names.
    for (prefix, old) in [KEY_GEN, CREATE_TOKEN].iter().zip(&old_jobs) {
        let now = env.job_names(prefix);
        assert_eq!(now.len(), 1, "{now:?}");
        assert_ne!(&now, old);
    }
}

fn revoke_original_with_named_objects(kind: Kind) {
    let Some(env) = start_on(kind) else { return };
    let (old_token, old_pem, old_pods) = (env.admin_token(), env.public_pem(), env.token_pods());
    cli_named(
        &env,
        &[
            "token",
            "revoke",
            "--yes",
            "--method",
            "original",
            "--recreate",
        ],
    )
    .status(0)
    .run();
    assert_revoked(&env, &old_token, &old_pem, &old_pods);
    let jobs = env.backend().jobs();
    for copy in [format!("{KEY_GEN}-001"), format!("{CREATE_TOKEN}-001")] {
        let job = jobs
            .iter()
            .find(|j| j["metadata"]["name"] == copy.as_str())
            .unwrap_or_else(|| {
                let names: Vec<_> = jobs.iter().map(|j| &j["metadata"]["name"]).collect();
                panic!("{copy} ran: the jobs are {names:?}")
            });
        assert!(influxctl_admin_testcluster::job_has_condition(
            job, "Complete"
        ));
    }
}

fn create_with_named_objects(kind: Kind) {
    let Some(env) = start_on(kind) else { return };
    let (old_token, pem) = (env.admin_token(), env.public_pem());
    cli_named(&env, &["token", "create", "--yes"])
        .status(0)
        .run();
    let new_token = env.admin_token();
    assert_ne!(new_token, old_token);
    assert_eq!(fs::read(env.token_file()).unwrap(), new_token);
    assert!(
        crypto::verify_jwt(&jwt_of(&new_token), &pem),
        "signed with the current keys"
    );
    assert!(env
        .job_names(CREATE_TOKEN)
        .contains(&format!("{CREATE_TOKEN}-001")));
}

#[test]
fn fetch_with_the_default_names_fails_cleanly_naming_the_secret() {
    let env = start();
    let rv = env.cluster().resource_version();
    let out = cli(&env, &["token", "fetch"]).status(1).run();
    let err = &out.stderr;
    assert!(err.contains("secrets \"admin-token\" not found"), "{err}");
    assert!(
        env.mutating_requests().is_empty(),
        "{:?}",
        env.mutating_requests()
    );
    assert!(!env.token_file().exists() && !env.config_path().exists());
    assert_eq!(env.cluster().resource_version(), rv, "nothing changed");
}

/// Revoke and create with the default names stop before their first change, with exit 1
/// and an error that names the missing job and the flags that fix it: no write request
/// reaches the cluster at all (before, the current method deleted nothing but then waited
/// the whole `--timeout` for the operator).
#[test]
fn revoke_and_create_with_the_default_names_fail_and_change_nothing() {
    let env = start();
    let rv = env.cluster().resource_version();
    for (args, missing) in [
        (
            &[
                "token",
                "revoke",
                "--yes",
                "--method",
                "original",
                "--recreate",
            ][..],
            "there is no key-gen job",
        ),
        (
            &["token", "create", "--yes"],
            "there is no create-admin-token job",
        ),
        (
            &["token", "revoke", "--yes", "--recreate"],
            "there is no key-gen job",
        ),
    ] {
        env.cluster().clear_requests();
        let out = cli(&env, args).status(1).run();
        let err = &out.stderr;
        assert!(err.contains(missing), "{args:?}: {err}");
        assert!(
            err.contains("nothing was changed")
                && (err.contains("--key-gen-job") || err.contains("--create-token-job")),
            "{args:?}: {err}"
        );
        let writes: Vec<_> = env
            .cluster()
            .requests()
            .into_iter()
            .filter(|r| r.method != "GET" && !r.path.contains("selfsubjectaccessreviews"))
            .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
            .collect();
        assert!(writes.is_empty(), "{args:?}: {writes:?}");
        assert_eq!(
            env.cluster().resource_version(),
            rv,
            "{args:?} changed nothing"
        );
    }
    assert!(!env.token_file().exists() && !env.config_path().exists());
}
