//! A byte-order mark and CRLF line endings (files saved by Windows editors) parse like plain
//! LF files, and errors in them carry the same line and column numbers.

use insta::assert_snapshot;

use crate::harness::{assert_error_at, fixture, lines, tree, Site};
use etalage::Options;

/// Rewrites every Markdown file under `content/` with a BOM and CRLF line endings.
fn windows_line_endings(site: &Site) {
    for (rel, bytes) in tree(&site.path("content")) {
        if rel.ends_with(".md") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains('\r'));
            let converted = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            site.write(&format!("content/{rel}"), converted);
        }
    }
}

#[test]
fn bom_and_crlf_parse_fine() {
    let site = fixture("encoding/bom-crlf");
    windows_line_endings(&site);
    assert!(site
        .read("content/practices/haarlem.md")
        .starts_with("\u{feff}---\r\n"));
    let warnings = site.warnings();
    assert!(warnings.is_empty(), "{}", lines(&warnings));
    let (out, _) = site.build_to("out", &Options::default());
    let page = std::fs::read_to_string(out.join("praktijken/haarlem/index.html")).unwrap();
    assert!(page.contains("<h1>Werkplaats Haarlem</h1>"), "{page}");
    assert!(page.contains(r#"href="/praktijken/zwolle/""#));
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains('\u{feff}'), "a BOM leaked into {path}");
    }
}

#[test]
fn bom_and_crlf_errors_have_correct_positions() {
    let site = fixture("encoding/bom-crlf-error");
    windows_line_endings(&site);
    let diags = site.errors();
    let file = "content/practices/haarlem.md";
    assert_error_at(
        &diags,
        &site.locate(file, "|emial"),
        "unknown key `emial` (did you mean `email`?)",
    );
    // The body's broken link comes in the same run, on its line.
    assert_error_at(
        &diags,
        &site.locate(file, "|[Zwolle](zwolle.md)"),
        "the link target `zwolle.md` is not a practice, award or page in content/",
    );
    assert_snapshot!(lines(&diags));

    // Fix the front matter: the body link error is still on the body line.
    let text = site.read(file).replace("emial", "email");
    site.write(file, text);
    let diags = site.errors();
    assert_error_at(
        &diags,
        &site.locate(file, "|[Zwolle](zwolle.md)"),
        "the link target `zwolle.md` is not a practice, award or page in content/",
    );
}
