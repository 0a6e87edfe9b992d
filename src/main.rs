//! `influxctl-admin`: everything lives in the library; see `influxctl_admin::cli`.

fn main() -> std::process::ExitCode {
    influxctl_admin::cli::main()
}
