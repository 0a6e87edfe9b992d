//! A small, blocking JSON client of a real kube-apiserver: TLS with the kubeconfig's client
//! certificate, one HTTP/1.1 request per call. Enough for the simulator's loop and for tests
//! that look at a namespace; not a general Kubernetes client.

use crate::cluster::WriteError;
use crate::resources::Res;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// What a call came to: the HTTP status and the JSON body (`Value::Null` if none).
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub body: Value,
}

impl Response {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The Status message of an error answer, or the start of the body (an object can be
    /// large, and may hold a Secret's data: enough to tell what answered, no more).
    pub fn message(&self) -> String {
        const SHOWN: usize = 200;
        match self.body["message"].as_str() {
            Some(m) => format!("{} ({})", m, self.status),
            None => {
                let body = self.body.to_string();
                let cut = body
                    .char_indices()
                    .nth(SHOWN)
                    .map_or(body.len(), |(i, _)| i);
                let more = if cut < body.len() { "…" } else { "" };
                format!("HTTP {}: {}{more}", self.status, &body[..cut])
            }
        }
    }

    pub fn into_write_result(self) -> Result<Value, WriteError> {
        match self.status {
            s if (200..300).contains(&s) => Ok(self.body),
            409 if self.body["reason"] == "AlreadyExists" => {
                Err(WriteError::AlreadyExists(self.message()))
            }
            _ => Err(WriteError::Other(self.message())),
        }
    }
}

/// A client for the cluster a kubeconfig (JSON or YAML written by `scripts/control-plane`)
/// names with client-certificate credentials.
pub struct Client {
    host: String,
    port: u16,
    tls: tokio_rustls::TlsConnector,
    rt: tokio::runtime::Runtime,
    idle: std::sync::Mutex<Option<hyper::client::conn::http1::SendRequest<Full<Bytes>>>>,
}

impl Client {
    pub fn from_kubeconfig(path: &Path) -> Result<Client, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read kubeconfig {}: {e}", path.display()))?;
        let field = |key: &str| -> Result<String, String> {
            kubeconfig_field(&text, key)
                .ok_or_else(|| format!("kubeconfig {} has no `{key}`", path.display()))
        };
        let server = field("server")?;
        let decode = |key: &str| -> Result<Vec<u8>, String> {
            STANDARD
                .decode(field(key)?)
                .map_err(|e| format!("kubeconfig {}: `{key}` is not base64: {e}", path.display()))
        };
        Client::new(
            &server,
            &decode("certificate-authority-data")?,
            &decode("client-certificate-data")?,
            &decode("client-key-data")?,
        )
    }

    /// `server` is `https://HOST:PORT`; the rest are PEM.
    pub fn new(server: &str, ca: &[u8], cert: &[u8], key: &[u8]) -> Result<Client, String> {
        let hostport = server
            .strip_prefix("https://")
            .ok_or_else(|| format!("server {server} is not https://HOST:PORT"))?
            .trim_end_matches('/');
        let (host, port) = hostport
            .rsplit_once(':')
            .ok_or_else(|| format!("server {server} has no port"))?;
        let port = port
            .parse()
            .map_err(|_| format!("server {server}: bad port"))?;
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_slice_iter(ca) {
            roots
                .add(c.map_err(|e| format!("CA certificate: {e}"))?)
                .map_err(|e| format!("CA certificate: {e}"))?;
        }
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("client certificate: {e}"))?;
        let key = PrivateKeyDer::from_pem_slice(key).map_err(|e| format!("client key: {e}"))?;
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .map_err(|e| format!("client certificate: {e}"))?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| format!("tokio runtime: {e}"))?;
        Ok(Client {
            host: host.to_string(),
            port,
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            rt,
            idle: std::sync::Mutex::new(None),
        })
    }

    /// One request; `body` is sent as JSON (or as a merge patch for PATCH).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, String> {
        let fut = self.send(method, path, body);
        self.rt
            .block_on(async { tokio::time::timeout(Duration::from_secs(30), fut).await })
            .map_err(|_| format!("{method} {path}: no answer in 30 s"))?
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, String> {
        let what = |e: &dyn std::fmt::Display| format!("{method} {path}: {e}");
        // One kept-alive connection per client: a TLS handshake per request made the
        // simulator's rounds slow once many namespaces were seeded.
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(s) = &mut idle {
            if s.ready().await.is_err() {
                idle = None;
            }
        }
        let mut sender = match idle {
            Some(s) => s,
            None => {
                let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
                    .await
                    .map_err(|e| what(&e))?;
                let name = ServerName::try_from(self.host.clone()).map_err(|e| what(&e))?;
                let tls = self.tls.connect(name, tcp).await.map_err(|e| what(&e))?;
                let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
                    .await
                    .map_err(|e| what(&e))?;
                tokio::spawn(conn);
                sender
            }
        };
        let content_type = if method == "PATCH" {
            "application/merge-patch+json"
        } else {
            "application/json"
        };
        let bytes = body.map(|b| b.to_string()).unwrap_or_default();
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", format!("{}:{}", self.host, self.port))
            .header("accept", "application/json")
            .header("content-type", content_type)
            .header("user-agent", "influxctl-admin-simulator")
            .body(Full::new(Bytes::from(bytes)))
            .map_err(|e| what(&e))?;
        let resp = sender.send_request(req).await.map_err(|e| what(&e))?;
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| what(&e))?
            .to_bytes();
        *self.idle.lock().unwrap_or_else(|e| e.into_inner()) = Some(sender);
        let body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into()))
        };
        Ok(Response { status, body })
    }

    pub fn get(&self, path: &str) -> Result<Response, String> {
        self.request("GET", path, None)
    }

    /// The items of a list (with `kind`/`apiVersion`, which lists leave out).
    pub fn list(&self, res: Res, ns: Option<&str>) -> Result<Vec<Value>, String> {
        let r = self.get(&collection(res, ns))?;
        if !r.ok() {
            return Err(format!("list {}: {}", res.plural(), r.message()));
        }
        Ok(items_of(r.body, res.api_version(), res.kind()))
    }
}

/// `/api/v1/namespaces/NS/pods`, `/apis/batch/v1/jobs`, …
pub fn collection(res: Res, ns: Option<&str>) -> String {
    let base = match res.group() {
        "" => "/api/v1".to_string(),
        g => format!("/apis/{g}/v1"),
    };
    match ns {
        Some(ns) if res.namespaced() => format!("{base}/namespaces/{ns}/{}", res.plural()),
        _ => format!("{base}/{}", res.plural()),
    }
}

pub fn items_of(list: Value, api_version: &str, kind: &str) -> Vec<Value> {
    let mut items = match list {
        Value::Object(mut m) => match m.remove("items") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for i in &mut items {
        i["apiVersion"] = Value::String(api_version.into());
        i["kind"] = Value::String(kind.into());
    }
    items
}

/// A top-level scalar of the kubeconfig that `scripts/control-plane` writes (one cluster,
/// one user): `key: value` in YAML or `"key": "value"` in JSON.
pub fn kubeconfig_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim().trim_start_matches("- ").trim();
        let rest = line
            .strip_prefix(&format!("\"{key}\":"))
            .or_else(|| line.strip_prefix(&format!("{key}:")))?;
        let v = rest.trim().trim_end_matches(',').trim().trim_matches('"');
        (!v.is_empty()).then(|| v.to_string())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn kubeconfig_fields_are_read_from_the_yaml_the_script_writes() {
        let yaml = "clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: QUJD\n";
        assert_eq!(
            super::kubeconfig_field(yaml, "server").as_deref(),
            Some("https://127.0.0.1:6443")
        );
    }
}
