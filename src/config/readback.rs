//! Does an edit's output say what was meant? Every edit re-reads its own text with the
//! independent `toml` parser and compares it with the edited document: toml_edit can print
//! a sub-table under the wrong `[[profile]]` (toml-rs/toml#1083), and a second parser also
//! catches a formatting bug that toml_edit's own parser would share.
//!
//! An edit touches one profile, so the check compares that profile in full, the names of
//! all profiles in order, and everything outside `[[profile]]`: a table printed under the
//! wrong profile is missing from the edited one. Comparing every profile in full would
//! cost as much again as the edit on a large file, for no extra safety. The comparison
//! walks both trees in place (the parser borrows the text), without copying either.

//!
//! In the browser the same check re-reads with toml_edit's own parser instead
//! ([`reads_back_with_toml_edit`]): a second TOML parser would cost the page's bundle a
//! tenth of its budget, and the check is the same one (tested on both parsers below).
//! The edit's output is the same text either way.

#[cfg(not(target_arch = "wasm32"))]
use toml::de::{DeTable, DeValue};
use toml_edit::{DocumentMut, Item, TableLike, Value};

/// Whether `text` reads back as `doc`, for the profile at `profile` (see the module docs).
#[cfg(target_arch = "wasm32")]
pub fn reads_back(doc: &DocumentMut, text: &str, profile: Option<usize>) -> bool {
    reads_back_with_toml_edit(doc, text, profile)
}

/// [`reads_back`], re-reading `text` with toml_edit's own parser.
pub fn reads_back_with_toml_edit(doc: &DocumentMut, text: &str, profile: Option<usize>) -> bool {
    let Ok(parsed) = toml_edit::Document::parse(text) else {
        return false;
    };
    let root = parsed.as_table();
    let ours = super::profile::elements(doc.get("profile"));
    let theirs = super::profile::elements(root.get("profile"));
    ours.len() == theirs.len()
        && ours
            .iter()
            .zip(&theirs)
            .all(|(o, t)| match (o.get("name"), t.get("name")) {
                (Some(a), Some(b)) => same_items(a, b),
                (None, None) => true,
                _ => false,
            })
        && profile.is_none_or(|i| match (ours.get(i), theirs.get(i)) {
            (Some(o), Some(t)) => same_tables(*o, *t, |_| true),
            _ => false,
        })
        && same_tables(doc.as_table(), root, |key| key != "profile")
}

/// Two toml_edit tables hold the same keys that `keep` accepts, value for value.
fn same_tables(ours: &dyn TableLike, theirs: &dyn TableLike, keep: impl Fn(&str) -> bool) -> bool {
    let present = |t: &dyn TableLike| {
        t.iter()
            .filter(|(k, item)| keep(k) && !item.is_none())
            .count()
    };
    present(ours) == present(theirs)
        && ours
            .iter()
            .filter(|(k, item)| keep(k) && !item.is_none())
            .all(|(key, item)| theirs.get(key).is_some_and(|t| same_items(item, t)))
}

fn same_items(ours: &Item, theirs: &Item) -> bool {
    match (ours, theirs) {
        (Item::Value(a), Item::Value(b)) => same_values(a, b),
        (Item::ArrayOfTables(a), Item::ArrayOfTables(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| same_tables(x, y, |_| true))
        }
        _ => match (ours.as_table_like(), theirs.as_table_like()) {
            (Some(a), Some(b)) => same_tables(a, b, |_| true),
            _ => false,
        },
    }
}

fn same_values(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (Value::Integer(a), Value::Integer(b)) => a.value() == b.value(),
        (Value::Float(a), Value::Float(b)) => {
            a.value().to_bits() == b.value().to_bits() || (a.value().is_nan() && b.value().is_nan())
        }
        (Value::Boolean(a), Value::Boolean(b)) => a.value() == b.value(),
        (Value::Datetime(a), Value::Datetime(b)) => a.value() == b.value(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| same_values(x, y))
        }
        (Value::InlineTable(a), Value::InlineTable(b)) => same_tables(a, b, |_| true),
        _ => false,
    }
}

/// Whether `text` reads back as `doc`, for the profile at `profile` (see the module docs).
#[cfg(not(target_arch = "wasm32"))]
pub fn reads_back(doc: &DocumentMut, text: &str, profile: Option<usize>) -> bool {
    let Ok(root) = DeTable::parse(text) else {
        return false;
    };
    let root = root.into_inner();
    let ours = super::profile::elements(doc.get("profile"));
    let theirs: Vec<&DeTable<'_>> = root
        .iter()
        .filter(|(k, _)| k.get_ref() == "profile")
        .flat_map(|(_, v)| match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::Table(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    if ours.len() != theirs.len() {
        return false;
    }
    let names_match = ours.iter().zip(&theirs).all(|(o, t)| {
        let theirs = t
            .iter()
            .find(|(k, _)| k.get_ref() == "name")
            .map(|(_, v)| v.get_ref());
        match (o.get("name"), theirs) {
            (Some(item), Some(value)) => same_item(item, value),
            (None, None) => true,
            _ => false,
        }
    });
    let profile_matches = profile.is_none_or(|i| match (ours.get(i), theirs.get(i)) {
        (Some(o), Some(t)) => same_table(*o, t, |_| true),
        _ => false,
    });
    names_match && profile_matches && same_table(doc.as_table(), &root, |key| key != "profile")
}

#[cfg(not(target_arch = "wasm32"))]
/// The keys of `ours` that `keep` accepts equal those of `theirs`, value for value.
fn same_table(ours: &dyn TableLike, theirs: &DeTable<'_>, keep: impl Fn(&str) -> bool) -> bool {
    let mut count = 0;
    for (key, value) in theirs.iter() {
        let key = key.get_ref().as_ref();
        if !keep(key) {
            continue;
        }
        count += 1;
        match ours.get(key) {
            Some(item) if same_item(item, value.get_ref()) => {}
            _ => return false,
        }
    }
    count
        == ours
            .iter()
            .filter(|(k, item)| keep(k) && !item.is_none())
            .count()
}

#[cfg(not(target_arch = "wasm32"))]
fn same_item(item: &Item, theirs: &DeValue<'_>) -> bool {
    match (item, theirs) {
        (Item::Value(v), _) => same_value(v, theirs),
        (Item::Table(t), DeValue::Table(d)) => same_table(t, d, |_| true),
        (Item::ArrayOfTables(a), DeValue::Array(d)) => {
            a.len() == d.len()
                && a.iter().zip(d.iter()).all(
                    |(t, v)| matches!(v.get_ref(), DeValue::Table(d) if same_table(t, d, |_| true)),
                )
        }
        _ => false,
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn same_value(value: &Value, theirs: &DeValue<'_>) -> bool {
    match (value, theirs) {
        (Value::String(s), DeValue::String(d)) => s.value() == d.as_ref(),
        (Value::Integer(i), DeValue::Integer(d)) => {
            i64::from_str_radix(d.as_str(), d.radix()).ok() == Some(*i.value())
        }
        (Value::Float(f), DeValue::Float(d)) => {
            f.value().to_bits() == float(d.as_str()).to_bits()
                || (f.value().is_nan() && float(d.as_str()).is_nan())
        }
        (Value::Boolean(b), DeValue::Boolean(d)) => b.value() == d,
        (Value::Datetime(t), DeValue::Datetime(d)) => t.value().to_string() == d.to_string(),
        (Value::Array(a), DeValue::Array(d)) => {
            a.len() == d.len()
                && a.iter()
                    .zip(d.iter())
                    .all(|(v, d)| same_value(v, d.get_ref()))
        }
        (Value::InlineTable(t), DeValue::Table(d)) => same_table(t, d, |_| true),
        _ => false,
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// A TOML float's text (`1_000.5`, `inf`, `-nan`) as a number.
fn float(text: &str) -> f64 {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    match clean.trim_start_matches(['+', '-']) {
        "inf" if clean.starts_with('-') => f64::NEG_INFINITY,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => clean.parse().unwrap_or(f64::NAN),
    }
}

/// How many profiles the document has.
pub fn profile_count(doc: &DocumentMut) -> usize {
    super::profile::elements(doc.get("profile")).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_under_the_wrong_profile_does_not_read_back() {
        let mut doc: DocumentMut = "[[profile]]\nname = \"a\"\n[[profile]]\nname = \"b\"\n"
            .parse()
            .unwrap();
        let text = doc.to_string();
        assert!(reads_back(&doc, &text, Some(0)));
        assert!(reads_back_with_toml_edit(&doc, &text, Some(0)));
        let a = doc["profile"]
            .as_array_of_tables_mut()
            .unwrap()
            .get_mut(0)
            .unwrap();
        a.insert("tls", toml_edit::table());
        a["tls"]["insecure"] = toml_edit::value(true);
        // The text of the document before the edit lacks `tls` in profile `a`.
        assert!(!reads_back(&doc, &text, Some(0)));
        assert!(!reads_back_with_toml_edit(&doc, &text, Some(0)));
        assert!(reads_back(&doc, &doc.to_string(), Some(0)));
        assert!(reads_back_with_toml_edit(&doc, &doc.to_string(), Some(0)));
    }

    #[test]
    fn values_compare_by_meaning() {
        let doc: DocumentMut =
            "x = 0x10\ny = 1_000.5\nz = [\"a\", { b = true }]\nd = 1979-05-27T07:32:00Z\n"
                .parse()
                .unwrap();
        for check in [reads_back, reads_back_with_toml_edit] {
            assert!(check(
                &doc,
                "x = 16\ny = 1000.5\nz = [ 'a', { b = true } ]\nd = 1979-05-27T07:32:00Z",
                None
            ));
            assert!(!check(
                &doc,
                "x = 17\ny = 1000.5\nz = [\"a\", { b = true }]\nd = 1979-05-27T07:32:00Z",
                None
            ));
            assert!(!check(
                &doc,
                "x = 16\ny = 1000.5\nz = [\"a\", { b = false }]\nd = 1979-05-27T07:32:00Z",
                None
            ));
            assert!(!check(
                &doc,
                "x = 16\ny = 1000.5\nz = [\"a\", { b = true }]\nd = 1979-05-27T07:32:00Z\ne = 1",
                None
            ));
        }
    }
}
