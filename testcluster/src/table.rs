//! Server-side printing: the `meta.k8s.io/v1` `Table` that `kubectl get` asks for
//! (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), with the columns Kubernetes prints.

use crate::resources::Res;
use crate::util::{age_of, human_duration, now_secs, parse_rfc3339};
use serde_json::{json, Value};

fn col(name: &str, type_: &str, format: &str, priority: u32, description: &str) -> Value {
    json!({"name": name, "type": type_, "format": format, "description": description, "priority": priority})
}

fn columns(res: Res) -> Vec<Value> {
    let name = col(
        "Name",
        "string",
        "name",
        0,
        "Name must be unique within a namespace.",
    );
    let age = col("Age", "string", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.");
    match res {
        Res::Namespace => vec![name, col("Status", "string", "", 0, "The status of the namespace"), age],
        Res::Secret => vec![
            name,
            col("Type", "string", "", 0, "Used to facilitate programmatic handling of secret data."),
            col("Data", "string", "", 0, "Data contains the secret data."),
            age,
        ],
        Res::Pod => vec![
            name,
            col("Ready", "string", "", 0, "The aggregate readiness state of this pod for accepting traffic."),
            col("Status", "string", "", 0, "The aggregate status of the containers in this pod."),
            col("Restarts", "string", "", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            age,
            col("IP", "string", "", 1, "IP address allocated to the pod."),
            col("Node", "string", "", 1, "Name of the node this pod is running on."),
            col("Nominated Node", "string", "", 1, "Name of the node where the pod is nominated."),
            col("Readiness Gates", "string", "", 1, "Pod readiness gates."),
        ],
        Res::Job => vec![
            name,
            col("Status", "string", "", 0, "Status of the job."),
            col("Completions", "string", "", 0, "The completion status of the job."),
            col("Duration", "string", "", 0, "Time required to complete the job."),
            age,
            col("Containers", "string", "", 1, "Names of each container in the template."),
            col("Images", "string", "", 1, "Images referenced by each container in the template."),
            col("Selector", "string", "", 1, "Query over pods that should match the pod count."),
        ],
        Res::Deployment => vec![
            name,
            col("Ready", "string", "", 0, "Number of the pod with ready state"),
            col("Up-to-date", "string", "", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            col("Available", "string", "", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            age,
            col("Containers", "string", "", 1, "Names of each container in the template."),
            col("Images", "string", "", 1, "Images referenced by each container in the template."),
            col("Selector", "string", "", 1, "Label selector for pods."),
        ],
        Res::ReplicaSet => vec![
            name,
            col("Desired", "integer", "", 0, "Number of desired pods."),
            col("Current", "integer", "", 0, "Number of actual replicas."),
            col("Ready", "integer", "", 0, "Number of ready replicas."),
            age,
        ],
    }
}

fn selector_string(sel: &Value) -> String {
    let mut parts: Vec<String> = sel["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    parts.sort();
    parts.join(",")
}

fn containers(template_spec: &Value, field: &str) -> String {
    template_spec["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| c[field].as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

fn has_condition(obj: &Value, t: &str) -> bool {
    obj["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == t && c["status"] == "True"))
}

fn cells(res: Res, o: &Value) -> Vec<Value> {
    let name = json!(o["metadata"]["name"]);
    let age = json!(age_of(o));
    let st = &o["status"];
    match res {
        Res::Namespace => vec![name, json!(st["phase"].as_str().unwrap_or("Active")), age],
        Res::Secret => vec![
            name,
            json!(o["type"].as_str().unwrap_or("Opaque")),
            json!(o["data"].as_object().map_or(0, |d| d.len())),
            age,
        ],
        Res::Pod => {
            let cs = st["containerStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let total = o["spec"]["containers"].as_array().map_or(0, |c| c.len());
            let ready = cs.iter().filter(|c| c["ready"] == true).count();
            let restarts: u64 = cs
                .iter()
                .map(|c| c["restartCount"].as_u64().unwrap_or(0))
                .sum();
            let mut status = st["phase"].as_str().unwrap_or("Pending").to_string();
            if let Some(reason) = cs
                .iter()
                .find_map(|c| c["state"]["waiting"]["reason"].as_str())
            {
                status = reason.to_string();
            }
            if !o["metadata"]["deletionTimestamp"].is_null() {
                status = "Terminating".into();
            }
            vec![
                name,
                json!(format!("{ready}/{total}")),
                json!(status),
                json!(restarts.to_string()),
                age,
                json!(st["podIP"].as_str().unwrap_or("<none>")),
                json!(o["spec"]["nodeName"].as_str().unwrap_or("<none>")),
                json!("<none>"),
                json!("<none>"),
            ]
        }
        Res::Job => {
            let status = if has_condition(o, "Complete") {
                "Complete"
            } else if has_condition(o, "Failed") {
                "Failed"
            } else if o["spec"]["suspend"] == true {
                "Suspended"
            } else {
                "Running"
            };
            let completions = o["spec"]["completions"].as_u64().unwrap_or(1);
            let succeeded = st["succeeded"].as_u64().unwrap_or(0);
            let start = st["startTime"].as_str().and_then(parse_rfc3339);
            let end = st["completionTime"]
                .as_str()
                .and_then(parse_rfc3339)
                .unwrap_or_else(now_secs);
            let duration = start.map_or(String::new(), |s| human_duration(end - s));
            vec![
                name,
                json!(status),
                json!(format!("{succeeded}/{completions}")),
                json!(duration),
                age,
                json!(containers(&o["spec"]["template"]["spec"], "name")),
                json!(containers(&o["spec"]["template"]["spec"], "image")),
                json!(selector_string(&o["spec"]["selector"])),
            ]
        }
        Res::Deployment => vec![
            name,
            json!(format!(
                "{}/{}",
                st["readyReplicas"].as_u64().unwrap_or(0),
                o["spec"]["replicas"].as_u64().unwrap_or(1)
            )),
            json!(st["updatedReplicas"].as_u64().unwrap_or(0)),
            json!(st["availableReplicas"].as_u64().unwrap_or(0)),
            age,
            json!(containers(&o["spec"]["template"]["spec"], "name")),
            json!(containers(&o["spec"]["template"]["spec"], "image")),
            json!(selector_string(&o["spec"]["selector"])),
        ],
        Res::ReplicaSet => vec![
            name,
            json!(o["spec"]["replicas"].as_u64().unwrap_or(0)),
            json!(st["replicas"].as_u64().unwrap_or(0)),
            json!(st["readyReplicas"].as_u64().unwrap_or(0)),
            age,
        ],
    }
}

/// A Table of `objects`; `include_object` is the `includeObject` parameter (default `Metadata`).
pub fn table(
    res: Res,
    objects: &[Value],
    resource_version: &str,
    cont: Option<&str>,
    include_object: &str,
) -> Value {
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let object = match include_object {
                "None" => Value::Null,
                "Object" => o.clone(),
                _ => json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}),
            };
            json!({"cells": cells(res, o), "object": object})
        })
        .collect();
    let mut meta = json!({"resourceVersion": resource_version});
    if let Some(c) = cont {
        meta["continue"] = json!(c);
    }
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": columns(res), "rows": rows})
}
