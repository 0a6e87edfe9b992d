//! The JavaScript bindings (`src/wasm/`, both modules' exports) in headless Chromium, through
//! `wasm-bindgen-test`: values cross as JSON, errors as structured objects.
//! Run: `scripts/test-wasm` (sets the runner and chromedriver).
#![cfg(target_arch = "wasm32")]

use influxctl_admin::wasm;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = "## my profiles\r\n[[profile]]\r\n  name = \"default\" # main\r\n  product = \"clustered\"\r\n  host = \"h.example.com\"\r\n";

fn json(text: Result<String, JsValue>) -> Value {
    serde_json::from_str(&text.expect("the call succeeds")).expect("the bindings answer in JSON")
}

/// The structured error a binding threw.
fn error(result: Result<String, JsValue>) -> Value {
    let thrown = result.expect_err("the call fails");
    serde_json::from_str(&thrown.as_string().expect("errors cross as JSON text"))
        .expect("a JSON error")
}

#[wasm_bindgen_test]
fn the_view_lists_profiles_and_findings_with_spans() {
    let view = json(wasm::config_view(CONFIG));
    assert_eq!(view["line_ending"], "crlf");
    assert_eq!(view["profiles"][0]["keys"]["name"], "default");
    assert_eq!(view["profiles"][0]["address"], "h.example.com:443");
    assert_eq!(view["profiles"][0]["auth"]["method"], "none");
    let text =
        "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h\"\nhots = \"x\"\n";
    let view = json(wasm::config_view(text));
    let finding = view["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unknown-key")
        .unwrap();
    assert_eq!(
        finding["span"],
        serde_json::json!({"line": 5, "column": 1, "end_line": 5, "end_column": 5})
    );
}

#[wasm_bindgen_test]
fn edits_keep_comments_and_line_endings() {
    let edited = wasm::config_set(CONFIG, "default", "port", "8443").unwrap();
    assert_eq!(
        edited,
        CONFIG.replace(
            "host = \"h.example.com\"\r\n",
            "host = \"h.example.com\"\r\n  port = \"8443\"\r\n"
        )
    );
    let edited = wasm::config_use_token(&edited, "default", "/t/token.json").unwrap();
    assert!(edited.contains("[profile.auth.token]\r\n"), "{edited}");
    let copy = wasm::config_duplicate(&edited, "default", "copy").unwrap();
    let view = json(wasm::config_view(&copy));
    assert_eq!(view["profiles"][1]["keys"]["name"], "copy");
    assert_eq!(view["profiles"][1]["keys"]["token_file"], "/t/token.json");
}

#[wasm_bindgen_test]
fn errors_cross_as_structured_objects() {
    let err = error(wasm::config_view("[[profile]]\nname = \n"));
    assert_eq!(err["kind"], "parse");
    assert_eq!(
        (err["line"].as_u64(), err["column"].as_u64()),
        (Some(2), Some(8))
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("line 2, column 8"),
        "{err}"
    );

    let err = error(wasm::config_set(CONFIG, "defualt", "port", "1"));
    assert_eq!(err["kind"], "unknown-profile");
    assert_eq!(err["suggestion"], "default");
    assert_eq!(err["available"], serde_json::json!(["default"]));
    // What to do next is data beside the message, worded for the page (no command lines).
    assert_eq!(err["message"], "no profile named `defualt`");
    assert_eq!(
        err["hint"],
        "did you mean `default`?; profiles in this file: default"
    );
    assert_eq!(
        err["hints"][0],
        serde_json::json!({"kind": "did-you-mean", "name": "default"})
    );

    let err = error(wasm::config_set(
        CONFIG,
        "default",
        "auth.oauth2.client_secret",
        "x",
    ));
    assert_eq!(err["kind"], "removed-key");
    assert_eq!(
        err["hints"],
        serde_json::json!([{"kind": "remove-key", "key": "auth.oauth2.client_secret"}])
    );
    assert!(!err.to_string().contains("profile unset"), "{err}");

    let err = error(wasm::config_set(CONFIG, "default", "prot", "1"));
    assert_eq!(
        (err["kind"].as_str(), err["suggestion"].as_str()),
        (Some("unknown-key"), Some("port"))
    );

    let err = error(wasm::config_add(
        CONFIG, "new", "cloud", None, None, None, None,
    ));
    assert_eq!(
        (err["kind"].as_str(), err["key"].as_str()),
        (Some("invalid-value"), Some("product"))
    );

    let err = error(wasm::plan(
        "revoke",
        "current",
        false,
        "Not Valid",
        None,
        None,
        "/t/token.json",
        "default",
        None,
        None,
    ));
    assert_eq!(err["kind"], "invalid-name");
    assert_eq!(err["what"], "namespace");

    let err = error(wasm::secret_decode(b"{\"kind\": \"ConfigMap\"}", None, 0.0));
    assert_eq!(
        (err["kind"].as_str(), err["found"].as_str()),
        (Some("not-a-secret"), Some("ConfigMap"))
    );
}

#[wasm_bindgen_test]
fn a_secret_is_summarised_and_its_value_kept_exact() {
    let token = br#"{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6NDEwMjQ0NDgwMH0.c2ln","token_type":"Bearer"}"#;
    let b64 = base64_encode(token);
    let secret = format!("{{\"kind\":\"Secret\",\"metadata\":{{\"name\":\"admin-token\",\"namespace\":\"influxdb\"}},\"data\":{{\"token\":\"{b64}\"}}}}");
    let view = json(wasm::secret_decode(
        secret.as_bytes(),
        None,
        1_700_000_000.0,
    ));
    assert_eq!(view["key"], "token");
    assert_eq!(view["token"]["jwt"]["claims"]["sub"], "admin");
    assert_eq!(
        view["token"]["jwt"]["expires"]["utc"],
        "2100-01-01 00:00:00 UTC"
    );
    assert!(
        !view.to_string().contains("c2ln"),
        "the signature never crosses: {view}"
    );
    assert_eq!(wasm::secret_value(secret.as_bytes(), None).unwrap(), token);
}

#[wasm_bindgen_test]
fn plans_are_the_cli_text() {
    let plan = json(wasm::plan(
        "fetch",
        "current",
        false,
        "influxdb",
        None,
        None,
        "/t/token.json",
        "default",
        None,
        None,
    ));
    let steps = plan["procedure"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(
        steps[0]["argv"],
        serde_json::json!([
            "--namespace",
            "influxdb",
            "get",
            "secret",
            "admin-token",
            "-o",
            "jsonpath={.data.token}"
        ])
    );
    assert!(plan["shell"]
        .as_str()
        .unwrap()
        .starts_with("#!/usr/bin/env bash\n"));
    assert_eq!(
        plan["docs"][0]["commands"][0],
        "(umask 077 && kubectl --namespace influxdb get secret admin-token -o 'jsonpath={.data.token}' | base64 -d > /t/token.json)"
    );

    // A docs page's CREATE_ADMIN_TOKEN_JOB names the job, in the script and in the docs.
    let named = json(wasm::plan(
        "revoke",
        "current",
        false,
        "influxdb",
        None,
        None,
        "/t/token.json",
        "default",
        Some("key-gen-abcde".into()),
        Some("create-admin-token-q9".into()),
    ));
    let shell = named["shell"].as_str().unwrap();
    assert!(
        shell.contains("\nKEY_GEN_JOB=key-gen-abcde\nCREATE_TOKEN_JOB=create-admin-token-q9\n"),
        "{shell}"
    );
    assert!(named["docs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["commands"][0]
            == "kubectl --namespace influxdb delete job create-admin-token-q9 --ignore-not-found"));
    // What a step checks, as data: the docs widget can show it beside the command.
    assert_eq!(
        steps[0]["verifies"],
        serde_json::json!(["the secret's token key is not empty"])
    );
    assert_eq!(steps[0]["waits_for"], serde_json::Value::Null);
    assert_eq!(plan["procedure"]["name"], "fetch");
    let snippet = wasm::profile_snippet(
        "default",
        "h.example.com",
        Some("8443".into()),
        "/t/token.json",
    )
    .unwrap();
    assert_eq!(snippet, "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h.example.com\"\n  port = \"8443\"\n\n  [profile.auth.token]\n    token_file = \"/t/token.json\"\n");
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char
            } else {
                '='
            });
        }
    }
    out
}

#[wasm_bindgen_test]
fn the_faces_take_labels_and_procedure_titles_from_the_core() {
    let schema = json(wasm::schema());
    let label = |path: &str| {
        schema["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["path"] == path)
            .map(|k| k["label"].clone())
            .unwrap()
    };
    assert_eq!(label("auth.token.token_file"), "Token file");
    assert_eq!(label("host"), "Host");
    assert_eq!(label("tls"), Value::Null, "a table has no field");
    let offered = json(wasm::procedures());
    let offered: Vec<(String, String)> = offered
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                format!("{} {}", o["procedure"], o["method"]),
                o["title"].to_string(),
            )
        })
        .collect();
    assert_eq!(offered.len(), 4);
    assert_eq!(offered[0].0, "\"fetch\" null");
    assert_eq!(offered[2].0, "\"revoke\" \"original\"");
    assert!(offered[2].1.contains("as first documented"));
}
