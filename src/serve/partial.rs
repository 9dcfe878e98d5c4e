//! The preview while write-ups have errors: the site built with each broken write-up as it was
//! at the last build without errors, or left out when it was not there then (a new file, or a
//! first build that failed), so an editor sees their other changes while one file is broken.
//!
//! Only write-ups (practices, awards, pages) are held back this way; an error in the settings,
//! the data or a template leaves the last good site served. A file left out is passed to the
//! build as unusable, so links to it are not errors too. The sources are patched in place and
//! restored exactly afterwards: at 10,000 practices a copy would be 70 MB per save.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use etalage::load::{is_write_up, SourceFile, Sources};

/// A write-up the preview does not show as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    pub path: String,
    /// Shown as it was at the last build without errors; `false`: left out.
    pub as_before: bool,
}

/// The write-ups saved since the last build without errors, each as it was then (`None`: not
/// there then).
#[derive(Debug, Default)]
pub struct Good {
    files: foldhash::HashMap<String, Option<SourceFile>>,
}

impl Good {
    /// Remembers how the write-ups among `touched` (absolute paths, as the watcher reports
    /// them) were in `last`, the sources as last read, unless an earlier save since the last
    /// good build remembered them already.
    pub fn remember(&mut self, root: &Path, last: &Sources, touched: &[PathBuf]) {
        for path in touched {
            let rel = etalage::load::relative(root, path);
            if self.files.contains_key(&rel) {
                continue;
            }
            let lists = [&last.practices, &last.awards, &last.pages];
            match lists.into_iter().flatten().find(|f| f.path == rel).cloned() {
                Some(file) => {
                    self.files.insert(rel, Some(file));
                }
                None if is_write_up(&rel) => {
                    self.files.insert(rel, None);
                }
                None => {}
            }
        }
    }

    /// Forgets everything: the sources just built without errors.
    pub fn clear(&mut self) {
        self.files.clear();
    }
}

/// Runs `build` on `sources` with every write-up at `broken` as [`Good`] remembers it (see the
/// module comment), then puts `sources` back as they were. `None` when a broken path is not a
/// write-up or the build fails all the same.
pub fn preview<T, E>(
    sources: &mut Sources,
    broken: &BTreeSet<String>,
    good: &Good,
    build: impl FnOnce(&Sources) -> Result<T, E>,
) -> Option<(T, Vec<HeldBack>)> {
    if broken.is_empty() || !broken.iter().all(|p| is_write_up(p)) {
        return None;
    }
    let mut undo = Vec::new();
    let mut held = Vec::new();
    // A broken file's load problem (not UTF-8, unreadable) goes with the file held back.
    let problems = std::mem::take(&mut sources.problems);
    sources.problems = problems
        .iter()
        .filter(|d| !broken.contains(&d.location.path))
        .cloned()
        .collect();
    for path in broken {
        let before = good.files.get(path).and_then(Option::as_ref);
        put(sources, path, before.cloned(), &mut undo);
        held.push(HeldBack {
            path: path.clone(),
            as_before: before.is_some(),
        });
    }
    let built = build(sources);
    for step in undo.into_iter().rev() {
        step.undo(sources);
    }
    sources.problems = problems;
    built.ok().map(|t| (t, held))
}

/// One change [`put`] made, to be taken back.
enum Undo {
    /// The file at this index of its list was replaced by another: the one to put back.
    Replaced(usize, SourceFile),
    /// The file at this path was inserted at this index.
    Inserted(String, usize),
    /// The file at this index was removed.
    Removed(usize, SourceFile),
    /// A path was added to `unusable` (at its end).
    MadeUnusable,
    /// A path was taken out of `unusable`, at this index.
    MadeUsable(usize, String),
}

impl Undo {
    fn undo(self, sources: &mut Sources) {
        match self {
            Undo::Replaced(i, file) => {
                let path = file.path.clone();
                list(sources, &path)[i] = file;
            }
            Undo::Inserted(path, i) => {
                list(sources, &path).remove(i);
            }
            Undo::Removed(i, file) => {
                let path = file.path.clone();
                list(sources, &path).insert(i, file);
            }
            Undo::MadeUnusable => {
                sources.unusable.pop();
            }
            Undo::MadeUsable(i, path) => sources.unusable.insert(i, path),
        }
    }
}

/// The list of the write-up at `path`, which [`put`] changed.
fn list<'s>(sources: &'s mut Sources, path: &str) -> &'s mut Vec<SourceFile> {
    sources.write_ups_for(path).expect("only write-ups are put")
}

/// Makes the write-up at `path` be `file` in `sources` (`None`: left out, and unusable, so
/// links to it are no errors), noting in `undo` how to take that back.
fn put(sources: &mut Sources, path: &str, file: Option<SourceFile>, undo: &mut Vec<Undo>) {
    let unusable = sources.unusable.iter().position(|p| p == path);
    let Some(list) = sources.write_ups_for(path) else {
        return;
    };
    // Read in walk order, not sorted by path throughout.
    let at = list.iter().position(|f| f.path == path);
    match (at, file) {
        (Some(i), Some(file)) => {
            let now = std::mem::replace(&mut list[i], file);
            undo.push(Undo::Replaced(i, now));
        }
        (Some(i), None) => {
            let now = list.remove(i);
            undo.push(Undo::Removed(i, now));
            if unusable.is_none() {
                sources.unusable.push(path.to_string());
                undo.push(Undo::MadeUnusable);
            }
        }
        // Not read now (not there, or not usable: not UTF-8, say), but it was before.
        (None, Some(file)) => {
            let i = list.partition_point(|f| f.path.as_str() < path);
            list.insert(i, file);
            undo.push(Undo::Inserted(path.to_string(), i));
            if let Some(u) = unusable {
                let taken = sources.unusable.remove(u);
                undo.push(Undo::MadeUsable(u, taken));
            }
        }
        (None, None) => {
            if unusable.is_none() {
                sources.unusable.push(path.to_string());
                undo.push(Undo::MadeUnusable);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use etalage::{Diagnostic, Location};

    const A: &str = "content/practices/a.md";
    const B: &str = "content/practices/b.md";
    const NEW: &str = "content/practices/nieuw.md";

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile::new(path.to_string(), text.to_string())
    }

    /// What a build sees of `sources`: every write-up with its text, the unusable paths and
    /// the load problems.
    fn seen(sources: &Sources) -> String {
        let lists = [&sources.practices, &sources.awards, &sources.pages];
        let files = lists.iter().flat_map(|l| l.iter());
        let mut out: Vec<String> = files.map(|f| format!("{}={}", f.path, f.text)).collect();
        out.extend(sources.unusable.iter().map(|p| format!("unusable {p}")));
        out.extend(
            sources
                .problems
                .iter()
                .map(|d| format!("problem {}", d.location.path)),
        );
        out.join("; ")
    }

    fn sources(practices: &[(&str, &str)]) -> Sources {
        Sources {
            practices: practices.iter().map(|(p, t)| file(p, t)).collect(),
            pages: vec![file("content/pages/over.md", "over")],
            ..Sources::default()
        }
    }

    fn broken(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    /// `good` after the files at `touched` changed from how they are in `last`.
    fn good_after(last: &Sources, touched: &[&str]) -> Good {
        let root = Path::new("/site");
        let touched: Vec<PathBuf> = touched.iter().map(|p| root.join(p)).collect();
        let mut good = Good::default();
        good.remember(root, last, &touched);
        good
    }

    #[test]
    fn a_broken_write_up_is_built_as_it_was_and_put_back_after() {
        let last = sources(&[(A, "a goed"), (B, "b")]);
        let good = good_after(&last, &[A, B]);
        let mut now = sources(&[(A, "a kapot"), (B, "b nieuw")]);
        let before = seen(&now);
        let (during, held) =
            preview(&mut now, &broken(&[A]), &good, |s| Ok::<_, ()>(seen(s))).unwrap();
        assert_eq!(
            during,
            "content/practices/a.md=a goed; content/practices/b.md=b nieuw; content/pages/over.md=over"
        );
        assert_eq!(
            held,
            [HeldBack {
                path: A.into(),
                as_before: true
            }]
        );
        assert_eq!(seen(&now), before);
    }

    #[test]
    fn a_broken_new_write_up_is_left_out_as_unusable_and_put_back_after() {
        let last = sources(&[(A, "a")]);
        let good = good_after(&last, &[NEW]);
        let mut now = sources(&[(A, "a"), (NEW, "kapot")]);
        let before = seen(&now);
        let (during, held) =
            preview(&mut now, &broken(&[NEW]), &good, |s| Ok::<_, ()>(seen(s))).unwrap();
        assert_eq!(
            during,
            "content/practices/a.md=a; content/pages/over.md=over; unusable content/practices/nieuw.md"
        );
        assert_eq!(
            held,
            [HeldBack {
                path: NEW.into(),
                as_before: false
            }]
        );
        assert_eq!(seen(&now), before);
    }

    #[test]
    fn an_unusable_file_that_was_good_is_built_as_it_was_without_its_problem() {
        let last = sources(&[(A, "a"), (B, "b")]);
        let good = good_after(&last, &[B]);
        let mut now = sources(&[(A, "a")]);
        now.unusable.push(B.into());
        now.problems
            .push(Diagnostic::error(Location::file(B), "not UTF-8"));
        now.problems
            .push(Diagnostic::error(Location::file("content/x.txt"), "stray"));
        let before = seen(&now);
        let (during, _) =
            preview(&mut now, &broken(&[B]), &good, |s| Ok::<_, ()>(seen(s))).unwrap();
        assert_eq!(
            during,
            "content/practices/a.md=a; content/practices/b.md=b; content/pages/over.md=over; problem content/x.txt"
        );
        assert_eq!(seen(&now), before);
    }

    #[test]
    fn saves_after_the_first_since_a_good_build_keep_the_good_text() {
        let root = Path::new("/site");
        let mut good = good_after(&sources(&[(A, "a goed")]), &[A]);
        // A second save, of a version that was itself broken: the good one stays.
        good.remember(root, &sources(&[(A, "a kapot")]), &[root.join(A)]);
        let mut now = sources(&[(A, "a nog kapotter")]);
        let (during, _) =
            preview(&mut now, &broken(&[A]), &good, |s| Ok::<_, ()>(seen(s))).unwrap();
        assert!(
            during.starts_with("content/practices/a.md=a goed;"),
            "{during}"
        );
        good.clear();
        let (during, held) =
            preview(&mut now, &broken(&[A]), &good, |s| Ok::<_, ()>(seen(s))).unwrap();
        assert!(!during.contains("a goed"), "{during}");
        assert!(!held[0].as_before);
    }

    #[test]
    fn a_problem_outside_write_ups_or_a_failed_preview_gives_none_and_changes_nothing() {
        let good = good_after(&sources(&[(A, "a")]), &[A]);
        let mut now = sources(&[(A, "kapot")]);
        let before = seen(&now);
        let built = |_: &Sources| Ok::<_, ()>(());
        for paths in [&["site.toml"][..], &[A, "content/data/themes.yaml"], &[]] {
            assert!(preview(&mut now, &broken(paths), &good, built).is_none());
        }
        let fails = |_: &Sources| Err::<(), _>(());
        assert!(preview(&mut now, &broken(&[A]), &good, fails).is_none());
        assert_eq!(seen(&now), before);
    }
}
