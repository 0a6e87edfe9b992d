//! `plan --shell` is a runnable script, not an illustration: run it with bash, the real
//! kubectl and jq against the test server, and check the cluster did what the plan says.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use influxctl_admin_testcluster::{crypto, Options};

mod support;
use support::Env;

fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("influxctl-admin")
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Prints the plan's script, then runs it with bash; returns its stderr on failure.
fn run_script(env: &Env, plan: &[&str]) -> String {
    let home = env.home();
    let path = format!("{}:{}", bin_dir().display(), std::env::var("PATH").unwrap());
    let script = env
        .cli()
        .arg("plan")
        .args(plan)
        .args(["--shell", "--timeout", "60"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let script = String::from_utf8(script).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("HOME", &home)
        .env("PATH", path)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the script failed:\n{script}\n--- stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    script
}

fn jwt(token_file: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(token_file).unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn the_original_revoke_script_rotates_the_keys() {
    let env = Env::with_cluster(Options::default());
    let cluster = env.cluster();
    let old_keys = cluster.secret("rsa-keys").unwrap();
    let old_token = cluster.secret("admin-token").unwrap()["token"].clone();
    run_script(&env, &["revoke", "--method", "original"]);
    let new_keys = cluster
        .secret("rsa-keys")
        .expect("key-gen re-created rsa-keys");
    assert_ne!(new_keys, old_keys);
    assert!(
        cluster.job("key-gen-001").is_some(),
        "the script re-ran the job as key-gen-001"
    );
    let pem = String::from_utf8(new_keys["public.pem"].clone()).unwrap();
    assert!(
        !crypto::verify_jwt(&jwt(&old_token), &pem),
        "the old token no longer verifies"
    );
}

#[test]
fn the_current_revoke_script_waits_for_the_operator() {
    let env = Env::with_cluster(Options::default());
    let cluster = env.cluster();
    let old_token = cluster.secret("admin-token").unwrap()["token"].clone();
    run_script(&env, &["revoke"]);
    let new_token = cluster
        .secret("admin-token")
        .expect("the operator re-created the token")["token"]
        .clone();
    assert_ne!(new_token, old_token);
    let pem = String::from_utf8(cluster.secret("rsa-keys").unwrap()["public.pem"].clone()).unwrap();
    assert!(crypto::verify_jwt(&jwt(&new_token), &pem));
    assert!(!crypto::verify_jwt(&jwt(&old_token), &pem));
}

#[test]
fn the_fetch_script_writes_the_token_and_the_profile() {
    let env = Env::with_cluster(Options::default());
    let cluster = env.cluster();
    let config_dir = cluster.home_dir().join(".config/influxctl");
    fs::create_dir_all(&config_dir).unwrap();
    fs::write(
        config_dir.join("config.toml"),
        "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n",
    )
    .unwrap();
    run_script(&env, &["fetch"]);
    let token_file = config_dir.join("token.json");
    assert_eq!(
        fs::read(&token_file).unwrap(),
        cluster.secret("admin-token").unwrap()["token"]
    );
    use std::os::unix::fs::PermissionsExt;
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
