//! Wall and CPU time of each stage of one build, as `etalage build` runs them, to see which
//! stage a target is missed in and how much of it runs on one core.
//!
//! ```sh
//! cargo run --release --example stage_times -- /dev/shm/etalage-bench/site-10000-nosearch [ROUNDS]
//! ```
//!
//! Loads the site, then per round: parse, validate, the templates, the model, and the rendering
//! of every file (each dropped as it is made, as `check` does; no search index, no disk). Prints
//! the median of each stage over the rounds; "CPU/wall" near 2.0 means both cores were busy, near
//! 1.0 that the stage ran on one. Uses mimalloc with the binary's process settings
//! (`examples/search_cost.rs`). It measures the stages one after the other, where `build` runs
//! them the same way: the sum is a build without its writing and its search index.

use std::path::Path;

use etalage::{config, model, parse, render, validate, vocab};

#[path = "../bench/measure.rs"]
mod measure;
use measure::{as_the_binary, median, timed};

#[global_allocator]
static ALLOCATOR: etalage::alloc::Mimalloc = etalage::alloc::Mimalloc;

const STAGES: [&str; 5] = ["parse", "validate", "templates", "model", "render"];

/// One round: the wall and CPU seconds of every stage.
fn round(s: &etalage::load::Sources) -> Vec<[f64; 2]> {
    let config = config::parse(&s.config.as_ref().expect("site.toml").text).expect("config");
    let (vocab, _) = vocab::parse(&s.data, "content/data");
    let ((content, _), parse_t) = timed(|| parse::parse_content(&s.practices, &s.awards, &s.pages));
    let options = validate::Options {
        keep_text: false,
        ..validate::Options::default()
    };
    let ((checked, diags), validate_t) =
        timed(|| validate::validate(&content, &vocab, &config.base_path, options));
    assert!(!diags.iter().any(|d| d.is_error()), "validation errors");
    let strings = render::Strings::load_for(&s.strings, config.language).expect("strings");
    let (templates, templates_t) = timed(|| {
        render::templates(&s.templates, &s.template_origins, &strings).expect("templates")
    });
    let (site, model_t) = timed(|| model::build(config, vocab, checked));
    let extra = render::Extra::default();
    let (_, render_t) = timed(|| {
        render::render_each(&site, &templates, &strings, &s.assets, &extra, &|_| Ok(()))
            .expect("render")
    });
    vec![parse_t, validate_t, templates_t, model_t, render_t]
}

fn main() {
    as_the_binary();
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: stage_times SITE [ROUNDS]");
    let rounds: usize = args.next().map_or(3, |n| n.parse().expect("rounds"));
    let (sources, load_t) = timed(|| etalage::load_site(Path::new(&root)).expect("load"));
    let all: Vec<Vec<[f64; 2]>> = (0..rounds).map(|_| round(&sources)).collect();
    println!(
        "{:10} {:>8} {:>8} {:>9}",
        "stage", "wall s", "CPU s", "CPU/wall"
    );
    let line = |name: &str, [w, c]: [f64; 2]| {
        println!("{name:10} {w:8.3} {c:8.3} {:9.2}", c / w.max(1e-9));
    };
    line("load (1x)", load_t);
    let mut sum = [0.0, 0.0];
    for (i, name) in STAGES.iter().enumerate() {
        let m = [0, 1].map(|k| median(all.iter().map(|r| r[i][k]).collect()));
        sum = [sum[0] + m[0], sum[1] + m[1]];
        line(name, m);
    }
    line("sum", sum);
}
