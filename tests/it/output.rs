//! Output safety: a failed build keeps the last good output, stale files disappear, folders
//! that hold sources or someone else's files are never written to, and builds are reproducible.

use std::path::Path;

use crate::harness::{fixture, tree};
use etalage::{Error, Options};

const MARKER: &str = ".etalage-output";

/// Names in `dir` other than the site folder and the given output folders with their two
/// generations (leftovers of interrupted publishes).
fn leftovers(dir: &Path, expected: &[&str]) -> Vec<String> {
    let generation = |n: &str| {
        expected
            .iter()
            .any(|e| [format!(".{e}.etalage-a"), format!(".{e}.etalage-b")].contains(&n.into()))
    };
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site" && !expected.contains(&n.as_str()) && !generation(n))
        .collect()
}

#[test]
fn failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = fixture("output/basic");
    let (out, _) = site.build_to("out", &Options::default());
    let before = tree(&out);
    assert!(before.contains_key(MARKER));
    assert!(before.contains_key("praktijken/zwolle/index.html"));

    let text = site
        .read("content/practices/zwolle.md")
        .replace("partners:", "partnrs:");
    site.write("content/practices/zwolle.md", text);
    match site.try_build(&out, &Options::default()) {
        Err(Error::Content(diags)) => assert!(diags.iter().any(|d| d.is_error())),
        other => panic!("expected content errors, got {other:?}"),
    }
    assert_eq!(tree(&out), before, "the output folder changed");
    assert_eq!(leftovers(site.tmp(), &["out"]), Vec::<String>::new());
}

/// Names in `dir` other than the site folder.
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site")
        .collect();
    names.sort();
    names
}

#[test]
fn a_template_failing_while_files_go_to_disk_leaves_the_output_as_it_was() {
    // Files are written as they are rendered, so some are on disk when the practice template
    // fails: the first build leaves nothing behind, a later one the previous site.
    let site = fixture("output/basic");
    site.write("templates/practice.html", "{{ no_such_value }}");
    match site.try_build(&site.tmp().join("out"), &Options::default()) {
        Err(Error::Content(d)) => assert!(
            d[0].to_string()
                .starts_with("templates/practice.html:1:4: error: template error: ")
                && d[0].message.contains("no_such_value"),
            "{d:?}"
        ),
        other => panic!("expected a template error, got {other:?}"),
    }
    assert_eq!(beside(site.tmp()), Vec::<String>::new());

    std::fs::remove_file(site.path("templates/practice.html")).unwrap();
    let (out, _) = site.build_to("out", &Options::default());
    let before = tree(&out);
    site.write("templates/practice.html", "{{ no_such_value }}");
    assert!(site.try_build(&out, &Options::default()).is_err());
    assert_eq!(tree(&out), before, "the output changed");
    assert_eq!(beside(site.tmp()), [".out.etalage-a", "out"]);
}

#[test]
fn a_failing_card_template_fails_the_build_and_the_incremental_render() {
    // Cards are made when a page first shows one: their error still stops the build.
    let site = fixture("output/basic");
    site.write("templates/card.html", "{{ no_such_card_value }}");
    match site.try_build(&site.tmp().join("out"), &Options::default()) {
        Err(Error::Content(d)) => assert!(
            d[0].to_string()
                .starts_with("templates/card.html:1:4: error: "),
            "{d:?}"
        ),
        other => panic!("expected a template error, got {other:?}"),
    }
    let sources = etalage::load_site(&site.root).unwrap();
    let mut memo = etalage::Memo::default();
    let prepared = etalage::prepare_again(&sources, &Options::default(), &mut memo).unwrap();
    match etalage::render_again(&prepared, &sources.assets, &mut memo) {
        Err(Error::Content(d)) => assert!(
            d[0].to_string()
                .starts_with("templates/card.html:1:4: error: "),
            "{d:?}"
        ),
        other => panic!("expected a template error, got {other:?}"),
    }
}

#[test]
fn stale_files_disappear_on_rebuild() {
    let site = fixture("output/basic");
    let (out, _) = site.build_to("out", &Options::default());
    assert!(out.join("praktijken/zwolle/index.html").is_file());
    assert!(out.join("gemeenten/zwolle/index.html").is_file());
    std::fs::write(out.join("oud-bestand.html"), "<p>oud</p>").unwrap();

    std::fs::remove_file(site.path("content/practices/zwolle.md")).unwrap();
    let (out, _) = site.build_to("out", &Options::default());
    let files = tree(&out);
    assert!(!files.contains_key("oud-bestand.html"));
    assert!(
        !files.keys().any(|p| p.contains("zwolle")),
        "{:?}",
        files.keys()
    );
    assert!(files.contains_key("praktijken/haarlem/index.html"));
    assert!(files.contains_key(MARKER));
    assert_eq!(leftovers(site.tmp(), &["out"]), Vec::<String>::new());
}

#[test]
fn refuses_to_write_into_the_sources() {
    let site = fixture("output/basic");
    let sources = tree(&site.root);
    for (dir, reason) in [
        (site.root.clone(), "it is the site folder or contains it"),
        (
            site.tmp().to_path_buf(),
            "it is the site folder or contains it",
        ),
        (
            site.path("content"),
            "it lies in the site's `content/` folder",
        ),
        (
            site.path("content/practices/uit"),
            "it lies in the site's `content/` folder",
        ),
        (
            site.path("themes"),
            "it lies in the site's `themes/` folder",
        ),
        (
            site.path("themes/default/public"),
            "it lies in the site's `themes/` folder",
        ),
    ] {
        match site.try_build(&dir, &Options::default()) {
            Err(Error::OutputRefused { reason: got, .. }) => {
                assert_eq!(got, reason, "for {}", dir.display());
            }
            other => panic!("writing to {} was not refused: {other:?}", dir.display()),
        }
    }
    assert_eq!(tree(&site.root), sources, "the sources changed");
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let site = fixture("output/basic");
    let mine = site.tmp().join("mijn-map");
    std::fs::create_dir_all(mine.join("sub")).unwrap();
    std::fs::write(mine.join("notities.txt"), "niet weggooien").unwrap();
    std::fs::write(mine.join("sub/index.html"), "<p>mijn pagina</p>").unwrap();
    let before = tree(&mine);
    match site.try_build(&mine, &Options::default()) {
        Err(Error::OutputRefused { reason, .. }) => {
            assert!(reason.contains("not empty"), "{reason}");
            assert!(reason.contains(MARKER), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(tree(&mine), before, "files in the folder were touched");
    assert!(!mine.join(MARKER).exists());
    assert_eq!(leftovers(site.tmp(), &["mijn-map"]), Vec::<String>::new());
}

#[test]

fn builds_into_an_existing_empty_folder() {
    let site = fixture("output/basic");
    let empty = site.tmp().join("leeg");
    std::fs::create_dir(&empty).unwrap();
    let first = site.try_build(&empty, &Options::default());
    assert!(first.is_ok(), "{first:?}");
    assert!(empty.join(MARKER).is_file());
    assert!(empty.join("index.html").is_file());
    assert_eq!(leftovers(site.tmp(), &["leeg"]), Vec::<String>::new());
    let second = site.try_build(&empty, &Options::default());
    assert!(second.is_ok(), "{second:?}");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture("output/basic");
    let (one, _) = site.build_to("een", &Options::default());
    let (two, _) = site.build_to("twee", &Options::default());
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    // Rebuilding in place gives the same bytes too.
    let (again, _) = site.build_to("een", &Options::default());
    assert_eq!(tree(&again), a);
}

#[test]
fn default_output_folder_comes_from_site_toml() {
    let site = fixture("output/basic");
    let report = etalage::build(&site.root, None, &Options::default()).unwrap();
    assert_eq!(report.output_dir, site.root.join("public"));
    assert!(site.path("public").join(MARKER).is_file());
    assert!(site.path("public/index.html").is_file());
    assert_eq!(report.files, tree(&site.path("public")).len() - 1);
    // The output folder is not read back as a source on the next build.
    etalage::build(&site.root, None, &Options::default()).unwrap();
}
