//! `etalage build --watch`: builds the site into its output folder, then again after every
//! change of its sources, reusing what did not change and writing only the files whose bytes
//! changed (see `etalage::rebuild`). A build with errors reports them, publishes nothing and
//! waits for the fix: the output keeps the last good site. After the first build, a rebuild
//! publishes its pages at once with the search index published before, and the new index
//! follows from a thread of its own (at the lowest CPU priority, so it never slows the next
//! save's build). Part of the binary, because it prints; it serves nothing (`etalage serve`
//! does).

use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use etalage::rebuild::ToIndex;
use etalage::render::OutputFile;
use etalage::{Diagnostic, Error, Options, Rebuilding, Report};

use crate::changes::{Changes, Next};

/// How often the loop looks for a finished search index while one is being made.
const INDEX_POLL: Duration = Duration::from_millis(5);

/// A search index made on the indexing thread: for which build, how long it took.
type Made = (u64, etalage::Result<Vec<OutputFile>>, Duration);

/// Builds, then rebuilds on every change until the process is stopped. Returns only when the
/// sources cannot be watched or the first build's output folder is refused.
pub fn run(root: &Path, output: Option<&Path>, options: &Options) -> ExitCode {
    // Watching starts first, so a save during the first build is built next.
    let mut changes = match Changes::watch(root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let root = changes.root().to_path_buf();
    let mut state = Rebuilding::default();
    let mut shown: Option<Vec<Diagnostic>> = None;
    let (made_tx, made_rx) = mpsc::channel::<Made>();
    let mut indexing = false;
    let mut queued: Option<ToIndex> = None;
    let mut touched = Vec::new();
    loop {
        match etalage::build_again(&root, output, options, &mut state, &touched) {
            Ok(rebuilt) => {
                let report = rebuilt.report;
                crate::print_new_warnings(&report.warnings, shown.as_deref());
                println!(
                    "{}",
                    built_line(&report, shown.is_none(), rebuilt.to_index.is_some())
                );
                shown = Some(report.warnings);
                queued = rebuilt.to_index;
            }
            // Nothing to watch for: the folder is refused whatever the sources say.
            Err(e @ Error::OutputRefused { .. }) if shown.is_none() => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            Err(e) => show_failure(&e),
        }
        if touched.is_empty() {
            println!(
                "watching {} for changes (press Ctrl+C to stop)",
                root.display()
            );
        }
        // Freed memory is kept a few seconds for the next save's build.
        crate::keep_freed_memory(Some(crate::KEEP_FREED_MS));
        touched = loop {
            if !indexing {
                if let Some(next) = queued.take() {
                    indexing = index_apart(next, made_tx.clone());
                }
            }
            let wait = if indexing {
                INDEX_POLL
            } else {
                Duration::from_secs(3600)
            };
            match changes.next_within(wait) {
                Next::Changed(paths) => break paths,
                Next::Quiet => {}
                Next::Stopped => {
                    eprintln!("error: the file watcher stopped");
                    return ExitCode::from(2);
                }
            }
            if let Ok(made) = made_rx.try_recv() {
                indexing = false;
                publish_index(&mut state, made);
            }
        };
    }
}

/// Starts making `next`'s search index on a thread of its own, which sends it to `made`.
/// False if the thread could not be started (the index then waits for the next build).
fn index_apart(next: ToIndex, made: mpsc::Sender<Made>) -> bool {
    let started = std::thread::Builder::new()
        .name("etalage-index".into())
        .spawn(move || {
            crate::lower_priority();
            let start = Instant::now();
            let index = etalage::search_index(&next.prepared);
            let _ = made.send((next.build, index, start.elapsed()));
        });
    match started {
        Ok(_) => true,
        Err(e) => {
            eprintln!("error: cannot start the search indexer: {e}");
            false
        }
    }
}

/// Publishes a search index the indexing thread made, unless a newer one is out already.
fn publish_index(state: &mut Rebuilding, (build, index, took): Made) {
    let published = index.and_then(|files| etalage::publish_index(state, build, files));
    match published {
        Ok(Some(report)) => println!(
            "search index updated in {} ms (made in {} ms): {} file(s) written, {} removed",
            (took + report.elapsed).as_millis(),
            took.as_millis(),
            report.written,
            report.removed
        ),
        Ok(None) => {}
        Err(e) => show_failure(&e),
    }
}

/// What a build did, in one line.
fn built_line(report: &Report, first: bool, index_follows: bool) -> String {
    let what = if first { "built" } else { "rebuilt" };
    let follows = if index_follows {
        "; the search index follows"
    } else {
        ""
    };
    format!(
        "{what} {} pages ({} files) into {} in {} ms: {} file(s) written, {} removed{follows}",
        report.pages,
        report.files,
        report.output_dir.display(),
        report.elapsed.as_millis(),
        report.written,
        report.removed
    )
}

/// Reports a failed build; the output folder is as it was.
fn show_failure(e: &Error) {
    match e {
        Error::Content(diags) => {
            crate::print_all(diags);
            eprintln!("{}", crate::build_failed(diags));
        }
        e => eprintln!("error: {e}; nothing was published (the output folder is as it was)"),
    }
}
