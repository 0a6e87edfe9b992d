//! What the CLI reads from users: `secret decode` reads kubectl's YAML strictly, and `token
//! inspect` reads numeric dates and flags bad claims. The real binary on real input.

use base64::Engine;
use influxctl_admin_testcluster::Options;
use influxctl_admin_testcluster::TestCluster;
use serde_json::Value;
use std::fs;
use std::path::Path;

mod support;
use support::Env;

// ---------------------------------------------------------------------------------------
// `secret decode`'s YAML reader
// ---------------------------------------------------------------------------------------

#[test]
fn secret_decode_reads_kubectl_yaml_strictly() {
    let env = Env::new();
    let decode = |input: &[u8], args: &[&str]| {
        env.cli()
            .args(["secret", "decode", "-"])
            .args(args)
            .stdin(input.to_vec())
    };

    // Two Secrets separated by `---` were merged (the second won, exit 0).
    let two = "apiVersion: v1\nkind: Secret\ndata:\n  token: Zmlyc3Q=\n---\napiVersion: v1\nkind: Secret\ndata:\n  token: c2Vjb25k\n";
    decode(two.as_bytes(), &[])
        .status(2)
        .stderr_contains("2 YAML documents (2 of them Secrets)")
        .stdout("")
        .run();

    // A stringData block scalar was the single byte `|`, written to --out with exit 0.
    let block = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: admin-token\nstringData:\n  token: |\n    {\"access_token\": \"x\",\n     \"token_type\": \"Bearer\"}\ntype: Opaque\n";
    decode(block.as_bytes(), &["--out", "token.json"])
        .status(0)
        .file(
            "token.json",
            "{\"access_token\": \"x\",\n \"token_type\": \"Bearer\"}\n",
        )
        .run();

    // Flow style and tab indentation exited 0 with no keys.
    decode(b"kind: Secret\ndata: {token: YQ==}\n", &[])
        .status(2)
        .stderr_contains("unsupported YAML: flow style")
        .stderr_contains("at line 2")
        .run();
    decode(b"kind: Secret\ndata:\n\ttoken: YQ==\n", &[])
        .status(2)
        .stderr_contains("unsupported YAML: a tab in the indentation")
        .stderr_contains("at line 3")
        .run();
    let run = decode(
        b"kind: Secret\ndata:\n  token: &k YQ==\n",
        &["--output", "json"],
    )
    .status(2)
    .run();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("anchor"),
        "{report}"
    );

    // UTF-16 (PowerShell's `>`) and a top-level JSON array are named; a UTF-8 BOM is skipped.
    let utf16: Vec<u8> = "\u{feff}apiVersion: v1\r\nkind: Secret\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let run = decode(&utf16, &[])
        .status(2)
        .stderr_contains("UTF-16")
        .stderr_contains("PowerShell")
        .run();
    assert!(!run.stderr.contains("Invalid symbol"), "{run:?}");
    decode(br#"[{"kind":"Secret","data":{"token":"YQ=="}}]"#, &[])
        .status(2)
        .stderr_contains("JSON array (1 item)")
        .run();
    decode(
        b"\xef\xbb\xbfkind: Secret\ndata:\n  token: aGVsbG8=\n",
        &["--reveal"],
    )
    .status(0)
    .stdout("hello")
    .run();

    // What the real kubectl prints decodes to the secret's exact bytes; a List of two is refused.
    let cluster = TestCluster::start(Options::default());
    let yaml = cluster
        .kubectl()
        .args(["get", "secret", "admin-token", "-o", "yaml"])
        .output()
        .unwrap();
    assert!(yaml.status.success());
    decode(
        &yaml.stdout,
        &["--key", "token", "--out", "from-kubectl.json"],
    )
    .status(0)
    .file(
        "from-kubectl.json",
        cluster.secret("admin-token").unwrap()["token"].clone(),
    )
    .run();
    let list = cluster
        .kubectl()
        .args(["get", "secret", "admin-token", "rsa-keys", "-o", "yaml"])
        .output()
        .unwrap();
    decode(&list.stdout, &[])
        .status(2)
        .stderr_contains("a List of 2 items (2 of them Secrets)")
        .run();
}

// ---------------------------------------------------------------------------------------
// `token inspect`: NumericDate, invalid claims, alg none
// ---------------------------------------------------------------------------------------

#[test]
fn token_inspect_reads_numeric_dates_and_flags_bad_claims() {
    let dir = tempfile::tempdir().unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let write = |name: &str, header: &str, claims: &str| {
        let path = dir.path().join(name);
        let jwt = format!("{}.{}.{}", b64(header), b64(claims), b64("signature"));
        fs::write(
            &path,
            format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#),
        )
        .unwrap();
        path
    };
    let env = Env::new();
    let inspect = |path: &Path, json: bool| {
        let cli = env.cli().args(["token", "inspect"]).arg(path);
        let cli = if json {
            cli.args(["--output", "json"])
        } else {
            cli
        };
        cli.status(0).run().stdout
    };

    // A fractional exp in 2020 was "never (no exp claim)".
    let fractional = write(
        "fractional.json",
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"sub":"admin","iat":1577836800.5,"exp":1600000000.25}"#,
    );
    let text = inspect(&fractional, false);
    assert!(
        text.contains("expired:     2020-09-13 12:26:40 UTC"),
        "{text}"
    );
    assert!(
        text.contains("issued:      2020-01-01 00:00:00 UTC"),
        "{text}"
    );
    let report: Value = serde_json::from_str(&inspect(&fractional, true)).unwrap();
    assert_eq!(report["report"]["jwt"]["expires"]["unix"], 1_600_000_000);
    assert_eq!(
        report["report"]["jwt"]["invalid_claims"],
        serde_json::json!([])
    );
    assert_eq!(report["report"]["jwt"]["unsecured"], false);

    // A string exp is an invalid claim, not "never expires".
    let string_exp = write(
        "string.json",
        r#"{"alg":"RS256"}"#,
        r#"{"exp":"1600000000"}"#,
    );
    let text = inspect(&string_exp, false);
    assert!(
        text.contains("expires:     unknown: the exp claim is invalid (a string"),
        "{text}"
    );
    assert!(!text.contains("never"), "{text}");
    let report: Value = serde_json::from_str(&inspect(&string_exp, true)).unwrap();
    assert_eq!(report["report"]["jwt"]["invalid_claims"][0]["claim"], "exp");

    // alg none is flagged.
    let none = write("none.json", r#"{"alg":"none"}"#, r#"{"sub":"admin"}"#);
    let text = inspect(&none, false);
    assert!(
        text.contains("alg is `none`: the token is unsigned"),
        "{text}"
    );
    let report: Value = serde_json::from_str(&inspect(&none, true)).unwrap();
    assert_eq!(report["report"]["jwt"]["unsecured"], true);

    // Out-of-range dates are invalid claims, and nothing overflows.
    let huge = write(
        "huge.json",
        r#"{"alg":"RS256"}"#,
        r#"{"exp":1e300,"iat":-9223372036854775808}"#,
    );
    let text = inspect(&huge, false);
    assert!(
        text.contains("the exp claim is invalid (1e300 is out of range"),
        "{text}"
    );
    assert!(text.contains("the iat claim is invalid"), "{text}");
}
