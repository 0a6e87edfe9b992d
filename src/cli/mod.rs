//! The `influxctl-admin` command line: argument parsing, output, exit codes, and the
//! commands, each a thin layer over the core (config, secret, token, procedure) and the
//! kubectl runner.

mod args;
mod config_cmd;
mod failure;
mod fsio;
mod inspect_cmd;
mod interrupt;
mod output;
mod rbac_cmd;
mod secret_cmd;
mod token_cmd;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

pub use args::Cli;
use args::{Command, OutputFormat};
pub use failure::{Cause, Details, Failure, FailureKind, StepCause};
use output::Out;

pub type CmdResult = Result<(), Failure>;

/// What every command gets: the global options, resolved.
pub struct Ctx {
    pub out: Out,
    pub config_path: PathBuf,
    pub yes: bool,
    pub dry_run: bool,
    /// `--show-secrets`: print secret values where file text is shown.
    pub show_secrets: bool,
    pub verbose: bool,
    pub interactive: bool,
}

/// `cmd` and its subcommands with their examples (`after_help`) written for `name`; the
/// completions example stays `influxctl-admin`'s (a shell completes the binary's name).
fn examples_for(mut cmd: clap::Command, name: &str) -> clap::Command {
    if let Some(help) = cmd.get_after_help() {
        let help = help
            .to_string()
            .replace("influxctl-admin ", &format!("{name} "));
        cmd = cmd.after_help(help);
    }
    cmd.mut_subcommands(|sub| match sub.get_name() {
        "completions" => sub,
        _ => examples_for(sub, name),
    })
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let name = crate::program::name().to_owned();
    let mut command = Cli::command().bin_name(name.clone());
    if name != "influxctl-admin" {
        command = examples_for(command, &name);
    }
    let cli = match command.try_get_matches().and_then(|m| {
        use clap::FromArgMatches;
        Cli::from_arg_matches(&m)
    }) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let json = cli.global.output == OutputFormat::Json;
    let out = Out::new(json, cli.global.quiet);
    let config_path = match cli.global.config.clone().or_else(fsio::default_config_path) {
        Some(path) => path,
        None => {
            return report(
                &out,
                Failure::usage("cannot find influxctl's config directory (HOME is not set)")
                    .hint("pass --config PATH"),
            )
        }
    };
    let ctx = Ctx {
        out,
        config_path,
        yes: cli.global.yes,
        dry_run: cli.global.dry_run,
        show_secrets: cli.global.show_secrets,
        verbose: cli.global.verbose,
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
    };
    let result = match cli.command {
        Command::Profile(cmd) => config_cmd::profile(&ctx, cmd),
        Command::Config(cmd) => config_cmd::config(&ctx, cmd),
        Command::Secret(cmd) => secret_cmd::secret(&ctx, cmd),
        Command::Token(cmd) => token_cmd::token(&ctx, cmd),
        Command::Plan(args) => token_cmd::plan(&ctx, args),
        Command::Doctor(args) => token_cmd::doctor(&ctx, args),
        Command::Rbac(args) => rbac_cmd::rbac(&ctx, args),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when its writer fails.
            let mut script = Vec::new();
            // Always for `influxctl-admin`: a shell completes one word, and kubectl completes
            // its plugins itself.
            clap_complete::generate(shell, &mut Cli::command(), "influxctl-admin", &mut script);
            ctx.out.stdout(&script);
            Ok(())
        }
    };
    let failed_write = ctx.out.write_failure();
    let code = match (result, failed_write) {
        (Err(failure), _) => report(&ctx.out, failure),
        // A reader that went away (`| head -1`): end quietly, as other Unix tools do.
        (Ok(()), Some(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            crate::runner::kubectl::die_of(SIGPIPE);
            ExitCode::from(141)
        }
        (Ok(()), Some(err)) => report(
            &ctx.out,
            Failure::operation(format!("cannot write the output to stdout: {err}")),
        ),
        (Ok(()), None) => ExitCode::SUCCESS,
    };
    // Ctrl-C stopped a kubectl run (and everything it started): having said so, end as
    // the signal means, so that a calling shell or script sees the interruption.
    if let Some(signal) = crate::runner::kubectl::interrupted_by() {
        crate::runner::kubectl::die_of(signal);
    }
    code
}

#[cfg(unix)]
const SIGPIPE: i32 = libc::SIGPIPE;
#[cfg(not(unix))]
const SIGPIPE: i32 = 13;

fn report(out: &Out, failure: Failure) -> ExitCode {
    out.error(&failure);
    failure.exit_code()
}
