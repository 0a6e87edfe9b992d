//! Issue 9, part A: what a hostile but realistic user does to the files the CLI reads and
//! writes (concurrent edits, FIFOs and devices, symlinks, owners and modes, BOMs and mixed
//! line endings, odd `profile` arrays, secrets in output, huge inputs, escape sequences).
//! One test per item of the issue, named after it, each driving the real binary on real
//! files (and, for `token fetch`, the real kubectl against the project's test cluster).

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use influxctl_admin::config::ConfigFile;
use influxctl_admin_testcluster::{Options, TestCluster};
use serde_json::Value;

/// Guards against a hang (a FIFO opened for reading blocks forever); not a timing check.
const HANG_GUARD: Duration = Duration::from_secs(60);

mod support;
use support::Env;

/// Names in `dir` that a write must not leave behind.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".lock"))
        .collect()
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("influxctl-admin")
}

fn mknod(args: &[&str]) {
    let status = Process::new(args[0]).args(&args[1..]).status().unwrap();
    assert!(status.success(), "{args:?}");
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn host_of(config: &str, profile: &str) -> Option<String> {
    ConfigFile::parse(config)
        .unwrap()
        .profile(profile)
        .ok()?
        .host
}

// ------------------------------------------------------------ 1. concurrent edits

#[test]
fn item01_twenty_parallel_edits_lose_nothing_and_no_loser_exits_0() {
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
            Process::new(bin())
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
    assert!(
        leftovers(env.root()).is_empty(),
        "{:?}",
        leftovers(env.root())
    );
}

#[test]
fn item01_a_held_lock_fails_with_exit_1_naming_it_and_how_to_clear_it() {
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
fn item01_token_fetch_takes_the_same_lock() {
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

// ------------------------------------------------------------ 2. FIFOs and devices

#[test]
fn item02_fifos_and_devices_are_refused_never_replaced_never_waited_on() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let fifo = env.path("fifo");
    let device = env.path("null");
    mknod(&["mkfifo", fifo.to_str().unwrap()]);
    mknod(&["mknod", "-m666", device.to_str().unwrap(), "c", "1", "3"]);
    let secret = env.write(
        "secret.json",
        r#"{"kind":"Secret","data":{"token":"dG9rZW4="}}"#,
    );
    let config = env.write(
        "config.toml",
        "[[profile]]\nname = \"default\"\nhost = \"h\"\n",
    );

    for target in [&fifo, &device] {
        let shown = target.to_str().unwrap();
        let runs = [
            env.with_config(target, &["profile", "list"]),
            env.with_config(
                target,
                &[
                    "profile",
                    "add",
                    "x",
                    "--product",
                    "clustered",
                    "--host",
                    "h",
                ],
            ),
            env.with_config(target, &["profile", "set", "default", "port", "1"]),
            env.run(&["secret", "decode", secret.to_str().unwrap(), "--out", shown]),
            env.with_config(
                &config,
                &[
                    "token",
                    "fetch",
                    "--token-file",
                    shown,
                    "--kubeconfig",
                    "/nonexistent",
                ],
            ),
        ];
        for run in runs {
            assert_ne!(run.code, 0, "{shown}: {run:?}");
            assert!(
                run.stderr.contains("not a regular file"),
                "{shown}: {run:?}"
            );
        }
    }
    // Data to read may be a pipe (`<(kubectl …)`), but a FIFO with no writer does not hang.
    for args in [
        &["secret", "decode", fifo.to_str().unwrap()][..],
        &["token", "inspect", fifo.to_str().unwrap()],
    ] {
        let run = env.run(args);
        assert_ne!(run.code, -1, "{args:?} hung: {run:?}");
    }
    let kind = |p: &Path| fs::symlink_metadata(p).unwrap().file_type();
    use std::os::unix::fs::FileTypeExt;
    assert!(kind(&fifo).is_fifo(), "the FIFO is still a FIFO");
    assert!(
        kind(&device).is_char_device(),
        "the device is still a device"
    );
    assert!(
        leftovers(env.root()).is_empty(),
        "{:?}",
        leftovers(env.root())
    );
}

// ------------------------------------------------------------ 3. symlinks

#[test]
fn item03_symlinks_are_written_through_to_their_targets() {
    let env = Env::new().hang_guard(HANG_GUARD);
    fs::create_dir(env.path("dotfiles")).unwrap();
    let real = env.write(
        "dotfiles/config.toml",
        "[[profile]]\nname = \"default\"\nhost = \"h\"\n",
    );
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    let link = env.path("config.toml");
    std::os::unix::fs::symlink("dotfiles/config.toml", &link).unwrap();
    let run = env.with_config(&link, &["profile", "set", "default", "port", "8443"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert!(
        fs::read_to_string(&real)
            .unwrap()
            .contains("port = \"8443\""),
        "the target was updated"
    );
    assert_eq!(
        fs::metadata(&real).unwrap().permissions().mode() & 0o7777,
        0o640
    );

    // A token file linked into a secrets directory: the same, and the target gets 0600.
    fs::create_dir(env.path("secrets")).unwrap();
    let real_token = env.write("secrets/token.json", "old");
    let token_link = env.path("token.json");
    std::os::unix::fs::symlink(&real_token, &token_link).unwrap();
    let secret = env.write(
        "secret.json",
        r#"{"kind":"Secret","data":{"token":"bmV3"}}"#,
    );
    let run = env.run(&[
        "secret",
        "decode",
        secret.to_str().unwrap(),
        "--out",
        token_link.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fs::symlink_metadata(&token_link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read(&real_token).unwrap(), b"new");
    assert_eq!(
        fs::metadata(&real_token).unwrap().permissions().mode() & 0o7777,
        0o600
    );
    for dir in [
        env.root().to_path_buf(),
        env.path("dotfiles"),
        env.path("secrets"),
    ] {
        assert!(leftovers(&dir).is_empty(), "{dir:?}: {:?}", leftovers(&dir));
    }
}

// ------------------------------------------------------------ 4. owners, modes, directories

#[test]
fn item04_owner_mode_and_read_only_are_respected_and_no_tree_is_created() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "[[profile]]\nname = \"default\"\nhost = \"h\"\n";
    let config = env.write("config.toml", text);
    fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&config, Some(4242), Some(4343)).unwrap();
    }
    let run = env.with_config(&config, &["profile", "set", "default", "port", "1"]);
    assert_eq!(run.code, 0, "{run:?}");
    let meta = fs::metadata(&config).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o600);
    if is_root() {
        assert_eq!(
            (meta.uid(), meta.gid()),
            (4242, 4343),
            "root's edit keeps the user's ownership"
        );
    }

    // Read-only: refused, as vim and kubectl do, and left alone.
    let read_only = env.write("ro.toml", text);
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).unwrap();
    let run = env.with_config(&read_only, &["profile", "set", "default", "port", "1"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("read-only"), "{run:?}");
    assert_eq!(fs::read_to_string(&read_only).unwrap(), text);
    assert_eq!(
        fs::metadata(&read_only).unwrap().permissions().mode() & 0o7777,
        0o444
    );

    // A mistyped directory is reported, not created.
    let typo = env.path("typo/dir/x.toml");
    let run = env.with_config(
        &typo,
        &[
            "profile",
            "add",
            "x",
            "--product",
            "clustered",
            "--host",
            "h",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("does not exist"), "{run:?}");
    assert!(!env.path("typo").exists(), "no directory tree was created");

    // influxctl's own config directory is created, as influxctl does.
    let run = env.run(&[
        "profile",
        "add",
        "x",
        "--product",
        "clustered",
        "--host",
        "h",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(env.path(".config/influxctl/config.toml").is_file());
}

// ------------------------------------------------------------ 5. untouched bytes

#[test]
fn item05_a_bom_and_mixed_line_endings_survive_an_edit_byte_for_byte() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "\u{feff}# written on Windows\r\n[[profile]]\r\n  name = \"default\"\n  host = \"h\"\r\n  port = \"1\"\n\r\n[[profile]]\n  name = \"b\"\r\n";
    let config = env.write("config.toml", text);
    let run = env.with_config(&config, &["profile", "set", "default", "port", "8443"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        text.replace("\"1\"", "\"8443\"")
    );
    let run = env.with_config(&config, &["profile", "set", "b", "host", "x"]);
    assert_eq!(run.code, 0, "{run:?}");
    let expected = text.replace("\"1\"", "\"8443\"") + "  host = \"x\"\r\n";
    assert_eq!(fs::read_to_string(&config).unwrap(), expected);
}

// ------------------------------------------------------------ 6. `profile` holding non-tables

#[test]
fn item06_edits_refuse_a_profile_array_with_non_tables() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "profile = [\"x\", {name=\"a\", host=\"h\"}, {name=\"b\"}]\n";
    let config = env.write("config.toml", text);
    for args in [
        &["profile", "remove", "a"][..],
        &["profile", "remove", "b"],
        &["profile", "set", "b", "host", "z"],
        &["profile", "rename", "a", "c"],
        &["profile", "unset", "a", "host"],
    ] {
        let run = env.with_config(&config, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains("array of tables"), "{args:?}: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{run:?}");
        assert_eq!(
            fs::read_to_string(&config).unwrap(),
            text,
            "{args:?} changed the file"
        );
    }
    // `profile` as a plain table: an error too, not a panic.
    let config = env.write("table.toml", "[profile]\nname = \"a\"\n");
    let run = env.with_config(&config, &["profile", "remove", "a"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("array of tables"), "{run:?}");
}

// ------------------------------------------------------------ 7/8. secrets in output

const SECRETS: &str = r#"[[profile]]
  name = "default"
  product = "clustered"
  host = "h"
  token = "apiv3_INLINE_TOKEN"
  mgmt_token = "apiv3_MGMT_TOKEN"

  [profile.auth.oauth2]
    client_id = "cid"
    client_secret = "OAUTH_CLIENT_SECRET"
"#;

fn assert_hidden(what: &str, text: &str) {
    for secret in [
        "apiv3_INLINE_TOKEN",
        "apiv3_MGMT_TOKEN",
        "OAUTH_CLIENT_SECRET",
        "apiv3_UNQUOTED",
        "apiv3_SECRET",
    ] {
        assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
    }
}

#[test]
fn item07_config_lint_never_prints_a_token_as_a_placeholder() {
    let env = Env::new().hang_guard(HANG_GUARD);
    // Real-looking tokens: runs of capitals, digits and `_` occur in them by chance.
    let tokens: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "apiv1_{}ABCD_{i}XYZ_Q{}",
                "k9".repeat(i % 7 + 1),
                "Zz".repeat(i % 5)
            )
        })
        .collect();
    for token in &tokens {
        let config = env.write(
            "config.toml",
            format!(
                "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n  token = \"{token}\"\n  mgmt_token = \"{token}\"\n  [profile.auth.oauth2]\n    client_id = \"c\"\n    client_secret = \"{token}\"\n"
            ),
        );
        for output in [&[][..], &["--output", "json"][..]] {
            let mut args = output.to_vec();
            args.extend(["config", "lint"]);
            let run = env.with_config(&config, &args);
            assert!(
                !run.stdout.contains(token.as_str()) && !run.stderr.contains(token.as_str()),
                "config lint printed {token}: {run:?}"
            );
        }
    }
    // A documentation placeholder in a secret key is still flagged, without its value.
    let config = env.write(
        "config.toml",
        "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n  token = \"DATABASE_TOKEN\"\n",
    );
    let run = env.with_config(&config, &["config", "lint"]);
    assert!(run.stdout.contains("placeholder"), "{run:?}");
    assert!(!run.stdout.contains("DATABASE_TOKEN"), "{run:?}");
}

#[test]
fn item08_diffs_and_errors_hide_secret_values_unless_asked() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let config = env.write("config.toml", SECRETS);
    let path = config.to_str().unwrap();
    let runs = [
        (
            "set --dry-run",
            env.with_config(
                &config,
                &["--dry-run", "profile", "set", "default", "port", "1"],
            ),
        ),
        (
            "set json",
            env.with_config(
                &config,
                &[
                    "--output",
                    "json",
                    "--dry-run",
                    "profile",
                    "set",
                    "default",
                    "port",
                    "1",
                ],
            ),
        ),
        (
            "rename",
            env.with_config(
                &config,
                &["--dry-run", "profile", "rename", "default", "prod"],
            ),
        ),
        (
            "unset token",
            env.with_config(
                &config,
                &["--dry-run", "profile", "unset", "default", "token"],
            ),
        ),
        (
            "set token",
            env.with_config(
                &config,
                &[
                    "--dry-run",
                    "profile",
                    "set",
                    "default",
                    "mgmt_token",
                    "apiv3_SECRET",
                ],
            ),
        ),
        (
            "show",
            env.with_config(&config, &["profile", "show", "default"]),
        ),
        (
            "fetch --dry-run",
            env.run(&[
                "--config",
                path,
                "--dry-run",
                "token",
                "fetch",
                "--token-file",
                "/t/token.json",
                "--kubeconfig",
                "/nonexistent",
            ]),
        ),
    ];
    for (what, run) in &runs {
        assert_eq!(run.code, 0, "{what}: {run:?}");
        assert_hidden(what, &run.stdout);
        assert_hidden(what, &run.stderr);
    }
    assert!(
        runs[0].1.stdout.contains(" token = \"<hidden>\"\n"),
        "diff context names the key: {:?}",
        runs[0].1
    );
    assert!(
        runs[3].1.stdout.contains("\n-  token = \"<hidden>\"\n"),
        "{:?}",
        runs[3].1
    );
    // A changed secret still shows as a changed line.
    assert!(
        runs[4]
            .1
            .stdout
            .contains("\n-  mgmt_token = \"<hidden>\"\n+  mgmt_token = \"<hidden>\"\n"),
        "{:?}",
        runs[4].1
    );
    let doc: Value = serde_json::from_str(&runs[1].1.stdout).unwrap();
    assert!(doc["diff"].as_str().unwrap().contains("<hidden>"));

    // --show-secrets shows them.
    let run = env.with_config(
        &config,
        &[
            "--dry-run",
            "--show-secrets",
            "profile",
            "set",
            "default",
            "port",
            "1",
        ],
    );
    assert!(run.stdout.contains("apiv3_MGMT_TOKEN"), "{run:?}");
    let run = env.with_config(&config, &["profile", "show", "default", "--show-secrets"]);
    assert!(run.stdout.contains("OAUTH_CLIENT_SECRET"), "{run:?}");

    // The most common paste mistake: an unquoted token. Text and JSON errors hide it.
    let broken = env.write(
        "broken.toml",
        "[[profile]]\n  name = \"default\"\n  mgmt_token = apiv3_UNQUOTED\n",
    );
    for args in [
        &["profile", "list"][..],
        &["--output", "json", "profile", "list"],
        &["config", "lint"],
    ] {
        let run = env.with_config(&broken, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains("line 3"), "{run:?}");
        assert_hidden("parse error", &run.stdout);
        assert_hidden("parse error", &run.stderr);
    }
    // An invalid secret value is not echoed either.
    let run = env.with_config(
        &config,
        &["profile", "set", "default", "token", "apiv3_SECRET\r"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_hidden("invalid value", &run.stderr);
    assert_eq!(fs::read_to_string(&config).unwrap(), SECRETS);
}

// ------------------------------------------------------------ 14. unbounded input

#[test]
fn item14_inputs_are_capped_with_an_error_naming_the_file_and_the_limit() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let mut huge = String::from("[[profile]]\nname = \"default\"\nhost = \"h\"\n");
    while huge.len() <= 5 * 1024 * 1024 {
        huge.push_str(
            "# padding padding padding padding padding padding padding padding padding\n",
        );
    }
    let config = env.write("config.toml", &huge);
    for args in [
        &["profile", "list"][..],
        &["profile", "set", "default", "port", "1"],
    ] {
        let run = env.with_config(&config, args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains(config.to_str().unwrap()) && run.stderr.contains("4 MiB"),
            "{run:?}"
        );
    }
    assert_eq!(fs::read_to_string(&config).unwrap(), huge);

    for args in [
        &["secret", "decode", "/dev/zero"][..],
        &["token", "inspect", "/dev/zero"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("/dev/zero") && run.stderr.contains("4 MiB"),
            "{run:?}"
        );
    }
    // Standard input that never ends (assert_cmd's pipe_stdin would read it all first).
    let out = Process::new(bin())
        .args(["secret", "decode", "-"])
        .stdin(fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("standard input") && stderr.contains("4 MiB"),
        "{stderr}"
    );
}

// ------------------------------------------------------------ 17. output hygiene

#[test]
fn item17_control_characters_are_escaped_and_excerpts_capped() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let config = env.write(
        "config.toml",
        "[[profile]]\nname = \"evil\\u001b]0;pwned\\u0007\\r\"\nproduct = \"clustered\"\nhost = \"h\\u001b[2J\"\n",
    );
    let run = env.with_config(&config, &["profile", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        !run.stdout.contains('\u{1b}')
            && !run.stdout.contains('\u{7}')
            && !run.stdout.contains('\r'),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("evil\\u{1b}]0;pwned\\u{7}\\r"),
        "{run:?}"
    );
    let run = env.with_config(&config, &["profile", "show", "nope\u{1b}[31m"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!run.stderr.contains('\u{1b}'), "{run:?}");

    // Raw control bytes in a broken file are escaped in the quoted line.
    let broken = env.write(
        "broken.toml",
        "[[profile]]\nname = \"a\u{1b}]0;x\u{7}\0\"\n",
    );
    let run = env.with_config(&broken, &["profile", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\0'),
        "{run:?}"
    );

    // A 200 KB line is quoted as an excerpt, not whole.
    let deep = env.write(
        "deep.toml",
        format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let run = env.with_config(&deep, &["profile", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of error",
        run.stderr.len()
    );

    // A deep dotted key: the error points at its line.
    let dotted = env.write(
        "dotted.toml",
        format!(
            "[[profile]]\nname = \"a\"\n{} = 1\n",
            vec!["k"; 300].join(".")
        ),
    );
    let run = env.with_config(&dotted, &["profile", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("line 3"), "{run:?}");
    assert!(run.stderr.len() < 2_000, "{run:?}");
}

// ------------------------------------------------------------ Ctrl-C during writes

/// Runs `args` under strace, which holds the first fsync (the temporary file's) back so
/// that the moment is certain, sends Ctrl-C to the writer while its temporary file exists,
/// and waits for it to end. Returns false (and the test skips) without strace.
fn interrupt_while_writing(env: &Env, home: &Path, args: &[&str]) -> bool {
    if Process::new("strace").arg("-V").output().is_err() {
        eprintln!("skipped: strace is not installed");
        return false;
    }
    // Without -f: only influxctl-admin itself is held back, never kubectl.
    let mut child = Process::new("strace")
        .args(["-qq", "-o", "/dev/null", "-e", "trace=fsync"])
        .args(["-e", "inject=fsync:delay_exit=10000000"])
        .arg(bin())
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
    assert!(
        leftovers(env.root()).is_empty(),
        "{:?}",
        leftovers(env.root())
    );
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
    assert!(
        leftovers(env.root()).is_empty(),
        "{:?}",
        leftovers(env.root())
    );
    assert_eq!(fs::read_to_string(&config).unwrap(), text);
    assert!(!token_file.exists());
}
