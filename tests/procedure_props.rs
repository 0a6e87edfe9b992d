//! The re-run rules have two renderings, the runner's Rust and the script's jq:
//! on generated job lists, the real `jq`, run on the filters that `plan --shell` prints,
//! gives what `rerun_manifest`, `is_rerun_copy` and `next_rerun_name` give.
//!
//! The jobs have and lack each field a copy drops, each controller label, owner
//! references (none, empty, one), and names odd for the `PREFIX-NNN` rule: too few or
//! too many digits, leading zeros, letters, non-ASCII digits, other prefixes.

use std::io::Write;
use std::process::{Command, Stdio};

use influxctl_admin::procedure::{self, ClusterNames, Destination, JobVar, Method, Target};
use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::Config as RunnerConfig;
use serde_json::{json, Map, Value};

const PREFIX: &str = "key-gen";

mod prop_cases;
use prop_cases::cases;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "key-gen-[0-9]{0,20}",
        1 => "key-gen-0{1,4}[0-9]{1,3}",
        1 => "key-gen-[0-9a-z]{1,6}",
        1 => "key-gen-[0-9٣]{3,4}",
        1 => "(key-gen|key-gen--|key-genx-|create-admin-token-|)[0-9]{0,5}",
    ]
}

/// An object with some of `keys` (each with a stand-in value).
fn some_of(keys: &'static [&'static str]) -> impl Strategy<Value = Map<String, Value>> {
    subsequence(keys, 0..=keys.len()).prop_map(|keys| {
        keys.into_iter()
            .map(|k| (k.to_owned(), json!("x")))
            .collect()
    })
}

fn labels() -> impl Strategy<Value = Option<Map<String, Value>>> {
    const LABELS: &[&str] = &[
        "controller-uid",
        "batch.kubernetes.io/controller-uid",
        "job-name",
        "batch.kubernetes.io/job-name",
        "app",
        "batch.kubernetes.io/other",
    ];
    proptest::option::of(some_of(LABELS))
}

fn owner_references() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(json!([]))),
        Just(Some(
            json!([{"kind": "AppInstance", "name": "influxdb", "uid": "u"}])
        )),
    ]
}

fn spec() -> impl Strategy<Value = Option<Value>> {
    const FIELDS: &[&str] = &["selector", "manualSelector", "parallelism"];
    // None: no template; Some(None): a template without metadata.
    let template = proptest::option::of(proptest::option::of(labels()));
    proptest::option::of(
        (some_of(FIELDS), template).prop_map(|(mut spec, template)| {
            if let Some(meta) = template {
                let mut t = json!({"spec": {"restartPolicy": "Never"}});
                if let Some(labels) = meta {
                    let labels = labels.map(|l| ("labels".to_owned(), Value::Object(l)));
                    t["metadata"] = Value::Object(labels.into_iter().collect());
                }
                spec.insert("template".into(), t);
            }
            Value::Object(spec)
        }),
    )
}

fn job() -> impl Strategy<Value = Value> {
    const META: &[&str] = &[
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "managedFields",
        "generation",
        "selfLink",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "namespace",
        "annotations",
    ];
    const TOP: &[&str] = &["status", "apiVersion", "kind", "other"];
    (
        name(),
        some_of(META),
        owner_references(),
        labels(),
        spec(),
        some_of(TOP),
    )
        .prop_map(|(name, mut meta, owners, labels, spec, mut job)| {
            meta.insert("name".into(), Value::from(name));
            meta.extend(owners.map(|o| ("ownerReferences".to_owned(), o)));
            meta.extend(labels.map(|l| ("labels".to_owned(), Value::Object(l))));
            job.insert("metadata".into(), Value::Object(meta));
            job.extend(spec.map(|s| ("spec".to_owned(), s)));
            Value::Object(job)
        })
}

/// The three rules' jq filters, as one program over `{"items": jobs}`.
fn jq_program() -> String {
    format!(
        "{{rerun: [{}], copy: [.items[] | {}], next: ({})}}",
        procedure::jq_rerun(JobVar::KeyGenJob, JobVar::NewKeyGenJob),
        procedure::jq_is_copy(),
        procedure::jq_next_rerun_name()
    )
}

/// The real jq on `jobs`, with the variables the script sets.
fn run_jq(program: &str, jobs: &[Value], from: &str, to: &str) -> Value {
    let mut child = Command::new("jq")
        .args(["-c", "--arg", "p", &format!("{PREFIX}-"), program])
        .env("KEY_GEN_JOB", from)
        .env("NEW_KEY_GEN_JOB", to)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("these tests run the real jq: install it (apt-get install -y jq)");
    let input = serde_json::to_vec(&json!({ "items": jobs })).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "jq failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The same three rules in Rust.
fn in_rust(jobs: &[Value], from: &str, to: &str) -> Value {
    let name = |j: &Value| j["metadata"]["name"].as_str().unwrap().to_owned();
    json!({
        "rerun": jobs.iter().filter(|j| name(j) == from)
            .map(|j| procedure::rerun_manifest(j, to)).collect::<Vec<_>>(),
        "copy": jobs.iter().map(|j| procedure::is_rerun_copy(PREFIX, j)).collect::<Vec<_>>(),
        "next": procedure::next_rerun_name(PREFIX, jobs),
    })
}

proptest! {
    #![proptest_config(RunnerConfig { cases: cases(256), failure_persistence: None, ..RunnerConfig::default() })]

    #[test]
    fn jq_and_rust_rerun_rules_agree(
        jobs in proptest::collection::vec(job(), 1..6),
        pick in any::<prop::sample::Index>(),
        to in "key-gen-[0-9]{3,4}",
    ) {
        let from = pick.get(&jobs)["metadata"]["name"].as_str().unwrap().to_owned();
        let jq = run_jq(&jq_program(), &jobs, &from, &to);
        prop_assert_eq!(jq, in_rust(&jobs, &from, &to));
    }
}

/// The filters checked above are the ones the script runs.
#[test]
fn the_script_runs_these_filters() {
    let target = Target {
        namespace: "influxdb".into(),
        context: None,
        kubeconfig: None,
    };
    let dest = Destination {
        token_file: "/t/token.json".into(),
        profile: "default".into(),
    };
    let names = ClusterNames::default();
    let script = procedure::revoke(&target, &names, Method::Original, Some(&dest), 60)
        .unwrap()
        .to_shell();
    let quoted = procedure::shell_quote;
    for filter in [
        quoted(&procedure::jq_rerun(
            JobVar::KeyGenJob,
            JobVar::NewKeyGenJob,
        )),
        quoted(&procedure::jq_rerun(
            JobVar::CreateTokenJob,
            JobVar::NewCreateTokenJob,
        )),
        procedure::jq_is_copy(),
        quoted(&procedure::jq_next_rerun_name()),
    ] {
        assert!(script.contains(&filter), "{filter}\nnot in\n{script}");
    }
    let current = procedure::revoke(&target, &names, Method::Current, None, 60)
        .unwrap()
        .to_shell();
    assert!(current.contains(&procedure::jq_is_copy()), "{current}");
}
