//! The printable dossier of a practice, `/praktijken/<slug>/dossier/`: one A4 document for a
//! jury with every fact of the write-up, every figure next to its source, the award history and,
//! for every award the practice entered, an empty scoring sheet built from the award's criteria
//! (not for a prize the public chooses: nothing there for a jury to score).
//!
//! Links are absolute, so the URLs the print stylesheet prints after them work on paper.

use serde::Serialize;

use super::context::{Base, Shared};
use super::pages::{home, t};
use super::urls::{dossier_rel, edition_rel, file_of, practice_rel};
use super::views::{practice_view, AwardEntryView, Link, PracticeView, ResultView, SourceView};
use super::{Bytes, Pass};
use crate::error::Result;
use crate::meta::PrizeType;
use crate::model::PracticeId;
use crate::record::{Award, AwardEntry};

/// The scale every criterion is scored on.
pub const SCORE_MIN: u32 = 1;
pub const SCORE_MAX: u32 = 10;

#[derive(Serialize)]
struct DossierResult {
    r: ResultView,
    /// The full source, for its title, publisher and dates.
    source: Option<SourceView>,
}

#[derive(Serialize)]
struct AwardHistory {
    entry: AwardEntryView,
    edition_url: String,
    date: Option<String>,
    venue: Option<String>,
    jury_chair: Option<String>,
    /// Why this entry has no scoring sheet: the public chooses its prize.
    no_sheet: Option<String>,
}

#[derive(Serialize)]
struct SheetLine<'a> {
    name: &'a str,
    /// The weight as shown, when the award weighs its criteria.
    weight: Option<String>,
}

/// An empty scoring sheet for one award entry.
#[derive(Serialize)]
struct ScoringSheet<'a> {
    award: &'a str,
    organiser: &'a str,
    edition: &'a str,
    knock_outs: Vec<&'a str>,
    scored: Vec<SheetLine<'a>>,
    weighted: bool,
    /// The highest total: SCORE_MAX × the sum of the weights (each criterion weighs 1 when the
    /// award gives no weights).
    max_total: String,
    /// The editors derived the award's criteria; no formal regulation is known.
    criteria_derived: bool,
}

#[derive(Serialize)]
struct DossierPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The practice, without `body_html`, `results`, `awards`, `related` and `headings` (empty
    /// here): the dossier has its own `body_html`, `results` and `awards`.
    p: PracticeView<'a>,
    practice_url: String,
    dossier_url: String,
    /// The write-up with links to this site made absolute.
    body_html: String,
    partners_count: usize,
    results: Vec<DossierResult>,
    awards: Vec<AwardHistory>,
    sheets: Vec<ScoringSheet<'a>>,
    score_min: u32,
    score_max: u32,
    /// "Vul per criterium een score in van 1 tot en met 10."
    sheet_intro: String,
    /// CSS custom properties with the texts of the printed pages' margin boxes (`dossier.css`):
    /// the practice's title at the top, "pagina 1 van 3" at the bottom. Margin boxes take no
    /// HTML, so the translated strings come as CSS, made here ([`print_strings`]).
    print_strings: String,
    /// "Samengesteld op 25 november 2026": the build's date, when the build has one.
    compiled_on: Option<String>,
    dossier_css_url: String,
    /// The script that shows the print button (`static/afdrukken.js`).
    print_js_url: String,
}

/// Renders the dossier of practice `id`.
pub fn page(ctx: &Shared, tpl: &Pass, id: PracticeId) -> Result<(String, Bytes)> {
    let site = ctx.site;
    let p = &site.practices[id];
    let rel = dossier_rel(&p.slug);
    let bytes = super::pages::keyed(ctx, tpl, "dossier.html", (id, &[]), || {
        Ok(context(ctx, id, &rel))
    })?;
    Ok((file_of(&rel), bytes))
}

/// The context of the dossier of practice `id` at `rel`.
fn context<'a>(ctx: &'a Shared, id: PracticeId, rel: &str) -> DossierPage<'a> {
    let site = ctx.site;
    let p = &site.practices[id];
    let mut base = ctx.base(
        rel,
        format!("{}: {}", t(ctx, "dossier", "title"), p.title),
        p.summary.clone(),
        "praktijken",
    );
    base.description_lang = ctx.content_lang();
    // The dossier repeats the practice page in print form; search engines get the page itself.
    base.canonical = ctx.urls.absolute(&practice_rel(&p.slug));
    base.crumbs = vec![
        home(ctx),
        Link {
            label: t(ctx, "nav", "practices"),
            url: ctx.urls.path("praktijken/"),
            lang: None,
        },
        Link {
            label: p.title.clone(),
            url: ctx.urls.practice(&p.slug),
            lang: ctx.content_lang(),
        },
    ];
    let mut view = practice_view(site, id, Vec::new(), &ctx.fmt, &ctx.urls);
    let results = std::mem::take(&mut view.results)
        .into_iter()
        .zip(&p.results)
        .map(|(r, rec)| DossierResult {
            r,
            source: rec.source.and_then(|i| view.sources.get(i).cloned()),
        })
        .collect();
    let awards = std::mem::take(&mut view.awards)
        .into_iter()
        .zip(&p.awards)
        .map(|(v, entry)| award_history(ctx, v, entry))
        .collect();
    // `p` does not repeat what the dossier has in its own form (`body_html` with absolute
    // links, `results` with their sources, `awards` with their editions) nor carry what it does
    // not show (related practices, the table of contents): each page's context is made into
    // Tera's JSON form whole, and these are the largest parts of a practice.
    view.body_html = "";
    view.related = Vec::new();
    view.headings = &[];
    // A prize the public chooses is not scored by a jury: no sheet (its award history entry
    // says why).
    let sheets = p
        .awards
        .iter()
        .filter(|entry| entry.prize_type != PrizeType::Publiek)
        .filter_map(|entry| site.award(&entry.award).map(|(_, a)| sheet(ctx, a, entry)))
        .collect();
    DossierPage {
        base,
        practice_url: ctx.urls.absolute(&practice_rel(&p.slug)),
        dossier_url: ctx.urls.absolute(rel),
        body_html: absolute_links(&p.body_html, &site.config.base_path, &site.config.base_url),
        partners_count: view.partners.len(),
        p: view,
        results,
        awards,
        sheets,
        score_min: SCORE_MIN,
        score_max: SCORE_MAX,
        sheet_intro: ctx
            .t
            .get("dossier", "sheet_intro")
            .replace("{min}", &SCORE_MIN.to_string())
            .replace("{max}", &SCORE_MAX.to_string()),
        print_strings: print_strings(&p.title, ctx.t.get("dossier", "pages")),
        compiled_on: site.config.today.as_ref().map(|d| {
            ctx.t
                .get("dossier", "compiled_on")
                .replace("{date}", &ctx.fmt.date(d))
        }),
        dossier_css_url: format!("{}static/dossier.css", site.config.base_path),
        print_js_url: format!("{}static/afdrukken.js", site.config.base_path),
    }
}

/// The texts of the printed pages' margin boxes as CSS custom properties on `:root`:
/// `--dossier-title` (a CSS string) and `--dossier-pages` (`pages`, whose `{page}` and
/// `{pages}` become the page counters). Safe inside `<style>`: a `<` is written as an escape.
fn print_strings(title: &str, pages: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut rest = pages;
    while !rest.is_empty() {
        let counter = ["page", "pages"]
            .into_iter()
            .find(|c| rest.starts_with(&format!("{{{c}}}")));
        match counter {
            Some(c) => {
                if !text.is_empty() {
                    parts.push(css_string(&std::mem::take(&mut text)));
                }
                parts.push(format!("counter({c})"));
                rest = &rest[c.len() + 2..];
            }
            None => {
                let ch = rest.chars().next().unwrap_or_default();
                text.push(ch);
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        parts.push(css_string(&text));
    }
    format!(
        ":root{{--dossier-title:{};--dossier-pages:{}}}",
        css_string(title),
        parts.join(" ")
    )
}

/// `s` as a quoted CSS string: quotes and backslashes escaped, line breaks and `<` (so no
/// `</style>` can end the element) as hexadecimal escapes.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\a "),
            '\r' => {}
            '<' => out.push_str("\\3c "),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Rendered Markdown with its links to this site (`href="/base/path/..."`, as `markdown`
/// writes them) made absolute (`href="https://host/base/path/..."`).
fn absolute_links(html: &str, base_path: &str, base_url: &str) -> String {
    // `memmem` rather than `str::replace`: the standard library's two-way search over every
    // body was 2% of a build's CPU.
    let from = format!("href=\"{base_path}");
    let to = format!("href=\"{base_url}");
    let mut out = String::with_capacity(html.len() + 64);
    let mut last = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), from.as_bytes()) {
        out.push_str(&html[last..at]);
        out.push_str(&to);
        last = at + from.len();
    }
    out.push_str(&html[last..]);
    out
}

fn award_history(ctx: &Shared, v: AwardEntryView, entry: &AwardEntry) -> AwardHistory {
    let award_title = v.award.clone();
    let edition = ctx
        .site
        .award(&entry.award)
        .and_then(|(_, a)| a.editions.iter().find(|e| e.key == entry.edition));
    AwardHistory {
        entry: v,
        edition_url: ctx
            .urls
            .absolute(&edition_rel(&entry.award, &entry.edition)),
        date: edition
            .and_then(|e| e.date.as_ref())
            .map(|d| ctx.fmt.date(d)),
        venue: edition.and_then(|e| e.venue.clone()),
        jury_chair: edition.and_then(|e| e.jury_chair.clone()),
        no_sheet: (entry.prize_type == PrizeType::Publiek).then(|| {
            ctx.t
                .get("dossier", "public_vote")
                .replace("{award}", &award_title)
                .replace("{edition}", &entry.edition)
        }),
    }
}

fn sheet<'a>(ctx: &Shared, award: &'a Award, entry: &'a AwardEntry) -> ScoringSheet<'a> {
    let weighted = award.criteria.iter().any(|c| c.weight.is_some());
    let scored: Vec<_> = award.criteria.iter().filter(|c| !c.knock_out).collect();
    let total: f64 =
        scored.iter().map(|c| c.weight.unwrap_or(1.0)).sum::<f64>() * f64::from(SCORE_MAX);
    ScoringSheet {
        award: &award.title,
        organiser: &award.organiser,
        edition: &entry.edition,
        knock_outs: award
            .criteria
            .iter()
            .filter(|c| c.knock_out)
            .map(|c| c.name.as_str())
            .collect(),
        scored: scored
            .iter()
            .map(|c| SheetLine {
                name: &c.name,
                weight: weighted.then(|| ctx.fmt.number(c.weight.unwrap_or(1.0))),
            })
            .collect(),
        weighted,
        max_total: ctx.fmt.number(total),
        criteria_derived: award.criteria_derived,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_strings_are_css() {
        assert_eq!(
            print_strings("Project \"SAMEN\" </style>", "pagina {page} van {pages}"),
            r#":root{--dossier-title:"Project \"SAMEN\" \3c /style>";--dossier-pages:"pagina " counter(page) " van " counter(pages)}"#
        );
        assert_eq!(
            print_strings("a\\b", "{page}/{pages} {x}"),
            r#":root{--dossier-title:"a\\b";--dossier-pages:counter(page) "/" counter(pages) " {x}"}"#
        );
    }

    #[test]
    fn site_links_become_absolute() {
        let html = r##"<a href="/werk/praktijken/x/">x</a> <a href="https://example.org/">y</a> <a href="#z">z</a>"##;
        assert_eq!(
            absolute_links(html, "/werk/", "https://example.nl/werk/"),
            r##"<a href="https://example.nl/werk/praktijken/x/">x</a> <a href="https://example.org/">y</a> <a href="#z">z</a>"##
        );
    }
}
