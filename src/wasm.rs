//! The core for JavaScript: the browser editor (`www/index.html`) and the docs widget
//! (`www/embed.js`) call these functions, through `www/core.js`.
//!
//! Values cross as JSON text (serde_json is in the core already; a second serialiser
//! would cost bundle size): every function returns the JSON of its result, or throws
//! the JSON of a structured error `{kind, message, hint?, hints?, ...fields}` that
//! `core.js` turns into an exception object (`hint`: what to do next, in words for the
//! page; `hints`: the same as data, see [`crate::diagnostic::Hint`]). Token bytes cross only through [`secret_value`], which the page
//! calls when the user asks to download `token.json`.

use std::fmt::Display;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::config::{self, ConfigFile, LineEnding, NewProfile};
use crate::diagnostic::{Diagnostic, Hint};
use crate::procedure::{self, ClusterNames, Destination, Kind, Method, Procedure, Target};
use crate::secret::{self, DecodedSecret};
use crate::token;

type JsResult = Result<String, JsValue>;

// No panic hook: the bundle is built with `-Cpanic=immediate-abort` (scripts/build-wasm),
// so a panic is a bare WebAssembly trap, which `core.js` reports as a `panic` error. The
// core denies panicking constructs through clippy (src/lib.rs), so none is expected.

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn ok(value: &impl Serialize) -> JsResult {
    serde_json::to_string(value).map_err(|e| error_value("internal", &e.to_string()))
}

/// `err` as a structured error, `{"kind": …, "message": …, …fields}`: `kind` is the
/// error's own tag, or `kind` here for errors without one; `message` is what
/// `influxctl-admin` prints. (Spliced as text: serde's `flatten` would cost the bundle
/// several kilobytes.)
fn fail<E: Serialize + Display>(kind: Option<&str>, err: &E) -> JsValue {
    splice_error(
        kind,
        &err.to_string(),
        &[],
        &serde_json::to_string(err).unwrap_or_default(),
    )
}

/// A core [`Diagnostic`] as a structured error, its hints beside the message: `hint` in
/// words that fit the page (no command lines; absent without hints), `hints` as data
/// (`[{"kind": "remove-key", "key": …}, …]`) for the page's own actions.
fn fail_diagnostic<E: Serialize + Diagnostic>(err: &E) -> JsValue {
    splice_error(
        None,
        &err.to_string(),
        &err.hints(),
        &serde_json::to_string(err).unwrap_or_default(),
    )
}

/// The non-generic part of [`fail`], once in the bundle rather than once per error type.
#[inline(never)]
fn splice_error(kind: Option<&str>, message: &str, hints: &[Hint], fields: &str) -> JsValue {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut json = String::from("{");
    if let Some(kind) = kind {
        json.push_str("\"kind\":");
        json.push_str(&quote(kind));
        json.push(',');
    }
    json.push_str("\"message\":");
    json.push_str(&quote(message));
    if !hints.is_empty() {
        let text: Vec<String> = hints.iter().map(Hint::text).collect();
        json.push_str(",\"hint\":");
        json.push_str(&quote(&text.join("; ")));
        json.push_str(",\"hints\":");
        json.push_str(&serde_json::to_string(hints).unwrap_or_default());
    }
    match fields.strip_prefix('{').map(|rest| rest.trim_start()) {
        Some(rest) if rest != "}" => {
            json.push(',');
            json.push_str(rest);
        }
        _ => json.push('}'),
    }
    JsValue::from_str(&json)
}

/// An error of the bindings themselves (a malformed request), with no fields of its own.
#[derive(Serialize)]
struct PlainError<'a> {
    kind: &'a str,
    message: &'a str,
}

fn error_json(kind: &str, message: &str) -> String {
    serde_json::to_string(&PlainError { kind, message }).unwrap_or_default()
}

fn error_value(kind: &str, message: &str) -> JsValue {
    JsValue::from_str(&error_json(kind, message))
}

fn parse(text: &str) -> Result<ConfigFile, JsValue> {
    ConfigFile::parse(text).map_err(|e| fail(Some("parse"), &e))
}

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

/// The procedures the editor and the docs widget offer, with their headings.
#[wasm_bindgen]
pub fn procedures() -> JsResult {
    ok(&crate::procedure::OFFERED)
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

fn decode_secret(input: &[u8]) -> Result<DecodedSecret, JsValue> {
    secret::decode(input).map_err(|e| fail_diagnostic(&e))
}

/// The key a token is read from: the one asked for, else `token` when the Secret has it,
/// else its only key.
fn token_key(secret: &DecodedSecret, key: Option<String>) -> Option<String> {
    key.or_else(|| {
        secret
            .entries
            .contains_key("token")
            .then(|| "token".to_owned())
    })
}

/// What a pasted Secret holds, without its values: format, name, keys with their sizes,
/// and an inspection of the token (claims and expiry, never the token).
#[wasm_bindgen]
pub fn secret_decode(input: &[u8], key: Option<String>, now_unix: f64) -> JsResult {
    let secret = decode_secret(input)?;
    let key = token_key(&secret, key);
    let value = secret
        .value(key.as_deref())
        .map_err(|e| fail_diagnostic(&e))?;
    let keys = secret
        .entries
        .iter()
        .map(|(k, v)| KeySummary {
            key: k,
            summary: secret::summarize(v.expose()),
        })
        .collect();
    ok(&SecretView {
        format: secret.format,
        name: secret.name.as_deref(),
        namespace: secret.namespace.as_deref(),
        keys,
        key: key.as_deref(),
        token: token::inspect(value.expose(), now_unix as i64),
    })
}

#[derive(Serialize)]
struct SecretView<'a> {
    format: secret::SecretFormat,
    name: Option<&'a str>,
    namespace: Option<&'a str>,
    keys: Vec<KeySummary<'a>>,
    /// The key the token was read from.
    key: Option<&'a str>,
    token: token::TokenReport,
}

#[derive(Serialize)]
struct KeySummary<'a> {
    key: &'a str,
    summary: secret::ValueSummary,
}

/// The exact bytes of the token in a pasted Secret: what `token.json` must hold.
#[wasm_bindgen]
pub fn secret_value(input: &[u8], key: Option<String>) -> Result<Vec<u8>, JsValue> {
    let secret = decode_secret(input)?;
    let key = token_key(&secret, key);
    let value = secret
        .value(key.as_deref())
        .map_err(|e| fail_diagnostic(&e))?;
    Ok(value.expose().clone())
}

/// A procedure's steps (title, kubectl argv, stdin, what it waits for and verifies,
/// whether it is destructive, its shell lines), its numbered list and
/// its bash script: the same text as `influxctl-admin plan PROCEDURE [--method M]
/// [--recreate] -n NAMESPACE --token-file F --profile P [--key-gen-job-name J] [--shell]`,
/// (`create_token_job`, a docs page's `CREATE_ADMIN_TOKEN_JOB`, names the create-admin-token
/// job as `key_gen_job` names the key-gen job),
/// with the default cluster names and timeout.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn plan(
    procedure: &str,
    method: &str,
    recreate: bool,
    namespace: &str,
    context: Option<String>,
    kubeconfig: Option<String>,
    token_file: &str,
    profile: &str,
    key_gen_job: Option<String>,
    create_token_job: Option<String>,
) -> JsResult {
    let target = Target {
        namespace: namespace.to_owned(),
        context,
        kubeconfig,
    };
    let names = ClusterNames {
        key_gen_job,
        create_token_job,
        ..ClusterNames::default()
    };
    let dest = Destination {
        token_file: token_file.to_owned(),
        profile: profile.to_owned(),
    };
    let method = match method {
        "current" | "" => Method::Current,
        "original" => Method::Original,
        other => {
            return Err(error_value(
                "bad-request",
                &format!("unknown method {other:?}: use current or original"),
            ))
        }
    };
    let Some(kind) = Kind::from_name(procedure) else {
        return Err(error_value(
            "bad-request",
            &format!("unknown procedure {procedure:?}: use fetch, revoke or create"),
        ));
    };
    let p: Procedure = procedure::build(
        kind,
        &target,
        &names,
        method,
        recreate,
        &dest,
        DEFAULT_TIMEOUT_SECS,
    )
    .map_err(|e| fail(Some("invalid-name"), &e))?;
    ok(&PlanView {
        list: p.to_list(),
        shell: p.to_shell(),
        docs: p.docs(&names),
        procedure: &p,
    })
}

/// `token.json` in `directory` (absolute), or the core's error.
#[wasm_bindgen]
pub fn token_file_in(directory: &str) -> Result<String, JsValue> {
    procedure::token_file_in(directory).map_err(|e| fail(Some("invalid-directory"), &e))
}

#[derive(Serialize)]
struct PlanView<'a> {
    procedure: &'a Procedure,
    list: String,
    shell: String,
    /// The steps as a docs page reads them (plain kubectl commands; see `docs.rs`).
    docs: Vec<crate::docs::DocStep>,
}

/// The CLI's default `--timeout`.
const DEFAULT_TIMEOUT_SECS: u64 = 300;
