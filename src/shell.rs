//! Shell quoting: how an argv is shown as one POSIX shell command line. The procedures'
//! shell rendering (docs, `plan --shell`) and the runner's report of the commands it ran
//! (kubectl's argv, failed commands) both use it, so they show a command the same way.

/// Quotes `arg` for a POSIX shell: as is when safe, `"…"` when it holds a `$VARIABLE`
/// (so the shell expands it), `'…'` otherwise.
pub fn quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        return arg.to_owned();
    }
    if arg.contains('$') && arg.chars().all(|c| safe(c) || c == '$') {
        return format!("\"{arg}\"");
    }
    format!("'{}'", arg.replace('\'', "'\\''"))
}

/// `argv` quoted and joined with spaces.
pub fn join(argv: &[String]) -> String {
    argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_words_stay_variables_expand_the_rest_is_single_quoted() {
        assert_eq!(quote("app=token-management"), "app=token-management");
        assert_eq!(quote("job/$KEY_GEN_JOB"), "\"job/$KEY_GEN_JOB\"");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(join(&["get".into(), "a b".into()]), "get 'a b'");
    }
}
