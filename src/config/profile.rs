//! A typed, read-only view of one `[[profile]]`.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use crate::redact::Redacted;

/// One profile as influxctl would read it. Values of the wrong type read as absent;
/// [`crate::config::lint`] reports them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Profile {
    /// Position among the file's profiles, from 0.
    pub index: usize,
    pub name: Option<String>,
    pub product: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
    pub database: Option<String>,
    pub token: Option<Redacted<String>>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
    pub mgmt_token: Option<Redacted<String>>,
    pub tls: Tls,
    pub oauth2: Option<OAuth2>,
    pub token_file: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Tls {
    pub insecure: Option<bool>,
    pub disable: Option<bool>,
    pub cert: Option<String>,
    pub key: Option<String>,
    pub ca: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct OAuth2 {
    pub client_id: Option<String>,
    pub scopes: Vec<String>,
    pub parameters: Vec<(String, String)>,
    pub token_url: Option<String>,
    pub device_url: Option<String>,
}

/// How influxctl will authenticate with a profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum AuthMethod {
    /// `[profile.auth.token] token_file`: the admin token. influxctl prefers it over OAuth2
    /// when both are present (`also_oauth2`).
    TokenFile { path: String, also_oauth2: bool },
    // kebab-case would spell it `o-auth2`; JSON says what `label()` and the file say.
    #[serde(rename = "oauth2")]
    OAuth2 { client_id: Option<String> },
    /// Neither: influxctl cannot run management commands with this profile.
    None,
}

impl AuthMethod {
    pub fn label(&self) -> &'static str {
        match self {
            AuthMethod::TokenFile { .. } => "token-file",
            AuthMethod::OAuth2 { .. } => "oauth2",
            AuthMethod::None => "none",
        }
    }
}

impl Profile {
    pub(super) fn read(index: usize, table: &dyn TableLike) -> Profile {
        let tls = sub(table, "tls");
        let auth = sub(table, "auth");
        let oauth2 = auth.and_then(|a| sub(a, "oauth2"));
        let token = auth.and_then(|a| sub(a, "token"));
        Profile {
            index,
            name: string(table, "name"),
            product: string(table, "product"),
            host: string(table, "host"),
            port: string(table, "port"),
            database: string(table, "database"),
            token: string(table, "token").map(Redacted::new),
            account_id: string(table, "account_id"),
            cluster_id: string(table, "cluster_id"),
            mgmt_token: string(table, "mgmt_token").map(Redacted::new),
            tls: tls
                .map(|t| Tls {
                    insecure: boolean(t, "insecure"),
                    disable: boolean(t, "disable"),
                    cert: string(t, "cert"),
                    key: string(t, "key"),
                    ca: string(t, "ca"),
                })
                .unwrap_or_default(),
            oauth2: oauth2.map(|o| OAuth2 {
                client_id: string(o, "client_id"),
                scopes: o
                    .get("scopes")
                    .and_then(Item::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                parameters: sub(o, "parameters")
                    .map(|p| {
                        p.iter()
                            .filter_map(|(k, v)| Some((k.to_owned(), v.as_str()?.to_owned())))
                            .collect()
                    })
                    .unwrap_or_default(),
                token_url: string(o, "token_url"),
                device_url: string(o, "device_url"),
            }),
            token_file: token.and_then(|t| string(t, "token_file")),
        }
    }

    /// The name, or a stand-in that says where the nameless profile is.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("<unnamed profile #{}>", self.index + 1))
    }

    pub fn auth(&self) -> AuthMethod {
        match (&self.token_file, &self.oauth2) {
            (Some(path), oauth2) => AuthMethod::TokenFile {
                path: path.clone(),
                also_oauth2: oauth2.is_some(),
            },
            (None, Some(o)) => AuthMethod::OAuth2 {
                client_id: o.client_id.clone(),
            },
            (None, None) => AuthMethod::None,
        }
    }

    /// `host:port` as influxctl will dial it (port 443 when absent).
    pub fn address(&self) -> Option<String> {
        let host = self.host.as_deref()?;
        Some(format!("{host}:{}", self.port.as_deref().unwrap_or("443")))
    }
}

fn sub<'a>(table: &'a dyn TableLike, key: &str) -> Option<&'a dyn TableLike> {
    table.get(key).and_then(Item::as_table_like)
}

fn string(table: &dyn TableLike, key: &str) -> Option<String> {
    table.get(key).and_then(Item::as_str).map(str::to_owned)
}

fn boolean(table: &dyn TableLike, key: &str) -> Option<bool> {
    table.get(key).and_then(Item::as_bool)
}

/// The profile tables of a document's `profile` item: `[[profile]]` elements, or the
/// inline tables of `profile = [{ … }]`. Anything else holds no profiles.
pub(super) fn elements(item: Option<&Item>) -> Vec<&dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(array)) => array.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(Value::Array(array))) => array
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => Vec::new(),
    }
}

/// For each profile, the byte range of its text in `source`: from the start of its
/// header's line to the end of the last line holding one of its keys, values or headers.
/// Where one profile sits in the file's text.
pub(super) struct SourceSpan {
    /// Its whole lines, when the parser knows where it is.
    pub text: Option<Range<usize>>,
    /// Its secret values (`token`, `mgmt_token`, OAuth2 secrets), in file order.
    pub secrets: Vec<Range<usize>>,
}

/// Per profile, where its text and its secret values are.
pub(super) fn source_ranges(source: &str) -> Vec<SourceSpan> {
    let Ok(doc) = toml_edit::Document::parse(source.to_owned()) else {
        return Vec::new();
    };
    let secrets = super::secrets::spans_in;
    let mut ranges = Vec::new();
    match doc.get("profile") {
        Some(Item::ArrayOfTables(array)) => {
            for table in array.iter() {
                let mut span = table.span();
                extend_over(table, &mut span);
                ranges.push(SourceSpan {
                    text: span.map(|s| whole_lines(source, s)),
                    secrets: secrets(table),
                });
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            for value in array.iter() {
                let secret_spans = value
                    .as_inline_table()
                    .map(|t| secrets(t))
                    .unwrap_or_default();
                ranges.push(SourceSpan {
                    text: value.span().map(|s| s.start..s.end),
                    secrets: secret_spans,
                });
            }
        }
        _ => {}
    }
    ranges
}

/// The profile keys influxctl documents as credentials; `profile show`, diffs and errors
/// hide these and every other key that [`super::secrets::is_secret_key`] accepts.
pub const SECRET_KEYS: &[&str] = &["token", "mgmt_token"];

fn extend_over(table: &dyn TableLike, span: &mut Option<Range<usize>>) {
    let mut grow = |s: Option<Range<usize>>| {
        if let Some(s) = s {
            *span = Some(match span.take() {
                Some(cur) => cur.start.min(s.start)..cur.end.max(s.end),
                None => s,
            });
        }
    };
    for (key, item) in table.iter() {
        grow(table.key(key).and_then(|k| k.span()));
        match item {
            Item::Table(t) => {
                grow(t.span());
                let mut inner = None;
                extend_over(t, &mut inner);
                grow(inner);
            }
            other => grow(other.span()),
        }
    }
}

fn whole_lines(source: &str, span: Range<usize>) -> Range<usize> {
    let start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = source[span.end..]
        .find('\n')
        .map_or(source.len(), |i| span.end + i);
    start..end
}
