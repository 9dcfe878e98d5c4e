//! The two generations of an output folder and the link that names the current one.
//!
//! The output path is a relative symbolic link to `.NAME.etalage-a` or `.NAME.etalage-b`
//! beside it. [`switch`] turns it to the other generation by renaming a new link over it, one
//! atomic step. An output folder made by an older etalage (a real folder with the marker) is
//! exchanged for the link in one step on Linux (`renameat2(RENAME_EXCHANGE)`), with two
//! renames elsewhere, and then removed. Where links cannot be made, the generation itself is
//! exchanged for the output folder the same way. This module does not decide what goes into a
//! generation; `mod.rs` does.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{disk, sibling};
use crate::error::{Error, Result};

/// What the output path is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Current {
    /// Nothing: the first build.
    Nothing,
    /// etalage's link to generation `a` (`false`) or `b` (`true`).
    Link(bool),
    /// A real folder, with the marker or empty (checked by `check_output_dir`).
    Folder,
}

impl Current {
    /// The folder holding the current site, if any.
    pub fn folder(&self, dir: &Path) -> Option<PathBuf> {
        match self {
            Current::Nothing => None,
            Current::Link(b) => Some(generation(dir, *b)),
            Current::Folder => Some(dir.to_path_buf()),
        }
    }

    /// The generation the next site goes into: the one not current.
    pub fn next(&self, dir: &Path) -> PathBuf {
        generation(dir, matches!(self, Current::Link(false)))
    }
}

fn generation(dir: &Path, b: bool) -> PathBuf {
    sibling(dir, if b { "etalage-b" } else { "etalage-a" })
}

/// `dir`, or where it leads if it is a link that is not etalage's (a user's link to the folder
/// they want the site in).
pub fn output_path(dir: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() && linked(dir).is_none() => fs::canonicalize(dir)
            .map_err(|_| Error::OutputRefused {
                path: dir.to_path_buf(),
                reason: "it is a link to nothing".into(),
            }),
        _ => Ok(dir.to_path_buf()),
    }
}

/// Which generation the link at `dir` names, if it is etalage's link.
fn linked(dir: &Path) -> Option<bool> {
    let target = fs::read_link(dir).ok()?;
    [false, true]
        .into_iter()
        .find(|&b| generation(dir, b).file_name() == Some(target.as_os_str()))
}

/// What `dir` is now.
pub fn current(dir: &Path) -> Result<Current> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Current::Nothing),
        Err(e) => Err(Error::io(dir, e)),
        Ok(m) if m.is_dir() => Ok(Current::Folder),
        Ok(_) => linked(dir)
            .map(Current::Link)
            .ok_or_else(|| Error::OutputRefused {
                path: dir.to_path_buf(),
                reason: "it is a file".into(),
            }),
    }
}

/// The half-made link a killed switch leaves, and the folder an exchange swapped out.
fn link_path(dir: &Path) -> PathBuf {
    sibling(dir, "etalage-link")
}

/// Where the `n`th file a publish takes in parts (`sink.rs`) is written before it is renamed
/// into a generation: `.NAME.etalage-part.N`.
pub fn part_path(dir: &Path, n: usize) -> PathBuf {
    sibling(dir, &format!("{PART}{n}"))
}

/// What [`part_path`]s add to `.NAME.` to name a file.
const PART: &str = "etalage-part.";

/// Removes the files taken in parts that a killed publish left beside `dir` (see
/// [`part_path`]): regular files only.
fn remove_parts(dir: &Path) -> Result<()> {
    let first = sibling(dir, PART);
    let (Some(parent), Some(start)) = (dir.parent(), first.file_name()) else {
        return Ok(());
    };
    let start = start.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&*start));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Removes what interrupted publishes (and older etalage versions, which staged whole sites
/// beside the output) left beside `dir`. Folders are removed only if they carry the marker.
pub fn clean_leftovers(dir: &Path) -> Result<()> {
    remove_parts(dir)?;
    let link = link_path(dir);
    if fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(&link).map_err(|e| Error::io(&link, e))?;
    }
    for path in [
        link,
        sibling(dir, "etalage-staging"),
        sibling(dir, "etalage-old"),
    ] {
        disk::remove_ours(&path)?;
    }
    Ok(())
}

/// Makes `target` the current generation of `dir` in one step, and removes an older etalage's
/// output folder the link replaces.
pub fn switch(dir: &Path, current: &Current, target: &Path) -> Result<()> {
    switch_with(dir, current, target, &make_link)
}

/// [`switch`], making links with `make`. Where no link can be made (a FAT disk, Windows without
/// the privilege), the generation itself takes the output's place, as a whole folder: still in
/// one step where the system can exchange two paths, and written whole on every build.
fn switch_with(
    dir: &Path,
    current: &Current,
    target: &Path,
    make: &dyn Fn(&Path, &Path) -> io::Result<()>,
) -> Result<()> {
    let link = link_path(dir);
    let name = target.file_name().unwrap_or_default();
    if make(Path::new(name), &link).is_err() {
        return replace(dir, current, target);
    }
    disk::pause();
    replace(dir, current, &link)
}

/// Puts `new` (a link or a folder) at `dir`, and removes the output folder it replaces.
fn replace(dir: &Path, current: &Current, new: &Path) -> Result<()> {
    if *current != Current::Folder {
        // Nothing is there, or etalage's link, which a rename replaces in one step.
        return fs::rename(new, dir).map_err(|e| Error::io(dir, e));
    }
    if exchange(new, dir).is_ok() {
        // `new` now names the previous output folder.
        return disk::remove_ours(new);
    }
    let old = sibling(dir, "etalage-old");
    fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
    fs::rename(new, dir).map_err(|e| Error::io(dir, e))?;
    disk::remove_ours(&old)
}

#[cfg(unix)]
fn make_link(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn make_link(target: &Path, link: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_link_turns_between_the_two_generations() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        assert_eq!(current(&dir).unwrap(), Current::Nothing);
        let a = Current::Nothing.next(&dir);
        disk::create_marked(&a, "a").unwrap();
        switch(&dir, &Current::Nothing, &a).unwrap();
        assert_eq!(current(&dir).unwrap(), Current::Link(false));
        assert_eq!(fs::read_link(&dir).unwrap(), Path::new(".out.etalage-a"));
        let b = Current::Link(false).next(&dir);
        assert_eq!(b, tmp.path().join(".out.etalage-b"));
        disk::create_marked(&b, "b").unwrap();
        switch(&dir, &Current::Link(false), &b).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join(".etalage-output")).unwrap(),
            "b"
        );
        assert_eq!(Current::Link(true).next(&dir), a);
    }

    #[test]
    fn an_older_output_folder_is_replaced_by_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        disk::create_marked(&dir, "old").unwrap();
        fs::write(dir.join("index.html"), "old").unwrap();
        let a = Current::Folder.next(&dir);
        disk::create_marked(&a, "new").unwrap();
        switch(&dir, &Current::Folder, &a).unwrap();
        assert_eq!(current(&dir).unwrap(), Current::Link(false));
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn without_links_the_generation_takes_the_folders_place() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let no_links = |_: &Path, _: &Path| Err(io::Error::from(io::ErrorKind::Unsupported));
        for round in ["one", "two"] {
            let current = current(&dir).unwrap();
            let target = current.next(&dir);
            disk::create_marked(&target, round).unwrap();
            switch_with(&dir, &current, &target, &no_links).unwrap();
            assert_eq!(
                fs::read_to_string(dir.join(".etalage-output")).unwrap(),
                round
            );
            assert_eq!(super::current(&dir).unwrap(), Current::Folder);
            let names = fs::read_dir(tmp.path()).unwrap().count();
            assert_eq!(names, 1, "only the output folder is left");
        }
    }

    #[test]
    fn a_foreign_link_is_followed_and_a_file_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::create_dir(&real).unwrap();
        let dir = tmp.path().join("out");
        std::os::unix::fs::symlink(&real, &dir).unwrap();
        assert_eq!(output_path(&dir).unwrap(), fs::canonicalize(&real).unwrap());
        let file = tmp.path().join("file");
        fs::write(&file, "x").unwrap();
        assert!(matches!(current(&file), Err(Error::OutputRefused { .. })));
    }
}
