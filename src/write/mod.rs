//! Publishes a built site to disk, writing only the files whose bytes changed, so that a failed
//! or killed build never leaves a half-written site and never deletes anything etalage did not
//! create.
//!
//! A marker file, `.etalage-output`, records that etalage created a folder; no other folder is
//! ever emptied or removed. The marker also holds the manifest of the last publish (every file
//! with its size and an XXH3-128 hash; see `manifest.rs` for how its modification time, the
//! stamp, tells which files are still as written). A publish
//!
//! 1. finishes or discards what an interrupted one left in the staging folder beside the output
//!    (`.NAME.etalage-staging`; see `journal.rs`);
//! 2. hashes the new files and compares them with the manifest: a file is unchanged only if its
//!    hash is the listed one and the file on disk is a regular file of the listed size whose
//!    modification and change times are before the stamp. Any other file is written again, so
//!    hand-edited or deleted output is repaired. Folders changed since the stamp are read to
//!    find files someone added;
//! 3. writes nothing when nothing changed;
//! 4. updates the output in place through a journal when at most a quarter of the files are
//!    written or removed, there is nothing foreign in the folder and no file takes the place
//!    of a folder (or the reverse): each changed file is staged, then renamed over its old
//!    version, removed files and the folders they leave empty are deleted, and the new manifest
//!    replaces the marker last;
//! 5. otherwise (first build, no or unreadable manifest, large change, foreign files) writes the
//!    whole site into the staging folder and swaps it in with one atomic rename (Linux
//!    `renameat2(RENAME_EXCHANGE)`, two renames elsewhere); the previous folder is then removed,
//!    foreign files with it, as they always were.
//!
//! After a kill the output is the previous site, the new one, or, during the renames of step 4,
//! a mix of whole files of both with the committed journal beside it, which the next build
//! finishes first. Folders etalage removes lose their marker last, so a removal interrupted at
//! any point is finished by the next build instead of blocking it. This module and `load` are
//! the only ones touching the disk during a build.

mod disk;
mod journal;
mod manifest;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{Output, OutputFile};
use manifest::Manifest;

/// Present in every folder etalage writes; its absence protects a folder from being replaced.
pub const MARKER: &str = ".etalage-output";

const PROTECTED: &[&str] = &["content", "themes", "templates", "static", ".git", "src"];

/// Refuses output folders that would destroy sources: the site root or an ancestor, a source
/// folder or anything in one, `/`, the home folder, or a non-empty folder without the marker.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let refuse = |reason: &str| {
        Err(Error::OutputRefused {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    let root = fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let out_abs = absolute(out)?;
    if out_abs.parent().is_none() {
        return refuse("it is the file system root");
    }
    if std::env::var_os("HOME").is_some_and(|h| Path::new(&h) == out_abs) {
        return refuse("it is the home folder");
    }
    if root.starts_with(&out_abs) {
        return refuse("it is the site folder or contains it");
    }
    for name in PROTECTED {
        if out_abs.starts_with(root.join(name)) {
            return refuse(&format!("it lies in the site's `{name}/` folder"));
        }
    }
    match fs::read_dir(&out_abs) {
        Ok(mut entries) => {
            let empty = entries.next().is_none();
            if !empty && !out_abs.join(MARKER).is_file() {
                return refuse(&format!("it is not empty and was not created by etalage (no {MARKER} file); empty it or choose another folder"));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => refuse("it is a file"),
        Err(e) => Err(Error::io(&out_abs, e)),
    }
}

/// `path` made absolute and normalised, whether or not it exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(path, e))?
            .join(path)
    };
    // Canonicalise the deepest existing ancestor so symlinks cannot hide the real target.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    Ok(out)
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    dir.with_file_name(format!(".{name}.{suffix}"))
}

/// Creates a new source file; fails if anything is already at `path`.
pub fn create_new(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => Error::Exists(path.to_path_buf()),
            _ => Error::io(path, e),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

/// How a publish brought the output folder up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every file was already as built: nothing was written.
    Unchanged,
    /// The changed files were renamed into the output through a journal.
    InPlace,
    /// The whole site was written to the staging folder and swapped in.
    Swap,
}

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Files in the site.
    pub files: usize,
    /// Files written.
    pub written: usize,
    /// Files of the previous site deleted one by one (in place only; a swap removes the whole
    /// previous folder).
    pub removed: usize,
    pub method: Method,
}

/// The in-place update is used when written plus removed files are at most `1 / IN_PLACE` of the
/// site's files; beyond that, writing a fresh tree and swapping it in costs about the same.
const IN_PLACE: usize = 4;

/// Writes `output` into `dir`, bringing it up to date in one step. Returns the number of files
/// in the site.
pub fn publish(output: &Output, dir: &Path) -> Result<usize> {
    publish_summary(output, dir).map(|s| s.files)
}

/// [`publish`], telling how the folder was brought up to date.
pub fn publish_summary(output: &Output, dir: &Path) -> Result<Summary> {
    let dir = absolute(dir)?;
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    // Two builds into the same folder take turns: the second waits for the first to finish.
    // The lock is on the parent folder, which outlives every swap and needs no lock file.
    let _lock = match dir.parent() {
        Some(parent) => Some(lock(parent)?),
        None => None,
    };
    let staging = staging(&dir);
    journal::recover(&dir, &staging)?;
    let hashes: Vec<u128> = output
        .files
        .par_iter()
        .map(|f| manifest::hash(&f.bytes))
        .collect();
    let summary = |written, removed, method| Summary {
        files: output.files.len(),
        written,
        removed,
        method,
    };
    match plan(output, &hashes, &dir)? {
        Plan::Unchanged => Ok(summary(0, 0, Method::Unchanged)),
        Plan::InPlace { puts, deletes } => {
            let (written, removed) = (puts.len(), deletes.len());
            let text = marker_text(output, &hashes);
            journal::update(&dir, &staging, &puts, deletes, &text)?;
            Ok(summary(written, removed, Method::InPlace))
        }
        Plan::Swap => {
            swap(output, &marker_text(output, &hashes), &dir, &staging)?;
            Ok(summary(output.files.len(), 0, Method::Swap))
        }
    }
}

/// An exclusive advisory lock on the folder at `path`, held until the returned handle is
/// dropped. The OS releases it when the process ends, killed or not.
fn lock(path: &Path) -> Result<fs::File> {
    let folder = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    folder.lock().map_err(|e| Error::io(path, e))?;
    Ok(folder)
}

/// The marker's text for `output`: its manifest, or no manifest if a path cannot be listed.
fn marker_text(output: &Output, hashes: &[u128]) -> String {
    let files = output.files.iter().map(|f| (f.path.as_str(), &f.bytes[..]));
    manifest::text(files, hashes).unwrap_or_else(manifest::unlisted)
}

/// Finishes what a publish into `dir` that was killed left behind: rolls a committed journal
/// forward or removes the staging folder. Returns whether a journal was rolled forward. Every
/// publish does this first; it is public for tests and tools.
pub fn recover(dir: &Path) -> Result<bool> {
    let dir = absolute(dir)?;
    journal::recover(&dir, &staging(&dir))
}

/// The staging folder of output folder `dir`, beside it on the same file system.
fn staging(dir: &Path) -> PathBuf {
    sibling(dir, "etalage-staging")
}

enum Plan<'a> {
    Unchanged,
    InPlace {
        puts: Vec<&'a OutputFile>,
        deletes: Vec<String>,
    },
    Swap,
}

/// Compares the new site with what the output folder holds and picks the way to publish it.
fn plan<'a>(output: &'a Output, hashes: &[u128], dir: &Path) -> Result<Plan<'a>> {
    let Some((text, stamp)) = manifest::read(dir)? else {
        return Ok(Plan::Swap);
    };
    let Some(old) = Manifest::parse(&text) else {
        return Ok(Plan::Swap);
    };
    let sorted = output.files.windows(2).all(|w| w[0].path < w[1].path);
    if !sorted || manifest::strays(dir, &old, stamp) {
        return Ok(Plan::Swap);
    }
    let Some(trusted) = manifest::trusted(dir, &old, stamp) else {
        return Ok(Plan::Swap);
    };
    let (puts, deletes) = diff(output, hashes, &old, &trusted);
    let changes = puts.len() + deletes.len();
    Ok(if changes == 0 {
        Plan::Unchanged
    } else if changes * IN_PLACE > output.files.len()
        || !puts.iter().all(|f| manifest::valid_path(&f.path))
        || conflicts(output, &old, &puts, &deletes)
    {
        Plan::Swap
    } else {
        Plan::InPlace { puts, deletes }
    })
}

/// The files of `output` to write (new, changed, or not trusted on disk) and the paths of `old`
/// to delete, by one walk over both sorted lists.
fn diff<'a>(
    output: &'a Output,
    hashes: &[u128],
    old: &Manifest,
    trusted: &[bool],
) -> (Vec<&'a OutputFile>, Vec<String>) {
    let (mut puts, mut deletes) = (Vec::new(), Vec::new());
    let mut j = 0;
    for (f, &hash) in output.files.iter().zip(hashes) {
        while j < old.entries.len() && old.entries[j].path < f.path.as_str() {
            deletes.push(old.entries[j].path.to_string());
            j += 1;
        }
        let kept = old.entries.get(j).filter(|e| e.path == f.path);
        if kept.is_some() {
            j += 1;
        }
        if !kept.is_some_and(|e| trusted[j - 1] && e.hash == hash) {
            puts.push(f);
        }
    }
    deletes.extend(old.entries[j..].iter().map(|e| e.path.to_string()));
    (puts, deletes)
}

/// True when a file to write lies where `old` has a folder, or a file to delete where `output`
/// has one: renaming files one by one cannot turn one into the other.
fn conflicts(output: &Output, old: &Manifest, puts: &[&OutputFile], deletes: &[String]) -> bool {
    let new_folder = |path: &str| {
        let prefix = format!("{path}/");
        let i = output.files.partition_point(|f| f.path < prefix);
        output
            .files
            .get(i)
            .is_some_and(|f| f.path.starts_with(&prefix))
    };
    puts.iter().any(|f| old.has_folder(&f.path)) || deletes.iter().any(|p| new_folder(p))
}

/// Writes the whole site into `staging`, stamps its manifest and swaps it in for `dir`.
fn swap(output: &Output, text: &str, dir: &Path, staging: &Path) -> Result<()> {
    disk::create_marked(staging, text)?;
    let files: Vec<&OutputFile> = output.files.iter().collect();
    disk::write_files(staging, &files)?;
    disk::stamp(&staging.join(MARKER))?;
    disk::swap_in(staging, dir, &sibling(dir, "etalage-old"))
}
