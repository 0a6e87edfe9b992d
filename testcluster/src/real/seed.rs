//! Seeds a namespace of a real cluster as an InfluxDB Clustered install, with the same
//! object shapes as the in-process seed ([`crate::influxdb::seed`]): the operator's
//! AppInstance, the token-management ServiceAccount, the unrelated secrets, the
//! Deployments, and the jobs, which then really run (key-gen writes `rsa-keys`,
//! create-admin-token signs `admin-token`) through the simulator. Returns once the keys, the
//! token, the jobs and the pods are all there and done.

use super::client::Client;
use super::{simulator_spec, Namespaced, APP_GROUP, APP_NAME, APP_PLURAL, APP_VERSION};
use crate::cluster::{Cluster, WriteError};
use crate::influxdb::jobs::{self, JobKind, Owner};
use crate::influxdb::seed::{apps, other_secrets};
use crate::influxdb::Names;
use crate::objects;
use crate::resources::Res;
use crate::util::random_suffix;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn created(what: &str, r: Result<Value, WriteError>) -> Result<Option<Value>, String> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(WriteError::AlreadyExists(_)) => Ok(None),
        Err(e) => Err(format!("creating {what}: {e}")),
    }
}

fn post(client: &Client, path: &str, body: &Value, what: &str) -> Result<Option<Value>, String> {
    let r = client.request("POST", path, Some(body))?;
    created(what, r.into_write_result())
}

/// Registers kubit's AppInstance resource (once per cluster) and waits until it is served.
pub fn ensure_app_instance_crd(client: &Client) -> Result<(), String> {
    let name = format!("{APP_PLURAL}.{APP_GROUP}");
    let crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": name},
        "spec": {
            "group": APP_GROUP, "scope": "Namespaced",
            "names": {"plural": APP_PLURAL, "singular": "appinstance", "kind": "AppInstance", "listKind": "AppInstanceList"},
            "versions": [{"name": APP_VERSION, "served": true, "storage": true,
                          "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]
        }
    });
    post(
        client,
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        &crd,
        "the AppInstance CustomResourceDefinition",
    )?;
    wait(
        Duration::from_secs(30),
        "the AppInstance resource to be served",
        || {
            let r = client.get(&format!("/apis/{APP_GROUP}/{APP_VERSION}/{APP_PLURAL}"))?;
            Ok(r.ok())
        },
    )
}

/// Seeds `ns` (created if missing) with an install named by `names`; `operator` says
/// whether kubit acts on it. Needs the simulator running.
pub fn seed(client: &Client, ns: &str, names: &Names, operator: bool) -> Result<(), String> {
    ensure_app_instance_crd(client)?;
    let namespace = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
    post(
        client,
        "/api/v1/namespaces",
        &namespace,
        &format!("namespace {ns}"),
    )?;
    let c = Namespaced::new(client, ns);

    let app = json!({
        "apiVersion": format!("{APP_GROUP}/{APP_VERSION}"), "kind": "AppInstance",
        "metadata": {"name": APP_NAME, "namespace": ns},
        "spec": {"package": {"image": "registry.example/influxdata/clustered:20250101-0000000",
                             "apiVersion": "influxdata.com/v1alpha1"},
                 // Off until the seed has deployed the jobs below: the simulator's kubit,
                 // reconciling at the same moment, would deploy a second pair.
                 "simulator": simulator_spec(names, false)}
    });
    let path = format!("/apis/{APP_GROUP}/{APP_VERSION}/namespaces/{ns}/{APP_PLURAL}");
    let app = match post(client, &path, &app, "the AppInstance")? {
        Some(app) => app,
        None => client.get(&format!("{path}/{APP_NAME}"))?.body,
    };
    let owner = Owner {
        name: APP_NAME.to_string(),
        uid: app["metadata"]["uid"]
            .as_str()
            .ok_or("the AppInstance has no uid")?
            .to_string(),
    };

    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
                    "metadata": {"name": names.token_deployment, "namespace": ns}});
    created(
        "the token-management ServiceAccount",
        c.client
            .request(
                "POST",
                &format!("/api/v1/namespaces/{ns}/serviceaccounts"),
                Some(&sa),
            )?
            .into_write_result(),
    )?;
    for (name, type_, data) in other_secrets() {
        let data: BTreeMap<String, Vec<u8>> =
            data.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let secret = objects::secret_request(ns, name, type_, &data);
        created(
            &format!("secret {name}"),
            c.create(Res::Secret, secret, jobs::TOKEN_MANAGER),
        )?;
    }
    for app in apps(names) {
        let deployment = objects::deployment(ns, &app);
        created(
            &format!("deployment {}", app.name),
            c.create(Res::Deployment, deployment, "kubit"),
        )?;
    }
    let migrate = format!("catalog-migrate-{}", random_suffix(5));
    if !c
        .list(Res::Job)
        .iter()
        .any(|j| JobKind::of(j, names) == JobKind::Other)
    {
        let job = jobs::job_request(ns, &migrate, JobKind::Other, names, &owner);
        created("the catalog-migrate job", c.create(Res::Job, job, "kubit"))?;
    }
    // kubit deploys key-gen and create-admin-token, which make the keys and the token.
    jobs::reconcile_operator(&c, names, &owner);
    if operator {
        super::set_operator(client, ns, true)?;
    }
    wait_ready(&c, names)
}

/// Until the keys, the token, every job and every Deployment are done.
pub fn wait_ready(c: &Namespaced, names: &Names) -> Result<(), String> {
    wait(Duration::from_secs(180), "the install to be ready", || {
        let secrets = [&names.rsa_secret, &names.admin_secret];
        if secrets.iter().any(|s| c.get(Res::Secret, s).is_none()) {
            return Ok(false);
        }
        if !c
            .list(Res::Job)
            .iter()
            .all(|j| objects::job_condition(j, "Complete"))
        {
            return Ok(false);
        }
        Ok(c.list(Res::Deployment).iter().all(|d| {
            let want = d["spec"]["replicas"].as_u64().unwrap_or(1);
            d["status"]["availableReplicas"].as_u64() == Some(want)
                && d["status"]["updatedReplicas"].as_u64() == Some(want)
                && d["status"]["replicas"].as_u64() == Some(want)
        }))
    })
}

/// Polls `done` every 100 ms until it says yes; names `what` on a timeout.
pub fn wait(
    limit: Duration,
    what: &str,
    mut done: impl FnMut() -> Result<bool, String>,
) -> Result<(), String> {
    let start = Instant::now();
    let mut last = String::new();
    loop {
        match done() {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => last = e,
        }
        if start.elapsed() > limit {
            return Err(format!(
                "timed out after {} s waiting for {what}{}",
                limit.as_secs(),
                if last.is_empty() {
                    String::new()
                } else {
                    format!(" (last error: {last})")
                }
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
