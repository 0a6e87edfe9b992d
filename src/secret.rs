//! Kubernetes Secrets as the user has them: `kubectl get secret -o json` or `-o yaml`
//! output, or the bare base64 of one value (`--template={{.data.token}}`). Values are bytes:
//! a token file is never assumed to be UTF-8, and is never rewritten.
//!
//! YAML is read by a strict, small reader of exactly what `kubectl get secret -o yaml`
//! prints (block mappings and sequences, plain and quoted scalars, `|`/`>` block scalars,
//! the empty `{}`/`[]`); anything else (flow collections, tabs for indentation, anchors,
//! aliases, tags, several documents) is refused with the line it is on, never guessed at.
//! A full YAML parser would not fit the browser editor's size budget.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;

use crate::diagnostic::{Diagnostic, Hint};
use crate::json;
use crate::redact::Redacted;

/// What the input looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretFormat {
    Json,
    Yaml,
    /// The base64 of a single value.
    Base64,
}

/// The decoded data of one Secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedSecret {
    pub format: SecretFormat,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// Every key of `data` (decoded) and `stringData`; a bare base64 value is key `value`.
    pub entries: BTreeMap<String, Redacted<Vec<u8>>>,
}

/// Why an input is not one Secret. Serialised for the browser as `{"kind": "…", …}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SecretError {
    Empty,
    InvalidJson {
        detail: String,
    },
    NotASecret {
        #[serde(rename = "found")]
        kind: String,
    },
    InvalidBase64 {
        key: Option<String>,
        detail: String,
    },
    NoData {
        name: Option<String>,
    },
    MissingKey {
        key: String,
        name: Option<String>,
        available: Vec<String>,
    },
    AmbiguousKey {
        available: Vec<String>,
    },
    /// A value of `data` or `stringData` that is not a string (null, a number in JSON, a mapping).
    NotAString {
        section: String,
        key: String,
        found: String,
    },
    /// YAML outside what `kubectl get secret -o yaml` prints.
    UnsupportedYaml {
        what: String,
        line: usize,
    },
    /// Several YAML documents (`---`): `secrets` of them are Secrets.
    MultipleDocuments {
        documents: usize,
        secrets: usize,
    },
    /// A `List` (`kubectl get secret A B -o json|yaml`) of several items.
    MultipleSecrets {
        items: usize,
        secrets: usize,
    },
    /// A top-level JSON array.
    JsonArray {
        items: usize,
    },
    /// UTF-16 text, as Windows PowerShell's `>` writes it.
    Utf16 {
        big_endian: bool,
    },
    /// Bytes that are not UTF-8 (and not UTF-16), at byte `offset`.
    NotUtf8 {
        offset: usize,
    },
    /// kubectl's error message (`Error from server (NotFound): …`) where a Secret was expected:
    /// its first line, control characters escaped, at most 200 characters.
    KubectlError {
        // Not `message`: the bindings put the whole error's text under that name.
        line: String,
    },
}

const ONE_SECRET: &str =
    "pass one Secret, e.g. `kubectl get secret admin-token -n NAMESPACE -o yaml`";

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = |name: &Option<String>| {
            name.as_deref()
                .map(|n| format!(" `{n}`"))
                .unwrap_or_default()
        };
        match self {
            SecretError::Empty => write!(f, "the input is empty; expected `kubectl get secret NAME -o json` output, YAML, or base64"),
            SecretError::InvalidJson { detail } => write!(f, "the input looks like JSON but does not parse: {detail}"),
            SecretError::NotASecret { kind } => write!(f, "the input is a {kind}, not a Secret; pass the output of `kubectl get secret NAME -o json`"),
            SecretError::InvalidBase64 { key: Some(key), detail } => write!(f, "the value of key `{key}` is not valid base64: {detail}"),
            SecretError::InvalidBase64 { key: None, detail } => write!(f, "the input is not valid base64: {detail}"),
            SecretError::NoData { name } => write!(f, "secret{} has no data", named(name)),
            SecretError::MissingKey { key, name, .. } => write!(f, "secret{} has no key `{key}`", named(name)),
            SecretError::AmbiguousKey { available } => write!(f, "the secret has several keys ({})", available.join(", ")),
            SecretError::NotAString { section, key, found } if key.is_empty() => write!(f, "`{section}` is {found}"),
            SecretError::NotAString { section, key, found } => write!(f, "the value of `{section}.{key}` is {found}, not a string"),
            SecretError::UnsupportedYaml { what, line } => write!(f, "unsupported YAML: {what} at line {line}"),
            SecretError::MultipleDocuments { documents, secrets } => write!(
                f,
                "the input holds {documents} YAML documents ({secrets} of them Secret{}); {ONE_SECRET}",
                if *secrets == 1 { "" } else { "s" }
            ),
            SecretError::MultipleSecrets { items, secrets } => write!(
                f,
                "the input is a List of {items} items ({secrets} of them Secret{}); {ONE_SECRET}",
                if *secrets == 1 { "" } else { "s" }
            ),
            SecretError::JsonArray { items } => write!(
                f,
                "the input is a JSON array ({items} item{}), not a Secret; pass one object, e.g. `kubectl get secret admin-token -n NAMESPACE -o json` (or `jq '.[0]'`)",
                if *items == 1 { "" } else { "s" }
            ),
            SecretError::Utf16 { big_endian } => write!(
                f,
                "the input is UTF-16{} text, as Windows PowerShell's `>` writes it; it must be UTF-8",
                if *big_endian { " (big-endian)" } else { "" }
            ),
            SecretError::NotUtf8 { offset } => write!(f, "the input is not UTF-8 text (invalid byte at offset {offset}); expected kubectl's JSON or YAML, or base64"),
            SecretError::KubectlError { line } => write!(f, "the input is an error message from kubectl, not a Secret: {line}"),
        }
    }
}

impl std::error::Error for SecretError {}

impl Diagnostic for SecretError {
    fn hints(&self) -> Vec<Hint> {
        match self {
            SecretError::MissingKey { available, .. } => vec![Hint::SecretKeys {
                keys: available.clone(),
            }],
            SecretError::AmbiguousKey { .. } => vec![Hint::ChooseKey],
            SecretError::UnsupportedYaml { .. } => vec![Hint::KubectlYaml],
            SecretError::Utf16 { .. } => vec![Hint::Utf8],
            _ => Vec::new(),
        }
    }
}

impl DecodedSecret {
    /// The value of `key`, or the only value when `key` is `None`.
    pub fn value(&self, key: Option<&str>) -> Result<&Redacted<Vec<u8>>, SecretError> {
        let available = || self.entries.keys().cloned().collect::<Vec<_>>();
        let only = || {
            self.entries
                .values()
                .next()
                .ok_or_else(|| SecretError::NoData {
                    name: self.name.clone(),
                })
        };
        match key {
            _ if self.format == SecretFormat::Base64 => only(),
            Some(key) => self
                .entries
                .get(key)
                .ok_or_else(|| SecretError::MissingKey {
                    key: key.to_owned(),
                    name: self.name.clone(),
                    available: available(),
                }),
            None if self.entries.len() <= 1 => only(),
            None => Err(SecretError::AmbiguousKey {
                available: available(),
            }),
        }
    }
}

/// Decodes a Secret from JSON, YAML or bare base64.
pub fn decode(input: &[u8]) -> Result<DecodedSecret, SecretError> {
    if input.starts_with(&[0xff, 0xfe]) || input.starts_with(&[0xfe, 0xff]) {
        return Err(SecretError::Utf16 {
            big_endian: input.first() == Some(&0xfe),
        });
    }
    if let Some(big_endian) = utf16_without_bom(input) {
        return Err(SecretError::Utf16 { big_endian });
    }
    // A UTF-8 byte-order mark (Windows' "UTF-8 with BOM") carries no content: YAML allows
    // it, kubectl accepts it.
    let input = input
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|e| SecretError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(SecretError::Empty);
    }
    if let Some(line) = kubectl_error(trimmed) {
        return Err(SecretError::KubectlError { line });
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        from_json(trimmed)
    } else if looks_like_yaml(trimmed) {
        from_yaml(text)
    } else {
        let bytes = decode_base64(trimmed, None)?;
        Ok(DecodedSecret {
            format: SecretFormat::Base64,
            name: None,
            namespace: None,
            entries: BTreeMap::from([("value".to_owned(), Redacted::new(bytes))]),
        })
    }
}

/// UTF-16 without a byte-order mark: ASCII text with every other byte zero.
fn utf16_without_bom(input: &[u8]) -> Option<bool> {
    let head = input.get(..input.len().min(64) & !1).unwrap_or_default();
    if head.len() < 4 {
        return None;
    }
    let pairs = head.chunks_exact(2);
    let count = pairs.len();
    if pairs.clone().all(|p| matches!(p, [low, 0] if *low != 0)) {
        Some(false)
    } else if pairs
        .clone()
        .filter(|p| matches!(p, [0, high] if *high != 0))
        .count()
        == count
    {
        Some(true)
    } else {
        None
    }
}

/// A value of a Secret's `data` (base64) or `stringData` (plain text) section, as bytes:
/// the one rule the JSON and the YAML readers share.
fn entry_bytes(section: &str, key: &str, text: &str) -> Result<Vec<u8>, SecretError> {
    if section == "data" {
        decode_base64(text, Some(key))
    } else {
        Ok(text.as_bytes().to_vec())
    }
}

/// Decodes one base64 value as Kubernetes writes it (standard alphabet, padded); line
/// breaks and spaces inside it, as a terminal copy adds, are ignored.
/// kubectl's own error lines, which a pasted or redirected `kubectl get secret` holds when it
/// failed (`Error from server (NotFound): secrets "x" not found`, `error: …`,
/// `Unable to connect to the server: …`): read as YAML they would be a mapping with no data.
fn kubectl_error(text: &str) -> Option<String> {
    let first = text.lines().next()?.trim();
    let is_error = [
        "Error from server",
        "error: ",
        "Unable to connect to the server",
    ]
    .iter()
    .any(|p| first.starts_with(p));
    is_error.then(|| {
        first
            .chars()
            .take(200)
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    })
}

pub fn decode_base64(value: &str, key: Option<&str>) -> Result<Vec<u8>, SecretError> {
    let compact: String = value.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|err| SecretError::InvalidBase64 {
            key: key.map(str::to_owned),
            detail: err.to_string(),
        })
}

fn from_json(text: &str) -> Result<DecodedSecret, SecretError> {
    let doc = json::parse_unique(text.as_bytes()).map_err(|e| SecretError::InvalidJson {
        detail: e.to_string(),
    })?;
    if let Some(items) = doc.as_array() {
        return Err(SecretError::JsonArray { items: items.len() });
    }
    if doc.get("kind").and_then(|k| k.as_str()) == Some("List") {
        let items = doc
            .get("items")
            .and_then(|i| i.as_array())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let secrets = items
            .iter()
            .filter(|i| {
                i.get("kind")
                    .and_then(|k| k.as_str())
                    .is_none_or(|k| k == "Secret")
            })
            .count();
        return match items {
            [one] => decode_object(one),
            _ => Err(SecretError::MultipleSecrets {
                items: items.len(),
                secrets,
            }),
        };
    }
    decode_object(&doc)
}

/// Decodes a Secret already parsed as JSON (an item of `kubectl get secret A B -o json`).
pub fn decode_object(doc: &json::Value) -> Result<DecodedSecret, SecretError> {
    let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or("Secret");
    if kind != "Secret" {
        return Err(SecretError::NotASecret {
            kind: kind.to_owned(),
        });
    }
    if !doc.is_object() {
        return Err(SecretError::NotASecret {
            kind: json_type(doc).to_owned(),
        });
    }
    let meta = |field: &str| {
        doc.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let mut entries = BTreeMap::new();
    for section in ["data", "stringData"] {
        let Some(value) = doc.get(section).filter(|v| !v.is_null()) else {
            continue;
        };
        let Some(map) = value.as_object() else {
            return Err(SecretError::NotAString {
                section: section.into(),
                key: String::new(),
                found: format!("{} instead of a mapping", json_type(value)),
            });
        };
        for (key, value) in map.iter() {
            let text = value.as_str().ok_or_else(|| SecretError::NotAString {
                section: section.into(),
                key: key.clone(),
                found: json_type(value).into(),
            })?;
            entries.insert(key.clone(), Redacted::new(entry_bytes(section, key, text)?));
        }
    }
    Ok(DecodedSecret {
        format: SecretFormat::Json,
        name: meta("name"),
        namespace: meta("namespace"),
        entries,
    })
}

fn json_type(value: &json::Value) -> &'static str {
    match value {
        json::Value::Null => "null",
        json::Value::Bool(_) => "a boolean",
        json::Value::Number(_) => "a number",
        json::Value::String(_) => "a string",
        json::Value::Array(_) => "an array",
        json::Value::Object(_) => "an object",
    }
}

/// Base64 has no `:`, `#` or `-` line starts; YAML (a mapping, a comment, a marker) has.
fn looks_like_yaml(text: &str) -> bool {
    text.contains(':')
        || text.contains('#')
        || text
            .lines()
            .any(|l| l.starts_with("---") || l.starts_with("- ") || l == "-" || l.starts_with('%'))
}

/// One line of YAML: `indent` spaces, then `text`; `raw` is the whole line (block scalars).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
    raw: &'a str,
}

impl Line<'_> {
    /// Empty, whitespace only, or a comment.
    fn is_blank(&self) -> bool {
        let t = self.text.trim_start_matches([' ', '\t']);
        t.is_empty() || t.starts_with('#')
    }
}

/// A node of the YAML subset.
#[derive(Debug)]
enum Node {
    /// `plain`: written without quotes, so that nothing, `~` and `null` mean null.
    Scalar {
        text: String,
        plain: bool,
    },
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
}

impl Node {
    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The text of a non-null scalar.
    fn text(&self) -> Option<&str> {
        match self {
            Node::Scalar { text, .. } if !self.is_null() => Some(text),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Node::Scalar { .. } if self.is_null() => "null",
            Node::Scalar { .. } => "a scalar",
            Node::Map(_) => "a mapping",
            Node::Seq(_) => "a sequence",
        }
    }
}

fn unsupported(what: impl Into<String>, line: usize) -> SecretError {
    SecretError::UnsupportedYaml {
        what: what.into(),
        line,
    }
}

/// Deeper than any Secret (`managedFields` is the deepest, about 10 levels); bounds recursion.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    depth: usize,
}

/// How a quoted scalar's scan of one line ended.
enum Scan {
    /// Closed; the rest of the line starts at this byte.
    Closed(usize),
    /// Still open at the end of the line; `joined` if it ended with an escaped line break.
    Open { joined: bool },
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ") || text.starts_with("-\t")
}

/// Whether what follows a value on its line is nothing or a comment.
fn is_end(rest: &str) -> bool {
    let t = rest.trim_start_matches([' ', '\t']);
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

/// A plain scalar's text without a trailing ` # comment`.
fn without_comment(text: &str) -> &str {
    let cut = text
        .match_indices('#')
        .find(|(i, _)| *i == 0 || text[..*i].ends_with([' ', '\t']))
        .map_or(text.len(), |(i, _)| i);
    text[..cut].trim_end_matches([' ', '\t'])
}

/// Refuses what a plain scalar cannot start with in the YAML kubectl prints.
fn check_indicator(text: &str, no: usize) -> Result<(), SecretError> {
    let what = match text.chars().next() {
        Some('{' | '[') => "flow style (`{…}` or `[…]`)",
        Some('&') => "an anchor (`&`)",
        Some('*') => "an alias (`*`)",
        Some('!') => "a tag (`!`)",
        Some('%' | '@' | '`') => "a reserved indicator",
        Some('?') if text.len() == 1 || text[1..].starts_with([' ', '\t']) => {
            "a complex key (`? `)"
        }
        Some(':') if text.len() == 1 || text[1..].starts_with([' ', '\t']) => "an empty key",
        _ => return Ok(()),
    };
    Err(unsupported(what, no))
}

/// Scans a quoted scalar from `seg` into `out` until its closing quote or the line's end.
fn scan_quoted(seg: &str, quote: char, out: &mut String, no: usize) -> Result<Scan, SecretError> {
    // Trailing white space of a line is folded away, unless it came from an escape.
    let mut keep = out.len();
    let mut chars = seg.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if quote == '\'' && seg[i + 1..].starts_with('\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return Ok(Scan::Closed(i + 1));
        }
        if quote == '"' && c == '\\' {
            let Some((at, e)) = chars.next() else {
                return Ok(Scan::Open { joined: true });
            };
            let value = match e {
                '0' => '\0',
                'a' => '\x07',
                'b' => '\x08',
                't' | '\t' => '\t',
                'n' => '\n',
                'v' => '\x0b',
                'f' => '\x0c',
                'r' => '\r',
                'e' => '\x1b',
                ' ' | '"' | '/' | '\\' => e,
                'N' => '\u{85}',
                '_' => '\u{a0}',
                'L' => '\u{2028}',
                'P' => '\u{2029}',
                'x' | 'u' | 'U' => {
                    let digits = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let start = at + 1;
                    let code = seg
                        .get(start..start + digits)
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .and_then(char::from_u32)
                        .ok_or_else(|| unsupported(format!("an invalid `\\{e}` escape"), no))?;
                    for _ in 0..digits {
                        chars.next();
                    }
                    code
                }
                other => return Err(unsupported(format!("the unknown escape `\\{other}`"), no)),
            };
            out.push(value);
            keep = out.len();
            continue;
        }
        out.push(c);
    }
    let content = out[keep..].trim_end_matches([' ', '\t']).len();
    out.truncate(keep + content);
    Ok(Scan::Open { joined: false })
}

impl<'a> Parser<'a> {
    fn new(lines: Vec<Line<'a>>) -> Self {
        Parser {
            lines,
            pos: 0,
            depth: 0,
        }
    }

    /// The next line that is not blank or a comment; a tab in its indentation is refused.
    fn peek(&mut self) -> Result<Option<Line<'a>>, SecretError> {
        while self.lines.get(self.pos).is_some_and(Line::is_blank) {
            self.pos += 1;
        }
        match self.lines.get(self.pos) {
            Some(line) if line.text.starts_with('\t') => Err(unsupported(
                "a tab in the indentation (YAML indents with spaces only)",
                line.no,
            )),
            other => Ok(other.copied()),
        }
    }

    fn document(&mut self) -> Result<Option<Node>, SecretError> {
        let Some(first) = self.peek()? else {
            return Ok(None);
        };
        let node = self.block(first)?;
        match self.peek()? {
            None => Ok(Some(node)),
            Some(line) => Err(unsupported(
                "text outside the document's structure (check its indentation)",
                line.no,
            )),
        }
    }

    /// The block collection that starts at `line`.
    fn block(&mut self, line: Line<'a>) -> Result<Node, SecretError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(unsupported(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                line.no,
            ));
        }
        let node = if is_seq_item(line.text) {
            self.seq(line.indent)
        } else {
            self.map(line.indent)
        };
        self.depth -= 1;
        node
    }

    fn map(&mut self, indent: usize) -> Result<Node, SecretError> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(line) = self.peek()? {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return Err(unsupported("unexpected indentation", line.no));
            }
            if is_seq_item(line.text) {
                return Err(unsupported(
                    "a sequence item where a mapping key was expected",
                    line.no,
                ));
            }
            let (key, rest) = split_key(line.text, line.no)?;
            if !seen.insert(key.clone()) {
                return Err(unsupported(format!("the duplicate key `{key}`"), line.no));
            }
            self.pos += 1;
            let value = self.value(rest, indent, line.no, true)?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }

    fn seq(&mut self, indent: usize) -> Result<Node, SecretError> {
        let mut items = Vec::new();
        while let Some(line) = self.peek()? {
            if line.indent < indent || (line.indent == indent && !is_seq_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return Err(unsupported("unexpected indentation", line.no));
            }
            let after = &line.text[1..];
            let rest = after.trim_start_matches(' ');
            if rest.starts_with('\t') {
                return Err(unsupported(
                    "a tab in the indentation (YAML indents with spaces only)",
                    line.no,
                ));
            }
            if rest.is_empty() || rest.starts_with('#') {
                self.pos += 1;
                items.push(self.value("", indent, line.no, false)?);
            } else if is_seq_item(rest) {
                return Err(unsupported(
                    "a sequence item on the same line as another",
                    line.no,
                ));
            } else if looks_like_key(rest) {
                // `- key: value`: a mapping whose keys line up with this first one.
                let column = indent + 1 + (after.len() - rest.len());
                if let Some(current) = self.lines.get_mut(self.pos) {
                    *current = Line {
                        indent: column,
                        text: rest,
                        ..line
                    };
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(unsupported(
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                        line.no,
                    ));
                }
                items.push(self.map(column)?);
                self.depth -= 1;
            } else {
                self.pos += 1;
                items.push(self.inline(rest, indent, line.no)?);
            }
        }
        Ok(Node::Seq(items))
    }

    /// The value after `key:` (or `-`): on the same line, or the block below.
    fn value(
        &mut self,
        rest: &'a str,
        parent: usize,
        no: usize,
        in_map: bool,
    ) -> Result<Node, SecretError> {
        let rest = rest.trim_start_matches([' ', '\t']);
        if !rest.is_empty() && !rest.starts_with('#') {
            return self.inline(rest, parent, no);
        }
        match self.peek()? {
            Some(next) if next.indent > parent => self.block(next),
            // `key:` then `- item` at the key's own indentation, as kubectl prints lists.
            Some(next) if in_map && next.indent == parent && is_seq_item(next.text) => {
                self.seq(parent)
            }
            _ => Ok(Node::Scalar {
                text: String::new(),
                plain: true,
            }),
        }
    }

    /// A value that starts on its key's line.
    fn inline(&mut self, rest: &'a str, parent: usize, no: usize) -> Result<Node, SecretError> {
        match rest.chars().next() {
            Some('|' | '>') => self.block_scalar(rest, parent, no),
            Some(quote @ ('"' | '\'')) => {
                let (text, after) = self.quoted(&rest[1..], quote, no)?;
                if !is_end(after) {
                    return Err(unsupported(
                        "text after a quoted string",
                        self.lines
                            .get(self.pos.saturating_sub(1))
                            .map_or(no, |l| l.no),
                    ));
                }
                Ok(Node::Scalar { text, plain: false })
            }
            Some('{')
                if is_end(
                    rest[1..]
                        .trim_start_matches([' ', '\t'])
                        .strip_prefix('}')
                        .unwrap_or("x"),
                ) =>
            {
                Ok(Node::Map(Vec::new()))
            }
            Some('[')
                if is_end(
                    rest[1..]
                        .trim_start_matches([' ', '\t'])
                        .strip_prefix(']')
                        .unwrap_or("x"),
                ) =>
            {
                Ok(Node::Seq(Vec::new()))
            }
            _ if is_seq_item(rest) => {
                Err(unsupported("a sequence on the same line as its key", no))
            }
            _ => {
                check_indicator(rest, no)?;
                self.plain(rest, parent, no)
            }
        }
    }

    /// A plain scalar, continued on more-indented lines (folded with spaces).
    fn plain(&mut self, first: &str, parent: usize, no: usize) -> Result<Node, SecretError> {
        let check = |text: &str, no: usize| {
            if text.contains(": ") || text.contains(":\t") || text.ends_with(':') {
                Err(unsupported(
                    "a `key: value` inside a plain value (quote the value)",
                    no,
                ))
            } else {
                Ok(())
            }
        };
        let mut text = without_comment(first).to_owned();
        check(&text, no)?;
        if text.len() < first.trim_end_matches([' ', '\t']).len() {
            return Ok(Node::Scalar { text, plain: true }); // a comment ends it
        }
        let mut breaks = 0;
        while let Some(line) = self.lines.get(self.pos).copied() {
            let t = line.raw.trim_matches([' ', '\t']);
            if t.is_empty() {
                breaks += 1;
                self.pos += 1;
                continue;
            }
            if line.indent <= parent || t.starts_with('#') {
                break;
            }
            let part = without_comment(t);
            check(part, line.no)?;
            if breaks == 0 {
                text.push(' ');
            }
            for _ in 0..breaks {
                text.push('\n');
            }
            text.push_str(part);
            breaks = 0;
            self.pos += 1;
            if part.len() < t.len() {
                break;
            }
        }
        Ok(Node::Scalar { text, plain: true })
    }

    /// A quoted scalar from just after its opening quote, over as many lines as it takes;
    /// returns its value and what follows the closing quote on its last line.
    fn quoted(
        &mut self,
        start: &'a str,
        quote: char,
        no: usize,
    ) -> Result<(String, &'a str), SecretError> {
        let mut out = String::new();
        let mut seg = start;
        let mut line_no = no;
        loop {
            let joined = match scan_quoted(seg, quote, &mut out, line_no)? {
                Scan::Closed(at) => return Ok((out, &seg[at..])),
                Scan::Open { joined } => joined,
            };
            let mut breaks = 0;
            loop {
                let Some(line) = self.lines.get(self.pos).copied() else {
                    return Err(unsupported("a quoted string that is never closed", no));
                };
                self.pos += 1;
                line_no = line.no;
                let t = line.raw.trim_start_matches([' ', '\t']);
                if t.trim_end_matches([' ', '\t']).is_empty() {
                    breaks += 1;
                    continue;
                }
                if breaks == 0 && !joined {
                    out.push(' ');
                }
                for _ in 0..breaks {
                    out.push('\n');
                }
                seg = t;
                break;
            }
        }
    }

    /// A `|` (literal) or `>` (folded) block scalar; `header` is the rest of its key's line.
    fn block_scalar(
        &mut self,
        header: &str,
        parent: usize,
        no: usize,
    ) -> Result<Node, SecretError> {
        let literal = header.starts_with('|');
        let (mut chomp, mut explicit) = ('c', None);
        let mut rest = &header[1..];
        while let Some(c) = rest.chars().next() {
            match c {
                '-' | '+' if chomp == 'c' => chomp = c,
                '1'..='9' if explicit.is_none() => explicit = Some(c as usize - '0' as usize),
                _ => break,
            }
            rest = &rest[1..];
        }
        if !is_end(rest) {
            // Not quoted back: what follows `|` or `>` may be a value pasted in the wrong place.
            return Err(unsupported("an invalid block scalar header (after `|` or `>` only `-`, `+`, a digit 1-9 and a comment may follow)", no));
        }
        let mut indent = explicit.map(|m| parent + m);
        let mut lines: Vec<&str> = Vec::new();
        while let Some(line) = self.lines.get(self.pos).copied() {
            let raw = line.raw;
            let spaces = raw.len() - raw.trim_start_matches(' ').len();
            if raw.trim_start_matches([' ', '\t']).is_empty() {
                lines.push(indent.and_then(|i| raw.get(i..)).unwrap_or(""));
                self.pos += 1;
                continue;
            }
            if spaces <= parent || indent.is_some_and(|i| spaces < i) {
                break;
            }
            let i = *indent.get_or_insert(spaces);
            lines.push(&raw[i..]);
            self.pos += 1;
        }
        let trailing = lines.iter().rev().take_while(|l| l.is_empty()).count();
        let body = lines.get(..lines.len() - trailing).unwrap_or_default();
        let mut text = if literal { body.join("\n") } else { fold(body) };
        match chomp {
            '-' => {}
            '+' => {
                if !body.is_empty() {
                    text.push('\n');
                }
                text.extend(std::iter::repeat_n('\n', trailing));
            }
            _ if !body.is_empty() => text.push('\n'),
            _ => {}
        }
        Ok(Node::Scalar { text, plain: false })
    }
}

/// A folded block scalar's lines: single line breaks between text lines become spaces;
/// empty lines and more-indented lines keep their breaks.
fn fold(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut previous: Option<bool> = None; // whether the previous text line was more indented
    let mut breaks = 0;
    for line in lines {
        if line.is_empty() {
            breaks += 1;
            continue;
        }
        let more = line.starts_with([' ', '\t']);
        match previous {
            Some(false) if !more && breaks == 0 => out.push(' '),
            Some(false) if !more => out.extend(std::iter::repeat_n('\n', breaks)),
            Some(_) => out.extend(std::iter::repeat_n('\n', breaks + 1)),
            None => out.extend(std::iter::repeat_n('\n', breaks)),
        }
        out.push_str(line);
        previous = Some(more);
        breaks = 0;
    }
    out
}

/// Whether `text` (after `- `) starts a mapping: `key:` or `key: value`.
fn looks_like_key(text: &str) -> bool {
    split_key(text, 0).is_ok()
}

/// `key: rest` → (`key`, `rest`); quoted keys are unquoted.
fn split_key(text: &str, no: usize) -> Result<(String, &str), SecretError> {
    let expected = || unsupported("a line that is not `key: value`", no);
    fn colon_then_space(after: &str) -> Option<&str> {
        after
            .strip_prefix(':')
            .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
    }
    if let Some(quote @ ('"' | '\'')) = text.chars().next() {
        let mut key = String::new();
        let Scan::Closed(at) = scan_quoted(&text[1..], quote, &mut key, no)? else {
            return Err(expected());
        };
        let after = text[1 + at..].trim_start_matches([' ', '\t']);
        return colon_then_space(after)
            .map(|rest| (key, rest))
            .ok_or_else(expected);
    }
    check_indicator(text, no)?;
    let at = text
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| text[i + 1..].is_empty() || text[i + 1..].starts_with([' ', '\t']))
        .ok_or_else(expected)?;
    let key = text[..at].trim_end_matches([' ', '\t']);
    if key.is_empty() || without_comment(key).len() < key.len() {
        return Err(expected());
    }
    Ok((key.to_owned(), &text[at + 1..]))
}

/// The YAML that `kubectl get secret -o yaml` prints, read strictly.
fn from_yaml(text: &str) -> Result<DecodedSecret, SecretError> {
    let mut documents: Vec<Vec<Line>> = vec![Vec::new()];
    for (i, raw) in text.split('\n').enumerate() {
        let no = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let marker = |m: &str| {
            raw.strip_prefix(m)
                .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
        };
        if let Some(after) = marker("---") {
            if !is_end(after) {
                return Err(unsupported("content on a `---` line", no));
            }
            documents.push(Vec::new());
            continue;
        }
        if marker("...").is_some() {
            documents.push(Vec::new());
            continue;
        }
        if raw.starts_with('%') {
            return Err(unsupported("a directive (`%…`)", no));
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let line = Line {
            no,
            indent,
            text: &raw[indent..],
            raw,
        };
        if let Some(document) = documents.last_mut() {
            document.push(line);
        }
    }
    documents.retain(|d| d.iter().any(|l| !l.is_blank()));
    match documents.len() {
        0 => Err(SecretError::Empty),
        1 => {
            let node = Parser::new(documents.remove(0))
                .document()?
                .ok_or(SecretError::Empty)?;
            secret_from_node(&node)
        }
        n => {
            let secrets = documents
                .into_iter()
                .filter_map(|d| Parser::new(d).document().ok().flatten())
                .filter(|node| {
                    node.get("kind")
                        .and_then(Node::text)
                        .is_none_or(|k| k == "Secret")
                })
                .count();
            Err(SecretError::MultipleDocuments {
                documents: n,
                secrets,
            })
        }
    }
}

fn secret_from_node(node: &Node) -> Result<DecodedSecret, SecretError> {
    if !matches!(node, Node::Map(_)) {
        let kind = if matches!(node, Node::Seq(_)) {
            "YAML sequence"
        } else {
            "YAML scalar"
        };
        return Err(SecretError::NotASecret {
            kind: kind.to_owned(),
        });
    }
    let kind = node.get("kind").and_then(Node::text);
    if kind == Some("List") {
        let items = match node.get("items") {
            Some(Node::Seq(items)) => items.as_slice(),
            _ => &[],
        };
        let secrets = items
            .iter()
            .filter(|i| {
                i.get("kind")
                    .and_then(Node::text)
                    .is_none_or(|k| k == "Secret")
            })
            .count();
        return match items {
            [one] => secret_from_node(one),
            _ => Err(SecretError::MultipleSecrets {
                items: items.len(),
                secrets,
            }),
        };
    }
    if let Some(kind) = kind.filter(|k| *k != "Secret") {
        return Err(SecretError::NotASecret {
            kind: kind.to_owned(),
        });
    }
    let meta = |field: &str| {
        node.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Node::text)
            .map(str::to_owned)
    };
    let mut entries = BTreeMap::new();
    for section in ["data", "stringData"] {
        let values = match node.get(section) {
            None => continue,
            Some(n) if n.is_null() => continue,
            Some(Node::Map(values)) => values,
            Some(other) => {
                return Err(SecretError::NotAString {
                    section: section.into(),
                    key: String::new(),
                    found: format!("{} instead of a mapping", other.describe()),
                })
            }
        };
        for (key, value) in values {
            let text = value.text().ok_or_else(|| SecretError::NotAString {
                section: section.into(),
                key: key.clone(),
                found: value.describe().into(),
            })?;
            entries.insert(key.clone(), Redacted::new(entry_bytes(section, key, text)?));
        }
    }
    Ok(DecodedSecret {
        format: SecretFormat::Yaml,
        name: meta("name"),
        namespace: meta("namespace"),
        entries,
    })
}

/// What a value is, for display without showing it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValueSummary {
    pub bytes: usize,
    pub utf8: bool,
}

pub fn summarize(value: &[u8]) -> ValueSummary {
    ValueSummary {
        bytes: value.len(),
        utf8: std::str::from_utf8(value).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kubectls_error_message_is_named_as_such_not_read_as_a_secret_without_data() {
        for (input, first) in [
            (
                "Error from server (NotFound): secrets \"admin-token\" not found\n",
                "Error from server (NotFound): secrets \"admin-token\" not found",
            ),
            ("error: You must be logged in to the server (Unauthorized)\n", "error: You must be logged in to the server (Unauthorized)"),
            ("Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused", "Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused"),
        ] {
            let err = super::decode(input.as_bytes()).unwrap_err();
            assert_eq!(err, super::SecretError::KubectlError { line: first.into() });
            assert_eq!(
                err.to_string(),
                format!("the input is an error message from kubectl, not a Secret: {first}")
            );
        }
    }

    use super::*;

    fn yaml_err(text: &str) -> SecretError {
        decode(text.as_bytes()).expect_err("refused")
    }

    fn unsupported_line(err: &SecretError) -> usize {
        match err {
            SecretError::UnsupportedYaml { line, .. } => *line,
            other => panic!("not an unsupported-YAML error: {other:?}"),
        }
    }

    #[test]
    fn decodes_kubectl_json_with_binary_values() {
        let json = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"admin-token","namespace":"influxdb"},
            "data":{"token":"eyJ0b2tlbiI6InQifQ==","bin":"/wD+"}}"#;
        let secret = decode(json.as_bytes()).unwrap();
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(
            secret.value(Some("token")).unwrap().expose(),
            br#"{"token":"t"}"#
        );
        assert_eq!(
            secret.value(Some("bin")).unwrap().expose(),
            &[0xff, 0x00, 0xfe]
        );
        assert!(!summarize(secret.value(Some("bin")).unwrap().expose()).utf8);
        let err = secret.value(Some("nope")).unwrap_err();
        assert_eq!(err.to_string(), "secret `admin-token` has no key `nope`");
        // What to do next is data beside the message, for each face to word.
        assert_eq!(
            crate::diagnostic::Diagnostic::hints(&err),
            [Hint::SecretKeys {
                keys: vec!["bin".into(), "token".into()]
            }]
        );
        assert!(matches!(
            secret.value(None),
            Err(SecretError::AmbiguousKey { .. })
        ));
    }

    #[test]
    fn decodes_kubectl_yaml() {
        let yaml = "apiVersion: v1\ndata:\n  token: aGVsbG8=\nkind: Secret\nmetadata:\n  name: admin-token\n  namespace: influxdb\n  labels:\n    name: other\ntype: Opaque\n";
        let secret = decode(yaml.as_bytes()).unwrap();
        assert_eq!(secret.format, SecretFormat::Yaml);
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(secret.namespace.as_deref(), Some("influxdb"));
        assert_eq!(secret.value(None).unwrap().expose(), b"hello");
    }

    /// Everything `kubectl get secret -o yaml --show-managed-fields` prints, with CRLF line ends.
    #[test]
    fn decodes_a_full_kubectl_yaml_secret() {
        let yaml = r#"apiVersion: v1
data:
  private.pem: LS0tLS1CRUdJTg==
  token: eyJ0b2tlbiI6InQifQ==
kind: Secret
metadata:
  annotations:
    description: a long annotation that kubectl folds over
      two lines
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","data":{"token":"not: this"},"kind":"Secret"}
    quoted: "tab\there \u00e9 and a \
      joined line"
  creationTimestamp: "2024-09-01T10:00:00Z"
  labels:
    app.kubernetes.io/name: influxdb
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        .: {}
        f:token: {}
    manager: kubectl-create
    operation: Update
  name: admin-token
  namespace: 'influx''db'
  ownerReferences:
  - apiVersion: kubecfg.dev/v1alpha1
    kind: AppInstance
    name: influxdb
  finalizers: []
  resourceVersion: "1234"
  uid: 6f1c-…
type: Opaque
"#
        .replace('\n', "\r\n");
        let secret = decode(yaml.as_bytes()).unwrap();
        assert_eq!(secret.name.as_deref(), Some("admin-token"));
        assert_eq!(secret.namespace.as_deref(), Some("influx'db"));
        assert_eq!(
            secret.value(Some("token")).unwrap().expose(),
            br#"{"token":"t"}"#
        );
        assert_eq!(
            secret.entries.keys().collect::<Vec<_>>(),
            ["private.pem", "token"]
        );
    }

    #[test]
    fn string_data_block_scalars_are_read_as_yaml_means_them() {
        let cases: &[(&str, &[u8])] = &[
            (
                "  token: |\n    line one\n    line two\n\n",
                b"line one\nline two\n",
            ),
            (
                "  token: |-\n    line one\n    line two\n",
                b"line one\nline two",
            ),
            ("  token: |+\n    line one\n\n\n", b"line one\n\n\n"),
            (
                "  token: >\n    folded\n    text\n\n    para\n      kept\n",
                b"folded text\npara\n  kept\n",
            ),
            ("  token: >-\n    a\n    b\n", b"a b"),
            ("  token: |2\n     indented\n    not\n", b" indented\nnot\n"),
            ("  token: \"a\\nb\\x41\\u00e9\"\n", "a\nbA\u{e9}".as_bytes()),
            ("  token: 'it''s'   # a comment\n", b"it's"),
            ("  token: plain # comment\n", b"plain"),
            ("  token: \"\"\n", b""),
            (
                "  token: \"one\n    two\n\n    three\"\n",
                b"one two\nthree",
            ),
        ];
        for (body, want) in cases {
            let yaml = format!("kind: Secret\nstringData:\n{body}metadata:\n  name: s\n");
            let secret = decode(yaml.as_bytes()).unwrap_or_else(|e| panic!("{body:?}: {e}"));
            assert_eq!(
                secret.value(Some("token")).unwrap().expose().as_slice(),
                *want,
                "{body:?}"
            );
            assert_eq!(
                secret.name.as_deref(),
                Some("s"),
                "{body:?}: the block ended where it should"
            );
        }
    }

    #[test]
    fn several_documents_are_refused_with_a_count() {
        let two = "kind: Secret\ndata:\n  token: YQ==\n---\nkind: Secret\ndata:\n  token: Yg==\n";
        assert_eq!(
            yaml_err(two),
            SecretError::MultipleDocuments {
                documents: 2,
                secrets: 2
            }
        );
        assert!(yaml_err(two)
            .to_string()
            .contains("2 YAML documents (2 of them Secrets)"));
        let mixed = "---\nkind: Secret\ndata: {}\n---\nkind: ConfigMap\n---\n# only a comment\n";
        assert_eq!(
            yaml_err(mixed),
            SecretError::MultipleDocuments {
                documents: 2,
                secrets: 1
            }
        );
        // One document between markers is fine.
        assert!(decode(b"---\nkind: Secret\ndata:\n  a: YQ==\n...\n").is_ok());
    }

    #[test]
    fn lists_of_one_secret_are_read_and_longer_lists_refused() {
        let one = "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    token: YQ==\n  kind: Secret\n  metadata:\n    name: a\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";
        let secret = decode(one.as_bytes()).unwrap();
        assert_eq!(
            (
                secret.name.as_deref(),
                secret.value(None).unwrap().expose().as_slice()
            ),
            (Some("a"), b"a".as_slice())
        );
        let two = "items:\n- kind: Secret\n  data: {}\n- kind: Secret\nkind: List\n";
        assert_eq!(
            yaml_err(two),
            SecretError::MultipleSecrets {
                items: 2,
                secrets: 2
            }
        );
        let json = r#"{"kind":"List","items":[{"kind":"Secret","data":{}},{"kind":"ConfigMap"}]}"#;
        assert_eq!(
            decode(json.as_bytes()).unwrap_err(),
            SecretError::MultipleSecrets {
                items: 2,
                secrets: 1
            }
        );
    }

    #[test]
    fn yaml_outside_what_kubectl_prints_is_refused_with_its_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("kind: Secret\ndata: {token: YQ==}\n", 2, "flow style"),
            ("kind: Secret\ndata:\n\ttoken: YQ==\n", 3, "tab"),
            ("kind: Secret\ndata:\n  token: &a YQ==\n", 3, "anchor"),
            ("kind: Secret\ndata:\n  token: *a\n", 3, "alias"),
            ("kind: Secret\ndata:\n  token: !!binary YQ==\n", 3, "tag"),
            (
                "kind: Secret\ndata:\n  token: YQ==\n  token: Yg==\n",
                4,
                "duplicate key",
            ),
            (
                "kind: Secret\ndata:\n  token: YQ==\n   other: Yg==\n",
                4,
                "key: value",
            ),
            (
                "kind: Secret\ndata:\n  token: YQ==\n other: Yg==\n",
                4,
                "indentation",
            ),
            (
                "kind: Secret\ndata:\n  token: YQ==\n  - Yg==\n",
                4,
                "sequence item",
            ),
            ("%YAML 1.2\n---\nkind: Secret\n", 1, "directive"),
            ("kind: Secret\ndata:\n  token: \"YQ==\n", 3, "never closed"),
            (
                "kind: Secret\ndata:\n  token: a: b\n",
                3,
                "inside a plain value",
            ),
            ("kind: Secret\n? complex\n", 2, "complex key"),
            (
                "kind: Secret\ndata:\n  token: >s3cr3t\n",
                3,
                "block scalar header",
            ),
            ("kind: Secret\nstringData:\n  token: \"\\q\"\n", 3, "escape"),
            ("kind: Secret\njust text\n", 2, "not `key: value`"),
        ];
        for (yaml, line, what) in cases {
            let err = yaml_err(yaml);
            assert_eq!(unsupported_line(&err), *line, "{yaml:?}: {err}");
            assert!(
                err.to_string().contains(what) && err.to_string().starts_with("unsupported YAML: "),
                "{yaml:?}: {err}"
            );
        }
    }

    #[test]
    fn errors_never_quote_a_value() {
        for value in [
            ">s3cr3t",
            "\"s3cr3t",
            "s3cr3t: x",
            "&a s3cr3t",
            "!!binary s3cr3t",
            "{a: s3cr3t}",
            "'s3cr3t' trailing",
            "\"\\qs3cr3t\"",
            "|s3cr3t",
        ] {
            for section in ["data", "stringData"] {
                let err = yaml_err(&format!("kind: Secret\n{section}:\n  token: {value}\n"));
                assert!(
                    !err.to_string().contains("s3cr3t") && !format!("{err:?}").contains("s3cr3t"),
                    "{value}: {err}"
                );
            }
        }
    }

    #[test]
    fn wrong_value_types_and_deep_nesting_are_errors_not_panics() {
        assert!(
            matches!(yaml_err("kind: Secret\ndata:\n  token:\n"), SecretError::NotAString { ref found, .. } if found == "null")
        );
        assert!(
            matches!(yaml_err("kind: Secret\ndata:\n  token:\n    a: b\n"), SecretError::NotAString { ref found, .. } if found == "a mapping")
        );
        assert!(matches!(
            yaml_err("kind: Secret\ndata: text\n"),
            SecretError::NotAString { .. }
        ));
        assert!(
            matches!(decode(br#"{"kind":"Secret","stringData":{"a":1}}"#), Err(SecretError::NotAString { ref found, .. }) if found == "a number")
        );
        let deep: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(matches!(
            yaml_err(&deep),
            SecretError::UnsupportedYaml { .. }
        ));
        let deep_seq: String = (0..200)
            .map(|i| format!("{}- k{i}:\n", " ".repeat(2 * i)))
            .collect();
        assert!(matches!(
            yaml_err(&format!("x:\n{deep_seq}")),
            SecretError::UnsupportedYaml { .. }
        ));
        assert_eq!(
            yaml_err("- a\n- b\n"),
            SecretError::NotASecret {
                kind: "YAML sequence".into()
            }
        );
    }

    #[test]
    fn encodings_and_arrays_are_named() {
        let utf16le: Vec<u8> = "\u{feff}kind: Secret\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&utf16le).unwrap_err(),
            SecretError::Utf16 { big_endian: false }
        );
        let utf16be: Vec<u8> = "kind: Secret\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            decode(&utf16be).unwrap_err(),
            SecretError::Utf16 { big_endian: true }
        );
        assert!(decode(&utf16le)
            .unwrap_err()
            .to_string()
            .contains("PowerShell"));
        // A UTF-8 byte-order mark is skipped, for every format.
        assert_eq!(
            decode(b"\xef\xbb\xbfaGVsbG8=")
                .unwrap()
                .value(None)
                .unwrap()
                .expose(),
            b"hello"
        );
        assert!(decode(b"\xef\xbb\xbf{\"kind\":\"Secret\",\"data\":{\"a\":\"YQ==\"}}").is_ok());
        assert!(decode(b"\xef\xbb\xbfkind: Secret\ndata:\n  a: YQ==\n").is_ok());
        assert_eq!(
            decode(b"kind: Secret\n\xff\n").unwrap_err(),
            SecretError::NotUtf8 { offset: 13 }
        );
        assert_eq!(
            decode(br#"[{"kind":"Secret"},{"kind":"Secret"}]"#).unwrap_err(),
            SecretError::JsonArray { items: 2 }
        );
    }

    #[test]
    fn errors_serialise_with_their_kind() {
        let json = serde_json::to_value(SecretError::UnsupportedYaml {
            what: "flow style".into(),
            line: 2,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "unsupported-yaml", "what": "flow style", "line": 2})
        );
        let json = serde_json::to_value(SecretError::NotASecret {
            kind: "ConfigMap".into(),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "not-a-secret", "found": "ConfigMap"})
        );
    }

    #[test]
    fn decodes_bare_base64_across_lines_and_rejects_garbage() {
        let secret = decode(b"aGVs\nbG8=\n").unwrap();
        assert_eq!(secret.value(Some("ignored")).unwrap().expose(), b"hello");
        let err = decode(b"not base64!").unwrap_err();
        assert!(
            matches!(err, SecretError::InvalidBase64 { key: None, .. }),
            "{err:?}"
        );
        let err = decode(br#"{"kind":"Secret","data":{"token":"%%%"}}"#).unwrap_err();
        assert!(err.to_string().contains("`token`"), "{err}");
    }

    #[test]
    fn rejects_other_kinds() {
        let err = decode(br#"{"kind":"ConfigMap","data":{}}"#).unwrap_err();
        assert_eq!(
            err,
            SecretError::NotASecret {
                kind: "ConfigMap".into()
            }
        );
        assert_eq!(
            yaml_err("kind: ConfigMap\ndata:\n  a: b\n"),
            SecretError::NotASecret {
                kind: "ConfigMap".into()
            }
        );
    }

    #[test]
    fn an_empty_secret_has_no_value_and_no_panic() {
        let secret = decode(b"kind: Secret\nmetadata:\n  name: e\n").unwrap();
        assert_eq!(
            secret.value(None).unwrap_err(),
            SecretError::NoData {
                name: Some("e".into())
            }
        );
    }
}
