//! `token fetch|revoke|create`, `plan` and `doctor`: the admin-token procedures, built by
//! the core as data, printed (`plan`, `--dry-run`) or run with the real kubectl.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::args::{
    ClusterArgs, ClusterNames as NameArgs, DoctorArgs, KubeArgs, PlanArgs, Preflight, RevokeMethod,
    TokenCommand, TokenTarget,
};
use super::config_cmd;
use super::inspect_cmd::{self, now_unix};
use super::output::{diff, Progress, StepLines};
use super::rbac_cmd;
use super::{fsio, Cause, CmdResult, Ctx, Details, Failure, StepCause};
use crate::config::{NewProfile, Product};
use crate::procedure::{self, ClusterNames, Destination, Kind, Method, Procedure, Target};
use crate::runner::doctor::{self, Level};
use crate::runner::verify::Verification;
use crate::runner::{Execution, Host, HostError, Kubectl, Runner, StepReport};

pub fn token(ctx: &Ctx, command: TokenCommand) -> CmdResult {
    match command {
        TokenCommand::Fetch {
            kube,
            target,
            preflight,
        } => {
            let names = cluster_names(None, &target);
            run(
                ctx,
                Kind::Fetch,
                Method::Current,
                false,
                &kube,
                names,
                &target,
                preflight,
                "Fetched the admin token",
            )
        }
        TokenCommand::Revoke {
            method,
            recreate,
            cluster:
                ClusterArgs {
                    kube,
                    names,
                    target,
                },
            preflight,
        } => {
            let names = cluster_names(Some(&names), &target);
            run(
                ctx,
                Kind::Revoke,
                method.into(),
                recreate,
                &kube,
                names,
                &target,
                preflight,
                "Revoked the admin token",
            )
        }
        TokenCommand::Create {
            cluster:
                ClusterArgs {
                    kube,
                    names,
                    target,
                },
            preflight,
        } => {
            let names = cluster_names(Some(&names), &target);
            run(
                ctx,
                Kind::Create,
                Method::Current,
                false,
                &kube,
                names,
                &target,
                preflight,
                "Re-created the admin token",
            )
        }
        TokenCommand::Inspect { path, profile } => inspect_cmd::inspect(ctx, path, &profile),
    }
}

/// Builds procedure `kind` (the same data `plan` prints) and runs it.
#[allow(clippy::too_many_arguments)]
fn run(
    ctx: &Ctx,
    kind: Kind,
    method: Method,
    recreate: bool,
    kube: &KubeArgs,
    names: ClusterNames,
    target: &TokenTarget,
    preflight: Preflight,
    done: &str,
) -> CmdResult {
    let dest = destination(ctx, target);
    let procedure = procedure::build(
        kind,
        &kube_target(kube),
        &names,
        method,
        recreate,
        &dest,
        kube.timeout,
    )
    .map_err(Failure::usage)?;
    execute(ctx, kube, &names, target, &dest, procedure, preflight, done)
}

pub fn plan(ctx: &Ctx, args: PlanArgs) -> CmdResult {
    let ClusterArgs {
        kube,
        names,
        target: token_target,
    } = &args.cluster;
    let names = cluster_names(Some(names), token_target);
    let dest = destination(ctx, token_target);
    let target = kube_target(kube);
    let procedure = procedure::build(
        args.procedure,
        &target,
        &names,
        args.method.into(),
        args.recreate,
        &dest,
        kube.timeout,
    )
    .map_err(Failure::usage)?;
    /// `plan --output json`
    #[derive(Serialize)]
    struct Plan<'a> {
        procedure: &'a Procedure,
    }
    ctx.out.result(
        &Plan {
            procedure: &procedure,
        },
        || {
            if args.shell {
                procedure.to_shell()
            } else if args.docs {
                procedure.to_docs(&names)
            } else {
                procedure.to_list()
            }
        },
    );
    Ok(())
}

pub fn doctor(ctx: &Ctx, args: DoctorArgs) -> CmdResult {
    let target = kube_target(&args.kube);
    let names = cluster_names(
        Some(&args.names),
        &TokenTarget {
            profile: "default".into(),
            token_file: None,
            secret: args.secret.clone(),
            key: "token".into(),
            host: None,
            port: None,
        },
    );
    crate::names::label("namespace", &target.namespace).map_err(Failure::usage)?;
    let method: Method = args.method.into();
    let permissions = rbac_cmd::doctor_checks(ctx, &target, &names, method)?;
    let revoke = procedure::revoke(&target, &names, method, None, args.kube.timeout)
        .map_err(Failure::usage)?;
    let kubectl = Kubectl::find(args.kube.kubectl.as_deref());
    let mut checks = doctor::cluster_checks(
        kubectl.as_ref(),
        &target,
        &names,
        &args.secret,
        &permissions,
        &rbac_cmd::fix_command(&revoke, &names),
        now_unix(),
    );
    checks.push(doctor::influxctl_check(None));
    checks.push(config_check(&ctx.config_path));
    let failed = checks.iter().filter(|c| c.level == Level::Fail).count();
    /// `doctor --output json`
    #[derive(Serialize)]
    struct Doctor<'a> {
        ok: bool,
        checks: &'a [doctor::Check],
    }
    let document = Doctor {
        ok: failed == 0,
        checks: &checks,
    };
    ctx.out.result(&document, || {
        let mut text = String::new();
        for check in &checks {
            let level = match check.level {
                Level::Ok => "ok  ",
                Level::Warn => "warn",
                Level::Fail => "FAIL",
            };
            // Messages pass kubectl's stderr on: escape sequences shown, not obeyed.
            let shown = |t: &str| crate::config::text::escape_controls(t, true).into_owned();
            text.push_str(&format!(
                "{level}  {:<16} {}\n",
                shown(check.name),
                shown(&check.message)
            ));
            if let Some(hint) = &check.hint {
                text.push_str(&format!("      {:<16} hint: {}\n", "", shown(hint)));
            }
        }
        text
    });
    if failed > 0 {
        return Err(Failure::operation(format!(
            "{failed} check{} failed",
            if failed == 1 { "" } else { "s" }
        ))
        .reported());
    }
    Ok(())
}

fn config_check(path: &Path) -> doctor::Check {
    let name = "config";
    match config_cmd::read(path) {
        Err(_) if !path.exists() => doctor::Check::new(
            name,
            Level::Warn,
            format!("{} does not exist", path.display()),
            Some(format!(
                "`{} token fetch --host HOST` creates it",
                crate::program::name()
            )),
        ),
        Err(failure) => {
            let hint = failure.hint_line();
            doctor::Check::new(name, Level::Fail, failure.message, hint)
        }
        Ok(text) => match crate::config::lint(&text) {
            Err(e) => {
                doctor::Check::new(name, Level::Fail, format!("{}: {e}", path.display()), None)
            }
            Ok(findings) => {
                let errors = findings
                    .iter()
                    .filter(|f| f.severity == crate::config::Severity::Error)
                    .count();
                let warnings = findings
                    .iter()
                    .filter(|f| f.severity == crate::config::Severity::Warning)
                    .count();
                let level = if errors > 0 {
                    Level::Fail
                } else if warnings > 0 {
                    Level::Warn
                } else {
                    Level::Ok
                };
                doctor::Check::new(
                    name,
                    level,
                    format!("{}: {errors} errors, {warnings} warnings", path.display()),
                    (level != Level::Ok)
                        .then(|| format!("run `{} config lint`", crate::program::name())),
                )
            }
        },
    }
}

impl From<RevokeMethod> for Method {
    fn from(m: RevokeMethod) -> Method {
        match m {
            RevokeMethod::Current => Method::Current,
            RevokeMethod::Original => Method::Original,
        }
    }
}

pub(super) fn kube_target(kube: &KubeArgs) -> Target {
    Target {
        namespace: kube.namespace.clone(),
        context: kube.context.clone(),
        kubeconfig: kube.kubeconfig.as_ref().map(|p| p.display().to_string()),
    }
}

pub(super) fn cluster_names(names: Option<&NameArgs>, target: &TokenTarget) -> ClusterNames {
    let defaults = ClusterNames::default();
    ClusterNames {
        admin_secret: target.secret.clone(),
        token_key: target.key.clone(),
        rsa_secret: names.map_or(defaults.rsa_secret, |n| n.rsa_secret.clone()),
        pod_selector: names.map_or(defaults.pod_selector, |n| n.selector.clone()),
        key_gen_prefix: names.map_or(defaults.key_gen_prefix, |n| n.key_gen_job.clone()),
        key_gen_job: names.and_then(|n| n.key_gen_job_name.clone()),
        create_token_prefix: names
            .map_or(defaults.create_token_prefix, |n| n.create_token_job.clone()),
        create_token_job: names.and_then(|n| n.create_token_job_name.clone()),
    }
}

/// The token file: `--token-file`, else `token.json` beside the config file.
pub(super) fn destination(ctx: &Ctx, target: &TokenTarget) -> Destination {
    let file = target
        .token_file
        .clone()
        .unwrap_or_else(|| ctx.config_path.with_file_name("token.json"));
    Destination {
        token_file: fsio::absolute(&file).display().to_string(),
        profile: target.profile.clone(),
    }
}

/// Runs `procedure` (or, with --dry-run, shows it and the file changes it would make).
/// Unless `--skip-preflight`, it first checks that every permission the procedure needs is
/// granted, and stops, nothing changed, if one is not. A dry run lists those checks but
/// asks nothing of the cluster.
#[allow(clippy::too_many_arguments)]
fn execute(
    ctx: &Ctx,
    kube: &KubeArgs,
    names: &ClusterNames,
    target: &TokenTarget,
    dest: &Destination,
    procedure: Procedure,
    preflight: Preflight,
    done: &str,
) -> CmdResult {
    let fetches: Vec<(String, String)> = procedure
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            procedure::Action::FetchToken {
                token_file,
                profile,
            } => Some((token_file.clone(), profile.clone())),
            _ => None,
        })
        .collect();
    let mut sink = ConfigSink {
        ctx,
        host: target.host.clone(),
        port: target.port.clone(),
        token_file: dest.token_file.clone(),
        profile: dest.profile.clone(),
        changes: Vec::new(),
        kube: None,
        cluster: std::cell::OnceCell::new(),
    };
    // Before anything runs: the config must be editable as the fetch will need.
    let mut diffs = String::new();
    for (token_file, profile) in &fetches {
        let (before, after) = sink.edited_config(token_file, profile)?;
        diffs.push_str(&diff(&ctx.config_path, &before, &after, ctx.show_secrets));
    }
    let checks = crate::rbac::checks(&procedure).map_err(Failure::operation)?;
    if ctx.dry_run {
        let preflight_text = if preflight.skip_preflight {
            String::new()
        } else {
            let subjects: Vec<String> = checks.iter().map(|c| c.subject()).collect();
            format!(
                "Preflight (not run by --dry-run): first checks that you may {}\n",
                subjects.join(", ")
            )
        };
        /// `token … --dry-run --output json`
        #[derive(Serialize)]
        struct DryRun<'a> {
            dry_run: bool,
            procedure: &'a Procedure,
            config_diff: &'a str,
            preflight: Option<&'a [crate::rbac::Permission]>,
        }
        let document = DryRun {
            dry_run: true,
            procedure: &procedure,
            config_diff: &diffs,
            preflight: (!preflight.skip_preflight).then_some(&checks),
        };
        ctx.out.result(&document, || {
            format!("{}{}{}", procedure.to_list(), preflight_text, diffs)
        });
        ctx.out.status("dry run: nothing was run or changed");
        return Ok(());
    }
    refuse_without_terminal(ctx, &procedure)?;
    // A file that cannot be replaced fails the command now, not after the cluster changed.
    if !fetches.is_empty() {
        for path in [ctx.config_path.as_path(), Path::new(&dest.token_file)] {
            fsio::check_writable(path).map_err(|e| {
                Failure::usage(format!("cannot write {}: {e}", path.display()))
                    .hint("nothing was run or changed")
            })?;
        }
    }
    let kubectl = Kubectl::find(kube.kubectl.as_deref()).map_err(|e| {
        Failure::operation(&e)
            .hint(e.hint())
            .cause(Cause::KubectlNotFound)
    })?;
    sink.kube = Some((kubectl.clone(), procedure.target.clone()));
    ctx.out.status(&procedure.title);
    let preflight = if preflight.skip_preflight {
        None
    } else {
        Some(rbac_cmd::preflight(ctx, &kubectl, &procedure, names)?)
    };
    confirm(ctx, &procedure)?;
    if !fetches.is_empty() {
        let check = doctor::influxctl_check(None);
        if check.level != Level::Ok {
            ctx.out.warn(format!(
                "{}{}",
                check.message,
                check.hint.map(|h| format!("; {h}")).unwrap_or_default()
            ));
        }
    }
    let progress = if ctx.out.quiet || ctx.out.json {
        Progress::Silent
    } else if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        Progress::Live
    } else {
        Progress::Lines
    };
    let lines = StepLines {
        out: &ctx.out,
        progress,
        verbose: ctx.verbose,
    };
    let mut runner = Runner {
        kubectl: &kubectl,
        names,
        events: &lines,
        host: &mut sink,
    };
    match runner.run(&procedure) {
        Ok(execution) => {
            let changes = sink.changes.clone();
            let document = Done {
                ok: true,
                procedure: procedure.kind,
                method: procedure.method,
                steps: &execution.steps,
                jobs: &execution.jobs,
                verification: execution.verification.as_ref(),
                changes: &changes,
                preflight: preflight.as_deref(),
            };
            ctx.out.result(&document, || {
                summary(done, &procedure, &execution, &changes, !fetches.is_empty())
            });
            Ok(())
        }
        Err(failure) => {
            let crate::runner::StepFailure {
                execution,
                message,
                step,
                title,
                command,
                error,
            } = *failure;
            // The message is the step's whole report, its hint included: the hint is a
            // field of the cause only, not a second line.
            let cause = StepCause {
                cause: error.kind(),
                step,
                title,
                command,
                exit_code: error.exit_code(),
                stderr: error.process().map(|p| p.stderr.clone()),
                hint: error.hint(),
            };
            Err(Failure::operation(message)
                .cause(Cause::Step(Box::new(cause)))
                .details(Details::Run {
                    steps: execution.steps,
                    verification: execution.verification,
                }))
        }
    }
}

/// `token fetch|revoke|create --output json`
#[derive(Serialize)]
struct Done<'a> {
    ok: bool,
    procedure: Kind,
    method: Option<Method>,
    steps: &'a [StepReport],
    jobs: &'a std::collections::BTreeMap<procedure::JobVar, String>,
    verification: Option<&'a Verification>,
    changes: &'a [String],
    preflight: Option<&'a [rbac_cmd::Checked]>,
}

fn summary(
    done: &str,
    procedure: &Procedure,
    execution: &Execution,
    changes: &[String],
    fetched: bool,
) -> String {
    let mut text = format!("{done} (namespace {}).\n", procedure.target.namespace);
    if let Some(v) = &execution.verification {
        for (name, check) in v.checks() {
            let (mark, detail) = match check {
                crate::runner::verify::Check::Passed(d) => ("ok  ", d),
                crate::runner::verify::Check::Failed(d) => ("FAIL", d),
                crate::runner::verify::Check::NotChecked(d) => ("n/a ", d),
            };
            text.push_str(&format!("  {mark} {name}: {detail}\n"));
        }
    }
    for change in changes {
        text.push_str(&format!("  {change}\n"));
    }
    if procedure.kind == Kind::Revoke && !fetched {
        let program = crate::program::name();
        text.push_str(&match procedure.method {
            // The original method re-runs key-gen only: the secret still holds the old token.
            Some(Method::Original) => format!("next: the token file still holds the old, revoked token, and so does the secret (this method makes no new one); run `{program} token create` to make and fetch a new admin token (or revoke with --recreate)\n"),
            _ => format!("next: the token file still holds the old, revoked token; run `{program} token fetch` to fetch the new admin token the operator made (or revoke with --recreate)\n"),
        });
    }
    text
}

/// A destructive command without --yes and without a terminal to ask on: refused before
/// anything talks to the cluster.
fn refuse_without_terminal(ctx: &Ctx, procedure: &Procedure) -> CmdResult {
    if ctx.interactive {
        return Ok(());
    }
    confirm(ctx, procedure)
}

fn confirm(ctx: &Ctx, procedure: &Procedure) -> CmdResult {
    if !procedure.is_destructive() || ctx.yes {
        return Ok(());
    }
    if !ctx.interactive {
        return Err(Failure::usage(format!(
            "`{}` deletes secrets, jobs and pods in namespace {}; confirm with --yes (there is no terminal to ask on)",
            procedure.kind.name(),
            procedure.target.namespace,
        ))
        .hint(format!(
            "see exactly what it does with `{} plan {}`",
            crate::program::name(),
            procedure.kind.name()
        )));
    }
    super::output::to_stderr(&format!(
        "{}.\nThis deletes secrets, jobs and pods in namespace {}. Continue? [y/N] ",
        procedure.title, procedure.target.namespace
    ));
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
        Ok(())
    } else {
        Err(Failure::usage("cancelled; nothing was changed"))
    }
}

/// Writes a fetched token to its file (0600, atomic) and points the profile at it; if
/// the config cannot be written, the token file is put back as it was.
struct ConfigSink<'a> {
    ctx: &'a Ctx,
    /// kubectl and where it points, to ask which cluster that is when manifests are saved
    /// or read (not before: a refused preflight runs nothing more).
    kube: Option<(Kubectl, Target)>,
    /// The cluster kubectl talks to (context and server), which the saved job manifests
    /// are kept for; `None` inside when kubectl could not say.
    cluster: std::cell::OnceCell<Option<Cluster>>,
    host: Option<String>,
    port: Option<String>,
    /// The token file the command writes, or would (`--token-file` or the default).
    token_file: String,
    profile: String,
    changes: Vec<String>,
}

impl ConfigSink<'_> {
    /// The config's text now and after pointing `profile` at `token_file`.
    fn edited_config(&self, token_file: &str, profile: &str) -> Result<(String, String), Failure> {
        let path = &self.ctx.config_path;
        let (mut config, before) = config_cmd::load_text(path, true)?;
        if config.profile(profile).is_ok() {
            config.use_token_file(profile, token_file)?;
        } else {
            let Some(host) = self.host.clone() else {
                return Err(Failure::usage(format!(
                    "profile `{profile}` does not exist in {}",
                    path.display()
                ))
                .hint("pass --host HOST (and --port PORT) to create it, or --profile NAME to use another"));
            };
            config.add_profile(&NewProfile {
                name: profile.to_owned(),
                product: Product::Clustered,
                host: Some(host),
                port: self.port.clone(),
                token_file: Some(token_file.to_owned()),
                ..Default::default()
            })?;
        }
        Ok((before, config.render()))
    }
}

impl ConfigSink<'_> {
    /// Where deleted jobs' manifests are kept: beside the config file, per namespace.
    fn cluster(&self) -> &Option<Cluster> {
        self.cluster.get_or_init(|| {
            self.kube
                .as_ref()
                .and_then(|(kubectl, target)| Cluster::of(kubectl, target))
        })
    }

    /// Beside the config, one file per cluster and namespace: two clusters with a
    /// namespace `influxdb` never overwrite each other's manifests.
    fn saved_jobs_path(&self, namespace: &str) -> PathBuf {
        let name = match self.cluster() {
            Some(cluster) => format!("influxctl-admin-jobs-{namespace}-{}.json", cluster.key()),
            None => format!("influxctl-admin-jobs-{namespace}.json"),
        };
        self.ctx.config_path.with_file_name(name)
    }
}

/// The cluster kubectl talks to, as its kubeconfig names it.
struct Cluster {
    context: String,
    server: String,
}

impl Cluster {
    /// Asks kubectl (`config view --minify`: the kubeconfig only, no request) which context
    /// and server `target` means.
    fn of(kubectl: &Kubectl, target: &Target) -> Option<Cluster> {
        let argv = target.kubectl_argv(&[
            "config",
            "view",
            "--minify",
            "-o",
            "jsonpath={.contexts[0].name}{\"\\n\"}{.clusters[0].cluster.server}",
        ]);
        let out = kubectl
            .run(&argv, None, std::time::Duration::from_secs(10), |_| None)
            .ok()
            .filter(|o| o.success())?;
        let text = String::from_utf8(out.stdout).ok()?;
        let (context, server) = text.trim().split_once('\n')?;
        (!context.is_empty() && !server.is_empty()).then(|| Cluster {
            context: context.to_owned(),
            server: server.to_owned(),
        })
    }

    /// 12 hex digits of SHA-256 over the context and the server.
    fn key(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{}\n{}", self.context, self.server));
        digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
    }
}

impl Host for ConfigSink<'_> {
    fn save_jobs(&mut self, namespace: &str, jobs: &[serde_json::Value]) -> Result<(), HostError> {
        if jobs.is_empty() {
            return Ok(());
        }
        // The runner passes exactly what a resume needs (the newest manifest per job
        // prefix), so the file stays a few kilobytes however many revokes run.
        let path = self.saved_jobs_path(namespace);
        let text = serde_json::to_vec_pretty(jobs).expect("JSON values serialise");
        fsio::write_atomic(&path, &text, 0o600, false)
            .map_err(|e| HostError::new(format!("{}: {e}", path.display())))?;
        let change = match self.cluster() {
            Some(c) => format!(
                "saved the deleted jobs' manifests to {} (context {}, server {})",
                path.display(),
                c.context,
                c.server
            ),
            None => format!("saved the deleted jobs' manifests to {}", path.display()),
        };
        if !self.changes.contains(&change) {
            self.changes.push(change);
        }
        Ok(())
    }

    fn saved_jobs(&self, namespace: &str) -> Vec<serde_json::Value> {
        fsio::read_regular(&self.saved_jobs_path(namespace))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn previous_token(&self) -> Option<(Vec<u8>, String)> {
        // The profile's token file if it has one, else where this command writes.
        let configured = config_cmd::load(&self.ctx.config_path)
            .ok()
            .and_then(|c| c.profile(&self.profile).ok())
            .and_then(|p| p.token_file);
        let path = configured.unwrap_or_else(|| self.token_file.clone());
        fsio::read_regular(Path::new(&path))
            .ok()
            .filter(|t| !t.is_empty())
            .map(|t| (t, path))
    }

    fn store_token(
        &mut self,
        token: &[u8],
        token_file: &str,
        profile: &str,
    ) -> Result<String, HostError> {
        // Held from reading the config to writing it, as every edit of the config does.
        let _lock = config_cmd::lock(&self.ctx.config_path).map_err(host_error)?;
        let (before, after) = self
            .edited_config(token_file, profile)
            .map_err(host_error)?;
        let token_path = PathBuf::from(token_file);
        let previous = match fsio::read_regular(&token_path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(HostError::with_hint(
                    format!("cannot read the token file {token_file}: {e}"),
                    "nothing was changed",
                ))
            }
        };
        let previous_mode = fsio::mode_of(&token_path);
        fsio::write_atomic(&token_path, token, 0o600, true).map_err(|e| {
            HostError::with_hint(
                format!("failed to write the token file {token_file}: {e}"),
                "nothing was changed",
            )
        })?;
        let config_written = if before == after {
            Ok(())
        } else {
            fsio::write_atomic(&self.ctx.config_path, after.as_bytes(), 0o600, false)
                .map_err(|e| format!("failed to write {}: {e}", self.ctx.config_path.display()))
        };
        if let Err(message) = config_written {
            // Put the token file back, so a failed command leaves every file as it was.
            let restored = match previous {
                Some(bytes) => {
                    fsio::write_atomic(&token_path, &bytes, previous_mode.unwrap_or(0o600), true)
                }
                None => std::fs::remove_file(&token_path),
            };
            let note = if restored.is_ok() {
                "the token file was restored"
            } else {
                "the token file could not be restored"
            };
            return Err(HostError::new(format!("{message}; {note}")));
        }
        let report = crate::token::inspect(token, now_unix());
        self.changes.push(format!(
            "wrote {token_file} ({} bytes, {}, mode 0600)",
            report.bytes, report.fingerprint
        ));
        if before != after {
            self.changes.push(format!(
                "profile `{profile}` in {} now uses it",
                self.ctx.config_path.display()
            ));
        } else {
            self.changes
                .push(format!("profile `{profile}` already used it"));
        }
        Ok(format!("{} bytes written to {token_file}", report.bytes))
    }
}

/// A CLI failure as the runner's host error, its hints kept as data.
fn host_error(failure: Failure) -> HostError {
    let hint = failure.hint_line();
    HostError {
        message: failure.message,
        hint,
    }
}
