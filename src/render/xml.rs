//! Machine-readable files: Atom feed, sitemap, robots.txt and schema.org JSON-LD.
//!
//! Generated in Rust rather than templates: their shape is fixed by standards, and escaping is
//! done here by one function. A private (jury) build gets no feed or sitemap and a robots.txt
//! that disallows everything.

use super::context::Shared;
use super::memo::Pass;
use super::urls::{practice_parts, practice_rel, term_parts};
use super::{Bytes, OutputFile};
use crate::date::PartialDate;
use crate::format;
use crate::model::PracticeId;

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape`] does.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
}

const FEED_ENTRIES: usize = 30;

pub fn files(ctx: &Shared, pass: &Pass) -> Vec<OutputFile> {
    if ctx.extra.private {
        return vec![OutputFile {
            path: "robots.txt".into(),
            bytes: Bytes::new(b"User-agent: *\nDisallow: /\n".to_vec()),
        }];
    }
    let sitemap = || {
        if pass.keeps_memo() {
            pass.file_keyed("sitemap.xml", sitemap_key(ctx), || sitemap(ctx))
        } else {
            sitemap(ctx)
        }
    };
    let (sitemap, feed) = rayon::join(sitemap, || feed(ctx));
    vec![
        OutputFile {
            path: "robots.txt".into(),
            bytes: robots(ctx).into_bytes().into(),
        },
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap,
        },
        OutputFile {
            path: "feed.xml".into(),
            bytes: feed.into_bytes().into(),
        },
    ]
}

fn robots(ctx: &Shared) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        ctx.urls.absolute("sitemap.xml")
    )
}

/// A key of all the sitemap is written from: the site's address and every URL it lists with its
/// date. Hashing them is a fraction of writing (and escaping) the sitemap again, which an edit
/// of a practice's text does not change.
fn sitemap_key(ctx: &Shared) -> u128 {
    let site = ctx.site;
    let practices: Vec<(&str, &PartialDate)> = site
        .practices
        .iter()
        .map(|p| (p.slug.as_str(), &p.newest_date))
        .collect();
    let terms: Vec<(&str, Vec<&str>)> = site
        .facets
        .iter()
        .map(|f| {
            let listed = f.terms.iter().filter(|t| !t.practices.is_empty());
            (f.kind.segment(), listed.map(|t| t.slug.as_str()).collect())
        })
        .collect();
    let awards: Vec<(&str, Vec<&str>)> = site
        .awards
        .iter()
        .zip(&site.award_index)
        .map(|(a, idx)| {
            (
                a.slug.as_str(),
                idx.editions.iter().map(|e| e.key.as_str()).collect(),
            )
        })
        .collect();
    let pages: Vec<&str> = site.pages.iter().map(|p| p.slug.as_str()).collect();
    crate::fingerprint::of(&(ctx.urls.absolute, practices, terms, awards, pages))
}

fn sitemap(ctx: &Shared) -> Bytes {
    let site = ctx.site;
    let mut out = String::with_capacity(site.practices.len() * 160 + 4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    // Written straight into `out`, a URL in parts: the sitemap lists every page.
    let mut url = |parts: &[&str], lastmod: Option<&PartialDate>| {
        out.push_str("  <url><loc>");
        escape_into(&mut out, ctx.urls.absolute);
        for part in parts {
            escape_into(&mut out, part);
        }
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            format::push_iso_day(&mut out, d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    };
    for rel in ["", "praktijken/", "prijzen/"] {
        url(&[rel], None);
    }
    for p in &site.practices {
        url(&practice_parts(&p.slug), Some(&p.newest_date));
    }
    for f in site.facets.iter() {
        let segment = f.kind.segment();
        url(&[segment, "/"], None);
        for t in f.terms.iter().filter(|t| !t.practices.is_empty()) {
            url(&term_parts(f.kind, &t.slug), None);
        }
    }
    for (a, idx) in site.awards.iter().zip(&site.award_index) {
        url(&["prijzen/", &a.slug, "/"], None);
        for e in &idx.editions {
            url(&["prijzen/", &a.slug, "/", &e.key, "/"], None);
        }
    }
    for p in &site.pages {
        url(&[&p.slug, "/"], None);
    }
    out.push_str("</urlset>\n");
    out.into_bytes().into()
}

fn feed(ctx: &Shared) -> String {
    let site = ctx.site;
    // Gathered first: the selection below compares them many times.
    let dates: Vec<PartialDate> = site.practices.iter().map(|p| p.newest_date).collect();
    let mut ids: Vec<PracticeId> = (0..site.practices.len()).collect();
    // The newest first; of equally new ones, the first in list order.
    let order = |&i: &PracticeId| (std::cmp::Reverse(dates[i].latest()), i);
    if ids.len() > FEED_ENTRIES {
        ids.select_nth_unstable_by_key(FEED_ENTRIES, order);
        ids.truncate(FEED_ENTRIES);
    }
    ids.sort_by_key(order);
    let updated = ids.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |&i| format::rfc3339(&dates[i]),
    );
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // Everything a feed says is content (the site's title and description, the practices'
    // titles and summaries), so it is in the content's language, whatever the interface's.
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        crate::config::CONTENT_LANGUAGE.code()
    ));
    out.push_str(&format!(
        "  <title>{}</title>\n",
        escape(&site.config.title)
    ));
    out.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        escape(&site.config.description)
    ));
    out.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\"/>\n",
        escape(&ctx.urls.absolute("feed.xml"))
    ));
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        escape(&ctx.urls.absolute(""))
    ));
    out.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        escape(&ctx.urls.absolute(""))
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(
            site.config
                .publisher
                .as_deref()
                .unwrap_or(&site.config.title)
        )
    ));
    for i in ids {
        let p = &site.practices[i];
        let url = ctx.urls.absolute(&practice_rel(&p.slug));
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", escape(&p.title)));
        out.push_str(&format!(
            "    <link href=\"{}\"/>\n    <id>{}</id>\n",
            escape(&url),
            escape(&url)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            format::rfc3339(&dates[i])
        ));
        out.push_str(&format!("    <summary>{}</summary>\n", escape(&p.summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A practice page's schema.org JSON-LD: an `Article` about the `Project`, with its sources as
/// citations; `<`, `>` and `&` are escaped so the JSON can sit in a script element. Written
/// from typed structs straight into text, whose fields are declared in the order of their
/// names (a JSON object's keys sorted, as they were when the document was a `serde_json`
/// value).
pub fn practice_jsonld(ctx: &Shared, id: PracticeId) -> String {
    let p = &ctx.site.practices[id];
    let awards: Vec<String> = p
        .awards
        .iter()
        .map(|a| {
            format!(
                "{} {} ({})",
                ctx.site
                    .award(&a.award)
                    .map_or(a.award.as_str(), |(_, x)| x.title.as_str()),
                a.edition,
                ctx.t.get("rank", a.rank.key())
            )
        })
        .collect();
    let doc = ld::Article {
        context: "https://schema.org",
        kind: "Article",
        about: ld::Project {
            kind: "Project",
            area_served: p
                .municipalities
                .iter()
                .map(|m| ld::Named::new("AdministrativeArea", m))
                .collect(),
            award: awards,
            description: &p.summary,
            dissolution_date: p.period.end.as_ref().map(ToString::to_string),
            founding_date: p.period.start.to_string(),
            member: p
                .partners
                .iter()
                .map(|x| ld::Named::new("Organization", &x.name))
                .collect(),
            name: &p.title,
        },
        citation: p
            .sources
            .iter()
            .map(|s| ld::Citation {
                kind: "CreativeWork",
                name: &s.title,
                publisher: s
                    .publisher
                    .as_deref()
                    .map(|pb| ld::Named::new("Organization", pb)),
                url: s.url.as_deref(),
            })
            .collect(),
        date_modified: format::iso_day(&p.newest_date),
        description: &p.summary,
        headline: &p.title,
        // The headline, description and body are content, in the content's language.
        in_language: crate::config::CONTENT_LANGUAGE.code(),
        url: ctx.urls.absolute(&practice_rel(&p.slug)),
    };
    script_safe(&serde_json::to_string(&doc).expect("JSON-LD serializes"))
}

/// The shapes of a practice page's JSON-LD. Fields are declared in the order of their JSON
/// names, so the objects' keys come out sorted.
mod ld {
    use serde::Serialize;

    #[derive(Serialize)]
    pub struct Article<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub about: Project<'a>,
        pub citation: Vec<Citation<'a>>,
        #[serde(rename = "dateModified")]
        pub date_modified: String,
        pub description: &'a str,
        pub headline: &'a str,
        #[serde(rename = "inLanguage")]
        pub in_language: &'static str,
        pub url: String,
    }

    #[derive(Serialize)]
    pub struct Project<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        #[serde(rename = "areaServed")]
        pub area_served: Vec<Named<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub award: Vec<String>,
        pub description: &'a str,
        #[serde(rename = "dissolutionDate", skip_serializing_if = "Option::is_none")]
        pub dissolution_date: Option<String>,
        #[serde(rename = "foundingDate")]
        pub founding_date: String,
        pub member: Vec<Named<'a>>,
        pub name: &'a str,
    }

    #[derive(Serialize)]
    pub struct Citation<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub publisher: Option<Named<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub url: Option<&'a str>,
    }

    /// `{"@type": kind, "name": name}`.
    #[derive(Serialize)]
    pub struct Named<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
    }

    impl<'a> Named<'a> {
        pub fn new(kind: &'static str, name: &'a str) -> Self {
            Named { kind, name }
        }
    }
}

/// JSON that cannot end or confuse the `<script>` element it sits in: `<`, `>` and `&` are
/// written as JSON escapes, which mean the same to a JSON parser.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut start = 0;
    for (i, b) in json.bytes().enumerate() {
        let escape = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        // The three are ASCII, so `i` is a character boundary.
        out.push_str(&json[start..i]);
        out.push_str(escape);
        start = i + 1;
    }
    out.push_str(&json[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_script_has_no_markup() {
        assert_eq!(
            script_safe(r#"{"a":"</script><!--&"}"#),
            r#"{"a":"\u003c/script\u003e\u003c!--\u0026"}"#
        );
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
