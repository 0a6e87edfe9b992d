//! Nothing from data may become a command. For arbitrary strings in every
//! field that reaches a `plan --shell` script (namespace, context, kubeconfig, key-gen job,
//! profile, token file), the script, run by bash with a stub `kubectl` and a stub
//! `influxctl-admin` on PATH that record their argv, runs exactly the planned commands
//! with exactly the planned arguments; or the core refuses the input with the one rule
//! for names and paths (`names::one_line`) or a Kubernetes name rule.
//!
//! A second property checks the quoting itself, control characters included: bash reads
//! every quoted string back as the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use influxctl_admin::procedure::{
    self, Action, ClusterNames, Destination, Kind, Method, Procedure, Target,
};
use influxctl_admin::{names, shell};
use proptest::prelude::*;
use proptest::test_runner::Config as RunnerConfig;

mod prop_cases;
use prop_cases::cases;

/// Free text: every shell metacharacter, any Unicode, and now and then control characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[ -~]{0,16}",
        3 => "[-$`'\"\\\\;&|<>(){}*?!#~ =a-zA-Z/]{0,16}",
        1 => "\\$[A-Z_]{1,16}",
        1 => "\\PC{0,8}",
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
        1 => Just("x\ntouch pwned #".to_owned()),
    ]
}

/// A namespace: usually valid, sometimes free text (which the name rule refuses).
fn namespace() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[a-z]([a-z0-9-]{0,8}[a-z0-9])?", 1 => text()]
}

#[derive(Debug, Clone)]
struct Case {
    kind: Kind,
    method: Method,
    recreate: bool,
    target: Target,
    key_gen_prefix: String,
    create_token_prefix: String,
    key_gen_job: Option<String>,
    profile: String,
    token_name: String,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![Just(Kind::Fetch), Just(Kind::Revoke), Just(Kind::Create)],
        prop_oneof![Just(Method::Current), Just(Method::Original)],
        any::<bool>(),
        namespace(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        "kg([a-z0-9-]{0,5}[a-z0-9])?",
        "ct([a-z0-9-]{0,5}[a-z0-9])?",
        proptest::option::of("kg[a-z0-9]{0,4}-[a-z0-9]{5}"),
        text(),
        text(),
    )
        .prop_map(
            |(kind, method, recreate, ns, context, kubeconfig, kg, ct, job, profile, token)| {
                Case {
                    kind,
                    method,
                    recreate,
                    target: Target {
                        namespace: ns,
                        context,
                        kubeconfig,
                    },
                    key_gen_prefix: kg,
                    create_token_prefix: ct,
                    key_gen_job: job,
                    profile,
                    // A file name (no `/`); `t` first, so never `.`, `..` or empty.
                    token_name: format!("t{}", token.replace('/', "_")),
                }
            },
        )
}

const KUBECTL: &str = r#"#!/usr/bin/env bash
printf '%s\0' "$(( $# + 1 ))" kubectl "$@" >> "$STUB_DIR/log"
a=("$@"); n=$#
case "${a[n-1]}" in jsonpath=*) printf 'dG9r'; exit 0 ;; esac
if [ "$n" -ge 4 ] && [ "${a[n-4]}" = get ] && [ "${a[n-3]}" = jobs ]; then cat "$STUB_DIR/jobs.json"; exit 0; fi
if [ "$n" -ge 6 ] && [ "${a[n-6]}" = get ] && [ "${a[n-5]}" = pods ]; then echo '{"items":[{}]}'; exit 0; fi
if [ "$n" -ge 3 ] && [ "${a[n-3]}" = create ]; then cat > /dev/null; fi
exit 0
"#;

const INFLUXCTL_ADMIN: &str = r#"#!/usr/bin/env bash
printf '%s\0' "$(( $# + 1 ))" influxctl-admin "$@" >> "$STUB_DIR/log"
"#;

fn install(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// The jobs the stub lists: an older and a newer operator job of each prefix.
fn jobs_json(kg: &str, ct: &str) -> String {
    let job = |name: String, day: u8| {
        serde_json::json!({"metadata": {"name": name,
            "creationTimestamp": format!("2024-01-0{day}T00:00:00Z"),
            "ownerReferences": [{"kind": "AppInstance", "name": "influxdb", "uid": "u"}]}})
    };
    serde_json::json!({"items": [
        job(format!("{kg}-aaaaa"), 1), job(format!("{kg}-bbbbb"), 2),
        job(format!("{ct}-aaaaa"), 1), job(format!("{ct}-bbbbb"), 2),
    ]})
    .to_string()
}

/// The job names the script finds in [`jobs_json`], as the runner would.
fn job_vars(c: &Case, copies: bool) -> BTreeMap<&'static str, String> {
    let (kg, ct) = (&c.key_gen_prefix, &c.create_token_prefix);
    let key_gen = c.key_gen_job.clone().unwrap_or(format!("{kg}-bbbbb"));
    let new_key_gen = if copies {
        format!("{kg}-001")
    } else if key_gen == format!("{kg}-bbbbb") {
        format!("{kg}-aaaaa")
    } else {
        format!("{kg}-bbbbb")
    };
    let new_create = if copies {
        format!("{ct}-001")
    } else {
        format!("{ct}-aaaaa")
    };
    BTreeMap::from([
        ("KEY_GEN_JOB", key_gen),
        ("NEW_KEY_GEN_JOB", new_key_gen),
        ("CREATE_TOKEN_JOB", format!("{ct}-bbbbb")),
        ("NEW_CREATE_TOKEN_JOB", new_create),
    ])
}

/// The commands the script must run: each step's argv with its job names, the target's
/// own values as they are; and the profile update after a fetch.
fn expected(p: &Procedure, vars: &BTreeMap<&'static str, String>) -> Vec<Vec<String>> {
    let own = own_args(&p.target);
    let mut commands = Vec::new();
    for step in &p.steps {
        if matches!(step.action, Action::RecordSecrets | Action::VerifyRevoked) {
            continue; // the runner's checks: a comment in the script
        }
        let mut argv = vec!["kubectl".to_owned()];
        argv.extend(step.argv[..own].iter().cloned());
        for arg in &step.argv[own..] {
            argv.push(procedure::resolve(arg, |v| vars.get(v).cloned()).unwrap());
        }
        commands.push(argv);
        if let Action::FetchToken {
            token_file,
            profile,
        } = &step.action
        {
            commands.push(
                ["influxctl-admin", "profile", "use-token", "--token-file"]
                    .into_iter()
                    .map(str::to_owned)
                    .chain([token_file.clone(), "--".to_owned(), profile.clone()])
                    .collect(),
            );
        }
    }
    commands
}

/// The target's own arguments at the head of each argv (`--kubeconfig`, `--context`,
/// `--namespace` with their values): they mean themselves.
fn own_args(t: &Target) -> usize {
    2 + 2 * usize::from(t.kubeconfig.is_some()) + 2 * usize::from(t.context.is_some())
}

fn recorded(log: &[u8]) -> Vec<Vec<String>> {
    let mut fields = log.split(|b| *b == 0);
    let mut commands = Vec::new();
    while let Some(count) = fields.next().filter(|f| !f.is_empty()) {
        let count: usize = std::str::from_utf8(count).unwrap().parse().unwrap();
        let argv = (&mut fields)
            .take(count)
            .map(|f| String::from_utf8(f.to_vec()).unwrap())
            .collect();
        commands.push(argv);
    }
    commands
}

/// Whether the core may refuse `c`: a name or path with a control character, or a
/// namespace that is no Kubernetes name.
fn refusable(c: &Case) -> bool {
    let t = &c.target;
    let uses_dest = c.kind != Kind::Revoke || c.recreate;
    let control = |s: &str| s.chars().any(char::is_control);
    names::label("namespace", &t.namespace).is_err()
        || t.context
            .as_deref()
            .is_some_and(|x| x.is_empty() || control(x))
        || t.kubeconfig.as_deref().is_some_and(control)
        || (uses_dest && (control(&c.profile) || control(&c.token_name)))
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let stubs = dir.path().join("bin");
    let files = dir.path().join("files");
    fs::create_dir_all(&stubs).unwrap();
    fs::create_dir_all(&files).unwrap();
    install(&stubs, "kubectl", KUBECTL);
    install(&stubs, "influxctl-admin", INFLUXCTL_ADMIN);
    fs::write(
        dir.path().join("jobs.json"),
        jobs_json(&c.key_gen_prefix, &c.create_token_prefix),
    )
    .unwrap();
    let names = ClusterNames {
        key_gen_prefix: c.key_gen_prefix.clone(),
        create_token_prefix: c.create_token_prefix.clone(),
        key_gen_job: c.key_gen_job.clone(),
        ..ClusterNames::default()
    };
    let token_file = files.join(&c.token_name).display().to_string();
    let dest = Destination {
        token_file: token_file.clone(),
        profile: c.profile.clone(),
    };
    let built = procedure::build(c.kind, &c.target, &names, c.method, c.recreate, &dest, 60);
    let p = match built {
        Ok(p) => p,
        Err(err) => {
            prop_assert!(refusable(c), "refused a usable input: {err}");
            return Ok(());
        }
    };
    prop_assert!(!refusable(c), "accepted {c:?}");
    let script = p.to_shell();
    let path = format!("{}:/usr/bin:/bin", stubs.display());
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir.path())
        .env("STUB_DIR", dir.path())
        .output()
        .unwrap();
    prop_assert!(
        out.status.success(),
        "script failed: {}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copies = c.kind == Kind::Create || c.method == Method::Original;
    let log = fs::read(dir.path().join("log")).unwrap_or_default();
    prop_assert_eq!(
        recorded(&log),
        expected(&p, &job_vars(c, copies)),
        "{}",
        script
    );
    if c.kind != Kind::Revoke || c.recreate {
        prop_assert_eq!(fs::read(&token_file).unwrap(), b"tok");
    }
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    prop_assert_eq!(
        left.len(),
        4,
        "the script made files of its own: {:?}",
        left
    );
    Ok(())
}

proptest! {
    #![proptest_config(RunnerConfig::with_cases(cases(48)))]

    #[test]
    fn scripts_run_exactly_the_planned_commands(c in case()) {
        check(&c)?;
    }

    #[test]
    fn bash_reads_every_quoted_value_back(values in proptest::collection::vec(any::<String>(), 1..6)) {
        let values: Vec<String> = values.into_iter().map(|v| v.replace('\0', "")).collect();
        let script = format!("printf '%s\\0' {}", shell::join(&values));
        prop_assert!(!script.contains(['\n', '\r']), "{script:?}");
        let out = Command::new("bash").arg("-c").arg(&script).env_clear().output().unwrap();
        prop_assert!(out.status.success());
        let expected: Vec<u8> = values.iter().flat_map(|v| v.bytes().chain([0])).collect();
        prop_assert_eq!(out.stdout, expected, "{}", script);
    }
}

/// The issue's examples, each through every field.
#[test]
fn the_reported_injections_are_refused_or_inert() {
    for value in [
        "x\ntouch pwned #",
        "/srv/$PATH/x",
        "$(touch pwned)",
        "`touch pwned`",
        "-x",
    ] {
        for field in 0..4 {
            let mut c = Case {
                kind: Kind::Revoke,
                method: Method::Original,
                recreate: true,
                target: Target {
                    namespace: "influxdb".into(),
                    context: None,
                    kubeconfig: None,
                },
                key_gen_prefix: "key-gen".into(),
                create_token_prefix: "create-admin-token".into(),
                key_gen_job: None,
                profile: "default".into(),
                token_name: "token.json".into(),
            };
            match field {
                0 => c.target.context = Some(value.into()),
                1 => c.target.kubeconfig = Some(value.into()),
                2 => c.profile = value.into(),
                _ => c.token_name = format!("t{}", value.replace('/', "_")),
            }
            check(&c).unwrap();
        }
    }
}
