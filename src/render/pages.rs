//! Every HTML page of the site: the list of jobs and, per job, its typed context and template.

use serde::Serialize;

use super::context::{Base, Shared};
use super::urls::{file_of, page_rel, practice_rel, term_rel};
use super::views::{self, practice_view, Card, Link, PracticeView, Shown};
use super::{Bytes, Pass};
use crate::error::Result;
use crate::meta::Rank;
use crate::model::{FacetKind, PracticeId, Site};

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    List {
        page: usize,
    },
    Practice(PracticeId),
    FacetIndex(usize),
    FacetTerm {
        facet: usize,
        term: usize,
        page: usize,
    },
    Awards,
    Award(usize),
    Edition {
        award: usize,
        edition: usize,
    },
    /// `/prijzen/<award>/<edition>/inzendingen.csv`.
    EditionCsv {
        award: usize,
        edition: usize,
    },
    /// `/praktijken/<slug>/dossier/`.
    Dossier(PracticeId),
    Page(usize),
    NotFound,
    /// `/zoeken/`: search with filters.
    Search,
    /// `/vergelijk/`: practices side by side.
    Compare,
    /// `/data/`: the open data, documented.
    Data,
}

fn pages_for(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page).max(1)
}

/// All pages of the site.
pub fn jobs(site: &Site) -> Vec<Job> {
    let per = site.config.per_page;
    let mut jobs = vec![
        Job::Home,
        Job::Awards,
        Job::NotFound,
        Job::Search,
        Job::Compare,
        Job::Data,
    ];
    jobs.extend((1..=pages_for(site.practices.len(), per)).map(|page| Job::List { page }));
    jobs.extend((0..site.practices.len()).map(Job::Practice));
    jobs.extend((0..site.practices.len()).map(Job::Dossier));
    for (fi, facet) in site.facets.iter().enumerate() {
        jobs.push(Job::FacetIndex(fi));
        for (ti, term) in facet.terms.iter().enumerate() {
            if !term.practices.is_empty() {
                jobs.extend((1..=pages_for(term.practices.len(), per)).map(|page| {
                    Job::FacetTerm {
                        facet: fi,
                        term: ti,
                        page,
                    }
                }));
            }
        }
    }
    for (ai, idx) in site.award_index.iter().enumerate() {
        jobs.push(Job::Award(ai));
        for edition in 0..idx.editions.len() {
            jobs.push(Job::Edition { award: ai, edition });
            jobs.push(Job::EditionCsv { award: ai, edition });
        }
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The pages to link: the first, the last and those around the current one, with a gap
    /// (no URL) where pages are left out (see [`window`]).
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    /// The page number, or "…" for a gap.
    label: String,
    /// `None` for a gap.
    url: Option<String>,
    current: bool,
}

/// One place in a pagination bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Page(usize),
    Gap,
}

/// How many pages on each side of the current one a pagination bar links to.
const AROUND: usize = 2;

/// The pagination bar of page `current` of `total`: the first and last page, `AROUND` pages on
/// either side of the current one, and a gap for each run of pages left out, so a list of 300
/// pages does not link all 300 from each of them (300² links in all). A gap that would stand
/// for a single page shows that page instead.
fn window(current: usize, total: usize) -> Vec<Slot> {
    let shown = |n: usize| n == 1 || n == total || n.abs_diff(current) <= AROUND;
    let mut slots = Vec::new();
    let mut n = 1;
    while n <= total {
        if shown(n) {
            slots.push(Slot::Page(n));
            n += 1;
            continue;
        }
        let next = (n..=total).find(|&m| shown(m)).unwrap_or(total + 1);
        if next - n == 1 {
            slots.push(Slot::Page(n));
        } else {
            slots.push(Slot::Gap);
        }
        n = next;
    }
    slots
}

fn paginate<'a>(
    ids: &[PracticeId],
    page: usize,
    rel: &str,
    ctx: &'a Shared,
) -> Result<(Vec<Shown<'a>>, Option<Pagination>)> {
    let per = ctx.site.config.per_page;
    let total = pages_for(ids.len(), per);
    let cards = ids
        .iter()
        .skip((page - 1) * per)
        .take(per)
        .map(|&i| Ok(ctx.card(i)?.in_list()))
        .collect::<Result<_>>()?;
    if total == 1 {
        return Ok((cards, None));
    }
    let url = |n: usize| ctx.urls.path(&page_rel(rel, n));
    let pagination = Pagination {
        current: page,
        total,
        prev: (page > 1).then(|| url(page - 1)),
        next: (page < total).then(|| url(page + 1)),
        pages: window(page, total)
            .into_iter()
            .map(|slot| match slot {
                Slot::Page(n) => PageLink {
                    label: n.to_string(),
                    url: Some(url(n)),
                    current: n == page,
                },
                Slot::Gap => PageLink {
                    label: "…".to_string(),
                    url: None,
                    current: false,
                },
            })
            .collect(),
    };
    Ok((cards, Some(pagination)))
}

#[derive(Serialize)]
struct ListPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    heading: String,
    kicker: Option<String>,
    intro: Option<String>,
    /// The intro's language when it is content (a term's description).
    intro_lang: Option<&'static str>,
    count: usize,
    cards: Vec<Shown<'a>>,
    pagination: Option<Pagination>,
}

#[derive(Serialize)]
struct Stat {
    label: String,
    value: String,
    url: String,
}

#[derive(Serialize)]
struct Winner<'a> {
    card: &'a Card,
    /// Every prize the practice won among the editions shown, newest first.
    prizes: Vec<Prize>,
}

/// One prize on the home page: "2e prijs · Werksleutel 2002", linking to the edition.
#[derive(Serialize)]
struct Prize {
    award: String,
    edition: String,
    url: String,
    rank: String,
}

#[derive(Serialize)]
struct HomePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    stats: Vec<Stat>,
    newest: Vec<Shown<'a>>,
    winners: Vec<Winner<'a>>,
    facets: Vec<Link>,
}

#[derive(Serialize)]
struct PracticePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    p: PracticeView<'a>,
    methods: Vec<Link>,
}

#[derive(Serialize)]
struct TermLink {
    label: String,
    /// The label's language when it is not the interface's (see [`term_lang`]).
    lang: Option<&'static str>,
    url: Option<String>,
    count: usize,
    description: Option<String>,
}

#[derive(Serialize)]
struct FacetIndexPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    heading: String,
    intro: String,
    /// The first column's heading: what one term is ("Gemeente", "Startjaar").
    column: String,
    terms: Vec<TermLink>,
}

#[derive(Serialize)]
struct EditionLink {
    key: String,
    url: String,
    date: Option<String>,
    entries: usize,
    winners: Vec<String>,
}

#[derive(Serialize)]
struct AwardSummary<'a> {
    title: &'a str,
    url: String,
    organiser: &'a str,
    description: Option<&'a str>,
    editions: Vec<EditionLink>,
}

#[derive(Serialize)]
struct AwardsPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    awards: Vec<AwardSummary<'a>>,
}

#[derive(Serialize)]
pub(super) struct CriterionView<'a> {
    pub name: &'a str,
    pub weight: Option<String>,
    pub knock_out: bool,
}

#[derive(Serialize)]
struct AwardPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    award: AwardSummary<'a>,
    body_html: &'a str,
    criteria: Vec<CriterionView<'a>>,
    /// The editors derived the criteria; no formal regulation is known.
    criteria_derived: bool,
    website: Option<&'a str>,
}

#[derive(Serialize)]
struct PlainPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    body_html: &'a str,
    headings: &'a [crate::markdown::Heading],
}

/// Renders a page of practice `id` whose context `page` builds, showing the cards of the
/// practices `cards`; in an incremental render the practice's key lets an unchanged page skip
/// building its context (see `memo`).
pub(super) fn keyed<C: Serialize>(
    ctx: &Shared,
    tpl: &Pass,
    name: &str,
    (id, cards): (PracticeId, &[PracticeId]),
    page: impl FnOnce() -> Result<C>,
) -> Result<Bytes> {
    match &ctx.keys {
        Some(keys) => {
            let mut shown = Vec::with_capacity(cards.len());
            ctx.push_card_prints(cards, &mut shown)?;
            let key = keys.page(id, name, &shown);
            tpl.render_keyed(name, key, page)
        }
        None => tpl.render(name, &page()?),
    }
}

/// Renders a list of practices (`list.html`). In an incremental render it is keyed by what its
/// context is made of: the site-wide part, `parts` (the page's own URL and texts), the page
/// number, the length of `ids` and the fingerprints of the cards shown on the page, so an
/// unchanged list is not fingerprinted card by card.
fn list<'a>(
    ctx: &'a Shared,
    tpl: &Pass,
    parts: &impl Serialize,
    ids: &[PracticeId],
    page: usize,
    make: impl FnOnce() -> Result<ListPage<'a>>,
) -> Result<Bytes> {
    let name = "list.html";
    match &ctx.keys {
        Some(keys) => {
            let per = ctx.site.config.per_page;
            let mut prints = vec![crate::fingerprint::of(&(
                keys.site(),
                parts,
                page,
                ids.len(),
            ))];
            ctx.push_card_prints(ids.iter().skip((page - 1) * per).take(per), &mut prints)?;
            let key = crate::fingerprint::of_prints("list", &prints);
            tpl.render_keyed(name, key, make)
        }
        None => tpl.render(name, &make()?),
    }
}

pub(super) fn t(ctx: &Shared, section: &str, key: &'static str) -> String {
    ctx.t.get(section, key).to_string()
}

/// Renders one job to its output path and bytes.
pub fn render(job: &Job, ctx: &Shared, tpl: &Pass) -> Result<(String, Bytes)> {
    let site = ctx.site;
    match *job {
        Job::Home => {
            let mut base = ctx.base(
                "",
                site.config.title.clone(),
                site.config.description.clone(),
                "home",
            );
            // The site's title and description are content.
            base.title_lang = ctx.content_lang();
            base.description_lang = ctx.content_lang();
            let page = HomePage {
                base,
                stats: stats(ctx),
                newest: site
                    .newest
                    .iter()
                    .take(6)
                    .map(|&i| Ok(ctx.card(i)?.nested()))
                    .collect::<Result<_>>()?,
                winners: winners(ctx)?,
                facets: FacetKind::ALL
                    .iter()
                    .map(|k| Link {
                        label: t(ctx, "facet", k.segment()),
                        url: ctx.urls.facet(*k),
                        lang: None,
                    })
                    .collect(),
            };
            Ok((file_of(""), tpl.render("index.html", &page)?))
        }
        Job::List { page } => {
            let rel = "praktijken/";
            let ids = &ctx.all;
            let make = || {
                let (cards, pagination) = paginate(ids, page, rel, ctx)?;
                let heading = t(ctx, "nav", "practices");
                let mut base = ctx.base(
                    &page_rel(rel, page),
                    title_with_page(&heading, page, ctx),
                    t(ctx, "list", "all_intro"),
                    "praktijken",
                );
                base.crumbs = vec![home(ctx)];
                Ok(ListPage {
                    base,
                    heading,
                    kicker: None,
                    intro: Some(t(ctx, "list", "all_intro")),
                    intro_lang: None,
                    count: ids.len(),
                    cards,
                    pagination,
                })
            };
            Ok((
                file_of(&page_rel(rel, page)),
                list(ctx, tpl, &rel, ids, page, make)?,
            ))
        }
        Job::Practice(id) => {
            let p = &site.practices[id];
            let rel = practice_rel(&p.slug);
            let page = || {
                let mut base = ctx.base(&rel, p.title.clone(), p.summary.clone(), "praktijken");
                base.title_lang = ctx.content_lang();
                base.description_lang = ctx.content_lang();
                base.crumbs = vec![
                    home(ctx),
                    Link {
                        label: t(ctx, "nav", "practices"),
                        url: ctx.urls.path("praktijken/"),
                        lang: None,
                    },
                ];
                base.jsonld = Some(super::xml::practice_jsonld(ctx, id));
                let related = site.related[id]
                    .iter()
                    .map(|&j| Ok(ctx.card(j)?.nested()))
                    .collect::<Result<_>>()?;
                Ok(PracticePage {
                    base,
                    p: practice_view(site, id, related, &ctx.fmt, &ctx.urls),
                    methods: views::methods(&ctx.fmt),
                })
            };
            Ok((
                file_of(&rel),
                keyed(ctx, tpl, "practice.html", (id, &site.related[id]), page)?,
            ))
        }
        Job::FacetIndex(fi) => {
            let facet = &site.facets[fi];
            let seg = facet.kind.segment();
            let heading = t(ctx, "facet", seg);
            let intro = ctx.t.get("facet_intro", seg).to_string();
            let mut base = ctx.base(
                &format!("{seg}/"),
                heading.clone(),
                intro.clone(),
                section(facet.kind),
            );
            base.crumbs = vec![home(ctx)];
            let terms = facet
                .terms
                .iter()
                .map(|term| TermLink {
                    label: term_label(ctx, term),
                    lang: term_lang(ctx, facet.kind, term),
                    url: (!term.practices.is_empty())
                        .then(|| ctx.urls.term(facet.kind, &term.slug)),
                    count: term.practices.len(),
                    description: term.description.clone(),
                })
                .collect();
            let out = FacetIndexPage {
                base,
                heading,
                intro,
                column: t(ctx, "facet_one", seg),
                terms,
            };
            Ok((
                file_of(&format!("{seg}/")),
                tpl.render("facet_index.html", &out)?,
            ))
        }
        Job::FacetTerm {
            facet: fi,
            term: ti,
            page,
        } => {
            let facet = &site.facets[fi];
            let term = &facet.terms[ti];
            let rel = term_rel(facet.kind, &term.slug);
            let heading = term_label(ctx, term);
            let make = || {
                let (cards, pagination) = paginate(&term.practices, page, &rel, ctx)?;
                let kicker = t(ctx, "facet_one", facet.kind.segment());
                let description = term
                    .description
                    .clone()
                    .unwrap_or_else(|| format!("{kicker}: {heading}"));
                let mut base = ctx.base(
                    &page_rel(&rel, page),
                    title_with_page(&heading, page, ctx),
                    description,
                    section(facet.kind),
                );
                base.title_lang = term_lang(ctx, facet.kind, term);
                base.description_lang = term.description.as_ref().and(ctx.content_lang());
                base.crumbs = vec![
                    home(ctx),
                    Link {
                        label: t(ctx, "facet", facet.kind.segment()),
                        url: ctx.urls.facet(facet.kind),
                        lang: None,
                    },
                ];
                Ok(ListPage {
                    base,
                    heading: heading.clone(),
                    kicker: Some(kicker),
                    intro: term.description.clone(),
                    intro_lang: ctx.content_lang(),
                    count: term.practices.len(),
                    cards,
                    pagination,
                })
            };
            let parts = (&rel, facet.kind.segment(), &heading, &term.description);
            Ok((
                file_of(&page_rel(&rel, page)),
                list(ctx, tpl, &parts, &term.practices, page, make)?,
            ))
        }
        Job::Awards => {
            let heading = t(ctx, "nav", "awards");
            let mut base = ctx.base("prijzen/", heading, t(ctx, "award", "intro"), "prijzen");
            base.crumbs = vec![home(ctx)];
            let awards = (0..site.awards.len())
                .map(|i| award_summary(ctx, i))
                .collect();
            Ok((
                file_of("prijzen/"),
                tpl.render("awards.html", &AwardsPage { base, awards })?,
            ))
        }
        Job::Award(ai) => {
            let a = &site.awards[ai];
            let rel = format!("prijzen/{}/", a.slug);
            let mut base = ctx.base(
                &rel,
                a.title.clone(),
                a.description.clone().unwrap_or_default(),
                "prijzen",
            );
            base.title_lang = ctx.content_lang();
            base.description_lang = ctx.content_lang();
            base.crumbs = vec![
                home(ctx),
                Link {
                    label: t(ctx, "nav", "awards"),
                    url: ctx.urls.path("prijzen/"),
                    lang: None,
                },
            ];
            let out = AwardPage {
                base,
                award: award_summary(ctx, ai),
                body_html: &a.body_html,
                criteria: criteria(ctx, ai),
                criteria_derived: a.criteria_derived,
                website: a.url.as_deref(),
            };
            Ok((file_of(&rel), tpl.render("award.html", &out)?))
        }
        Job::Edition {
            award: ai,
            edition: ei,
        } => super::edition::page(ctx, tpl, ai, ei),
        Job::EditionCsv {
            award: ai,
            edition: ei,
        } => {
            let make = || Bytes::from(super::csv::edition(ctx, ai, ei));
            let bytes = match &ctx.keys {
                Some(keys) => tpl.file_keyed("edition csv", keys.edition(site, ai, ei), make),
                None => make(),
            };
            Ok((super::csv::edition_path(ctx, ai, ei), bytes))
        }
        Job::Dossier(id) => super::dossier::page(ctx, tpl, id),
        Job::Search => super::browse::search_page(ctx, tpl),
        Job::Compare => super::browse::compare_page(ctx, tpl),
        Job::Data => super::data::page(ctx, tpl),
        Job::Page(i) => {
            let p = &site.pages[i];
            let rel = format!("{}/", p.slug);
            let mut base = ctx.base(
                &rel,
                p.title.clone(),
                p.summary.clone().unwrap_or_default(),
                "page",
            );
            base.title_lang = ctx.content_lang();
            base.description_lang = ctx.content_lang();
            base.crumbs = vec![home(ctx)];
            let out = PlainPage {
                base,
                body_html: &p.body_html,
                headings: &p.headings,
            };
            Ok((file_of(&rel), tpl.render("page.html", &out)?))
        }
        Job::NotFound => {
            let base = ctx.base(
                "404.html",
                t(ctx, "misc", "not_found"),
                String::new(),
                "404",
            );
            Ok((
                "404.html".into(),
                tpl.render(
                    "404.html",
                    &PlainPage {
                        base,
                        body_html: "",
                        headings: &[],
                    },
                )?,
            ))
        }
    }
}

fn section(kind: FacetKind) -> &'static str {
    kind.segment()
}

pub(super) fn home(ctx: &Shared) -> Link {
    Link {
        label: t(ctx, "nav", "home"),
        url: ctx.urls.path(""),
        lang: None,
    }
}

fn title_with_page(heading: &str, page: usize, ctx: &Shared) -> String {
    if page > 1 {
        format!("{heading} ({} {page})", ctx.t.get("list", "page"))
    } else {
        heading.to_string()
    }
}

fn term_label(ctx: &Shared, term: &crate::model::FacetTerm) -> String {
    match (ctx.fmt.lang, &term.label_en) {
        (crate::config::Language::En, Some(en)) => en.clone(),
        _ => term.label.clone(),
    }
}

/// The language of [`term_label`] when it is not the interface's: a partner's name or a Dutch
/// label without an English one. Years have none; place names are names in any language.
fn term_lang(
    ctx: &Shared,
    kind: FacetKind,
    term: &crate::model::FacetTerm,
) -> Option<&'static str> {
    let translated = ctx.fmt.lang == crate::config::Language::En && term.label_en.is_some();
    let named = matches!(
        kind,
        FacetKind::Year | FacetKind::Municipality | FacetKind::Province
    );
    (!named && !translated)
        .then(|| ctx.content_lang())
        .flatten()
}

fn stats(ctx: &Shared) -> Vec<Stat> {
    let site = ctx.site;
    let count = |kind: FacetKind| {
        site.facets.iter().find(|f| f.kind == kind).map_or(0, |f| {
            f.terms.iter().filter(|t| !t.practices.is_empty()).count()
        })
    };
    let n = |v: usize| ctx.fmt.number(v as f64);
    vec![
        Stat {
            label: t(ctx, "home", "stat_practices"),
            value: n(site.practices.len()),
            url: ctx.urls.path("praktijken/"),
        },
        Stat {
            label: t(ctx, "home", "stat_municipalities"),
            value: n(count(FacetKind::Municipality)),
            url: ctx.urls.facet(FacetKind::Municipality),
        },
        Stat {
            label: t(ctx, "home", "stat_partners"),
            value: n(count(FacetKind::Partner)),
            url: ctx.urls.facet(FacetKind::Partner),
        },
        Stat {
            label: t(ctx, "home", "stat_awards"),
            value: n(site.practices.iter().map(|p| p.awards.len()).sum()),
            url: ctx.urls.path("prijzen/"),
        },
    ]
}

fn winners<'a>(ctx: &'a Shared) -> Result<Vec<Winner<'a>>> {
    let site = ctx.site;
    // The newest editions' winners first, by title: chosen before their cards are made.
    let mut won = Vec::new();
    for (ai, idx) in site.award_index.iter().enumerate() {
        for ed in &idx.editions {
            for &(pid, ei) in &ed.entries {
                let rank = site.practices[pid].awards[ei].rank;
                if matches!(rank, Rank::Winnaar | Rank::Tweede | Rank::Derde) {
                    won.push((&ed.key, pid, ai, rank));
                }
            }
        }
    }
    let title = |pid: PracticeId| &site.practices[pid].title;
    won.sort_by(|a, b| b.0.cmp(a.0).then_with(|| title(a.1).cmp(title(b.1))));
    // A practice that won several prizes is shown once, where its newest prize puts it.
    let mut shown: Vec<(PracticeId, Vec<Prize>)> = Vec::new();
    for (edition, pid, ai, rank) in won {
        let award = &site.awards[ai];
        let prize = Prize {
            award: award.title.clone(),
            edition: edition.clone(),
            url: ctx.urls.edition(&award.slug, edition),
            rank: ctx.t.get("rank", rank.key()).to_string(),
        };
        match shown.iter().position(|(p, _)| *p == pid) {
            Some(i) => shown[i].1.push(prize),
            None if shown.len() < 6 => shown.push((pid, vec![prize])),
            None => {}
        }
    }
    shown
        .into_iter()
        .map(|(pid, prizes)| {
            Ok(Winner {
                card: ctx.card(pid)?,
                prizes,
            })
        })
        .collect()
}

fn award_summary<'a>(ctx: &Shared<'a>, ai: usize) -> AwardSummary<'a> {
    let site: &'a Site = ctx.site;
    let a = &site.awards[ai];
    let editions = site.award_index[ai]
        .editions
        .iter()
        .map(|ed| EditionLink {
            key: ed.key.clone(),
            url: ctx.urls.edition(&a.slug, &ed.key),
            date: ed
                .meta
                .and_then(|m| a.editions[m].date.as_ref())
                .map(|d| ctx.fmt.date(d)),
            entries: ed.entries.len(),
            // Prize winners, best first (entries are in rank order): "Project SAMEN (2e prijs)".
            winners: ed
                .entries
                .iter()
                .map(|&(pid, ei)| (&site.practices[pid], site.practices[pid].awards[ei].rank))
                .filter(|(_, rank)| matches!(rank, Rank::Winnaar | Rank::Tweede | Rank::Derde))
                .map(|(p, rank)| format!("{} ({})", p.title, ctx.t.get("rank", rank.key())))
                .collect(),
        })
        .collect();
    AwardSummary {
        title: &a.title,
        url: ctx.urls.award(&a.slug),
        organiser: &a.organiser,
        description: a.description.as_deref(),
        editions,
    }
}

pub(super) fn criteria<'a>(ctx: &Shared<'a>, ai: usize) -> Vec<CriterionView<'a>> {
    let site: &'a Site = ctx.site;
    site.awards[ai]
        .criteria
        .iter()
        .map(|c| CriterionView {
            name: &c.name,
            weight: c.weight.map(|w| ctx.fmt.number(w)),
            knock_out: c.knock_out,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{window, Slot, AROUND};

    /// The bar as text: page numbers, `*` after the current one, `…` for a gap.
    fn bar(current: usize, total: usize) -> String {
        window(current, total)
            .iter()
            .map(|s| match s {
                Slot::Page(n) if *n == current => format!("{n}*"),
                Slot::Page(n) => n.to_string(),
                Slot::Gap => "…".to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn short_lists_link_every_page() {
        assert_eq!(bar(1, 1), "1*");
        assert_eq!(bar(2, 3), "1 2* 3");
        assert_eq!(bar(1, 7), "1* 2 3 … 7");
        assert_eq!(bar(4, 7), "1 2 3 4* 5 6 7");
    }

    #[test]
    fn long_lists_link_the_ends_and_the_pages_around_the_current_one() {
        assert_eq!(bar(1, 310), "1* 2 3 … 310");
        assert_eq!(bar(5, 310), "1 2 3 4 5* 6 7 … 310");
        assert_eq!(bar(150, 310), "1 … 148 149 150* 151 152 … 310");
        assert_eq!(bar(310, 310), "1 … 308 309 310*");
        assert_eq!(bar(6, 310), "1 … 4 5 6* 7 8 … 310");
        // A gap never stands for one page: that page is shown instead (2 here, 309 below).
        assert_eq!(bar(306, 310), "1 … 304 305 306* 307 308 309 310");
    }

    #[test]
    fn every_bar_has_both_ends_the_current_page_and_ascending_pages() {
        for total in 1..40 {
            for current in 1..=total {
                let slots = window(current, total);
                let pages: Vec<usize> = slots
                    .iter()
                    .filter_map(|s| match s {
                        Slot::Page(n) => Some(*n),
                        Slot::Gap => None,
                    })
                    .collect();
                assert_eq!(pages.first(), Some(&1));
                assert_eq!(pages.last(), Some(&total));
                assert!(pages.contains(&current));
                assert!(pages.windows(2).all(|w| w[0] < w[1]));
                assert!(slots.windows(2).all(|w| w != [Slot::Gap, Slot::Gap]));
                assert!(slots.len() <= 2 * AROUND + 5, "{current}/{total}");
            }
        }
    }
}
