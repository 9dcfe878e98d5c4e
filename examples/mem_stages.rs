//! Live heap bytes after each stage of a build without the search index, and the peak.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = LIVE.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(n, Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            let n = LIVE.fetch_add(new - l.size(), Relaxed) + new - l.size();
            PEAK.fetch_max(n, Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - new, Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn mb(n: usize) -> String {
    format!("{:.0} MB", n as f64 / 1e6)
}
fn show(what: &str) {
    eprintln!(
        "{what:28} live {:>8}  peak {:>8}",
        mb(LIVE.load(Relaxed)),
        mb(PEAK.load(Relaxed))
    );
}

fn main() {
    let root = std::env::args().nth(1).unwrap();
    show("start");
    let sources = etalage::load_site(std::path::Path::new(&root)).unwrap();
    show("loaded");
    let sources2 = &sources;
    let (content, _) =
        etalage::parse::parse_content(&sources2.practices, &sources2.awards, &sources2.pages);
    show("parsed (alone)");
    drop(content);
    let p = etalage::prepare(&sources, &etalage::Options::default()).unwrap();
    show("prepared");
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let n = etalage::render::render_each(
        &p.site,
        &p.templates,
        &p.strings,
        &sources.assets,
        &p.extra,
        &|f| Ok(f.bytes.len()),
    )
    .unwrap();
    show(&format!("rendered {} files", n.len()));
    drop(n);
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let idx = etalage::search_index(&p).unwrap();
    show("search index");
    drop(idx);
}
