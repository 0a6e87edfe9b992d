//! A strict, small reader of the YAML that `kubectl get … -o yaml` prints: block mappings
//! and sequences, plain and quoted scalars, `|`/`>` block scalars, the empty `{}`/`[]`.
//! Anything else (flow collections, tabs for indentation, anchors, aliases, tags,
//! directives) is refused with the line it is on, never guessed at. A full YAML parser
//! would not fit the browser editor's size budget.
//!
//! What it accepts it reads as YAML 1.2 does (`tests/yaml_props.rs` compares it with a
//! full parser); scalars keep their text and whether they were plain, since the readers
//! above it (`secret.rs`) want strings, not YAML's resolved types.

use std::fmt;

/// Why a text is not YAML of the accepted subset, and the (1-based) line it is on.
/// Never quotes the text: it may be a secret's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub what: String,
    pub line: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {}", self.what, self.line)
    }
}

impl std::error::Error for Error {}

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `plain`: written without quotes, so that nothing, `~` and `null` mean null.
    Scalar {
        text: String,
        plain: bool,
    },
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
}

impl Node {
    /// A plain empty, `~` or `null` scalar (YAML 1.2's core schema).
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The text of a non-null scalar.
    pub fn text(&self) -> Option<&str> {
        match self {
            Node::Scalar { text, .. } if !self.is_null() => Some(text),
            _ => None,
        }
    }

    /// The value of `key` in a mapping (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// What the node is, for messages that must not show it.
    pub fn describe(&self) -> &'static str {
        match self {
            Node::Scalar { .. } if self.is_null() => "null",
            Node::Scalar { .. } => "a scalar",
            Node::Map(_) => "a mapping",
            Node::Seq(_) => "a sequence",
        }
    }
}

fn unsupported(what: impl Into<String>, line: usize) -> Error {
    Error {
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
fn check_indicator(text: &str, no: usize) -> Result<(), Error> {
    let what = match text.chars().next() {
        Some('{' | '[' | '}' | ']' | ',') => "flow style (`{…}` or `[…]`)",
        // (a value's `|` or `>` is a block scalar, read before this check)
        Some('|' | '>') => "a block scalar indicator (`|` or `>`) where a key was expected",
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
fn scan_quoted(seg: &str, quote: char, out: &mut String, no: usize) -> Result<Scan, Error> {
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
                        // (from_str_radix alone would take a sign: `\u+0e9`)
                        .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
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
    fn peek(&mut self) -> Result<Option<Line<'a>>, Error> {
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

    fn document(&mut self) -> Result<Node, Error> {
        let Some(first) = self.peek()? else {
            return Err(unsupported("an empty document", 1));
        };
        let node = self.block(first)?;
        match self.peek()? {
            None => Ok(node),
            Some(line) => Err(unsupported(
                "text outside the document's structure (check its indentation)",
                line.no,
            )),
        }
    }

    /// The block collection that starts at `line`.
    fn block(&mut self, line: Line<'a>) -> Result<Node, Error> {
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

    fn map(&mut self, indent: usize) -> Result<Node, Error> {
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

    fn seq(&mut self, indent: usize) -> Result<Node, Error> {
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
    ) -> Result<Node, Error> {
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
    fn inline(&mut self, rest: &'a str, parent: usize, no: usize) -> Result<Node, Error> {
        match rest.chars().next() {
            Some('|' | '>') => self.block_scalar(rest, parent, no),
            Some(quote @ ('"' | '\'')) => {
                let (text, after) = self.quoted(&rest[1..], quote, parent, no)?;
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
    fn plain(&mut self, first: &str, parent: usize, no: usize) -> Result<Node, Error> {
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

    /// A quoted scalar from just after its opening quote, over as many lines as it takes
    /// (each indented more than `parent`, the key's or the item's, as YAML requires);
    /// returns its value and what follows the closing quote on its last line.
    fn quoted(
        &mut self,
        start: &'a str,
        quote: char,
        parent: usize,
        no: usize,
    ) -> Result<(String, &'a str), Error> {
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
                if line.indent <= parent && line.text.starts_with('\t') {
                    return Err(unsupported(
                        "a tab in the indentation (YAML indents with spaces only)",
                        line.no,
                    ));
                }
                if t.trim_end_matches([' ', '\t']).is_empty() {
                    breaks += 1;
                    continue;
                }
                if line.indent <= parent {
                    return Err(unsupported(
                        "a quoted string's line not indented more than its key",
                        line.no,
                    ));
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
    fn block_scalar(&mut self, header: &str, parent: usize, no: usize) -> Result<Node, Error> {
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
        // the most spaces of the empty lines before the first text line, which sets the
        // indentation: YAML refuses more there than the text has
        let mut leading = 0;
        while let Some(line) = self.lines.get(self.pos).copied() {
            let raw = line.raw;
            let spaces = raw.len() - raw.trim_start_matches(' ').len();
            if raw[spaces..].starts_with('\t') && indent.is_none_or(|i| spaces < i) {
                return Err(unsupported(
                    "a tab in the indentation (YAML indents with spaces only)",
                    line.no,
                ));
            }
            if raw.trim_start_matches([' ', '\t']).is_empty() {
                if indent.is_none() {
                    leading = leading.max(spaces);
                }
                lines.push(indent.and_then(|i| raw.get(i..)).unwrap_or(""));
                self.pos += 1;
                continue;
            }
            if spaces <= parent {
                break;
            }
            if indent.is_some_and(|i| spaces < i) {
                // even a comment: libyaml reads one there, yaml-rust2 refuses it
                return Err(unsupported(
                    "a line indented less than the block scalar's text but more than its key",
                    line.no,
                ));
            }
            if indent.is_none() && leading > spaces {
                return Err(unsupported(
                    "an empty line indented more than the block scalar's first text line",
                    line.no,
                ));
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
fn split_key(text: &str, no: usize) -> Result<(String, &str), Error> {
    let (key, rest) = split_at_colon(text, no)?;
    // what stands before the `:`, as written (a suffix of `text` follows it)
    let written = text.get(..text.len() - rest.len() - 1).unwrap_or(text);
    if written.chars().count() > 1024 {
        return Err(unsupported(
            "a key longer than 1024 characters (YAML's limit for a `key:` on one line)",
            no,
        ));
    }
    if rest.starts_with('\t') {
        // valid YAML 1.2, but refused by libyaml and yaml-rust2 alike; kubectl never writes it
        return Err(unsupported("a tab after `:` (separate with a space)", no));
    }
    Ok((key, rest))
}

fn split_at_colon(text: &str, no: usize) -> Result<(String, &str), Error> {
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

/// YAML's printable characters (`c-printable`), less the line breaks read before.
fn printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// The input less spaces after its final line break, which have no line break of their
/// own (parsers differ on whether they make one more line of a block scalar; kubectl never
/// writes them).
pub fn without_trailing_spaces(text: &str) -> &str {
    match text.rfind('\n') {
        Some(at) if text[at + 1..].trim_start_matches(' ').is_empty() => &text[..=at],
        _ => text,
    }
}

/// The documents of a YAML stream (split at `---` and `...`), each read on its own so that
/// a caller can count what the readable ones are; documents holding only comments or
/// blank lines are left out. A directive or text on a `---` or `...` line fails the whole stream.
pub fn documents(text: &str) -> Result<Vec<Result<Node, Error>>, Error> {
    let mut documents: Vec<Vec<Line>> = vec![Vec::new()];
    let text = without_trailing_spaces(text);
    // A final line break ends the last line; it does not start an empty one (which a `|+`
    // block scalar would keep).
    let text = text.strip_suffix('\n').unwrap_or(text);
    for (i, raw) in text.split('\n').enumerate() {
        let no = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.contains('\r') {
            // a line break to YAML, which kubectl would have escaped
            return Err(unsupported("a carriage return inside a line", no));
        }
        if let Some(c) = raw.chars().find(|&c| !printable(c)) {
            return Err(unsupported(
                format!(
                    "the control character U+{:04X} (YAML allows it escaped only)",
                    c as u32
                ),
                no,
            ));
        }
        let marker = |m: &str| {
            raw.strip_prefix(m)
                .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
        };
        if let Some(after) = marker("---").or_else(|| marker("...")) {
            if !is_end(after) {
                return Err(unsupported("content on a `---` or `...` line", no));
            }
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
    Ok(documents
        .into_iter()
        .filter(|d| d.iter().any(|l| !l.is_blank()))
        .map(|d| Parser::new(d).document())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Node, Error> {
        let mut documents = documents(text)?;
        assert_eq!(documents.len(), 1, "{text:?}");
        documents.remove(0)
    }

    fn scalar(text: &str) -> Node {
        Node::Scalar {
            text: text.into(),
            plain: false,
        }
    }

    /// Found by tests/yaml_props.rs: the line break ending a file was read as one more
    /// empty line, which `|+` keeps.
    #[test]
    fn the_final_line_break_is_not_an_empty_line_of_a_keep_block_scalar() {
        for (text, want) in [
            ("a: |+\n  0\n", "0\n"),
            ("a: |+\r\n  0\r\n", "0\n"),
            ("a: |+\n  0\n\n", "0\n\n"),
            ("a: |+\n  0", "0\n"),
            ("a: |+\n", ""),
            ("a: |+\n  kept\n\n  ", "kept\n\n"),
            ("a: |+\n  kept\n\n    ", "kept\n\n"),
            ("a: |\n kept\n\n ", "kept\n"),
            ("a: |+\n\n", "\n"),
            ("a: |\n", ""),
        ] {
            assert_eq!(
                one(text),
                Ok(Node::Map(vec![("a".into(), scalar(want))])),
                "{text:?}"
            );
        }
    }

    /// Found by tests/yaml_props.rs: a quoted string went on at any indentation.
    #[test]
    fn a_quoted_strings_lines_are_indented_more_than_its_key() {
        assert_eq!(
            one("a:\n  - \"x\n   y\"\n"),
            Ok(Node::Map(vec![(
                "a".into(),
                Node::Seq(vec![scalar("x y")])
            )]))
        );
        for (text, line) in [
            ("a:\n  - \"x\n  y\"\n", 3),
            ("a: 'x\n\n'\n", 3),
            (" a: \"x\n y\"\n", 2),
            // spaces indent; a tab is no indentation
            ("a: \"x\n\t  y\"\n", 2),
            ("a: \"x\n\t\n  y\"\n", 2),
        ] {
            assert_eq!(one(text).map_err(|e| e.line), Err(line), "{text:?}");
        }
    }

    /// Found by tests/yaml_props.rs: a lone CR, a line break to YAML, was read as text.
    #[test]
    fn a_carriage_return_inside_a_line_is_refused() {
        assert_eq!(one("a: x\r\nb: y\r\n").map(|_| ()), Ok(()));
        for text in ["a:\r  b: x\n", "a: \"x\ry\"\n", "a: |\n  x\ry\n"] {
            assert!(documents(text).is_err(), "{text:?}");
        }
    }

    /// Found by tests/yaml_props.rs: libyaml and yaml-rust2 refuse `key:<tab>value`.
    #[test]
    fn a_tab_after_a_keys_colon_is_refused() {
        for text in ["a:\tb\n", "'a':\tb\n", "x:\n- a:\tb\n"] {
            assert!(one(text).is_err(), "{text:?}");
        }
    }

    /// Found by tests/yaml_props.rs: a tab before a block scalar's indentation was read as
    /// an empty line; after it, a tab is text.
    #[test]
    fn a_tab_in_a_block_scalars_indentation_is_refused() {
        assert_eq!(one("a: |+\n\t").map_err(|e| e.line), Err(2));
        assert_eq!(one("a: |\n  x\n \ty\n").map_err(|e| e.line), Err(3));
        assert_eq!(
            one("a: |\n  x\n  \ty\n"),
            Ok(Node::Map(vec![("a".into(), scalar("x\n\ty\n"))]))
        );
    }

    /// Found by the fuzz target yaml_read: a block scalar's leading empty lines may not be
    /// indented more than its first text line, which sets the indentation.
    #[test]
    fn leading_empty_lines_are_not_indented_more_than_the_text() {
        assert_eq!(one("a: |+\n  \n k\n").map_err(|e| e.line), Err(3));
        assert_eq!(
            one("a: |\n \n  k\n"),
            Ok(Node::Map(vec![("a".into(), scalar("\nk\n"))]))
        );
    }

    /// Found by the fuzz target yaml_read: a comment between a block scalar's indentation
    /// and its key's ended the scalar (libyaml agrees, yaml-rust2 refuses it).
    #[test]
    fn a_line_between_a_block_scalars_indentation_and_its_keys_is_refused() {
        for text in [
            "a: |4\n   # c\n",
            "a: |\n    x\n   # c\n",
            "a: |\n    x\n   y\n",
        ] {
            assert_eq!(
                one(text).map_err(|e| e.line),
                Err(text.lines().count()),
                "{text:?}"
            );
        }
        assert!(one("a: |\n    x\n# c\nb: y\n").is_ok());
    }

    /// Found by the fuzz target yaml_read: `\u+0e9` was read as `\u00e9`.
    #[test]
    fn an_escapes_digits_are_hexadecimal_digits_only() {
        assert_eq!(
            one("a: \"\\u00e9\\x41\"\n"),
            Ok(Node::Map(vec![("a".into(), scalar("éA"))]))
        );
        for text in ["a: \"\\u+0e9\"\n", "a: \"\\x+1\"\n", "a: \"\\U-0000041\"\n"] {
            assert_eq!(one(text).map_err(|e| e.line), Err(1), "{text:?}");
        }
    }

    /// Found by the fuzz target yaml_read: YAML limits a `key:` to 1024 characters.
    #[test]
    fn a_key_longer_than_1024_characters_is_refused() {
        let key = "é".repeat(1024);
        assert!(one(&format!("{key}: x\n")).is_ok());
        assert!(one(&format!("'{}': x\n", "é".repeat(1022))).is_ok());
        for text in [format!("{key}a: x\n"), format!("'{key}': x\n")] {
            assert_eq!(one(&text).map_err(|e| e.line), Err(1));
        }
    }

    /// Found by the fuzz target yaml_read: text after `...` was ignored.
    #[test]
    fn only_a_comment_follows_a_document_marker() {
        assert!(documents("a: b\n... # end\n").is_ok());
        for text in ["a: b\n... c\n", "--- c\n"] {
            assert_eq!(
                documents(text).map_err(|e| e.line),
                Err(text.lines().count()),
                "{text:?}"
            );
        }
    }

    /// Found by the fuzz target yaml_read: control characters were read as text.
    #[test]
    fn control_characters_are_refused_and_escapes_of_them_read() {
        for text in [
            "a: |\n  x\u{1}\n",
            "a: \"\0\"\n",
            "a\u{7f}: b\n",
            "a: \u{9f}\n",
        ] {
            assert_eq!(
                one(text).map_err(|e| e.line),
                Err(if text.starts_with("a: |") { 2 } else { 1 }),
                "{text:?}"
            );
        }
        assert_eq!(
            one("a: \"\\x01\\0\"\n"),
            Ok(Node::Map(vec![("a".into(), scalar("\u{1}\0"))]))
        );
        assert!(one("a: \u{85}\u{a0}é😀\tb\n").is_ok());
    }

    /// Found by tests/yaml_props.rs: `|: x` was read as the key `|`; YAML reserves these
    /// indicators at the start of a plain scalar.
    #[test]
    fn indicators_do_not_start_a_plain_key() {
        for text in ["|: a\n", ">: a\n", "}: a\n", "]: a\n", ",: a\n"] {
            let err = one(text).expect_err(text);
            assert_eq!(err.line, 1, "{text:?}: {err}");
        }
    }
}
