//! Config files with unusual contents: a BOM and mixed line endings survive an edit byte
//! for byte, a `profile` array holding non-tables is refused, and huge inputs are capped
//! with an error naming the file and the limit. The real binary on real files.

use std::fs;
use std::process::Command as Process;

mod support;
use support::{bin_path, Env, HANG_GUARD};

// ------------------------------------------------------------ untouched bytes

#[test]
fn a_bom_and_mixed_line_endings_survive_an_edit_byte_for_byte() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "\u{feff}# written on Windows\r\n[[profile]]\r\n  name = \"default\"\n  host = \"h\"\r\n  port = \"1\"\n\r\n[[profile]]\n  name = \"b\"\r\n";
    env.write("config.toml", text);
    let edited = text.replace("\"1\"", "\"8443\"");
    env.cli()
        .config()
        .args(["profile", "set", "default", "port", "8443"])
        .status(0)
        .file("config.toml", edited.clone())
        .run();
    env.cli()
        .config()
        .args(["profile", "set", "b", "host", "x"])
        .status(0)
        .file("config.toml", edited + "  host = \"x\"\r\n")
        .run();
}

// ------------------------------------------------------------ `profile` holding non-tables

#[test]
fn edits_refuse_a_profile_array_with_non_tables() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let text = "profile = [\"x\", {name=\"a\", host=\"h\"}, {name=\"b\"}]\n";
    env.write("config.toml", text);
    for args in [
        &["profile", "remove", "a"][..],
        &["profile", "remove", "b"],
        &["profile", "set", "b", "host", "z"],
        &["profile", "rename", "a", "c"],
        &["profile", "unset", "a", "host"],
    ] {
        let run = env
            .cli()
            .config()
            .args(args)
            .status(2)
            .stderr_contains("array of tables")
            .unchanged("config.toml")
            .run();
        assert!(!run.stderr.contains("panicked"), "{run:?}");
    }
    // `profile` as a plain table: an error too, not a panic.
    env.write("table.toml", "[profile]\nname = \"a\"\n");
    env.cli()
        .config_at("table.toml")
        .args(["profile", "remove", "a"])
        .status(2)
        .stderr_contains("array of tables")
        .run();
}

// ------------------------------------------------------------ unbounded input

#[test]
fn inputs_are_capped_with_an_error_naming_the_file_and_the_limit() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let mut huge = String::from("[[profile]]\nname = \"default\"\nhost = \"h\"\n");
    while huge.len() <= 5 * 1024 * 1024 {
        huge.push_str(
            "# padding padding padding padding padding padding padding padding padding\n",
        );
    }
    env.write("config.toml", &huge);
    for args in [
        &["profile", "list"][..],
        &["profile", "set", "default", "port", "1"],
    ] {
        env.cli()
            .config()
            .args(args)
            .status(2)
            .stderr_contains("[CONFIG]")
            .stderr_contains("4 MiB")
            .unchanged("config.toml")
            .run();
    }

    for args in [
        &["secret", "decode", "/dev/zero"][..],
        &["token", "inspect", "/dev/zero"],
    ] {
        env.cli()
            .args(args)
            .status(2)
            .stderr_contains("/dev/zero")
            .stderr_contains("4 MiB")
            .run();
    }
    // Standard input that never ends (assert_cmd's pipe_stdin would read it all first).
    let out = Process::new(bin_path())
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
