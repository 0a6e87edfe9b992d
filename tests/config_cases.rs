//! Profile-editing cases in the style of cargo's `cargo add` suite: one folder
//! per case under `tests/cases/`, run with the real binary on a copy of the input file.
//!
//! A case folder holds:
//! - `in.toml`: the config before the command (absent: there is no file);
//! - `args`: the command line after `--config PATH`, one argument per line;
//! - `out.toml`: the file after the command (absent: there is still no file); a failing
//!   command must leave it byte for byte as `in.toml`;
//! - `stdout` (absent: stdout must be empty), `stderr`, `status` (the exit code);
//! - `meaning.json`: what the command asked for, checked by an independent parser (Python's
//!   `tomllib`) against `in.toml` and `out.toml`; see `MEANING_CHECK` below.
//!
//! In the expected texts, the config's path reads `[CONFIG]` and the temporary directory
//! (the command's working directory and `HOME`) reads `[ROOT]`; `out.toml` may use `[ROOT]` too.
//!
//! Each folder is its own test (named after the folder, run through `libtest-mimic`), so
//! `cargo nextest run -E 'test(crlf)'` or `cargo test --test config_cases -- crlf` runs only
//! the matching cases, in parallel.
//!
//! `SNAPSHOTS=overwrite cargo test --test config_cases` rewrites `out.toml`, `stdout`,
//! `stderr` and `status` from what the binary does (never `in.toml`, `args` or
//! `meaning.json`); read every change before committing it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

mod support;
use support::Env;

/// Checks `out.toml` against `in.toml` and `meaning.json` with Python's `tomllib`, a parser
/// that shares nothing with toml_edit. `meaning.json` is one of:
/// - `{"ops": [...]}`: parse both files, apply the ops to the input's data, and require the
///   output's data to be exactly that (so nothing else changed, and every sub-table sits in
///   the right `[[profile]]`). Ops: `{"set": PROFILE, "key": "a.b", "value": V}`,
///   `{"unset": PROFILE, "key": "a.b"}` (tables left empty go too), `{"rename": OLD, "to": NEW}`,
///   `{"remove": PROFILE}` (the last one takes the `profile` key with it), `{"add": {TABLE}}`. No ops: the meaning is unchanged.
/// - `{"invalid": true}`: both files must be rejected by tomllib (malformed input).
///
/// A missing file reads as an empty document.
const MEANING_CHECK: &str = r#"
import json, sys, tomllib

in_path, out_path, meaning_path = sys.argv[1:4]

def load(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}

meaning = json.load(open(meaning_path))
if meaning.get("invalid"):
    for path in (in_path, out_path):
        try:
            load(path)
        except tomllib.TOMLDecodeError:
            continue
        sys.exit(f"{path} parses, but meaning.json says the input is invalid TOML")
    sys.exit(0)

data = load(in_path)
got = load(out_path)

def profile(name):
    for p in data.get("profile", []):
        if p.get("name") == name:
            return p
    sys.exit(f"meaning.json names profile {name!r}, which {in_path} does not have")

for op in meaning["ops"]:
    if "set" in op:
        table = profile(op["set"])
        *parents, leaf = op["key"].split(".")
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = op["value"]
    elif "unset" in op:
        def unset(table, parts):
            if len(parts) == 1:
                del table[parts[0]]
                return
            unset(table[parts[0]], parts[1:])
            if not table[parts[0]]:
                del table[parts[0]]
        unset(profile(op["unset"]), op["key"].split("."))
    elif "rename" in op:
        profile(op["rename"])["name"] = op["to"]
    elif "remove" in op:
        data["profile"].remove(profile(op["remove"]))
        if not data["profile"]:
            del data["profile"]  # `[[profile]]` has no way to write an empty array
    elif "add" in op:
        data.setdefault("profile", []).append(op["add"])
    else:
        sys.exit(f"unknown op {op!r}")

if got != data:
    sys.exit("out.toml does not mean what was asked:\n  expected %r\n  got      %r" % (data, got))
"#;

struct Case {
    name: String,
    dir: PathBuf,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<Case> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| Case {
            name: e.file_name().to_string_lossy().into_owned(),
            dir: e.path(),
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn read_opt(path: &Path) -> Option<Vec<u8>> {
    match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

fn python3() -> String {
    let python = std::env::var("PYTHON3").unwrap_or_else(|_| "python3".into());
    let ok = Process::new(&python)
        .args([
            "-c",
            "import sys, tomllib; assert sys.version_info >= (3, 11)",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "these tests check every expected out.toml with Python's tomllib, which needs `{python}` \
         to be Python 3.11 or newer; install it, or point PYTHON3 at one"
    );
    python
}

/// Writes `expected` to `path`, or removes `path` when there is nothing to expect.
fn overwrite(path: &Path, expected: Option<&[u8]>) {
    match expected {
        Some(bytes) => fs::write(path, bytes).unwrap(),
        None => {
            let _ = fs::remove_file(path);
        }
    }
}

/// Runs one case; returns its mismatches (empty when it passes).
fn run(case: &Case, python: &str, overwriting: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = &case.dir;
    let input = read_opt(&dir.join("in.toml"));
    let args_text = fs::read_to_string(dir.join("args")).expect("every case has an `args` file");
    let args: Vec<&str> = args_text
        .strip_suffix('\n')
        .unwrap_or(&args_text)
        .split('\n')
        .collect();

    let env = Env::new();
    let config = env.config_path();
    if let Some(bytes) = &input {
        fs::write(&config, bytes).unwrap();
    }
    let output = env.cli().config().args(&args).run();
    let status = output.code;
    let actual_file = read_opt(&config);
    let actual_out = actual_file
        .as_deref()
        .map(|b| env.normalise(&String::from_utf8_lossy(b)).into_bytes());
    let actual_stdout = env.normalise(&output.stdout);
    let actual_stderr = env.normalise(&output.stderr);

    // Whatever the expectations say, a failed command must leave the file as it was.
    if status != 0 && actual_file != input {
        problems.push("the command failed but changed the file".to_owned());
    }

    if overwriting {
        overwrite(&dir.join("out.toml"), actual_out.as_deref());
        overwrite(
            &dir.join("stdout"),
            Some(actual_stdout.as_bytes()).filter(|s| !s.is_empty()),
        );
        overwrite(&dir.join("stderr"), Some(actual_stderr.as_bytes()));
        overwrite(&dir.join("status"), Some(format!("{status}\n").as_bytes()));
    } else {
        let expected_out = read_opt(&dir.join("out.toml"));
        if expected_out != actual_out {
            problems.push(format!(
                "out.toml differs:\n--- expected\n{}\n--- actual\n{}",
                expected_out
                    .as_deref()
                    .map_or("<no file>".into(), String::from_utf8_lossy),
                actual_out
                    .as_deref()
                    .map_or("<no file>".into(), String::from_utf8_lossy),
            ));
        }
        let expected_stdout = read_opt(&dir.join("stdout")).map(|b| String::from_utf8(b).unwrap());
        if expected_stdout.as_deref().unwrap_or("") != actual_stdout {
            problems.push(format!(
                "stdout differs:\n--- expected\n{}\n--- actual\n{actual_stdout}",
                expected_stdout.unwrap_or_default()
            ));
        }
        let expected_stderr = fs::read_to_string(dir.join("stderr")).unwrap_or_default();
        if expected_stderr != actual_stderr {
            problems.push(format!(
                "stderr differs:\n--- expected\n{expected_stderr}\n--- actual\n{actual_stderr}"
            ));
        }
        let expected_status = fs::read_to_string(dir.join("status"))
            .map(|s| {
                s.trim()
                    .parse::<i32>()
                    .expect("`status` holds an exit code")
            })
            .unwrap_or(-1);
        if expected_status != status {
            problems.push(format!(
                "exit status: expected {expected_status}, got {status}"
            ));
        }
    }

    // The committed expectations themselves must be coherent.
    let expected_out = read_opt(&dir.join("out.toml"));
    let expected_status = fs::read_to_string(dir.join("status")).unwrap_or_default();
    if expected_status.trim() != "0" && expected_out != input {
        problems.push("status is not 0, so out.toml must equal in.toml byte for byte".to_owned());
    }

    // An independent parser says whether out.toml means what the command asked for.
    let meaning = dir.join("meaning.json");
    if !meaning.exists() {
        problems.push("meaning.json is missing (every case states what it means)".to_owned());
    } else {
        // `[ROOT]` in out.toml stands for the run's directory; tomllib reads it as text.
        let check = Process::new(python)
            .arg("-c")
            .arg(MEANING_CHECK)
            .arg(dir.join("in.toml"))
            .arg(dir.join("out.toml"))
            .arg(&meaning)
            .output()
            .unwrap();
        if !check.status.success() {
            problems.push(format!(
                "tomllib check failed: {}{}",
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            ));
        }
    }
    problems
}

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    // Found on first use, not when nextest only lists the cases.
    static PYTHON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let overwriting = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
    let cases = cases();
    assert!(!cases.is_empty(), "no case folders under tests/cases");
    let trials = cases
        .into_iter()
        .map(|case| {
            libtest_mimic::Trial::test(case.name.clone(), move || {
                let python = PYTHON.get_or_init(python3);
                let problems = run(&case, python, overwriting);
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join("\n").into())
                }
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
