//! Typed, mostly borrowed view structs: what templates see.
//!
//! Every displayed string (numbers, dates, labels) is formatted here once, in the site's
//! language, so templates only lay things out. Cards are light references built once per
//! practice and borrowed by every list that shows them.

use serde::Serialize;

use super::strings::Strings;
use super::urls::Urls;
use crate::config::Language;
use crate::date::PartialDate;
use crate::format;
use crate::markdown::Heading;
use crate::meta::{Method, Unit};
use crate::model::{FacetKind, PracticeId, Site};
use crate::record::{Practice, ResultRecord, Source};

/// Formats values of one site in one language.
pub struct Fmt<'a> {
    pub t: &'a Strings,
    pub lang: Language,
}

impl Fmt<'_> {
    pub fn date(&self, d: &PartialDate) -> String {
        format::date(d, self.t.months(), self.lang)
    }

    pub fn opt_date(&self, d: &Option<PartialDate>) -> Option<String> {
        d.as_ref().map(|d| self.date(d))
    }

    pub fn number(&self, v: f64) -> String {
        format::number(v, 2, self.lang)
    }

    pub fn period(&self, start: &PartialDate, end: &Option<PartialDate>) -> String {
        match end {
            Some(e) => format!("{} – {}", self.date(start), self.date(e)),
            None => format!("{} {}", self.t.get("practice", "since"), self.date(start)),
        }
    }

    /// "85 personen", "40%", "€ 1.550".
    pub fn amount(&self, value: f64, unit: Unit) -> String {
        match unit {
            Unit::Procent => format::percent(value, self.lang),
            Unit::Euro => format!("€ {}", self.number(value)),
            _ => format!("{} {}", self.number(value), self.t.get("unit", unit.key())),
        }
    }
}

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
    /// The label's language when it is content in another language than the interface's (see
    /// [`crate::config::Language::content_lang`]); `None` for interface words.
    pub lang: Option<&'static str>,
}

/// A practice in a list: a light reference.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub place: String,
    pub province: String,
    pub period: String,
    pub start_year: i32,
    pub status: String,
    pub awards: Vec<CardAward>,
    pub recognitions: usize,
    pub results: usize,
    pub draft: bool,
    /// The card as HTML, rendered once per practice from the theme's `card.html` (empty when
    /// the theme has none) and reused on every page that shows it: under a level-2 heading
    /// (lists), under a level-3 heading (home page, related practices), and the "compare"
    /// checkbox lists add to it. Pages get them as [`Shown`], not with the card's data.
    #[serde(skip)]
    pub html: String,
    #[serde(skip)]
    pub html_sub: String,
    #[serde(skip)]
    pub pick: String,
}

/// An award entry on a card: "2e prijs" (interface words), "Werksleutel" (content), "2002".
#[derive(Debug, Clone, Serialize)]
pub struct CardAward {
    pub rank: String,
    pub award: String,
    pub edition: String,
}

/// A card on a page that shows it: its HTML (see [`Card::html`]) and, for templates that
/// want more than the HTML, its slug, title and URL.
#[derive(Debug, Clone, Serialize)]
pub struct Shown<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub html: &'a str,
    /// The compare checkbox, on lists (empty elsewhere).
    pub pick: &'a str,
}

impl Card {
    /// The card as a list shows it: under a level-2 heading, with its compare checkbox.
    pub fn in_list(&self) -> Shown<'_> {
        Shown {
            pick: &self.pick,
            ..self.shown(&self.html)
        }
    }

    /// The card under a level-3 heading (home page, related practices).
    pub fn nested(&self) -> Shown<'_> {
        self.shown(&self.html_sub)
    }

    fn shown<'a>(&'a self, html: &'a str) -> Shown<'a> {
        Shown {
            slug: &self.slug,
            title: &self.title,
            url: &self.url,
            html,
            pick: "",
        }
    }
}

/// The context `card.html` is rendered with: the card's data and, from [`CardPart`], which of
/// its parts to render. One conversion of it serves all three parts.
#[derive(Serialize)]
pub struct CardData<'a> {
    pub c: &'a Card,
    /// The content's language code when the interface speaks another (`lang="nl"` on the
    /// card's title and summary in an English interface).
    pub content_lang: Option<&'static str>,
}

/// Which part of a card `card.html` renders (`card` or `pick`), and at which heading level.
#[derive(Serialize)]
pub struct CardPart {
    pub part: &'static str,
    pub level: u8,
}

pub fn card(p: &Practice, f: &Fmt, urls: &Urls, site: &Site) -> Card {
    let place = place_text(&p.municipalities, f.t);
    Card {
        slug: p.slug.clone(),
        url: urls.practice(&p.slug),
        title: p.title.clone(),
        summary: p.summary.clone(),
        place,
        province: provinces_text(&p.provinces),
        period: f.period(&p.period.start, &p.period.end),
        start_year: p.period.start.year,
        status: f.t.get("status", p.status.key()).to_string(),
        awards: p
            .awards
            .iter()
            .map(|a| CardAward {
                rank: f.t.get("rank_short", a.rank.key()).to_string(),
                award: site
                    .award(&a.award)
                    .map_or_else(|| a.award.clone(), |(_, aw)| aw.title.clone()),
                edition: a.edition.clone(),
            })
            .collect(),
        recognitions: p.recognitions.len(),
        results: p.results.len(),
        draft: p.draft,
        html: String::new(),
        html_sub: String::new(),
        pick: String::new(),
    }
}

/// "Zwolle", "Zwolle en Hattem", "Zwolle, Hattem en Zwartewaterland", "Zwolle, Hattem en 3 andere".
pub fn place_text(names: &[String], t: &Strings) -> String {
    let and = t.get("misc", "and");
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if names.len() <= 3 => format!("{} {and} {last}", init.join(", ")),
        [a, b, rest @ ..] => format!("{a}, {b} {and} {} {}", rest.len(), t.get("misc", "others")),
    }
}

/// Provinces as a list: "Overijssel, Gelderland".
pub fn provinces_text(provinces: &[crate::meta::Province]) -> String {
    let keys: Vec<&str> = provinces.iter().map(|x| x.key()).collect();
    keys.join(", ")
}

/// Municipalities grouped by the province they lie in, in order: "Zwolle, Zwartewaterland
/// (Overijssel); Hattem (Gelderland)"; with one province as "Zwolle, Hattem (Overijssel)". A
/// name the vocabulary does not know goes with the first province.
fn place_by_province(names: &[String], provinces: &[crate::meta::Province], site: &Site) -> String {
    let groups: Vec<String> = provinces
        .iter()
        .enumerate()
        .filter_map(|(i, prov)| {
            let in_it: Vec<&str> = names
                .iter()
                .filter(|n| {
                    site.vocab
                        .municipality(n)
                        .map_or(i == 0, |m| m.province == *prov)
                })
                .map(String::as_str)
                .collect();
            (!in_it.is_empty()).then(|| format!("{} ({})", in_it.join(", "), prov.key()))
        })
        .collect();
    groups.join("; ")
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub number: usize,
    pub anchor: String,
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub accessed: Option<String>,
}

fn source_view(i: usize, s: &Source, f: &Fmt) -> SourceView {
    SourceView {
        number: i + 1,
        anchor: format!("bron-{}", i + 1),
        id: s.id.clone(),
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        url: s.url.clone(),
        published: f.opt_date(&s.published),
        accessed: f.opt_date(&s.accessed),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    pub number: usize,
    pub anchor: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub label: String,
    pub value: String,
    /// "van 238 trajecten (Trajecten afgesloten)".
    pub base: Option<String>,
    /// The computed rate or count, marked as computed by the template.
    pub computed: Option<String>,
    pub as_of: Option<String>,
    pub method: &'static str,
    pub method_label: String,
    pub source: Option<SourceRef>,
    pub note: Option<String>,
    /// Rate in percent (0–100) for charts; `None` without a base.
    pub share: Option<f64>,
}

/// A label inside a sentence: its first letter in lower case when it starts an ordinary word
/// ("Werkzoekenden gesproken in de Wijkwerkplaats" → "werkzoekenden gesproken in de
/// Wijkwerkplaats"); names further on, and abbreviations (`UWV-klanten`), keep their capitals.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(label[first.len_utf8()..].chars())
            .collect(),
        _ => label.to_string(),
    }
}

pub fn result_view(r: &ResultRecord, sources: &[Source], f: &Fmt) -> ResultView {
    let base = r.base.as_ref().map(|b| {
        let amount = match b.unit {
            Some(u) => f.amount(b.value, u),
            None => f.number(b.value),
        };
        let mut text = format!("{} {}", f.t.get("result", "of"), amount);
        if let Some(l) = &b.label {
            text.push_str(&format!(" ({})", lower_first(l)));
        }
        text
    });
    let (computed, share) = match (r.computed, r.unit) {
        (Some(c), Unit::Procent) => {
            // A base given as a bare number says nothing of what it counts.
            let amount = match r.base.as_ref().and_then(|b| b.unit) {
                Some(unit) => f.amount(c.round(), unit),
                None => f.number(c.round()),
            };
            (Some(format!("≈ {amount}")), Some(r.value))
        }
        (Some(c), _) => (Some(format::percent(c, f.lang)), Some(c)),
        (None, _) => (None, None),
    };
    ResultView {
        label: r.label.clone(),
        value: f.amount(r.value, r.unit),
        base,
        computed,
        as_of: f.opt_date(&r.as_of),
        method: r.method.key(),
        method_label: f.t.get("method", r.method.key()).to_string(),
        source: r.source.map(|i| SourceRef {
            number: i + 1,
            anchor: format!("bron-{}", i + 1),
            title: sources[i].title.clone(),
        }),
        note: r.note.clone(),
        share: share.map(|s| s.clamp(0.0, 100.0)),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerView {
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardEntryView {
    pub award: String,
    pub award_url: String,
    pub edition: String,
    pub edition_url: String,
    pub rank: String,
    pub rank_key: &'static str,
    pub prize_type: String,
    pub motivation: Option<String>,
    pub source: Option<SourceRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecognitionView {
    pub scheme: String,
    pub level: String,
    pub body: String,
    pub date: String,
    pub valid_until: Option<String>,
    /// Valid until before the build's date (`Config::today`): shown as expired, never as a
    /// current badge.
    pub expired: bool,
    pub source: Option<SourceRef>,
}

/// Everything the practice page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeView<'a> {
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub summary: &'a str,
    pub municipalities: Vec<Link>,
    /// Every province of its municipalities, the lead's first.
    pub provinces: Vec<Link>,
    /// The municipalities grouped by province: "Zwolle, Zwartewaterland (Overijssel); Hattem
    /// (Gelderland)".
    pub place_by_province: String,
    pub period: String,
    pub start_year: Link,
    pub status: String,
    pub legal_framework: Vec<String>,
    pub target_groups: Vec<Link>,
    pub themes: Vec<Link>,
    pub instruments: Vec<Link>,
    pub partners: Vec<PartnerView>,
    pub results: Vec<ResultView>,
    pub awards: Vec<AwardEntryView>,
    pub national_recognitions: Vec<RecognitionView>,
    pub other_recognitions: Vec<RecognitionView>,
    pub sources: Vec<SourceView>,
    pub contact: Option<&'a crate::meta::ContactMeta>,
    pub related: Vec<Shown<'a>>,
    pub body_html: &'a str,
    pub headings: &'a [Heading],
    pub source_path: &'a str,
    pub draft: bool,
}

fn terms(site: &Site, kind: FacetKind, keys: &[String], f: &Fmt, urls: &Urls) -> Vec<Link> {
    let v = match kind {
        FacetKind::Theme => &site.vocab.themes,
        FacetKind::TargetGroup => &site.vocab.target_groups,
        _ => &site.vocab.instruments,
    };
    keys.iter()
        .map(|k| {
            let term = v.get(k);
            let (label, lang) = match (f.lang, term) {
                (Language::En, Some(crate::vocab::Term { en: Some(en), .. })) => (en.clone(), None),
                (_, Some(t)) => (t.nl.clone(), f.lang.content_lang()),
                (_, None) => (k.clone(), None),
            };
            Link {
                label,
                url: urls.term(kind, k),
                lang,
            }
        })
        .collect()
}

pub fn practice_view<'a>(
    site: &'a Site,
    id: PracticeId,
    related: Vec<Shown<'a>>,
    f: &Fmt,
    urls: &Urls,
) -> PracticeView<'a> {
    let p = &site.practices[id];
    let src = |i: Option<usize>| {
        i.map(|i| SourceRef {
            number: i + 1,
            anchor: format!("bron-{}", i + 1),
            title: p.sources[i].title.clone(),
        })
    };
    let recognition = |r: &crate::record::Recognition| RecognitionView {
        scheme: if r.national {
            f.t.get("recognition", "national_scheme").to_string()
        } else {
            r.scheme.clone()
        },
        level: if r.national {
            f.t.get("recognition_level", &r.level).to_string()
        } else {
            r.level.clone()
        },
        body: r.body.clone(),
        date: f.date(&r.date),
        valid_until: f.opt_date(&r.valid_until),
        expired: r.expired(site.config.today.as_ref()),
        source: src(r.source),
    };
    PracticeView {
        slug: &p.slug,
        url: urls.practice(&p.slug),
        title: &p.title,
        summary: &p.summary,
        municipalities: p
            .municipalities
            .iter()
            .map(|m| Link {
                label: m.clone(),
                url: urls.term_label(FacetKind::Municipality, m),
                lang: None,
            })
            .collect(),
        provinces: p
            .provinces
            .iter()
            .map(|x| Link {
                label: x.key().to_string(),
                url: urls.term_label(FacetKind::Province, x.key()),
                lang: None,
            })
            .collect(),
        place_by_province: place_by_province(&p.municipalities, &p.provinces, site),
        period: f.period(&p.period.start, &p.period.end),
        start_year: Link {
            label: p.period.start.year.to_string(),
            url: urls.term(FacetKind::Year, &p.period.start.year.to_string()),
            lang: None,
        },
        status: f.t.get("status", p.status.key()).to_string(),
        legal_framework: p
            .legal_framework
            .iter()
            .map(|l| f.t.get("legal", l.key()).to_string())
            .collect(),
        target_groups: terms(site, FacetKind::TargetGroup, &p.target_groups, f, urls),
        themes: terms(site, FacetKind::Theme, &p.themes, f, urls),
        instruments: terms(site, FacetKind::Instrument, &p.instruments, f, urls),
        partners: p
            .partners
            .iter()
            .map(|x| PartnerView {
                name: x.name.clone(),
                url: urls.term(FacetKind::Partner, &x.slug),
                role: x.role.map(|r| f.t.get("role", r.key()).to_string()),
                since: f.opt_date(&x.since),
                until: f.opt_date(&x.until),
            })
            .collect(),
        results: p
            .results
            .iter()
            .map(|r| result_view(r, &p.sources, f))
            .collect(),
        awards: p
            .awards
            .iter()
            .map(|a| AwardEntryView {
                award: site
                    .award(&a.award)
                    .map_or_else(|| a.award.clone(), |(_, aw)| aw.title.clone()),
                award_url: urls.award(&a.award),
                edition: a.edition.clone(),
                edition_url: urls.edition(&a.award, &a.edition),
                rank: f.t.get("rank", a.rank.key()).to_string(),
                rank_key: a.rank.key(),
                prize_type: f.t.get("prize_type", a.prize_type.key()).to_string(),
                motivation: a.motivation.clone(),
                source: src(a.source),
            })
            .collect(),
        national_recognitions: p
            .recognitions
            .iter()
            .filter(|r| r.national)
            .map(recognition)
            .collect(),
        other_recognitions: p
            .recognitions
            .iter()
            .filter(|r| !r.national)
            .map(recognition)
            .collect(),
        sources: p
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| source_view(i, s, f))
            .collect(),
        contact: p.contact.as_ref(),
        related,
        body_html: &p.body_html,
        headings: &p.headings,
        source_path: &p.source_path,
        draft: p.draft,
    }
}

/// The method keys in order of evidence strength, for legends.
pub fn methods(f: &Fmt) -> Vec<Link> {
    Method::ALL
        .iter()
        .map(|m| Link {
            label: f.t.get("method", m.key()).to_string(),
            url: m.key().to_string(),
            lang: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::lower_first;

    #[test]
    fn labels_keep_names_and_abbreviations() {
        assert_eq!(
            lower_first("Werkzoekenden gesproken in de Wijkwerkplaats"),
            "werkzoekenden gesproken in de Wijkwerkplaats"
        );
        assert_eq!(lower_first("UWV-klanten"), "UWV-klanten");
        assert_eq!(lower_first("Één traject"), "één traject");
        assert_eq!(lower_first(""), "");
    }
}
