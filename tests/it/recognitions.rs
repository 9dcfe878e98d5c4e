//! Prizes and recognitions on the practice page and in the dossier: the section's heading says
//! what is there (prizes, recognitions or both) and the section is left out when there is
//! nothing; a recognition valid until before the build's date is marked expired and never shown
//! as a current badge; the status reads once ("Status: onbekend"), not "Status: Status onbekend".

use std::path::Path;

use crate::harness::{fixture, Site};
use etalage::date::PartialDate;
use etalage::Options;

const TODAY: &str = "2026-11-24";

fn built(today: Option<&str>) -> (Site, std::path::PathBuf) {
    let site = fixture("recognitions/mixed");
    let options = Options {
        today: today.map(|d| d.parse::<PartialDate>().unwrap()),
        ..Options::default()
    };
    let (out, _) = site.build_to("out", &options);
    (site, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn practice(out: &Path, slug: &str) -> String {
    read(out, &format!("praktijken/{slug}/index.html"))
}

/// The text of the prizes-and-recognitions section's heading, if the page has the section.
fn section_heading(html: &str) -> Option<&str> {
    let start = html.find(r#"<h2 id="p-prijzen">"#)? + r#"<h2 id="p-prijzen">"#.len();
    Some(&html[start..start + html[start..].find("</h2>")?])
}

/// The texts of the badges at the top of the practice page.
fn badges(html: &str) -> Vec<&str> {
    let start = html.find(r#"<ul class="badges">"#).unwrap();
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    list.split("<li class=\"badge ")
        .skip(1)
        .map(|li| &li[li.find('>').unwrap() + 1..li.find("</li>").unwrap()])
        .collect()
}

#[test]
fn the_section_heading_names_what_the_practice_has() {
    let (_site, out) = built(Some(TODAY));
    let heading = |slug| section_heading(&practice(&out, slug)).map(str::to_string);
    assert_eq!(heading("alleen-prijzen").as_deref(), Some("Prijzen"));
    assert_eq!(
        heading("alleen-erkenningen").as_deref(),
        Some("Erkenningen en waarderingen")
    );
    assert_eq!(
        heading("prijzen-en-erkenningen").as_deref(),
        Some("Prijzen en erkenningen")
    );
    assert_eq!(
        heading("zonder-erkenning"),
        None,
        "no section without either"
    );
    for slug in ["alleen-prijzen", "alleen-erkenningen", "zonder-erkenning"] {
        assert!(
            !practice(&out, slug).contains("&amp; erkenningen"),
            "{slug}"
        );
    }
}

#[test]
fn the_status_is_named_once() {
    let (_site, out) = built(Some(TODAY));
    let html = practice(&out, "zonder-erkenning");
    assert!(
        !html.contains("Status onbekend"),
        "the value repeats the label"
    );
    assert!(
        badges(&html).contains(&"Status: onbekend"),
        "{:?}",
        badges(&html)
    );
    assert!(html.contains("<dt>Status</dt><dd>Onbekend</dd>"));
    let dossier = read(&out, "praktijken/zonder-erkenning/dossier/index.html");
    assert!(dossier.contains("<dt>Status</dt><dd>Onbekend</dd>"));
}

#[test]
fn an_expired_recognition_is_no_current_badge_and_says_it_expired() {
    let (_site, out) = built(Some(TODAY));
    let html = practice(&out, "prijzen-en-erkenningen");
    let badges = badges(&html);
    assert!(
        !badges.contains(&"Effectief volgens eerste aanwijzingen"),
        "expired in May 2024: {badges:?}"
    );
    assert!(
        badges.contains(&"Goed beschreven"),
        "valid until 2030: {badges:?}"
    );
    let expired = r#"<strong class="expired">verlopen</strong> (geldig tot mei 2024)"#;
    let dossier = read(&out, "praktijken/prijzen-en-erkenningen/dossier/index.html");
    for page in [&html, &dossier] {
        assert!(page.contains(expired), "the expired national recognition");
        assert!(page.contains(r#"<strong class="expired">verlopen</strong> (geldig tot 2021)"#));
        assert!(
            page.contains("mei 2023, geldig tot mei 2030"),
            "a valid one as before"
        );
        assert_eq!(
            page.matches("verlopen").count(),
            2,
            "only the two expired ones"
        );
    }
    let compare = read(&out, "vergelijk/index.html");
    assert!(
        compare.contains(&format!(r#""today":"{TODAY}""#)),
        "the compare script judges expiry by the build's date"
    );
}

#[test]
fn without_a_build_date_nothing_counts_as_expired() {
    let (_site, out) = built(None);
    let html = practice(&out, "prijzen-en-erkenningen");
    assert!(badges(&html).contains(&"Effectief volgens eerste aanwijzingen"));
    assert!(!html.contains("verlopen"));
    assert!(html.contains("mei 2019, geldig tot mei 2024"));
}

#[test]
fn a_recognition_expires_after_the_last_day_it_was_valid() {
    let on = |day: &str| {
        let (_site, out) = built(Some(day));
        practice(&out, "prijzen-en-erkenningen").contains("(geldig tot mei 2024)")
    };
    assert!(!on("2024-05-31"), "still valid on the last day of May 2024");
    assert!(on("2024-06-01"));
}

/// Runs `etalage build` on `site` into `out` with `args` and `SOURCE_DATE_EPOCH` (when given).
fn build_cli(site: &Site, out: &str, args: &[&str], epoch: Option<&str>) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_etalage"));
    cmd.args(["build", "--output"])
        .arg(site.tmp().join(out))
        .args(args)
        .current_dir(&site.root)
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().unwrap()
}

#[test]
fn the_command_takes_the_build_date_from_date_or_source_date_epoch() {
    let site = fixture("recognitions/mixed");
    let expired = |out: &str| {
        practice(&site.tmp().join(out), "prijzen-en-erkenningen").contains("(geldig tot mei 2024)")
    };
    // 2024-05-31 and 2024-06-01, 00:00 UTC.
    let cases = [
        ("a", &["--date", "2024-05-31"][..], None, false),
        ("b", &["--date", "2024-06-01"][..], None, true),
        ("c", &[][..], Some("1717113600"), false),
        ("d", &[][..], Some("1717200000"), true),
        (
            "e",
            &["--date", "2024-05-31"][..],
            Some("1717200000"),
            false,
        ),
    ];
    for (out, args, epoch, expect) in cases {
        let run = build_cli(&site, out, args, epoch);
        assert!(
            run.status.success(),
            "{out}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(expired(out), expect, "{out}: {args:?} {epoch:?}");
    }
    let bad = build_cli(&site, "f", &[], Some("yesterday"));
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not `yesterday`\n"
    );
    let partial = build_cli(&site, "g", &["--date", "2024-05"], None);
    assert_eq!(partial.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&partial.stderr).contains("not a full date"));
}
