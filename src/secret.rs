//! Kubernetes Secrets as the user has them: `kubectl get secret -o json` or `-o yaml`
//! output, or the bare base64 of one value (`--template={{.data.token}}`). Values are bytes:
//! a token file is never assumed to be UTF-8, and is never rewritten.
//!
//! YAML is read by the strict reader of `yaml.rs`, which refuses what `kubectl get secret
//! -o yaml` never prints; several documents are refused here, with a count.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;

use crate::diagnostic::{Diagnostic, Hint};
use crate::json;
use crate::redact::Redacted;
use crate::yaml::{self, Node};

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

/// Why an input is not one Secret. Serialised for the browser as `{"kind": "…", …}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SecretError {
    Empty,
    InvalidJson {
        detail: String,
    },
    NotASecret {
        #[serde(rename = "found")]
        kind: String,
    },
    InvalidBase64 {
        key: Option<String>,
        detail: String,
    },
    NoData {
        name: Option<String>,
    },
    MissingKey {
        key: String,
        name: Option<String>,
        available: Vec<String>,
    },
    AmbiguousKey {
        available: Vec<String>,
    },
    /// A value of `data` or `stringData` that is not a string (null, a number in JSON, a mapping).
    NotAString {
        section: String,
        key: String,
        found: String,
    },
    /// YAML outside what `kubectl get secret -o yaml` prints.
    UnsupportedYaml {
        what: String,
        line: usize,
    },
    /// Several YAML documents (`---`): `secrets` of them are Secrets.
    MultipleDocuments {
        documents: usize,
        secrets: usize,
    },
    /// A `List` (`kubectl get secret A B -o json|yaml`) of several items.
    MultipleSecrets {
        items: usize,
        secrets: usize,
    },
    /// A top-level JSON array.
    JsonArray {
        items: usize,
    },
    /// UTF-16 text, as Windows PowerShell's `>` writes it.
    Utf16 {
        big_endian: bool,
    },
    /// Bytes that are not UTF-8 (and not UTF-16), at byte `offset`.
    NotUtf8 {
        offset: usize,
    },
    /// kubectl's error message (`Error from server (NotFound): …`) where a Secret was expected:
    /// its first line, control characters escaped, at most 200 characters.
    KubectlError {
        // Not `message`: the bindings put the whole error's text under that name.
        line: String,
    },
}

const ONE_SECRET: &str =
    "pass one Secret, e.g. `kubectl get secret admin-token -n NAMESPACE -o yaml`";

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = |name: &Option<String>| {
            name.as_deref()
                .map(|n| format!(" `{n}`"))
                .unwrap_or_default()
        };
        match self {
            SecretError::Empty => write!(f, "the input is empty; expected `kubectl get secret NAME -o json` output, YAML, or base64"),
            SecretError::InvalidJson { detail } => write!(f, "the input looks like JSON but does not parse: {detail}"),
            SecretError::NotASecret { kind } => write!(f, "the input is a {kind}, not a Secret; pass the output of `kubectl get secret NAME -o json`"),
            SecretError::InvalidBase64 { key: Some(key), detail } => write!(f, "the value of key `{key}` is not valid base64: {detail}"),
            SecretError::InvalidBase64 { key: None, detail } => write!(f, "the input is not valid base64: {detail}"),
            SecretError::NoData { name } => write!(f, "secret{} has no data", named(name)),
            SecretError::MissingKey { key, name, .. } => write!(f, "secret{} has no key `{key}`", named(name)),
            SecretError::AmbiguousKey { available } => write!(f, "the secret has several keys ({})", available.join(", ")),
            SecretError::NotAString { section, key, found } if key.is_empty() => write!(f, "`{section}` is {found}"),
            SecretError::NotAString { section, key, found } => write!(f, "the value of `{section}.{key}` is {found}, not a string"),
            SecretError::UnsupportedYaml { what, line } => write!(f, "unsupported YAML: {what} at line {line}"),
            SecretError::MultipleDocuments { documents, secrets } => write!(
                f,
                "the input holds {documents} YAML documents ({secrets} of them Secret{}); {ONE_SECRET}",
                if *secrets == 1 { "" } else { "s" }
            ),
            SecretError::MultipleSecrets { items, secrets } => write!(
                f,
                "the input is a List of {items} items ({secrets} of them Secret{}); {ONE_SECRET}",
                if *secrets == 1 { "" } else { "s" }
            ),
            SecretError::JsonArray { items } => write!(
                f,
                "the input is a JSON array ({items} item{}), not a Secret; pass one object, e.g. `kubectl get secret admin-token -n NAMESPACE -o json` (or `jq '.[0]'`)",
                if *items == 1 { "" } else { "s" }
            ),
            SecretError::Utf16 { big_endian } => write!(
                f,
                "the input is UTF-16{} text, as Windows PowerShell's `>` writes it; it must be UTF-8",
                if *big_endian { " (big-endian)" } else { "" }
            ),
            SecretError::NotUtf8 { offset } => write!(f, "the input is not UTF-8 text (invalid byte at offset {offset}); expected kubectl's JSON or YAML, or base64"),
            SecretError::KubectlError { line } => write!(f, "the input is an error message from kubectl, not a Secret: {line}"),
        }
    }
}

impl std::error::Error for SecretError {}

impl Diagnostic for SecretError {
    fn hints(&self) -> Vec<Hint> {
        match self {
            SecretError::MissingKey { available, .. } => vec![Hint::SecretKeys {
                keys: available.clone(),
            }],
            SecretError::AmbiguousKey { .. } => vec![Hint::ChooseKey],
            SecretError::UnsupportedYaml { .. } => vec![Hint::KubectlYaml],
            SecretError::Utf16 { .. } => vec![Hint::Utf8],
            _ => Vec::new(),
        }
    }
}

impl From<yaml::Error> for SecretError {
    fn from(yaml::Error { what, line }: yaml::Error) -> Self {
        SecretError::UnsupportedYaml { what, line }
    }
}

impl DecodedSecret {
    /// The value of `key`, or the only value when `key` is `None`.
    pub fn value(&self, key: Option<&str>) -> Result<&Redacted<Vec<u8>>, SecretError> {
        let available = || self.entries.keys().cloned().collect::<Vec<_>>();
        let only = || {
            self.entries
                .values()
                .next()
                .ok_or_else(|| SecretError::NoData {
                    name: self.name.clone(),
                })
        };
        match key {
            _ if self.format == SecretFormat::Base64 => only(),
            Some(key) => self
                .entries
                .get(key)
                .ok_or_else(|| SecretError::MissingKey {
                    key: key.to_owned(),
                    name: self.name.clone(),
                    available: available(),
                }),
            None if self.entries.len() <= 1 => only(),
            None => Err(SecretError::AmbiguousKey {
                available: available(),
            }),
        }
    }
}

/// Decodes a Secret from JSON, YAML or bare base64.
pub fn decode(input: &[u8]) -> Result<DecodedSecret, SecretError> {
    if input.starts_with(&[0xff, 0xfe]) || input.starts_with(&[0xfe, 0xff]) {
        return Err(SecretError::Utf16 {
            big_endian: input.first() == Some(&0xfe),
        });
    }
    if let Some(big_endian) = utf16_without_bom(input) {
        return Err(SecretError::Utf16 { big_endian });
    }
    // A UTF-8 byte-order mark (Windows' "UTF-8 with BOM") carries no content: YAML allows
    // it, kubectl accepts it.
    let input = input
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|e| SecretError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(SecretError::Empty);
    }
    if let Some(line) = kubectl_error(trimmed) {
        return Err(SecretError::KubectlError { line });
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        from_json(trimmed)
    } else if looks_like_yaml(trimmed) {
        from_yaml(text)
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

/// UTF-16 without a byte-order mark: ASCII text with every other byte zero.
fn utf16_without_bom(input: &[u8]) -> Option<bool> {
    let head = input.get(..input.len().min(64) & !1).unwrap_or_default();
    if head.len() < 4 {
        return None;
    }
    let pairs = head.chunks_exact(2);
    let count = pairs.len();
    if pairs.clone().all(|p| matches!(p, [low, 0] if *low != 0)) {
        Some(false)
    } else if pairs
        .clone()
        .filter(|p| matches!(p, [0, high] if *high != 0))
        .count()
        == count
    {
        Some(true)
    } else {
        None
    }
}

/// A value of a Secret's `data` (base64) or `stringData` (plain text) section, as bytes:
/// the one rule the JSON and the YAML readers share.
fn entry_bytes(section: &str, key: &str, text: &str) -> Result<Vec<u8>, SecretError> {
    if section == "data" {
        decode_base64(text, Some(key))
    } else {
        Ok(text.as_bytes().to_vec())
    }
}

/// Decodes one base64 value as Kubernetes writes it (standard alphabet, padded); line
/// breaks and spaces inside it, as a terminal copy adds, are ignored.
/// kubectl's own error lines, which a pasted or redirected `kubectl get secret` holds when it
/// failed (`Error from server (NotFound): secrets "x" not found`, `error: …`,
/// `Unable to connect to the server: …`): read as YAML they would be a mapping with no data.
fn kubectl_error(text: &str) -> Option<String> {
    let first = text.lines().next()?.trim();
    let is_error = [
        "Error from server",
        "error: ",
        "Unable to connect to the server",
    ]
    .iter()
    .any(|p| first.starts_with(p));
    is_error.then(|| {
        first
            .chars()
            .take(200)
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    })
}

pub fn decode_base64(value: &str, key: Option<&str>) -> Result<Vec<u8>, SecretError> {
    let compact: String = value.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|err| SecretError::InvalidBase64 {
            key: key.map(str::to_owned),
            detail: err.to_string(),
        })
}

fn from_json(text: &str) -> Result<DecodedSecret, SecretError> {
    let doc = json::parse_unique(text.as_bytes()).map_err(|e| SecretError::InvalidJson {
        detail: e.to_string(),
    })?;
    if let Some(items) = doc.as_array() {
        return Err(SecretError::JsonArray { items: items.len() });
    }
    if doc.get("kind").and_then(|k| k.as_str()) == Some("List") {
        let items = doc
            .get("items")
            .and_then(|i| i.as_array())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let secrets = items
            .iter()
            .filter(|i| {
                i.get("kind")
                    .and_then(|k| k.as_str())
                    .is_none_or(|k| k == "Secret")
            })
            .count();
        return match items {
            [one] => decode_object(one),
            _ => Err(SecretError::MultipleSecrets {
                items: items.len(),
                secrets,
            }),
        };
    }
    decode_object(&doc)
}

/// Decodes a Secret already parsed as JSON (an item of `kubectl get secret A B -o json`).
pub fn decode_object(doc: &json::Value) -> Result<DecodedSecret, SecretError> {
    let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or("Secret");
    if kind != "Secret" {
        return Err(SecretError::NotASecret {
            kind: kind.to_owned(),
        });
    }
    if !doc.is_object() {
        return Err(SecretError::NotASecret {
            kind: json_type(doc).to_owned(),
        });
    }
    let meta = |field: &str| {
        doc.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let mut entries = BTreeMap::new();
    for section in ["data", "stringData"] {
        let Some(value) = doc.get(section).filter(|v| !v.is_null()) else {
            continue;
        };
        let Some(map) = value.as_object() else {
            return Err(SecretError::NotAString {
                section: section.into(),
                key: String::new(),
                found: format!("{} instead of a mapping", json_type(value)),
            });
        };
        for (key, value) in map.iter() {
            let text = value.as_str().ok_or_else(|| SecretError::NotAString {
                section: section.into(),
                key: key.clone(),
                found: json_type(value).into(),
            })?;
            entries.insert(key.clone(), Redacted::new(entry_bytes(section, key, text)?));
        }
    }
    Ok(DecodedSecret {
        format: SecretFormat::Json,
        name: meta("name"),
        namespace: meta("namespace"),
        entries,
    })
}

fn json_type(value: &json::Value) -> &'static str {
    match value {
        json::Value::Null => "null",
        json::Value::Bool(_) => "a boolean",
        json::Value::Number(_) => "a number",
        json::Value::String(_) => "a string",
        json::Value::Array(_) => "an array",
        json::Value::Object(_) => "an object",
    }
}

/// Base64 has no `:`, `#` or `-` line starts; YAML (a mapping, a comment, a marker) has.
fn looks_like_yaml(text: &str) -> bool {
    text.contains(':')
        || text.contains('#')
        || text
            .lines()
            .any(|l| l.starts_with("---") || l.starts_with("- ") || l == "-" || l.starts_with('%'))
}

/// The YAML that `kubectl get secret -o yaml` prints, read strictly.
fn from_yaml(text: &str) -> Result<DecodedSecret, SecretError> {
    let mut documents = yaml::documents(text)?;
    match documents.len() {
        0 => Err(SecretError::Empty),
        1 => secret_from_node(&documents.remove(0)?),
        n => Err(SecretError::MultipleDocuments {
            documents: n,
            secrets: documents
                .iter()
                .filter_map(|d| d.as_ref().ok())
                .filter(|node| {
                    node.get("kind")
                        .and_then(Node::text)
                        .is_none_or(|k| k == "Secret")
                })
                .count(),
        }),
    }
}

fn secret_from_node(node: &Node) -> Result<DecodedSecret, SecretError> {
    if !matches!(node, Node::Map(_)) {
        let kind = if matches!(node, Node::Seq(_)) {
            "YAML sequence"
        } else {
            "YAML scalar"
        };
        return Err(SecretError::NotASecret {
            kind: kind.to_owned(),
        });
    }
    let kind = node.get("kind").and_then(Node::text);
    if kind == Some("List") {
        let items = match node.get("items") {
            Some(Node::Seq(items)) => items.as_slice(),
            _ => &[],
        };
        let secrets = items
            .iter()
            .filter(|i| {
                i.get("kind")
                    .and_then(Node::text)
                    .is_none_or(|k| k == "Secret")
            })
            .count();
        return match items {
            [one] => secret_from_node(one),
            _ => Err(SecretError::MultipleSecrets {
                items: items.len(),
                secrets,
            }),
        };
    }
    if let Some(kind) = kind.filter(|k| *k != "Secret") {
        return Err(SecretError::NotASecret {
            kind: kind.to_owned(),
        });
    }
    let meta = |field: &str| {
        node.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Node::text)
            .map(str::to_owned)
    };
    let mut entries = BTreeMap::new();
    for section in ["data", "stringData"] {
        let values = match node.get(section) {
            None => continue,
            Some(n) if n.is_null() => continue,
            Some(Node::Map(values)) => values,
            Some(other) => {
                return Err(SecretError::NotAString {
                    section: section.into(),
                    key: String::new(),
                    found: format!("{} instead of a mapping", other.describe()),
                })
            }
        };
        for (key, value) in values {
            let text = value.text().ok_or_else(|| SecretError::NotAString {
                section: section.into(),
                key: key.clone(),
                found: value.describe().into(),
            })?;
            entries.insert(key.clone(), Redacted::new(entry_bytes(section, key, text)?));
        }
    }
    Ok(DecodedSecret {
        format: SecretFormat::Yaml,
        name: meta("name"),
        namespace: meta("namespace"),
        entries,
    })
}

/// What a value is, for display without showing it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValueSummary {
    pub bytes: usize,
    pub utf8: bool,
}

pub fn summarize(value: &[u8]) -> ValueSummary {
    ValueSummary {
        bytes: value.len(),
        utf8: std::str::from_utf8(value).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kubectls_error_message_is_named_as_such_not_read_as_a_secret_without_data() {
        for (input, first) in [
            (
                "Error from server (NotFound): secrets \"admin-token\" not found\n",
                "Error from server (NotFound): secrets \"admin-token\" not found",
            ),
            ("error: You must be logged in to the server (Unauthorized)\n", "error: You must be logged in to the server (Unauthorized)"),
            ("Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused", "Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused"),
        ] {
            let err = super::decode(input.as_bytes()).unwrap_err();
            assert_eq!(err, super::SecretError::KubectlError { line: first.into() });
            assert_eq!(
                err.to_string(),
                format!("the input is an error message from kubectl, not a Secret: {first}")
            );
        }
    }

    use super::*;

    fn yaml_err(text: &str) -> SecretError {
        decode(text.as_bytes()).expect_err("refused")
    }

    fn unsupported_line(err: &SecretError) -> usize {
        match err {
            SecretError::UnsupportedYaml { line, .. } => *line,
            other => panic!("not an unsupported-YAML error: {other:?}"),
        }
    }

    #[test]
    fn decodes_kubectl_json_with_binary_values() {
        let json = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"admin-token","namespace":"influxdb"},
            "data":{"token":"eyJ0b2tlbiI6InQifQ==","bin":"/wD+"}}"#;
        let secret = decode(json.as_bytes()).unwrap();
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(
            secret.value(Some("token")).unwrap().expose(),
            br#"{"token":"t"}"#
        );
        assert_eq!(
            secret.value(Some("bin")).unwrap().expose(),
            &[0xff, 0x00, 0xfe]
        );
        assert!(!summarize(secret.value(Some("bin")).unwrap().expose()).utf8);
        let err = secret.value(Some("nope")).unwrap_err();
        assert_eq!(err.to_string(), "secret `admin-token` has no key `nope`");
        // What to do next is data beside the message, for each face to word.
        assert_eq!(
            crate::diagnostic::Diagnostic::hints(&err),
            [Hint::SecretKeys {
                keys: vec!["bin".into(), "token".into()]
            }]
        );
        assert!(matches!(
            secret.value(None),
            Err(SecretError::AmbiguousKey { .. })
        ));
    }

    #[test]
    fn decodes_kubectl_yaml() {
        let yaml = "apiVersion: v1\ndata:\n  token: aGVsbG8=\nkind: Secret\nmetadata:\n  name: admin-token\n  namespace: influxdb\n  labels:\n    name: other\ntype: Opaque\n";
        let secret = decode(yaml.as_bytes()).unwrap();
        assert_eq!(secret.format, SecretFormat::Yaml);
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(secret.namespace.as_deref(), Some("influxdb"));
        assert_eq!(secret.value(None).unwrap().expose(), b"hello");
    }

    /// Everything `kubectl get secret -o yaml --show-managed-fields` prints, with CRLF line ends.
    #[test]
    fn decodes_a_full_kubectl_yaml_secret() {
        let yaml = r#"apiVersion: v1
data:
  private.pem: LS0tLS1CRUdJTg==
  token: eyJ0b2tlbiI6InQifQ==
kind: Secret
metadata:
  annotations:
    description: a long annotation that kubectl folds over
      two lines
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","data":{"token":"not: this"},"kind":"Secret"}
    quoted: "tab\there \u00e9 and a \
      joined line"
  creationTimestamp: "2024-09-01T10:00:00Z"
  labels:
    app.kubernetes.io/name: influxdb
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        .: {}
        f:token: {}
    manager: kubectl-create
    operation: Update
  name: admin-token
  namespace: 'influx''db'
  ownerReferences:
  - apiVersion: kubecfg.dev/v1alpha1
    kind: AppInstance
    name: influxdb
  finalizers: []
  resourceVersion: "1234"
  uid: 6f1c-…
type: Opaque
"#
        .replace('\n', "\r\n");
        let secret = decode(yaml.as_bytes()).unwrap();
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(secret.namespace.as_deref(), Some("influx'db"));
        assert_eq!(
            secret.value(Some("token")).unwrap().expose(),
            br#"{"token":"t"}"#
        );
        assert_eq!(
            secret.entries.keys().collect::<Vec<_>>(),
            ["private.pem", "token"]
        );
    }

    #[test]
    fn string_data_block_scalars_are_read_as_yaml_means_them() {
        let cases: &[(&str, &[u8])] = &[
            (
                "  token: |\n    line one\n    line two\n\n",
                b"line one\nline two\n",
            ),
            (
                "  token: |-\n    line one\n    line two\n",
                b"line one\nline two",
            ),
            ("  token: |+\n    line one\n\n\n", b"line one\n\n\n"),
            (
                "  token: >\n    folded\n    text\n\n    para\n      kept\n",
                b"folded text\npara\n  kept\n",
            ),
            ("  token: >-\n    a\n    b\n", b"a b"),
            ("  token: |2\n     indented\n    not\n", b" indented\nnot\n"),
            ("  token: \"a\\nb\\x41\\u00e9\"\n", "a\nbA\u{e9}".as_bytes()),
            ("  token: 'it''s'   # a comment\n", b"it's"),
            ("  token: plain # comment\n", b"plain"),
            ("  token: \"\"\n", b""),
            (
                "  token: \"one\n    two\n\n    three\"\n",
                b"one two\nthree",
            ),
        ];
        for (body, want) in cases {
            let yaml = format!("kind: Secret\nstringData:\n{body}metadata:\n  name: s\n");
            let secret = decode(yaml.as_bytes()).unwrap_or_else(|e| panic!("{body:?}: {e}"));
            assert_eq!(
                secret.value(Some("token")).unwrap().expose().as_slice(),
                *want,
                "{body:?}"
            );
            assert_eq!(
                secret.name.as_deref(),
                Some("s"),
                "{body:?}: the block ended where it should"
            );
        }
    }

    #[test]
    fn several_documents_are_refused_with_a_count() {
        let two = "kind: Secret\ndata:\n  token: YQ==\n---\nkind: Secret\ndata:\n  token: Yg==\n";
        assert_eq!(
            yaml_err(two),
            SecretError::MultipleDocuments {
                documents: 2,
                secrets: 2
            }
        );
        assert!(yaml_err(two)
            .to_string()
            .contains("2 YAML documents (2 of them Secrets)"));
        let mixed = "---\nkind: Secret\ndata: {}\n---\nkind: ConfigMap\n---\n# only a comment\n";
        assert_eq!(
            yaml_err(mixed),
            SecretError::MultipleDocuments {
                documents: 2,
                secrets: 1
            }
        );
        // One document between markers is fine.
        assert!(decode(b"---\nkind: Secret\ndata:\n  a: YQ==\n...\n").is_ok());
    }

    #[test]
    fn lists_of_one_secret_are_read_and_longer_lists_refused() {
        let one = "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    token: YQ==\n  kind: Secret\n  metadata:\n    name: a\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";
        let secret = decode(one.as_bytes()).unwrap();
        assert_eq!(
            (
                secret.name.as_deref(),
                secret.value(None).unwrap().expose().as_slice()
            ),
            (Some("a"), b"a".as_slice())
        );
        let two = "items:\n- kind: Secret\n  data: {}\n- kind: Secret\nkind: List\n";
        assert_eq!(
            yaml_err(two),
            SecretError::MultipleSecrets {
                items: 2,
                secrets: 2
            }
        );
        let json = r#"{"kind":"List","items":[{"kind":"Secret","data":{}},{"kind":"ConfigMap"}]}"#;
        assert_eq!(
            decode(json.as_bytes()).unwrap_err(),
            SecretError::MultipleSecrets {
                items: 2,
                secrets: 1
            }
        );
    }

    #[test]
    fn yaml_outside_what_kubectl_prints_is_refused_with_its_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("kind: Secret\ndata: {token: YQ==}\n", 2, "flow style"),
            ("kind: Secret\ndata:\n\ttoken: YQ==\n", 3, "tab"),
            ("kind: Secret\ndata:\n  token: &a YQ==\n", 3, "anchor"),
            ("kind: Secret\ndata:\n  token: *a\n", 3, "alias"),
            ("kind: Secret\ndata:\n  token: !!binary YQ==\n", 3, "tag"),
            (
                "kind: Secret\ndata:\n  token: YQ==\n  token: Yg==\n",
                4,
                "duplicate key",
            ),
            (
                "kind: Secret\ndata:\n  token: YQ==\n   other: Yg==\n",
                4,
                "key: value",
            ),
            (
                "kind: Secret\ndata:\n  token: YQ==\n other: Yg==\n",
                4,
                "indentation",
            ),
            (
                "kind: Secret\ndata:\n  token: YQ==\n  - Yg==\n",
                4,
                "sequence item",
            ),
            ("%YAML 1.2\n---\nkind: Secret\n", 1, "directive"),
            ("kind: Secret\ndata:\n  token: \"YQ==\n", 3, "never closed"),
            (
                "kind: Secret\ndata:\n  token: a: b\n",
                3,
                "inside a plain value",
            ),
            ("kind: Secret\n? complex\n", 2, "complex key"),
            (
                "kind: Secret\ndata:\n  token: >s3cr3t\n",
                3,
                "block scalar header",
            ),
            ("kind: Secret\nstringData:\n  token: \"\\q\"\n", 3, "escape"),
            ("kind: Secret\njust text\n", 2, "not `key: value`"),
        ];
        for (yaml, line, what) in cases {
            let err = yaml_err(yaml);
            assert_eq!(unsupported_line(&err), *line, "{yaml:?}: {err}");
            assert!(
                err.to_string().contains(what) && err.to_string().starts_with("unsupported YAML: "),
                "{yaml:?}: {err}"
            );
        }
    }

    #[test]
    fn errors_never_quote_a_value() {
        for value in [
            ">s3cr3t",
            "\"s3cr3t",
            "s3cr3t: x",
            "&a s3cr3t",
            "!!binary s3cr3t",
            "{a: s3cr3t}",
            "'s3cr3t' trailing",
            "\"\\qs3cr3t\"",
            "|s3cr3t",
        ] {
            for section in ["data", "stringData"] {
                let err = yaml_err(&format!("kind: Secret\n{section}:\n  token: {value}\n"));
                assert!(
                    !err.to_string().contains("s3cr3t") && !format!("{err:?}").contains("s3cr3t"),
                    "{value}: {err}"
                );
            }
        }
    }

    #[test]
    fn wrong_value_types_and_deep_nesting_are_errors_not_panics() {
        assert!(
            matches!(yaml_err("kind: Secret\ndata:\n  token:\n"), SecretError::NotAString { ref found, .. } if found == "null")
        );
        assert!(
            matches!(yaml_err("kind: Secret\ndata:\n  token:\n    a: b\n"), SecretError::NotAString { ref found, .. } if found == "a mapping")
        );
        assert!(matches!(
            yaml_err("kind: Secret\ndata: text\n"),
            SecretError::NotAString { .. }
        ));
        assert!(
            matches!(decode(br#"{"kind":"Secret","stringData":{"a":1}}"#), Err(SecretError::NotAString { ref found, .. }) if found == "a number")
        );
        let deep: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(matches!(
            yaml_err(&deep),
            SecretError::UnsupportedYaml { .. }
        ));
        let deep_seq: String = (0..200)
            .map(|i| format!("{}- k{i}:\n", " ".repeat(2 * i)))
            .collect();
        assert!(matches!(
            yaml_err(&format!("x:\n{deep_seq}")),
            SecretError::UnsupportedYaml { .. }
        ));
        assert_eq!(
            yaml_err("- a\n- b\n"),
            SecretError::NotASecret {
                kind: "YAML sequence".into()
            }
        );
    }

    #[test]
    fn encodings_and_arrays_are_named() {
        let utf16le: Vec<u8> = "\u{feff}kind: Secret\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&utf16le).unwrap_err(),
            SecretError::Utf16 { big_endian: false }
        );
        let utf16be: Vec<u8> = "kind: Secret\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            decode(&utf16be).unwrap_err(),
            SecretError::Utf16 { big_endian: true }
        );
        assert!(decode(&utf16le)
            .unwrap_err()
            .to_string()
            .contains("PowerShell"));
        // A UTF-8 byte-order mark is skipped, for every format.
        assert_eq!(
            decode(b"\xef\xbb\xbfaGVsbG8=")
                .unwrap()
                .value(None)
                .unwrap()
                .expose(),
            b"hello"
        );
        assert!(decode(b"\xef\xbb\xbf{\"kind\":\"Secret\",\"data\":{\"a\":\"YQ==\"}}").is_ok());
        assert!(decode(b"\xef\xbb\xbfkind: Secret\ndata:\n  a: YQ==\n").is_ok());
        assert_eq!(
            decode(b"kind: Secret\n\xff\n").unwrap_err(),
            SecretError::NotUtf8 { offset: 13 }
        );
        assert_eq!(
            decode(br#"[{"kind":"Secret"},{"kind":"Secret"}]"#).unwrap_err(),
            SecretError::JsonArray { items: 2 }
        );
    }

    #[test]
    fn errors_serialise_with_their_kind() {
        let json = serde_json::to_value(SecretError::UnsupportedYaml {
            what: "flow style".into(),
            line: 2,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "unsupported-yaml", "what": "flow style", "line": 2})
        );
        let json = serde_json::to_value(SecretError::NotASecret {
            kind: "ConfigMap".into(),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "not-a-secret", "found": "ConfigMap"})
        );
    }

    #[test]
    fn decodes_bare_base64_across_lines_and_rejects_garbage() {
        let secret = decode(b"aGVs\nbG8=\n").unwrap();
        assert_eq!(secret.value(Some("ignored")).unwrap().expose(), b"hello");
        let err = decode(b"not base64!").unwrap_err();
        assert!(
            matches!(err, SecretError::InvalidBase64 { key: None, .. }),
            "{err:?}"
        );
        let err = decode(br#"{"kind":"Secret","data":{"token":"%%%"}}"#).unwrap_err();
        assert!(err.to_string().contains("`token`"), "{err}");
    }

    #[test]
    fn rejects_other_kinds() {
        let err = decode(br#"{"kind":"ConfigMap","data":{}}"#).unwrap_err();
        assert_eq!(
            err,
            SecretError::NotASecret {
                kind: "ConfigMap".into()
            }
        );
        assert_eq!(
            yaml_err("kind: ConfigMap\ndata:\n  a: b\n"),
            SecretError::NotASecret {
                kind: "ConfigMap".into()
            }
        );
    }

    #[test]
    fn an_empty_secret_has_no_value_and_no_panic() {
        let secret = decode(b"kind: Secret\nmetadata:\n  name: e\n").unwrap();
        assert_eq!(
            secret.value(None).unwrap_err(),
            SecretError::NoData {
                name: Some("e".into())
            }
        );
    }
}
