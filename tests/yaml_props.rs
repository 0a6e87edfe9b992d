//! The core's YAML reader (src/yaml.rs) against yaml-rust2, a full YAML 1.2 parser: on
//! generated documents of the shapes `kubectl get … -o yaml` prints, ours accepts them and
//! reads the same tree; on damaged ones, whatever ours still accepts it reads as yaml-rust2
//! does (ours refuses more: it reads a subset, so a refusal alone is not a failure).

use influxctl_admin::yaml;
use proptest::prelude::*;

mod prop_cases;
use prop_cases::{cases, damaged};
mod yaml_reference;

fn agree(text: &str) -> Result<bool, TestCaseError> {
    yaml_reference::agree(text).map_err(TestCaseError::fail)
}

/// A generated value, with how its scalars are written.
#[derive(Debug, Clone)]
enum Gen {
    /// Words on one line, or over continuation lines (folded into spaces).
    Plain(Vec<String>),
    Single(String),
    /// The text between the quotes, escapes included.
    Double(String),
    /// `|` or `>` with its chomping indicator, and the lines (empty ones kept).
    Block(String, Vec<String>),
    Null,
    Map(Vec<(String, Gen)>),
    Seq(Vec<Gen>),
    EmptyMap,
    EmptySeq,
}

fn scalar() -> impl Strategy<Value = Gen> {
    let word = "[a-zA-Z0-9][a-zA-Z0-9._/=+-]{0,12}|[0-9]{1,6}|true|null|~|é€😀";
    let base64 = "([A-Za-z0-9+/]{4}){0,6}([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
        .prop_filter("not empty", |s: &String| !s.is_empty());
    let block_line = prop_oneof![
        3 => "[a-zA-Z0-9{}\":,#-][a-zA-Z0-9 {}\":,#-]{0,16}",
        1 => Just(String::new()),
        1 => "  [a-z ]{1,8}",
    ];
    prop_oneof![
        prop::collection::vec(word, 1..4).prop_map(Gen::Plain),
        base64.prop_map(|b| Gen::Plain(vec![b])),
        "([a-zA-Z0-9 :#\"{}-]|'')*".prop_map(Gen::Single),
        "([a-zA-Z0-9 :#'{}-]|\\\\[nt\"\\\\/]|\\\\x4[1-9]|\\\\u00e9|\\\\U0001F600)*"
            .prop_map(Gen::Double),
        (
            "[|>][-+]?",
            prop::collection::vec(block_line, 0..5).prop_filter(
                "the first text line sets the indentation",
                |lines| lines
                    .iter()
                    .find(|l| !l.is_empty())
                    .is_none_or(|l| !l.starts_with(' '))
            )
        )
            .prop_map(|(h, lines)| Gen::Block(h, lines)),
        Just(Gen::Null),
        Just(Gen::EmptyMap),
        Just(Gen::EmptySeq),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-zA-Z0-9._/-]{0,12}",
        1 => "f:[a-z]{1,6}",
        1 => "'[a-z :]{0,6}'",
        1 => "\"[a-z :]{0,6}\"",
    ]
}

fn value() -> impl Strategy<Value = Gen> {
    scalar().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(|entries| {
                // Unique keys (a repeated key is refused by ours, by design).
                let mut seen = std::collections::HashSet::new();
                Gen::Map(
                    entries
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.trim_matches(['\'', '"']).to_owned()))
                        .collect(),
                )
            }),
            prop::collection::vec(inner, 1..4).prop_map(Gen::Seq),
        ]
    })
}

/// A document as kubectl prints it: a mapping at the top, sequences at their key's indentation.
fn document() -> impl Strategy<Value = String> {
    (
        value().prop_filter("a mapping", |v| matches!(v, Gen::Map(_))),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(map, marker, crlf, indented_seqs)| {
            let mut out = String::from(if marker { "---\n" } else { "" });
            render_block(&map, 0, indented_seqs, &mut out);
            if crlf {
                out = out.replace('\n', "\r\n");
            }
            out
        })
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar or an empty collection after `key:` or `- ` (its continuation lines at `indent`).
fn render_inline(value: &Gen, indent: usize, out: &mut String) {
    match value {
        Gen::Plain(words) => {
            for (i, word) in words.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    pad(out, indent);
                }
                out.push_str(word);
            }
        }
        Gen::Single(text) => out.push_str(&format!("'{text}'")),
        Gen::Double(text) => out.push_str(&format!("\"{text}\"")),
        Gen::Block(header, lines) => {
            out.push_str(header);
            for line in lines {
                out.push('\n');
                if !line.is_empty() {
                    pad(out, indent);
                    out.push_str(line);
                }
            }
        }
        Gen::Null => {}
        Gen::EmptyMap => out.push_str("{}"),
        Gen::EmptySeq => out.push_str("[]"),
        Gen::Map(_) | Gen::Seq(_) => unreachable!("collections are blocks"),
    }
    out.push('\n');
}

/// A block mapping or sequence whose lines start at `indent`.
fn render_block(value: &Gen, indent: usize, indented_seqs: bool, out: &mut String) {
    match value {
        Gen::Map(entries) => {
            for (key, value) in entries {
                pad(out, indent);
                out.push_str(key);
                out.push(':');
                match value {
                    Gen::Map(_) => {
                        out.push('\n');
                        render_block(value, indent + 2, indented_seqs, out);
                    }
                    Gen::Seq(_) => {
                        out.push('\n');
                        let at = indent + if indented_seqs { 2 } else { 0 };
                        render_block(value, at, indented_seqs, out);
                    }
                    Gen::Null => out.push('\n'),
                    _ => {
                        out.push(' ');
                        render_inline(value, indent + 2, out);
                    }
                }
            }
        }
        Gen::Seq(items) => {
            for item in items {
                pad(out, indent);
                out.push('-');
                match item {
                    // `- key: value`, the other keys lined up under the first
                    Gen::Map(_) => {
                        let mut inner = String::new();
                        render_block(item, indent + 2, indented_seqs, &mut inner);
                        out.push(' ');
                        out.push_str(&inner[indent + 2..]);
                    }
                    Gen::Seq(_) => {
                        out.push('\n');
                        render_block(item, indent + 2, indented_seqs, out);
                    }
                    Gen::Null => out.push('\n'),
                    _ => {
                        out.push(' ');
                        render_inline(item, indent + 2, out);
                    }
                }
            }
        }
        _ => unreachable!("scalars are inline"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn kubectl_shaped_documents_read_as_yaml_rust2_reads_them(doc in document()) {
        let read = yaml::documents(&doc);
        prop_assert!(
            matches!(&read, Ok(d) if d.len() == 1 && d[0].is_ok()),
            "{doc}\nrefused: {read:?}"
        );
        agree(&doc)?;
    }

    /// One byte changed, inserted or cut: ours refuses, or reads what yaml-rust2 reads.
    #[test]
    fn damaged_documents_are_refused_or_read_alike(doc in document(), at in any::<prop::sample::Index>(), byte in prop_oneof![Just(b' '), Just(b'\n'), Just(b'-'), Just(b':'), Just(b'#'), Just(b'\''), Just(b'"'), Just(b'\\'), Just(b'|'), Just(b'>'), Just(b'\t'), Just(b'a')], how in 0..3u8) {
        if let Ok(text) = String::from_utf8(damaged(doc, at, byte, how)) {
            agree(&text)?;
        }
    }
}
