//! Every page kind of a small site (three practices, one award, one page), snapshotted, plus
//! properties every page must have: Dutch, one `h1`, a skip link first, Dutch number and date
//! formatting, resolved Markdown links, and no script from content reaching the output.

use std::path::PathBuf;
use std::sync::OnceLock;

use insta::assert_snapshot;
use regex::Regex;

use crate::harness::{broken_internal_links, fixture, html_files, links, normalize, Site};
use etalage::Options;

fn built() -> (Site, PathBuf) {
    let site = fixture("pages/small");
    let (out, _) = site.build_to("out", &Options::default());
    (site, out)
}

fn read(out: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

macro_rules! page_snapshots {
    ($($name:ident => $path:literal,)+) => {
        $(
            #[test]
            fn $name() {
                let (_site, out) = built();
                assert_snapshot!(normalize(&read(&out, $path)));
            }
        )+
    };
}

page_snapshots! {
    home => "index.html",
    practice_list => "praktijken/index.html",
    practice_page => "praktijken/haarlem-samen/index.html",
    facet_index => "themas/index.html",
    facet_term => "themas/matching/index.html",
    awards_index => "prijzen/index.html",
    award_page => "prijzen/werksleutel/index.html",
    edition_page => "prijzen/werksleutel/2002/index.html",
    plain_page => "over-deze-site/index.html",
    not_found => "404.html",
    feed => "feed.xml",
    sitemap => "sitemap.xml",
    robots => "robots.txt",
}

/// The first element a keyboard user reaches, from `<body>` on.
fn first_focusable(html: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"<(?:a|button|input|select|textarea|summary|iframe)\b[^>]*>|<[a-z]+\b[^>]*\stabindex="[0-9]+"[^>]*>"#)
            .unwrap()
    });
    let body = &html[html.find("<body")?..];
    re.find(body).map(|m| m.as_str().to_string())
}

#[test]
fn every_page_is_dutch_with_one_h1_and_the_skip_link_first() {
    let (_site, out) = built();
    let pages = html_files(&out);
    assert!(pages.len() > 30, "{}", pages.len());
    for (path, html) in &pages {
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(
            html.contains(r#"<html lang="nl">"#),
            "{path}: no lang=\"nl\""
        );
        let h1s = html.matches("<h1>").count() + html.matches("<h1 ").count();
        assert_eq!(h1s, 1, "{path} has {h1s} h1 elements");
        let first = first_focusable(html).unwrap_or_default();
        assert!(
            first.contains("skip-link") && first.contains(r##"href="#inhoud""##),
            "{path}: the first focusable element is {first:?}"
        );
        assert!(
            html.contains(r#"id="inhoud""#),
            "{path}: the skip link target is missing"
        );
    }
    let broken = broken_internal_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The table row of the result labelled `label`.
fn result_row<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html
        .find(&format!(">{label}<"))
        .unwrap_or_else(|| panic!("no result {label}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[test]
fn numbers_dates_and_computed_rates_read_dutch() {
    let (_site, out) = built();
    let haarlem = read(&out, "praktijken/haarlem-samen/index.html");
    assert!(haarlem.contains("1.550 uitkeringen"), "thousands separator");
    assert!(!haarlem.contains("1550 uitkeringen"));
    assert!(haarlem.contains("24 maart 2009"), "Dutch date");
    // 85 of the 238 closed trajectories: 36%, computed by the site.
    let row = result_row(&haarlem, "Aan het werk");
    assert!(row.contains("36%"), "{row}");
    assert!(
        row.contains("berekend"),
        "the computed rate is not marked: {row}"
    );
    assert!(row.contains("238"), "the base is shown: {row}");
    // A stated count has no computed value.
    let row = result_row(&haarlem, "Klanten in het project");
    assert!(!row.contains("berekend"), "{row}");
    // 40% of 150: the site computes the count, 60.
    let lelystad = read(&out, "praktijken/intensieve-aanpak-lelystad/index.html");
    let row = result_row(&lelystad, "Uitstroom naar werk");
    assert!(row.contains("40%") && row.contains("60"), "{row}");
    assert!(row.contains("berekend"), "{row}");
}

#[test]
fn markdown_links_by_file_name_resolve_to_slugs() {
    let (_site, out) = built();
    let haarlem = read(&out, "praktijken/haarlem-samen/index.html");
    let prose = |html: &str| -> Vec<String> {
        let start = html.find(r#"<div class="prose">"#).expect("no prose");
        links(&html[start..])
    };
    // lelystad-aanpak.md has `slug: intensieve-aanpak-lelystad`.
    let body = prose(&haarlem);
    assert_eq!(
        body[0], "/praktijken/intensieve-aanpak-lelystad/",
        "{body:?}"
    );
    assert_eq!(body[1], "/prijzen/werksleutel/", "{body:?}");
    assert!(links(&haarlem).iter().all(|l| !l.contains(".md")));
    let lelystad = read(&out, "praktijken/intensieve-aanpak-lelystad/index.html");
    assert_eq!(prose(&lelystad)[0], "/praktijken/haarlem-samen/#aanpak");
    let page = read(&out, "over-deze-site/index.html");
    assert_eq!(prose(&page)[0], "/praktijken/haarlem-samen/");
    // A body `# heading` is demoted: the page title stays the only h1.
    assert!(haarlem.contains(r#"<h2 id="aanleiding">Aanleiding</h2>"#));
}

/// The (lowercased) name of every attribute of every start tag in `html`, with its tag name.
/// Quoted values are skipped, so escaped text in them cannot look like an attribute.
fn attributes(html: &str) -> Vec<(String, String)> {
    static TAG: OnceLock<Regex> = OnceLock::new();
    static ATTR: OnceLock<Regex> = OnceLock::new();
    let value = r#"(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?"#;
    let tag = TAG.get_or_init(|| {
        Regex::new(&format!(
            r#"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+{value})*)\s*/?>"#
        ))
        .unwrap()
    });
    let attr = ATTR.get_or_init(|| Regex::new(&format!(r#"\s+([^\s=>/]+){value}"#)).unwrap());
    let mut out = Vec::new();
    for t in tag.captures_iter(html) {
        for a in attr.captures_iter(&t[2]) {
            out.push((t[1].to_lowercase(), a[1].to_lowercase()));
        }
    }
    out
}

/// `html` without the theme's own scripts (`<script src=".../static/x.js" defer>`) and the JSON
/// data they read (`<script type="application/json" id="...">`), and that JSON.
fn split_theme_scripts(html: &str) -> (String, Vec<String>) {
    static FILE: OnceLock<Regex> = OnceLock::new();
    static DATA: OnceLock<Regex> = OnceLock::new();
    let file = FILE.get_or_init(|| {
        Regex::new(r#"<script src="[^"<>]*static(?:/|&#x2F;)[a-z-]+\.js" defer></script>"#).unwrap()
    });
    let data = DATA.get_or_init(|| {
        Regex::new(r#"(?s)<script type="application/json" id="[a-z-]+">(.*?)</script>"#).unwrap()
    });
    let payloads = data.captures_iter(html).map(|c| c[1].to_string()).collect();
    let html = data.replace_all(html, "");
    (file.replace_all(&html, "").into_owned(), payloads)
}

/// `html` without its JSON-LD blocks, and the JSON-LD payloads.
fn split_jsonld(html: &str) -> (String, Vec<String>) {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    let mut rest = html;
    let mut outside = String::new();
    let mut payloads = Vec::new();
    while let Some(i) = rest.find(OPEN) {
        outside.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let end = after.find("</script>").expect("unclosed JSON-LD");
        payloads.push(after[..end].to_string());
        rest = &after[end + "</script>".len()..];
    }
    outside.push_str(rest);
    (outside, payloads)
}

#[test]
fn scripts_from_content_never_reach_the_output() {
    let (_site, out) = built();
    for (path, bytes) in crate::harness::tree(&out) {
        // Open data (`data/`), the search index and the theme's scripts are no pages: the data
        // holds the text as written, for machines.
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (text, data) = split_theme_scripts(&text);
        for d in data {
            assert!(
                !d.contains("</"),
                "{path}: script data can close its element: {d}"
            );
            serde_json::from_str::<serde_json::Value>(&d)
                .unwrap_or_else(|e| panic!("{path}: script data is not JSON: {e}"));
        }
        let (outside, payloads) = split_jsonld(&text);
        let lower = outside.to_lowercase();
        assert!(!lower.contains("<script"), "{path}: a script element");
        assert!(!lower.contains("javascript:"), "{path}: a script URL");
        assert!(
            !lower.contains("<img src=x"),
            "{path}: raw markup from front matter"
        );
        for (tag, attribute) in attributes(&outside) {
            assert!(
                !attribute.starts_with("on"),
                "{path}: an event handler attribute `{attribute}` on <{tag}>"
            );
        }
        for link in links(&outside) {
            assert!(
                !link.to_lowercase().trim().starts_with("javascript"),
                "{path}: {link}"
            );
        }
        for p in payloads {
            assert!(
                !p.contains("</"),
                "{path}: JSON-LD can close its script element: {p}"
            );
            let json: serde_json::Value = serde_json::from_str(&p)
                .unwrap_or_else(|e| panic!("{path}: JSON-LD is not JSON: {e}"));
            assert!(
                json.get("@context").is_some(),
                "{path}: JSON-LD without @context"
            );
            // Written as a JSON value writes it: keys sorted, compact, `<`, `>`, `&` escaped
            // (practice pages write theirs from typed structs in that order).
            let canonical = json
                .to_string()
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026");
            assert_eq!(p, canonical, "{path}: JSON-LD not in its canonical form");
        }
    }
    let haarlem = read(&out, "praktijken/haarlem-samen/index.html");
    assert!(
        haarlem.contains("Klik hier"),
        "the text of a sanitised element stays"
    );
    assert!(
        haarlem.contains("verdachte link"),
        "the text of a neutralised link stays"
    );
    let zwolle = read(&out, "praktijken/zwolle-werkloket/index.html");
    assert!(zwolle.contains(
        "<h1>Werkloket &lt;script&gt;alert(&quot;titel&quot;)&lt;&#x2F;script&gt; Zwolle</h1>"
    ));
    assert!(zwolle.contains(
        "één loket &lt;script&gt;alert(&quot;fm&quot;)&lt;&#x2F;script&gt; in Zwolle &amp; Hattem."
    ));
    assert!(zwolle.contains("Gemeente Zwolle &lt;img src=x onerror=alert(1)&gt;"));
    let feed = read(&out, "feed.xml");
    assert!(feed.contains("Werkloket &lt;script&gt;alert(&quot;titel&quot;)&lt;/script&gt; Zwolle"));
}

#[test]
fn front_matter_cannot_break_out_of_the_jsonld_script() {
    let site = fixture("pages/jsonld-comment");
    let (out, _) = site.build_to("out", &Options::default());
    let html = read(&out, "praktijken/zwolle/index.html");
    let (outside, payloads) = split_jsonld(&html);
    assert_eq!(payloads.len(), 1);
    // In a script element, `<!--` followed by `<script` makes the parser skip the element's own
    // `</script>`: the body becomes script text. JSON may spell `<` as `\u003c`.
    assert!(
        !payloads[0].contains("<!--") && !payloads[0].to_lowercase().contains("<script"),
        "JSON-LD holds markup that changes how the script element ends: {}",
        payloads[0]
    );
    assert!(outside.contains("<h1>Werkloket Zwolle</h1>"));
}

#[test]
fn the_attribute_scanner_finds_handlers_but_not_escaped_text() {
    let found = attributes(r#"<p class="a" onclick="x()">t</p><img src=x onerror=alert(1)>"#);
    assert!(found.contains(&("p".into(), "onclick".into())), "{found:?}");
    assert!(
        found.contains(&("img".into(), "onerror".into())),
        "{found:?}"
    );
    let escaped = attributes(r#"<meta content="a &lt;img src=x onerror=alert(1)&gt;">"#);
    assert_eq!(escaped, vec![("meta".to_string(), "content".to_string())]);
}

#[test]
fn a_practice_in_two_provinces_is_found_under_both() {
    let (_site, out) = built();
    // Zwolle lies in Overijssel, Hattem in Gelderland.
    for province in ["overijssel", "gelderland"] {
        let list = read(&out, &format!("provincies/{province}/index.html"));
        assert!(
            list.contains("praktijken&#x2F;zwolle-werkloket"),
            "{province}"
        );
    }
    let page = read(&out, "praktijken/zwolle-werkloket/index.html");
    assert!(page.contains("<dt>Provincies</dt>"), "{page}");
    // The open data lists both, the lead's first, in the JSON and in the CSV.
    let record: serde_json::Value =
        serde_json::from_str(&read(&out, "data/praktijken/zwolle-werkloket.json")).unwrap();
    assert_eq!(record["province"], "Overijssel");
    assert_eq!(
        record["provinces"],
        serde_json::json!(["Overijssel", "Gelderland"])
    );
    let csv = read(&out, "data/praktijken.csv");
    assert!(csv.contains(",Overijssel,Overijssel; Gelderland,"), "{csv}");
    let dossier = read(&out, "praktijken/zwolle-werkloket/dossier/index.html");
    assert!(
        dossier.contains("<dd>Zwolle (Overijssel); Hattem (Gelderland)</dd>"),
        "{dossier}"
    );
}
