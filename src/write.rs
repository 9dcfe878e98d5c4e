//! Publishes a built site to disk, all at once.
//!
//! The new site is written to a staging folder beside the output folder, then swapped in with
//! one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`, or two renames elsewhere), so a failed
//! or killed build leaves the previous output as it was and stale files disappear with the old
//! folder. A marker file records that etalage created a folder; no other folder is ever
//! emptied or removed. This module and `load` are the only ones touching the disk during a build.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::Output;

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

/// Writes `output` into `dir`, replacing what was there in one step. Returns files written.
pub fn publish(output: &Output, dir: &Path) -> Result<usize> {
    let dir = absolute(dir)?;
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let staging = sibling(&dir, "etalage-staging");
    remove_ours(&staging)?;
    write_tree(output, &staging)?;
    swap_in(&staging, &dir)?;
    Ok(output.files.len())
}

/// Removes a folder only if etalage created it (it holds the marker).
fn remove_ours(dir: &Path) -> Result<()> {
    if dir.join(MARKER).is_file() {
        fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    } else if fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()) {
        // An empty folder (the one a first build replaced) holds nothing to lose.
        fs::remove_dir(dir).map_err(|e| Error::io(dir, e))?;
    } else if dir.exists() {
        return Err(Error::OutputRefused {
            path: dir.to_path_buf(),
            reason: "a leftover folder without etalage's marker is in the way; remove it".into(),
        });
    }
    Ok(())
}

fn write_tree(output: &Output, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    fs::write(
        dir.join(MARKER),
        b"This folder is written by etalage and replaced on every build.\n",
    )
    .map_err(|e| Error::io(dir, e))?;
    let mut folders: Vec<PathBuf> = output
        .files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for f in &folders {
        fs::create_dir_all(f).map_err(|e| Error::io(f, e))?;
    }
    output.files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        fs::write(&path, &f.bytes).map_err(|e| Error::io(&path, e))
    })
}

fn swap_in(staging: &Path, dir: &Path) -> Result<()> {
    if !dir.exists() {
        return fs::rename(staging, dir).map_err(|e| Error::io(dir, e));
    }
    if exchange(staging, dir).is_err() {
        let old = sibling(dir, "etalage-old");
        remove_ours(&old)?;
        fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
        fs::rename(staging, dir).map_err(|e| Error::io(dir, e))?;
        return remove_ours(&old);
    }
    // `staging` now holds the previous output.
    remove_ours(staging)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 does not retain them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}
