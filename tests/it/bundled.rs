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
