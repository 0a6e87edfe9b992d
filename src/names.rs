//! Kubernetes names, checked before they reach kubectl: a name with a space or a slash
//! would otherwise become a different command, or a confusing error from the server.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvalidName {
    pub what: &'static str,
    pub value: String,
    pub rule: &'static str,
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rule == ONE_LINE_RULE {
            return write!(f, "{} {:?} {}", self.what, self.value, self.rule);
        }
        write!(
            f,
            "{} {:?} is not a valid Kubernetes name: {}",
            self.what, self.value, self.rule
        )
    }
}

const ONE_LINE_RULE: &str = "holds a control character (a newline, tab, escape, …): names and paths must be one line of printable text";

/// A name or path that the tool writes into config.toml, a script or a command line (a
/// profile name, a token file, a kubeconfig, a context): one line without control
/// characters. Every entry point checks with this one rule, so all refuse alike: `profile
/// add`, `set`, `rename`, `use-token`, `token fetch --token-file`, `plan` and the bindings.
pub fn one_line(what: &'static str, value: &str) -> Result<(), InvalidName> {
    if value.chars().any(char::is_control) {
        return Err(InvalidName {
            what,
            value: value.to_owned(),
            rule: ONE_LINE_RULE,
        });
    }
    Ok(())
}

impl std::error::Error for InvalidName {}

const LABEL_RULE: &str =
    "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
const SUBDOMAIN_RULE: &str = "use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";

/// A DNS-1123 label: namespaces, and job names (which become pod label values).
pub fn label(what: &'static str, value: &str) -> Result<(), InvalidName> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && alnum_ends(value);
    ok.then_some(()).ok_or_else(|| InvalidName {
        what,
        value: value.to_owned(),
        rule: LABEL_RULE,
    })
}

/// A DNS-1123 subdomain: secrets and most other object names.
pub fn subdomain(what: &'static str, value: &str) -> Result<(), InvalidName> {
    let ok = !value.is_empty()
        && value.len() <= 253
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && value
            .split('.')
            .all(|part| !part.is_empty() && alnum_ends(part));
    ok.then_some(()).ok_or_else(|| InvalidName {
        what,
        value: value.to_owned(),
        rule: SUBDOMAIN_RULE,
    })
}

/// A job name prefix such as `key-gen`: a label that leaves room for a suffix.
pub fn job_prefix(what: &'static str, value: &str) -> Result<(), InvalidName> {
    label(what, value)?;
    if value.len() > 50 {
        return Err(InvalidName {
            what,
            value: value.to_owned(),
            rule: "leave room for a suffix: at most 50 characters",
        });
    }
    Ok(())
}

/// A secret's data key: letters, digits, '-', '_' and '.'.
pub fn data_key(what: &'static str, value: &str) -> Result<(), InvalidName> {
    let ok = !value.is_empty()
        && value.len() <= 253
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then_some(()).ok_or_else(|| InvalidName {
        what,
        value: value.to_owned(),
        rule: "use letters, digits, '-', '_' and '.'",
    })
}

/// An equality label selector: `key=value[,key=value]`, as `kubectl --selector` takes it.
pub fn selector(what: &'static str, value: &str) -> Result<(), InvalidName> {
    let rule = "write key=value pairs separated by commas, e.g. app=token-management";
    let ok = !value.is_empty()
        && value.split(',').all(|pair| {
            pair.split_once('=').is_some_and(|(k, v)| {
                let key = k.rsplit('/').next().unwrap_or(k);
                label_value(key) && !key.is_empty() && label_value(v)
            })
        });
    ok.then_some(()).ok_or_else(|| InvalidName {
        what,
        value: value.to_owned(),
        rule,
    })
}

fn label_value(value: &str) -> bool {
    value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && (value.is_empty()
            || value.starts_with(|c: char| c.is_ascii_alphanumeric())
                && value.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

fn alnum_ends(value: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    value.starts_with(alnum) && value.ends_with(alnum)
}

/// A kubeconfig context: any text without control characters (contexts are not API names).
pub fn context(value: &str) -> Result<(), InvalidName> {
    one_line("context", value)?;
    (!value.is_empty())
        .then_some(())
        .ok_or_else(|| InvalidName {
            what: "context",
            value: value.to_owned(),
            rule: "must be non-empty, without control characters",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_names_and_rejects_injections() {
        assert!(label("namespace", "influxdb").is_ok());
        assert!(subdomain("secret", "admin-token").is_ok());
        assert!(subdomain("secret", "tls.cert-1").is_ok());
        for bad in ["", "Influx", "a b", "-x", "x-", "a/b", "--all", "x;rm"] {
            assert!(label("namespace", bad).is_err(), "{bad:?}");
            assert!(subdomain("secret", bad).is_err(), "{bad:?}");
        }
        assert!(label("namespace", &"a".repeat(64)).is_err());
        assert!(selector("selector", "app=token-management").is_ok());
        assert!(selector("selector", "app.kubernetes.io/name=x,tier=a").is_ok());
        assert!(selector("selector", "app").is_err());
        assert!(selector("selector", "app=a b").is_err());
        assert!(data_key("key", "token").is_ok());
        assert!(data_key("key", "a/b").is_err());
    }
}
