//! How the user types this program, for the help's examples and the commands that
//! messages suggest: `kubectl influxdb-admin` when kubectl runs it as its plugin (installed
//! or linked as `kubectl-influxdb_admin`: kubectl finds `kubectl-NAME` on PATH, a `_` in the
//! file standing for a `-` in the command), else `influxctl-admin`.

use std::sync::OnceLock;

static NAME: OnceLock<String> = OnceLock::new();

/// The program's name as its user types it (read from argv[0] once).
pub fn name() -> &'static str {
    NAME.get_or_init(|| {
        let arg0 = std::env::args_os().next().unwrap_or_default();
        let file = std::path::Path::new(&arg0)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match file.strip_prefix("kubectl-") {
            Some(plugin) if !plugin.is_empty() => {
                format!("kubectl {}", plugin.replace('_', "-"))
            }
            _ => "influxctl-admin".to_owned(),
        }
    })
}
