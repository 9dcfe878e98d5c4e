//! Juries: the edition page, its CSV, the printable dossier, the jury-only build and the
//! guarantee that the public build never shows an entry that is not public yet.
//!
//! The fixture `jury/edition` has one award (Werksleutel, editions 2002 and 2003) with three
//! public entries in 2002 (Zwolle wins, Haarlem second, Lelystad an honourable mention without
//! results), one unpublished entry in 2002 (`geheime-inzending`, with a stale result, a result
//! from another legal framework and one without source) and two drafts the 2002 jury must not
//! see: one entering nothing, one entering 2003.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use insta::assert_snapshot;

use crate::harness::{assert_warning_at, fixture, html_files, lines, links, tree, Site};
use etalage::jury::JuryScope;
use etalage::meta::{BaseMeta, PracticeMeta};
use etalage::Options;

const EDITION: &str = "prijzen/werksleutel/2002/index.html";
const CSV: &str = "prijzen/werksleutel/2002/inzendingen.csv";

/// What only the 2002 jury may see: the unpublished entry's slug, title, partner, body text,
/// and its motivation kept in the award file.
const JURY_ONLY: &[&str] = &[
    "geheime-inzending",
    "Geheime Inzending Frobnitz",
    "Frobnitz",
    "Frobozz",
    "Gnusto",
];

/// What nobody may see: drafts outside the jury's edition.
const NEVER: &[&str] = &["los-concept", "Quuxley", "ander-jaar", "Plover"];

fn jury() -> Options {
    Options {
        jury: Some("werksleutel/2002".parse::<JuryScope>().unwrap()),
        ..Options::default()
    }
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("the end of main") + "</main>".len();
    &html[start..end]
}

/// Elements that break text into separate lines or cells.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "dt",
    "dd",
    "th",
    "td",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "div",
    "br",
    "ul",
    "ol",
    "section",
    "header",
    "caption",
    "blockquote",
    "table",
    "article",
    "nav",
    "main",
];

/// Text as a reader sees it: tags dropped (blocks apart), references decoded, spaces collapsed.
pub(crate) fn text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start + 1..end.saturating_sub(1)];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if BLOCKS.contains(&name) {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    crate::harness::unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file of `dir` that mentions one of `marks`, as `path: mark`.
fn mentions(dir: &Path, marks: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in tree(dir) {
        let text = String::from_utf8_lossy(&bytes);
        for mark in marks {
            if path.contains(mark) || text.contains(mark) {
                found.push(format!("{path}: {mark}"));
            }
        }
    }
    found
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF row ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CR without LF"),
            (false, '\n') => panic!("a bare LF ends a row; rows end in CRLF"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last row has no CRLF"
    );
    rows
}

/// The front matter of a fixture practice, read with serde_yaml on its own.
fn front_matter(site: &Site, slug: &str) -> PracticeMeta {
    let text = site.read(&format!("content/practices/{slug}.md"));
    let yaml = text.split("---\n").nth(1).unwrap();
    serde_yaml::from_str(yaml).unwrap()
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

#[test]
fn edition_page_shows_the_edition_its_entries_by_rank_and_the_side_by_side_table() {
    let site = fixture("jury/edition");
    let (out, _) = site.build_to("out", &Options::default());
    let html = read(&out, EDITION);
    let page = text(main_of(&html));
    for expected in [
        "Werksleutel 2002",
        "Datum 14 november 2002",
        "Locatie Nieuwspoort, Den Haag",
        "Juryvoorzitter Johan Stekelenburg",
        "Jury Anna de Vries, Bert Jansen",
        "3 inzendingen op deze site. Deze site kent alleen de inzendingen hieronder",
        "Ingezonden door een gemeente of UWV – ja",
        "Doordacht 2 –",
        // Haarlem's figures, each with its base and the computed rate.
        "Trajecten afgesloten: 238 trajecten van 280 personen (klanten in het project) (85%, berekend)",
        "Aan het werk: 85 personen van 238 trajecten (trajecten afgesloten) (36%, berekend)",
        // A percentage is shown rounded (the CSV keeps 72.5), with its base and computed count.
        "Tevreden klanten: 73% van 280 personen (klanten in het project) (≈ 203 personen, berekend)",
        // The motivation the award file keeps for Zwolle.
        "Eén loket voor alle werkgevers in de regio.",
        "Alle inzendingen naast elkaar",
        "Externe evaluatie",
        "Alle inzendingen als CSV-bestand",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in:\n{page}");
    }
    // Groups by rank, best first; the table lists the entries in the same order.
    let order: Vec<usize> = ["Winnaars", "Tweede prijs", "Eervolle vermeldingen"]
        .iter()
        .map(|h| {
            html.find(&format!(">{h}</h2>"))
                .unwrap_or_else(|| panic!("{h}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // A winner is known and the award says nothing about this edition: no note of either.
    assert!(!page.contains("Welke inzending de eerste prijs won"));
    assert!(!page.contains("Over deze editie"));
    // The criteria are not marked as derived by the editors.
    assert!(!page.contains("afgeleid door de redactie"));
    // 2003: no entry this site knows, so no known winner either; said in so many words.
    let later = text(main_of(&read(&out, "prijzen/werksleutel/2003/index.html")));
    assert!(
        later.contains("0 inzendingen op deze site.")
            && later.contains(
                "Welke inzending de eerste prijs won, staat niet in de bronnen van deze site."
            ),
        "{later}"
    );
    let table = &html[html.find("entries-table").unwrap()..];
    let rows: Vec<usize> = [
        "Werkloket Zwolle",
        "Project SAMEN",
        "Intensieve aanpak Lelystad",
    ]
    .iter()
    .map(|t| table.find(t).unwrap())
    .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
    let hrefs = links(&html);
    assert!(hrefs.contains(&"/prijzen/werksleutel/2002/inzendingen.csv".to_string()));
    assert!(hrefs.contains(&"/praktijken/haarlem-samen/dossier/".to_string()));
    // The jury's warnings belong to the jury build only.
    assert!(!html.contains("Aandachtspunten"));
    // The award page lists the prize winners, best first.
    let award = text(main_of(&read(&out, "prijzen/werksleutel/index.html")));
    assert!(
        award.contains("Prijswinnaars: Werkloket Zwolle (Winnaar), Project SAMEN (2e prijs)"),
        "{award}"
    );
}

#[test]
fn edition_csv_parses_back_to_the_front_matter() {
    let site = fixture("jury/edition");
    let (out, _) = site.build_to("out", &Options::default());
    let bytes = fs::read(out.join(CSV)).unwrap();
    let csv = String::from_utf8(bytes).expect("UTF-8");
    assert!(!csv.starts_with('\u{feff}'), "no byte-order mark");
    let rows = parse_csv(&csv);
    let header = &rows[0];
    assert_eq!(&header[..4], ["award", "edition", "practice", "slug"]);
    assert!(rows.iter().all(|r| r.len() == header.len()), "ragged rows");
    let records: Vec<BTreeMap<&str, &str>> = rows[1..]
        .iter()
        .map(|r| {
            header
                .iter()
                .map(String::as_str)
                .zip(r.iter().map(String::as_str))
                .collect()
        })
        .collect();
    let slugs: Vec<&str> = records.iter().map(|r| r["slug"]).collect();
    assert_eq!(slugs, ["zwolle-loket", "haarlem-samen", "lelystad-aanpak"]);
    // Haarlem has the most results: the header holds exactly that many result groups.
    assert!(header.contains(&"result_4_source_url".to_string()));
    assert!(!header.iter().any(|h| h.starts_with("result_5_")));

    for record in &records {
        let meta = front_matter(&site, record["slug"]);
        assert_eq!(record["practice"], meta.title);
        assert_eq!(
            record["municipalities"],
            meta.municipality.to_vec().join("; ")
        );
        assert_eq!(record["period_start"], meta.period.start.to_string());
        let entry = meta
            .awards
            .iter()
            .find(|a| a.award == "werksleutel")
            .unwrap();
        assert_eq!(record["rank"], entry.rank.key());
        assert_eq!(record["results"], meta.results.len().to_string());
        let value = |key: &str| -> f64 {
            meta.results
                .iter()
                .find(|r| r.id.as_deref() == Some(key))
                .map(|r| r.value)
                .unwrap()
        };
        for (i, r) in meta.results.iter().enumerate() {
            let col = |c: &str| record[format!("result_{}_{c}", i + 1).as_str()];
            assert_eq!(col("label"), r.label);
            assert_eq!(col("value"), number(r.value));
            assert_eq!(col("unit"), r.unit.key());
            assert_eq!(
                col("as_of"),
                r.as_of.map(|d| d.to_string()).unwrap_or_default()
            );
            assert_eq!(col("method"), r.method.unwrap_or_default().key());
            let base = match &r.of {
                Some(BaseMeta::Number(n)) => Some(*n),
                Some(BaseMeta::Id(id)) => Some(value(id)),
                None => None,
            };
            assert_eq!(
                col("base"),
                base.map(number).unwrap_or_default(),
                "{}",
                r.label
            );
            let source = r.source.as_ref().map(|id| {
                meta.sources
                    .iter()
                    .find(|s| &s.id == id)
                    .unwrap()
                    .title
                    .clone()
            });
            assert_eq!(col("source"), source.unwrap_or_default());
        }
    }
    let haarlem = &records[1];
    assert_eq!(haarlem["result_2_base_label"], "Klanten in het project");
    assert_eq!(haarlem["result_3_rate"], "35.7");
    assert_eq!(haarlem["result_4_rate"], "72.5");
    assert_eq!(
        haarlem["result_1_source_url"],
        "https://example.org/persbericht"
    );
    assert_eq!(
        haarlem["motivation"],
        "Praktisch, helder, en een \"klassiek voorbeeld\" van de sluitende aanpak."
    );
    assert_eq!(records[0]["municipalities"], "Zwolle; Hattem");
    assert_eq!(records[0]["provinces"], "Overijssel; Gelderland");
    assert_eq!(
        records[0]["partners"],
        "Gemeente Zwolle (trekker); Gemeente Hattem"
    );
    assert_eq!(records[2]["result_1_label"], "", "no results, empty cells");
    assert_snapshot!("edition_csv", csv);
}

#[test]
fn dossier_holds_every_fact_every_source_and_a_scoring_sheet() {
    let site = fixture("jury/edition");
    let (out, _) = site.build_to("out", &Options::default());
    let practice = read(&out, "praktijken/haarlem-samen/index.html");
    assert!(links(&practice).contains(&"/praktijken/haarlem-samen/dossier/".to_string()));
    let html = read(&out, "praktijken/haarlem-samen/dossier/index.html");
    assert!(links(&html).contains(&"/static/dossier.css".to_string()));
    assert!(out.join("static/dossier.css").is_file());
    assert!(
        crate::harness::unescape(&html).contains(
            r#"<link rel="canonical" href="https://example.nl/praktijken/haarlem-samen/">"#
        ),
        "the dossier points search engines at the practice page"
    );
    let main = main_of(&html);
    let page = text(main);
    for expected in [
        "Dossier voor de jury",
        "Project SAMEN",
        "Haarlem en KLIQ starten direct een traject",
        "Gemeente Haarlem Trekker",
        "KLIQ Reïntegratie Uitvoerder vanaf 1997",
        "Periode 1997 – juni 2003",
        "Wettelijk kader Algemene Bijstandswet (Abw)",
        "Doelgroepen Bijstandsgerechtigden, Langdurig werklozen",
        "Een traject begint meteen, zonder wachttijd.",
        // Every figure with its source: title, publisher, dates.
        "[1] Persbericht over de Werksleutel 2002, Gemeente Haarlem, gepubliceerd 15 november 2002, geraadpleegd 1 mei 2024",
        "[2] Evaluatie Project SAMEN, Onderzoeksbureau Noord, geraadpleegd 2 mei 2024",
        "Uit registratie",
        "Externe evaluatie",
        "Zelf gerapporteerd",
        // Award history with the edition's facts and the motivation.
        "2e prijs – Werksleutel 2002",
        "14 november 2002, Nieuwspoort, Den Haag",
        "Geen erkenningen bekend.",
        // The scoring sheet from the award's criteria.
        "Beoordelingsformulier: Werksleutel 2002",
        "Ingezonden door een gemeente of UWV",
        "Doordacht × 2",
        "Vindingrijk × 1",
        "Totaal (maximaal 30)",
        "Naam jurylid",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in:\n{page}");
    }
    // Figures link to their source; external links are absolute so print can show them.
    assert_eq!(main.matches(r##"<a href="#bron-1"><strong>"##).count(), 2);
    assert_eq!(main.matches(r##"<a href="#bron-2"><strong>"##).count(), 2);
    assert!(main.contains(r#"id="bron-2""#));
    assert_eq!(
        main.matches(r#"class="checkbox""#).count(),
        2,
        "one knock-out: two boxes"
    );
    assert!(
        !main.contains("href=\"&#x2F;") && !main.contains("href=\"/"),
        "no relative links"
    );
    assert_snapshot!("dossier_haarlem", main);
}

#[test]
fn public_build_never_contains_an_unpublished_entry_in_any_file() {
    let site = fixture("jury/edition");
    let (out, report) = site.build_to("out", &Options::default());
    let files = tree(&out);
    for expected in ["sitemap.xml", "feed.xml", EDITION, CSV] {
        assert!(files.contains_key(expected), "{expected} is built");
    }
    let leaks = mentions(&out, &[JURY_ONLY, NEVER].concat());
    assert!(
        leaks.is_empty(),
        "unpublished entries leak:\n{}",
        leaks.join("\n")
    );
    // The unpublished entry is the only practice in Maastricht (Limburg): no facet shows it.
    assert!(!files
        .keys()
        .any(|p| p.contains("maastricht") || p.contains("limburg")));
    assert!(!files
        .keys()
        .any(|p| p.contains("utrecht") || p.contains("groningen")));
    // Its warnings are still reported: `check` covers every file.
    assert!(report
        .warnings
        .iter()
        .any(|d| d.location.path == "content/practices/geheime-inzending.md"));
}

#[test]
fn jury_build_adds_the_editions_unpublished_entries_and_nothing_else() {
    let site = fixture("jury/edition");
    let (out, _) = site.build_to("jury", &jury());
    let files = tree(&out);
    for expected in [
        "praktijken/geheime-inzending/index.html",
        "praktijken/geheime-inzending/dossier/index.html",
        "gemeenten/maastricht/index.html",
    ] {
        assert!(
            files.contains_key(expected),
            "{expected} is in the jury build"
        );
    }
    let edition = read(&out, EDITION);
    assert!(edition.contains("Geheime Inzending Frobnitz"));
    assert!(text(&edition).contains("Motivering Frobnitz voor de jury."));
    let csv = parse_csv(&read(&out, CSV));
    assert!(
        csv.iter().any(|r| r[3] == "geheime-inzending"),
        "the CSV lists it"
    );
    let leaks = mentions(&out, NEVER);
    assert!(leaks.is_empty(), "other drafts leak:\n{}", leaks.join("\n"));

    // Private: no sitemap, feed or search index; robots shut out; every page noindex and
    // bannered with the edition.
    for absent in ["sitemap.xml", "feed.xml"] {
        assert!(!files.contains_key(absent), "{absent} in a jury build");
    }
    assert!(
        !files.keys().any(|p| p.starts_with("pagefind/")),
        "a search index"
    );
    assert_eq!(read(&out, "robots.txt"), "User-agent: *\nDisallow: /\n");
    let pages = html_files(&out);
    assert!(pages.len() > 20);
    for (path, html) in &pages {
        assert!(
            html.contains(r#"<meta name="robots" content="noindex, nofollow">"#),
            "{path} is indexable"
        );
        assert!(
            html.contains("Jury-omgeving Werksleutel 2002 – vertrouwelijk"),
            "{path} has no banner"
        );
        assert!(!html.contains("feed.xml"), "{path} links the feed");
    }
}

#[test]
fn jury_edition_page_shows_the_jury_warnings() {
    let site = fixture("jury/edition");
    let (out, _) = site.build_to("jury", &jury());
    let page = text(main_of(&read(&out, EDITION)));
    for expected in [
        "Aandachtspunten voor de jury (5)",
        "Het resultaat ‘Oude uitstroom’ is van 1995, 7 jaar vóór deze editie; cijfers ouder dan 5 jaar gelden als verouderd.",
        "Het resultaat ‘Latere uitstroom’ (2005) valt onder de Wet werk en bijstand (WWB); in 2002 gold de Algemene Bijstandswet (Abw).",
        "Het resultaat ‘Deelnemers zonder bron’ heeft geen bron.",
        "Het resultaat ‘Werkgevers bezocht’ heeft geen bron.",
        "Deze inzending noemt geen resultaten.",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in:\n{page}");
    }
    // Other editions' pages in the same build show no warnings.
    let other = read(&out, "prijzen/werksleutel/2003/index.html");
    assert!(!other.contains("Aandachtspunten"));
}

#[test]
fn check_reports_the_jury_warnings_at_their_lines() {
    let site = fixture("jury/edition");
    let warnings = site.warnings();
    let draft = "content/practices/geheime-inzending.md";
    assert_warning_at(
        &warnings,
        &site.locate(draft, "as_of: |1995"),
        "entry in Werksleutel 2002: the result `Oude uitstroom` dates from 1995, 7 years before the edition",
    );
    assert_warning_at(
        &warnings,
        &site.locate(draft, "as_of: |2005"),
        "the result `Latere uitstroom` (2005) falls under `wwb`, but in 2002 `abw` applied",
    );
    // Missing sources and results are reported once, by the checks every practice gets.
    assert_warning_at(
        &warnings,
        &site.locate(draft, "|{ label: Deelnemers zonder bron"),
        "has no `source`",
    );
    let lelystad = "content/practices/lelystad-aanpak.md";
    assert!(warnings
        .iter()
        .any(|d| d.location.path == lelystad && d.message.contains("no `results`")));
    let repeated = warnings
        .iter()
        .filter(|d| d.message.contains("Deelnemers zonder bron"))
        .count();
    assert_eq!(repeated, 1, "{warnings:?}");
}

#[test]
fn check_warns_of_an_entry_started_after_its_edition_and_of_undated_results() {
    let site = fixture("jury/late-entry");
    let warnings = site.warnings();
    let late = "content/practices/late-starter.md";
    assert_warning_at(
        &warnings,
        &site.locate(late, "period: { start: |2010"),
        "entry in Werksleutel 2002: the practice started in 2010, after the edition's year 2002",
    );
    assert_warning_at(
        &warnings,
        &site.locate(late, "|{ label: Deelnemers zonder datum"),
        "entry in Werksleutel 2002: the result `Deelnemers zonder datum` has no date: add `as_of`, or a `published` date to its source",
    );
    // A result dated by its source is dated.
    assert!(!warnings
        .iter()
        .any(|w| w.message.contains("Gedateerd door de bron")));
    assert_snapshot!(lines(&warnings));
    let (out, _) = site.build_to("jury", &jury());
    let page = text(main_of(&read(&out, EDITION)));
    for expected in [
        "De praktijk begon in 2010, na het jaar van deze editie (2002).",
        "Het resultaat ‘Deelnemers zonder datum’ heeft geen datum",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in:\n{page}");
    }
}

#[test]
fn cli_jury_build_has_its_own_folder_and_unknown_editions_fail() {
    let site = fixture("jury/edition");
    let ok = site.cli(&["build", "--jury", "werksleutel/2002"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(site
        .path("public-jury-werksleutel-2002/praktijken/geheime-inzending/index.html")
        .is_file());
    assert!(
        !site.path("public").exists(),
        "the public site is left alone"
    );

    let unknown = site.cli(&["build", "--jury", "werksleutel/2001"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no award edition `werksleutel/2001`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `werksleutel/2002`?"),
        "{stderr}"
    );
    assert!(!site.path("public-jury-werksleutel-2001").exists());

    let malformed = site.cli(&["build", "--jury", "werksleutel"]);
    assert_eq!(malformed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("<award>/<edition>"));
}

#[test]
fn an_edition_motivation_must_name_an_entry_of_that_edition() {
    let site = fixture("jury/edition");
    let award = site.read("content/awards/werksleutel.md");
    site.write(
        "content/awards/werksleutel.md",
        award.replace("      zwolle-loket:", "      zwolle-loke:"),
    );
    let errors = site.errors();
    crate::harness::assert_error_at(
        &errors,
        &site.locate("content/awards/werksleutel.md", "zwolle-loke:"),
        "no practice with the slug `zwolle-loke` names werksleutel 2002 in its `awards` (did you mean `zwolle-loket`?)",
    );
}

#[test]
fn cli_check_with_jury_checks_that_edition_and_writes_nothing() {
    let site = fixture("jury/edition");
    let ok = site.cli(&["check", "--jury", "werksleutel/2002"]);
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{stderr}");
    let draft = site.locate("content/practices/geheime-inzending.md", "as_of: |1995");
    assert!(
        stderr.contains(&format!("{draft}: warning: entry in Werksleutel 2002")),
        "{stderr}"
    );
    let unknown = site.cli(&["check", "--jury", "werksleutel/2001"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `werksleutel/2002`?"));
    assert!(!site.path("public").exists() && !site.path("public-jury-werksleutel-2002").exists());
}
