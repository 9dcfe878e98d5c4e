//! The page of one award edition: its facts and criteria, the entries grouped by rank with their
//! key results, and all entries side by side; in a jury build also the jury's warnings.

use serde::Serialize;

use super::context::{Base, Shared};
use super::pages::{criteria, home, t, CriterionView};
use super::urls::{edition_csv_rel, edition_rel, file_of};
use super::views::{result_view, Card, Link, ResultView};
use super::{Bytes, Pass};
use crate::error::Result;
use crate::jury::EntryWarning;
use crate::meta::{LegalFramework, Rank};
use crate::model::PracticeId;
use crate::record::AwardEntry;

/// How many results an entry card shows; the table shows them all.
pub const KEY_RESULTS: usize = 3;

#[derive(Serialize)]
struct EntryView<'a> {
    card: &'a Card,
    rank: String,
    rank_key: &'static str,
    prize_type: String,
    motivation: Option<&'a str>,
    /// The first [`KEY_RESULTS`] results, in the order the write-up gives them.
    key_results: Vec<ResultView>,
    results: Vec<ResultView>,
    target_groups: Vec<String>,
    dossier_url: String,
    /// The jury's warnings, in the jury build's own edition only.
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct RankGroup<'a> {
    label: String,
    entries: Vec<EntryView<'a>>,
}

#[derive(Serialize)]
struct EditionPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    award_title: &'a str,
    award_url: String,
    edition: String,
    date: Option<String>,
    venue: Option<&'a str>,
    jury_chair: Option<&'a str>,
    jury: &'a [String],
    criteria: Vec<CriterionView<'a>>,
    /// The editors derived the criteria; no formal regulation is known.
    criteria_derived: bool,
    /// What the award's write-up says about this edition: its section headed "Editie <key>"
    /// (HTML), such as which winners the sources do not name.
    notes_html: Option<&'a str>,
    /// Whether an entry this site knows won the (first) prize.
    winner_known: bool,
    groups: Vec<RankGroup<'a>>,
    /// How many entries this site knows: not the edition's own number of entries.
    count: usize,
    csv_url: String,
    /// This page belongs to the edition of a jury build: warnings are shown.
    jury_build: bool,
    warning_count: usize,
}

/// Renders `/prijzen/<award>/<edition>/`. In an incremental render the page is keyed by its
/// entries' records (see `PracticeKeys::edition`), so an edit elsewhere does not build its
/// context, which holds every entry's results.
pub fn page(ctx: &Shared, tpl: &Pass, ai: usize, ei: usize) -> Result<(String, Bytes)> {
    let site = ctx.site;
    let rel = edition_rel(
        &site.awards[ai].slug,
        &site.award_index[ai].editions[ei].key,
    );
    let make = || context(ctx, ai, ei, &rel);
    let bytes = match &ctx.keys {
        Some(keys) => tpl.render_keyed("edition.html", keys.edition(site, ai, ei), make)?,
        None => tpl.render("edition.html", &make()?)?,
    };
    Ok((file_of(&rel), bytes))
}

/// The context of the page of edition `ei` of award `ai`, at `rel`.
fn context<'a>(ctx: &'a Shared, ai: usize, ei: usize, rel: &str) -> Result<EditionPage<'a>> {
    let site = ctx.site;
    let award = &site.awards[ai];
    let ed = &site.award_index[ai].editions[ei];
    let meta = ed.meta.map(|m| &award.editions[m]);
    let mut base = ctx.base(
        rel,
        format!("{} {}", award.title, ed.key),
        award.description.clone().unwrap_or_default(),
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
        Link {
            label: award.title.clone(),
            url: ctx.urls.award(&award.slug),
            lang: ctx.content_lang(),
        },
    ];
    let jury_build = ctx
        .extra
        .jury
        .as_ref()
        .is_some_and(|j| j.matches(&award.slug, &ed.key));
    let results: Vec<Vec<ResultView>> = ed
        .entries
        .iter()
        .map(|&(pid, _)| {
            let p = &site.practices[pid];
            p.results
                .iter()
                .map(|r| result_view(r, &p.sources, &ctx.fmt))
                .collect()
        })
        .collect();
    let mut groups: Vec<RankGroup> = Vec::new();
    for (&(pid, entry_i), results) in ed.entries.iter().zip(results) {
        let view = entry_view(ctx, pid, entry_i, results, jury_build)?;
        let label = ctx
            .t
            .get("rank_group", site.practices[pid].awards[entry_i].rank.key())
            .to_string();
        match groups.last_mut() {
            Some(g) if g.label == label => g.entries.push(view),
            _ => groups.push(RankGroup {
                label,
                entries: vec![view],
            }),
        }
    }
    let warning_count = groups
        .iter()
        .flat_map(|g| &g.entries)
        .map(|e| e.warnings.len())
        .sum();
    Ok(EditionPage {
        base,
        award_title: &award.title,
        award_url: ctx.urls.award(&award.slug),
        edition: ed.key.clone(),
        date: meta.and_then(|m| m.date.as_ref()).map(|d| ctx.fmt.date(d)),
        venue: meta.and_then(|m| m.venue.as_deref()),
        jury_chair: meta.and_then(|m| m.jury_chair.as_deref()),
        jury: meta.map_or(&[], |m| m.jury.as_slice()),
        criteria: criteria(ctx, ai),
        criteria_derived: award.criteria_derived,
        notes_html: edition_section(&award.body_html, &ed.key),
        winner_known: ed
            .entries
            .iter()
            .any(|&(pid, i)| site.practices[pid].awards[i].rank == Rank::Winnaar),
        groups,
        count: ed.entries.len(),
        csv_url: ctx.urls.path(&edition_csv_rel(&award.slug, &ed.key)),
        jury_build,
        warning_count,
    })
}

fn entry_view<'a>(
    ctx: &'a Shared<'a>,
    pid: PracticeId,
    entry_i: usize,
    results: Vec<ResultView>,
    jury_build: bool,
) -> Result<EntryView<'a>> {
    let site = ctx.site;
    let p = &site.practices[pid];
    let entry: &'a AwardEntry = &p.awards[entry_i];
    Ok(EntryView {
        card: ctx.card(pid)?,
        rank: ctx.t.get("rank", entry.rank.key()).to_string(),
        rank_key: entry.rank.key(),
        prize_type: ctx.t.get("prize_type", entry.prize_type.key()).to_string(),
        motivation: entry.motivation.as_deref(),
        key_results: results.iter().take(KEY_RESULTS).cloned().collect(),
        results,
        target_groups: p
            .target_groups
            .iter()
            .map(|k| {
                site.vocab
                    .target_groups
                    .get(k)
                    .map_or_else(|| k.clone(), |t| t.nl.clone())
            })
            .collect(),
        dossier_url: ctx.urls.dossier(&p.slug),
        warnings: if jury_build {
            entry
                .warnings
                .iter()
                .map(|w| warning_text(ctx, w))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// The section of an award's write-up about edition `key`: what follows a second-level heading
/// that reads "Editie <key>", up to the next second-level heading.
fn edition_section<'a>(body_html: &'a str, key: &str) -> Option<&'a str> {
    let want = format!("editie {}", key.trim().to_lowercase());
    let mut rest = body_html;
    let mut offset = 0;
    while let Some(at) = rest.find("<h2") {
        let open_end = at + rest[at..].find('>')? + 1;
        let close = open_end + rest[open_end..].find("</h2>")?;
        let text = plain_text(&rest[open_end..close]);
        let after = close + "</h2>".len();
        if text.trim().to_lowercase() == want {
            let start = offset + after;
            let end = body_html[start..]
                .find("<h2")
                .map_or(body_html.len(), |e| start + e);
            let section = body_html[start..end].trim();
            return (!section.is_empty()).then_some(section);
        }
        offset += after;
        rest = &rest[after..];
    }
    None
}

/// HTML without its tags (entities are left as they are).
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A jury warning in the site's language, from the `jury` interface strings.
pub fn warning_text(ctx: &Shared, w: &EntryWarning) -> String {
    let laws = |ls: &[LegalFramework]| {
        let names: Vec<&str> = ls.iter().map(|l| ctx.t.get("legal", l.key())).collect();
        match names.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, init)) => {
                format!("{} {} {last}", init.join(", "), ctx.t.get("misc", "and"))
            }
            None => String::new(),
        }
    };
    let fill = |key: &str, values: &[(&str, String)]| {
        values
            .iter()
            .fold(ctx.t.get("jury", key).to_string(), |text, (k, v)| {
                text.replace(&format!("{{{k}}}"), v)
            })
    };
    match w {
        EntryWarning::NoSource { result } => fill("no_source", &[("result", result.clone())]),
        EntryWarning::NoResults => fill("no_results", &[]),
        EntryWarning::Undated { result } => fill("undated", &[("result", result.clone())]),
        EntryWarning::StartsAfter {
            start,
            edition_year,
        } => fill(
            "starts_after",
            &[
                ("start", start.to_string()),
                ("edition_year", edition_year.to_string()),
            ],
        ),
        EntryWarning::Stale {
            result,
            year,
            age,
            limit,
        } => fill(
            "stale",
            &[
                ("result", result.clone()),
                ("year", year.to_string()),
                ("age", age.to_string()),
                ("limit", limit.to_string()),
            ],
        ),
        EntryWarning::OtherFramework {
            result,
            year,
            found,
            edition_year,
            in_force,
        } => {
            let mut values = vec![
                ("found", laws(found)),
                ("edition_year", edition_year.to_string()),
                ("in_force", laws(in_force)),
            ];
            match result {
                Some(r) => {
                    values.push(("result", r.clone()));
                    values.push(("year", year.map(|y| y.to_string()).unwrap_or_default()));
                    fill("other_framework_result", &values)
                }
                None => fill("other_framework_declared", &values),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::edition_section;

    #[test]
    fn an_edition_section_is_found_by_its_heading() {
        let html = "<p>Intro</p>\n<h2 id=\"wie\">Wie</h2>\n<p>a</p>\n<h2 id=\"editie-2002\">Editie <em>2002</em></h2>\n<p>Tweede prijs.</p>\n<h3>Meer</h3><p>b</p>\n<h2 id=\"x\">Editie 2003</h2><p>c</p>";
        assert_eq!(
            edition_section(html, "2002"),
            Some("<p>Tweede prijs.</p>\n<h3>Meer</h3><p>b</p>")
        );
        assert_eq!(edition_section(html, "2003"), Some("<p>c</p>"));
        assert_eq!(edition_section(html, "2004"), None);
        assert_eq!(edition_section("", "2002"), None);
    }
}
