//! The file operations publishing is made of: writing files into a folder, removing a folder
//! etalage made (its marker last, so an interrupted removal can always be finished), removing
//! emptied folders, and setting the manifest's stamp after every other change.
//!
//! Debug builds pause after each step when `ETALAGE_TEST_WRITE_PAUSE_US` is set, so the kill
//! test (`tests/it/killed.rs`) can stop a build inside any phase of a publish; release builds
//! have no such hook.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::manifest::{mtime, Time};
use super::MARKER;
use crate::error::{Error, Result};

/// Sleeps for `ETALAGE_TEST_WRITE_PAUSE_US` microseconds (debug builds only).
#[cfg(debug_assertions)]
pub fn pause() {
    static PAUSE: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    let pause = PAUSE.get_or_init(|| {
        std::env::var("ETALAGE_TEST_WRITE_PAUSE_US")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_micros)
    });
    if let Some(d) = pause {
        std::thread::sleep(*d);
    }
}

#[cfg(not(debug_assertions))]
pub fn pause() {}

/// Creates `dir` holding only the marker with `text`.
pub fn create_marked(dir: &Path, text: &str) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let marker = dir.join(MARKER);
    fs::write(&marker, text).map_err(|e| Error::io(&marker, e))
}

/// Writes `text` to `path` through a temporary file beside it and a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Removes a folder only if etalage created it (it holds the marker), or if it is empty.
pub fn remove_ours(dir: &Path) -> Result<()> {
    remove_ours_with(dir, &mut || {
        pause();
        Ok(())
    })
}

/// [`remove_ours`], calling `step` after each entry removed. Every entry but the marker goes
/// first, then the marker, then the folder: a removal stopped at any point leaves a folder that
/// still holds the marker (or nothing), which the next build removes.
fn remove_ours_with(dir: &Path, step: &mut dyn FnMut() -> io::Result<()>) -> Result<()> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let marker = dir.join(MARKER);
    if meta.is_dir() && marker.is_file() {
        clear_but_marker(dir, step)?;
        fs::remove_file(&marker).map_err(|e| Error::io(&marker, e))?;
        fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
    } else if meta.is_dir() && fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()) {
        // An empty folder (the one a first build replaced) holds nothing to lose.
        fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
    } else {
        Err(Error::OutputRefused {
            path: dir.to_path_buf(),
            reason: "a leftover folder without etalage's marker is in the way; remove it".into(),
        })
    }
}

fn clear_but_marker(dir: &Path, step: &mut dyn FnMut() -> io::Result<()>) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        // `remove_dir_all` does not follow symbolic links; a link is removed as a file.
        let removed = if kind.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed
            .and_then(|()| step())
            .map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// Sets `path`'s modification time to the file system's clock, then again until it is later
/// than the first reading: every change made before this call then has a change time strictly
/// before the stamp, and every change after it one at or after it (file system clocks advance
/// in ticks of a few milliseconds). Gives up after a few seconds on file systems whose clock
/// is coarser; files written in the same tick are then merely written again next time.
pub fn stamp(path: &Path) -> Result<()> {
    let err = |e| Error::io(path, e);
    let file = fs::OpenOptions::new().write(true).open(path).map_err(err)?;
    touch(&file).map_err(err)?;
    let first = mtime(&file.metadata().map_err(err)?);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        std::thread::sleep(Duration::from_micros(200));
        touch(&file).map_err(err)?;
        let now: Time = mtime(&file.metadata().map_err(err)?);
        if now > first || Instant::now() > deadline {
            return Ok(());
        }
    }
}

/// Sets the file's times to the file system's current time (not the process clock, which
/// runs ahead of the file system's coarse one).
#[cfg(unix)]
fn touch(file: &fs::File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid open descriptor; a null `times` means "now" for both times.
    let rc = unsafe { libc::futimens(file.as_raw_fd(), std::ptr::null()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn touch(file: &fs::File) -> io::Result<()> {
    file.set_modified(std::time::SystemTime::now())
}

/// Removes the folders of deleted files that are now empty, deepest first. They held files
/// etalage wrote; a folder that still holds anything is left alone.
pub fn remove_emptied_folders(dir: &Path, deleted: &[String]) {
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
    use super::super::manifest::before;
    use super::*;

    fn folder_with_files(n: usize) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        create_marked(&dir, "marker").unwrap();
        for i in 0..n {
            let sub = dir.join(format!("d{i}"));
            fs::create_dir_all(&sub).unwrap();
            fs::write(sub.join("index.html"), "x").unwrap();
            fs::write(dir.join(format!("f{i}.html")), "x").unwrap();
        }
        (tmp, dir)
    }

    #[test]
    fn an_interrupted_removal_keeps_the_marker_and_can_be_finished() {
        for stop_after in 0..8 {
            let (_tmp, dir) = folder_with_files(4);
            let mut steps = 0;
            let stopped = remove_ours_with(&dir, &mut || {
                steps += 1;
                if steps > stop_after {
                    Err(io::Error::other("killed"))
                } else {
                    Ok(())
                }
            });
            assert!(stopped.is_err(), "stop after {stop_after}");
            assert!(dir.join(MARKER).is_file(), "stop after {stop_after}");
            remove_ours(&dir).unwrap();
            assert!(!dir.exists());
        }
    }

    #[test]
    fn folders_without_the_marker_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mine");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("notes.txt"), "keep").unwrap();
        assert!(matches!(
            remove_ours(&dir),
            Err(Error::OutputRefused { .. })
        ));
        assert!(dir.join("notes.txt").is_file());
        fs::remove_file(dir.join("notes.txt")).unwrap();
        remove_ours(&dir).unwrap();
        assert!(!dir.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_marked_folder_is_not_followed() {
        let (tmp, dir) = folder_with_files(1);
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(remove_ours(&link).is_err());
        assert!(dir.join("f0.html").is_file());
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

    #[test]
    fn the_stamp_is_later_than_every_change_before_it() {
        let (_tmp, dir) = folder_with_files(3);
        let marker = dir.join(MARKER);
        stamp(&marker).unwrap();
        let stamp_time = mtime(&fs::metadata(&marker).unwrap());
        for e in walkdir::WalkDir::new(&dir).min_depth(1) {
            let e = e.unwrap();
            if e.path() != marker {
                let m = e.metadata().unwrap();
                assert!(before(&m, stamp_time), "{}", e.path().display());
            }
        }
    }
}
