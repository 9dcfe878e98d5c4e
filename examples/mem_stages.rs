//! Where a build's memory goes: the live heap after each stage and the peak within it.
//!
//! ```sh
//! cargo run --release --example mem_stages -- /dev/shm/etalage-bench/site-10000
//! ```
//!
//! Loads the site, parses it (alone, then dropped, to show what parsing holds), prepares it,
//! renders every file (each dropped as it is made, the open data's joined files part by part,
//! as `build` writes and drops them) and builds the search index (when the site has search),
//! printing the bytes the program asked for and still holds after each step and the most it
//! held during the step. It counts requested bytes through
//! a wrapper around the system allocator: what `etalage build` adds on top (mimalloc's pages,
//! the kernel's page cache for written files) shows in its peak RSS (`/usr/bin/time -v`), not
//! here. The counts do not move with machine noise.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes held now and the most held since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Prints the heap held now and the peak since the last step, then starts the next step.
fn step(what: &str) {
    let mb = |n: usize| n as f64 / 1e6;
    let live = LIVE.load(Relaxed);
    println!(
        "{what:34} held {:>7.1} MB   peak during the step {:>7.1} MB",
        mb(live),
        mb(PEAK.load(Relaxed))
    );
    PEAK.store(live, Relaxed);
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: mem_stages SITE_FOLDER");
    let sources = etalage::load_site(Path::new(&root)).expect("load");
    step("loaded (the sources' text)");
    let (content, _) =
        etalage::parse::parse_content(&sources.practices, &sources.awards, &sources.pages);
    step("parsed (front matter, held)");
    drop(content);
    let p = etalage::prepare(&sources, &etalage::Options::default()).expect("prepare");
    step("prepared (parse, validate, model)");
    let files = etalage::render::render_each(
        &p.site,
        &p.templates,
        &p.strings,
        &sources.assets,
        &p.extra,
        &etalage::render::Discard,
    )
    .expect("render");
    step(&format!("rendered ({} files, each dropped)", files.len()));
    let index = etalage::search_index(&p).expect("search index");
    step(&format!("search index ({} files)", index.len()));
}
