//! What the CLI prints about a config: secret values are hidden in lint output, diffs and
//! errors unless asked for, control characters are escaped and excerpts are capped. The
//! real binary on real files.

use serde_json::Value;
use std::fs;

mod support;
use support::{Env, HANG_GUARD};

// ------------------------------------------------------------ secrets in output

const SECRETS: &str = r#"[[profile]]
  name = "default"
  product = "clustered"
  host = "h"
  token = "apiv3_INLINE_TOKEN"
  mgmt_token = "apiv3_MGMT_TOKEN"

  [profile.auth.oauth2]
    client_id = "cid"
    client_secret = "OAUTH_CLIENT_SECRET"
"#;

fn assert_hidden(what: &str, text: &str) {
    for secret in [
        "apiv3_INLINE_TOKEN",
        "apiv3_MGMT_TOKEN",
        "OAUTH_CLIENT_SECRET",
        "apiv3_UNQUOTED",
        "apiv3_SECRET",
    ] {
        assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
    }
}

#[test]
fn config_lint_never_prints_a_token_as_a_placeholder() {
    let env = Env::new().hang_guard(HANG_GUARD);
    // Real-looking tokens: runs of capitals, digits and `_` occur in them by chance.
    let tokens: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "apiv1_{}ABCD_{i}XYZ_Q{}",
                "k9".repeat(i % 7 + 1),
                "Zz".repeat(i % 5)
            )
        })
        .collect();
    for token in &tokens {
        let config = env.write(
            "config.toml",
            format!(
                "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n  token = \"{token}\"\n  mgmt_token = \"{token}\"\n  [profile.auth.oauth2]\n    client_id = \"c\"\n    client_secret = \"{token}\"\n"
            ),
        );
        for output in [&[][..], &["--output", "json"][..]] {
            let mut args = output.to_vec();
            args.extend(["config", "lint"]);
            let run = env.with_config(&config, &args);
            assert!(
                !run.stdout.contains(token.as_str()) && !run.stderr.contains(token.as_str()),
                "config lint printed {token}: {run:?}"
            );
        }
    }
    // A documentation placeholder in a secret key is still flagged, without its value.
    let config = env.write(
        "config.toml",
        "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n  token = \"DATABASE_TOKEN\"\n",
    );
    let run = env.with_config(&config, &["config", "lint"]);
    assert!(run.stdout.contains("placeholder"), "{run:?}");
    assert!(!run.stdout.contains("DATABASE_TOKEN"), "{run:?}");
}

#[test]
fn diffs_and_errors_hide_secret_values_unless_asked() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let config = env.write("config.toml", SECRETS);
    let path = config.to_str().unwrap();
    let runs = [
        (
            "set --dry-run",
            env.with_config(
                &config,
                &["--dry-run", "profile", "set", "default", "port", "1"],
            ),
        ),
        (
            "set json",
            env.with_config(
                &config,
                &[
                    "--output",
                    "json",
                    "--dry-run",
                    "profile",
                    "set",
                    "default",
                    "port",
                    "1",
                ],
            ),
        ),
        (
            "rename",
            env.with_config(
                &config,
                &["--dry-run", "profile", "rename", "default", "prod"],
            ),
        ),
        (
            "unset token",
            env.with_config(
                &config,
                &["--dry-run", "profile", "unset", "default", "token"],
            ),
        ),
        (
            "set token",
            env.with_config(
                &config,
                &[
                    "--dry-run",
                    "profile",
                    "set",
                    "default",
                    "mgmt_token",
                    "apiv3_SECRET",
                ],
            ),
        ),
        (
            "show",
            env.with_config(&config, &["profile", "show", "default"]),
        ),
        (
            "fetch --dry-run",
            env.run(&[
                "--config",
                path,
                "--dry-run",
                "token",
                "fetch",
                "--token-file",
                "/t/token.json",
                "--kubeconfig",
                "/nonexistent",
            ]),
        ),
    ];
    for (what, run) in &runs {
        assert_eq!(run.code, 0, "{what}: {run:?}");
        assert_hidden(what, &run.stdout);
        assert_hidden(what, &run.stderr);
    }
    assert!(
        runs[0].1.stdout.contains(" token = \"<hidden>\"\n"),
        "diff context names the key: {:?}",
        runs[0].1
    );
    assert!(
        runs[3].1.stdout.contains("\n-  token = \"<hidden>\"\n"),
        "{:?}",
        runs[3].1
    );
    // A changed secret still shows as a changed line.
    assert!(
        runs[4]
            .1
            .stdout
            .contains("\n-  mgmt_token = \"<hidden>\"\n+  mgmt_token = \"<hidden>\"\n"),
        "{:?}",
        runs[4].1
    );
    let doc: Value = serde_json::from_str(&runs[1].1.stdout).unwrap();
    assert!(doc["diff"].as_str().unwrap().contains("<hidden>"));

    // --show-secrets shows them.
    let run = env.with_config(
        &config,
        &[
            "--dry-run",
            "--show-secrets",
            "profile",
            "set",
            "default",
            "port",
            "1",
        ],
    );
    assert!(run.stdout.contains("apiv3_MGMT_TOKEN"), "{run:?}");
    let run = env.with_config(&config, &["profile", "show", "default", "--show-secrets"]);
    assert!(run.stdout.contains("OAUTH_CLIENT_SECRET"), "{run:?}");

    // The most common paste mistake: an unquoted token. Text and JSON errors hide it.
    let broken = env.write(
        "broken.toml",
        "[[profile]]\n  name = \"default\"\n  mgmt_token = apiv3_UNQUOTED\n",
    );
    for args in [
        &["profile", "list"][..],
        &["--output", "json", "profile", "list"],
        &["config", "lint"],
    ] {
        let run = env.with_config(&broken, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains("line 3"), "{run:?}");
        assert_hidden("parse error", &run.stdout);
        assert_hidden("parse error", &run.stderr);
    }
    // An invalid secret value is not echoed either.
    let run = env.with_config(
        &config,
        &["profile", "set", "default", "token", "apiv3_SECRET\r"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_hidden("invalid value", &run.stderr);
    assert_eq!(fs::read_to_string(&config).unwrap(), SECRETS);
}

// ------------------------------------------------------------ output hygiene

#[test]
fn control_characters_are_escaped_and_excerpts_capped() {
    let env = Env::new().hang_guard(HANG_GUARD);
    let config = env.write(
        "config.toml",
        "[[profile]]\nname = \"evil\\u001b]0;pwned\\u0007\\r\"\nproduct = \"clustered\"\nhost = \"h\\u001b[2J\"\n",
    );
    let run = env.with_config(&config, &["profile", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        !run.stdout.contains('\u{1b}')
            && !run.stdout.contains('\u{7}')
            && !run.stdout.contains('\r'),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("evil\\u{1b}]0;pwned\\u{7}\\r"),
        "{run:?}"
    );
    let run = env.with_config(&config, &["profile", "show", "nope\u{1b}[31m"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!run.stderr.contains('\u{1b}'), "{run:?}");

    // Raw control bytes in a broken file are escaped in the quoted line.
    let broken = env.write(
        "broken.toml",
        "[[profile]]\nname = \"a\u{1b}]0;x\u{7}\0\"\n",
    );
    let run = env.with_config(&broken, &["profile", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\0'),
        "{run:?}"
    );

    // A 200 KB line is quoted as an excerpt, not whole.
    let deep = env.write(
        "deep.toml",
        format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let run = env.with_config(&deep, &["profile", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of error",
        run.stderr.len()
    );

    // A deep dotted key: the error points at its line.
    let dotted = env.write(
        "dotted.toml",
        format!(
            "[[profile]]\nname = \"a\"\n{} = 1\n",
            vec!["k"; 300].join(".")
        ),
    );
    let run = env.with_config(&dotted, &["profile", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("line 3"), "{run:?}");
    assert!(run.stderr.len() < 2_000, "{run:?}");
}
