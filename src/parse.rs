//! Source files to typed front matter plus their Markdown body (not yet rendered).
//!
//! Each file is cut at its fences (`frontmatter`), its YAML read into the `meta` types with the
//! position of every key kept (`yaml`), and its slug taken from `slug:` or the file name. Files
//! are independent here, so this runs in parallel; cross-file checks belong to `validate`.

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
    /// The file name without `.md`.
    pub stem: &'a str,
    pub meta: M,
    pub positions: Positions,
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

pub type ParsedPractice<'a> = Parsed<'a, PracticeMeta>;
pub type ParsedAward<'a> = Parsed<'a, AwardMeta>;
pub type ParsedPage<'a> = Parsed<'a, PageMeta>;

/// All content files, parsed.
#[derive(Debug, Default)]
pub struct ParsedContent<'a> {
    pub practices: Vec<ParsedPractice<'a>>,
    pub awards: Vec<ParsedAward<'a>>,
    pub pages: Vec<ParsedPage<'a>>,
    /// File stems of practices that did not parse: still known to references, so one broken
    /// file does not cascade into errors in every file that links to it.
    pub unparsed_practices: Vec<&'a str>,
}

/// Parses every content file; files with errors are left out and reported.
pub fn parse_content<'a>(
    practices: &'a [SourceFile],
    awards: &'a [SourceFile],
    pages: &'a [SourceFile],
) -> (ParsedContent<'a>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let parsed_practices: Vec<ParsedPractice> =
        parse_all(practices, &meta::practice_schema, &mut diags);
    let unparsed_practices = practices
        .iter()
        .map(|f| stem_of(&f.path))
        .filter(|stem| !parsed_practices.iter().any(|p| p.stem == *stem))
        .collect();
    let content = ParsedContent {
        practices: parsed_practices,
        unparsed_practices,
        awards: parse_all(awards, &meta::award_schema, &mut diags),
        pages: parse_all(pages, &meta::page_schema, &mut diags),
    };
    (content, diags)
}

fn parse_all<'a, M: DeserializeOwned + Send>(
    files: &'a [SourceFile],
    schema: &(dyn Fn(&str) -> Option<&'static [&'static str]> + Sync),
    diags: &mut Vec<Diagnostic>,
) -> Vec<Parsed<'a, M>> {
    let results: Vec<Result<Parsed<'a, M>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| parse_file(f, &|p| schema(p)))
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => parsed.push(p),
            Err(d) => diags.extend(d),
        }
    }
    parsed
}

/// Parses one file.
pub fn parse_file<'a, M: DeserializeOwned>(
    file: &'a SourceFile,
    schema: yaml::Schema<'_>,
) -> Result<Parsed<'a, M>, Vec<Diagnostic>> {
    let text = frontmatter::strip_bom(&file.text);
    let split = frontmatter::split(text).map_err(|e| vec![split_error(&file.path, &e)])?;
    let (meta, positions) = yaml::parse::<M>(split.yaml, schema).map_err(|errors| {
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
        stem,
        meta,
        positions,
        body: split.body,
        body_line: split.body_line,
    })
}

/// The file name without folder and `.md`.
pub fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
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
        SourceFile {
            path: "content/pages/a.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn parses_page_with_bom_and_crlf() {
        let f = file("\u{feff}---\r\ntitle: Over\r\n---\r\nTekst\r\n");
        let p: ParsedPage = parse_file(&f, &meta::page_schema).unwrap();
        assert_eq!(p.meta.title, "Over");
        assert_eq!(p.stem, "a");
        assert_eq!(p.body_line, 4);
    }

    #[test]
    fn locates_fence_errors() {
        let f = file("---\ntitle: Over\n");
        let e = parse_file::<PageMeta>(&f, &meta::page_schema).unwrap_err();
        assert_eq!(e[0].location.line, 1);
        assert!(e[0].message.contains("never closed"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("haarlem-samen-2"));
        assert!(!is_slug("Haarlem") && !is_slug("") && !is_slug("a_b"));
    }
}
