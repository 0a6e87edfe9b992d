//! The kubeconfig that points kubectl at the test server.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Renders a kubeconfig (YAML) with one cluster, one user (bearer token) and one context whose
/// default namespace is `namespace`.
pub fn render(server_url: &str, ca_pem: &str, token: &str, namespace: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: {server_url}
  name: testcluster
contexts:
- context:
    cluster: testcluster
    namespace: {namespace}
    user: testcluster-admin
  name: testcluster
current-context: testcluster
preferences: {{}}
users:
- name: testcluster-admin
  user:
    token: {token}
",
        ca = STANDARD.encode(ca_pem)
    )
}
