//! `doctor`: every precondition of the procedures, one line each, with what to do.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::error::FindError;
use super::kubectl::{hint_for, Kubectl, Output, RunError};
use crate::procedure::{ClusterNames, JobVar, Target};
use crate::rbac::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub level: Level,
    pub message: String,
    pub hint: Option<String>,
}

impl Check {
    pub fn new(
        name: &'static str,
        level: Level,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Check {
        Check {
            name,
            level,
            message: message.into(),
            hint,
        }
    }
}

/// The oldest influxctl that reads `[profile.auth.token] token_file`.
pub const MIN_INFLUXCTL: (u32, u32, u32) = (2, 2, 0);

/// Checks kubectl and the cluster. Stops early when the cluster cannot be reached.
pub fn cluster_checks(
    kubectl: Result<&Kubectl, &FindError>,
    target: &Target,
    names: &ClusterNames,
    admin_secret: &str,
    permissions: &[Permission],
    rbac_command: &str,
    now_unix: i64,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let kubectl = match kubectl {
        Ok(k) => k,
        Err(why) => {
            let hint = Some(why.hint().to_owned());
            checks.push(Check::new("kubectl", Level::Fail, why.to_string(), hint));
            return checks;
        }
    };
    let cx = Cluster {
        kubectl,
        target,
        names,
        admin_secret,
        now_unix,
    };
    kubectl_version(&cx, &mut checks);
    context(&cx, &mut checks);
    if !namespace(&cx, &mut checks) {
        return checks;
    }
    permission_checks(&cx, permissions, rbac_command, &mut checks);
    admin_token(&cx, &mut checks);
    jobs(&cx, &mut checks);
    token_management(&cx, &mut checks);
    checks
}

/// How long each of doctor's kubectl runs may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// What every cluster check needs.
struct Cluster<'a> {
    kubectl: &'a Kubectl,
    target: &'a Target,
    names: &'a ClusterNames,
    admin_secret: &'a str,
    now_unix: i64,
}

impl Cluster<'_> {
    /// `kubectl ARGS` against the target (its namespace, context, kubeconfig).
    fn run(&self, args: &[&str]) -> Result<Output, RunError> {
        self.kubectl
            .run(&self.target.kubectl_argv(args), None, TIMEOUT, |_| None)
    }
}

/// kubectl runs and says its version.
fn kubectl_version(cx: &Cluster<'_>, checks: &mut Vec<Check>) {
    let kubectl = cx.kubectl;
    let timeout = TIMEOUT;
    match kubectl.run(
        &[
            "version".to_owned(),
            "--client".to_owned(),
            "-o".to_owned(),
            "json".to_owned(),
        ],
        None,
        timeout,
        |_| None,
    ) {
        Ok(out) if out.success() => {
            match json_reply("version --client -o json", &out.stdout).map(|doc| {
                doc.pointer("/clientVersion/gitVersion")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            }) {
                Ok(Some(version)) => checks.push(Check::new(
                    "kubectl",
                    Level::Ok,
                    format!("{} ({version})", kubectl.program.display()),
                    None,
                )),
                Ok(None) => checks.push(Check::new(
                    "kubectl",
                    Level::Warn,
                    format!(
                        "{}: its `version` reply has no clientVersion.gitVersion",
                        kubectl.program.display()
                    ),
                    Some("check that --kubectl is kubectl".into()),
                )),
                Err(why) => checks.push(Check::new(
                    "kubectl",
                    Level::Warn,
                    format!("{}: {why}", kubectl.program.display()),
                    Some("check that --kubectl is kubectl".into()),
                )),
            }
        }
        Ok(out) => checks.push(Check::new(
            "kubectl",
            Level::Fail,
            format!("{} does not run: {}", kubectl.program.display(), out.stderr),
            Some("check --kubectl".into()),
        )),
        Err(e) => checks.push(Check::new(
            "kubectl",
            Level::Fail,
            e.to_string(),
            Some("check --kubectl".into()),
        )),
    }
}

/// The kubeconfig context in use.
fn context(cx: &Cluster<'_>, checks: &mut Vec<Check>) {
    let target = cx.target;
    match cx.run(&["config", "current-context"]) {
        Ok(out) if out.success() => checks.push(Check::new(
            "context",
            Level::Ok,
            target
                .context
                .clone()
                .unwrap_or_else(|| String::from_utf8_lossy(&out.stdout).trim().to_owned()),
            None,
        )),
        Ok(out) => checks.push(Check::new(
            "context",
            Level::Fail,
            format!("no current context: {}", out.stderr),
            Some("pass --context or --kubeconfig, or run `kubectl config use-context NAME`".into()),
        )),
        Err(e) => checks.push(Check::new("context", Level::Fail, e.to_string(), None)),
    }
}

/// The namespace is reachable; `false` when it is not (nothing else can be checked then).
fn namespace(cx: &Cluster<'_>, checks: &mut Vec<Check>) -> bool {
    let ns = cx.target.namespace.as_str();
    match cx.run(&["get", "namespace", ns, "-o", "name"]) {
        Ok(out) if out.success() => checks.push(Check::new(
            "namespace",
            Level::Ok,
            format!("{ns} reachable"),
            None,
        )),
        Ok(out) => {
            checks.push(Check::new(
                "namespace",
                Level::Fail,
                format!("{ns}: {}", out.stderr),
                hint_for(&out.stderr, ns),
            ));
            return false;
        }
        Err(e) => {
            checks.push(Check::new(
                "namespace",
                Level::Fail,
                e.to_string(),
                Some("the API server could not be reached".into()),
            ));
            return false;
        }
    }
    true
}

/// The permissions the procedures need (the rules `influxctl-admin rbac` prints), asked in
/// one access review, as the token commands' preflight asks them: one line each.
fn permission_checks(
    cx: &Cluster<'_>,
    permissions: &[Permission],
    rbac_command: &str,
    checks: &mut Vec<Check>,
) {
    let ns = cx.target.namespace.as_str();
    let name = "permission";
    match super::access::review(cx.kubectl, cx.target, permissions, TIMEOUT) {
        Ok(answers) => {
            for (permission, answer) in permissions.iter().zip(answers) {
                let (subject, needs) = (permission.subject(), permission.needed_by_short());
                if answer.allowed {
                    checks.push(Check::new(
                        name,
                        Level::Ok,
                        format!("can {subject} ({needs})"),
                        None,
                    ));
                } else {
                    let why = answer
                        .evaluation_error
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default();
                    checks.push(Check::new(
                        name,
                        Level::Fail,
                        format!("cannot {subject} in {ns} ({needs}){why}"),
                        Some(format!(
                            "`{rbac_command}` prints the Role that grants it, for a cluster admin to apply"
                        )),
                    ));
                }
            }
        }
        Err(e) => checks.push(Check::new(
            name,
            Level::Fail,
            format!("could not check permissions: {e}"),
            Some(
                e.hint
                    .unwrap_or_else(|| "the cluster may not allow access reviews (SelfSubjectAccessReview); the token commands then need --skip-preflight".into()),
            ),
        )),
    }
}

/// The admin-token secret, its key, and the token's expiry.
fn admin_token(cx: &Cluster<'_>, checks: &mut Vec<Check>) {
    let names = cx.names;
    let admin_secret = cx.admin_secret;
    let now_unix = cx.now_unix;
    match cx.run(&["get", "secret", admin_secret, "-o", "json"]) {
        Ok(out) if out.success() => match crate::secret::decode(&out.stdout) {
            Ok(secret) => match secret.value(Some(&names.token_key)) {
                Ok(token) => {
                    let report = crate::token::inspect(token.expose(), now_unix);
                    let expiry = report.jwt.as_ref().and_then(|j| j.expires.as_ref());
                    let level = if expiry.is_some_and(|e| e.unix <= now_unix) {
                        Level::Warn
                    } else {
                        Level::Ok
                    };
                    let when = expiry
                        .map(|e| format!(", expires {} ({})", e.utc, e.relative))
                        .unwrap_or_default();
                    checks.push(Check::new(
                        "admin token",
                        level,
                        format!(
                            "secret {admin_secret} key {}: {} bytes, {}{when}",
                            names.token_key, report.bytes, report.fingerprint
                        ),
                        None,
                    ));
                }
                Err(e) => checks.push(Check::new(
                    "admin token",
                    Level::Fail,
                    e.to_string(),
                    Some(format!(
                        "pass --key, or re-create the token with `{} token create`",
                        crate::program::name()
                    )),
                )),
            },
            Err(e) => checks.push(Check::new("admin token", Level::Fail, e.to_string(), None)),
        },
        Ok(out) => checks.push(Check::new(
            "admin token",
            Level::Fail,
            format!("secret {admin_secret}: {}", out.stderr),
            Some(format!(
                "re-create it with `{} token create`, or pass --secret NAME",
                crate::program::name()
            )),
        )),
        Err(e) => checks.push(Check::new("admin token", Level::Fail, e.to_string(), None)),
    }
}

/// The key-gen and create-admin-token jobs.
fn jobs(cx: &Cluster<'_>, checks: &mut Vec<Check>) {
    let names = cx.names;
    let ns = cx.target.namespace.as_str();
    match cx.run(&["get", "jobs", "-o", "json"]) {
        Ok(out) if out.success() => match list_items("get jobs -o json", &out.stdout) {
            Err(why) => checks.push(why.check("job")),
            Ok(jobs) => {
                for var in JobVar::JOBS {
                    let prefix = var.prefix(names);
                    let start = format!("{prefix}-");
                    let found: Vec<&Value> = jobs
                        .iter()
                        .filter(|j| {
                            j.pointer("/metadata/name")
                                .and_then(Value::as_str)
                                .is_some_and(|n| n.starts_with(&start))
                        })
                        .collect();
                    let complete = |j: &&Value| {
                        j.pointer("/status/conditions")
                            .and_then(Value::as_array)
                            .is_some_and(|c| {
                                c.iter().any(|c| {
                                    c.get("type").and_then(Value::as_str) == Some("Complete")
                                        && c.get("status").and_then(Value::as_str) == Some("True")
                                })
                            })
                    };
                    let names_found: Vec<&str> = found
                        .iter()
                        .filter_map(|j| j.pointer("/metadata/name").and_then(Value::as_str))
                        .collect();
                    // The operator's own job tells the state; re-run copies (`PREFIX-NNN`) are extra.
                    let judged = found
                        .iter()
                        .rev()
                        .find(|j| !crate::procedure::is_rerun_copy(prefix, j))
                        .or(found.last());
                    match judged {
                        None => checks.push(Check::new(
                            "job",
                            Level::Fail,
                            format!("no {start}… job in {ns}"),
                            Some(format!(
                                "pass the job's name prefix with {}",
                                var.prefix_flag()
                            )),
                        )),
                        Some(j) if complete(j) => checks.push(Check::new(
                            "job",
                            Level::Ok,
                            format!("{} complete", names_found.join(", ")),
                            None,
                        )),
                        Some(_) => checks.push(Check::new(
                            "job",
                            Level::Warn,
                            format!("{} not complete yet", names_found.join(", ")),
                            Some("wait for it, or look at it with `kubectl describe job`".into()),
                        )),
                    }
                }
            }
        },
        Ok(out) => {
            let hint = hint_for(&out.stderr, ns);
            checks.push(Check::new("job", Level::Fail, out.stderr, hint));
        }
        Err(e) => checks.push(Check::new("job", Level::Fail, e.to_string(), None)),
    }
}

/// The token-management pods.
fn token_management(cx: &Cluster<'_>, checks: &mut Vec<Check>) {
    let names = cx.names;
    match cx.run(&[
        "get",
        "pods",
        "--selector",
        &names.pod_selector,
        "-o",
        "json",
    ]) {
        Ok(out) if out.success() => {
            match list_items("get pods -o json", &out.stdout) {
                Err(why) => checks.push(why.check("token-management")),
                Ok(pods) => {
                    let ready = pods
                        .iter()
                        .filter(|p| {
                            p.pointer("/status/conditions")
                                .and_then(Value::as_array)
                                .is_some_and(|c| {
                                    c.iter().any(|c| {
                                        c.get("type").and_then(Value::as_str) == Some("Ready")
                                            && c.get("status").and_then(Value::as_str)
                                                == Some("True")
                                    })
                                })
                        })
                        .count();
                    let level = if pods.is_empty() {
                        Level::Fail
                    } else if ready < pods.len() {
                        Level::Warn
                    } else {
                        Level::Ok
                    };
                    checks.push(Check::new("token-management", level, format!("{ready}/{} pods Ready ({})", pods.len(), names.pod_selector), (level != Level::Ok).then(|| "check the Deployment: `kubectl describe deployment token-management`".to_owned())));
                }
            }
        }
        Ok(out) => checks.push(Check::new(
            "token-management",
            Level::Fail,
            out.stderr,
            None,
        )),
        Err(e) => checks.push(Check::new(
            "token-management",
            Level::Fail,
            e.to_string(),
            None,
        )),
    }
}

const MALFORMED_HINT: &str = "kubectl answered, but not as kubectl does: check that --kubectl (or $KUBECTL) is kubectl, and run the command yourself with `-v=6` to see the API server's reply";

/// A kubectl reply that is not what a check reads: a wrapper that is not kubectl, a
/// proxy's error page.
#[derive(Debug)]
enum ReplyError {
    /// Not JSON; `start` is its first 40 characters, escaped (`…` if cut).
    NotJson {
        command: &'static str,
        detail: String,
        start: String,
    },
    /// JSON, but no `items` array.
    NotAList { command: &'static str },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::NotJson {
                command,
                detail,
                start,
            } => write!(
                f,
                "kubectl's reply to `{command}` is not valid JSON ({detail}); it begins \"{start}\""
            ),
            ReplyError::NotAList { command } => write!(
                f,
                "kubectl's reply to `{command}` is JSON but not a list (no `items` array)"
            ),
        }
    }
}

impl ReplyError {
    /// The failed check `name`, with what to do about a reply kubectl would not give.
    fn check(&self, name: &'static str) -> Check {
        Check::new(
            name,
            Level::Fail,
            self.to_string(),
            Some(MALFORMED_HINT.into()),
        )
    }
}

/// kubectl's JSON reply to `command`.
fn json_reply(command: &'static str, stdout: &[u8]) -> Result<Value, ReplyError> {
    serde_json::from_slice(stdout).map_err(|e| {
        let text = String::from_utf8_lossy(stdout);
        let mut start: String = text
            .trim()
            .chars()
            .take(40)
            .flat_map(char::escape_default)
            .collect();
        if text.trim().chars().count() > 40 {
            start.push('…');
        }
        ReplyError::NotJson {
            command,
            detail: e.to_string(),
            start,
        }
    })
}

/// The `items` of kubectl's `List` reply to `command`.
fn list_items(command: &'static str, stdout: &[u8]) -> Result<Vec<Value>, ReplyError> {
    let doc = json_reply(command, stdout)?;
    match doc.get("items") {
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(Value::Null) => Ok(Vec::new()),
        _ => Err(ReplyError::NotAList { command }),
    }
}

/// influxctl on PATH and new enough for token files.
pub fn influxctl_check(program: Option<&Path>) -> Check {
    let found = match program {
        Some(p) => Some(p.to_path_buf()),
        None => which::which("influxctl").ok(),
    };
    let Some(path) = found else {
        return Check::new("influxctl", Level::Warn, "influxctl is not on PATH", Some("install influxctl v2.2.0 or newer to use the admin token (https://docs.influxdata.com/influxdb3/clustered/reference/cli/influxctl/)".into()));
    };
    let output = duct::cmd(&path, ["version"])
        .stdin_null()
        .stderr_to_stdout()
        .stdout_capture()
        .unchecked()
        .run();
    let text = output
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    match parse_version(&text) {
        Some(v) if v >= MIN_INFLUXCTL => Check::new(
            "influxctl",
            Level::Ok,
            format!("{} (v{}.{}.{})", path.display(), v.0, v.1, v.2),
            None,
        ),
        Some(v) => Check::new(
            "influxctl",
            Level::Warn,
            format!(
                "{} is v{}.{}.{}, older than v2.2.0, which first reads token_file",
                path.display(),
                v.0,
                v.1,
                v.2
            ),
            Some("upgrade influxctl to v2.2.0 or newer".into()),
        ),
        None => Check::new(
            "influxctl",
            Level::Warn,
            format!(
                "{}: could not read its version from `influxctl version`",
                path.display()
            ),
            None,
        ),
    }
}

/// The first `MAJOR.MINOR.PATCH` in `text`.
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find_map(|word| {
            let mut parts = word.split('.').map(|p| p.parse::<u32>().ok());
            let v = (parts.next()??, parts.next()??, parts.next()??);
            Some(v)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_any_text() {
        assert_eq!(
            parse_version("influxctl version 2.9.8 (abc)"),
            Some((2, 9, 8))
        );
        assert_eq!(parse_version("v2.10.2"), Some((2, 10, 2)));
        assert_eq!(parse_version("nothing"), None);
        assert!(parse_version("2.1.9").unwrap() < MIN_INFLUXCTL);
    }
}
