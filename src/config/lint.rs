//! What influxctl will reject or misread in a `config.toml`, found before influxctl does.

use std::collections::BTreeMap;
use std::fmt;

use toml_edit::{Item, TableLike, Value};

use super::schema::{self, Kind};
use super::text::{LineIndex, Span};
use super::{ConfigFile, ParseError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// influxctl will refuse the file or the profile.
    Error,
    /// influxctl will accept it but probably not do what was meant.
    Warning,
    /// Worth knowing, e.g. the influxctl version a key needs.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One problem, with a stable `code` that scripts and docs can refer to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// 1-based line in the file, where the problem has one.
    pub line: Option<usize>,
    /// The exact text concerned (a key, a value or a `[[profile]]` header), so an editor
    /// can mark it.
    pub span: Option<Span>,
    pub profile: Option<String>,
    pub key: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}[{}] line {}: {}",
                self.severity, self.code, line, self.message
            ),
            None => write!(f, "{}[{}]: {}", self.severity, self.code, self.message),
        }
    }
}

/// Lints `text`, most severe findings first, then by line. One parse (the same, with the
/// same errors, as every command's) and one pass over the document: linear in the size of
/// the file.
pub fn lint(text: &str) -> Result<Vec<Finding>, ParseError> {
    ConfigFile::parse_linted(text).map(|(_, findings)| findings)
}

/// The findings of a document parsed from `source` (the file's `\n` form, without a BOM).
pub(super) fn lint_document(source: &str, doc: &toml_edit::Document<&str>) -> Vec<Finding> {
    let mut linter = Linter {
        index: LineIndex::new(source),
        findings: Vec::new(),
    };
    linter.document(doc.as_table());
    let mut findings = linter.findings;
    findings.sort_by_key(|f| (f.severity, f.line));
    findings
}

struct Linter<'a> {
    index: LineIndex<'a>,
    findings: Vec<Finding>,
}

struct At<'a> {
    span: Option<Span>,
    profile: Option<&'a str>,
    key: Option<String>,
}

impl Linter<'_> {
    fn push(&mut self, code: &'static str, severity: Severity, at: At<'_>, message: String) {
        self.findings.push(Finding {
            code,
            severity,
            message,
            line: at.span.map(|s| s.line),
            span: at.span,
            profile: at.profile.map(str::to_owned),
            key: at.key,
        });
    }

    fn line(&self, span: Option<std::ops::Range<usize>>) -> Option<Span> {
        span.map(|s| self.index.span(s))
    }

    fn document(&mut self, root: &toml_edit::Table) {
        for (key, item) in root.iter() {
            if key != "profile" {
                let line = self.line(root.key(key).and_then(|k| k.span()).or_else(|| item.span()));
                self.push("unknown-key", Severity::Error, At { span: line, profile: None, key: Some(key.to_owned()) },
                    format!("unknown top-level key `{key}`: influxctl accepts only `[[profile]]` entries here and rejects the file"));
            }
        }
        let elements: Vec<(&dyn TableLike, Option<Span>)> = match root.get("profile") {
            None => Vec::new(),
            Some(Item::ArrayOfTables(array)) => array
                .iter()
                .map(|t| (t as &dyn TableLike, self.line(t.span())))
                .collect(),
            Some(Item::Value(Value::Array(array))) if array.iter().all(Value::is_inline_table) => {
                array
                    .iter()
                    .filter_map(|v| {
                        Some((v.as_inline_table()? as &dyn TableLike, self.line(v.span())))
                    })
                    .collect()
            }
            Some(other) => {
                let line = self.line(
                    root.key("profile")
                        .and_then(|k| k.span())
                        .or_else(|| other.span()),
                );
                self.push(
                    "wrong-type",
                    Severity::Error,
                    At {
                        span: line,
                        profile: None,
                        key: Some("profile".into()),
                    },
                    "`profile` must be an array of tables (`[[profile]]`)".into(),
                );
                return;
            }
        };
        if elements.is_empty() {
            self.push("no-profiles", Severity::Warning, At { span: None, profile: None, key: None },
                "the file has no `[[profile]]`; add one with `influxctl-admin profile add default --product clustered --host HOST`".into());
            return;
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (index, (table, line)) in elements.iter().enumerate() {
            let name = table.get("name").and_then(Item::as_str);
            let label = name.map_or_else(|| format!("#{}", index + 1), str::to_owned);
            self.profile(*table, *line, &label);
            match name {
                None => self.push(
                    "missing-name",
                    Severity::Error,
                    At {
                        span: *line,
                        profile: None,
                        key: Some("name".into()),
                    },
                    format!(
                        "profile #{} has no `name`; influxctl cannot select it",
                        index + 1
                    ),
                ),
                Some(name) => {
                    if let Some(first) = seen.insert(name.to_owned(), index) {
                        self.push("duplicate-name", Severity::Error, At { span: *line, profile: Some(name), key: Some("name".into()) },
                            format!("profile name `{name}` is used by profiles #{} and #{}; influxctl can reach only one of them", first + 1, index + 1));
                    }
                }
            }
        }
        if !seen.contains_key("default") {
            self.push("no-default", Severity::Warning, At { span: None, profile: None, key: None },
                "no profile is named `default`, which influxctl uses unless given --profile or INFLUXCTL_PROFILE".into());
        }
    }

    fn profile(&mut self, table: &dyn TableLike, line: Option<Span>, name: &str) {
        self.keys(table, "", name);
        let string = |key: &str| table.get(key).and_then(Item::as_str);
        let at = |key: &str| At {
            span: line,
            profile: Some(name),
            key: Some(key.to_owned()),
        };
        match string("product") {
            None if table.get("product").is_none() => self.push(
                "missing-product",
                Severity::Error,
                at("product"),
                format!("profile `{name}` has no `product`; set \"clustered\" or \"dedicated\""),
            ),
            Some(product) if !schema::PRODUCTS.contains(&product) => {
                let line = self
                    .line(table.get("product").and_then(Item::span))
                    .or(line);
                self.push("invalid-product", Severity::Error, At { span: line, ..at("product") },
                    format!("profile `{name}` has product \"{product}\"; influxctl knows only \"clustered\" and \"dedicated\""));
            }
            Some("dedicated") => {
                for key in ["account_id", "cluster_id"] {
                    if table.get(key).is_none() {
                        self.push("missing-key", Severity::Error, at(key),
                            format!("dedicated profile `{name}` has no `{key}`, which Cloud Dedicated needs"));
                    }
                }
            }
            Some("clustered") if table.get("host").is_none() => self.push(
                "missing-key",
                Severity::Error,
                at("host"),
                format!("clustered profile `{name}` has no `host`, which InfluxDB Clustered needs"),
            ),
            _ => {}
        }
        let auth = table.get("auth").and_then(Item::as_table_like);
        let has = |k: &str| auth.is_some_and(|a| a.get(k).is_some());
        if has("oauth2") && has("token") {
            self.push("auth-both", Severity::Warning, at("auth"),
                format!("profile `{name}` has both [profile.auth.oauth2] and [profile.auth.token]; influxctl uses the token file and ignores OAuth2"));
        }
        if let Some(host) = string("host") {
            if let Some(problem) = host_problem(host) {
                let line = self.line(table.get("host").and_then(Item::span)).or(line);
                self.push("invalid-host", Severity::Error, At { span: line, ..at("host") },
                    format!("profile `{name}` has host \"{host}\", which {problem}: influxctl takes a host name (e.g. cluster.example.com), with the port in `port`"));
            }
        }
        if let Some(port) = string("port") {
            if !is_placeholder(port) && !port.parse::<u16>().is_ok_and(|p| p > 0) {
                let line = self.line(table.get("port").and_then(Item::span)).or(line);
                self.push("invalid-port", Severity::Warning, At { span: line, ..at("port") },
                    format!("profile `{name}` has port \"{port}\", which is not a port number (1-65535)"));
            }
        }
    }

    /// Checks every key below `table` against the schema: known, not removed, right type.
    fn keys(&mut self, table: &dyn TableLike, parent: &str, profile: &str) {
        for (key, item) in table.iter() {
            let path = if parent.is_empty() {
                key.to_owned()
            } else {
                format!("{parent}.{key}")
            };
            let line = self.line(
                table
                    .key(key)
                    .and_then(|k| k.span())
                    .or_else(|| item.span()),
            );
            let at = || At {
                span: line,
                profile: Some(profile),
                key: Some(path.clone()),
            };
            let Some(spec) = schema::lookup(&path) else {
                let valid = schema::children_of(parent);
                let hint = schema::closest(key, valid.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                self.push("unknown-key", Severity::Error, at(),
                    format!("unknown key `{path}` in profile `{profile}`{hint}: influxctl rejects unknown keys; valid here: {}", valid.join(", ")));
                continue;
            };
            if let Some(version) = spec.removed {
                self.push("removed-key", Severity::Error, at(),
                    format!("`{path}` in profile `{profile}` was removed in influxctl v{version}, which rejects the file; remove it"));
            } else if let Some(version) = spec.since {
                self.push(
                    "requires-version",
                    Severity::Info,
                    at(),
                    format!("`{path}` in profile `{profile}` needs influxctl v{version} or newer"),
                );
            }
            if !has_kind(item, spec.kind) {
                self.push(
                    "wrong-type",
                    Severity::Error,
                    at(),
                    format!(
                        "`{path}` in profile `{profile}` must be {}, not {}",
                        spec.kind.describe(),
                        kind_of(item)
                    ),
                );
                continue;
            }
            if let Some(value) = item.as_str() {
                // A secret's value is never printed, and only a value that is a placeholder
                // as a whole counts: real tokens hold runs of capitals and `_` by chance.
                if is_secret_key(key) {
                    if is_whole_placeholder(value) {
                        self.push("placeholder", Severity::Warning, at(),
                            format!("`{path}` in profile `{profile}` looks like a placeholder from the documentation (value not shown: it is a secret)"));
                    }
                } else if is_placeholder(value) {
                    self.push("placeholder", Severity::Warning, at(),
                        format!("`{path}` in profile `{profile}` is \"{value}\", which looks like a placeholder from the documentation"));
                }
            }
            if spec.kind == Kind::Table {
                if let Some(child) = item.as_table_like() {
                    self.keys(child, &path, profile);
                }
            }
        }
    }
}

/// Why `host` is not a host name influxctl can use, if it is not: empty, with spaces, or
/// with a scheme, a port or a path (an IPv6 address, bracketed or not, is a host).
pub fn host_problem(host: &str) -> Option<&'static str> {
    if is_placeholder(host) {
        return None;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.trim().is_empty() {
        Some("is empty")
    } else if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("holds spaces")
    } else if host.contains("://") {
        Some("carries a scheme")
    } else if host.contains(['/', '?', '#']) {
        Some("carries a path")
    } else if bare.matches(':').count() == 1 || (host.starts_with('[') && bare == host) {
        // `h:8443`, or `[::1]:8443` (brackets that do not close the value).
        Some("carries a port")
    } else {
        None
    }
}

fn has_kind(item: &Item, kind: Kind) -> bool {
    match kind {
        Kind::String => item.is_str(),
        Kind::Bool => item.is_bool(),
        Kind::StringArray => item.as_array().is_some_and(|a| a.iter().all(Value::is_str)),
        Kind::StringTable => item
            .as_table_like()
            .is_some_and(|t| t.iter().all(|(_, v)| v.is_str())),
        Kind::Table => item.is_table_like(),
    }
}

fn kind_of(item: &Item) -> &'static str {
    match item {
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Integer(_)) => "an integer",
        Item::Value(Value::Float(_)) => "a float",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date-time",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
        Item::None => "nothing",
    }
}

/// Keys whose values are credentials: never shown in a finding.
fn is_secret_key(key: &str) -> bool {
    super::SECRET_KEYS.contains(&key) || key == "client_secret"
}

/// A value that is nothing but a placeholder: `{{< … >}}`, or one capitalised word such as
/// `DATABASE_TOKEN`.
fn is_whole_placeholder(value: &str) -> bool {
    let value = value.trim();
    (value.starts_with("{{") && value.ends_with("}}"))
        || (value.chars().filter(char::is_ascii_uppercase).count() >= 4
            && value
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

/// Values the documentation prints for the reader to replace: Hugo shortcodes such as
/// `{{< influxdb/host >}}` and capitalised names such as `INFLUXDB_PORT` or `/DIRECTORY_PATH/`.
pub fn is_placeholder(value: &str) -> bool {
    if value.contains("{{") {
        return true;
    }
    value
        .split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .any(|word| {
            let letters = word.chars().filter(char::is_ascii_uppercase).count();
            letters >= 4 && (word.contains('_') || word == value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        lint(text).unwrap().into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn flags_unknown_removed_and_mistyped_keys() {
        let text = "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h\"\nport = 443\nfoo = 1\n[profile.auth.oauth2]\nclient_secret = \"x\"\n";
        let findings = lint(text).unwrap();
        let by_code = |c: &str| {
            findings
                .iter()
                .find(|f| f.code == c)
                .unwrap_or_else(|| panic!("{c} in {findings:?}"))
        };
        assert_eq!(by_code("wrong-type").line, Some(5));
        assert_eq!(by_code("unknown-key").line, Some(6));
        assert_eq!(by_code("removed-key").line, Some(8));
    }

    #[test]
    fn flags_profile_level_problems() {
        let text = "[[profile]]\nname = \"a\"\nproduct = \"dedicated\"\n[[profile]]\nname = \"a\"\nproduct = \"clustered\"\n";
        let found = codes(text);
        for code in ["duplicate-name", "missing-key", "no-default"] {
            assert!(found.contains(&code), "{code} missing from {found:?}");
        }
    }

    #[test]
    fn a_clean_file_has_no_findings() {
        let text = "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"influx.example.com\"\nport = \"443\"\n";
        assert_eq!(codes(text), Vec::<&str>::new());
    }

    #[test]
    fn a_host_is_a_host_name() {
        for ok in [
            "h.example.com",
            "localhost",
            "10.0.0.1",
            "::1",
            "[::1]",
            "fe80::1",
            "{{< influxdb/host >}}",
        ] {
            assert_eq!(host_problem(ok), None, "{ok}");
        }
        for (bad, problem) in [
            ("", "is empty"),
            ("  ", "is empty"),
            ("h example", "holds spaces"),
            ("https://h:8443/path", "carries a scheme"),
            ("h/path", "carries a path"),
            ("h:8443", "carries a port"),
            ("[::1]:8443", "carries a port"),
        ] {
            assert_eq!(host_problem(bad), Some(problem), "{bad:?}");
        }
        let text = "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"https://h:8443/path\"\n";
        assert_eq!(codes(text), ["invalid-host"]);
    }

    #[test]
    fn placeholders_are_recognised() {
        assert!(is_placeholder("{{< influxdb/host >}}"));
        assert!(is_placeholder("INFLUXDB_PORT"));
        assert!(is_placeholder("PORT"));
        assert!(is_placeholder("/DIRECTORY_PATH/token.json"));
        assert!(!is_placeholder("influx.example.com"));
        assert!(!is_placeholder("8086"));
        assert!(!is_placeholder("https://AUTH0.example"));
    }
}
