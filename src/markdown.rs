//! Markdown bodies to safe HTML.
//!
//! pulldown-cmark with tables, footnotes, strikethrough and heading anchors. Links to other
//! write-ups by file name (`haarlem-samen.md`) are resolved through a caller-supplied function;
//! the ones that do not resolve are returned with their line so the caller can report them.
//! Raw HTML is passed through ammonia; links with a script scheme are neutralised. Headings are
//! demoted so that a body never holds an `h1` (the page title is the only one). Pure: no I/O.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to a `.md` file that does not name a known write-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub line: usize,
    pub column: usize,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub broken_links: Vec<BrokenLink>,
    /// Plain text of the body, for search and word counts.
    pub text: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`, whose first line is line `first_line` of its file. `resolve` maps a link
/// target ending in `.md` (file name only, fragment stripped) to a URL.
pub fn render(body: &str, first_line: usize, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let mut events: Vec<(Event, usize)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(e, range)| (e, range.start))
        .collect();
    let mut broken_links = Vec::new();
    let mut has_raw_html = false;
    let mut text = String::new();
    for (event, offset) in events.iter_mut() {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(new) = rewrite_url(dest_url, resolve) {
                    *dest_url = CowStr::from(new);
                } else {
                    let (line, column) = line_col(body, *offset);
                    broken_links.push(BrokenLink {
                        line: first_line + line - 1,
                        column,
                        target: dest_url.to_string(),
                    });
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            Event::Text(t) | Event::Code(t) => {
                text.push_str(t);
                text.push(' ');
            }
            _ => {}
        }
    }
    let headings = anchor_headings(&mut events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    let html = html
        .replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=");
    let html = if has_raw_html { sanitize(&html) } else { html };
    Rendered {
        html,
        headings,
        broken_links,
        text: text.trim_end().to_string(),
    }
}

/// The new URL for a link, or `None` for a `.md` link that does not resolve. Script URLs
/// become `#`.
fn rewrite_url(url: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains('/'));
    match scheme {
        Some("http" | "https" | "mailto" | "tel") => return Some(url.to_string()),
        Some(_) => return Some("#".into()),
        None => {}
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    if !path.ends_with(".md") {
        return Some(url.to_string());
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    let target = resolve(file)?;
    Some(match fragment {
        Some(f) => format!("{target}#{f}"),
        None => target,
    })
}

/// Gives every heading an id (its own `{#id}` or one made from its text), demotes `h1` to `h2`
/// and returns the outline.
fn anchor_headings(events: &mut [(Event, usize)]) -> Vec<Heading> {
    let mut used = HashSet::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[i].0 {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[i].0 {
                let base = id
                    .as_deref()
                    .map(str::to_string)
                    .unwrap_or_else(|| slugify(&text));
                let base = if base.is_empty() {
                    "sectie".to_string()
                } else {
                    base
                };
                let mut unique = base.clone();
                let mut n = 2;
                while !used.insert(unique.clone()) {
                    unique = format!("{base}-{n}");
                    n += 1;
                }
                if *level == HeadingLevel::H1 {
                    *level = HeadingLevel::H2;
                }
                headings.push(Heading {
                    level: *level as u8,
                    id: unique.clone(),
                    text,
                });
                *id = Some(CowStr::from(unique));
            }
            if let Some((Event::End(TagEnd::Heading(level)), _)) = events.get_mut(j) {
                if *level == HeadingLevel::H1 {
                    *level = HeadingLevel::H2;
                }
            }
            i = j;
        }
        i += 1;
    }
    headings
}

/// A URL-safe form of a Dutch text: lowercase ASCII letters, digits and `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
}

/// Folds the Latin letters with diacritics used in Dutch and Frisian names to ASCII.
fn fold(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ç' | 'Ç' => "c",
        'ñ' | 'Ñ' => "n",
        'ĳ' | 'Ĳ' => "ij",
        'ß' => "ss",
        _ => return either(c),
    };
    EitherIter::Str(s.chars())
}

enum EitherIter {
    Str(std::str::Chars<'static>),
    One(Option<char>),
}

fn either(c: char) -> EitherIter {
    EitherIter::One(Some(c))
}

impl Iterator for EitherIter {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        match self {
            EitherIter::Str(s) => s.next(),
            EitherIter::One(c) => c.take(),
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    crate::config::line_col(text, offset)
}

/// Cleans HTML that came with raw HTML from content: no scripts, event handlers, styles or
/// script URLs survive.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tags([
            "figure",
            "figcaption",
            "section",
            "aside",
            "details",
            "summary",
        ])
        .link_rel(Some("noopener"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn gives_headings_ids_and_demotes_h1() {
        let r = render(
            "# Titel\n\n## Aanpak en doel\n\n## Aanpak en doel\n",
            1,
            &none,
        );
        assert!(r.html.contains("<h2 id=\"titel\">Titel</h2>"), "{}", r.html);
        assert!(r.html.contains("id=\"aanpak-en-doel-2\""));
        assert_eq!(r.headings.len(), 3);
    }

    #[test]
    fn resolves_and_reports_md_links() {
        let resolve = |f: &str| (f == "a.md").then(|| "/praktijken/a/".to_string());
        let r = render("Zie [A](a.md#x).\n\nEn [B](b.md).\n", 10, &resolve);
        assert!(r.html.contains("href=\"/praktijken/a/#x\""));
        assert_eq!(
            r.broken_links,
            vec![BrokenLink {
                line: 12,
                column: 4,
                target: "b.md".into()
            }]
        );
    }

    #[test]
    fn strips_scripts_handlers_and_script_urls() {
        let r = render(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi</p>\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:x)\n",
            1,
            &none,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.to_lowercase().contains("javascript:"));
    }

    #[test]
    fn renders_tables_footnotes_strikethrough() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~weg~~ tekst[^1]\n\n[^1]: voetnoot\n",
            1,
            &none,
        );
        assert!(r.html.contains("<th scope=\"col\">a</th>"));
        assert!(r.html.contains("<del>weg</del>"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn slugifies_dutch() {
        assert_eq!(slugify("Súdwest-Fryslân"), "sudwest-fryslan");
        assert_eq!(slugify("'s-Hertogenbosch"), "s-hertogenbosch");
        assert_eq!(slugify("KLIQ Reïntegratie"), "kliq-reintegratie");
        assert_eq!(slugify("Bergen (NH.)"), "bergen-nh");
    }
}
