//! What influxctl accepts in a `[[profile]]`, key by key, with the versions that added or
//! removed each key. influxctl rejects unknown keys (since v2.0.1), so this table is what
//! both the editor (never write anything else) and the linter (flag anything else) trust.

/// The TOML type influxctl decodes a key into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    String,
    Bool,
    /// An array of strings, such as `scopes`.
    StringArray,
    /// A table of string values, such as `parameters = { audience = "" }`.
    StringTable,
    /// A table of further keys, such as `tls` or `auth.oauth2`.
    Table,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Bool => "a boolean (true or false)",
            Kind::StringArray => "an array of strings",
            Kind::StringTable => "a table of strings",
            Kind::Table => "a table",
        }
    }
}

/// One key a profile may hold, by its dotted path inside the profile.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct KeySpec {
    pub path: &'static str,
    pub kind: Kind,
    /// The influxctl version that first accepted the key.
    pub since: Option<&'static str>,
    /// The influxctl version that stopped accepting it.
    pub removed: Option<&'static str>,
    pub help: &'static str,
    /// What a form calls the key (the editor's field label, its accessible name); `None`
    /// for tables, which have no field.
    pub label: Option<&'static str>,
}

const fn key(path: &'static str, kind: Kind, help: &'static str) -> KeySpec {
    KeySpec {
        path,
        kind,
        since: None,
        removed: None,
        help,
        label: None,
    }
}

const fn labelled(mut spec: KeySpec, label: &'static str) -> KeySpec {
    spec.label = Some(label);
    spec
}

const fn since(mut spec: KeySpec, version: &'static str) -> KeySpec {
    spec.since = Some(version);
    spec
}

const fn removed(mut spec: KeySpec, version: &'static str) -> KeySpec {
    spec.removed = Some(version);
    spec
}

/// Every key of a profile, in the order the influxctl documentation writes them
/// (new keys and new profiles follow this order).
pub const PROFILE_KEYS: &[KeySpec] = &[
    labelled(
        key(
            "name",
            Kind::String,
            "profile name, chosen with `influxctl --profile NAME`",
        ),
        "Name",
    ),
    labelled(
        key("product", Kind::String, "\"clustered\" or \"dedicated\""),
        "Product",
    ),
    labelled(
        key("host", Kind::String, "InfluxDB host name or IP address"),
        "Host",
    ),
    labelled(
        key(
            "port",
            Kind::String,
            "InfluxDB port, written as a string such as \"443\"",
        ),
        "Port",
    ),
    labelled(
        key(
            "database",
            Kind::String,
            "database used by `query` and `write`",
        ),
        "Database",
    ),
    labelled(
        key(
            "token",
            Kind::String,
            "database token used by `query` and `write`",
        ),
        "Database token",
    ),
    labelled(
        key("account_id", Kind::String, "Cloud Dedicated account ID"),
        "Account ID",
    ),
    labelled(
        key("cluster_id", Kind::String, "Cloud Dedicated cluster ID"),
        "Cluster ID",
    ),
    since(
        labelled(
            key("mgmt_token", Kind::String, "management token"),
            "Management token",
        ),
        "2.6.0",
    ),
    key("tls", Kind::Table, "client-side TLS settings"),
    since(
        labelled(
            key(
                "tls.insecure",
                Kind::Bool,
                "skip verification of the server certificate",
            ),
            "TLS: skip certificate verification",
        ),
        "2.8.0",
    ),
    labelled(
        key("tls.disable", Kind::Bool, "use HTTP instead of HTTPS"),
        "TLS: disable (plain HTTP)",
    ),
    labelled(
        key("tls.cert", Kind::String, "client certificate file"),
        "TLS client certificate",
    ),
    labelled(
        key("tls.key", Kind::String, "client key file"),
        "TLS client key",
    ),
    labelled(
        key("tls.ca", Kind::String, "certificate authority file"),
        "TLS certificate authority",
    ),
    key("auth", Kind::Table, "authorization settings"),
    key("auth.oauth2", Kind::Table, "OAuth2 identity provider"),
    labelled(
        key("auth.oauth2.client_id", Kind::String, "OAuth2 client ID"),
        "OAuth2 client ID",
    ),
    removed(
        labelled(
            key(
                "auth.oauth2.client_secret",
                Kind::String,
                "OAuth2 client secret",
            ),
            "OAuth2 client secret",
        ),
        "2.9.8",
    ),
    labelled(
        key("auth.oauth2.scopes", Kind::StringArray, "OAuth2 scopes"),
        "OAuth2 scopes",
    ),
    labelled(
        key(
            "auth.oauth2.parameters",
            Kind::StringTable,
            "extra OAuth2 parameters, e.g. audience",
        ),
        "OAuth2 parameters",
    ),
    labelled(
        key(
            "auth.oauth2.token_url",
            Kind::String,
            "OAuth2 token endpoint",
        ),
        "OAuth2 token URL",
    ),
    labelled(
        key(
            "auth.oauth2.device_url",
            Kind::String,
            "OAuth2 device authorization endpoint",
        ),
        "OAuth2 device URL",
    ),
    key(
        "auth.token",
        Kind::Table,
        "token file authorization (admin token)",
    ),
    since(
        labelled(
            key(
                "auth.token.token_file",
                Kind::String,
                "path of the admin token file (token.json)",
            ),
            "Token file",
        ),
        "2.2.0",
    ),
];

/// influxctl's products: what a profile's `product` says. Read from `"clustered"` or
/// `"dedicated"`; anything else is refused with the error `profile set` gives for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Product {
    #[default]
    Clustered,
    Dedicated,
}

impl Product {
    pub const fn name(self) -> &'static str {
        match self {
            Product::Clustered => "clustered",
            Product::Dedicated => "dedicated",
        }
    }
}

impl std::fmt::Display for Product {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Product {
    type Err = super::EditError;

    fn from_str(raw: &str) -> Result<Product, Self::Err> {
        [Product::Clustered, Product::Dedicated]
            .into_iter()
            .find(|p| p.name() == raw)
            .ok_or_else(|| super::EditError::InvalidValue {
                key: "product".into(),
                value: raw.to_owned(),
                expected: "\"clustered\" or \"dedicated\"".into(),
            })
    }
}

impl TryFrom<String> for Product {
    type Error = super::EditError;

    fn try_from(raw: String) -> Result<Product, Self::Error> {
        raw.parse()
    }
}

/// The products influxctl knows, by name.
pub const PRODUCTS: &[&str] = &[Product::Clustered.name(), Product::Dedicated.name()];

/// The spec of a dotted path, if influxctl knows it. Keys under `auth.oauth2.parameters`
/// are free-form strings.
pub fn lookup(path: &str) -> Option<KeySpec> {
    if let Some(param) = path.strip_prefix("auth.oauth2.parameters.") {
        if !param.is_empty() && !param.contains('.') {
            return Some(key(
                "auth.oauth2.parameters.*",
                Kind::String,
                "an OAuth2 parameter",
            ));
        }
    }
    PROFILE_KEYS.iter().copied().find(|spec| spec.path == path)
}

/// The keys that may sit directly under `parent` ("" for the profile itself).
pub fn children_of(parent: &str) -> Vec<&'static str> {
    PROFILE_KEYS
        .iter()
        .filter_map(|spec| match spec.path.rsplit_once('.') {
            Some((p, leaf)) if p == parent => Some(leaf),
            None if parent.is_empty() => Some(spec.path),
            _ => None,
        })
        .collect()
}

/// The leaf keys a user can `set`, for error messages and `--help`.
pub fn settable_paths() -> Vec<&'static str> {
    PROFILE_KEYS
        .iter()
        .filter(|spec| spec.kind != Kind::Table && spec.path != "name" && spec.removed.is_none())
        .map(|spec| spec.path)
        .collect()
}

/// The known key closest to `path` by edit distance, for "did you mean" hints.
pub fn closest_key(path: &str) -> Option<&'static str> {
    closest(path, PROFILE_KEYS.iter().map(|spec| spec.path))
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, one row at a time.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        // `diagonal` is the previous row's value left of the cell, `left` this row's.
        let mut diagonal = i;
        let mut left = i + 1;
        for (cell, cb) in row.iter_mut().skip(1).zip(&b) {
            let up = *cell;
            left = (diagonal + usize::from(ca != *cb))
                .min(left + 1)
                .min(up + 1);
            diagonal = up;
            *cell = left;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_knows_nested_and_parameter_keys() {
        assert_eq!(lookup("tls.insecure").unwrap().kind, Kind::Bool);
        assert_eq!(
            lookup("auth.oauth2.parameters.audience").unwrap().kind,
            Kind::String
        );
        assert!(lookup("tls.bogus").is_none());
        assert_eq!(
            lookup("auth.oauth2.client_secret").unwrap().removed,
            Some("2.9.8")
        );
    }

    #[test]
    fn products_read_from_their_names_only() {
        use crate::config::NewProfile;
        let new: NewProfile =
            serde_json::from_str(r#"{"name": "a", "product": "dedicated"}"#).unwrap();
        assert_eq!(new.product, Product::Dedicated);
        let err = serde_json::from_str::<NewProfile>(r#"{"name": "a", "product": "Cloud"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                r#"invalid value "Cloud" for `product`: expected "clustered" or "dedicated""#
            ),
            "{err}"
        );
        assert_eq!(
            serde_json::to_value(Product::Clustered).unwrap(),
            "clustered"
        );
        assert_eq!(PRODUCTS, ["clustered", "dedicated"]);
    }

    #[test]
    fn children_follow_the_schema() {
        assert_eq!(children_of("auth"), vec!["oauth2", "token"]);
        assert!(children_of("").contains(&"mgmt_token"));
    }

    #[test]
    fn closest_key_suggests_typos() {
        assert_eq!(closest_key("hots"), Some("host"));
        assert_eq!(
            closest_key("auth.token.tokenfile"),
            Some("auth.token.token_file")
        );
        assert_eq!(closest_key("completely-different"), None);
    }
}
