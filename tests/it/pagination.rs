//! Lists are split into pages of `per_page` practices (`per_page = 2`, five practices).

use crate::harness::{broken_internal_links, fixture, html_files, links};
use etalage::Options;

/// The practice pages a list page links to as cards, in order.
fn card_links(html: &str) -> Vec<String> {
    let Some(start) = html.find(r#"<main id="inhoud""#) else {
        return Vec::new();
    };
    let end = html.find("</main>").unwrap();
    html[start..end]
        .split(r#"class="card__title""#)
        .skip(1)
        .filter_map(|chunk| links(chunk).into_iter().next())
        .collect()
}

#[test]
fn practice_list_is_paginated() {
    let site = fixture("pagination/basic");
    let (out, _) = site.build_to("out", &Options::default());
    let pages = html_files(&out);
    let list = [
        "praktijken/index.html",
        "praktijken/pagina/2/index.html",
        "praktijken/pagina/3/index.html",
    ];
    for p in list {
        assert!(pages.contains_key(p), "{p} is missing");
    }
    assert!(!pages.contains_key("praktijken/pagina/1/index.html"));
    assert!(!pages.contains_key("praktijken/pagina/4/index.html"));

    let per_page: Vec<Vec<String>> = list.iter().map(|p| card_links(&pages[*p])).collect();
    assert_eq!(
        per_page.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![2, 2, 1],
        "{per_page:?}"
    );
    let mut all: Vec<String> = per_page.concat();
    all.sort();
    let expected: Vec<String> = (1..=5)
        .map(|i| format!("/praktijken/praktijk-{i}/"))
        .collect();
    assert_eq!(all, expected, "every practice on exactly one page");

    // The pages link to each other.
    let first = links(&pages[list[0]]);
    assert!(first.iter().any(|l| l == "/praktijken/pagina/2/"));
    assert!(first.iter().any(|l| l == "/praktijken/pagina/3/"));
    let last = links(&pages[list[2]]);
    assert!(last.iter().any(|l| l == "/praktijken/pagina/2/"));
    assert!(last.iter().any(|l| l == "/praktijken/"));
    assert!(!last.iter().any(|l| l.contains("/pagina/4/")));

    // A facet term with three practices is paginated too; one with two is not.
    assert!(pages.contains_key("themas/matching/pagina/2/index.html"));
    assert_eq!(card_links(&pages["themas/matching/index.html"]).len(), 2);
    assert_eq!(
        card_links(&pages["themas/matching/pagina/2/index.html"]).len(),
        1
    );
    assert!(!pages.contains_key("themas/participatie/pagina/2/index.html"));

    let broken = broken_internal_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
