//! The small interface the InfluxDB model needs of a cluster, one namespace at a time. The
//! in-process server implements it on its store ([`crate::Api`]); the simulator implements
//! it over a real kube-apiserver ([`crate::real::Namespaced`]). What an install does is
//! written once, against this trait, and behaves the same on both.

use crate::resources::Res;
use serde_json::Value;

/// Why a write was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// An object of that name exists (HTTP 409 `AlreadyExists`).
    AlreadyExists(String),
    /// Anything else, as the server said it.
    Other(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::AlreadyExists(m) | WriteError::Other(m) => f.write_str(m),
        }
    }
}

pub trait Cluster {
    /// The namespace every call is about.
    fn namespace(&self) -> &str;
    /// An object of the namespace (a cluster-scoped resource: by name alone).
    fn get(&self, res: Res, name: &str) -> Option<Value>;
    /// The objects of `res` in the namespace.
    fn list(&self, res: Res) -> Vec<Value>;
    /// Creates an object as a client's POST does (only client fields: the server adds uid,
    /// resourceVersion and the rest), as `field_manager`.
    fn create(&self, res: Res, object: Value, field_manager: &str) -> Result<Value, WriteError>;
    /// Replaces the object's `status` fields given in `status` (a merge patch of the
    /// status subresource, as the kubelet and controllers write it).
    fn patch_status(&self, res: Res, name: &str, status: Value) -> Result<Value, WriteError>;
    /// Deletes an object (the server's default propagation).
    fn delete(&self, res: Res, name: &str) -> Result<(), WriteError>;
}
