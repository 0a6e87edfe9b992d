//! Property tests of the config core: generated configs in many styles
//! (indentation with spaces or tabs, comments, sub-tables as `[headers]`, dotted keys or
//! inline tables, LF or CRLF, with or without a final newline), and random edits.
//!
//! Properties: a round trip is byte-identical; `set` reads back as set; an edit leaves
//! every other profile's text (and the text before the first profile) byte for byte; every
//! output re-parses with toml_edit, and, for a sample, with Python's `tomllib` to the same data.

use std::process::Command as Process;

use influxctl_admin::config::{ConfigFile, NewProfile, Product, Profile};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::{json, Value as Json};

mod prop_cases;
use prop_cases::cases;

// ---------------------------------------------------------------- generated configs

#[derive(Debug, Clone, Copy)]
enum SubStyle {
    /// `[profile.tls]` on its own line.
    Header { indented: bool },
    /// `tls.insecure = true`
    Dotted,
    /// `tls = { insecure = true }`
    Inline,
}

#[derive(Debug, Clone)]
struct GenProfile {
    name: String,
    product: &'static str,
    host: String,
    port: Option<u16>,
    /// `tls.insecure`
    insecure: Option<bool>,
    token_file: Option<String>,
    client_id: Option<String>,
    sub_style: SubStyle,
    /// A comment line before each key (and before sub-table headers).
    comment_lines: bool,
    /// A comment after each value.
    trailing_comments: bool,
}

#[derive(Debug, Clone)]
struct GenConfig {
    profiles: Vec<GenProfile>,
    /// "", "  ", "    " or "\t": before the profile's keys.
    indent: &'static str,
    /// Header indentation of `[[profile]]` itself.
    header_indent: &'static str,
    preamble: bool,
    blank_between: bool,
    crlf: bool,
    final_newline: bool,
}

/// Text that TOML basic strings hold without escapes we would have to reproduce, plus a
/// few that need them (quote, backslash) and non-ASCII.
fn text_value() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ./:_é🚀\"\\\\-]{0,12}"
}

fn simple_value() -> impl Strategy<Value = String> {
    "[a-z0-9./:_-]{1,12}"
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn sub_style() -> impl Strategy<Value = SubStyle> {
    prop_oneof![
        any::<bool>().prop_map(|indented| SubStyle::Header { indented }),
        Just(SubStyle::Dotted),
        Just(SubStyle::Inline),
    ]
}

fn gen_profile() -> impl Strategy<Value = GenProfile> {
    (
        "[a-z][a-z0-9-]{0,6}",
        prop_oneof![Just("clustered"), Just("dedicated")],
        simple_value(),
        proptest::option::of(1u16..=65535),
        proptest::option::of(any::<bool>()),
        proptest::option::of(simple_value().prop_map(|s| format!("/{s}/token.json"))),
        proptest::option::of(text_value()),
        sub_style(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                name,
                product,
                host,
                port,
                insecure,
                token_file,
                client_id,
                sub_style,
                comment_lines,
                trailing_comments,
            )| {
                GenProfile {
                    name,
                    product,
                    host,
                    port,
                    insecure,
                    token_file,
                    client_id,
                    sub_style,
                    comment_lines,
                    trailing_comments,
                }
            },
        )
}

fn gen_config() -> impl Strategy<Value = GenConfig> {
    (
        prop::collection::vec(gen_profile(), 1..5),
        prop_oneof![Just(""), Just("  "), Just("    "), Just("\t")],
        prop_oneof![Just(""), Just(""), Just("  ")],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                mut profiles,
                indent,
                header_indent,
                preamble,
                blank_between,
                crlf,
                final_newline,
            )| {
                // Unique names: the editor refuses nothing here, so duplicates would only blur
                // which profile an edit meant.
                for (i, p) in profiles.iter_mut().enumerate() {
                    p.name = format!("{}{i}", p.name);
                }
                GenConfig {
                    profiles,
                    indent,
                    header_indent,
                    preamble,
                    blank_between,
                    crlf,
                    final_newline,
                }
            },
        )
}

impl GenConfig {
    fn render(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        if self.preamble {
            lines.push("## influxctl - example configuration".into());
            lines.push(String::new());
        }
        for (i, p) in self.profiles.iter().enumerate() {
            if i > 0 && self.blank_between {
                lines.push(String::new());
            }
            let ind = format!("{}{}", self.header_indent, self.indent);
            let trailing = |n: usize| {
                if p.trailing_comments {
                    format!(" # note {n}")
                } else {
                    String::new()
                }
            };
            let key = |lines: &mut Vec<String>, indent: &str, text: String, n: usize| {
                if p.comment_lines {
                    lines.push(format!("{indent}# about line {n}"));
                }
                lines.push(format!("{indent}{text}{}", trailing(n)));
            };
            lines.push(format!("{}[[profile]]{}", self.header_indent, trailing(0)));
            key(&mut lines, &ind, format!("name = {}", quote(&p.name)), 1);
            key(
                &mut lines,
                &ind,
                format!("product = {}", quote(p.product)),
                2,
            );
            key(&mut lines, &ind, format!("host = {}", quote(&p.host)), 3);
            if let Some(port) = p.port {
                key(&mut lines, &ind, format!("port = \"{port}\""), 4);
            }
            let subs: Vec<(&str, &str, String)> = [
                p.insecure.map(|b| ("tls", "insecure", b.to_string())),
                p.token_file
                    .as_ref()
                    .map(|f| ("auth.token", "token_file", quote(f))),
                p.client_id
                    .as_ref()
                    .map(|c| ("auth.oauth2", "client_id", quote(c))),
            ]
            .into_iter()
            .flatten()
            .collect();
            if let SubStyle::Inline = p.sub_style {
                // One inline table per top-level key: `auth = { token = {…}, oauth2 = {…} }`.
                let mut outers: Vec<(&str, Vec<String>)> = Vec::new();
                for (table, leaf, value) in &subs {
                    let (outer, part) = match table.split_once('.') {
                        Some((outer, inner)) => {
                            (outer, format!("{inner} = {{ {leaf} = {value} }}"))
                        }
                        None => (*table, format!("{leaf} = {value}")),
                    };
                    match outers.iter_mut().find(|(o, _)| *o == outer) {
                        Some((_, parts)) => parts.push(part),
                        None => outers.push((outer, vec![part])),
                    }
                }
                for (n, (outer, parts)) in outers.into_iter().enumerate() {
                    key(
                        &mut lines,
                        &ind,
                        format!("{outer} = {{ {} }}", parts.join(", ")),
                        10 + n,
                    );
                }
                continue;
            }
            for (n, (table, leaf, value)) in subs.into_iter().enumerate() {
                let n = 10 + n;
                match p.sub_style {
                    SubStyle::Header { indented } => {
                        let h = if indented {
                            ind.clone()
                        } else {
                            self.header_indent.to_owned()
                        };
                        lines.push(String::new());
                        key(&mut lines, &h, format!("[profile.{table}]"), n);
                        key(
                            &mut lines,
                            &format!(
                                "{h}{}",
                                if self.indent.is_empty() {
                                    "  "
                                } else {
                                    self.indent
                                }
                            ),
                            format!("{leaf} = {value}"),
                            n + 100,
                        );
                    }
                    SubStyle::Dotted => {
                        key(&mut lines, &ind, format!("{table}.{leaf} = {value}"), n)
                    }
                    SubStyle::Inline => unreachable!("written above"),
                }
            }
        }
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(eol);
        if self.final_newline {
            text.push_str(eol);
        }
        text
    }
}

// ---------------------------------------------------------------- edits

#[derive(Debug, Clone)]
enum Edit {
    Set {
        profile: usize,
        key: &'static str,
        value: String,
    },
    Unset {
        profile: usize,
        key: &'static str,
    },
    Rename {
        profile: usize,
        to: String,
    },
    Remove {
        profile: usize,
    },
    Add {
        name: String,
        host: String,
        token_file: Option<String>,
    },
    UseToken {
        profile: usize,
        path: String,
    },
}

const SET_KEYS: &[&str] = &[
    "host",
    "port",
    "database",
    "mgmt_token",
    "tls.insecure",
    "tls.disable",
    "tls.ca",
    "auth.token.token_file",
    "auth.oauth2.client_id",
];

const UNSET_KEYS: &[&str] = &[
    "port",
    "host",
    "tls.insecure",
    "auth.token.token_file",
    "auth.oauth2.client_id",
    "tls",
];

fn value_for(key: &str) -> BoxedStrategy<String> {
    match key {
        "port" => (1u16..=65535).prop_map(|p| p.to_string()).boxed(),
        "tls.insecure" | "tls.disable" => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        _ => text_value().boxed(),
    }
}

fn gen_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0usize..8, prop::sample::select(SET_KEYS)).prop_flat_map(|(profile, key)| {
            value_for(key).prop_map(move |value| Edit::Set { profile, key, value })
        }),
        2 => (0usize..8, prop::sample::select(UNSET_KEYS)).prop_map(|(profile, key)| Edit::Unset { profile, key }),
        1 => (0usize..8, "[a-z]{1,6}").prop_map(|(profile, to)| Edit::Rename { profile, to: format!("renamed-{to}") }),
        1 => (0usize..8).prop_map(|profile| Edit::Remove { profile }),
        1 => ("[a-z]{1,6}", simple_value(), proptest::option::of(simple_value()))
            .prop_map(|(name, host, tf)| Edit::Add { name: format!("new-{name}"), host, token_file: tf.map(|t| format!("/{t}.json")) }),
        2 => (0usize..8, simple_value()).prop_map(|(profile, p)| Edit::UseToken { profile, path: format!("/tokens/{p}.json") }),
    ]
}

/// The value of dotted `key` in the typed view, as the string `set` took.
fn read_back(profile: &Profile, key: &str) -> Option<String> {
    match key {
        "host" => profile.host.clone(),
        "port" => profile.port.clone(),
        "database" => profile.database.clone(),
        "mgmt_token" => profile.mgmt_token.as_ref().map(|t| t.expose().clone()),
        "tls.insecure" => profile.tls.insecure.map(|b| b.to_string()),
        "tls.disable" => profile.tls.disable.map(|b| b.to_string()),
        "tls.ca" => profile.tls.ca.clone(),
        "auth.token.token_file" => profile.token_file.clone(),
        "auth.oauth2.client_id" => profile.oauth2.as_ref().and_then(|o| o.client_id.clone()),
        other => panic!("no reader for {other}"),
    }
}

/// The file cut at each line that opens a `[[profile]]`: the text before the first
/// profile, then one chunk per profile (its header to the line before the next header).
fn chunks(text: &str) -> Vec<&str> {
    let mut cuts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > 0 && line.trim_start().starts_with("[[profile]]") {
            cuts.push(at);
        } else if at == 0 && line.trim_start().starts_with("[[profile]]") {
            cuts.push(0);
        }
        at += line.len();
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

/// Applies `edit`; returns the edited profile's index among the chunks' profiles when the
/// edit changes one profile in place, and the output. Panics on any refusal the edit did
/// not deserve.
fn apply(config: &mut ConfigFile, gen: &GenConfig, edit: &Edit) -> Option<usize> {
    let name = |i: usize| gen.profiles[i % gen.profiles.len()].name.clone();
    match edit {
        Edit::Set {
            profile,
            key,
            value,
        } => {
            let name = name(*profile);
            config
                .set(&name, key, value)
                .unwrap_or_else(|e| panic!("set {name} {key} {value:?}: {e}"));
            let got = config.profile(&name).unwrap();
            assert_eq!(
                read_back(&got, key).as_deref(),
                Some(value.as_str()),
                "{key} of {name} after set"
            );
            Some(profile % gen.profiles.len())
        }
        Edit::Unset { profile, key } => {
            let name = name(*profile);
            let before = config.render();
            match config.unset(&name, key) {
                Ok(()) => {}
                Err(
                    influxctl_admin::config::EditError::KeyNotSet { .. }
                    | influxctl_admin::config::EditError::NotUnsettable { .. },
                ) => {
                    assert_eq!(config.render(), before, "a refused unset changed the text");
                }
                Err(e) => panic!("unset {name} {key}: {e}"),
            }
            Some(profile % gen.profiles.len())
        }
        Edit::Rename { profile, to } => {
            let name = name(*profile);
            config
                .rename(&name, to)
                .unwrap_or_else(|e| panic!("rename {name} {to}: {e}"));
            assert!(config.profile(to).is_ok());
            assert!(config.profile(&name).is_err());
            Some(profile % gen.profiles.len())
        }
        Edit::Remove { profile } => {
            let name = name(*profile);
            config
                .remove(&name)
                .unwrap_or_else(|e| panic!("remove {name}: {e}"));
            assert!(config.profile(&name).is_err());
            assert_eq!(config.profiles().len(), gen.profiles.len() - 1);
            None
        }
        Edit::Add {
            name,
            host,
            token_file,
        } => {
            let new = NewProfile {
                name: name.clone(),
                product: Product::Clustered,
                host: Some(host.clone()),
                token_file: token_file.clone(),
                ..Default::default()
            };
            config
                .add_profile(&new)
                .unwrap_or_else(|e| panic!("add {name}: {e}"));
            let added = config.profile(name).unwrap();
            assert_eq!(added.host.as_deref(), Some(host.as_str()));
            assert_eq!(added.token_file, *token_file);
            assert_eq!(added.index, gen.profiles.len());
            None
        }
        Edit::UseToken { profile, path } => {
            let name = name(*profile);
            config
                .use_token_file(&name, path)
                .unwrap_or_else(|e| panic!("use-token {name}: {e}"));
            assert_eq!(
                config.profile(&name).unwrap().token_file.as_deref(),
                Some(path.as_str())
            );
            Some(profile % gen.profiles.len())
        }
    }
}

/// Runs the edit and checks every property but the Python one; returns the output.
fn check_edit(gen: &GenConfig, edit: &Edit) -> String {
    let input = gen.render();
    let mut config = ConfigFile::parse(&input)
        .unwrap_or_else(|e| panic!("generated config does not parse: {e}\n{input}"));
    let before: Vec<Profile> = config.profiles();
    let edited = apply(&mut config, gen, edit);
    let output = config.render();

    // The output re-parses (toml_edit), round-trips, and keeps the line ending.
    let again = ConfigFile::parse(&output)
        .unwrap_or_else(|e| panic!("output does not parse: {e}\n{output}"));
    assert_eq!(again.render(), output, "the output does not round-trip");
    output
        .parse::<toml_edit::DocumentMut>()
        .expect("toml_edit parses the output");
    if gen.crlf {
        assert_eq!(
            output.matches('\n').count(),
            output.matches("\r\n").count(),
            "a bare LF crept into a CRLF file:\n{output:?}"
        );
    } else {
        assert!(!output.contains('\r'), "a CR crept into an LF file");
    }

    // Re-parsed, every profile but the edited one reads as before.
    let after = again.profiles();
    let old_chunks = chunks(&input);
    let new_chunks = chunks(&output);
    match (edit, edited) {
        (_, Some(i)) => {
            assert_eq!(after.len(), before.len());
            for (j, (a, b)) in before
                .iter()
                .zip(&after)
                .enumerate()
                .filter(|(j, _)| *j != i)
            {
                assert_eq!(
                    format!("{a:?}"),
                    format!("{b:?}"),
                    "profile #{j} changed meaning"
                );
            }
            // Text: the preamble and every other profile's chunk are untouched (an edit
            // writes only inside its own profile's chunk).
            assert_eq!(
                old_chunks.len(),
                new_chunks.len(),
                "profile headers moved:\n{input}\n---\n{output}"
            );
            for (j, (a, b)) in old_chunks.iter().zip(&new_chunks).enumerate() {
                if j != i + 1 {
                    assert_eq!(
                        a, b,
                        "chunk {j} changed by an edit of profile #{i}:\n{input}\n---\n{output}"
                    );
                }
            }
        }
        (Edit::Remove { profile }, None) => {
            let i = profile % gen.profiles.len();
            let mut expected = old_chunks.clone();
            expected.remove(i + 1);
            assert_eq!(new_chunks.len(), expected.len());
            for (j, (a, b)) in expected.iter().zip(&new_chunks).enumerate() {
                if j == i {
                    // The blank lines that separated the removed profile go with it.
                    assert_eq!(
                        a.trim_end(),
                        b.trim_end(),
                        "chunk {j} changed by removing profile #{i}:\n{input}\n---\n{output}"
                    );
                } else {
                    assert_eq!(
                        a, b,
                        "chunk {j} changed by removing profile #{i}:\n{input}\n---\n{output}"
                    );
                }
            }
            let names_after: Vec<_> = after.iter().map(|p| p.name.clone()).collect();
            let mut names_expected: Vec<_> = before.iter().map(|p| p.name.clone()).collect();
            names_expected.remove(i);
            assert_eq!(names_after, names_expected);
        }
        (Edit::Add { .. }, None) => {
            assert!(
                output.starts_with(&input),
                "add changed bytes before the new profile:\n{input}\n---\n{output}"
            );
            for (j, (a, b)) in before.iter().zip(&after).enumerate() {
                assert_eq!(
                    format!("{a:?}"),
                    format!("{b:?}"),
                    "profile #{j} changed meaning"
                );
            }
        }
        _ => unreachable!(),
    }
    output
}

proptest! {
    #![proptest_config(RunnerConfig { cases: cases(256), failure_persistence: None, ..RunnerConfig::default() })]

    #[test]
    fn round_trip_is_byte_identical(gen in gen_config()) {
        let text = gen.render();
        let config = ConfigFile::parse(&text).unwrap();
        prop_assert_eq!(config.render(), text);
        prop_assert_eq!(config.profiles().len(), gen.profiles.len());
        for (p, g) in config.profiles().iter().zip(&gen.profiles) {
            prop_assert_eq!(p.name.as_deref(), Some(g.name.as_str()));
            prop_assert_eq!(p.tls.insecure, g.insecure);
            prop_assert_eq!(&p.token_file, &g.token_file);
            prop_assert_eq!(p.oauth2.as_ref().and_then(|o| o.client_id.clone()), g.client_id.clone());
        }
    }

    #[test]
    fn edits_do_what_they_say_and_nothing_else(gen in gen_config(), edit in gen_edit()) {
        check_edit(&gen, &edit);
    }

    #[test]
    fn edits_compose(gen in gen_config(), edits in prop::collection::vec(gen_edit(), 1..5)) {
        // A chain of edits, as an editor session makes them: each output is the next input.
        let mut text = gen.render();
        for edit in &edits {
            let mut config = ConfigFile::parse(&text).unwrap();
            let names = config.profile_names();
            let pick = |i: usize| names.get(i % names.len().max(1)).cloned();
            let result = match edit {
                Edit::Set { profile, key, value } => pick(*profile).map(|n| config.set(&n, key, value)),
                Edit::Unset { profile, key } => pick(*profile).map(|n| config.unset(&n, key)),
                Edit::Rename { profile, to } => pick(*profile).map(|n| config.rename(&n, to)),
                Edit::Remove { profile } => pick(*profile).map(|n| config.remove(&n)),
                Edit::Add { name, host, token_file } => Some(config.add_profile(&NewProfile {
                    name: name.clone(), product: Product::Clustered, host: Some(host.clone()),
                    token_file: token_file.clone(), ..Default::default()
                })),
                Edit::UseToken { profile, path } => pick(*profile).map(|n| config.use_token_file(&n, path)),
            };
            if let Some(Err(e)) = &result {
                prop_assert!(!matches!(e, influxctl_admin::config::EditError::Internal { .. }), "internal error: {}", e);
            }
            let out = config.render();
            let again = ConfigFile::parse(&out).unwrap();
            prop_assert_eq!(again.render(), out.clone());
            text = out;
        }
    }
}

// ---------------------------------------------------------------- Python's tomllib

/// The document as JSON, by toml_edit: what tomllib must read too.
fn to_json(item: &toml_edit::Item) -> Json {
    use toml_edit::{Item, Value};
    fn value(v: &Value) -> Json {
        match v {
            Value::String(s) => json!(s.value()),
            Value::Integer(i) => json!(i.value()),
            Value::Float(f) => json!(f.value()),
            Value::Boolean(b) => json!(b.value()),
            Value::Datetime(d) => json!(d.value().to_string()),
            Value::Array(a) => Json::Array(a.iter().map(value).collect()),
            Value::InlineTable(t) => {
                Json::Object(t.iter().map(|(k, v)| (k.to_owned(), value(v))).collect())
            }
        }
    }
    match item {
        Item::None => Json::Null,
        Item::Value(v) => value(v),
        Item::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.to_owned(), to_json(v))).collect()),
        Item::ArrayOfTables(a) => {
            Json::Array(a.iter().map(|t| to_json(&Item::Table(t.clone()))).collect())
        }
    }
}

#[test]
fn python_tomllib_reads_a_sample_of_outputs_the_same() {
    const SAMPLE: u32 = 96;
    let mut runner = TestRunner::new(RunnerConfig {
        cases: SAMPLE,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let mut samples = Vec::new();
    for _ in 0..SAMPLE {
        let gen = gen_config().new_tree(&mut runner).unwrap().current();
        let edit = gen_edit().new_tree(&mut runner).unwrap().current();
        let output = check_edit(&gen, &edit);
        let doc: toml_edit::DocumentMut = output.parse().unwrap();
        samples.push(json!({ "text": output, "expected": to_json(doc.as_item()), "edit": format!("{edit:?}") }));
    }
    let script = r#"
import json, sys, tomllib
samples = json.load(sys.stdin)
bad = 0
for s in samples:
    try:
        got = tomllib.loads(s["text"])
    except Exception as e:
        bad += 1; print("tomllib rejects the output of", s["edit"], ":", e, "\n", s["text"]); continue
    if got != s["expected"]:
        bad += 1; print("tomllib reads", got, "\ntoml_edit reads", s["expected"], "\nafter", s["edit"], "\n", s["text"])
print(len(samples) - bad, "of", len(samples), "agree")
sys.exit(1 if bad else 0)
"#;
    let python = std::env::var("PYTHON3").unwrap_or_else(|_| "python3".into());
    let mut child = Process::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("this test needs Python 3.11+ as `{python}` (or $PYTHON3): {e}")
        });
    serde_json::to_writer(child.stdin.take().unwrap(), &samples).unwrap();
    let out = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Python's tomllib disagrees with toml_edit:\n{report}"
    );
    eprintln!("{report}");
}
