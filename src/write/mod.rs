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
//! 2. takes the new site file by file as it is rendered (`sink.rs`) and compares each with the
//!    other generation's manifest: a file is kept only if its hash is the listed one and the
//!    file on disk is a regular file of the listed size whose modification and change times
//!    are before the stamp. Changed, new and untrusted files are written at once (a file the
//!    current generation holds is copied from there at the end instead), removed ones deleted
//!    (and folders they leave empty), and the new manifest is stamped into the marker last. A
//!    generation that is missing, holds no manifest, or holds files someone added is emptied
//!    and written whole instead. When the current generation turns out to hold exactly the new
//!    site, nothing is written or switched;
//! 4. turns the link to that generation. An output folder of an older etalage (a real folder
//!    with the marker) is exchanged for the link in one step (Linux `renameat2`) and removed.
//!
//! Folders etalage removes lose their marker last, so a removal interrupted at any point is
//! finished by the next build instead of blocking it. This module and `load` are the only ones
//! touching the disk during a build. The price is disk space: up to two copies of the site.

mod disk;
mod generation;
mod manifest;
mod sink;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{Output, OutputFile};
use manifest::Manifest;
use sink::{Held, Start};
pub use sink::{Listed, Part, Sink};

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
    publish_each(dir, |sink| {
        output
            .files
            .par_iter()
            .map(|f| sink.put(f.clone()))
            .collect()
    })
}

/// The files a process published last, each with the hash of its bytes, sorted by path: what
/// [`publish_again`] needs to hash only the files whose bytes are new.
#[derive(Debug, Default)]
pub struct Published {
    files: Vec<(OutputFile, u128)>,
}

impl Published {
    /// The hash of `file`'s bytes: the remembered one when they are the very bytes published
    /// last time at its path (the same allocation, as a page the render memo reused has; the
    /// memo and this list hold it, so it cannot have been freed and reused), else computed.
    fn hash(&self, file: &OutputFile) -> u128 {
        match self
            .files
            .binary_search_by(|(f, _)| f.path.as_str().cmp(&file.path))
        {
            Ok(i) if std::sync::Arc::ptr_eq(&self.files[i].0.bytes, &file.bytes) => self.files[i].1,
            _ => manifest::hash(&file.bytes),
        }
    }
}

/// [`publish_summary`] for a process that publishes again and again (`build --watch`), of
/// the site made of the files in `parts`: the files whose bytes `last` published already are
/// not hashed again (at 10,000 practices, hashing every file's 600 MB was a third of a
/// rebuild). `last` becomes this site on success.
pub fn publish_again(parts: &[&[OutputFile]], dir: &Path, last: &mut Published) -> Result<Summary> {
    let files: Vec<&OutputFile> = parts.iter().flat_map(|p| p.iter()).collect();
    let hashes: Vec<u128> = files.par_iter().map(|f| last.hash(f)).collect();
    let summary = publish_each(dir, |sink| {
        files
            .par_iter()
            .zip(&hashes)
            .map(|(f, &h)| sink.put_hashed((*f).clone(), h))
            .collect()
    })?;
    let mut files: Vec<(OutputFile, u128)> = files.into_iter().cloned().zip(hashes).collect();
    files.par_sort_unstable_by(|a, b| a.0.path.cmp(&b.0.path));
    *last = Published { files };
    Ok(summary)
}

/// Publishes the site whose files `produce` hands to the [`Sink`] one by one (from any
/// thread, in any order), returning what the sink returned for each. A file is written as
/// soon as it is handed over, so the site is never held in memory whole. When `produce` fails
/// the output path is left as it was.
pub fn publish_each(
    dir: &Path,
    produce: impl FnOnce(&Sink) -> Result<Vec<Listed>>,
) -> Result<Summary> {
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
    let target = current.next(&dir);
    let current_marker = match current.folder(&dir) {
        Some(folder) => manifest::read(&folder)?.map(|(text, stamp)| (folder, text, stamp)),
        None => None,
    };
    let current_held = current_marker.as_ref().and_then(|(folder, text, stamp)| {
        Manifest::parse(text).map(|manifest| Held {
            dir: folder.clone(),
            manifest,
            stamp: *stamp,
        })
    });
    let target_marker = manifest::read(&target)?;
    let existed = fs::symlink_metadata(&target).is_ok();
    let sink = Sink::new(
        &dir,
        &target,
        start(&target, target_marker.as_ref()),
        current_held.as_ref(),
    );
    let mut listed = match produce(&sink) {
        Ok(listed) => listed,
        Err(e) => {
            if !existed {
                // Best effort: a generation this publish began is removed again.
                let _ = disk::remove_ours(&target);
            }
            return Err(e);
        }
    };
    listed.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    debug_assert!(
        listed.windows(2).all(|w| w[0].path != w[1].path),
        "two files with one path"
    );
    listed.dedup_by(|a, b| a.path == b.path);
    let text = manifest::text(listed.iter().map(|l| (l.path.as_str(), l.size, l.hash)))
        .unwrap_or_else(manifest::unlisted);
    if sink.unchanged(&text)? {
        return Ok(Summary {
            files: listed.len(),
            written: 0,
            removed: 0,
            method: Method::Unchanged,
        });
    }
    let done = sink.finish(&listed, &text)?;
    generation::switch(&dir, &current, &target)?;
    Ok(Summary {
        files: listed.len(),
        written: done.written,
        removed: done.removed,
        method: if done.whole {
            Method::Full
        } else {
            Method::Updated
        },
    })
}

/// How generation `target`, whose marker says `marker`, is brought up to date: file by file
/// when its manifest lists every file it holds and every listed file is a file (changed or
/// not), otherwise whole.
fn start<'a>(target: &Path, marker: Option<&'a (String, manifest::Time)>) -> Start<'a> {
    let Some((text, stamp)) = marker else {
        return Start::Whole;
    };
    let Some(m) = Manifest::parse(text) else {
        return Start::Whole;
    };
    if manifest::strays(target, &m, *stamp) {
        return Start::Whole;
    }
    match manifest::trusted(target, &m, *stamp) {
        Some(trusted) => Start::Update {
            held: Held {
                dir: target.to_path_buf(),
                manifest: m,
                stamp: *stamp,
            },
            trusted,
        },
        None => Start::Whole,
    }
}

/// An exclusive advisory lock on the folder at `path`, held until the returned handle is
/// dropped. The OS releases it when the process ends, killed or not.
fn lock(path: &Path) -> Result<fs::File> {
    let folder = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    folder.lock().map_err(|e| Error::io(path, e))?;
    Ok(folder)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(path: &str, bytes: &Arc<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: bytes.clone(),
        }
    }

    #[test]
    fn published_bytes_are_not_hashed_again_and_new_ones_are() {
        let kept = Arc::new(b"<p>kept</p>".to_vec());
        // A wrong hash remembered on purpose: it shows which hashes are remembered.
        let last = Published {
            files: vec![(file("a.html", &kept), 7), (file("b.html", &kept), 8)],
        };
        assert_eq!(last.hash(&file("a.html", &kept)), 7);
        assert_eq!(last.hash(&file("b.html", &kept)), 8);
        // The same bytes in another allocation, or at another path, are hashed.
        let copy = Arc::new(kept.to_vec());
        assert_eq!(last.hash(&file("a.html", &copy)), manifest::hash(&copy));
        assert_eq!(last.hash(&file("c.html", &kept)), manifest::hash(&kept));
    }
}
