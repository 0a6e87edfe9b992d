//! Builders for realistic manifests, and the defaults the API server adds to an object on
//! create. Public so that a [`crate::Model`] can seed and create objects as a cluster would.

use crate::resources::Res;
use crate::util::{now_rfc3339, now_secs, random_suffix, rfc3339, uuid4};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub fn meta(name: &str, ns: Option<&str>) -> Value {
    let mut m = json!({"name": name});
    if let Some(ns) = ns {
        m["namespace"] = json!(ns);
    }
    m["uid"] = json!(uuid4());
    m["resourceVersion"] = json!("0");
    m["creationTimestamp"] = json!(now_rfc3339());
    m
}

fn managed(manager: &str, api_version: &str, subresource: Option<&str>) -> Value {
    let mut m = json!({
        "manager": manager, "operation": "Update", "apiVersion": api_version,
        "time": now_rfc3339(), "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}
    });
    if let Some(s) = subresource {
        m["subresource"] = json!(s);
        m["fieldsV1"] = json!({"f:status": {}});
    }
    m
}

pub fn namespace(name: &str) -> Value {
    let mut m = meta(name, None);
    m["labels"] = json!({"kubernetes.io/metadata.name": name});
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": m,
           "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
}

/// A Secret as `manager` (its field manager) stored it.
pub fn secret(
    ns: &str,
    name: &str,
    type_: &str,
    data: &BTreeMap<String, Vec<u8>>,
    manager: &str,
) -> Value {
    let mut m = meta(name, Some(ns));
    m["managedFields"] = json!([managed(manager, "v1", None)]);
    let data: serde_json::Map<String, Value> = data
        .iter()
        .map(|(k, v)| (k.clone(), json!(STANDARD.encode(v))))
        .collect();
    json!({"apiVersion": "v1", "kind": "Secret", "metadata": m, "data": data, "type": type_})
}

/// A Secret as a client sends it to be created (no server fields).
pub fn secret_request(
    ns: &str,
    name: &str,
    type_: &str,
    data: &BTreeMap<String, Vec<u8>>,
) -> Value {
    let data: serde_json::Map<String, Value> = data
        .iter()
        .map(|(k, v)| (k.clone(), json!(STANDARD.encode(v))))
        .collect();
    json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": ns},
           "data": data, "type": type_})
}

/// Decodes a Secret's `data` into bytes.
pub fn secret_data(obj: &Value) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Some(d) = obj["data"].as_object() {
        for (k, v) in d {
            out.insert(
                k.clone(),
                STANDARD
                    .decode(v.as_str().unwrap_or(""))
                    .unwrap_or_default(),
            );
        }
    }
    if let Some(d) = obj["stringData"].as_object() {
        for (k, v) in d {
            out.insert(k.clone(), v.as_str().unwrap_or("").as_bytes().to_vec());
        }
    }
    out
}

/// The same object, created `secs_ago` seconds ago.
pub fn backdate(mut obj: Value, secs_ago: i64) -> Value {
    obj["metadata"]["creationTimestamp"] = json!(rfc3339(now_secs() - secs_ago));
    obj
}

/// What the API server does to an object on create, before storing it: a Job's defaults (see
/// [`job_defaults`]), otherwise namespace, uid, creation time and managed fields; a Secret's
/// `stringData` folded into `data`. Returns validation causes (422).
pub fn prepare(
    res: Res,
    obj: &mut Value,
    ns: &str,
    field_manager: &str,
) -> Result<(), Vec<(String, String)>> {
    if res == Res::Job {
        return job_defaults(obj, ns, field_manager);
    }
    let md = &mut obj["metadata"];
    if res.namespaced() {
        md["namespace"] = json!(ns);
    }
    md["uid"] = json!(uuid4());
    md["creationTimestamp"] = json!(now_rfc3339());
    md["managedFields"] = json!([managed(field_manager, res.api_version(), None)]);
    if res == Res::Secret {
        let data = secret_data(obj);
        if let Some(m) = obj.as_object_mut() {
            m.shift_remove("stringData");
        }
        obj["data"] = json!(data
            .iter()
            .map(|(k, v)| (k.clone(), json!(STANDARD.encode(v))))
            .collect::<serde_json::Map<_, _>>());
        if obj["type"].is_null() {
            obj["type"] = json!("Opaque");
        }
    }
    Ok(())
}

/// Whether `object` has an owner reference to the object with uid `owner_uid`.
pub fn owned_by(object: &Value, owner_uid: &str) -> bool {
    object["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|refs| refs.iter().any(|r| r["uid"] == owner_uid))
}

/// Applies what the API server does to a Job on create: uid, timestamps, generation, the
/// generated selector and the controller labels. Returns validation causes (422) if the
/// manifest carries a selector that was not generated for this uid.
pub fn job_defaults(
    job: &mut Value,
    ns: &str,
    field_manager: &str,
) -> Result<(), Vec<(String, String)>> {
    let name = job["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let uid = uuid4();
    let md = &mut job["metadata"];
    md["namespace"] = json!(ns);
    md["uid"] = json!(uid);
    md["creationTimestamp"] = json!(now_rfc3339());
    md["generation"] = json!(1);
    if md.get("annotations").is_none() {
        md["annotations"] = json!({});
    }
    md["annotations"]["batch.kubernetes.io/job-tracking"] = json!("");
    md["managedFields"] = json!([managed(field_manager, "batch/v1", None)]);

    let spec = &mut job["spec"];
    for (k, v) in [
        ("parallelism", json!(1)),
        ("completions", json!(1)),
        ("backoffLimit", json!(6)),
    ] {
        if spec.get(k).is_none() {
            spec[k] = v;
        }
    }
    for (k, v) in [
        ("completionMode", "NonIndexed"),
        ("podReplacementPolicy", "TerminatingOrFailed"),
    ] {
        if spec.get(k).is_none() {
            spec[k] = json!(v);
        }
    }
    if spec.get("suspend").is_none() {
        spec["suspend"] = json!(false);
    }
    let manual = spec["manualSelector"].as_bool() == Some(true);
    let mut causes = Vec::new();
    if !manual {
        // generateSelector + validateGeneratedSelector from pkg/registry/batch/job.
        let tl = &mut spec["template"]["metadata"]["labels"];
        if !tl.is_object() {
            *tl = json!({});
        }
        for k in ["batch.kubernetes.io/controller-uid", "controller-uid"] {
            match tl[k].as_str() {
                None => tl[k] = json!(uid),
                Some(v) if v != uid => causes.push((
                    format!("spec.template.metadata.labels[{k}]"),
                    format!("Invalid value: \"{v}\": must be '{uid}'"),
                )),
                _ => {}
            }
        }
        for k in ["batch.kubernetes.io/job-name", "job-name"] {
            match tl[k].as_str() {
                None => tl[k] = json!(name),
                Some(v) if v != name => causes.push((
                    format!("spec.template.metadata.labels[{k}]"),
                    format!("Invalid value: \"{v}\": must be '{name}'"),
                )),
                _ => {}
            }
        }
        let sel = &mut spec["selector"];
        if !sel.is_object() {
            *sel = json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}});
        } else {
            let given = sel["matchLabels"]["batch.kubernetes.io/controller-uid"]
                .as_str()
                .map(str::to_string);
            match given {
                Some(v) if v == uid => {}
                _ => causes.push((
                    "spec.selector".to_string(),
                    format!(
                        "Invalid value: {}: `selector` not auto-generated",
                        serde_json::to_string(sel).unwrap()
                    ),
                )),
            }
        }
        if !job["metadata"]["labels"].is_object()
            || job["metadata"]["labels"]
                .as_object()
                .is_some_and(|m| m.is_empty())
        {
            job["metadata"]["labels"] = job["spec"]["template"]["metadata"]["labels"].clone();
        }
    }
    if job["spec"]["template"]["metadata"]
        .get("creationTimestamp")
        .is_none()
    {
        job["spec"]["template"]["metadata"]["creationTimestamp"] = Value::Null;
    }
    // Status is never taken from a create request.
    job["status"] = json!({});
    if causes.is_empty() {
        Ok(())
    } else {
        Err(causes)
    }
}

/// Marks a job as started (what the job controller does as soon as it sees it).
pub fn job_started(job: &mut Value) {
    job["status"] = json!({"active": 1, "ready": 0, "startTime": now_rfc3339(), "terminating": 0, "uncountedTerminatedPods": {}});
    push_managed_status(job);
}

pub fn job_complete(job: &mut Value) {
    let now = now_rfc3339();
    let start = job["status"]["startTime"].clone();
    job["status"] = json!({
        "completionTime": now,
        "conditions": [
            {"type": "Complete", "status": "True", "lastProbeTime": now, "lastTransitionTime": now}
        ],
        "ready": 0, "startTime": if start.is_null() { json!(now) } else { start },
        "succeeded": 1, "terminating": 0, "uncountedTerminatedPods": {}
    });
}

pub fn job_failed(job: &mut Value, reason: &str, message: &str) {
    let now = now_rfc3339();
    let start = job["status"]["startTime"].clone();
    job["status"] = json!({
        "conditions": [
            {"type": "Failed", "status": "True", "lastProbeTime": now, "lastTransitionTime": now, "reason": reason, "message": message}
        ],
        "failed": 1, "ready": 0, "startTime": if start.is_null() { json!(now) } else { start },
        "terminating": 0, "uncountedTerminatedPods": {}
    });
}

fn push_managed_status(job: &mut Value) {
    if let Some(mf) = job["metadata"]["managedFields"].as_array_mut() {
        if !mf.iter().any(|m| m["subresource"] == "status") {
            mf.push(managed(
                "kube-controller-manager",
                "batch/v1",
                Some("status"),
            ));
        }
    }
}

pub fn job_condition(job: &Value, type_: &str) -> bool {
    job["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == type_ && c["status"] == "True")
    })
}

pub fn job_finished(job: &Value) -> bool {
    job_condition(job, "Complete") || job_condition(job, "Failed")
}

/// A Deployment-like app: a Deployment, its ReplicaSet, and the pod template.
#[derive(Clone, Debug)]
pub struct App {
    /// Name of the Deployment (and of its container).
    pub name: String,
    pub replicas: u32,
    /// The Deployment's selector and its pods' labels (besides `pod-template-hash`).
    pub labels: BTreeMap<String, String>,
    pub hash: String,
    pub rs_uid: String,
    pub image: String,
    pub port: u16,
}

impl App {
    /// An app labelled `app=<name>`, with a new template hash and ReplicaSet uid.
    pub fn new(name: &str, replicas: u32, image: &str, port: u16) -> App {
        App {
            name: name.to_string(),
            replicas,
            labels: BTreeMap::from([("app".to_string(), name.to_string())]),
            // Pod-template hashes look like `7c9d8f6b5d`.
            hash: random_suffix(10),
            rs_uid: uuid4(),
            image: image.to_string(),
            port,
        }
    }

    /// The same app with these selector labels instead of `app=<name>`.
    pub fn with_labels<'a>(mut self, labels: impl IntoIterator<Item = (&'a str, &'a str)>) -> App {
        self.labels = labels
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self
    }

    fn pod_labels(&self) -> Value {
        let mut l = json!(self.labels);
        l["pod-template-hash"] = json!(self.hash);
        l
    }
}

pub fn deployment(ns: &str, app: &App) -> Value {
    let mut m = meta(&app.name, Some(ns));
    m["generation"] = json!(1);
    m["labels"] = json!(app.labels);
    m["annotations"] = json!({"deployment.kubernetes.io/revision": "1"});
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": m,
        "spec": {
            "replicas": app.replicas, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
            "selector": {"matchLabels": app.labels},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {"metadata": {"creationTimestamp": null, "labels": app.labels}, "spec": pod_spec(app)}
        },
        "status": {}
    })
}

pub fn replica_set(ns: &str, app: &App, deploy_uid: &str) -> Value {
    let name = format!("{}-{}", app.name, app.hash);
    let mut m = meta(&name, Some(ns));
    m["uid"] = json!(app.rs_uid);
    m["generation"] = json!(1);
    m["labels"] = app.pod_labels();
    m["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "Deployment", "name": app.name, "uid": deploy_uid, "controller": true, "blockOwnerDeletion": true}]);
    json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": m,
        "spec": {"replicas": app.replicas,
                 "selector": {"matchLabels": app.pod_labels()},
                 "template": {"metadata": {"labels": app.pod_labels()}, "spec": pod_spec(app)}},
        "status": {"replicas": app.replicas, "readyReplicas": app.replicas, "availableReplicas": app.replicas, "fullyLabeledReplicas": app.replicas, "observedGeneration": 1}
    })
}

fn pod_spec(app: &App) -> Value {
    json!({
        "containers": [{
            "name": app.name, "image": app.image, "imagePullPolicy": "IfNotPresent",
            "ports": [{"containerPort": app.port, "name": "http", "protocol": "TCP"}],
            "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"
        }],
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
        "securityContext": {}, "terminationGracePeriodSeconds": 30
    })
}

/// A new pod of `app`, Pending (not Ready) until [`pod_ready`] runs.
pub fn pod(ns: &str, app: &App) -> Value {
    let name = format!("{}-{}-{}", app.name, app.hash, random_suffix(5));
    let mut m = meta(&name, Some(ns));
    m["generateName"] = json!(format!("{}-{}-", app.name, app.hash));
    m["labels"] = app.pod_labels();
    m["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{}-{}", app.name, app.hash), "uid": app.rs_uid, "controller": true, "blockOwnerDeletion": true}]);
    let mut spec = pod_spec(app);
    spec["nodeName"] = json!("testcluster-node-1");
    spec["serviceAccountName"] = json!("default");
    let now = now_rfc3339();
    json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec,
        "status": {
            "phase": "Pending", "hostIP": "10.0.0.10", "startTime": now, "qosClass": "BestEffort",
            "conditions": [
                {"type": "PodReadyToStartContainers", "status": "False", "lastProbeTime": null, "lastTransitionTime": now},
                {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": now},
                {"type": "Ready", "status": "False", "lastProbeTime": null, "lastTransitionTime": now, "reason": "ContainersNotReady", "message": format!("containers with unready status: [{}]", app.name)},
                {"type": "ContainersReady", "status": "False", "lastProbeTime": null, "lastTransitionTime": now, "reason": "ContainersNotReady", "message": format!("containers with unready status: [{}]", app.name)},
                {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now}
            ],
            "containerStatuses": [{"name": app.name, "image": app.image, "imageID": "", "ready": false, "restartCount": 0, "started": false,
                                   "state": {"waiting": {"reason": "ContainerCreating"}}}]
        }
    })
}

/// Running and Ready, as the kubelet reports once the container is up.
pub fn pod_ready(pod: &mut Value) {
    let now = now_rfc3339();
    let name = pod["spec"]["containers"][0]["name"].clone();
    let image = pod["spec"]["containers"][0]["image"].clone();
    let ip = format!("10.244.0.{}", 2 + rand::random::<u8>() % 250);
    let st = &mut pod["status"];
    st["phase"] = json!("Running");
    st["podIP"] = json!(ip);
    st["podIPs"] = json!([{"ip": ip}]);
    st["conditions"] = json!([
        {"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": null, "lastTransitionTime": now},
        {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": now},
        {"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": now},
        {"type": "ContainersReady", "status": "True", "lastProbeTime": null, "lastTransitionTime": now},
        {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now}
    ]);
    st["containerStatuses"] = json!([{
        "name": name, "image": image, "imageID": format!("{}@sha256:{}", image.as_str().unwrap_or(""), crate::util::random_hex(32)),
        "containerID": format!("containerd://{}", crate::util::random_hex(32)),
        "ready": true, "restartCount": 0, "started": true, "state": {"running": {"startedAt": now}}
    }]);
}

pub fn pod_is_ready(pod: &Value) -> bool {
    pod["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "Ready" && c["status"] == "True")
    })
}
