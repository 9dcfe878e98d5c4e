//! The manifest: every file the last publish left in the output folder, with its size and an
//! XXH3-128 hash of its bytes, kept in the marker file `.etalage-output` itself.
//!
//! Its text depends only on the site (sorted paths, sizes, hashes), so two builds of the same
//! sources stay byte-identical, marker included. What the manifest does not hold, the time the
//! files were written, is the marker's own modification time, the *stamp*: the publish that
//! writes the manifest sets it after every other change it made, so a file or folder whose
//! modification and change times (`mtime`, `ctime`) are both before the stamp is as that publish
//! left it. Any later edit, copy, rename or `touch` sets the `ctime` to the time it happens,
//! which users cannot set back, so a hand-edited file is noticed and written again.
//! [`trusted`] and [`strays`] read the old output with that rule.
//!
//! Two edits go unseen, both unlikely with generated output: one made while the system clock is
//! set back behind the stamp, and one made to a file the publish leaves alone while that
//! publish runs (between its reading the folder and its stamp). Anything that makes a file look
//! changed when it is not (a `touch`, a `chmod`, a backup tool setting attributes) only costs
//! writing that file again.

use std::collections::BTreeSet;
use std::fs::{self, Metadata};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::MARKER;
use crate::error::{Error, Result};

/// The first line of the marker, for people who find the folder.
const INTRO: &str =
    "This folder is written by etalage. Every build updates it and removes what etalage did not write.";

/// Names the format and the hash; anything else is read as "no manifest" (a full rewrite).
const HEADER: &str = "etalage-manifest 1 xxh3-128";

/// One file of the output, as written; borrowed from the marker's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// `/`-separated path inside the output folder.
    pub path: &'a str,
    pub size: u64,
    pub hash: u128,
}

/// Every file of one publish, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest<'a> {
    pub entries: Vec<Entry<'a>>,
}

/// The content hash stored in the manifest.
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A file system time, seconds and nanoseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(i64, i64);

#[cfg(unix)]
fn times(m: &Metadata) -> (Time, Time) {
    use std::os::unix::fs::MetadataExt;
    (
        Time(m.mtime(), m.mtime_nsec()),
        Time(m.ctime(), m.ctime_nsec()),
    )
}

#[cfg(not(unix))]
fn times(m: &Metadata) -> (Time, Time) {
    let t = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(Time(0, 0), |d| {
            Time(d.as_secs() as i64, d.subsec_nanos() as i64)
        });
    (t, t)
}

/// The modification time of `m`.
pub fn mtime(m: &Metadata) -> Time {
    times(m).0
}

/// True when neither the content nor the metadata behind `m` changed at or after `stamp`.
pub fn before(m: &Metadata, stamp: Time) -> bool {
    let (modified, changed) = times(m);
    modified < stamp && changed < stamp
}

/// True for a path this module can list and the publish can use as is: relative, `/`-separated
/// plain names, no line breaks, and not one of etalage's own names at the top.
pub fn valid_path(path: &str) -> bool {
    let plain = |c: &str| !c.is_empty() && c != "." && c != ".." && !c.contains('\\');
    !path.contains(['\n', '\r', '\0'])
        && path.split('/').all(plain)
        && !path
            .split('/')
            .next()
            .is_some_and(|c| c.starts_with(".etalage-"))
}

/// The marker's text when the site's files cannot be listed (the next publish rewrites all).
pub fn unlisted() -> String {
    format!("{INTRO}\n")
}

/// The marker's text listing `files` (path, size and hash, sorted by path): the introduction,
/// the header, then `hash size path` per file. `None` if a path cannot be listed; the marker
/// then holds [`unlisted`] and the next publish rewrites everything.
pub fn text<'a>(files: impl ExactSizeIterator<Item = (&'a str, u64, u128)>) -> Option<String> {
    use std::fmt::Write;
    let mut text = String::with_capacity(128 + files.len() * 96);
    text.push_str(INTRO);
    text.push('\n');
    text.push_str(HEADER);
    text.push('\n');
    for (path, size, hash) in files {
        if !valid_path(path) {
            return None;
        }
        let _ = writeln!(text, "{hash:032x} {size} {path}");
    }
    Some(text)
}

/// The text of `dir`'s marker and its modification time (the stamp), if it is a regular file.
pub fn read(dir: &Path) -> Result<Option<(String, Time)>> {
    let path = dir.join(MARKER);
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let text = fs::read(&path).map_err(|e| Error::io(&path, e))?;
    Ok(String::from_utf8(text).ok().map(|t| (t, mtime(&meta))))
}

impl<'a> Manifest<'a> {
    /// Reads a marker's text; `None` if it holds no manifest of this version or is garbled.
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != INTRO || lines.next()? != HEADER {
            return None;
        }
        let entries = lines.map(parse_entry).collect::<Option<Vec<_>>>()?;
        let sorted = entries.windows(2).all(|w| w[0].path < w[1].path);
        sorted.then_some(Manifest { entries })
    }

    /// The folders the listed files lie in, sorted; `""` is the output folder.
    pub fn folders(&self) -> Vec<&'a str> {
        let mut folders: Vec<&str> = vec![""];
        for e in &self.entries {
            let path = e.path;
            folders.extend(path.match_indices('/').map(|(i, _)| &path[..i]));
        }
        folders.sort_unstable();
        folders.dedup();
        folders
    }

    /// The names the listed files give folder `folder` (`""` for the output folder, which also
    /// holds the marker).
    pub fn children(&self, folder: &str) -> BTreeSet<&'a str> {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let start = self.entries.partition_point(|e| e.path < prefix.as_str());
        let mut names: BTreeSet<&str> = self.entries[start..]
            .iter()
            .take_while(|e| e.path.starts_with(&prefix))
            .filter_map(|e| e.path[prefix.len()..].split('/').next())
            .collect();
        if folder.is_empty() {
            names.insert(MARKER);
        }
        names
    }

    /// True when some listed file lies inside `path` (so `path` is one of its folders).
    pub fn has_folder(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        let i = self.entries.partition_point(|e| e.path < prefix.as_str());
        self.entries
            .get(i)
            .is_some_and(|e| e.path.starts_with(&prefix))
    }
}

fn parse_entry(line: &str) -> Option<Entry<'_>> {
    let (hash, rest) = line.split_once(' ')?;
    let (size, path) = rest.split_once(' ')?;
    if hash.len() != 32 || !valid_path(path) {
        return None;
    }
    Some(Entry {
        path,
        size: size.parse().ok()?,
        hash: u128::from_str_radix(hash, 16).ok()?,
    })
}

/// Per entry of `manifest`: is the file in `dir` still exactly what the manifest says (a
/// regular file of the listed size, unchanged since before `stamp`)? `None` when something else
/// than a file (a folder, a link) took a listed file's place.
pub fn trusted(dir: &Path, manifest: &Manifest, stamp: Time) -> Option<Vec<bool>> {
    manifest
        .entries
        .par_iter()
        .map(|e| match fs::symlink_metadata(dir.join(e.path)) {
            Ok(m) if m.is_file() => Some(m.len() == e.size && before(&m, stamp)),
            Ok(_) => None,
            Err(_) => Some(false),
        })
        .collect()
}

/// True when `dir` holds something the manifest does not list: a file or folder someone added
/// beside etalage's, or a file or link where etalage had a folder. Only folders changed since
/// the stamp are read; the others hold what they held then.
pub fn strays(dir: &Path, manifest: &Manifest, stamp: Time) -> bool {
    manifest.folders().par_iter().any(|rel| {
        let path = dir.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(m) if !m.is_dir() => true,
            Ok(m) if before(&m, stamp) => false,
            Ok(_) => foreign_names(&path, &manifest.children(rel)),
            // A missing folder: its files are missing too and are written again.
            Err(e) => e.kind() != io::ErrorKind::NotFound,
        }
    })
}

/// True when folder `path` holds a name not in `names` (or cannot be read).
fn foreign_names(path: &Path, names: &BTreeSet<&str>) -> bool {
    match fs::read_dir(path) {
        Ok(entries) => entries.into_iter().any(|e| {
            e.map_or(true, |e| {
                !e.file_name().to_str().is_some_and(|n| names.contains(n))
            })
        }),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(paths: &[&str]) -> String {
        text(
            paths
                .iter()
                .map(|p| (*p, p.len() as u64, hash(p.as_bytes()))),
        )
        .unwrap()
    }

    #[test]
    fn text_round_trips() {
        let paths = ["404.html", "a b/index.html", "praktijken/x/index.html"];
        let text = text_of(&paths);
        let m = Manifest::parse(&text).unwrap();
        let got: Vec<_> = m.entries.iter().map(|e| (e.path, e.size, e.hash)).collect();
        let want: Vec<_> = paths
            .iter()
            .map(|p| (*p, p.len() as u64, hash(p.as_bytes())))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn garbled_or_other_versions_are_no_manifest() {
        let text = text_of(&["a.html", "b.html"]);
        assert!(Manifest::parse(&text).is_some());
        assert_eq!(Manifest::parse(&unlisted()), None);
        assert_eq!(Manifest::parse(&text.replace("xxh3-128", "xxh3-64")), None);
        assert_eq!(Manifest::parse(&text.replace("a.html", "../a.html")), None);
        assert_eq!(
            Manifest::parse(&text.replace("a.html", "/etc/passwd")),
            None
        );
        assert_eq!(
            Manifest::parse(&text.replace("a.html", "c.html")),
            None,
            "unsorted"
        );
        assert_eq!(Manifest::parse(&format!("{text}x\n")), None);
    }

    #[test]
    fn paths_that_cannot_be_listed() {
        for bad in [
            "",
            "/a",
            "a//b",
            "a/../b",
            "./a",
            "a\nb",
            ".etalage-journal",
            "a\\b",
        ] {
            assert!(!valid_path(bad), "{bad:?}");
        }
        for good in [
            "index.html",
            "a/.etalage-x",
            "pagefind/pagefind.js",
            "a b/c",
        ] {
            assert!(valid_path(good), "{good:?}");
        }
        let files = [("a.html", 0, 0), ("b\nc", 0, 0)];
        assert_eq!(text(files.into_iter()), None);
    }

    #[test]
    fn folders_and_their_children() {
        let text = text_of(&["a-b.html", "a/b/c.html", "a/d.html", "e.html"]);
        let m = Manifest::parse(&text).unwrap();
        assert_eq!(m.folders(), ["", "a", "a/b"]);
        let names = |k: &str| m.children(k).into_iter().collect::<Vec<_>>();
        assert_eq!(names(""), [MARKER, "a", "a-b.html", "e.html"]);
        assert_eq!(names("a"), ["b", "d.html"]);
        assert_eq!(names("a/b"), ["c.html"]);
        assert!(m.has_folder("a/b") && m.has_folder("a"));
        assert!(!m.has_folder("a/d.html") && !m.has_folder("a-b.html") && !m.has_folder("x"));
    }
}
