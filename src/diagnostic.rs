//! What to do next about an error, as data. The core's errors say what happened, to what
//! (their `Display`), and offer [`Hint`]s as values; each face words a hint its own way:
//! the CLI as a command line (`profile unset PROFILE KEY`), the editor as an action on the
//! page, `--output json` and the bindings as fields. [`Hint::text`] is the wording that
//! fits any face (no command lines), which the bindings send beside the data.

use std::fmt;

use serde::Serialize;

/// An error the faces render: its `Display` says what happened, `hints` what to do next.
pub trait Diagnostic: fmt::Display {
    fn hints(&self) -> Vec<Hint>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Hint {
    /// A known name close to the one given.
    DidYouMean { name: String },
    /// The profiles the file has, to choose from.
    Profiles { names: Vec<String> },
    /// The file has no named profile: add one (named `name`).
    AddProfile { name: String },
    /// A profile named `name` exists: change it, or pick another name.
    ChangeProfile { name: String },
    /// The keys a profile can have.
    ValidKeys { keys: Vec<String> },
    /// influxctl rejects `key`: remove it.
    RemoveKey { key: String },
    /// `key` is in the way of a table: fix or remove it first.
    ClearKey { key: String },
    /// Only an edit by hand fixes the file; nothing was changed.
    FixByHand,
    /// Give the `fields` the profile needs.
    ProvideFields { fields: Vec<&'static str> },
    /// The keys a Secret has, to choose from.
    SecretKeys { keys: Vec<String> },
    /// The Secret has several keys: say which one.
    ChooseKey,
    /// YAML is read as `kubectl get secret NAME -o yaml` prints it.
    KubectlYaml,
    /// Text must be UTF-8, not the UTF-16 Windows PowerShell's `>` writes.
    Utf8,
}

impl Hint {
    /// The hint in words that fit every face.
    pub fn text(&self) -> String {
        match self {
            Hint::DidYouMean { name } => format!("did you mean `{name}`?"),
            Hint::Profiles { names } => format!("profiles in this file: {}", names.join(", ")),
            Hint::AddProfile { name } => {
                format!("the file has no named profiles; add one named `{name}` first")
            }
            Hint::ChangeProfile { name } => {
                format!("change profile `{name}` instead, or pick another name")
            }
            Hint::ValidKeys { keys } => format!("valid keys: {}", keys.join(", ")),
            Hint::RemoveKey { key } => format!("remove `{key}` from the profile"),
            Hint::ClearKey { key } => format!("fix or remove `{key}` first"),
            Hint::FixByHand => "fix the file by hand; nothing was changed".to_owned(),
            Hint::ProvideFields { fields } => format!("fill in {}", fields.join(" and ")),
            Hint::SecretKeys { keys } if keys.is_empty() => "its keys are: (none)".to_owned(),
            Hint::SecretKeys { keys } => format!("its keys are: {}", keys.join(", ")),
            Hint::ChooseKey => "choose one of its keys".to_owned(),
            Hint::KubectlYaml => "this reads YAML as `kubectl get secret NAME -o yaml` prints it; or pass `-o json` output".to_owned(),
            Hint::Utf8 => "save it as UTF-8 (`| Out-File -Encoding utf8 FILE`), or paste kubectl's output as text".to_owned(),
        }
    }
}
