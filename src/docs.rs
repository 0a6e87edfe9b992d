//! A procedure as a documentation page reads: each step's plain `kubectl` command, the
//! command a reader types, with the reader's values, and job names as the page's
//! placeholders (`KEY_GEN_JOB`, `CREATE_ADMIN_TOKEN_JOB`). Where a step needs a name only
//! the cluster knows (the name the operator gives a re-created job), it says so, shows the
//! command that reveals it and the command to paste once it is filled in. The steps the
//! page lacks (waits, the check that the old token no longer verifies, the token file's
//! mode) are marked as additions. The exact script stays [`Procedure::to_shell`]; this is
//! the rendering the docs widget shows by default (one rendering of the same steps).

use std::fmt::Write as _;

use serde::Serialize;

use crate::procedure::{resolve, Action, ClusterNames, JobVar, Procedure, Step};
use crate::shell::quote;

/// One step as a docs page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocStep {
    pub title: String,
    /// The commands to paste, in order.
    pub commands: Vec<String>,
    /// What to do with them: what to note, what to fill in.
    pub note: Option<String>,
    /// Not in the documentation's procedure: added by influxctl-admin.
    pub addition: bool,
}

/// The placeholder a docs page uses (or would use) for a job name.
pub const fn placeholder(var: JobVar) -> &'static str {
    match var {
        JobVar::KeyGenJob => "KEY_GEN_JOB",
        JobVar::CreateTokenJob => "CREATE_ADMIN_TOKEN_JOB",
        JobVar::NewKeyGenJob => "NEW_KEY_GEN_JOB",
        JobVar::NewCreateTokenJob => "NEW_CREATE_ADMIN_TOKEN_JOB",
    }
}

/// `arg` with each `$VARIABLE` as the name the reader gave, else as its placeholder.
fn fill(arg: &str, names: &ClusterNames) -> String {
    resolve(arg, |name| {
        JobVar::from_shell_name(name)
            .map(|var| names.named(var).unwrap_or(placeholder(var)).to_owned())
    })
    .unwrap_or_else(|| arg.to_owned())
}

impl Procedure {
    /// `kubectl ARGV` as a reader types it: every argument quoted only where the shell needs it.
    fn plain(&self, argv: &[String], names: &ClusterNames) -> String {
        let words: Vec<String> = argv.iter().map(|a| quote(&fill(a, names))).collect();
        format!("kubectl {}", words.join(" "))
    }

    /// The steps as a documentation page shows them (see the module's documentation).
    pub fn docs(&self, names: &ClusterNames) -> Vec<DocStep> {
        self.steps
            .iter()
            .map(|step| self.doc_step(step, names))
            .collect()
    }

    fn doc_step(&self, step: &Step, names: &ClusterNames) -> DocStep {
        let title = fill(&step.title, names);
        let plain = self.plain(&step.argv, names);
        let without = |drop: &[&str]| -> Vec<String> {
            let argv: Vec<String> = step
                .argv
                .iter()
                .filter(|a| !drop.contains(&a.as_str()))
                .cloned()
                .collect();
            vec![self.plain(&argv, names)]
        };
        let (commands, note, addition) = match &step.action {
            Action::RecordSecrets => (
                vec![],
                Some("influxctl-admin records the keys and the token, to verify the revocation.".to_owned()),
                true,
            ),
            Action::ListJobs => {
                let mut found = Vec::new();
                // Only the jobs a later step uses (the original method without --recreate
                // never touches the create-admin-token job).
                let used = |var: JobVar| {
                    self.steps.iter().any(|s| match s.action {
                        Action::RerunJob { from, .. } => from == var,
                        _ => s.argv.contains(&var.reference()) || s.argv.contains(&format!("job/{}", var.reference())),
                    })
                };
                for var in JobVar::JOBS.into_iter().filter(|v| used(*v)) {
                    match names.named(var) {
                        Some(name) => found.push(format!("{} is {name}", placeholder(var))),
                        None => found.push(format!("{}: the {}-… job", placeholder(var), var.prefix(names))),
                    }
                }
                let mut note = format!("Note {}.", found.join("; "));
                if self.steps.iter().any(|s| matches!(s.action, Action::RerunJob { .. })) {
                    note.push_str(" A re-run's name is the next free PREFIX-NNN (key-gen-001, …).");
                }
                (without(&["-o", "json"]), Some(note), false)
            }
            Action::WaitJobCreated { prefix, var } => (
                without(&["-o", "json"]),
                Some(format!(
                    "Repeat until the operator lists a new {prefix}-… job: its name is {}.",
                    placeholder(*var)
                )),
                true,
            ),
            Action::WaitJobComplete { var } => (
                vec![plain],
                Some(format!("Fill in {}.", placeholder(*var))),
                true,
            ),
            Action::RerunJob { from, to } => (
                vec![format!(
                    "{} | jq {} | {}",
                    self.plain(&self.target.kubectl_argv(&["get", "job", &from.reference(), "-o", "json"]), names),
                    quote(&rerun_filter(names, *to)),
                    plain
                )],
                Some(format!(
                    "Fill in {}. kubectl has no `create job --from=job/…`: this copies the job's manifest.",
                    placeholder(*to)
                )),
                false,
            ),
            Action::WaitPodsCreated => (without(&["-o", "json"]), Some("Repeat until new pods are listed.".to_owned()), true),
            Action::WaitPodsReady => (vec![plain], None, true),
            Action::VerifyRevoked => (
                vec![],
                Some("influxctl-admin checks that the old token no longer verifies against the new key.".to_owned()),
                true,
            ),
            Action::FetchToken { token_file, profile } => (
                vec![
                    format!("(umask 077 && {plain} | base64 -d > {})", quote(token_file)),
                    format!(
                        "influxctl-admin profile use-token --token-file {} {}{}",
                        quote(token_file),
                        if profile.starts_with('-') { "-- " } else { "" },
                        quote(profile)
                    ),
                ],
                Some("umask 077: mode 0600, readable by you only (added to the docs); then point the profile at it.".to_owned()),
                false,
            ),
            Action::DeleteSecrets | Action::DeleteJob { .. } | Action::DeletePods => (vec![plain], None, false),
        };
        DocStep {
            title,
            commands,
            note,
            addition,
        }
    }

    /// The steps as text: what `plan … --format docs` prints and the docs widget shows.
    pub fn to_docs(&self, names: &ClusterNames) -> String {
        let mut out = format!("{}\n", self.title);
        for (i, step) in self.docs(names).iter().enumerate() {
            let added = if step.addition {
                " (added to the docs page's procedure)"
            } else {
                ""
            };
            let _ = writeln!(out, "{:>2}. {}{added}", i + 1, step.title);
            for command in &step.commands {
                let _ = writeln!(out, "    $ {command}");
            }
            if let Some(note) = &step.note {
                let _ = writeln!(out, "    {note}");
            }
        }
        out
    }
}

/// The jq filter that makes a re-run copy of one job's manifest (`kubectl get job J -o json`),
/// named as the reader fills in: [`crate::procedure::jq_rerun`] for a single job.
fn rerun_filter(names: &ClusterNames, to: JobVar) -> String {
    let all = crate::procedure::jq_rerun(to, to);
    // `.items[] | select(.metadata.name == env.X) | del(…) | … | .metadata.name = env.Y`
    let body = all.split_once(" | ").map_or(all.as_str(), |(_, rest)| rest);
    let body = body.split_once(" | ").map_or(body, |(_, rest)| rest);
    let name = names.named(to).unwrap_or(placeholder(to));
    body.replace(&format!("env.{}", to.shell_name()), &format!("\"{name}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::{revoke, Destination, Method, Target};

    fn target() -> Target {
        Target::namespace("influxdb")
    }

    #[test]
    fn current_revoke_reads_like_the_docs_page() {
        let names = ClusterNames {
            key_gen_job: Some("key-gen-abcde".into()),
            ..ClusterNames::default()
        };
        let p = revoke(&target(), &names, Method::Current, None, 300).unwrap();
        let docs = p.docs(&names);
        assert_eq!(docs.len(), p.steps.len());
        assert_eq!(docs[1].commands, ["kubectl --namespace influxdb get jobs"]);
        assert_eq!(docs[2].commands, ["kubectl --namespace influxdb delete secret rsa-keys admin-token --ignore-not-found"]);
        assert_eq!(
            docs[3].commands,
            ["kubectl --namespace influxdb delete job key-gen-abcde --ignore-not-found"]
        );
        assert!(docs[4].addition);
        assert_eq!(
            docs[5].commands,
            ["kubectl --namespace influxdb wait --for=condition=complete job/NEW_KEY_GEN_JOB --timeout=300s"]
        );
        assert_eq!(
            docs[9].commands,
            ["kubectl --namespace influxdb delete job CREATE_ADMIN_TOKEN_JOB --ignore-not-found"]
        );
        assert!(docs[12].addition && docs[12].commands.is_empty());
        assert!(!p.to_docs(&names).contains("jq"));
    }

    #[test]
    fn original_revoke_and_fetch_show_what_to_paste() {
        let names = ClusterNames::default();
        let dest = Destination {
            token_file: "/home/me/token.json".into(),
            profile: "default".into(),
        };
        let p = revoke(&target(), &names, Method::Original, Some(&dest), 300).unwrap();
        let docs = p.docs(&names);
        assert_eq!(
            docs[1].note.as_deref(),
            Some("Note KEY_GEN_JOB: the key-gen-… job; CREATE_ADMIN_TOKEN_JOB: the create-admin-token-… job. A re-run's name is the next free PREFIX-NNN (key-gen-001, …).")
        );
        let alone = revoke(&target(), &names, Method::Original, None, 300).unwrap();
        assert_eq!(
            alone.docs(&names)[1].note.as_deref(),
            Some("Note KEY_GEN_JOB: the key-gen-… job. A re-run's name is the next free PREFIX-NNN (key-gen-001, …).")
        );
        let rerun = &docs[3].commands[0];
        assert!(
            rerun.starts_with(
                "kubectl --namespace influxdb get job KEY_GEN_JOB -o json | jq 'del(.status"
            ),
            "{rerun}"
        );
        assert!(
            rerun.contains(".metadata.name = \"NEW_KEY_GEN_JOB\"'"),
            "{rerun}"
        );
        assert!(
            rerun.ends_with("| kubectl --namespace influxdb create -f -"),
            "{rerun}"
        );
        let fetch = docs.last().unwrap();
        assert_eq!(
            fetch.commands,
            [
                "(umask 077 && kubectl --namespace influxdb get secret admin-token -o 'jsonpath={.data.token}' | base64 -d > /home/me/token.json)",
                "influxctl-admin profile use-token --token-file /home/me/token.json default",
            ]
        );
    }
}
