//! The core for JavaScript: the browser editor (`www/index.html`) and the docs widget
//! (`www/embed.js`) call these functions, through `www/core.js`.
//!
//! Two WebAssembly modules are built from them (scripts/build-wasm), so that a page loads
//! only what it uses:
//! - `browser`: profiles ([`config`]) and procedures ([`procedures`]), what the editor
//!   shows first and all the docs widget needs;
//! - `browser-secrets`: the Secret reader ([`secrets`]), which the editor loads in idle
//!   time once it is shown (a third of the two modules' bytes, which the first paint and the
//!   docs widget do without).
//!
//! Values cross as JSON text (serde_json is in the core already; a second serialiser
//! would cost bundle size): every function returns the JSON of its result, or throws
//! the JSON of a structured error `{kind, message, hint?, hints?, ...fields}` that
//! `core.js` turns into an exception object (`hint`: what to do next, in words for the
//! page; `hints`: the same as data, see [`crate::diagnostic::Hint`]).

#[cfg(feature = "browser")]
use std::fmt::Display;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::diagnostic::{Diagnostic, Hint};

#[cfg(feature = "browser")]
mod config;
#[cfg(feature = "browser")]
mod procedures;
#[cfg(feature = "browser-secrets")]
mod secrets;

#[cfg(feature = "browser")]
pub use config::*;
#[cfg(feature = "browser")]
pub use procedures::*;
#[cfg(feature = "browser-secrets")]
pub use secrets::*;

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
#[cfg(feature = "browser")]
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
