//! Publishes a built site to disk, writing only the files whose bytes changed, so that a failed
//! or killed build never leaves a half-written site and never deletes anything etalage did not
//! create.
//!
//! The output path (`public`) is a symbolic link to one of two *generations* beside it,
//! `.public.etalage-a` and `.public.etalage-b`. A publish brings the generation the link does
//! not point to up to date and then turns the link to it in one atomic rename, so readers see
//! the previous site or the new one, whole, at every moment, and a build killed at any point
//! leaves the previous site in place. The generation brought up to date holds the site of two
//! builds ago, so only the files that changed since then are written (see `generation.rs`).
//!
//! A marker file, `.etalage-output`, records that etalage created a folder; no other folder is
//! ever emptied or removed. The marker also holds the manifest of the generation (every file
//! with its size and an XXH3-128 hash; see `manifest.rs` for how its modification time, the
//! stamp, tells which files are still as written). A publish
//!
//! 1. removes what older or interrupted publishes left beside the output (staging folders,
//!    a half-made link), all marked;
//! 2. writes nothing when the current generation already holds exactly the new site;
//! 3. otherwise compares the new site with the other generation's manifest: a file is kept
//!    only if its hash is the listed one and the file on disk is a regular file of the listed
//!    size whose modification and change times are before the stamp. Changed, new and
//!    untrusted files are written, removed ones deleted (and folders they leave empty), and
//!    the new manifest is stamped into the marker last. A generation that is missing, holds
//!    no manifest, holds files someone added, or where a file must replace a folder (or the
//!    reverse) is written whole from scratch instead;
//! 4. turns the link to that generation. An output folder of an older etalage (a real folder
//!    with the marker) is exchanged for the link in one step (Linux `renameat2`) and removed.
//!
//! Folders etalage removes lose their marker last, so a removal interrupted at any point is
//! finished by the next build instead of blocking it. This module and `load` are the only ones
//! touching the disk during a build. The price is disk space: up to two copies of the site.

mod disk;
mod generation;
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

/// `path` joined to the working folder unless it is absolute already.
fn joined_to_cwd(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(path, e))?;
    Ok(cwd.join(path))
}

/// `path` made absolute and normalised, whether or not it exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = joined_to_cwd(path)?;
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

/// `path` made absolute, its parent normalised like [`absolute`] but the path itself not
/// resolved: it may be etalage's link.
fn location(path: &Path) -> Result<PathBuf> {
    let abs = joined_to_cwd(path)?;
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => Ok(absolute(parent)?.join(name)),
        _ => absolute(&abs),
    }
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

/// How a publish brought the output up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The current generation already held the site: nothing was written.
    Unchanged,
    /// The other generation was brought up to date file by file and made current.
    Updated,
    /// A generation was written whole from scratch and made current.
    Full,
}

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Files in the site.
    pub files: usize,
    /// Files written.
    pub written: usize,
    /// Files of the generation's previous site deleted one by one (none when it was written
    /// whole).
    pub removed: usize,
    pub method: Method,
}

/// Writes `output` into `dir`, bringing it up to date in one step. Returns the number of files
/// in the site.
pub fn publish(output: &Output, dir: &Path) -> Result<usize> {
    publish_summary(output, dir).map(|s| s.files)
}

/// [`publish`], telling how the output was brought up to date.
pub fn publish_summary(output: &Output, dir: &Path) -> Result<Summary> {
    let dir = generation::output_path(&location(dir)?)?;
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    // Two builds into the same folder take turns: the second waits for the first to finish.
    // The lock is on the parent folder, which outlives every change and needs no lock file.
    let _lock = match dir.parent() {
        Some(parent) => Some(lock(parent)?),
        None => None,
    };
    generation::clean_leftovers(&dir)?;
    let current = generation::current(&dir)?;
    let hashes: Vec<u128> = output
        .files
        .par_iter()
        .map(|f| manifest::hash(&f.bytes))
        .collect();
    let text = marker_text(output, &hashes);
    let summary = |written, removed, method| Summary {
        files: output.files.len(),
        written,
        removed,
        method,
    };
    if let Some(folder) = current.folder(&dir) {
        if holds_exactly(&folder, &text)? {
            return Ok(summary(0, 0, Method::Unchanged));
        }
    }
    let target = current.next(&dir);
    let done = match plan(output, &hashes, &target)? {
        Plan::Update { puts, deletes } => {
            update(&target, &puts, &deletes, &text)?;
            summary(puts.len(), deletes.len(), Method::Updated)
        }
        Plan::Full => {
            disk::remove_ours(&target)?;
            disk::create_marked(&target, &manifest::unlisted())?;
            let files: Vec<&OutputFile> = output.files.iter().collect();
            disk::write_files(&target, &files)?;
            disk::write_atomic(&target.join(MARKER), &text)?;
            disk::stamp(&target.join(MARKER))?;
            summary(output.files.len(), 0, Method::Full)
        }
    };
    generation::switch(&dir, &current, &target)?;
    Ok(done)
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

/// True when `folder`'s manifest is `text` and every file in it is still as written, with
/// nothing added.
fn holds_exactly(folder: &Path, text: &str) -> Result<bool> {
    let Some((old_text, stamp)) = manifest::read(folder)? else {
        return Ok(false);
    };
    if old_text != text {
        return Ok(false);
    }
    let Some(old) = Manifest::parse(&old_text) else {
        return Ok(false);
    };
    let trusted = manifest::trusted(folder, &old, stamp);
    Ok(trusted.is_some_and(|t| t.iter().all(|&t| t)) && !manifest::strays(folder, &old, stamp))
}

enum Plan<'a> {
    Update {
        puts: Vec<&'a OutputFile>,
        deletes: Vec<String>,
    },
    Full,
}

/// Compares the new site with what generation `target` holds and picks the way to bring it
/// up to date.
fn plan<'a>(output: &'a Output, hashes: &[u128], target: &Path) -> Result<Plan<'a>> {
    let Some((text, stamp)) = manifest::read(target)? else {
        return Ok(Plan::Full);
    };
    let Some(old) = Manifest::parse(&text) else {
        return Ok(Plan::Full);
    };
    let sorted = output.files.windows(2).all(|w| w[0].path < w[1].path);
    if !sorted || manifest::strays(target, &old, stamp) {
        return Ok(Plan::Full);
    }
    let Some(trusted) = manifest::trusted(target, &old, stamp) else {
        return Ok(Plan::Full);
    };
    let (puts, deletes) = diff(output, hashes, &old, &trusted);
    Ok(
        if !puts.iter().all(|f| manifest::valid_path(&f.path))
            || conflicts(output, &old, &puts, &deletes)
        {
            Plan::Full
        } else {
            Plan::Update { puts, deletes }
        },
    )
}

/// Brings generation `dir` up to date: writes `puts`, deletes `deletes` and the folders they
/// leave empty, and stamps the new manifest `text` into the marker last. A kill on the way
/// leaves files written after the old stamp, which the next publish does not trust.
fn update(dir: &Path, puts: &[&OutputFile], deletes: &[String], text: &str) -> Result<()> {
    disk::write_files(dir, puts)?;
    for p in deletes {
        let path = dir.join(p);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(Error::io(&path, e)),
            _ => disk::pause(),
        }
    }
    disk::remove_emptied_folders(dir, deletes);
    let marker = dir.join(MARKER);
    disk::write_atomic(&marker, text)?;
    disk::stamp(&marker)
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
/// has one: writing files one by one cannot turn one into the other.
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
