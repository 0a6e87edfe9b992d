//! The server with models other than the default InfluxDB one: an empty cluster, another
//! project's model (its own seed, job work and operator), and the InfluxDB model with every
//! name changed. The real kubectl against each.

use influxctl_admin_testcluster::objects::{self, App};
use influxctl_admin_testcluster::{
    job_has_condition, Api, Empty, JobOutcome, Model, Names, Options, Res, ServerOptions,
    TestCluster,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

fn quick() -> ServerOptions {
    ServerOptions {
        namespace: "shop".into(),
        job_delay: Duration::from_millis(100),
        pod_ready_delay: Duration::from_millis(100),
        pod_terminate_delay: Duration::from_millis(50),
        ..ServerOptions::default()
    }
}

/// `kubectl ARGS`: exit code, stdout, stderr.
fn kubectl<M: Model>(c: &TestCluster<M>, args: &[&str]) -> (i32, String, String) {
    let o = c.kubectl().args(args).output().expect("kubectl on PATH");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A Job that is not retried: its first failed attempt fails it (backoffLimit 0).
fn job(name: &str) -> Vec<u8> {
    let job = json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
        "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
                 "containers": [{"name": "x", "image": "busybox"}]}}}
    });
    serde_json::to_vec(&job).unwrap()
}

fn create<M: Model>(c: &TestCluster<M>, manifest: &[u8]) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = c
        .kubectl()
        .args(["create", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(manifest).unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn an_empty_cluster_has_namespaces_only_and_jobs_complete() {
    let c = TestCluster::start_with(quick(), Empty);
    let (code, _, err) = kubectl(&c, &["get", "secrets"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("No resources found in shop namespace."),
        "{err}"
    );
    assert!(c.object("namespaces", "shop").is_some());
    create(&c, &job("migrate"));
    assert!(c.wait_until(Duration::from_secs(5), |c| c
        .job("migrate")
        .is_some_and(|j| job_has_condition(&j, "Complete"))));
}

/// Another project's model: a config secret its operator restores when deleted, a web
/// deployment, and jobs that fail when named `fail-…`.
#[derive(Default)]
struct Shop {
    restored: std::sync::atomic::AtomicUsize,
}

impl Model for Shop {
    fn seed(&self, api: &Api) {
        self.reconcile(api);
        api.add_deployment(
            App::new("web", 3, "shop/web:1", 8080).with_labels([("role", "frontend")]),
            3600,
        );
    }

    fn run_job(&self, _api: &Api, job: &Value) -> JobOutcome {
        match job["metadata"]["name"].as_str() {
            Some(n) if n.starts_with("fail-") => JobOutcome::Failed("no stock".into()),
            _ => JobOutcome::Complete,
        }
    }

    fn on_deleted(&self, api: &Api, res: Res, object: &Value) {
        if res == Res::Secret && object["metadata"]["name"] == "shop-config" {
            api.reconcile_after(Duration::from_millis(50));
        }
    }

    fn reconcile(&self, api: &Api) {
        if api.get(Res::Secret, "shop-config").is_none() {
            let ns = api.namespace().to_string();
            let data = BTreeMap::from([("currency".to_string(), b"EUR".to_vec())]);
            // Counted first: a test that sees the secret sees the count.
            self.restored
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            api.with_store(|s| {
                s.insert(
                    Res::Secret,
                    &ns,
                    objects::secret(&ns, "shop-config", "Opaque", &data, "shop-operator"),
                )
            });
        }
    }
}

#[test]
fn another_projects_model_seeds_runs_jobs_and_reacts() {
    let c = TestCluster::start_with(quick(), Shop::default());
    assert_eq!(c.secret("shop-config").unwrap()["currency"], b"EUR");
    assert!(c.secret("admin-token").is_none() && c.jobs().is_empty());
    let pods = c.pod_names_selected("role=frontend").unwrap();
    assert_eq!(pods.len(), 3);

    // Its operator restores the secret a client deletes.
    let (code, out, _) = kubectl(&c, &["delete", "secret", "shop-config"]);
    assert_eq!(code, 0, "{out}");
    assert!(c.wait_until(Duration::from_secs(5), |c| c
        .secret("shop-config")
        .is_some()));
    assert_eq!(
        c.model().restored.load(std::sync::atomic::Ordering::SeqCst),
        2
    );

    // Its jobs' work decides their outcome.
    create(&c, &job("fail-order"));
    create(&c, &job("order"));
    assert!(c.wait_until(Duration::from_secs(5), |c| {
        c.job("fail-order")
            .is_some_and(|j| job_has_condition(&j, "Failed"))
            && c.job("order")
                .is_some_and(|j| job_has_condition(&j, "Complete"))
    }));
    // As a real job controller: the condition says the limit was reached, not why.
    let failed = c.job("fail-order").unwrap();
    assert_eq!(
        failed["status"]["conditions"][0]["message"],
        "Job has reached the specified backoff limit"
    );
    assert_eq!(failed["status"]["failed"], 1);

    // The built-in ReplicaSet controller replaces its pods, whatever their labels.
    let (code, _, err) = kubectl(&c, &["delete", "pods", "-l", "role=frontend", "--wait"]);
    assert_eq!(code, 0, "{err}");
    assert!(c.wait_until(Duration::from_secs(5), |c| {
        let now = c.pod_names_selected("role=frontend").unwrap();
        now.len() == 3 && now.iter().all(|p| !pods.contains(p))
    }));
}

#[test]
fn the_influxdb_model_takes_other_names() {
    let names = Names {
        admin_secret: "iox-admin".into(),
        token_key: "jwt".into(),
        rsa_secret: "iox-keys".into(),
        token_deployment: "iox-tokens".into(),
        token_pod_labels: BTreeMap::from([("component".into(), "tokens".into())]),
        key_gen_prefix: "iox-keygen".into(),
        create_token_prefix: "iox-mint".into(),
    };
    let c = TestCluster::start(Options {
        namespace: "iox".into(),
        names: names.clone(),
        operator_delay: Duration::from_millis(100),
        job_delay: Duration::from_millis(100),
        rsa_bits: 1024,
        ..Options::default()
    });
    assert_eq!(c.names(), &names);
    for default in ["admin-token", "rsa-keys"] {
        assert!(c.secret(default).is_none(), "{default}");
    }
    assert!(c.secret("iox-admin").unwrap().contains_key("jwt"));
    assert!(c.secret("iox-keys").unwrap().contains_key("private.pem"));
    assert_eq!(c.pod_names_selected("component=tokens").unwrap().len(), 2);
    assert!(c.pod_names("token-management").is_empty());
    let prefixed = |c: &TestCluster, p: &str| -> Vec<String> {
        c.jobs()
            .iter()
            .filter_map(|j| j["metadata"]["name"].as_str())
            .filter(|n| n.starts_with(p))
            .map(str::to_string)
            .collect()
    };
    let (kg, mint) = (prefixed(&c, "iox-keygen-"), prefixed(&c, "iox-mint-"));
    assert_eq!((kg.len(), mint.len()), (1, 1));
    assert!(prefixed(&c, "key-gen-").is_empty());

    // The current procedure with these names: the operator re-creates the jobs, which write
    // new keys and a new token under these names.
    let old = c.secret("iox-admin").unwrap()["jwt"].clone();
    let (code, _, err) = kubectl(&c, &["delete", "secret", "iox-keys", "iox-admin"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = kubectl(&c, &["delete", "job", &kg[0], &mint[0]]);
    assert_eq!(code, 0, "{err}");
    assert!(c.wait_until(Duration::from_secs(10), |c| c
        .secret("iox-admin")
        .is_some_and(|s| s["jwt"] != old)));
    let (new_kg, new_mint) = (prefixed(&c, "iox-keygen-"), prefixed(&c, "iox-mint-"));
    assert!(new_kg.len() == 1 && new_kg != kg, "{new_kg:?}");
    assert!(new_mint.len() == 1 && new_mint != mint, "{new_mint:?}");
    let file: Value = serde_json::from_slice(&c.secret("iox-admin").unwrap()["jwt"]).unwrap();
    let public = String::from_utf8(c.secret("iox-keys").unwrap()["public.pem"].clone()).unwrap();
    assert!(influxctl_admin_testcluster::crypto::verify_jwt(
        file["access_token"].as_str().unwrap(),
        &public
    ));
}
