//! Console transcripts, run for real against a fresh test cluster: the README's ```console
//! blocks (so the README cannot drift from the binary) and the snapshot cases in
//! `tests/transcripts/*.console` (token, plan, inspect and doctor output, exactly).
//!
//! A transcript is a series of commands, each a line `$ influxctl-admin ARGS` followed by
//! what it prints (stdout and stderr as one stream, in order) and, in case files, a line
//! `? N` with its exit status. The commands of one file (or of the whole README) run in
//! order in one `HOME`, against one cluster, with `KUBECONFIG` pointing at it. `~` in an
//! argument is that `HOME`. A stand-in `influxctl` (v2.10.2) is on `PATH`. Arguments split on spaces; `'…'` quotes one.
//!
//! Before comparing, both sides are normalised ([`normalise`]): the `HOME` reads `~`, and
//! what differs from run to run (timings, fingerprints, generated job and pod names, the
//! JWT's `kid`, `iat`, `exp`, `jti`, dates, the server's port) reads as a placeholder, so
//! the README keeps real output and the cases keep everything else exact. Other paths in
//! the test's temporary directory read `[ROOT]`.
//!
//! The binary they run is `INFLUXCTL_ADMIN_BIN` when set: the test command sets it to the
//! one `cargo install --path .` builds, so that what users install
//! is what the README shows. Without it they run the binary cargo built for the tests, whose
//! dependencies have the dev-dependencies' features unified in (serde_json's
//! `preserve_order`, through testcluster); under `CI=true` that is refused.
//!
//! Each file is one test (libtest-mimic), so nextest lists and filters them:
//! `cargo nextest run -E 'test(readme)'`. `SNAPSHOTS=overwrite` rewrites the case files
//! (never the README) from what the binary printed: read every change before committing it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use influxctl_admin_testcluster::Options;
use regex::Regex;

mod support;
use support::Env;

/// One command of a transcript and what it should print.
#[derive(Debug)]
struct Step {
    line: String,
    expected: String,
    status: Option<i32>,
}

/// The steps of a transcript text (the lines of a console block or a case file).
fn parse(text: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in text.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                line: command.to_owned(),
                expected: String::new(),
                status: None,
            });
        } else if let Some(step) = steps.last_mut() {
            if let Some(code) = line.strip_prefix("? ") {
                step.status = Some(code.trim().parse().expect("`? N` holds an exit code"));
            } else {
                step.expected.push_str(line);
                step.expected.push('\n');
            }
        } else if !line.trim().is_empty() {
            panic!("a transcript starts with a `$ ` line, not {line:?}");
        }
    }
    steps
}

/// `ARGS` of `influxctl-admin ARGS`: split on spaces, `'…'` quoting one argument.
fn split(line: &str, home: &Path) -> Vec<String> {
    let rest = line
        .strip_prefix("influxctl-admin")
        .unwrap_or_else(|| panic!("a transcript runs influxctl-admin, not `{line}`"));
    let mut args = Vec::new();
    let mut chars = rest.trim().chars().peekable();
    while chars.peek().is_some() {
        let mut arg = String::new();
        while let Some(c) = chars.next() {
            match c {
                ' ' => break,
                '\'' => arg.extend(chars.by_ref().take_while(|&c| c != '\'')),
                c => arg.push(c),
            }
        }
        if arg == "~" || arg.starts_with("~/") {
            arg = format!("{}{}", home.display(), &arg[1..]);
        }
        if !arg.is_empty() {
            args.push(arg);
        }
    }
    args
}

/// What varies from run to run, as placeholders (applied to expected and actual text alike).
fn normalise(text: &str) -> String {
    static RULES: OnceLock<Vec<(Regex, &str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            // step timings: `(0.1s)`, `(12.3s)`
            (r"\(\d+(\.\d+)?s\)", "([TIME])"),
            // fingerprints of token files
            (r"sha256:[0-9a-f]{16}", "sha256:[HASH]"),
            // names the Job and ReplicaSet controllers generate
            (r"\b(key-gen|create-admin-token)-[a-z0-9]{5}\b", "$1-[ID]"),
            (
                r"\btoken-management-[a-z0-9]{10}-[a-z0-9]{5}\b",
                "token-management-[POD]",
            ),
            // the JWT's key id, times and id, in JSON and in the text
            (r#"("kid":\s*)"[^"]*""#, r#"${1}"[KID]""#),
            (r#"("(iat|exp|nbf|unix)":\s*)\d+"#, "${1}[TIME]"),
            (r#"("jti":\s*)"[^"]*""#, r#"${1}"[JTI]""#),
            (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "[DATE]"),
            (r"\((in )?\d+ \w+( ago)?\)", "([WHEN])"),
            (r#"("relative":\s*)"[^"]*""#, r#"${1}"[WHEN]""#),
            // step timings in JSON
            (r#"("seconds":\s*)[0-9.]+"#, "${1}[TIME]"),
            // kubectl's place and version on this machine
            (r#"[^\s"]*/kubectl \(v[0-9.]+\)"#, "[KUBECTL] (v[VERSION])"),
            // the test server's address
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
            // the saved job manifests' file, keyed by the cluster (its context and server)
            (
                r"(influxctl-admin-jobs-[a-z0-9-]+)-[0-9a-f]{12}\.json",
                "$1-[CLUSTER].json",
            ),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).unwrap(), to))
        .collect()
    });
    let mut text = text.to_owned();
    for (re, to) in rules {
        text = re.replace_all(&text, *to).into_owned();
    }
    text
}

/// The binary under test: `INFLUXCTL_ADMIN_BIN`, else (not under CI) cargo's test build.
fn binary() -> Result<PathBuf, String> {
    match std::env::var_os("INFLUXCTL_ADMIN_BIN") {
        // absolute: the commands run in the test's directory
        Some(bin) if Path::new(&bin).is_file() => fs::canonicalize(&bin).map_err(|e| e.to_string()),
        Some(bin) => Err(format!(
            "INFLUXCTL_ADMIN_BIN={} is not a file",
            Path::new(&bin).display()
        )),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => Err(
            "under CI=true the transcripts check the installed binary: set INFLUXCTL_ADMIN_BIN to the binary `cargo install --path . --root target/install --locked` builds, as scripts/test does"
                .to_owned(),
        ),
        None => Ok(assert_cmd::cargo::cargo_bin("influxctl-admin")),
    }
}

/// Runs `steps` in order in one fresh environment; returns each step's actual output and
/// status, or the first mismatch.
fn run(steps: &[Step], check: bool) -> Result<Vec<(String, i32)>, String> {
    let bin = binary()?;
    let env = Env::with_cluster(Options::default());
    let home = env.home();
    // influxctl cannot be installed here: a stand-in answers `version` as a current one
    // would, as on the machines the README's readers use.
    let fake = env.path("bin");
    fs::create_dir_all(&fake).unwrap();
    let influxctl = fake.join("influxctl");
    fs::write(
        &influxctl,
        "#!/bin/sh\necho 'influxctl version 2.10.2 (stand-in)'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&influxctl, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", fake.display(), std::env::var("PATH").unwrap());
    let mut actual = Vec::new();
    for step in steps {
        // stdout and stderr through one pipe, so their lines keep their order
        let out = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 2>&1")
            .arg(&bin)
            .args(split(&step.line, &home))
            .current_dir(env.root())
            .env("HOME", &home)
            .env("PATH", &path)
            .env("KUBECONFIG", env.cluster().kubeconfig_path())
            .env_remove("INFLUXCTL_PROFILE")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("KUBECTL")
            // never a terminal, whatever runs the tests: confirmations behave the same
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let code = out.status.code().expect("the binary exits with a code");
        let text = String::from_utf8_lossy(&out.stdout).replace(&home.display().to_string(), "~");
        // anything else in the test's directory (the stand-in influxctl) reads [ROOT]
        let text = env.normalise(&text);
        let got = normalise(&text);
        if check {
            let want = normalise(&step.expected);
            if got != want {
                return Err(format!(
                    "`$ {}` printed something else:\n--- expected (normalised)\n{want}--- actual (normalised)\n{got}--- actual\n{text}",
                    step.line
                ));
            }
            if let Some(status) = step.status {
                if status != code {
                    return Err(format!(
                        "`$ {}` exited with {code}, not {status}:\n{text}",
                        step.line
                    ));
                }
            }
        }
        actual.push((text, code));
    }
    Ok(actual)
}

/// The README's ```console blocks, in order, as one transcript.
fn readme_steps() -> Vec<Step> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = fs::read_to_string(&path).unwrap();
    let mut steps = Vec::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        match &mut block {
            None if line.trim_end() == "```console" => block = Some(String::new()),
            None => {}
            Some(body) if line.trim_end() == "```" => {
                steps.extend(parse(body));
                block = None;
            }
            Some(body) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    assert!(!steps.is_empty(), "README.md has no ```console blocks");
    steps
}

/// Runs a case file; with `SNAPSHOTS=overwrite`, rewrites it from what the binary printed.
fn run_case(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).unwrap();
    let steps = parse(&text);
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        let actual = run(&steps, false)?;
        let mut out = String::new();
        for (step, (text, code)) in steps.iter().zip(actual) {
            out.push_str(&format!("$ {}\n{}? {code}\n", step.line, normalise(&text)));
        }
        fs::write(path, out).unwrap();
        return Ok(());
    }
    run(&steps, true).map(|_| ())
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "console"))
        .collect();
    cases.sort();
    cases
}

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let mut trials = vec![libtest_mimic::Trial::test("readme", || {
        run(&readme_steps(), true).map(|_| ()).map_err(Into::into)
    })];
    for path in cases() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        trials.push(libtest_mimic::Trial::test(name, move || {
            run_case(&path).map_err(Into::into)
        }));
    }
    libtest_mimic::run(&args, trials).exit_code()
}
