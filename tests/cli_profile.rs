//! The command line around the config core: listing and showing, --dry-run, failures that
//! must leave files alone, file modes, completions, `config lint`'s exit codes, and the
//! two commands that handle secrets (`secret decode`, `token inspect`), which must never
//! print one unless asked.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use base64::Engine;
use serde_json::Value;

const TWO_PROFILES: &str = r#"## influxctl config

[[profile]]
    name = "default"
    product = "clustered"
    host = "cluster.example.com" # primary
    port = "8443"

    [profile.auth.token]
        token_file = "/tokens/token.json"

[[profile]]
    name = "dedicated-1"
    product = "dedicated"
    account_id = "acc"
    cluster_id = "clu"
    mgmt_token = "mgmt-secret-value"

    [profile.auth.oauth2]
        client_id = "cid"
"#;

mod support;
use support::{mode_of, Env, Run};

// ---------------------------------------------------------------- list and show

#[test]
fn list_shows_each_profile_with_its_auth_and_marks_default() {
    let env = Env::new();
    env.write_config(TWO_PROFILES, 0o600);
    let run = env
        .cli()
        .config()
        .args(["profile", "list"])
        .status(0)
        .stdout(
            "  NAME         PRODUCT    ADDRESS                   AUTH\n\
             * default      clustered  cluster.example.com:8443  token-file (/tokens/token.json)\n\
            \x20 dedicated-1  dedicated  -                         oauth2\n",
        )
        .stderr("")
        .file("config.toml", TWO_PROFILES)
        .run();
    assert!(!run.stdout.contains("mgmt-secret-value"));
}

#[test]
fn list_as_json_is_one_document() {
    let env = Env::new();
    let config = env.write_config(TWO_PROFILES, 0o600);
    let run = env.with_config(&config, &["--output", "json", "profile", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc: Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON document");
    let profiles = doc["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles[0]["name"], "default");
    assert_eq!(profiles[0]["default"], true);
    assert_eq!(profiles[0]["auth"]["method"], "token-file");
    assert_eq!(profiles[0]["auth"]["path"], "/tokens/token.json");
    assert_eq!(profiles[1]["product"], "dedicated");
    assert_eq!(profiles[1]["auth"]["method"], "oauth2");
    assert_eq!(doc["path"], config.to_str().unwrap());
    assert!(!run.stdout.contains("mgmt-secret-value"));
}

#[test]
fn show_prints_the_profile_as_written_with_secrets_hidden() {
    let env = Env::new();
    let config = env.write_config(TWO_PROFILES, 0o600);
    let run = env.with_config(&config, &["profile", "show", "dedicated-1"]);
    assert_eq!(run.code, 0, "{run:?}");
    let expected = TWO_PROFILES[TWO_PROFILES
        .find("[[profile]]\n    name = \"dedicated-1\"")
        .unwrap()..]
        .replace("\"mgmt-secret-value\"", "\"<hidden>\"");
    assert_eq!(run.stdout, expected);

    let run = env.with_config(
        &config,
        &["profile", "show", "dedicated-1", "--show-secrets"],
    );
    assert!(
        run.stdout.contains("mgmt_token = \"mgmt-secret-value\""),
        "{run:?}"
    );

    let run = env.with_config(&config, &["--output", "json", "profile", "show", "default"]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["profile"]["token_file"], "/tokens/token.json");
    assert!(doc["toml"]
        .as_str()
        .unwrap()
        .starts_with("[[profile]]\n    name = \"default\""));
}

// ---------------------------------------------------------------- files are safe

#[test]
fn dry_run_prints_a_diff_and_leaves_the_file_byte_identical() {
    let env = Env::new();
    let config = env.write_config(TWO_PROFILES, 0o640);
    let before_meta = fs::metadata(&config).unwrap();
    let run = env.with_config(
        &config,
        &["--dry-run", "profile", "set", "default", "port", "9443"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let name = config.display();
    // A unified diff naming the file (the exact header style is the CLI's choice).
    let header_end = run.stdout.find("\n@@ ").expect("a hunk");
    let header = &run.stdout[..header_end];
    assert!(
        header.starts_with("--- ") && header.contains("\n+++ "),
        "{}",
        run.stdout
    );
    assert_eq!(
        header.matches(&name.to_string()).count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n-    port = \"8443\"\n+    port = \"9443\"\n"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("dry run"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&config).unwrap(), TWO_PROFILES);
    assert_eq!(mode_of(&config), 0o640);
    assert_eq!(
        fs::metadata(&config).unwrap().modified().unwrap(),
        before_meta.modified().unwrap()
    );

    // Every editing command honours it, including the ones that create or remove.
    for args in [
        &[
            "profile",
            "add",
            "new",
            "--product",
            "clustered",
            "--host",
            "h",
        ][..],
        &["profile", "remove", "default"],
        &["profile", "rename", "default", "prod"],
        &["profile", "unset", "default", "port"],
        &["profile", "use-token", "default", "--token-file", "/t.json"],
    ] {
        let mut all = vec!["--dry-run"];
        all.extend_from_slice(args);
        let run = env.with_config(&config, &all);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(
            run.stdout.contains("@@"),
            "{args:?} printed no diff: {run:?}"
        );
        assert_eq!(
            fs::read_to_string(&config).unwrap(),
            TWO_PROFILES,
            "{args:?} wrote the file"
        );
    }
    // And with no file: nothing is created.
    let missing = env.path("missing.toml");
    let run = env.with_config(
        &missing,
        &[
            "--dry-run",
            "profile",
            "add",
            "default",
            "--product",
            "clustered",
            "--host",
            "h",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("+[[profile]]"), "{run:?}");
    assert!(!missing.exists());
    env.assert_no_leftovers();
}

#[test]
fn a_failed_command_leaves_the_file_byte_identical() {
    let env = Env::new();
    let config = env.write_config(TWO_PROFILES, 0o644);
    let failures: &[(&[&str], i32)] = &[
        (&["profile", "set", "nope", "port", "1"], 2),
        (&["profile", "set", "default", "hots", "x"], 2),
        (&["profile", "set", "default", "tls.insecure", "maybe"], 2),
        (&["profile", "set", "default", "port", "abc"], 2),
        (
            &[
                "profile",
                "set",
                "default",
                "auth.oauth2.client_secret",
                "s",
            ],
            2,
        ),
        (&["profile", "set", "default", "auth", "x"], 2),
        (&["profile", "unset", "default", "database"], 2),
        (&["profile", "rename", "default", "dedicated-1"], 2),
        (&["profile", "remove", "nope"], 2),
        (
            &[
                "profile",
                "add",
                "default",
                "--product",
                "clustered",
                "--host",
                "h",
            ],
            2,
        ),
        (&["profile", "add", "d2", "--product", "dedicated"], 2),
        (
            &["profile", "use-token", "nope", "--token-file", "/t.json"],
            2,
        ),
        (&["profile", "set", "default"], 2), // clap: missing argument
    ];
    for (args, code) in failures {
        let run = env.with_config(&config, args);
        assert_eq!(run.code, *code, "{args:?}: {run:?}");
        assert!(run.stderr.contains("error"), "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}: errors go to stderr");
        assert_eq!(
            fs::read_to_string(&config).unwrap(),
            TWO_PROFILES,
            "{args:?} changed the file"
        );
        assert_eq!(mode_of(&config), 0o644);
    }
    // A file that is not TOML is not touched either, and the error says where.
    let broken = "[[profile]]\nname = \"a\"\nhost = = \"x\"\n";
    fs::write(&config, broken).unwrap();
    let run = env.with_config(&config, &["profile", "set", "a", "port", "1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("line 3, column"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&config).unwrap(), broken);
    // Neither is a file that is not UTF-8.
    let binary = b"[[profile]]\nname = \"\xff\"\n";
    fs::write(&config, binary).unwrap();
    let run = env.with_config(&config, &["profile", "set", "a", "port", "1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(fs::read(&config).unwrap(), binary);
    env.assert_no_leftovers();
}

#[test]
fn an_edit_keeps_the_file_mode() {
    let env = Env::new();
    for mode in [0o640, 0o600, 0o644, 0o660] {
        let config = env.write_config(TWO_PROFILES, mode);
        let run = env.with_config(&config, &["profile", "set", "default", "port", "443"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(mode_of(&config), mode, "mode {mode:o} was not kept");
        assert!(fs::read_to_string(&config)
            .unwrap()
            .contains("port = \"443\""));
    }
    env.assert_no_leftovers();
}

#[test]
fn a_new_file_is_created_0600() {
    let env = Env::new();
    let config = env.path("sub/dir/config.toml");
    // Only influxctl's own directory is created (a missing one is more likely a typo:
    // special_files.rs); this one exists.
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    let run = env.with_config(
        &config,
        &[
            "profile",
            "add",
            "default",
            "--product",
            "clustered",
            "--host",
            "h.example.com",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(mode_of(&config), 0o600);
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h.example.com\"\n"
    );
    // The default location is influxctl's own, under $HOME/.config.
    let run = env.run(&[
        "profile",
        "add",
        "default",
        "--product",
        "clustered",
        "--host",
        "h",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let default = env.path(".config/influxctl/config.toml");
    assert_eq!(mode_of(&default), 0o600);
    let run = env.run(&["config", "path"]);
    assert_eq!(run.stdout.trim(), default.to_str().unwrap());
}

#[test]
fn quiet_silences_status_lines_but_not_errors() {
    let env = Env::new();
    let config = env.write_config(TWO_PROFILES, 0o600);
    let run = env.with_config(
        &config,
        &["--quiet", "profile", "set", "default", "port", "1"],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    let run = env.with_config(&config, &["--quiet", "profile", "set", "nope", "port", "1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: no profile named `nope`"),
        "{run:?}"
    );
}

#[test]
fn json_errors_are_one_document_on_stdout() {
    let env = Env::new();
    let config = env.write_config(TWO_PROFILES, 0o600);
    let run = env.with_config(
        &config,
        &["--output", "json", "profile", "set", "nope", "port", "1"],
    );
    assert_eq!(run.code, 2);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["error"]["kind"], "usage");
}

// ---------------------------------------------------------------- completions, lint

#[test]
fn completions_for_bash_zsh_and_fish() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = env.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        assert!(run.stdout.len() > 500, "{shell}: suspiciously short");
        assert!(run.stdout.contains("influxctl-admin"), "{shell}");
        assert!(
            run.stdout.contains("use-token"),
            "{shell}: subcommands missing"
        );
    }
}

#[test]
fn config_lint_exit_codes() {
    let env = Env::new();
    // Clean: 0, nothing to report.
    let clean = env.write_config("[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"influx.example.com\"\nport = \"443\"\n", 0o600);
    let run = env.with_config(&clean, &["config", "lint"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("no problems found"), "{run:?}");

    // Warnings only (no `default` profile, a placeholder): still 0.
    let warn = env.write_config(
        "[[profile]]\nname = \"prod\"\nproduct = \"clustered\"\nhost = \"INFLUXDB_HOST\"\n",
        0o600,
    );
    let run = env.with_config(&warn, &["config", "lint"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("warning[no-default]"), "{run:?}");
    assert!(run.stdout.contains("warning[placeholder]"), "{run:?}");
    assert!(!run.stdout.contains("error["), "{run:?}");

    // Errors: 1, and each one on its line.
    let bad = env.write_config(
        "[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h\"\nport = 443\nfoo = \"x\"\n\n[profile.auth.oauth2]\nclient_secret = \"s\"\n",
        0o600,
    );
    let run = env.with_config(&bad, &["config", "lint"]);
    assert_eq!(run.code, 1, "{run:?}");
    for expected in [
        "error[wrong-type] line 5",
        "error[unknown-key] line 6",
        "error[removed-key] line 9",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected} missing: {}",
            run.stdout
        );
    }
    assert!(run.stderr.contains("3 errors"), "{run:?}");
    let run = env.with_config(&bad, &["--output", "json", "config", "lint"]);
    assert_eq!(run.code, 1);
    // The findings come first. (Today an error document follows them on stdout, so the
    // first one is read; one document per command is the aim: reported.)
    let doc: Value = serde_json::Deserializer::from_str(&run.stdout)
        .into_iter::<Value>()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc["ok"], false);
    assert_eq!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count(),
        3
    );

    // Not TOML: a usage error (2), with the position.
    let broken = env.write_config("[[profile]\n", 0o600);
    let run = env.with_config(&broken, &["config", "lint"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("line 1, column"), "{run:?}");

    // Every documentation fixture that still lints clean of errors exits 0, the one with
    // the removed `client_secret` exits 1.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/configs");
    let entries: Vec<_> = fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("the documentation fixtures {}: {e}", fixtures.display()))
        .filter_map(Result::ok)
        .collect();
    assert!(entries.len() >= 9, "the documentation fixtures are missing");
    for entry in entries {
        let text = fs::read_to_string(entry.path()).unwrap();
        let config = env.write_config(&text, 0o600);
        let run = env.with_config(&config, &["config", "lint"]);
        let expected = if text.contains("client_secret") { 1 } else { 0 };
        assert_eq!(run.code, expected, "{}: {run:?}", entry.path().display());
    }
}

// ---------------------------------------------------------------- secrets

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A token value that must never be printed unless asked: text with a marker, and binary.
const TOKEN_VALUE: &[u8] = b"{\"token\":\"very-secret-admin-token-value\"}\n";
const BINARY_VALUE: &[u8] = &[0, 159, 146, 150, 255, 10, 13, 0, b's'];

fn assert_secret_not_shown(run: &Run) {
    for shown in [&run.stdout, &run.stderr] {
        assert!(
            !shown.contains("very-secret-admin-token-value"),
            "secret shown: {run:?}"
        );
        assert!(
            !shown.contains(&b64(TOKEN_VALUE)),
            "encoded secret shown: {run:?}"
        );
    }
}

#[test]
fn secret_decode_json_yaml_and_base64_never_prints_values_unless_asked() {
    let env = Env::new();
    let json = format!(
        r#"{{"apiVersion":"v1","kind":"Secret","metadata":{{"name":"admin-token","namespace":"influxdb"}},"type":"Opaque","data":{{"token":"{}","bin":"{}"}}}}"#,
        b64(TOKEN_VALUE),
        b64(BINARY_VALUE)
    );
    let yaml = format!(
        "apiVersion: v1\ndata:\n  bin: {}\n  token: {}\nkind: Secret\nmetadata:\n  name: admin-token\n  namespace: influxdb\ntype: Opaque\n",
        b64(BINARY_VALUE),
        b64(TOKEN_VALUE)
    );
    for (label, input) in [("json", &json), ("yaml", &yaml)] {
        let file = env.path(&format!("secret.{label}"));
        fs::write(&file, input).unwrap();
        let file = file.to_str().unwrap();

        // Summary only.
        let run = env.run(&["secret", "decode", file]);
        assert_eq!(run.code, 0, "{label}: {run:?}");
        assert_secret_not_shown(&run);
        assert!(
            run.stdout
                .contains("secret admin-token (namespace influxdb)"),
            "{label}: {run:?}"
        );
        assert!(
            run.stdout
                .contains(&format!("token: {} bytes, text", TOKEN_VALUE.len())),
            "{label}: {run:?}"
        );
        assert!(
            run.stdout
                .contains(&format!("bin: {} bytes, binary", BINARY_VALUE.len())),
            "{label}: {run:?}"
        );
        let run = env.run(&["--output", "json", "secret", "decode", file]);
        assert_secret_not_shown(&run);
        let doc: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(doc["format"], label);
        assert_eq!(doc["name"], "admin-token");

        // From stdin too.
        let out = env
            .command()
            .args(["secret", "decode", "-"])
            .write_stdin(input.as_bytes())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(!String::from_utf8_lossy(&out.stdout).contains("very-secret"));

        // Several keys: --reveal needs --key.
        let run = env.run(&["secret", "decode", file, "--reveal"]);
        assert_eq!(run.code, 2, "{label}: {run:?}");
        assert!(run.stderr.contains("--key"), "{run:?}");
        assert_secret_not_shown(&run);

        // --reveal prints exactly the bytes.
        let out = env
            .command()
            .args(["secret", "decode", file, "--key", "token", "--reveal"])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout, TOKEN_VALUE);

        // --out writes the bytes, binary-safe, mode 0600, and prints no value.
        for (key, value) in [("token", TOKEN_VALUE), ("bin", BINARY_VALUE)] {
            let target = env.path(&format!("{label}-{key}.out"));
            let run = env.run(&[
                "secret",
                "decode",
                file,
                "--key",
                key,
                "--out",
                target.to_str().unwrap(),
            ]);
            assert_eq!(run.code, 0, "{label} {key}: {run:?}");
            assert_secret_not_shown(&run);
            assert_eq!(fs::read(&target).unwrap(), value, "{label} {key}");
            assert_eq!(mode_of(&target), 0o600);
        }
        // Even over an existing, more open file.
        let target = env.path("open.out");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
        let run = env.run(&[
            "secret",
            "decode",
            file,
            "--key",
            "token",
            "--out",
            target.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(mode_of(&target), 0o600);

        // A missing key is an input error that lists the keys, not the values.
        let run = env.run(&["secret", "decode", file, "--key", "nope"]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("bin, token"), "{run:?}");
        assert_secret_not_shown(&run);
    }

    // Raw base64 (`kubectl get secret … -o jsonpath='{.data.token}'`).
    let raw = env.path("raw.b64");
    fs::write(&raw, format!("{}\n", b64(TOKEN_VALUE))).unwrap();
    let raw = raw.to_str().unwrap();
    let run = env.run(&["secret", "decode", raw]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_secret_not_shown(&run);
    assert!(
        run.stdout.contains(&format!("{} bytes", TOKEN_VALUE.len())),
        "{run:?}"
    );
    let out = env
        .command()
        .args(["secret", "decode", raw, "--reveal"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, TOKEN_VALUE);
    let target = env.path("raw.out");
    let run = env.run(&["secret", "decode", raw, "--out", target.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(fs::read(&target).unwrap(), TOKEN_VALUE);
    assert_eq!(mode_of(&target), 0o600);

    // Garbage is an input error.
    let junk = env.path("junk");
    fs::write(&junk, "not base64 at all!!").unwrap();
    let run = env.run(&["secret", "decode", junk.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run:?}");
    env.assert_no_leftovers();
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn token_inspect_never_prints_the_token_or_its_signature() {
    let env = Env::new();
    let header = b64url(br#"{"alg":"RS256","kid":"key-2024","typ":"JWT"}"#);
    let claims = b64url(br#"{"iat":1700000000,"exp":4102444800,"sub":"admin"}"#);
    let signature_bytes: Vec<u8> = (0u8..=255).cycle().take(256).collect();
    let signature = b64url(&signature_bytes);
    let jwt = format!("{header}.{claims}.{signature}");
    let shapes = [
        ("bare.jwt", jwt.clone()),
        ("token.json", format!("{{\"token\": \"{jwt}\"}}\n")),
    ];
    for (name, contents) in shapes {
        let path = env.path(name);
        fs::write(&path, &contents).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        for output in ["text", "json"] {
            let run = env.run(&[
                "--output",
                output,
                "token",
                "inspect",
                path.to_str().unwrap(),
            ]);
            assert_eq!(run.code, 0, "{name} {output}: {run:?}");
            for shown in [&run.stdout, &run.stderr] {
                assert!(
                    !shown.contains(&jwt),
                    "{name} {output}: the token was printed"
                );
                assert!(
                    !shown.contains(&signature),
                    "{name} {output}: the signature was printed"
                );
                assert!(
                    !shown.contains(&signature[..16]),
                    "{name} {output}: part of the signature was printed"
                );
            }
            assert!(
                run.stdout.contains("key-2024"),
                "{name} {output}: header not shown: {run:?}"
            );
            assert!(
                run.stdout.contains("4102444800") || run.stdout.contains("2100-01-01"),
                "{name} {output}: exp not shown"
            );
        }
        let run = env.run(&["token", "inspect", path.to_str().unwrap()]);
        assert!(
            run.stdout.contains("signature:   256 bytes (not shown)"),
            "{run:?}"
        );
    }

    // Through the profile's token_file, and with a warning when others can read it.
    let path = env.path("token.json");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let config = env.write_config(&format!("[[profile]]\nname = \"default\"\nproduct = \"clustered\"\nhost = \"h\"\n[profile.auth.token]\ntoken_file = \"{}\"\n", path.display()), 0o600);
    let run = env.with_config(&config, &["token", "inspect"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("readable by others"), "{run:?}");
    assert!(!run.stdout.contains(&jwt) && !run.stderr.contains(&jwt));

    // Opaque bytes: a fingerprint, never the bytes.
    let opaque = env.path("opaque");
    fs::write(&opaque, "plain-opaque-secret-token").unwrap();
    fs::set_permissions(&opaque, fs::Permissions::from_mode(0o600)).unwrap();
    let run = env.run(&["token", "inspect", opaque.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("opaque bytes") && run.stdout.contains("sha256:"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("plain-opaque-secret-token"), "{run:?}");
}
