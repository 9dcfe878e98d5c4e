//! Watches the site's sources and rebuilds on change, on a thread of its own.
//!
//! notify's recommended watcher (inotify on Linux), debounced here: after the first change the
//! watcher waits until no event came for [`QUIET`], or for [`QUIET_AFTER_SAVE`] after an event
//! that ends a save (the file closed after writing, or renamed into place), so an editor's
//! atomic save (write temp, rename) or a burst of saves becomes one rebuild, started soon after
//! the last event (a fixed-delay debouncer would add its whole delay to every save). Scratch
//! files (swap, backup, hidden) and the output folder are ignored. Folders created later
//! (`templates/`, `static/`) are picked up. What follows the browsers' reload event (the
//! terminal report, freeing the previous site) is done on a reporter thread, so the watcher is
//! ready for the next save at once.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use etalage::Options;
use notify::{RecursiveMode, Watcher};

use super::indexer::Indexer;
use super::snapshot::{self, diff};
use super::Shared;

const WATCHED: &[&str] = &["content", "themes", "templates", "static"];
/// How long the watcher waits after an event for another before it rebuilds: an editor's save
/// (a temporary file written and renamed, a backup made and removed) sends its events within
/// well under a millisecond, so this takes it as one change and is not felt. A save split
/// across two rebuilds costs only the second one, which makes the site whole again.
const QUIET: Duration = Duration::from_millis(3);
/// The same wait after an event that ends a save of a site file (the file closed after writing,
/// or renamed into place): only what comes with it, such as a backup removed, is waited for.
const QUIET_AFTER_SAVE: Duration = Duration::from_micros(500);

/// Whether an event ends the save of a site file: its writer closed it, or it was renamed into
/// place.
fn ends_save(root: &Path, event: &notify::Result<notify::Event>) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
    use notify::EventKind;
    let Ok(event) = event else { return false };
    let ends = matches!(
        event.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    );
    // A rename names the new path last.
    ends && event.paths.last().is_some_and(|p| relevant(root, p))
}

/// Whether an event can change what a file holds (reads, which every rebuild causes, cannot).
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    ) && !matches!(
        kind,
        EventKind::Modify(notify::event::ModifyKind::Metadata(
            notify::event::MetadataKind::AccessTime
        ))
    )
}

/// Whether a changed path can affect the site.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == etalage::config::FILE {
        return true;
    }
    if !WATCHED.contains(&first.as_str()) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !etalage::load::is_scratch(&name)
}

/// Watches the source folders that exist now and were not watched yet.
fn add_watches(root: &Path, watched: &mut Vec<PathBuf>, watcher: &mut notify::RecommendedWatcher) {
    for name in WATCHED {
        let dir = root.join(name);
        if dir.is_dir()
            && !watched.contains(&dir)
            && watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
        {
            watched.push(dir);
        }
    }
}

/// Watches `root`, then makes the first build (its pages go to `shared.starting` as they are
/// rendered) and rebuilds on every relevant change, the changes made during the first build
/// included; each successful build is handed to `indexer` for its search index.
pub fn spawn(
    root: PathBuf,
    options: Options,
    shared: Arc<Shared>,
    indexer: Arc<Indexer>,
) -> Result<(), String> {
    let root = std::fs::canonicalize(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let mut watched: Vec<PathBuf> = Vec::new();
    add_watches(&root, &mut watched, &mut watcher);
    let reports = spawn_reporter()?;
    std::thread::Builder::new()
        .name("etalage-watch".into())
        .spawn(move || {
            let mut state = first_build(&root, &options, &shared, &indexer);
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                loop {
                    let saved = batch.last().is_some_and(|e| ends_save(&root, e));
                    match rx.recv_timeout(if saved { QUIET_AFTER_SAVE } else { QUIET }) {
                        Ok(more) => batch.push(more),
                        Err(_) => break,
                    }
                }
                let touched = batch
                    .iter()
                    .filter_map(|r| r.as_ref().ok())
                    .filter(|e| changes_content(&e.kind))
                    .flat_map(|e| e.paths.iter().cloned());
                let touched: Vec<PathBuf> = touched.filter(|p| relevant(&root, p)).collect();
                if touched.is_empty() {
                    continue;
                }
                add_watches(&root, &mut watched, &mut watcher);
                let previous = shared
                    .snapshot
                    .read()
                    .map(|s| s.clone())
                    .unwrap_or_default();
                let rebuilt = snapshot::rebuild(
                    &root,
                    &options,
                    Some(&*previous),
                    &mut state,
                    &touched,
                    &|_| {},
                );
                let next = Arc::new(rebuilt.snapshot);
                let change = diff(&previous, &next);
                let generation = next.generation;
                if let Ok(mut s) = shared.snapshot.write() {
                    *s = next.clone();
                }
                // The browsers first, then the search index and the terminal: a site with
                // thousands of warnings takes milliseconds to report, and its previous
                // snapshot as long to free.
                let event =
                    (!change.paths.is_empty() || change.problems_changed).then(|| change.clone());
                if let Some(change) = event {
                    let _ = shared.events.send(change);
                }
                if let Some(prepared) = rebuilt.prepared {
                    indexer.request(generation, prepared);
                }
                let _ = reports.send(Report {
                    previous,
                    next,
                    change,
                });
            }
        })
        .map_err(|e| format!("cannot start the watcher: {e}"))?;
    Ok(())
}

/// A rebuild to report in the terminal, with the snapshot it replaced.
struct Report {
    previous: Arc<snapshot::Snapshot>,
    next: Arc<snapshot::Snapshot>,
    change: snapshot::Change,
}

/// Starts the thread that reports rebuilds in the order they happened, then lets go of the
/// snapshot each replaced (usually its last holder, so it is freed there). It runs at a lower
/// priority (nice 10), so a save that comes meanwhile is rebuilt first.
fn spawn_reporter() -> Result<mpsc::Sender<Report>, String> {
    let (tx, rx) = mpsc::channel::<Report>();
    std::thread::Builder::new()
        .name("etalage-report".into())
        .spawn(move || {
            #[cfg(target_os = "linux")]
            // SAFETY: with `who` 0 this changes the calling thread's priority only.
            unsafe {
                libc::setpriority(libc::PRIO_PROCESS, 0, 10);
            }
            for r in rx {
                r.next.report(Some(&r.previous), Some(&r.change));
            }
        })
        .map_err(|e| format!("cannot start the reporter: {e}"))?;
    Ok(tx)
}

/// The first build: served page by page while it runs, then as the first snapshot.
fn first_build(
    root: &Path,
    options: &Options,
    shared: &Shared,
    indexer: &Indexer,
) -> snapshot::State {
    let mut state = snapshot::State::default();
    crate::keep_freed_memory(None);
    let first = snapshot::rebuild(root, options, None, &mut state, &[], &|f| {
        shared.starting.put(&f.path, &f.bytes)
    });
    crate::keep_freed_memory(Some(super::KEEP_FREED_MS));
    first.snapshot.report(None, None);
    if let Ok(mut s) = shared.snapshot.write() {
        *s = Arc::new(first.snapshot);
    }
    // After the snapshot is in place: a request that waited looks there next.
    shared.starting.finish();
    if let Some(prepared) = first.prepared {
        indexer.request(0, prepared);
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_scratch_and_output() {
        let root = Path::new("/s");
        assert!(relevant(root, Path::new("/s/content/practices/a.md")));
        assert!(relevant(root, Path::new("/s/site.toml")));
        assert!(relevant(
            root,
            Path::new("/s/themes/default/static/etalage.css")
        ));
        assert!(!relevant(root, Path::new("/s/content/practices/.a.md.swp")));
        assert!(!relevant(root, Path::new("/s/content/practices/a.md~")));
        assert!(!relevant(root, Path::new("/s/public/index.html")));
        assert!(!relevant(root, Path::new("/s/target/debug/x")));
    }
}
