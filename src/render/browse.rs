//! The two pages that work in the browser: search with filters (`/zoeken/`) and compare
//! (`/vergelijk/`).
//!
//! Both are static pages whose script does the work: the search page drives Pagefind's JS API
//! over the index `crate::search` builds, the compare page fetches the open-data record of
//! each practice named in its URL (`/data/praktijken/<slug>.json`). What the scripts need to
//! say or show (interface strings, the labels of vocabulary keys, filter groups with their
//! values) is rendered into the page here, in the site's language; the scripts hold no words.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;
use serde_json::json;

use super::context::{Base, Shared};
use super::pages::{home, t};
use super::urls::file_of;
use super::views::Link;
use super::xml::script_safe;
use super::{Bytes, Pass};
use crate::config::Language;
use crate::error::Result;
use crate::meta::{LegalFramework, Method, PrizeType, Rank, Role, Status, Unit};
use crate::model::{sort_key, FacetKind};
use crate::record::Practice;
use crate::search::{self, FILTERS};
use crate::vocab::Vocabulary;

#[derive(Serialize)]
struct FilterValue {
    value: String,
    label: String,
    /// The label's language when it is content (an award's title, a term without a label in
    /// the interface's language) in another language than the interface's.
    lang: Option<&'static str>,
    count: usize,
    id: String,
}

#[derive(Serialize)]
struct FilterGroup {
    name: &'static str,
    legend: String,
    values: Vec<FilterValue>,
    /// Long groups scroll inside a box.
    long: bool,
}

#[derive(Serialize)]
struct SearchPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    groups: Vec<FilterGroup>,
    pagefind_url: String,
    script_url: String,
    compare_url: String,
    picker_url: String,
    /// Practices searched.
    total: usize,
    /// Where to browse without JavaScript.
    facets: Vec<Link>,
    /// Interface strings for the script, as JSON.
    strings: String,
}

#[derive(Serialize)]
struct ComparePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    script_url: String,
    list_url: String,
    /// Labels and strings for the script, as JSON.
    config: String,
}

fn label_of(v: &Vocabulary, key: &str, lang: Language) -> String {
    match v.get(key) {
        Some(t) => match (lang, &t.en) {
            (Language::En, Some(en)) => en.clone(),
            _ => t.nl.clone(),
        },
        None => key.to_string(),
    }
}

/// The language of [`label_of`] when it is the content's rather than the interface's: a
/// Dutch label shown in an English interface for want of an English one.
fn label_lang(v: &Vocabulary, key: &str, lang: Language) -> Option<&'static str> {
    let translated = lang == Language::En && v.get(key).is_some_and(|t| t.en.is_some());
    (!translated).then(|| lang.content_lang()).flatten()
}

/// Per search filter, how many practices have each value; counted in parallel.
fn filter_counts(practices: &[Arc<Practice>]) -> BTreeMap<&'static str, BTreeMap<String, usize>> {
    type Counts = BTreeMap<&'static str, BTreeMap<String, usize>>;
    let add = |mut acc: Counts, name: &'static str, value: String, n: usize| {
        *acc.entry(name).or_default().entry(value).or_default() += n;
        acc
    };
    practices
        .par_iter()
        .fold(Counts::new, |acc, p| {
            search::filters(p)
                .into_iter()
                .flat_map(|(name, values)| values.into_iter().map(move |v| (name, v)))
                .fold(acc, |acc, (name, v)| add(acc, name, v, 1))
        })
        .reduce(Counts::new, |a, b| {
            b.into_iter()
                .flat_map(|(name, m)| m.into_iter().map(move |(v, n)| (name, v, n)))
                .fold(a, |acc, (name, v, n)| add(acc, name, v, n))
        })
}

/// Every filter group with the values some practice has, counted over the whole site.
fn groups(ctx: &Shared) -> Vec<FilterGroup> {
    let site = ctx.site;
    let lang = ctx.fmt.lang;
    let mut counts = filter_counts(&site.practices);
    let order_of = |kind: FacetKind| -> Vec<String> {
        site.facets
            .iter()
            .find(|f| f.kind == kind)
            .map(|f| f.terms.iter().map(|t| t.slug.clone()).collect())
            .unwrap_or_default()
    };
    FILTERS
        .iter()
        .map(|&name| {
            let found = counts.remove(name).unwrap_or_default();
            // (value, label) in display order.
            let mut values: Vec<(String, String)> = match name {
                "thema" => order_of(FacetKind::Theme)
                    .into_iter()
                    .map(|k| (label_of(&site.vocab.themes, &k, lang), k))
                    .map(|(l, k)| (k, l))
                    .collect(),
                "doelgroep" => order_of(FacetKind::TargetGroup)
                    .into_iter()
                    .map(|k| (label_of(&site.vocab.target_groups, &k, lang), k))
                    .map(|(l, k)| (k, l))
                    .collect(),
                "instrument" => order_of(FacetKind::Instrument)
                    .into_iter()
                    .map(|k| (label_of(&site.vocab.instruments, &k, lang), k))
                    .map(|(l, k)| (k, l))
                    .collect(),
                "prijs" => site
                    .awards
                    .iter()
                    .map(|a| (a.slug.clone(), a.title.clone()))
                    .collect(),
                "status" => Status::ALL
                    .iter()
                    .map(|s| (s.key().to_string(), t(ctx, "status", s.key())))
                    .collect(),
                "startdecennium" => {
                    let mut decades: Vec<i32> =
                        found.keys().filter_map(|k| k.parse().ok()).collect();
                    decades.sort_unstable();
                    decades
                        .into_iter()
                        .map(|d| (d.to_string(), format!("{d}–{}", d + 9)))
                        .collect()
                }
                "resultaten" => vec![(
                    search::WITH_RESULTS.to_string(),
                    t(ctx, "search", "with_results"),
                )],
                // provincie, gemeente: the value is the name.
                _ => {
                    let mut names: Vec<String> = found.keys().cloned().collect();
                    names.sort_by_cached_key(|n| sort_key(n));
                    names.into_iter().map(|n| (n.clone(), n)).collect()
                }
            };
            values.retain(|(v, _)| found.contains_key(v));
            let label_lang = |value: &str| match name {
                "thema" => label_lang(&site.vocab.themes, value, lang),
                "doelgroep" => label_lang(&site.vocab.target_groups, value, lang),
                "instrument" => label_lang(&site.vocab.instruments, value, lang),
                "prijs" => ctx.content_lang(),
                _ => None,
            };
            let values: Vec<FilterValue> = values
                .into_iter()
                .map(|(value, label)| FilterValue {
                    id: format!("f-{name}-{}", crate::markdown::slugify(&value)),
                    count: found[&value],
                    lang: label_lang(&value),
                    value,
                    label,
                })
                .collect();
            FilterGroup {
                name,
                legend: t(ctx, "search_filter", name),
                long: values.len() > 8,
                values,
            }
        })
        .filter(|g| !g.values.is_empty())
        .collect()
}

/// The interface strings of a section as a JSON object.
fn section_json(ctx: &Shared, section: &str, keys: &[&'static str]) -> serde_json::Value {
    keys.iter()
        .map(|&k| (k.to_string(), json!(ctx.t.get(section, k))))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn static_url(ctx: &Shared, name: &str) -> String {
    ctx.urls.path(&format!("static/{name}"))
}

/// `/zoeken/`.
pub fn search_page(ctx: &Shared, tpl: &Pass) -> Result<(String, Bytes)> {
    let rel = "zoeken/";
    // The filter counts read every practice: in an incremental render the page is keyed by the
    // site-wide part and the fingerprint of every practice's filter values (made again only
    // for the practices whose record changed) instead of building its context. An edit that
    // leaves every practice's filters as they were leaves the page as it was.
    let bytes = match &ctx.keys {
        Some(keys) => {
            let mut prints = vec![keys.site()];
            prints.par_extend(ctx.site.practices.par_iter().enumerate().map(|(i, p)| {
                tpl.derived("search filters", keys.record_key(i), || {
                    crate::fingerprint::of(&search::filters(p))
                })
            }));
            let key = crate::fingerprint::of_prints("search", &prints);
            tpl.render_keyed("search.html", key, || Ok(search_context(ctx, rel)))?
        }
        None => tpl.render("search.html", &search_context(ctx, rel))?,
    };
    Ok((file_of(rel), bytes))
}

/// The context of the search page at `rel`.
fn search_context<'a>(ctx: &'a Shared, rel: &str) -> SearchPage<'a> {
    let mut base = ctx.base(
        rel,
        t(ctx, "search", "title"),
        t(ctx, "search", "intro"),
        "zoeken",
    );
    base.crumbs = vec![home(ctx)];
    let strings = section_json(
        ctx,
        "search",
        &[
            "found_one",
            "found_many",
            "for",
            "with_filters",
            "none",
            "start",
            "more",
            "loading",
            "error",
            "compare",
            "chosen",
        ],
    );
    SearchPage {
        base,
        groups: groups(ctx),
        pagefind_url: ctx.urls.path(&format!("{}/", search::DIR)),
        script_url: static_url(ctx, "zoeken.js"),
        compare_url: ctx.urls.path("vergelijk/"),
        picker_url: static_url(ctx, "vergelijk-kiezen.js"),
        total: ctx.site.practices.len(),
        facets: FacetKind::ALL
            .iter()
            .map(|k| Link {
                label: t(ctx, "facet", k.segment()),
                url: ctx.urls.facet(*k),
                lang: None,
            })
            .collect(),
        strings: script_safe(&strings.to_string()),
    }
}

/// Labels of a closed vocabulary's keys from an interface-string section.
fn labels(ctx: &Shared, section: &str, keys: &[&'static str]) -> serde_json::Value {
    section_json(ctx, section, keys)
}

fn vocab_labels(v: &Vocabulary, lang: Language) -> serde_json::Value {
    v.terms
        .iter()
        .map(|term| (term.key.clone(), json!(label_of(v, &term.key, lang))))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// `/vergelijk/`.
pub fn compare_page(ctx: &Shared, tpl: &Pass) -> Result<(String, Bytes)> {
    let rel = "vergelijk/";
    let site = ctx.site;
    let mut base = ctx.base(
        rel,
        t(ctx, "compare", "title"),
        t(ctx, "compare", "intro"),
        "vergelijk",
    );
    base.crumbs = vec![home(ctx)];
    let months: Vec<&str> = ctx.t.months().iter().map(String::as_str).collect();
    let config = json!({
        "lang": site.config.language.code(),
        "content_lang": ctx.content_lang(),
        "today": site.config.today.map(|d| crate::format::iso_day(&d)),
        "data": ctx.urls.path("data/praktijken/"),
        "practice": ctx.urls.path("praktijken/"),
        "min": 2,
        "max": 4,
        "months": months,
        "t": section_json(ctx, "compare", &[
            "practice", "place", "province", "period", "status", "legal", "partners",
            "target_groups", "themes", "instruments", "results", "awards", "recognitions",
            "differs", "legal_differs", "period_differs", "not_everywhere", "legal_unknown", "since", "of", "computed", "as_of",
            "method", "none", "too_few", "too_many", "unknown", "loading", "error", "caption",
            "remove", "national", "by", "to_list", "repeated", "valid_until", "expired", "source",
            "no_source", "note",
        ]),
        "status": labels(ctx, "status", Status::KEYS),
        "legal": labels(ctx, "legal", LegalFramework::KEYS),
        "role": labels(ctx, "role", Role::KEYS),
        "unit": labels(ctx, "unit", Unit::KEYS),
        "method": labels(ctx, "method", Method::KEYS),
        "rank": labels(ctx, "rank", Rank::KEYS),
        "prize_type": labels(ctx, "prize_type", PrizeType::KEYS),
        "recognition_level": labels(ctx, "recognition_level", crate::meta::NATIONAL_LEVELS),
        "themes": vocab_labels(&site.vocab.themes, ctx.fmt.lang),
        "target_groups": vocab_labels(&site.vocab.target_groups, ctx.fmt.lang),
        "instruments": vocab_labels(&site.vocab.instruments, ctx.fmt.lang),
    });
    let page = ComparePage {
        base,
        script_url: static_url(ctx, "vergelijk.js"),
        list_url: ctx.urls.path("praktijken/"),
        config: script_safe(&config.to_string()),
    };
    Ok((file_of(rel), tpl.render("compare.html", &page)?))
}
