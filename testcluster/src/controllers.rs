//! What the cluster does on its own: the job controller (runs a Job after a delay and sets its
//! conditions, doing the key-gen / create-admin-token work), the ReplicaSet controller (replaces
//! deleted pods with new, later Ready ones) and the operator (kubit re-creating deleted jobs).

use crate::crypto;
use crate::objects::{self, JobKind};
use crate::resources::Res;
use crate::state::Shared;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::sleep;

const POLL: Duration = Duration::from_millis(25);

/// Called after a Job is stored: starts it, then runs it after `job_delay`.
pub fn job_created(sh: &Arc<Shared>, ns: &str, name: &str, uid: &str) {
    let (sh, ns, name, uid) = (
        sh.clone(),
        ns.to_string(),
        name.to_string(),
        uid.to_string(),
    );
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
    loop {
        let Some(job) = same_job(&sh, &ns, &name, &uid) else {
            return;
        };
        let kind = JobKind::of(&job);
        let (hang, waiting_for_keys) = {
            let st = sh.lock();
            // kubit runs the install's jobs in order: the admin token is made after the keys.
            let waiting = kind == JobKind::CreateAdminToken
                && st
                    .store
                    .list(Res::Job, Some(&ns))
                    .iter()
                    .any(|j| JobKind::of(j) == JobKind::KeyGen && !objects::job_finished(j));
            // A hanging cluster (for timeout tests): the job stays active until the switch is off.
            (st.jobs_hang, waiting)
        };
        if !hang && !waiting_for_keys {
            break;
        }
        sleep(POLL).await;
    }
    let Some(job) = same_job(&sh, &ns, &name, &uid) else {
        return;
    };
    let outcome = match JobKind::of(&job) {
        JobKind::KeyGen => key_gen(&sh, &ns).await,
        JobKind::CreateAdminToken => create_admin_token(&sh, &ns),
        JobKind::Other => Ok(()),
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
        Ok(()) => objects::job_complete(j),
        Err(msg) => objects::job_failed(
            j,
            "BackoffLimitExceeded",
            &format!("Job has reached the specified backoff limit ({msg})"),
        ),
    });
}

/// The key-gen job: a new real key pair in `rsa-keys`, unless that secret exists.
async fn key_gen(sh: &Arc<Shared>, ns: &str) -> Result<(), String> {
    if sh.lock().store.get(Res::Secret, ns, "rsa-keys").is_some() {
        return Ok(());
    }
    let bits = sh.opts.rsa_bits;
    let pair = tokio::task::spawn_blocking(move || crypto::generate_key_pair(bits))
        .await
        .map_err(|e| e.to_string())?;
    let mut st = sh.lock();
    if st.store.get(Res::Secret, ns, "rsa-keys").is_none() {
        let data = BTreeMap::from([
            ("private.pem".to_string(), pair.private_pem.into_bytes()),
            ("public.pem".to_string(), pair.public_pem.into_bytes()),
        ]);
        st.store.insert(
            Res::Secret,
            ns,
            objects::secret(ns, "rsa-keys", "Opaque", &data),
        );
    }
    Ok(())
}

/// The create-admin-token job: a new admin token signed with the current `rsa-keys`, unless
/// `admin-token` exists. Fails if there is no `rsa-keys`.
fn create_admin_token(sh: &Arc<Shared>, ns: &str) -> Result<(), String> {
    let mut st = sh.lock();
    if st.store.get(Res::Secret, ns, "admin-token").is_some() {
        return Ok(());
    }
    let keys = st
        .store
        .get(Res::Secret, ns, "rsa-keys")
        .ok_or("secret \"rsa-keys\" not found")?;
    let private = objects::secret_data(keys)
        .remove("private.pem")
        .ok_or("secret \"rsa-keys\" has no key \"private.pem\"")?;
    let file = crypto::admin_token_file(&String::from_utf8_lossy(&private), ns)?;
    let data = BTreeMap::from([("token".to_string(), file)]);
    st.store.insert(
        Res::Secret,
        ns,
        objects::secret(ns, "admin-token", "Opaque", &data),
    );
    Ok(())
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
    let app_name = pod["metadata"]["labels"]["app"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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
        .filter(|p| {
            p["metadata"]["labels"]["app"] == app_name
                && p["metadata"]["deletionTimestamp"].is_null()
        })
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
        .filter(|p| {
            p["metadata"]["labels"]["app"] == app_name
                && p["metadata"]["deletionTimestamp"].is_null()
        })
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

/// The operator (kubit): after `operator_delay`, re-creates its own key-gen or
/// create-admin-token job, if it is missing, under a new random suffix, and it runs. Only
/// the jobs it deployed count (owned by its AppInstance): a copy made by hand or by
/// influxctl-admin (`key-gen-001`, no owner) neither stands in for its job nor is re-created.
pub fn operator_kick(sh: &Arc<Shared>, ns: &str) {
    let (sh2, ns) = (sh.clone(), ns.to_string());
    sh.handle.spawn(async move {
        sleep(sh2.opts.operator_delay).await;
        reconcile_operator(&sh2, &ns);
    });
}

pub fn reconcile_operator(sh: &Arc<Shared>, ns: &str) {
    let mut created = Vec::new();
    {
        let mut st = sh.lock();
        if !st.operator {
            return;
        }
        for kind in [JobKind::KeyGen, JobKind::CreateAdminToken] {
            let owner_uid = st.owner.uid.clone();
            if st
                .store
                .list(Res::Job, Some(ns))
                .iter()
                .any(|j| JobKind::of(j) == kind && objects::owned_by(j, &owner_uid))
            {
                continue;
            }
            let name = objects::new_job_name(kind);
            let mut job = objects::job_request(ns, &name, kind, &st.owner);
            if objects::job_defaults(&mut job, ns, "kubit").is_err() {
                continue;
            }
            let job = st.store.insert(Res::Job, ns, job);
            created.push((
                name,
                job["metadata"]["uid"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ));
        }
    }
    for (name, uid) in created {
        job_created(sh, ns, &name, &uid);
    }
}
