//! Rebuilds the served site on every change of its sources (see `crate::changes`), on a thread
//! of its own. What follows the browsers' reload event (the terminal report, freeing the
//! previous site) is done on a reporter thread, so the watcher is ready for the next save at
//! once.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;

use etalage::Options;

use super::indexer::Indexer;
use super::snapshot::{self, diff};
use super::Shared;
use crate::changes::Changes;

/// Watches `root`, then makes the first build (its pages go to `shared.starting` as they are
/// rendered) and rebuilds on every relevant change, the changes made during the first build
/// included; each successful build is handed to `indexer` for its search index.
pub fn spawn(
    root: PathBuf,
    options: Options,
    shared: Arc<Shared>,
    indexer: Arc<Indexer>,
) -> Result<(), String> {
    let mut changes = Changes::watch(&root)?;
    let reports = spawn_reporter()?;
    std::thread::Builder::new()
        .name("etalage-watch".into())
        .spawn(move || {
            let root = changes.root().to_path_buf();
            let mut state = first_build(&root, &options, &shared, &indexer);
            while let Some(touched) = changes.next() {
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
    crate::keep_freed_memory(Some(crate::KEEP_FREED_MS));
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
