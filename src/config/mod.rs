//! influxctl's `config.toml`: parse it, read its profiles, edit them without disturbing a
//! byte the edit did not mean to touch, and lint it against influxctl's schema.

mod edit;
mod lint;
mod profile;
mod readback;
pub mod schema;
pub mod secrets;
pub mod text;

use std::fmt;

use toml_edit::DocumentMut;

pub use edit::{EditError, NewProfile};
pub use lint::is_placeholder;
pub use lint::{lint, Finding, Severity};
pub use profile::{AuthMethod, Profile, SECRET_KEYS};
pub use schema::Product;
pub use text::{LineEnding, LineEnds, Position, Span};

/// A parsed `config.toml`, ready to be read and edited.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    doc: DocumentMut,
    /// The file's line breaks, each kept where an edit leaves its line alone.
    ends: LineEnds,
    /// The file starts with a UTF-8 byte order mark (kept; the parser never sees it).
    bom: bool,
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
    /// The offending line as in the file, but with secret values hidden, control
    /// characters escaped and at most [`EXCERPT_CHARS`] characters around the column.
    pub source_line: String,
    /// Where in `source_line` the caret goes (1-based).
    pub excerpt_column: usize,
}

/// How much of a line an error quotes (a single line can be megabytes long).
pub const EXCERPT_CHARS: usize = 200;

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
            " ".repeat(self.excerpt_column.saturating_sub(1))
        )
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// toml_edit's error on `text` (with `\n` line endings), as line, column and an
    /// excerpt of the line with its secrets hidden.
    pub(crate) fn from_toml(text: &str, err: &toml_edit::TomlError) -> Self {
        let offset = match err.span() {
            Some(span) => span.start,
            // Errors without a place (the recursion limit of a deeply nested key or value):
            // find the first line at which a prefix of the file fails the same way.
            None => line_start(text, first_failing_line(text, err.message())),
        };
        let at = text::position_of(text, offset);
        let line = secrets::hide_in_line(text::line_text(text, at.line));
        let (source_line, excerpt_column) = text::excerpt(&line, at.column, EXCERPT_CHARS);
        ParseError {
            message: first_sentence(err.message()),
            line: at.line,
            column: at.column,
            source_line,
            excerpt_column,
        }
    }
}

impl ConfigFile {
    /// Parses `text`. A round trip through [`ConfigFile::render`] without edits gives back
    /// `text` byte for byte.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let body = text.strip_prefix('\u{feff}');
        let bom = body.is_some();
        let (text, ends) = LineEnds::split(body.unwrap_or(text));
        let doc: DocumentMut = text
            .parse()
            .map_err(|err| ParseError::from_toml(&text, &err))?;
        Ok(ConfigFile {
            doc,
            ends,
            bom,
            text,
        })
    }

    /// [`ConfigFile::parse`] and [`lint`] from one parse (the editor does both on every
    /// keystroke). Findings' lines and columns are those of the file without its BOM.
    pub fn parse_linted(text: &str) -> Result<(Self, Vec<Finding>), ParseError> {
        let body = text.strip_prefix('\u{feff}');
        let bom = body.is_some();
        let (text, ends) = LineEnds::split(body.unwrap_or(text));
        let parsed = toml_edit::Document::parse(text.as_str())
            .map_err(|err| ParseError::from_toml(&text, &err))?;
        let findings = lint::lint_document(&text, &parsed);
        let doc = parsed.into_mut();
        Ok((
            ConfigFile {
                doc,
                ends,
                bom,
                text,
            },
            findings,
        ))
    }

    /// An empty file, for `profile add` when no config exists yet.
    pub fn empty() -> Self {
        ConfigFile {
            doc: DocumentMut::new(),
            ends: LineEnds::Uniform(LineEnding::Lf),
            bom: false,
            text: String::new(),
        }
    }

    /// The file's text, with its original line endings (and byte order mark).
    pub fn render(&self) -> String {
        let text = self.ends.restore(&self.text, 0);
        if self.bom {
            format!("\u{feff}{text}")
        } else {
            text
        }
    }

    /// The line break most of the file uses.
    pub fn line_ending(&self) -> LineEnding {
        self.ends.dominant()
    }

    /// Takes `text`, an edit's output in `\n` form, as the file's new text: lines the edit
    /// did not touch keep their own line breaks.
    pub(crate) fn accept(&mut self, text: String) {
        self.ends = self.ends.carry(&self.text, &text);
        self.text = text;
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
        let table = elements
            .get(index)
            .ok_or_else(|| edit::internal("the profile vanished"))?;
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
        // Copied pieces get their own line breaks back; a hidden value's lines are dropped.
        let mut pieces = Vec::new();
        let mut at = range.start;
        if !reveal_secrets {
            for secret in secrets.iter().filter(|s| range.contains(&s.start)) {
                pieces.push(at..secret.start);
                at = secret.end.min(range.end);
            }
        }
        pieces.push(at..range.end);
        let mut text = String::new();
        for (n, piece) in pieces.iter().enumerate() {
            if n > 0 {
                text.push_str(secrets::HIDDEN);
            }
            let breaks = self.text[..piece.start].matches('\n').count();
            text.push_str(&self.ends.restore(&self.text[piece.clone()], breaks));
        }
        Ok(text)
    }

    pub(crate) fn index_of(&self, name: &str) -> Result<usize, EditError> {
        if let Some(found) = edit::not_a_profile_array(self.doc.get("profile")) {
            return Err(EditError::NotAProfileArray { found });
        }
        let names: Vec<Option<String>> = profile::elements(self.doc.get("profile"))
            .iter()
            .map(|t| {
                t.get("name")
                    .and_then(toml_edit::Item::as_str)
                    .map(str::to_owned)
            })
            .collect();
        names
            .iter()
            .position(|n| n.as_deref() == Some(name))
            .ok_or_else(|| {
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

/// The smallest 1-based `n` such that the first `n` lines of `text` fail with `message`
/// (a binary search: the parser stops at the first error, so once the failing line is
/// in the prefix, every longer prefix fails the same way).
fn first_failing_line(text: &str, message: &str) -> usize {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let fails = |lines: usize| {
        let end = starts.get(lines).copied().unwrap_or(text.len());
        text[..end]
            .parse::<DocumentMut>()
            .is_err_and(|e| e.span().is_none() && e.message() == message)
    };
    let (mut low, mut high) = (1, starts.len());
    while low < high {
        let mid = low + (high - low) / 2;
        if fails(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

fn line_start(text: &str, line: usize) -> usize {
    text.match_indices('\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(i, _)| if line > 1 { i + 1 } else { 0 })
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
    fn parse_errors_hide_secrets_and_find_the_deep_line() {
        let err = ConfigFile::parse("[[profile]]\nmgmt_token = apiv3_UNQUOTED\n").unwrap_err();
        assert!(!err.to_string().contains("apiv3"), "{err}");
        assert_eq!(err.line, 2);
        let deep = format!(
            "[[profile]]\nname = \"a\"\n{} = 1\n",
            vec!["k"; 300].join(".")
        );
        let err = ConfigFile::parse(&deep).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(
            err.source_line.chars().count() <= EXCERPT_CHARS + 2,
            "{err}"
        );
    }

    #[test]
    fn bom_and_mixed_line_ends_survive_edits() {
        let text = "\u{feff}[[profile]]\r\nname = \"a\"\nhost = \"h\"\r\n";
        let mut config = ConfigFile::parse(text).unwrap();
        assert_eq!(config.render(), text);
        config.set("a", "host", "x").unwrap();
        assert_eq!(
            config.render(),
            "\u{feff}[[profile]]\r\nname = \"a\"\nhost = \"x\"\r\n"
        );
    }

    #[test]
    fn crlf_round_trips() {
        let text = "[[profile]]\r\n  name = \"default\" # c\r\n  host = \"h\"\r\n";
        let config = ConfigFile::parse(text).unwrap();
        assert_eq!(config.render(), text);
        assert_eq!(config.line_ending(), LineEnding::CrLf);
    }
}
