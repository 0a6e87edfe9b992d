//! Format-preserving edits of profiles. Rules: a replaced value keeps its
//! decor; new keys and tables copy the indentation around them; sub-tables land inside the
//! right `[[profile]]`; every edit is re-parsed and checked before it is accepted; a failed
//! edit leaves the file as it was.

use std::fmt;

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Key, Table, Value};

use super::readback;
use super::schema::{self, KeySpec, Kind, Product};
use super::text::last_line_indent;
use super::ConfigFile;
use crate::diagnostic::{Diagnostic, Hint};

/// What `profile add` creates.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewProfile {
    pub name: String,
    pub product: Product,
    pub host: Option<String>,
    pub port: Option<String>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
    pub token_file: Option<String>,
}

/// Why an edit was refused. Each says what happened, to what, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EditError {
    UnknownProfile {
        name: String,
        suggestion: Option<String>,
        available: Vec<String>,
    },
    ProfileExists {
        name: String,
    },
    InvalidProfileName {
        name: String,
    },
    /// A name or path with a control character ([`crate::names::one_line`]).
    ControlCharacter(crate::names::InvalidName),
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
    RemovedKey {
        key: String,
        version: &'static str,
    },
    NotSettable {
        key: String,
        reason: String,
    },
    /// A key every profile needs (`name`, `product`): never removed.
    NotUnsettable {
        key: String,
        reason: String,
    },
    InvalidValue {
        key: String,
        value: String,
        expected: String,
    },
    KeyNotSet {
        profile: String,
        key: String,
    },
    /// An existing item is in the way, e.g. `tls = "x"` where a table is needed.
    Conflict {
        path: String,
        found: &'static str,
    },
    /// `profile` exists but is not an array of tables.
    NotAProfileArray {
        found: &'static str,
    },
    MissingField {
        /// The product's name (not a `Product`: that changes this enum's layout, and
        /// the code around every edit error grows the browser bundle by 0.4 KB gzipped).
        product: String,
        fields: Vec<&'static str>,
    },
    /// The edit's output did not re-parse to what was meant (a bug: please report it).
    Internal {
        why: String,
    },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::UnknownProfile { name, .. } => write!(f, "no profile named `{name}`"),
            EditError::ProfileExists { name } => {
                write!(f, "a profile named `{name}` already exists")
            }
            EditError::InvalidProfileName { name } => write!(
                f,
                "`{name}` is not a usable profile name: it must be non-empty and contain no control characters"
            ),
            EditError::ControlCharacter(err) => err.fmt(f),
            EditError::UnknownKey { key, .. } => write!(
                f,
                "`{key}` is not a key influxctl knows (influxctl rejects unknown keys)"
            ),
            EditError::RemovedKey { key, version } => write!(
                f,
                "`{key}` was removed in influxctl v{version}, which rejects it"
            ),
            EditError::NotSettable { key, reason } => write!(f, "cannot set `{key}`: {reason}"),
            EditError::NotUnsettable { key, reason } => {
                write!(f, "cannot unset `{key}`: {reason}")
            }
            EditError::InvalidValue { key, value, expected } => {
                write!(f, "invalid value {value:?} for `{key}`: expected {expected}")
            }
            EditError::KeyNotSet { profile, key } => {
                write!(f, "profile `{profile}` has no `{key}` to unset")
            }
            EditError::Conflict { path, found } => write!(
                f,
                "`{path}` is {found} in this profile, but influxctl expects a table there"
            ),
            EditError::NotAProfileArray { found } => write!(
                f,
                "`profile` is {found}, but influxctl expects an array of tables (`[[profile]]`)"
            ),
            EditError::MissingField { product, fields } => {
                write!(f, "a `{product}` profile needs {}", fields.join(" and "))
            }
            EditError::Internal { why } => write!(
                f,
                "internal error: {why}; the file was not changed (please report this with the file's shape)"
            ),
        }
    }
}

impl Diagnostic for EditError {
    fn hints(&self) -> Vec<Hint> {
        let near = |s: &Option<String>| s.clone().map(|name| Hint::DidYouMean { name }).into_iter();
        match self {
            EditError::UnknownProfile {
                name,
                suggestion,
                available,
            } => {
                let choose = if available.is_empty() {
                    Hint::AddProfile { name: name.clone() }
                } else {
                    Hint::Profiles {
                        names: available.clone(),
                    }
                };
                near(suggestion).chain([choose]).collect()
            }
            EditError::ProfileExists { name } => vec![Hint::ChangeProfile { name: name.clone() }],
            EditError::UnknownKey { suggestion, .. } => {
                let keys = schema::settable_paths()
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                near(suggestion).chain([Hint::ValidKeys { keys }]).collect()
            }
            EditError::RemovedKey { key, .. } => vec![Hint::RemoveKey { key: key.clone() }],
            EditError::Conflict { path, .. } => vec![Hint::ClearKey { key: path.clone() }],
            EditError::NotAProfileArray { .. } => vec![Hint::FixByHand],
            EditError::MissingField { fields, .. } => vec![Hint::ProvideFields {
                fields: fields.clone(),
            }],
            EditError::InvalidProfileName { .. }
            | EditError::ControlCharacter(_)
            | EditError::NotSettable { .. }
            | EditError::NotUnsettable { .. }
            | EditError::InvalidValue { .. }
            | EditError::KeyNotSet { .. }
            | EditError::Internal { .. } => Vec::new(),
        }
    }
}

impl std::error::Error for EditError {}

pub(crate) fn internal(why: &str) -> EditError {
    EditError::Internal {
        why: why.to_owned(),
    }
}

impl ConfigFile {
    /// Sets the dotted `key` (e.g. `port`, `tls.insecure`, `auth.token.token_file`) of
    /// profile `profile` to `raw`, typed as influxctl expects.
    pub fn set(&mut self, profile: &str, key: &str, raw: &str) -> Result<(), EditError> {
        let spec = settable(key)?;
        let value = typed_value(key, spec.kind, raw)?;
        let index = self.index_of(profile)?;
        self.edit(Focus::Profile(index), |doc| {
            let element = element_mut(doc, index)?;
            let indent = element.indent();
            let segments: Vec<&str> = key.split('.').collect();
            set_path(element, &segments, value, &indent, "")
        })
    }

    /// Points profile `profile` at a token file: `[profile.auth.token] token_file = PATH`.
    pub fn use_token_file(&mut self, profile: &str, path: &str) -> Result<(), EditError> {
        self.set(profile, "auth.token.token_file", path)
    }

    /// Removes the dotted `key` from profile `profile`, and any table it leaves empty.
    /// Any key can be removed, including those influxctl does not know.
    pub fn unset(&mut self, profile: &str, key: &str) -> Result<(), EditError> {
        let index = self.index_of(profile)?;
        // Without them influxctl rejects the file (lint says so): refused, as `set name` is.
        let reason = match key {
            "name" => Some("every profile has a name; change it with `profile rename OLD NEW`, or remove the profile with `profile remove NAME`"),
            "product" => Some("influxctl needs it; change it with `profile set PROFILE product clustered|dedicated`"),
            _ => None,
        };
        if let Some(reason) = reason {
            return Err(EditError::NotUnsettable {
                key: key.to_owned(),
                reason: reason.to_owned(),
            });
        }
        let segments: Vec<&str> = key.split('.').collect();
        self.edit(Focus::Profile(index), |doc| {
            let removed = match element_mut(doc, index)? {
                Node::Table(t) => remove_path(t, &segments),
                Node::Inline(t) => remove_path(t, &segments),
            };
            if removed {
                Ok(())
            } else {
                Err(EditError::KeyNotSet {
                    profile: profile.to_owned(),
                    key: key.to_owned(),
                })
            }
        })
    }

    pub fn rename(&mut self, old: &str, new: &str) -> Result<(), EditError> {
        let index = self.index_of(old)?;
        if old == new {
            return Ok(());
        }
        self.check_new_name(new)?;
        self.edit(Focus::Profile(index), |doc| {
            let element = element_mut(doc, index)?;
            let indent = element.indent();
            set_path(element, &["name"], Value::from(new), &indent, "")
        })
    }

    pub fn remove(&mut self, name: &str) -> Result<(), EditError> {
        let index = self.index_of(name)?;
        self.edit(Focus::Names, |doc| {
            match doc.get_mut("profile") {
                Some(Item::ArrayOfTables(array)) => {
                    let file_header = remove_element(array, index);
                    if array.is_empty() {
                        // An empty array of tables prints nothing, and nothing re-parses as
                        // no `profile` at all: remove the key, keeping the file's opening
                        // comment block.
                        doc.remove("profile");
                        if let Some(header) = file_header {
                            let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
                            doc.set_trailing(format!("{header}{trailing}"));
                        }
                    }
                }
                Some(Item::Value(Value::Array(array))) => {
                    array.remove(index);
                }
                Some(other) => {
                    return Err(EditError::NotAProfileArray {
                        found: describe(other),
                    })
                }
                None => return Err(internal("the profile vanished during the edit")),
            }
            Ok(())
        })
    }

    /// Appends a new `[[profile]]` in the style of the existing ones.
    pub fn add_profile(&mut self, new: &NewProfile) -> Result<(), EditError> {
        self.check_new_name(&new.name)?;
        let mut values: Vec<(&str, Value)> = vec![("name", Value::from(new.name.as_str()))];
        let fields = [
            ("product", Some(new.product.name())),
            ("host", new.host.as_deref()),
            ("port", new.port.as_deref()),
            ("account_id", new.account_id.as_deref()),
            ("cluster_id", new.cluster_id.as_deref()),
        ];
        for (key, raw) in fields {
            if let Some(raw) = raw {
                values.push((key, typed_value(key, Kind::String, raw)?));
            }
        }
        let missing: Vec<&'static str> = match new.product {
            Product::Dedicated => [
                ("account_id", &new.account_id),
                ("cluster_id", &new.cluster_id),
            ]
            .into_iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k)
            .collect(),
            _ if new.host.is_none() => vec!["host"],
            _ => vec![],
        };
        if !missing.is_empty() {
            return Err(EditError::MissingField {
                product: new.product.name().to_owned(),
                fields: missing,
            });
        }
        if let Some(path) = &new.token_file {
            one_line_path(path)?;
        }
        let token_file = new.token_file.clone();
        self.edit(Focus::Last, move |doc| {
            let doc_is_empty = doc.as_table().is_empty() && doc.trailing().as_str() == Some("");
            // Comments after the last entry print after every table, so a new profile would
            // land above them (above a file's only comments, or inside the commented-out tail
            // of the previous profile): appending means after them, so they become its prefix.
            let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
            let move_trailing = trailing.contains('#');
            let array = match doc
                .entry("profile")
                .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
            {
                Item::ArrayOfTables(array) => array,
                Item::Value(Value::Array(array)) => {
                    let mut table = InlineTable::new();
                    for (key, value) in values {
                        table.insert(key, value);
                    }
                    array.push(table);
                    return Ok(());
                }
                other => {
                    return Err(EditError::NotAProfileArray {
                        found: describe(other),
                    })
                }
            };
            let (header, key_indent) = match array.get(0) {
                Some(first) => {
                    let indent = Node::indent_of_table(first);
                    (format!("\n{}", indent.header), indent.key)
                }
                None if doc_is_empty => (String::new(), "  ".to_owned()),
                None => ("\n".to_owned(), "  ".to_owned()),
            };
            let mut table = Table::new();
            if move_trailing {
                let sep = if trailing.ends_with('\n') { "" } else { "\n" };
                table
                    .decor_mut()
                    .set_prefix(format!("{trailing}{sep}{header}"));
            } else {
                table.decor_mut().set_prefix(header);
            }
            for (key, value) in values {
                table.insert_formatted(&indented_key(key, &key_indent), Item::Value(value));
            }
            array.push(table);
            if let Some(path) = token_file {
                let index = array.len() - 1;
                let element = Node::Table(
                    array
                        .get_mut(index)
                        .ok_or_else(|| internal("the new profile vanished"))?,
                );
                let indent = element.indent();
                set_path(
                    element,
                    &["auth", "token", "token_file"],
                    Value::from(path),
                    &indent,
                    "",
                )?;
            }
            if move_trailing {
                doc.set_trailing("");
            }
            Ok(())
        })
    }

    /// Appends a copy of profile `name` (its keys and sub-tables) named `new_name`.
    pub fn duplicate(&mut self, name: &str, new_name: &str) -> Result<(), EditError> {
        let index = self.index_of(name)?;
        self.check_new_name(new_name)?;
        self.edit(Focus::Last, |doc| {
            let vanished = || internal("the profile vanished during the edit");
            // The copy is printed after every table the file has, sub-tables included.
            let mut next = last_position(doc.as_table()) + 1;
            match doc.get_mut("profile") {
                Some(Item::ArrayOfTables(array)) => {
                    let mut copy = array.get(index).ok_or_else(vanished)?.clone();
                    // The copy starts after the last profile, separated as the first one is
                    // from what precedes it, without the original's leading comments.
                    let header = array
                        .get(0)
                        .map(|first| Node::indent_of_table(first).header)
                        .unwrap_or_default();
                    copy.decor_mut().set_prefix(format!("\n{header}"));
                    renumber_tables(&mut copy, &mut next);
                    array.push(copy);
                    let last = array.len() - 1;
                    let element = Node::Table(array.get_mut(last).ok_or_else(vanished)?);
                    let indent = element.indent();
                    set_path(element, &["name"], Value::from(new_name), &indent, "")?;
                }
                Some(Item::Value(Value::Array(array))) => {
                    let mut copy = array
                        .get(index)
                        .and_then(Value::as_inline_table)
                        .ok_or_else(vanished)?
                        .clone();
                    if let Some(old) = copy.get_mut("name") {
                        let decor = old.decor().clone();
                        *old = Value::from(new_name);
                        *old.decor_mut() = decor;
                    }
                    array.push(copy);
                }
                Some(other) => {
                    return Err(EditError::NotAProfileArray {
                        found: describe(other),
                    })
                }
                None => return Err(vanished()),
            }
            Ok(())
        })
    }

    fn check_new_name(&self, name: &str) -> Result<(), EditError> {
        crate::names::one_line("profile name", name).map_err(EditError::ControlCharacter)?;
        if name.trim().is_empty() {
            return Err(EditError::InvalidProfileName {
                name: name.to_owned(),
            });
        }
        if self.index_of(name).is_ok() {
            return Err(EditError::ProfileExists {
                name: name.to_owned(),
            });
        }
        Ok(())
    }

    /// Runs `change` on the document, then accepts the result only if its text re-parses
    /// to the same meaning (see [`readback::reads_back`]). On any error the document is restored
    /// from the last good text.
    fn edit(
        &mut self,
        focus: Focus,
        change: impl FnOnce(&mut DocumentMut) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        let result = change(&mut self.doc).and_then(|()| self.verified_text(focus));
        match result {
            Ok(text) => {
                self.accept(text);
                Ok(())
            }
            Err(err) => {
                // The last accepted text always parses; should it not, the error says so.
                match self.text.parse() {
                    Ok(doc) => self.doc = doc,
                    Err(_) => {
                        return Err(internal(
                            "the file could not be restored after a failed edit",
                        ))
                    }
                }
                Err(err)
            }
        }
    }

    /// toml_edit ends every key-value line with `\n`; a file that had no final newline
    /// keeps having none, so an edit elsewhere does not change its last byte.
    fn keep_final_newline_style(&self, mut text: String) -> String {
        if !self.text.is_empty() && !self.text.ends_with('\n') && text.ends_with('\n') {
            text.pop();
        }
        text
    }

    fn reads_back(&self, text: &str, profile: Option<usize>) -> bool {
        let verdict = readback::reads_back(&self.doc, text, profile);
        // The browser checks with toml_edit's parser: every test and fuzz run of a debug
        // build proves the two checks agree.
        debug_assert_eq!(
            verdict,
            readback::reads_back_with_toml_edit(&self.doc, text, profile),
            "the read-back checks disagree on:\n{text}"
        );
        verdict
    }

    fn verified_text(&mut self, focus: Focus) -> Result<String, EditError> {
        let profile = match focus {
            Focus::Profile(index) => Some(index),
            Focus::Last => readback::profile_count(&self.doc).checked_sub(1),
            Focus::Names => None,
        };
        let text = self.keep_final_newline_style(self.doc.to_string());
        if self.reads_back(&text, profile) {
            return Ok(text);
        }
        // toml_edit orders tables by their parsed positions, which can print a new
        // sub-table under another profile (toml-rs/toml#1083): renumber in tree order.
        renumber_tables(self.doc.as_table_mut(), &mut 0);
        let text = self.keep_final_newline_style(self.doc.to_string());
        if self.reads_back(&text, profile) {
            Ok(text)
        } else {
            Err(internal("the edited file would not read back as intended"))
        }
    }
}

fn settable(key: &str) -> Result<KeySpec, EditError> {
    let spec = schema::lookup(key).ok_or_else(|| EditError::UnknownKey {
        key: key.to_owned(),
        suggestion: schema::closest_key(key).map(str::to_owned),
    })?;
    if let Some(version) = spec.removed {
        return Err(EditError::RemovedKey {
            key: key.to_owned(),
            version,
        });
    }
    if key == "name" {
        return Err(EditError::NotSettable {
            key: key.to_owned(),
            reason: "a profile's name is changed with `profile rename OLD NEW`".into(),
        });
    }
    if spec.kind == Kind::Table {
        let children = schema::children_of(key);
        return Err(EditError::NotSettable {
            key: key.to_owned(),
            reason: format!(
                "it is a table; set one of its keys instead: {}",
                children
                    .iter()
                    .map(|c| format!("{key}.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(spec)
}

/// A token file path, as every path that writes `token_file` checks it.
fn one_line_path(path: &str) -> Result<(), EditError> {
    crate::names::one_line("token file", path).map_err(EditError::ControlCharacter)
}

/// `raw` as the TOML value influxctl expects for `key`.
fn typed_value(key: &str, kind: Kind, raw: &str) -> Result<Value, EditError> {
    let invalid = |expected: &str| EditError::InvalidValue {
        key: key.to_owned(),
        // An error message must not carry a credential (it ends up in terminals and logs).
        value: if super::secrets::is_secret_key(key.rsplit('.').next().unwrap_or(key)) {
            "<hidden>".to_owned()
        } else {
            raw.to_owned()
        },
        expected: expected.to_owned(),
    };
    match kind {
        Kind::String => {
            if key.ends_with("token_file") {
                one_line_path(raw)?;
            }
            if key == "product" {
                raw.parse::<Product>()?;
            }
            if key == "port" && !raw.parse::<u16>().is_ok_and(|p| p > 0) {
                return Err(invalid(
                    "a port number from 1 to 65535, such as 443 (written as a string)",
                ));
            }
            if raw.chars().any(|c| c.is_control() && c != '\t') {
                return Err(invalid("a single-line string without control characters"));
            }
            Ok(Value::from(raw))
        }
        Kind::Bool => match raw {
            "true" => Ok(Value::from(true)),
            "false" => Ok(Value::from(false)),
            _ => Err(invalid("true or false")),
        },
        Kind::StringArray => {
            let trimmed = raw.trim();
            if trimmed.starts_with('[') {
                match trimmed.parse::<Value>() {
                    Ok(Value::Array(a)) if a.iter().all(Value::is_str) => Ok(Value::Array(a)),
                    _ => Err(invalid(
                        "an array of strings, such as [\"a\", \"b\"], or a comma-separated list",
                    )),
                }
            } else {
                let mut array = Array::new();
                for item in trimmed.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    array.push(item);
                }
                Ok(Value::Array(array))
            }
        }
        Kind::StringTable => {
            let trimmed = raw.trim();
            if trimmed.starts_with('{') {
                match trimmed.parse::<Value>() {
                    Ok(Value::InlineTable(t)) if t.iter().all(|(_, v)| v.is_str()) => {
                        Ok(Value::InlineTable(t))
                    }
                    _ => Err(invalid(
                        "a table of strings, such as { audience = \"x\" }, or key=value pairs",
                    )),
                }
            } else {
                let mut table = InlineTable::new();
                for pair in trimmed.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let (k, v) = pair.split_once('=').ok_or_else(|| {
                        invalid(
                            "a table of strings, such as { audience = \"x\" }, or key=value pairs",
                        )
                    })?;
                    table.insert(k.trim(), Value::from(v.trim()));
                }
                Ok(Value::InlineTable(table))
            }
        }
        Kind::Table => Err(invalid("one of the table's keys")),
    }
}

/// What an edit may have disturbed, and so what its re-parsed output is checked for.
#[derive(Debug, Clone, Copy)]
enum Focus {
    /// The profile at this index (set, unset, rename).
    Profile(usize),
    /// The last profile (add).
    Last,
    /// Only which profiles exist (remove).
    Names,
}

/// A table that can hold keys: a `[header]` or dotted table, or an inline `{ … }` table.
enum Node<'a> {
    Table(&'a mut Table),
    Inline(&'a mut InlineTable),
}

/// The indentation a profile uses, copied into everything an edit adds to it.
#[derive(Debug, Clone)]
struct Indent {
    /// Before the profile's own keys.
    key: String,
    /// Before the header of a sub-table such as `[profile.auth.token]`.
    sub_header: String,
    /// Before the keys of such a sub-table.
    sub_key: String,
    header: String,
}

impl Node<'_> {
    fn indent(&self) -> Indent {
        match self {
            Node::Table(t) => Node::indent_of_table(t),
            Node::Inline(_) => Indent {
                key: String::new(),
                sub_header: String::new(),
                sub_key: String::new(),
                header: String::new(),
            },
        }
    }

    fn indent_of_table(table: &Table) -> Indent {
        let header = last_line_indent(prefix_of(table.decor())).to_owned();
        let key = first_key_indent(table).unwrap_or_else(|| format!("{header}  "));
        let step = key.strip_prefix(header.as_str()).unwrap_or("").to_owned();
        let (sub_header, sub_key) = match first_header_table(table) {
            Some(sub) => {
                let sub_header = last_line_indent(prefix_of(sub.decor())).to_owned();
                let sub_key =
                    first_key_indent(sub).unwrap_or_else(|| format!("{sub_header}{step}"));
                (sub_header, sub_key)
            }
            None => (key.clone(), format!("{key}{step}")),
        };
        Indent {
            key,
            sub_header,
            sub_key,
            header,
        }
    }
}

fn prefix_of(decor: &toml_edit::Decor) -> &str {
    decor.prefix().and_then(|p| p.as_str()).unwrap_or("")
}

/// The indentation of the first key written directly in `table` (dotted keys included).
fn first_key_indent(table: &Table) -> Option<String> {
    let (path, _) = table.get_values().into_iter().next()?;
    path.last()
        .map(|leaf| last_line_indent(prefix_of(leaf.leaf_decor())).to_owned())
}

/// The first sub-table of `table` (at any depth) that is written with its own `[header]`.
fn first_header_table(table: &Table) -> Option<&Table> {
    table.iter().find_map(|(_, item)| match item {
        Item::Table(t) if !t.is_dotted() && !t.is_implicit() => Some(t),
        Item::Table(t) => first_header_table(t),
        _ => None,
    })
}

fn indented_key(name: &str, indent: &str) -> Key {
    let mut key = Key::new(name);
    key.leaf_decor_mut().set_prefix(indent.to_owned());
    key.leaf_decor_mut().set_suffix(" ");
    key
}

fn element_mut(doc: &mut DocumentMut, index: usize) -> Result<Node<'_>, EditError> {
    match doc.get_mut("profile") {
        Some(Item::ArrayOfTables(array)) => array.get_mut(index).map(Node::Table),
        Some(Item::Value(Value::Array(array))) => array
            .get_mut(index)
            .and_then(Value::as_inline_table_mut)
            .map(Node::Inline),
        _ => None,
    }
    .ok_or_else(|| internal("the profile vanished during the edit"))
}

/// Sets `segments` below `node` to `value`, creating the tables on the way in the style of
/// their parent. `kv_indent` is the indentation keys written in `node`'s body take (a dotted
/// table's keys are written in its parent's body).
fn set_path(
    node: Node<'_>,
    segments: &[&str],
    value: Value,
    indent: &Indent,
    parent_path: &str,
) -> Result<(), EditError> {
    let Some((head, rest)) = segments.split_first() else {
        return Err(EditError::UnknownKey {
            key: String::new(),
            suggestion: None,
        });
    };
    let path = if parent_path.is_empty() {
        (*head).to_owned()
    } else {
        format!("{parent_path}.{head}")
    };
    if rest.is_empty() {
        return set_leaf(node, head, value, &indent.key, &path);
    }
    match node {
        Node::Table(table) => {
            let child_is_string_table =
                schema::lookup(&path).is_some_and(|s| s.kind == Kind::StringTable);
            if !table.contains_key(head) {
                let child = if child_is_string_table {
                    Item::Value(Value::InlineTable(InlineTable::new()))
                } else if table.is_dotted() {
                    let mut t = Table::new();
                    t.set_dotted(true);
                    Item::Table(t)
                } else {
                    let mut t = Table::new();
                    // An intermediate table (`auth` of `auth.token`) gets no header of its own.
                    t.set_implicit(true);
                    t.decor_mut().set_prefix(format!("\n{}", indent.sub_header));
                    Item::Table(t)
                };
                table.insert(head, child);
            }
            match table.get_mut(head) {
                Some(Item::Table(child)) => {
                    let child_indent = if child.is_dotted() {
                        indent.clone()
                    } else {
                        let mut inner = indent.clone();
                        inner.key =
                            first_key_indent(child).unwrap_or_else(|| indent.sub_key.clone());
                        inner
                    };
                    set_path(Node::Table(child), rest, value, &child_indent, &path)
                }
                Some(Item::Value(Value::InlineTable(child))) => {
                    set_path(Node::Inline(child), rest, value, indent, &path)
                }
                Some(other) => Err(EditError::Conflict {
                    path,
                    found: describe(other),
                }),
                None => Err(internal("a table vanished during the edit")),
            }
        }
        Node::Inline(table) => {
            if !table.contains_key(head) {
                insert_inline(table, head, Value::InlineTable(InlineTable::new()));
            }
            match table.get_mut(head) {
                Some(Value::InlineTable(child)) => {
                    set_path(Node::Inline(child), rest, value, indent, &path)
                }
                Some(other) => Err(EditError::Conflict {
                    path,
                    found: describe_value(other),
                }),
                None => Err(internal("a table vanished during the edit")),
            }
        }
    }
}

fn set_leaf(
    node: Node<'_>,
    key: &str,
    mut value: Value,
    indent: &str,
    path: &str,
) -> Result<(), EditError> {
    match node {
        Node::Table(table) => match table.get_mut(key) {
            Some(Item::Value(old)) => {
                *value.decor_mut() = old.decor().clone();
                *old = value;
                Ok(())
            }
            Some(Item::None) | None => {
                // A header table that only held sub-tables becomes visible with its first key.
                if table.is_implicit() {
                    table.set_implicit(false);
                }
                table.insert_formatted(&indented_key(key, indent), Item::Value(value));
                Ok(())
            }
            Some(other) => Err(EditError::Conflict {
                path: path.to_owned(),
                found: describe(other),
            }),
        },
        Node::Inline(table) => {
            match table.get_mut(key) {
                Some(old) => {
                    *value.decor_mut() = old.decor().clone();
                    *old = value;
                }
                None => insert_inline(table, key, value),
            }
            Ok(())
        }
    }
}

/// Appends to an inline table, moving the space before `}` from the old last value to the new.
fn insert_inline(table: &mut InlineTable, key: &str, mut value: Value) {
    let closing = table.iter_mut().last().and_then(|(_, last)| {
        let suffix = last
            .decor()
            .suffix()
            .and_then(|s| s.as_str())
            .map(str::to_owned);
        last.decor_mut().set_suffix("");
        suffix
    });
    value.decor_mut().set_prefix(" ");
    value
        .decor_mut()
        .set_suffix(closing.unwrap_or_else(|| " ".to_owned()));
    table.insert(key, value);
}

/// Removes `segments` below `table`; prunes tables the removal leaves empty.
fn remove_path(table: &mut dyn toml_edit::TableLike, segments: &[&str]) -> bool {
    let Some((head, rest)) = segments.split_first() else {
        return false;
    };
    if rest.is_empty() {
        return table.remove(head).is_some();
    }
    let removed = match table.get_mut(head) {
        Some(item) => match item.as_table_like_mut() {
            Some(child) => {
                let removed = remove_path(child, rest);
                removed && child.is_empty()
            }
            None => return false,
        },
        None => return false,
    };
    if removed {
        table.remove(head);
    }
    true
}

/// Removes `[[profile]]` number `index`. A comment block that opens the file (separated
/// from the first profile by a blank line) stays at the top.
/// Returns that block when no profile is left to carry it.
fn remove_element(array: &mut ArrayOfTables, index: usize) -> Option<String> {
    let removed = array.remove(index);
    if index != 0 {
        return None;
    }
    let prefix = prefix_of(removed.decor());
    let split = prefix.rfind("\n\n")?;
    let file_header = &prefix[..split + 1];
    match array.get_mut(0) {
        Some(next) => {
            let rest = prefix_of(next.decor()).trim_start_matches('\n').to_owned();
            next.decor_mut()
                .set_prefix(format!("{file_header}\n{rest}"));
            None
        }
        None => Some(file_header.to_owned()),
    }
}

/// Gives every table a position in tree order, so each sub-table prints under its parent.
/// The highest print position of `table` and the tables below it.
fn last_position(table: &Table) -> isize {
    let own = table.position().unwrap_or(0);
    table.iter().fold(own, |max, (_, item)| match item {
        Item::Table(t) => max.max(last_position(t)),
        Item::ArrayOfTables(a) => a.iter().map(last_position).fold(max, isize::max),
        _ => max,
    })
}

fn renumber_tables(table: &mut Table, next: &mut isize) {
    if !table.is_dotted() {
        table.set_position(Some(*next));
        *next += 1;
    }
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => renumber_tables(t, next),
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    renumber_tables(t, next);
                }
            }
            _ => {}
        }
    }
}

/// Why profiles cannot be found by index in `profile`, if they cannot: it is not an array
/// of tables, or an inline array that also holds other values (whose positions would not
/// be the profiles' positions, so an edit could hit the wrong element).
pub(crate) fn not_a_profile_array(item: Option<&Item>) -> Option<&'static str> {
    match item {
        None | Some(Item::ArrayOfTables(_)) => None,
        Some(Item::Value(Value::Array(a))) if a.iter().all(Value::is_inline_table) => None,
        Some(Item::Value(Value::Array(_))) => Some("an array that holds values other than tables"),
        Some(other) => Some(describe(other)),
    }
}

fn describe(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(v) => describe_value(v),
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "an inline table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_says_what_happened_and_offers_hints_as_data_not_command_lines() {
        let mut config = ConfigFile::parse("[[profile]]\nname = \"default\"\n").unwrap();
        let err = config
            .set("default", "auth.oauth2.client_secret", "s")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`auth.oauth2.client_secret` was removed in influxctl v2.9.8, which rejects it"
        );
        assert_eq!(
            err.hints(),
            [Hint::RemoveKey {
                key: "auth.oauth2.client_secret".into()
            }]
        );
        let err = config.set("defualt", "port", "1").unwrap_err();
        assert_eq!(err.to_string(), "no profile named `defualt`");
        assert_eq!(
            err.hints(),
            [
                Hint::DidYouMean {
                    name: "default".into()
                },
                Hint::Profiles {
                    names: vec!["default".into()]
                }
            ]
        );
        for hint in err.hints() {
            assert!(!hint.text().contains("profile "), "{hint:?}");
        }
    }

    #[test]
    fn duplicate_copies_keys_comments_and_sub_tables_after_the_last_profile() {
        // The comments inside the profile come along; the file's header above it does not.
        let input = "## mine\n[[profile]]\n    ## the main one\n    name = \"a\"\n    host = \"h\" # keep\n\n    [profile.auth.token]\n        token_file = \"/t.json\"\n\n[[profile]]\n    name = \"b\"\n";
        let out = edited(input, |c| c.duplicate("a", "a-copy"));
        assert_eq!(
            out,
            format!("{input}\n[[profile]]\n    ## the main one\n    name = \"a-copy\"\n    host = \"h\" # keep\n\n    [profile.auth.token]\n        token_file = \"/t.json\"\n")
        );
        let mut config = ConfigFile::parse(input).unwrap();
        assert!(matches!(
            config.duplicate("a", "b"),
            Err(EditError::ProfileExists { .. })
        ));
        assert!(matches!(
            config.duplicate("zz", "c"),
            Err(EditError::UnknownProfile { .. })
        ));
        assert_eq!(
            config.render(),
            input,
            "a refused duplicate changes nothing"
        );
    }

    fn edited(
        input: &str,
        change: impl FnOnce(&mut ConfigFile) -> Result<(), EditError>,
    ) -> String {
        let mut config = ConfigFile::parse(input).unwrap();
        change(&mut config).unwrap();
        config.render()
    }

    #[test]
    fn replacing_a_value_keeps_its_comment() {
        let out = edited(
            "[[profile]]\nname = \"a\"\nhost = \"old\"   # keep me\n",
            |c| c.set("a", "host", "new"),
        );
        assert_eq!(
            out,
            "[[profile]]\nname = \"a\"\nhost = \"new\"   # keep me\n"
        );
    }

    #[test]
    fn new_keys_copy_indentation() {
        let out = edited("[[profile]]\n    name = \"a\"\n    host = \"h\"\n", |c| {
            c.set("a", "port", "8086")
        });
        assert_eq!(
            out,
            "[[profile]]\n    name = \"a\"\n    host = \"h\"\n    port = \"8086\"\n"
        );
    }

    #[test]
    fn token_table_lands_in_the_right_profile() {
        let input = "[[profile]]\n  name = \"a\"\n\n  [profile.tls]\n    insecure = true\n\n[[profile]]\n  name = \"b\"\n";
        let out = edited(input, |c| c.use_token_file("a", "/t.json"));
        assert_eq!(
            out,
            "[[profile]]\n  name = \"a\"\n\n  [profile.tls]\n    insecure = true\n\n  [profile.auth.token]\n    token_file = \"/t.json\"\n\n[[profile]]\n  name = \"b\"\n"
        );
    }

    #[test]
    fn added_profile_goes_after_trailing_comments() {
        let new = NewProfile {
            name: "b".into(),
            product: Product::Clustered,
            host: Some("h".into()),
            ..Default::default()
        };
        let out = edited("# only comments\n# here\n", |c| c.add_profile(&new));
        assert_eq!(out, "# only comments\n# here\n\n[[profile]]\n  name = \"b\"\n  product = \"clustered\"\n  host = \"h\"\n");
        let input = "[[profile]]\n  name = \"a\"\n\n  # [profile.tls]\n    # ca = \"\"";
        let out = edited(input, |c| c.add_profile(&new));
        assert_eq!(
            out,
            format!(
                "{input}\n\n[[profile]]\n  name = \"b\"\n  product = \"clustered\"\n  host = \"h\""
            )
        );
    }

    #[test]
    fn removing_the_only_profile_keeps_the_file_header() {
        let out = edited("## my config\n\n[[profile]]\nname = \"a\"\n", |c| {
            c.remove("a")
        });
        assert_eq!(out, "## my config\n");
        let out = edited("[[profile]]\nname = \"a\"", |c| c.remove("a"));
        assert_eq!(out, "");
    }

    #[test]
    fn an_edit_keeps_a_missing_final_newline_missing() {
        let input = "[[profile]]\nname = \"a\"\n\n[[profile]]\nname = \"b\"\nhost = \"x\"";
        let out = edited(input, |c| c.rename("a", "c"));
        assert_eq!(out, input.replace("\"a\"", "\"c\""));
        let out = edited(input, |c| c.set("b", "port", "443"));
        assert_eq!(out, format!("{input}\nport = \"443\""));
    }

    #[test]
    fn failed_edit_changes_nothing() {
        let input = "[[profile]]\nname = \"a\"\ntls = \"oops\"\n";
        let mut config = ConfigFile::parse(input).unwrap();
        let err = config.set("a", "tls.insecure", "true").unwrap_err();
        assert!(matches!(err, EditError::Conflict { .. }), "{err:?}");
        assert_eq!(config.render(), input);
    }
}
