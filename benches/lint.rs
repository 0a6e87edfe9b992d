//! Lint in linear time: `config lint`'s core on 250 to 4,000 profiles, against
//! parsing the same file with toml_edit. Budget: at 1,000 profiles within 2x of the parse.
//! `scripts/bench-lint` runs it and prints the ratios.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "config_edit.rs"]
#[allow(dead_code)]
mod config_edit;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("lint");
    for n in [250, 1000, 2000, 4000] {
        let text = config_edit::generate(n);
        assert!(influxctl_admin::config::lint(&text).is_ok());
        group.bench_with_input(BenchmarkId::new("toml_edit_parse", n), &text, |b, text| {
            b.iter(|| black_box(toml_edit::Document::parse(black_box(text.as_str())).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("lint", n), &text, |b, text| {
            b.iter(|| black_box(influxctl_admin::config::lint(black_box(text)).unwrap()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(300)).measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
