//! Links in write-ups to parts of the site that only the model knows: a facet's term
//! (`/themas/sluitende-aanpak/`, `/gemeenten/zwolle/`) and an award's edition
//! (`/prijzen/werksleutel/2002/`). `validate` checks every other site path (practices, pages,
//! awards, sections) as it renders a body, and keeps these links (`markdown::SiteLink`) with
//! where they stand; a term exists only if a published practice has it, an edition only if the
//! award file or an entry names it. Each link to a term or edition the site does not have is an
//! error at the link, with the nearest term or edition. Pure: reads the model, returns
//! diagnostics; it does not look at fragments (`#aanpak`: see `validate::fragment_warnings`).

use crate::diagnostic::{did_you_mean_path, nearest, Diagnostic, Location};
use crate::markdown::SiteLink;
use crate::model::{FacetKind, Site};

/// Every link of a published practice or page to a facet term or an award edition the site
/// does not have.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let docs = site
        .practices
        .iter()
        .map(|p| (p.source_path.as_str(), &p.site_links))
        .chain(
            site.pages
                .iter()
                .map(|p| (p.source_path.as_str(), &p.site_links)),
        );
    let mut out = Vec::new();
    for (path, links) in docs {
        for link in links.iter() {
            if let Some(problem) = missing(site, link) {
                out.push(Diagnostic::error(
                    Location::new(path, link.line, link.column),
                    problem,
                ));
            }
        }
    }
    out
}

/// The last parts of a list's paths that are not terms: its later pages and its file.
const LIST_PARTS: &[&str] = &["pagina", "index.html"];

/// What is wrong with `link`, if it names a term or edition the site does not have.
fn missing(site: &Site, link: &SiteLink) -> Option<String> {
    let path = link.path.split(['#', '?']).next().unwrap_or(&link.path);
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (&section, &name) = (parts.first()?, parts.get(1)?);
    if LIST_PARTS.contains(&name) {
        return None;
    }
    if section == "prijzen" {
        let edition = *parts.get(2)?;
        if LIST_PARTS.contains(&edition) {
            return None;
        }
        // An award that does not exist is `validate`'s error already.
        let (i, award) = site.award(name)?;
        let editions: Vec<&str> = site.award_index[i]
            .editions
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        if editions.contains(&edition) {
            return None;
        }
        let best = nearest(edition, editions.iter().copied());
        let what = format!("{} has no edition `{edition}` on this site", award.title);
        return Some(said(path, &parts, 2, best, &what));
    }
    let kind = FacetKind::ALL.iter().find(|k| k.segment() == section)?;
    let terms: Vec<&str> = site
        .facets
        .iter()
        .find(|f| f.kind == *kind)
        .map_or(Vec::new(), |f| {
            f.terms.iter().map(|t| t.slug.as_str()).collect()
        });
    if terms.contains(&name) {
        return None;
    }
    let best = nearest(name, terms.iter().copied());
    let what = format!(
        "`/{section}/` has no `{name}` (a term gets a page when a published practice has it)"
    );
    Some(said(path, &parts, 1, best, &what))
}

/// "the link `PATH` leads to no page: WHAT (did you mean `/x/best/`?)", `best` in place of
/// part `at` of the path.
fn said(path: &str, parts: &[&str], at: usize, best: Option<&str>, what: &str) -> String {
    let hint = best.map_or(String::new(), |best| {
        did_you_mean_path(path, parts, at, best)
    });
    format!("the link `{path}` leads to no page: {what}{hint}")
}
