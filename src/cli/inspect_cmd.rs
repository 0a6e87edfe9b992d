//! `token inspect`: a token file's format, header, claims and expiry, never the token
//! itself (nor its signature).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::config_cmd::load;
use super::{fsio, CmdResult, Ctx, Failure};
use crate::token::{self, TokenFormat, TokenReport};

pub fn inspect(ctx: &Ctx, path: Option<PathBuf>, profile: &str) -> CmdResult {
    let path = match path {
        Some(p) => p,
        None => {
            let config = load(&ctx.config_path)?;
            let p = config.profile(profile)?;
            PathBuf::from(p.token_file.ok_or_else(|| {
                Failure::usage(format!(
                    "profile `{profile}` has no [profile.auth.token] token_file"
                ))
                .hint(format!(
                    "pass the token file's path, or run `{} token fetch --profile {profile}`",
                    crate::program::name()
                ))
            })?)
        }
    };
    let bytes = fsio::read_input(&path)
        .map_err(|e| Failure::usage(format!("cannot read token file {}: {e}", path.display())))?;
    let report = token::inspect(&bytes, now_unix());
    let mode = fsio::mode_of(&path);
    if let Some(mode) = mode.filter(|m| m & 0o077 != 0) {
        ctx.out.warn(format!(
            "{} is readable by others (mode {mode:o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
    /// `token inspect --output json`
    #[derive(Serialize)]
    struct Inspect<'a> {
        path: &'a Path,
        mode: Option<String>,
        report: &'a TokenReport,
    }
    let document = Inspect {
        path: &path,
        mode: mode.map(|m| format!("{m:o}")),
        report: &report,
    };
    ctx.out.result(&document, || describe(&path, &report));
    Ok(())
}

/// A token report in words, as `token inspect` and the demo print it.
pub fn describe(path: &Path, report: &TokenReport) -> String {
    let format = match &report.format {
        TokenFormat::Empty => "empty".to_owned(),
        TokenFormat::JsonWithJwt { field } => format!("JSON with a JWT in `{field}`"),
        TokenFormat::Json => "JSON (no JWT found)".to_owned(),
        TokenFormat::BareJwt => "JWT".to_owned(),
        TokenFormat::Opaque => "opaque bytes".to_owned(),
    };
    let mut text = format!(
        "{}\n  format:      {format}\n  size:        {} bytes\n  fingerprint: {}\n",
        path.display(),
        report.bytes,
        report.fingerprint
    );
    if let Some(jwt) = &report.jwt {
        text.push_str(&format!(
            "  header:      {}\n",
            serde_json::to_string(&jwt.header).unwrap_or_default()
        ));
        text.push_str(&format!(
            "  claims:      {}\n",
            serde_json::to_string(&jwt.claims).unwrap_or_default()
        ));
        if let Some(iat) = &jwt.issued_at {
            text.push_str(&format!("  issued:      {} ({})\n", iat.utc, iat.relative));
        }
        match (&jwt.expires, jwt.invalid("exp")) {
            (_, Some(why)) => text.push_str(&format!(
                "  expires:     unknown: the exp claim is invalid ({why})\n"
            )),
            (Some(exp), _) if exp.unix <= now_unix() => {
                text.push_str(&format!("  expired:     {} ({})\n", exp.utc, exp.relative))
            }
            (Some(exp), _) => {
                text.push_str(&format!("  expires:     {} ({})\n", exp.utc, exp.relative))
            }
            (None, None) => text.push_str("  expires:     never (no exp claim)\n"),
        }
        text.push_str(&format!(
            "  signature:   {} bytes (not shown)\n",
            jwt.signature_bytes
        ));
        for claim in jwt.invalid_claims.iter().filter(|c| c.claim != "exp") {
            text.push_str(&format!(
                "  warning:     the {} claim is invalid: {}\n",
                claim.claim, claim.reason
            ));
        }
        if jwt.unsecured {
            text.push_str("  warning:     alg is `none`: the token is unsigned, so anyone can forge one like it; no server should accept it\n");
        }
    }
    text
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
