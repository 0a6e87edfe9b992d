//! The InfluxDB Clustered model: the namespace of an install (signing keys, the admin token,
//! the key-gen and create-admin-token jobs, the token-management deployment), what its jobs
//! do, and the operator (kubit) that re-creates the jobs it deployed. Every name is
//! configurable ([`Names`]), as clusters differ.

pub mod crypto;
pub mod jobs;
pub mod seed;

use crate::model::{Api, JobOutcome, Model};
use crate::resources::Res;
use jobs::{JobKind, Owner};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The names of the install's objects. Defaults: the documented ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    /// Secret holding the admin token (`admin-token`).
    pub admin_secret: String,
    /// Its key (`token`).
    pub token_key: String,
    /// Secret holding the signing keys, `private.pem` and `public.pem` (`rsa-keys`).
    pub rsa_secret: String,
    /// The token-management Deployment (`token-management`).
    pub token_deployment: String,
    /// Its pods' labels, which a selector such as `app=token-management` picks.
    pub token_pod_labels: BTreeMap<String, String>,
    /// Name prefix of the key-gen job (`key-gen`: jobs `key-gen-<suffix>`).
    pub key_gen_prefix: String,
    /// Name prefix of the create-admin-token job (`create-admin-token`).
    pub create_token_prefix: String,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            admin_secret: "admin-token".into(),
            token_key: "token".into(),
            rsa_secret: "rsa-keys".into(),
            token_deployment: "token-management".into(),
            token_pod_labels: BTreeMap::from([("app".into(), "token-management".into())]),
            key_gen_prefix: "key-gen".into(),
            create_token_prefix: "create-admin-token".into(),
        }
    }
}

impl Names {
    /// The label selector of the token-management pods, as kubectl takes it (`k=v,k2=v2`).
    pub fn pod_selector(&self) -> String {
        let pairs: Vec<String> = self
            .token_pod_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join(",")
    }
}

/// How the model behaves.
#[derive(Clone, Debug)]
pub struct Config {
    pub names: Names,
    /// Whether the operator re-creates its deleted jobs (default true).
    pub operator: bool,
    /// Time from a job's deletion to the operator re-creating it (default 200 ms).
    pub operator_delay: Duration,
    /// RSA key size of the signing keys (default 2048).
    pub rsa_bits: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            names: Names::default(),
            operator: true,
            operator_delay: Duration::from_millis(200),
            rsa_bits: 2048,
        }
    }
}

/// The InfluxDB Clustered [`Model`].
pub struct InfluxDb {
    config: Config,
    operator: AtomicBool,
    /// kubit's AppInstance, which owns the jobs the operator deploys.
    owner: Owner,
    /// One reconcile at a time: each checks for its jobs, then creates the missing ones.
    reconciling: Mutex<()>,
}

impl InfluxDb {
    pub fn new(config: Config) -> InfluxDb {
        InfluxDb {
            operator: AtomicBool::new(config.operator),
            owner: Owner::new("influxdb"),
            reconciling: Mutex::new(()),
            config,
        }
    }

    pub fn names(&self) -> &Names {
        &self.config.names
    }

    /// Turns the operator on or off (it reconciles when next asked).
    pub fn set_operator(&self, on: bool) {
        self.operator.store(on, Ordering::SeqCst);
    }

    pub fn operator(&self) -> bool {
        self.operator.load(Ordering::SeqCst)
    }

    fn kind(&self, job: &Value) -> JobKind {
        JobKind::of(job, &self.config.names)
    }
}

impl Model for InfluxDb {
    fn seed(&self, api: &Api) {
        seed::seed(api, &self.config, &self.owner);
    }

    fn run_job(&self, api: &Api, job: &Value) -> JobOutcome {
        jobs::run(api, &self.config.names, self.config.rsa_bits, job)
    }

    fn on_deleted(&self, api: &Api, res: Res, object: &Value) {
        // One of its own jobs gone: the operator notices after a while.
        if res == Res::Job
            && object["metadata"]["namespace"] == api.namespace()
            && self.kind(object) != JobKind::Other
        {
            api.reconcile_after(self.config.operator_delay);
        }
    }

    fn reconcile(&self, api: &Api) {
        let _one = self.reconciling.lock().unwrap_or_else(|e| e.into_inner());
        if self.operator() {
            jobs::reconcile_operator(api, &self.config.names, &self.owner);
        }
    }
}
