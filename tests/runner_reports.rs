//! What the runner reports, as data: the `--output json` error document of a failed step
//! (the runner's cause, the step, the command, kubectl's exit code, the hint, beside the
//! human message that stays as it was).

use assert_cmd::Command;
use influxctl_admin_testcluster::{Options, TestCluster};
use serde_json::Value;

/// `influxctl-admin --output json token fetch` into `dir` against `cluster`, plus `extra`.
fn json_fetch(
    cluster: &TestCluster,
    dir: &std::path::Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    Command::cargo_bin("influxctl-admin")
        .unwrap()
        .env("HOME", cluster.home_dir())
        .env_remove("KUBECONFIG")
        .env_remove("KUBECTL")
        .env_remove("INFLUXCTL_PROFILE")
        .arg("--config")
        .arg(dir.join("config.toml"))
        .args([
            "--output",
            "json",
            "token",
            "fetch",
            "--host",
            "h.example.com",
            "--token-file",
        ])
        .arg(dir.join("token.json"))
        .arg("--kubeconfig")
        .arg(cluster.kubeconfig_path())
        .args(extra)
        .assert()
}

#[test]
fn a_failed_kubectl_step_is_a_typed_error_in_json() {
    let cluster = TestCluster::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let out = json_fetch(&cluster, dir.path(), &["--secret", "no-such-secret"]).code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let error = &doc["error"];
    assert_eq!(doc["ok"], false, "{doc:#}");
    assert_eq!(error["kind"], "operation", "{doc:#}");
    assert_eq!(error["cause"], "kubectl-exit", "{doc:#}");
    assert_eq!(error["step"], 1, "{doc:#}");
    assert_eq!(error["exit_code"], 1, "{doc:#}");
    let command = error["command"].as_str().unwrap();
    assert!(
        command.starts_with("kubectl ") && command.contains("no-such-secret"),
        "{doc:#}"
    );
    assert!(
        error["stderr"].as_str().unwrap().contains("NotFound"),
        "{doc:#}"
    );
    assert!(
        error["hint"].as_str().unwrap().contains("missing"),
        "{doc:#}"
    );
    // The human message is the one the text mode prints, hint included.
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("step 1 of "), "{message}");
    assert!(
        message.contains(&format!("  command: {command}\n")),
        "{message}"
    );
    assert!(message.contains("\n    hint: "), "{message}");
    assert_eq!(doc["details"]["steps"][0]["status"], "failed", "{doc:#}");
    assert!(!dir.path().join("token.json").exists());
}

/// A host that keeps the token in memory.
#[derive(Default)]
struct Memory {
    token: Option<Vec<u8>>,
}

impl influxctl_admin::runner::Host for Memory {
    fn store_token(
        &mut self,
        token: &[u8],
        token_file: &str,
        _profile: &str,
    ) -> Result<String, influxctl_admin::runner::HostError> {
        self.token = Some(token.to_vec());
        Ok(format!("kept {token_file} in memory"))
    }
    fn save_jobs(
        &mut self,
        _namespace: &str,
        _jobs: &[Value],
    ) -> Result<(), influxctl_admin::runner::HostError> {
        Ok(())
    }
    fn saved_jobs(&self, _namespace: &str) -> Vec<Value> {
        Vec::new()
    }
    fn previous_token(&self) -> Option<(Vec<u8>, String)> {
        None
    }
}

#[test]
fn the_runner_reports_steps_and_commands_as_events_and_writes_nothing_itself() {
    use influxctl_admin::procedure::{self, ClusterNames, Destination, Target};
    use influxctl_admin::runner::{Event, Kubectl, Recorder, Runner, Status};

    let cluster = TestCluster::start(Options::default());
    // kubectl keeps its discovery cache under HOME: this test's own (nextest runs each
    // test in a process of its own).
    std::env::set_var("HOME", cluster.home_dir());
    std::env::remove_var("KUBECONFIG");
    let target = Target {
        namespace: cluster.namespace().to_owned(),
        context: None,
        kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
    };
    let names = ClusterNames::default();
    let dest = Destination {
        token_file: "/nowhere/token.json".into(),
        profile: "default".into(),
    };
    let procedure = procedure::fetch(&target, &names, &dest, 60).unwrap();
    let kubectl = Kubectl::find(None).unwrap();
    let recorder = Recorder::default();
    let mut host = Memory::default();
    let execution = Runner {
        kubectl: &kubectl,
        names: &names,
        events: &recorder,
        host: &mut host,
    }
    .run(&procedure)
    .unwrap();
    assert_eq!(
        host.token.as_deref(),
        Some(&cluster.secret("admin-token").unwrap()["token"][..])
    );

    // Each step: started, its command, (progress,) finished, in that order.
    let events: Vec<Event> = recorder
        .events()
        .into_iter()
        .filter(|e| !matches!(e, Event::Progress { .. }))
        .collect();
    let total = procedure.steps.len();
    assert_eq!(events.len(), 3 * total, "{events:#?}");
    for (i, chunk) in events.chunks(3).enumerate() {
        let Event::StepStarted {
            number,
            total: t,
            label,
        } = &chunk[0]
        else {
            panic!("{chunk:#?}")
        };
        assert_eq!((*number, *t), (i + 1, total));
        assert!(
            label.starts_with(&format!("[{}/{total}] ", i + 1)),
            "{label}"
        );
        let Event::Command { command } = &chunk[1] else {
            panic!("{chunk:#?}")
        };
        let Event::StepFinished(report) = &chunk[2] else {
            panic!("{chunk:#?}")
        };
        assert_eq!(report.status, Status::Ok);
        assert_eq!(&report.title, label);
        assert_eq!(report.command.as_ref(), Some(command));
        assert_eq!(report.command, execution.steps[i].command);
    }
    // The JSON form of an event, as a sink that writes JSON lines would print it.
    let json = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(json["event"], "step-started", "{json:#}");
}

/// `--output json --verbose` streams the runner's events as JSON lines on stderr, while
/// stdout keeps its one document; without `--verbose`, no event is written (a warning,
/// such as influxctl missing from PATH, still is).
#[test]
fn json_output_with_verbose_streams_the_events_as_json_lines() {
    let cluster = TestCluster::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let run = |verbose: bool| {
        json_fetch(
            &cluster,
            dir.path(),
            if verbose { &["--verbose"] } else { &[] },
        )
        .success()
    };
    let is_event = |line: &str| line.starts_with("{\"event\":");
    let quiet = run(false);
    let quiet_stderr = String::from_utf8_lossy(&quiet.get_output().stderr).into_owned();
    assert!(!quiet_stderr.lines().any(is_event), "{quiet_stderr}");
    let out = run(true);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["ok"], true, "{doc:#}");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let events: Vec<Value> = stderr
        .lines()
        .filter(|l| is_event(l))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .filter_map(|e| e["event"].as_str())
        .filter(|k| *k != "progress")
        .collect();
    assert_eq!(
        kinds,
        ["step-started", "command", "step-finished"],
        "{stderr}"
    );
    assert_eq!(
        events[0]["label"],
        "[1/1] Fetch secret admin-token into ".to_owned()
            + dir.path().join("token.json").to_str().unwrap()
            + " (mode 0600) and point profile `default` at it",
        "{stderr}"
    );
    let token = cluster.secret("admin-token").unwrap()["token"].clone();
    assert!(
        !stderr.contains(&String::from_utf8_lossy(&token).to_string()),
        "no secret in the events"
    );
}
