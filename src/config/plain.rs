//! The meaning of a document, without its formatting: what every edit is checked against
//! after re-parsing its own output (toml_edit can print sub-tables under the wrong
//! `[[profile]]`, toml-rs/toml#1083, so an edit is only accepted once its text says what
//! was meant).

use std::collections::BTreeMap;

use toml_edit::{Item, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Plain {
    String(String),
    Integer(i64),
    /// Bits, so that NaN equals itself.
    Float(u64),
    Boolean(bool),
    Datetime(String),
    Array(Vec<Plain>),
    Table(BTreeMap<String, Plain>),
}

pub fn of_item(item: &Item) -> Option<Plain> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(of_value(v)),
        Item::Table(t) => Some(table(t.iter())),
        Item::ArrayOfTables(a) => Some(Plain::Array(a.iter().map(|t| table(t.iter())).collect())),
    }
}

fn of_value(value: &Value) -> Plain {
    match value {
        Value::String(s) => Plain::String(s.value().clone()),
        Value::Integer(i) => Plain::Integer(*i.value()),
        Value::Float(f) => Plain::Float(f.value().to_bits()),
        Value::Boolean(b) => Plain::Boolean(*b.value()),
        Value::Datetime(d) => Plain::Datetime(d.value().to_string()),
        Value::Array(a) => Plain::Array(a.iter().map(of_value).collect()),
        Value::InlineTable(t) => {
            Plain::Table(t.iter().map(|(k, v)| (k.to_owned(), of_value(v))).collect())
        }
    }
}

fn table<'a>(items: impl Iterator<Item = (&'a str, &'a Item)>) -> Plain {
    Plain::Table(items.filter_map(|(k, v)| Some((k.to_owned(), of_item(v)?))).collect())
}
