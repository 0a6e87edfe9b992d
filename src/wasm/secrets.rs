//! A pasted Secret: what it holds without its values, and the token's exact bytes, which
//! cross to JavaScript only here, when the reader asks to download `token.json`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{fail_diagnostic, ok, JsResult};
use crate::secret::{self, DecodedSecret};
use crate::token;

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
