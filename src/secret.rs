//! Kubernetes Secrets as the user has them: `kubectl get secret -o json` or `-o yaml`
//! output, or the bare base64 of one value (`--template={{.data.token}}`). Values are bytes:
//! a token file is never assumed to be UTF-8, and is never rewritten.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;

use crate::redact::Redacted;

/// What the input looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretFormat {
    Json,
    Yaml,
    /// The base64 of a single value.
    Base64,
}

/// The decoded data of one Secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedSecret {
    pub format: SecretFormat,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// Every key of `data` (decoded) and `stringData`; a bare base64 value is key `value`.
    pub entries: BTreeMap<String, Redacted<Vec<u8>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SecretError {
    Empty,
    InvalidJson { detail: String },
    NotASecret {
        #[serde(rename = "found")]
        kind: String,
    },
    InvalidBase64 { key: Option<String>, detail: String },
    NoData { name: Option<String> },
    MissingKey { key: String, name: Option<String>, available: Vec<String> },
    AmbiguousKey { available: Vec<String> },
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::Empty => write!(f, "the input is empty; expected `kubectl get secret NAME -o json` output, YAML, or base64"),
            SecretError::InvalidJson { detail } => write!(f, "the input looks like JSON but does not parse: {detail}"),
            SecretError::NotASecret { kind } => write!(f, "the input is a {kind}, not a Secret; pass the output of `kubectl get secret NAME -o json`"),
            SecretError::InvalidBase64 { key: Some(key), detail } => write!(f, "the value of key `{key}` is not valid base64: {detail}"),
            SecretError::InvalidBase64 { key: None, detail } => write!(f, "the input is not valid base64: {detail}"),
            SecretError::NoData { name } => write!(f, "secret{} has no data", name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default()),
            SecretError::MissingKey { key, name, available } => write!(
                f,
                "secret{} has no key `{key}`\n  hint: its keys are: {}",
                name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default(),
                if available.is_empty() { "(none)".to_owned() } else { available.join(", ") }
            ),
            SecretError::AmbiguousKey { available } => write!(f, "the secret has several keys ({}); choose one with --key", available.join(", ")),
        }
    }
}

impl std::error::Error for SecretError {}

impl DecodedSecret {
    /// The value of `key`, or the only value when `key` is `None`.
    pub fn value(&self, key: Option<&str>) -> Result<&Redacted<Vec<u8>>, SecretError> {
        let available = || self.entries.keys().cloned().collect::<Vec<_>>();
        match key {
            _ if self.format == SecretFormat::Base64 => Ok(self.entries.values().next().expect("one value")),
            Some(key) => self.entries.get(key).ok_or_else(|| SecretError::MissingKey {
                key: key.to_owned(),
                name: self.name.clone(),
                available: available(),
            }),
            None if self.entries.len() == 1 => Ok(self.entries.values().next().expect("one value")),
            None if self.entries.is_empty() => Err(SecretError::NoData { name: self.name.clone() }),
            None => Err(SecretError::AmbiguousKey { available: available() }),
        }
    }
}

/// Decodes a Secret from JSON, YAML or bare base64.
pub fn decode(input: &[u8]) -> Result<DecodedSecret, SecretError> {
    let text = String::from_utf8_lossy(input);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(SecretError::Empty);
    }
    if trimmed.starts_with('{') {
        from_json(trimmed)
    } else if looks_like_yaml(trimmed) {
        from_yaml(trimmed)
    } else {
        let bytes = decode_base64(trimmed, None)?;
        Ok(DecodedSecret {
            format: SecretFormat::Base64,
            name: None,
            namespace: None,
            entries: BTreeMap::from([("value".to_owned(), Redacted::new(bytes))]),
        })
    }
}

/// Decodes one base64 value as Kubernetes writes it (standard alphabet, padded); line
/// breaks and spaces inside it, as a terminal copy adds, are ignored.
pub fn decode_base64(value: &str, key: Option<&str>) -> Result<Vec<u8>, SecretError> {
    let compact: String = value.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()).map_err(|err| {
        SecretError::InvalidBase64 { key: key.map(str::to_owned), detail: err.to_string() }
    })
}

fn from_json(text: &str) -> Result<DecodedSecret, SecretError> {
    let doc: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| SecretError::InvalidJson { detail: e.to_string() })?;
    decode_object(&doc)
}

/// Decodes a Secret already parsed as JSON (an item of `kubectl get secret A B -o json`).
pub fn decode_object(doc: &serde_json::Value) -> Result<DecodedSecret, SecretError> {
    let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or("Secret");
    if kind != "Secret" {
        return Err(SecretError::NotASecret { kind: kind.to_owned() });
    }
    let meta = |field: &str| {
        doc.pointer(&format!("/metadata/{field}")).and_then(|v| v.as_str()).map(str::to_owned)
    };
    let mut entries = BTreeMap::new();
    if let Some(data) = doc.get("data").and_then(|d| d.as_object()) {
        for (key, value) in data {
            let encoded = value.as_str().ok_or_else(|| SecretError::InvalidBase64 {
                key: Some(key.clone()),
                detail: "the value is not a string".into(),
            })?;
            entries.insert(key.clone(), Redacted::new(decode_base64(encoded, Some(key))?));
        }
    }
    if let Some(data) = doc.get("stringData").and_then(|d| d.as_object()) {
        for (key, value) in data {
            if let Some(s) = value.as_str() {
                entries.insert(key.clone(), Redacted::new(s.as_bytes().to_vec()));
            }
        }
    }
    Ok(DecodedSecret { format: SecretFormat::Json, name: meta("name"), namespace: meta("namespace"), entries })
}

fn looks_like_yaml(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("data:") || l.starts_with("kind:") || l.starts_with("apiVersion:"))
}

/// The subset of YAML that `kubectl get secret -o yaml` prints: top-level `kind`,
/// `metadata` with `name` and `namespace`, and `data`/`stringData` maps of scalars.
fn from_yaml(text: &str) -> Result<DecodedSecret, SecretError> {
    let mut section = "";
    let (mut kind, mut name, mut namespace) = (None, None, None);
    let mut entries = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') || line == "---" {
            continue;
        }
        let indented = line.starts_with(' ');
        let Some((key, value)) = line.trim().split_once(':') else { continue };
        let value = unquote(value.trim());
        if !indented {
            section = match key {
                "data" | "stringData" | "metadata" => key,
                _ => "",
            };
            if key == "kind" {
                kind = Some(value.to_owned());
            }
            continue;
        }
        match section {
            "metadata" if line.starts_with("  ") && !line.starts_with("   ") => match key {
                "name" => name = Some(value.to_owned()),
                "namespace" => namespace = Some(value.to_owned()),
                _ => {}
            },
            "data" => {
                entries.insert(key.to_owned(), Redacted::new(decode_base64(value, Some(key))?));
            }
            "stringData" => {
                entries.insert(key.to_owned(), Redacted::new(value.as_bytes().to_vec()));
            }
            _ => {}
        }
    }
    if let Some(kind) = kind.filter(|k| k != "Secret") {
        return Err(SecretError::NotASecret { kind });
    }
    Ok(DecodedSecret { format: SecretFormat::Yaml, name, namespace, entries })
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

/// What a value is, for display without showing it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValueSummary {
    pub bytes: usize,
    pub utf8: bool,
}

pub fn summarize(value: &[u8]) -> ValueSummary {
    ValueSummary { bytes: value.len(), utf8: std::str::from_utf8(value).is_ok() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_kubectl_json_with_binary_values() {
        let json = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"admin-token","namespace":"influxdb"},
            "data":{"token":"eyJ0b2tlbiI6InQifQ==","bin":"/wD+"}}"#;
        let secret = decode(json.as_bytes()).unwrap();
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(secret.value(Some("token")).unwrap().expose(), br#"{"token":"t"}"#);
        assert_eq!(secret.value(Some("bin")).unwrap().expose(), &[0xff, 0x00, 0xfe]);
        assert!(!summarize(secret.value(Some("bin")).unwrap().expose()).utf8);
        let err = secret.value(Some("nope")).unwrap_err();
        assert!(err.to_string().contains("bin, token"), "{err}");
        assert!(matches!(secret.value(None), Err(SecretError::AmbiguousKey { .. })));
    }

    #[test]
    fn decodes_kubectl_yaml() {
        let yaml = "apiVersion: v1\ndata:\n  token: aGVsbG8=\nkind: Secret\nmetadata:\n  name: admin-token\n  namespace: influxdb\n  labels:\n    name: other\ntype: Opaque\n";
        let secret = decode(yaml.as_bytes()).unwrap();
        assert_eq!(secret.format, SecretFormat::Yaml);
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(secret.value(None).unwrap().expose(), b"hello");
    }

    #[test]
    fn decodes_bare_base64_across_lines_and_rejects_garbage() {
        let secret = decode(b"aGVs\nbG8=\n").unwrap();
        assert_eq!(secret.value(Some("ignored")).unwrap().expose(), b"hello");
        let err = decode(b"not base64!").unwrap_err();
        assert!(matches!(err, SecretError::InvalidBase64 { key: None, .. }), "{err:?}");
        let err = decode(br#"{"kind":"Secret","data":{"token":"%%%"}}"#).unwrap_err();
        assert!(err.to_string().contains("`token`"), "{err}");
    }

    #[test]
    fn rejects_other_kinds() {
        let err = decode(br#"{"kind":"ConfigMap","data":{}}"#).unwrap_err();
        assert_eq!(err, SecretError::NotASecret { kind: "ConfigMap".into() });
    }
}
