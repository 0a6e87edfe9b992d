//! Profiles: influxctl's schema, what the editor shows about a config.toml, and each edit,
//! byte for byte what `influxctl-admin profile …` writes.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{fail, fail_diagnostic, ok, JsResult};
use crate::config::{self, ConfigFile, LineEnding, NewProfile};

/// influxctl's profile schema: every key with its type, versions and help, and the products.
#[wasm_bindgen]
pub fn schema() -> JsResult {
    #[derive(Serialize)]
    struct Schema {
        keys: &'static [config::schema::KeySpec],
        products: &'static [&'static str],
        secret_keys: &'static [&'static str],
    }
    ok(&Schema {
        keys: config::schema::PROFILE_KEYS,
        products: config::schema::PRODUCTS,
        secret_keys: config::SECRET_KEYS,
    })
}

fn parse(text: &str) -> Result<ConfigFile, JsValue> {
    ConfigFile::parse(text).map_err(|e| fail(Some("parse"), &e))
}

#[derive(Serialize)]
struct ConfigView<'a> {
    profiles: Vec<ProfileView>,
    findings: &'a [config::Finding],
    line_ending: &'static str,
}

#[derive(Serialize)]
struct ProfileView {
    display_name: String,
    address: Option<String>,
    auth: config::AuthMethod,
    /// The profile's keys, `token` and `mgmt_token` hidden.
    keys: config::Profile,
}

/// Everything the editor shows about `text`: its profiles (secrets hidden), the lint
/// findings with their spans, and its line endings.
#[wasm_bindgen]
pub fn config_view(text: &str) -> JsResult {
    let (config, findings) = ConfigFile::parse_linted(text).map_err(|e| fail(Some("parse"), &e))?;
    let profiles = config
        .profiles()
        .into_iter()
        .map(|p| ProfileView {
            display_name: p.display_name(),
            address: p.address(),
            auth: p.auth(),
            keys: p,
        })
        .collect();
    let line_ending = match config.line_ending() {
        LineEnding::Lf => "lf",
        LineEnding::CrLf => "crlf",
    };
    ok(&ConfigView {
        profiles,
        findings: &findings,
        line_ending,
    })
}

// Edits, one function each (a tagged request would cost the bundle a generic
// deserialiser): each takes the file's text and returns the edited text, byte for byte
// what `influxctl-admin profile …` writes for the same edit.

/// (`dyn`: one copy in the bundle for every edit, not one per closure.)
fn edited(
    text: &str,
    change: &dyn Fn(&mut ConfigFile) -> Result<(), config::EditError>,
) -> Result<String, JsValue> {
    let mut config = parse(text)?;
    change(&mut config).map_err(|e| fail_diagnostic(&e))?;
    Ok(config.render())
}

/// `profile set PROFILE KEY VALUE`
#[wasm_bindgen]
pub fn config_set(text: &str, profile: &str, key: &str, value: &str) -> Result<String, JsValue> {
    edited(text, &|c| c.set(profile, key, value))
}

/// `profile unset PROFILE KEY`
#[wasm_bindgen]
pub fn config_unset(text: &str, profile: &str, key: &str) -> Result<String, JsValue> {
    edited(text, &|c| c.unset(profile, key))
}

/// `profile rename PROFILE TO`
#[wasm_bindgen]
pub fn config_rename(text: &str, profile: &str, to: &str) -> Result<String, JsValue> {
    edited(text, &|c| c.rename(profile, to))
}

/// `profile remove PROFILE`
#[wasm_bindgen]
pub fn config_remove(text: &str, profile: &str) -> Result<String, JsValue> {
    edited(text, &|c| c.remove(profile))
}

/// `profile use-token PROFILE --token-file PATH`
#[wasm_bindgen]
pub fn config_use_token(text: &str, profile: &str, token_file: &str) -> Result<String, JsValue> {
    edited(text, &|c| c.use_token_file(profile, token_file))
}

/// A copy of PROFILE named TO, appended (the editor's "Duplicate profile").
#[wasm_bindgen]
pub fn config_duplicate(text: &str, profile: &str, to: &str) -> Result<String, JsValue> {
    edited(text, &|c| c.duplicate(profile, to))
}

/// `profile add NAME --product P [--host H] [--port P] [--account-id A] [--cluster-id C]`
#[wasm_bindgen]
pub fn config_add(
    text: &str,
    name: &str,
    product: &str,
    host: Option<String>,
    port: Option<String>,
    account_id: Option<String>,
    cluster_id: Option<String>,
) -> Result<String, JsValue> {
    let product = product.parse().map_err(|e| fail_diagnostic(&e))?;
    let new = NewProfile {
        name: name.to_owned(),
        product,
        host,
        port,
        account_id,
        cluster_id,
        token_file: None,
    };
    edited(text, &|c| c.add_profile(&new))
}

/// The `[[profile]]` that `profile add NAME --product clustered --host H [--port P]`
/// followed by `profile use-token NAME --token-file F` writes to an empty file.
#[wasm_bindgen]
pub fn profile_snippet(
    name: &str,
    host: &str,
    port: Option<String>,
    token_file: &str,
) -> Result<String, JsValue> {
    let new = NewProfile {
        name: name.to_owned(),
        product: config::Product::Clustered,
        host: Some(host.to_owned()),
        port,
        ..NewProfile::default()
    };
    edited("", &|c| {
        c.add_profile(&new)?;
        c.use_token_file(name, token_file)
    })
}
