//! The content is Dutch whatever the interface's language: with `language = "en"` every piece
//! of content on every page (titles, summaries, bodies, result labels, partner names, award
//! titles, page titles) sits in an element marked `lang="nl"` (WCAG 3.1.2), and the open data
//! describes a Dutch dataset. In a Dutch interface nothing is marked twice. And no interface
//! string's key ever reaches a page in place of its text.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::browsing::english_site;
use crate::bundled::build_bundled;
use crate::harness::{html_files, repo, unescape};

/// Elements without content or end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Each text run of `html`'s body, trimmed, with the language in force there (the `lang` of
/// the nearest element that has one), and whether it is inside `<code>`. Scripts and styles
/// are skipped. The pages are generated, so tags are well formed.
fn texts_with_lang(html: &str) -> Vec<(String, String, bool)> {
    static LANG: OnceLock<Regex> = OnceLock::new();
    let lang_re = LANG.get_or_init(|| Regex::new(r#"\slang="([^"]*)""#).unwrap());
    let root_lang = lang_re
        .captures(&html[html.find("<html").unwrap()..])
        .map(|c| c[1].to_string())
        .unwrap();
    let mut stack: Vec<(String, String)> = vec![("html".into(), root_lang)];
    let mut out = Vec::new();
    let mut rest = &html[html.find("<body").unwrap()..];
    while let Some(open) = rest.find('<') {
        let text = unescape(rest[..open].trim());
        if !text.is_empty() {
            let (_, lang) = stack.last().unwrap();
            let in_code = stack.iter().any(|(tag, _)| tag == "code");
            out.push((text, lang.clone(), in_code));
        }
        rest = &rest[open..];
        let close = rest.find('>').unwrap();
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if let Some(i) = stack.iter().rposition(|(t, _)| t == name) {
                stack.truncate(i);
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "script" || name == "style" {
            let end = format!("</{name}>");
            rest = &rest[rest.find(&end).unwrap() + end.len()..];
            continue;
        }
        if name.is_empty() || tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        let lang = lang_re
            .captures(tag)
            .map_or_else(|| stack.last().unwrap().1.clone(), |c| c[1].to_string());
        stack.push((name, lang));
    }
    out
}

/// The content texts of the bundled site: what its writers wrote, in Dutch.
fn content_texts() -> BTreeSet<String> {
    let sources = etalage::load_site(&repo()).unwrap();
    let (content, _) =
        etalage::parse::parse_content(&sources.practices, &sources.awards, &sources.pages);
    let mut texts = BTreeSet::new();
    for p in &content.practices {
        let m = &p.meta;
        texts.insert(m.title.clone());
        texts.insert(m.summary.clone());
        texts.extend(m.partners.iter().map(|x| x.name.clone()));
        texts.extend(m.results.iter().map(|r| r.label.clone()));
        texts.extend(m.sources.iter().map(|s| s.title.clone()));
    }
    for a in &content.awards {
        texts.insert(a.meta.title.clone());
    }
    for page in &content.pages {
        texts.insert(page.meta.title.clone());
    }
    texts
}

#[test]
fn an_english_interface_marks_every_piece_of_content_as_dutch() {
    let (_tmp, out) = english_site();
    let content = content_texts();
    let pages = html_files(&out);
    let mut unmarked = BTreeSet::new();
    let mut marked = 0;
    for (path, html) in &pages {
        assert!(html.contains(r#"<html lang="en">"#), "{path}");
        for (text, lang, _) in texts_with_lang(html) {
            if content.contains(&text) {
                if lang == "nl" {
                    marked += 1;
                } else {
                    unmarked.insert(format!("{path}: `{text}` in lang={lang}"));
                }
            }
        }
    }
    assert!(marked > 100, "only {marked} content texts found");
    assert!(
        unmarked.is_empty(),
        "content not marked as Dutch:\n{}",
        unmarked.into_iter().collect::<Vec<_>>().join("\n")
    );
    // Bodies are content as a whole; interface words stay English.
    let practice = &pages["praktijken/haarlem-samen/index.html"];
    assert!(practice.contains(r#"<div class="prose" lang="nl">"#));
    assert!(practice.contains(r#"<h2 id="p-resultaten">Results in figures</h2>"#));
    let dossier = &pages["praktijken/haarlem-samen/dossier/index.html"];
    assert!(dossier.contains(r#"<div class="prose" lang="nl">"#));
    // In the head too: a title and description that are content are marked as Dutch (what a
    // search engine or screen reader's tab list reads), interface ones are not.
    let description = Regex::new(r#"<meta name="description" content="[^"]*"( lang="nl")?>"#);
    let description_lang = |html: &str| {
        let found = description
            .as_ref()
            .unwrap()
            .captures(html)
            .expect("a description");
        found.get(1).is_some()
    };
    for page in ["index.html", "praktijken/haarlem-samen/index.html"] {
        let html = &pages[page];
        assert!(html.contains(r#"<title lang="nl">"#), "{page}");
        assert!(description_lang(html), "{page}");
    }
    let list = &pages["praktijken/index.html"];
    assert!(list.contains("<title>Practices"), "{list}");
    assert!(!description_lang(list));
}

#[test]
fn a_dutch_interface_marks_nothing_twice() {
    let (_tmp, out) = build_bundled();
    for (path, html) in html_files(&out) {
        assert_eq!(
            html.matches(" lang=").count(),
            1,
            "{path}: only <html lang>"
        );
        assert!(html.contains(r#"<html lang="nl">"#), "{path}");
    }
}

/// The JSON-LD documents of a page.
fn jsonld(html: &str) -> Vec<Value> {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    html.match_indices(OPEN)
        .map(|(i, _)| {
            let body = &html[i + OPEN.len()..];
            serde_json::from_str(&body[..body.find("</script>").unwrap()]).unwrap()
        })
        .collect()
}

#[test]
fn the_open_data_is_a_dutch_dataset_in_either_interface() {
    const NLD: &str = "http://publications.europa.eu/resource/authority/language/NLD";
    let (_nl_tmp, nl) = build_bundled();
    let (_en_tmp, en) = english_site();
    for (out, ui) in [(&nl, "nl"), (&en, "en")] {
        let page = std::fs::read_to_string(out.join("data/index.html")).unwrap();
        let doc = &jsonld(&page)[0];
        assert_eq!(doc["dct:language"]["@id"], NLD, "{ui}");
        for d in doc["dcat:distribution"].as_array().unwrap() {
            assert_eq!(d["dct:language"]["@id"], NLD, "{ui}");
        }
        // Title, description and keywords are in the interface's language, and say so.
        assert_eq!(doc["dct:description"]["@language"], ui);
        for k in doc["dcat:keyword"].as_array().unwrap() {
            assert_eq!(k["@language"], ui);
        }
        let practice =
            std::fs::read_to_string(out.join("praktijken/haarlem-samen/index.html")).unwrap();
        assert_eq!(jsonld(&practice)[0]["inLanguage"], "nl", "{ui}");
        let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
        assert!(feed.contains(r#"xml:lang="nl""#), "{ui}");
    }
    let keywords = |out: &Path| -> Vec<String> {
        let page = std::fs::read_to_string(out.join("data/index.html")).unwrap();
        jsonld(&page)[0]["dcat:keyword"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["@value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(keywords(&nl), ["werk", "re-integratie", "goede praktijken"]);
    assert_eq!(keywords(&en), ["work", "reintegration", "good practices"]);
}

/// Every `section.key` of the theme's interface strings.
fn interface_keys() -> Vec<(String, String)> {
    let table: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo().join("themes/default/i18n/nl.toml")).unwrap(),
    )
    .unwrap();
    table
        .iter()
        .flat_map(|(section, keys)| {
            keys.as_table()
                .unwrap()
                .keys()
                .map(|k| (section.clone(), k.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every string in a JSON value, with where it is.
fn json_strings(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((at.to_string(), s.clone())),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| json_strings(x, &format!("{at}[{i}]"), out)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| json_strings(x, &format!("{at}.{k}"), out)),
        _ => {}
    }
}

/// What a page says that could be an interface string: its text outside `<code>` and every
/// string of its JSON (JSON-LD, and the configuration of the search and compare scripts).
fn page_strings(html: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = texts_with_lang(html)
        .into_iter()
        .filter(|(_, _, in_code)| !in_code)
        .map(|(text, _, _)| ("text".to_string(), text))
        .collect();
    for doc in jsonld(html) {
        json_strings(&doc, "json-ld", &mut out);
    }
    for id in ["compare-config", "search-strings"] {
        let open = format!(r#"<script type="application/json" id="{id}">"#);
        if let Some(i) = html.find(&open) {
            let body = &html[i + open.len()..];
            let doc: Value =
                serde_json::from_str(&body[..body.find("</script>").unwrap()]).unwrap();
            json_strings(&doc, id, &mut out);
        }
    }
    out
}

#[test]
fn no_interface_key_reaches_a_page_in_place_of_its_text() {
    // A key looks like `keyword_work`; the open-data field names (`data_field`) are also the
    // data's column names, shown as such in `<code>`.
    let shaped = Regex::new(r"^[a-z]+(_[a-z0-9]+)+$").unwrap();
    let keys: BTreeSet<String> = interface_keys()
        .into_iter()
        .filter(|(section, key)| section != "data_field" && shaped.is_match(key))
        .map(|(_, key)| key)
        .collect();
    let (_nl_tmp, nl) = build_bundled();
    let (_en_tmp, en) = english_site();
    let mut leaks = Vec::new();
    for out in [&nl, &en] {
        for (path, html) in html_files(out) {
            for (at, s) in page_strings(&html) {
                let words: Vec<&str> = s
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .collect();
                if shaped.is_match(&s) || words.iter().any(|w| keys.contains(*w)) {
                    leaks.push(format!("{path} ({at}): {s}"));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "interface keys on pages:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn every_interface_string_the_code_asks_for_exists() {
    let keys: BTreeSet<(String, String)> = interface_keys().into_iter().collect();
    let call = Regex::new(r#"(?:\bt\(ctx|\.get)\(\s*"([a-z_]+)",\s*"([a-z0-9_-]+)"\s*\)"#).unwrap();
    let call_ctx = Regex::new(r#"\bt\(\s*ctx,\s*"([a-z_]+)",\s*"([a-z0-9_-]+)"\s*\)"#).unwrap();
    let lists = Regex::new(r#"section_json\(\s*ctx,\s*"([a-z_]+)",\s*&\[([^\]]*)\]"#).unwrap();
    let quoted = Regex::new(r#""([a-z0-9_-]+)""#).unwrap();
    let mut asked = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src/render")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let code = std::fs::read_to_string(entry.path()).unwrap();
        for c in call
            .captures_iter(&code)
            .chain(call_ctx.captures_iter(&code))
        {
            asked.push((c[1].to_string(), c[2].to_string()));
        }
        for c in lists.captures_iter(&code) {
            for k in quoted.captures_iter(&c[2]) {
                asked.push((c[1].to_string(), k[1].to_string()));
            }
        }
    }
    assert!(asked.len() > 50, "only {} lookups found", asked.len());
    let missing: Vec<String> = asked
        .iter()
        .filter(|k| !keys.contains(*k))
        .map(|(s, k)| format!("{s}.{k}"))
        .collect();
    assert!(missing.is_empty(), "not in nl.toml: {}", missing.join(", "));
}
