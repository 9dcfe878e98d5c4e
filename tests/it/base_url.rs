//! A site served from a subfolder (`base_url = "https://example.nl/werk/etalage/"`): every link
//! the site makes carries the subpath.

use std::sync::OnceLock;

use regex::Regex;

use crate::harness::{broken_internal_links, fixture, html_files, links};
use etalage::Options;

const BASE_URL: &str = "https://example.nl/werk/etalage/";
const BASE_PATH: &str = "/werk/etalage/";

/// Every absolute URL on our own host in `text`.
fn own_urls(text: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"https?://example\.nl[^"'<>\s]*"#).unwrap());
    re.find_iter(&crate::harness::unescape(text))
        .map(|m| m.as_str().to_string())
        .collect()
}

#[test]
fn every_internal_link_carries_the_subpath() {
    let site = fixture("base-url/subpath");
    let (out, _) = site.build_to("out", &Options::default());
    let pages = html_files(&out);
    assert!(pages.contains_key("praktijken/pagina/2/index.html"));
    let mut bad = Vec::new();
    let mut internal = 0;
    for (page, html) in &pages {
        for link in links(html) {
            if link.starts_with(BASE_PATH) {
                internal += 1;
            } else if !(link.starts_with('#')
                || link.starts_with("https://example.org/")
                || link.starts_with("http://creativecommons.org/")
                || link.starts_with("mailto:")
                || link.starts_with(BASE_URL))
            {
                bad.push(format!("{page}: {link}"));
            }
        }
        for url in own_urls(html) {
            if !url.starts_with(BASE_URL) {
                bad.push(format!("{page}: {url}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "links without the subpath:\n{}",
        bad.join("\n")
    );
    assert!(internal > 100, "only {internal} internal links found");
    let broken = broken_internal_links(&out, BASE_PATH);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // A Markdown link by file name resolves under the subpath too.
    let haarlem = &pages["praktijken/haarlem-samen/index.html"];
    assert!(haarlem.contains(r#"href="/werk/etalage/praktijken/intensieve-aanpak-lelystad/""#));
    assert!(haarlem.contains(r#"href="/werk/etalage/prijzen/werksleutel/""#));
}

#[test]
fn feed_sitemap_and_robots_carry_the_subpath() {
    let site = fixture("base-url/subpath");
    let (out, _) = site.build_to("out", &Options::default());
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();

    let feed = read("feed.xml");
    let feed_urls = own_urls(&feed);
    assert!(feed_urls.contains(&format!("{BASE_URL}feed.xml")));
    assert!(feed_urls.contains(&format!("{BASE_URL}praktijken/haarlem-samen/")));
    assert!(
        feed_urls.iter().all(|u| u.starts_with(BASE_URL)),
        "{feed_urls:?}"
    );

    let sitemap = read("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.len() > 10, "{sitemap}");
    for loc in &locs {
        assert!(
            loc.starts_with(BASE_URL),
            "sitemap URL without subpath: {loc}"
        );
        let path = &loc["https://example.nl".len()..];
        let rel = crate::harness::target_file(path, BASE_PATH).unwrap();
        assert!(
            out.join(&rel).is_file(),
            "sitemap URL {loc} has no page {rel}"
        );
    }
    assert!(locs.contains(&"https://example.nl/werk/etalage/"));

    let robots = read("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.nl/werk/etalage/sitemap.xml"),
        "{robots}"
    );
}
