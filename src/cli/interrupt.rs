//! Ctrl-C (and SIGTERM, SIGHUP) while a file is being written: the temporary file and the
//! config lock are removed before the process ends, so an interrupted command leaves
//! every file as it was and no stale lock behind.
//!
//! A thread waits for the signal (a signal handler itself could not safely take a lock
//! or free memory), removes the registered paths, then ends the process the way the
//! signal would have (so the shell still sees "killed by SIGINT").

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

/// Removes `path` if the process is interrupted while the returned guard lives.
pub fn remove_on_interrupt(path: &Path) -> Guard {
    INSTALL.call_once(install);
    lock().push(path.to_path_buf());
    Guard {
        path: path.to_path_buf(),
    }
}

pub struct Guard {
    path: PathBuf,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let mut paths = lock();
        if let Some(i) = paths.iter().rposition(|p| *p == self.path) {
            paths.remove(i);
        }
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PATHS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(unix)]
fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return; // without the handler, the signal's default action still applies
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until the process ends: no new temp file or lock is registered after this.
            let paths = lock();
            for path in paths.iter() {
                let _ = std::fs::remove_file(path);
            }
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn install() {}
