//! The CLI test builder (tests/support/) checks what it is told to: each check fails a run
//! that breaks it, so that a test written with it cannot pass by accident.

mod support;
use support::Env;

const CONFIG: &str =
    "[[profile]]\n  name = \"default\"\n  product = \"clustered\"\n  host = \"h\"\n";

fn set_host(env: &Env) -> support::Cli<'_> {
    env.cli()
        .config()
        .args(["profile", "set", "default", "host", "example.com"])
}

#[test]
fn the_checks_pass_a_run_that_meets_them() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    env.cli()
        .config()
        .args(["profile", "set", "nope", "host", "x"])
        .status(2)
        .stderr_contains("nope")
        .stdout("")
        .unchanged("config.toml")
        .no_file("config.toml.lock")
        .run();
    set_host(&env)
        .status(0)
        .file("config.toml", CONFIG.replace("\"h\"", "\"example.com\""))
        .run();
}

#[test]
#[should_panic(expected = "lacks \"no such text\"")]
fn stderr_contains_fails_a_run_whose_stderr_lacks_the_text() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    env.cli()
        .config()
        .args(["profile", "set", "nope", "host", "x"])
        .stderr_contains("no such text")
        .run();
}

#[test]
#[should_panic(expected = "lacks \"no such text\"")]
fn stdout_contains_fails_a_run_whose_stdout_lacks_the_text() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    env.cli()
        .config()
        .args(["profile", "list"])
        .stdout_contains("no such text")
        .run();
}

#[test]
#[should_panic(expected = "config.toml after")]
fn unchanged_fails_a_run_that_changed_the_file() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    set_host(&env).unchanged("config.toml").run();
}

#[test]
#[should_panic(expected = "exit status")]
fn status_fails_a_run_with_another_exit_status() {
    let env = Env::new();
    env.write_config(CONFIG, 0o600);
    set_host(&env).status(2).run();
}
