//! The install's jobs: how the operator renders them, what key-gen and create-admin-token do
//! when they run, and the operator re-creating the ones it deployed.

use super::{crypto, Names};
use crate::cluster::{Cluster, WriteError};
use crate::model::JobOutcome;
use crate::objects;
use crate::resources::Res;
use crate::util::{random_suffix, uuid4};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What a Job does when it runs, decided from its name prefix or its container's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum JobKind {
    KeyGen,
    CreateAdminToken,
    Other,
}

impl JobKind {
    pub fn prefix(self, names: &Names) -> &str {
        match self {
            JobKind::KeyGen => &names.key_gen_prefix,
            JobKind::CreateAdminToken => &names.create_token_prefix,
            JobKind::Other => "job",
        }
    }

    /// By name (`PREFIX-…`), or by container (named after the prefix), so that a re-run
    /// copy under any name does the same work.
    pub fn of(job: &Value, names: &Names) -> JobKind {
        let name = job["metadata"]["name"].as_str().unwrap_or("");
        let containers = job["spec"]["template"]["spec"]["containers"].as_array();
        let has = |c: &str| containers.is_some_and(|cs| cs.iter().any(|x| x["name"] == c));
        for kind in [JobKind::KeyGen, JobKind::CreateAdminToken] {
            let prefix = kind.prefix(names);
            if name.starts_with(&format!("{prefix}-")) || has(prefix) {
                return kind;
            }
        }
        JobKind::Other
    }
}

/// The operator object (kubit's AppInstance) that owns the install's jobs.
#[derive(Clone, Debug)]
pub struct Owner {
    pub name: String,
    pub uid: String,
}

impl Owner {
    pub fn new(name: &str) -> Owner {
        Owner {
            name: name.to_string(),
            uid: uuid4(),
        }
    }

    pub fn reference(&self) -> Value {
        json!([{
            "apiVersion": "kubecfg.dev/v1alpha1", "kind": "AppInstance", "name": self.name,
            "uid": self.uid, "controller": true, "blockOwnerDeletion": true
        }])
    }
}

/// Field managers of the secrets the jobs write.
pub const KEY_GEN_MANAGER: &str = "kubectl-create";
pub const TOKEN_MANAGER: &str = "token-management";

const IMAGE: &str = "registry.example/influxdata/clustered-tools:20250101-0000000";

/// The pod template spec of a job kind, as the operator renders it.
fn job_pod_spec(kind: JobKind, names: &Names) -> Value {
    let container = kind.prefix(names).to_string();
    let script = match kind {
        JobKind::KeyGen => format!(
            "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out /tmp/private.pem && openssl rsa -in /tmp/private.pem -pubout -out /tmp/public.pem && kubectl create secret generic {} --from-file=/tmp/private.pem --from-file=/tmp/public.pem",
            names.rsa_secret
        ),
        JobKind::CreateAdminToken => format!(
            "token-management create-admin-token --private-key /etc/{}/private.pem --secret {} --key {}",
            names.rsa_secret, names.admin_secret, names.token_key
        ),
        JobKind::Other => "influxdb3 catalog migrate".to_string(),
    };
    let container = if kind == JobKind::Other {
        "migrate".to_string()
    } else {
        container
    };
    json!({
        "containers": [{
            "name": container, "image": IMAGE, "command": ["/bin/sh", "-c", script],
            "imagePullPolicy": "IfNotPresent", "resources": {},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"
        }],
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Never", "schedulerName": "default-scheduler",
        "securityContext": {}, "serviceAccount": names.token_deployment, "serviceAccountName": names.token_deployment,
        "terminationGracePeriodSeconds": 30
    })
}

/// A Job named `name` as the operator creates it, before the API server's defaults.
pub fn job_request(ns: &str, name: &str, kind: JobKind, names: &Names, owner: &Owner) -> Value {
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": ns, "ownerReferences": owner.reference(),
                     "annotations": {"kubit.kubecfg.dev/instance": owner.name}},
        "spec": {"backoffLimit": 6, "template": {"metadata": {}, "spec": job_pod_spec(kind, names)}}
    })
}

/// `PREFIX-<5 random>`, as the operator names its jobs.
pub fn new_job_name(kind: JobKind, names: &Names) -> String {
    format!("{}-{}", kind.prefix(names), random_suffix(5))
}

/// What one of the install's jobs does when it runs, on either cluster: key-gen writes new
/// keys, create-admin-token signs a new admin token (after any running key-gen job: kubit
/// runs them in order), any other job just completes.
pub fn run<C: Cluster + ?Sized>(c: &C, names: &Names, rsa_bits: usize, job: &Value) -> JobOutcome {
    let outcome = match JobKind::of(job, names) {
        JobKind::KeyGen => key_gen(c, names, rsa_bits),
        JobKind::CreateAdminToken
            if c.list(Res::Job)
                .iter()
                .any(|j| JobKind::of(j, names) == JobKind::KeyGen && !objects::job_finished(j)) =>
        {
            return JobOutcome::Wait
        }
        JobKind::CreateAdminToken => create_admin_token(c, names),
        JobKind::Other => Ok(()),
    };
    match outcome {
        Ok(()) => JobOutcome::Complete,
        Err(msg) => JobOutcome::Failed(msg),
    }
}

/// Creates a secret unless one of that name exists by now (another run got there first).
fn create_secret<C: Cluster + ?Sized>(
    c: &C,
    name: &str,
    data: BTreeMap<String, Vec<u8>>,
    manager: &str,
) -> Result<(), String> {
    let secret = objects::secret_request(c.namespace(), name, "Opaque", &data);
    match c.create(Res::Secret, secret, manager) {
        Ok(_) | Err(WriteError::AlreadyExists(_)) => Ok(()),
        Err(e) => Err(format!("cannot write secret \"{name}\": {e}")),
    }
}

/// The key-gen job: a new real key pair in the rsa secret, unless that secret exists.
pub fn key_gen<C: Cluster + ?Sized>(c: &C, names: &Names, bits: usize) -> Result<(), String> {
    if c.get(Res::Secret, &names.rsa_secret).is_some() {
        return Ok(());
    }
    let pair = crypto::generate_key_pair(bits);
    let data = BTreeMap::from([
        ("private.pem".to_string(), pair.private_pem.into_bytes()),
        ("public.pem".to_string(), pair.public_pem.into_bytes()),
    ]);
    create_secret(c, &names.rsa_secret, data, KEY_GEN_MANAGER)
}

/// The create-admin-token job: a new admin token signed with the current keys, unless the
/// admin secret exists. Fails if there are no keys.
pub fn create_admin_token<C: Cluster + ?Sized>(c: &C, names: &Names) -> Result<(), String> {
    if c.get(Res::Secret, &names.admin_secret).is_some() {
        return Ok(());
    }
    let rsa = &names.rsa_secret;
    let keys = c
        .get(Res::Secret, rsa)
        .ok_or(format!("secret \"{rsa}\" not found"))?;
    let private = objects::secret_data(&keys)
        .remove("private.pem")
        .ok_or(format!("secret \"{rsa}\" has no key \"private.pem\""))?;
    let file = crypto::admin_token_file(&String::from_utf8_lossy(&private), c.namespace())?;
    let data = BTreeMap::from([(names.token_key.clone(), file)]);
    create_secret(c, &names.admin_secret, data, TOKEN_MANAGER)
}

/// The operator (kubit): re-creates its own key-gen or create-admin-token job, if it is
/// missing, under a new random suffix, and it runs. Only the jobs it deployed count (owned by
/// its AppInstance): a copy made by hand or by influxctl-admin (`key-gen-001`, no owner)
/// neither stands in for its job nor is re-created.
pub fn reconcile_operator<C: Cluster + ?Sized>(c: &C, names: &Names, owner: &Owner) {
    let jobs = c.list(Res::Job);
    for kind in [JobKind::KeyGen, JobKind::CreateAdminToken] {
        let present = jobs
            .iter()
            .any(|j| JobKind::of(j, names) == kind && objects::owned_by(j, &owner.uid));
        if !present {
            let job = job_request(
                c.namespace(),
                &new_job_name(kind, names),
                kind,
                names,
                owner,
            );
            // A name taken by now means another reconcile got there first.
            let _ = c.create(Res::Job, job, "kubit");
        }
    }
}
