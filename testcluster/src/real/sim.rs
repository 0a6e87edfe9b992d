//! The simulator: what a kubelet and the InfluxDB operator (kubit) would do on a real control
//! plane that has neither. It polls the API server every [`TICK`] and:
//! - as the node `NODE`: binds new pods to itself, reports them Running (and Ready, for
//!   a Deployment's pods), does a Job pod's work through the shared model and reports it
//!   Succeeded or Failed, and confirms the deletion of terminating pods, as a kubelet does
//!   once their containers are gone;
//! - as the operator: re-creates each install's own key-gen and create-admin-token jobs
//!   when they are missing ([`crate::influxdb::jobs::reconcile_operator`]).

use super::client::Client;
use super::{installs, Install, Namespaced};
use crate::cluster::Cluster;
use crate::influxdb::jobs;
use crate::influxdb::Names;
use crate::model::JobOutcome;
use crate::objects;
use crate::resources::Res;
use crate::util::{now_rfc3339, random_hex};
use serde_json::{json, Value};
use std::time::Duration;

/// How often the simulator looks.
pub const TICK: Duration = Duration::from_millis(100);
/// The node every pod is bound to.
pub const NODE: &str = "simulated-node-1";

pub struct Simulator {
    client: Client,
    rsa_bits: usize,
}

impl Simulator {
    pub fn new(client: Client, rsa_bits: usize) -> Simulator {
        Simulator { client, rsa_bits }
    }

    /// Registers the node, then runs until the process ends. Errors of one round are
    /// printed and the next round tries again (the API server may be restarting).
    pub fn run(&self) -> ! {
        loop {
            match self.ensure_node() {
                Ok(()) => break,
                Err(e) => eprintln!("simulator: registering node {NODE}: {e}"),
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        loop {
            if let Err(e) = self.tick() {
                eprintln!("simulator: {e}");
            }
            std::thread::sleep(TICK);
        }
    }

    fn ensure_node(&self) -> Result<(), String> {
        let node = json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": NODE, "labels": {"kubernetes.io/hostname": NODE, "kubernetes.io/os": "linux"}},
        });
        let r = self.client.request("POST", "/api/v1/nodes", Some(&node))?;
        if !r.ok() && r.status != 409 {
            return Err(r.message());
        }
        let status = json!({"status": {
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                            "message": "influxctl-admin-simulator plays this node",
                            "lastHeartbeatTime": now_rfc3339(), "lastTransitionTime": now_rfc3339()}],
            "addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
        }});
        let r = self.client.request(
            "PATCH",
            &format!("/api/v1/nodes/{NODE}/status"),
            Some(&status),
        )?;
        if r.ok() {
            Ok(())
        } else {
            Err(r.message())
        }
    }

    /// One round: every pod, then every install's operator.
    pub fn tick(&self) -> Result<(), String> {
        let installs = installs(&self.client);
        for pod in self.client.list(Res::Pod, None)? {
            let ns = pod["metadata"]["namespace"].as_str().unwrap_or_default();
            let names = installs
                .iter()
                .find(|i| i.namespace == ns)
                .map(|i| i.names.clone())
                .unwrap_or_default();
            if let Err(e) = self.node(&Namespaced::new(&self.client, ns), &names, &pod) {
                eprintln!(
                    "simulator: pod {ns}/{}: {e}",
                    pod["metadata"]["name"].as_str().unwrap_or("?")
                );
            }
        }
        for install in &installs {
            // Read again just before acting: a test may have switched the operator off while
            // this round went through the pods.
            let Ok(Install {
                namespace,
                names,
                owner,
                operator: true,
            }) = super::install(&self.client, &install.namespace)
            else {
                continue;
            };
            jobs::reconcile_operator(&Namespaced::new(&self.client, &namespace), &names, &owner);
        }
        Ok(())
    }

    /// The kubelet's part for one pod.
    fn node(&self, c: &Namespaced, names: &Names, pod: &Value) -> Result<(), String> {
        let name = pod["metadata"]["name"].as_str().unwrap_or_default();
        if !pod["metadata"]["deletionTimestamp"].is_null() {
            // The containers are gone: confirm, as the kubelet does, with grace 0.
            let body = json!({"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                              "preconditions": {"uid": pod["metadata"]["uid"]}});
            let path = format!("/api/v1/namespaces/{}/pods/{name}", c.namespace);
            let r = self.client.request("DELETE", &path, Some(&body))?;
            return if r.ok() || r.status == 404 || r.status == 409 {
                Ok(())
            } else {
                Err(format!("confirming its deletion: {}", r.message()))
            };
        }
        let phase = pod["status"]["phase"].as_str().unwrap_or("Pending");
        if matches!(phase, "Succeeded" | "Failed") {
            return Ok(());
        }
        if pod["spec"]["nodeName"].as_str().unwrap_or("").is_empty() {
            self.bind(c, name)?;
        }
        let job = job_of(c, pod);
        match (phase, &job) {
            ("Pending", None) => {
                let mut p = pod.clone();
                objects::pod_ready(&mut p);
                patch_status(c, name, p["status"].clone())
            }
            ("Pending", Some(_)) => patch_status(c, name, running_job_pod(pod)),
            ("Running", Some(job)) => match jobs::run(c, names, self.rsa_bits, job) {
                JobOutcome::Wait => Ok(()),
                JobOutcome::Complete => patch_status(c, name, finished_pod(pod, None)),
                JobOutcome::Failed(msg) => patch_status(c, name, finished_pod(pod, Some(&msg))),
            },
            _ => Ok(()),
        }
    }

    fn bind(&self, c: &Namespaced, name: &str) -> Result<(), String> {
        let binding = json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": name},
                             "target": {"apiVersion": "v1", "kind": "Node", "name": NODE}});
        let path = format!("/api/v1/namespaces/{}/pods/{name}/binding", c.namespace);
        let r = self.client.request("POST", &path, Some(&binding))?;
        if r.ok() || r.status == 409 {
            Ok(())
        } else {
            Err(format!("binding it to {NODE}: {}", r.message()))
        }
    }
}

fn patch_status(c: &Namespaced, name: &str, status: Value) -> Result<(), String> {
    c.patch_status(Res::Pod, name, status)
        .map(|_| ())
        .map_err(|e| format!("reporting its status: {e}"))
}

/// The Job a pod runs for (its controlling owner), if it still exists.
fn job_of(c: &Namespaced, pod: &Value) -> Option<Value> {
    let owner = pod["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["kind"] == "Job" && r["controller"] == true)?;
    let job = c.get(Res::Job, owner["name"].as_str()?)?;
    (job["metadata"]["uid"] == owner["uid"]).then_some(job)
}

fn container(pod: &Value) -> (Value, Value) {
    let c = &pod["spec"]["containers"][0];
    (c["name"].clone(), c["image"].clone())
}

fn image_id(image: &Value) -> String {
    format!("{}@sha256:{}", image.as_str().unwrap_or(""), random_hex(32))
}

/// A Job's pod whose container has started.
fn running_job_pod(pod: &Value) -> Value {
    let (name, image) = container(pod);
    let now = now_rfc3339();
    json!({
        "phase": "Running", "startTime": now, "hostIP": "127.0.0.1", "podIP": "10.244.0.9",
        "podIPs": [{"ip": "10.244.0.9"}],
        "conditions": [
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": now},
            {"type": "Initialized", "status": "True", "lastTransitionTime": now},
            {"type": "ContainersReady", "status": "True", "lastTransitionTime": now},
            {"type": "Ready", "status": "True", "lastTransitionTime": now}
        ],
        "containerStatuses": [{"name": name, "image": image, "imageID": image_id(&image),
                               "containerID": format!("containerd://{}", random_hex(32)),
                               "ready": true, "started": true, "restartCount": 0,
                               "state": {"running": {"startedAt": now}}}]
    })
}

/// A Job's pod whose container exited: 0, or 1 with `failure` as its message.
fn finished_pod(pod: &Value, failure: Option<&str>) -> Value {
    let (name, image) = container(pod);
    let now = now_rfc3339();
    let started = pod["status"]["startTime"].clone();
    let (phase, code, reason) = match failure {
        None => ("Succeeded", 0, "Completed"),
        Some(_) => ("Failed", 1, "Error"),
    };
    let mut terminated = json!({"exitCode": code, "reason": reason, "startedAt": started,
                                "finishedAt": now, "containerID": format!("containerd://{}", random_hex(32))});
    if let Some(msg) = failure {
        terminated["message"] = json!(msg);
    }
    json!({
        "phase": phase,
        "conditions": [
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": started},
            {"type": "Initialized", "status": "True", "lastTransitionTime": started},
            {"type": "ContainersReady", "status": "False", "reason": "PodCompleted", "lastTransitionTime": now},
            {"type": "Ready", "status": "False", "reason": "PodCompleted", "lastTransitionTime": now}
        ],
        "containerStatuses": [{"name": name, "image": image, "imageID": image_id(&image),
                               "ready": false, "started": false, "restartCount": 0,
                               "state": {"terminated": terminated}}]
    })
}
