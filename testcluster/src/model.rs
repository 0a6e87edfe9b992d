//! What a project plugs into the generic server: the objects a cluster starts with and what
//! happens in it on its own (a job's work, an operator reacting to a deletion). The server
//! keeps the Kubernetes parts (API, store, watches, the job and ReplicaSet controllers); a
//! [`Model`] only says what is particular to one install. [`crate::InfluxDb`] is one.

use crate::cluster::{Cluster, WriteError};
use crate::controllers;
use crate::objects::{self, App};
use crate::resources::Res;
use crate::state::Shared;
use crate::store::Store;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// What a job's work came to, when the job controller runs it after `job_delay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobOutcome {
    /// `Complete`.
    Complete,
    /// `Failed` (reason `BackoffLimitExceeded`, the message names the cause).
    Failed(String),
    /// Not yet (it waits on something): asked again shortly, the job stays active.
    Wait,
}

/// A project's model of its namespace. Every hook runs on a blocking thread, without the
/// store's lock held, so it may take time (generating keys) and use [`Api`] freely. The
/// hooks see what clients do; the model's own writes through [`Api`] do not call it back.
pub trait Model: Send + Sync + 'static {
    /// Fills the new cluster: called once before the server answers, after the namespaces
    /// (`default`, `kube-*` and the cluster's own) exist.
    fn seed(&self, _api: &Api) {}

    /// The work of a Job (created by a client or through [`Api::create`]) once it has run
    /// for `job_delay`. Default: it completes.
    fn run_job(&self, _api: &Api, _job: &Value) -> JobOutcome {
        JobOutcome::Complete
    }

    /// A client created `object` (as stored, with uid and resourceVersion).
    fn on_created(&self, _api: &Api, _res: Res, _object: &Value) {}

    /// A client deleted `object`; for a pod, it was marked Terminating (the ReplicaSet
    /// controller has already replaced it).
    fn on_deleted(&self, _api: &Api, _res: Res, _object: &Value) {}

    /// Background work (an operator's loop): runs when scheduled with
    /// [`Api::reconcile_after`] and when a test calls `TestCluster::reconcile`.
    fn reconcile(&self, _api: &Api) {}
}

/// A cluster with nothing in it but its namespaces, and jobs that simply complete.
#[derive(Clone, Copy, Debug, Default)]
pub struct Empty;

impl Model for Empty {}

/// A model's handle on the running server: its store, its built-in controllers and timers.
/// Cheap to clone.
#[derive(Clone)]
pub struct Api {
    pub(crate) sh: Arc<Shared>,
}

impl Api {
    pub(crate) fn new(sh: &Arc<Shared>) -> Api {
        Api { sh: sh.clone() }
    }

    /// The cluster's namespace (the kubeconfig context's).
    pub fn namespace(&self) -> &str {
        &self.sh.opts.namespace
    }

    /// Runs `f` on the store under its lock: a check and a write in one step. Writes go
    /// straight to the store (watches see them; no controller or hook reacts).
    pub fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut self.sh.lock().store)
    }

    /// An object of the cluster's namespace (cluster-scoped resources: by name alone).
    pub fn get(&self, res: Res, name: &str) -> Option<Value> {
        let ns = self.ns_of(res);
        self.with_store(|s| s.get(res, &ns, name).cloned())
    }

    /// The objects of `res` in the cluster's namespace, sorted by name.
    pub fn list(&self, res: Res) -> Vec<Value> {
        let ns = self.ns_of(res);
        self.with_store(|s| s.list(res, Some(&ns)).into_iter().cloned().collect())
    }

    /// Creates an object as a client's POST would (the API server's defaults; a Job starts
    /// running), as `field_manager`. Errors: the validation causes, or that it exists.
    pub fn create(
        &self,
        res: Res,
        mut object: Value,
        field_manager: &str,
    ) -> Result<Value, WriteError> {
        let ns = self.ns_of(res);
        objects::prepare(res, &mut object, &ns, field_manager).map_err(|causes| {
            let c: Vec<String> = causes.iter().map(|(f, m)| format!("{f}: {m}")).collect();
            WriteError::Other(c.join("; "))
        })?;
        let name = object["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let stored = {
            let mut st = self.sh.lock();
            if st.store.get(res, &ns, &name).is_some() {
                return Err(WriteError::AlreadyExists(format!(
                    "{} \"{name}\" already exists",
                    res.plural()
                )));
            }
            st.store.insert(res, &ns, object)
        };
        controllers::created(&self.sh, res, &ns, &stored);
        Ok(stored)
    }

    /// Adds a Deployment with its ReplicaSet and `app.replicas` Ready pods, created
    /// `age_secs` ago; the ReplicaSet controller replaces its deleted pods from then on.
    pub fn add_deployment(&self, app: App, age_secs: i64) {
        controllers::add_deployment(&mut self.sh.lock(), self.namespace(), app, age_secs);
    }

    /// Calls [`Model::reconcile`] after `delay`, on the server's runtime.
    pub fn reconcile_after(&self, delay: Duration) {
        let api = self.clone();
        self.sh.handle.spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = tokio::task::spawn_blocking(move || api.sh.model.reconcile(&api)).await;
        });
    }

    fn ns_of(&self, res: Res) -> String {
        if res.namespaced() {
            self.namespace().to_string()
        } else {
            String::new()
        }
    }
}

/// The in-process side of the model's interface: straight on the store (watches see every
/// write; the model's own writes call no hook back).
impl Cluster for Api {
    fn namespace(&self) -> &str {
        Api::namespace(self)
    }

    fn get(&self, res: Res, name: &str) -> Option<Value> {
        Api::get(self, res, name)
    }

    fn list(&self, res: Res) -> Vec<Value> {
        Api::list(self, res)
    }

    fn create(&self, res: Res, object: Value, field_manager: &str) -> Result<Value, WriteError> {
        Api::create(self, res, object, field_manager)
    }

    fn patch_status(&self, res: Res, name: &str, status: Value) -> Result<Value, WriteError> {
        let ns = self.ns_of(res);
        self.with_store(|s| {
            s.update(res, &ns, name, |o| {
                if let (Some(old), Some(new)) = (o["status"].as_object_mut(), status.as_object()) {
                    for (k, v) in new {
                        old.insert(k.clone(), v.clone());
                    }
                } else {
                    o["status"] = status.clone();
                }
            })
        })
        .ok_or_else(|| WriteError::Other(format!("{} \"{name}\" not found", res.plural())))
    }

    fn delete(&self, res: Res, name: &str) -> Result<(), WriteError> {
        let ns = self.ns_of(res);
        self.with_store(|s| s.remove(res, &ns, name))
            .map(|_| ())
            .ok_or_else(|| WriteError::Other(format!("{} \"{name}\" not found", res.plural())))
    }
}
