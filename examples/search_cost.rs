//! What the search index adds to a build: the pure build (`compile`: prepare, then render and
//! the search index side by side) against the same without the index (prepare, then render),
//! and the index alone, timed in one process on the same loaded sources.
//!
//! ```sh
//! cargo run --release --example search_cost -- /dev/shm/etalage-bench/site-10000 [ROUNDS]
//! cargo run --release --example search_cost -- /dev/shm/etalage-bench/site-10000 3 --index-only
//! ```
//!
//! `--index-only` times the index alone, for a profiler (`perf record`) to see nothing else.
//!
//! Each round runs the three in turn (so a busy machine slows all of them alike) and prints wall
//! time and CPU time (user + system, all threads, from /proc/self/stat); the summary gives the
//! median of each and the index's share. Loading and writing are left out: they are the same with
//! and without the index. Uses mimalloc, keeps freed memory and no huge pages, like the `etalage`
//! binary (`src/main.rs`), so that a profile of this example shows the binary's costs.

use std::path::Path;

#[path = "../bench/measure.rs"]
mod measure;
use measure::{as_the_binary, median};

#[global_allocator]
static ALLOCATOR: etalage::alloc::Mimalloc = etalage::alloc::Mimalloc;

/// Wall and CPU seconds of `f`.
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let ((), [wall, cpu]) = measure::timed(f);
    (wall, cpu)
}

fn main() {
    as_the_binary();
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: search_cost SITE [ROUNDS]");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let index_only = args.next().as_deref() == Some("--index-only");
    let sources = etalage::load_site(Path::new(&root)).expect("load");
    let options = etalage::Options::default();
    if index_only {
        let p = etalage::prepare(&sources, &options).expect("prepare");
        for round in 1..=rounds {
            let (wall, cpu) = timed(|| {
                etalage::search_index(&p).expect("search index");
            });
            println!("round {round}: index alone {wall:.2} s ({cpu:.2} s CPU)");
        }
        return;
    }
    let (mut without, mut with, mut alone) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        let a = timed(|| {
            let p = etalage::prepare(&sources, &options).expect("prepare");
            etalage::render::render(&p.site, &p.templates, &p.strings, &sources.assets, &p.extra)
                .expect("render");
        });
        let b = timed(|| {
            etalage::compile(&sources, &options).expect("compile");
        });
        let p = etalage::prepare(&sources, &options).expect("prepare");
        let c = timed(|| {
            etalage::search_index(&p).expect("search index");
        });
        println!(
            "round {round}: without index {:.2} s ({:.2} s CPU), with index {:.2} s ({:.2} s CPU), index alone {:.2} s ({:.2} s CPU)",
            a.0, a.1, b.0, b.1, c.0, c.1
        );
        without.push(a);
        with.push(b);
        alone.push(c);
    }
    let m = |v: &[(f64, f64)], cpu: bool| {
        median(v.iter().map(|x| if cpu { x.1 } else { x.0 }).collect())
    };
    let (w0, w1) = (m(&without, false), m(&with, false));
    let (c0, c1) = (m(&without, true), m(&with, true));
    println!(
        "median: without index {w0:.2} s wall, {c0:.2} s CPU; with index {w1:.2} s wall (+{:.0}%), {c1:.2} s CPU (+{:.0}%); index alone {:.2} s wall, {:.2} s CPU",
        (w1 / w0 - 1.0) * 100.0,
        (c1 / c0 - 1.0) * 100.0,
        m(&alone, false),
        m(&alone, true)
    );
}
