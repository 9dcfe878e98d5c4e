//! Drafts are left out of a build completely, unless drafts are asked for.

use crate::harness::{fixture, tree};
use etalage::Options;

/// Strings only the draft practice and the draft page contain: slug, title, partner, body text.
const DRAFT_MARKS: &[&str] = &[
    "verborgen-concept",
    "Conceptaanpak Xyzzy",
    "Xyzzy",
    "Plugh",
    "conceptpagina",
    "Conceptpagina Quux",
    "Quux",
    // The draft is the only practice in Maastricht (Limburg).
    "Maastricht",
    "maastricht",
    "limburg",
];

#[test]
fn drafts_are_absent_from_every_output_file() {
    let site = fixture("drafts/basic");
    let (out, report) = site.build_to("out", &Options::default());
    let files = tree(&out);
    assert!(files.contains_key("praktijken/haarlem/index.html"));
    assert!(!files.keys().any(|p| p.contains("verborgen-concept")));
    assert!(!files.contains_key("conceptpagina/index.html"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for mark in DRAFT_MARKS {
            assert!(!text.contains(mark), "{path} mentions the draft ({mark:?})");
        }
    }
    let practices = files
        .keys()
        .filter(|p| p.starts_with("praktijken/") && p.ends_with("/index.html"))
        .filter(|p| !p.ends_with("/dossier/index.html"))
        .count();
    assert_eq!(practices, 2, "the list and the one published practice");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn drafts_are_published_with_the_drafts_option() {
    let site = fixture("drafts/basic");
    let options = Options {
        drafts: true,
        ..Options::default()
    };
    let (out, _) = site.build_to("out", &options);
    let practice = std::fs::read_to_string(out.join("praktijken/verborgen-concept/index.html"))
        .expect("the draft practice is built");
    assert!(practice.contains("<h1>Conceptaanpak Xyzzy</h1>"));
    let page = std::fs::read_to_string(out.join("conceptpagina/index.html")).unwrap();
    assert!(page.contains("Conceptpagina Quux"));
    let haarlem = std::fs::read_to_string(out.join("praktijken/haarlem/index.html")).unwrap();
    assert!(
        haarlem.contains("&#x2F;praktijken&#x2F;verborgen-concept&#x2F;")
            || haarlem.contains("/praktijken/verborgen-concept/"),
        "the related draft is linked when drafts are published"
    );
    assert!(out.join("gemeenten/maastricht/index.html").is_file());
}
