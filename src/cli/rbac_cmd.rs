//! `rbac` (the Role that grants exactly what the token commands do) and the preflight
//! (the same rules, checked against the cluster before a token command changes anything).
//! The rules come from the core's [`crate::rbac`]; the checks are asked by
//! [`crate::runner::access`].

use std::time::Duration;

use serde::Serialize;

use super::args::{ClusterArgs, RbacArgs};
use super::token_cmd::{cluster_names, kube_target};
use super::{Cause, CmdResult, Ctx, Details, Failure};
use crate::procedure::{ClusterNames, Method, Procedure};
use crate::rbac::{self, Permission, Subject};
use crate::runner::access::{self, Answer};
use crate::runner::Kubectl;

pub fn rbac(ctx: &Ctx, args: RbacArgs) -> CmdResult {
    let ClusterArgs {
        kube,
        names,
        target: token_target,
    } = &args.cluster;
    let names = cluster_names(Some(names), token_target);
    let target = kube_target(kube);
    let method: Method = args.method.into();
    let subject = subject(&args, &target.namespace)?;
    // The token file is named, not placed: the Role is the same on every machine.
    let dest = crate::procedure::Destination {
        token_file: "token.json".into(),
        profile: token_target.profile.clone(),
    };
    let procedures = rbac::covered(&target, &names, method, &dest).map_err(Failure::usage)?;
    let grant = rbac::grant(&procedures, method, &args.role, subject).map_err(|e| match e {
        rbac::GrantError::Name(e) => Failure::usage(e),
        rbac::GrantError::Unknown(e) => Failure::operation(e),
    })?;
    ctx.out.result(&grant.to_list(), || grant.to_yaml());
    Ok(())
}

/// The RoleBinding's subject: `--user`, `--group` or `--service-account [NS:]NAME`; the
/// user `influxctl-admin` by default.
fn subject(args: &RbacArgs, namespace: &str) -> Result<Subject, Failure> {
    Ok(if let Some(name) = &args.user {
        Subject::User { name: name.clone() }
    } else if let Some(name) = &args.group {
        Subject::Group { name: name.clone() }
    } else if let Some(account) = &args.service_account {
        let (namespace, name) = account.split_once(':').unwrap_or((namespace, account));
        Subject::ServiceAccount {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    } else {
        Subject::default()
    })
}

/// One check of the preflight (and one permission line of `doctor`) and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    #[serde(flatten)]
    pub permission: Permission,
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_error: Option<String>,
}

/// Asks the cluster for each of `checks`, within `timeout`.
pub fn ask(
    kubectl: &Kubectl,
    target: &crate::procedure::Target,
    checks: Vec<Permission>,
    timeout: Duration,
) -> Result<Vec<Checked>, access::ReviewError> {
    let answers = access::review(kubectl, target, &checks, timeout)?;
    Ok(checks
        .into_iter()
        .zip(answers)
        .map(
            |(
                permission,
                Answer {
                    allowed,
                    evaluation_error,
                    ..
                },
            )| Checked {
                permission,
                allowed,
                evaluation_error,
            },
        )
        .collect())
}

/// The `influxctl-admin rbac …` command that grants what `procedure` needs, with the flags
/// that change its rules (the names granted by `resourceNames`).
pub fn fix_command(procedure: &Procedure, names: &ClusterNames) -> String {
    let defaults = ClusterNames::default();
    let mut line = format!(
        "{} rbac -n {}",
        crate::program::name(),
        crate::shell::quote(&procedure.target.namespace)
    );
    if procedure.method == Some(Method::Original) {
        line.push_str(" --method original");
    }
    for (flag, value, default) in [
        ("--secret", &names.admin_secret, &defaults.admin_secret),
        ("--rsa-secret", &names.rsa_secret, &defaults.rsa_secret),
    ] {
        if value != default {
            line.push_str(&format!(" {flag} {}", crate::shell::quote(value)));
        }
    }
    if let Some(job) = &names.key_gen_job {
        line.push_str(&format!(" --key-gen-job-name {}", crate::shell::quote(job)));
    }
    line
}

/// The preflight of a token command: checks every permission `procedure` needs, in one
/// access review. `Ok(checks)` when all are granted; otherwise the failure that stops the
/// command, nothing having changed.
pub fn preflight(
    ctx: &Ctx,
    kubectl: &Kubectl,
    procedure: &Procedure,
    names: &ClusterNames,
) -> Result<Vec<Checked>, Failure> {
    let checks = rbac::checks(procedure).map_err(Failure::operation)?;
    let fix = fix_command(procedure, names);
    let command = format!("token {}", procedure.kind.name());
    let ns = &procedure.target.namespace;
    if ctx.verbose && !ctx.out.json {
        super::output::to_stderr(&format!(
            "  $ {}\n",
            kubectl.display(&access::argv(&procedure.target))
        ));
    }
    let timeout = Duration::from_secs(procedure.timeout_secs);
    let checked = match ask(kubectl, &procedure.target, checks, timeout) {
        Ok(checked) => checked,
        Err(e) => {
            // Refused: perhaps the cluster forbids access reviews. Not finished (a timeout,
            // a login waiting): skipping the check would only meet the same at step 1.
            let skip = "if this cluster does not allow access reviews (SelfSubjectAccessReview, what `kubectl auth can-i` asks), run again with --skip-preflight";
            let hint = match (&e.hint, e.refused) {
                (Some(h), true) => format!("{h}; {skip}"),
                (Some(h), false) => h.clone(),
                (None, true) => skip.to_owned(),
                (None, false) => {
                    "check the cluster and kubectl's credentials, then run again".to_owned()
                }
            };
            let message = format!(
                "could not check the permissions `{command}` needs in namespace {ns}, so nothing was run or changed: {e}\n  command: {}",
                e.command
            );
            let (command, exit_code) = (e.command, e.exit_code);
            let cause = if e.refused {
                Cause::PreflightRefused { command, exit_code }
            } else {
                Cause::PreflightUnfinished { command, exit_code }
            };
            return Err(Failure::operation(message).hint(hint).cause(cause));
        }
    };
    let missing: Vec<&Checked> = checked.iter().filter(|c| !c.allowed).collect();
    if missing.is_empty() {
        ctx.out.status(if checked.len() == 1 {
            format!(" ok  Preflight: the one permission `{command}` needs is granted")
        } else {
            format!(
                " ok  Preflight: the {} permissions `{command}` needs are granted",
                checked.len()
            )
        });
        if ctx.verbose {
            ctx.out.status(table(&checked));
        }
        return Ok(checked);
    }
    let mut message = format!(
        "missing permission{s} in namespace {ns}: `{command}` needs {n} that you do not have, so nothing was run or changed",
        s = if missing.len() == 1 { "" } else { "s" },
        n = if missing.len() == 1 { "one".to_owned() } else { missing.len().to_string() },
    );
    for check in &missing {
        message.push_str(&format!(
            "\n  cannot {}: needed by {}",
            check.permission.subject(),
            needs_long(&check.permission)
        ));
        if let Some(why) = &check.evaluation_error {
            message.push_str(&format!("\n    (the authorizer said: {why})"));
        }
    }
    let hint = format!(
        "ask a cluster admin to apply the Role that grants exactly what {} needs: `{fix} --user YOUR-USER | kubectl apply -f -` (`{fix}` prints it); or run again with --skip-preflight to try anyway",
        crate::program::name()
    );
    let missing = missing.into_iter().cloned().collect();
    Err(Failure::operation(message)
        .hint(hint)
        .cause(Cause::PermissionDenied { missing, fix })
        .details(Details::Preflight { preflight: checked }))
}

/// `step 3 (Delete secrets rsa-keys and admin-token)`; several steps, each so.
fn needs_long(permission: &Permission) -> String {
    let steps: Vec<String> = permission
        .needed_by
        .iter()
        .map(|n| format!("step {} ({})", n.step, n.title))
        .collect();
    steps.join(", ")
}

/// The checks as a table: status, permission, the steps that need it.
pub fn table(checked: &[Checked]) -> String {
    let width = checked
        .iter()
        .map(|c| c.permission.subject().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for c in checked {
        text.push_str(&format!(
            "  {:<7} {:<width$}  {}\n",
            if c.allowed { "ok" } else { "MISSING" },
            c.permission.subject(),
            c.permission.needed_by_short()
        ));
    }
    text.trim_end().to_owned()
}

/// The permissions `doctor` checks: those of the Role `rbac --method METHOD` prints.
pub fn doctor_checks(
    ctx: &Ctx,
    target: &crate::procedure::Target,
    names: &ClusterNames,
    method: Method,
) -> Result<Vec<Permission>, Failure> {
    let dest = crate::procedure::Destination {
        token_file: ctx
            .config_path
            .with_file_name("token.json")
            .display()
            .to_string(),
        profile: "default".into(),
    };
    let procedures = rbac::covered(target, names, method, &dest).map_err(Failure::usage)?;
    let refs: Vec<&Procedure> = procedures.iter().collect();
    let permissions = rbac::permissions(&refs).map_err(Failure::operation)?;
    Ok(rbac::rules(&permissions)
        .into_iter()
        .flat_map(|r| r.grants)
        .collect())
}
