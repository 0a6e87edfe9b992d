//! What the cluster does on its own, as Kubernetes does it: the job controller (starts a Job,
//! runs it after a delay, asks the model for its work and sets its conditions) and the
//! ReplicaSet controller (replaces deleted pods with new, later Ready ones). What a job does
//! and any operator belong to the [`crate::Model`].

use crate::model::{Api, JobOutcome};
use crate::objects::{self, App};
use crate::resources::Res;
use crate::state::{Shared, State};
use crate::util::{now_secs, rfc3339};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::sleep;

const POLL: Duration = Duration::from_millis(25);

/// Called after an object is stored by a create: a Job starts, then runs after `job_delay`.
pub fn created(sh: &Arc<Shared>, res: Res, ns: &str, obj: &Value) {
    if res != Res::Job {
        return;
    }
    let (sh, ns) = (sh.clone(), ns.to_string());
    let name = obj["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let uid = obj["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    sh.clone()
        .handle
        .spawn(async move { run_job(sh, ns, name, uid).await });
}

fn same_job(sh: &Shared, ns: &str, name: &str, uid: &str) -> Option<Value> {
    sh.lock()
        .store
        .get(Res::Job, ns, name)
        .filter(|j| j["metadata"]["uid"] == uid)
        .cloned()
}

async fn run_job(sh: Arc<Shared>, ns: String, name: String, uid: String) {
    sleep(POLL).await;
    {
        let mut st = sh.lock();
        if st
            .store
            .get(Res::Job, &ns, &name)
            .map_or(true, |j| j["metadata"]["uid"] != uid.as_str())
        {
            return;
        }
        st.store.update(Res::Job, &ns, &name, objects::job_started);
    }
    sleep(sh.opts.job_delay).await;
    // As the real job controller: a failed attempt (a pod that exited non-zero) counts in
    // `status.failed` and is retried after a growing delay (10 s, 20 s, 40 s, … there;
    // job_delay, doubled each time and at most 2 s, here); only past `spec.backoffLimit`
    // does the Job get its Failed condition, whose message does not say why the pods failed.
    let mut failures: u64 = 0;
    let outcome = loop {
        let Some(job) = same_job(&sh, &ns, &name, &uid) else {
            return;
        };
        // A hanging cluster (for timeout tests): the job stays active until the switch is off.
        if !sh.lock().jobs_hang {
            let api = Api::new(&sh);
            let model = sh.model.clone();
            let limit = job["spec"]["backoffLimit"].as_u64().unwrap_or(6);
            let attempt = match tokio::task::spawn_blocking(move || model.run_job(&api, &job)).await
            {
                Ok(outcome) => outcome,
                Err(e) => JobOutcome::Failed(format!("the job's work panicked: {e}")),
            };
            match attempt {
                JobOutcome::Wait => {}
                JobOutcome::Failed(_) if failures < limit => {
                    failures += 1;
                    sh.lock().store.update(Res::Job, &ns, &name, |j| {
                        j["status"]["failed"] = json!(failures);
                    });
                    let backoff = sh.opts.job_delay * 2u32.saturating_pow(failures as u32 - 1);
                    sleep(backoff.min(Duration::from_secs(2))).await;
                    continue;
                }
                outcome => break outcome,
            }
        }
        sleep(POLL).await;
    };
    let mut st = sh.lock();
    if st
        .store
        .get(Res::Job, &ns, &name)
        .map_or(true, |j| j["metadata"]["uid"] != uid.as_str())
    {
        return;
    }
    st.store.update(Res::Job, &ns, &name, |j| match &outcome {
        JobOutcome::Failed(_) => {
            objects::job_failed(
                j,
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
            );
            j["status"]["failed"] = json!(failures + 1);
        }
        _ => objects::job_complete(j),
    });
}

/// Called when a pod got a deletion request: it terminates after a delay and, if a ReplicaSet
/// owns it, a replacement with a new name is created now and becomes Ready later.
pub fn pod_deleted(sh: &Arc<Shared>, ns: &str, pod: &Value) {
    let name = pod["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let uid = pod["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // The app whose ReplicaSet owns the pod (if any).
    let app_name = sh
        .lock()
        .apps
        .values()
        .find(|a| objects::owned_by(pod, &a.rs_uid))
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let (sh2, ns2, app2) = (sh.clone(), ns.to_string(), app_name.clone());
    sh.handle.spawn(async move {
        sleep(sh2.opts.pod_terminate_delay).await;
        let mut st = sh2.lock();
        if st
            .store
            .get(Res::Pod, &ns2, &name)
            .is_some_and(|p| p["metadata"]["uid"] == uid.as_str())
        {
            st.store.remove(Res::Pod, &ns2, &name);
        }
        drop(st);
        refresh_deployment(&sh2, &ns2, &app2);
    });
    reconcile_replicas(sh, ns, &app_name);
}

/// Creates pods until the app has its replica count of non-terminating pods.
pub fn reconcile_replicas(sh: &Arc<Shared>, ns: &str, app_name: &str) {
    let mut st = sh.lock();
    let Some(app) = st.apps.get(app_name).cloned() else {
        return;
    };
    let live = st
        .store
        .list(Res::Pod, Some(ns))
        .iter()
        .filter(|p| live_pod_of(&app, p))
        .count();
    for _ in live..app.replicas as usize {
        let pod = st.store.insert(Res::Pod, ns, objects::pod(ns, &app));
        let (name, uid) = (
            pod["metadata"]["name"].as_str().unwrap().to_string(),
            pod["metadata"]["uid"].clone(),
        );
        let (sh2, ns2, app2) = (sh.clone(), ns.to_string(), app_name.to_string());
        sh.handle.spawn(async move {
            sleep(sh2.opts.pod_ready_delay).await;
            let mut st = sh2.lock();
            if st.store.get(Res::Pod, &ns2, &name).is_some_and(|p| {
                p["metadata"]["uid"] == uid && p["metadata"]["deletionTimestamp"].is_null()
            }) {
                st.store.update(Res::Pod, &ns2, &name, objects::pod_ready);
            }
            drop(st);
            refresh_deployment(&sh2, &ns2, &app2);
        });
    }
    drop(st);
    refresh_deployment(sh, ns, app_name);
}

/// Whether `pod` belongs to `app` (its ReplicaSet owns it) and is not terminating.
fn live_pod_of(app: &App, pod: &Value) -> bool {
    objects::owned_by(pod, &app.rs_uid) && pod["metadata"]["deletionTimestamp"].is_null()
}

/// Stores a Deployment, its ReplicaSet and `app.replicas` Ready pods, all `age_secs` old,
/// and registers the app so that its deleted pods are replaced.
pub fn add_deployment(st: &mut State, ns: &str, app: App, age_secs: i64) {
    let deploy = st.store.insert(
        Res::Deployment,
        ns,
        objects::backdate(objects::deployment(ns, &app), age_secs),
    );
    let duid = deploy["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    st.store.insert(
        Res::ReplicaSet,
        ns,
        objects::backdate(objects::replica_set(ns, &app, &duid), age_secs),
    );
    for _ in 0..app.replicas {
        let mut pod = objects::pod(ns, &app);
        objects::pod_ready(&mut pod);
        st.store
            .insert(Res::Pod, ns, objects::backdate(pod, age_secs));
    }
    let (total, since) = (app.replicas, rfc3339(now_secs() - age_secs));
    st.store.update(Res::Deployment, ns, &app.name, |d| {
        d["status"] = json!({"observedGeneration": 1, "replicas": total, "updatedReplicas": total, "readyReplicas": total, "availableReplicas": total,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability.",
                            "lastUpdateTime": since, "lastTransitionTime": since}]});
    });
    st.apps.insert(app.name.clone(), app);
}

/// Recomputes a Deployment's (and its ReplicaSet's) status from its pods.
pub fn refresh_deployment(sh: &Arc<Shared>, ns: &str, app_name: &str) {
    let mut st = sh.lock();
    let Some(app) = st.apps.get(app_name).cloned() else {
        return;
    };
    let pods: Vec<Value> = st
        .store
        .list(Res::Pod, Some(ns))
        .into_iter()
        .filter(|p| live_pod_of(&app, p))
        .cloned()
        .collect();
    let total = pods.len() as u64;
    let ready = pods.iter().filter(|p| objects::pod_is_ready(p)).count() as u64;
    let now = crate::util::now_rfc3339();
    let mut status = json!({"observedGeneration": 1, "replicas": total, "updatedReplicas": total});
    if ready > 0 {
        status["readyReplicas"] = json!(ready);
        status["availableReplicas"] = json!(ready);
    }
    if total > ready {
        status["unavailableReplicas"] = json!(total - ready);
    }
    let available = if ready >= app.replicas as u64 {
        "True"
    } else {
        "False"
    };
    status["conditions"] = json!([
        {"type": "Available", "status": available, "lastUpdateTime": now, "lastTransitionTime": now,
         "reason": if available == "True" { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" },
         "message": if available == "True" { "Deployment has minimum availability." } else { "Deployment does not have minimum availability." }},
        {"type": "Progressing", "status": "True", "lastUpdateTime": now, "lastTransitionTime": now,
         "reason": "NewReplicaSetAvailable", "message": format!("ReplicaSet \"{}-{}\" has successfully progressed.", app.name, app.hash)}
    ]);
    let changed = st
        .store
        .get(Res::Deployment, ns, app_name)
        .is_some_and(|d| {
            d["status"]["readyReplicas"] != status["readyReplicas"]
                || d["status"]["replicas"] != status["replicas"]
        });
    if changed {
        st.store
            .update(Res::Deployment, ns, app_name, |d| d["status"] = status);
        let rs = format!("{}-{}", app.name, app.hash);
        st.store.update(Res::ReplicaSet, ns, &rs, |r| {
            r["status"]["replicas"] = json!(total);
            r["status"]["readyReplicas"] = json!(ready);
            r["status"]["availableReplicas"] = json!(ready);
        });
    }
}
