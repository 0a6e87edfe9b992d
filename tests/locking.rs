//! Concurrent and interrupted writes of the files the CLI edits: parallel edits lose
//! nothing, a held lock fails naming it, `token fetch` takes the same lock, and Ctrl-C
//! during a write leaves no temporary file and no lock. Each drives the real binary on real
//! files (and, for `token fetch`, the real kubectl against the project's test cluster).

use influxctl_admin::config::ConfigFile;
use influxctl_admin_testcluster::Options;
use influxctl_admin_testcluster::TestCluster;
use std::fs;
use std::path::Path;
use std::process::Command as Process;
use std::process::Stdio;
use std::time::Duration;

mod support;
use support::{bin_path, Env, HANG_GUARD};

fn host_of(config: &str, profile: &str) -> Option<String> {
    ConfigFile::parse(config)
        .unwrap()
        .profile(profile)
        .ok()?
        .host
}

// ------------------------------------------------------------ concurrent edits

#[test]
fn twenty_parallel_edits_lose_nothing_and_no_loser_exits_0() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let mut text = String::new();
    for n in 0..20 {
        text.push_str(&format!(
            "[[profile]]\n  name = \"p{n}\"\n  product = \"clustered\"\n  host = \"old{n}\"\n\n"
        ));
    }
    let config = env.write("config.toml", &text);
    let children: Vec<_> = (0..20)
        .map(|n| {
            Process::new(bin_path())
                .args([
                    "--config",
                    config.to_str().unwrap(),
                    "profile",
                    "set",
                    &format!("p{n}"),
                    "host",
                    &format!("new{n}"),
                ])
                .env("HOME", env.root())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let results: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let after = fs::read_to_string(&config).unwrap();
    let mut silent_losses = Vec::new();
    for (n, out) in results.iter().enumerate() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let applied = host_of(&after, &format!("p{n}")) == Some(format!("new{n}"));
        if out.status.success() && !applied {
            silent_losses.push(n);
        }
        assert!(out.status.success(), "edit {n} failed: {stderr}");
    }
    assert!(
        silent_losses.is_empty(),
        "edits reported as done but lost: {silent_losses:?}\n{after}"
    );
    env.assert_no_leftovers();
}

#[test]
fn a_held_lock_fails_with_exit_1_naming_it_and_how_to_clear_it() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "[[profile]]\nname = \"a\"\nhost = \"h\"\n";
    let config = env.write("config.toml", text);
    let lock = env.write("config.toml.lock", "999999999\n");
    let run = env.with_config(&config, &["profile", "set", "a", "port", "1111"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains(lock.to_str().unwrap()), "{run:?}");
    assert!(
        run.stderr.contains(&format!("rm {}", lock.display())),
        "{run:?}"
    );
    assert_eq!(fs::read_to_string(&config).unwrap(), text);
    assert!(lock.exists(), "someone else's lock is never removed");
    fs::remove_file(&lock).unwrap();
    assert_eq!(
        env.with_config(&config, &["profile", "set", "a", "port", "1111"])
            .code,
        0
    );
}

#[test]
fn token_fetch_takes_the_same_lock() {
    let cluster = TestCluster::start(Options::default());
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n";
    let config = env.write("config.toml", text);
    let lock = env.write("config.toml.lock", "999999999\n");
    let token_file = env.path("token.json");
    let out = env
        .command()
        .env("HOME", cluster.home_dir())
        .args([
            "--config",
            config.to_str().unwrap(),
            "token",
            "fetch",
            "--token-file",
            token_file.to_str().unwrap(),
        ])
        .arg("--kubeconfig")
        .arg(cluster.kubeconfig_path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(lock.to_str().unwrap()), "{stderr}");
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        text,
        "the config is untouched"
    );
    assert!(
        !token_file.exists(),
        "no token file is written when the config cannot be"
    );
}

// ------------------------------------------------------------ Ctrl-C during writes

/// Runs `args` under strace, which holds the first fsync (the temporary file's) back so
/// that the moment is certain, sends Ctrl-C to the writer while its temporary file exists,
/// and waits for it to end. Returns false (and the test skips, loudly) without strace;
/// under CI, where scripts/test installs it, a missing strace fails the test.
fn interrupt_while_writing(env: &Env, home: &Path, args: &[&str]) -> bool {
    if Process::new("strace").arg("-V").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "strace is not installed: scripts/test installs it (Debian's strace)"
        );
        eprintln!("SKIPPED: strace is not installed (scripts/test installs it)");
        return false;
    }
    // Without -f: only influxctl-admin itself is held back, never kubectl.
    let mut child = Process::new("strace")
        .args(["-qq", "-o", "/dev/null", "-e", "trace=fsync"])
        .args(["-e", "inject=fsync:delay_exit=10000000"])
        .arg(bin_path())
        .args(args)
        .env("HOME", home)
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The temporary file's name carries the writer's process id.
    let pid = loop {
        let temp = fs::read_dir(env.root())
            .unwrap()
            .filter_map(Result::ok)
            .find_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".tmp")
                    .then(|| name.split('.').nth(3).map(str::to_owned))
                    .flatten()
            });
        if let Some(pid) = temp {
            break pid;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?} ended before it wrote"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(
        env.path("config.toml.lock").exists(),
        "the config's lock is held while a file is written"
    );
    assert!(Process::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(!status.success(), "an interrupted command does not exit 0");
    true
}

/// Ctrl-C during an edit's write: the temporary file and the lock go, the config stays.
#[test]
fn ctrl_c_during_a_write_leaves_no_temp_file_and_no_lock() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "[[profile]]\nname = \"default\"\nhost = \"old\"\n";
    let config = env.write("config.toml", text);
    let args = [
        "--config",
        config.to_str().unwrap(),
        "profile",
        "set",
        "default",
        "host",
        "new",
    ];
    if !interrupt_while_writing(&env, env.root(), &args) {
        return;
    }
    env.assert_no_leftovers();
    assert_eq!(fs::read_to_string(&config).unwrap(), text);
}

/// The same during `token fetch`, after kubectl ran (whose own Ctrl-C handling is then
/// installed): no temporary file, no lock, no token file, the config as it was.
#[test]
fn ctrl_c_during_token_fetch_write_leaves_no_temp_file_and_no_lock() {
    let cluster = TestCluster::start(Options::default());
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n";
    let config = env.write("config.toml", text);
    let token_file = env.path("token.json");
    let kubeconfig = cluster.kubeconfig_path();
    let args = [
        "--config",
        config.to_str().unwrap(),
        "token",
        "fetch",
        "--token-file",
        token_file.to_str().unwrap(),
        "--kubeconfig",
        kubeconfig.to_str().unwrap(),
    ];
    if !interrupt_while_writing(&env, &cluster.home_dir(), &args) {
        return;
    }
    env.assert_no_leftovers();
    assert_eq!(fs::read_to_string(&config).unwrap(), text);
    assert!(!token_file.exists());
}
