//! Where a config's text holds credentials, so that every place that shows file text
//! (diffs, `profile show`, parse errors) can print `"<hidden>"` instead.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

/// What hidden values read as.
pub const HIDDEN: &str = "\"<hidden>\"";

/// Whether a key's value is a credential: `token`, `mgmt_token`, OAuth2's `client_secret`,
/// and, to be safe with keys influxctl may add, any `*_token`, `*secret*` or `*password*`.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key == "token" || key.ends_with("_token") || key.contains("secret") || key.contains("password")
}

/// The byte ranges of every secret value in `table` and below, in file order.
pub(crate) fn spans_in(table: &dyn TableLike) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    collect_table(table, &mut spans);
    spans.sort_by_key(|s| s.start);
    spans
}

fn collect_table(table: &dyn TableLike, spans: &mut Vec<Range<usize>>) {
    for (key, item) in table.iter() {
        match item {
            // `auth.token` is a table holding a path, not a secret: look inside it.
            Item::Value(value) if is_secret_key(key) && !value.is_inline_table() => {
                spans.extend(value.span())
            }
            Item::Value(value) => collect_value(value, spans),
            Item::Table(t) => collect_table(t, spans),
            Item::ArrayOfTables(a) => a.iter().for_each(|t| collect_table(t, spans)),
            Item::None => {}
        }
    }
}

fn collect_value(value: &Value, spans: &mut Vec<Range<usize>>) {
    match value {
        Value::InlineTable(t) => collect_table(t, spans),
        Value::Array(a) => a.iter().for_each(|v| collect_value(v, spans)),
        _ => {}
    }
}

/// `text` with every secret value replaced by `"<hidden>"`. Line breaks inside a hidden
/// value (a multi-line string) are kept, so line `n` of the result is line `n` of `text`.
/// A text that does not parse is hidden line by line (see [`hide_in_line`]).
pub fn hide(text: &str) -> String {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - body.len();
    let Ok(doc) = toml_edit::Document::parse(body.to_owned()) else {
        return text.split_inclusive('\n').map(hide_in_line).collect();
    };
    let spans = spans_in(doc.as_table());
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        let (start, end) = (span.start + offset, span.end + offset);
        out.push_str(&text[at..start]);
        out.push_str(HIDDEN);
        let value = &text[start..end];
        for (i, _) in value.match_indices('\n') {
            if value[..i].ends_with('\r') {
                out.push('\r');
            }
            out.push('\n');
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// One line of a file that may not parse: if it assigns a secret key (`mgmt_token = …`,
/// also inside an inline table), everything after that `=` reads `<hidden>`, up to the
/// line break. Unquoted, since what was there may not have been a valid string.
pub fn hide_in_line(line: &str) -> String {
    let (body, end) = match line
        .strip_suffix("\r\n")
        .or_else(|| line.strip_suffix('\n'))
    {
        Some(body) => (body, &line[body.len()..]),
        None => (line, ""),
    };
    match secret_assignment(body) {
        Some(eq) => format!("{} <hidden>{end}", &body[..=eq]),
        None => line.to_owned(),
    }
}

/// The byte index of the `=` after the first secret key in `line`, if any.
fn secret_assignment(line: &str) -> Option<usize> {
    let byte = |i: usize| line.as_bytes().get(i).copied();
    let is_key_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut i = 0;
    while let Some(b) = byte(i) {
        if !is_key_char(b) {
            i += 1;
            continue;
        }
        let start = i;
        while byte(i).is_some_and(is_key_char) {
            i += 1;
        }
        let key = line.get(start..i).unwrap_or_default();
        // Skip a closing quote of a quoted key, then spaces, then expect `=`.
        let mut j = i;
        if matches!(byte(j), Some(b'"' | b'\'')) {
            j += 1;
        }
        while matches!(byte(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if byte(j) == Some(b'=') && is_secret_key(key) {
            let mut k = j + 1;
            while matches!(byte(k), Some(b' ' | b'\t')) {
                k += 1;
            }
            // `token = { token_file = … }` is a table: its keys are checked as they come.
            if byte(k) != Some(b'{') {
                return Some(j);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys() {
        for key in [
            "token",
            "mgmt_token",
            "client_secret",
            "access_token",
            "Password",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["token_file", "token_url", "host", "name", "client_id"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn hides_values_at_any_depth_and_keeps_lines() {
        let text = "[[profile]]\r\nname = \"a\"\r\ntoken = \"\"\"x\r\ny\"\"\" # c\r\n[profile.auth.oauth2]\r\nparameters = { client_secret = 's', a = 'b' }\r\n";
        let hidden = hide(text);
        assert_eq!(
            hidden,
            "[[profile]]\r\nname = \"a\"\r\ntoken = \"<hidden>\"\r\n # c\r\n[profile.auth.oauth2]\r\nparameters = { client_secret = \"<hidden>\", a = 'b' }\r\n"
        );
        assert_eq!(
            hide("\u{feff}token = \"t\"\n"),
            "\u{feff}token = \"<hidden>\"\n"
        );
    }

    #[test]
    fn a_token_table_is_no_secret_its_secrets_are() {
        let text = "[[profile]]\nauth = { token = { token_file = \"/t.json\" }, oauth2 = { client_secret = \"s\" } }\n";
        assert_eq!(
            hide(text),
            "[[profile]]\nauth = { token = { token_file = \"/t.json\" }, oauth2 = { client_secret = \"<hidden>\" } }\n"
        );
        assert_eq!(
            hide_in_line("auth = { token = { token_file = \"/t\" }, token = x"),
            "auth = { token = { token_file = \"/t\" }, token = <hidden>"
        );
    }

    #[test]
    fn hides_unparsable_lines() {
        assert_eq!(
            hide_in_line("  mgmt_token = apiv3_UNQUOTED\r\n"),
            "  mgmt_token = <hidden>\r\n"
        );
        assert_eq!(
            hide_in_line("p = [{name=\"a\", \"token\"=x}]"),
            "p = [{name=\"a\", \"token\"= <hidden>"
        );
        assert_eq!(hide_in_line("host = \"token\""), "host = \"token\"");
        assert_eq!(
            hide("x = [\nmgmt_token = y\n"),
            "x = [\nmgmt_token = <hidden>\n"
        );
    }
}
