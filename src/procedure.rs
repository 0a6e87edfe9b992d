//! The admin-token procedures as data: each step's exact kubectl argv, what is sent on
//! stdin, and what is checked. The runner executes these steps, `plan` and `--dry-run`
//! print them, and the docs widget renders them: one source of truth.
//!
//! Values only known at run time (a job's generated name) appear as `$VARIABLE` tokens;
//! the runner substitutes them, the shell rendering keeps them as shell variables.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// The create-admin-token job's exact name, when the user knows it (a docs page's
    /// `CREATE_ADMIN_TOKEN_JOB`); otherwise found as the key-gen job is.
    pub create_token_job: Option<String>,
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
            create_token_job: None,
        }
    }
}

impl ClusterNames {
    /// The exact name the user gave the job of `var` (`KEY_GEN_JOB`, `CREATE_TOKEN_JOB`), if any.
    pub fn named(&self, var: JobVar) -> Option<&str> {
        match var {
            JobVar::KeyGenJob => self.key_gen_job.as_deref(),
            JobVar::CreateTokenJob => self.create_token_job.as_deref(),
            _ => None,
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

/// Which procedure: `plan`'s argument, and the `name` in the JSON of a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Kind {
    Fetch,
    Revoke,
    Create,
}

/// A procedure a face offers, titled as a heading (without the namespace): the editor's
/// sections and the docs widget's headings, in this order.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Offered {
    pub procedure: Kind,
    pub method: Option<Method>,
    pub title: &'static str,
}

pub const OFFERED: [Offered; 4] = [
    Offered {
        procedure: Kind::Fetch,
        method: None,
        title: "Fetch the admin token into token.json",
    },
    Offered {
        procedure: Kind::Revoke,
        method: Some(Method::Current),
        title: "Revoke the admin token (as documented since September 2024)",
    },
    Offered {
        procedure: Kind::Revoke,
        method: Some(Method::Original),
        title: "Revoke the admin token (as first documented, re-running the key-gen job)",
    },
    Offered {
        procedure: Kind::Create,
        method: None,
        title: "Re-create the admin token",
    },
];

impl Method {
    /// Which documented revocation this is, as titles say it.
    pub fn how(self) -> &'static str {
        match self {
            Method::Current => "as documented since September 2024",
            Method::Original => "as first documented, re-running the key-gen job",
        }
    }
}

impl Kind {
    /// The kind named `name` (`fetch`, `revoke`, `create`), as a JavaScript caller passes it.
    pub fn from_name(name: &str) -> Option<Kind> {
        [Kind::Fetch, Kind::Revoke, Kind::Create]
            .into_iter()
            .find(|k| k.name() == name)
    }

    pub const fn name(self) -> &'static str {
        match self {
            Kind::Fetch => "fetch",
            Kind::Revoke => "revoke",
            Kind::Create => "create",
        }
    }
}

/// A job name that one step finds or chooses at run time and later steps use. Steps
/// write it as `$NAME` into argv and titles; the runner substitutes it, the shell
/// rendering keeps it as a shell variable of that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JobVar {
    // In the order of their names: a map keyed by them lists as one keyed by the names.
    CreateTokenJob,
    KeyGenJob,
    NewCreateTokenJob,
    NewKeyGenJob,
}

impl JobVar {
    /// The operator's two jobs (each re-run as [`JobVar::rerun`]).
    pub const JOBS: [JobVar; 2] = [JobVar::KeyGenJob, JobVar::CreateTokenJob];

    pub const fn shell_name(self) -> &'static str {
        match self {
            JobVar::CreateTokenJob => "CREATE_TOKEN_JOB",
            JobVar::KeyGenJob => "KEY_GEN_JOB",
            JobVar::NewCreateTokenJob => "NEW_CREATE_TOKEN_JOB",
            JobVar::NewKeyGenJob => "NEW_KEY_GEN_JOB",
        }
    }

    /// The variable named `name` (what follows a `$` in argv).
    pub fn from_shell_name(name: &str) -> Option<JobVar> {
        [
            JobVar::CreateTokenJob,
            JobVar::KeyGenJob,
            JobVar::NewCreateTokenJob,
            JobVar::NewKeyGenJob,
        ]
        .into_iter()
        .find(|v| v.shell_name() == name)
    }

    /// `$NAME`, as steps write it.
    pub fn reference(self) -> String {
        format!("${}", self.shell_name())
    }

    /// The variable for the new run of this variable's job.
    pub const fn rerun(self) -> JobVar {
        if self.is_key_gen() {
            JobVar::NewKeyGenJob
        } else {
            JobVar::NewCreateTokenJob
        }
    }

    pub const fn is_key_gen(self) -> bool {
        matches!(self, JobVar::KeyGenJob | JobVar::NewKeyGenJob)
    }

    /// The name prefix of this variable's job.
    pub fn prefix(self, names: &ClusterNames) -> &str {
        if self.is_key_gen() {
            &names.key_gen_prefix
        } else {
            &names.create_token_prefix
        }
    }

    /// The CLI flag that sets [`JobVar::prefix`].
    pub const fn prefix_flag(self) -> &'static str {
        if self.is_key_gen() {
            "--key-gen-job"
        } else {
            "--create-token-job"
        }
    }
}

/// The variable's name (`KEY_GEN_JOB`), as the runner reports what it found.
impl std::fmt::Display for JobVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.shell_name())
    }
}

// By its shell name, as the JSON of steps and of a run's jobs has always named it.
impl Serialize for JobVar {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.shell_name())
    }
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
    /// Delete the job found by `ListJobs` as `var` (skipped when there is none), so that
    /// the operator re-creates and re-runs it.
    DeleteJob {
        var: JobVar,
    },
    /// Create a copy of job `from` named `to` from its manifest (`create -f -`).
    RerunJob {
        from: JobVar,
        to: JobVar,
    },
    /// Poll the job list until the operator has created a new job with this prefix.
    WaitJobCreated {
        prefix: String,
        var: JobVar,
    },
    WaitJobComplete {
        var: JobVar,
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

/// One step, as the runner executes it and as a JavaScript caller (the docs widget) gets it.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub action: Action,
    pub title: String,
    /// kubectl's arguments (without `kubectl`), `$VARIABLE`s unresolved; empty for none.
    pub argv: Vec<String>,
    /// What goes to kubectl's stdin, if anything.
    pub stdin: Option<String>,
    /// What the step waits for, if it waits (up to the procedure's `timeout_secs`).
    pub waits_for: Option<&'static str>,
    /// What the runner checks before it counts the step done (beyond kubectl's success).
    pub verifies: &'static [&'static str],
    pub destructive: bool,
    /// The same step for a POSIX shell with jq: lines of a script.
    pub shell: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Procedure {
    #[serde(rename = "name")]
    pub kind: Kind,
    pub method: Option<Method>,
    pub title: String,
    pub target: Target,
    pub steps: Vec<Step>,
    /// `--timeout` for waits, in seconds.
    pub timeout_secs: u64,
}

/// The checks of a revocation, by name (the runner's verification reports them so).
pub const REVOCATION_CHECKS: [&str; 4] = [
    "signing keys replaced",
    "admin token replaced",
    "old token no longer verifies",
    "new token signed by the new key",
];

struct Builder<'a> {
    target: &'a Target,
    names: &'a ClusterNames,
    timeout: u64,
    steps: Vec<Step>,
}

impl Target {
    /// `namespace` of kubectl's current context, in its default kubeconfig.
    pub fn namespace(namespace: &str) -> Target {
        Target {
            namespace: namespace.to_owned(),
            context: None,
            kubeconfig: None,
        }
    }

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

    /// How many of [`Target::kubectl_argv`]'s arguments are the target's own: values
    /// that mean themselves, never `$VARIABLE`s (a kubeconfig may be `/srv/$PATH/x`).
    pub fn own_args(&self) -> usize {
        2 * (1 + usize::from(self.kubeconfig.is_some()) + usize::from(self.context.is_some()))
    }

    /// An argv of [`Target::kubectl_argv`] as shell words: the target's values quoted to
    /// mean themselves, the builder's arguments with their `$VARIABLE`s expanding.
    pub fn shell_words(&self, argv: &[String]) -> String {
        let own = self.own_args().min(argv.len());
        let (target, rest) = argv.split_at(own);
        let words: Vec<String> = target
            .iter()
            .map(|a| shell_quote(a))
            .chain(rest.iter().map(|a| crate::shell::template(a)))
            .collect();
        words.join(" ")
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
        let (waits_for, verifies) = self.expectations(&action);
        let stdin = match &action {
            Action::RerunJob { from, to } => Some(rerun_stdin(*from, *to)),
            _ => None,
        };
        self.steps.push(Step {
            action,
            title,
            argv,
            stdin,
            waits_for,
            verifies,
            destructive,
            shell,
        });
    }

    /// What a step of `action` waits for and what the runner checks of it, in words; the
    /// step's argv names the objects, the procedure's `timeout_secs` bounds the waits.
    /// (Fixed text: the browser bundle is over its budget.)
    fn expectations(&self, action: &Action) -> (Option<&'static str>, &'static [&'static str]) {
        match action {
            Action::WaitJobCreated { .. } => (
                Some("a new job with the prefix, made by the operator (not a re-run copy)"),
                &[],
            ),
            Action::WaitJobComplete { .. } => {
                (Some("the job to complete"), &["the job has not failed"])
            }
            Action::WaitPodsCreated => (Some("a new pod matching the selector"), &[]),
            Action::WaitPodsReady => (Some("the pods matching the selector to be Ready"), &[]),
            Action::ListJobs if self.names.key_gen_job.is_some() => {
                (None, &["the named key-gen job exists"])
            }
            Action::ListJobs if self.names.create_token_job.is_some() => {
                (None, &["the named create-admin-token job exists"])
            }
            Action::RerunJob { .. } => (
                None,
                &["the job to copy exists, or an earlier run saved its manifest"],
            ),
            Action::VerifyRevoked => (None, &REVOCATION_CHECKS),
            Action::FetchToken { .. } => (None, &["the secret's token key is not empty"]),
            _ => (None, &[]),
        }
    }

    fn k(&self, args: &[&str]) -> String {
        self.command(&self.kubectl(args))
    }

    /// `kubectl ARGV` for the script (see [`Target::shell_words`]).
    fn command(&self, argv: &[String]) -> String {
        format!("kubectl {}", self.target.shell_words(argv))
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
        let mut shell = vec![format!("JOBS_JSON=$({})", self.command(&argv))];
        // The operator's own job: never a re-run copy (`PREFIX-NNN` without an owner). A
        // procedure that only copies the job falls back to the newest copy.
        let fallback = if with_reruns { " // last" } else { "" };
        for var in JobVar::JOBS {
            let name = var.shell_name();
            if let Some(job) = n.named(var) {
                shell.push(format!("{name}={}", shell_quote(job)));
                continue;
            }
            shell.push(format!(
                "{name}=$(jq -r --arg p {} '[.items[] | select(.metadata.name | startswith($p))] | sort_by(.metadata.creationTimestamp) | (map(select({} | not)) | last){fallback} | .metadata.name // empty' <<<\"$JOBS_JSON\")",
                shell_quote(&format!("{}-", var.prefix(n))),
                jq_is_copy()
            ));
        }
        if with_reruns {
            for var in JobVar::JOBS {
                shell.push(format!(
                    "{}=$(jq -r --arg p {} {} <<<\"$JOBS_JSON\")",
                    var.rerun().shell_name(),
                    shell_quote(&format!("{}-", var.prefix(n))),
                    shell_quote(&jq_next_rerun_name())
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

    fn delete_job(&mut self, var: JobVar) {
        let job = var.reference();
        let args = ["delete", "job", job.as_str(), "--ignore-not-found"];
        let argv = self.kubectl(&args);
        let shell = vec![format!("[ -z \"{job}\" ] || {}", self.k(&args))];
        let prefix = var.prefix(self.names);
        self.step(
            Action::DeleteJob { var },
            format!("Delete the {prefix} job {job} (the operator re-creates it)"),
            argv,
            true,
            shell,
        );
    }

    fn rerun_job(&mut self, from: JobVar) {
        let to = from.rerun();
        let argv = self.kubectl(&["create", "-f", "-"]);
        let shell = vec![
            format!("export {} {}", from.shell_name(), to.shell_name()),
            format!(
                "jq {} <<<\"$JOBS_JSON\" | {}",
                shell_quote(&jq_rerun(from, to)),
                self.command(&argv)
            ),
        ];
        let title = format!(
            "Re-run the {} job as {} (a copy of {})",
            from.prefix(self.names),
            to.reference(),
            from.reference()
        );
        self.step(Action::RerunJob { from, to }, title, argv, false, shell);
    }

    fn wait_job_created(&mut self, old: JobVar) {
        let (prefix, var) = (old.prefix(self.names).to_owned(), old.rerun());
        let argv = self.kubectl(&["get", "jobs", "-o", "json"]);
        let (old, name) = (old.shell_name(), var.shell_name());
        let shell = vec![
            format!("DEADLINE=$((SECONDS + {}))", self.timeout),
            format!(
                "until {name}=$({} | jq -r --arg p {} --arg old \"${old}\" '[.items[] | select((.metadata.name | startswith($p)) and .metadata.name != $old) | select({} | not)] | sort_by(.metadata.creationTimestamp) | last | .metadata.name // empty') && [ -n \"${name}\" ]; do",
                self.command(&argv),
                shell_quote(&format!("{prefix}-")),
                jq_is_copy()
            ),
            format!(
                "  [ \"$SECONDS\" -lt \"$DEADLINE\" ] || {{ echo {} >&2; exit 1; }}",
                shell_quote(&format!("no new {prefix} job within {}s: the operator (kubit) re-creates only its own jobs; without it, use the original method", self.timeout))
            ),
            "  sleep 2".to_owned(),
            "done".to_owned(),
        ];
        let title = format!("Wait for the operator to re-create the {prefix} job");
        self.step(
            Action::WaitJobCreated { prefix, var },
            title,
            argv,
            false,
            shell,
        );
    }

    fn wait_job_complete(&mut self, var: JobVar) {
        let job = format!("job/{}", var.reference());
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
            Action::WaitJobComplete { var },
            format!("Wait for job {} to complete", var.reference()),
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
            // `--` before the name: a profile may be named `-x`.
            format!(
                "influxctl-admin profile use-token --token-file {} -- {}",
                shell_quote(&dest.token_file),
                shell_quote(&dest.profile)
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

    fn finish(self, kind: Kind, method: Option<Method>, title: String) -> Procedure {
        Procedure {
            kind,
            method,
            title,
            target: self.target.clone(),
            steps: self.steps,
            timeout_secs: self.timeout,
        }
    }
}

fn validate(target: &Target, names: &ClusterNames) -> Result<(), InvalidName> {
    names::label("namespace", &target.namespace)?;
    if let Some(c) = &target.context {
        names::context(c)?;
    }
    if let Some(k) = &target.kubeconfig {
        names::one_line("kubeconfig", k)?;
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
    if let Some(job) = &names.create_token_job {
        names::label("job", job)?;
    }
    Ok(())
}

/// The token file and the profile a fetch writes: one line each, as every path that
/// writes them checks ([`names::one_line`]).
fn validate_destination(dest: &Destination) -> Result<(), InvalidName> {
    names::one_line("profile name", &dest.profile)?;
    names::one_line("token file", &dest.token_file)
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
    if names::one_line("directory", directory).is_err() {
        return invalid("it holds a control character (a newline, tab, escape, …): names and paths must be one line of printable text");
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
    validate_destination(dest)?;
    let mut b = Builder {
        target,
        names,
        timeout,
        steps: Vec::new(),
    };
    b.fetch(dest);
    Ok(b.finish(
        Kind::Fetch,
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
    if let Some(dest) = recreate {
        validate_destination(dest)?;
    }
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
            b.delete_job(JobVar::KeyGenJob);
            b.wait_job_created(JobVar::KeyGenJob);
            b.wait_job_complete(JobVar::NewKeyGenJob);
            // Restarted only once the new key exists, so the service loads the new key.
            b.restart_pods();
            // Deleted (and so re-run by the operator) only once the new key exists: run
            // earlier, the job finds no key and fails.
            b.delete_job(JobVar::CreateTokenJob);
            b.wait_job_created(JobVar::CreateTokenJob);
            b.wait_job_complete(JobVar::NewCreateTokenJob);
        }
        Method::Original => {
            b.delete_secrets(&[&names.rsa_secret]);
            b.rerun_job(JobVar::KeyGenJob);
            b.wait_job_complete(JobVar::NewKeyGenJob);
            b.restart_pods();
            if recreate.is_some() {
                // The create-admin-token job writes a token only where there is none.
                b.delete_secrets(&[&names.admin_secret]);
                b.rerun_job(JobVar::CreateTokenJob);
                b.wait_job_complete(JobVar::NewCreateTokenJob);
            }
        }
    }
    b.verify();
    if let Some(dest) = recreate {
        b.fetch(dest);
    }
    Ok(b.finish(
        Kind::Revoke,
        Some(method),
        format!(
            "Revoke the admin token in namespace {} ({})",
            target.namespace,
            method.how()
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
    validate_destination(dest)?;
    let mut b = Builder {
        target,
        names,
        timeout,
        steps: Vec::new(),
    };
    b.list_jobs(true);
    b.delete_secrets(&[&names.admin_secret]);
    b.rerun_job(JobVar::CreateTokenJob);
    b.wait_job_complete(JobVar::NewCreateTokenJob);
    b.fetch(dest);
    Ok(b.finish(
        Kind::Create,
        None,
        format!(
            "Re-create the admin token in namespace {}",
            target.namespace
        ),
    ))
}

/// The procedure `kind`, as `plan` shows it: `method` and `recreate` (fetching the new
/// token into `dest`) are `revoke`'s.
pub fn build(
    kind: Kind,
    target: &Target,
    names: &ClusterNames,
    method: Method,
    recreate: bool,
    dest: &Destination,
    timeout: u64,
) -> Result<Procedure, InvalidName> {
    match kind {
        Kind::Fetch => fetch(target, names, dest, timeout),
        Kind::Revoke => revoke(target, names, method, recreate.then_some(dest), timeout),
        Kind::Create => create(target, names, dest, timeout),
    }
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
                let _ = writeln!(out, "    $ kubectl {}", self.target.shell_words(&step.argv));
            }
            if let Some(stdin) = &step.stdin {
                let _ = writeln!(out, "      stdin: {stdin}");
            }
        }
        out
    }

    /// A bash script that does the same with kubectl, jq and base64.
    pub fn to_shell(&self) -> String {
        // Titles hold names and paths: a comment shows their control characters escaped,
        // so that none can end the comment's line.
        let comment = |text: &str| crate::config::text::escape_controls(text, false).into_owned();
        let mut out = format!("#!/usr/bin/env bash\n# {}\n# Generated by influxctl-admin; needs kubectl, jq and base64.\nset -euo pipefail\n", comment(&self.title));
        for (i, step) in self.steps.iter().enumerate() {
            let _ = writeln!(out, "\n# {}. {}", i + 1, comment(&step.title));
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

// Re-running a job: each rule below is data or one function, and both renderings come
// from it: the runner's Rust and the script's jq (tests/procedure_props.rs runs the jq
// against the Rust on generated jobs).

/// What a re-run copy of a job leaves out, by the object that holds it: what the server
/// sets, and what ties the copy to the old job's controller (the API server refuses a
/// new Job whose selector or labels belong to another job).
const RERUN_DROPS: [(&[&str], &[&str]); 5] = [
    (&[], &["status"]),
    (
        &["metadata"],
        &[
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
            "ownerReferences",
            "generation",
            "selfLink",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ],
    ),
    (&["spec"], &["selector", "manualSelector"]),
    (&["metadata", "labels"], CONTROLLER_LABELS),
    (
        &["spec", "template", "metadata", "labels"],
        CONTROLLER_LABELS,
    ),
];

const CONTROLLER_LABELS: &[&str] = &[
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
    "job-name",
    "batch.kubernetes.io/job-name",
];

/// What a re-run copy always is, even made from a manifest saved without them.
const RERUN_SETS: [(&str, &str); 2] = [("apiVersion", "batch/v1"), ("kind", "Job")];

/// A re-run's name is `PREFIX-` and this many digits (`key-gen-001`). At most 15: jq
/// counts in doubles, exact to 2^53, so it numbers the next re-run as Rust does.
const RERUN_DIGITS: (usize, usize) = (3, 15);

/// A job manifest ready to be created again under `new_name`: the same pod template,
/// without [`RERUN_DROPS`] (kubectl has no `create job --from=job/…`; only
/// `--from=cronjob/…`).
pub fn rerun_manifest(job: &Value, new_name: &str) -> Value {
    let mut job = job.clone();
    for (at, keys) in RERUN_DROPS {
        if let Some(holder) = object_at(&mut job, at) {
            for key in keys {
                holder.remove(*key);
            }
        }
    }
    if let Some(object) = job.as_object_mut() {
        for (key, value) in RERUN_SETS {
            object.insert(key.into(), Value::from(value));
        }
    }
    if let Some(meta) = object_at(&mut job, &["metadata"]) {
        meta.insert("name".into(), Value::from(new_name));
    }
    job
}

fn object_at<'a>(value: &'a mut Value, path: &[&str]) -> Option<&'a mut Map<String, Value>> {
    path.iter()
        .try_fold(value, |v, key| v.get_mut(*key))?
        .as_object_mut()
}

/// [`rerun_manifest`] in jq: the copy of the job named `$from` in a job list, named `$to`
/// (both exported as environment variables).
pub fn jq_rerun(from: JobVar, to: JobVar) -> String {
    let mut del = Vec::new();
    for (at, keys) in RERUN_DROPS {
        let holder: String = at.iter().map(|k| format!(".{k}")).collect();
        // `.a.b` for fields; `.a.labels["b.c", "d/e"]` for labels, whose keys need quoting.
        if at.last() == Some(&"labels") {
            del.push(format!("{holder}[\"{}\"]", keys.join("\", \"")));
        } else {
            del.extend(keys.iter().map(|k| format!("{holder}.{k}")));
        }
    }
    let sets: String = RERUN_SETS
        .iter()
        .map(|(k, v)| format!(" | .{k} = \"{v}\""))
        .collect();
    format!(
        ".items[] | select(.metadata.name == env.{from}) | del({}){sets} | .metadata.name = env.{to}",
        del.join(", ")
    )
}

/// [`rerun_manifest`] in words: what the plan says goes to kubectl's stdin.
fn rerun_stdin(from: JobVar, to: JobVar) -> String {
    // As a reader knows the fields: metadata's bare, the spec's as `spec.KEY`.
    let [(_, top), (_, meta), (_, spec), ..] = RERUN_DROPS;
    format!(
        "the manifest of job ${from}, renamed ${to}, without its {}, {}, spec.{} and controller labels",
        top.join(", "),
        meta.join(", "),
        spec.join(", spec.")
    )
}

/// The name of the next re-run copy among `jobs` (`key-gen-001`, `-002`, …): one above the
/// highest copy's number ([`is_rerun_copy`]), skipping a name a job already has. The
/// operator's own jobs do not count: their generated suffix can be all digits
/// (`key-gen-24567`), which would number the copy after it.
pub fn next_rerun_name(prefix: &str, jobs: &[Value]) -> String {
    let highest = jobs
        .iter()
        .filter(|job| is_rerun_copy(prefix, job))
        .filter_map(|job| rerun_number(prefix, job_name(job)))
        .max()
        .unwrap_or(0);
    // Numbers have at most 15 digits (RERUN_DIGITS): counting on cannot overflow, and
    // stops within as many steps as there are jobs.
    let mut number = highest + 1;
    loop {
        let candidate = format!("{prefix}-{number:03}");
        if !jobs.iter().any(|job| job_name(job) == candidate) {
            return candidate;
        }
        number += 1;
    }
}

/// [`next_rerun_name`] in jq, over `.items` with `$p` = `PREFIX-`.
pub fn jq_next_rerun_name() -> String {
    format!(
        "def rerun: $p + (if . < 10 then \"00\" elif . < 100 then \"0\" else \"\" end) + tostring; [.items[].metadata.name] as $taken | [.items[] | select({}) | .metadata.name | ltrimstr($p) | tonumber] | ((max // 0) + 1) | until(rerun as $c | $taken | all(. != $c); . + 1) | rerun",
        jq_is_copy()
    )
}

/// `Some(N)` for a re-run's name, `PREFIX-NNN` ([`RERUN_DIGITS`]).
fn rerun_number(prefix: &str, name: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?.strip_prefix('-')?;
    let (min, max) = RERUN_DIGITS;
    let fits = (min..=max).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    fits.then(|| digits.parse().ok()).flatten()
}

/// [`RERUN_DIGITS`] as a jq regex (a JSON string).
fn jq_rerun_digits() -> String {
    let (min, max) = RERUN_DIGITS;
    format!("\"^[0-9]{{{min},{max}}}$\"")
}

/// Whether `name` is a re-run's name, `PREFIX-NNN` (as `key-gen-001`).
pub fn is_rerun_name(prefix: &str, name: &str) -> bool {
    rerun_number(prefix, name).is_some()
}

/// Whether `job` is a re-run copy (made by hand, as the March 2024 procedure does, or by
/// this tool) rather than the operator's own job: a `PREFIX-NNN` name and no owner. The
/// operator re-creates only its own jobs, so only those may be deleted for it to re-create.
pub fn is_rerun_copy(prefix: &str, job: &Value) -> bool {
    let owned = job
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|refs| !refs.is_empty());
    is_rerun_name(prefix, job_name(job)) && !owned
}

/// A job's `metadata.name` ("" when it has none).
pub fn job_name(job: &Value) -> &str {
    job.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// [`is_rerun_copy`] in jq, for a job with `$p` = `PREFIX-`.
pub fn jq_is_copy() -> String {
    format!(
        "((.metadata.name | startswith($p) and (ltrimstr($p) | test({}))) and ((.metadata.ownerReferences // []) | length == 0))",
        jq_rerun_digits()
    )
}

/// A key for kubectl's JSONPath: dots in a data key must be escaped.
fn jsonpath_key(key: &str) -> String {
    key.replace('.', "\\.")
}

/// The shell quoting the procedures render with (kept under these names for callers).
pub use crate::shell::{join as shell_join, quote as shell_quote};

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target::namespace("influxdb")
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
        let commands: Vec<String> = p
            .steps
            .iter()
            .map(|s| p.target.shell_words(&s.argv))
            .collect();
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

    /// Jobs named `names`, none owned (re-run copies when their names are `PREFIX-NNN`).
    fn unowned(names: &[&str]) -> Vec<Value> {
        names
            .iter()
            .map(|name| serde_json::json!({"metadata": {"name": name}}))
            .collect()
    }

    #[test]
    fn rerun_names_count_up() {
        let next = |names: &[&str]| next_rerun_name("key-gen", &unowned(names));
        assert_eq!(next(&["key-gen-x7k2p"]), "key-gen-001");
        assert_eq!(
            next(&["key-gen-001", "key-gen-002", "create-admin-token-005"]),
            "key-gen-003"
        );
        assert_eq!(next(&["key-gen-999"]), "key-gen-1000");
        assert_eq!(next(&["key-gen-1000", "key-gen-999"]), "key-gen-1001");
        assert_eq!(
            next(&["key-gen-999999999999999"]),
            "key-gen-1000000000000000",
            "fifteen digits count, exactly (jq counts in doubles)"
        );
        assert_eq!(
            next(&["key-gen-18446744073709551615"]),
            "key-gen-001",
            "longer numbers are not re-run names"
        );
    }

    #[test]
    fn the_operators_jobs_do_not_number_copies_but_their_names_are_skipped() {
        let owned = |name: &str| {
            serde_json::json!({"metadata": {"name": name, "ownerReferences": [
                {"kind": "AppInstance", "name": "influxdb", "uid": "u"}]}})
        };
        // Kubernetes' generated suffixes can be all digits (its alphabet has 2 and 4 to 9).
        assert_eq!(
            next_rerun_name("key-gen", &[owned("key-gen-24567")]),
            "key-gen-001"
        );
        let mut jobs = unowned(&["key-gen-001"]);
        jobs.push(owned("key-gen-002"));
        assert_eq!(next_rerun_name("key-gen", &jobs), "key-gen-003");
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
    fn job_variables_are_named_once() {
        for var in [
            JobVar::CreateTokenJob,
            JobVar::KeyGenJob,
            JobVar::NewCreateTokenJob,
            JobVar::NewKeyGenJob,
        ] {
            assert_eq!(JobVar::from_shell_name(var.shell_name()), Some(var));
            assert_eq!(
                serde_json::to_value(var).unwrap(),
                Value::from(var.shell_name())
            );
        }
        assert_eq!(JobVar::from_shell_name("KEY_GEN"), None);
        assert_eq!(JobVar::KeyGenJob.rerun(), JobVar::NewKeyGenJob);
        assert_eq!(Kind::from_name("revoke"), Some(Kind::Revoke));
        assert_eq!(
            serde_json::to_value(Kind::Revoke).unwrap(),
            Value::from("revoke")
        );
    }

    #[test]
    fn steps_say_what_they_wait_for_and_check() {
        let dest = Destination {
            token_file: "/t/token.json".into(),
            profile: "default".into(),
        };
        let names = ClusterNames::default();
        let p = revoke(&target(), &names, Method::Original, Some(&dest), 60).unwrap();
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["name"], "revoke");
        let steps = json["steps"].as_array().unwrap();
        let rerun = steps
            .iter()
            .find(|s| s["action"]["kind"] == "rerun-job")
            .unwrap();
        assert_eq!(rerun["action"]["from"], "KEY_GEN_JOB");
        assert!(
            rerun["stdin"]
                .as_str()
                .unwrap()
                .contains("deletionTimestamp"),
            "{rerun}"
        );
        let wait = steps
            .iter()
            .find(|s| s["action"]["kind"] == "wait-job-complete")
            .unwrap();
        assert_eq!(wait["waits_for"], "the job to complete");
        assert_eq!(wait["argv"][4], "job/$NEW_KEY_GEN_JOB");
        let verify = steps
            .iter()
            .find(|s| s["action"]["kind"] == "verify-revoked");
        assert_eq!(
            verify.unwrap()["verifies"][2],
            "old token no longer verifies"
        );
        for step in steps {
            for field in [
                "title",
                "argv",
                "stdin",
                "waits_for",
                "verifies",
                "destructive",
                "shell",
            ] {
                assert!(step.get(field).is_some(), "{field} in {step}");
            }
        }
    }

    #[test]
    fn variables_resolve_inside_arguments() {
        let lookup = |v: &str| (v == "KEY_GEN_JOB").then(|| "key-gen-abc".to_owned());
        assert_eq!(
            resolve("job/$KEY_GEN_JOB", lookup).as_deref(),
            Some("job/key-gen-abc")
        );
        assert_eq!(resolve("$CREATE_TOKEN_JOB", lookup), None);
        assert_eq!(
            crate::shell::template("job/$KEY_GEN_JOB"),
            "\"job/$KEY_GEN_JOB\""
        );
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
