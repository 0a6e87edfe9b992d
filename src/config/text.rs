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
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        Position { line, column: self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1 }
    }

    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let (from, to) = (self.position(range.start), self.position(range.end));
        Span { line: from.line, column: from.column, end_line: to.line, end_column: to.column }
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

/// The indentation of the last line of a decor prefix (which may hold comment lines before it).
pub fn last_line_indent(prefix: &str) -> &str {
    let last = prefix.rsplit('\n').next().unwrap_or("");
    let end = last.find(|c: char| c != ' ' && c != '\t').unwrap_or(last.len());
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
            assert_eq!(index.position(offset), position_of(text, offset), "offset {offset}");
        }
        let span = index.span(6..9); // "bé": é is two bytes
        assert_eq!((span.line, span.column, span.end_line, span.end_column), (2, 1, 2, 3));
    }

    #[test]
    fn crlf_is_detected_only_when_consistent() {
        assert_eq!(LineEnding::detect("a\r\nb\r\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\r\nb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("a"), LineEnding::Lf);
    }

    #[test]
    fn indent_comes_from_the_last_line_only() {
        assert_eq!(last_line_indent("\n    ## comment\n  "), "  ");
        assert_eq!(last_line_indent("\t"), "\t");
        assert_eq!(last_line_indent(""), "");
    }
}
