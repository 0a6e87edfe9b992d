//! One fixture for tests that run against either cluster: the in-process [`TestCluster`]
//! (fast; faults and request records) or a namespace of the real control plane that
//! `scripts/control-plane up DIR` started (`INFLUXCTL_ADMIN_CONTROL_PLANE=DIR`). A test gets
//! a kubeconfig, a namespace, a `HOME` for kubectl, and reads the install's state the same
//! way on both.

use crate::influxdb::Names;
use crate::real::{self, Client, Namespaced};
use crate::resources::Res;
use crate::selectors::LabelSelector;
use crate::util::random_suffix;
use crate::{objects, Cluster, Options, TestCluster};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable naming the directory of a running real control plane.
pub const CONTROL_PLANE_ENV: &str = "INFLUXCTL_ADMIN_CONTROL_PLANE";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The in-process Kubernetes API test server.
    TestCluster,
    /// kube-apiserver, kube-controller-manager and etcd, with the simulator.
    ControlPlane,
}

/// A namespace with an InfluxDB install in it, on one of the two clusters.
pub enum Backend {
    TestCluster(TestCluster),
    ControlPlane(Box<RealInstall>),
}

/// A namespace of its own on the real control plane, seeded for one test.
pub struct RealInstall {
    client: Client,
    kubeconfig: PathBuf,
    namespace: String,
    names: Names,
    home: tempfile::TempDir,
}

impl Backend {
    /// Starts (or, on the control plane, seeds a new namespace for) an install with the
    /// options' names and operator switch. On the control plane, `None` when no control
    /// plane runs and this is not CI (the caller says it skipped); under `CI=true` a
    /// missing control plane is a failure.
    pub fn start(kind: Kind, opts: Options) -> Option<Backend> {
        match kind {
            Kind::TestCluster => Some(Backend::TestCluster(TestCluster::start(opts))),
            Kind::ControlPlane => {
                let Some(dir) = std::env::var_os(CONTROL_PLANE_ENV) else {
                    assert!(
                        std::env::var("CI").as_deref() != Ok("true"),
                        "{CONTROL_PLANE_ENV} is not set: under CI the real control plane tier must run \
                         (scripts/test starts it with scripts/control-plane up)"
                    );
                    eprintln!(
                        "SKIPPED on the real control plane: {CONTROL_PLANE_ENV} is not set \
                         (run scripts/test, or scripts/control-plane up DIR and export it)"
                    );
                    return None;
                };
                Some(Backend::ControlPlane(Box::new(
                    RealInstall::start(Path::new(&dir), &opts).unwrap_or_else(|e| {
                        panic!("cannot seed a namespace on the control plane: {e}")
                    }),
                )))
            }
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Backend::TestCluster(_) => Kind::TestCluster,
            Backend::ControlPlane(_) => Kind::ControlPlane,
        }
    }

    /// The in-process server, for what only it has (faults, request records).
    pub fn test_cluster(&self) -> Option<&TestCluster> {
        match self {
            Backend::TestCluster(c) => Some(c),
            Backend::ControlPlane(_) => None,
        }
    }

    pub fn kubeconfig_path(&self) -> PathBuf {
        match self {
            Backend::TestCluster(c) => c.kubeconfig_path(),
            Backend::ControlPlane(r) => r.kubeconfig.clone(),
        }
    }

    pub fn namespace(&self) -> &str {
        match self {
            Backend::TestCluster(c) => c.namespace(),
            Backend::ControlPlane(r) => &r.namespace,
        }
    }

    /// A `HOME` of this test's own (kubectl caches discovery under it).
    pub fn home_dir(&self) -> PathBuf {
        match self {
            Backend::TestCluster(c) => c.home_dir(),
            Backend::ControlPlane(r) => r.home.path().to_path_buf(),
        }
    }

    pub fn names(&self) -> &Names {
        match self {
            Backend::TestCluster(c) => c.names(),
            Backend::ControlPlane(r) => &r.names,
        }
    }

    fn list(&self, res: Res) -> Vec<Value> {
        match self {
            Backend::TestCluster(c) => match res {
                Res::Job => c.jobs(),
                Res::Pod => c.pods(),
                _ => c.api().list(res),
            },
            Backend::ControlPlane(r) => r.cluster().list(res),
        }
    }

    /// A secret's decoded data.
    pub fn secret(&self, name: &str) -> Option<BTreeMap<String, Vec<u8>>> {
        match self {
            Backend::TestCluster(c) => c.secret(name),
            Backend::ControlPlane(r) => r
                .cluster()
                .get(Res::Secret, name)
                .map(|s| objects::secret_data(&s)),
        }
    }

    pub fn jobs(&self) -> Vec<Value> {
        self.list(Res::Job)
    }

    pub fn pods(&self) -> Vec<Value> {
        self.list(Res::Pod)
    }

    /// Names of the pods `selector` picks that are not terminating.
    pub fn pod_names_selected(&self, selector: &str) -> Vec<String> {
        let sel = LabelSelector::parse(selector).expect("a valid label selector");
        self.pods()
            .into_iter()
            .filter(|p| {
                sel.matches(&p["metadata"]["labels"])
                    && p["metadata"]["deletionTimestamp"].is_null()
            })
            .filter_map(|p| p["metadata"]["name"].as_str().map(str::to_string))
            .collect()
    }

    /// Turns the operator on or off.
    pub fn set_operator(&self, on: bool) {
        match self {
            Backend::TestCluster(c) => c.set_operator(on),
            Backend::ControlPlane(r) => {
                real::set_operator(&r.client, &r.namespace, on).unwrap();
                // The simulator reads the switch on its next round.
                std::thread::sleep(real::sim::TICK * 3);
            }
        }
    }

    /// Polls `cond` every 50 ms until it holds or `timeout` passes; returns whether it held.
    pub fn wait_until(&self, timeout: Duration, mut cond: impl FnMut(&Backend) -> bool) -> bool {
        crate::poll_until(timeout, Duration::from_millis(50), || cond(self))
    }
}

impl RealInstall {
    fn start(dir: &Path, opts: &Options) -> Result<RealInstall, String> {
        let kubeconfig = dir.join("kubeconfig");
        let client = Client::from_kubeconfig(&kubeconfig)?;
        let namespace = format!("t-{}", random_suffix(10));
        real::seed::seed(&client, &namespace, &opts.names, opts.operator)?;
        Ok(RealInstall {
            client,
            kubeconfig,
            namespace,
            names: opts.names.clone(),
            home: tempfile::tempdir().map_err(|e| e.to_string())?,
        })
    }

    fn cluster(&self) -> Namespaced<'_> {
        Namespaced::new(&self.client, &self.namespace)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl Backend {
    /// The real install, for what only the control plane has (RBAC, service accounts).
    pub fn control_plane(&self) -> Option<&RealInstall> {
        match self {
            Backend::ControlPlane(r) => Some(r),
            Backend::TestCluster(_) => None,
        }
    }
}

impl RealInstall {
    /// A kubeconfig (written to `out`) for ServiceAccount `name` of this namespace, which
    /// has no permissions until a RoleBinding grants some.
    pub fn service_account_kubeconfig(&self, name: &str, out: &Path) -> Result<(), String> {
        real::service_account_kubeconfig(&self.client, &self.kubeconfig, &self.namespace, name, out)
    }
}

impl Backend {
    /// The real kubectl, as the cluster's admin, in the install's namespace, with this
    /// test's HOME.
    pub fn kubectl(&self) -> std::process::Command {
        let mut cmd = match self {
            Backend::TestCluster(c) => c.kubectl(),
            Backend::ControlPlane(r) => {
                let mut cmd = std::process::Command::new("kubectl");
                cmd.env("HOME", r.home.path())
                    .env_remove("KUBECONFIG")
                    .arg("--kubeconfig")
                    .arg(&r.kubeconfig);
                cmd
            }
        };
        cmd.arg("--namespace").arg(self.namespace());
        cmd
    }
}
