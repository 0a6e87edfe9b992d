//! Reads with the real kubectl: the exact outputs the procedures rely on, on each kubectl version.

mod common;
use base64::Engine;
use common::*;
use serde_json::Value;

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .expect("base64")
}

fn get_admin_token_template_and_jsonpath(v: (u32, u32)) {
    let c = cluster(v);
    let stored = c.secret("admin-token").expect("seeded admin-token")["token"].clone();
    let t = ok(
        &c,
        &["get", "secrets/admin-token", "--template={{.data.token}}"],
    );
    assert_eq!(b64(&t.stdout), stored);
    let j = ok(
        &c,
        &[
            "-n",
            "influxdb",
            "get",
            "secret",
            "admin-token",
            "-o",
            "jsonpath={.data.token}",
        ],
    );
    assert_eq!(
        j.stdout, t.stdout,
        "jsonpath and template print the same base64"
    );
    // The token file: JSON whose access token is a JWT signed by rsa-keys' key.
    let file: Value = serde_json::from_slice(&stored).unwrap();
    assert_eq!(file["token_type"], "Bearer");
    let jwt = file["access_token"].as_str().unwrap();
    let public = String::from_utf8(c.secret("rsa-keys").unwrap()["public.pem"].clone()).unwrap();
    assert!(influxctl_admin_testcluster::crypto::verify_jwt(
        jwt, &public
    ));
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jwt.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert!(header["kid"].is_string());
    let get = c
        .requests()
        .into_iter()
        .filter(|r| {
            r.method == "GET" && r.path == "/api/v1/namespaces/influxdb/secrets/admin-token"
        })
        .count();
    assert_eq!(get, 2);
}

fn get_secret_json(v: (u32, u32)) {
    let c = cluster(v);
    let o = ok(
        &c,
        &["-n", "influxdb", "get", "secret", "rsa-keys", "-o", "json"],
    );
    let s: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(s["kind"], "Secret");
    assert_eq!(s["metadata"]["name"], "rsa-keys");
    assert!(
        String::from_utf8(b64(s["data"]["private.pem"].as_str().unwrap()))
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    assert!(
        String::from_utf8(b64(s["data"]["public.pem"].as_str().unwrap()))
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let missing = kubectl(&c, &["get", "secret", "nope", "-o", "json"]);
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr.trim(),
        r#"Error from server (NotFound): secrets "nope" not found"#
    );
}

fn get_jobs_columns_and_json(v: (u32, u32)) {
    let c = cluster(v);
    let o = ok(&c, &["get", "jobs"]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]);
    assert_eq!(lines.len(), 4, "{}", o.stdout);
    let kg = &job_names(&c, "key-gen-")[0];
    let row: Vec<&str> = lines
        .iter()
        .find(|l| l.starts_with(kg.as_str()))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(row[1..4], ["Complete", "1/1", "9s"]);
    assert_eq!(row[4], "7d");
    let list: Value =
        serde_json::from_str(&ok(&c, &["-n", "influxdb", "get", "jobs", "-o", "json"]).stdout)
            .unwrap();
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let j = items
        .iter()
        .find(|j| j["metadata"]["name"] == kg.as_str())
        .unwrap();
    assert_eq!(j["kind"], "Job");
    let uid = j["metadata"]["uid"].as_str().unwrap();
    assert_eq!(j["metadata"]["labels"]["controller-uid"], uid);
    assert_eq!(
        j["metadata"]["labels"]["batch.kubernetes.io/job-name"],
        kg.as_str()
    );
    assert_eq!(
        j["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
        uid
    );
    assert_eq!(j["metadata"]["ownerReferences"][0]["kind"], "AppInstance");
    assert!(j["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["type"] == "Complete"));
    // The Table request kubectl made for the columns.
    let r = c
        .requests()
        .into_iter()
        .find(|r| {
            r.path == "/apis/batch/v1/namespaces/influxdb/jobs"
                && r.accept.as_deref().unwrap_or("").contains("as=Table")
        })
        .unwrap();
    assert_eq!(r.query_param("limit").as_deref(), Some("500"));
    let one: Value =
        serde_json::from_str(&ok(&c, &["get", "job", kg, "-o", "json"]).stdout).unwrap();
    assert_eq!(one["metadata"]["name"], kg.as_str());
}

fn get_pods_by_label(v: (u32, u32)) {
    let c = cluster(v);
    let list: Value = serde_json::from_str(
        &ok(
            &c,
            &["get", "pods", "-l", "app=token-management", "-o", "json"],
        )
        .stdout,
    )
    .unwrap();
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.iter().all(|n| n.starts_with("token-management-")));
    let cols = ok(&c, &["get", "pods", "--selector", "app=token-management"]);
    assert_eq!(
        cols.stdout
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    );
    assert!(
        cols.stdout
            .lines()
            .skip(1)
            .all(|l| l.contains("1/1") && l.contains("Running")),
        "{}",
        cols.stdout
    );
    let none = ok(&c, &["get", "pods", "-l", "app=nothing"]);
    assert_eq!(
        none.stderr.trim(),
        "No resources found in influxdb namespace."
    );
}

fn namespace_version_context(v: (u32, u32)) {
    let c = cluster(v);
    let ns = ok(&c, &["get", "namespace", "influxdb"]);
    let row: Vec<&str> = ns
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(row[..2], ["influxdb", "Active"]);
    assert_eq!(
        kubectl(&c, &["get", "namespace", "nope"]).stderr.trim(),
        r#"Error from server (NotFound): namespaces "nope" not found"#
    );
    let ver: Value = serde_json::from_str(&ok(&c, &["version", "-o", "json"]).stdout).unwrap();
    assert_eq!(ver["serverVersion"]["minor"], v.1.to_string());
    assert_eq!(
        ver["clientVersion"]["minor"],
        v.1.to_string(),
        "the dispatcher runs kubectl.1.{}",
        v.1
    );
    assert_eq!(
        ok(&c, &["config", "current-context"]).stdout.trim(),
        "testcluster"
    );
}

fn auth_can_i(v: (u32, u32)) {
    let c = cluster(v);
    let yes = ok(&c, &["auth", "can-i", "delete", "secrets"]);
    assert_eq!(yes.stdout.trim(), "yes");
    c.deny("delete", "secrets");
    let no = kubectl(&c, &["auth", "can-i", "delete", "secrets"]);
    assert_eq!((no.code, no.stdout.trim()), (1, "no"), "{no:?}");
    assert_eq!(
        ok(&c, &["auth", "can-i", "get", "secrets"]).stdout.trim(),
        "yes"
    );
    // The denial is real: the DELETE itself gets 403.
    let del = kubectl(&c, &["delete", "secret", "rsa-keys"]);
    assert_eq!(del.code, 1);
    assert!(del.stderr.contains(r#"Error from server (Forbidden): secrets "rsa-keys" is forbidden: User "testcluster-admin" cannot delete resource "secrets" in API group "" in the namespace "influxdb""#), "{del:?}");
    assert!(c.secret("rsa-keys").is_some());
    let reviews: Vec<_> = c
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/selfsubjectaccessreviews"))
        .collect();
    assert_eq!(reviews.len(), 3);
    let ct = reviews[0].content_type.clone().unwrap_or_default();
    if v.1 >= 32 {
        assert_eq!(
            ct, "application/vnd.kubernetes.protobuf",
            "kubectl 1.32+ sends typed writes as protobuf"
        );
    } else {
        assert_eq!(ct, "application/json");
        assert_eq!(
            reviews[0].body.as_ref().unwrap()["spec"]["resourceAttributes"]["verb"],
            "delete"
        );
    }
}

fn wrong_token_is_401(v: (u32, u32)) {
    let c = cluster(v);
    let bad = c.kubeconfig().replace(c.token(), "wrong-token");
    let path = c.home_dir().join("bad-kubeconfig");
    std::fs::write(&path, bad).unwrap();
    let o = c
        .kubectl()
        .args(["--kubeconfig", path.to_str().unwrap(), "get", "secrets"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)"), "{err}");
    assert!(c.requests().iter().any(|r| r.status == 401));
    assert!(
        c.requests()
            .iter()
            .all(|r| r.status != 200 || r.path == "/version"),
        "nothing but /version is served without the token"
    );
}

versions!(
    get_admin_token_template_and_jsonpath,
    get_secret_json,
    get_jobs_columns_and_json,
    get_pods_by_label,
    namespace_version_context,
    auth_can_i,
    wrong_token_is_401,
);
