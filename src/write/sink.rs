//! The file-by-file half of a publish. Every file of the new site is handed to a [`Sink`] as
//! soon as it is rendered; the sink hashes it, compares it with what the generation being
//! brought up to date (the *target*) holds and with the current generation, writes it into the
//! target at once if needed, and forgets its bytes, so a build never holds its whole output in
//! memory. [`Sink::finish`] does what needs every file: copies from the current generation,
//! deletions, the manifest and its stamp. It does not switch the link; `mod.rs` does.
//!
//! A file is
//! - left alone when the target holds it already (same hash, still as written);
//! - *noted* when the current generation holds it (same hash, still as written): it is copied
//!   from there in `finish`, unless the whole site turns out unchanged, in which case nothing
//!   is written at all;
//! - written into the target otherwise. A file of the target's old site in the way (a file
//!   where a folder must go, or a folder where a file must go) is removed first.
//!
//! A large file can also be handed over in parts ([`Sink::open`], the open data's joined
//! files), so it is never whole in memory: the parts are hashed as they come and written to a
//! temporary file beside the generations (`.NAME.etalage-part.N`, see `generation.rs`); when
//! the file is closed the same choice is made as for a whole file, and the temporary file is
//! renamed into the target or removed. So neither generation is touched before that choice,
//! as for a whole file.
//!
//! The target is not the live site, so none of this is seen before the switch; a file written
//! after the target's stamp is not trusted by the next publish if this one is killed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::manifest::{self, Manifest, Time};
use super::MARKER;
use super::{disk, generation};
use crate::error::{Error, Result};
use crate::render::{Emit, OutputFile, Parts};

/// One file of the new site as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub path: String,
    pub size: u64,
    pub hash: u128,
}

/// A generation's manifest with, per entry, whether the file is still as written.
pub struct Held<'a> {
    pub dir: PathBuf,
    pub manifest: Manifest<'a>,
    pub stamp: Time,
}

impl Held<'_> {
    fn entry(&self, path: &str) -> Option<&manifest::Entry<'_>> {
        let e = &self.manifest.entries;
        e.binary_search_by(|x| x.path.cmp(path)).ok().map(|i| &e[i])
    }
}

/// How the target starts out.
pub enum Start<'a> {
    /// It holds an earlier site, per its manifest; `trusted` tells per entry whether the file
    /// is still as written.
    Update { held: Held<'a>, trusted: Vec<bool> },
    /// It is missing or cannot be trusted: it is emptied (made a marked empty folder) before
    /// the first file goes in.
    Whole,
}

/// Takes the files of a new site one by one; see the module comment.
pub struct Sink<'a> {
    /// The output path, beside which files handed over in parts are written first.
    dir: &'a Path,
    target: &'a Path,
    start: Start<'a>,
    current: Option<&'a Held<'a>>,
    /// Whether the target was made ready for writing (emptied, for [`Start::Whole`]).
    ready: Mutex<bool>,
    noted: Mutex<Vec<String>>,
    written: AtomicUsize,
    /// How many files were opened in parts: the next one's temporary file is numbered so.
    parts: AtomicUsize,
    /// The target's folders this publish made sure of, site-relative: a file in one of them
    /// needs no `mkdir` (which fails, and then `stat`s, for a folder that is there already:
    /// two system calls for every file of a full folder such as `data/praktijken/`).
    folders: Mutex<foldhash::HashSet<String>>,
}

/// What [`Sink::finish`] did.
pub struct Finished {
    pub written: usize,
    pub removed: usize,
    pub whole: bool,
}

impl<'a> Sink<'a> {
    pub fn new(
        dir: &'a Path,
        target: &'a Path,
        start: Start<'a>,
        current: Option<&'a Held<'a>>,
    ) -> Self {
        Sink {
            dir,
            target,
            start,
            current,
            ready: Mutex::new(false),
            noted: Mutex::new(Vec::new()),
            written: AtomicUsize::new(0),
            parts: AtomicUsize::new(0),
            folders: Mutex::default(),
        }
    }

    /// Takes one file of the new site; returns how the manifest lists it.
    pub fn put(&self, file: OutputFile) -> Result<Listed> {
        let hash = manifest::hash(&file.bytes);
        self.put_hashed(file, hash)
    }

    /// [`Sink::put`] for a file whose bytes' [`manifest::hash`] is known already.
    pub fn put_hashed(&self, file: OutputFile, hash: u128) -> Result<Listed> {
        debug_assert_eq!(hash, manifest::hash(&file.bytes));
        let listed = Listed {
            hash,
            size: file.bytes.len() as u64,
            path: file.path,
        };
        self.refuse_outside(&listed.path)?;
        self.place(listed, |path| fs::write(path, &file.bytes[..]))
    }

    /// Puts the file `listed` describes in place unless a generation holds it already
    /// ([`Sink::known`]): its way in the target cleared, `make` creates it at its path.
    fn place(&self, listed: Listed, make: impl FnOnce(&Path) -> io::Result<()>) -> Result<Listed> {
        if self.known(&listed) {
            return Ok(listed);
        }
        self.make_ready()?;
        self.clear_way(&listed.path)?;
        let path = self.target.join(&listed.path);
        self.make_parent(&listed.path)?;
        make(&path).map_err(|e| Error::io(&path, e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        disk::pause();
        Ok(listed)
    }

    /// Starts the file of the new site at `path`, to be handed over in parts (see the module
    /// comment); [`Part::close`] returns how the manifest lists it.
    pub fn open(&self, path: String) -> Result<Part<'_, 'a>> {
        self.refuse_outside(&path)?;
        let n = self.parts.fetch_add(1, Ordering::Relaxed);
        let temp = generation::part_path(self.dir, n);
        let file = fs::File::create(&temp).map_err(|e| Error::io(&temp, e))?;
        disk::pause();
        Ok(Part {
            sink: self,
            path,
            temp,
            file: Some(file),
            hash: Box::default(),
            size: 0,
        })
    }

    /// Refuses a file whose path leads outside the output folder.
    fn refuse_outside(&self, path: &str) -> Result<()> {
        if path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == ".." || c.contains('\0'))
        {
            return Err(Error::OutputRefused {
                path: self.target.join(path),
                reason: "the site has a file whose path leads outside the output folder".into(),
            });
        }
        Ok(())
    }

    /// True when `listed` needs no writing now: the target holds it already, or the current
    /// generation does (it is then noted, to be copied by [`Sink::finish`]).
    fn known(&self, listed: &Listed) -> bool {
        if self.target_holds(listed) {
            return true;
        }
        if self.current_holds(listed) {
            self.noted.lock().unwrap().push(listed.path.clone());
            return true;
        }
        false
    }

    /// True when the current generation holds exactly the site listed in `text`, every file
    /// still as written and nothing added: then nothing needs writing.
    pub fn unchanged(&self, text: &str) -> Result<bool> {
        match self.current {
            Some(c) => super::holds_exactly(&c.dir, text),
            None => Ok(false),
        }
    }

    /// Completes the target with `listed` (every file put, sorted by path) and its manifest
    /// `text`: copies the noted files from the current generation, deletes what the old site
    /// had and the new one has not, and stamps the manifest into the marker last.
    pub fn finish(self, listed: &[Listed], text: &str) -> Result<Finished> {
        self.make_ready()?;
        let noted = std::mem::take(&mut *self.noted.lock().unwrap());
        if let Some(current) = self.current {
            noted
                .par_iter()
                .try_for_each(|p| self.copy(&current.dir, p))?;
        }
        let deletes = match &self.start {
            Start::Update { held, .. } => removed(&held.manifest, listed),
            Start::Whole => Vec::new(),
        };
        for p in &deletes {
            let path = self.target.join(p);
            match fs::remove_file(&path) {
                // Gone with a folder a new file replaced, or now a folder of the new site.
                Err(e) if !gone(&e) => return Err(Error::io(&path, e)),
                _ => disk::pause(),
            }
        }
        disk::remove_emptied_folders(self.target, &deletes);
        let marker = self.target.join(MARKER);
        disk::write_atomic(&marker, text)?;
        disk::stamp(&marker)?;
        Ok(Finished {
            written: self.written.load(Ordering::Relaxed) + noted.len(),
            removed: deletes.len(),
            whole: matches!(self.start, Start::Whole),
        })
    }

    fn target_holds(&self, f: &Listed) -> bool {
        let Start::Update { held, trusted } = &self.start else {
            return false;
        };
        let e = &held.manifest.entries;
        e.binary_search_by(|x| x.path.cmp(&f.path))
            .is_ok_and(|i| trusted[i] && e[i].hash == f.hash && e[i].size == f.size)
    }

    /// True when the current generation lists `f` and its copy on disk is still as written.
    fn current_holds(&self, f: &Listed) -> bool {
        let Some(c) = self.current else {
            return false;
        };
        c.entry(&f.path).is_some_and(|e| {
            e.hash == f.hash
                && e.size == f.size
                && fs::symlink_metadata(c.dir.join(&f.path)).is_ok_and(|m| {
                    m.is_file() && m.len() == f.size && manifest::before(&m, c.stamp)
                })
        })
    }

    /// Empties a target that starts [`Start::Whole`], once, before anything goes in.
    fn make_ready(&self) -> Result<()> {
        let mut ready = self.ready.lock().unwrap();
        if !*ready {
            if let Start::Whole = self.start {
                disk::remove_ours(self.target)?;
                disk::create_marked(self.target, &manifest::unlisted())?;
            }
            *ready = true;
        }
        Ok(())
    }

    /// Removes what the target's old site has in the way of a file at `path`: a folder at
    /// `path`, or a file where one of its folders must go.
    fn clear_way(&self, path: &str) -> Result<()> {
        let Start::Update { held, .. } = &self.start else {
            return Ok(());
        };
        if held.manifest.has_folder(path) {
            let full = self.target.join(path);
            match fs::remove_dir_all(&full) {
                Err(e) if !gone(&e) => return Err(Error::io(&full, e)),
                _ => {}
            }
        }
        for (i, _) in path.match_indices('/') {
            let folder = &path[..i];
            if held.entry(folder).is_some() {
                let full = self.target.join(folder);
                match fs::remove_file(&full) {
                    Err(e) if !gone(&e) => return Err(Error::io(&full, e)),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Makes sure the target has the folder that site-relative `path` goes in.
    fn make_parent(&self, path: &str) -> Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        if self.folders.lock().unwrap().contains(folder) {
            return Ok(());
        }
        let full = self.target.join(folder);
        fs::create_dir_all(&full).map_err(|e| Error::io(&full, e))?;
        // The folders it is in are there now too.
        let mut folders = self.folders.lock().unwrap();
        for (i, _) in folder.match_indices('/') {
            folders.insert(folder[..i].to_string());
        }
        folders.insert(folder.to_string());
        Ok(())
    }

    fn copy(&self, from: &Path, path: &str) -> Result<()> {
        self.clear_way(path)?;
        let to = self.target.join(path);
        self.make_parent(path)?;
        fs::copy(from.join(path), &to).map_err(|e| Error::io(&to, e))?;
        disk::pause();
        Ok(())
    }
}

/// A file of the new site being handed over in parts: see [`Sink::open`].
pub struct Part<'s, 'a> {
    sink: &'s Sink<'a>,
    path: String,
    /// The temporary file the parts go to; removed when the part is dropped unclosed.
    temp: PathBuf,
    /// `None` once closed.
    file: Option<fs::File>,
    /// The XXH3-128 of the parts so far: the hash [`manifest::hash`] takes of the whole.
    hash: Box<xxhash_rust::xxh3::Xxh3>,
    size: u64,
}

impl Part<'_, '_> {
    /// Appends `bytes` to the file.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let file = self
            .file
            .as_mut()
            .expect("a part is written only until it is closed");
        file.write_all(bytes)
            .map_err(|e| Error::io(&self.temp, e))?;
        self.hash.update(bytes);
        self.size += bytes.len() as u64;
        disk::pause();
        Ok(())
    }

    /// Ends the file: it is put in place like a whole file (see [`Sink::put`]).
    pub fn close(mut self) -> Result<Listed> {
        drop(self.file.take());
        let sink = self.sink;
        let listed = Listed {
            path: std::mem::take(&mut self.path),
            size: self.size,
            hash: self.hash.digest128(),
        };
        let mut renamed = false;
        let placed = sink.place(listed, |path| {
            fs::rename(&self.temp, path)?;
            renamed = true;
            Ok(())
        });
        // Not renamed (a generation holds it, or a failure): the temporary file goes on drop.
        if renamed {
            self.temp = PathBuf::new();
        }
        placed
    }
}

/// An unclosed or unneeded part's temporary file is removed.
impl Drop for Part<'_, '_> {
    fn drop(&mut self) {
        drop(self.file.take());
        if !self.temp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// The sink takes the files of a render pass as they are made (`render::render_each`).
impl<'a> Emit<Listed> for Sink<'a> {
    fn file(&self, file: OutputFile) -> Result<Listed> {
        self.put(file)
    }

    fn open(&self, path: String) -> Result<Box<dyn Parts<Listed> + '_>> {
        Ok(Box::new(Sink::open(self, path)?))
    }
}

impl Parts<Listed> for Part<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        Part::write(self, bytes)
    }

    fn close(self: Box<Self>) -> Result<Listed> {
        Part::close(*self)
    }
}

/// The paths `old` lists that `new` (sorted) does not, by one walk over both.
fn removed(old: &Manifest, new: &[Listed]) -> Vec<String> {
    let mut out = Vec::new();
    let mut j = 0;
    for e in &old.entries {
        while j < new.len() && new[j].path.as_str() < e.path {
            j += 1;
        }
        if new.get(j).is_none_or(|n| n.path != e.path) {
            out.push(e.path.to_string());
        }
    }
    out
}

/// True for the errors of removing something that is not there (any more) as a file.
fn gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::IsADirectory
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(paths: &[&str]) -> Vec<Listed> {
        paths
            .iter()
            .map(|p| Listed {
                path: p.to_string(),
                size: 0,
                hash: 0,
            })
            .collect()
    }

    #[test]
    fn removed_lists_what_the_new_site_lacks() {
        let old = Manifest {
            entries: ["a.html", "b/index.html", "c.html", "d.html"]
                .iter()
                .map(|p| manifest::Entry {
                    path: p,
                    size: 0,
                    hash: 0,
                })
                .collect(),
        };
        let new = listed(&["a.html", "b", "d.html", "e.html"]);
        assert_eq!(removed(&old, &new), ["b/index.html", "c.html"]);
        assert_eq!(removed(&old, &[]).len(), 4);
    }
}
