//! Parse + every edit + lint, on any text.
//!
//! Input: the config text, optionally followed by a NUL byte and an edit script that
//! `arbitrary` reads (which profile, which key, which value, which edit). Without a script
//! (e.g. the documentation fixtures the corpus is seeded with) a fixed set of edits runs.
//!
//! Properties: nothing panics; an accepted edit's output parses and round-trips byte for
//! byte, still lints, and reads back what was set; a refused edit leaves the text as it
//! was; no edit is refused as "internal" (the core's own re-parse check failing).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use influxctl_admin::config::{self, ConfigFile, EditError, NewProfile, Product};
use libfuzzer_sys::fuzz_target;

const KEYS: &[&str] = &[
    "name", "product", "host", "port", "database", "token", "account_id", "cluster_id",
    "mgmt_token", "tls", "tls.insecure", "tls.disable", "tls.cert", "tls.key", "tls.ca", "auth",
    "auth.oauth2", "auth.oauth2.client_id", "auth.oauth2.client_secret", "auth.oauth2.scopes",
    "auth.oauth2.parameters", "auth.oauth2.parameters.audience", "auth.oauth2.token_url",
    "auth.oauth2.device_url", "auth.token", "auth.token.token_file",
];

const VALUES: &[&str] = &[
    "true", "false", "443", "8086", "0", "65536", "abc", "", "h.example.com", "/tokens/token.json",
    "openid,profile", "[\"a\", \"b\"]", "[1]", "audience=x", "{ audience = \"y\" }", "{ a = 1 }",
    "clustered", "dedicated", "é🚀\"\\", "line\nbreak", "tab\there",
];

#[derive(Debug)]
enum Edit {
    Set { profile: String, key: String, value: String },
    Unset { profile: String, key: String },
    Rename { old: String, new: String },
    Remove { profile: String },
    Add(NewProfile),
    UseToken { profile: String, path: String },
}

fn pick<'a>(u: &mut Unstructured<'a>, names: &[String], list: &[&str]) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 if !names.is_empty() => u.choose(names)?.clone(),
        1 if !list.is_empty() => (*u.choose(list)?).to_owned(),
        2 => <&str>::arbitrary(u)?.to_owned(),
        _ => names.first().cloned().unwrap_or_else(|| "default".into()),
    })
}

fn edit(u: &mut Unstructured<'_>, names: &[String]) -> arbitrary::Result<Edit> {
    let profile = pick(u, names, &[])?;
    Ok(match u.int_in_range(0..=5u8)? {
        0 => Edit::Set { profile, key: pick(u, &[], KEYS)?, value: pick(u, &[], VALUES)? },
        1 => Edit::Unset { profile, key: pick(u, &[], KEYS)? },
        2 => Edit::Rename { old: profile, new: pick(u, names, &["new", ""])? },
        3 => Edit::Remove { profile },
        4 => Edit::Add(NewProfile {
            name: pick(u, names, &["new", "default"])?,
            product: if bool::arbitrary(u)? { Product::Clustered } else { Product::Dedicated },
            host: Option::<()>::arbitrary(u)?.map(|_| pick(u, &[], VALUES)).transpose()?,
            port: Option::<()>::arbitrary(u)?.map(|_| pick(u, &[], VALUES)).transpose()?,
            account_id: Option::<()>::arbitrary(u)?.map(|_| pick(u, &[], VALUES)).transpose()?,
            cluster_id: Option::<()>::arbitrary(u)?.map(|_| pick(u, &[], VALUES)).transpose()?,
            token_file: Option::<()>::arbitrary(u)?.map(|_| pick(u, &[], VALUES)).transpose()?,
        }),
        _ => Edit::UseToken { profile, path: pick(u, &[], VALUES)? },
    })
}

/// The edits a script-less input gets: one of each kind on the first profile.
fn default_edits(names: &[String]) -> Vec<Edit> {
    let first = names.first().cloned().unwrap_or_else(|| "default".into());
    vec![
        Edit::UseToken { profile: first.clone(), path: "/tokens/token.json".into() },
        Edit::Set { profile: first.clone(), key: "tls.insecure".into(), value: "true".into() },
        Edit::Set { profile: first.clone(), key: "port".into(), value: "8443".into() },
        Edit::Set { profile: first.clone(), key: "auth.oauth2.scopes".into(), value: "a,b".into() },
        Edit::Unset { profile: first.clone(), key: "host".into() },
        Edit::Rename { old: first.clone(), new: "renamed".into() },
        Edit::Add(NewProfile {
            name: "added".into(),
            product: Product::Clustered,
            host: Some("h".into()),
            token_file: Some("/t.json".into()),
            ..Default::default()
        }),
        Edit::Remove { profile: first },
    ]
}

fn apply(config: &mut ConfigFile, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::Set { profile, key, value } => config.set(profile, key, value),
        Edit::Unset { profile, key } => config.unset(profile, key),
        Edit::Rename { old, new } => config.rename(old, new),
        Edit::Remove { profile } => config.remove(profile),
        Edit::Add(new) => config.add_profile(new),
        Edit::UseToken { profile, path } => config.use_token_file(profile, path),
    }
}

fn look(config: &ConfigFile) {
    for profile in config.profiles() {
        let _ = profile.auth();
        let _ = profile.address();
        if let Some(name) = &profile.name {
            let _ = config.profile_text(name, false);
            let _ = config.profile_text(name, true);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (text, script) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let Ok(text) = std::str::from_utf8(text) else { return };
    let lint = config::lint(text);
    let Ok(mut config) = ConfigFile::parse(text) else {
        assert!(lint.is_err(), "lint accepted what parse refused");
        return;
    };
    assert!(lint.is_ok(), "lint refused what parse accepted");
    assert_eq!(config.render(), text, "round trip without edits");
    look(&config);

    let names = config.profile_names();
    let edits = match script {
        None => default_edits(&names),
        Some(script) => {
            let mut u = Unstructured::new(script);
            let mut edits = Vec::new();
            while edits.len() < 6 && !u.is_empty() {
                let Ok(e) = edit(&mut u, &names) else { break };
                edits.push(e);
            }
            edits
        }
    };
    for edit in &edits {
        let before = config.render();
        match apply(&mut config, edit) {
            Ok(()) => {
                let out = config.render();
                let again = ConfigFile::parse(&out)
                    .unwrap_or_else(|e| panic!("{edit:?} gave text that does not parse: {e}\n{out}"));
                assert_eq!(again.render(), out, "{edit:?}: output does not round-trip");
                config::lint(&out).expect("the output lints");
                if let Edit::Set { profile, key, value } = edit {
                    let p = again.profile(profile).expect("the profile is still there");
                    let got = match key.as_str() {
                        "host" => p.host,
                        "port" => p.port,
                        "database" => p.database,
                        "tls.ca" => p.tls.ca,
                        "auth.token.token_file" => p.token_file,
                        "tls.insecure" => p.tls.insecure.map(|b| b.to_string()),
                        _ => Some(value.clone()),
                    };
                    assert_eq!(got.as_deref(), Some(value.as_str()), "{edit:?} does not read back");
                }
                if let Edit::UseToken { profile, path } = edit {
                    let p = again.profile(profile).expect("the profile is still there");
                    assert_eq!(p.token_file.as_deref(), Some(path.as_str()), "{edit:?} does not read back");
                }
                look(&again);
            }
            Err(EditError::Internal { why }) => {
                panic!("{edit:?} refused as internal ({why}) on:\n{before}")
            }
            Err(_) => assert_eq!(config.render(), before, "{edit:?} failed but changed the text"),
        }
    }
});
