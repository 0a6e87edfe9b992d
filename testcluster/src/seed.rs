//! The namespace of an InfluxDB Clustered install as the server starts with it.

use crate::crypto;
use crate::objects::{self, App, JobKind, Owner};
use crate::resources::Res;
use crate::state::State;
use crate::util::{now_secs, random_hex, rfc3339, uuid4};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn backdate(mut obj: Value, secs_ago: i64) -> Value {
    obj["metadata"]["creationTimestamp"] = json!(rfc3339(now_secs() - secs_ago));
    obj
}

/// Fills `st` with: namespaces; secrets `rsa-keys` (from `keys`), `admin-token` (signed with it)
/// and unrelated ones; completed key-gen / create-admin-token jobs and an unrelated job;
/// Deployments `token-management` (2 pods), `router` and `querier` (1 pod each), all Ready.
pub fn seed(st: &mut State, ns: &str, keys: &crypto::KeyPair) {
    const DAY: i64 = 86_400;
    for n in [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
        ns,
    ] {
        if st.store.get(Res::Namespace, "", n).is_none() {
            st.store.insert(
                Res::Namespace,
                "",
                backdate(objects::namespace(n), 30 * DAY),
            );
        }
    }
    let secret = |st: &mut State, name: &str, type_: &str, data: Vec<(&str, Vec<u8>)>| {
        let data: BTreeMap<String, Vec<u8>> =
            data.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        st.store.insert(
            Res::Secret,
            ns,
            backdate(objects::secret(ns, name, type_, &data), 7 * DAY),
        );
    };
    secret(
        st,
        "rsa-keys",
        "Opaque",
        vec![
            ("private.pem", keys.private_pem.clone().into_bytes()),
            ("public.pem", keys.public_pem.clone().into_bytes()),
        ],
    );
    let token = crypto::admin_token_file(&keys.private_pem, ns).expect("sign admin token");
    secret(st, "admin-token", "Opaque", vec![("token", token)]);
    secret(
        st,
        "influxdb-catalog",
        "Opaque",
        vec![(
            "dsn",
            format!(
                "postgresql://influxdb:{}@catalog-postgres:5432/influxdb?sslmode=disable",
                random_hex(12)
            )
            .into_bytes(),
        )],
    );
    secret(
        st,
        "router-tls",
        "kubernetes.io/tls",
        vec![
            (
                "tls.crt",
                b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".to_vec(),
            ),
            (
                "tls.key",
                b"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n".to_vec(),
            ),
        ],
    );
    secret(
        st,
        "querier-config",
        "Opaque",
        vec![(
            "config.toml",
            b"[querier]\nmax-concurrent-queries = 16\n".to_vec(),
        )],
    );

    let owner = st.owner.clone();
    for kind in [JobKind::KeyGen, JobKind::CreateAdminToken, JobKind::Other] {
        let name = match kind {
            JobKind::Other => format!("catalog-migrate-{}", crate::util::random_suffix(5)),
            k => objects::new_job_name(k),
        };
        let mut job = objects::job_request(ns, &name, kind, &owner);
        objects::job_defaults(&mut job, ns, "kubit").expect("seed job is valid");
        objects::job_started(&mut job);
        objects::job_complete(&mut job);
        job["status"]["startTime"] = json!(rfc3339(now_secs() - 7 * DAY));
        job["status"]["completionTime"] = json!(rfc3339(now_secs() - 7 * DAY + 9));
        st.store.insert(Res::Job, ns, backdate(job, 7 * DAY));
    }

    for (name, replicas, port) in [
        ("token-management", 2, 8080),
        ("router", 1, 8080),
        ("querier", 1, 8082),
    ] {
        let app = App {
            name: name.to_string(),
            replicas,
            hash: pod_template_hash(),
            rs_uid: uuid4(),
            image: format!("registry.example/influxdata/iox:{name}-20250101"),
            port,
        };
        let deploy = st.store.insert(
            Res::Deployment,
            ns,
            backdate(objects::deployment(ns, &app), 7 * DAY),
        );
        let duid = deploy["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        st.store.insert(
            Res::ReplicaSet,
            ns,
            backdate(objects::replica_set(ns, &app, &duid), 7 * DAY),
        );
        for _ in 0..replicas {
            let mut pod = objects::pod(ns, &app);
            objects::pod_ready(&mut pod);
            st.store.insert(Res::Pod, ns, backdate(pod, 7 * DAY));
        }
        let total = replicas;
        st.store.update(Res::Deployment, ns, name, |d| {
            d["status"] = json!({"observedGeneration": 1, "replicas": total, "updatedReplicas": total, "readyReplicas": total, "availableReplicas": total,
                "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability.",
                                "lastUpdateTime": rfc3339(now_secs() - 7 * DAY), "lastTransitionTime": rfc3339(now_secs() - 7 * DAY)}]});
        });
        st.apps.insert(name.to_string(), app);
    }
}

/// Pod-template hashes look like `7c9d8f6b5d`.
fn pod_template_hash() -> String {
    crate::util::random_suffix(10)
}

pub fn owner() -> Owner {
    Owner {
        name: "influxdb".to_string(),
        uid: uuid4(),
    }
}
