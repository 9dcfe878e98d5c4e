//! Measuring helpers shared by the examples that time a build in one process
//! (`examples/search_cost.rs`, `examples/stage_times.rs`): CPU time from /proc, wall and CPU
//! time of a closure, medians, and the `etalage` binary's process settings. Included with
//! `#[path]`, like `bench/corpus.rs`; nothing here builds or changes a site.

use std::time::Instant;

/// CPU seconds (user + system, all threads) of this process so far, from /proc/self/stat.
pub fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The value of `f` with its wall and CPU seconds.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, [f64; 2]) {
    let (t, c) = (Instant::now(), cpu());
    let value = f();
    (value, [t.elapsed().as_secs_f64(), cpu() - c])
}

/// The median of `v` (the upper one of an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The `etalage` binary's process settings (`without_huge_pages`, `keep_freed_memory(None)`),
/// so that what an example measures is what the binary pays.
pub fn as_the_binary() {
    // SAFETY: one process-wide flag and one allocator option, set before any thread starts.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        libmimalloc_sys::mi_option_set(15, -1);
    }
}
