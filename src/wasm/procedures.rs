//! The admin-token procedures as the editor and the docs widget show them: the same
//! model and text as `influxctl-admin plan`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{error_value, fail, ok, JsResult};
use crate::procedure::{self, ClusterNames, Destination, Kind, Method, Procedure, Target};

/// The procedures the editor and the docs widget offer, with their headings.
#[wasm_bindgen]
pub fn procedures() -> JsResult {
    ok(&crate::procedure::OFFERED)
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
