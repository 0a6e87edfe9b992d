//! The command line, as clap definitions. `--help` is the user's manual, so
//! every flag says what it does and every command shows an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Product;
/// `plan`'s procedures: the core's kinds.
pub use crate::procedure::Kind as PlanKind;

#[derive(Debug, Parser)]
#[command(
    name = "influxctl-admin",
    version,
    about = "Manage influxctl profiles and the InfluxDB Clustered admin token, safely",
    long_about = "Manage influxctl profiles and the InfluxDB Clustered admin token, safely.\n\n\
        Edits influxctl's config.toml without losing a comment, fetches the admin token from \
        Kubernetes into a 0600 token file, and runs the documented revoke procedure with the \
        real kubectl, verifying every step.",
    after_help = "Examples:\n  influxctl-admin profile list\n  influxctl-admin token fetch -n influxdb --host cluster.example.com\n  influxctl-admin plan revoke --shell\n  influxctl-admin rbac -n influxdb --user alice | kubectl apply -f -\n  influxctl-admin config lint"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// influxctl config file [default: influxctl's own, e.g. ~/.config/influxctl/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Output format: human-readable text, or one JSON document per command
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Print only errors
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print each kubectl command and more detail
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Answer yes to confirmations (needed for destructive commands without a terminal)
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Show what would change (kubectl steps, file diffs) and change nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Show secret values (token, mgmt_token, OAuth2 secrets) in profiles and diffs instead of "<hidden>"
    #[arg(long, global = true)]
    pub show_secrets: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show and edit the profiles of influxctl's config.toml
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Where the config file is, and what influxctl would reject in it
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Fetch, inspect, revoke and re-create the admin token
    #[command(subcommand)]
    Token(TokenCommand),
    /// Decode Kubernetes secrets
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Print the exact kubectl steps a token command runs (what --dry-run shows)
    Plan(PlanArgs),
    /// Check kubectl, the cluster, your permissions, the admin token, influxctl and the config
    #[command(
        after_help = "Examples:\n  influxctl-admin doctor -n influxdb\n  influxctl-admin doctor --method original --output json"
    )]
    Doctor(DoctorArgs),
    /// Print the Kubernetes Role and RoleBinding that grant exactly what the token commands need
    #[command(
        long_about = "Print the Kubernetes Role and RoleBinding that grant exactly what `token fetch`, \
            `token revoke --method METHOD` and `token create` do in the namespace, and nothing more, \
            ready for `kubectl apply -f -`.\n\n\
            The rules are read from the kubectl commands of every step (as `plan` prints them); a \
            comment above each rule names the steps that need it. Secrets are granted by name \
            (--secret, --rsa-secret); jobs and pods are created by the operator under generated \
            names, so they cannot be. `token revoke --recreate` needs nothing more.\n\n\
            The same rules are what `token fetch|revoke|create` check before they start (the \
            preflight) and what `doctor` lists.",
        after_help = "Examples:\n  influxctl-admin rbac -n influxdb | kubectl apply -f -\n  influxctl-admin rbac --method original --service-account ops:token-rotator\n  influxctl-admin rbac --user alice@example.com --rsa-secret iox-rsa-keys --output json"
    )]
    Rbac(RbacArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  influxctl-admin completions bash > /etc/bash_completion.d/influxctl-admin"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List profiles: name, product, host:port and auth method (* marks `default`)
    List,
    /// Print a profile's TOML exactly as in the file (token values hidden unless --show-secrets)
    Show { name: String },
    /// Add a profile, in the style of the existing ones (creates the file if needed)
    #[command(
        after_help = "Example:\n  influxctl-admin profile add default --product clustered --host cluster.example.com --port 443"
    )]
    Add(AddProfile),
    /// Set a key of a profile; KEY is dotted, e.g. host, port, tls.insecure, auth.token.token_file
    #[command(
        after_help = "Examples:\n  influxctl-admin profile set default port 8443\n  influxctl-admin profile set default tls.insecure true\n  influxctl-admin profile set default auth.oauth2.scopes 'openid,profile'"
    )]
    Set {
        name: String,
        key: String,
        value: String,
    },
    /// Remove a key (and any table it leaves empty) from a profile
    Unset { name: String, key: String },
    /// Rename a profile
    Rename { old: String, new: String },
    /// Remove a profile
    Remove { name: String },
    /// Point a profile at an admin token file ([profile.auth.token] token_file)
    UseToken {
        name: String,
        /// The token file (token.json); stored as an absolute path
        #[arg(long, value_name = "PATH")]
        token_file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct AddProfile {
    pub name: String,
    #[arg(long, value_enum)]
    pub product: Product,
    /// InfluxDB host (required for clustered)
    #[arg(long)]
    pub host: Option<String>,
    /// InfluxDB port, stored as a string as influxctl expects
    #[arg(long)]
    pub port: Option<String>,
    /// Cloud Dedicated account ID (required for dedicated)
    #[arg(long)]
    pub account_id: Option<String>,
    /// Cloud Dedicated cluster ID (required for dedicated)
    #[arg(long)]
    pub cluster_id: Option<String>,
    /// Admin token file to authenticate with
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (and whether it exists)
    Path,
    /// Report unknown or removed keys, wrong types, duplicate names, missing `default`, ...
    Lint,
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Decode a secret from `kubectl get secret -o json|yaml` output or raw base64
    #[command(
        after_help = "Examples:\n  kubectl get secret admin-token -n influxdb -o json | influxctl-admin secret decode -\n  influxctl-admin secret decode secret.json --key token --out token.json"
    )]
    Decode {
        /// The file to read, or - for standard input
        #[arg(default_value = "-")]
        file: PathBuf,
        /// The key to decode (needed when the secret has several)
        #[arg(long)]
        key: Option<String>,
        /// Write the value to this file (mode 0600, atomically) instead of summarising it; `-` prints it on stdout, as --reveal does
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Print the decoded value itself on stdout
        #[arg(long, conflicts_with = "out")]
        reveal: bool,
    },
}

#[derive(Debug, Args, Clone)]
pub struct KubeArgs {
    /// Namespace of the InfluxDB cluster
    #[arg(long, short = 'n', default_value = "influxdb", global = true)]
    pub namespace: String,
    /// kubeconfig context to use
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// kubeconfig file to use
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// kubectl binary [default: $KUBECTL, or kubectl on PATH]
    #[arg(long, global = true, value_name = "PATH", env = "KUBECTL")]
    pub kubectl: Option<PathBuf>,
    /// Give up waiting for a job or pod after this many seconds (1 to 86400)
    #[arg(long, global = true, default_value_t = 300, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
}

#[derive(Debug, Args, Clone)]
pub struct TokenTarget {
    /// Profile to point at the token file [default: $INFLUXCTL_PROFILE or `default`]
    #[arg(long, env = "INFLUXCTL_PROFILE", default_value = "default")]
    pub profile: String,
    /// Where to write the token [default: token.json beside the config file]
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Secret that holds the admin token
    #[arg(long, default_value = "admin-token")]
    pub secret: String,
    /// Key of that secret
    #[arg(long, default_value = "token")]
    pub key: String,
    /// Host for the profile when it has to be created
    #[arg(long)]
    pub host: Option<String>,
    /// Port for the profile when it has to be created
    #[arg(long)]
    pub port: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ClusterNames {
    /// Secret that holds the token signing keys
    #[arg(long, default_value = "rsa-keys")]
    pub rsa_secret: String,
    /// Label selector of the token-management pods
    #[arg(long, default_value = "app=token-management")]
    pub selector: String,
    /// Name prefix of the key-gen job
    #[arg(long, default_value = "key-gen")]
    pub key_gen_job: String,
    /// The key-gen job's exact name (the docs' KEY_GEN_JOB), instead of the newest job with the prefix
    #[arg(long, value_name = "NAME")]
    pub key_gen_job_name: Option<String>,
    /// Name prefix of the create-admin-token job
    #[arg(long, default_value = "create-admin-token")]
    pub create_token_job: String,
    /// The create-admin-token job's exact name (the docs' CREATE_ADMIN_TOKEN_JOB), instead of the newest job with the prefix
    #[arg(long, value_name = "NAME")]
    pub create_token_job_name: Option<String>,
}

/// Everything a procedure needs to know about the cluster and where the token goes.
#[derive(Debug, Args, Clone)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub kube: KubeArgs,
    #[command(flatten)]
    pub names: ClusterNames,
    #[command(flatten)]
    pub target: TokenTarget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RevokeMethod {
    /// As documented since September 2024: delete the keys, the token and both jobs; the operator re-creates them
    Current,
    /// As first documented: delete the keys and re-run the key-gen job yourself (no operator needed)
    Original,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Read the admin-token secret into a 0600 token file and point the profile at it
    #[command(
        after_help = "Before it reads anything it checks that you may (the preflight; see `influxctl-admin rbac`).\n\nExample:\n  influxctl-admin token fetch -n influxdb --host cluster.example.com"
    )]
    Fetch {
        #[command(flatten)]
        kube: KubeArgs,
        #[command(flatten)]
        target: TokenTarget,
        #[command(flatten)]
        preflight: Preflight,
    },
    /// Show a token file's header, claims and expiry (never the token itself)
    Inspect {
        /// Token file [default: the token_file of the selected profile]
        path: Option<PathBuf>,
        /// Profile whose token_file to inspect when PATH is not given
        #[arg(long, env = "INFLUXCTL_PROFILE", default_value = "default")]
        profile: String,
    },
    /// Revoke the admin token: new signing keys, so the old token stops working
    #[command(
        after_help = "Before it changes anything it checks, with one access review, that you may do every step (the preflight): a missing permission stops it with nothing changed, naming the permission and the step. `influxctl-admin rbac` prints the Role that grants them.\n\nExamples:\n  influxctl-admin token revoke -n influxdb --yes\n  influxctl-admin token revoke --method original --recreate --yes"
    )]
    Revoke {
        #[arg(long, value_enum, default_value_t = RevokeMethod::Current)]
        method: RevokeMethod,
        /// Then re-create the admin token and fetch it into the token file
        #[arg(long)]
        recreate: bool,
        #[command(flatten)]
        cluster: ClusterArgs,
        #[command(flatten)]
        preflight: Preflight,
    },
    /// Re-run the create-admin-token job, wait for it, and fetch the new token
    #[command(
        after_help = "Before it changes anything it checks that you may do every step (the preflight; see `influxctl-admin rbac`).\n\nExample:\n  influxctl-admin token create -n influxdb --yes"
    )]
    Create {
        #[command(flatten)]
        cluster: ClusterArgs,
        #[command(flatten)]
        preflight: Preflight,
    },
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[arg(value_enum)]
    pub procedure: PlanKind,
    /// Print a shell script instead of a numbered list
    #[arg(long)]
    pub shell: bool,
    /// Print the steps as a docs page reads them: plain kubectl commands, job names as placeholders (what the docs widget shows)
    #[arg(long, conflicts_with = "shell")]
    pub docs: bool,
    #[arg(long, value_enum, default_value_t = RevokeMethod::Current)]
    pub method: RevokeMethod,
    /// With `revoke`: also re-create the admin token
    #[arg(long)]
    pub recreate: bool,
    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// The check before a token command starts.
#[derive(Debug, Args, Clone, Copy)]
pub struct Preflight {
    /// Do not check permissions first (for clusters that refuse access reviews); a missing one then fails the step that needs it
    #[arg(long)]
    pub skip_preflight: bool,
}

#[derive(Debug, Args)]
pub struct RbacArgs {
    /// The revoke method to grant for
    #[arg(long, value_enum, default_value_t = RevokeMethod::Current)]
    pub method: RevokeMethod,
    /// Name of the Role and of the RoleBinding
    #[arg(long, default_value = "influxctl-admin", value_name = "NAME")]
    pub role: String,
    /// Bind the Role to this user (as your kubeconfig's credentials name you) [default: user influxctl-admin]
    #[arg(long, value_name = "NAME", conflicts_with_all = ["group", "service_account"])]
    pub user: Option<String>,
    /// Bind the Role to this group
    #[arg(long, value_name = "NAME", conflicts_with = "service_account")]
    pub group: Option<String>,
    /// Bind the Role to this service account: NAMESPACE:NAME, or NAME in the namespace of the Role
    #[arg(long, value_name = "[NAMESPACE:]NAME")]
    pub service_account: Option<String>,
    #[command(flatten)]
    pub cluster: ClusterArgs,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The revoke method whose permissions to check
    #[arg(long, value_enum, default_value_t = RevokeMethod::Current)]
    pub method: RevokeMethod,
    #[command(flatten)]
    pub kube: KubeArgs,
    #[command(flatten)]
    pub names: ClusterNames,
    /// Secret that holds the admin token
    #[arg(long, default_value = "admin-token")]
    pub secret: String,
}
