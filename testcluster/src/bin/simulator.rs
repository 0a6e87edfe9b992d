//! `influxctl-admin-simulator`: the node and the InfluxDB operator for a real control plane
//! (see `src/real/`). `scripts/control-plane up` starts `run` and calls `seed`.
//!
//!   influxctl-admin-simulator run  --kubeconfig FILE [--rsa-bits N]
//!   influxctl-admin-simulator seed --kubeconfig FILE --namespace NS [--no-operator]
//!   influxctl-admin-simulator operator --kubeconfig FILE --namespace NS on|off

use influxctl_admin_testcluster::real::{self, seed, sim::Simulator, Client};
use influxctl_admin_testcluster::Names;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: influxctl-admin-simulator run --kubeconfig FILE [--rsa-bits N]
       influxctl-admin-simulator seed --kubeconfig FILE --namespace NS [--no-operator]
       influxctl-admin-simulator operator --kubeconfig FILE --namespace NS on|off";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.starts_with("usage") => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("influxctl-admin-simulator: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or(USAGE)?;
    let mut kubeconfig = None;
    let mut namespace = None;
    let mut rsa_bits = 2048;
    let mut operator = true;
    let mut positional = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or(format!("usage: {a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--kubeconfig" => kubeconfig = Some(PathBuf::from(value()?)),
            "--namespace" | "-n" => namespace = Some(value()?),
            "--rsa-bits" => {
                rsa_bits = value()?
                    .parse()
                    .map_err(|_| format!("usage: --rsa-bits takes a number\n{USAGE}"))?
            }
            "--no-operator" => operator = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if !a.starts_with('-') => positional.push(a.clone()),
            _ => return Err(format!("usage: unknown flag {a}\n{USAGE}")),
        }
    }
    let kubeconfig = kubeconfig.ok_or(format!("usage: --kubeconfig is required\n{USAGE}"))?;
    let client = Client::from_kubeconfig(&kubeconfig)?;
    let namespace = || {
        namespace
            .clone()
            .ok_or(format!("usage: --namespace is required\n{USAGE}"))
    };
    match command.as_str() {
        "run" => Simulator::new(client, rsa_bits).run(),
        "seed" => {
            let ns = namespace()?;
            seed::seed(&client, &ns, &Names::default(), operator)?;
            println!("seeded namespace {ns}");
            Ok(())
        }
        "operator" => {
            let on = match positional.as_slice() {
                [s] if s == "on" => true,
                [s] if s == "off" => false,
                _ => return Err(format!("usage: operator takes on or off\n{USAGE}")),
            };
            real::set_operator(&client, &namespace()?, on)
        }
        _ => Err(USAGE.to_string()),
    }
}
