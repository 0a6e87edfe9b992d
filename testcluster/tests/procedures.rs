//! Both documented admin-token procedures, step by step, with the real kubectl; each step's exit
//! code and output, and the server's state after it.

mod common;
use common::*;
use influxctl_admin_testcluster::{job_has_condition, pod_is_ready, TestCluster};
use serde_json::Value;
use std::time::Duration;

fn token_file(c: &TestCluster) -> Vec<u8> {
    c.secret("admin-token").expect("admin-token")["token"].clone()
}

fn access_token(file: &[u8]) -> String {
    let v: Value = serde_json::from_slice(file).unwrap();
    v["access_token"].as_str().unwrap().to_string()
}

fn public_pem(c: &TestCluster) -> String {
    String::from_utf8(c.secret("rsa-keys").expect("rsa-keys")["public.pem"].clone()).unwrap()
}

/// Since September 2024: delete both secrets and both jobs; the operator re-creates the jobs,
/// which make new keys and a new token; restart token-management.
fn current_procedure(v: (u32, u32)) {
    let c = cluster(v);
    let old_token = token_file(&c);
    let old_public = public_pem(&c);
    let old_pods = c.pod_names("token-management");

    let o = ok(
        &c,
        &[
            "-n",
            "influxdb",
            "delete",
            "secret",
            "rsa-keys",
            "admin-token",
            "--ignore-not-found",
        ],
    );
    assert_eq!(
        o.stdout,
        "secret \"rsa-keys\" deleted\nsecret \"admin-token\" deleted\n"
    );
    assert!(c.secret("rsa-keys").is_none() && c.secret("admin-token").is_none());

    let kg = job_names(&c, "key-gen-").remove(0);
    let cat = job_names(&c, "create-admin-token-").remove(0);
    let o = ok(
        &c,
        &[
            "-n",
            "influxdb",
            "delete",
            "job",
            &kg,
            &cat,
            "--ignore-not-found",
        ],
    );
    assert_eq!(
        o.stdout,
        format!("job.batch \"{kg}\" deleted\njob.batch \"{cat}\" deleted\n")
    );
    let deletes: Vec<_> = c
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE" && r.path.contains("/jobs/"))
        .collect();
    assert_eq!(deletes.len(), 2);
    assert_eq!(
        deletes[0].body.as_ref().unwrap()["propagationPolicy"],
        "Background"
    );

    // The operator re-creates both jobs under new names; wait for them with kubectl.
    assert!(
        c.wait_until(Duration::from_secs(5), |c| job_names(c, "key-gen-").len()
            == 1
            && job_names(c, "create-admin-token-").len() == 1)
    );
    let new_kg = job_names(&c, "key-gen-").remove(0);
    let new_cat = job_names(&c, "create-admin-token-").remove(0);
    assert_ne!(new_kg, kg);
    assert_ne!(new_cat, cat);
    let w = ok(
        &c,
        &[
            "-n",
            "influxdb",
            "wait",
            "--for=condition=complete",
            &format!("job/{new_cat}"),
            "--timeout=60s",
        ],
    );
    assert_eq!(
        w.stdout.trim(),
        format!("job.batch/{new_cat} condition met")
    );
    assert!(job_has_condition(&c.job(&new_kg).unwrap(), "Complete"));

    // New keys, and a new token signed by them.
    let new_public = public_pem(&c);
    assert_ne!(new_public, old_public);
    let new_token = token_file(&c);
    assert_ne!(new_token, old_token);
    assert!(influxctl_admin_testcluster::crypto::verify_jwt(
        &access_token(&new_token),
        &new_public
    ));
    assert!(!influxctl_admin_testcluster::crypto::verify_jwt(
        &access_token(&old_token),
        &new_public
    ));

    // Restart token-management: the default --wait waits for the old pods to go.
    let o = ok(
        &c,
        &[
            "-n",
            "influxdb",
            "delete",
            "pods",
            "-l",
            "app=token-management",
        ],
    );
    for p in &old_pods {
        assert!(o.stdout.contains(&format!("pod \"{p}\" deleted")), "{o:?}");
    }
    assert!(
        c.pods()
            .iter()
            .all(|p| !old_pods.contains(&p["metadata"]["name"].as_str().unwrap().to_string())),
        "old pods are gone once delete returns"
    );
    let new_pods = c.pod_names("token-management");
    assert_eq!(new_pods.len(), 2);
    let w = ok(
        &c,
        &[
            "-n",
            "influxdb",
            "wait",
            "--for=condition=Ready",
            "pod",
            "-l",
            "app=token-management",
            "--timeout=60s",
        ],
    );
    for p in &new_pods {
        assert!(
            w.stdout.contains(&format!("pod/{p} condition met")),
            "{w:?}"
        );
    }
    assert!(c
        .pods()
        .iter()
        .filter(|p| p["metadata"]["labels"]["app"] == "token-management")
        .all(pod_is_ready));
    // Fetch the new token the way the runner does.
    let s: Value = serde_json::from_str(
        &ok(
            &c,
            &[
                "-n",
                "influxdb",
                "get",
                "secret",
                "admin-token",
                "-o",
                "json",
            ],
        )
        .stdout,
    )
    .unwrap();
    use base64::Engine;
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(s["data"]["token"].as_str().unwrap())
            .unwrap(),
        new_token
    );
    // Unrelated objects are untouched.
    assert!(c.secret("influxdb-catalog").is_some() && c.secret("router-tls").is_some());
    assert_eq!(c.pod_names("router").len(), 1);
    assert_eq!(job_names(&c, "catalog-migrate-").len(), 1);
}

/// As first documented (March 2024), with `create job --from=job/` replaced by `create -f -` of a
/// cleaned manifest: delete rsa-keys, re-run key-gen, restart token-management, re-run
/// create-admin-token. The old admin-token stays: that procedure does not replace it.
fn original_procedure(v: (u32, u32)) {
    let c = cluster(v);
    let old_token = token_file(&c);
    let old_public = public_pem(&c);
    assert_eq!(
        ok(&c, &["delete", "secrets/rsa-keys"]).stdout.trim(),
        "secret \"rsa-keys\" deleted"
    );
    let kg = job_names(&c, "key-gen-").remove(0);
    let manifest = rerun_manifest(&c.job(&kg).unwrap(), "key-gen-001");
    let o = kubectl_in(
        &c,
        &["-n", "influxdb", "create", "-f", "-"],
        Some(&manifest),
    );
    assert_eq!(
        (o.code, o.stdout.trim()),
        (0, "job.batch/key-gen-001 created"),
        "{o:?}"
    );
    let post = c
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/apis/batch/v1/namespaces/influxdb/jobs")
        .unwrap();
    assert_eq!(
        post.query_param("fieldValidation").as_deref(),
        Some("Strict")
    );
    assert_eq!(post.content_type.as_deref(), Some("application/json"));
    assert_eq!(post.status, 201);
    let job = c.job("key-gen-001").unwrap();
    let uid = job["metadata"]["uid"].as_str().unwrap();
    assert_eq!(
        job["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
        uid
    );
    assert_eq!(job["metadata"]["labels"]["job-name"], "key-gen-001");
    assert!(!job_has_condition(&job, "Complete"), "the job runs later");
    ok(
        &c,
        &[
            "wait",
            "--for=condition=complete",
            "job/key-gen-001",
            "--timeout=60s",
        ],
    );
    assert_ne!(public_pem(&c), old_public);
    let o = ok(
        &c,
        &["delete", "pods", "--selector", "app=token-management"],
    );
    assert_eq!(o.stdout.lines().count(), 2);
    ok(
        &c,
        &[
            "wait",
            "--for=condition=Ready",
            "pod",
            "-l",
            "app=token-management",
            "--timeout=60s",
        ],
    );
    let cat = job_names(&c, "create-admin-token-").remove(0);
    let manifest = rerun_manifest(&c.job(&cat).unwrap(), "create-admin-token-001");
    let o = kubectl_in(&c, &["create", "-f", "-"], Some(&manifest));
    assert_eq!(o.code, 0, "{o:?}");
    ok(
        &c,
        &[
            "wait",
            "--for=condition=complete",
            "job/create-admin-token-001",
            "--timeout=60s",
        ],
    );
    // The documented flaw: admin-token exists, so the job leaves the old one, signed by a key that is gone.
    assert_eq!(token_file(&c), old_token);
    assert!(!influxctl_admin_testcluster::crypto::verify_jwt(
        &access_token(&old_token),
        &public_pem(&c)
    ));
}

/// `kubectl create job --from=job/…` is what the March 2024 documentation shows; kubectl rejects it.
fn create_job_from_job_is_rejected_by_kubectl(v: (u32, u32)) {
    let c = cluster(v);
    let kg = job_names(&c, "key-gen-").remove(0);
    let o = kubectl(
        &c,
        &[
            "create",
            "job",
            "--from",
            &format!("job/{kg}"),
            "key-gen-001",
        ],
    );
    assert_eq!(o.code, 1);
    assert_eq!(o.stderr.trim(), "error: unknown object type *v1.Job");
    assert!(c.job("key-gen-001").is_none());
    assert!(
        c.requests().iter().all(|r| r.method != "POST"),
        "kubectl never sent a create"
    );
}

fn create_conflicts_and_invalid(v: (u32, u32)) {
    let c = cluster(v);
    let kg = job_names(&c, "key-gen-").remove(0);
    let job = c.job(&kg).unwrap();
    // Same name: 409 AlreadyExists.
    let o = kubectl_in(&c, &["create", "-f", "-"], Some(&rerun_manifest(&job, &kg)));
    assert_eq!(o.code, 1);
    assert_eq!(o.stderr.trim(), format!("Error from server (AlreadyExists): error when creating \"STDIN\": jobs.batch \"{kg}\" already exists"));
    // An uncleaned copy (old selector and controller labels): 422 Invalid, as Kubernetes answers.
    let mut copy = job.clone();
    copy["metadata"] =
        serde_json::json!({"name": "key-gen-002", "labels": job["metadata"]["labels"]});
    copy.as_object_mut().unwrap().remove("status");
    let o = kubectl_in(
        &c,
        &["create", "-f", "-"],
        Some(&serde_json::to_vec(&copy).unwrap()),
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.starts_with("The Job \"key-gen-002\" is invalid: "),
        "{o:?}"
    );
    assert!(
        o.stderr.contains("spec.selector: Invalid value: ")
            && o.stderr.contains("`selector` not auto-generated"),
        "{o:?}"
    );
    let last = c
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(last.status, 422);
    assert!(c.job("key-gen-002").is_none());
}

fn delete_missing_and_ignore_not_found(v: (u32, u32)) {
    let c = cluster(v);
    let o = kubectl(&c, &["delete", "secret", "nope"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr.trim(),
        r#"Error from server (NotFound): secrets "nope" not found"#
    );
    let o = ok(
        &c,
        &["delete", "secret", "nope", "rsa-keys", "--ignore-not-found"],
    );
    assert_eq!(o.stdout.trim(), "secret \"rsa-keys\" deleted");
    let o = ok(&c, &["delete", "job", "a", "b", "--ignore-not-found"]);
    assert_eq!(o.stdout, "");
    // The slash form, several objects in one command.
    c.set_operator(false);
    let kg = job_names(&c, "key-gen-").remove(0);
    let cat = job_names(&c, "create-admin-token-").remove(0);
    let o = ok(&c, &["delete", &format!("job/{kg}"), &format!("job/{cat}")]);
    assert_eq!(
        o.stdout,
        format!("job.batch \"{kg}\" deleted\njob.batch \"{cat}\" deleted\n")
    );
    assert!(c.job(&kg).is_none() && c.job(&cat).is_none());
    let o = kubectl(&c, &["delete", &format!("job/{kg}")]);
    assert_eq!(
        (o.code, o.stderr.trim()),
        (
            1,
            format!("Error from server (NotFound): jobs.batch \"{kg}\" not found").as_str()
        )
    );
    let o = ok(&c, &["delete", "pods", "-l", "app=nothing"]);
    assert_eq!(
        o.stdout.trim(),
        "No resources found",
        "delete prints it on stdout (get prints it on stderr)"
    );
    assert_eq!(c.pod_names("token-management").len(), 2);
}

/// Without the operator (a cluster without kubit) deleted jobs stay deleted.
fn no_operator_means_no_new_jobs(v: (u32, u32)) {
    let c = TestCluster::start(influxctl_admin_testcluster::Options {
        operator: false,
        ..opts(v)
    });
    let kg = job_names(&c, "key-gen-").remove(0);
    ok(&c, &["delete", "job", &kg]);
    std::thread::sleep(Duration::from_millis(600));
    assert!(job_names(&c, "key-gen-").is_empty());
    c.set_operator(true);
    assert_eq!(
        job_names(&c, "key-gen-").len(),
        1,
        "turning the operator on reconciles at once"
    );
}

/// The operator re-creates only the jobs it deployed: a hand-made copy (`create-admin-token-001`,
/// no owner) neither stops it re-creating its own deleted job nor is re-created when deleted.
fn operator_recreates_only_its_own_jobs(v: (u32, u32)) {
    let c = cluster(v);
    let cat = job_names(&c, "create-admin-token-").remove(0);
    let manifest = rerun_manifest(&c.job(&cat).unwrap(), "create-admin-token-001");
    assert_eq!(
        kubectl_in(&c, &["create", "-f", "-"], Some(&manifest)).code,
        0
    );
    assert!(c.job("create-admin-token-001").unwrap()["metadata"]
        .get("ownerReferences")
        .is_none());
    // Deleting the copy: the operator's own job still exists, nothing is re-created.
    ok(&c, &["delete", "job", "create-admin-token-001"]);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(job_names(&c, "create-admin-token-"), vec![cat.clone()]);
    // Deleting the operator's job while a copy exists: the operator re-creates its own.
    assert_eq!(
        kubectl_in(&c, &["create", "-f", "-"], Some(&manifest)).code,
        0
    );
    ok(&c, &["delete", "job", &cat]);
    assert!(
        c.wait_until(Duration::from_secs(5), |c| job_names(
            c,
            "create-admin-token-"
        )
        .len()
            == 2),
        "{:?}",
        job_names(&c, "create-admin-token-")
    );
    let names = job_names(&c, "create-admin-token-");
    assert!(
        names.contains(&"create-admin-token-001".to_string()) && !names.contains(&cat),
        "{names:?}"
    );
    let new = names
        .iter()
        .find(|n| *n != "create-admin-token-001")
        .unwrap();
    assert!(c.job(new).unwrap()["metadata"]["ownerReferences"][0]["kind"] == "AppInstance");
}

/// A job that never completes: kubectl wait times out (exit 1) and the job stays active.
fn wait_times_out_on_a_hanging_job(v: (u32, u32)) {
    let c = cluster(v);
    c.set_jobs_hang(true);
    let cat = job_names(&c, "create-admin-token-").remove(0);
    let manifest = rerun_manifest(&c.job(&cat).unwrap(), "create-admin-token-001");
    assert_eq!(
        kubectl_in(&c, &["create", "-f", "-"], Some(&manifest)).code,
        0
    );
    let o = kubectl(
        &c,
        &[
            "wait",
            "--for=condition=complete",
            "job/create-admin-token-001",
            "--timeout=1s",
        ],
    );
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(
        o.stderr.trim(),
        "error: timed out waiting for the condition on jobs/create-admin-token-001"
    );
    let job = c.job("create-admin-token-001").unwrap();
    assert_eq!(job["status"]["active"], 1);
    assert!(
        c.requests()
            .iter()
            .any(|r| r.query_param("watch").as_deref() == Some("true")),
        "kubectl watched"
    );
    c.set_jobs_hang(false);
    ok(
        &c,
        &[
            "wait",
            "--for=condition=complete",
            "job/create-admin-token-001",
            "--timeout=30s",
        ],
    );
}

/// create-admin-token without rsa-keys fails with a reason.
fn create_admin_token_without_keys_fails(v: (u32, u32)) {
    let c = TestCluster::start(influxctl_admin_testcluster::Options {
        operator: false,
        ..opts(v)
    });
    ok(&c, &["delete", "secret", "rsa-keys", "admin-token"]);
    let cat = job_names(&c, "create-admin-token-").remove(0);
    let manifest = rerun_manifest(&c.job(&cat).unwrap(), "create-admin-token-001");
    assert_eq!(
        kubectl_in(&c, &["create", "-f", "-"], Some(&manifest)).code,
        0
    );
    ok(
        &c,
        &[
            "wait",
            "--for=condition=failed",
            "job/create-admin-token-001",
            "--timeout=30s",
        ],
    );
    let job = c.job("create-admin-token-001").unwrap();
    let failed = job["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Failed")
        .unwrap()
        .clone();
    // As the real job controller says it: the pods' reason is not in the Job's condition.
    assert_eq!(failed["reason"], "BackoffLimitExceeded");
    assert_eq!(
        failed["message"],
        "Job has reached the specified backoff limit"
    );
    assert_eq!(
        job["status"]["failed"], 7,
        "the first attempt and backoffLimit 6 retries"
    );
    assert!(c.secret("admin-token").is_none());
    let cols = ok(&c, &["get", "job", "create-admin-token-001"]);
    assert!(
        cols.stdout.lines().nth(1).unwrap().contains("Failed"),
        "{cols:?}"
    );
}

versions!(
    current_procedure,
    original_procedure,
    create_job_from_job_is_rejected_by_kubectl,
    create_conflicts_and_invalid,
    delete_missing_and_ignore_not_found,
    no_operator_means_no_new_jobs,
    operator_recreates_only_its_own_jobs,
    wait_times_out_on_a_hanging_job,
    create_admin_token_without_keys_fails,
    get_watch_sees_pods_replaced,
);

/// Typed creates other than `auth can-i` are protobuf on kubectl 1.32+, which this server does not
/// read: it answers 415 with a Status saying so (1.31 sends JSON, which works).
#[test]
fn protobuf_typed_create_is_415_on_1_33_and_works_on_1_31() {
    let c = cluster(V133);
    let o = kubectl(
        &c,
        &["create", "secret", "generic", "extra", "--from-literal=a=b"],
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .contains("the body of the request was in an unknown format"),
        "{o:?}"
    );
    let r = c
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        (r.status, r.content_type.as_deref()),
        (415, Some("application/vnd.kubernetes.protobuf"))
    );
    assert!(c.secret("extra").is_none());
    let c = cluster(V131);
    assert_eq!(
        ok(
            &c,
            &["create", "secret", "generic", "extra", "--from-literal=a=b"]
        )
        .stdout
        .trim(),
        "secret/extra created"
    );
    assert_eq!(c.secret("extra").unwrap()["a"], b"b");
}

/// `kubectl get -w` follows the watch stream: the replacement pods appear as ADDED, then turn
/// Ready (MODIFIED), and the old ones go (DELETED).
fn get_watch_sees_pods_replaced(v: (u32, u32)) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let c = cluster(v);
    let old = c.pod_names("token-management");
    let mut child = c
        .kubectl()
        .args([
            "get",
            "pods",
            "-l",
            "app=token-management",
            "-w",
            "--output-watch-events",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    // Wait for the initial list, then replace the pods.
    while lines.len() < 3 {
        lines.push(
            rx.recv_timeout(Duration::from_secs(10))
                .expect("initial watch lines"),
        );
    }
    ok(
        &c,
        &[
            "delete",
            "pods",
            "-l",
            "app=token-management",
            "--wait=false",
        ],
    );
    assert!(c.wait_until(Duration::from_secs(10), |c| c
        .pods()
        .iter()
        .filter(|p| p["metadata"]["labels"]["app"] == "token-management")
        .count()
        == 2
        && c.pods()
            .iter()
            .filter(|p| p["metadata"]["labels"]["app"] == "token-management")
            .all(pod_is_ready)));
    let new = c.pod_names("token-management");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    // EVENT NAME READY STATUS ...
    let seen = |lines: &[String], ev: &str, name: &str, ready: &str, status: &str| {
        lines.iter().any(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w.len() > 4 && w[..4] == [ev, name, ready, status]
        })
    };
    loop {
        let done = new.iter().all(|n| {
            seen(&lines, "ADDED", n, "0/1", "ContainerCreating")
                && seen(&lines, "MODIFIED", n, "1/1", "Running")
        }) && old.iter().all(|n| {
            seen(&lines, "MODIFIED", n, "1/1", "Terminating")
                && seen(&lines, "DELETED", n, "1/1", "Terminating")
        });
        if done {
            break;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => lines.push(l),
            Err(_) => panic!("watch output incomplete:\n{}", lines.join("\n")),
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // One header: the server-side Table columns held for the whole watch.
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["EVENT", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("EVENT")).count(),
        1,
        "{}",
        lines.join("\n")
    );
}
