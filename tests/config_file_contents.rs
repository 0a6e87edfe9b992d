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

// ------------------------------------------------------------ `profile` holding non-tables

#[test]
fn edits_refuse_a_profile_array_with_non_tables() {
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
