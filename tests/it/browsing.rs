//! Browsing features without a browser: the open data read back and compared with the front
//! matter, drafts kept out of it, the search index and its filters, the search and compare
//! pages, result charts, and the English interface. (`browser.rs` runs them in Chromium.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tempfile::TempDir;

use crate::bundled::build_bundled;
use crate::harness::{copy_dir, fixture, repo, unescape};
use etalage::meta::{BaseMeta, PracticeMeta};
use etalage::Options;

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter of every practice of the bundled site, by slug.
fn front_matter() -> BTreeMap<String, PracticeMeta> {
    let sources = etalage::load_site(&repo()).unwrap();
    let (content, diags) =
        etalage::parse::parse_content(&sources.practices, &sources.awards, &sources.pages);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    content
        .practices
        .into_iter()
        .filter(|p| !p.meta.draft)
        .map(|p| {
            let slug = p.meta.slug.clone().unwrap_or_else(|| p.stem.to_string());
            (slug, Arc::unwrap_or_clone(p.meta))
        })
        .collect()
}

/// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.peek(), Some(&'\n'), "CR without LF"),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last row ends with CRLF"
    );
    rows
}

fn opt_str(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn date(d: &Option<etalage::date::PartialDate>) -> Option<String> {
    d.as_ref().map(ToString::to_string)
}

/// One JSON record against its front matter, field by field.
fn assert_record_matches(slug: &str, r: &Value, m: &PracticeMeta) {
    let ctx = |what: &str| format!("{slug}: {what}");
    assert_eq!(r["slug"], slug);
    assert_eq!(r["title"], m.title.as_str(), "{}", ctx("title"));
    assert_eq!(r["summary"], m.summary.as_str(), "{}", ctx("summary"));
    assert_eq!(
        strings(&r["municipalities"]),
        m.municipality.to_vec(),
        "{}",
        ctx("municipalities")
    );
    if let Some(p) = m.province {
        assert_eq!(r["province"], p.key(), "{}", ctx("province"));
    }
    // Every province of the municipalities, the lead's first, each once.
    let provinces = strings(&r["provinces"]);
    assert_eq!(
        provinces.first(),
        r["province"].as_str().map(String::from).as_ref()
    );
    let mut distinct = provinces.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), provinces.len(), "{}", ctx("provinces"));
    assert_eq!(
        r["period_start"],
        m.period.start.to_string(),
        "{}",
        ctx("period_start")
    );
    assert_eq!(
        opt_str(&r["period_end"]),
        date(&m.period.end),
        "{}",
        ctx("period_end")
    );
    assert_eq!(r["status"], m.status.key(), "{}", ctx("status"));
    let keys = |v: &[etalage::meta::LegalFramework]| -> Vec<String> {
        v.iter().map(|l| l.key().to_string()).collect()
    };
    assert_eq!(
        strings(&r["legal_framework"]),
        keys(&m.legal_framework),
        "{}",
        ctx("legal_framework")
    );
    assert_eq!(
        strings(&r["target_groups"]),
        m.target_groups,
        "{}",
        ctx("target_groups")
    );
    assert_eq!(strings(&r["themes"]), m.themes, "{}", ctx("themes"));
    assert_eq!(
        strings(&r["instruments"]),
        m.instruments,
        "{}",
        ctx("instruments")
    );
    assert_eq!(strings(&r["related"]), m.related, "{}", ctx("related"));
    // Drafts are never published in open data: no record says whether it is one.
    assert!(!m.draft, "{}", ctx("draft"));
    assert!(r.get("draft").is_none(), "{}", ctx("draft"));

    let partners = r["partners"].as_array().unwrap();
    assert_eq!(partners.len(), m.partners.len(), "{}", ctx("partners"));
    for (x, pm) in partners.iter().zip(&m.partners) {
        assert_eq!(x["name"], pm.name.as_str());
        assert_eq!(opt_str(&x["role"]), pm.role.map(|r| r.key().to_string()));
        assert_eq!(opt_str(&x["since"]), date(&pm.since));
        assert_eq!(opt_str(&x["until"]), date(&pm.until));
    }

    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), m.results.len(), "{}", ctx("results"));
    for (x, rm) in results.iter().zip(&m.results) {
        let what = ctx(&format!("result {}", rm.label));
        assert_eq!(opt_str(&x["id"]), rm.id.clone(), "{what}");
        assert_eq!(x["label"], rm.label.as_str(), "{what}");
        assert_eq!(x["value"].as_f64().unwrap(), rm.value, "{what}");
        assert_eq!(x["unit"], rm.unit.key(), "{what}");
        assert_eq!(opt_str(&x["as_of"]), date(&rm.as_of), "{what}");
        assert_eq!(x["method"], rm.method.unwrap_or_default().key(), "{what}");
        assert_eq!(opt_str(&x["source"]), rm.source.clone(), "{what}");
        assert_eq!(opt_str(&x["note"]), rm.note.clone(), "{what}");
        // The base as written, and the rate computed from it.
        let base = match &rm.of {
            None => {
                assert!(x["of"].is_null() && x["base"].is_null(), "{what}");
                assert!(
                    x["computed_rate"].is_null() && x["computed_count"].is_null(),
                    "{what}"
                );
                continue;
            }
            Some(BaseMeta::Number(n)) => {
                assert_eq!(x["of"].as_f64(), Some(*n), "{what}");
                *n
            }
            Some(BaseMeta::Id(id)) => {
                assert_eq!(x["of"], id.as_str(), "{what}");
                let of = m
                    .results
                    .iter()
                    .find(|o| o.id.as_deref() == Some(id))
                    .unwrap();
                assert_eq!(x["base_label"], of.label.as_str(), "{what}");
                of.value
            }
        };
        assert_eq!(x["base"].as_f64(), Some(base), "{what}");
        let round1 = |v: f64| (v * 10.0).round() / 10.0;
        if rm.unit == etalage::meta::Unit::Procent {
            assert_eq!(
                x["computed_count"].as_f64(),
                Some(round1(rm.value * base / 100.0)),
                "{what}"
            );
            assert!(x["computed_rate"].is_null(), "{what}");
        } else {
            assert_eq!(
                x["computed_rate"].as_f64(),
                Some(round1(rm.value / base * 100.0)),
                "{what}"
            );
            assert!(x["computed_count"].is_null(), "{what}");
        }
    }

    let awards = r["awards"].as_array().unwrap();
    assert_eq!(awards.len(), m.awards.len(), "{}", ctx("awards"));
    for (x, am) in awards.iter().zip(&m.awards) {
        assert_eq!(x["award"], am.award.as_str());
        assert_eq!(x["edition"], am.edition.0.as_str());
        assert_eq!(x["rank"], am.rank.key());
        assert_eq!(x["prize_type"], am.prize_type.unwrap_or_default().key());
        if let Some(mo) = &am.motivation {
            assert_eq!(x["motivation"], mo.as_str());
        }
        assert_eq!(opt_str(&x["source"]), am.source.clone());
    }

    let recognitions = r["recognitions"].as_array().unwrap();
    assert_eq!(
        recognitions.len(),
        m.recognitions.len(),
        "{}",
        ctx("recognitions")
    );
    for (x, rm) in recognitions.iter().zip(&m.recognitions) {
        assert_eq!(x["scheme"], rm.scheme.as_str());
        assert_eq!(x["level"], rm.level.as_str());
        assert_eq!(x["body"], rm.body.as_str());
        assert_eq!(x["date"], rm.date.to_string());
        assert_eq!(opt_str(&x["valid_until"]), date(&rm.valid_until));
        assert_eq!(opt_str(&x["source"]), rm.source.clone());
    }

    let sources = r["sources"].as_array().unwrap();
    assert_eq!(sources.len(), m.sources.len(), "{}", ctx("sources"));
    for (x, sm) in sources.iter().zip(&m.sources) {
        assert_eq!(x["id"], sm.id.as_str());
        assert_eq!(x["title"], sm.title.as_str());
        assert_eq!(opt_str(&x["publisher"]), sm.publisher.clone());
        assert_eq!(opt_str(&x["url"]), sm.url.clone());
        assert_eq!(opt_str(&x["published"]), date(&sm.published));
        assert_eq!(opt_str(&x["accessed"]), date(&sm.accessed));
    }

    match &m.contact {
        None => assert!(r["contact"].is_null(), "{}", ctx("contact")),
        Some(c) => {
            assert_eq!(r["contact"]["organisation"], c.organisation.as_str());
            assert_eq!(opt_str(&r["contact"]["email"]), c.email.clone());
            assert_eq!(opt_str(&r["contact"]["url"]), c.url.clone());
        }
    }
}

/// A JSON value as the CSV writes it.
fn as_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(as_cell).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

#[test]
fn open_data_reads_back_as_the_front_matter() {
    let (_tmp, out) = build_bundled();
    let metas = front_matter();
    assert_eq!(metas.len(), 5);

    // JSON: every public practice, each record equal to its front matter and to its own file.
    let json: Value = serde_json::from_str(&read(&out, "data/praktijken.json")).unwrap();
    let records = json.as_array().expect("an array of practices");
    let slugs: Vec<&str> = records
        .iter()
        .map(|r| r["slug"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = metas.keys().map(String::as_str).collect();
    expected.sort_unstable();
    let mut sorted = slugs.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    for r in records {
        let slug = r["slug"].as_str().unwrap();
        assert_record_matches(slug, r, &metas[slug]);
        assert_eq!(
            r["url"],
            format!("https://etalage.example.nl/praktijken/{slug}/")
        );
        let own: Value =
            serde_json::from_str(&read(&out, &format!("data/praktijken/{slug}.json"))).unwrap();
        assert_eq!(&own, r, "{slug}: its own file holds the same record");
    }

    // CSV: one row per practice in the same order, every cell equal to the JSON value, and the
    // main fields checked against the front matter directly.
    let text = read(&out, "data/praktijken.csv");
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    let rows = parse_csv(&text);
    let header = &rows[0];
    assert_eq!(&header[..3], ["slug", "url", "title"]);
    assert_eq!(rows.len(), records.len() + 1);
    assert!(
        rows.iter().all(|r| r.len() == header.len()),
        "every row is as wide as the header"
    );
    for (row, r) in rows[1..].iter().zip(records) {
        let cell = |name: &str| -> &str {
            let i = header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no column {name}"));
            &row[i]
        };
        let slug = r["slug"].as_str().unwrap();
        let m = &metas[slug];
        assert_eq!(cell("slug"), slug);
        assert_eq!(cell("title"), m.title);
        assert_eq!(cell("summary"), m.summary);
        assert_eq!(cell("municipalities"), m.municipality.to_vec().join("; "));
        assert_eq!(cell("period_start"), m.period.start.to_string());
        assert_eq!(cell("themes"), m.themes.join("; "));
        for (i, rm) in m.results.iter().enumerate() {
            let n = i + 1;
            assert_eq!(cell(&format!("result_{n}_label")), rm.label);
            assert_eq!(
                cell(&format!("result_{n}_value")).parse::<f64>().unwrap(),
                rm.value
            );
            assert_eq!(cell(&format!("result_{n}_unit")), rm.unit.key());
        }
        for (i, pm) in m.partners.iter().enumerate() {
            assert_eq!(cell(&format!("partner_{}_name", i + 1)), pm.name);
        }
        // Every column against the JSON record.
        for (name, value) in header.iter().zip(row) {
            let json_value = match name.split_once('_') {
                Some((group, rest))
                    if ["partner", "result", "award", "recognition", "source"].contains(&group)
                        && rest
                            .split('_')
                            .next()
                            .is_some_and(|n| n.parse::<usize>().is_ok()) =>
                {
                    let (n, field) = rest.split_once('_').unwrap();
                    let n: usize = n.parse().unwrap();
                    r[format!("{group}s")][n - 1][field].clone()
                }
                Some(("contact", field)) => r["contact"][field].clone(),
                _ => r[name.as_str()].clone(),
            };
            let expected = match &json_value {
                Value::Number(x) => {
                    assert_eq!(value.parse::<f64>().ok(), x.as_f64(), "{slug} {name}");
                    continue;
                }
                v => as_cell(v),
            };
            assert_eq!(value, &expected, "{slug}: column {name}");
        }
    }
}

/// A CSV column as the data page names it: numbered columns once, `result_1_label` as
/// `result_N_label`.
fn as_documented(column: &str) -> String {
    column
        .split('_')
        .map(|part| {
            if part.parse::<usize>().is_ok() {
                "N"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("_")
}

#[test]
fn the_data_page_documents_every_column_and_describes_the_dataset() {
    let (_tmp, out) = build_bundled();
    let page = read(&out, "data/index.html");
    let header = parse_csv(&read(&out, "data/praktijken.csv")).remove(0);
    for column in &header {
        let documented = as_documented(column);
        assert!(
            page.contains(&format!("<code>{documented}</code>")),
            "{column} is not documented"
        );
    }
    // So is every column of an award edition's entries, with its meaning.
    let entries = parse_csv(&read(&out, "prijzen/werksleutel/2002/inzendingen.csv")).remove(0);
    let section = &page[page.find(r#"id="data-entries""#).expect("entries section")..];
    for column in &entries {
        let documented = as_documented(column);
        let row = format!("<code>{documented}</code></th><td>");
        let at = section
            .find(&row)
            .unwrap_or_else(|| panic!("{column} of inzendingen.csv is not documented"));
        let meaning = &section[at + row.len()..];
        let meaning = &meaning[..meaning.find("</td>").unwrap()];
        assert!(
            meaning.len() > 10 && meaning != documented,
            "{column}: {meaning}"
        );
    }
    let start = page
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD");
    let rest = &page[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let doc: Value = serde_json::from_str(json).unwrap();
    assert_eq!(doc["@type"], "dcat:Dataset");
    assert!(doc["dct:title"]["@value"]
        .as_str()
        .unwrap()
        .contains("Open data"));
    assert_eq!(
        doc["dct:language"]["@id"],
        "http://publications.europa.eu/resource/authority/language/NLD"
    );
    let downloads: Vec<&str> = doc["dcat:distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dcat:downloadURL"]["@id"].as_str().unwrap())
        .collect();
    assert_eq!(
        downloads,
        [
            "https://etalage.example.nl/data/praktijken.json",
            "https://etalage.example.nl/data/praktijken.csv"
        ]
    );
    // Built without a date (the library's default): no `dct:modified`, never a guess.
    assert!(doc["dct:modified"].is_null(), "{}", doc["dct:modified"]);
    // The licence (CC0 1.0 unless site.toml names one): on the page, on the dataset and on
    // every distribution, as DCAT-AP-NL wants it.
    let cc0 = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl";
    assert!(
        unescape(&page).contains(&format!(r#"<a href="{cc0}" rel="license">CC0 1.0</a>"#)),
        "the page names the licence"
    );
    assert_eq!(doc["dct:license"]["@id"], cc0);
    for d in doc["dcat:distribution"].as_array().unwrap() {
        assert_eq!(d["dct:license"]["@id"], cc0);
    }
}

/// The JSON-LD description on the `/data/` page.
fn dcat_of(page: &str) -> Value {
    let start = page
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD");
    let rest = &page[start..];
    serde_json::from_str(&rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()])
        .unwrap()
}

#[test]
fn the_open_data_is_modified_on_the_build_date_and_has_no_draft_field() {
    let site = fixture("drafts/basic");
    let options = Options {
        today: Some("2026-11-25".parse().unwrap()),
        ..Options::default()
    };
    let (out, _) = site.build_to("out", &options);
    let page = read(&out, "data/index.html");
    // DCAT-AP-NL: `dct:modified` is when the dataset last changed; every build makes it anew.
    assert_eq!(dcat_of(&page)["dct:modified"], "2026-11-25");
    let text = unescape(&page);
    assert!(text.contains("<dt>Samengesteld op</dt><dd>25 november 2026</dd>"));
    // The newest date in the data is shown for what it is, not as the date of a change.
    assert!(text.contains("<dt>Meest recente datum in de gegevens</dt><dd>"));
    assert!(!text.contains("Laatst gewijzigd"));
    // Drafts are never published in open data, so there is no `draft` field to read.
    let json: Value = serde_json::from_str(&read(&out, "data/praktijken.json")).unwrap();
    let records = json.as_array().unwrap();
    assert!(!records.is_empty());
    for r in records {
        assert!(r.get("draft").is_none(), "{r}");
        let slug = r["slug"].as_str().unwrap();
        let own: Value =
            serde_json::from_str(&read(&out, &format!("data/praktijken/{slug}.json"))).unwrap();
        assert!(own.get("draft").is_none(), "{slug}");
    }
    let header = parse_csv(&read(&out, "data/praktijken.csv")).remove(0);
    assert!(!header.iter().any(|h| h == "draft"), "{header:?}");
    assert!(!text.contains("<code>draft</code>"));
}

#[test]
fn the_open_data_licence_comes_from_site_toml() {
    let site = fixture("drafts/basic");
    let toml = site.read("site.toml");
    let by = "https://creativecommons.org/licenses/by/4.0/deed.nl";
    site.write(
        "site.toml",
        format!("{toml}\n[data_licence]\nname = \"CC BY 4.0\"\nurl = \"{by}\"\n"),
    );
    let (out, _) = site.build_to("out", &Options::default());
    let page = read(&out, "data/index.html");
    assert!(
        unescape(&page).contains(&format!(r#"<a href="{by}" rel="license">CC BY 4.0</a>"#)),
        "the page names the licence"
    );
    assert!(!unescape(&page).contains("publicdomain/zero"));
    let doc = dcat_of(&page);
    assert_eq!(doc["dct:license"]["@id"], by);
    for d in doc["dcat:distribution"].as_array().unwrap() {
        assert_eq!(d["dct:license"]["@id"], by);
    }
}

#[test]
fn drafts_stay_out_of_the_open_data_and_the_search_index() {
    for drafts in [false, true] {
        let site = fixture("drafts/basic");
        let options = Options {
            drafts,
            ..Options::default()
        };
        let (out, _) = site.build_to("out", &options);
        let json = read(&out, "data/praktijken.json");
        let csv = read(&out, "data/praktijken.csv");
        let filters = read(&out, "zoeken/index.html");
        let entry = read(&out, "pagefind/pagefind-entry.json");
        let pages: u64 = serde_json::from_str::<Value>(&entry).unwrap()["languages"]["nl"]
            ["page_count"]
            .as_u64()
            .unwrap();
        assert_eq!(
            json.contains("verborgen-concept"),
            drafts,
            "JSON, drafts: {drafts}"
        );
        assert_eq!(
            csv.contains("verborgen-concept"),
            drafts,
            "CSV, drafts: {drafts}"
        );
        assert_eq!(
            out.join("data/praktijken/verborgen-concept.json").exists(),
            drafts
        );
        assert_eq!(
            filters.contains("Maastricht"),
            drafts,
            "search filters, drafts: {drafts}"
        );
        assert_eq!(
            pages,
            if drafts { 2 } else { 1 },
            "indexed pages, drafts: {drafts}"
        );
    }
}

#[test]
fn the_search_index_is_dutch_and_covers_every_practice() {
    let (_tmp, out) = build_bundled();
    let entry: Value = serde_json::from_str(&read(&out, "pagefind/pagefind-entry.json")).unwrap();
    let languages = entry["languages"].as_object().unwrap();
    assert_eq!(
        languages.keys().collect::<Vec<_>>(),
        ["nl"],
        "one Dutch index"
    );
    assert_eq!(languages["nl"]["page_count"], 5);
    assert!(out.join("pagefind/pagefind.js").is_file());
    assert!(
        out.join("pagefind/wasm.nl.pagefind").is_file(),
        "the Dutch stemmer"
    );
    assert!(
        !out.join("pagefind/pagefind-ui.js").exists(),
        "Pagefind's own UI is not shipped"
    );
    let fragments = std::fs::read_dir(out.join("pagefind/fragment"))
        .unwrap()
        .count();
    assert_eq!(fragments, 5);
    // The index is built from the typed data: the pages carry nothing for it.
    let practice = read(&out, "praktijken/haarlem-samen/index.html");
    assert!(!practice.contains("data-pagefind"));
}

#[test]
fn the_search_page_has_real_form_controls_and_a_fallback() {
    let (_tmp, out) = build_bundled();
    let page = unescape(&read(&out, "zoeken/index.html"));
    for group in [
        "provincie",
        "gemeente",
        "thema",
        "doelgroep",
        "instrument",
        "prijs",
        "status",
        "startdecennium",
        "resultaten",
    ] {
        assert!(
            page.contains(&format!(r#"data-filter="{group}""#)),
            "no {group} fieldset"
        );
    }
    // Each group folded (its filter index loads when it is opened), a fieldset with a legend.
    assert_eq!(page.matches(r#"<details class="filter-group" "#).count(), 9);
    assert_eq!(page.matches("<fieldset").count(), 9);
    assert_eq!(
        page.matches(r#"<legend class="visually-hidden">"#).count(),
        9
    );
    assert!(page.contains(r#"<summary class="filter-group__summary">Provincie "#));
    assert!(page.contains(r#"name="provincie" value="Overijssel""#));
    assert!(page.contains(r#"<label for="f-provincie-overijssel">Overijssel <span class="filter-count">(<span data-count>2</span>)</span></label>"#));
    assert!(page.contains(r#"name="resultaten" value="gemeten""#));
    assert!(page.contains(r#"aria-live="polite""#));
    assert!(page.contains(r#"<label for="zoekterm""#));
    // Without JavaScript: the facet pages, and the form stays hidden.
    assert!(page.contains("data-search-fallback"));
    assert!(page.contains(r#"<div data-search-app hidden>"#));
    assert!(page.contains(r#"href="/themas/""#));
}

#[test]
fn practice_lists_offer_compare_and_the_compare_page_reads_the_url() {
    let (_tmp, out) = build_bundled();
    let list = unescape(&read(&out, "praktijken/index.html"));
    assert!(list.contains(r#"<form class="compare-form" action="/vergelijk/" method="get""#));
    assert_eq!(
        list.matches(r#"<input type="checkbox" name="p""#).count(),
        5
    );
    let page = unescape(&read(&out, "vergelijk/index.html"));
    assert!(page.contains(r#"id="compare-config""#));
    assert!(page.contains("/static/vergelijk.js"));
    assert!(out.join("static/vergelijk.js").is_file());
    assert!(out.join("static/vergelijk-kiezen.js").is_file());
    assert!(out.join("static/zoeken.js").is_file());
}

/// Each result row of a practice page: its label, whether it has a chart, and its cells' text.
fn result_rows(html: &str) -> Vec<(String, bool, String)> {
    let table = &html[html.find("results-table").unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let label = &row[row.find("<th scope=\"row\">").unwrap() + 16..];
            let label = label[..label.find(['<']).unwrap()].to_string();
            (label, row.contains("<svg class=\"share\""), row.to_string())
        })
        .collect()
}

#[test]
fn results_with_a_base_have_a_build_time_chart_with_the_numbers_in_the_table() {
    let (_tmp, out) = build_bundled();
    let html = read(&out, "praktijken/haarlem-samen/index.html");
    let rows = result_rows(&html);
    let row = |label: &str| rows.iter().find(|r| r.0 == label).unwrap();
    let (_, chart, text) = row("Aan het werk");
    assert!(chart, "a result with a base has a chart");
    assert!(
        text.contains("85 personen") && text.contains("van 238 trajecten"),
        "{text}"
    );
    assert!(
        text.contains(">36%</span>") && text.contains("berekend"),
        "{text}"
    );
    assert!(text.contains(r#"role="img" aria-label="36%""#), "{text}");
    assert!(
        text.contains(r#"width="35.7""#),
        "the bar is drawn to scale: {text}"
    );
    assert!(text.contains("Zelf gerapporteerd"), "the method in words");
    let (_, chart, _) = row("Klanten in het project");
    assert!(!chart, "a result without a base has no chart");
    assert!(
        !html.contains("<script src"),
        "no script needed for the chart"
    );
}

/// A copy of the bundled site with `language = "en"`.
pub(crate) fn english_site() -> (TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("etalage-en-")
        .tempdir()
        .unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    copy_dir(&repo().join("themes"), &root.join("themes"));
    let config = std::fs::read_to_string(repo().join("site.toml"))
        .unwrap()
        .replace("language = \"nl\"", "language = \"en\"");
    assert!(config.contains("language = \"en\""));
    std::fs::write(root.join("site.toml"), config).unwrap();
    let out = tmp.path().join("out");
    etalage::build(&root, Some(&out), &Options::default()).unwrap();
    (tmp, out)
}

#[test]
fn language_en_builds_an_english_interface() {
    let (_tmp, out) = english_site();
    let practice = read(&out, "praktijken/haarlem-samen/index.html");
    assert!(practice.contains(r#"<html lang="en">"#));
    assert!(practice.contains(">Results in figures</h2>") && practice.contains(">Key facts</h2>"));
    assert!(practice.contains("Social Assistance Act (Abw)"));
    assert!(practice.contains(">Self-reported") || practice.contains("Self-reported"));
    let search = read(&out, "zoeken/index.html");
    assert!(
        search.contains("<h1>Search</h1>")
            && search.contains(r#"<legend class="visually-hidden">Province</legend>"#)
    );
    let compare = read(&out, "vergelijk/index.html");
    assert!(compare.contains("<h1>Compare practices</h1>"));
    let data = read(&out, "data/index.html");
    assert!(data.contains("CSV column"));

    // No Dutch interface string where English differs, on the pages this feature adds.
    let nl: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo().join("themes/default/i18n/nl.toml")).unwrap(),
    )
    .unwrap();
    let en: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo().join("themes/default/i18n/en.toml")).unwrap(),
    )
    .unwrap();
    let pages = [&search, &compare, &data];
    for section in [
        "search",
        "search_filter",
        "compare",
        "data",
        "data_kind",
        "data_field",
    ] {
        for (key, text) in nl[section].as_table().unwrap() {
            let (text, english) = (text.as_str().unwrap(), en[section][key].as_str().unwrap());
            if text == english || text.len() < 8 || english.contains(text) {
                continue;
            }
            let escaped = text.replace('\'', "&#x27;").replace('"', "&quot;");
            for page in pages {
                assert!(
                    !page.contains(text) && !page.contains(&escaped),
                    "Dutch `{section}.{key}` on an English page"
                );
            }
        }
    }
}

#[test]
fn every_interface_string_has_an_english_translation() {
    let read_table = |lang: &str| -> toml::Table {
        toml::from_str(
            &std::fs::read_to_string(repo().join(format!("themes/default/i18n/{lang}.toml")))
                .unwrap(),
        )
        .unwrap()
    };
    let (nl, en) = (read_table("nl"), read_table("en"));
    let mut missing = Vec::new();
    for (section, keys) in &nl {
        for key in keys.as_table().unwrap().keys() {
            if en.get(section).and_then(|s| s.get(key)).is_none() {
                missing.push(format!("{section}.{key}"));
            }
        }
    }
    assert!(missing.is_empty(), "not in en.toml: {}", missing.join(", "));
}

#[test]
fn a_site_without_search_has_no_index_no_search_page_and_no_link_to_it() {
    let site = fixture("search/off");
    let out = site.root.parent().unwrap().join("out");
    etalage::build(&site.root, Some(&out), &Options::default()).unwrap();
    assert!(!out.join("pagefind").exists(), "a search index");
    assert!(!out.join("zoeken").exists(), "a search page");
    let home = read(&out, "index.html");
    let practice = read(&out, "praktijken/haarlem-samen/index.html");
    for (name, html) in [("home", &home), ("practice", &practice)] {
        assert!(!html.contains("zoeken/"), "the {name} page links to search");
        assert!(
            html.contains("praktijken/"),
            "the {name} page has its navigation"
        );
    }
    // The rest of the site is there: the facet pages a search would offer, the open data.
    for page in [
        "themas/index.html",
        "gemeenten/haarlem/index.html",
        "data/praktijken.json",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
}
