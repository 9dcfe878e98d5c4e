//! Full-text search: a Pagefind index of every practice, built from the typed data.
//!
//! Runs after `render`, in the same build. Each practice goes to Pagefind (through its Rust
//! API) as one record: its searchable text (summary, places, partners, the Dutch labels of its
//! themes, target groups and instruments, awards, results and the write-up's plain text), the
//! fields a result shows (title, "place · period", slug), its filter values and a sort key.
//! Records rather than the rendered pages: the text is the same, and not parsing 10,000 HTML
//! pages a second time keeps indexing a fraction of the build. The index is Dutch (stemming
//! included), since the write-ups are Dutch whatever the interface language. Pagefind's files
//! (its JS, the WebAssembly search engine, index chunks, filters and one fragment per practice)
//! are returned under `pagefind/` for the caller to add to the output. Pure: no disk, no
//! printing.
//!
//! Filter values are machine keys (vocabulary keys, award slugs, decades as `1990`), so a shared
//! URL such as `/zoeken/?thema=sluitende-aanpak` reads the same in every interface language; the
//! search page maps them to labels (see `render::browse`).

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::Site;
use crate::record::Practice;
use crate::render::urls::practice_rel;
use crate::render::views::{place_text, Fmt};
use crate::render::{OutputFile, Strings};

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

/// One practice as the indexer gets it.
struct Entry {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// How much text of one practice is indexed. A write-up is a few thousand words; text far
/// beyond this (a pasted table of a million rows) is indexed up to here, so one such page
/// cannot stretch the build by minutes.
pub const MAX_INDEXED_BYTES: usize = 256 * 1024;

/// `text` cut to at most `max` bytes, at a space when there is one.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    text.rfind(char::is_whitespace).map_or(text, |i| &text[..i])
}

fn label(v: &crate::vocab::Vocabulary, key: &str) -> String {
    v.get(key).map_or_else(|| key.to_string(), |t| t.nl.clone())
}

/// The searchable text of a practice, in Dutch: its summary, places, partners, the Dutch labels
/// of its themes, target groups and instruments, awards, results, and its write-up, each
/// distinct word once (see [`distinct_words`]). The title and summary are searchable as fields
/// too, and a result shows them rather than an excerpt of this text.
fn content(site: &Site, p: &Practice) -> String {
    let mut parts: Vec<String> = vec![p.summary.clone()];
    parts.push(p.municipalities.join(", "));
    parts.push(p.province.key().to_string());
    parts.push(
        p.partners
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let v = &site.vocab;
    let labels: Vec<String> = (p.themes.iter().map(|k| label(&v.themes, k)))
        .chain(p.target_groups.iter().map(|k| label(&v.target_groups, k)))
        .chain(p.instruments.iter().map(|k| label(&v.instruments, k)))
        .collect();
    parts.push(labels.join(", "));
    parts.extend(p.awards.iter().map(|a| {
        let title = site
            .award(&a.award)
            .map_or(a.award.as_str(), |(_, x)| x.title.as_str());
        format!("{title} {}", a.edition)
    }));
    parts.extend(p.results.iter().map(|r| r.label.clone()));
    parts.retain(|s| !s.trim().is_empty());
    let mut text = parts.join(". ");
    text.push_str(". ");
    text.push_str(&p.body_text);
    cut(&distinct_words(&text), MAX_INDEXED_BYTES).to_string()
}

/// Every distinct word of `text` once, in order of first appearance, ignoring case and the
/// punctuation around words. Every word stays findable (with Dutch stemming); what is lost is
/// only how often a word occurs, for ranking. It makes Pagefind's work (per word) less than half:
/// at 10,000 practices the index takes about 8 s of CPU instead of 15 s.
fn distinct_words(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(text.len() / 2);
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
        let word = word.trim_matches(|c: char| c == '-' || c == '\'');
        if !word.is_empty() && seen.insert(word.to_lowercase()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// What the indexer gets for practice `p`: its text, the fields results show (title, the
/// "place · period" line in the site's language, slug, summary), its filter values and a sort
/// key.
fn entry(site: &Site, fmt: &Fmt, p: &Practice) -> Entry {
    let kicker = format!(
        "{} · {}",
        place_text(&p.municipalities, fmt.t),
        fmt.period(&p.period.start, &p.period.end)
    );
    let meta = BTreeMap::from([
        ("title".to_string(), p.title.clone()),
        ("kicker".to_string(), kicker),
        ("slug".to_string(), p.slug.clone()),
        ("summary".to_string(), p.summary.clone()),
    ]);
    Entry {
        url: format!("{}{}", site.config.base_path, practice_rel(&p.slug)),
        content: content(site, p),
        meta,
        filters: filters(p)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        sort: BTreeMap::from([("titel".to_string(), crate::model::sort_key(&p.title))]),
    }
}

/// Builds the search bundle for every practice of `site`.
pub fn index(site: &Site, strings: &Strings) -> Result<Vec<OutputFile>> {
    let fmt = Fmt {
        t: strings,
        lang: site.config.language,
    };
    let entries: Vec<Entry> = site
        .practices
        .iter()
        .map(|p| entry(site, &fmt, p))
        .collect();
    // Pagefind is async; it gets a runtime of its own on a thread of its own, so the index
    // builds the same whether or not the caller already runs inside a tokio runtime (serve).
    std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Search(e.to_string()))?;
            runtime.block_on(build(entries))
        })
        .join()
        .unwrap_or_else(|_| Err(Error::Search("the indexer panicked".into())))
    })
}

/// Pagefind's errors (anyhow) with their causes.
fn err(e: impl std::fmt::Display) -> Error {
    Error::Search(format!("{e:#}"))
}

async fn build(entries: Vec<Entry>) -> Result<Vec<OutputFile>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    let options = PagefindServiceConfig::builder()
        .force_language(LANGUAGE.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(err)?;
    for e in entries {
        index
            .add_custom_record(
                e.url,
                e.content,
                LANGUAGE.to_string(),
                Some(e.meta),
                Some(e.filters),
                Some(e.sort),
            )
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
                bytes: f.contents.into(),
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
    fn every_word_is_kept_once() {
        assert_eq!(
            distinct_words("Werk, werk en nog eens WERK: 's-Hertogenbosch (re-integratie)."),
            "Werk en nog eens s-Hertogenbosch re-integratie"
        );
    }

    #[test]
    fn long_text_is_cut_at_a_space() {
        assert_eq!(cut("kort", 10), "kort");
        assert_eq!(cut("één twee drie", 9), "één");
        let long = "wérk ".repeat(100_000);
        let c = cut(&long, MAX_INDEXED_BYTES);
        assert!(c.len() <= MAX_INDEXED_BYTES && c.ends_with("wérk"));
    }
}
