//! Positions and line endings: the small text facts that errors and edits need.

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where byte `offset` of `text` sits, as line and column.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Position { line, column }
}

/// A range of text as editors show it: 1-based lines and columns, the end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The byte offset of every line start, so a position costs a binary search rather than a
/// scan from the top of the file (lint asks for one per key: quadratic otherwise).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        Position {
            line,
            column: self
                .text
                .get(start..offset)
                .map_or(0, |s| s.chars().count())
                + 1,
        }
    }

    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let (from, to) = (self.position(range.start), self.position(range.end));
        Span {
            line: from.line,
            column: from.column,
            end_line: to.line,
            end_column: to.column,
        }
    }
}

/// The text of 1-based line `line`, without its line ending.
pub fn line_text(text: &str, line: usize) -> &str {
    text.split('\n')
        .nth(line.saturating_sub(1))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or("")
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How a file ends its lines. toml_edit always writes `\n`, so a file that
/// consistently uses `\r\n` is edited as `\n` and converted back on output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    /// `CrLf` only when every line break in `text` is `\r\n`; mixed files stay as they are.
    pub fn detect(text: &str) -> Self {
        let breaks = text.matches('\n').count();
        if breaks > 0 && text.matches("\r\n").count() == breaks {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }

    pub fn to_lf(self, text: &str) -> String {
        match self {
            LineEnding::Lf => text.to_owned(),
            LineEnding::CrLf => text.replace("\r\n", "\n"),
        }
    }

    pub fn from_lf(self, text: &str) -> String {
        match self {
            LineEnding::Lf => text.to_owned(),
            LineEnding::CrLf => text.replace('\n', "\r\n"),
        }
    }
}

/// The line break after each line of a file. A file may mix `\r\n` and `\n` (one edited
/// on Windows, then on Linux): the core edits its `\n` form, and every line an edit did
/// not touch gets its own break back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineEnds {
    /// Every break is the same.
    Uniform(LineEnding),
    /// Per `\n` of the `\n` form, in order: whether the file has `\r\n` there.
    Mixed(Vec<bool>),
}

impl LineEnds {
    /// `text` in its `\n` form, and its line ends.
    // Every index is bounds-checked by the loop's own conditions (and fuzzed).
    #[allow(clippy::indexing_slicing)]
    pub fn split(text: &str) -> (String, LineEnds) {
        let bytes = text.as_bytes();
        let crlf: Vec<bool> = memchr_newlines(text)
            .map(|i| i > 0 && bytes[i - 1] == b'\r')
            .collect();
        let ends = match crlf.iter().filter(|c| **c).count() {
            0 => return (text.to_owned(), LineEnds::Uniform(LineEnding::Lf)),
            n if n == crlf.len() => LineEnds::Uniform(LineEnding::CrLf),
            _ => LineEnds::Mixed(crlf),
        };
        (text.replace("\r\n", "\n"), ends)
    }

    /// The break most lines use (what a new line gets when its neighbours disagree).
    pub fn dominant(&self) -> LineEnding {
        match self {
            LineEnds::Uniform(e) => *e,
            LineEnds::Mixed(crlf) if crlf.iter().filter(|c| **c).count() * 2 > crlf.len() => {
                LineEnding::CrLf
            }
            LineEnds::Mixed(_) => LineEnding::Lf,
        }
    }

    /// `piece` of the `\n` form with the file's breaks put back; `first_break` is the number
    /// of `\n` in the text before `piece`.
    pub fn restore(&self, piece: &str, first_break: usize) -> String {
        match self {
            LineEnds::Uniform(e) => e.from_lf(piece),
            LineEnds::Mixed(crlf) => {
                let mut out = String::with_capacity(piece.len() + crlf.len());
                for (n, line) in piece.split('\n').enumerate() {
                    if n > 0 {
                        if crlf.get(first_break + n - 1).copied().unwrap_or(false) {
                            out.push('\r');
                        }
                        out.push('\n');
                    }
                    out.push_str(line);
                }
                out
            }
        }
    }

    /// The line ends of `new`, an edit of `old` (both `\n` forms): lines the edit kept keep
    /// their break; a new line takes the break of the line before it.
    // Every index is bounds-checked by the loops' own conditions (and fuzzed).
    #[allow(clippy::indexing_slicing)]
    pub fn carry(&self, old: &str, new: &str) -> LineEnds {
        let LineEnds::Mixed(crlf) = self else {
            return self.clone();
        };
        let old: Vec<&str> = old.split('\n').collect();
        let new: Vec<&str> = new.split('\n').collect();
        // Breaks: line i (i < len - 1) ends with break i.
        let (old_breaks, new_breaks) = (old.len() - 1, new.len() - 1);
        let mut out: Vec<Option<bool>> = vec![None; new_breaks];
        let mut prefix = 0;
        while prefix < old_breaks && prefix < new_breaks && old[prefix] == new[prefix] {
            out[prefix] = Some(crlf[prefix]);
            prefix += 1;
        }
        let mut suffix = 0;
        while old_breaks - suffix > prefix
            && new_breaks - suffix > prefix
            && old[old_breaks - 1 - suffix] == new[new_breaks - 1 - suffix]
        {
            out[new_breaks - 1 - suffix] = Some(crlf[old_breaks - 1 - suffix]);
            suffix += 1;
        }
        // In between, lines that stayed keep theirs and a changed line keeps the one it
        // replaces (matched in order, looking a bounded way ahead so it stays linear).
        let (old_end, new_end) = (old_breaks - suffix, new_breaks - suffix);
        let mut cursor = prefix;
        for i in prefix..new_end {
            if let Some(j) = (cursor..old_end.min(cursor + 64)).find(|&j| old[j] == new[i]) {
                out[i] = Some(crlf[j]);
                cursor = j + 1;
            } else if cursor < old_end && !new[i + 1..new_end.min(i + 65)].contains(&old[cursor]) {
                out[i] = Some(crlf[cursor]);
                cursor += 1;
            }
        }
        let dominant = self.dominant() == LineEnding::CrLf;
        let mut previous = None;
        let crlf = out
            .into_iter()
            .map(|end| {
                let end = end.or(previous).unwrap_or(dominant);
                previous = Some(end);
                end
            })
            .collect();
        LineEnds::Mixed(crlf)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
}

/// `text` with control characters (ESC, NUL, CR, DEL, …) and Unicode direction overrides
/// written as escapes, so that echoing a file's text cannot drive the terminal.
/// With `keep_lines`, `\n` and `\t` stay as they are (for multi-line messages).
pub fn escape_controls(text: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(keep_lines && (c == '\n' || c == '\t')))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// At most `max` characters of `line` around character `column` (1-based), with `…` where
/// it was cut, control characters escaped; and the caret's column in that excerpt.
// `start <= at.max(start) <= end <= chars.len()` by construction.
#[allow(clippy::indexing_slicing)]
pub fn excerpt(line: &str, column: usize, max: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let start = if chars.len() <= max {
        0
    } else {
        at.saturating_sub(max / 2).min(chars.len() - max)
    };
    let end = (start + max).min(chars.len());
    let before: String = chars[start..at.max(start)].iter().collect();
    let rest: String = chars[at.max(start)..end].iter().collect();
    let lead = if start > 0 { "…" } else { "" };
    let before = format!("{lead}{}", escape_controls(&before, false));
    let caret = before.chars().count() + 1;
    let tail = if end < chars.len() { "…" } else { "" };
    (
        format!("{before}{}{tail}", escape_controls(&rest, false)),
        caret,
    )
}

/// The indentation of the last line of a decor prefix (which may hold comment lines before it).
pub fn last_line_indent(prefix: &str) -> &str {
    let last = prefix.rsplit('\n').next().unwrap_or("");
    let end = last
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(last.len());
    &last[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(position_of(text, 0), Position { line: 1, column: 1 });
        let offset = text.rfind('=').unwrap();
        assert_eq!(position_of(text, offset), Position { line: 2, column: 4 });
    }

    #[test]
    fn line_index_agrees_with_position_of() {
        let text = "a = 1\nbé = 2\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.position(offset),
                position_of(text, offset),
                "offset {offset}"
            );
        }
        let span = index.span(6..9); // "bé": é is two bytes
        assert_eq!(
            (span.line, span.column, span.end_line, span.end_column),
            (2, 1, 2, 3)
        );
    }

    #[test]
    fn crlf_is_detected_only_when_consistent() {
        assert_eq!(LineEnding::detect("a\r\nb\r\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\r\nb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("a"), LineEnding::Lf);
    }

    #[test]
    fn mixed_line_ends_survive_an_edit_of_one_line() {
        let text = "a = 1\r\nb = 2\nc = 3\r\nd = 4";
        let (lf, ends) = LineEnds::split(text);
        assert_eq!(lf, "a = 1\nb = 2\nc = 3\nd = 4");
        assert_eq!(ends.restore(&lf, 0), text);
        let edited = "a = 1\nb = 2\nx = 9\nc = 3\nd = 5";
        let carried = ends.carry(&lf, edited);
        assert_eq!(
            carried.restore(edited, 0),
            "a = 1\r\nb = 2\nx = 9\nc = 3\r\nd = 5"
        );
        assert_eq!(
            LineEnds::split("a\r\nb\r\n").1,
            LineEnds::Uniform(LineEnding::CrLf)
        );
    }

    #[test]
    fn escapes_and_excerpts() {
        assert_eq!(
            escape_controls("a\u{1b}]0;x\u{7}b", false),
            "a\\u{1b}]0;x\\u{7}b"
        );
        assert_eq!(escape_controls("a\nb", true), "a\nb");
        assert_eq!(escape_controls("a\nb", false), "a\\nb");
        let long = "x".repeat(1000);
        let (text, caret) = excerpt(&long, 500, 200);
        assert_eq!(text.chars().count(), 202);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(caret, 102);
        assert_eq!(excerpt("ab\0c", 4, 200), ("ab\\0c".to_owned(), 5));
    }

    #[test]
    fn indent_comes_from_the_last_line_only() {
        assert_eq!(last_line_indent("\n    ## comment\n  "), "  ");
        assert_eq!(last_line_indent("\t"), "\t");
        assert_eq!(last_line_indent(""), "");
    }
}
