//! The server's shared state: the store plus the switches tests flip at run time.

use crate::faults::{Fault, RecordedRequest};
use crate::model::Model;
use crate::objects::App;
use crate::store::Store;
use crate::ServerOptions;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub struct Shared {
    pub state: Mutex<State>,
    pub opts: ServerOptions,
    /// What is particular to the install: seed, a job's work, reactions, background work.
    pub model: Arc<dyn Model>,
    /// Bearer token kubectl must send.
    pub token: String,
    /// Runtime the controllers spawn their tasks on.
    pub handle: tokio::runtime::Handle,
    /// `127.0.0.1:PORT`, for `/api`'s serverAddressByClientCIDRs.
    pub addr: String,
}

pub struct State {
    pub store: Store,
    pub jobs_hang: bool,
    /// `(verb, resource)` pairs the permission model denies; `*` is a wildcard.
    pub denied: Vec<(String, String)>,
    pub faults: Vec<Fault>,
    pub requests: Vec<RecordedRequest>,
    /// Deployment-like apps by name (their pods are replaced when deleted).
    pub apps: BTreeMap<String, App>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in one handler must not take the whole server down with a poisoned lock.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    pub fn allowed(&self, verb: &str, resource: &str) -> bool {
        !self
            .denied
            .iter()
            .any(|(v, r)| (v == verb || v == "*") && (r == resource || r == "*"))
    }
}
