//! Rendering again only what changed: a page whose template and context are the same as in the
//! previous render reuses that render's bytes.
//!
//! A page's output is a pure function of its template (with the templates it extends or imports),
//! its typed context and the interface strings, so [`Pass::render`] fingerprints exactly those
//! (`fingerprint`: the context streamed into a 128-bit hash), with a hash of the template's
//! sources and one of the strings (taken once per pass). The fingerprint is
//! looked up in the [`Memo`] of the previous pass; on a miss the page is rendered by Tera. Nothing
//! is tracked by hand, so a dependency cannot be forgotten: whatever a page shows is in its
//! context. The memo's maps are carried from pass to pass (`carry`): a pass marks what it
//! reuses and adds what it makes, and keeps only those, so memory does not grow over many
//! rebuilds. This module does not decide which pages exist (`pages` does).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde::Serialize;

use super::data::Piece;
use super::views::Card;
use super::{Strings, Templates};
use crate::carry::Carried;
use crate::error::Result;
use crate::fingerprint;
use crate::record::Practice;

/// Rendered bytes, shared between the output, the memo and the dev server. A `Vec` behind the
/// `Arc` rather than `Arc<[u8]>`: a rendered page becomes shared bytes without a copy.
pub type Bytes = Arc<Vec<u8>>;

/// The pages of the last render pass by fingerprint, and by key (see [`Pass::render_keyed`]).
#[derive(Debug, Default)]
pub struct Memo {
    pages: Carried<u128, Bytes>,
    /// A page's fingerprint and bytes by its key (the bytes shared with `pages`): a page whose
    /// key is unchanged is found with one lookup.
    keyed: Carried<u128, (u128, Bytes)>,
    /// Each practice's share of the open data, by [`PracticeKeys::record_key`].
    pieces: Carried<u128, Arc<Piece>>,
    /// Each practice's card and its fingerprint, by [`PracticeKeys::card_key`].
    cards: Carried<u128, (Arc<Card>, u128)>,
    /// The fingerprint of each practice record, by the address of the record it was taken of;
    /// the record is held, so the address cannot be reused by another while it is listed.
    records: Carried<usize, (Arc<Practice>, u128)>,
    /// Fingerprints of what a page takes from one practice (its search filters, its share of
    /// the open data), by kind and key: see [`Pass::derived`].
    derived: Carried<u128, u128>,
    /// Files made from the whole site but not from a template (the open data's JSON and CSV),
    /// by a key of what they are made from: see [`Pass::file_keyed`].
    files: Carried<u128, Bytes>,
    /// The permutation that sorted the pass's files by path (see `Output::sorted_like`).
    pub(super) order: Vec<usize>,
}

impl Memo {
    /// How many pages the memo holds.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Ends a pass over the memo (see `carry`): `whole` when the pass made every page.
    fn end_pass(&mut self, whole: bool) {
        self.pages.end_pass(whole);
        self.keyed.end_pass(whole);
        self.pieces.end_pass(whole);
        self.cards.end_pass(whole);
        self.records.end_pass(whole);
        self.derived.end_pass(whole);
        self.files.end_pass(whole);
    }
}

/// Keys for the pages of one practice (its page and its dossier): everything those contexts are
/// built from besides the templates and strings. That is the site-wide part (settings,
/// vocabularies, awards, plain pages, the build's switches), the practice's own record and the
/// cards the page shows of other practices (its related practices).
pub struct PracticeKeys {
    site: u128,
    records: Vec<u128>,
    /// Per practice, the site-wide part and its record: [`PracticeKeys::record_key`].
    record_keys: Vec<u128>,
}

impl PracticeKeys {
    pub fn new(site: &crate::model::Site, extra: &super::Extra, pass: &Pass) -> PracticeKeys {
        use rayon::prelude::*;
        let jury = extra.jury.as_ref().map(ToString::to_string);
        // Practice pages show related practices' cards, rendered from their own template.
        let site_key = fingerprint::of(&(
            pass.templates.source_hash(super::context::CARD_TEMPLATE),
            &site.config,
            &site.vocab,
            &site.awards,
            &site.pages,
            extra.private,
            &extra.banner,
            jury,
        ));
        let records = pass.record_prints(&site.practices);
        let record_keys = records
            .par_iter()
            .map(|&r| fingerprint::of_prints("record", &[site_key, r]))
            .collect();
        PracticeKeys {
            site: site_key,
            records,
            record_keys,
        }
    }

    /// The key of what practice `id`'s card is made from: its record and the site-wide part,
    /// which holds `card.html`'s closure (the interface strings are added by [`Pass::card`]).
    pub fn card_key(&self, id: usize) -> u128 {
        fingerprint::of_prints("card", &[self.site, self.records[id]])
    }

    /// The key of the site-wide part every page's context is built from.
    pub fn site(&self) -> u128 {
        self.site
    }

    /// The key of what practice `id`'s open-data record is made from: the site-wide part and its
    /// own record.
    pub fn record_key(&self, id: usize) -> u128 {
        self.record_keys[id]
    }

    /// The key of what edition `ei` of award `ai` is shown from (its page and its CSV): the
    /// site-wide part and, in the edition's order, each entry's record and which of its award
    /// entries it is.
    pub fn edition(&self, site: &crate::model::Site, ai: usize, ei: usize) -> u128 {
        let ed = &site.award_index[ai].editions[ei];
        let entries: Vec<(u128, usize)> = ed
            .entries
            .iter()
            .map(|&(pid, entry)| (self.records[pid], entry))
            .collect();
        fingerprint::of(&("edition", self.site, ai, &ed.key, entries))
    }

    /// The key of page kind `kind` of practice `id`, which shows the cards with fingerprints
    /// `cards` (a related practice whose text changed shows the same card).
    pub fn page(&self, id: usize, kind: &str, cards: &[u128]) -> u128 {
        let prints = [&[self.site, self.records[id]][..], cards].concat();
        fingerprint::of_prints(kind, &prints)
    }
}

/// The fingerprint of a card: its data and its HTML (which it does not serialize).
fn card_print(c: &Card) -> u128 {
    fingerprint::of(&(c, &c.html, &c.html_sub, &c.pick))
}

/// What a pass did: pages rendered and pages reused from the previous pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reuse {
    pub rendered: usize,
    pub reused: usize,
}

/// One render pass over the templates, optionally reusing the pages of a previous pass.
pub struct Pass<'a> {
    templates: &'a Templates,
    strings: &'a Strings,
    /// A hash of the interface strings, which every page is rendered with.
    strings_hash: u128,
    /// The memo of the previous pass, in a pass that keeps one for the next.
    memo: Option<Memo>,
    rendered: AtomicUsize,
    reused: AtomicUsize,
}

impl<'a> Pass<'a> {
    /// A pass that renders every page and keeps nothing (a plain build).
    pub fn plain(templates: &'a Templates, strings: &'a Strings) -> Pass<'a> {
        Pass {
            templates,
            strings,
            strings_hash: 0,
            memo: None,
            rendered: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// A pass that reuses what `previous` rendered and remembers its own pages.
    pub fn incremental(templates: &'a Templates, strings: &'a Strings, previous: Memo) -> Pass<'a> {
        Pass {
            templates,
            strings,
            strings_hash: fingerprint::of(strings),
            memo: Some(previous),
            rendered: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// The order the previous pass's files were sorted in (empty without one).
    pub fn previous_order(&self) -> &[usize] {
        self.memo.as_ref().map_or(&[], |m| &m.order)
    }

    /// A practice's card with its fingerprint (none in a pass without a memo): the previous
    /// pass's when `key` and the interface strings are the same, else made by `make`. Debug
    /// builds make it anyway and check the fingerprint, so a key that misses a dependency fails
    /// the tests.
    pub fn card(
        &self,
        key: Option<u128>,
        make: impl FnOnce() -> Result<Card>,
    ) -> Result<(Arc<Card>, Option<u128>)> {
        let (Some(memo), Some(key)) = (&self.memo, key) else {
            return Ok((Arc::new(make()?), None));
        };
        let key = fingerprint::of_prints("card", &[key, self.strings_hash]);
        if let Some((card, print)) = memo.cards.get(&key) {
            if cfg!(debug_assertions) {
                assert_eq!(
                    card_print(&make()?),
                    *print,
                    "card: a key misses a dependency"
                );
            }
            return Ok((card.clone(), Some(*print)));
        }
        let card = Arc::new(make()?);
        let print = card_print(&card);
        memo.cards.insert(key, (card.clone(), print));
        Ok((card, Some(print)))
    }

    /// True when the theme or site has template `name`.
    pub fn has_template(&self, name: &str) -> bool {
        self.templates.has(name)
    }

    /// Renders template `name` as a part of pages (never kept or reused on its own; the pages
    /// that hold it are).
    pub fn fragment<C: Serialize>(&self, name: &str, ctx: &C) -> Result<String> {
        text(self.templates.render(name, ctx, self.strings)?)
    }

    /// Renders template `name` once per item of `variants`, each over one conversion of `ctx`
    /// (see [`Templates::render_variants`]), as parts of pages like [`Pass::fragment`].
    pub fn fragments<C: Serialize, V: Serialize>(
        &self,
        name: &str,
        ctx: &C,
        variants: &[V],
    ) -> Result<Vec<String>> {
        let each = self
            .templates
            .render_variants(name, ctx, variants, self.strings)?;
        each.into_iter().map(text).collect()
    }

    /// The fingerprint of every practice record. A record shared with the previous pass (the
    /// same `Arc`: validation took it from its memo) keeps its fingerprint; the others are
    /// fingerprinted.
    pub fn record_prints(&self, practices: &[Arc<Practice>]) -> Vec<u128> {
        use rayon::prelude::*;
        let Some(memo) = &self.memo else {
            return practices.par_iter().map(fingerprint::of).collect();
        };
        practices
            .par_iter()
            .map(|p| {
                let at = Arc::as_ptr(p) as usize;
                match memo.records.get(&at) {
                    Some((held, print)) if Arc::ptr_eq(held, p) => *print,
                    _ => {
                        let print = fingerprint::of(p);
                        memo.records.insert(at, (p.clone(), print));
                        print
                    }
                }
            })
            .collect()
    }

    /// Whether this pass keeps a memo (and so can use keys).
    pub fn keeps_memo(&self) -> bool {
        self.memo.is_some()
    }

    /// Whether this pass has the cards of an earlier one to reuse.
    pub fn has_cards(&self) -> bool {
        self.memo.as_ref().is_some_and(|m| !m.cards.is_empty())
    }

    /// Renders template `name` with `ctx`, or reuses the bytes of an identical earlier page.
    pub fn render<C: Serialize>(&self, name: &str, ctx: &C) -> Result<Bytes> {
        match &self.memo {
            None => self
                .templates
                .render(name, ctx, self.strings)
                .map(Bytes::from),
            Some(memo) => self.render_printed(memo, name, ctx).map(|(_, bytes)| bytes),
        }
    }

    /// [`Pass::render`] in a pass that keeps a memo, with the page's fingerprint.
    fn render_printed<C: Serialize>(
        &self,
        memo: &Memo,
        name: &str,
        ctx: &C,
    ) -> Result<(u128, Bytes)> {
        let print = self.fingerprint(name, ctx);
        if let Some(bytes) = memo.pages.get(&print) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok((print, bytes.clone()));
        }
        // Kept for the next pass: without the spare capacity the size hint left.
        let mut page = self.templates.render(name, ctx, self.strings)?;
        page.shrink_to_fit();
        let bytes = Bytes::from(page);
        memo.pages.insert(print, bytes.clone());
        self.rendered.fetch_add(1, Ordering::Relaxed);
        Ok((print, bytes))
    }

    /// Like [`Pass::render`] for a page whose context is a function of `key` alone (given the
    /// template and strings, which are added to it here): when the previous pass rendered a page
    /// with the same key, its bytes are reused without building the context at all. Debug builds
    /// (every test) build the context anyway and check that its fingerprint is the one the key
    /// stood for, so a key that misses a dependency fails the tests instead of serving a stale
    /// page.
    pub fn render_keyed<C: Serialize>(
        &self,
        name: &str,
        key: u128,
        context: impl FnOnce() -> Result<C>,
    ) -> Result<Bytes> {
        let Some(memo) = &self.memo else {
            return self.render(name, &context()?);
        };
        let source = u128::from(self.templates.source_hash(name));
        let key = fingerprint::of_prints(name, &[source, self.strings_hash, key]);
        if let Some((print, bytes)) = memo.keyed.get(&key) {
            if cfg!(debug_assertions) {
                let actual = self.fingerprint(name, &context()?);
                assert_eq!(actual, *print, "{name}: a page key misses a dependency");
            }
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(bytes.clone());
        }
        let (print, bytes) = self.render_printed(memo, name, &context()?)?;
        memo.keyed.insert(key, (print, bytes.clone()));
        Ok(bytes)
    }

    /// A practice's share of the open data (see `data::Piece`): the previous pass's when `key`
    /// is the same, else made by `make`. Debug builds make it anyway and check that both agree,
    /// so a key that misses a dependency fails the tests.
    pub fn piece(&self, key: Option<u128>, make: impl FnOnce() -> Piece) -> Arc<Piece> {
        let (Some(memo), Some(key)) = (&self.memo, key) else {
            return Arc::new(make());
        };
        memo.pieces
            .found_or_made(key, || Arc::new(make()), "open data")
    }

    /// The fingerprint of what a page takes from one practice, a derived value of kind `kind`
    /// made from what `key` stands for (the practice's record key, say): the previous pass's
    /// when the key is the same, else `make`'s. Keys of site-wide pages are built from these,
    /// so an edit that leaves a practice's share unchanged (a new sentence in its body leaves
    /// its search filters as they were) leaves those pages' keys unchanged. Debug builds call
    /// `make` anyway and check that both agree.
    pub fn derived(&self, kind: &str, key: u128, make: impl FnOnce() -> u128) -> u128 {
        let Some(memo) = &self.memo else {
            return make();
        };
        let key = fingerprint::of_prints(kind, &[key]);
        memo.derived.found_or_made(key, make, kind)
    }

    /// A file that is not rendered from a template, made by `make` from what `key` stands for;
    /// in an incremental pass the previous pass's bytes when the key is the same, so the served
    /// file stays the same shared bytes. Debug builds make it anyway and compare.
    pub fn file_keyed(&self, name: &str, key: u128, make: impl FnOnce() -> Bytes) -> Bytes {
        let Some(memo) = &self.memo else {
            return make();
        };
        let key = fingerprint::of_prints(name, &[key]);
        memo.files.found_or_made(key, make, name)
    }

    /// The fingerprint of what template `name` is rendered from, with `value` as its input.
    fn fingerprint<C: Serialize>(&self, name: &str, ctx: &C) -> u128 {
        fingerprint::of(&(
            name,
            self.templates.source_hash(name),
            self.strings_hash,
            ctx,
        ))
    }

    /// The memo for the next pass, and what this pass reused. `whole`: the pass made every
    /// page; a pass that stopped at an error keeps the whole previous memo as well.
    pub fn finish(self, whole: bool) -> (Memo, Reuse) {
        let reuse = Reuse {
            rendered: self.rendered.into_inner(),
            reused: self.reused.into_inner(),
        };
        let mut memo = self.memo.unwrap_or_default();
        memo.end_pass(whole);
        (memo, reuse)
    }
}

/// A rendered fragment as text: Tera writes what templates give it, which is UTF-8.
fn text(bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| crate::error::Error::Template(e.to_string()))
}
