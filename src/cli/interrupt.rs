//! Ctrl-C (and SIGTERM, SIGHUP) while a file is being written: the temporary file and the
//! config lock are removed before the process ends, so an interrupted command leaves
//! every file as it was and no stale lock behind.
//!
//! The handler only unlinks registered paths (async-signal-safe), then passes the signal
//! on to the handler that was there before: the runner's (which ends kubectl's process
//! group) or the default action, so the process still ends as the signal means. It is
//! (re)installed on top whenever a path is registered, because the runner installs its
//! own handler, without chaining, when the first kubectl starts.

use std::path::Path;

/// Removes `path` if the process is interrupted while the returned guard lives.
pub fn remove_on_interrupt(path: &Path) -> Guard {
    imp::register(path)
}

pub use imp::Guard;

#[cfg(unix)]
mod imp {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::null_mut;
    use std::sync::atomic::{AtomicI32, AtomicPtr, AtomicUsize, Ordering};

    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Paths to unlink, as C strings the handler can use without allocating. Whoever takes
    /// a pointer out (the guard, or the handler) owns it.
    static PATHS: [AtomicPtr<libc::c_char>; 16] = [const { AtomicPtr::new(null_mut()) }; 16];
    /// Per signal of `SIGNALS`: the handler we replaced (address) and its flags.
    static PREVIOUS: [AtomicUsize; 3] = [const { AtomicUsize::new(libc::SIG_DFL) }; 3];
    static PREVIOUS_FLAGS: [AtomicI32; 3] = [const { AtomicI32::new(0) }; 3];

    pub struct Guard {
        slot: Option<(usize, *mut libc::c_char)>,
    }

    pub fn register(path: &Path) -> Guard {
        install();
        let Ok(c_path) = CString::new(path.as_os_str().as_bytes()) else {
            return Guard { slot: None };
        };
        let raw = c_path.into_raw();
        for (i, slot) in PATHS.iter().enumerate() {
            if slot
                .compare_exchange(null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return Guard {
                    slot: Some((i, raw)),
                };
            }
        }
        // More files at once than slots: not cleaned on Ctrl-C (never happens: at most two).
        // SAFETY: `raw` came from `CString::into_raw` just above and was never shared.
        drop(unsafe { CString::from_raw(raw) });
        Guard { slot: None }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if let Some((i, raw)) = self.slot {
                if PATHS[i]
                    .compare_exchange(raw, null_mut(), Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    // SAFETY: `raw` came from `CString::into_raw`, and the exchange made it ours.
                    drop(unsafe { CString::from_raw(raw) });
                }
            }
        }
    }

    /// Puts `on_signal` on top of whatever handles each signal now, unless it is already
    /// there or the signal is ignored (`nohup`: an ignored signal must not remove the lock
    /// of a write that goes on).
    fn install() {
        for (i, &signal) in SIGNALS.iter().enumerate() {
            // SAFETY: plain sigaction calls with zeroed, then filled, structures.
            unsafe {
                let mut current: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut current) != 0 {
                    continue;
                }
                let ours = on_signal
                    as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);
                if current.sa_sigaction == ours as libc::sighandler_t
                    || current.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                PREVIOUS[i].store(current.sa_sigaction, Ordering::SeqCst);
                PREVIOUS_FLAGS[i].store(current.sa_flags, Ordering::SeqCst);
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = ours as libc::sighandler_t;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }

    /// Only async-signal-safe calls: atomics, unlink, signal, raise, the previous handler.
    extern "C" fn on_signal(
        signal: libc::c_int,
        info: *mut libc::siginfo_t,
        context: *mut libc::c_void,
    ) {
        for slot in &PATHS {
            let path = slot.swap(null_mut(), Ordering::SeqCst);
            if !path.is_null() {
                // SAFETY: a NUL-terminated path that nothing else frees (the swap took it).
                unsafe { libc::unlink(path) };
            }
        }
        let Some(i) = SIGNALS.iter().position(|s| *s == signal) else {
            return;
        };
        let previous = PREVIOUS[i].load(Ordering::SeqCst);
        // SAFETY: `previous` is what sigaction reported for this signal: the default
        // action, or a handler of the type its flags say.
        unsafe {
            if previous == libc::SIG_DFL {
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
            } else if PREVIOUS_FLAGS[i].load(Ordering::SeqCst) & libc::SA_SIGINFO != 0 {
                let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    std::mem::transmute(previous);
                handler(signal, info, context);
            } else {
                let handler: extern "C" fn(libc::c_int) = std::mem::transmute(previous);
                handler(signal);
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::path::Path;

    pub struct Guard;

    pub fn register(_: &Path) -> Guard {
        Guard
    }
}
