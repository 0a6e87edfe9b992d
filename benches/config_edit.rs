//! The profile-edit budget: a `profile set` on configs of 1, 100 and 1,000
//! profiles, against toml_edit's own parse + print of the same file.
//!
//! `cargo bench --bench config_edit` runs it; `scripts/bench` runs it too, adds Python's
//! tomlkit and the CLI's start-to-exit time, and prints the budgets. With
//! `INFLUXCTL_BENCH_WRITE=DIR` the generated configs are also written to
//! `DIR/profiles-N.toml`, so other tools can time the same files.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use influxctl_admin::config::ConfigFile;

pub const SIZES: &[usize] = &[1, 100, 1000];

/// `n` profiles in the style of the documentation's sample config: `##` comment blocks,
/// commented-out keys, four-space indentation, sub-tables, trailing comments.
pub fn generate(n: usize) -> String {
    let mut text = String::from("## influxctl - example configuration\n");
    for i in 0..n {
        let product = if i % 5 == 4 { "dedicated" } else { "clustered" };
        text.push_str(&format!(
            r#"
[[profile]]
    ## Profile name
    ## Users can define multiple profile sections and reference them via the
    ## `--profile {{name}}` global option.
    name = "{name}"

    ## Product type
    ## Choose from "clustered" or "dedicated"
    product = "{product}"

    ## Host and port
    host = "cluster-{i}.example.com" # cluster {i}
    port = "{port}"

    ## Database and token
    # database = ""
    # token = ""
"#,
            name = if i == 0 {
                "default".to_owned()
            } else {
                format!("profile-{i}")
            },
            port = 8000 + i % 1000,
        ));
        if product == "dedicated" {
            text.push_str(&format!(
                "    account_id = \"account-{i}\"\n    cluster_id = \"cluster-{i}\"\n"
            ));
        }
        match i % 3 {
            0 => text.push_str(&format!(
                "\n    [profile.auth.token]\n        token_file = \"/home/user/.config/influxctl/token-{i}.json\"\n"
            )),
            1 => text.push_str(&format!(
                "\n    ## OAuth2 client authorization settings\n    [profile.auth.oauth2]\n        client_id = \"client-{i}\"\n        scopes = [\"openid\"]\n        parameters = {{ audience = \"api://influxdb\" }}\n        token_url = \"https://idp.example.com/oauth2/token\"\n        device_url = \"https://idp.example.com/oauth2/device\"\n"
            )),
            _ => text.push_str(
                "\n    ## Custom client-side TLS certs\n    [profile.tls]\n        insecure = false\n        # cert = \"\"\n",
            ),
        }
    }
    text
}

/// The last profile's name: an edit there walks the whole file.
pub fn last_name(n: usize) -> String {
    if n == 1 {
        "default".to_owned()
    } else {
        format!("profile-{}", n - 1)
    }
}

/// What `profile set NAME port 9443` does between reading and writing the file.
pub fn set_edit(text: &str, name: &str) -> String {
    let mut config = ConfigFile::parse(text).expect("the generated config parses");
    config.set(name, "port", "9443").expect("the edit succeeds");
    config.render()
}

fn bench(c: &mut Criterion) {
    let write_to = std::env::var_os("INFLUXCTL_BENCH_WRITE").map(std::path::PathBuf::from);
    let mut group = c.benchmark_group("config_edit");
    for &n in SIZES {
        let text = generate(n);
        let name = last_name(n);
        if let Some(dir) = &write_to {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("profiles-{n}.toml")), &text).unwrap();
        }
        // Sanity: the edit does what the benchmark claims.
        let edited = set_edit(&text, &name);
        assert_eq!(
            ConfigFile::parse(&edited)
                .unwrap()
                .profile(&name)
                .unwrap()
                .port
                .as_deref(),
            Some("9443")
        );
        assert_eq!(edited.len(), text.len(), "only the port's digits change");

        group.bench_with_input(
            BenchmarkId::new("toml_edit_parse_print", n),
            &text,
            |b, text| {
                b.iter(|| {
                    black_box(
                        black_box(text)
                            .parse::<toml_edit::DocumentMut>()
                            .unwrap()
                            .to_string(),
                    )
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("set_edit", n), &text, |b, text| {
            b.iter(|| black_box(set_edit(black_box(text), &name)))
        });
        // The parts of an edit, to see where its time goes.
        group.bench_with_input(BenchmarkId::new("config_parse", n), &text, |b, text| {
            b.iter(|| black_box(ConfigFile::parse(black_box(text)).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("profiles_view", n), &text, |b, text| {
            let config = ConfigFile::parse(text).unwrap();
            b.iter(|| black_box(config.profiles()))
        });
        group.bench_with_input(BenchmarkId::new("use_token_edit", n), &text, |b, text| {
            b.iter(|| {
                let mut config = ConfigFile::parse(black_box(text)).unwrap();
                config.use_token_file(&name, "/tokens/new.json").unwrap();
                black_box(config.render())
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
