//! Config paths that are not plain files, or not the user's: FIFOs and devices are refused
//! (never replaced, never waited on), symlinks are written through to their targets, and
//! owners, modes and read-only files are respected. The real binary on real files.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command as Process;

mod support;
use support::{leftovers, Env, HANG_GUARD};

fn mknod(args: &[&str]) {
    let status = Process::new(args[0]).args(&args[1..]).status().unwrap();
    assert!(status.success(), "{args:?}");
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

// ------------------------------------------------------------ FIFOs and devices

#[test]
fn fifos_and_devices_are_refused_never_replaced_never_waited_on() {
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
    env.assert_no_leftovers();
}

// ------------------------------------------------------------ symlinks

#[test]
fn symlinks_are_written_through_to_their_targets() {
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

// ------------------------------------------------------------ owners, modes, directories

#[test]
fn owner_mode_and_read_only_are_respected_and_no_tree_is_created() {
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
