//! What the test server claims to model, observed with the real kubectl on both clusters and
//! asserted identically: each test here is a fact the product relies on, and each difference
//! the real control plane showed is pinned by one of them (see testcluster/README.md,
//! "Checked against a real control plane").

use std::io::Write;
use std::process::{Output, Stdio};

use influxctl_admin_testcluster::backend::{Backend, Kind};
use influxctl_admin_testcluster::Options;
use serde_json::Value;

mod support;
use support::Env;

on_both_clusters!(
    create_job_from_a_job_is_rejected_by_kubectl,
    a_copied_job_that_keeps_its_selector_is_invalid,
    a_copied_job_without_server_fields_runs_and_the_operator_leaves_it_alone,
    deleting_the_operators_job_makes_it_create_a_new_one_that_completes,
    deleting_nothing_by_selector_says_so_on_stdout_and_succeeds,
    waiting_for_a_missing_job_fails_naming_it,
    deleted_token_management_pods_are_replaced_by_new_ready_ones,
);

fn start(kind: Kind) -> Option<Env> {
    Env::with_backend(kind, Options::default())
}

fn kubectl(b: &Backend, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = b
        .kubectl()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn key_gen_job(b: &Backend) -> Value {
    b.jobs()
        .into_iter()
        .find(|j| {
            j["metadata"]["name"]
                .as_str()
                .unwrap()
                .starts_with("key-gen-")
                && !j["metadata"]["ownerReferences"].is_null()
        })
        .expect("the operator's key-gen job")
}

fn job_names(b: &Backend, prefix: &str) -> Vec<String> {
    b.jobs()
        .iter()
        .filter_map(|j| j["metadata"]["name"].as_str())
        .filter(|n| n.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

/// The operator's key-gen job as a copy named key-gen-001, without `status` and without the
/// metadata fields `drop`.
fn copy_of_key_gen(b: &Backend, drop: &[&str]) -> Value {
    let mut job = key_gen_job(b);
    let md = job["metadata"].as_object_mut().unwrap();
    for k in drop {
        md.remove(*k);
    }
    md.insert("name".into(), "key-gen-001".into());
    job.as_object_mut().unwrap().remove("status");
    job
}

fn create_job_from_a_job_is_rejected_by_kubectl(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let b = env.backend();
    let job = key_gen_job(b);
    let from = format!("--from=job/{}", job["metadata"]["name"].as_str().unwrap());
    let out = kubectl(b, &["create", "job", &from, "key-gen-001"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown object type *v1.Job"),
        "{}",
        text(&out.stderr)
    );
    assert!(job_names(b, "key-gen-001").is_empty());
}

fn a_copied_job_that_keeps_its_selector_is_invalid(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let b = env.backend();
    let job = copy_of_key_gen(
        b,
        &[
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
            "ownerReferences",
        ],
    );
    let out = kubectl(b, &["create", "-f", "-"], Some(job.to_string().as_bytes()));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is invalid"), "{err}");
    assert!(err.contains("`selector` not auto-generated"), "{err}");
    assert!(job_names(b, "key-gen-001").is_empty());
}

fn a_copied_job_without_server_fields_runs_and_the_operator_leaves_it_alone(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let b = env.backend();
    // resourceVersion stays: kubectl create clears it before sending (a POST that keeps it
    // gets a 500 from the API server).
    let mut job = copy_of_key_gen(
        b,
        &[
            "uid",
            "creationTimestamp",
            "managedFields",
            "ownerReferences",
        ],
    );
    for path in ["/metadata/labels", "/spec/template/metadata/labels"] {
        if let Some(l) = job.pointer_mut(path).and_then(Value::as_object_mut) {
            l.retain(|k, _| !k.contains("controller-uid") && !k.contains("job-name"));
        }
    }
    job["spec"].as_object_mut().unwrap().remove("selector");
    let out = kubectl(b, &["create", "-f", "-"], Some(job.to_string().as_bytes()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "job.batch/key-gen-001 created\n");
    let done = b.wait_until(std::time::Duration::from_secs(60), |b| {
        b.jobs().iter().any(|j| {
            j["metadata"]["name"] == "key-gen-001"
                && influxctl_admin_testcluster::job_has_condition(j, "Complete")
        })
    });
    assert!(done, "the copy ran to completion");
    let out = kubectl(b, &["delete", "job", "key-gen-001"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(
        job_names(b, "key-gen-001").is_empty(),
        "nobody re-creates a copy"
    );
}

fn deleting_the_operators_job_makes_it_create_a_new_one_that_completes(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let b = env.backend();
    let name = key_gen_job(b)["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = kubectl(b, &["delete", "job", &name], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("job.batch \"{name}\" deleted\n"));
    let replaced = b.wait_until(std::time::Duration::from_secs(60), |b| {
        b.jobs().iter().any(|j| {
            let n = j["metadata"]["name"].as_str().unwrap();
            n.starts_with("key-gen-")
                && n != name
                && influxctl_admin_testcluster::job_has_condition(j, "Complete")
        })
    });
    assert!(
        replaced,
        "the operator re-created the job and it completed: {:?}",
        job_names(b, "key-gen-")
    );
}

fn deleting_nothing_by_selector_says_so_on_stdout_and_succeeds(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let out = kubectl(
        env.backend(),
        &["delete", "pods", "--selector", "x=nothing"],
        None,
    );
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "No resources found\n");
    let out = kubectl(
        env.backend(),
        &["get", "pods", "--selector", "x=nothing"],
        None,
    );
    assert!(out.status.success());
    assert_eq!(
        text(&out.stderr),
        format!(
            "No resources found in {} namespace.\n",
            env.backend().namespace()
        )
    );
}

fn waiting_for_a_missing_job_fails_naming_it(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let out = kubectl(
        env.backend(),
        &[
            "wait",
            "--for=condition=complete",
            "job/nonexistent",
            "--timeout=2s",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("jobs.batch \"nonexistent\" not found"),
        "{}",
        text(&out.stderr)
    );
}

fn deleted_token_management_pods_are_replaced_by_new_ready_ones(kind: Kind) {
    let Some(env) = start(kind) else { return };
    let b = env.backend();
    let old = b.pod_names_selected("app=token-management");
    assert_eq!(old.len(), 2);
    let out = kubectl(
        b,
        &["delete", "pods", "--selector", "app=token-management"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    for pod in &old {
        assert!(
            text(&out.stdout).contains(&format!("pod \"{pod}\" deleted")),
            "{}",
            text(&out.stdout)
        );
    }
    let out = kubectl(
        b,
        &[
            "wait",
            "--for=condition=Ready",
            "pods",
            "--selector",
            "app=token-management",
            "--timeout=60s",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let new = b.pod_names_selected("app=token-management");
    assert_eq!(new.len(), 2, "{new:?}");
    assert!(new.iter().all(|p| !old.contains(p)), "{old:?} → {new:?}");
}
