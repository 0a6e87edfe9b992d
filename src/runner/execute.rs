//! Executes a [`Procedure`] step by step with the real kubectl: resolves the `$VARIABLE`s
//! that earlier steps found, checks each step's result, and stops at the first failure
//! with a report that names the step, the command, kubectl's exit code and error.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::error::SnapshotError;
use super::error::{HostError, ProcessError, StepError};
use super::events::{Event, Events};
use super::kubectl::{hint_for, Kubectl};
use super::verify::{self, Snapshot, Verification};
use crate::procedure::{self, job_name, Action, ClusterNames, JobVar, Method, Procedure, Step};

/// What the runner needs from its host beyond kubectl: the CLI writes the token file,
/// edits the profile, and keeps job manifests between runs.
pub trait Host {
    /// Stores a fetched `token`; returns a short description of what changed.
    fn store_token(
        &mut self,
        token: &[u8],
        token_file: &str,
        profile: &str,
    ) -> Result<String, HostError>;
    /// Keeps the manifests of jobs about to be deleted: if no operator re-creates them,
    /// `--method original` can still re-run them from these copies. `jobs` replaces what
    /// was kept before (the runner passes the newest manifest of each job prefix).
    fn save_jobs(&mut self, namespace: &str, jobs: &[Value]) -> Result<(), HostError>;
    /// The manifests kept by earlier runs.
    fn saved_jobs(&self, namespace: &str) -> Vec<Value>;
    /// The token the user holds now (the profile's token file) and where it is.
    fn previous_token(&self) -> Option<(Vec<u8>, String)>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Skipped,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub number: usize,
    pub title: String,
    /// The command as run, variables resolved (never holds a secret).
    pub command: Option<String>,
    pub status: Status,
    pub seconds: f64,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Execution {
    pub steps: Vec<StepReport>,
    pub verification: Option<Verification>,
    /// Job names found or chosen on the way (`KEY_GEN_JOB` …).
    pub jobs: BTreeMap<JobVar, String>,
}

/// A step that failed, with everything that ran before it.
#[derive(Debug)]
pub struct StepFailure {
    pub execution: Execution,
    /// The whole report as people read it: the step, the command, the error and its
    /// hint, and what ran before it.
    pub message: String,
    /// The failed step's number (from 1) and title, variables resolved.
    pub step: usize,
    pub title: String,
    /// The command as run, if the step ran one.
    pub command: Option<String>,
    pub error: StepError,
}

pub struct Runner<'a> {
    pub kubectl: &'a Kubectl,
    pub names: &'a ClusterNames,
    /// Where steps, commands and progress are reported.
    pub events: &'a dyn Events,
    pub host: &'a mut dyn Host,
}

struct State {
    vars: BTreeMap<JobVar, String>,
    jobs: Vec<Value>,
    baseline: Option<Snapshot>,
    /// Rerun jobs that an earlier, interrupted run already created: wait, don't create.
    resumed: Vec<String>,
    verification: Option<Verification>,
    /// Job manifests saved by an earlier run, for jobs that no longer exist.
    saved: Vec<Value>,
    /// How many of each argv's first arguments are the target's values (kubeconfig,
    /// context, namespace): they mean themselves, so no `$VARIABLE` is resolved in them.
    own_args: usize,
}

impl Runner<'_> {
    pub fn run(&mut self, procedure: &Procedure) -> Result<Execution, Box<StepFailure>> {
        let mut state = State {
            vars: BTreeMap::new(),
            jobs: Vec::new(),
            baseline: None,
            resumed: Vec::new(),
            verification: None,
            saved: Vec::new(),
            own_args: procedure.target.own_args(),
        };
        let mut execution = Execution::default();
        let total = procedure.steps.len();
        for (i, step) in procedure.steps.iter().enumerate() {
            let started = Instant::now();
            let label = format!(
                "[{}/{total}] {}",
                i + 1,
                resolve_title(&step.title, &state.vars)
            );
            self.events.event(Event::StepStarted {
                number: i + 1,
                total,
                label: label.clone(),
            });
            let outcome = self.step(procedure, step, &mut state, &label);
            let seconds = started.elapsed().as_secs_f64();
            let (status, command, detail, error) = match outcome {
                Ok((status, command, detail)) => (status, command, detail, None),
                Err((command, error)) => (Status::Failed, command, Some(error.text()), Some(error)),
            };
            let report = StepReport {
                number: i + 1,
                title: label,
                command: command.clone(),
                status,
                seconds,
                detail,
            };
            self.events.event(Event::StepFinished(report.clone()));
            execution.steps.push(report);
            if let Some(error) = error {
                execution.jobs = state.vars.clone();
                execution.verification = state.verification.clone();
                let title = resolve_title(&step.title, &state.vars);
                return Err(Box::new(StepFailure {
                    message: failure_text(total, &title, &execution.steps),
                    execution,
                    step: i + 1,
                    title,
                    command,
                    error,
                }));
            }
        }
        execution.jobs = state.vars;
        execution.verification = state.verification;
        Ok(execution)
    }

    /// Runs one step: `Ok((status, command, detail))` or `Err((command, message))`.
    fn step(
        &mut self,
        procedure: &Procedure,
        step: &Step,
        state: &mut State,
        label: &str,
    ) -> StepOutcome {
        let cx = StepCx {
            procedure,
            step,
            label,
            namespace: &procedure.target.namespace,
            timeout: Duration::from_secs(procedure.timeout_secs),
        };
        match &step.action {
            Action::RecordSecrets => self.record_secrets(&cx, state),
            Action::ListJobs => self.list_jobs(&cx, state),
            Action::DeleteSecrets if self.resuming_next_rerun(procedure, step, state) => {
                Ok((
                    Status::Skipped,
                    None,
                    Some("the re-run job an earlier run created is still running: deleting its secret now could delete what it writes".into()),
                ))
            }
            Action::DeleteSecrets | Action::DeletePods => self.run_plain(&cx, state, cx.timeout),
            Action::WaitPodsReady => {
                self.run_plain(&cx, state, cx.timeout.saturating_add(Duration::from_secs(15)))
            }
            Action::DeleteJob { var } => self.delete_job(&cx, state, *var),
            Action::RerunJob { from, to } => self.rerun_job(&cx, state, *from, *to),
            Action::WaitJobCreated { prefix, var } => {
                self.wait_job_created(&cx, state, prefix, *var)
            }
            Action::WaitJobComplete { var } => self.wait_job_complete(&cx, state, *var),
            Action::WaitPodsCreated => self.wait_pods_created(&cx, state),
            Action::VerifyRevoked => self.verify_revoked(&cx, state),
            Action::FetchToken {
                token_file,
                profile,
            } => self.fetch_token(&cx, state, token_file, profile),
        }
    }

    /// A step that only runs its kubectl command.
    fn run_plain(&self, cx: &StepCx<'_>, state: &State, limit: Duration) -> StepOutcome {
        let (command, _) = self.kubectl(cx.step, state, None, limit, cx.label, cx.namespace)?;
        Ok((Status::Ok, Some(command), None))
    }

    /// Reads the secrets as they are before anything changes: the revocation is checked
    /// against them.
    fn record_secrets(&self, cx: &StepCx<'_>, state: &mut State) -> StepOutcome {
        let names = self.names;
        let (command, out) =
            self.kubectl(cx.step, state, None, cx.timeout, cx.label, cx.namespace)?;
        let mut snapshot = self
            .snapshot(&out)
            .map_err(|e| (Some(command.clone()), StepError::Output(e.to_string())))?;
        let presence = |present: bool| if present { "present" } else { "absent" };
        let mut detail = format!(
            "{} {}, {} {}",
            names.rsa_secret,
            presence(snapshot.rsa_keys.is_some()),
            names.admin_secret,
            presence(snapshot.admin_token.is_some())
        );
        if snapshot.admin_token.is_none() {
            // An earlier, interrupted run deleted it: the token file still holds the
            // token being revoked, so the revocation can still be checked against it.
            if let Some((token, path)) = self.host.previous_token() {
                detail.push_str(&format!(" (the old token is read from {path})"));
                snapshot.admin_token = Some(token);
            }
        }
        state.baseline = Some(snapshot);
        Ok((Status::Ok, Some(command), Some(detail)))
    }

    fn snapshot(&self, out: &[u8]) -> Result<Snapshot, SnapshotError> {
        let names = self.names;
        Snapshot::parse(
            out,
            &names.rsa_secret,
            &names.admin_secret,
            &names.token_key,
        )
    }

    /// Lists the jobs and finds, for each job variable, the job it names (and the name of
    /// its next re-run); fails before any change if a job that a later step needs is missing.
    fn list_jobs(&self, cx: &StepCx<'_>, state: &mut State) -> StepOutcome {
        let (command, out) =
            self.kubectl(cx.step, state, None, cx.timeout, cx.label, cx.namespace)?;
        state.jobs = job_items(&out).map_err(|e| (Some(command.clone()), e))?;
        let mut found = Vec::new();
        for var in JobVar::JOBS {
            self.find_job(cx, state, var, &mut found)
                .map_err(|e| (Some(command.clone()), e))?;
        }
        // A job a later step deletes or copies must exist now, before anything is
        // deleted: otherwise the names or the namespace are wrong, and the run would
        // only find out after deleting the keys, waiting the whole timeout.
        for var in JobVar::JOBS {
            let needed = cx.procedure.steps.iter().any(|s| match &s.action {
                Action::DeleteJob { var: v } | Action::RerunJob { from: v, .. } => *v == var,
                _ => false,
            });
            if needed && !state.vars.contains_key(&var) {
                return Err((Some(command), missing_job(var, self.names, cx.namespace)));
            }
        }
        let detail = if found.is_empty() {
            "no matching jobs".to_owned()
        } else {
            found.join(", ")
        };
        Ok((Status::Ok, Some(command), Some(detail)))
    }

    /// Sets `var` (and its re-run variable) from the listed jobs, a saved manifest, or a
    /// re-run copy; says what it found in `found`.
    fn find_job(
        &self,
        cx: &StepCx<'_>,
        state: &mut State,
        var: JobVar,
        found: &mut Vec<String>,
    ) -> Result<(), StepError> {
        let names = self.names;
        let (new_var, prefix) = (var.rerun(), var.prefix(names));
        let with_prefix = jobs_with_prefix(&state.jobs, prefix);
        let (copies, own): (Vec<&Value>, Vec<&Value>) = with_prefix
            .iter()
            .partition(|j| procedure::is_rerun_copy(prefix, j));
        // A job this procedure deletes, for the operator to re-create, must be the
        // operator's own: the operator re-creates the jobs it made, never a copy.
        let deleted = cx
            .procedure
            .steps
            .iter()
            .any(|s| matches!(&s.action, Action::DeleteJob { var: v } if *v == var));
        // A re-run that an interrupted run created and that has not finished yet is
        // waited for, not created a second time.
        if let Some(running) = copies
            .last()
            .filter(|j| !deleted && job_condition(j).is_none())
        {
            let name = job_name(running).to_owned();
            found.push(format!(
                "{new_var}={name} (still running, from an earlier run)"
            ));
            state.vars.insert(new_var, name.clone());
            state.resumed.push(name);
        }
        let named = names.named(var);
        if let Some(name) = named {
            // The user named the job: that one, or an error that says it is missing.
            if !state.jobs.iter().any(|j| job_name(j) == name) {
                let have: Vec<&str> = with_prefix.iter().map(|j| job_name(j)).collect();
                return Err(StepError::cluster(format!(
                    "there is no job named {name} in namespace {} (jobs with prefix {prefix}-: {})",
                    cx.namespace,
                    if have.is_empty() {
                        "none".to_owned()
                    } else {
                        have.join(", ")
                    }
                )));
            }
            found.push(format!("{var}={name} (as given)"));
            state.vars.insert(var, name.to_owned());
        } else if let Some(job) = own.last() {
            found.push(format!("{var}={}", job_name(job)));
            state.vars.insert(var, job_name(job).to_owned());
        } else if let Some(job) = jobs_with_prefix(&self.host.saved_jobs(cx.namespace), prefix)
            .into_iter()
            .rfind(|j| !procedure::is_rerun_copy(prefix, j))
        {
            // Deleted by an earlier run (current method) and not re-created: the
            // manifest saved then lets the job still be re-run.
            found.push(format!(
                "{var}={} (saved manifest; the job no longer exists)",
                job_name(job)
            ));
            state.vars.insert(var, job_name(job).to_owned());
            state.saved.push(job.clone());
        } else if let Some(copy) = copies.last().filter(|_| !deleted) {
            found.push(format!(
                "{var}={} (a re-run copy; the operator's own job is gone)",
                job_name(copy)
            ));
            state.vars.insert(var, job_name(copy).to_owned());
        }
        if !copies.is_empty() && (deleted || !own.is_empty()) {
            let names: Vec<&str> = copies.iter().map(|j| job_name(j)).collect();
            found.push(format!(
                "earlier re-run copies left alone: {}",
                names.join(" ")
            ));
        }
        let next = procedure::next_rerun_name(prefix, &state.jobs);
        state.vars.entry(new_var).or_insert(next);
        Ok(())
    }

    /// Deletes the job `var` names (skipped when there is none), keeping its manifest first.
    fn delete_job(&mut self, cx: &StepCx<'_>, state: &State, var: JobVar) -> StepOutcome {
        let names = self.names;
        let Some(name) = state.vars.get(&var).cloned() else {
            return Ok((
                Status::Skipped,
                None,
                Some("no such job (already deleted)".into()),
            ));
        };
        if let Some(doomed) = state.jobs.iter().find(|j| job_name(j) == name) {
            // Kept so that `--method original` can re-run the job if no operator
            // re-creates it; a resume needs only the newest manifest of each prefix.
            let saved = self.host.saved_jobs(cx.namespace);
            let doomed_prefix = var.prefix(names);
            let mut keep = vec![doomed.clone()];
            for prefix in [&names.key_gen_prefix, &names.create_token_prefix]
                .into_iter()
                .filter(|p| p.as_str() != doomed_prefix)
            {
                keep.extend(
                    jobs_with_prefix(&saved, prefix)
                        .last()
                        .map(|j| (*j).clone()),
                );
            }
            self.host.save_jobs(cx.namespace, &keep).map_err(|e| {
                (
                    None,
                    StepError::Host(HostError {
                        message: format!(
                            "could not save the job's manifest before deleting it: {}",
                            e.message
                        ),
                        hint: e.hint,
                    }),
                )
            })?;
        }
        self.run_plain(cx, state, cx.timeout)
    }

    /// Creates job `to` from the manifest of job `from` (skipped when an earlier run did).
    fn rerun_job(&self, cx: &StepCx<'_>, state: &State, from: JobVar, to: JobVar) -> StepOutcome {
        let names = self.names;
        let new_name = state.vars.get(&to).cloned().ok_or_else(|| {
            (
                None,
                StepError::Internal("internal: no name chosen for the new job".to_owned()),
            )
        })?;
        if state.resumed.contains(&new_name) {
            return Ok((
                Status::Skipped,
                None,
                Some(format!(
                    "job {new_name} exists from an earlier run; waiting for it instead"
                )),
            ));
        }
        let source = state
            .vars
            .get(&from)
            .and_then(|name| {
                state
                    .jobs
                    .iter()
                    .chain(&state.saved)
                    .find(|j| job_name(j) == name)
            })
            .ok_or_else(|| {
                (
                    None,
                    StepError::cluster_hint(
                        format!(
                            "there is no job to copy: no job named {}-… in namespace {}",
                            from.prefix(names),
                            cx.namespace
                        ),
                        format!(
                            "pass the job's name prefix with {} / {}",
                            JobVar::KeyGenJob.prefix_flag(),
                            JobVar::CreateTokenJob.prefix_flag()
                        ),
                    ),
                )
            })?;
        let manifest = procedure::rerun_manifest(source, &new_name);
        let stdin = serde_json::to_vec(&manifest).expect("JSON values serialise");
        let (command, _) = self.kubectl(
            cx.step,
            state,
            Some(stdin),
            cx.timeout,
            cx.label,
            cx.namespace,
        )?;
        Ok((
            Status::Ok,
            Some(format!("{command} < manifest of {}", job_name(source))),
            Some(format!("created job {new_name}")),
        ))
    }

    /// Waits until the operator has created a new job named `PREFIX-…` (not a re-run copy).
    fn wait_job_created(
        &self,
        cx: &StepCx<'_>,
        state: &mut State,
        prefix: &str,
        var: JobVar,
    ) -> StepOutcome {
        let old: Vec<String> = jobs_with_prefix(&state.jobs, prefix)
            .iter()
            .map(|j| job_name(j).to_owned())
            .collect();
        let is_new = |j: &&Value| {
            !old.iter().any(|o| o == job_name(j)) && !procedure::is_rerun_copy(prefix, j)
        };
        let (command, polled) = self.wait_for(cx, state, |jobs| {
            jobs_with_prefix(jobs, prefix)
                .into_iter()
                .rev()
                .find(is_new)
                .map(|j| job_name(j).to_owned())
        })?;
        match polled {
            Ok(name) => {
                state.vars.insert(var, name.clone());
                Ok((Status::Ok, Some(command), Some(format!("job {name}"))))
            }
            Err(jobs) => {
                let copies: Vec<&str> = jobs_with_prefix(&jobs, prefix)
                    .into_iter()
                    .filter(|j| procedure::is_rerun_copy(prefix, j))
                    .map(job_name)
                    .collect();
                let left = if copies.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (what is left, {}, is a re-run copy, which it never re-creates)",
                        copies.join(", ")
                    )
                };
                Err((Some(command), StepError::cluster_hint(format!(
                    "no new {prefix} job appeared within {}s: the operator (kubit) re-creates only the jobs it deployed itself{left}",
                    cx.timeout.as_secs()
                ), "on a cluster without the operator, run the same command with --method original: it re-runs the deleted job from the manifest saved before deleting it")))
            }
        }
    }

    /// Waits until a pod matching the selector exists again (not one being deleted).
    fn wait_pods_created(&self, cx: &StepCx<'_>, state: &State) -> StepOutcome {
        let (command, polled) = self.wait_for(cx, state, |pods| {
            let live: Vec<&str> = pods
                .iter()
                .filter(|p| p.pointer("/metadata/deletionTimestamp").is_none())
                .map(job_name)
                .collect();
            (!live.is_empty()).then(|| live.join(", "))
        })?;
        match polled {
            Ok(live) => Ok((Status::Ok, Some(command), Some(live))),
            Err(_) => Err((
                Some(command),
                StepError::cluster_hint(
                    format!(
                        "no pod matching {} was re-created within {}s",
                        self.names.pod_selector,
                        cx.timeout.as_secs()
                    ),
                    format!(
                        "check the token-management Deployment: `kubectl describe deployment -n {}`",
                        cx.namespace
                    ),
                ),
            )),
        }
    }

    /// The one wait loop: runs the step's list command, pausing 0.1 s and doubling up to
    /// 1 s between runs, until `found` finds what it waits for in the listed items
    /// (`Ok`), or the step's timeout has passed (`Err` with the last items listed).
    fn wait_for<T>(
        &self,
        cx: &StepCx<'_>,
        state: &State,
        mut found: impl FnMut(&[Value]) -> Option<T>,
    ) -> Result<(String, Result<T, Vec<Value>>), Fail> {
        let deadline = deadline_after(cx.timeout);
        let started = Instant::now();
        let mut pause = Duration::from_millis(100);
        loop {
            let (command, out) =
                self.kubectl(cx.step, state, None, cx.timeout, cx.label, cx.namespace)?;
            let items = job_items(&out).map_err(|e| (Some(command.clone()), e))?;
            if let Some(value) = found(&items) {
                return Ok((command, Ok(value)));
            }
            if Instant::now() >= deadline {
                return Ok((command, Err(items)));
            }
            self.show(cx.label, started.elapsed());
            std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }

    /// Waits for job `var` to complete; stops early when it has failed.
    fn wait_job_complete(&self, cx: &StepCx<'_>, state: &State, var: JobVar) -> StepOutcome {
        let job = state.vars.get(&var).cloned().unwrap_or_default();
        let argv = resolved(cx.step, state)?;
        let target = &cx.procedure.target;
        let namespace = cx.namespace;
        // `kubectl wait --for=condition=complete` waits out its timeout on a job that
        // has failed; a look at the job every few seconds stops it early.
        let mut next_look = Duration::from_secs(2);
        let give_up = |elapsed: Duration| {
            if elapsed < next_look {
                return None;
            }
            next_look = elapsed + Duration::from_secs(3);
            match self.job_condition_now(&job, target) {
                Some((kind, reason)) if kind == "Failed" => {
                    Some(format!("job {job} failed: {reason}"))
                }
                _ => None,
            }
        };
        let limit = cx.timeout.saturating_add(Duration::from_secs(15));
        match self.kubectl_watching(&argv, None, limit, cx.label, namespace, give_up) {
            Ok((command, _)) => Ok((Status::Ok, Some(command), None)),
            Err((command, error)) if super::kubectl::interrupted_by().is_some() => {
                Err((command, error))
            }
            Err((command, error)) => {
                let status = self.job_status(&job, target, cx.timeout);
                let hint = format!("see why with `kubectl describe job {job} -n {namespace}` and `kubectl logs job/{job} -n {namespace}`");
                Err((
                    command,
                    StepError::Job {
                        source: Box::new(error),
                        job,
                        status,
                        hint,
                    },
                ))
            }
        }
    }

    /// Reads the secrets again and checks them against the baseline.
    fn verify_revoked(&self, cx: &StepCx<'_>, state: &mut State) -> StepOutcome {
        let names = self.names;
        let procedure = cx.procedure;
        let (command, out) =
            self.kubectl(cx.step, state, None, cx.timeout, cx.label, cx.namespace)?;
        let after = self
            .snapshot(&out)
            .map_err(|e| (Some(command.clone()), StepError::Output(e.to_string())))?;
        let before = state.baseline.clone().unwrap_or_default();
        let expect_new_token = procedure.method == Some(Method::Current)
            || procedure.steps.iter().any(|s| {
                matches!(
                    &s.action,
                    Action::RerunJob {
                        to: JobVar::NewCreateTokenJob,
                        ..
                    }
                )
            });
        let verification = verify::verify(
            &before,
            &after,
            &names.rsa_secret,
            &names.admin_secret,
            expect_new_token,
        );
        let failures = verification.failures();
        state.verification = Some(verification.clone());
        if !failures.is_empty() {
            return Err((
                Some(command),
                StepError::cluster(format!(
                    "the revocation did not take effect:\n  {}",
                    failures.join("\n  ")
                )),
            ));
        }
        let summary = verification
            .checks()
            .iter()
            .filter(|(_, c)| matches!(c, verify::Check::Passed(_)))
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ");
        state.verification = Some(verification);
        Ok((Status::Ok, Some(command), Some(summary)))
    }

    /// Reads the admin token and hands it to the host to store.
    fn fetch_token(
        &mut self,
        cx: &StepCx<'_>,
        state: &State,
        token_file: &str,
        profile: &str,
    ) -> StepOutcome {
        let names = self.names;
        let (command, out) =
            self.kubectl(cx.step, state, None, cx.timeout, cx.label, cx.namespace)?;
        let encoded = String::from_utf8_lossy(&out);
        if encoded.trim().is_empty() {
            return Err((Some(command), StepError::cluster_hint(
                format!("secret {} has no key `{}` (or it is empty)", names.admin_secret, names.token_key),
                format!("list its keys with `kubectl get secret {} -n {} -o json | {} secret decode -`, then pass --key", names.admin_secret, cx.namespace, crate::program::name()),
            )));
        }
        let token = crate::secret::decode_base64(&encoded, Some(&names.token_key))
            .map_err(|e| (Some(command.clone()), StepError::Output(e.to_string())))?;
        let changed = self
            .host
            .store_token(&token, token_file, profile)
            .map_err(|e| (Some(command.clone()), StepError::Host(e)))?;
        Ok((Status::Ok, Some(command), Some(changed)))
    }

    /// Whether the step after `step` re-runs a job that an earlier run already created and
    /// that is still running: the secrets it will write were deleted by that earlier run.
    fn resuming_next_rerun(&self, procedure: &Procedure, step: &Step, state: &State) -> bool {
        let Some(at) = procedure.steps.iter().position(|s| std::ptr::eq(s, step)) else {
            return false;
        };
        match procedure.steps.get(at + 1).map(|s| &s.action) {
            Some(Action::RerunJob { to, .. }) => state
                .vars
                .get(to)
                .is_some_and(|name| state.resumed.contains(name)),
            _ => false,
        }
    }

    fn kubectl(
        &self,
        step: &Step,
        state: &State,
        stdin: Option<Vec<u8>>,
        timeout: Duration,
        label: &str,
        namespace: &str,
    ) -> Result<(String, Vec<u8>), Fail> {
        let argv = resolved(step, state)?;
        self.kubectl_argv(&argv, stdin, timeout, label, namespace)
    }

    fn kubectl_argv(
        &self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        timeout: Duration,
        label: &str,
        namespace: &str,
    ) -> Result<(String, Vec<u8>), Fail> {
        self.kubectl_watching(argv, stdin, timeout, label, namespace, |_| None)
    }

    /// Runs kubectl; `give_up` is asked every tick whether waiting on can still succeed.
    fn kubectl_watching(
        &self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        timeout: Duration,
        label: &str,
        namespace: &str,
        mut give_up: impl FnMut(Duration) -> Option<String>,
    ) -> Result<(String, Vec<u8>), Fail> {
        let command = self.kubectl.display(argv);
        self.events.event(Event::Command {
            command: command.clone(),
        });
        let tick = |elapsed: Duration| {
            self.show(label, elapsed);
            give_up(elapsed)
        };
        let output = self
            .kubectl
            .run(argv, stdin, timeout, tick)
            .map_err(|e| (Some(command.clone()), StepError::Run(e)))?;
        if !output.success() {
            let hint = hint_for(&output.stderr, namespace);
            let error = ProcessError {
                argv: std::iter::once("kubectl".to_owned())
                    .chain(argv.iter().cloned())
                    .collect(),
                code: output.code,
                stdout: output.stdout,
                stderr: output.stderr,
                hint,
            };
            return Err((Some(command), StepError::Process(Box::new(error))));
        }
        Ok((command, output.stdout))
    }

    fn show(&self, label: &str, elapsed: Duration) {
        self.events.event(Event::Progress {
            label: label.to_owned(),
            elapsed,
        });
    }

    /// A job's conditions in words, for a wait that failed.
    fn job_status(&self, job: &str, target: &procedure::Target, timeout: Duration) -> String {
        match self.read_job(job, target, timeout.min(Duration::from_secs(30))) {
            Ok(job) => match job_condition(&job) {
                Some((kind, reason)) => format!("{kind}: {reason}"),
                None => match job["status"]["failed"].as_u64() {
                    // A real job controller retries failed pods with a growing delay (10 s,
                    // 20 s, 40 s, …) before it marks the Job Failed: say so, not "running".
                    Some(failed) if failed > 0 => format!(
                        "still running, but {failed} of its pods failed; the job controller retries \
                         up to backoffLimit {} times, waiting longer each time, before it marks the job Failed",
                        job["spec"]["backoffLimit"].as_u64().unwrap_or(6)
                    ),
                    _ => "still running (no Complete or Failed condition yet)".into(),
                },
            },
            Err(why) => format!("could not read its status: {why}"),
        }
    }

    /// The job's finishing condition right now, if it can be read.
    fn job_condition_now(&self, job: &str, target: &procedure::Target) -> Option<(String, String)> {
        self.read_job(job, target, Duration::from_secs(10))
            .ok()
            .as_ref()
            .and_then(job_condition)
    }

    fn read_job(
        &self,
        job: &str,
        target: &procedure::Target,
        timeout: Duration,
    ) -> Result<Value, StepError> {
        let argv = target.kubectl_argv(&["get", "job", job, "-o", "json"]);
        match self.kubectl.run(&argv, None, timeout, |_| None) {
            Ok(out) if out.success() => serde_json::from_slice(&out.stdout)
                .map_err(|e| StepError::Output(format!("kubectl's output is not JSON: {e}"))),
            Ok(out) => Err(StepError::Process(Box::new(ProcessError {
                argv: std::iter::once("kubectl".to_owned()).chain(argv).collect(),
                code: out.code,
                stdout: out.stdout,
                stderr: out.stderr,
                hint: None,
            }))),
            Err(e) => Err(StepError::Run(e)),
        }
    }
}

/// The report of a failed run: the failed step (the last of `steps`), its command and
/// error, and the steps that ran before it.
fn failure_text(total: usize, title: &str, steps: &[StepReport]) -> String {
    let Some((failed, before)) = steps.split_last() else {
        return String::new();
    };
    let mut text = format!("step {} of {total} failed: {title}\n", failed.number);
    if let Some(command) = &failed.command {
        text.push_str(&format!("  command: {command}\n"));
    }
    let message = failed.detail.as_deref().unwrap_or_default();
    text.push_str(&format!("  {}", message.replace('\n', "\n  ")));
    let done: Vec<String> = before
        .iter()
        .filter(|s| s.status != Status::Failed)
        .map(|s| {
            let status = if s.status == Status::Skipped {
                "skipped"
            } else {
                "ok"
            };
            format!("    {} ({status})", s.title)
        })
        .collect();
    if done.is_empty() {
        text.push_str("\n  nothing was changed before this step");
    } else {
        text.push_str(&format!(
            "\n  steps that ran before it:\n{}",
            done.join("\n")
        ));
        text.push_str("\n  hint: once the cause is fixed, run the same command again: it continues from where the cluster is now");
    }
    text
}

/// `timeout` from now; a timeout too long for the clock waits as good as forever (no overflow).
pub fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 86_400)))
        .unwrap_or(now)
}

/// The step's argv with the job names that earlier steps found.
fn resolved(step: &Step, state: &State) -> Result<Vec<String>, Fail> {
    let own = state.own_args.min(step.argv.len());
    let argv: Option<Vec<String>> = step.argv[..own]
        .iter()
        .map(|a| Some(a.clone()))
        .chain(step.argv[own..].iter().map(|a| resolve(a, &state.vars)))
        .collect();
    argv.ok_or_else(|| {
        (
            None,
            StepError::Internal(
                "internal: a job name this step needs was not found by an earlier step".to_owned(),
            ),
        )
    })
}

/// A failed step: the command as run (if one ran) and why it failed.
type Fail = (Option<String>, StepError);

type StepOutcome = Result<(Status, Option<String>, Option<String>), Fail>;

/// What every action of a step needs to know about it.
struct StepCx<'a> {
    procedure: &'a Procedure,
    step: &'a Step,
    label: &'a str,
    namespace: &'a str,
    timeout: Duration,
}

/// Why a job that a later step deletes or copies is missing.
fn missing_job(var: JobVar, names: &ClusterNames, namespace: &str) -> StepError {
    let prefix = var.prefix(names);
    let flag = if var == JobVar::KeyGenJob {
        "--key-gen-job"
    } else {
        "--create-token-job"
    };
    StepError::cluster_hint(
        format!("there is no {prefix} job in namespace {namespace} (no job named {prefix}-…, and no saved manifest of one); nothing was changed"),
        format!("check --namespace, or give the job's name prefix with {flag}; `kubectl get jobs -n {namespace}` lists the jobs"),
    )
}

fn resolve_title(title: &str, vars: &BTreeMap<JobVar, String>) -> String {
    resolve(title, vars).unwrap_or_else(|| title.to_owned())
}

/// `text` with the `$VARIABLE`s that `vars` knows; `None` while one is unknown.
fn resolve(text: &str, vars: &BTreeMap<JobVar, String>) -> Option<String> {
    procedure::resolve(text, |name| {
        JobVar::from_shell_name(name).and_then(|v| vars.get(&v).cloned())
    })
}

fn job_items(stdout: &[u8]) -> Result<Vec<Value>, StepError> {
    let doc: Value = serde_json::from_slice(stdout)
        .map_err(|e| StepError::Output(format!("kubectl's output is not JSON: {e}")))?;
    Ok(doc
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// Jobs named `PREFIX-…`, oldest first.
fn jobs_with_prefix<'a>(jobs: &'a [Value], prefix: &str) -> Vec<&'a Value> {
    let start = format!("{prefix}-");
    let mut found: Vec<&Value> = jobs
        .iter()
        .filter(|j| job_name(j).starts_with(&start))
        .collect();
    found.sort_by(|a, b| {
        let ts = |j: &Value| {
            j.pointer("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        ts(a).cmp(&ts(b)).then_with(|| job_name(a).cmp(job_name(b)))
    });
    found
}

/// `Some(("Complete"|"Failed", reason))` once a job has finished.
fn job_condition(job: &Value) -> Option<(String, String)> {
    job.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find_map(|c| {
            let kind = c.get("type")?.as_str()?;
            let done =
                c.get("status")?.as_str()? == "True" && (kind == "Complete" || kind == "Failed");
            done.then(|| {
                let reason = [c.get("reason"), c.get("message")]
                    .iter()
                    .flatten()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(": ");
                (
                    kind.to_owned(),
                    if reason.is_empty() {
                        "no reason given".to_owned()
                    } else {
                        reason
                    },
                )
            })
        })
}
