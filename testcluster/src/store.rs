//! The object store: every object as JSON, one global `resourceVersion` counter that only grows,
//! and an event log + broadcast channel that watches replay and follow.

use crate::resources::Res;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use tokio::sync::broadcast;

/// A change, as a watch sends it (`ADDED`, `MODIFIED`, `DELETED`).
#[derive(Clone, Debug)]
pub struct Event {
    pub kind: &'static str,
    pub res: Res,
    pub ns: String,
    pub rv: u64,
    pub object: Value,
}

type Key = (Res, String, String);

pub struct Store {
    objects: BTreeMap<Key, Value>,
    rv: u64,
    log: VecDeque<Event>,
    tx: broadcast::Sender<Event>,
}

/// How many past events a watch with an old `resourceVersion` can replay.
const LOG_CAP: usize = 10_000;

impl Store {
    pub(crate) fn new(tx: broadcast::Sender<Event>) -> Self {
        Store {
            objects: BTreeMap::new(),
            rv: 1000,
            log: VecDeque::new(),
            tx,
        }
    }

    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    pub fn get(&self, res: Res, ns: &str, name: &str) -> Option<&Value> {
        self.objects.get(&(res, ns.to_string(), name.to_string()))
    }

    /// Objects of a resource, in one namespace (`Some`) or all (`None`), sorted by namespace and name.
    pub fn list(&self, res: Res, ns: Option<&str>) -> Vec<&Value> {
        self.objects
            .iter()
            .filter(|((r, n, _), _)| *r == res && ns.map_or(true, |ns| ns == n))
            .map(|(_, v)| v)
            .collect()
    }

    fn bump(&mut self) -> u64 {
        self.rv += 1;
        self.rv
    }

    fn emit(&mut self, kind: &'static str, res: Res, ns: &str, rv: u64, object: Value) {
        let ev = Event {
            kind,
            res,
            ns: ns.to_string(),
            rv,
            object,
        };
        if self.log.len() >= LOG_CAP {
            self.log.pop_front();
        }
        self.log.push_back(ev.clone());
        let _ = self.tx.send(ev);
    }

    /// Inserts a new object (metadata already filled in); sets its resourceVersion.
    pub fn insert(&mut self, res: Res, ns: &str, mut obj: Value) -> Value {
        let rv = self.bump();
        obj["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        let name = obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.objects
            .insert((res, ns.to_string(), name), obj.clone());
        self.emit("ADDED", res, ns, rv, obj.clone());
        obj
    }

    /// Changes an object in place; bumps its resourceVersion and emits MODIFIED.
    pub fn update(
        &mut self,
        res: Res,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> Option<Value> {
        let rv = self.rv + 1;
        let obj = self
            .objects
            .get_mut(&(res, ns.to_string(), name.to_string()))?;
        f(obj);
        obj["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        let obj = obj.clone();
        self.rv = rv;
        self.emit("MODIFIED", res, ns, rv, obj.clone());
        Some(obj)
    }

    /// Removes an object; the DELETED event carries a new resourceVersion, as Kubernetes does.
    pub fn remove(&mut self, res: Res, ns: &str, name: &str) -> Option<Value> {
        let mut obj = self
            .objects
            .remove(&(res, ns.to_string(), name.to_string()))?;
        let rv = self.bump();
        obj["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        self.emit("DELETED", res, ns, rv, obj.clone());
        Some(obj)
    }

    /// Events after `rv`; `None` if the log no longer reaches back that far (410 Gone).
    pub(crate) fn events_since(&self, rv: u64) -> Option<Vec<Event>> {
        if let Some(first) = self.log.front() {
            if first.rv > rv + 1 && self.log.len() >= LOG_CAP {
                return None;
            }
        }
        Some(self.log.iter().filter(|e| e.rv > rv).cloned().collect())
    }
}
