//! Issue 9, part B: the hostile-but-realistic inputs and procedure faults, each against the
//! real binary, and where a cluster is involved the real kubectl against the project's test
//! server. One test per item of the issue, named after it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Std;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use base64::Engine;
use influxctl_admin_testcluster::{crypto, Options, TestCluster};
use serde_json::Value;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("influxctl-admin").unwrap();
    cmd.env_remove("KUBECONFIG")
        .env_remove("KUBECTL")
        .env_remove("INFLUXCTL_PROFILE");
    cmd
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

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

mod support;
use support::Env;

fn jwt_of(token_file: &[u8]) -> String {
    let v: Value = serde_json::from_slice(token_file).unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

// ---------------------------------------------------------------------------------------
// 9. `secret decode`'s YAML reader
// ---------------------------------------------------------------------------------------

#[test]
fn item_09_secret_decode_reads_kubectl_yaml_strictly() {
    let dir = tempfile::tempdir().unwrap();
    let decode = |input: &[u8], args: &[&str]| {
        bin()
            .args(["secret", "decode", "-"])
            .args(args)
            .write_stdin(input.to_vec())
            .assert()
    };

    // Two Secrets separated by `---` were merged (the second won, exit 0).
    let two = "apiVersion: v1\nkind: Secret\ndata:\n  token: Zmlyc3Q=\n---\napiVersion: v1\nkind: Secret\ndata:\n  token: c2Vjb25k\n";
    let out = decode(two.as_bytes(), &[]).code(2);
    assert!(
        stderr(&out).contains("2 YAML documents (2 of them Secrets)"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    // A stringData block scalar was the single byte `|`, written to --out with exit 0.
    let out_file = dir.path().join("token.json");
    let block = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: admin-token\nstringData:\n  token: |\n    {\"access_token\": \"x\",\n     \"token_type\": \"Bearer\"}\ntype: Opaque\n";
    decode(block.as_bytes(), &["--out", out_file.to_str().unwrap()]).success();
    assert_eq!(
        fs::read_to_string(&out_file).unwrap(),
        "{\"access_token\": \"x\",\n \"token_type\": \"Bearer\"}\n"
    );

    // Flow style and tab indentation exited 0 with no keys.
    let out = decode(b"kind: Secret\ndata: {token: YQ==}\n", &[]).code(2);
    assert!(
        stderr(&out).contains("unsupported YAML: flow style") && stderr(&out).contains("at line 2"),
        "{}",
        stderr(&out)
    );
    let out = decode(b"kind: Secret\ndata:\n\ttoken: YQ==\n", &[]).code(2);
    assert!(
        stderr(&out).contains("unsupported YAML: a tab in the indentation")
            && stderr(&out).contains("at line 3"),
        "{}",
        stderr(&out)
    );
    let out = decode(
        b"kind: Secret\ndata:\n  token: &k YQ==\n",
        &["--output", "json"],
    )
    .code(2);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("anchor"),
        "{report}"
    );

    // UTF-16 (PowerShell's `>`) and a top-level JSON array are named; a UTF-8 BOM is skipped.
    let utf16: Vec<u8> = "\u{feff}apiVersion: v1\r\nkind: Secret\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let out = decode(&utf16, &[]).code(2);
    assert!(
        stderr(&out).contains("UTF-16") && stderr(&out).contains("PowerShell"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("Invalid symbol"), "{}", stderr(&out));
    let out = decode(br#"[{"kind":"Secret","data":{"token":"YQ=="}}]"#, &[]).code(2);
    assert!(
        stderr(&out).contains("JSON array (1 item)"),
        "{}",
        stderr(&out)
    );
    let out = decode(
        b"\xef\xbb\xbfkind: Secret\ndata:\n  token: aGVsbG8=\n",
        &["--reveal"],
    )
    .success();
    assert_eq!(out.get_output().stdout, b"hello");

    // What the real kubectl prints decodes to the secret's exact bytes; a List of two is refused.
    let cluster = TestCluster::start(Options::default());
    let yaml = cluster
        .kubectl()
        .args(["get", "secret", "admin-token", "-o", "yaml"])
        .output()
        .unwrap();
    assert!(yaml.status.success());
    let out_file = dir.path().join("from-kubectl.json");
    decode(
        &yaml.stdout,
        &["--key", "token", "--out", out_file.to_str().unwrap()],
    )
    .success();
    assert_eq!(
        fs::read(&out_file).unwrap(),
        cluster.secret("admin-token").unwrap()["token"]
    );
    let list = cluster
        .kubectl()
        .args(["get", "secret", "admin-token", "rsa-keys", "-o", "yaml"])
        .output()
        .unwrap();
    let out = decode(&list.stdout, &[]).code(2);
    assert!(
        stderr(&out).contains("a List of 2 items (2 of them Secrets)"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------
// 10. `token inspect`: NumericDate, invalid claims, alg none
// ---------------------------------------------------------------------------------------

#[test]
fn item_10_token_inspect_reads_numeric_dates_and_flags_bad_claims() {
    let dir = tempfile::tempdir().unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let write = |name: &str, header: &str, claims: &str| {
        let path = dir.path().join(name);
        let jwt = format!("{}.{}.{}", b64(header), b64(claims), b64("signature"));
        fs::write(
            &path,
            format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#),
        )
        .unwrap();
        path
    };
    let inspect = |path: &Path, json: bool| {
        let mut cmd = bin();
        cmd.args(["token", "inspect"]).arg(path);
        if json {
            cmd.args(["--output", "json"]);
        }
        cmd.assert().success()
    };

    // A fractional exp in 2020 was "never (no exp claim)".
    let fractional = write(
        "fractional.json",
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"sub":"admin","iat":1577836800.5,"exp":1600000000.25}"#,
    );
    let text = stdout(&inspect(&fractional, false));
    assert!(
        text.contains("expired:     2020-09-13 12:26:40 UTC"),
        "{text}"
    );
    assert!(
        text.contains("issued:      2020-01-01 00:00:00 UTC"),
        "{text}"
    );
    let report: Value = serde_json::from_str(&stdout(&inspect(&fractional, true))).unwrap();
    assert_eq!(report["report"]["jwt"]["expires"]["unix"], 1_600_000_000);
    assert_eq!(
        report["report"]["jwt"]["invalid_claims"],
        serde_json::json!([])
    );
    assert_eq!(report["report"]["jwt"]["unsecured"], false);

    // A string exp is an invalid claim, not "never expires".
    let string_exp = write(
        "string.json",
        r#"{"alg":"RS256"}"#,
        r#"{"exp":"1600000000"}"#,
    );
    let text = stdout(&inspect(&string_exp, false));
    assert!(
        text.contains("expires:     unknown: the exp claim is invalid (a string"),
        "{text}"
    );
    assert!(!text.contains("never"), "{text}");
    let report: Value = serde_json::from_str(&stdout(&inspect(&string_exp, true))).unwrap();
    assert_eq!(report["report"]["jwt"]["invalid_claims"][0]["claim"], "exp");

    // alg none is flagged.
    let none = write("none.json", r#"{"alg":"none"}"#, r#"{"sub":"admin"}"#);
    let text = stdout(&inspect(&none, false));
    assert!(
        text.contains("alg is `none`: the token is unsigned"),
        "{text}"
    );
    let report: Value = serde_json::from_str(&stdout(&inspect(&none, true))).unwrap();
    assert_eq!(report["report"]["jwt"]["unsecured"], true);

    // Out-of-range dates are invalid claims, and nothing overflows.
    let huge = write(
        "huge.json",
        r#"{"alg":"RS256"}"#,
        r#"{"exp":1e300,"iat":-9223372036854775808}"#,
    );
    let text = stdout(&inspect(&huge, false));
    assert!(
        text.contains("the exp claim is invalid (1e300 is out of range"),
        "{text}"
    );
    assert!(text.contains("the iat claim is invalid"), "{text}");
}

// ---------------------------------------------------------------------------------------
// 11. Every sequence of create, revoke (both methods, with and without --recreate), fetch
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
        let out = env.cli().config().args(&args).assert();
        let err = stderr(&out);
        assert!(
            out.get_output().status.success(),
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
                    stdout(&out).contains("next:"),
                    "{step}: says what to do next: {}",
                    stdout(&out)
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
    support::run_shell_script(&stdout(&script), &cluster.home_dir());
}

#[test]
fn item_11_create_revoke_and_fetch_work_in_any_order() {
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
        // The issue's reproduction: create then revoke.
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
    let tf = env.token_file();
    env.cli()
        .config()
        .args([
            "token",
            "create",
            "--yes",
            "--host",
            "h",
            "--token-file",
            tf.to_str().unwrap(),
        ])
        .assert()
        .success();
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
fn item_11_without_the_operator_the_hint_names_the_copy_and_the_way_out() {
    let env = Env::on(quick_cluster());
    let tf = env.token_file();
    let tf = tf.to_str().unwrap();
    env.cli()
        .config()
        .args([
            "token",
            "create",
            "--yes",
            "--host",
            "h",
            "--token-file",
            tf,
        ])
        .assert()
        .success();
    env.cluster().set_operator(false);
    let out = env
        .cli()
        .config()
        .args(["token", "revoke", "--yes", "--timeout", "2"])
        .assert()
        .code(1);
    let err = stderr(&out);
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
        .assert()
        .success();
    let token = env.admin_token();
    assert!(crypto::verify_jwt(&jwt_of(&token), &env.public_pem()));
    assert_eq!(fs::read(tf).unwrap(), token);
}

// ---------------------------------------------------------------------------------------
// 12. --timeout is bounded; no panic on any number
// ---------------------------------------------------------------------------------------

#[test]
fn item_12_timeout_is_bounded_as_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    for bad in [
        "18446744073709551615",
        "0",
        "86401",
        "-1",
        "99999999999999999999999",
    ] {
        let out = bin()
            .args([
                "--config",
                config.to_str().unwrap(),
                "token",
                "revoke",
                "--yes",
                "--kubectl",
                "/nonexistent/kubectl",
                "--timeout",
                bad,
            ])
            .assert()
            .code(2);
        let err = stderr(&out);
        assert!(
            err.contains("--timeout") || err.contains("unexpected argument '-1'"),
            "{bad}: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{bad}: {err}"
        );
    }
    let out = bin()
        .args(["plan", "revoke", "--timeout", "86400"])
        .assert()
        .success();
    assert!(
        stdout(&out).contains("--timeout=86400s"),
        "{}",
        stdout(&out)
    );
    assert!(!config.exists());
}

// ---------------------------------------------------------------------------------------
// 13. kubectl's whole process group ends on a timeout or Ctrl-C
// ---------------------------------------------------------------------------------------

/// A kubeconfig for `cluster` whose user logs in with an `exec:` credential plugin that
/// writes its PID to `pid_file` and then waits forever (a login helper waiting for input).
fn hanging_plugin_kubeconfig(cluster: &TestCluster, dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let pid_file = dir.join("plugin.pid");
    let plugin = dir.join("slow-login");
    fs::write(
        &plugin,
        format!(
            "#!/bin/sh\necho $$ > '{}'\nwhile :; do sleep 1; done\n",
            pid_file.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&plugin, fs::Permissions::from_mode(0o755)).unwrap();
    let exec = format!(
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {}\n      interactiveMode: Never\n",
        plugin.display()
    );
    let kubeconfig = cluster.kubeconfig();
    let token_line = kubeconfig
        .lines()
        .find(|l| l.trim_start().starts_with("token:"))
        .expect("the kubeconfig has a token");
    let path = dir.join("kubeconfig");
    fs::write(&path, kubeconfig.replace(&format!("{token_line}\n"), &exec)).unwrap();
    (path, pid_file)
}

/// Whether `pid` is a live process (a zombie left for PID 1 to reap is not).
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !matches!(
            stat.rsplit_once(") ").map(|(_, r)| &r[..1]),
            Some("Z" | "X")
        )
    })
}

fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    cond()
}

#[test]
fn item_13_a_timeout_or_ctrl_c_ends_kubectl_and_its_credential_plugin() {
    let cluster = TestCluster::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let (kubeconfig, pid_file) = hanging_plugin_kubeconfig(&cluster, dir.path());
    let config = dir.path().join("config.toml");
    let token_file = dir.path().join("token.json");
    let args = |timeout: &str| {
        vec![
            "--config".to_owned(),
            config.display().to_string(),
            "token".into(),
            "fetch".into(),
            "--host".into(),
            "h".into(),
            "--token-file".into(),
            token_file.display().to_string(),
            "--kubeconfig".into(),
            kubeconfig.display().to_string(),
            "--timeout".into(),
            timeout.into(),
        ]
    };

    // The timeout: kubectl and the plugin are stopped, and the message says what ran.
    let out = bin()
        .env("HOME", cluster.home_dir())
        .args(args("2"))
        .assert()
        .code(1);
    let err = stderr(&out);
    let pid: u32 = fs::read_to_string(&pid_file)
        .expect("the plugin ran")
        .trim()
        .parse()
        .unwrap();
    assert!(
        !alive(pid),
        "the credential plugin (pid {pid}) outlived the timeout:\n{err}"
    );
    assert!(err.contains("did not finish within 2s"), "{err}");
    assert!(
        err.contains(&format!("slow-login (pid {pid})")),
        "says what was still running: {err}"
    );
    assert!(err.contains("credential plugin"), "{err}");
    assert!(
        !err.contains("API server may be slow"),
        "does not blame the API server: {err}"
    );
    assert!(!token_file.exists() && !config.exists());

    // Ctrl-C: the same, and the process then ends by SIGINT as a shell expects.
    fs::remove_file(&pid_file).unwrap();
    let child = Std::new(assert_cmd::cargo::cargo_bin("influxctl-admin"))
        .env("HOME", cluster.home_dir())
        .env_remove("KUBECONFIG")
        .args(args("600"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for(Duration::from_secs(60), || fs::read_to_string(&pid_file)
            .is_ok_and(|p| p.ends_with('\n'))),
        "the plugin started"
    );
    let pid: u32 = fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(pid));
    assert!(Std::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        out.status.signal(),
        Some(2),
        "ends by SIGINT: {:?}\n{err}",
        out.status
    );
    assert!(
        !alive(pid),
        "the credential plugin (pid {pid}) outlived Ctrl-C:\n{err}"
    );
    assert!(err.contains("interrupted by Ctrl-C (SIGINT)"), "{err}");
    assert!(err.contains("slow-login (pid"), "{err}");
}

// ---------------------------------------------------------------------------------------
// 15. The saved jobs-manifest file stays bounded
// ---------------------------------------------------------------------------------------

#[test]
fn item_15_the_saved_job_manifests_stay_bounded() {
    let env = Env::on(quick_cluster());
    // Keyed by the cluster too (issue 16 §8): `influxctl-admin-jobs-influxdb-HASH.json`.
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
            .assert()
            .success();
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
        .assert()
        .code(1);
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
        .assert()
        .success();
    assert!(crypto::verify_jwt(
        &jwt_of(&env.admin_token()),
        &env.public_pem()
    ));
}

// ---------------------------------------------------------------------------------------
// 16. doctor reports a malformed kubectl reply as such
// ---------------------------------------------------------------------------------------

#[test]
fn item_16_doctor_reports_a_malformed_kubectl_reply() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::on(TestCluster::start(Options::default()));
    fs::write(
        env.config_path(),
        "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h.example.com\"\n",
    )
    .unwrap();
    let kubectl = which::which("kubectl").expect("kubectl on PATH");
    // The real kubectl, except for `get jobs` (cut short) and `get pods` (JSON, not a list).
    let wrapper = env.root().join("kubectl-wrapper");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\ncase \"$*\" in\n  *' get jobs '*) printf '{{\"apiVersion\": \"v1\", \"items\": [{{\"metadata\": {{\"na'; exit 0;;\n  *' get pods '*) echo '{{\"kind\": \"Status\"}}'; exit 0;;\nesac\nexec '{}' \"$@\"\n",
            kubectl.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .cli()
        .config()
        .args([
            "doctor",
            "--kubectl",
            wrapper.to_str().unwrap(),
            "--output",
            "json",
        ])
        .assert()
        .code(1);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let checks = report["checks"].as_array().unwrap();
    let job = checks.iter().find(|c| c["name"] == "job").unwrap();
    assert_eq!(job["level"], "fail", "{report:#}");
    let message = job["message"].as_str().unwrap();
    assert!(
        message.contains("reply to `get jobs -o json` is not valid JSON"),
        "{message}"
    );
    assert!(!message.contains("no key-gen"), "{message}");
    assert!(job["hint"].as_str().unwrap().contains("--kubectl"), "{job}");
    let pods = checks
        .iter()
        .find(|c| c["name"] == "token-management")
        .unwrap();
    assert!(
        pods["message"].as_str().unwrap().contains("not a list"),
        "{pods}"
    );
    assert!(
        checks
            .iter()
            .any(|c| c["name"] == "admin token" && c["level"] == "ok"),
        "the rest still works: {report:#}"
    );
    // The real kubectl: all is well.
    env.cli().config().args(["doctor"]).assert().success();
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
    let plan = stdout(
        &env.cli()
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
            .assert()
            .success(),
    );
    assert!(
        plan.contains(&format!("\nKEY_GEN_JOB={key_gen}\n")),
        "{plan}"
    );
    assert!(!plan.contains("\nKEY_GEN_JOB=$(jq"), "{plan}");

    let keys = env.public_pem();
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
            "key-gen-nosuch",
        ])
        .assert()
        .code(1);
    assert!(
        stderr(&out).contains("there is no job named key-gen-nosuch"),
        "{}",
        stderr(&out)
    );
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
        .assert()
        .code(2);
    assert!(
        stderr(&bad).contains("job \"Key Gen\" is not a valid Kubernetes name"),
        "{}",
        stderr(&bad)
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
        .assert()
        .success();
    assert!(
        stdout(&out).contains(&format!("KEY_GEN_JOB={key_gen} (as given)"))
            || stderr(&out).contains(&format!("KEY_GEN_JOB={key_gen} (as given)"))
    );
    assert_ne!(env.public_pem(), keys, "new signing keys");
    assert!(
        env.cluster().job("key-gen-001").is_some(),
        "the named job was copied as key-gen-001"
    );
}
