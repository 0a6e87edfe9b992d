//! The namespace of an InfluxDB Clustered install as the server starts with it.

use super::jobs::{self, JobKind, Owner};
use super::{crypto, Config, Names};
use crate::model::Api;
use crate::objects::{self, App};
use crate::resources::Res;
use crate::store::Store;
use crate::util::{now_secs, random_hex, random_suffix, rfc3339};
use serde_json::json;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

/// Fills the namespace with: the rsa secret (a new key pair), the admin secret (signed with
/// it) and unrelated secrets; completed key-gen / create-admin-token jobs owned by `owner` and
/// an unrelated job; Deployments token-management (2 pods), `router` and `querier` (1 pod
/// each), all Ready. A week old.
pub fn seed(api: &Api, config: &Config, owner: &Owner) {
    let keys = crypto::generate_key_pair(config.rsa_bits);
    let names = &config.names;
    let ns = &api.namespace().to_string();
    api.with_store(|st| {
        let manager = jobs::TOKEN_MANAGER;
        let secret = |st: &mut Store, name: &str, type_: &str, data: Vec<(&str, Vec<u8>)>| {
            let data: BTreeMap<String, Vec<u8>> =
                data.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            st.insert(
                Res::Secret,
                ns,
                objects::backdate(objects::secret(ns, name, type_, &data, manager), 7 * DAY),
            );
        };
        secret(
            st,
            &names.rsa_secret,
            "Opaque",
            vec![
                ("private.pem", keys.private_pem.clone().into_bytes()),
                ("public.pem", keys.public_pem.clone().into_bytes()),
            ],
        );
        let token = crypto::admin_token_file(&keys.private_pem, ns).expect("sign admin token");
        secret(
            st,
            &names.admin_secret,
            "Opaque",
            vec![(&names.token_key, token)],
        );
        for (name, type_, data) in other_secrets() {
            secret(st, name, type_, data);
        }
        for kind in [JobKind::KeyGen, JobKind::CreateAdminToken, JobKind::Other] {
            let name = match kind {
                JobKind::Other => format!("catalog-migrate-{}", random_suffix(5)),
                k => jobs::new_job_name(k, names),
            };
            let mut job = jobs::job_request(ns, &name, kind, names, owner);
            objects::job_defaults(&mut job, ns, "kubit").expect("seed job is valid");
            objects::job_started(&mut job);
            objects::job_complete(&mut job);
            job["status"]["startTime"] = json!(rfc3339(now_secs() - 7 * DAY));
            job["status"]["completionTime"] = json!(rfc3339(now_secs() - 7 * DAY + 9));
            st.insert(Res::Job, ns, objects::backdate(job, 7 * DAY));
        }
    });

    for app in apps(names) {
        api.add_deployment(app, 7 * DAY);
    }
}

/// A secret to seed: name, type, and its keys' values.
pub type SecretSeed = (&'static str, &'static str, Vec<(&'static str, Vec<u8>)>);

/// The install's secrets that have nothing to do with tokens (a procedure must leave them
/// alone): name, type, data.
pub fn other_secrets() -> Vec<SecretSeed> {
    vec![
        (
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
        ),
        (
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
        ),
        (
            "querier-config",
            "Opaque",
            vec![(
                "config.toml",
                b"[querier]\nmax-concurrent-queries = 16\n".to_vec(),
            )],
        ),
    ]
}

/// The install's Deployments: token-management (2 pods, labelled with the names' pod
/// labels), `router` and `querier` (1 pod each).
pub fn apps(names: &Names) -> Vec<App> {
    let image = |name: &str| format!("registry.example/influxdata/iox:{name}-20250101");
    let labels = names
        .token_pod_labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()));
    let token = &names.token_deployment;
    let mut apps = vec![App::new(token, 2, &image("token-management"), 8080).with_labels(labels)];
    for (name, port) in [("router", 8080), ("querier", 8082)] {
        apps.push(App::new(name, 1, &image(name), port));
    }
    apps
}
