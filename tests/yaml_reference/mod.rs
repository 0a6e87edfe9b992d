//! yaml-rust2, a full YAML 1.2 parser, as the reference for the core's YAML reader
//! (src/yaml.rs): tests/yaml_props.rs and the fuzz target `yaml_read` (fuzz/) both check
//! that whatever ours reads, yaml-rust2 reads alike. Ours reads a subset, so its refusing
//! a text is never a disagreement.

use influxctl_admin::yaml::{self, Node};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// What yaml-rust2 reads: each document's tree in the reader's own terms, or its error.
fn reference(text: &str) -> Result<Vec<Node>, String> {
    let mut stack: Vec<Node> = Vec::new();
    let mut keys: Vec<Option<String>> = Vec::new();
    let mut documents = Vec::new();
    // Spaces after the final line break: yaml-rust2 reads them as one more line of a block
    // scalar, libyaml does not; ours leaves them out, and so they are for yaml-rust2.
    let mut parser = Parser::new_from_str(yaml::without_trailing_spaces(text));
    loop {
        let (event, _) = parser.next_token().map_err(|e| e.to_string())?;
        let node = match event {
            Event::StreamEnd => break,
            Event::Scalar(value, style, _, _) => Node::Scalar {
                text: match style {
                    // yaml-rust2 reads a block scalar without text lines as "\n" where
                    // YAML 1.2 (and libyaml) read "" (spec example 8.6): either matches.
                    TScalarStyle::Literal | TScalarStyle::Folded if value == "\n" => {
                        EMPTY_BLOCK.to_owned()
                    }
                    _ => value,
                },
                plain: style == TScalarStyle::Plain,
            },
            Event::MappingStart(..) => {
                stack.push(Node::Map(Vec::new()));
                keys.push(None);
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push(Node::Seq(Vec::new()));
                keys.push(None);
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                keys.pop();
                stack.pop().ok_or("unbalanced events")?
            }
            Event::Alias(_) => return Err("an alias".into()),
            _ => continue,
        };
        match (stack.last_mut(), keys.last_mut()) {
            (None, _) => documents.push(node),
            (Some(Node::Seq(items)), _) => items.push(node),
            (Some(Node::Map(entries)), Some(key)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => match node {
                    Node::Scalar { text, .. } => *key = Some(text),
                    _ => return Err("a collection as a key".into()),
                },
            },
            _ => return Err("a value outside a collection".into()),
        }
    }
    Ok(documents)
}

/// Stands for yaml-rust2's "\n" of a block scalar without text lines.
const EMPTY_BLOCK: &str = "\u{0}empty block scalar";

/// Equal, taking plain `~`, `null` and nothing as one null (yaml-rust2 writes an empty
/// value as `~`; a key is compared as written), and yaml-rust2's reading of an
/// empty block scalar (above) as "" or "\n".
fn same(ours: &Node, theirs: &Node) -> bool {
    match (ours, theirs) {
        (
            Node::Scalar { text, plain: false },
            Node::Scalar {
                text: t,
                plain: false,
            },
        ) if t == EMPTY_BLOCK => text.is_empty() || text == "\n",
        (Node::Scalar { .. }, Node::Scalar { .. }) if ours.is_null() || theirs.is_null() => {
            ours.is_null() && theirs.is_null()
        }
        (Node::Map(x), Node::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, v), (l, w))| k == l && same(v, w))
        }
        (Node::Seq(x), Node::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => ours == theirs,
    }
}

/// Whatever ours reads, yaml-rust2 reads alike; returns whether ours read it.
pub fn agree(text: &str) -> Result<bool, String> {
    let Ok(ours) = yaml::documents(text) else {
        return Ok(false);
    };
    let Ok(ours) = ours.into_iter().collect::<Result<Vec<_>, _>>() else {
        return Ok(false);
    };
    let theirs =
        reference(text).map_err(|e| format!("ours reads {text:?}, yaml-rust2 refuses it: {e}"))?;
    // Ours leaves out documents with no content (`---` then comments), YAML's null ones.
    let theirs: Vec<Node> = theirs.into_iter().filter(|d| !d.is_null()).collect();
    if ours.len() == theirs.len() && ours.iter().zip(&theirs).all(|(o, t)| same(o, t)) {
        Ok(true)
    } else {
        Err(format!(
            "{text:?}\nours:       {ours:?}\nyaml-rust2: {theirs:?}"
        ))
    }
}
