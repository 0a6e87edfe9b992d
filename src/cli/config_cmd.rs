//! `profile …` and `config …`: read and edit influxctl's config.toml.

use std::path::Path;

use serde::Serialize;

use super::args::{AddProfile, ConfigCommand, ProfileCommand};
use super::output::diff;
use super::{fsio, CmdResult, Ctx, Failure};
use crate::config::text::escape_controls;
use crate::config::{self, ConfigFile, NewProfile, Severity};

pub fn profile(ctx: &Ctx, command: ProfileCommand) -> CmdResult {
    match command {
        ProfileCommand::List => list(ctx),
        ProfileCommand::Show { name } => {
            let config = load(&ctx.config_path)?;
            let text = config.profile_text(&name, ctx.show_secrets)?;
            let profile = config.profile(&name)?;
            /// `profile show --output json`
            #[derive(Serialize)]
            struct Show<'a> {
                profile: &'a config::Profile,
                toml: &'a str,
            }
            let document = Show {
                profile: &profile,
                toml: &text,
            };
            ctx.out.result(&document, || text.clone());
            Ok(())
        }
        ProfileCommand::Add(add) => {
            let new = new_profile(add);
            let name = new.name.clone();
            edit(
                ctx,
                true,
                |c| c.add_profile(&new),
                &format!("Added profile `{name}`"),
            )
        }
        ProfileCommand::Set { name, key, value } => edit(
            ctx,
            false,
            |c| c.set(&name, &key, &value),
            &format!("Set `{key}` of profile `{name}`"),
        ),
        ProfileCommand::Unset { name, key } => edit(
            ctx,
            false,
            |c| c.unset(&name, &key),
            &format!("Removed `{key}` from profile `{name}`"),
        ),
        ProfileCommand::Rename { old, new } => edit(
            ctx,
            false,
            |c| c.rename(&old, &new),
            &format!("Renamed profile `{old}` to `{new}`"),
        ),
        ProfileCommand::Remove { name } => edit(
            ctx,
            false,
            |c| c.remove(&name),
            &format!("Removed profile `{name}`"),
        ),
        ProfileCommand::UseToken { name, token_file } => {
            let path = fsio::absolute(&token_file);
            let shown = path.display().to_string();
            edit(
                ctx,
                false,
                |c| c.use_token_file(&name, &shown),
                &format!("Profile `{name}` now uses token file {shown}"),
            )?;
            warn_about_token_file(ctx, &path);
            Ok(())
        }
    }
}

pub fn config(ctx: &Ctx, command: ConfigCommand) -> CmdResult {
    match command {
        ConfigCommand::Path => {
            let exists = ctx.config_path.exists();
            /// `config path --output json`
            #[derive(Serialize)]
            struct ConfigPath<'a> {
                path: &'a Path,
                exists: bool,
            }
            let document = ConfigPath {
                path: &ctx.config_path,
                exists,
            };
            ctx.out
                .result(&document, || ctx.config_path.display().to_string());
            if !exists {
                ctx.out
                    .status("note: the file does not exist yet; `profile add` creates it");
            }
            Ok(())
        }
        ConfigCommand::Lint => {
            let text = read(&ctx.config_path)?;
            let findings = config::lint(&text).map_err(|e| parse_failure(&ctx.config_path, e))?;
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let path = ctx.config_path.display().to_string();
            /// `config lint --output json`
            #[derive(Serialize)]
            struct Lint<'a> {
                path: &'a str,
                ok: bool,
                findings: &'a [config::Finding],
            }
            let document = Lint {
                path: &path,
                ok: errors == 0,
                findings: &findings,
            };
            ctx.out.result(&document, || {
                if findings.is_empty() {
                    return format!("{path}: no problems found");
                }
                let text: String = findings.iter().map(|f| format!("{path}:{f}\n")).collect();
                escape_controls(&text, true).into_owned()
            });
            if errors > 0 {
                return Err(Failure::operation(format!(
                    "{errors} error{} in {path}: influxctl would reject this file",
                    if errors == 1 { "" } else { "s" }
                ))
                .reported());
            }
            Ok(())
        }
    }
}

fn list(ctx: &Ctx) -> CmdResult {
    let config = load(&ctx.config_path)?;
    let profiles = config.profiles();
    /// `profile list --output json`
    #[derive(Serialize)]
    struct List<'a> {
        path: &'a Path,
        profiles: Vec<Row<'a>>,
    }
    #[derive(Serialize)]
    struct Row<'a> {
        name: &'a Option<String>,
        product: &'a Option<String>,
        host: &'a Option<String>,
        port: &'a Option<String>,
        auth: config::AuthMethod,
        default: bool,
    }
    let document = List {
        path: &ctx.config_path,
        profiles: profiles
            .iter()
            .map(|p| Row {
                name: &p.name,
                product: &p.product,
                host: &p.host,
                port: &p.port,
                auth: p.auth(),
                default: p.name.as_deref() == Some("default"),
            })
            .collect(),
    };
    ctx.out.result(&document, || {
        if profiles.is_empty() {
            return format!("no profiles in {}\n", ctx.config_path.display());
        }
        let table: Vec<[String; 4]> = profiles
            .iter()
            .map(|p| {
                let auth = match p.auth() {
                    config::AuthMethod::TokenFile {
                        path,
                        also_oauth2: false,
                    } => format!("token-file ({path})"),
                    config::AuthMethod::TokenFile {
                        path,
                        also_oauth2: true,
                    } => format!("token-file ({path}); oauth2 ignored"),
                    other => other.label().to_owned(),
                };
                // A name or value can hold escape sequences: shown escaped, never obeyed.
                [
                    p.display_name(),
                    p.product.clone().unwrap_or_else(|| "-".into()),
                    p.address().unwrap_or_else(|| "-".into()),
                    auth,
                ]
                .map(|cell| escape_controls(&cell, false).into_owned())
            })
            .collect();
        render_table(["NAME", "PRODUCT", "ADDRESS", "AUTH"], &table, |row| {
            row[0] == "default"
        })
    });
    Ok(())
}

fn render_table(
    header: [&str; 4],
    rows: &[[String; 4]],
    marked: impl Fn(&[String; 4]) -> bool,
) -> String {
    // Every column but the last is cut to COLUMN characters (`…` at the cut): a 70,000
    // character host makes a table nobody reads (and a format width past 65,535 panics).
    // `--output json` has the full values.
    const COLUMN: usize = 60;
    let cut = |cell: &str| -> String {
        if cell.chars().count() <= COLUMN {
            cell.to_owned()
        } else {
            let mut short: String = cell.chars().take(COLUMN - 1).collect();
            short.push('…');
            short
        }
    };
    let rows: Vec<(bool, [String; 4])> = rows
        .iter()
        .map(|row| {
            let [a, b, c, d] = row;
            (marked(row), [cut(a), cut(b), cut(c), d.clone()])
        })
        .collect();
    let mut widths = header.map(str::len);
    for (_, row) in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |mark: &str, cells: [&str; 4]| {
        let mut s = mark.to_owned();
        for (i, cell) in cells.iter().enumerate() {
            s.push_str(cell);
            if i + 1 < cells.len() {
                let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = line("  ", header);
    for (mark, row) in &rows {
        out.push_str(&line(
            if *mark { "* " } else { "  " },
            [&row[0], &row[1], &row[2], &row[3]],
        ));
    }
    out
}

fn new_profile(add: AddProfile) -> NewProfile {
    NewProfile {
        name: add.name,
        product: add.product,
        host: add.host,
        port: add.port,
        account_id: add.account_id,
        cluster_id: add.cluster_id,
        token_file: add
            .token_file
            .map(|p| fsio::absolute(&p).display().to_string()),
    }
}

fn warn_about_token_file(ctx: &Ctx, path: &Path) {
    match fsio::mode_of(path) {
        None if !path.exists() => ctx.out.warn(format!(
            "{} does not exist yet; influxctl will fail until it does (`token fetch` writes it)",
            path.display()
        )),
        Some(mode) if mode & 0o077 != 0 => ctx.out.warn(format!(
            "{} is readable by others (mode {mode:o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        )),
        _ => {}
    }
}

/// Loads, edits and writes the config file, or with --dry-run prints the diff. On any
/// error the file is left exactly as it was. The config's lock is held from the read to
/// the write, so concurrent edits take turns instead of overwriting each other.
pub fn edit(
    ctx: &Ctx,
    create: bool,
    change: impl FnOnce(&mut ConfigFile) -> Result<(), config::EditError>,
    summary: &str,
) -> CmdResult {
    let path = &ctx.config_path;
    let _lock = if ctx.dry_run { None } else { Some(lock(path)?) };
    let (mut config, before) = load_text(path, create)?;
    change(&mut config)?;
    let after = config.render();
    write_config(ctx, path, &before, &after, summary)
}

/// Checks that the config can be replaced, then takes its lock (see [`fsio::Lock`]).
pub fn lock(path: &Path) -> Result<fsio::Lock, Failure> {
    fsio::check_writable(path).map_err(|e| write_failure(path, &e))?;
    fsio::Lock::acquire(path).map_err(|e| {
        let hint = e.hint();
        hint.into_iter().fold(Failure::operation(e), Failure::hint)
    })
}

fn write_failure(path: &Path, err: &std::io::Error) -> Failure {
    let message = format!("cannot write {}: {err}", path.display());
    match err.kind() {
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::NotFound => Failure::usage(message),
        _ => Failure::operation(message),
    }
    .hint("the file was left as it was")
}

/// Writes `after` to `path` (or prints the diff with --dry-run) and reports it.
pub fn write_config(ctx: &Ctx, path: &Path, before: &str, after: &str, summary: &str) -> CmdResult {
    let changes = diff(path, before, after, ctx.show_secrets);
    if !ctx.dry_run && before != after {
        fsio::write_atomic(path, after.as_bytes(), 0o600, false)
            .map_err(|e| write_failure(path, &e))?;
    }
    /// What every edit prints with `--output json`.
    #[derive(Serialize)]
    struct Edit<'a> {
        path: &'a Path,
        changed: bool,
        dry_run: bool,
        diff: &'a str,
    }
    let document = Edit {
        path,
        changed: before != after,
        dry_run: ctx.dry_run,
        diff: &changes,
    };
    ctx.out.result(&document, || {
        if ctx.dry_run {
            changes.clone()
        } else {
            String::new()
        }
    });
    if ctx.dry_run {
        ctx.out.status(format!(
            "{summary} (dry run: {} not changed)",
            path.display()
        ));
    } else if before == after {
        ctx.out.status(format!(
            "{summary}: {} already says so, not changed",
            path.display()
        ));
    } else {
        ctx.out.status(format!("{summary} in {}", path.display()));
    }
    Ok(())
}

pub fn load(path: &Path) -> Result<ConfigFile, Failure> {
    load_text(path, false).map(|(config, _)| config)
}

/// The config file parsed, and its text, read once. With `create`, a file that does not
/// exist (a dangling symlink included: writing goes through it) is an empty config.
pub fn load_text(path: &Path, create: bool) -> Result<(ConfigFile, String), Failure> {
    match fsio::read_regular(path) {
        Ok(bytes) => {
            let text = into_text(path, bytes)?;
            let config = ConfigFile::parse(&text).map_err(|e| parse_failure(path, e))?;
            Ok((config, text))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            Ok((ConfigFile::empty(), String::new()))
        }
        Err(e) => Err(read_failure(path, e)),
    }
}

pub fn read(path: &Path) -> Result<String, Failure> {
    let bytes = fsio::read_regular(path).map_err(|e| read_failure(path, e))?;
    into_text(path, bytes)
}

fn into_text(path: &Path, bytes: Vec<u8>) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| {
        Failure::usage(format!(
            "{} is not UTF-8 text (invalid byte at offset {}); TOML files must be UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn read_failure(path: &Path, err: std::io::Error) -> Failure {
    if err.kind() == std::io::ErrorKind::NotFound {
        Failure::usage(format!("config file {} does not exist", path.display())).hint(format!(
            "create it with `{} profile add default --product clustered --host HOST`, or pass --config PATH",
            crate::program::name()
        ))
    } else if err.kind() == std::io::ErrorKind::InvalidInput {
        Failure::usage(format!("cannot read {}: {err}", path.display()))
    } else {
        Failure::operation(format!("failed to read {}: {err}", path.display()))
    }
}

pub fn parse_failure(path: &Path, err: config::ParseError) -> Failure {
    Failure::usage(format!("{}: {err}", path.display()))
        .hint("fix the file by hand; nothing was changed")
}
