//! The first build's files as they are rendered, so that the dev server answers a request for
//! a page as soon as that page exists rather than once the whole site is built (seconds at
//! 10,000 practices; the home page is among the first pages made).
//!
//! Only the first build streams its files here: a later rebuild is quick, and the previous site
//! is served meanwhile. This is not the served state ([`super::Snapshot`] is); it is emptied
//! when the first build is done, after the snapshot of that build is in place.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::Notify;

/// The files of the first build so far; `None` once it is done.
pub struct Starting {
    files: Mutex<Option<HashMap<String, etalage::render::Bytes>>>,
    changed: Notify,
}

/// What [`Starting::wait_for`] found.
#[derive(Debug, PartialEq)]
pub enum Lookup {
    /// The file at this path was made.
    Found(String, etalage::render::Bytes),
    /// The first build is over: look in the snapshot.
    Done,
}

impl Starting {
    /// A first build that has not made any file yet.
    pub fn new() -> Self {
        Starting {
            files: Mutex::new(Some(HashMap::new())),
            changed: Notify::new(),
        }
    }

    /// Records a file the first build made.
    pub fn put(&self, path: &str, bytes: &etalage::render::Bytes) {
        if let Some(files) = self.files.lock().unwrap().as_mut() {
            files.insert(path.to_string(), bytes.clone());
        }
        self.changed.notify_waiters();
    }

    /// Ends the first build: its files are forgotten (the snapshot has them) and every waiter
    /// is told to look in the snapshot.
    pub fn finish(&self) {
        *self.files.lock().unwrap() = None;
        self.changed.notify_waiters();
    }

    /// Waits until the first build has made one of `paths` (the first of them it has wins),
    /// or is over. Returns at once when it is over already.
    pub async fn wait_for(&self, paths: &[String]) -> Lookup {
        loop {
            // Registered before looking, so a file put in between is not missed.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            match self.files.lock().unwrap().as_ref() {
                None => return Lookup::Done,
                Some(files) => {
                    let hit = paths
                        .iter()
                        .find_map(|p| files.get(p).map(|b| (p.clone(), b.clone())));
                    if let Some((path, bytes)) = hit {
                        return Lookup::Found(path, bytes);
                    }
                }
            }
            changed.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    fn bytes(s: &str) -> etalage::render::Bytes {
        Arc::new(s.as_bytes().to_vec())
    }

    /// A request waiting for `path`, given time to start waiting.
    fn waiter(
        rt: &tokio::runtime::Runtime,
        starting: &Arc<Starting>,
        path: &str,
    ) -> tokio::task::JoinHandle<Lookup> {
        let (s, paths) = (starting.clone(), vec![path.to_string()]);
        let handle = rt.spawn(async move { s.wait_for(&paths).await });
        std::thread::sleep(Duration::from_millis(50));
        handle
    }

    #[test]
    fn a_waiter_gets_its_file_when_it_is_made() {
        let rt = runtime();
        let starting = Arc::new(Starting::new());
        let waiter = waiter(&rt, &starting, "a/index.html");
        starting.put("b/index.html", &bytes("b"));
        starting.put("a/index.html", &bytes("a"));
        let got = rt.block_on(waiter).unwrap();
        assert_eq!(got, Lookup::Found("a/index.html".into(), bytes("a")));
    }

    #[test]
    fn a_file_made_before_the_request_is_found_at_once() {
        let rt = runtime();
        let starting = Starting::new();
        starting.put("index.html", &bytes("home"));
        let paths = ["x".to_string(), "index.html".to_string()];
        let got = rt.block_on(starting.wait_for(&paths));
        assert_eq!(got, Lookup::Found("index.html".into(), bytes("home")));
    }

    #[test]
    fn a_waiter_for_a_file_the_build_never_makes_is_sent_to_the_snapshot() {
        let rt = runtime();
        let starting = Arc::new(Starting::new());
        let waiter = waiter(&rt, &starting, "nope.html");
        starting.put("index.html", &bytes("home"));
        starting.finish();
        assert_eq!(rt.block_on(waiter).unwrap(), Lookup::Done);
        // Once over, nothing is kept and nobody waits.
        starting.put("late.html", &bytes("late"));
        let got = rt.block_on(starting.wait_for(&["late.html".to_string()]));
        assert_eq!(got, Lookup::Done);
    }
}
