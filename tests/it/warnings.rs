//! Warnings are reported but do not stop a build.

use insta::assert_snapshot;

use crate::harness::{assert_warning_at, fixture, lines};
use etalage::Options;

#[test]
fn result_without_source_and_practice_without_results_are_warnings() {
    let site = fixture("warnings/basic");
    let warnings = site.warnings();
    assert!(warnings.iter().all(|d| !d.is_error()));
    assert_warning_at(
        &warnings,
        &site.locate(
            "content/practices/haarlem.md",
            "- |{ label: Aan het werk, value: 85",
        ),
        "the result `Aan het werk` has no `source`",
    );
    assert_warning_at(
        &warnings,
        &site.locate("content/practices/zwolle.md", "|title: Werkloket"),
        "this practice has no `results`",
    );
    assert_eq!(warnings.len(), 2, "{}", lines(&warnings));
    assert_snapshot!(lines(&warnings));

    let (out, report) = site.build_to("out", &Options::default());
    assert_eq!(report.warnings, warnings);
    assert!(out.join("praktijken/haarlem/index.html").is_file());
    assert!(out.join("praktijken/zwolle/index.html").is_file());
}

#[test]
fn a_partner_written_two_ways_is_a_warning_where_it_is_the_exception() {
    let site = fixture("warnings/partner-spellings");
    let warnings = site.warnings();
    assert_warning_at(
        &warnings,
        &site.locate("content/practices/b.md", "name: |UWV."),
        "the partner `UWV.` is written `UWV` in 2 other place(s)",
    );
    assert_warning_at(
        &warnings,
        &site.locate("content/practices/a.md", "name: |KLIQ Reïntegratie"),
        "the partner `KLIQ Reïntegratie` is written `KLIQ Reintegratie` in 2 other place(s)",
    );
    assert_eq!(warnings.len(), 2, "{}", lines(&warnings));
    assert_snapshot!(lines(&warnings));
}

#[test]
fn a_link_to_a_heading_that_is_not_there_is_a_warning() {
    let site = fixture("warnings/fragment-links");
    let warnings = site.warnings();
    assert_warning_at(
        &warnings,
        &site.locate("content/practices/a.md", "|[zijn doel](b.md#doell)"),
        "the link `b.md#doell` names no heading of b.md (did you mean `#doel`?): it opens that page at its top",
    );
    // `b.md#aanpak` names a heading of b.md.
    assert_eq!(warnings.len(), 1, "{}", lines(&warnings));
    assert_snapshot!(lines(&warnings));
}

#[test]
fn a_period_or_result_after_the_build_date_is_a_warning() {
    let site = fixture("warnings/future-dates");
    let options = Options {
        today: Some("2026-11-25".parse().unwrap()),
        ..Options::default()
    };
    let warnings = etalage::check(&site.root, &options).unwrap();
    assert_warning_at(
        &warnings,
        &site.locate("content/practices/haarlem.md", "start: |2099"),
        "the period starts in 2099, after the build's date (2026-11-25): is the date right?",
    );
    assert_warning_at(
        &warnings,
        &site.locate("content/practices/haarlem.md", "as_of: |2030-06"),
        "this result is measured in 2030-06, after the build's date (2026-11-25): is the date right?",
    );
    assert_eq!(warnings.len(), 2, "{}", lines(&warnings));
    assert_snapshot!(lines(&warnings));
    // Without a build date nothing is said.
    assert!(etalage::check(&site.root, &Options::default())
        .unwrap()
        .is_empty());
}

#[test]
fn write_ups_under_a_name_that_is_not_read_are_named() {
    let site = fixture("pages/small");
    let practice = site.read("content/practices/haarlem-samen.md");
    site.write("content/practices/Nieuw.md.txt", &practice);
    site.write("content/practices/oud.markdown", &practice);
    site.write("content/practice.md", &practice);
    site.write("content/practices/foto.jpg", b"\xff\xd8");
    site.write("content/data/notes.txt", "aantekeningen");
    let warnings = site.warnings();
    let strays: Vec<String> = warnings
        .iter()
        .filter(|w| w.message.starts_with("this file is not read"))
        .map(|w| format!("{}: {}", w.location, w.message))
        .collect();
    assert_eq!(
        strays,
        [
            "content/practice.md:1:1: this file is not read: write-ups go in content/practices/, content/awards/ or content/pages/",
            "content/practices/Nieuw.md.txt:1:1: this file is not read: only `.md` files are write-ups; rename it to `Nieuw.md`",
            "content/practices/oud.markdown:1:1: this file is not read: only `.md` files are write-ups; rename it to `oud.md`",
        ]
    );
}

#[test]
fn a_comment_that_cuts_a_plain_value_is_a_warning_at_its_hash() {
    let site = fixture("warnings/comment-cut");
    let warnings = site.warnings();
    let file = "content/practices/haarlem.md";
    assert_warning_at(
        &warnings,
        &site.locate(file, "Werkplein |#1 van de regio"),
        "` #1 van de regio` is read as a comment and left out of `title`: put the whole value in quotes to keep it",
    );
    assert_warning_at(
        &warnings,
        &site.locate(file, "Haarlem |#Werkplein"),
        "` #Werkplein` is read as a comment and left out of `name` of item 1 of `partners`: put the whole value in quotes to keep it",
    );
    // `lopend  # of afgerond` is a comment written as one.
    assert_eq!(warnings.len(), 2, "{}", lines(&warnings));
    assert_snapshot!(lines(&warnings));
}

#[test]
fn results_that_are_each_others_base_and_a_slug_related_twice_are_warnings() {
    let site = fixture("warnings/results-and-related");
    let warnings = site.warnings();
    let haarlem = "content/practices/haarlem.md";
    assert_warning_at(
        &warnings,
        &site.locate(haarlem, "unit: personen, of: |geplaatst"),
        "the results `gestart` and `geplaatst` are each other's base, so neither rate says anything: measure one of them against something else",
    );
    assert_warning_at(
        &warnings,
        &site.locate(haarlem, "related: [zwolle, |zwolle]"),
        "`zwolle` is listed twice in `related`; it is shown once",
    );
    assert_eq!(warnings.len(), 2, "{}", lines(&warnings));
    assert_snapshot!(lines(&warnings));
    let (out, _) = site.build_to("out", &Options::default());
    let record = std::fs::read_to_string(out.join("data/praktijken/haarlem.json")).unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert_eq!(record["related"], serde_json::json!(["zwolle"]));
}
