//! Injected faults and the request log, seen through the real kubectl.

mod common;
use common::*;
use influxctl_admin_testcluster::{Fault, FaultAction, Times};
use std::time::{Duration, Instant};

fn status_500_once_then_ok(v: (u32, u32)) {
    let c = cluster(v);
    c.inject_fault(Fault::new(
        "DELETE",
        "/secrets/rsa-keys",
        FaultAction::Status(500),
        Times::Once,
    ));
    let o = kubectl(&c, &["delete", "secret", "rsa-keys"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr.trim(),
        "Error from server (InternalError): Internal error occurred: injected fault"
    );
    assert!(c.secret("rsa-keys").is_some());
    ok(&c, &["delete", "secret", "rsa-keys"]);
    assert!(c.secret("rsa-keys").is_none());
    let statuses: Vec<u16> = c
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 200]);
}

fn forbidden_and_not_found_always(v: (u32, u32)) {
    let c = cluster(v);
    c.inject_fault(Fault::new(
        "GET",
        "/apis/batch/v1/namespaces/*/jobs",
        FaultAction::Status(403),
        Times::Always,
    ));
    for _ in 0..2 {
        let o = kubectl(&c, &["get", "jobs", "-o", "json"]);
        assert_eq!(o.code, 1);
        assert!(
            o.stderr
                .starts_with("Error from server (Forbidden): jobs.batch is forbidden: "),
            "{o:?}"
        );
    }
    c.inject_fault(Fault::new(
        "GET",
        "/secrets/admin-token",
        FaultAction::Status(404),
        Times::Always,
    ));
    let o = kubectl(&c, &["get", "secret", "admin-token", "-o", "json"]);
    assert_eq!(
        o.stderr.trim(),
        r#"Error from server (NotFound): secrets "admin-token" not found"#
    );
    c.clear_faults();
    ok(&c, &["get", "jobs", "-o", "json"]);
}

fn service_unavailable(v: (u32, u32)) {
    let c = cluster(v);
    c.inject_fault(Fault::new(
        "POST",
        "/jobs",
        FaultAction::Status(503),
        Times::Always,
    ));
    let kg = job_names(&c, "key-gen-").remove(0);
    let o = kubectl_in(
        &c,
        &["create", "-f", "-"],
        Some(&rerun_manifest(&c.job(&kg).unwrap(), "key-gen-001")),
    );
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("(ServiceUnavailable)"), "{o:?}");
    assert!(c.job("key-gen-001").is_none());
}

fn delay_and_request_timeout(v: (u32, u32)) {
    let c = cluster(v);
    ok(&c, &["get", "secret", "admin-token", "-o", "json"]); // warm the discovery cache
    c.inject_fault(Fault::new(
        "GET",
        "/secrets/admin-token",
        FaultAction::Delay(Duration::from_millis(1500)),
        Times::Once,
    ));
    let o = kubectl(
        &c,
        &[
            "get",
            "secret",
            "admin-token",
            "-o",
            "json",
            "--request-timeout=300ms",
        ],
    );
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stderr.contains("Timeout")
            || o.stderr.contains("timeout")
            || o.stderr.contains("deadline"),
        "{o:?}"
    );
    c.inject_fault(Fault::new(
        "GET",
        "/secrets/admin-token",
        FaultAction::Delay(Duration::from_millis(700)),
        Times::Once,
    ));
    let t = Instant::now();
    ok(&c, &["get", "secret", "admin-token", "-o", "json"]);
    assert!(t.elapsed() >= Duration::from_millis(700));
}

fn dropped_connection(v: (u32, u32)) {
    let c = cluster(v);
    ok(&c, &["get", "secret", "admin-token", "-o", "json"]);
    c.inject_fault(Fault::new(
        "DELETE",
        "/secrets/admin-token",
        FaultAction::Drop,
        Times::Always,
    ));
    let o = kubectl(&c, &["delete", "secret", "admin-token"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stderr.contains("EOF") || o.stderr.contains("connection reset"),
        "{o:?}"
    );
    assert!(c.secret("admin-token").is_some());
    assert!(c
        .requests()
        .iter()
        .any(|r| r.method == "DELETE" && r.status == 0));
}

fn request_log_is_exact(v: (u32, u32)) {
    let c = cluster(v);
    let kg = job_names(&c, "key-gen-").remove(0);
    let manifest = rerun_manifest(&c.job(&kg).unwrap(), "key-gen-001");
    ok(&c, &["get", "secret", "admin-token", "-o", "json"]);
    assert_eq!(
        kubectl_in(&c, &["create", "-f", "-"], Some(&manifest)).code,
        0
    );
    ok(&c, &["delete", "pods", "-l", "app=token-management"]);
    let reqs = c.requests();
    let first = &reqs[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("GET", "/version"),
        "the dispatcher asks /version first"
    );
    let ua = reqs
        .iter()
        .find(|r| r.path == "/api/v1/namespaces/influxdb/secrets/admin-token")
        .unwrap()
        .user_agent
        .clone()
        .unwrap();
    assert!(
        ua.starts_with(&format!("kubectl/v1.{}.", v.1)),
        "the dispatched kubectl: {ua}"
    );
    let post = reqs.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(post.path, "/apis/batch/v1/namespaces/influxdb/jobs");
    assert_eq!(
        post.query_param("fieldManager").as_deref(),
        Some("kubectl-create")
    );
    assert_eq!(
        post.query_param("fieldValidation").as_deref(),
        Some("Strict")
    );
    assert_eq!(
        post.body.as_ref().unwrap()["metadata"]["name"],
        "key-gen-001"
    );
    assert!(
        reqs.iter().any(|r| r.path == "/openapi/v3"),
        "kubectl checked for server-side field validation"
    );
    let list = reqs
        .iter()
        .find(|r| r.method == "GET" && r.path == "/api/v1/namespaces/influxdb/pods")
        .unwrap();
    assert_eq!(
        list.query_param("labelSelector").as_deref(),
        Some("app=token-management")
    );
    let deletes: Vec<_> = reqs.iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(deletes.len(), 2);
    assert!(deletes
        .iter()
        .all(|d| d.body.as_ref().unwrap()["propagationPolicy"] == "Background" && d.status == 200));
    // delete's default --wait: a watch per pod, pinned by name.
    let watches: Vec<_> = reqs
        .iter()
        .filter(|r| r.query_param("watch").as_deref() == Some("true") && r.path.ends_with("/pods"))
        .collect();
    assert!(!watches.is_empty());
    assert!(watches.iter().all(|w| w
        .query_param("fieldSelector")
        .unwrap_or_default()
        .starts_with("metadata.name=token-management-")));
}

versions!(
    status_500_once_then_ok,
    forbidden_and_not_found_always,
    service_unavailable,
    delay_and_request_timeout,
    dropped_connection,
    request_log_is_exact,
);
