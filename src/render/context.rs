//! What every page shares: the site-wide view data built once per render, and the [`Base`]
//! context each template extends.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use super::memo::Pass;
use super::strings::Strings;
use super::urls::Urls;
use super::views::{card, Card, CardData, CardPart, Fmt, Link};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::{FacetKind, PracticeId, Site};

/// Build-wide switches that change every page (the jury build sets them).
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// Mark every page `noindex` and leave out sitemap and feed.
    pub private: bool,
    /// A banner shown on every page.
    pub banner: Option<String>,
    /// The edition a jury build is for: its page shows the jury's warnings.
    pub jury: Option<crate::jury::JuryScope>,
}

/// A practice's card with its fingerprint (in an incremental render), or why its template
/// failed: located (a template error) or in words.
type MadeCard =
    std::result::Result<(Arc<Card>, Option<u128>), std::result::Result<Vec<Diagnostic>, String>>;

/// Site-wide data, built once and borrowed by every page.
pub struct Shared<'a> {
    pub site: &'a Site,
    pub t: &'a Strings,
    pub fmt: Fmt<'a>,
    pub urls: Urls<'a>,
    /// The pass the pages are rendered in, which makes the cards.
    pass: &'a Pass<'a>,
    /// Each practice's card with its fingerprint (in an incremental render), made when a page
    /// first shows it ([`Shared::card`]): the first pages (the dev server serves them while the
    /// rest are rendered) do not wait for all 10,000 cards. A card that failed keeps its error.
    cards: Vec<OnceLock<MadeCard>>,
    /// Every practice's id in list order: what `/praktijken/` pages through (made once, not
    /// once for each of its pages).
    pub all: Vec<PracticeId>,
    pub nav: Vec<NavItem>,
    pub footer: Vec<Link>,
    pub css_url: String,
    /// The site's icon (`static/favicon.svg`), so browsers do not ask for a missing
    /// `/favicon.ico` on every page.
    pub icon_url: String,
    pub extra: &'a Extra,
    /// Keys of the practice and dossier pages, in an incremental render.
    pub keys: Option<super::memo::PracticeKeys>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub label: String,
    pub url: String,
    pub section: String,
    /// The label's language when it is content (a page's title) in another language than the
    /// interface's.
    pub lang: Option<&'static str>,
}

impl<'a> Shared<'a> {
    pub fn new(
        site: &'a Site,
        t: &'a Strings,
        extra: &'a Extra,
        pass: &'a Pass<'a>,
    ) -> Result<Shared<'a>> {
        let incremental = pass.keeps_memo();
        let fmt = Fmt {
            t,
            lang: site.config.language,
        };
        let urls = Urls {
            base: &site.config.base_path,
            absolute: &site.config.base_url,
        };
        let keys = incremental.then(|| super::memo::PracticeKeys::new(site, extra, pass));
        let cards = (0..site.practices.len()).map(|_| OnceLock::new()).collect();
        let css_url = format!("{}static/etalage.css", site.config.base_path);
        let icon_url = format!("{}static/favicon.svg", site.config.base_path);
        let content_lang = site.config.language.content_lang();
        let item = |key: &str, rel: &str, section: &str| NavItem {
            label: t.get("nav", key).to_string(),
            url: urls.path(rel),
            section: section.to_string(),
            lang: None,
        };
        let mut nav = vec![
            item("practices", "praktijken/", "praktijken"),
            item("themes", "themas/", "themas"),
            item("municipalities", "gemeenten/", "gemeenten"),
            item("awards", "prijzen/", "prijzen"),
        ];
        if super::has_search(&site.config, extra.private) {
            nav.insert(1, item("search", "zoeken/", "zoeken"));
        }
        nav.extend(
            site.pages
                .iter()
                .filter(|p| p.weight > 0 && p.weight < 100)
                .map(|p| NavItem {
                    label: p.title.clone(),
                    url: urls.path(&format!("{}/", p.slug)),
                    section: p.slug.clone(),
                    lang: content_lang,
                }),
        );
        let mut footer: Vec<Link> = FacetKind::ALL
            .iter()
            .map(|k| Link {
                label: t.get("facet", k.segment()).to_string(),
                url: urls.facet(*k),
                lang: None,
            })
            .collect();
        footer.extend(site.pages.iter().map(|p| Link {
            label: p.title.clone(),
            url: urls.path(&format!("{}/", p.slug)),
            lang: content_lang,
        }));
        footer.push(Link {
            label: t.get("nav", "data").to_string(),
            url: urls.path("data/"),
            lang: None,
        });
        let shared = Shared {
            site,
            t,
            fmt,
            urls,
            pass,
            cards,
            all: (0..site.practices.len()).collect(),
            nav,
            footer,
            css_url,
            icon_url,
            extra,
            keys,
        };
        // After an edit nearly every card is the previous pass's and every one is shown by some
        // page: taken all at once, in order, they cost less than one by one between pages.
        if pass.has_cards() {
            (0..site.practices.len())
                .into_par_iter()
                .try_for_each(|i| shared.made_card(i).map(drop))?;
        }
        Ok(shared)
    }

    /// Practice `id`'s card, made on first use: the previous pass's when its key is the same
    /// (see `Pass::card`).
    pub fn card(&self, id: PracticeId) -> Result<&Arc<Card>> {
        self.made_card(id).map(|(card, _)| card)
    }

    /// The fingerprint of practice `id`'s card, in an incremental render (list and practice
    /// pages are keyed by the cards they show; see `pages::list`).
    pub fn card_print(&self, id: PracticeId) -> Result<Option<u128>> {
        self.made_card(id).map(|(_, print)| *print)
    }

    /// Appends the fingerprints of the cards of `ids` to `out` (0 in a render without a memo).
    pub fn push_card_prints<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i PracticeId>,
        out: &mut Vec<u128>,
    ) -> Result<()> {
        for &id in ids {
            out.push(self.card_print(id)?.unwrap_or_default());
        }
        Ok(())
    }

    fn made_card(&self, id: PracticeId) -> Result<&(Arc<Card>, Option<u128>)> {
        let made = self.cards[id].get_or_init(|| {
            let (site, pass) = (self.site, self.pass);
            let key = self.keys.as_ref().map(|k| k.card_key(id));
            let lang = site.config.language.content_lang();
            let make = || {
                with_html(
                    card(&site.practices[id], &self.fmt, &self.urls, site),
                    lang,
                    pass,
                )
            };
            pass.card(key, make).map_err(|e| match e {
                crate::error::Error::Content(d) => Ok(d),
                crate::error::Error::Template(m) => Err(m),
                other => Err(other.to_string()),
            })
        });
        made.as_ref().map_err(|e| match e {
            Ok(d) => crate::error::Error::Content(d.clone()),
            Err(m) => crate::error::Error::Template(m.clone()),
        })
    }

    /// The content's language code when the interface speaks another, for `lang` attributes
    /// on content (see [`crate::config::Language::content_lang`]).
    pub fn content_lang(&self) -> Option<&'static str> {
        self.site.config.language.content_lang()
    }

    /// The base context of a page at site-relative `rel`.
    pub fn base(
        &self,
        rel: &str,
        title: String,
        description: String,
        section: &'static str,
    ) -> Base<'_> {
        let c = &self.site.config;
        Base {
            lang: c.language.code(),
            content_lang: self.content_lang(),
            title_lang: None,
            description_lang: None,
            site_title: &c.title,
            site_description: &c.description,
            base: &c.base_path,
            title,
            description,
            canonical: self.urls.absolute(rel),
            section,
            noindex: self.extra.private,
            banner: self.extra.banner.as_deref(),
            nav: &self.nav,
            footer: &self.footer,
            crumbs: Vec::new(),
            jsonld: None,
            feed_url: self.urls.path("feed.xml"),
            css_url: &self.css_url,
            icon_url: &self.icon_url,
            search_url: super::has_search(&self.site.config, self.extra.private)
                .then(|| self.urls.path("zoeken/")),
        }
    }
}

/// The theme's template for one card, rendered once per practice (see [`Card::html`]).
pub const CARD_TEMPLATE: &str = "card.html";

/// `c` with its HTML rendered from [`CARD_TEMPLATE`], if the theme has one.
fn with_html(mut c: Card, content_lang: Option<&'static str>, pass: &Pass) -> Result<Card> {
    if pass.has_template(CARD_TEMPLATE) {
        let data = CardData {
            c: &c,
            content_lang,
        };
        let parts =
            [("card", 2), ("card", 3), ("pick", 2)].map(|(part, level)| CardPart { part, level });
        let [html, html_sub, pick]: [String; 3] = pass
            .fragments(CARD_TEMPLATE, &data, &parts)?
            .try_into()
            .expect("one fragment per part");
        (c.html, c.html_sub, c.pick) = (html, html_sub, pick);
    }
    Ok(c)
}

/// The context every template gets, under the name `base` fields flattened to the top level.
/// The interface strings are not part of it: every render adds them as `t` (see
/// `Templates::render`), so they are converted once per page but never fingerprinted per page.
#[derive(Serialize)]
pub struct Base<'a> {
    /// The interface language: the page's `lang`.
    pub lang: &'static str,
    /// The content's language code when the interface speaks another: templates put
    /// `lang="{{ content_lang }}"` on content (titles, summaries, bodies, names).
    pub content_lang: Option<&'static str>,
    /// The language of `title` when the title is content (a practice's, page's or award's
    /// title) in another language than the interface's; `None` for interface words.
    pub title_lang: Option<&'static str>,
    /// The language of `description` when it is content (a practice's summary, an award's
    /// description) in another language than the interface's.
    pub description_lang: Option<&'static str>,
    pub site_title: &'a str,
    pub site_description: &'a str,
    /// The base path every internal URL starts with.
    pub base: &'a str,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub section: &'static str,
    pub noindex: bool,
    pub banner: Option<&'a str>,
    pub nav: &'a [NavItem],
    pub footer: &'a [Link],
    pub crumbs: Vec<Link>,
    pub jsonld: Option<String>,
    pub feed_url: String,
    pub css_url: &'a str,
    pub icon_url: &'a str,
    /// The search page, if the site has one (see [`super::has_search`]).
    pub search_url: Option<String>,
}
