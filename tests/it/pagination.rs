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

/// The pagination bar of a list page: each item's text, `*` after the current page, and
/// whether it links.
fn bar(html: &str) -> Vec<String> {
    let start = html
        .find(r#"<nav class="pagination""#)
        .expect("a pagination bar");
    let end = start + html[start..].find("</nav>").unwrap();
    html[start..end]
        .split("<li")
        .skip(1)
        .map(|li| {
            let text: String = {
                let mut inside = true;
                li.chars()
                    .filter(|&c| match c {
                        '<' => {
                            inside = true;
                            false
                        }
                        '>' => {
                            inside = false;
                            false
                        }
                        _ => !inside,
                    })
                    .collect()
            };
            let mark = if li.contains("aria-current") { "*" } else { "" };
            format!("{}{mark}", text.trim())
        })
        .collect()
}

#[test]
fn a_long_list_links_its_ends_and_the_pages_around_the_current_one() {
    let site = fixture("pagination/basic");
    // 23 practices, 2 a page: 12 pages.
    let model = site.read("content/practices/praktijk-1.md");
    for i in 6..=23 {
        site.write(
            &format!("content/practices/praktijk-{i}.md"),
            model.replace("Praktijk 1 ", &format!("Praktijk {i} ")),
        );
    }
    let (out, _) = site.build_to("out", &Options::default());
    let pages = html_files(&out);
    let page = |n: usize| match n {
        1 => pages["praktijken/index.html"].clone(),
        n => pages[&format!("praktijken/pagina/{n}/index.html")].clone(),
    };
    assert_eq!(
        bar(&page(1)),
        ["1*", "2", "3", "…", "12", "Volgende"],
        "first page"
    );
    assert_eq!(
        bar(&page(7)),
        ["Vorige", "1", "…", "5", "6", "7*", "8", "9", "…", "12", "Volgende"],
        "a page in the middle"
    );
    assert_eq!(
        bar(&page(12)),
        ["Vorige", "1", "…", "10", "11", "12*"],
        "last page"
    );
    // Every page is still reachable from the first by following the bars.
    let mut reached = std::collections::BTreeSet::from(["/praktijken/".to_string()]);
    let mut todo = vec![1];
    while let Some(n) = todo.pop() {
        for l in links(&page(n)) {
            if let Some(m) = l
                .strip_prefix("/praktijken/pagina/")
                .and_then(|r| r.trim_end_matches('/').parse::<usize>().ok())
            {
                if reached.insert(l.clone()) {
                    todo.push(m);
                }
            }
        }
    }
    assert_eq!(reached.len(), 12, "{reached:?}");
}
