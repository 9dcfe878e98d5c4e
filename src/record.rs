//! Validated records: practices, awards and pages as the rest of the pipeline sees them.
//!
//! Built complete by `validate` (every reference checked, every body rendered), never changed
//! afterwards. Plain data with no I/O.

use serde::Serialize;

use crate::date::PartialDate;
use crate::jury::EntryWarning;
use crate::markdown::Heading;
use crate::meta::{
    ContactMeta, CriterionMeta, LegalFramework, Method, PrizeType, Province, Rank, Role, Status,
    Unit,
};

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub start: PartialDate,
    pub end: Option<PartialDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    pub name: String,
    pub slug: String,
    pub role: Option<Role>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
}

/// What a result is measured against.
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    pub value: f64,
    /// The `id` of the result named by `of`, when the base is another result.
    pub id: Option<String>,
    /// The label and unit of the result named by `of`, when the base is another result.
    pub label: Option<String>,
    pub unit: Option<Unit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRecord {
    pub id: Option<String>,
    pub label: String,
    pub value: f64,
    pub unit: Unit,
    pub base: Option<Base>,
    /// For counts with a base: value / base × 100. For percentages: the count it stands for.
    /// Always computed by etalage, never written by the editor.
    pub computed: Option<f64>,
    pub as_of: Option<PartialDate>,
    pub method: Method,
    /// Index into the practice's `sources`.
    pub source: Option<usize>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardEntry {
    pub award: String,
    pub edition: String,
    pub rank: Rank,
    pub prize_type: PrizeType,
    /// The practice's own motivation, or else the one its edition lists for it.
    pub motivation: Option<String>,
    pub source: Option<usize>,
    /// What the jury should know about this entry (shown in the jury build).
    pub warnings: Vec<EntryWarning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recognition {
    /// A level of the national recognition scheme (as opposed to a one-off label).
    pub national: bool,
    pub scheme: String,
    pub level: String,
    pub body: String,
    pub date: PartialDate,
    pub valid_until: Option<PartialDate>,
    pub source: Option<usize>,
}

impl Recognition {
    /// Whether its validity ended before `today` (the build's date, when known). Without a
    /// date nothing counts as expired: the build never reads the clock itself.
    pub fn expired(&self, today: Option<&PartialDate>) -> bool {
        matches!((self.valid_until, today), (Some(until), Some(day)) if until.is_over_by(day))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<PartialDate>,
    pub accessed: Option<PartialDate>,
}

/// A practice, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub slug: String,
    pub source_path: String,
    pub title: String,
    pub summary: String,
    /// Municipality names; the first is the lead.
    pub municipalities: Vec<String>,
    /// The lead municipality's province (or the one given when the lead is unknown).
    pub province: Province,
    /// Every province the municipalities lie in, the lead's first: a practice of Zwolle and
    /// Hattem is found under Overijssel and Gelderland.
    pub provinces: Vec<Province>,
    pub period: Period,
    /// The newest date the write-up mentions ([`newest_date`]), the date it is filed under in
    /// feeds: kept with the record, since the sitemap, the feed and the open data ask for every
    /// practice's on every build.
    #[serde(skip)]
    pub newest_date: PartialDate,
    pub status: Status,
    pub legal_framework: Vec<LegalFramework>,
    pub target_groups: Vec<String>,
    pub themes: Vec<String>,
    pub instruments: Vec<String>,
    pub partners: Vec<Partner>,
    pub results: Vec<ResultRecord>,
    pub awards: Vec<AwardEntry>,
    pub recognitions: Vec<Recognition>,
    pub sources: Vec<Source>,
    pub contact: Option<ContactMeta>,
    pub related: Vec<String>,
    pub draft: bool,
    pub body_html: String,
    pub headings: Vec<Heading>,
    pub body_text: String,
    /// Links in the body to a heading of another write-up, checked once all are known (they
    /// show nothing of their own).
    #[serde(skip)]
    pub fragment_links: Vec<crate::markdown::FragmentLink>,
    /// Links in the body to site paths, checked once the site is modelled (`model::links`).
    #[serde(skip)]
    pub site_links: Vec<crate::markdown::SiteLink>,
}

/// The newest of a practice's dates: its start and end, its sources' publication dates, its
/// results' dates and its recognitions' dates.
pub fn newest_date(
    period: &Period,
    sources: &[Source],
    results: &[ResultRecord],
    recognitions: &[Recognition],
) -> PartialDate {
    std::iter::once(period.start)
        .chain(period.end)
        .chain(sources.iter().filter_map(|s| s.published))
        .chain(results.iter().filter_map(|r| r.as_of))
        .chain(recognitions.iter().map(|r| r.date))
        .max_by_key(|d| d.latest())
        .unwrap_or(period.start)
}

#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub key: String,
    /// The year it was judged in (see [`crate::jury::edition_year`]).
    pub year: Option<i32>,
    pub date: Option<PartialDate>,
    pub venue: Option<String>,
    pub jury_chair: Option<String>,
    pub jury: Vec<String>,
}

/// An award, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    pub slug: String,
    pub source_path: String,
    pub title: String,
    pub organiser: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub criteria: Vec<CriterionMeta>,
    /// The criteria are the editors' reading of the sources, not a formal regulation.
    pub criteria_derived: bool,
    pub editions: Vec<Edition>,
    pub body_html: String,
}

/// A plain page, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub slug: String,
    pub source_path: String,
    pub title: String,
    pub summary: Option<String>,
    pub weight: i64,
    pub body_html: String,
    pub headings: Vec<Heading>,
    /// As [`Practice::fragment_links`].
    #[serde(skip)]
    pub fragment_links: Vec<crate::markdown::FragmentLink>,
    /// As [`Practice::site_links`].
    #[serde(skip)]
    pub site_links: Vec<crate::markdown::SiteLink>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recognition(valid_until: Option<&str>) -> Recognition {
        Recognition {
            national: true,
            scheme: "erkenningstraject".into(),
            level: "goed-beschreven".into(),
            body: "Movisie".into(),
            date: "2019-05".parse().unwrap(),
            valid_until: valid_until.map(|d| d.parse().unwrap()),
            source: None,
        }
    }

    #[test]
    fn a_recognition_expires_only_by_a_known_date_after_its_validity() {
        let day = |s: &str| s.parse::<PartialDate>().unwrap();
        let dated = recognition(Some("2024-05"));
        assert!(!dated.expired(None), "no build date: nothing expires");
        assert!(!dated.expired(Some(&day("2024-05-31"))));
        assert!(dated.expired(Some(&day("2024-06-01"))));
        assert!(!recognition(None).expired(Some(&day("2099-01-01"))));
    }
}
