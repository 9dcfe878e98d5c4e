//! `etalage schema`: the JSON Schema accepts every bundled write-up and rejects wrong values.

use crate::harness::repo;

fn validator(kind: etalage::schema::Kind) -> jsonschema::Validator {
    let schema = etalage::schema(&repo(), kind).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::new(&schema).unwrap()
}

fn front_matter(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join(rel)).unwrap();
    etalage::parse::front_matter_json(&text).unwrap()
}

fn bundled(folder: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo().join(folder))
        .unwrap()
        .map(|e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".md"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

#[test]
fn every_bundled_practice_and_award_validates() {
    let practice = validator(etalage::schema::Kind::Practice);
    for file in bundled("content/practices") {
        let fm = front_matter(&file);
        let errors: Vec<String> = practice
            .iter_errors(&fm)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    let award = validator(etalage::schema::Kind::Award);
    for file in bundled("content/awards") {
        assert!(award.is_valid(&front_matter(&file)), "{file}");
    }
}

#[test]
fn wrong_values_do_not_validate() {
    let v = validator(etalage::schema::Kind::Practice);
    let good = front_matter("content/practices/haarlem-samen.md");
    assert!(v.is_valid(&good));
    let cases: [(&str, serde_json::Value); 12] = [
        ("/status", serde_json::json!("lopnd")),
        // The limits `check` enforces.
        ("/title", serde_json::json!("x".repeat(121))),
        ("/title", serde_json::json!("")),
        ("/summary", serde_json::json!("x".repeat(301))),
        ("/slug", serde_json::json!("Met Hoofdletters")),
        ("/partners", serde_json::json!([])),
        ("/sources", serde_json::json!([])),
        ("/themes", serde_json::json!(["geen-thema"])),
        ("/municipality", serde_json::json!("Haarlm")),
        ("/period", serde_json::json!({ "start": "2009-13" })),
        ("/partnrs", serde_json::json!([])),
        (
            "/results",
            serde_json::json!([{ "label": "x", "value": 1, "unit": "stuks" }]),
        ),
    ];
    for (pointer, value) in cases {
        let mut bad = good.clone();
        let key = pointer.trim_start_matches('/');
        bad[key] = value;
        assert!(!v.is_valid(&bad), "{pointer} was accepted");
    }
}

#[test]
fn schema_descriptions_are_dutch() {
    let schema = etalage::schema(&repo(), etalage::schema::Kind::Practice).unwrap();
    let desc = schema["properties"]["summary"]["description"]
        .as_str()
        .unwrap();
    assert!(desc.contains("tekens"), "{desc}");
    // A source's title has no limit, and says none.
    let source = &schema["$defs"]["SourceMeta"]["properties"]["title"];
    assert_eq!(source["description"], "Titel.");
    let award = etalage::schema(&repo(), etalage::schema::Kind::Award).unwrap();
    let text = award.to_string();
    assert!(
        !text.contains("The jury's motivation") && text.contains("Juryrapport per inzending"),
        "an English description is left in the award schema"
    );
}

#[test]
fn a_broken_vocabulary_is_an_error_not_an_empty_list() {
    let site = crate::harness::fixture("pages/small");
    site.write("content/data/themes.yaml", "matching: { nl: \"Matching }\n");
    let out = site.cli(&["schema"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "no schema is printed");
    assert!(
        stderr.contains("content/data/themes.yaml:2:1: error:"),
        "{stderr}"
    );
    let out = site.cli(&["new", "practice", "nieuw"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.root.join("content/practices/nieuw.md").exists());
}
