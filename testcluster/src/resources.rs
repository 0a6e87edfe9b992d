//! The resource types the server knows: their names, groups and kinds, in one table that
//! discovery, routing, lists and error messages all read from.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Res {
    Namespace,
    Secret,
    Pod,
    Job,
    Deployment,
    ReplicaSet,
}

pub const ALL: [Res; 6] = [
    Res::Namespace,
    Res::Secret,
    Res::Pod,
    Res::Job,
    Res::Deployment,
    Res::ReplicaSet,
];

impl Res {
    pub fn plural(self) -> &'static str {
        match self {
            Res::Namespace => "namespaces",
            Res::Secret => "secrets",
            Res::Pod => "pods",
            Res::Job => "jobs",
            Res::Deployment => "deployments",
            Res::ReplicaSet => "replicasets",
        }
    }
    pub fn singular(self) -> &'static str {
        &self.plural()[..self.plural().len() - 1]
    }
    pub fn kind(self) -> &'static str {
        match self {
            Res::Namespace => "Namespace",
            Res::Secret => "Secret",
            Res::Pod => "Pod",
            Res::Job => "Job",
            Res::Deployment => "Deployment",
            Res::ReplicaSet => "ReplicaSet",
        }
    }
    /// API group ("" for core).
    pub fn group(self) -> &'static str {
        match self {
            Res::Namespace | Res::Secret | Res::Pod => "",
            Res::Job => "batch",
            Res::Deployment | Res::ReplicaSet => "apps",
        }
    }
    pub fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "batch" => "batch/v1",
            _ => "apps/v1",
        }
    }
    pub fn namespaced(self) -> bool {
        self != Res::Namespace
    }
    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Res::Namespace => &["ns"],
            Res::Pod => &["po"],
            Res::Deployment => &["deploy"],
            Res::ReplicaSet => &["rs"],
            Res::Secret | Res::Job => &[],
        }
    }
    pub fn verbs(self) -> &'static [&'static str] {
        &[
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch",
        ]
    }
    /// `secrets` or `jobs.batch`: how Kubernetes names the resource in messages.
    pub fn qualified(self) -> String {
        if self.group().is_empty() {
            self.plural().to_string()
        } else {
            format!("{}.{}", self.plural(), self.group())
        }
    }
    /// `Secret` or `Job.batch`: how validation errors name the kind.
    pub fn qualified_kind(self) -> String {
        if self.group().is_empty() {
            self.kind().to_string()
        } else {
            format!("{}.{}", self.kind(), self.group())
        }
    }
    pub fn from_group_plural(group: &str, plural: &str) -> Option<Res> {
        ALL.into_iter()
            .find(|r| r.group() == group && r.plural() == plural)
    }
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Res::Pod | Res::Job | Res::Deployment | Res::ReplicaSet => &["all"],
            _ => &[],
        }
    }
}
