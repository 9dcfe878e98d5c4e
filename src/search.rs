//! Full-text search: a Pagefind index of the practice pages, built from the rendered output.
//!
//! Runs after `render`: every practice page is handed to Pagefind as the HTML a visitor gets,
//! with one addition that only the indexer sees: a hidden block carrying the page's filter
//! values (provincie, gemeente, thema, ...), its slug and a sort key, taken from the typed
//! [`Practice`] rather than scraped from the page. The index is Dutch (stemming included): the
//! write-ups are Dutch whatever the interface language. Pagefind's files (its JS, the WebAssembly
//! search engine, index chunks, filters and one fragment per page) are returned under
//! `pagefind/` for the caller to add to the [`Output`]. Pure: no disk, no printing.
//!
//! Filter values are machine keys (vocabulary keys, award slugs, decades as `1990`), so a shared
//! URL such as `/zoeken/?thema=sluitende-aanpak` reads the same in every interface language; the
//! search page maps them to labels (see `render::browse`).

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::Site;
use crate::record::Practice;
use crate::render::urls::{file_of, practice_rel};
use crate::render::{Output, OutputFile};

/// The folder of the search bundle inside the output.
pub const DIR: &str = "pagefind";

/// The language the index is built for: the write-ups are Dutch.
pub const LANGUAGE: &str = "nl";

/// The filters of the search page, in display order, with their URL parameter names.
pub const FILTERS: &[&str] = &[
    "provincie",
    "gemeente",
    "thema",
    "doelgroep",
    "instrument",
    "prijs",
    "status",
    "startdecennium",
    "resultaten",
];

/// The value of the `resultaten` filter: practices with at least one measured result.
pub const WITH_RESULTS: &str = "gemeten";

/// The decade a year falls in, as its first year: 1997 → 1990.
pub fn decade(year: i32) -> i32 {
    year.div_euclid(10) * 10
}

/// The filter values of one practice, by filter name (see [`FILTERS`]).
pub fn filters(p: &Practice) -> BTreeMap<&'static str, Vec<String>> {
    let mut f: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    f.insert("provincie", vec![p.province.key().to_string()]);
    f.insert("gemeente", p.municipalities.clone());
    f.insert("thema", p.themes.clone());
    f.insert("doelgroep", p.target_groups.clone());
    f.insert("instrument", p.instruments.clone());
    let mut awards: Vec<String> = p.awards.iter().map(|a| a.award.clone()).collect();
    awards.dedup();
    f.insert("prijs", awards);
    f.insert("status", vec![p.status.key().to_string()]);
    f.insert(
        "startdecennium",
        vec![decade(p.period.start.year).to_string()],
    );
    if !p.results.is_empty() {
        f.insert("resultaten", vec![WITH_RESULTS.to_string()]);
    }
    f.retain(|_, v| !v.is_empty());
    f
}

/// Escapes text for an HTML element's content.
fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The hidden block the indexer reads: filters, the slug (for "compare" in results) and the
/// title as sort key. `data-pagefind-ignore` keeps its words out of the full text.
fn index_block(p: &Practice) -> String {
    let mut out = String::from("<div hidden data-pagefind-ignore>");
    for (name, values) in filters(p) {
        for v in values {
            out.push_str(&format!(
                "<span data-pagefind-filter=\"{name}\">{}</span>",
                text(&v)
            ));
        }
    }
    out.push_str(&format!(
        "<span data-pagefind-meta=\"slug\">{}</span>",
        text(&p.slug)
    ));
    out.push_str(&format!(
        "<span data-pagefind-sort=\"titel\">{}</span>",
        text(&crate::model::sort_key(&p.title))
    ));
    out.push_str("</div>");
    out
}

/// How much of a page the indexer reads. A write-up is a few dozen kilobytes; a page far
/// beyond this (a pasted table of a million rows) is indexed up to here, so one such page
/// cannot stretch the build by minutes.
pub const MAX_INDEXED_BYTES: usize = 512 * 1024;

/// The page as the indexer sees it: the rendered HTML with `block` before `</body>`, or, for a
/// page over [`MAX_INDEXED_BYTES`], its start (cut before a tag) followed by `block`.
fn for_index(html: &str, block: &str) -> String {
    if html.len() > MAX_INDEXED_BYTES {
        let mut end = MAX_INDEXED_BYTES;
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        let end = html[..end].rfind('<').unwrap_or(end);
        return format!("{}{block}</body></html>", &html[..end]);
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{block}{}", &html[..at], &html[at..]),
        None => format!("{html}{block}"),
    }
}

/// Builds the search bundle for the practice pages of `output`.
pub fn index(site: &Site, output: &Output) -> Result<Vec<OutputFile>> {
    let pages: Vec<(String, String)> = site
        .practices
        .iter()
        .filter_map(|p| {
            let rel = practice_rel(&p.slug);
            let file = output.get(&file_of(&rel))?;
            let html = String::from_utf8_lossy(&file.bytes);
            Some((
                format!("{}{rel}", site.config.base_path),
                for_index(&html, &index_block(p)),
            ))
        })
        .collect();
    // Pagefind is async; it gets a runtime of its own on a thread of its own, so the index
    // builds the same whether or not the caller already runs inside a tokio runtime (serve).
    std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Search(e.to_string()))?;
            runtime.block_on(build(pages))
        })
        .join()
        .unwrap_or_else(|_| Err(Error::Search("the indexer panicked".into())))
    })
}

/// Pagefind's errors (anyhow) with their causes.
fn err(e: impl std::fmt::Display) -> Error {
    Error::Search(format!("{e:#}"))
}

async fn build(pages: Vec<(String, String)>) -> Result<Vec<OutputFile>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    let options = PagefindServiceConfig::builder()
        .force_language(LANGUAGE.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(err)?;
    for (url, html) in pages {
        index
            .add_html_file(None, Some(url), html)
            .await
            .map_err(err)?;
    }
    let files = index.get_files().await.map_err(err)?;
    let mut out: Vec<OutputFile> = files
        .into_iter()
        .map(|f| {
            let name = f
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            OutputFile {
                path: format!("{DIR}/{name}"),
                bytes: f.contents,
            }
        })
        // The bundled UIs and the playground are not used: the theme has its own search page.
        .filter(|f| !is_unused(&f.path))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Files of the bundle the theme does not load.
fn is_unused(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight.")
        || path.contains("/playground/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_start_at_round_years() {
        assert_eq!(decade(1997), 1990);
        assert_eq!(decade(2000), 2000);
        assert_eq!(decade(2009), 2000);
    }

    #[test]
    fn the_index_block_goes_before_the_body_end() {
        let html = "<html><body><main>x</main></body></html>";
        assert_eq!(
            for_index(html, "<div>b</div>"),
            "<html><body><main>x</main><div>b</div></body></html>"
        );
        assert_eq!(
            for_index("<p>x</p>", "<div>b</div>"),
            "<p>x</p><div>b</div>"
        );
        let huge = format!(
            "<html><body>{}</body></html>",
            "<p>wérk</p>".repeat(100_000)
        );
        let cut = for_index(&huge, "<div>b</div>");
        assert!(cut.len() <= MAX_INDEXED_BYTES + 30);
        assert!(
            cut.ends_with("</p><div>b</div></body></html>"),
            "cut before a tag"
        );
        assert_eq!(text("a<b & c>"), "a&lt;b &amp; c&gt;");
    }
}
