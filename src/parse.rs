//! Source files to typed front matter plus their Markdown body (not yet rendered).
//!
//! Each file is cut at its fences (`frontmatter`), its YAML read into the `meta` types with the
//! position of every key kept (`yaml`), and its slug taken from `slug:` or the file name. Files
//! are independent here, so this runs in parallel; cross-file checks belong to `validate`.

use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Location};
use crate::frontmatter::{self, SplitError};
use crate::load::SourceFile;
use crate::meta::{self, AwardMeta, PageMeta, PracticeMeta};
use crate::yaml::{self, Positions};

/// One parsed write-up: front matter of type `M` and its still-Markdown body.
#[derive(Debug, Clone)]
pub struct Parsed<'a, M> {
    pub path: &'a str,
    /// XXH3-128 of the file's whole text: what the file says, for memos of later stages.
    pub text_hash: u128,
    /// The file name without `.md`.
    pub stem: &'a str,
    /// Shared with the parse memo, so a file taken from it is not copied.
    pub meta: Arc<M>,
    pub positions: Arc<Positions>,
    pub body: &'a str,
    pub body_line: usize,
}

impl<M> Parsed<'_, M> {
    /// The location of the value at a dotted front matter path.
    pub fn at(&self, path: &str) -> Location {
        let p = self.positions.value(path);
        Location::new(self.path, p.line, p.column)
    }

    /// The location of the key at a dotted front matter path.
    pub fn key_at(&self, path: &str) -> Location {
        let p = self.positions.key(path);
        Location::new(self.path, p.line, p.column)
    }
}

/// A file whose front matter did not parse, read all the same (`yaml::salvage`): for the checks
/// that do not depend on the values `repaired` (dotted paths) replaced or left out.
#[derive(Debug)]
pub struct Salvaged<'a, M> {
    pub parsed: Parsed<'a, M>,
    repaired: Vec<String>,
}

impl<M> Salvaged<'_, M> {
    /// Whether the value at `path` (or anything inside it) was replaced or left out.
    pub fn is_repaired(&self, path: &str) -> bool {
        self.repaired
            .iter()
            .any(|r| yaml::within(r, path) || yaml::within(path, r))
    }
}

pub type ParsedPractice<'a> = Parsed<'a, PracticeMeta>;
pub type ParsedAward<'a> = Parsed<'a, AwardMeta>;
pub type ParsedPage<'a> = Parsed<'a, PageMeta>;

/// All content files, parsed.
#[derive(Debug, Default)]
pub struct ParsedContent<'a> {
    pub practices: Vec<ParsedPractice<'a>>,
    pub awards: Vec<ParsedAward<'a>>,
    pub pages: Vec<ParsedPage<'a>>,
    /// File stems of practices that did not parse or could not be read: still known to
    /// references, so one broken file does not cascade into errors in every file that links to
    /// it.
    pub unparsed_practices: Vec<&'a str>,
    /// The practices among them that could be read all the same.
    pub salvaged_practices: Vec<Salvaged<'a, PracticeMeta>>,
    /// Likewise, award files.
    pub unparsed_awards: Vec<&'a str>,
    /// Likewise, page files.
    pub unparsed_pages: Vec<&'a str>,
}

impl<'a> ParsedContent<'a> {
    /// Adds the content files at `paths` (site-relative) that could not be read to the unparsed
    /// ones of their kind.
    pub fn add_unusable(&mut self, paths: &'a [String]) {
        for path in paths {
            let stem = stem_of(path);
            if path.starts_with("content/practices/") {
                self.unparsed_practices.push(stem);
            } else if path.starts_with("content/awards/") {
                self.unparsed_awards.push(stem);
            } else if path.starts_with("content/pages/") {
                self.unparsed_pages.push(stem);
            }
        }
    }
}

/// What earlier parses produced, by the hash of the text, to skip files whose text has not
/// changed. An entry does not depend on the file's path (only errors name it, and files with
/// errors are not kept), so no path is copied into the memo. Its maps are carried from parse to
/// parse (`carry`): after [`Memo::end_pass`] it holds exactly the files the last parse was given.
#[derive(Debug, Default)]
pub struct Memo {
    practices: Files<PracticeMeta>,
    awards: Files<AwardMeta>,
    pages: Files<PageMeta>,
}

impl Memo {
    /// Ends a parse that used the memo: `whole` when it was given every file of the site and
    /// its result is used (after a failed build the memo keeps what it had as well).
    pub fn end_pass(&mut self, whole: bool) {
        self.practices.end_pass(whole);
        self.awards.end_pass(whole);
        self.pages.end_pass(whole);
    }
}

type Files<M> = crate::carry::Carried<u128, Arc<Entry<M>>>;

/// One parsed file, without borrowing its text: the body is an offset into it.
#[derive(Debug, Clone)]
struct Entry<M> {
    text: u128,
    meta: Arc<M>,
    positions: Arc<Positions>,
    body_start: usize,
    body_line: usize,
}

impl<M: Clone> Entry<M> {
    fn of(parsed: &Parsed<'_, M>, file: &SourceFile) -> Entry<M> {
        Entry {
            text: parsed.text_hash,
            meta: parsed.meta.clone(),
            positions: parsed.positions.clone(),
            body_start: parsed.body.as_ptr() as usize - file.text.as_ptr() as usize,
            body_line: parsed.body_line,
        }
    }

    fn parsed<'a>(&self, file: &'a SourceFile) -> Parsed<'a, M> {
        Parsed {
            path: &file.path,
            text_hash: self.text,
            stem: stem_of(&file.path),
            meta: self.meta.clone(),
            positions: self.positions.clone(),
            body: &file.text[self.body_start..],
            body_line: self.body_line,
        }
    }
}

/// Parses every content file; files with errors are left out and reported.
pub fn parse_content<'a>(
    practices: &'a [SourceFile],
    awards: &'a [SourceFile],
    pages: &'a [SourceFile],
) -> (ParsedContent<'a>, Vec<Diagnostic>) {
    parse_with(practices, awards, pages, None)
}

/// Parses like [`parse_content`], taking every file whose text is unchanged since the parses
/// `memo` remembers from it, and adding the others to it; end the pass with [`Memo::end_pass`].
pub fn parse_content_again<'a>(
    practices: &'a [SourceFile],
    awards: &'a [SourceFile],
    pages: &'a [SourceFile],
    memo: &Memo,
) -> (ParsedContent<'a>, Vec<Diagnostic>) {
    parse_with(practices, awards, pages, Some(memo))
}

fn parse_with<'a>(
    practices: &'a [SourceFile],
    awards: &'a [SourceFile],
    pages: &'a [SourceFile],
    memo: Option<&Memo>,
) -> (ParsedContent<'a>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (parsed_practices, salvaged_practices) = parse_all(
        practices,
        (&meta::practice_schema, Keys::ByType),
        memo.map(|m| &m.practices),
        (&mut diags, true),
    );
    let unparsed_practices = unparsed(practices, parsed_practices.iter().map(|p| p.stem));
    let award_files = awards;
    let (awards, _) = parse_all(
        awards,
        // `editions.*.motivations` is a map: serde keeps the last of two equal keys.
        (&meta::award_schema, Keys::Indexed),
        memo.map(|m| &m.awards),
        (&mut diags, false),
    );
    let page_files = pages;
    let (pages, _) = parse_all(
        pages,
        (&meta::page_schema, Keys::ByType),
        memo.map(|m| &m.pages),
        (&mut diags, false),
    );
    let content = ParsedContent {
        unparsed_practices,
        salvaged_practices,
        unparsed_awards: unparsed(award_files, awards.iter().map(|a| a.stem)),
        unparsed_pages: unparsed(page_files, pages.iter().map(|p| p.stem)),
        practices: parsed_practices,
        awards,
        pages,
    };
    (content, diags)
}

/// The stems of `files` that are not among the `parsed` stems.
fn unparsed<'a>(files: &'a [SourceFile], parsed: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let parsed: foldhash::HashSet<&str> = parsed.collect();
    files
        .iter()
        .map(|f| stem_of(&f.path))
        .filter(|stem| !parsed.contains(stem))
        .collect()
}

/// The key lists of a kind of front matter, by path pattern (`meta::practice_schema`).
type KeyLists = dyn Fn(&str) -> Option<&'static [&'static str]> + Sync;

/// Parses `files` in parallel; with a `memo`, unchanged files are taken from it and the others
/// added to it. With `salvage`, the files that do not parse are read all the same where they
/// can be (see [`Salvaged`]).
fn parse_all<'a, M: DeserializeOwned + Clone + Send + Sync>(
    files: &'a [SourceFile],
    (schema, keys): (&KeyLists, Keys),
    memo: Option<&Files<M>>,
    (diags, salvage): (&mut Vec<Diagnostic>, bool),
) -> (Vec<Parsed<'a, M>>, Vec<Salvaged<'a, M>>) {
    type Rejected<'a, M> = (Vec<Diagnostic>, Option<Box<Salvaged<'a, M>>>);
    type Accepted<'a, M> = (Parsed<'a, M>, Vec<Diagnostic>);
    let results: Vec<Result<Accepted<'a, M>, Rejected<'a, M>>> = files
        .par_iter()
        .map(|f| {
            let parsed = match memo {
                Some(memo) => match memo.get(&f.hash) {
                    Some(e) => Ok(e.parsed(f)),
                    None => {
                        let parsed = parse_file(f, &|p| schema(p), keys);
                        if let Ok(p) = &parsed {
                            memo.insert(f.hash, Arc::new(Entry::of(p, f)));
                        }
                        parsed
                    }
                },
                None => parse_file(f, &|p| schema(p), keys),
            };
            let salvaged = || salvage_file(f, &|p| schema(p)).map(Box::new);
            parsed
                .map(|p| {
                    let warnings = comment_cuts(&p);
                    (p, warnings)
                })
                .map_err(|d| (d, salvage.then(salvaged).flatten()))
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    let mut salvaged = Vec::new();
    for r in results {
        match r {
            Ok((p, warnings)) => {
                diags.extend(warnings);
                parsed.push(p);
            }
            Err((d, s)) => {
                diags.extend(d);
                salvaged.extend(s.map(|s| *s));
            }
        }
    }
    (parsed, salvaged)
}

/// Warnings for the values of a parsed file that a comment cuts short (`title: Werkplein #1`,
/// see `yaml::Positions::comment_cuts`): the file is valid YAML, but not what was meant.
fn comment_cuts<M>(parsed: &Parsed<'_, M>) -> Vec<Diagnostic> {
    parsed
        .positions
        .comment_cuts()
        .into_iter()
        .map(|w| {
            Diagnostic::warning(
                Location::new(parsed.path, w.pos.line, w.pos.column),
                w.message,
            )
        })
        .collect()
}

/// Reads a file [`parse_file`] rejected as well as can be done (`yaml::salvage`).
fn salvage_file<'a, M: DeserializeOwned>(
    file: &'a SourceFile,
    schema: yaml::Schema<'_>,
) -> Option<Salvaged<'a, M>> {
    let text = frontmatter::strip_bom(&file.text);
    let split = frontmatter::split(text).ok()?;
    let salvage = yaml::salvage::<M>(split.yaml, schema)?;
    Some(Salvaged {
        parsed: Parsed {
            path: &file.path,
            text_hash: file.hash,
            stem: stem_of(&file.path),
            meta: Arc::new(salvage.value),
            positions: Arc::new(salvage.positions),
            body: split.body,
            body_line: split.body_line,
        },
        repaired: salvage.repaired,
    })
}

/// Who checks that a front matter type's keys are known and not repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// The type itself: structs that deny unknown fields all the way down, no maps (see
    /// `yaml::parse_strict`).
    ByType,
    /// The schema, on an index of the document (`yaml::parse`).
    Indexed,
}

/// Parses one file.
pub fn parse_file<'a, M: DeserializeOwned>(
    file: &'a SourceFile,
    schema: yaml::Schema<'_>,
    keys: Keys,
) -> Result<Parsed<'a, M>, Vec<Diagnostic>> {
    let text = frontmatter::strip_bom(&file.text);
    let split = frontmatter::split(text).map_err(|e| vec![split_error(&file.path, &e)])?;
    let parsed = match keys {
        Keys::ByType => yaml::parse_strict::<M>(split.yaml, schema),
        Keys::Indexed => yaml::parse::<M>(split.yaml, schema),
    };
    let (meta, positions) = parsed.map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                Diagnostic::error(
                    Location::new(&file.path, e.pos.line, e.pos.column),
                    e.message,
                )
            })
            .collect::<Vec<_>>()
    })?;
    let stem = stem_of(&file.path);
    Ok(Parsed {
        path: &file.path,
        text_hash: file.hash,
        stem,
        meta: Arc::new(meta),
        positions: Arc::new(positions),
        body: split.body,
        body_line: split.body_line,
    })
}

/// The file name without folder and `.md`.
pub fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let md = name
        .len()
        .checked_sub(3)
        .filter(|&i| name.is_char_boundary(i));
    match md {
        Some(i) if name[i..].eq_ignore_ascii_case(".md") => &name[..i],
        _ => name,
    }
}

fn split_error(path: &str, e: &SplitError) -> Diagnostic {
    Diagnostic::error(Location::new(path, e.line(), 1), e.message())
}

/// The front matter of a file as JSON, or `None` when it does not split or parse.
pub fn front_matter_json(text: &str) -> Option<serde_json::Value> {
    let split = frontmatter::split(frontmatter::strip_bom(text)).ok()?;
    yaml::to_json(split.yaml)
}

/// Whether `s` is a valid slug: `^[a-z0-9-]+$`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/pages/a.md".into(), text.into())
    }

    #[test]
    fn parses_page_with_bom_and_crlf() {
        let f = file("\u{feff}---\r\ntitle: Over\r\n---\r\nTekst\r\n");
        let p: ParsedPage = parse_file(&f, &meta::page_schema, Keys::ByType).unwrap();
        assert_eq!(p.meta.title, "Over");
        assert_eq!(p.stem, "a");
        assert_eq!(p.body_line, 4);
    }

    #[test]
    fn locates_fence_errors() {
        let f = file("---\ntitle: Over\n");
        let e = parse_file::<PageMeta>(&f, &meta::page_schema, Keys::ByType).unwrap_err();
        assert_eq!(e[0].location.line, 1);
        assert!(e[0].message.contains("never closed"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("haarlem-samen-2"));
        assert!(!is_slug("Haarlem") && !is_slug("") && !is_slug("a_b"));
    }
}
