//! The incremental render the dev server uses (`etalage::render_again`): after an edit it
//! re-renders the pages whose bytes change and hardly any other (a page whose context changed in
//! a part its template does not show is rendered again to the same bytes), and its output always
//! equals a clean build.

use std::collections::BTreeSet;

use etalage::render::{Output, Reuse};
use etalage::{Memo, Options};

use crate::harness::{fixture, Site};

/// The site built again with `memo`, with the search index a clean build adds.
fn again(site: &Site, memo: &mut Memo) -> (Output, Reuse) {
    let sources = etalage::load_site(&site.root).unwrap();
    let prepared = etalage::prepare_again(&sources, &Options::default(), memo).unwrap();
    let (mut output, reuse) = etalage::render_again(&prepared, &sources.assets, memo).unwrap();
    output.extend(etalage::search_index(&prepared).unwrap());
    (output, reuse)
}

/// Pages rendered beyond those whose bytes changed may not exceed this.
const SLACK: usize = 3;

#[track_caller]
fn assert_renders_what_changed(reuse: Reuse, changed: &BTreeSet<String>) {
    assert!(
        reuse.rendered >= changed.len() && reuse.rendered <= changed.len() + SLACK,
        "rendered {} pages for {} changed: {changed:?}",
        reuse.rendered,
        changed.len()
    );
}

/// HTML pages of `b` that are new or whose bytes differ from `a`.
fn changed_pages(a: &Output, b: &Output) -> BTreeSet<String> {
    b.files
        .iter()
        .filter(|f| f.path.ends_with(".html") && a.get(&f.path) != Some(f))
        .map(|f| f.path.clone())
        .collect()
}

#[track_caller]
fn assert_equals_clean_build(site: &Site, output: &Output) {
    let clean = site.compile(&Options::default()).output;
    assert_eq!(
        changed_pages(&clean, output),
        BTreeSet::new(),
        "pages differ from a clean build"
    );
    assert_eq!(clean, *output, "files differ from a clean build");
}

#[test]
fn an_edit_re_renders_exactly_the_pages_that_change() {
    let site = fixture("pages/small");
    let mut memo = Memo::default();
    let (first, reuse) = again(&site, &mut memo);
    assert_eq!(reuse.reused, 0);
    assert_eq!(reuse.rendered, first.pages());

    let (same, reuse) = again(&site, &mut memo);
    assert_eq!(
        reuse.rendered, 0,
        "nothing changed, yet pages were rendered"
    );
    assert_eq!(same, first);

    let practice = "content/practices/haarlem-samen.md";
    site.write(
        practice,
        site.read(practice)
            .replace("title: Project SAMEN", "title: Project SAMEN Haarlem"),
    );
    let (edited, reuse) = again(&site, &mut memo);
    let changed = changed_pages(&first, &edited);
    assert_renders_what_changed(reuse, &changed);
    assert!(changed.contains("praktijken/haarlem-samen/index.html"));
    assert!(changed.contains("praktijken/index.html"));
    assert!(!changed.contains("over-deze-site/index.html"));
    assert!(reuse.reused > 0);
    assert_equals_clean_build(&site, &edited);

    // A template change re-renders the pages made from it, and only those.
    let dossier = "themes/default/templates/dossier.html";
    site.write(
        dossier,
        site.read(dossier).replace(
            "{% endblock content %}",
            "<p>Nieuw</p>{% endblock content %}",
        ),
    );
    let (restyled, reuse) = again(&site, &mut memo);
    let changed = changed_pages(&edited, &restyled);
    assert!(!changed.is_empty() && changed.iter().all(|p| p.contains("/dossier/")));
    assert_eq!(reuse.rendered, changed.len(), "{changed:?}");
    assert_equals_clean_build(&site, &restyled);

    // Cards are rendered once from their own template and reused by every page that shows
    // one: a change to it reaches lists, the home page and practices' related cards.
    let card = "themes/default/templates/card.html";
    site.write(
        card,
        format!("{}<!-- kaart -->", site.read(card).trim_end()),
    );
    let (recarded, reuse) = again(&site, &mut memo);
    let changed = changed_pages(&restyled, &recarded);
    assert_renders_what_changed(reuse, &changed);
    for page in [
        "index.html",
        "praktijken/index.html",
        "praktijken/haarlem-samen/index.html",
    ] {
        assert!(changed.contains(page), "{page} not in {changed:?}");
        assert!(
            String::from_utf8_lossy(&recarded.get(page).unwrap().bytes).contains("<!-- kaart -->")
        );
    }
    assert_equals_clean_build(&site, &recarded);
}

#[test]
fn settings_vocabularies_and_deletions_rebuild_what_needs_them() {
    let site = fixture("pages/small");
    let mut memo = Memo::default();
    again(&site, &mut memo);
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: [Step; 6] = [
        (
            "themes of a practice (its related practices and others')",
            Box::new(|| {
                let file = "content/practices/haarlem-samen.md";
                site.write(
                    file,
                    site.read(file).replace(
                        "themes: [sluitende-aanpak, matching]",
                        "themes: [participatie]",
                    ),
                )
            }),
        ),
        (
            "site title",
            Box::new(|| {
                site.write(
                    "site.toml",
                    site.read("site.toml")
                        .replacen("title = \"", "title = \"Nieuw: ", 1),
                )
            }),
        ),
        (
            // Interface strings are folded into the templates when they are loaded.
            "interface string",
            Box::new(|| {
                let file = "themes/default/i18n/nl.toml";
                site.write(
                    file,
                    site.read(file).replacen(
                        "skip = \"Naar de inhoud\"",
                        "skip = \"Direct naar de inhoud\"",
                        1,
                    ),
                )
            }),
        ),
        (
            "theme label",
            Box::new(|| {
                let file = "content/data/themes.yaml";
                let text = site.read(file);
                let at = text.find("nl: ").expect("a label") + "nl: ".len();
                site.write(file, format!("{}Andere {}", &text[..at], &text[at..]));
            }),
        ),
        (
            // Every page loses its menu link to the search page, which goes with the index.
            "search turned off",
            Box::new(|| {
                site.write(
                    "site.toml",
                    format!("search = false\n{}", site.read("site.toml")),
                )
            }),
        ),
        (
            "deleted practice",
            Box::new(|| {
                std::fs::remove_file(site.path("content/practices/zwolle-werkloket.md")).unwrap()
            }),
        ),
    ];
    for (what, step) in &steps {
        let before = site.compile(&Options::default()).output;
        step();
        let (output, reuse) = again(&site, &mut memo);
        let changed = changed_pages(&before, &output);
        assert!(!changed.is_empty(), "{what}: nothing changed");
        assert_renders_what_changed(reuse, &changed);
        assert_equals_clean_build(&site, &output);
    }
}

#[test]
fn reload_reads_again_only_changed_files_and_defers_the_rest_to_a_full_load() {
    let site = fixture("pages/small");
    let root = std::fs::canonicalize(&site.root).unwrap();
    let first = etalage::load_site(&root).unwrap();
    let practice = "content/practices/haarlem-samen.md";
    site.write(practice, site.read(practice) + "\nNieuwe zin.\n");
    let gone = root.join("content/practices/.~tijdelijk.md");
    let reloaded = etalage::load::reload(&root, first, &[root.join(practice), gone])
        .expect("an edited file is read again");
    let full = etalage::load_site(&root).unwrap();
    assert_eq!(reloaded.practices, full.practices);
    assert_eq!(reloaded.awards, full.awards);
    assert_eq!(reloaded.pages, full.pages);

    site.write("content/practices/nieuw.md", site.read(practice));
    let added = [root.join("content/practices/nieuw.md")];
    assert!(
        etalage::load::reload(&root, full.clone(), &added).is_none(),
        "a new file"
    );
    assert!(
        etalage::load::reload(&root, full.clone(), &[root.join("site.toml")]).is_none(),
        "settings"
    );
    std::fs::remove_file(root.join(practice)).unwrap();
    assert!(
        etalage::load::reload(&root, full.clone(), &[root.join(practice)]).is_none(),
        "a deleted file"
    );
    site.write(practice, b"\xff\xfe niet UTF-8".as_slice());
    assert!(
        etalage::load::reload(&root, full.clone(), &[root.join(practice)]).is_none(),
        "undecodable text needs the located problem a full load gives"
    );
}

#[test]
fn a_vanished_file_that_left_a_trace_needs_a_full_load() {
    let site = fixture("pages/small");
    let root = std::fs::canonicalize(&site.root).unwrap();
    let bad = "content/practices/kapot.md";
    site.write(bad, b"\xff\xfe niet UTF-8".as_slice());
    let loaded = etalage::load_site(&root).unwrap();
    assert!(loaded.problems.iter().any(|d| d.location.path == bad));
    let vanished = [
        (bad, "a file whose problem was reported"),
        ("site.toml", "the settings"),
        ("content/data/themes.yaml", "a data file"),
        ("themes/default/templates/card.html", "a template"),
        ("themes/default/i18n/nl.toml", "interface strings"),
        ("themes/default/static/favicon.svg", "a static asset"),
    ];
    for (path, what) in vanished {
        assert!(
            root.join(path).is_file(),
            "{what}: {path} is not in the fixture"
        );
        std::fs::rename(root.join(path), root.join("weg")).unwrap();
        assert!(
            etalage::load::reload(&root, loaded.clone(), &[root.join(path)]).is_none(),
            "{what} vanished, yet the site was not loaded again"
        );
        std::fs::rename(root.join("weg"), root.join(path)).unwrap();
    }
    // An editor's temporary file, never read, may come and go without a full load.
    let scratch = root.join("content/practices/4913");
    assert!(etalage::load::reload(&root, loaded, &[scratch]).is_some());
}

#[test]
fn a_body_edit_leaves_the_search_page_and_the_open_data_files_as_they_were() {
    let site = fixture("pages/small");
    let mut memo = Memo::default();
    let (first, _) = again(&site, &mut memo);
    let practice = "content/practices/haarlem-samen.md";
    site.write(practice, site.read(practice) + "\nEen nieuwe zin.\n");
    let (edited, _) = again(&site, &mut memo);
    let bytes = |o: &Output, path: &str| o.get(path).unwrap().bytes.clone();
    assert_ne!(
        bytes(&first, "praktijken/haarlem-samen/index.html"),
        bytes(&edited, "praktijken/haarlem-samen/index.html")
    );
    // Keyed by what each practice gives them (its filters, its open-data record), which a new
    // sentence leaves as it was: the same shared bytes, not made again.
    for path in [
        "zoeken/index.html",
        "data/praktijken.json",
        "data/praktijken.csv",
    ] {
        assert!(
            std::sync::Arc::ptr_eq(&bytes(&first, path), &bytes(&edited, path)),
            "{path} was made again"
        );
    }
    assert_equals_clean_build(&site, &edited);

    // A new theme changes the practice's filters: the search page follows.
    site.write(
        practice,
        site.read(practice)
            .replace("themes: [", "themes: [werkgeversdienstverlening, "),
    );
    let (themed, _) = again(&site, &mut memo);
    assert_ne!(
        bytes(&edited, "zoeken/index.html"),
        bytes(&themed, "zoeken/index.html")
    );
    assert_equals_clean_build(&site, &themed);
}

/// The warnings of the site, checked again with `memo`, and those of a clean check.
fn warnings_again_and_clean(site: &Site, memo: &mut Memo) -> (Vec<String>, Vec<String>) {
    let sources = etalage::load_site(&site.root).unwrap();
    let lines = |p: etalage::Prepared| p.warnings.iter().map(|w| w.to_string()).collect();
    let again = etalage::prepare_again(&sources, &Options::default(), memo).unwrap();
    let clean = etalage::prepare(&sources, &Options::default()).unwrap();
    (lines(again), lines(clean))
}

#[test]
fn partner_spellings_checked_again_equal_a_clean_check() {
    let site = fixture("warnings/partner-spellings");
    let mut memo = Memo::default();
    let (first, clean) = warnings_again_and_clean(&site, &mut memo);
    assert_eq!(first, clean);
    assert_eq!(first.len(), 2, "{first:?}");

    // A new sentence: the same warnings, taken from the memo.
    let b = "content/practices/b.md";
    site.write(b, format!("{}\nNog een zin.\n", site.read(b)));
    let (again, clean) = warnings_again_and_clean(&site, &mut memo);
    assert_eq!((&again, &clean), (&first, &first));

    // A line added above the partners moves the warning with it.
    site.write(
        b,
        site.read(b)
            .replace("themes: [matching]", "themes: [matching]\ninstruments: []"),
    );
    let (moved, clean) = warnings_again_and_clean(&site, &mut memo);
    assert_eq!(moved, clean);
    assert_ne!(moved, first, "the warning in b.md moved a line down");

    // The exception written as the others: its warning is gone.
    site.write(b, site.read(b).replace("name: UWV.", "name: UWV"));
    let (fixed, clean) = warnings_again_and_clean(&site, &mut memo);
    assert_eq!(fixed, clean);
    assert_eq!(fixed.len(), 1, "{fixed:?}");
}
