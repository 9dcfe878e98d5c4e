//! The in-place update of a small change set, made safe against being killed by a journal.
//!
//! [`update`] writes the changed and new files and the next manifest into the staging folder,
//! then commits by writing the journal (a temporary file renamed to `.etalage-journal`) that
//! lists the files to move into the output and the files to delete. Only then does it touch
//! the output: each staged file is renamed over its old version (one atomic step per file),
//! removed files are deleted and folders they leave empty are removed, and last the next
//! manifest is stamped and renamed over the marker. A build killed before the commit leaves the
//! output untouched and a staging folder the next build discards; one killed after it leaves
//! every file whole, old or new, and [`recover`] finishes the job at the start of the next
//! publish. Every step can be done twice: a staged file already moved, or a file already
//! deleted, is skipped.

use std::fs;
use std::io;
use std::path::Path;

use super::disk::{self, pause};
use super::manifest::valid_path;
use super::MARKER;
use crate::error::{Error, Result};
use crate::render::OutputFile;

/// The journal's name in the staging folder; it exists only once the update is committed.
pub const JOURNAL: &str = ".etalage-journal";

/// The next manifest's name in the staging folder, until it replaces the output's marker.
const NEXT_MANIFEST: &str = ".etalage-manifest";

const HEADER: &str = "etalage-journal 1";

/// The marker text of a staging folder.
const STAGING: &str = "This folder is etalage's staging area for a build in progress.\n";

/// What a committed update does to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    /// Files staged under the same path, to be renamed into the output.
    pub puts: Vec<String>,
    /// Files of the previous manifest that the new site does not have.
    pub deletes: Vec<String>,
}

impl Journal {
    fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for p in &self.puts {
            text.push_str(&format!("put {p}\n"));
        }
        for p in &self.deletes {
            text.push_str(&format!("delete {p}\n"));
        }
        text.push_str("end\n");
        text
    }

    /// A journal's text; `None` unless it is complete and every path is a plain relative one.
    fn parse(text: &str) -> Option<Self> {
        let body = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
        let body = body.strip_suffix("end\n")?;
        let mut journal = Journal::default();
        for line in body.lines() {
            let (verb, path) = line.split_once(' ')?;
            if !valid_path(path) {
                return None;
            }
            match verb {
                "put" => journal.puts.push(path.to_string()),
                "delete" => journal.deletes.push(path.to_string()),
                _ => return None,
            }
        }
        Some(journal)
    }
}

/// Writes `files` into the output folder `dir` and deletes `deletes` through the staging folder
/// and a journal, and replaces the marker's text with `manifest`.
pub fn update(
    dir: &Path,
    staging: &Path,
    files: &[&OutputFile],
    deletes: Vec<String>,
    manifest: &str,
) -> Result<()> {
    disk::create_marked(staging, STAGING)?;
    disk::write_files(staging, files)?;
    let next = staging.join(NEXT_MANIFEST);
    fs::write(&next, manifest).map_err(|e| Error::io(&next, e))?;
    let journal = Journal {
        puts: files.iter().map(|f| f.path.clone()).collect(),
        deletes,
    };
    disk::write_atomic(&staging.join(JOURNAL), &journal.to_text())?;
    pause();
    apply(&journal, staging, dir)
}

/// Finishes or discards what an interrupted publish left in `staging`: a committed journal is
/// rolled forward (if the output folder still holds its marker), anything else is removed.
/// Returns whether a journal was rolled forward.
pub fn recover(dir: &Path, staging: &Path) -> Result<bool> {
    match fs::symlink_metadata(staging) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(staging, e)),
        Ok(_) => {}
    }
    let journal = read(staging).filter(|_| dir.join(MARKER).is_file());
    // A journal that cannot be finished is dropped: the output then still holds the previous
    // manifest, whose stamp predates every file the journal moved, so the publish that follows
    // writes those files again.
    if let Some(journal) = journal {
        if apply(&journal, staging, dir).is_ok() {
            return Ok(true);
        }
    }
    disk::remove_ours(staging)?;
    Ok(false)
}

/// The committed journal in `staging`, if any (a staging folder without etalage's marker is
/// not etalage's, whatever it holds).
fn read(staging: &Path) -> Option<Journal> {
    if !staging.join(MARKER).is_file() {
        return None;
    }
    let text = fs::read_to_string(staging.join(JOURNAL)).ok()?;
    Journal::parse(&text)
}

/// Carries out a committed journal; safe to run again after an interruption at any point.
fn apply(journal: &Journal, staging: &Path, dir: &Path) -> Result<()> {
    for p in &journal.puts {
        let from = staging.join(p);
        match fs::symlink_metadata(&from) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&from, e)),
            Ok(_) => disk::rename_into(&from, &dir.join(p))?,
        }
        pause();
    }
    for p in &journal.deletes {
        let path = dir.join(p);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(Error::io(&path, e)),
            _ => pause(),
        }
    }
    remove_emptied_folders(dir, &journal.deletes);
    let next = staging.join(NEXT_MANIFEST);
    if next.is_file() {
        disk::stamp(&next)?;
        let marker = dir.join(MARKER);
        fs::rename(&next, &marker).map_err(|e| Error::io(&marker, e))?;
        pause();
    }
    let path = staging.join(JOURNAL);
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    disk::remove_ours(staging)
}

/// Removes the folders of deleted files that are now empty, deepest first. They held files
/// etalage wrote; a folder that still holds anything is left alone.
fn remove_emptied_folders(dir: &Path, deleted: &[String]) {
    let mut folders: Vec<&str> = deleted
        .iter()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    folders.sort_by(|a, b| {
        b.matches('/')
            .count()
            .cmp(&a.matches('/').count())
            .then(a.cmp(b))
    });
    folders.dedup();
    for f in folders {
        let _ = fs::remove_dir(dir.join(f));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_must_be_complete() {
        let j = Journal {
            puts: vec!["index.html".into(), "a b/index.html".into()],
            deletes: vec!["praktijken/x/index.html".into()],
        };
        let text = j.to_text();
        assert_eq!(Journal::parse(&text), Some(j));
        assert_eq!(Journal::parse(text.trim_end_matches("end\n")), None);
        assert_eq!(Journal::parse(&text.replace("a b/", "../")), None);
        assert_eq!(Journal::parse(&text.replace("put", "move")), None);
    }

    #[test]
    fn emptied_folders_go_deepest_first_and_full_ones_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::create_dir_all(dir.join("a/b/c")).unwrap();
        fs::create_dir_all(dir.join("d")).unwrap();
        fs::write(dir.join("d/keep.txt"), "x").unwrap();
        remove_emptied_folders(dir, &["a/b/c/x.html".into(), "d/y.html".into()]);
        assert!(!dir.join("a").exists());
        assert!(dir.join("d/keep.txt").is_file());
    }
}
