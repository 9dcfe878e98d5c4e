//! Fixture sites in temporary folders, and helpers to build, check and inspect them.
//!
//! A fixture is a folder under `tests/fixtures/<feature>/<case>/` holding only what the case is
//! about. [`fixture`] copies it into a fresh temporary folder and completes it with what it does
//! not have: `site.toml` and `content/data/*.yaml` from `tests/fixtures/_shared/`, and the
//! repository's own `themes/default`. Diagnostics are compared as their `Display` text, whose
//! paths are relative to the site folder, so snapshots do not depend on the temporary path.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use etalage::{Diagnostic, Error, Options};
use regex::Regex;
use tempfile::TempDir;
use walkdir::WalkDir;

/// The repository root (the bundled site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A fixture site copied into a temporary folder: `<tmp>/site`, with room beside it for output
/// folders (`<tmp>/out`, ...).
pub struct Site {
    tmp: TempDir,
    pub root: PathBuf,
}

/// Copies `tests/fixtures/<name>` into a temporary folder and fills in the shared parts.
pub fn fixture(name: &str) -> Site {
    let src = fixtures().join(name);
    assert!(src.is_dir(), "no fixture folder {}", src.display());
    let tmp = tempfile::Builder::new()
        .prefix("etalage-it-")
        .tempdir()
        .unwrap();
    let root = tmp.path().join("site");
    copy_dir(&src, &root);
    let shared = fixtures().join("_shared");
    if !root.join("site.toml").exists() {
        fs::copy(shared.join("site.toml"), root.join("site.toml")).unwrap();
    }
    let data = root.join("content/data");
    fs::create_dir_all(&data).unwrap();
    for entry in fs::read_dir(shared.join("data")).unwrap() {
        let entry = entry.unwrap();
        let target = data.join(entry.file_name());
        if !target.exists() {
            fs::copy(entry.path(), target).unwrap();
        }
    }
    let theme = root.join("themes/default");
    if !theme.exists() {
        copy_dir(&repo().join("themes/default"), &theme);
    }
    Site { tmp, root }
}

/// Copies a folder tree (files only, no symlinks).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// The temporary folder holding the site folder; free for output folders.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub fn check(&self) -> etalage::Result<Vec<Diagnostic>> {
        etalage::check(&self.root, &Options::default())
    }

    /// The diagnostics of a check that must fail on content errors.
    pub fn errors(&self) -> Vec<Diagnostic> {
        match self.check() {
            Err(Error::Content(diags)) => {
                assert!(
                    diags.iter().any(Diagnostic::is_error),
                    "content failure without errors: {diags:?}"
                );
                diags
            }
            Err(e) => panic!("expected content errors, got {e}"),
            Ok(w) => panic!("expected content errors, the check passed with {w:?}"),
        }
    }

    /// The warnings of a check that must pass.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        match self.check() {
            Ok(w) => w,
            Err(Error::Content(d)) => panic!("unexpected errors:\n{}", lines(&d)),
            Err(e) => panic!("unexpected failure: {e}"),
        }
    }

    /// The site compiled in memory.
    pub fn compile(&self, options: &Options) -> etalage::Compiled {
        let sources = etalage::load_site(&self.root).unwrap();
        match etalage::compile(&sources, options) {
            Ok(c) => c,
            Err(Error::Content(d)) => panic!("unexpected errors:\n{}", lines(&d)),
            Err(e) => panic!("unexpected failure: {e}"),
        }
    }

    /// Builds into `out` (relative to the temporary folder), which must succeed.
    pub fn build_to(&self, out: &str, options: &Options) -> (PathBuf, etalage::Report) {
        let dir = self.tmp().join(out);
        let report = self.try_build(&dir, options).unwrap_or_else(|e| match e {
            Error::Content(d) => panic!("unexpected errors:\n{}", lines(&d)),
            e => panic!("unexpected failure: {e}"),
        });
        (dir, report)
    }

    pub fn try_build(&self, dir: &Path, options: &Options) -> etalage::Result<etalage::Report> {
        etalage::build(&self.root, Some(dir), options)
    }

    /// `path:line:col` of a place in the site file `rel`: `needle` must occur exactly once, and
    /// the place is the `|` in it, or its start when it has none (`"status: |lopnd"` points at
    /// the value). Columns count characters, as diagnostics do; a byte-order mark is skipped.
    pub fn locate(&self, rel: &str, needle: &str) -> String {
        let text = String::from_utf8_lossy(&fs::read(self.path(rel)).unwrap()).into_owned();
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let (before_cursor, after_cursor) = needle.split_once('|').unwrap_or(("", needle));
        let needle = format!("{before_cursor}{after_cursor}");
        let mut hits = text.match_indices(&needle);
        let (offset, _) = hits
            .next()
            .unwrap_or_else(|| panic!("`{needle}` is not in {rel}"));
        assert!(hits.next().is_none(), "`{needle}` occurs twice in {rel}");
        let before = &text[..offset + before_cursor.len()];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        format!("{rel}:{line}:{col}")
    }

    /// Runs the `etalage` binary with the site folder as working directory.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_etalage"))
            .args(args)
            .current_dir(&self.root)
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    }
}

/// Diagnostics as the CLI prints them, one per line.
pub fn lines(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that one diagnostic is an error at `location` whose message contains `message`.
#[track_caller]
pub fn assert_error_at(diags: &[Diagnostic], location: &str, message: &str) {
    assert_diag_at(diags, location, message, true);
}

#[track_caller]
pub fn assert_warning_at(diags: &[Diagnostic], location: &str, message: &str) {
    assert_diag_at(diags, location, message, false);
}

#[track_caller]
fn assert_diag_at(diags: &[Diagnostic], location: &str, message: &str, error: bool) {
    let found = diags.iter().any(|d| {
        d.location.to_string() == location && d.message.contains(message) && d.is_error() == error
    });
    let kind = if error { "an error" } else { "a warning" };
    assert!(
        found,
        "expected {kind} at {location} containing {message:?}; got:\n{}",
        lines(diags)
    );
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The HTML files of a built site, by relative path, as text.
pub fn html_files(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// Decodes the character references Tera and pulldown-cmark put in attribute values.
pub fn unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The values of every `href` and `src` attribute in `html`, unescaped.
pub fn links(html: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"\s(?:href|src)\s*=\s*"([^"]*)""#).unwrap());
    re.captures_iter(html).map(|c| unescape(&c[1])).collect()
}

/// The output file an internal URL path points to: `/a/b/` → `a/b/index.html`.
pub fn target_file(url_path: &str, base_path: &str) -> Option<String> {
    let path = url_path.split(['#', '?']).next().unwrap_or("");
    let rel = path.strip_prefix(base_path)?;
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

/// Every internal link (`href`/`src` starting with `/`) in every HTML file of `dir` that does
/// not resolve to a file in `dir`, as `page: link`.
pub fn broken_internal_links(dir: &Path, base_path: &str) -> Vec<String> {
    let files = tree(dir);
    let mut broken = Vec::new();
    for (page, html) in html_files(dir) {
        for link in links(&html) {
            if !link.starts_with('/') || link.starts_with("//") {
                continue;
            }
            match target_file(&link, base_path) {
                Some(t) if files.contains_key(&t) => {}
                _ => broken.push(format!("{page}: {link}")),
            }
        }
    }
    broken
}

/// Output text with the parts that change with unrelated edits (asset fingerprints) masked.
pub fn normalize(text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\?v=[0-9a-f]+").unwrap());
    re.replace_all(text, "?v=[fingerprint]").into_owned()
}
