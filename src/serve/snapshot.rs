//! One state of the served site: the last good output, the current problems, and what changed
//! since the previous state.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use etalage::load::Sources;
use etalage::render::{Output, OutputFile, Reuse};
use etalage::{Diagnostic, Error, Location, Memo, Options, Prepared};

use super::partial::{self, Good, HeldBack};

/// A problem with the source lines around it, for the overlay.
#[derive(Debug, Clone)]
pub struct Problem {
    pub diagnostic: Diagnostic,
    /// (line number, text) around the problem line.
    pub context: Vec<(usize, String)>,
}

/// What browsers are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Output paths whose bytes changed, appeared or disappeared.
    pub paths: Vec<String>,
    /// The set of problems changed: every page must reload to show or hide the overlay.
    pub problems_changed: bool,
}

/// Served files, sorted by output path (looked up by binary search), shared between snapshots
/// that have them in common. A rebuild's output is sorted already, so it is served as it comes,
/// and two snapshots are compared in one walk over both.
pub type Files = Arc<Output>;

/// The served state.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the site but the search index.
    pub pages: Files,
    /// The search index (`pagefind/`), built after the pages and kept until a newer one is ready.
    pub index: Files,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Diagnostic>,
    pub took: Duration,
    /// Counts rebuilds; a search index built for an older one is not applied.
    pub generation: u64,
    /// Pages rendered and reused by this rebuild.
    pub reuse: Reuse,
    /// While there are problems in write-ups only: the broken ones, which this preview of the
    /// editor's other changes shows as they were at the last build without errors, or leaves
    /// out (see `partial`). Empty when the last good site is served as it was.
    pub held_back: Vec<HeldBack>,
}

/// A rebuild: the snapshot to serve and, when it succeeded, the site to index for search.
pub struct Rebuilt {
    pub snapshot: Snapshot,
    pub prepared: Option<Arc<Prepared>>,
}

const CONTEXT_LINES: usize = 2;

impl Snapshot {
    /// Prints the outcome of a rebuild to the terminal: the warnings `previous` did not have
    /// (the others only counted, so a site with many warnings does not flood the terminal on
    /// every save), every problem, and what changed.
    pub fn report(&self, previous: Option<&Snapshot>, change: Option<&Change>) {
        crate::print_new_warnings(&self.warnings, previous.map(|p| &*p.warnings));
        for p in &self.problems {
            eprintln!("{}", p.diagnostic);
        }
        let ms = self.took.as_millis();
        match (self.problems.len(), change) {
            (0, Some(c)) => println!(
                "rebuilt in {ms} ms: {} file(s) changed, {} page(s) rendered, {} unchanged",
                c.paths.len(),
                self.reuse.rendered,
                self.reuse.reused
            ),
            (0, None) => println!("built {} files in {ms} ms", self.pages.files.len()),
            (n, _) if self.pages.files.is_empty() => eprintln!(
                "{n} problem(s); nothing to serve until they are fixed (see /_etalage/problems/)"
            ),
            (n, _) if !self.held_back.is_empty() => eprintln!(
                "{n} problem(s); serving your other changes, {} (see /_etalage/problems/)",
                held_back_text(&self.held_back)
            ),
            (n, _) => eprintln!(
                "{n} problem(s); still serving the last good version (see /_etalage/problems/)"
            ),
        }
    }

    /// This snapshot with `index` as its search index, in place of the previous one.
    pub fn with_index(&self, index: Vec<OutputFile>) -> Snapshot {
        Snapshot {
            pages: self.pages.clone(),
            index: Arc::new(Output::sorted(index)),
            problems: self.problems.clone(),
            warnings: self.warnings.clone(),
            took: self.took,
            generation: self.generation,
            reuse: self.reuse,
            held_back: self.held_back.clone(),
        }
    }

    /// The file at output path `path`.
    pub fn get(&self, path: &str) -> Option<&etalage::render::Bytes> {
        self.pages
            .get(path)
            .or_else(|| self.index.get(path))
            .map(|f| &f.bytes)
    }

    /// The `404.html` page, if the site has one.
    pub fn not_found(&self) -> Option<&etalage::render::Bytes> {
        self.pages.get("404.html").map(|f| &f.bytes)
    }
}

/// "content/practices/a.md as last saved without errors, content/practices/b.md left out";
/// past a few files, how many of each.
fn held_back_text(held: &[HeldBack]) -> String {
    const NAMED: usize = 3;
    let how = |as_before: bool| {
        if as_before {
            "as last saved without errors"
        } else {
            "left out"
        }
    };
    if held.len() <= NAMED {
        return held
            .iter()
            .map(|h| format!("{} {}", h.path, how(h.as_before)))
            .collect::<Vec<_>>()
            .join(", ");
    }
    let before = held.iter().filter(|h| h.as_before).count();
    [(before, true), (held.len() - before, false)]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, as_before)| format!("{n} write-up(s) {}", how(as_before)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the rebuild loop keeps between rebuilds: the sources as last read, the memo of the
/// incremental build, and the write-ups as they were at the last build without errors.
#[derive(Default)]
pub struct State {
    sources: Option<Sources>,
    memo: Memo,
    good: Good,
}

/// Builds the site at `root` in memory, reading again only the `touched` files when that is all
/// that changed (`etalage::load::reload`) and parsing and rendering only what changed since the
/// runs `state` remembers (see `etalage::Memo`). The search index is not built here: the
/// previous one is kept until the indexer replaces it. On failure the previous files are kept
/// and the problems recorded. `seen` is shown each file as soon as it is rendered.
pub fn rebuild(
    root: &Path,
    options: &Options,
    previous: Option<&Snapshot>,
    state: &mut State,
    touched: &[PathBuf],
    seen: &(dyn Fn(&OutputFile) + Sync),
) -> Rebuilt {
    let start = Instant::now();
    let generation = previous.map_or(0, |p| p.generation + 1);
    let failed = |problems: Vec<Problem>, warnings: Vec<Diagnostic>| Rebuilt {
        snapshot: Snapshot {
            pages: previous.map(|p| p.pages.clone()).unwrap_or_default(),
            index: previous.map(|p| p.index.clone()).unwrap_or_default(),
            problems,
            warnings,
            took: start.elapsed(),
            generation,
            reuse: Reuse::default(),
            held_back: Vec::new(),
        },
        prepared: None,
    };
    let loaded = match state.sources.take() {
        Some(last) => {
            state.good.remember(root, &last, touched);
            etalage::load::reload(root, last, touched).map_or_else(|| etalage::load_site(root), Ok)
        }
        None => etalage::load_site(root),
    };
    let mut sources = match loaded {
        Ok(s) => s,
        Err(e) => return failed(vec![plain(e, root)], Vec::new()),
    };
    let memo = &mut state.memo;
    // The preview's pages are not shown as they come: served before its problems are in the
    // snapshot, they would lack the overlay.
    let unseen: &(dyn Fn(&OutputFile) + Sync) = &|_| {};
    let build = |sources: &Sources, memo: &mut Memo, seen: &(dyn Fn(&OutputFile) + Sync)| {
        etalage::prepare_again(sources, options, memo).and_then(|prepared| {
            let (output, reuse) =
                etalage::render_again_showing(&prepared, &sources.assets, memo, seen)?;
            Ok((prepared, output, reuse))
        })
    };
    let built = |(mut prepared, output, reuse): (Prepared, Output, Reuse),
                 problems: Vec<Problem>,
                 held_back: Vec<HeldBack>| {
        let warnings = std::mem::take(&mut prepared.warnings);
        Rebuilt {
            snapshot: Snapshot {
                pages: Arc::new(output),
                index: previous.map(|p| p.index.clone()).unwrap_or_default(),
                problems,
                warnings,
                took: start.elapsed(),
                generation,
                reuse,
                held_back,
            },
            prepared: Some(Arc::new(prepared)),
        }
    };
    let rebuilt = match build(&sources, memo, seen) {
        Ok(done) => {
            state.good.clear();
            built(done, Vec::new(), Vec::new())
        }
        Err(Error::Content(diags)) => {
            let (errors, warnings): (Vec<_>, Vec<_>) =
                diags.into_iter().partition(Diagnostic::is_error);
            let broken = errors.iter().map(|d| d.location.path.clone()).collect();
            let problems: Vec<Problem> = errors
                .into_iter()
                .map(|d| with_context(d, &sources))
                .collect();
            match partial::preview(&mut sources, &broken, &state.good, |s| {
                build(s, memo, unseen)
            }) {
                Some((done, held_back)) => built(done, problems, held_back),
                None => failed(problems, warnings),
            }
        }
        Err(e) => failed(vec![plain(e, root)], Vec::new()),
    };
    state.sources = Some(sources);
    rebuilt
}

fn plain(e: Error, root: &Path) -> Problem {
    let path = match &e {
        Error::Io { path, .. } => etalage::load::relative(root, path),
        Error::Template(_) => "templates".to_string(),
        // The settings were deleted or renamed while the site is watched.
        Error::Usage(_) if !root.join(etalage::config::FILE).is_file() => {
            etalage::config::FILE.to_string()
        }
        _ => ".".to_string(),
    };
    Problem {
        diagnostic: Diagnostic::error(Location::file(path), e.to_string()),
        context: Vec::new(),
    }
}

fn with_context(d: Diagnostic, sources: &Sources) -> Problem {
    let text = [
        &sources.practices,
        &sources.awards,
        &sources.pages,
        &sources.data,
    ]
    .into_iter()
    .flatten()
    .chain(sources.config.iter())
    .find(|f| f.path == d.location.path)
    .map(|f| f.text.as_str());
    let context = text.map_or_else(Vec::new, |t| excerpt(t, d.location.line));
    Problem {
        diagnostic: d,
        context,
    }
}

/// The lines around `line` (1-based).
pub fn excerpt(text: &str, line: usize) -> Vec<(usize, String)> {
    let first = line.saturating_sub(CONTEXT_LINES).max(1);
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r').to_string()))
        .skip(first - 1)
        .take(line + CONTEXT_LINES + 1 - first)
        .collect()
}

/// What differs between two snapshots.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Change {
    let mut paths = Vec::new();
    for (o, n) in [(&old.pages, &new.pages), (&old.index, &new.index)] {
        if !Arc::ptr_eq(o, n) {
            changed(o, n, &mut paths);
        }
    }
    paths.sort();
    let problems_changed = old
        .problems
        .iter()
        .map(|p| &p.diagnostic)
        .ne(new.problems.iter().map(|p| &p.diagnostic));
    Change {
        paths,
        problems_changed,
    }
}

/// Adds to `paths` the files whose bytes differ between `old` and `new`, or that only one has,
/// in one walk over both (each is sorted by path).
fn changed(old: &Files, new: &Files, paths: &mut Vec<String>) {
    use std::cmp::Ordering;
    let (mut a, mut b) = (old.files.iter().peekable(), new.files.iter().peekable());
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => return,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(o), Some(n)) => o.path.cmp(&n.path),
        };
        match order {
            // Only in the old snapshot: gone.
            Ordering::Less => paths.extend(a.next().map(|o| o.path.clone())),
            // Only in the new one: added.
            Ordering::Greater => paths.extend(b.next().map(|n| n.path.clone())),
            Ordering::Equal => {
                let (o, n) = (a.next().unwrap(), b.next().unwrap());
                if !Arc::ptr_eq(&o.bytes, &n.bytes) && o.bytes != n.bytes {
                    paths.push(n.path.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(path: &str, as_before: bool) -> HeldBack {
        HeldBack {
            path: path.into(),
            as_before,
        }
    }

    #[test]
    fn the_report_names_a_few_held_back_files_and_counts_many() {
        let few = [held("a.md", true), held("b.md", false)];
        assert_eq!(
            held_back_text(&few),
            "a.md as last saved without errors, b.md left out"
        );
        let many: Vec<HeldBack> = (0..5).map(|i| held(&format!("{i}.md"), i == 0)).collect();
        assert_eq!(
            held_back_text(&many),
            "1 write-up(s) as last saved without errors, 4 write-up(s) left out"
        );
    }

    fn snap(files: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            pages: Arc::new(Output::sorted(
                files
                    .iter()
                    .map(|(p, b)| OutputFile {
                        path: p.to_string(),
                        bytes: Arc::new(b.as_bytes().to_vec()),
                    })
                    .collect(),
            )),
            ..Snapshot::default()
        }
    }

    #[test]
    fn diff_lists_changed_added_and_removed_files() {
        let old = snap(&[("a.html", "1"), ("b.html", "2"), ("c.html", "3")]);
        let new = snap(&[("a.html", "1"), ("b.html", "22"), ("d.html", "4")]);
        assert_eq!(diff(&old, &new).paths, vec!["b.html", "c.html", "d.html"]);
        assert!(!diff(&old, &new).problems_changed);
    }

    #[test]
    fn diff_lists_a_new_search_index_and_get_finds_both_kinds() {
        let old = snap(&[("a.html", "1")]);
        let index = vec![OutputFile {
            path: "pagefind/pagefind.js".into(),
            bytes: Arc::new(b"js".to_vec()),
        }];
        let new = old.with_index(index);
        assert!(Arc::ptr_eq(&old.pages, &new.pages));
        assert_eq!(diff(&old, &new).paths, vec!["pagefind/pagefind.js"]);
        assert_eq!(new.get("a.html").map(|b| &b[..]), Some(b"1".as_slice()));
        assert!(new.get("pagefind/pagefind.js").is_some());
        assert!(new.get("b.html").is_none());
    }

    #[test]
    fn excerpt_takes_lines_around() {
        let text = "a\nb\nc\nd\ne\nf\n";
        let lines: Vec<usize> = excerpt(text, 4).into_iter().map(|(n, _)| n).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6]);
        assert_eq!(excerpt(text, 1).len(), 3);
    }
}
