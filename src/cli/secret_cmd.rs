//! `secret decode`: look at a Secret without spilling its values.

use std::path::Path;

use serde::Serialize;

use super::args::SecretCommand;
use super::{fsio, CmdResult, Ctx, Failure};
use crate::config::text::escape_controls;
use crate::secret;

pub fn secret(ctx: &Ctx, command: SecretCommand) -> CmdResult {
    let SecretCommand::Decode {
        file,
        key,
        out,
        reveal,
    } = command;
    let input = read_input(&file)?;
    let decoded = secret::decode(&input)?;
    // `--out -` is stdout, as `-` is for the input: the value printed, exactly as --reveal
    // prints it (not a file named `-`).
    let (out, reveal) = match out {
        Some(out) if out.as_os_str() == "-" => {
            if ctx.out.json {
                return Err(Failure::usage(
                    "--out - prints the raw value on stdout, which --output json keeps for one JSON document; write it to a file with --out PATH",
                ));
            }
            if ctx.dry_run {
                let value = decoded.value(key.as_deref())?;
                ctx.out.status(format!(
                    "would print {} bytes on stdout (--out - is --reveal)",
                    value.len()
                ));
                return Ok(());
            }
            (None, true)
        }
        out => (out, reveal),
    };
    if let Some(out) = out {
        let value = decoded.value(key.as_deref())?;
        // A path that cannot be written (a FIFO, a directory, no such directory) is an input
        // error (exit 2), as for --config and token fetch; a write that fails is exit 1.
        fsio::check_writable(&out)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", out.display())))?;
        if ctx.dry_run {
            ctx.out.status(format!(
                "would write {} bytes to {} (mode 0600)",
                value.len(),
                out.display()
            ));
        } else {
            fsio::write_atomic(&out, value.expose(), 0o600, true).map_err(|e| {
                Failure::operation(format!("failed to write {}: {e}", out.display()))
            })?;
            ctx.out.status(format!(
                "Wrote {} bytes to {} (mode 0600)",
                value.len(),
                out.display()
            ));
        }
        /// `secret decode --out FILE --output json`
        #[derive(Serialize)]
        struct Written<'a> {
            written: &'a Path,
            bytes: usize,
            dry_run: bool,
        }
        let document = Written {
            written: &out,
            bytes: value.len(),
            dry_run: ctx.dry_run,
        };
        ctx.out.result(&document, String::new);
        return Ok(());
    }
    if reveal {
        let value = decoded.value(key.as_deref())?;
        ctx.out.stdout(value.expose());
        return Ok(());
    }
    if let Some(key) = &key {
        decoded.value(Some(key))?;
    }
    let entries: Vec<_> = decoded
        .entries
        .iter()
        .filter(|(k, _)| key.as_ref().is_none_or(|want| want == *k))
        .map(|(k, v)| (k.clone(), secret::summarize(v.expose())))
        .collect();
    /// `secret decode --output json`: the keys and their sizes, never the values.
    #[derive(Serialize)]
    struct Decoded<'a> {
        format: secret::SecretFormat,
        name: Option<&'a str>,
        namespace: Option<&'a str>,
        keys: Vec<Key<'a>>,
    }
    #[derive(Serialize)]
    struct Key<'a> {
        key: &'a str,
        bytes: usize,
        utf8: bool,
    }
    let document = Decoded {
        format: decoded.format,
        name: decoded.name.as_deref(),
        namespace: decoded.namespace.as_deref(),
        keys: entries
            .iter()
            .map(|(key, s)| Key {
                key,
                bytes: s.bytes,
                utf8: s.utf8,
            })
            .collect(),
    };
    ctx.out.result(&document, || {
        // Names and keys come from the Secret: escape sequences are shown, never obeyed.
        let shown = |text: &str| escape_controls(text, false).into_owned();
        let mut text = String::new();
        if let Some(name) = &decoded.name {
            text.push_str(&format!(
                "secret {}{}\n",
                shown(name),
                decoded
                    .namespace
                    .as_deref()
                    .map(|n| format!(" (namespace {})", shown(n)))
                    .unwrap_or_default()
            ));
        }
        for (k, s) in &entries {
            text.push_str(&format!(
                "  {}: {} bytes, {}\n",
                shown(k),
                s.bytes,
                if s.utf8 { "text" } else { "binary" }
            ));
        }
        text
    });
    ctx.out.status(
        "values are not shown; use --out FILE to write one (mode 0600) or --reveal to print it",
    );
    Ok(())
}

/// The input, at most [`fsio::MAX_INPUT`] bytes. A pipe (`<(kubectl …)`) is fine here: it is
/// data to read, not a file to replace.
fn read_input(file: &Path) -> Result<Vec<u8>, Failure> {
    if file.as_os_str() == "-" {
        return fsio::read_capped(std::io::stdin().lock())
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")));
    }
    fsio::read_input(file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))
}
