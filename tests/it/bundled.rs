//! The site bundled in the repository root: it checks clean, builds, and links only to pages
//! it has.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::harness::{broken_internal_links, html_files, lines, repo};
use etalage::{Error, Options};

const PRACTICES: &[&str] = &[
    "haarlem-samen",
    "lelystad-intensieve-aanpak-wwb",
    "schiedam-met-kompas",
    "steenwijkerland-taskforce-wijkwerkplaats",
    "zwolle-werkloket-de-lure",
];

/// Builds the bundled site into a temporary folder (never into the repository).
pub fn build_bundled() -> (TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("etalage-bundled-")
        .tempdir()
        .unwrap();
    let out = tmp.path().join("public");
    match etalage::build(&repo(), Some(&out), &Options::default()) {
        Ok(_) => {}
        Err(Error::Content(d)) => panic!("the bundled site has errors:\n{}", lines(&d)),
        Err(e) => panic!("the bundled site does not build: {e}"),
    }
    (tmp, out)
}

#[test]
fn bundled_site_checks_without_errors() {
    match etalage::check(&repo(), &Options::default()) {
        Ok(warnings) => assert!(warnings.iter().all(|w| !w.is_error())),
        Err(Error::Content(d)) => panic!("the bundled site has errors:\n{}", lines(&d)),
        Err(e) => panic!("the bundled site cannot be checked: {e}"),
    }
}

/// Builds the bundled site as on `today` (`--date`), into a temporary folder.
fn build_bundled_on(today: &str) -> (TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("etalage-bundled-")
        .tempdir()
        .unwrap();
    let out = tmp.path().join("public");
    let options = Options {
        today: Some(today.parse().unwrap()),
        ..Options::default()
    };
    if let Err(e) = etalage::build(&repo(), Some(&out), &options) {
        panic!("the bundled site does not build: {e}");
    }
    (tmp, out)
}

/// The text of the section of `html` that starts at `from` and ends before the next `until`.
fn part<'a>(html: &'a str, from: &str, until: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in the page"));
    let rest = &html[start..];
    &rest[..rest[from.len()..]
        .find(until)
        .map_or(rest.len(), |e| e + from.len())]
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn bundled_site_builds_with_its_practices_and_awards() {
    let (_tmp, out) = build_bundled();
    for slug in PRACTICES {
        assert!(
            out.join(format!("praktijken/{slug}/index.html")).is_file(),
            "practice {slug} is missing"
        );
    }
    let list = read(&out, "praktijken/index.html");
    for slug in PRACTICES {
        assert!(
            list.contains(&format!("&#x2F;praktijken&#x2F;{slug}&#x2F;"))
                || list.contains(&format!("/praktijken/{slug}/")),
            "the practice list does not link {slug}"
        );
    }
    let edition = read(&out, "prijzen/werksleutel/2002/index.html");
    assert!(edition.contains("Project SAMEN"), "{edition}");
    assert!(edition.contains("Haarlem"));
    assert!(crate::harness::links(&edition)
        .iter()
        .any(|l| l == "/praktijken/haarlem-samen/"));

    // Werkloket De Lure won two prizes in 2006: the home page shows it once, with both.
    let home = read(&out, "index.html");
    let winners = home
        .split("id=\"winners-title\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("the home page shows prize winners");
    assert_eq!(winners.matches("card--award").count(), 2, "{winners}");
    assert_eq!(
        winners.matches(">Werkloket De Lure<").count(),
        1,
        "{winners}"
    );
    assert!(winners.contains("Innovatieprijs gemeente Zwolle 2006"));
    assert!(winners.contains("Publieksprijs gemeente Zwolle 2006"));
}

#[test]
fn bundled_site_has_no_broken_internal_links() {
    let (_tmp, out) = build_bundled();
    let pages = html_files(&out);
    assert!(pages.len() > 50, "{}", pages.len());
    let broken = broken_internal_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_dossier_ends_with_its_public_address_and_the_build_date_not_a_source_file() {
    let (_tmp, out) = build_bundled_on("2026-11-25");
    for slug in PRACTICES {
        let html = read(&out, &format!("praktijken/{slug}/dossier/index.html"));
        let page = crate::jury::text(&html);
        assert!(!html.contains("content/practices"), "{slug}: a file path");
        assert!(!html.contains(&format!("{slug}.md")), "{slug}: a file name");
        let url = format!("https://etalage.example.nl/praktijken/{slug}/dossier/");
        assert!(
            page.contains(&format!("Samengesteld op 25 november 2026 · {url}")),
            "{slug}: {page}"
        );
    }
    // Without a build date (the library's default) only the address.
    let (_tmp, out) = build_bundled();
    let html = crate::harness::unescape(&read(&out, "praktijken/haarlem-samen/dossier/index.html"));
    assert!(!html.contains("Samengesteld"));
    assert!(html.contains(
        r#"<a class="url" href="https://etalage.example.nl/praktijken/haarlem-samen/dossier/">"#
    ));
}

#[test]
fn a_printed_dossier_names_the_practice_and_numbers_its_pages_in_words_of_the_interface() {
    let (_tmp, out) = build_bundled();
    let html = read(&out, "praktijken/haarlem-samen/dossier/index.html");
    assert!(
        html.contains(r#"<style>:root{--dossier-title:"Project SAMEN";--dossier-pages:"pagina " counter(page) " van " counter(pages)}</style>"#),
        "{}",
        part(&html, "<head", "</head>")
    );
    let css = read(&out, "static/dossier.css");
    assert!(css.contains("@top-left { content: var(--dossier-title"));
    assert!(css.contains("@bottom-right { content: var(--dossier-pages"));
}

#[test]
fn a_public_vote_gets_no_scoring_sheet_and_derived_criteria_say_so() {
    let (_tmp, out) = build_bundled();
    let html = read(
        &out,
        "praktijken/zwolle-werkloket-de-lure/dossier/index.html",
    );
    let page = crate::jury::text(&html);
    // The Innovatieprijs is a jury prize: a sheet, with the caveat above it.
    assert!(page.contains("Beoordelingsformulier: Innovatieprijs gemeente Zwolle 2006"));
    let sheet = part(&html, r#"<section class="dossier__sheet""#, "</section>");
    let caveat = sheet
        .find("Criteria afgeleid door de redactie")
        .expect("the caveat");
    assert!(
        caveat < sheet.find("<table").unwrap(),
        "the caveat comes first"
    );
    // The Publieksprijs is a public vote: no sheet, no score lines for the public's choice.
    assert_eq!(html.matches(r#"class="dossier__sheet""#).count(), 1);
    assert!(!page.contains("Beoordelingsformulier: Publieksprijs"));
    assert!(!page.contains("Keuze van de publieksjury"));
    assert!(page.contains(
        "Geen beoordelingsformulier voor de Publieksprijs gemeente Zwolle 2006: die prijs kiest het publiek"
    ));
    // The edition pages and the award page show the caveat with the criteria.
    for rel in [
        "prijzen/werksleutel/2002/index.html",
        "prijzen/innovatieprijs-zwolle/2006/index.html",
        "prijzen/werksleutel/index.html",
    ] {
        let html = read(&out, rel);
        assert!(
            html.contains(
                r#"<p class="criteria-derived" role="note">Criteria afgeleid door de redactie"#
            ),
            "{rel}"
        );
    }
}

#[test]
fn an_edition_page_counts_the_entries_this_site_knows_and_says_what_is_not_known() {
    let (_tmp, out) = build_bundled();
    let html = read(&out, "prijzen/werksleutel/2002/index.html");
    let page = crate::jury::text(&html);
    assert!(page.contains("1 inzending op deze site."), "{page}");
    assert!(!page.contains("Inzendingen 1"), "{page}");
    // The award's own words about the edition: which winners the sources do not name.
    assert!(page.contains("Over deze editie"));
    assert!(page.contains(
        "Welke projecten de eerste en derde prijs wonnen, staat niet in de bronnen van deze site."
    ));
    let award = crate::jury::text(&read(&out, "prijzen/werksleutel/index.html"));
    assert!(award.contains("1 inzending op deze site"), "{award}");
}

#[test]
fn a_result_without_a_base_says_so_where_the_ratio_would_be() {
    let (_tmp, out) = build_bundled();
    for rel in [
        "praktijken/haarlem-samen/index.html",
        "praktijken/haarlem-samen/dossier/index.html",
    ] {
        let html = read(&out, rel);
        let row = part(&html, ">Klanten in het project", "</tr>");
        assert!(
            row.contains(r#"<span class="muted no-base">basis onbekend</span>"#),
            "{rel}: {row}"
        );
        assert!(!row.contains(">–<"), "{rel}: {row}");
        // A result with a base still shows its computed ratio.
        let row = part(&html, ">Aan het werk", "</tr>");
        assert!(!row.contains("basis onbekend"), "{rel}: {row}");
    }
}
