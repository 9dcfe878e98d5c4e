//! Markdown bodies to safe HTML.
//!
//! pulldown-cmark with tables, footnotes, strikethrough and heading anchors. Links to other
//! write-ups by file name (`haarlem-samen.md`) are resolved through a caller-supplied function;
//! the ones that do not resolve are returned with their line so the caller can report them.
//! Raw HTML is passed through ammonia; links with a script scheme are neutralised. Headings are
//! demoted so that a body never holds an `h1` (the page title is the only one). Pure: no I/O.

use std::collections::VecDeque;

use foldhash::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link that leads nowhere: to a `.md` file that does not name a known write-up, or a
/// relative path (`foto.png`, `./andere-praktijk`), which the page's own URL would resolve to a
/// file the site does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub line: usize,
    pub column: usize,
    pub target: String,
    /// Whether it is a relative path rather than a `.md` file name.
    pub relative: bool,
}

/// A link to a part of another write-up (`zwolle.md#aanpak`), for checking once every file's
/// headings are known.
/// A link to a site path (`/themas/sluitende-aanpak/`) that leads to a part of the site, as
/// far as the files tell: whether a facet term or an award edition it names exists is known
/// only once the site is modelled (`model::links`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLink {
    pub line: usize,
    pub column: usize,
    /// The link as written, fragment and query included.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    pub line: usize,
    pub column: usize,
    /// The file name as written (`zwolle.md`).
    pub file: String,
    pub fragment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub broken_links: Vec<BrokenLink>,
    /// Images without a text alternative (`![](x.png)`), 1-based file line and column.
    pub images_without_alt: Vec<(usize, usize)>,
    /// Links to a heading of another write-up that resolved to it.
    pub fragment_links: Vec<FragmentLink>,
    /// Links to site paths, for the checks of `model::links`.
    pub site_links: Vec<SiteLink>,
    /// Plain text of the body, for search and word counts.
    pub text: String,
    /// Where the body first nests deeper than [`MAX_NESTING`] (1-based file line and column);
    /// such a body is not sanitized nor rendered (`html` is empty): the caller reports it.
    pub too_deep: Option<(usize, usize)>,
}

/// How deeply a body may nest elements: Markdown containers (lists, block quotes, emphasis,
/// links...) and raw HTML elements together. The HTML sanitizer's cost per element grows with
/// the depth it stands at, so unbounded nesting makes a build unbounded in time; browsers stop
/// nesting at 512 (the page's own elements come on top), and real write-ups stay far below.
pub const MAX_NESTING: usize = 256;

/// Raw HTML elements that never nest (void) or whose end tag the parser supplies itself, so
/// that they are not counted as nesting (`<li>` and `<p>` are often left open).
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "option", "optgroup", "rt", "rp",
];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`, whose first line is line `first_line` of its file. `resolve` maps a link
/// target ending in `.md` (file name only, fragment stripped) to a URL, and a site path
/// (`/static/x.png`, starting with one `/`) to its URL under the site's base path.
///
/// Events stream from the parser into the HTML writer; only the events of one heading are held
/// at a time (its id is made from its text). Memory is the output plus a little, not one event
/// per table cell or list item of the whole body.
pub fn render(body: &str, first_line: usize, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let mut events = Events {
        parser: Parser::new_ext(body, options()).into_offset_iter(),
        seen: Seen {
            body,
            first_line,
            resolve,
            broken_links: Vec::new(),
            images_without_alt: Vec::new(),
            fragment_links: Vec::new(),
            site_links: Vec::new(),
            image: None,
            has_raw_html: false,
            text: String::new(),
            cursor: Cursor::default(),
            depth: 0,
            too_deep: None,
        },
        anchors: Anchors::default(),
        ready: VecDeque::new(),
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.by_ref());
    let Events { seen, anchors, .. } = events;
    let html = header_cells_scoped(html);
    let html = if seen.too_deep.is_some() {
        String::new()
    } else if seen.has_raw_html {
        sanitize(&html)
    } else {
        html
    };
    Rendered {
        html,
        headings: anchors.headings,
        broken_links: seen.broken_links,
        images_without_alt: seen.images_without_alt,
        fragment_links: seen.fragment_links,
        site_links: seen.site_links,
        text: {
            let mut text = seen.text;
            text.truncate(text.trim_end().len());
            text
        },
        too_deep: seen.too_deep,
    }
}

/// What rendering notes about each event as it passes: links (rewritten or broken), raw HTML,
/// plain text.
struct Seen<'b> {
    body: &'b str,
    first_line: usize,
    resolve: &'b dyn Fn(&str) -> Option<String>,
    broken_links: Vec<BrokenLink>,
    images_without_alt: Vec<(usize, usize)>,
    fragment_links: Vec<FragmentLink>,
    site_links: Vec<SiteLink>,
    /// The image being read: where it starts and whether it has alternative text yet.
    image: Option<((usize, usize), bool)>,
    has_raw_html: bool,
    text: String,
    cursor: Cursor,
    /// Elements open at this point (Markdown and raw HTML).
    depth: usize,
    too_deep: Option<(usize, usize)>,
}

impl Seen<'_> {
    fn inspect(&mut self, event: &mut Event, offset: usize) {
        match event {
            Event::Start(_) => self.open(offset),
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Html(t) | Event::InlineHtml(t) => self.raw_html(t, offset),
            _ => {}
        }
        if let Event::Start(Tag::Image { .. }) = event {
            self.image = Some((self.at(offset), false));
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let relative = is_relative_path(dest_url);
                match rewrite_url(dest_url, self.resolve) {
                    Some(new) if !relative => {
                        if dest_url.starts_with('/') && !dest_url.starts_with("//") {
                            let (line, column) = self.at(offset);
                            self.site_links.push(SiteLink {
                                line,
                                column,
                                path: dest_url.to_string(),
                            });
                        }
                        if let Some((path, fragment)) = dest_url.split_once('#') {
                            let file = path.rsplit('/').next().unwrap_or(path);
                            if file.ends_with(".md") && !fragment.is_empty() {
                                let (line, column) = self.at(offset);
                                self.fragment_links.push(FragmentLink {
                                    line,
                                    column,
                                    file: file.to_string(),
                                    fragment: fragment.to_string(),
                                });
                            }
                        }
                        *dest_url = CowStr::from(new);
                    }
                    _ => {
                        let (line, column) = self.at(offset);
                        self.broken_links.push(BrokenLink {
                            line,
                            column,
                            target: dest_url.to_string(),
                            relative,
                        });
                    }
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, false)) = self.image.take() {
                    self.images_without_alt.push(at);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => self.has_raw_html = true,
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = &mut self.image {
                    *alt |= !t.trim().is_empty();
                }
                self.text.push_str(t);
                self.text.push(' ');
            }
            _ => {}
        }
    }

    /// The 1-based file line and column of byte `offset` of the body.
    fn at(&mut self, offset: usize) -> (usize, usize) {
        let (line, column) = self.cursor.line_col(self.body, offset);
        (self.first_line + line - 1, column)
    }

    fn open(&mut self, offset: usize) {
        self.depth += 1;
        if self.depth > MAX_NESTING && self.too_deep.is_none() {
            let (line, column) = self.cursor.line_col(self.body, offset);
            self.too_deep = Some((self.first_line + line - 1, column));
        }
    }

    /// Follows the start and end tags of a piece of raw HTML (roughly: enough to bound depth).
    fn raw_html(&mut self, html: &str, offset: usize) {
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt + 1..];
            let (closing, tag) = match rest.strip_prefix('/') {
                Some(t) => (true, t),
                None => (false, rest),
            };
            let name_len = tag
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(tag.len());
            let name = tag[..name_len].to_ascii_lowercase();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic())
                || NOT_NESTING.contains(&name.as_str())
            {
                continue;
            }
            if closing {
                self.depth = self.depth.saturating_sub(1);
            } else if !tag[..tag.find('>').unwrap_or(tag.len())].ends_with('/') {
                self.open(offset);
            }
        }
    }
}

/// The parser's events, inspected, with each heading read whole and given its id.
struct Events<'a, 'b, I> {
    parser: I,
    seen: Seen<'b>,
    anchors: Anchors,
    ready: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Events<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.ready.pop_front() {
            return Some(event);
        }
        let (mut event, range) = self.parser.next()?;
        self.seen.inspect(&mut event, range.start);
        if !matches!(event, Event::Start(Tag::Heading { .. })) {
            return Some(event);
        }
        let mut heading = vec![event];
        for (mut event, range) in self.parser.by_ref() {
            self.seen.inspect(&mut event, range.start);
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            heading.push(event);
            if end {
                break;
            }
        }
        self.anchors.anchor(&mut heading);
        self.ready.extend(heading);
        self.ready.pop_front()
    }
}

/// Heading ids given so far, and the outline.
#[derive(Default)]
struct Anchors {
    used: HashSet<String>,
    /// The next suffix to try per base id, so that thousands of equal headings stay linear.
    next_suffix: HashMap<String, usize>,
    headings: Vec<Heading>,
}

impl Anchors {
    /// Gives the heading whose events are `events` (its start first) an id (its own `{#id}` or
    /// one made from its text), demotes `h1` to `h2` and adds it to the outline.
    fn anchor(&mut self, events: &mut [Event]) {
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Some(Event::Start(Tag::Heading {
            level, id, attrs, ..
        })) = events.first_mut()
        {
            // `{#id .class key=value}`: the id and classes are kept; any other attribute
            // (`onclick=…`, `style=…`) would reach the page unsanitized, so it is dropped.
            attrs.clear();
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
            if self.used.contains(&unique) {
                let n = self.next_suffix.entry(base.clone()).or_insert(2);
                loop {
                    unique = format!("{base}-{n}");
                    *n += 1;
                    if !self.used.contains(&unique) {
                        break;
                    }
                }
            }
            self.used.insert(unique.clone());
            if *level == HeadingLevel::H1 {
                *level = HeadingLevel::H2;
            }
            self.headings.push(Heading {
                level: *level as u8,
                id: unique.clone(),
                text,
            });
            *id = Some(CowStr::from(unique));
        }
        if let Some(Event::End(TagEnd::Heading(level))) = events.last_mut() {
            if *level == HeadingLevel::H1 {
                *level = HeadingLevel::H2;
            }
        }
    }
}

/// Whether `url` is a relative path that is not a `.md` file name (`foto.png`, `./x`, `../y/`):
/// resolved against the page's own URL, it names a file the site does not make. Full URLs,
/// site paths (`/static/x.png`), fragments (`#aanpak`) and queries are not relative paths.
fn is_relative_path(url: &str) -> bool {
    let url = url.trim();
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    !(path.is_empty() || has_scheme || path.starts_with('/') || path.ends_with(".md"))
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
    if path.starts_with('/') && !path.starts_with("//") {
        // A site path the caller knows no page for is a broken link, like a missing file.
        return resolve(url);
    }
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

/// Line and column of byte offsets that mostly come in increasing order (events in document
/// order): each lookup scans only from the previous one, so reporting every broken link of a
/// huge body stays linear in its size instead of quadratic.
#[derive(Default)]
struct Cursor {
    offset: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    fn line_col(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        if offset < self.offset || self.line == 0 {
            let (line, column) = crate::config::line_col(text, offset);
            *self = Cursor {
                offset,
                line,
                column,
            };
        } else {
            for c in text[self.offset..offset].chars() {
                if c == '\n' {
                    self.line += 1;
                    self.column = 1;
                } else {
                    self.column += 1;
                }
            }
            self.offset = offset;
        }
        (self.line, self.column)
    }
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

/// `html` with every table header cell (`<th>` or `<th style=…>`, as pulldown-cmark writes them)
/// marked `scope="col"`: header cells are column headers in Markdown tables. One pass, and no
/// copy at all when there is no table.
fn header_cells_scoped(html: String) -> String {
    let finder = memchr::memmem::Finder::new("<th");
    if finder.find(html.as_bytes()).is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html.as_str();
    while let Some(i) = finder.find(rest.as_bytes()) {
        let after = &rest[i + 3..];
        out.push_str(&rest[..i + 3]);
        if after.starts_with('>') || after.starts_with(" style=") {
            out.push_str(" scope=\"col\"");
        }
        rest = after;
    }
    out.push_str(rest);
    out
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
            r.fragment_links,
            vec![FragmentLink {
                line: 10,
                column: 5,
                file: "a.md".into(),
                fragment: "x".into()
            }]
        );
        assert_eq!(
            r.broken_links,
            vec![BrokenLink {
                line: 12,
                column: 4,
                target: "b.md".into(),
                relative: false,
            }]
        );
    }

    #[test]
    fn reports_relative_paths_and_images_without_alt() {
        let body = "![](foto.png) en ![Een foto](/static/f.png)\n\n[A](./a) [B](#b) [C](https://x.nl/c) [D](../d/) [E](/nergens/)\n";
        // Site paths resolve when the caller knows them.
        let site = |f: &str| f.starts_with("/static/").then(|| f.to_string());
        let r = render(body, 1, &site);
        let targets: Vec<(&str, bool)> = r
            .broken_links
            .iter()
            .map(|b| (b.target.as_str(), b.relative))
            .collect();
        assert_eq!(
            targets,
            [
                ("foto.png", true),
                ("./a", true),
                ("../d/", true),
                ("/nergens/", false)
            ]
        );
        assert_eq!(r.images_without_alt, [(1, 1)]);
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
        assert!(r.html.contains("<thead>"));
        assert!(r.html.contains("<del>weg</del>"));
        let aligned = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n", 1, &none).html;
        assert!(
            aligned.contains("<th scope=\"col\" style=\"text-align: left\">a</th>"),
            "{aligned}"
        );
        assert_eq!(render("geen tabel", 1, &none).html, "<p>geen tabel</p>\n");
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn many_equal_headings_and_broken_links_stay_linear() {
        let n = 20_000;
        let body = "## Kop\n\n[x](weg.md) en [y](weg.md)\n\n".repeat(n);
        let start = std::time::Instant::now();
        let r = render(&body, 10, &none);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(r.headings[0].id, "kop");
        assert_eq!(r.headings[n - 1].id, format!("kop-{n}"));
        assert_eq!(r.broken_links.len(), 2 * n);
        let last = &r.broken_links[2 * n - 1];
        assert_eq!((last.line, last.column), (10 + 4 * (n - 1) + 2, 16));
    }

    #[test]
    fn explicit_ids_are_not_reused_by_suffixes() {
        let r = render("## A {#a-2}\n\n## A\n\n## A\n\n## A\n", 1, &none);
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a-2", "a", "a-3", "a-4"]);
    }

    #[test]
    fn nesting_beyond_the_limit_is_reported_not_sanitized() {
        let ok = format!("{}x\n", "> ".repeat(MAX_NESTING / 2));
        assert_eq!(render(&ok, 1, &none).too_deep, None);
        let deep = format!("Tekst.\n\n{}x\n", "- ".repeat(MAX_NESTING));
        let r = render(&deep, 5, &none);
        assert_eq!(r.too_deep.map(|(line, _)| line), Some(7));
        assert!(r.html.is_empty());
        let html = format!(
            "a\n\n<b>{}x{}</b>\n",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        let start = std::time::Instant::now();
        let r = render(&html.repeat(1000), 1, &none);
        assert_eq!(r.too_deep.map(|(line, _)| line), Some(3));
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        // Open `<li>`, `<p>` and void elements do not count; closed elements unwind.
        let flat = format!(
            "{}\n\n{}\n",
            "<p>a<br><li>b<img src=x>".repeat(1000),
            "<span>c</span>".repeat(1000)
        );
        assert_eq!(render(&flat, 1, &none).too_deep, None);
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_dropped() {
        let r = render(
            "# Kop {#eigen .mooi onclick=alert(1) style=x}\n\n## Twee {onerror=x}\n",
            1,
            &none,
        );
        assert!(
            r.html.contains("<h2 id=\"eigen\" class=\"mooi\">Kop</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"twee\">Twee</h2>"), "{}", r.html);
        assert!(
            !r.html.contains("onclick") && !r.html.contains("onerror") && !r.html.contains("style")
        );
    }

    #[test]
    fn slugifies_dutch() {
        assert_eq!(slugify("Súdwest-Fryslân"), "sudwest-fryslan");
        assert_eq!(slugify("'s-Hertogenbosch"), "s-hertogenbosch");
        assert_eq!(slugify("KLIQ Reïntegratie"), "kliq-reintegratie");
        assert_eq!(slugify("Bergen (NH.)"), "bergen-nh");
    }
}
