//! Reads a site folder from disk: settings, content, data files, theme templates and assets.
//!
//! This is the only stage of the build that reads files. It keeps paths site-relative (with `/`
//! separators) and decodes text; a file that is not UTF-8 becomes a located diagnostic, not a
//! failure. It does not parse anything.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config;
use crate::diagnostic::{Diagnostic, Location};
use crate::error::{Error, Result};

/// One text file read from the site, with its site-relative path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// XXH3-128 of `text`, taken when it was read ([`SourceFile::new`]; a text read again makes
    /// a new `SourceFile`): the incremental build finds the changed files by it without hashing
    /// every text again on every edit.
    #[serde(skip)]
    pub hash: u128,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> SourceFile {
        let hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
        SourceFile { path, text, hash }
    }
}

/// A binary file to publish as is (theme or site static assets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path inside the output folder.
    pub output_path: String,
    pub bytes: Vec<u8>,
}

/// Everything a build reads.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub config: Option<SourceFile>,
    pub practices: Vec<SourceFile>,
    pub awards: Vec<SourceFile>,
    pub pages: Vec<SourceFile>,
    /// `content/data/*.yaml`.
    pub data: Vec<SourceFile>,
    /// Templates by name (`practice.html`); the site's `templates/` override the theme's.
    pub templates: Vec<SourceFile>,
    /// Where each template was read, by name: `themes/default/templates/practice.html`.
    pub template_origins: std::collections::BTreeMap<String, String>,
    /// Interface strings: `i18n/<lang>.toml` of the theme.
    pub strings: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    /// Files that could not be decoded.
    pub problems: Vec<Diagnostic>,
    /// Content files (practices, awards, pages) that are there but could not be used (not
    /// UTF-8, unreadable, a link), each reported in `problems`. References to them are not
    /// errors too: one broken file gives one error.
    pub unusable: Vec<String>,
}

impl Sources {
    /// Whether site-relative path `rel` left a trace here other than as a practice, award or
    /// page: the settings, a data file, a template, a strings file, a static asset (by the
    /// folder it is read from), a file that could not be used, or a problem located in it. A
    /// watcher that sees such a path vanish must load the site again: its problem is gone, or
    /// the site lost a part.
    pub fn mentions(&self, rel: &str) -> bool {
        let files = [&self.config]
            .into_iter()
            .flatten()
            .chain(&self.data)
            .chain(&self.strings);
        rel == config::FILE
            || files.into_iter().any(|f| f.path == rel)
            || self.template_origins.values().any(|p| p == rel)
            || rel.starts_with("static/")
            || (rel.starts_with("themes/") && rel.contains("/static/"))
            || self.unusable.iter().any(|p| p == rel)
            || self.problems.iter().any(|d| d.location.path == rel)
    }

    /// The list write-up `rel` belongs in (`content/practices/…`: the practices), whether it
    /// is held there or not; `None` for a path that is not a write-up ([`is_write_up`]).
    pub fn write_ups_for(&mut self, rel: &str) -> Option<&mut Vec<SourceFile>> {
        let lists = [&mut self.practices, &mut self.awards, &mut self.pages];
        lists.into_iter().nth(write_up_folder(rel)?)
    }
}

/// Whether site-relative `rel` names a write-up: a Markdown file in a write-up folder.
pub fn is_write_up(rel: &str) -> bool {
    write_up_folder(rel).is_some()
}

/// Which of [`WRITE_UP_FOLDERS`] site-relative `rel` is a Markdown file in.
fn write_up_folder(rel: &str) -> Option<usize> {
    let (folder, name) = rel.strip_prefix("content/")?.split_once('/')?;
    let at = WRITE_UP_FOLDERS.iter().position(|f| *f == folder)?;
    is_markdown_name(name.as_bytes()).then_some(at)
}

/// Whether a file name ends in `.md`, in any case.
fn is_markdown_name(name: &[u8]) -> bool {
    name.len() >= 3 && name[name.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// Reads the site at `root`. Only I/O failures are errors; undecodable files are `problems`.
pub fn load(root: &Path) -> Result<Sources> {
    let mut sources = Sources::default();
    let config_path = root.join(config::FILE);
    let config_bytes = fs::read(&config_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound if !config_path.exists() => Error::Usage(format!(
            "no {} in {}: is this a site folder? Give the folder that holds it with --root, or start one there",
            config::FILE,
            root.display()
        )),
        _ => Error::io(&config_path, e),
    })?;
    sources.config = decode(
        config::FILE.to_string(),
        config_bytes,
        &mut sources.problems,
    );

    let content = root.join("content");
    let (problems, unusable) = (&mut sources.problems, &mut sources.unusable);
    // The look for stray files walks `content/` beside the reading, which lists the folders
    // on one thread.
    let (strays, read) = rayon::join(
        || strays(root, &content),
        || -> Result<_> {
            Ok((
                read_markdown(root, &content.join("practices"), problems, unusable)?,
                read_markdown(root, &content.join("awards"), problems, unusable)?,
                read_markdown(root, &content.join("pages"), problems, unusable)?,
            ))
        },
    );
    (sources.practices, sources.awards, sources.pages) = read?;
    sources.problems.extend(strays);
    let skipped = &mut Vec::new();
    sources.data = read_tree(
        root,
        &content.join("data"),
        &mut sources.problems,
        skipped,
        |p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")),
    )?;
    Ok(sources)
}

/// `previous` with the files at `changed` (absolute paths, as a file watcher reports them) read
/// again, when that is all that changed: every path is a practice, award or page that
/// `previous` holds and that is still a readable UTF-8 file (not a link), or a path that neither
/// exists nor left any trace in `previous` (an editor's temporary file, gone again: see
/// [`Sources::mentions`]). Anything else (a file added or removed, settings, data, theme, a
/// folder, an unreadable or undecodable file, a file a problem was reported in) returns `None`:
/// then only a full [`load`] gets the site, its order and its problems right. `previous` is
/// updated in place, not copied: a site's texts are tens of megabytes.
pub fn reload(root: &Path, previous: Sources, changed: &[PathBuf]) -> Option<Sources> {
    let mut next = previous;
    for path in changed {
        let rel = relative(root, path);
        let mentioned = next.mentions(&rel);
        let held = next
            .write_ups_for(&rel)
            .and_then(|files| files.iter_mut().find(|f| f.path == rel));
        let meta = fs::symlink_metadata(path);
        match (held, meta) {
            (None, Err(e)) if e.kind() == std::io::ErrorKind::NotFound && !mentioned => {}
            (Some(file), Ok(m)) if m.is_file() => {
                let text = String::from_utf8(fs::read(path).ok()?).ok()?;
                *file = SourceFile::new(std::mem::take(&mut file.path), text);
            }
            _ => return None,
        }
    }
    Some(next)
}

/// Reads the theme named in the settings, with the site's own `templates/` and `static/`.
pub fn load_theme(root: &Path, theme: &str, sources: &mut Sources) -> Result<()> {
    let theme_dir = root.join("themes").join(theme);
    if !theme_dir.is_dir() {
        return Err(Error::io(
            &theme_dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "theme folder not found"),
        ));
    }
    let mut templates = named_files(&theme_dir.join("templates"), &mut sources.problems, root)?;
    for over in named_files(&root.join("templates"), &mut sources.problems, root)? {
        templates.retain(|t| t.0 != over.0);
        templates.push(over);
    }
    templates.sort_by(|a, b| a.0.cmp(&b.0));
    sources.template_origins = templates
        .iter()
        .map(|(name, f)| (name.clone(), f.path.clone()))
        .collect();
    sources.templates = templates
        .into_iter()
        .map(|(name, f)| SourceFile { path: name, ..f })
        .collect();
    let skipped = &mut Vec::new();
    sources.strings = read_tree(
        root,
        &theme_dir.join("i18n"),
        &mut sources.problems,
        skipped,
        |p| p.extension().is_some_and(|e| e == "toml"),
    )?;
    let mut assets = read_assets(&theme_dir.join("static"))?;
    for over in read_assets(&root.join("static"))? {
        assets.retain(|a| a.output_path != over.output_path);
        assets.push(over);
    }
    assets.sort_by(|a, b| a.output_path.cmp(&b.output_path));
    sources.assets = assets;
    Ok(())
}

/// Templates keyed by their path inside the templates folder, with the file read.
fn named_files(
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    root: &Path,
) -> Result<Vec<(String, SourceFile)>> {
    let files = read_tree(root, dir, problems, &mut Vec::new(), |_| true)?;
    let prefix = relative(root, dir);
    Ok(files
        .into_iter()
        .map(|f| {
            let name = f
                .path
                .strip_prefix(&prefix)
                .unwrap_or(&f.path)
                .trim_start_matches('/')
                .to_string();
            (name, f)
        })
        .collect())
}

/// Markdown files: `.md` in any case (`Kopie.MD` is read, not silently passed over).
fn read_markdown(
    root: &Path,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    skipped: &mut Vec<String>,
) -> Result<Vec<SourceFile>> {
    read_tree(root, dir, problems, skipped, |p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
    })
}

/// The folders of `content/` that hold write-ups.
const WRITE_UP_FOLDERS: [&str; 3] = ["practices", "awards", "pages"];

/// Warnings for files in `content/` that look like write-ups but are not read: a Markdown file
/// outside the write-up folders (`content/practice.md`), or a text file inside one that does
/// not end in `.md` (`nieuw.md.txt`, `nieuw.markdown`, as editors' programs save them). Other
/// files (images, the data folder) are left alone.
fn strays(root: &Path, content: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for entry in walk(content).filter_map(|e| e.ok()) {
        if !entry.file_type().is_file() {
            continue;
        }
        let inside = entry
            .path()
            .strip_prefix(content)
            .ok()
            .filter(|r| r.components().count() > 1)
            .and_then(|r| r.components().next())
            .is_some_and(|c| {
                let folder = c.as_os_str();
                WRITE_UP_FOLDERS.iter().any(|f| folder == *f) || folder == "data"
            });
        let markdown = is_markdown_name(entry.file_name().as_encoded_bytes());
        // A write-up where it belongs, the case on a site of 10,000 files: no copies made.
        if inside && markdown {
            continue;
        }
        let rel = relative(root, entry.path());
        let written = entry.file_name().to_string_lossy();
        let name = written.to_lowercase();
        let message = if !inside && markdown {
            "this file is not read: write-ups go in content/practices/, content/awards/ or content/pages/"
                .to_string()
        } else if inside && !markdown && looks_like_text(&name) && !rel.starts_with("content/data/")
        {
            let stem = written.split('.').next().unwrap_or(&written);
            format!(
                "this file is not read: only `.md` files are write-ups; rename it to `{stem}.md`"
            )
        } else {
            continue;
        };
        found.push(Diagnostic::warning(Location::file(rel), message));
    }
    found
}

/// A name that a write-up saved under the wrong name would have.
fn looks_like_text(name: &str) -> bool {
    name.contains(".md.")
        || [
            ".markdown",
            ".mdown",
            ".mkd",
            ".mkdn",
            ".mdx",
            ".txt",
            ".text",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Whether a file name is an editor's scratch file (swap, backup, lock) or hidden.
pub fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_scratch(&e.file_name().to_string_lossy()))
}

/// The `wanted` files under `dir`, sorted by name. A wanted file that cannot be used (a link,
/// unreadable, not UTF-8) is a problem, and its path goes to `skipped`.
fn read_tree(
    root: &Path,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    skipped: &mut Vec<String>,
    wanted: impl Fn(&Path) -> bool,
) -> Result<Vec<SourceFile>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    // Listed in order first, then read, decoded and hashed side by side: at 10,000 practices
    // reading one file after another is a tenth of a `check`.
    let mut wanted_files = Vec::new();
    for entry in walk(dir) {
        let entry = entry.map_err(|e| walk_error(dir, e))?;
        if entry.path_is_symlink() && wanted(entry.path()) {
            problems.push(Diagnostic::error(
                Location::file(relative(root, entry.path())),
                "this is a symbolic link; etalage does not follow links, so that no file outside the site is published: copy the file here instead",
            ));
            skipped.push(relative(root, entry.path()));
            continue;
        }
        if entry.file_type().is_file() && wanted(entry.path()) {
            wanted_files.push(entry.into_path());
        }
    }
    let read: Vec<Result<Read>> = wanted_files
        .par_iter()
        .map(|path| read_one(root, path))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for r in read {
        match r? {
            Read::File(file) => files.push(file),
            Read::Gone => {}
            Read::Unusable(path, problem) => {
                problems.extend(problem);
                skipped.push(path);
            }
        }
    }
    Ok(files)
}

/// What reading one listed file gave.
enum Read {
    File(SourceFile),
    /// Deleted between listing and reading (an editor's save, a rename): not there.
    Gone,
    /// Unreadable or not UTF-8: its site-relative path and the problem.
    Unusable(String, Option<Diagnostic>),
}

fn read_one(root: &Path, path: &Path) -> Result<Read> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            let rel = relative(root, path);
            let problem = Diagnostic::error(
                Location::file(rel.clone()),
                "the file cannot be read (permission denied)",
            );
            return Ok(Read::Unusable(rel, Some(problem)));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Gone),
        Err(e) => return Err(Error::io(path, e)),
    };
    let rel = relative(root, path);
    let mut problems = Vec::new();
    Ok(match decode(rel.clone(), bytes, &mut problems) {
        Some(file) => Read::File(file),
        None => Read::Unusable(rel, problems.pop()),
    })
}

fn read_assets(dir: &Path) -> Result<Vec<Asset>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut assets = Vec::new();
    for entry in walk(dir) {
        let entry = entry.map_err(|e| walk_error(dir, e))?;
        if entry.file_type().is_file() {
            let bytes = fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            assets.push(Asset {
                output_path: relative(dir, entry.path()),
                bytes,
            });
        }
    }
    Ok(assets)
}

fn walk_error(dir: &Path, e: walkdir::Error) -> Error {
    let path = e
        .path()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.to_path_buf());
    let io = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("file system loop"));
    Error::io(path, io)
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// UTF-8 text, or a diagnostic naming where the first bad byte is.
fn decode(path: String, bytes: Vec<u8>, problems: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    match String::from_utf8(bytes) {
        Ok(text) => Some(SourceFile::new(path, text)),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]);
            let (line, column) = config::line_col(&prefix, prefix.len());
            problems.push(Diagnostic::error(
                Location::new(path, line, column),
                "the file is not valid UTF-8 text; save it with UTF-8 encoding",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_scratch_files() {
        for name in [".a.md.swp", "a.md~", "#a.md#", ".hidden.md", "4913.tmp"] {
            assert!(is_scratch(name), "{name}");
        }
        assert!(!is_scratch("haarlem-samen.md"));
    }

    #[test]
    fn locates_invalid_utf8() {
        let mut problems = Vec::new();
        assert!(decode("a.md".into(), b"ok\nab\xffc".to_vec(), &mut problems).is_none());
        assert_eq!(
            problems[0].to_string(),
            "a.md:2:3: error: the file is not valid UTF-8 text; save it with UTF-8 encoding"
        );
    }

    #[test]
    fn write_ups_are_markdown_files_in_their_folders() {
        assert!(is_write_up("content/practices/a.md"));
        assert!(is_write_up("content/awards/werksleutel-2009.md"));
        assert!(is_write_up("content/pages/over/index.MD"));
        assert!(!is_write_up("content/practices/a.txt"));
        assert!(!is_write_up("content/data/themes.yaml"));
        assert!(!is_write_up("templates/practice.html"));
    }

    #[test]
    fn a_write_up_belongs_in_the_list_of_its_folder() {
        let mut s = Sources::default();
        s.write_ups_for("content/awards/prijs.md")
            .unwrap()
            .push(SourceFile::new(
                "content/awards/prijs.md".into(),
                String::new(),
            ));
        assert_eq!(s.awards.len(), 1);
        assert!(s.write_ups_for("content/data/themes.yaml").is_none());
    }
}
