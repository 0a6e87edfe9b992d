//! Fault injection and the request log: what a test uses to make the server misbehave, and to
//! check exactly what kubectl sent.

use serde_json::Value;
use std::time::Duration;

/// What to do to a matching request.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    /// Answer this HTTP status with the `Status` body Kubernetes sends for it.
    Status(u16),
    /// Wait this long, then serve the request normally.
    Delay(Duration),
    /// Close the connection without answering.
    Drop,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Times {
    Once,
    Always,
}

/// A fault: requests whose method matches (`None`: any) and whose path matches `path_pattern`
/// get `action`. The pattern is a substring of the path, or, if it contains `*`, a glob over the
/// whole path (`*` matches any run of characters, `/` included). A pattern that contains `?` is
/// matched against `path?query`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub method: Option<String>,
    pub path_pattern: String,
    pub action: FaultAction,
    pub times: Times,
}

impl Fault {
    pub fn new(method: &str, path_pattern: &str, action: FaultAction, times: Times) -> Fault {
        let method = if method.is_empty() || method == "*" {
            None
        } else {
            Some(method.to_ascii_uppercase())
        };
        Fault {
            method,
            path_pattern: path_pattern.to_string(),
            action,
            times,
        }
    }

    pub fn matches(&self, method: &str, path: &str, query: &str) -> bool {
        if self
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(method))
        {
            return false;
        }
        let target = if self.path_pattern.contains('?') {
            format!("{path}?{query}")
        } else {
            path.to_string()
        };
        if self.path_pattern.contains('*') {
            glob(&self.path_pattern, &target)
        } else {
            target.contains(&self.path_pattern)
        }
    }
}

fn glob(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = s;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(p) => rest = &rest[p + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string (percent-encoded, as sent).
    pub query: String,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    pub user_agent: Option<String>,
    /// The body if it was JSON.
    pub body: Option<Value>,
    /// Raw body length in bytes (protobuf bodies are not decoded here).
    pub body_len: usize,
    /// The status the server answered (0 when the connection was dropped).
    pub status: u16,
}

impl RecordedRequest {
    /// Decoded value of query parameter `key`, if present.
    pub fn query_param(&self, key: &str) -> Option<String> {
        query_pairs(&self.query)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// Splits and percent-decodes a query string.
pub fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(x) => {
                        out.push(x);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn patterns() {
        let f = Fault::new(
            "DELETE",
            "/secrets/rsa-keys",
            FaultAction::Drop,
            Times::Once,
        );
        assert!(f.matches("DELETE", "/api/v1/namespaces/influxdb/secrets/rsa-keys", ""));
        assert!(!f.matches("GET", "/api/v1/namespaces/influxdb/secrets/rsa-keys", ""));
        let g = Fault::new(
            "*",
            "/apis/batch/v1/namespaces/*/jobs",
            FaultAction::Status(500),
            Times::Always,
        );
        assert!(g.matches("GET", "/apis/batch/v1/namespaces/influxdb/jobs", ""));
        assert!(!g.matches("GET", "/apis/batch/v1/namespaces/influxdb/jobs/x", ""));
        let q = Fault::new("GET", "watch=true", FaultAction::Drop, Times::Once);
        assert!(!q.matches("GET", "/api/v1/pods", "watch=true"));
        let q = Fault::new("GET", "*?*watch=true*", FaultAction::Drop, Times::Once);
        assert!(q.matches("GET", "/api/v1/pods", "a=b&watch=true"));
    }
    #[test]
    fn decode() {
        assert_eq!(
            percent_decode("app%3Dtoken-management"),
            "app=token-management"
        );
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%41"), "A");
    }
}
