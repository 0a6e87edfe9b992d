//! Shell quoting: how an argv is shown as one shell command line. The procedures'
//! shell rendering (docs, `plan --shell`) and the runner's report of the commands it ran
//! (kubectl's argv, failed commands) both use it, so they show a command the same way.
//!
//! A value always means itself: `$` never expands ([`quote`]), and a control character
//! cannot end the line or the quotes (it is written as `$'\x0a'`). Only the procedures'
//! own `$VARIABLE` references expand, and only where the builder put them ([`template`]).

/// Quotes `arg` so that the shell reads exactly `arg`: as is when safe, `'…'` otherwise,
/// and bash's `$'…'` (with `\xHH` escapes) when it holds a control character or a
/// Unicode direction override, so that the command stays on one line and reads as it runs.
pub fn quote(arg: &str) -> String {
    if !arg.is_empty() && arg.chars().all(safe) {
        return arg.to_owned();
    }
    if arg.chars().any(unprintable) {
        let mut out = String::from("$'");
        for c in arg.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                c if unprintable(c) => {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("\\x{b:02x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    format!("'{}'", arg.replace('\'', "'\\''"))
}

/// Quotes an argument that a procedure's builder made, whose `$NAME`s (upper-case
/// letters and `_`) are shell variables the script sets: `"job/$KEY_GEN_JOB"`. Anything
/// else, and any argument that is not just safe characters and such references, is
/// quoted by [`quote`] and means itself.
pub fn template(arg: &str) -> String {
    if arg.contains('$') && arg.chars().all(|c| safe(c) || c == '$') && variables_only(arg) {
        return format!("\"{arg}\"");
    }
    quote(arg)
}

/// Whether every `$` in `arg` starts a variable name (`$` and upper-case letters or `_`).
fn variables_only(arg: &str) -> bool {
    arg.split('$')
        .skip(1)
        .all(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '_'))
}

fn safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c)
}

fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `argv` quoted and joined with spaces; every argument means itself.
pub fn join(argv: &[String]) -> String {
    argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_words_stay_the_rest_is_single_quoted() {
        assert_eq!(quote("app=token-management"), "app=token-management");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(join(&["get".into(), "a b".into()]), "get 'a b'");
    }

    #[test]
    fn a_dollar_means_itself_and_only_references_expand() {
        assert_eq!(quote("/srv/$PATH/x"), "'/srv/$PATH/x'");
        assert_eq!(quote("job/$KEY_GEN_JOB"), "'job/$KEY_GEN_JOB'");
        assert_eq!(template("job/$KEY_GEN_JOB"), "\"job/$KEY_GEN_JOB\"");
        assert_eq!(template("$x"), "'$x'");
        assert_eq!(template("a b$X"), "'a b$X'");
    }

    #[test]
    fn control_characters_cannot_end_the_line() {
        assert_eq!(quote("x\ntouch pwned #"), "$'x\\x0atouch pwned #'");
        assert_eq!(quote("a'b\\\u{1b}"), "$'a\\'b\\\\\\x1b'");
        assert_eq!(quote("\u{85}"), "$'\\xc2\\x85'");
        assert!(!quote("a\r\nb").contains(['\n', '\r']));
    }
}
