//! What the tool writes can be trusted. Names and paths with control characters are
//! refused alike on every entry point.

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

// ---------------------------------------------------------------- failed writes

/// Runs the binary through bash with `redirect` (e.g. `> /dev/full`), `HOME` the test's.
fn redirected(env: &Env, redirect: &str, args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("influxctl-admin");
    std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("exec \"$@\" {redirect}"))
        .arg("bash")
        .arg(bin)
        .arg("--config")
        .arg(env.config_path())
        .args(args)
        .current_dir(env.root())
        .env("HOME", env.root())
        .env_remove("INFLUXCTL_PROFILE")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap()
}

fn secret_json(env: &Env) -> String {
    let path = env.write(
        "secret.json",
        r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"admin-token"},"data":{"token":"dG9rZW4="}}"#,
    );
    path.display().to_string()
}

#[test]
fn a_failed_write_to_stdout_exits_1_with_a_message() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    let secret = secret_json(&env);
    let commands: Vec<Vec<&str>> = vec![
        vec!["profile", "list"],
        vec!["profile", "show", "default"],
        vec!["--output", "json", "profile", "list"],
        vec!["plan", "revoke", "--shell"],
        vec!["secret", "decode", &secret, "--reveal"],
        vec!["completions", "bash"],
    ];
    for args in commands {
        let out = redirected(&env, "> /dev/full", &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write the output to stdout: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_failed_write_to_stderr_never_panics() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    for (args, code) in [
        (vec!["profile", "set", "default", "port", "8443"], 0),
        (vec!["profile", "set", "default", "port", "x"], 2),
        (vec!["profile", "list"], 0),
        (vec!["nonsense"], 2),
    ] {
        let out = redirected(&env, "2> /dev/full", &args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
    assert!(std::fs::read_to_string(env.config_path())
        .unwrap()
        .contains("port = \"8443\""));
    // Both at once.
    let out = redirected(&env, "> /dev/full 2> /dev/full", &["completions", "bash"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_closed_stdout_or_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    // `>&-`: no panic, nothing on stderr.
    for args in [vec!["profile", "list"], vec!["completions", "bash"]] {
        let out = redirected(&env, ">&-", &args);
        assert!(out.status.success(), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
    // A reader that has gone (`| head -1` once head has exited): the broken pipe ends the
    // command as SIGPIPE ends other tools, with no message.
    for args in [
        vec!["profile", "list"],
        vec!["completions", "bash"],
        vec!["plan", "revoke", "--shell"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("influxctl-admin"))
            .arg("--config")
            .arg(env.config_path())
            .args(&args)
            .env("HOME", env.root())
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.signal(), Some(13), "{args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

// ---------------------------------------------------------------- bounded kubectl output

/// `token fetch` with a stub kubectl running `body` (a shell script).
fn fetch_with_kubectl(env: &Env, body: &str) -> (support::Run, std::time::Duration) {
    let stub = env.write("kubectl", format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&stub, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let started = std::time::Instant::now();
    let run = env
        .cli()
        .config()
        .env("KUBECTL", &stub)
        .args([
            "token",
            "fetch",
            "-n",
            "influxdb",
            "--skip-preflight",
            "--timeout",
            "60",
        ])
        .status(1)
        .stdout("")
        .run();
    (run, started.elapsed())
}

#[test]
fn a_kubectl_flooding_stdout_is_stopped_and_nothing_is_written() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    // 100 MB of NUL bytes, then a line that would say all went well.
    let (run, took) = fetch_with_kubectl(&env, "head -c 100000000 /dev/zero; echo; exit 0");
    assert!(
        run.stderr.contains(
            "kubectl wrote more than 4 MiB to its stdout and was stopped; nothing was written"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("credential plugin"), "{}", run.stderr);
    assert!(!run.stderr.contains("Fetched"), "{}", run.stderr);
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    assert!(!env.path("token.json").exists());
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), CONFIG);
}

#[test]
fn a_kubectl_flooding_stderr_is_stopped_and_only_its_end_is_shown() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    // Endless stderr (as `yes` would print), never exiting by itself.
    let (run, took) = fetch_with_kubectl(
        &env,
        "while :; do echo 'error: the same line again and again' >&2; done",
    );
    assert!(
        run.stderr.contains(
            "kubectl wrote more than 1 MiB to its stderr and was stopped; nothing was written"
        ),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.len() < 8 << 10,
        "{} bytes of stderr",
        run.stderr.len()
    );
    assert!(!run.stderr.contains("credential plugin"), "{}", run.stderr);
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    assert!(!env.path("token.json").exists());
}

#[test]
fn a_failing_kubectl_shows_only_the_end_of_a_long_stderr() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    // 200 KB of stderr, under the limit, then a failure: the message keeps the last few KB.
    let (run, _) = fetch_with_kubectl(
        &env,
        "head -c 200000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'error: the real reason' >&2; exit 1",
    );
    assert!(run.stderr.contains("the real reason"), "{}", run.stderr);
    assert!(
        run.stderr.len() < 8 << 10,
        "{} bytes of stderr",
        run.stderr.len()
    );
}

// ---------------------------------------------------------------- long fields

#[test]
fn a_long_field_is_cut_in_the_table_and_whole_in_json() {
    let env = Env::new();
    let host = format!("{}.com", "h".repeat(70_000));
    env.cli()
        .config()
        .args([
            "profile",
            "add",
            "x",
            "--product",
            "clustered",
            "--host",
            &host,
        ])
        .status(0)
        .run();
    let run = env
        .cli()
        .config()
        .args(["profile", "list"])
        .status(0)
        .stderr("")
        .run();
    let row = run.stdout.lines().nth(1).unwrap();
    assert!(row.starts_with("  x  "), "{row}");
    assert!(row.contains(&format!("{}…", "h".repeat(59))), "{row}");
    assert!(
        row.chars().count() < 200,
        "{} characters",
        row.chars().count()
    );
    let run = env
        .cli()
        .config()
        .args(["--output", "json", "profile", "list"])
        .status(0)
        .run();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["profiles"][0]["host"], host.as_str());
}

// ---------------------------------------------------------------- terminal escapes

const ESCAPES: [&str; 4] = ["\u{1b}]0;pwned\u{7}", "\u{1b}[2J", "\u{0}", "\u{9b}"];

fn assert_no_raw_escapes(text: &str) {
    for raw in ['\u{1b}', '\u{7}', '\u{0}', '\u{9b}'] {
        assert!(!text.contains(raw), "{raw:?} in {text:?}");
    }
}

#[test]
fn secret_decode_shows_names_and_keys_escaped() {
    let env = Env::new();
    let name = format!("admin{}", ESCAPES.concat());
    let doc = serde_json::json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": format!("ns{}", ESCAPES[1])},
        "data": {format!("k{}", ESCAPES[0]): "dG9rZW4=", "token": "dG9rZW4="}
    });
    let path = env.write("secret.json", doc.to_string());
    let run = env
        .cli()
        .args(["secret", "decode"])
        .arg(&path)
        .status(0)
        .run();
    assert_no_raw_escapes(&run.stdout);
    assert_no_raw_escapes(&run.stderr);
    assert!(
        run.stdout
            .contains("secret admin\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\0"),
        "{}",
        run.stdout
    );
}

#[test]
fn doctor_shows_kubectls_stderr_escaped() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    let stub = env.write(
        "kubectl",
        "#!/bin/sh\nprintf 'error: \\033]0;pwned\\007 \\033[2J bad\\n' >&2\nexit 1\n",
    );
    std::fs::set_permissions(&stub, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = env
        .cli()
        .config()
        .env("KUBECTL", &stub)
        .args(["doctor", "-n", "influxdb"])
        .status(1)
        .run();
    assert!(run.stdout.contains("\\u{1b}[2J bad"), "{}", run.stdout);
    assert_no_raw_escapes(&run.stdout);
    assert_no_raw_escapes(&run.stderr);
}

// ---------------------------------------------------------------- one rule per field

#[test]
fn name_and_product_cannot_be_unset_as_name_cannot_be_set() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    env.cli()
        .config()
        .args(["profile", "unset", "default", "name"])
        .status(2)
        .stdout("")
        .stderr("error: cannot unset `name`: every profile has a name; change it with `profile rename OLD NEW`, or remove the profile with `profile remove NAME`\n")
        .file("config.toml", CONFIG)
        .run();
    env.cli()
        .config()
        .args(["profile", "unset", "default", "product"])
        .status(2)
        .stdout("")
        .stderr("error: cannot unset `product`: influxctl needs it; change it with `profile set PROFILE product clustered|dedicated`\n")
        .file("config.toml", CONFIG)
        .run();
    env.cli().config().args(["config", "lint"]).status(0).run();
}

#[test]
fn lint_flags_a_host_that_is_no_host_name() {
    for (host, problem) in [
        ("", "is empty"),
        ("h example", "holds spaces"),
        ("https://h:8443/path", "carries a scheme"),
        ("h:8443", "carries a port"),
    ] {
        let env = Env::new();
        env.write_config(CONFIG, 0o600);
        env.cli()
            .config()
            .args(["profile", "set", "default", "host", host])
            .status(0)
            .run();
        let run = env.cli().config().args(["config", "lint"]).status(1).run();
        assert!(
            run.stdout.contains(&format!("error[invalid-host] line 4: profile `default` has host \"{host}\", which {problem}")),
            "{host:?}: {}",
            run.stdout
        );
    }
}

#[test]
fn a_relative_xdg_config_home_is_ignored_as_influxctl_ignores_it() {
    let env = Env::new();
    let run = env
        .cli()
        .env("XDG_CONFIG_HOME", "rel/dir")
        .args(["config", "path"])
        .status(0)
        .run();
    assert_eq!(
        run.stdout.trim(),
        env.root()
            .join(".config/influxctl/config.toml")
            .display()
            .to_string()
    );
    let run = env
        .cli()
        .env("XDG_CONFIG_HOME", "/abs/dir")
        .args(["config", "path"])
        .status(0)
        .run();
    assert_eq!(run.stdout.trim(), "/abs/dir/influxctl/config.toml");
}

#[test]
fn a_secret_with_a_repeated_key_in_json_is_refused_as_in_yaml() {
    let env = Env::new();
    for text in [
        "{\"kind\": \"Secret\", \"data\": {\"token\": \"YQ==\", \"token\": \"Yg==\"}}",
        "{\"kind\": \"Secret\", \"data\": {\"token\": \"YQ==\"}, \"data\": {\"token\": \"Yg==\"}}",
    ] {
        let path = env.write("secret.json", text);
        let run = env
            .cli()
            .args(["secret", "decode"])
            .arg(&path)
            .arg("--reveal")
            .status(2)
            .stdout("")
            .run();
        assert!(
            run.stderr.contains("duplicate key at line 1 column"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn out_dash_is_stdout_as_reveal_is() {
    let env = Env::new();
    let secret = secret_json(&env);
    env.cli()
        .args(["secret", "decode", &secret, "--out", "-"])
        .status(0)
        .stdout("token")
        .stderr("")
        .run();
    assert!(!env.path("-").exists());
    env.cli()
        .args(["--dry-run", "secret", "decode", &secret, "--out", "-"])
        .status(0)
        .stdout("")
        .stderr("would print 5 bytes on stdout (--out - is --reveal)\n")
        .run();
    let run = env
        .cli()
        .args([
            "--output", "json", "secret", "decode", &secret, "--out", "-",
        ])
        .status(2)
        .run();
    assert!(
        run.stderr
            .starts_with("error: --out - prints the raw value"),
        "{}",
        run.stderr
    );
    assert!(!env.path("-").exists());
}

// ---------------------------------------------------------------- leftovers

#[test]
fn what_kubectl_started_ends_when_kubectl_exits_by_itself() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    let pid_file = env.path("helper.pid");
    // A "credential plugin" left running in kubectl's group, then kubectl gives up by itself.
    let (run, _) = fetch_with_kubectl(
        &env,
        &format!(
            "sleep 300 >/dev/null 2>&1 &\necho $! > '{}'\necho 'error: the request timed out' >&2\nexit 1",
            pid_file.display()
        ),
    );
    assert!(
        run.stderr.contains("the request timed out"),
        "{}",
        run.stderr
    );
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_owned();
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            !stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z'))
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while alive() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let still = alive();
    if still {
        let _ = std::process::Command::new("kill").arg(&pid).status();
    }
    assert!(!still, "the helper (pid {pid}) is still running");
}

#[test]
fn dry_run_shows_the_token_table_it_adds_and_hides_only_secrets() {
    let env = Env::new();
    let config = "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h.example.com\"\n  auth = { oauth2 = { client_id = \"c\", client_secret = \"s3cret\" } }\n";
    env.write_config(config, 0o600);
    let run = env
        .cli()
        .config()
        .args([
            "--dry-run",
            "profile",
            "use-token",
            "default",
            "--token-file",
            "/t/token.json",
        ])
        .status(0)
        .file("config.toml", config)
        .run();
    assert!(
        run.stdout
            .contains("token = { token_file = \"/t/token.json\" }"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("token = \"<hidden>\""),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
}

#[test]
fn a_fifo_is_an_input_error_for_out_and_never_an_empty_token() {
    let env = Env::new();
    let secret = secret_json(&env);
    let fifo = env.path("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let run = env
        .cli()
        .args(["secret", "decode", &secret, "--out"])
        .arg(&fifo)
        .status(2)
        .stdout("")
        .run();
    assert!(
        run.stderr
            .contains("it is a named pipe (FIFO), not a regular file"),
        "{}",
        run.stderr
    );
    let run = env
        .cli()
        .args(["token", "inspect"])
        .arg(&fifo)
        .status(2)
        .stdout("")
        .run();
    assert!(
        run.stderr
            .contains("it is a named pipe (FIFO) and nothing was writing to it"),
        "{}",
        run.stderr
    );
    // A pipe with a writer is read as before (`token inspect <(cat token.json)`).
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("exec \"$0\" token inspect <(printf '{\"access_token\": \"x\"}')")
        .arg(assert_cmd::cargo::cargo_bin("influxctl-admin"))
        .env("HOME", env.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn quick_cluster() -> influxctl_admin_testcluster::TestCluster {
    let d = std::time::Duration::from_millis(100);
    influxctl_admin_testcluster::TestCluster::start(influxctl_admin_testcluster::Options {
        job_delay: d,
        pod_ready_delay: d,
        pod_terminate_delay: d / 2,
        operator_delay: d,
        rsa_bits: 1024,
        ..influxctl_admin_testcluster::Options::default()
    })
}

#[test]
fn two_clusters_with_one_namespace_keep_their_own_saved_manifests() {
    let a = Env::on(quick_cluster());
    let b = Env::on(quick_cluster());
    let config = a.config_path();
    let mut said = Vec::new();
    for env in [&a, &b] {
        let run = env
            .cli()
            .config_at(&config)
            .args(["token", "revoke", "--yes", "--timeout", "60"])
            .status(0)
            .run();
        let line = run
            .stdout
            .lines()
            .find(|l| l.contains("saved the deleted jobs' manifests to"))
            .unwrap_or_else(|| panic!("{}", run.stdout))
            .to_owned();
        assert!(
            line.contains("(context ") && line.contains(", server https://127.0.0.1:"),
            "{line}"
        );
        said.push(line);
    }
    let saved: Vec<String> = std::fs::read_dir(config.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("influxctl-admin-jobs-influxdb"))
        .collect();
    assert_eq!(saved.len(), 2, "{saved:?}\n{said:?}");
    assert_ne!(said[0], said[1]);
}
