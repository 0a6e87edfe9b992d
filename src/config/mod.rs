//! influxctl's `config.toml`: parse it, read its profiles, edit them without disturbing a
//! byte the edit did not mean to touch, and lint it against influxctl's schema.

mod edit;
mod lint;
mod readback;
mod profile;
pub mod schema;
pub mod text;

use std::fmt;

use toml_edit::DocumentMut;

pub use edit::{EditError, NewProfile};
pub use lint::is_placeholder;
pub use lint::{lint, Finding, Severity};
pub use profile::{AuthMethod, Profile, SECRET_KEYS};
pub use text::{LineEnding, Position, Span};

/// A parsed `config.toml`, ready to be read and edited.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    doc: DocumentMut,
    line_ending: LineEnding,
    /// The current text with `\n` line endings: the source until the first edit, then the
    /// output of the last edit (kept so an edit never renders twice).
    text: String,
}

/// The file is not valid TOML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParseError {
    /// What toml_edit found wrong (`message`, in JSON, is the whole error as printed).
    #[serde(rename = "reason")]
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// The offending line, as in the file.
    pub source_line: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid TOML at line {}, column {}: {}\n  {} | {}\n  {} | {}^",
            self.line,
            self.column,
            self.message,
            self.line,
            self.source_line,
            " ".repeat(self.line.to_string().len()),
            " ".repeat(self.source_line.chars().take(self.column.saturating_sub(1)).count())
        )
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// toml_edit's error on `text` (with `\n` line endings), as line, column and line text.
    pub(crate) fn from_toml(text: &str, err: &toml_edit::TomlError) -> Self {
        let offset = err.span().map_or(0, |span| span.start);
        let at = text::position_of(text, offset);
        ParseError {
            message: first_sentence(err.message()),
            line: at.line,
            column: at.column,
            source_line: text::line_text(text, at.line).to_owned(),
        }
    }
}

impl ConfigFile {
    /// Parses `text`. A round trip through [`ConfigFile::render`] without edits gives back
    /// `text` byte for byte.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let line_ending = LineEnding::detect(text);
        let text = line_ending.to_lf(text);
        let doc: DocumentMut = text.parse().map_err(|err| ParseError::from_toml(&text, &err))?;
        Ok(ConfigFile { doc, line_ending, text })
    }

    /// An empty file, for `profile add` when no config exists yet.
    pub fn empty() -> Self {
        ConfigFile { doc: DocumentMut::new(), line_ending: LineEnding::Lf, text: String::new() }
    }

    /// The file's text, with its original line endings.
    pub fn render(&self) -> String {
        self.line_ending.from_lf(&self.text)
    }

    pub fn line_ending(&self) -> LineEnding {
        self.line_ending
    }

    /// Every `[[profile]]`, in file order.
    pub fn profiles(&self) -> Vec<Profile> {
        profile::elements(self.doc.get("profile"))
            .into_iter()
            .enumerate()
            .map(|(index, table)| Profile::read(index, table))
            .collect()
    }

    /// The profile named `name`.
    pub fn profile(&self, name: &str) -> Result<Profile, EditError> {
        let index = self.index_of(name)?;
        let elements = profile::elements(self.doc.get("profile"));
        let table = elements.get(index).ok_or_else(|| edit::internal("the profile vanished"))?;
        Ok(Profile::read(index, *table))
    }

    pub fn profile_names(&self) -> Vec<String> {
        self.profiles().into_iter().filter_map(|p| p.name).collect()
    }

    /// The text of profile `name` exactly as the file has it: from its `[[profile]]` header
    /// to the end of the last line that holds one of its keys or sub-tables. Unless
    /// `reveal_secrets`, the values of `token` and `mgmt_token` read `"<hidden>"`.
    pub fn profile_text(&self, name: &str, reveal_secrets: bool) -> Result<String, EditError> {
        let index = self.index_of(name)?;
        let (range, secrets) = profile::source_ranges(&self.text)
            .into_iter()
            .nth(index)
            .and_then(|span| Some((span.text?, span.secrets)))
            .ok_or_else(|| edit::internal("the profile has no position in the file"))?;
        let mut text = String::new();
        let mut at = range.start;
        if !reveal_secrets {
            for secret in secrets.iter().filter(|s| range.contains(&s.start)) {
                text.push_str(&self.text[at..secret.start]);
                text.push_str("\"<hidden>\"");
                at = secret.end;
            }
        }
        text.push_str(&self.text[at..range.end]);
        Ok(self.line_ending.from_lf(&text))
    }

    pub(crate) fn index_of(&self, name: &str) -> Result<usize, EditError> {
        let names: Vec<Option<String>> = profile::elements(self.doc.get("profile"))
            .iter()
            .map(|t| t.get("name").and_then(toml_edit::Item::as_str).map(str::to_owned))
            .collect();
        names.iter().position(|n| n.as_deref() == Some(name)).ok_or_else(|| {
            let available: Vec<String> = names.into_iter().flatten().collect();
            EditError::UnknownProfile {
                name: name.to_owned(),
                suggestion: schema::closest(name, available.iter().map(String::as_str))
                    .map(str::to_owned),
                available,
            }
        })
    }
}

/// toml_edit's messages can run to several lines; the first is the useful one.
fn first_sentence(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_has_line_column_and_the_line() {
        let err = ConfigFile::parse("[[profile]]\nname = \"a\"\nhost = \n").unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.source_line, "host = ");
        let shown = err.to_string();
        assert!(shown.contains("line 3"), "{shown}");
    }

    #[test]
    fn crlf_round_trips() {
        let text = "[[profile]]\r\n  name = \"default\" # c\r\n  host = \"h\"\r\n";
        let config = ConfigFile::parse(text).unwrap();
        assert_eq!(config.render(), text);
        assert_eq!(config.line_ending(), LineEnding::CrLf);
    }
}
