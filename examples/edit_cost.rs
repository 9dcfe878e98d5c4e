//! What one edit costs the incremental build, stage by stage: the dev server's work after a
//! save, without the server around it (no watcher, HTTP or search index).
//!
//! ```sh
//! cargo run --release --example edit_cost -- /dev/shm/etalage-bench/site-10000 [ROUNDS]
//! ```
//!
//! Builds the site once with an empty memo (as `etalage serve` starts), then ROUNDS times
//! (default 20) appends a sentence to one practice on disk and times reading it again
//! (`load::reload`), `prepare_again` and `render_again`, printing each round and the medians,
//! and the CPU time per edit (user and system, all threads: less moved by other processes on
//! the machine than wall time).
//! The practice file is restored at the end. Uses mimalloc like the `etalage` binary.

use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: etalage::alloc::Mimalloc = etalage::alloc::Mimalloc;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// User and system CPU time of this process so far (all threads).
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct it is given; zeroed is a valid `rusage`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("usage: edit_cost SITE [ROUNDS]"));
    let rounds: usize = args
        .next()
        .map_or(20, |r| r.parse().expect("ROUNDS is a number"));
    let opts = etalage::Options::default();
    let mut memo = etalage::Memo::default();
    let start = Instant::now();
    let mut sources = etalage::load_site(&root).expect("load");
    let prepared = etalage::prepare_again(&sources, &opts, &mut memo).expect("prepare");
    etalage::render_again(&prepared, &sources.assets, &mut memo).expect("render");
    drop(prepared);
    eprintln!("first build (empty memo): {:?}", start.elapsed());
    let victim = root.join(&sources.practices[sources.practices.len() / 2].path);
    let original = std::fs::read_to_string(&victim).expect("practice");
    let mut times: [Vec<Duration>; 4] = Default::default();
    let cpu_start = cpu_time();
    for round in 0..rounds {
        std::fs::write(&victim, format!("{original}\nZin {round}.\n")).expect("edit");
        let t = Instant::now();
        sources = etalage::load::reload(&root, sources, std::slice::from_ref(&victim))
            .expect("a held practice is read again");
        let reload = t.elapsed();
        let t = Instant::now();
        let prepared = etalage::prepare_again(&sources, &opts, &mut memo).expect("prepare");
        let prepare = t.elapsed();
        let t = Instant::now();
        let (_, reuse) =
            etalage::render_again(&prepared, &sources.assets, &mut memo).expect("render");
        let render = t.elapsed();
        let total = reload + prepare + render;
        eprintln!(
            "round {round}: reload {reload:?}, prepare_again {prepare:?}, render_again {render:?} \
             ({} pages rendered, {} reused), total {total:?}",
            reuse.rendered, reuse.reused
        );
        for (v, d) in times.iter_mut().zip([reload, prepare, render, total]) {
            v.push(d);
        }
    }
    let cpu = (cpu_time() - cpu_start) / rounds.max(1) as u32;
    std::fs::write(&victim, original).expect("restore");
    let [reload, prepare, render, total] = times.map(median);
    println!(
        "median of {rounds} edits: reload {reload:?}, prepare_again {prepare:?}, \
         render_again {render:?}, total {total:?}; CPU per edit (all threads) {cpu:?}"
    );
}
