//! A strict JSON reader (RFC 8259) for the two documents the core reads: the Secrets that
//! `kubectl get secret … -o json` prints, and a JWT's header and claims.
//!
//! Own code rather than serde_json's deserialiser, which costs the browser bundle 12 KB
//! gzipped for these two uses (serde_json still writes every JSON the core and the CLI
//! print). It reads what serde_json reads, into the same shapes: an object's members in
//! document order, a repeated key keeping its last value, integers kept exact.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Object),
}

impl Value {
    /// The member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
}

/// A JSON number: an integer when it is one and fits 64 bits, else a float; with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    exact: Exact,
    /// As written, for messages ("1e300 is out of range").
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Exact {
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Number {
    pub fn as_i64(&self) -> Option<i64> {
        match self.exact {
            Exact::Int(n) => Some(n),
            Exact::UInt(n) => i64::try_from(n).ok(),
            Exact::Float(_) => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        Some(match self.exact {
            Exact::Int(n) => n as f64,
            Exact::UInt(n) => n as f64,
            Exact::Float(f) => f,
        })
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// An object's members in the order written; a repeated key keeps its first place and
/// its last value (as serde_json's order-preserving map does).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    fn new(mut members: Vec<(String, Value)>) -> Object {
        // Positions sorted by key (stable: equal keys stay in document order), so that
        // repeats are found in n log n, not n² (a pasted Secret can have any size).
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by(|&a, &b| match (members.get(a), members.get(b)) {
            (Some(a), Some(b)) => a.0.cmp(&b.0),
            _ => std::cmp::Ordering::Equal,
        });
        let mut repeated = vec![false; members.len()];
        let mut leader = None;
        for later in order {
            let key = |at: usize| members.get(at).map(|m| m.0.as_str());
            match leader {
                Some(first) if key(first) == key(later) => {
                    // The first of the run takes the later value; the later member goes.
                    members.swap(first, later);
                    if let Some(flag) = repeated.get_mut(later) {
                        *flag = true;
                    }
                }
                _ => leader = Some(later),
            }
        }
        let mut flags = repeated.into_iter();
        members.retain(|_| !flags.next().unwrap_or(false));
        Object(members)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.exact {
            Exact::Int(n) => serializer.serialize_i64(n),
            Exact::UInt(n) => serializer.serialize_u64(n),
            Exact::Float(f) => serializer.serialize_f64(f),
        }
    }
}

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Why a text is not JSON, and where (1-based line and column, as serde_json counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: &'static str,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for Error {}

/// Parses one JSON document (whitespace around it allowed, nothing else).
pub fn parse(text: &[u8]) -> Result<Value, Error> {
    parse_with(text, false)
}

/// As [`parse`], but a key repeated in an object is an error ("duplicate key"), as the
/// Secret's YAML reader refuses one: which of two `token`s is the token is not a guess.
pub fn parse_unique(text: &[u8]) -> Result<Value, Error> {
    parse_with(text, true)
}

fn parse_with(text: &[u8], unique_keys: bool) -> Result<Value, Error> {
    let mut parser = Parser {
        text,
        at: 0,
        depth: 0,
        unique_keys,
    };
    let value = parser.value()?;
    parser.whitespace();
    match parser.peek() {
        None => Ok(value),
        Some(_) => Err(parser.error("trailing characters")),
    }
}

/// Nesting deeper than this is refused rather than risking the stack (serde_json's limit).
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
    /// A repeated key is an error, not the last value.
    unique_keys: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn error(&self, message: &'static str) -> Error {
        let before = self.text.get(..self.at).unwrap_or(self.text);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .count()
            .max(1);
        Error {
            message,
            line,
            column,
        }
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.whitespace();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => {
                self.at += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(_) => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self
                        .text
                        .get(self.at..)
                        .is_some_and(|rest| rest.starts_with(word.as_bytes()))
                    {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                self.at += 1;
                Err(self.error("expected value"))
            }
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Error>) -> Result<Value, Error> {
        self.at += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// After `{`.
    fn object(&mut self) -> Result<Value, Error> {
        let mut members = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Object::default()));
        }
        loop {
            self.whitespace();
            match self.next() {
                Some(b'"') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            if self.unique_keys && !seen.insert(key.clone()) {
                return Err(self.error("duplicate key"));
            }
            self.whitespace();
            match self.next() {
                Some(b':') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            members.push((key, self.value()?));
            self.whitespace();
            match self.next() {
                Some(b',') => {}
                Some(b'}') => return Ok(Value::Object(Object::new(members))),
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// After `[`.
    fn array(&mut self) -> Result<Value, Error> {
        let mut items = Vec::new();
        self.whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.whitespace();
            match self.next() {
                Some(b',') => {}
                Some(b']') => return Ok(Value::Array(items)),
                None => return Err(self.error("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// After the opening `"`, up to and with the closing one.
    fn string(&mut self) -> Result<String, Error> {
        let mut bytes = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let c = match self.next() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        None => return Err(self.error("EOF while parsing a string")),
                        Some(_) => return Err(self.error("invalid escape")),
                    };
                    bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                Some(0..=0x1f) => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                Some(byte) => bytes.push(byte),
            }
        }
        String::from_utf8(bytes).map_err(|_| self.error("invalid unicode code point"))
    }

    /// After `\u`: one character, from a surrogate pair when it takes two escapes.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.next() != Some(b'\\') || self.next() != Some(b'u') {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .next()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error("invalid escape"))?;
            code = code * 16 + digit;
        }
        Ok(code)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Number, Error> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            // No leading zeros: `0` stands alone.
            Some(b'0') => {
                self.at += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("invalid number")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            integer = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        let text = self
            .text
            .get(start..self.at)
            .and_then(|t| std::str::from_utf8(t).ok())
            .unwrap_or_default()
            .to_owned();
        let exact = match (integer, text.parse::<i64>(), text.parse::<u64>()) {
            // serde_json reads `-0` as the float -0.0
            (true, Ok(0), _) if text.starts_with('-') => Exact::Float(-0.0),
            (true, Ok(n), _) => Exact::Int(n),
            (true, _, Ok(n)) => Exact::UInt(n),
            // Beyond 64 bits, as serde_json does, an integer is read as a float.
            _ => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Exact::Float(f),
                _ => return Err(self.error("number out of range")),
            },
        };
        Ok(Number { exact, text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value {
        parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// Whatever serde_json reads, this reads the same: compared as serde_json values
    /// (equal whatever the order of members; a repeated key keeps its last value).
    #[test]
    fn reads_what_serde_json_reads() {
        let docs = [
            r#"{"apiVersion":"v1","kind":"Secret","data":{"token":"dG9rZW4="},"metadata":{"name":"admin-token","namespace":"influxdb"}}"#,
            "  [1, -2, 3.5, -0.0, -0, 1e3, 2E-2, 0, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]\n",
            r#"{"b": 1, "a": [true, false, null, {}, []], "b": 2, "": "empty key"}"#,
            r#""escapes: \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \u0000""#,
            "\"caf\u{e9} \u{1F600}\"",
            "{\"nested\": [[[[{\"deep\": [\"x\"]}]]]]}",
            "12345678901234567890123",
        ];
        for doc in docs {
            let ours = serde_json::to_value(ok(doc)).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert_eq!(ours, theirs, "{doc}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let bad = [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"a\nb\"",
            "{} {}",
            "[1] x",
            "1e400",
            "NaN",
            "[\"\u{1}\"]",
        ];
        for doc in bad {
            assert!(parse(doc.as_bytes()).is_err(), "{doc:?} parsed");
            assert!(
                serde_json::from_str::<serde_json::Value>(doc).is_err(),
                "{doc:?}: serde_json disagrees"
            );
        }
    }

    #[test]
    fn members_keep_their_order_and_a_repeat_its_last_value() {
        let text = serde_json::to_string(&ok(
            r#"{"b": 1, "a": 2, "b": 3, "c": {"z": 0, "y": 1}, "a": 4, "b": 5}"#,
        ))
        .unwrap();
        assert_eq!(text, r#"{"b":5,"a":4,"c":{"z":0,"y":1}}"#);
    }

    #[test]
    fn a_repeated_key_is_refused_when_keys_must_be_unique() {
        let text = b"{\"data\": {\"token\": \"YQ==\",\n  \"token\": \"Yg==\"}}";
        assert!(parse(text).is_ok());
        assert_eq!(
            parse_unique(text).unwrap_err().to_string(),
            "duplicate key at line 2 column 9"
        );
        assert!(parse_unique(b"{\"a\": {\"k\": 1}, \"b\": {\"k\": 2}}").is_ok());
    }

    #[test]
    fn errors_say_where() {
        let err = parse(b"{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!(err.to_string(), "expected `:` at line 3 column 7");
        assert_eq!(
            parse(b"{\"a\": ").unwrap_err().message,
            "EOF while parsing a value"
        );
        assert_eq!(parse(b"[1] x").unwrap_err().message, "trailing characters");
    }

    #[test]
    fn invalid_utf8_in_a_string_is_an_error() {
        assert!(parse(b"\"\xff\"").is_err());
        assert!(serde_json::from_slice::<serde_json::Value>(b"\"\xff\"").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse(deep.as_bytes()).unwrap_err().message,
            "recursion limit exceeded"
        );
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(fine.as_bytes()).is_ok());
    }

    #[test]
    fn numbers_keep_their_text_and_exact_value() {
        let Value::Number(n) = ok("1e300") else {
            panic!()
        };
        assert_eq!(
            (n.to_string(), n.as_i64(), n.as_f64()),
            ("1e300".into(), None, Some(1e300))
        );
        let Value::Number(n) = ok("-42") else {
            panic!()
        };
        assert_eq!((n.as_i64(), n.as_f64()), (Some(-42), Some(-42.0)));
    }

    #[test]
    fn many_members_sort_in_n_log_n() {
        let members: Vec<String> = (0..50_000).rev().map(|i| format!("\"k{i}\":{i}")).collect();
        let doc = format!("{{{}}}", members.join(","));
        let Value::Object(object) = ok(&doc) else {
            panic!()
        };
        assert_eq!(object.len(), 50_000);
        assert_eq!(
            object.get("k123").and_then(|v| match v {
                Value::Number(n) => n.as_i64(),
                _ => None,
            }),
            Some(123)
        );
    }
}
