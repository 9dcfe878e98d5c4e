//! Builds the search index after the pages, on a thread of its own.
//!
//! Indexing a large site takes seconds, far longer than re-rendering the pages an edit touched,
//! so the dev server serves the new pages at once and swaps in the new index when it is ready.
//! Only the latest request is kept: a burst of saves indexes the last state once, and an index
//! built for a site that has changed since is dropped. The thread waits for a short quiet spell
//! and runs at a lower CPU priority, so it never slows down the rendering of the next edit. Once
//! edits stop, the served index is the one a clean build makes.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use etalage::Prepared;

use super::snapshot::diff;
use super::Shared;

/// How long the site must stay unchanged before indexing starts: long enough that an editor
/// saving again and again is not slowed by an index build on the other core (~50 ms a save at
/// 10k practices), short next to the seconds the index itself takes.
const QUIET: Duration = Duration::from_secs(1);

/// The pending request: the rebuild it is for and its site.
struct Request {
    generation: u64,
    prepared: Arc<Prepared>,
}

/// Hands sites to the indexing thread.
#[derive(Default)]
pub struct Indexer {
    latest: Mutex<Option<Request>>,
    wake: Condvar,
}

impl Indexer {
    /// Starts the indexing thread.
    pub fn spawn(shared: Arc<Shared>) -> Result<Arc<Indexer>, String> {
        let indexer = Arc::new(Indexer::default());
        let me = indexer.clone();
        std::thread::Builder::new()
            .name("etalage-index".into())
            .spawn(move || {
                crate::lower_priority();
                loop {
                    let request = me.next();
                    apply(&shared, &request);
                }
            })
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        Ok(indexer)
    }

    /// Asks for the index of the site of rebuild `generation`, replacing an older request.
    pub fn request(&self, generation: u64, prepared: Arc<Prepared>) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        *latest = Some(Request {
            generation,
            prepared,
        });
        self.wake.notify_one();
    }

    /// Waits for a request, then for a quiet spell in which no newer one arrived.
    fn next(&self) -> Request {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(r) = latest.take() {
                let (guard, _) = self
                    .wake
                    .wait_timeout(latest, QUIET)
                    .unwrap_or_else(PoisonError::into_inner);
                latest = guard;
                // Unless a newer request came in (then wait for quiet again with that one).
                if latest.is_none() {
                    return r;
                }
                continue;
            }
            latest = self
                .wake
                .wait(latest)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Indexes `request`'s site and serves the index if no rebuild happened meanwhile.
fn apply(shared: &Shared, request: &Request) {
    let files = match etalage::search_index(&request.prepared) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("search index: {e}");
            return;
        }
    };
    let change = {
        let Ok(mut current) = shared.snapshot.write() else {
            return;
        };
        if current.generation != request.generation {
            return;
        }
        let next = current.with_index(files);
        let change = diff(&current, &next);
        *current = Arc::new(next);
        change
    };
    if !change.paths.is_empty() {
        let _ = shared.events.send(change);
    }
}
