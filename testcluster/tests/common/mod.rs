//! Shared helpers: a cluster with short delays, and running the real kubectl against it.
#![allow(dead_code)]

use influxctl_admin_testcluster::{Options, TestCluster};
use std::time::Duration;

/// The kubectl minors the suite runs against: 1.31 sends JSON bodies, 1.33 protobuf for typed writes.
pub const V131: (u32, u32) = (1, 31);
pub const V133: (u32, u32) = (1, 33);

pub fn opts(version: (u32, u32)) -> Options {
    Options {
        kubernetes_version: version,
        job_delay: Duration::from_millis(250),
        pod_ready_delay: Duration::from_millis(300),
        pod_terminate_delay: Duration::from_millis(100),
        operator_delay: Duration::from_millis(150),
        ..Options::default()
    }
}

pub fn cluster(version: (u32, u32)) -> TestCluster {
    TestCluster::start(opts(version))
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `kubectl ARGS` (with the cluster's kubeconfig, HOME and cache dir) and optional stdin.
pub fn kubectl_in(c: &TestCluster, args: &[&str], stdin: Option<&[u8]>) -> Out {
    use std::io::Write;
    use std::process::Stdio;
    let mut cmd = c.kubectl();
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("kubectl on PATH");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

pub fn kubectl(c: &TestCluster, args: &[&str]) -> Out {
    kubectl_in(c, args, None)
}

/// Like [`kubectl`] but asserts exit 0.
pub fn ok(c: &TestCluster, args: &[&str]) -> Out {
    let o = kubectl(c, args);
    assert_eq!(o.code, 0, "kubectl {args:?} failed: {o:?}");
    o
}

pub fn job_names(c: &TestCluster, prefix: &str) -> Vec<String> {
    c.jobs()
        .iter()
        .filter_map(|j| j["metadata"]["name"].as_str())
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

/// Makes a new Job manifest from an existing one the way a careful client must: without the
/// server-set fields and the controller labels and selector.
pub fn rerun_manifest(job: &serde_json::Value, new_name: &str) -> Vec<u8> {
    let mut spec = job["spec"].clone();
    spec.as_object_mut().unwrap().remove("selector");
    if let Some(l) = spec["template"]["metadata"]["labels"].as_object_mut() {
        l.retain(|k, _| !k.contains("controller-uid") && !k.contains("job-name"));
    }
    let m = serde_json::json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": new_name, "namespace": job["metadata"]["namespace"]},
        "spec": spec
    });
    serde_json::to_vec(&m).unwrap()
}

/// Declares one test per kubectl version: `versions!(name);` calls `name(version)`.
#[macro_export]
macro_rules! versions {
    ($($f:ident),* $(,)?) => {
        mod v1_31 { $( #[test] fn $f() { super::$f(super::common::V131) } )* }
        mod v1_33 { $( #[test] fn $f() { super::$f(super::common::V133) } )* }
    };
}
