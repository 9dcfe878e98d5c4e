//! `etalage new`: a write-up with every key explained and the body's sections, never written
//! over an existing file; `check` points at each value still to be filled in, with its line,
//! beside any other mistake in the file; filled in, the write-up checks clean.

use insta::assert_snapshot;

use crate::harness::{fixture, Site};

const PRACTICE: &str = "content/practices/proef.md";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs `etalage new` in `site` and returns its file's text.
fn new(site: &Site, args: &[&str], rel: &str) -> String {
    let out = site.cli(&[&["new"], args].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("created "),
        "{}",
        text(&out.stdout)
    );
    site.read(rel)
}

/// The 1-based lines of `text`'s front matter that hold a `TODO` value (comments aside).
fn placeholder_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| *l != "---")
        .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains("TODO"))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn a_new_practice_explains_every_key_and_check_points_at_each_placeholder() {
    let site = fixture("scaffold/basic");
    let written = new(
        &site,
        &["practice", "proef", "--title", "Proef met werk"],
        PRACTICE,
    );
    assert!(
        written.contains("\ntitle: \"Proef met werk\"\n"),
        "{written}"
    );
    for key in [
        "summary",
        "municipality",
        "period",
        "status",
        "legal_framework",
        "target_groups",
        "themes",
        "instruments",
        "partners",
        "results",
        "awards",
        "recognitions",
        "sources",
        "related",
        "draft",
    ] {
        let at = written
            .find(&format!("\n{key}:"))
            .unwrap_or_else(|| panic!("{key}"));
        // Each key comes after a comment that explains it.
        let before = written[..at].lines().last().unwrap();
        assert!(before.starts_with("# "), "{key}: {before}");
    }
    // The vocabularies' keys are listed where they are asked for.
    assert!(written.contains("sluitende-aanpak"));
    assert!(written.contains("Een van: lopend, afgerond, gestopt, onbekend"));
    let sections = [
        "Aanleiding",
        "Doel",
        "Doelgroep",
        "Aanpak",
        "Randvoorwaarden",
        "Resultaten",
        "Overdraagbaarheid",
        "Meer weten",
    ];
    let mut rest = written.split("\n---\n").nth(1).unwrap();
    for section in sections {
        let at = rest.find(&format!("## {section}\n")).expect(section);
        rest = &rest[at..];
    }

    let out = site.cli(&["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let holes = placeholder_lines(&written);
    assert_eq!(holes.len(), 8, "{holes:?}");
    for line in holes {
        assert!(
            stderr.contains(&format!("{PRACTICE}:{line}:")),
            "no problem on line {line}:\n{stderr}"
        );
    }
    assert!(stderr.lines().all(|l| !l.contains("TODO")), "{stderr}");
    assert_snapshot!(stderr);
}

#[test]
fn other_mistakes_are_reported_beside_the_placeholders() {
    let site = fixture("scaffold/basic");
    let written = new(&site, &["practice", "proef"], PRACTICE);
    site.write(
        PRACTICE,
        written
            .replace("status: onbekend", "status: lopnd")
            .replace(
                "  - { name: TODO, role: trekker }",
                "  - { name: UWV, role: trekkr }",
            ),
    );
    let out = site.cli(&["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (needle, message) in [
        (
            "status: |lopnd",
            "unknown value `lopnd` (did you mean `lopend`?)",
        ),
        (
            "role: |trekkr",
            "unknown value `trekkr` (did you mean `trekker`?)",
        ),
        ("summary: |\"TODO", "`summary` still has to be filled in"),
    ] {
        let at = site.locate(PRACTICE, needle);
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&at) && l.contains(message)),
            "no `{message}` at {at}:\n{stderr}"
        );
    }
    // A value still to be filled in is not also a value of the wrong type.
    let start = site.locate(PRACTICE, "period: { start: |TODO }");
    assert_eq!(stderr.matches(&format!("{start}:")).count(), 1, "{stderr}");
    assert_snapshot!(stderr);
}

#[test]
fn a_filled_in_practice_checks_clean() {
    let site = fixture("scaffold/basic");
    let written = new(&site, &["practice", "proef"], PRACTICE);
    let filled = written
        .replace("\"TODO: titel van de praktijk\"", "Proef met werk")
        .replace(
            "\"TODO: wat doet de praktijk, voor wie, met welk resultaat?\"",
            "Werkzoekenden leren het vak in een proefplaats bij een werkgever.",
        )
        .replace("municipality: TODO", "municipality: Haarlem")
        .replace("start: TODO", "start: 2021-09")
        .replace("target_groups: [TODO]", "target_groups: [bijstand]")
        .replace("themes: [TODO]", "themes: [matching]")
        .replace("name: TODO", "name: Gemeente Haarlem")
        .replace("label: TODO", "label: Aan het werk")
        .replace("value: TODO", "value: 12")
        .replace("as_of: TODO", "as_of: 2022")
        .replace(
            "title: TODO, publisher: TODO",
            "title: Jaarverslag 2022, publisher: Gemeente Haarlem",
        );
    assert!(!filled.contains("TODO"), "{filled}");
    site.write(PRACTICE, filled);
    let out = site.cli(&["check", "--drafts"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("no errors"));
}

#[test]
fn new_never_writes_over_a_file() {
    let site = fixture("scaffold/basic");
    let existing = site.read("content/practices/haarlem.md");
    let out = site.cli(&["new", "practice", "haarlem"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("haarlem.md"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(site.read("content/practices/haarlem.md"), existing);
    // Nor takes a slug that is not one.
    let out = site.cli(&["new", "practice", "Proef Haarlem"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a valid slug"));
}

#[test]
fn a_new_award_points_at_its_placeholders_too() {
    let site = fixture("scaffold/basic");
    let rel = "content/awards/proefprijs.md";
    let written = new(&site, &["award", "proefprijs"], rel);
    let out = site.cli(&["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let holes = placeholder_lines(&written);
    assert!(!holes.is_empty());
    for line in holes {
        assert!(
            stderr.contains(&format!("{rel}:{line}:")),
            "line {line}:\n{stderr}"
        );
    }
}
