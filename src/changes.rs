//! Watches a site's sources and hands over each change as one batch of paths: the one source of
//! rebuilds for `etalage serve` and `etalage build --watch`. It does not build anything.
//!
//! notify's recommended watcher (inotify on Linux), debounced here: after the first change the
//! watcher waits until no event came for [`QUIET`], or for [`QUIET_AFTER_SAVE`] after an event
//! that ends a save (the file closed after writing, or renamed into place), so an editor's
//! atomic save (write temp, rename) or a burst of saves becomes one rebuild, started soon after
//! the last event (a fixed-delay debouncer would add its whole delay to every save). Scratch
//! files (swap, backup, hidden) and the output folder are ignored. Folders created later
//! (`templates/`, `static/`) are picked up.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

const WATCHED: &[&str] = &["content", "themes", "templates", "static"];
/// How long the watcher waits after an event for another before it rebuilds: an editor's save
/// (a temporary file written and renamed, a backup made and removed) sends its events within
/// well under a millisecond, so this takes it as one change and is not felt. A save split
/// across two rebuilds costs only the second one, which makes the site whole again.
const QUIET: Duration = Duration::from_millis(3);
/// The same wait after an event that ends a save of a site file (the file closed after writing,
/// or renamed into place): only what comes with it, such as a backup removed, is waited for.
const QUIET_AFTER_SAVE: Duration = Duration::from_micros(500);

/// What [`Changes::next_within`] saw.
pub enum Next {
    /// A change, with the paths it touched (absolute).
    Changed(Vec<PathBuf>),
    /// Nothing that can affect the site.
    Quiet,
    /// The watcher has stopped.
    Stopped,
}

/// The changes to a site's sources, as they happen.
pub struct Changes {
    /// The site folder, canonical (the watcher reports canonical paths).
    root: PathBuf,
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    watcher: notify::RecommendedWatcher,
    /// The source folders watched so far.
    watched: Vec<PathBuf>,
}

impl Changes {
    /// Starts watching the site at `root`: every change from now on is reported by
    /// [`Changes::next`], also those made while the caller builds for the first time.
    pub fn watch(root: &Path) -> Result<Changes, String> {
        let root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let (tx, rx) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut changes = Changes {
            root,
            rx,
            watcher,
            watched: Vec::new(),
        };
        changes.add_watches();
        Ok(changes)
    }

    /// The site folder, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Waits for the next change that can affect the site and returns the paths it touched
    /// (absolute), or `None` once the watcher has stopped.
    pub fn next(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            match self.next_within(Duration::from_secs(3600)) {
                Next::Changed(paths) => return Some(paths),
                Next::Quiet => {}
                Next::Stopped => return None,
            }
        }
    }

    /// [`Changes::next`], waiting at most about `timeout` for a change to begin.
    pub fn next_within(&mut self, timeout: Duration) -> Next {
        let first = match self.rx.recv_timeout(timeout) {
            Ok(event) => event,
            Err(mpsc::RecvTimeoutError::Timeout) => return Next::Quiet,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Next::Stopped,
        };
        let mut batch = vec![first];
        loop {
            let saved = batch.last().is_some_and(|e| ends_save(&self.root, e));
            match self
                .rx
                .recv_timeout(if saved { QUIET_AFTER_SAVE } else { QUIET })
            {
                Ok(more) => batch.push(more),
                Err(_) => break,
            }
        }
        let touched: Vec<PathBuf> = batch
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .filter(|e| changes_content(&e.kind))
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| relevant(&self.root, p))
            .collect();
        if touched.is_empty() {
            return Next::Quiet;
        }
        self.add_watches();
        Next::Changed(touched)
    }

    /// Watches the source folders that exist now and were not watched yet.
    fn add_watches(&mut self) {
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir);
            }
        }
    }
}

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
fn relevant(root: &Path, path: &Path) -> bool {
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
