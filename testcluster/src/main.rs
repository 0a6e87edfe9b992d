//! `influxctl-admin-testcluster --kubeconfig-out PATH [--namespace NS] [--kubernetes-version 1.31]
//! [--job-delay-ms N] [--pod-ready-delay-ms N] [--no-operator] [--port N] [NAME FLAGS]`: serves
//! until killed.

use influxctl_admin_testcluster::{Options, TestCluster};
use std::io::Write;
use std::time::Duration;

const USAGE: &str = "usage: influxctl-admin-testcluster --kubeconfig-out PATH [--namespace NS] [--kubernetes-version 1.MINOR]
       [--job-delay-ms N] [--pod-ready-delay-ms N] [--operator-delay-ms N] [--no-operator] [--jobs-hang]
       [--port N] [--token TOKEN]
       [--secret NAME] [--key KEY] [--rsa-secret NAME] [--selector K=V,...]
       [--key-gen-job PREFIX] [--create-token-job PREFIX]

Serves a Kubernetes API on https://127.0.0.1:PORT modelling an InfluxDB Clustered namespace, writes a
kubeconfig for it, prints one line `ready https://127.0.0.1:PORT port=PORT kubeconfig=PATH ...` and
serves until SIGINT/SIGTERM. The name flags (as influxctl-admin takes them) seed the install
with other names than admin-token, token, rsa-keys, app=token-management, key-gen and
create-admin-token.";

fn main() {
    match run() {
        Ok(()) => {}
        Err(e) => {
            eprintln!("influxctl-admin-testcluster: {e}");
            std::process::exit(2);
        }
    }
}

fn run() -> Result<(), String> {
    let mut opts = Options::default();
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    let ms = |v: Option<String>, flag: &str| -> Result<Duration, String> {
        v.ok_or(format!("{flag} needs a value"))?
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|e| format!("{flag}: {e}"))
    };
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut val = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "--kubeconfig-out" => out = Some(val().ok_or("--kubeconfig-out needs a path")?),
            "--namespace" | "-n" => opts.namespace = val().ok_or("--namespace needs a value")?,
            "--kubernetes-version" => {
                let v = val().ok_or("--kubernetes-version needs a value such as 1.31")?;
                let (maj, min) = v.trim_start_matches('v').split_once('.').ok_or(format!(
                    "--kubernetes-version: expected MAJOR.MINOR, got {v:?}"
                ))?;
                let p = |s: &str| {
                    s.parse::<u32>().map_err(|_| {
                        format!("--kubernetes-version: expected MAJOR.MINOR, got {v:?}")
                    })
                };
                opts.kubernetes_version = (p(maj)?, p(min.split('.').next().unwrap_or(min))?);
            }
            "--job-delay-ms" => opts.job_delay = ms(val(), "--job-delay-ms")?,
            "--pod-ready-delay-ms" => opts.pod_ready_delay = ms(val(), "--pod-ready-delay-ms")?,
            "--operator-delay-ms" => opts.operator_delay = ms(val(), "--operator-delay-ms")?,
            "--no-operator" => opts.operator = false,
            "--jobs-hang" => opts.jobs_hang = true,
            "--port" => {
                opts.port = val()
                    .ok_or("--port needs a value")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?
            }
            "--token" => opts.token = Some(val().ok_or("--token needs a value")?),
            "--secret" => opts.names.admin_secret = val().ok_or("--secret needs a name")?,
            "--key" => opts.names.token_key = val().ok_or("--key needs a key")?,
            "--rsa-secret" => opts.names.rsa_secret = val().ok_or("--rsa-secret needs a name")?,
            "--selector" => {
                let v = val().ok_or("--selector needs labels such as app=x")?;
                opts.names.token_pod_labels = v
                    .split(',')
                    .map(|kv| {
                        kv.split_once('=')
                            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                            .ok_or(format!("--selector: expected KEY=VALUE,..., got {v:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--key-gen-job" => {
                opts.names.key_gen_prefix = val().ok_or("--key-gen-job needs a prefix")?
            }
            "--create-token-job" => {
                opts.names.create_token_prefix = val().ok_or("--create-token-job needs a prefix")?
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let out = out.ok_or(format!("--kubeconfig-out is required\n{USAGE}"))?;
    let cluster = TestCluster::try_start(opts.clone())?;
    cluster
        .write_kubeconfig(&out)
        .map_err(|e| format!("{out}: {e}"))?;
    let (maj, min) = opts.kubernetes_version;
    println!(
        "ready {} port={} kubeconfig={} namespace={} kubernetes=v{maj}.{min}",
        cluster.url(),
        cluster.port(),
        out,
        cluster.namespace()
    );
    let _ = std::io::stdout().flush();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    });
    drop(cluster);
    Ok(())
}
