//! The InfluxDB model on a real control plane (kube-apiserver, kube-controller-manager and
//! etcd, started by `scripts/control-plane`). There is no kubelet and no operator there, so
//! the simulator plays both ([`sim`]), with the same model code as the in-process server
//! ([`crate::influxdb::jobs`]) behind the same [`Cluster`] interface.
//!
//! The operator's configuration lives in the cluster, so that any number of namespaces can be
//! seeded by tests while one simulator runs: each install has a kubit `AppInstance` (a
//! CustomResourceDefinition this module registers) named `influxdb`, which owns the install's
//! jobs, and whose `spec.simulator` holds the install's [`Names`] and whether the operator
//! acts on it.

pub mod client;
pub mod seed;
pub mod sim;

pub use client::Client;

use crate::cluster::{Cluster, WriteError};
use crate::influxdb::jobs::Owner;
use crate::influxdb::Names;
use crate::resources::Res;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const APP_GROUP: &str = "kubecfg.dev";
pub const APP_VERSION: &str = "v1alpha1";
pub const APP_PLURAL: &str = "appinstances";
/// The AppInstance of an install (kubit's default for InfluxDB Clustered).
pub const APP_NAME: &str = "influxdb";

/// One namespace of a real cluster, as the model sees it.
pub struct Namespaced<'a> {
    pub client: &'a Client,
    pub namespace: String,
}

impl<'a> Namespaced<'a> {
    pub fn new(client: &'a Client, namespace: &str) -> Namespaced<'a> {
        Namespaced {
            client,
            namespace: namespace.to_string(),
        }
    }

    fn item(&self, res: Res, name: &str) -> String {
        format!("{}/{name}", client::collection(res, Some(&self.namespace)))
    }
}

impl Cluster for Namespaced<'_> {
    fn namespace(&self) -> &str {
        &self.namespace
    }

    fn get(&self, res: Res, name: &str) -> Option<Value> {
        let r = self.client.get(&self.item(res, name)).ok()?;
        r.ok().then_some(r.body)
    }

    fn list(&self, res: Res) -> Vec<Value> {
        self.client
            .list(res, Some(&self.namespace))
            .unwrap_or_default()
    }

    fn create(&self, res: Res, object: Value, field_manager: &str) -> Result<Value, WriteError> {
        let path = format!(
            "{}?fieldManager={field_manager}",
            client::collection(res, Some(&self.namespace))
        );
        self.client
            .request("POST", &path, Some(&client_fields(object)))
            .map_err(WriteError::Other)?
            .into_write_result()
    }

    fn patch_status(&self, res: Res, name: &str, status: Value) -> Result<Value, WriteError> {
        let path = format!("{}/status", self.item(res, name));
        self.client
            .request("PATCH", &path, Some(&json!({ "status": status })))
            .map_err(WriteError::Other)?
            .into_write_result()
    }

    fn delete(&self, res: Res, name: &str) -> Result<(), WriteError> {
        self.client
            .request("DELETE", &self.item(res, name), None)
            .map_err(WriteError::Other)?
            .into_write_result()
            .map(|_| ())
    }
}

/// The object without what only the server sets: a create that keeps `resourceVersion` gets
/// a 500 from a real apiserver, and `status` is ignored anyway.
pub fn client_fields(mut object: Value) -> Value {
    if let Some(md) = object["metadata"].as_object_mut() {
        for k in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
            "generation",
            "selfLink",
        ] {
            md.remove(k);
        }
    }
    if let Some(o) = object.as_object_mut() {
        o.remove("status");
    }
    object
}

/// An install as the simulator finds it: its namespace, names, owner and operator switch.
#[derive(Clone, Debug)]
pub struct Install {
    pub namespace: String,
    pub names: Names,
    pub owner: Owner,
    pub operator: bool,
}

/// `spec.simulator` of an AppInstance.
pub fn simulator_spec(names: &Names, operator: bool) -> Value {
    json!({
        "operator": operator,
        "names": {
            "adminSecret": names.admin_secret, "tokenKey": names.token_key,
            "rsaSecret": names.rsa_secret, "tokenDeployment": names.token_deployment,
            "tokenPodLabels": names.token_pod_labels, "keyGenPrefix": names.key_gen_prefix,
            "createTokenPrefix": names.create_token_prefix,
        }
    })
}

impl Install {
    pub fn from_app_instance(app: &Value) -> Option<Install> {
        let spec = &app["spec"]["simulator"];
        let n = &spec["names"];
        let s = |k: &str| n[k].as_str().map(str::to_string);
        let labels: BTreeMap<String, String> = n["tokenPodLabels"]
            .as_object()?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        Some(Install {
            namespace: app["metadata"]["namespace"].as_str()?.to_string(),
            names: Names {
                admin_secret: s("adminSecret")?,
                token_key: s("tokenKey")?,
                rsa_secret: s("rsaSecret")?,
                token_deployment: s("tokenDeployment")?,
                token_pod_labels: labels,
                key_gen_prefix: s("keyGenPrefix")?,
                create_token_prefix: s("createTokenPrefix")?,
            },
            owner: Owner {
                name: app["metadata"]["name"].as_str()?.to_string(),
                uid: app["metadata"]["uid"].as_str()?.to_string(),
            },
            operator: spec["operator"].as_bool().unwrap_or(true),
        })
    }
}

fn app_instances_path(ns: Option<&str>) -> String {
    match ns {
        Some(ns) => format!("/apis/{APP_GROUP}/{APP_VERSION}/namespaces/{ns}/{APP_PLURAL}"),
        None => format!("/apis/{APP_GROUP}/{APP_VERSION}/{APP_PLURAL}"),
    }
}

/// Every install in the cluster (none before the first seed registers the resource).
pub fn installs(client: &Client) -> Vec<Install> {
    match client.get(&app_instances_path(None)) {
        Ok(r) if r.ok() => client::items_of(r.body, "kubecfg.dev/v1alpha1", "AppInstance")
            .iter()
            .filter_map(Install::from_app_instance)
            .collect(),
        _ => Vec::new(),
    }
}

/// The install of one namespace.
pub fn install(client: &Client, ns: &str) -> Result<Install, String> {
    let r = client.get(&format!("{}/{APP_NAME}", app_instances_path(Some(ns))))?;
    if !r.ok() {
        return Err(format!(
            "namespace {ns} has no InfluxDB install (AppInstance {APP_NAME}): {}",
            r.message()
        ));
    }
    Install::from_app_instance(&r.body)
        .ok_or_else(|| format!("AppInstance {ns}/{APP_NAME} has no spec.simulator"))
}

/// Turns the operator of one install on or off (a cluster without kubit: off).
pub fn set_operator(client: &Client, ns: &str, on: bool) -> Result<(), String> {
    let path = format!("{}/{APP_NAME}", app_instances_path(Some(ns)));
    let r = client.request(
        "PATCH",
        &path,
        Some(&json!({"spec": {"simulator": {"operator": on}}})),
    )?;
    if r.ok() {
        Ok(())
    } else {
        Err(format!(
            "cannot switch the operator of {ns}: {}",
            r.message()
        ))
    }
}

/// Creates ServiceAccount `name` in `ns` (if missing), asks the API server for a token of
/// it (TokenRequest, one hour) and writes a kubeconfig that authenticates as it to `out`
/// (mode 0600): the server and CA of `admin_kubeconfig`, the token as its credentials.
pub fn service_account_kubeconfig(
    client: &Client,
    admin_kubeconfig: &std::path::Path,
    ns: &str,
    name: &str,
    out: &std::path::Path,
) -> Result<(), String> {
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": ns}});
    let path = format!("/api/v1/namespaces/{ns}/serviceaccounts");
    match client
        .request("POST", &path, Some(&sa))?
        .into_write_result()
    {
        Ok(_) | Err(WriteError::AlreadyExists(_)) => {}
        Err(e) => return Err(format!("creating ServiceAccount {ns}/{name}: {e}")),
    }
    let request = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                         "spec": {"expirationSeconds": 3600}});
    let r = client.request("POST", &format!("{path}/{name}/token"), Some(&request))?;
    let token = r.body["status"]["token"]
        .as_str()
        .ok_or_else(|| format!("no token for ServiceAccount {ns}/{name}: {}", r.message()))?
        .to_string();
    let admin = std::fs::read_to_string(admin_kubeconfig).map_err(|e| e.to_string())?;
    let field = |k: &str| {
        client::kubeconfig_field(&admin, k)
            .ok_or_else(|| format!("the admin kubeconfig has no {k}"))
    };
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: control-plane\n  cluster:\n    server: {}\n    certificate-authority-data: {}\nusers:\n- name: {name}\n  user:\n    token: {token}\ncontexts:\n- name: {name}\n  context:\n    cluster: control-plane\n    user: {name}\n    namespace: {ns}\ncurrent-context: {name}\n",
        field("server")?,
        field("certificate-authority-data")?,
    );
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(out)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| e.to_string())
}
