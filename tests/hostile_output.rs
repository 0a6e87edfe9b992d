//! Issue 16: what the tool writes can be trusted. Names and paths with control characters
//! are refused alike on every entry point (§1).

mod support;
use support::Env;

const CONFIG: &str =
    "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h.example.com\"\n";

/// The rule every entry point refuses a name or path with (`names::one_line`).
const RULE: &str = "holds a control character (a newline, tab, escape, …): names and paths must be one line of printable text";

#[test]
fn control_characters_in_names_and_paths_are_refused_alike_everywhere() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    let odd_dir = env.root().join("a\nb");
    std::fs::create_dir_all(&odd_dir).unwrap();
    std::fs::write(odd_dir.join("config.toml"), CONFIG).unwrap();
    let odd_config = odd_dir.join("config.toml");
    let injected = "x\ntouch pwned #";
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "profile name",
            vec![
                "profile",
                "add",
                injected,
                "--product",
                "clustered",
                "--host",
                "h",
            ],
        ),
        (
            "token file",
            vec![
                "profile",
                "add",
                "ok",
                "--product",
                "clustered",
                "--host",
                "h",
                "--token-file",
                "/x\ny",
            ],
        ),
        (
            "profile name",
            vec!["profile", "rename", "default", injected],
        ),
        (
            "token file",
            vec![
                "profile",
                "set",
                "default",
                "auth.token.token_file",
                "/x\ny",
            ],
        ),
        (
            "token file",
            vec!["profile", "use-token", "default", "--token-file", "/x\ny"],
        ),
        (
            "token file",
            vec!["token", "fetch", "-n", "influxdb", "--token-file", "/x\ny"],
        ),
        (
            "profile name",
            vec!["plan", "fetch", "--shell", "--profile", injected],
        ),
        (
            "profile name",
            vec![
                "plan",
                "revoke",
                "--recreate",
                "--shell",
                "--profile",
                injected,
            ],
        ),
        (
            "token file",
            vec!["plan", "create", "--shell", "--token-file", "/x\ny"],
        ),
        (
            "kubeconfig",
            vec!["plan", "fetch", "--shell", "--kubeconfig", "/k\ny"],
        ),
    ];
    for (what, args) in cases {
        let run = env.cli().config().args(&args).status(2).stdout("").run();
        assert!(
            run.stderr.starts_with(&format!("error: {what} ")) && run.stderr.contains(RULE),
            "{args:?}: {}",
            run.stderr
        );
    }
    let run = env
        .cli()
        .config()
        .env("INFLUXCTL_PROFILE", injected)
        .args(["plan", "fetch", "--shell"])
        .status(2)
        .stdout("")
        .run();
    assert!(run.stderr.contains(RULE), "{}", run.stderr);
    let run = env
        .cli()
        .config_at(&odd_config)
        .args(["plan", "fetch", "--shell"])
        .status(2)
        .stdout("")
        .run();
    assert!(
        run.stderr.starts_with("error: token file ") && run.stderr.contains(RULE),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), CONFIG);
    assert!(!env.root().join("pwned").exists());
}

/// A value with `$` means itself in the script: single quotes, never expanded.
#[test]
fn a_dollar_in_a_path_means_itself_in_the_script() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    let run = env
        .cli()
        .config()
        .args([
            "plan",
            "fetch",
            "--shell",
            "--token-file",
            "/srv/$PATH/x",
            "--kubeconfig",
            "/k/$HOME",
        ])
        .status(0)
        .run();
    assert!(run.stdout.contains("'/srv/$PATH/x'"), "{}", run.stdout);
    assert!(
        run.stdout.contains("--kubeconfig '/k/$HOME'"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("\"/srv/$PATH"), "{}", run.stdout);
}
