//! One criterion bench per build stage, on a generated site of 1,000 practices.
//!
//! `cargo bench --bench stages` (all), `cargo bench --bench stages -- render` (one stage),
//! `cargo bench --bench stages -- write` (the three publish benches), `-- search` (the search
//! index alone).
//! The site is generated into a temporary folder by `bench/corpus.rs` (seed 1), so every run
//! measures the same input. Each stage is timed alone: its inputs are prepared outside the timing.
//! `ETALAGE_BENCH_PRACTICES` changes the size (default 1000); `ETALAGE_BENCH_DIR` the folder the
//! site is generated in and written to (default `/dev/shm`, tmpfs, when it exists; else the
//! system temp folder), so `write` measures the filesystem named there.

#[path = "../bench/corpus.rs"]
mod corpus;

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

use etalage::load::Sources;
use etalage::{config, model, parse, render, validate, vocab, write};

fn practices() -> usize {
    std::env::var("ETALAGE_BENCH_PRACTICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// Everything a stage needs, built once with the library's own functions (as `compile` does).
struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    sources: Sources,
}

/// A fresh temporary folder on the benchmark filesystem.
fn temp() -> tempfile::TempDir {
    let base = std::env::var_os("ETALAGE_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| Some(Path::new("/dev/shm").to_path_buf()).filter(|p| p.is_dir()))
        .unwrap_or_else(std::env::temp_dir);
    tempfile::Builder::new()
        .prefix("etalage-bench-")
        .tempdir_in(base)
        .expect("temp dir")
}

fn fixture() -> Fixture {
    let dir = temp();
    let root = dir.path().join("site");
    let bundled = corpus::Bundled::read(&corpus::repo_root()).expect("bundled content");
    corpus::generate(&bundled, &root, practices(), 1).expect("generate corpus");
    let sources = etalage::load_site(&root).expect("load");
    Fixture {
        _dir: dir,
        root,
        sources,
    }
}

fn validated(s: &Sources, vocab: &vocab::Vocab, base_path: &str) -> validate::Validated {
    let (content, diags) = parse::parse_content(&s.practices, &s.awards, &s.pages);
    assert!(!diags.iter().any(|d| d.is_error()), "parse errors");
    let (v, diags) = validate::validate(&content, vocab, base_path, validate::Options::default());
    assert!(!diags.iter().any(|d| d.is_error()), "validation errors");
    v
}

fn copy(v: &validate::Validated) -> validate::Validated {
    validate::Validated {
        practices: v.practices.clone(),
        awards: v.awards.clone(),
        pages: v.pages.clone(),
    }
}

fn stages(c: &mut Criterion) {
    let fx = fixture();
    let s = &fx.sources;
    let config = config::parse(&s.config.as_ref().expect("site.toml").text).expect("config");
    let (vocab, _) = vocab::parse(&s.data, "content/data");
    let strings = render::Strings::load_for(&s.strings, config.language).expect("strings");
    let templates =
        render::templates(&s.templates, &s.template_origins, &strings).expect("templates");
    let checked = validated(s, &vocab, &config.base_path);
    let site = model::build(config.clone(), vocab.clone(), copy(&checked));
    let extra = render::Extra::default();
    let out_root = temp();

    let mut g = c.benchmark_group(format!("stages_{}", practices()));
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    g.bench_function("load", |b| {
        b.iter(|| etalage::load_site(&fx.root).expect("load"))
    });
    g.bench_function("parse", |b| {
        b.iter(|| parse::parse_content(&s.practices, &s.awards, &s.pages))
    });
    let (content, _) = parse::parse_content(&s.practices, &s.awards, &s.pages);
    g.bench_function("validate", |b| {
        b.iter(|| {
            validate::validate(
                &content,
                &vocab,
                &config.base_path,
                validate::Options::default(),
            )
        })
    });
    g.bench_function("model", |b| {
        b.iter_batched(
            || (config.clone(), vocab.clone(), copy(&checked)),
            |(c, v, checked)| model::build(c, v, checked),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("render", |b| {
        b.iter(|| render::render(&site, &templates, &strings, &s.assets, &extra).expect("render"))
    });
    // The Pagefind index alone; `compile` builds it beside `render`.
    g.bench_function("search", |b| {
        b.iter(|| etalage::search::index(&site, &strings).expect("search index"))
    });
    publish_benches(&fx, &out_root, &mut g);
    rebuild_bench(&fx, &mut g);
    g.finish();
}

/// What the dev server does after one practice got a sentence more: `prepare_again` and
/// `render_again` with the memo of the previous state (`rebuild_one_change`; the search index,
/// built after the pages, and loading are not included). Alternates between the two states, so
/// every iteration is one change.
fn rebuild_bench(
    fx: &Fixture,
    g: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
) {
    let options = etalage::Options::default();
    let a = fx.sources.clone();
    let mut b = fx.sources.clone();
    let middle = b.practices.len() / 2;
    let file = &mut b.practices[middle];
    file.text.push_str("\nGewijzigd tijdens de meting.\n");
    let mut memo = etalage::Memo::default();
    let mut flip = false;
    g.bench_function("rebuild_one_change", |bench| {
        bench.iter(|| {
            flip = !flip;
            let s = if flip { &a } else { &b };
            let p = etalage::prepare_again(s, &options, &mut memo).expect("prepare");
            let (_, reuse) = etalage::render_again(&p, &s.assets, &mut memo).expect("render");
            reuse
        })
    });
}

/// `write::publish` of the whole compiled site (search index included): into a new folder
/// (`write`), again with nothing changed (`write_unchanged`), and cycling through three
/// versions that differ in one practice's text (`write_one_change`): each publish then brings
/// the other generation from the version before last to the new one, as editing one practice
/// again and again does.
fn publish_benches(
    fx: &Fixture,
    out_root: &tempfile::TempDir,
    g: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
) {
    let options = etalage::Options::default();
    let a = etalage::compile(&fx.sources, &options)
        .expect("compile")
        .output;
    let victim = fx.root.join("content/practices").join(first_practice(fx));
    let original = std::fs::read_to_string(&victim).expect("practice");
    std::fs::write(
        &victim,
        format!("{original}\nGewijzigd tijdens de meting.\n"),
    )
    .expect("edit");
    let changed = etalage::load_site(&fx.root).expect("load");
    let b = etalage::compile(&changed, &options)
        .expect("compile")
        .output;
    std::fs::write(&victim, format!("{original}\nNog een zin.\n")).expect("edit");
    let changed = etalage::load_site(&fx.root).expect("load");
    let c = etalage::compile(&changed, &options)
        .expect("compile")
        .output;
    std::fs::write(&victim, original).expect("restore");

    let dir = out_root.path().join("public");
    let remove = || {
        let _ = std::fs::remove_file(&dir);
        for generation in [".public.etalage-a", ".public.etalage-b"] {
            let _ = std::fs::remove_dir_all(out_root.path().join(generation));
        }
    };
    g.bench_function("write", |bench| {
        bench.iter_batched(
            remove,
            |()| write::publish(&a, &dir).expect("publish"),
            BatchSize::PerIteration,
        )
    });
    write::publish(&a, &dir).expect("publish");
    g.bench_function("write_unchanged", |bench| {
        bench.iter(|| write::publish(&a, &dir).expect("publish"))
    });
    let versions = [&a, &b, &c];
    for v in [&b, &c, &a] {
        let summary = write::publish_summary(v, &dir).expect("publish");
        eprintln!("one practice changed: {summary:?}");
    }
    let mut next = 0;
    g.bench_function("write_one_change", |bench| {
        bench.iter(|| {
            next = (next + 1) % versions.len();
            write::publish(versions[next], &dir).expect("publish")
        })
    });
}

/// The file name of the first practice, in name order (the one `bench/build.sh` edits).
fn first_practice(fx: &Fixture) -> String {
    let mut names: Vec<String> = std::fs::read_dir(fx.root.join("content/practices"))
        .expect("practices")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names.swap_remove(0)
}

criterion_group!(benches, stages);
criterion_main!(benches);
