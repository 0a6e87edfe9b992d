//! The admin-token procedures as data: each step's exact kubectl argv, what is sent on
//! stdin, and what is checked. The runner executes these steps, `plan` and `--dry-run`
//! print them, and the docs widget renders them: one source of truth (design §2).
//!
//! Values only known at run time (a job's generated name) appear as `$VARIABLE` tokens;
//! the runner substitutes them, the shell rendering keeps them as shell variables.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::names::{self, InvalidName};

/// Where kubectl points: passed through to every kubectl command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    pub namespace: String,
    pub context: Option<String>,
    pub kubeconfig: Option<String>,
}

/// The names of the cluster's objects; every one is overridable, since clusters differ.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterNames {
    pub admin_secret: String,
    pub token_key: String,
    pub rsa_secret: String,
    pub pod_selector: String,
    pub key_gen_prefix: String,
    /// The key-gen job's exact name, when the user knows it (the docs' `KEY_GEN_JOB`);
    /// otherwise the operator's newest job with `key_gen_prefix` is used.
    pub key_gen_job: Option<String>,
    pub create_token_prefix: String,
}

impl Default for ClusterNames {
    fn default() -> Self {
        ClusterNames {
            admin_secret: "admin-token".into(),
            token_key: "token".into(),
            rsa_secret: "rsa-keys".into(),
            pod_selector: "app=token-management".into(),
            key_gen_prefix: "key-gen".into(),
            key_gen_job: None,
            create_token_prefix: "create-admin-token".into(),
        }
    }
}

/// Where a fetched token goes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Destination {
    pub token_file: String,
    pub profile: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// As documented since September 2024: delete keys, token and both jobs; the
    /// operator re-creates and re-runs the jobs.
    Current,
    /// As first documented (March 2024): delete the keys and re-run the key-gen job by
    /// hand; works without an operator.
    Original,
}

/// What the runner does for a step (the argv alone does not say what to make of the output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// Read the signing keys and the admin token, to verify the revocation against.
    RecordSecrets,
    /// List jobs; find the newest job of each prefix (and the next free rerun name).
    ListJobs,
    DeleteSecrets,
    /// Delete the job found by `ListJobs` as `$var` (skipped when there is none), so that
    /// the operator re-creates and re-runs it.
    DeleteJob {
        var: String,
    },
    /// Create a copy of job `$from` named `$to` from its manifest (`create -f -`).
    RerunJob {
        from: String,
        to: String,
    },
    /// Poll the job list until the operator has created a new job with this prefix.
    WaitJobCreated {
        prefix: String,
        var: String,
    },
    WaitJobComplete {
        var: String,
    },
    DeletePods,
    WaitPodsCreated,
    WaitPodsReady,
    /// Check that the keys and the token changed, and the old token no longer verifies.
    VerifyRevoked,
    /// Read the admin token, write it to the token file (0600, atomically) and point the
    /// profile at it.
    FetchToken {
        token_file: String,
        profile: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub action: Action,
    pub title: String,
    /// kubectl's arguments (without `kubectl`), `$VARIABLE`s unresolved; empty for none.
    pub argv: Vec<String>,
    /// What goes to kubectl's stdin, if anything.
    pub stdin: Option<String>,
    pub destructive: bool,
    /// The same step for a POSIX shell with jq: lines of a script.
    pub shell: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Procedure {
    pub name: &'static str,
    pub method: Option<Method>,
    pub title: String,
    pub target: Target,
    pub steps: Vec<Step>,
    /// `--timeout` for waits, in seconds.
    pub timeout_secs: u64,
}

/// Variables that steps capture and later steps use.
pub const KEY_GEN_JOB: &str = "KEY_GEN_JOB";
pub const CREATE_TOKEN_JOB: &str = "CREATE_TOKEN_JOB";
pub const NEW_KEY_GEN_JOB: &str = "NEW_KEY_GEN_JOB";
pub const NEW_CREATE_TOKEN_JOB: &str = "NEW_CREATE_TOKEN_JOB";

struct Builder<'a> {
    target: &'a Target,
    names: &'a ClusterNames,
    timeout: u64,
    steps: Vec<Step>,
}

impl Target {
    /// kubectl's arguments for `args` in this target: `--kubeconfig`, `--context` and
    /// `--namespace` first, as every command of every procedure has them.
    pub fn kubectl_argv(&self, args: &[&str]) -> Vec<String> {
        let mut argv = Vec::new();
        if let Some(k) = &self.kubeconfig {
            argv.extend(["--kubeconfig".to_owned(), k.clone()]);
        }
        if let Some(c) = &self.context {
            argv.extend(["--context".to_owned(), c.clone()]);
        }
        argv.extend(["--namespace".to_owned(), self.namespace.clone()]);
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        argv
    }
}

impl Builder<'_> {
    fn kubectl(&self, args: &[&str]) -> Vec<String> {
        self.target.kubectl_argv(args)
    }

    fn step(
        &mut self,
        action: Action,
        title: String,
        argv: Vec<String>,
        destructive: bool,
        shell: Vec<String>,
    ) {
        self.steps.push(Step {
            action,
            title,
            argv,
            stdin: None,
            destructive,
            shell,
        });
    }

    fn k(&self, args: &[&str]) -> String {
        format!("kubectl {}", shell_join(&self.kubectl(args)))
    }

    fn record_secrets(&mut self, title: &str) {
        let n = self.names;
        let argv = self.kubectl(&[
            "get",
            "secret",
            &n.rsa_secret,
            &n.admin_secret,
            "-o",
            "json",
            "--ignore-not-found",
        ]);
        let shell = vec![format!(
            "# (influxctl-admin reads {} and {} here, to verify the revocation against them)",
            n.rsa_secret, n.admin_secret
        )];
        self.step(Action::RecordSecrets, title.to_owned(), argv, false, shell);
    }

    fn list_jobs(&mut self, with_reruns: bool) {
        let n = self.names;
        let argv = self.kubectl(&["get", "jobs", "-o", "json"]);
        let mut shell = vec![format!(
            "JOBS_JSON=$({})",
            shell_join_prefixed("kubectl", &argv)
        )];
        // The operator's own job: never a re-run copy (`PREFIX-NNN` without an owner). A
        // procedure that only copies the job falls back to the newest copy.
        let fallback = if with_reruns { " // last" } else { "" };
        for (var, prefix) in [
            (KEY_GEN_JOB, &n.key_gen_prefix),
            (CREATE_TOKEN_JOB, &n.create_token_prefix),
        ] {
            if let (KEY_GEN_JOB, Some(name)) = (var, &n.key_gen_job) {
                shell.push(format!("{var}={}", shell_quote(name)));
                continue;
            }
            shell.push(format!(
                "{var}=$(jq -r --arg p {} '[.items[] | select(.metadata.name | startswith($p))] | sort_by(.metadata.creationTimestamp) | (map(select({JQ_IS_COPY} | not)) | last){fallback} | .metadata.name // empty' <<<\"$JOBS_JSON\")",
                shell_quote(&format!("{prefix}-"))
            ));
        }
        if with_reruns {
            for (var, prefix) in [
                (NEW_KEY_GEN_JOB, &n.key_gen_prefix),
                (NEW_CREATE_TOKEN_JOB, &n.create_token_prefix),
            ] {
                shell.push(format!(
                    "{var}=$(jq -r --arg p {} '[.items[].metadata.name | select(startswith($p)) | ltrimstr($p) | select(test(\"^[0-9]{{3,}}$\")) | tonumber] | ((max // 0) + 1) as $n | $p + (if $n < 10 then \"00\" elif $n < 100 then \"0\" else \"\" end) + ($n | tostring)' <<<\"$JOBS_JSON\")",
                    shell_quote(&format!("{prefix}-"))
                ));
            }
        }
        self.step(
            Action::ListJobs,
            format!(
                "Find the {} and {} jobs",
                n.key_gen_prefix, n.create_token_prefix
            ),
            argv,
            false,
            shell,
        );
    }

    fn delete_secrets(&mut self, secrets: &[&str]) {
        let mut args = vec!["delete", "secret"];
        args.extend(secrets);
        args.push("--ignore-not-found");
        let argv = self.kubectl(&args);
        let shell = vec![self.k(&args)];
        self.step(
            Action::DeleteSecrets,
            format!(
                "Delete secret{} {}",
                if secrets.len() > 1 { "s" } else { "" },
                secrets.join(" and ")
            ),
            argv,
            true,
            shell,
        );
    }

    fn delete_job(&mut self, var: &str, prefix: &str) {
        let job = format!("${var}");
        let args = ["delete", "job", job.as_str(), "--ignore-not-found"];
        let argv = self.kubectl(&args);
        let shell = vec![format!("[ -z \"${var}\" ] || {}", self.k(&args))];
        self.step(
            Action::DeleteJob {
                var: var.to_owned(),
            },
            format!("Delete the {prefix} job ${var} (the operator re-creates it)"),
            argv,
            true,
            shell,
        );
    }

    fn rerun_job(&mut self, from: &str, to: &str, what: &str) {
        let argv = self.kubectl(&["create", "-f", "-"]);
        let filter = format!(
            ".items[] | select(.metadata.name == env.{from}) | {JQ_RERUN} | .metadata.name = env.{to}"
        );
        let shell = vec![
            format!("export {from} {to}"),
            format!(
                "jq {} <<<\"$JOBS_JSON\" | {}",
                shell_quote(&filter),
                shell_join_prefixed("kubectl", &argv)
            ),
        ];
        self.steps.push(Step {
            action: Action::RerunJob { from: from.to_owned(), to: to.to_owned() },
            title: format!("Re-run the {what} job as ${to} (a copy of ${from})"),
            argv,
            stdin: Some(format!("the manifest of job ${from}, renamed ${to}, without its status, uid, resourceVersion, creationTimestamp, managedFields, ownerReferences, spec.selector and controller labels")),
            destructive: false,
            shell,
        });
    }

    fn wait_job_created(&mut self, prefix: &str, old_var: &str, var: &str) {
        let argv = self.kubectl(&["get", "jobs", "-o", "json"]);
        let shell = vec![
            format!("DEADLINE=$((SECONDS + {}))", self.timeout),
            format!(
                "until {var}=$({} | jq -r --arg p {} --arg old \"${old_var}\" '[.items[] | select((.metadata.name | startswith($p)) and .metadata.name != $old) | select({JQ_IS_COPY} | not)] | sort_by(.metadata.creationTimestamp) | last | .metadata.name // empty') && [ -n \"${var}\" ]; do",
                shell_join_prefixed("kubectl", &argv),
                shell_quote(&format!("{prefix}-"))
            ),
            format!(
                "  [ \"$SECONDS\" -lt \"$DEADLINE\" ] || {{ echo {} >&2; exit 1; }}",
                shell_quote(&format!("no new {prefix} job within {}s: the operator (kubit) re-creates only its own jobs; without it, use the original method", self.timeout))
            ),
            "  sleep 2".to_owned(),
            "done".to_owned(),
        ];
        self.step(
            Action::WaitJobCreated {
                prefix: prefix.to_owned(),
                var: var.to_owned(),
            },
            format!("Wait for the operator to re-create the {prefix} job"),
            argv,
            false,
            shell,
        );
    }

    fn wait_job_complete(&mut self, var: &str) {
        let job = format!("job/${var}");
        let timeout = format!("--timeout={}s", self.timeout);
        let args = [
            "wait",
            "--for=condition=complete",
            job.as_str(),
            timeout.as_str(),
        ];
        let argv = self.kubectl(&args);
        let shell = vec![self.k(&args)];
        self.step(
            Action::WaitJobComplete {
                var: var.to_owned(),
            },
            format!("Wait for job ${var} to complete"),
            argv,
            false,
            shell,
        );
    }

    fn restart_pods(&mut self) {
        let selector = self.names.pod_selector.clone();
        let args = ["delete", "pods", "--selector", selector.as_str()];
        let argv = self.kubectl(&args);
        let shell = vec![self.k(&args)];
        self.step(
            Action::DeletePods,
            format!("Restart the token-management pods ({selector})"),
            argv,
            true,
            shell,
        );

        let args = ["get", "pods", "--selector", selector.as_str(), "-o", "json"];
        let argv = self.kubectl(&args);
        let shell = vec![format!(
            "until {} | jq -e '.items | length > 0' >/dev/null; do sleep 2; done",
            self.k(&args)
        )];
        self.step(
            Action::WaitPodsCreated,
            "Wait for the replacement pods to be created".into(),
            argv,
            false,
            shell,
        );

        let timeout = format!("--timeout={}s", self.timeout);
        let args = [
            "wait",
            "--for=condition=Ready",
            "pod",
            "--selector",
            selector.as_str(),
            timeout.as_str(),
        ];
        let argv = self.kubectl(&args);
        let shell = vec![self.k(&args)];
        self.step(
            Action::WaitPodsReady,
            "Wait for the new pods to be Ready".into(),
            argv,
            false,
            shell,
        );
    }

    fn verify(&mut self) {
        let n = self.names;
        let argv = self.kubectl(&[
            "get",
            "secret",
            &n.rsa_secret,
            &n.admin_secret,
            "-o",
            "json",
            "--ignore-not-found",
        ]);
        let shell = vec!["# (influxctl-admin checks here that the keys and the token changed and the old token no longer verifies)".to_owned()];
        self.step(
            Action::VerifyRevoked,
            "Verify: new keys, new token, the old token no longer verifies".into(),
            argv,
            false,
            shell,
        );
    }

    fn fetch(&mut self, dest: &Destination) {
        let n = self.names;
        let jsonpath = format!("jsonpath={{.data.{}}}", jsonpath_key(&n.token_key));
        let args = [
            "get",
            "secret",
            n.admin_secret.as_str(),
            "-o",
            jsonpath.as_str(),
        ];
        let argv = self.kubectl(&args);
        let tmp = format!("{}.tmp", dest.token_file);
        let shell = vec![
            format!(
                "(umask 077 && {} | base64 -d > {})",
                self.k(&args),
                shell_quote(&tmp)
            ),
            format!(
                "test -s {} && mv {} {}",
                shell_quote(&tmp),
                shell_quote(&tmp),
                shell_quote(&dest.token_file)
            ),
            format!(
                "influxctl-admin profile use-token {} --token-file {}",
                shell_quote(&dest.profile),
                shell_quote(&dest.token_file)
            ),
        ];
        self.step(
            Action::FetchToken {
                token_file: dest.token_file.clone(),
                profile: dest.profile.clone(),
            },
            format!(
                "Fetch secret {} into {} (mode 0600) and point profile `{}` at it",
                n.admin_secret, dest.token_file, dest.profile
            ),
            argv,
            false,
            shell,
        );
    }

    fn finish(self, name: &'static str, method: Option<Method>, title: String) -> Procedure {
        Procedure {
            name,
            method,
            title,
            target: self.target.clone(),
            steps: self.steps,
            timeout_secs: self.timeout,
        }
    }
}

/// jq's test (with `$p` = `PREFIX-`) for a re-run copy rather than the operator's job; the
/// same rule as [`is_rerun_copy`].
const JQ_IS_COPY: &str = "((.metadata.name | ltrimstr($p) | test(\"^[0-9]{3,}$\")) and ((.metadata.ownerReferences // []) | length == 0))";

/// jq's part of re-running a job: drop what the server sets and what ties the copy to
/// the old job's controller, so the API server accepts it as a new Job.
const JQ_RERUN: &str = "del(.status, .metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.managedFields, .metadata.ownerReferences, .metadata.generation, .metadata.selfLink, .spec.selector, .metadata.labels[\"controller-uid\", \"batch.kubernetes.io/controller-uid\", \"job-name\", \"batch.kubernetes.io/job-name\"], .spec.template.metadata.labels[\"controller-uid\", \"batch.kubernetes.io/controller-uid\", \"job-name\", \"batch.kubernetes.io/job-name\"])";

fn validate(target: &Target, names: &ClusterNames) -> Result<(), InvalidName> {
    names::label("namespace", &target.namespace)?;
    if let Some(c) = &target.context {
        names::context(c)?;
    }
    names::subdomain("secret", &names.admin_secret)?;
    names::subdomain("secret", &names.rsa_secret)?;
    names::data_key("secret key", &names.token_key)?;
    names::selector("pod selector", &names.pod_selector)?;
    names::job_prefix("job prefix", &names.key_gen_prefix)?;
    if let Some(job) = &names.key_gen_job {
        names::label("job", job)?;
    }
    names::job_prefix("job prefix", &names.create_token_prefix)?;
    Ok(())
}

/// A directory that cannot hold the token file, as a reader typed it (a docs page's
/// `DIRECTORY_PATH`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidDirectory {
    pub value: String,
    pub rule: &'static str,
}

impl std::fmt::Display for InvalidDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "directory {:?} cannot hold token.json: {}",
            self.value, self.rule
        )
    }
}

impl std::error::Error for InvalidDirectory {}

/// `token.json` inside `directory`, which must be absolute: influxctl reads `token_file`
/// relative to wherever it is started, so a relative path breaks from another directory.
pub fn token_file_in(directory: &str) -> Result<String, InvalidDirectory> {
    let invalid = |rule| {
        Err(InvalidDirectory {
            value: directory.to_owned(),
            rule,
        })
    };
    let drive = |separator| {
        directory.starts_with(|c: char| c.is_ascii_alphabetic())
            && directory.get(1..3) == Some(separator)
    };
    let windows = drive(":\\") || drive(":/");
    if directory.chars().any(char::is_control) {
        return invalid("it holds a control character");
    }
    if !(directory.starts_with('/') || windows) {
        return invalid("use an absolute path, such as /home/you/.config/influxctl");
    }
    let separator = if windows && !directory.contains('/') {
        '\\'
    } else {
        '/'
    };
    let trimmed = directory.trim_end_matches(['/', '\\']);
    Ok(format!("{trimmed}{separator}token.json"))
}

/// `token fetch`: one kubectl command, then the file and the profile.
pub fn fetch(
    target: &Target,
    names: &ClusterNames,
    dest: &Destination,
    timeout: u64,
) -> Result<Procedure, InvalidName> {
    validate(target, names)?;
    let mut b = Builder {
        target,
        names,
        timeout,
        steps: Vec::new(),
    };
    b.fetch(dest);
    Ok(b.finish(
        "fetch",
        None,
        format!(
            "Fetch the admin token from secret {} in namespace {}",
            names.admin_secret, target.namespace
        ),
    ))
}

/// `token revoke`: the documented revocation, with verification; `recreate` then fetches
/// the new admin token (re-running create-admin-token with the original method).
pub fn revoke(
    target: &Target,
    names: &ClusterNames,
    method: Method,
    recreate: Option<&Destination>,
    timeout: u64,
) -> Result<Procedure, InvalidName> {
    validate(target, names)?;
    let mut b = Builder {
        target,
        names,
        timeout,
        steps: Vec::new(),
    };
    b.record_secrets("Record the current signing keys and admin token");
    b.list_jobs(method == Method::Original);
    match method {
        Method::Current => {
            b.delete_secrets(&[&names.rsa_secret, &names.admin_secret]);
            b.delete_job(KEY_GEN_JOB, &names.key_gen_prefix);
            b.wait_job_created(&names.key_gen_prefix, KEY_GEN_JOB, NEW_KEY_GEN_JOB);
            b.wait_job_complete(NEW_KEY_GEN_JOB);
            // Restarted only once the new key exists, so the service loads the new key.
            b.restart_pods();
            // Deleted (and so re-run by the operator) only once the new key exists: run
            // earlier, the job finds no key and fails.
            b.delete_job(CREATE_TOKEN_JOB, &names.create_token_prefix);
            b.wait_job_created(
                &names.create_token_prefix,
                CREATE_TOKEN_JOB,
                NEW_CREATE_TOKEN_JOB,
            );
            b.wait_job_complete(NEW_CREATE_TOKEN_JOB);
        }
        Method::Original => {
            b.delete_secrets(&[&names.rsa_secret]);
            b.rerun_job(KEY_GEN_JOB, NEW_KEY_GEN_JOB, &names.key_gen_prefix);
            b.wait_job_complete(NEW_KEY_GEN_JOB);
            b.restart_pods();
            if recreate.is_some() {
                // The create-admin-token job writes a token only where there is none.
                b.delete_secrets(&[&names.admin_secret]);
                b.rerun_job(
                    CREATE_TOKEN_JOB,
                    NEW_CREATE_TOKEN_JOB,
                    &names.create_token_prefix,
                );
                b.wait_job_complete(NEW_CREATE_TOKEN_JOB);
            }
        }
    }
    b.verify();
    if let Some(dest) = recreate {
        b.fetch(dest);
    }
    let how = match method {
        Method::Current => "as documented since September 2024",
        Method::Original => "as first documented, re-running the key-gen job",
    };
    Ok(b.finish(
        "revoke",
        Some(method),
        format!(
            "Revoke the admin token in namespace {} ({how})",
            target.namespace
        ),
    ))
}

/// `token create`: re-run create-admin-token and fetch the new token.
pub fn create(
    target: &Target,
    names: &ClusterNames,
    dest: &Destination,
    timeout: u64,
) -> Result<Procedure, InvalidName> {
    validate(target, names)?;
    let mut b = Builder {
        target,
        names,
        timeout,
        steps: Vec::new(),
    };
    b.list_jobs(true);
    b.delete_secrets(&[&names.admin_secret]);
    b.rerun_job(
        CREATE_TOKEN_JOB,
        NEW_CREATE_TOKEN_JOB,
        &names.create_token_prefix,
    );
    b.wait_job_complete(NEW_CREATE_TOKEN_JOB);
    b.fetch(dest);
    Ok(b.finish(
        "create",
        None,
        format!(
            "Re-create the admin token in namespace {}",
            target.namespace
        ),
    ))
}

impl Procedure {
    pub fn is_destructive(&self) -> bool {
        self.steps.iter().any(|s| s.destructive)
    }

    /// A numbered list: each step's title and its exact kubectl command.
    pub fn to_list(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for (i, step) in self.steps.iter().enumerate() {
            let _ = writeln!(out, "{:>2}. {}", i + 1, step.title);
            if !step.argv.is_empty() {
                let _ = writeln!(out, "    $ kubectl {}", shell_join(&step.argv));
            }
            if let Some(stdin) = &step.stdin {
                let _ = writeln!(out, "      stdin: {stdin}");
            }
        }
        out
    }

    /// A bash script that does the same with kubectl, jq and base64.
    pub fn to_shell(&self) -> String {
        let mut out = format!("#!/usr/bin/env bash\n# {}\n# Generated by influxctl-admin; needs kubectl, jq and base64.\nset -euo pipefail\n", self.title);
        for (i, step) in self.steps.iter().enumerate() {
            let _ = writeln!(out, "\n# {}. {}", i + 1, step.title);
            for line in &step.shell {
                let _ = writeln!(out, "{line}");
            }
        }
        out
    }
}

/// Substitutes `$VARIABLE`s in `arg` from `lookup`; `None` when one is not known yet.
pub fn resolve(arg: &str, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = arg;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let name_len = rest[at + 1..]
            .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
            .unwrap_or(rest.len() - at - 1);
        let name = &rest[at + 1..at + 1 + name_len];
        out.push_str(&lookup(name)?);
        rest = &rest[at + 1 + name_len..];
    }
    out.push_str(rest);
    Some(out)
}

/// A job manifest ready to be created again under `new_name`: the same pod template,
/// without the fields the server sets or that bind it to the old job (kubectl has no
/// `create job --from=job/…`; only `--from=cronjob/…`).
pub fn rerun_manifest(job: &Value, new_name: &str) -> Value {
    let mut job = job.clone();
    let Some(object) = job.as_object_mut() else {
        return job;
    };
    object.remove("status");
    object.insert("apiVersion".into(), Value::from("batch/v1"));
    object.insert("kind".into(), Value::from("Job"));
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
            "ownerReferences",
            "generation",
            "selfLink",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ] {
            meta.remove(field);
        }
        meta.insert("name".into(), Value::from(new_name));
        remove_controller_labels(meta);
    }
    if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("selector");
        spec.remove("manualSelector");
        if let Some(meta) = spec
            .get_mut("template")
            .and_then(|t| t.get_mut("metadata"))
            .and_then(Value::as_object_mut)
        {
            remove_controller_labels(meta);
        }
    }
    job
}

fn remove_controller_labels(meta: &mut serde_json::Map<String, Value>) {
    if let Some(labels) = meta.get_mut("labels").and_then(Value::as_object_mut) {
        for label in [
            "controller-uid",
            "batch.kubernetes.io/controller-uid",
            "job-name",
            "batch.kubernetes.io/job-name",
        ] {
            labels.remove(label);
        }
    }
}

/// The next free `PREFIX-NNN` name among `existing` job names (`key-gen-001`, `-002`, …).
pub fn next_rerun_name(prefix: &str, existing: &[&str]) -> String {
    let highest = existing
        .iter()
        .filter_map(|name| rerun_number(prefix, name))
        .max()
        .unwrap_or(0);
    format!("{prefix}-{:03}", highest.saturating_add(1))
}

/// `Some(N)` for `PREFIX-NNN` (three or more digits): a re-run's name.
fn rerun_number(prefix: &str, name: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?.strip_prefix('-')?;
    (digits.len() >= 3 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Whether `name` is a re-run's name, `PREFIX-NNN` (as `key-gen-001`).
pub fn is_rerun_name(prefix: &str, name: &str) -> bool {
    name.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|d| d.len() >= 3 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `job` is a re-run copy (made by hand, as the March 2024 procedure does, or by
/// this tool) rather than the operator's own job: a `PREFIX-NNN` name and no owner. The
/// operator re-creates only its own jobs, so only those may be deleted for it to re-create.
pub fn is_rerun_copy(prefix: &str, job: &Value) -> bool {
    let name = job
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let owned = job
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|refs| !refs.is_empty());
    is_rerun_name(prefix, name) && !owned
}

/// A key for kubectl's JSONPath: dots in a data key must be escaped.
fn jsonpath_key(key: &str) -> String {
    key.replace('.', "\\.")
}

/// Quotes `arg` for a POSIX shell: as is when safe, `"…"` when it holds a `$VARIABLE`
/// (so the shell expands it), `'…'` otherwise.
pub fn shell_quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        return arg.to_owned();
    }
    if arg.contains('$') && arg.chars().all(|c| safe(c) || c == '$') {
        return format!("\"{arg}\"");
    }
    format!("'{}'", arg.replace('\'', "'\\''"))
}

pub fn shell_join(argv: &[String]) -> String {
    argv.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shell_join_prefixed(program: &str, argv: &[String]) -> String {
    format!("{program} {}", shell_join(argv))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            namespace: "influxdb".into(),
            context: None,
            kubeconfig: None,
        }
    }

    #[test]
    fn fetch_is_one_kubectl_command() {
        let dest = Destination {
            token_file: "/home/me/token.json".into(),
            profile: "default".into(),
        };
        let p = fetch(&target(), &ClusterNames::default(), &dest, 300).unwrap();
        assert_eq!(p.steps.len(), 1);
        assert_eq!(
            p.steps[0].argv,
            [
                "--namespace",
                "influxdb",
                "get",
                "secret",
                "admin-token",
                "-o",
                "jsonpath={.data.token}"
            ]
        );
        assert!(
            p.to_list().contains(
                "$ kubectl --namespace influxdb get secret admin-token -o 'jsonpath={.data.token}'"
            ),
            "{}",
            p.to_list()
        );
    }

    #[test]
    fn revoke_current_deletes_both_secrets_jobs_and_pods() {
        let p = revoke(
            &target(),
            &ClusterNames::default(),
            Method::Current,
            None,
            60,
        )
        .unwrap();
        let commands: Vec<String> = p.steps.iter().map(|s| shell_join(&s.argv)).collect();
        assert!(
            commands.contains(
                &"--namespace influxdb delete secret rsa-keys admin-token --ignore-not-found"
                    .to_owned()
            ),
            "{commands:#?}"
        );
        assert!(
            commands.contains(
                &"--namespace influxdb delete job \"$KEY_GEN_JOB\" --ignore-not-found".to_owned()
            ),
            "{commands:#?}"
        );
        let position = |needle: &str| commands.iter().position(|c| c.contains(needle)).unwrap();
        assert!(
            position("delete job \"$CREATE_TOKEN_JOB\"") > position("job/$NEW_KEY_GEN_JOB"),
            "create-admin-token is re-run only after the new key exists"
        );
        assert!(commands.contains(
            &"--namespace influxdb delete pods --selector app=token-management".to_owned()
        ));
        assert!(p.is_destructive());
        assert!(p.to_shell().starts_with("#!/usr/bin/env bash"));
    }

    #[test]
    fn invalid_names_never_become_commands() {
        let names = ClusterNames {
            rsa_secret: "rsa-keys --all".into(),
            ..ClusterNames::default()
        };
        assert!(revoke(&target(), &names, Method::Original, None, 60).is_err());
        let bad_ns = Target {
            namespace: "Influx DB".into(),
            ..target()
        };
        assert!(revoke(&bad_ns, &ClusterNames::default(), Method::Current, None, 60).is_err());
    }

    #[test]
    fn rerun_manifest_drops_server_fields() {
        let job: Value = serde_json::json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "key-gen-abcde", "namespace": "influxdb", "uid": "u", "resourceVersion": "7",
                "creationTimestamp": "t", "managedFields": [], "ownerReferences": [{}],
                "labels": {"app": "key-gen", "controller-uid": "u", "batch.kubernetes.io/job-name": "key-gen-abcde"}},
            "spec": {"selector": {"matchLabels": {"controller-uid": "u"}},
                "template": {"metadata": {"labels": {"controller-uid": "u", "job-name": "key-gen-abcde", "app": "key-gen"}},
                             "spec": {"containers": [{"name": "key-gen", "image": "x"}], "restartPolicy": "Never"}}},
            "status": {"succeeded": 1}
        });
        let copy = rerun_manifest(&job, "key-gen-001");
        assert_eq!(copy["metadata"]["name"], "key-gen-001");
        assert_eq!(
            copy["metadata"]["labels"],
            serde_json::json!({"app": "key-gen"})
        );
        assert_eq!(
            copy["spec"]["template"]["metadata"]["labels"],
            serde_json::json!({"app": "key-gen"})
        );
        for gone in [
            "/status",
            "/metadata/uid",
            "/metadata/resourceVersion",
            "/metadata/ownerReferences",
            "/spec/selector",
            "/metadata/managedFields",
        ] {
            assert!(copy.pointer(gone).is_none(), "{gone} survived");
        }
        assert_eq!(
            copy["spec"]["template"]["spec"]["containers"][0]["name"],
            "key-gen"
        );
    }

    #[test]
    fn token_files_go_in_absolute_directories() {
        assert_eq!(
            token_file_in("/home/me/.config/influxctl").unwrap(),
            "/home/me/.config/influxctl/token.json"
        );
        assert_eq!(
            token_file_in("/srv/tokens/").unwrap(),
            "/srv/tokens/token.json"
        );
        assert_eq!(token_file_in("/").unwrap(), "/token.json");
        assert_eq!(
            token_file_in("C:\\Users\\me").unwrap(),
            "C:\\Users\\me\\token.json"
        );
        for bad in ["", "relative/dir", "./x", "~/x", "/a\nb"] {
            assert!(token_file_in(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rerun_names_count_up() {
        assert_eq!(
            next_rerun_name("key-gen", &["key-gen-x7k2p"]),
            "key-gen-001"
        );
        assert_eq!(
            next_rerun_name(
                "key-gen",
                &["key-gen-001", "key-gen-002", "create-admin-token-005"]
            ),
            "key-gen-003"
        );
        assert_eq!(next_rerun_name("key-gen", &["key-gen-999"]), "key-gen-1000");
        assert_eq!(
            next_rerun_name("key-gen", &["key-gen-1000", "key-gen-999"]),
            "key-gen-1001"
        );
        assert_eq!(
            next_rerun_name("key-gen", &["key-gen-18446744073709551615"]),
            "key-gen-18446744073709551615",
            "no overflow"
        );
        assert_eq!(
            next_rerun_name("key-gen", &["key-gen-99999999999999999999999"]),
            "key-gen-001",
            "unparsable numbers are not counted"
        );
    }

    #[test]
    fn copies_are_told_from_the_operators_jobs() {
        let job = |name: &str, owned: bool| {
            let mut j = serde_json::json!({"metadata": {"name": name}});
            if owned {
                j["metadata"]["ownerReferences"] =
                    serde_json::json!([{"kind": "AppInstance", "name": "influxdb", "uid": "u"}]);
            }
            j
        };
        assert!(is_rerun_copy("key-gen", &job("key-gen-001", false)));
        assert!(is_rerun_copy("key-gen", &job("key-gen-1000", false)));
        assert!(
            !is_rerun_copy("key-gen", &job("key-gen-001", true)),
            "an operator job that happens to have a numeric suffix"
        );
        assert!(!is_rerun_copy("key-gen", &job("key-gen-x7k2p", false)));
        assert!(!is_rerun_copy("key-gen", &job("key-gen-01", false)));
        assert!(!is_rerun_copy(
            "key-gen",
            &job("create-admin-token-001", false)
        ));
    }

    #[test]
    fn variables_resolve_inside_arguments() {
        let lookup = |v: &str| (v == "KEY_GEN_JOB").then(|| "key-gen-abc".to_owned());
        assert_eq!(
            resolve("job/$KEY_GEN_JOB", lookup).as_deref(),
            Some("job/key-gen-abc")
        );
        assert_eq!(resolve("$CREATE_TOKEN_JOB", lookup), None);
        assert_eq!(shell_quote("job/$KEY_GEN_JOB"), "\"job/$KEY_GEN_JOB\"");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
