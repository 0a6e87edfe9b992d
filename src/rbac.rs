//! Least privilege: the Kubernetes permissions the procedures use, read from each step's
//! kubectl argv (the same data the runner runs and `plan` prints), as the rules of a
//! `Role` that grants exactly those, and as the checks of the preflight that asks the
//! cluster for them before anything changes.
//!
//! What a kubectl command needs, as observed against the API server (each request it
//! sends, with its RBAC verb):
//!
//! | command | requests |
//! | --- | --- |
//! | `get KIND NAME…` | `get` of each name |
//! | `get KIND [--selector S]` | `list` |
//! | `delete KIND NAME…` | `delete`, then (`--wait`, the default) `get` of each name until it is gone |
//! | `delete KIND --selector S` | `list`, `delete` of each, then `get`, and `list` + `watch` while a pod terminates |
//! | `wait --for=condition=C KIND/NAME` | `get` (to find it), `list` + `watch` (to wait) |
//! | `wait --for=condition=C KIND --selector S` | `list`, `list` + `watch` |
//! | `create -f -` | `create` |
//!
//! A name is granted by `resourceNames` where Kubernetes allows it (`get`, `delete`) and the
//! name is known before the run: the secrets. Jobs and pods get names the operator and the
//! ReplicaSet generate (the steps say `$KEY_GEN_JOB`), so they cannot be; and `list`,
//! `watch` and `create` can never be restricted by name.

use std::fmt::Write as _;

use serde::Serialize;

use crate::names::{self, InvalidName};
use crate::procedure::{Action, Kind, Method, Procedure, Step};

/// The kinds of object the procedures touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resource {
    Secrets,
    Jobs,
    Pods,
}

impl Resource {
    /// The plural resource name, as RBAC rules and `kubectl auth can-i` name it.
    pub const fn plural(self) -> &'static str {
        match self {
            Resource::Secrets => "secrets",
            Resource::Jobs => "jobs",
            Resource::Pods => "pods",
        }
    }

    /// The API group (`""` is the core group).
    pub const fn group(self) -> &'static str {
        match self {
            Resource::Jobs => "batch",
            Resource::Secrets | Resource::Pods => "",
        }
    }

    /// The resource of a kubectl type argument (`secret`, `jobs`, `job/NAME`'s `job`).
    fn from_kubectl(kind: &str) -> Option<Resource> {
        match kind {
            "secret" | "secrets" => Some(Resource::Secrets),
            "job" | "jobs" | "job.batch" | "jobs.batch" => Some(Resource::Jobs),
            "pod" | "pods" | "po" => Some(Resource::Pods),
            _ => None,
        }
    }
}

/// The RBAC verbs the procedures use, in the order rules list them.
pub const VERBS: [&str; 5] = ["get", "list", "watch", "create", "delete"];

/// Whether a rule may restrict `verb` by `resourceNames` (Kubernetes cannot authorize
/// `list`, `watch`, `create` or `deletecollection` by name).
pub fn nameable(verb: &str) -> bool {
    matches!(verb, "get" | "delete" | "update" | "patch")
}

/// One thing a step does to the cluster: a verb on a resource, on one object (`name`) or
/// on any.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Access {
    pub verb: &'static str,
    pub resource: Resource,
    pub name: Option<String>,
}

/// A step that needs a permission: the command (`token revoke`), the step's number in
/// `plan`'s list and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Need {
    pub command: String,
    pub step: usize,
    pub title: String,
}

/// A permission and the steps that need it: one line of a rule, and one preflight check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    pub verb: &'static str,
    pub resource: Resource,
    /// The API group (`""`: core).
    pub group: &'static str,
    /// The one object it is granted on, or `None` for any.
    pub name: Option<String>,
    pub needed_by: Vec<Need>,
}

impl Permission {
    /// `verb resource[/name]`, as `kubectl auth can-i` takes it.
    pub fn subject(&self) -> String {
        match &self.name {
            Some(name) => format!("{} {}/{name}", self.verb, self.resource.plural()),
            None => format!("{} {}", self.verb, self.resource.plural()),
        }
    }

    /// The needing steps in a few words: `token revoke 1, 13; token fetch 1`.
    pub fn needed_by_short(&self) -> String {
        short_needs(&self.needed_by)
    }
}

/// A rule of the Role: verbs on a resource, optionally on named objects only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub api_group: &'static str,
    pub resource: Resource,
    pub resource_names: Vec<String>,
    pub verbs: Vec<&'static str>,
    /// What the rule grants, one permission per verb (and name): the preflight's checks.
    pub grants: Vec<Permission>,
}

impl Rule {
    /// The steps that need any of the rule's grants, each once, in order.
    pub fn needed_by(&self) -> Vec<Need> {
        let mut needs: Vec<Need> = Vec::new();
        for need in self.grants.iter().flat_map(|g| &g.needed_by) {
            if !needs.contains(need) {
                needs.push(need.clone());
            }
        }
        needs.sort_by_key(|n| (order(&n.command), n.step));
        needs
    }
}

fn order(command: &str) -> usize {
    ["token fetch", "token revoke", "token create"]
        .iter()
        .position(|c| *c == command)
        .unwrap_or(usize::MAX)
}

/// A kubectl command the permission model does not know: a step was added without
/// teaching this module what it needs (a bug, caught by the tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownCommand {
    pub title: String,
    pub argv: Vec<String>,
}

impl std::fmt::Display for UnknownCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot tell which permissions step `{}` needs (kubectl {})",
            self.title,
            self.argv.join(" ")
        )
    }
}

impl std::error::Error for UnknownCommand {}

/// kubectl flags that take the next argument as their value.
const VALUE_FLAGS: [&str; 9] = [
    "--kubeconfig",
    "--context",
    "--namespace",
    "-n",
    "-o",
    "--output",
    "--selector",
    "-l",
    "-f",
];

/// What `step` does to the cluster, from its kubectl argv.
pub fn step_access(step: &Step) -> Result<Vec<Access>, UnknownCommand> {
    let unknown = || UnknownCommand {
        title: step.title.clone(),
        argv: step.argv.clone(),
    };
    if step.argv.is_empty() {
        return Ok(Vec::new());
    }
    let mut words: Vec<&str> = Vec::new();
    let mut selector = false;
    let mut args = step.argv.iter().map(String::as_str);
    while let Some(arg) = args.next() {
        if VALUE_FLAGS.contains(&arg) {
            selector |= matches!(arg, "--selector" | "-l");
            args.next();
        } else if arg.starts_with('-') {
            selector |= arg.starts_with("--selector=") || arg.starts_with("-l=");
        } else {
            words.push(arg);
        }
    }
    let (command, rest) = words.split_first().ok_or_else(unknown)?;
    let access = |verb, resource, name: Option<&str>| Access {
        verb,
        resource,
        // A `$VARIABLE` is a name known only at run time: any object of the kind.
        name: name.filter(|n| !n.contains('$')).map(str::to_owned),
    };
    let mut out = Vec::new();
    match *command {
        "get" | "delete" => {
            let (kind, objects) = rest.split_first().ok_or_else(unknown)?;
            let resource = Resource::from_kubectl(kind).ok_or_else(unknown)?;
            let verb = if *command == "get" { "get" } else { "delete" };
            if objects.is_empty() {
                if !selector && verb == "delete" {
                    return Err(unknown());
                }
                out.push(access("list", resource, None));
                if verb == "delete" {
                    // Each object found, deleted, then waited for until it is gone.
                    out.push(access("delete", resource, None));
                    out.extend(gone_wait(resource, None));
                }
            } else {
                for name in objects {
                    out.push(access(verb, resource, Some(name)));
                    if verb == "delete" {
                        out.extend(gone_wait(resource, Some(name)));
                    }
                }
            }
        }
        "wait" => {
            let object = rest.first().ok_or_else(unknown)?;
            let (kind, name) = match object.split_once('/') {
                Some((kind, name)) => (kind, Some(name)),
                None => (*object, None),
            };
            let resource = Resource::from_kubectl(kind).ok_or_else(unknown)?;
            match name {
                // Found by name (a job's name: `list` and `watch` cannot be granted by name).
                Some(name) => out.push(access("get", resource, Some(name))),
                None if selector => out.push(access("list", resource, None)),
                None => return Err(unknown()),
            }
            out.push(access("list", resource, None));
            out.push(access("watch", resource, None));
        }
        "create" => match &step.action {
            Action::RerunJob { .. } => out.push(access("create", Resource::Jobs, None)),
            _ => return Err(unknown()),
        },
        _ => return Err(unknown()),
    }
    // A `list` or `watch` is never by name (a rule cannot restrict it so).
    for a in &mut out {
        if !nameable(a.verb) {
            a.name = None;
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// What `kubectl delete`'s `--wait` (the default) asks after deleting `name`: the object,
/// until it is gone; an object still terminating (a pod) is then watched.
fn gone_wait(resource: Resource, name: Option<&str>) -> Vec<Access> {
    let mut out = vec![Access {
        verb: "get",
        resource,
        name: name.filter(|n| !n.contains('$')).map(str::to_owned),
    }];
    if resource == Resource::Pods {
        for verb in ["list", "watch"] {
            out.push(Access {
                verb,
                resource,
                name: None,
            });
        }
    }
    out
}

/// The command a procedure is run by: `token revoke`.
fn command_of(kind: Kind) -> String {
    format!("token {}", kind.name())
}

/// Every permission `procedures` use, each with the steps that need it.
pub fn permissions(procedures: &[&Procedure]) -> Result<Vec<Permission>, UnknownCommand> {
    let mut out: Vec<Permission> = Vec::new();
    for procedure in procedures {
        for (i, step) in procedure.steps.iter().enumerate() {
            let need = Need {
                command: command_of(procedure.kind),
                step: i + 1,
                title: step.title.clone(),
            };
            for access in step_access(step)? {
                let found = out.iter_mut().find(|p| {
                    p.verb == access.verb && p.resource == access.resource && p.name == access.name
                });
                match found {
                    Some(p) if !p.needed_by.contains(&need) => p.needed_by.push(need.clone()),
                    Some(_) => {}
                    None => out.push(Permission {
                        verb: access.verb,
                        resource: access.resource,
                        group: access.resource.group(),
                        name: access.name,
                        needed_by: vec![need.clone()],
                    }),
                }
            }
        }
    }
    Ok(out)
}

/// The fewest rules that grant `permissions`: a verb used on any object of a resource is
/// granted on any (its named uses need nothing more); a verb used only on named objects is
/// granted on those names. Verbs with the same names share a rule.
pub fn rules(permissions: &[Permission]) -> Vec<Rule> {
    let mut resources: Vec<Resource> = permissions.iter().map(|p| p.resource).collect();
    resources.sort();
    resources.dedup();
    let mut rules: Vec<Rule> = Vec::new();
    for resource in resources {
        for verb in VERBS {
            let uses: Vec<&Permission> = permissions
                .iter()
                .filter(|p| p.resource == resource && p.verb == verb)
                .collect();
            let Some(first) = uses.first().copied() else {
                continue;
            };
            let grants: Vec<Permission> = if uses.iter().any(|p| p.name.is_none()) {
                let mut needed_by: Vec<Need> = Vec::new();
                for need in uses.iter().flat_map(|p| &p.needed_by) {
                    if !needed_by.contains(need) {
                        needed_by.push(need.clone());
                    }
                }
                vec![Permission {
                    name: None,
                    needed_by,
                    ..first.clone()
                }]
            } else {
                let mut named: Vec<Permission> = uses.iter().map(|p| (*p).clone()).collect();
                named.sort_by(|a, b| a.name.cmp(&b.name));
                named
            };
            let names: Vec<String> = grants.iter().filter_map(|g| g.name.clone()).collect();
            match rules
                .iter_mut()
                .find(|r| r.resource == resource && r.resource_names == names)
            {
                Some(rule) => {
                    rule.verbs.push(verb);
                    rule.grants.extend(grants);
                }
                None => rules.push(Rule {
                    api_group: resource.group(),
                    resource,
                    resource_names: names,
                    verbs: vec![verb],
                    grants,
                }),
            }
        }
    }
    rules
}

/// The procedures a Role for `method` covers: `token fetch`, `token revoke --method
/// METHOD` and `token create`. (`revoke --recreate` needs nothing they do not: its extra
/// steps are create's and fetch's.)
pub fn covered(
    target: &crate::procedure::Target,
    names: &crate::procedure::ClusterNames,
    method: Method,
    dest: &crate::procedure::Destination,
) -> Result<Vec<Procedure>, InvalidName> {
    Ok(vec![
        crate::procedure::fetch(target, names, dest, 300)?,
        crate::procedure::revoke(target, names, method, None, 300)?,
        crate::procedure::create(target, names, dest, 300)?,
    ])
}

/// Who the RoleBinding grants the Role to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum Subject {
    User { name: String },
    Group { name: String },
    ServiceAccount { namespace: String, name: String },
}

impl Default for Subject {
    fn default() -> Self {
        Subject::User {
            name: DEFAULT_NAME.into(),
        }
    }
}

/// The Role's, the RoleBinding's and the default user's name.
pub const DEFAULT_NAME: &str = "influxctl-admin";

impl Subject {
    /// The subject as a RoleBinding lists it.
    fn to_object(&self) -> SubjectObject<'_> {
        let (kind, api_group, name, namespace) = match self {
            Subject::User { name } => ("User", Some(RBAC_GROUP), name, None),
            Subject::Group { name } => ("Group", Some(RBAC_GROUP), name, None),
            Subject::ServiceAccount { namespace, name } => {
                ("ServiceAccount", None, name, Some(namespace.as_str()))
            }
        };
        SubjectObject {
            kind,
            api_group,
            name,
            namespace,
        }
    }

    fn validate(&self) -> Result<(), InvalidName> {
        match self {
            Subject::User { name } | Subject::Group { name } => {
                names::one_line("subject", name)?;
                if name.is_empty() {
                    return Err(InvalidName {
                        what: "subject",
                        value: String::new(),
                        rule: "a user or group name cannot be empty",
                    });
                }
                Ok(())
            }
            Subject::ServiceAccount { namespace, name } => {
                names::label("service account namespace", namespace)?;
                names::subdomain("service account", name)
            }
        }
    }
}

/// A Role and the RoleBinding that grants it.
#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub role: String,
    pub namespace: String,
    pub subject: Subject,
    pub method: Method,
    pub rules: Vec<Rule>,
}

/// The Role (named `role`, in the procedures' namespace) with the rules `procedures` need,
/// bound to `subject`.
pub fn grant(
    procedures: &[Procedure],
    method: Method,
    role: &str,
    subject: Subject,
) -> Result<Grant, GrantError> {
    names::subdomain("role", role).map_err(GrantError::Name)?;
    subject.validate().map_err(GrantError::Name)?;
    let namespace = procedures
        .first()
        .map(|p| p.target.namespace.clone())
        .unwrap_or_default();
    let refs: Vec<&Procedure> = procedures.iter().collect();
    let permissions = permissions(&refs).map_err(GrantError::Unknown)?;
    Ok(Grant {
        role: role.to_owned(),
        namespace,
        subject,
        method,
        rules: rules(&permissions),
    })
}

/// Why no Role could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantError {
    Name(InvalidName),
    Unknown(UnknownCommand),
}

impl std::fmt::Display for GrantError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GrantError::Name(e) => e.fmt(f),
            GrantError::Unknown(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for GrantError {}

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";
const RBAC_VERSION: &str = "rbac.authorization.k8s.io/v1";

// The Kubernetes objects a grant is applied as, typed: their keys come in the order
// `kubectl` prints them, whatever serde_json's features in the build.

/// A `List` of the Role and the RoleBinding, for `kubectl apply -f -`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct List<'a> {
    api_version: &'static str,
    kind: &'static str,
    items: [Object<'a>; 2],
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Object<'a> {
    Role(RoleObject<'a>),
    Binding(BindingObject<'a>),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleObject<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    rules: Vec<RuleObject<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleObject<'a> {
    api_groups: [&'static str; 1],
    resources: [&'static str; 1],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    resource_names: &'a [String],
    verbs: &'a [&'static str],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct BindingObject<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    role_ref: RoleRef<'a>,
    subjects: [SubjectObject<'a>; 1],
}

#[derive(Debug, Serialize)]
struct Metadata<'a> {
    name: &'a str,
    namespace: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleRef<'a> {
    api_group: &'static str,
    kind: &'static str,
    name: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubjectObject<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_group: Option<&'static str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'a str>,
}

impl Grant {
    fn metadata(&self) -> Metadata<'_> {
        Metadata {
            name: &self.role,
            namespace: &self.namespace,
        }
    }

    /// Both objects as one `List`, for `kubectl apply -f -` (`rbac --output json`).
    pub fn to_list(&self) -> List<'_> {
        let role = RoleObject {
            api_version: RBAC_VERSION,
            kind: "Role",
            metadata: self.metadata(),
            rules: self
                .rules
                .iter()
                .map(|r| RuleObject {
                    api_groups: [r.api_group],
                    resources: [r.resource.plural()],
                    resource_names: &r.resource_names,
                    verbs: &r.verbs,
                })
                .collect(),
        };
        let binding = BindingObject {
            api_version: RBAC_VERSION,
            kind: "RoleBinding",
            metadata: self.metadata(),
            role_ref: RoleRef {
                api_group: RBAC_GROUP,
                kind: "Role",
                name: &self.role,
            },
            subjects: [self.subject.to_object()],
        };
        List {
            api_version: "v1",
            kind: "List",
            items: [Object::Role(role), Object::Binding(binding)],
        }
    }

    /// Both objects as YAML documents for `kubectl apply -f -`, each rule under comments
    /// naming the steps that need it.
    pub fn to_yaml(&self) -> String {
        let q = |s: &str| yaml_string(s);
        let method = match self.method {
            Method::Current => "current",
            Method::Original => "original",
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# What influxctl-admin's `token fetch`, `token revoke --method {method}` and `token create`"
        );
        let _ = writeln!(
            out,
            "# use in namespace {}, and nothing more. Step numbers are `influxctl-admin plan`'s.",
            self.namespace
        );
        let _ = writeln!(
            out,
            "# Apply with: influxctl-admin rbac … | kubectl apply -f -"
        );
        out.push_str("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n");
        let _ = writeln!(
            out,
            "  name: {}\n  namespace: {}",
            q(&self.role),
            q(&self.namespace)
        );
        out.push_str("rules:\n");
        for rule in &self.rules {
            for need in rule.needed_by() {
                let _ = writeln!(
                    out,
                    "  # {} step {}: {}",
                    need.command,
                    need.step,
                    one_line(&need.title)
                );
            }
            let _ = writeln!(out, "  - apiGroups: [{}]", q(rule.api_group));
            let _ = writeln!(out, "    resources: [{}]", q(rule.resource.plural()));
            if !rule.resource_names.is_empty() {
                let names: Vec<String> = rule.resource_names.iter().map(|n| q(n)).collect();
                let _ = writeln!(out, "    resourceNames: [{}]", names.join(", "));
            }
            let verbs: Vec<String> = rule.verbs.iter().map(|v| q(v)).collect();
            let _ = writeln!(out, "    verbs: [{}]", verbs.join(", "));
        }
        out.push_str(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n",
        );
        let _ = writeln!(
            out,
            "  name: {}\n  namespace: {}",
            q(&self.role),
            q(&self.namespace)
        );
        out.push_str("roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n");
        let _ = writeln!(out, "  name: {}", q(&self.role));
        out.push_str("subjects:\n");
        match &self.subject {
            Subject::User { name } | Subject::Group { name } => {
                let kind = if matches!(self.subject, Subject::User { .. }) {
                    "User"
                } else {
                    "Group"
                };
                let _ = writeln!(
                    out,
                    "  - kind: {kind}\n    apiGroup: rbac.authorization.k8s.io\n    name: {}",
                    q(name)
                );
            }
            Subject::ServiceAccount { namespace, name } => {
                let _ = writeln!(
                    out,
                    "  - kind: ServiceAccount\n    name: {}\n    namespace: {}",
                    q(name),
                    q(namespace)
                );
            }
        }
        out
    }
}

/// A YAML scalar: a JSON string is a YAML double-quoted one (the same escapes).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `text` as one comment line: control characters shown as spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `token revoke 1, 13; token fetch 1`.
pub fn short_needs(needs: &[Need]) -> String {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for need in needs {
        match groups.iter_mut().find(|(c, _)| *c == need.command) {
            Some((_, steps)) => steps.push(need.step),
            None => groups.push((need.command.clone(), vec![need.step])),
        }
    }
    groups
        .iter()
        .map(|(command, steps)| {
            let steps: Vec<String> = steps.iter().map(usize::to_string).collect();
            format!(
                "{command} step{} {}",
                if steps.len() > 1 { "s" } else { "" },
                steps.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The preflight's checks for `procedure`: every permission of its rules.
pub fn checks(procedure: &Procedure) -> Result<Vec<Permission>, UnknownCommand> {
    let permissions = permissions(&[procedure])?;
    Ok(rules(&permissions)
        .into_iter()
        .flat_map(|r| r.grants)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::{self, ClusterNames, Destination, Target};

    fn target() -> Target {
        Target {
            namespace: "influxdb".into(),
            context: Some("prod".into()),
            kubeconfig: Some("/k".into()),
        }
    }

    fn dest() -> Destination {
        Destination {
            token_file: "token.json".into(),
            profile: "default".into(),
        }
    }

    fn rules_for(procedures: &[Procedure]) -> Vec<(String, Vec<String>, Vec<&'static str>)> {
        let refs: Vec<&Procedure> = procedures.iter().collect();
        rules(&permissions(&refs).unwrap())
            .into_iter()
            .map(|r| (r.resource.plural().to_owned(), r.resource_names, r.verbs))
            .collect()
    }

    fn s(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_current_method_needs_named_secrets_and_any_job_and_pod() {
        let names = ClusterNames::default();
        let all = covered(&target(), &names, Method::Current, &dest()).unwrap();
        assert_eq!(
            rules_for(&all),
            [
                (
                    "secrets".into(),
                    s(&["admin-token", "rsa-keys"]),
                    vec!["get", "delete"]
                ),
                (
                    "jobs".into(),
                    vec![],
                    vec!["get", "list", "watch", "create", "delete"]
                ),
                (
                    "pods".into(),
                    vec![],
                    vec!["get", "list", "watch", "delete"]
                ),
            ]
        );
    }

    #[test]
    fn fetch_needs_only_to_get_its_secret() {
        let names = ClusterNames {
            admin_secret: "iox-admin".into(),
            ..ClusterNames::default()
        };
        let fetch = procedure::fetch(&target(), &names, &dest(), 60).unwrap();
        let checks = checks(&fetch).unwrap();
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].subject(), "get secrets/iox-admin");
        assert_eq!(checks[0].needed_by[0].command, "token fetch");
        assert_eq!(checks[0].needed_by[0].step, 1);
    }

    #[test]
    fn every_step_of_every_procedure_is_understood_and_recreate_needs_nothing_more() {
        for key_gen_job in [None, Some("key-gen-abcde".to_owned())] {
            let names = ClusterNames {
                key_gen_job,
                ..ClusterNames::default()
            };
            for method in [Method::Current, Method::Original] {
                let all = covered(&target(), &names, method, &dest()).unwrap();
                let refs: Vec<&Procedure> = all.iter().collect();
                let granted = rules(&permissions(&refs).unwrap());
                let recreate =
                    procedure::revoke(&target(), &names, method, Some(&dest()), 60).unwrap();
                for check in checks(&recreate).unwrap() {
                    assert!(
                        granted.iter().any(|r| r.resource == check.resource
                            && r.verbs.contains(&check.verb)
                            && (r.resource_names.is_empty()
                                || check
                                    .name
                                    .as_ref()
                                    .is_some_and(|n| r.resource_names.contains(n)))),
                        "{method:?}: {} is not granted",
                        check.subject()
                    );
                }
                for rule in &granted {
                    if !rule.resource_names.is_empty() {
                        assert!(rule.verbs.iter().all(|v| nameable(v)), "{rule:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_original_method_deletes_no_job() {
        let names = ClusterNames::default();
        let revoke = procedure::revoke(&target(), &names, Method::Original, None, 60).unwrap();
        let subjects: Vec<String> = checks(&revoke)
            .unwrap()
            .iter()
            .map(Permission::subject)
            .collect();
        assert!(
            !subjects.contains(&"delete jobs".to_owned()),
            "{subjects:?}"
        );
        assert!(subjects.contains(&"create jobs".to_owned()), "{subjects:?}");
        assert!(
            subjects.contains(&"delete secrets/rsa-keys".to_owned()),
            "{subjects:?}"
        );
        assert!(
            !subjects.contains(&"delete secrets/admin-token".to_owned()),
            "{subjects:?}"
        );
    }

    #[test]
    fn unknown_commands_are_refused_not_guessed() {
        let step = Step {
            action: Action::ListJobs,
            title: "Patch".into(),
            argv: s(&["--namespace", "x", "patch", "job", "j"]),
            stdin: None,
            waits_for: None,
            verifies: &[],
            destructive: false,
            shell: vec![],
        };
        assert!(step_access(&step).is_err());
        let step = Step {
            argv: s(&["--namespace", "x", "delete", "pods"]),
            ..step
        };
        assert!(
            step_access(&step).is_err(),
            "delete without a name or selector"
        );
    }

    #[test]
    fn the_yaml_names_the_steps_and_quotes_every_value() {
        let names = ClusterNames::default();
        let all = covered(&target(), &names, Method::Current, &dest()).unwrap();
        let grant = grant(
            &all,
            Method::Current,
            "influxctl-admin",
            Subject::User {
                name: "alice: \"admin\"".into(),
            },
        )
        .unwrap();
        let yaml = grant.to_yaml();
        assert!(
            yaml.contains("  # token revoke step 3: Delete secrets rsa-keys and admin-token\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains("    name: \"alice: \\\"admin\\\"\"\n"),
            "{yaml}"
        );
        assert_eq!(yaml.matches("\n---\n").count(), 1);
        let json = serde_json::to_value(grant.to_list()).unwrap();
        assert_eq!(
            json["items"][0]["rules"][0]["resourceNames"],
            serde_json::json!(["admin-token", "rsa-keys"])
        );
        assert_eq!(json["items"][1]["subjects"][0]["name"], "alice: \"admin\"");
        assert!(grant_error("Bad Role").is_err());
    }

    fn grant_error(role: &str) -> Result<Grant, GrantError> {
        grant(&[], Method::Current, role, Subject::default())
    }
}
