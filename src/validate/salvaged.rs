//! The checks of a practice whose front matter did not parse, on what could be read of it
//! (`parse::Salvaged`): an editor learns of `municipality: Harlem`, a base written `1.550`, an
//! unknown source or a broken link in the same run as of the wrong date that stopped the file,
//! not in the run after it.
//!
//! The practice's checks run as for any practice, on values in which what serde could not read
//! was replaced (and unknown keys and placeholders left out). What those replacements could
//! have caused is dropped: every problem found inside a top-level key whose value was replaced,
//! or inside one whose checks read such a key (an award entry reads the period and the
//! sources). Problems in the body (links) depend on no front matter and are kept. It does not
//! build a record: the file still has its errors, and nothing of it is published.

use super::{check_practice, practice_slug, Context, NO_RESULTS};
use crate::diagnostic::Diagnostic;
use crate::meta::PracticeMeta;
use crate::parse::Salvaged;

/// The top-level keys whose checks read other top-level keys: a problem found in the first is
/// only trusted when none of the others was replaced.
const READS: &[(&str, &[&str])] = &[
    ("province", &["municipality"]),
    ("period", &["status"]),
    ("status", &["period"]),
    ("results", &["sources"]),
    ("awards", &["sources", "period", "slug"]),
    ("recognitions", &["sources"]),
    ("related", &["slug"]),
];

/// Adds the problems of salvaged practice `s` that do not come from what was replaced.
pub(super) fn check(s: &Salvaged<'_, PracticeMeta>, ctx: &Context, d: &mut Vec<Diagnostic>) {
    let p = &s.parsed;
    let slug = practice_slug(p);
    let mut found = Vec::new();
    check_practice(p, &slug, ctx, &mut found);
    let spans = spans(s);
    let unsure = |key: &str| {
        s.is_repaired(key)
            || READS
                .iter()
                .filter(|(k, _)| *k == key)
                .flat_map(|(_, reads)| reads.iter())
                .any(|r| s.is_repaired(r))
    };
    d.extend(found.into_iter().filter(|x| {
        if x.message == NO_RESULTS && s.is_repaired("results") {
            return false;
        }
        match place_of(&spans, x.location.line) {
            Place::Key(key) => !unsure(key),
            Place::Body => true,
            // A problem placed where no key of the file is: about a key that is not there,
            // which the parse errors already name (or one the repair filled in).
            Place::Nowhere => false,
        }
    }));
}

/// The top-level keys of the file, each with the first line of its entry, in the file's order,
/// and the line after the front matter.
fn spans(s: &Salvaged<'_, PracticeMeta>) -> (Vec<(usize, &'static str)>, usize) {
    let p = &s.parsed;
    let keys = crate::meta::practice_schema("").unwrap_or(&[]);
    let mut lines: Vec<(usize, &'static str)> = keys
        .iter()
        .filter(|k| p.positions.has(k))
        .map(|k| (p.positions.key(k).line, *k))
        .collect();
    lines.sort_unstable();
    (lines, p.body_line)
}

/// Where in the file a line is.
#[derive(Debug, PartialEq)]
enum Place {
    /// In the entry of this top-level key.
    Key(&'static str),
    /// After the front matter.
    Body,
    /// In the front matter, before its first key.
    Nowhere,
}

/// The part of the file `line` is in.
fn place_of((lines, body_line): &(Vec<(usize, &'static str)>, usize), line: usize) -> Place {
    if line >= *body_line {
        return Place::Body;
    }
    lines
        .iter()
        .take_while(|(start, _)| *start <= line)
        .last()
        .map_or(Place::Nowhere, |(_, key)| Place::Key(key))
}

#[cfg(test)]
mod tests {
    use super::{place_of, Place};

    #[test]
    fn a_line_belongs_to_the_key_above_it_within_the_front_matter() {
        let spans = (vec![(2, "title"), (3, "results"), (7, "sources")], 10);
        assert_eq!(place_of(&spans, 1), Place::Nowhere);
        assert_eq!(place_of(&spans, 2), Place::Key("title"));
        assert_eq!(place_of(&spans, 5), Place::Key("results"));
        assert_eq!(place_of(&spans, 9), Place::Key("sources"));
        assert_eq!(place_of(&spans, 10), Place::Body);
    }
}
