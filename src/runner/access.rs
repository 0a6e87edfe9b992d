//! The preflight's access review: whether the current user may do each thing a procedure
//! does, asked of the API server before anything changes.
//!
//! Each question is a `SelfSubjectAccessReview`, what `kubectl auth can-i VERB
//! RESOURCE[/NAME]` sends. They go in one kubectl run (`kubectl create -f - -o json` of a
//! `List` of them), not one `auth can-i` each: one process, one login with an `exec:`
//! credential plugin, and a reply that tells a "no" (`status.allowed: false`) from a
//! failed question (kubectl's exit status), which `auth can-i`'s exit status 1 does not.
//! (`kubectl auth can-i --list` cannot answer for named objects.)

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::kubectl::{hint_for, Kubectl, RunError};
use crate::procedure::Target;
use crate::rbac::Permission;

/// The API server's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub allowed: bool,
    /// The authorizer's reason, if it gave one.
    pub reason: Option<String>,
    /// An error the authorizer met (the answer is then "no" for want of a "yes").
    pub evaluation_error: Option<String>,
}

/// Why the questions could not be asked: not a "no", but no answer.
#[derive(Debug)]
pub struct ReviewError {
    pub message: String,
    pub command: String,
    pub exit_code: Option<i32>,
    pub hint: Option<String>,
    /// kubectl ran and the API server (or kubectl) refused the review; `false` when kubectl
    /// itself could not finish (a timeout, Ctrl-C, a credential plugin waiting for a login).
    pub refused: bool,
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// kubectl's arguments for the review.
pub fn argv(target: &Target) -> Vec<String> {
    target.kubectl_argv(&["create", "-f", "-", "-o", "json", "--validate=false"])
}

/// The `List` of SelfSubjectAccessReviews for `checks`, as sent on kubectl's stdin.
pub fn request<'a>(namespace: &'a str, checks: &'a [Permission]) -> ReviewList<'a> {
    let items = checks
        .iter()
        .map(|check| Review {
            api_version: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: ReviewSpec {
                resource_attributes: Attributes {
                    namespace,
                    verb: check.verb,
                    group: check.group,
                    resource: check.resource.plural(),
                    name: check.name.as_deref(),
                },
            },
        })
        .collect();
    ReviewList {
        api_version: "v1",
        kind: "List",
        items,
    }
}

// The request's objects, typed (as every JSON this program writes): keys in the order
// `kubectl` prints them, whatever serde_json's features.

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewList<'a> {
    api_version: &'static str,
    kind: &'static str,
    items: Vec<Review<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Review<'a> {
    api_version: &'static str,
    kind: &'static str,
    spec: ReviewSpec<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ReviewSpec<'a> {
    resource_attributes: Attributes<'a>,
}

#[derive(Debug, Serialize)]
struct Attributes<'a> {
    namespace: &'a str,
    verb: &'a str,
    group: &'a str,
    resource: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

/// Asks whether each of `checks` is allowed in `target`'s namespace: one answer per check,
/// in order.
pub fn review(
    kubectl: &Kubectl,
    target: &Target,
    checks: &[Permission],
    timeout: Duration,
) -> Result<Vec<Answer>, ReviewError> {
    if checks.is_empty() {
        return Ok(Vec::new());
    }
    let argv = argv(target);
    let command = kubectl.display(&argv);
    let body =
        serde_json::to_vec(&request(&target.namespace, checks)).expect("JSON values serialise");
    let fail = |message: String, exit_code, hint| ReviewError {
        message,
        command: command.clone(),
        exit_code,
        hint,
        refused: true,
    };
    let out = kubectl
        .run(&argv, Some(body), timeout, |_| None)
        .map_err(|e: RunError| ReviewError {
            refused: false,
            ..fail(
                format!("the access review did not finish: {e}"),
                None,
                e.hint(),
            )
        })?;
    if !out.success() {
        let code = out.code;
        let status = code.map_or("was stopped by a signal".to_owned(), |c| {
            format!("exited with {c}")
        });
        let hint = hint_for(&out.stderr, &target.namespace);
        return Err(fail(
            format!("the access review failed: kubectl {status}: {}", out.stderr),
            code,
            hint,
        ));
    }
    let answers = parse(&out.stdout).map_err(|why| fail(why, out.code, None))?;
    if answers.len() != checks.len() {
        return Err(fail(
            format!(
                "the access review answered {} of {} questions",
                answers.len(),
                checks.len()
            ),
            out.code,
            None,
        ));
    }
    Ok(answers)
}

/// The answers in kubectl's output: one JSON object per review (as kubectl prints several
/// created objects), or a `List` of them.
pub fn parse(stdout: &[u8]) -> Result<Vec<Answer>, String> {
    let mut reviews = Vec::new();
    for value in serde_json::Deserializer::from_slice(stdout).into_iter::<Value>() {
        let value =
            value.map_err(|e| format!("kubectl's reply to the access review is not JSON: {e}"))?;
        match value.get("items").and_then(Value::as_array) {
            Some(items) => reviews.extend(items.iter().cloned()),
            None => reviews.push(value),
        }
    }
    reviews
        .iter()
        .map(|review| {
            let status = review.get("status").ok_or_else(|| {
                "kubectl's reply to the access review has a review without a status".to_owned()
            })?;
            let text = |key: &str| {
                status
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            Ok(Answer {
                allowed: status.get("allowed").and_then(Value::as_bool) == Some(true)
                    && status.get("denied").and_then(Value::as_bool) != Some(true),
                reason: text("reason"),
                evaluation_error: text("evaluationError"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_from_a_stream_or_a_list() {
        let one = r#"{"status":{"allowed":true,"reason":"RBAC: ok"}}"#;
        let two = r#"{"status":{"allowed":false}}"#;
        let stream = format!("{one}\n{two}\n");
        let answers = parse(stream.as_bytes()).unwrap();
        assert_eq!(answers.len(), 2);
        assert!(answers[0].allowed && !answers[1].allowed);
        let list = format!(r#"{{"kind":"List","items":[{one},{two}]}}"#);
        assert_eq!(parse(list.as_bytes()).unwrap(), answers);
        let denied = r#"{"status":{"allowed":true,"denied":true}}"#;
        assert!(!parse(denied.as_bytes()).unwrap()[0].allowed);
        assert!(parse(b"{").is_err());
        assert!(parse(b"{}").is_err());
    }
}
