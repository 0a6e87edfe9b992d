//! Files, written so that a crash, a failed command or Ctrl-C never leaves one
//! half-written: a temporary file beside the target, fsync, rename, fsync of the directory.
//!
//! Only regular files are read or replaced (a FIFO, a device or a directory at a config or
//! token path is refused, never opened in a way that blocks); a symlink is written through
//! to its target; an existing file keeps its owner, group and mode; a read-only file is
//! refused; no input is read past [`MAX_INPUT`]. Edits of the config take [`Lock`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::interrupt;

/// The most any input (config, secret, token) may hold: far beyond any real one, and
/// small enough that `/dev/zero` or a wrong file fails at once instead of filling memory.
pub const MAX_INPUT: u64 = 4 * 1024 * 1024;
/// influxctl's default config path on this OS (Go's `os.UserConfigDir()` + `influxctl/config.toml`).
pub fn default_config_path() -> Option<PathBuf> {
    let base = if cfg!(target_os = "windows") {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support"))
    } else {
        // A relative XDG_CONFIG_HOME is invalid (the XDG spec says to ignore it, and Go's
        // os.UserConfigDir, which influxctl uses, does not take it): both tools then read
        // the same file, not one relative to wherever they were started.
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home().map(|h| h.join(".config")))
    }?;
    Some(base.join("influxctl").join("config.toml"))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Replaces `path` with `contents` atomically. An existing file keeps its owner, group
/// and permissions; a new one gets `new_mode` (Unix). With `force_mode`, the mode is
/// `new_mode` either way. A symlink is followed: its target is replaced, beside itself.
pub fn write_atomic(
    path: &Path,
    contents: &[u8],
    new_mode: u32,
    force_mode: bool,
) -> io::Result<()> {
    let target = resolve(path)?;
    let existing = writable_regular_or_absent(&target)?;
    let dir = parent_dir(&target);
    ensure_dir(&dir)?;
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tmp_path, mut file, _cleanup) = create_temp(&dir, &file_name)?;
    let result = (|| {
        file.write_all(contents)?;
        keep_owner(&file, existing.as_ref())?;
        set_mode(&file, existing.as_ref(), new_mode, force_mode)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp_path, &target)?;
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

/// Fails unless `path` (after symlinks) is absent or a regular file this process may
/// replace, in a directory that exists (or is influxctl's default one): checked before a
/// command starts work that would end in writing it.
pub fn check_writable(path: &Path) -> io::Result<()> {
    let target = resolve(path)?;
    writable_regular_or_absent(&target)?;
    let dir = parent_dir(&target);
    if dir.is_dir() || is_default_dir(&dir) {
        Ok(())
    } else {
        Err(missing_dir(&dir))
    }
}

/// Where writing `path` lands: the end of its chain of symlinks (a `config.toml` linked
/// into a dotfiles repository is updated there, not replaced by a copy). A dangling
/// link leads to where its target would be.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = current
                    .parent()
                    .map_or_else(|| target.clone(), |dir| dir.join(&target));
            }
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => return Ok(current),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// The metadata of the regular file at `target`, `None` if there is none; an error for
/// anything else, or for a file that is read-only or that this process may not write.
fn writable_regular_or_absent(target: &Path) -> io::Result<Option<fs::Metadata>> {
    let meta = match fs::metadata(target) {
        Ok(meta) if meta.is_file() => meta,
        Ok(meta) => return Err(not_regular(&meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // Root may write anything, so the mode is what says "do not change this file".
    if meta.permissions().readonly() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "it is read-only{}; make it writable first (chmod u+w) if it is meant to change",
                mode_note(&meta)
            ),
        ));
    }
    // Opening for writing without truncating changes nothing, and tells what access(2) would.
    if let Err(e) = OpenOptions::new().write(true).open(target) {
        if e.kind() == io::ErrorKind::PermissionDenied {
            return Err(io::Error::new(
                e.kind(),
                format!("you may not write it{}: {e}", mode_note(&meta)),
            ));
        }
    }
    Ok(Some(meta))
}

fn mode_note(meta: &fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        format!(" (mode {:o})", meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        String::new()
    }
}

fn not_regular(meta: &fs::Metadata) -> io::Error {
    let kind = meta.file_type();
    let what = if kind.is_dir() {
        "a directory"
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                "a named pipe (FIFO)"
            } else if kind.is_char_device() {
                "a character device"
            } else if kind.is_block_device() {
                "a block device"
            } else if kind.is_socket() {
                "a socket"
            } else {
                "not a file"
            }
        }
        #[cfg(not(unix))]
        "not a file"
    };
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file (influxctl-admin only reads and replaces regular files)"),
    )
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// influxctl's own config directory is created when missing (as influxctl does); any other
/// missing directory is more likely a typo than a place to build a tree of directories.
fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if !is_default_dir(dir) {
        return Err(missing_dir(dir));
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn is_default_dir(dir: &Path) -> bool {
    default_config_path().is_some_and(|p| p.parent().map(absolute) == Some(absolute(dir)))
}

fn missing_dir(dir: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!(
            "directory {} does not exist; check the path, or create it first (mkdir -p)",
            dir.display()
        ),
    )
}

/// A new file only we can read, beside the target (so the rename stays on one file system),
/// removed if the process is interrupted before the guard drops.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File, interrupt::Guard)> {
    let pid = std::process::id();
    for attempt in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let candidate = dir.join(format!(".{name}.{pid}.{nanos:x}{attempt}.tmp"));
        // Registered before it exists (the name is this process's own), so no moment
        // between creating it and registering it is left uncovered.
        let cleanup = interrupt::remove_on_interrupt(&candidate);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&candidate) {
            Ok(file) => return Ok((candidate, file, cleanup)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not create a temporary file",
    ))
}

/// Gives the new file the old one's owner and group, so root editing a user's config
/// does not leave it unreadable to that user. Only root can give a file away; anyone
/// else keeps the file as theirs, as an editor that replaces files would.
#[cfg(unix)]
fn keep_owner(file: &File, existing: Option<&fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Some(old) = existing else { return Ok(()) };
    let new = file.metadata()?;
    if (new.uid(), new.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    match std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())) {
        Err(e) if e.kind() != io::ErrorKind::PermissionDenied => Err(e),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: Option<&fs::Metadata>) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn set_mode(
    file: &File,
    existing: Option<&fs::Metadata>,
    new_mode: u32,
    force: bool,
) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match existing {
        Some(meta) if !force => meta.permissions().mode() & 0o7777,
        _ => new_mode,
    };
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &File, _: Option<&fs::Metadata>, _: u32, _: bool) -> io::Result<()> {
    Ok(())
}

fn sync_dir(dir: &Path) {
    // Makes the rename itself durable; not possible on every platform, so best effort.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The contents of the regular file at `path` (after symlinks). Anything else is refused
/// without blocking: a FIFO is opened non-blocking and checked before any read.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    read_capped(file)
}

/// Opens data to read (`secret decode FILE`, `token inspect PATH`). A pipe or device is
/// fine here (`<(kubectl …)` is a pipe), but opening never blocks: a FIFO with no writer
/// reads as empty instead of waiting forever.
pub fn open_input(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    // Once open, reads may wait for a writer's data as usual.
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl on a descriptor this function owns, with plain integer flags.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(file)
}

/// The data at `path` ([`open_input`], [`read_capped`]). A named pipe that gave nothing
/// had no writer: an error that says so, not an empty input.
pub fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    let file = open_input(path)?;
    #[cfg(unix)]
    let fifo = {
        use std::os::unix::fs::FileTypeExt;
        file.metadata()?.file_type().is_fifo()
    };
    #[cfg(not(unix))]
    let fifo = false;
    let bytes = read_capped(file)?;
    if bytes.is_empty() && fifo {
        return Err(io::Error::other(
            "it is a named pipe (FIFO) and nothing was writing to it: nothing was read",
        ));
    }
    Ok(bytes)
}

/// All of `reader`, unless it holds more than [`MAX_INPUT`] bytes: then an error, after
/// reading at most one byte more.
pub fn read_capped(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it holds more than {} MiB, far more than any config, secret or token; is it the right file?",
                MAX_INPUT / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// How long a command waits for another one's edit of the same config to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// `config.toml.lock`, created exclusively beside the config (after symlinks) for the
/// whole read-modify-write of an edit, as git and kubectl do: two commands that edit
/// the same file at once take turns instead of losing one's change. Removed on drop and
/// on Ctrl-C.
pub struct Lock {
    path: PathBuf,
    _cleanup: interrupt::Guard,
}

impl Lock {
    /// Takes the lock of the config at `config`, waiting up to [`LOCK_WAIT`] for another
    /// holder to finish.
    pub fn acquire(config: &Path) -> Result<Lock, LockError> {
        let target = resolve(config).map_err(|e| LockError::Resolve(config.to_owned(), e))?;
        let dir = parent_dir(&target);
        ensure_dir(&dir).map_err(|e| LockError::Directory(target.clone(), e))?;
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let path = target.with_file_name(name);
        let started = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(mut file) => {
                    let cleanup = interrupt::remove_on_interrupt(&path);
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Lock {
                        path,
                        _cleanup: cleanup,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(LockError::Create(path, e)),
            }
            if started.elapsed() >= LOCK_WAIT {
                return Err(held_elsewhere(target, path));
            }
            // Jitter, so that many waiters do not retry in step.
            let jitter = Duration::from_micros(u64::from(std::process::id() % 997));
            std::thread::sleep(pause + jitter);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Why the config's lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    Resolve(PathBuf, io::Error),
    Directory(PathBuf, io::Error),
    Create(PathBuf, io::Error),
    /// Another command held `lock` for the whole [`LOCK_WAIT`]: process `holder` (as the
    /// lock file says), `running` here or not (`None`: cannot tell).
    Held {
        config: PathBuf,
        lock: PathBuf,
        holder: Option<u32>,
        running: Option<bool>,
    },
}

fn held_elsewhere(config: PathBuf, lock: PathBuf) -> LockError {
    let holder = fs::read_to_string(&lock)
        .ok()
        .and_then(|t| t.trim().parse::<u32>().ok());
    let running = holder
        .map(|pid| !Path::new("/proc").is_dir() || Path::new(&format!("/proc/{pid}")).exists());
    LockError::Held {
        config,
        lock,
        holder,
        running,
    }
}

impl LockError {
    /// What to do next: remove a stale lock, or wait for its holder.
    pub fn hint(&self) -> Option<String> {
        let LockError::Held {
            lock,
            holder,
            running,
            ..
        } = self
        else {
            return None;
        };
        let lock = lock.display();
        Some(match (holder, running) {
            (Some(pid), Some(false)) => format!("no process {pid} runs here, so the lock is stale (left by a crash): remove it with `rm {lock}` and try again"),
            _ => format!("try again when the other command has finished; if no influxctl-admin is running, the lock is stale (left by a crash): remove it with `rm {lock}`"),
        })
    }
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Resolve(path, e) => write!(f, "cannot resolve {}: {e}", path.display()),
            LockError::Directory(path, e) => write!(f, "cannot lock {}: {e}", path.display()),
            LockError::Create(path, e) => {
                write!(f, "cannot create the lock file {}: {e}", path.display())
            }
            LockError::Held {
                config,
                lock,
                holder,
                ..
            } => write!(
                f,
                "another influxctl-admin{} is changing {}: its lock {} was still there after {} s; nothing was changed",
                holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
                config.display(),
                lock.display(),
                LOCK_WAIT.as_secs()
            ),
        }
    }
}

impl std::error::Error for LockError {}

/// The Unix permission bits of `path`, if it exists.
pub fn mode_of(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// `path` made absolute against the current directory, without requiring it to exist.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_left_by_a_dead_process_is_named_stale_and_the_hint_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let lock = dir.path().join("config.toml.lock");
        // Beyond any pid_max: no such process runs.
        fs::write(&lock, "4999999\n").unwrap();
        let err = held_elsewhere(config.clone(), lock.clone());
        assert_eq!(
            err.to_string(),
            format!(
                "another influxctl-admin (process 4999999) is changing {}: its lock {} was still there after 10 s; nothing was changed",
                config.display(),
                lock.display()
            )
        );
        assert_eq!(
            err.hint().unwrap(),
            format!(
                "no process 4999999 runs here, so the lock is stale (left by a crash): remove it with `rm {}` and try again",
                lock.display()
            )
        );
        let unreadable = LockError::Create(lock, io::ErrorKind::PermissionDenied.into());
        assert_eq!(unreadable.hint(), None);
    }

    #[test]
    fn new_files_get_the_mode_and_existing_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        write_atomic(&path, b"one", 0o600, true).unwrap();
        assert_eq!(mode_of(&path), Some(0o600));
        let config = dir.path().join("config.toml");
        fs::write(&config, "x").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&config, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&config, b"y", 0o600, false).unwrap();
        assert_eq!(mode_of(&config), Some(0o640));
        assert_eq!(fs::read(&config).unwrap(), b"y");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
