//! Discovery documents as kubectl reads them: `/version`, `/api`, `/apis`, the group-version
//! resource lists, and the slice of OpenAPI v3 that `kubectl create` checks before it asks the
//! server to validate fields (`fieldValidation=Strict`).

use crate::resources::ALL;
use serde_json::{json, Value};

/// `GET /version`. The gcloud kubectl dispatcher picks `kubectl.1.<minor>` from `minor`.
pub fn version(major: u32, minor: u32) -> Value {
    json!({
        "major": major.to_string(),
        "minor": minor.to_string(),
        "gitVersion": format!("v{major}.{minor}.4"),
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2025-01-01T00:00:00Z",
        "goVersion": "go1.23.4",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

pub fn api(addr: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": addr}]
    })
}

const GROUPS: [&str; 3] = ["apps", "batch", "authorization.k8s.io"];

pub fn apis() -> Value {
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|g| {
            let gv = json!({"groupVersion": format!("{g}/v1"), "version": "v1"});
            json!({"name": g, "versions": [gv.clone()], "preferredVersion": gv})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `GET /api/v1` or `GET /apis/<group>/v1`; `None` for an unknown group-version.
pub fn resource_list(group: &str, version: &str) -> Option<Value> {
    if version != "v1" {
        return None;
    }
    let group_version = if group.is_empty() {
        "v1".to_string()
    } else {
        format!("{group}/v1")
    };
    let mut resources: Vec<Value> = ALL
        .iter()
        .filter(|r| r.group() == group)
        .map(|r| {
            let mut v = json!({
                "name": r.plural(),
                "singularName": r.singular(),
                "namespaced": r.namespaced(),
                "kind": r.kind(),
                "verbs": r.verbs(),
            });
            if !r.short_names().is_empty() {
                v["shortNames"] = json!(r.short_names());
            }
            if !r.categories().is_empty() {
                v["categories"] = json!(r.categories());
            }
            v
        })
        .collect();
    match group {
        "" | "batch" | "apps" => {}
        "authorization.k8s.io" => {
            for (name, kind) in [
                ("selfsubjectaccessreviews", "SelfSubjectAccessReview"),
                ("selfsubjectrulesreviews", "SelfSubjectRulesReview"),
            ] {
                resources.push(json!({
                    "name": name, "singularName": kind.to_lowercase(), "namespaced": false,
                    "kind": kind, "verbs": ["create"]
                }));
            }
        }
        _ => return None,
    }
    if group.is_empty() {
        resources.push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
    }
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}),
    )
}

/// `GET /openapi/v3`: where each group-version's document is.
pub fn openapi_root() -> Value {
    let mut paths = serde_json::Map::new();
    for gv in ["api/v1", "apis/apps/v1", "apis/batch/v1"] {
        paths.insert(
            gv.to_string(),
            json!({"serverRelativeURL": format!("/openapi/v3/{gv}?hash={}", HASH)}),
        );
    }
    json!({"paths": paths})
}

const HASH: &str = "5F3C2A7B9D1E4F60";

/// `GET /openapi/v3/<gv>`: for each kind, a PATCH operation tagged with its group-version-kind and
/// the `fieldValidation` query parameter: that is what tells kubectl the server validates fields.
pub fn openapi_group_version(gv: &str) -> Option<Value> {
    let group = match gv {
        "api/v1" => "",
        "apis/apps/v1" => "apps",
        "apis/batch/v1" => "batch",
        _ => return None,
    };
    let params = json!([
        {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
        {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
        {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
        {"name": "force", "in": "query", "schema": {"type": "boolean", "uniqueItems": true}}
    ]);
    let mut paths = serde_json::Map::new();
    for r in ALL.iter().filter(|r| r.group() == group) {
        let base = if group.is_empty() {
            "/api/v1".to_string()
        } else {
            format!("/apis/{group}/v1")
        };
        let path = if r.namespaced() {
            format!("{base}/namespaces/{{namespace}}/{}/{{name}}", r.plural())
        } else {
            format!("{base}/{}/{{name}}", r.plural())
        };
        let gvk = json!({"group": group, "version": "v1", "kind": r.kind()});
        let op = |verb: &str| {
            json!({
                "description": format!("{verb} the specified {}", r.kind()),
                "operationId": format!("{verb}{}", r.kind()),
                "x-kubernetes-action": verb,
                "x-kubernetes-group-version-kind": gvk,
                "parameters": params,
                "responses": {"200": {"description": "OK"}, "401": {"description": "Unauthorized"}}
            })
        };
        paths.insert(
            path,
            json!({
                "get": op("get"), "put": op("put"), "patch": op("patch"), "delete": op("delete"),
                "parameters": [
                    {"name": "name", "in": "path", "required": true, "schema": {"type": "string", "uniqueItems": true}},
                    {"name": "pretty", "in": "query", "schema": {"type": "string", "uniqueItems": true}}
                ]
            }),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.31.4"},
        "paths": paths,
        "components": {"schemas": {}}
    }))
}

/// `GET /openapi/v2` (protobuf): the PATCH operations of every kind we serve.
pub fn openapi_v2(major: u32, minor: u32) -> Vec<u8> {
    let ops: Vec<(String, &str, &str)> = ALL
        .iter()
        .map(|r| {
            let base = if r.group().is_empty() {
                "/api/v1".to_string()
            } else {
                format!("/apis/{}/v1", r.group())
            };
            let path = if r.namespaced() {
                format!("{base}/namespaces/{{namespace}}/{}/{{name}}", r.plural())
            } else {
                format!("{base}/{}/{{name}}", r.plural())
            };
            (path, r.group(), r.kind())
        })
        .collect();
    crate::protobuf::openapi_v2_document(&format!("v{major}.{minor}.4"), &ops)
}
