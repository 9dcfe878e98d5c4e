//! Juries: which award edition a jury build is for, and what a jury should know about an entry.
//!
//! A [`JuryScope`] (`werksleutel/2002`) names the edition a jury-only build is made for. The
//! checks a jury wants on every entry of an edition are pure functions of the entry's front
//! matter and the edition's year: a result with no source, a result older than
//! `stale_after_years`, an entry without results, and figures from another legal framework than
//! the one in force in the edition's year ([`assistance_laws`] holds the periods). `validate`
//! turns each [`Finding`] into a located warning and keeps the [`EntryWarning`] on the award
//! entry, so the jury build can show it on the edition page.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::date::PartialDate;
use crate::meta::{LegalFramework, ResultMeta, SourceMeta};

/// The award edition a jury build is for: `<award>/<edition>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JuryScope {
    pub award: String,
    pub edition: String,
}

impl JuryScope {
    /// Whether an award entry names this edition.
    pub fn matches(&self, award: &str, edition: &str) -> bool {
        self.award == award && self.edition == edition.trim()
    }
}

impl FromStr for JuryScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().trim_matches('/').split_once('/') {
            Some((award, edition))
                if !award.is_empty() && !edition.is_empty() && !edition.contains('/') =>
            {
                Ok(JuryScope {
                    award: award.to_string(),
                    edition: edition.to_string(),
                })
            }
            _ => Err(format!(
                "`{s}` is not an award edition: write <award>/<edition>, for example werksleutel/2002"
            )),
        }
    }
}

impl fmt::Display for JuryScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.award, self.edition)
    }
}

/// The year an edition was judged in: the year of its `date`, or else its name when that is a
/// year (`"2002"`). `None` when neither tells; then no check that needs a year is made.
pub fn edition_year(key: &str, date: Option<&PartialDate>) -> Option<i32> {
    date.map(|d| d.year)
        .or_else(|| (key.len() == 4).then(|| key.parse::<i32>().ok()).flatten())
}

/// The laws on social assistance in force in `year`, as etalage tells legal frameworks apart:
///
/// - until 2003: the Algemene Bijstandswet (`abw`);
/// - 2004 to 2014: the Wet werk en bijstand (`wwb`), and from 2009 to 2012 also the Wet
///   investeren in jongeren (`wij`) for young people under 27;
/// - from 2015: the Participatiewet (`participatiewet`).
///
/// Whole years are used, as most figures are dated by year. The other frameworks (`ww`, `wia`,
/// `wajong`, `wsw`) ran through all these periods and are never compared.
pub fn assistance_laws(year: i32) -> &'static [LegalFramework] {
    use LegalFramework::*;
    match year {
        ..=2003 => &[Abw],
        2009..=2012 => &[Wwb, Wij],
        2004..=2014 => &[Wwb],
        _ => &[Participatiewet],
    }
}

/// Whether a framework is one of the successive laws on social assistance.
pub fn is_assistance_law(l: LegalFramework) -> bool {
    use LegalFramework::*;
    matches!(l, Abw | Wwb | Wij | Participatiewet)
}

/// Something a jury should know about one entry. Labels are copied so the warning reads on its
/// own; the edition page and `check` both describe it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryWarning {
    /// A result names no source.
    NoSource { result: String },
    /// A result dates from `year`, `age` years before the edition; more than the site allows.
    Stale {
        result: String,
        year: i32,
        age: i32,
        limit: u32,
    },
    /// The entry has no results at all.
    NoResults,
    /// A result says neither when it was measured (`as_of`) nor comes from a dated source.
    Undated { result: String },
    /// The practice started in `start`, after the edition's year: it cannot have been entered.
    StartsAfter { start: i32, edition_year: i32 },
    /// The figures (a result dated `year`, or the practice's declared framework when `result`
    /// is `None`) come from `found`, while in the edition's year `in_force` applied.
    OtherFramework {
        result: Option<String>,
        year: Option<i32>,
        found: Vec<LegalFramework>,
        edition_year: i32,
        in_force: Vec<LegalFramework>,
    },
}

impl EntryWarning {
    /// Whether `validate` already warns about this for every practice, entry or not (results
    /// without a source, practices without results); `check` then prints it once.
    pub fn reported_elsewhere(&self) -> bool {
        matches!(
            self,
            EntryWarning::NoSource { .. } | EntryWarning::NoResults
        )
    }

    /// The warning in English, for `check` (`edition` reads "Werksleutel 2002").
    pub fn message(&self, edition: &str) -> String {
        let keys = |ls: &[LegalFramework]| {
            ls.iter()
                .map(|l| format!("`{}`", l.key()))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match self {
            EntryWarning::NoSource { result } => {
                format!("entry in {edition}: the result `{result}` has no `source`")
            }
            EntryWarning::NoResults => format!("entry in {edition}: the entry has no `results`"),
            EntryWarning::Undated { result } => format!(
                "entry in {edition}: the result `{result}` has no date: add `as_of`, or a `published` date to its source"
            ),
            EntryWarning::StartsAfter {
                start,
                edition_year,
            } => format!(
                "entry in {edition}: the practice started in {start}, after the edition's year {edition_year}"
            ),
            EntryWarning::Stale {
                result,
                year,
                age,
                limit,
            } => format!(
                "entry in {edition}: the result `{result}` dates from {year}, {age} years before the edition (results older than {limit} years count as stale; `stale_after_years` in site.toml)"
            ),
            EntryWarning::OtherFramework {
                result: Some(result),
                year,
                found,
                edition_year,
                in_force,
            } => format!(
                "entry in {edition}: the result `{result}` ({}) falls under {}, but in {edition_year} {} applied",
                year.map_or_else(String::new, |y| y.to_string()),
                keys(found),
                keys(in_force)
            ),
            EntryWarning::OtherFramework {
                result: None,
                found,
                edition_year,
                in_force,
                ..
            } => format!(
                "entry in {edition}: the practice names `legal_framework` {}, but in {edition_year} {} applied",
                keys(found),
                keys(in_force)
            ),
        }
    }
}

/// A warning with the front matter path it concerns (`results.2.as_of`), to locate it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub path: String,
    pub warning: EntryWarning,
}

/// What the checks of one entry look at.
pub struct Entry<'a> {
    /// The index of the entry in the practice's `awards`.
    pub index: usize,
    pub results: &'a [ResultMeta],
    pub sources: &'a [SourceMeta],
    pub legal_framework: &'a [LegalFramework],
    /// See [`edition_year`].
    pub edition_year: Option<i32>,
    /// The year the practice started (`period.start`).
    pub start_year: i32,
    pub stale_after_years: u32,
}

/// Every warning for one entry, in front matter order.
pub fn check_entry(e: &Entry) -> Vec<Finding> {
    let mut out = Vec::new();
    if e.results.is_empty() {
        out.push(Finding {
            path: format!("awards.{}", e.index),
            warning: EntryWarning::NoResults,
        });
    }
    if let Some(year) = e.edition_year {
        if e.start_year > year {
            out.push(Finding {
                path: "period.start".into(),
                warning: EntryWarning::StartsAfter {
                    start: e.start_year,
                    edition_year: year,
                },
            });
        }
        out.extend(declared_framework(e.legal_framework, year));
    }
    for (i, r) in e.results.iter().enumerate() {
        if r.source.is_none() {
            out.push(Finding {
                path: format!("results.{i}"),
                warning: EntryWarning::NoSource {
                    result: r.label.clone(),
                },
            });
        }
        let dated = result_year(r, i, e);
        if dated.is_none() {
            out.push(Finding {
                path: format!("results.{i}"),
                warning: EntryWarning::Undated {
                    result: r.label.clone(),
                },
            });
        }
        let (Some(edition_year), Some((dated, path))) = (e.edition_year, dated) else {
            continue;
        };
        let age = edition_year - dated;
        if age > e.stale_after_years as i32 {
            out.push(Finding {
                path: path.clone(),
                warning: EntryWarning::Stale {
                    result: r.label.clone(),
                    year: dated,
                    age,
                    limit: e.stale_after_years,
                },
            });
        }
        let (then, now) = (assistance_laws(dated), assistance_laws(edition_year));
        if !then.iter().any(|l| now.contains(l)) {
            out.push(Finding {
                path,
                warning: EntryWarning::OtherFramework {
                    result: Some(r.label.clone()),
                    year: Some(dated),
                    found: then.to_vec(),
                    edition_year,
                    in_force: now.to_vec(),
                },
            });
        }
    }
    out
}

/// The year a result stands for, and where that is written: its `as_of`, or else the
/// `published` date of its source.
fn result_year(r: &ResultMeta, i: usize, e: &Entry) -> Option<(i32, String)> {
    if let Some(d) = r.as_of {
        return Some((d.year, format!("results.{i}.as_of")));
    }
    let source = e
        .sources
        .iter()
        .find(|s| Some(&s.id) == r.source.as_ref())?;
    source
        .published
        .map(|d| (d.year, format!("results.{i}.source")))
}

/// A practice that names only laws on social assistance none of which applied in the edition's
/// year worked under another framework than its edition.
fn declared_framework(declared: &[LegalFramework], year: i32) -> Option<Finding> {
    let found: Vec<LegalFramework> = declared
        .iter()
        .copied()
        .filter(|&l| is_assistance_law(l))
        .collect();
    let in_force = assistance_laws(year);
    if found.is_empty() || found.iter().any(|l| in_force.contains(l)) {
        return None;
    }
    Some(Finding {
        path: "legal_framework".into(),
        warning: EntryWarning::OtherFramework {
            result: None,
            year: None,
            found,
            edition_year: year,
            in_force: in_force.to_vec(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{LegalFramework::*, Unit};

    fn result(label: &str, as_of: Option<&str>, source: Option<&str>) -> ResultMeta {
        ResultMeta {
            id: None,
            label: label.into(),
            value: 1.0,
            unit: Unit::Personen,
            of: None,
            as_of: as_of.map(|d| d.parse().unwrap()),
            method: None,
            source: source.map(Into::into),
            note: None,
        }
    }

    fn entry<'a>(
        results: &'a [ResultMeta],
        sources: &'a [SourceMeta],
        legal: &'a [LegalFramework],
        year: Option<i32>,
    ) -> Entry<'a> {
        Entry {
            index: 0,
            results,
            sources,
            legal_framework: legal,
            edition_year: year,
            start_year: 1900,
            stale_after_years: 5,
        }
    }

    #[test]
    fn scopes_read_award_slash_edition() {
        let s: JuryScope = "werksleutel/2002".parse().unwrap();
        assert_eq!(
            (s.award.as_str(), s.edition.as_str()),
            ("werksleutel", "2002")
        );
        assert_eq!(s.to_string(), "werksleutel/2002");
        assert!(s.matches("werksleutel", "2002"));
        for bad in ["werksleutel", "/2002", "werksleutel/", "a/b/c", ""] {
            assert!(bad.parse::<JuryScope>().is_err(), "{bad}");
        }
    }

    #[test]
    fn edition_year_prefers_the_date() {
        let d: PartialDate = "2007".parse().unwrap();
        assert_eq!(edition_year("2006", Some(&d)), Some(2007));
        assert_eq!(edition_year("2002", None), Some(2002));
        assert_eq!(edition_year("voorjaar", None), None);
    }

    #[test]
    fn laws_follow_the_periods() {
        assert_eq!(assistance_laws(1997), &[Abw]);
        assert_eq!(assistance_laws(2003), &[Abw]);
        assert_eq!(assistance_laws(2004), &[Wwb]);
        assert_eq!(assistance_laws(2010), &[Wwb, Wij]);
        assert_eq!(assistance_laws(2014), &[Wwb]);
        assert_eq!(assistance_laws(2015), &[Participatiewet]);
        assert!(!is_assistance_law(Wsw));
    }

    #[test]
    fn a_sound_entry_has_no_warnings() {
        let results = [result("Aan het werk", Some("2002"), Some("s1"))];
        assert!(check_entry(&entry(&results, &[], &[Abw, Wsw], Some(2002))).is_empty());
    }

    #[test]
    fn finds_missing_sources_and_results() {
        let results = [result("Aan het werk", Some("2002"), None)];
        let found = check_entry(&entry(&results, &[], &[], Some(2002)));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "results.0");
        assert!(found[0].warning.reported_elsewhere());
        let found = check_entry(&entry(&[], &[], &[], Some(2002)));
        assert_eq!(found[0].warning, EntryWarning::NoResults);
        assert_eq!(found[0].path, "awards.0");
    }

    #[test]
    fn stale_means_more_than_the_limit_before_the_edition() {
        let results = [
            result("Oud", Some("1996"), Some("s1")),
            result("Net op tijd", Some("1997-06"), Some("s1")),
        ];
        let found = check_entry(&entry(&results, &[], &[], Some(2002)));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "results.0.as_of");
        assert!(matches!(
            found[0].warning,
            EntryWarning::Stale {
                age: 6,
                year: 1996,
                limit: 5,
                ..
            }
        ));
        assert!(found[0]
            .warning
            .message("Werksleutel 2002")
            .contains("6 years before"));
    }

    #[test]
    fn a_result_without_date_takes_its_sources_publication() {
        let sources = [SourceMeta {
            id: "s1".into(),
            title: "Bron".into(),
            publisher: None,
            url: None,
            published: Some("1990".parse().unwrap()),
            accessed: None,
        }];
        let results = [result("Oud", None, Some("s1"))];
        let found = check_entry(&entry(&results, &sources, &[], Some(1999)));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "results.0.source");
        // Without that source the result has no date at all.
        let found = check_entry(&entry(&results, &[], &[], Some(2020)));
        assert_eq!(
            found.iter().map(|f| &f.warning).collect::<Vec<_>>(),
            [&EntryWarning::Undated {
                result: "Oud".into()
            }]
        );
        assert_eq!(found[0].path, "results.0");
    }

    #[test]
    fn a_practice_started_after_the_edition_is_flagged() {
        let results = [result("Uitstroom", Some("2002"), Some("s1"))];
        let late = Entry {
            start_year: 2003,
            ..entry(&results, &[], &[], Some(2002))
        };
        let found = check_entry(&late);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "period.start");
        assert_eq!(
            found[0].warning,
            EntryWarning::StartsAfter {
                start: 2003,
                edition_year: 2002
            }
        );
        let in_time = Entry {
            start_year: 2002,
            ..entry(&results, &[], &[], Some(2002))
        };
        assert!(check_entry(&in_time).is_empty());
    }

    #[test]
    fn figures_from_another_framework_are_flagged() {
        let results = [result("Uitstroom", Some("2003"), Some("s1"))];
        let found = check_entry(&entry(&results, &[], &[Abw], Some(2004)));
        let kinds: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(kinds, ["legal_framework", "results.0.as_of"]);
        let msg = found[0].warning.message("Werksleutel 2004");
        assert!(msg.contains("`abw`") && msg.contains("`wwb`"), "{msg}");
        // WIJ and WWB overlap: a 2010 figure fits a 2012 edition.
        let results = [result("Jongeren", Some("2010"), Some("s1"))];
        assert!(check_entry(&entry(&results, &[], &[Wij], Some(2012))).is_empty());
    }

    #[test]
    fn no_year_means_no_dated_checks() {
        let results = [result("Oud", Some("1980"), Some("s1"))];
        assert!(check_entry(&entry(&results, &[], &[Abw], None)).is_empty());
    }
}
