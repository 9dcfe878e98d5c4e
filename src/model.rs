//! The site as read-only data: validated records plus the indexes every page needs.
//!
//! Facets (term → practice ids), award editions with their entries by rank, related practices
//! and list orders are computed here, once per site. Pages hold [`PracticeId`]s, never copies.
//! Pure: no I/O, no rendering.

pub mod links;
mod related;

use std::cmp::Reverse;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

use crate::config::Config;
use crate::markdown::slugify;
use crate::meta::{Province, Rank};
use crate::record::{Award, Page, Practice};
use crate::validate::Validated;
use crate::vocab::{Vocab, Vocabulary};

/// An index into [`Site::practices`].
pub type PracticeId = usize;

/// The kinds of facet, each with its own index page and URL segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FacetKind {
    Municipality,
    Province,
    Partner,
    Theme,
    TargetGroup,
    Instrument,
    Year,
}

impl FacetKind {
    pub const ALL: [FacetKind; 7] = [
        FacetKind::Municipality,
        FacetKind::Province,
        FacetKind::Partner,
        FacetKind::Theme,
        FacetKind::TargetGroup,
        FacetKind::Instrument,
        FacetKind::Year,
    ];

    /// The URL segment, also the interface-string key of the facet's name.
    pub fn segment(self) -> &'static str {
        match self {
            FacetKind::Municipality => "gemeenten",
            FacetKind::Province => "provincies",
            FacetKind::Partner => "partners",
            FacetKind::Theme => "themas",
            FacetKind::TargetGroup => "doelgroepen",
            FacetKind::Instrument => "instrumenten",
            FacetKind::Year => "jaren",
        }
    }
}

/// One value of a facet with the practices that have it, in list order.
#[derive(Debug, Clone)]
pub struct FacetTerm {
    pub slug: String,
    pub label: String,
    pub label_en: Option<String>,
    pub description: Option<String>,
    pub practices: Vec<PracticeId>,
}

#[derive(Debug, Clone)]
pub struct Facet {
    pub kind: FacetKind,
    pub terms: Vec<FacetTerm>,
}

/// An award edition with its entries, best rank first.
#[derive(Debug, Clone)]
pub struct EditionEntries {
    pub key: String,
    /// Index into the award's `editions`, when the award file lists this edition.
    pub meta: Option<usize>,
    /// (practice, index into that practice's `awards`), by rank then title.
    pub entries: Vec<(PracticeId, usize)>,
}

#[derive(Debug, Clone)]
pub struct AwardIndex {
    /// Editions, newest first.
    pub editions: Vec<EditionEntries>,
}

/// The whole site, read-only.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub vocab: Vocab,
    /// Practices in list order (by title).
    pub practices: Vec<Arc<Practice>>,
    pub awards: Vec<Award>,
    /// Parallel to `awards`.
    pub award_index: Vec<AwardIndex>,
    /// Pages by weight, then title.
    pub pages: Vec<Page>,
    /// Shared with the model memo, which reuses it while its inputs are unchanged.
    pub facets: Arc<Vec<Facet>>,
    /// Practice ids by start of period, newest first.
    pub newest: Vec<PracticeId>,
    /// Per practice: explicit `related` first, then the most similar.
    /// Shared with the model memo, like `facets`.
    pub related: Arc<Vec<Vec<PracticeId>>>,
    by_slug: HashMap<String, PracticeId>,
}

impl Site {
    pub fn practice_id(&self, slug: &str) -> Option<PracticeId> {
        self.by_slug.get(slug).copied()
    }

    pub fn award(&self, slug: &str) -> Option<(usize, &Award)> {
        self.awards.iter().enumerate().find(|(_, a)| a.slug == slug)
    }
}

/// A sort key that ignores case and diacritics, as a Dutch reader expects ("'s-Gravenhage"
/// under G is a refinement left out; CBS sorts it first too).
pub fn sort_key(text: &str) -> String {
    slugify(text)
}

const SIMILAR: usize = 3;

/// What an earlier model build computed that the next one can reuse: the related practices and
/// the facets, each with a fingerprint of everything they are computed from.
#[derive(Debug, Default)]
pub struct Memo {
    related: Option<(u128, Arc<Vec<Vec<PracticeId>>>)>,
    facets: Option<(u128, Arc<Vec<Facet>>)>,
    /// Per practice, what the facets and the related lists take from it, by the address of its
    /// record; the record is held, so the address is not reused by another while it is listed.
    inputs: crate::carry::Carried<usize, (Arc<Practice>, Inputs)>,
    /// The list order of the last build: item `i` of the list was item `order[i]` of the
    /// validated practices. Tried first by the next build (see [`sort_again`]).
    order: Vec<usize>,
}

/// Fingerprints of what the model's site-wide parts take from one practice, and its sort key.
#[derive(Debug, Clone)]
struct Inputs {
    /// Its terms, places, partners and start year.
    facets: u128,
    /// Its slug, themes, instruments, target groups and `related` list.
    related: u128,
    /// [`sort_key`] of its title.
    title: Arc<str>,
}

impl Inputs {
    fn of(p: &Practice) -> Inputs {
        let partners: Vec<(&str, &str)> = p
            .partners
            .iter()
            .map(|x| (x.slug.as_str(), x.name.as_str()))
            .collect();
        Inputs {
            facets: crate::fingerprint::of(&(
                (&p.themes, &p.target_groups, &p.instruments),
                (&p.municipalities, partners),
                (&p.provinces, p.period.start.year),
            )),
            related: crate::fingerprint::of(&(
                &p.slug,
                &p.themes,
                &p.instruments,
                &p.target_groups,
                &p.related,
            )),
            title: sort_key(&p.title).into(),
        }
    }
}

/// Every practice's [`Inputs`], in the order given: a record shared with the memo's build (the
/// same `Arc`: validation took it from its memo) keeps its fingerprints, the others are made (in
/// parallel). The memo then lists exactly these records.
fn inputs_again(practices: &[Arc<Practice>], memo: &mut Memo) -> Vec<Inputs> {
    use rayon::prelude::*;
    let known = &memo.inputs;
    let inputs: Vec<Inputs> = practices
        .par_iter()
        .map(|p| {
            let at = Arc::as_ptr(p) as usize;
            match known.get(&at) {
                Some((held, inputs)) if Arc::ptr_eq(held, p) => inputs.clone(),
                _ => {
                    let inputs = Inputs::of(p);
                    known.insert(at, (p.clone(), inputs.clone()));
                    inputs
                }
            }
        })
        .collect();
    memo.inputs.end_pass(true);
    inputs
}

/// Puts `practices` (with their `inputs`) in list order, by title and then slug: the order of
/// the memo's last build when it still sorts them (an edit nearly always leaves the order as
/// it was; applying and checking it is one walk), else a sort. Remembers the order used.
fn sort_again(
    practices: Vec<Arc<Practice>>,
    inputs: Vec<Inputs>,
    memo: &mut Memo,
) -> (Vec<Arc<Practice>>, Vec<Inputs>) {
    let key = |i: usize| (&*inputs[i].title, &practices[i].slug);
    let previous = std::mem::take(&mut memo.order);
    let fits = previous.len() == practices.len()
        && previous.iter().all(|&i| i < practices.len())
        // Strictly: with two equal keys, only the sort says which comes first.
        && previous.windows(2).all(|w| key(w[0]) < key(w[1]));
    let order = if fits {
        previous
    } else {
        let mut order: Vec<usize> = (0..practices.len()).collect();
        order.sort_by(|&a, &b| key(a).cmp(&key(b)));
        order
    };
    let sorted = (
        order.iter().map(|&i| practices[i].clone()).collect(),
        order.iter().map(|&i| inputs[i].clone()).collect(),
    );
    memo.order = order;
    sorted
}

/// Builds the site model from validated records.
pub fn build(config: Config, vocab: Vocab, validated: Validated) -> Site {
    build_with(config, vocab, validated, None)
}

/// Builds like [`build`], reusing the related practices of the build `memo` remembers when no
/// practice's slug, themes, instruments, target groups or `related` list changed (an edit to
/// a text, a result or a partner, say); updates the memo.
pub fn build_again(config: Config, vocab: Vocab, validated: Validated, memo: &mut Memo) -> Site {
    build_with(config, vocab, validated, Some(memo))
}

fn build_with(
    config: Config,
    vocab: Vocab,
    validated: Validated,
    mut memo: Option<&mut Memo>,
) -> Site {
    let Validated {
        mut practices,
        awards,
        mut pages,
    } = validated;
    let inputs = match memo.as_deref_mut() {
        Some(memo) => {
            let inputs = inputs_again(&practices, memo);
            let (sorted, inputs) = sort_again(practices, inputs, memo);
            practices = sorted;
            Some(inputs)
        }
        None => {
            practices.sort_by_cached_key(|p| (sort_key(&p.title), p.slug.clone()));
            None
        }
    };
    pages.sort_by_cached_key(|p| (p.weight, sort_key(&p.title)));
    // Three walks over every record, side by side (each is a few milliseconds at 10,000
    // practices, on every edit of the dev server).
    let ((by_slug, newest), award_index) = rayon::join(
        || rayon::join(|| slug_index(&practices), || newest_first(&practices)),
        || awards.iter().map(|a| index_award(a, &practices)).collect(),
    );
    let facets = facets_again(&practices, &vocab, memo.as_deref_mut(), inputs.as_deref());
    let related = match (memo, &inputs) {
        (Some(memo), Some(inputs)) => {
            let prints: Vec<u128> = inputs.iter().map(|i| i.related).collect();
            let key = crate::fingerprint::of_prints("related", &prints);
            match &memo.related {
                Some((k, lists)) if *k == key => lists.clone(),
                _ => {
                    let lists = Arc::new(related(&practices, &by_slug));
                    memo.related = Some((key, lists.clone()));
                    lists
                }
            }
        }
        _ => Arc::new(related(&practices, &by_slug)),
    };
    Site {
        config,
        vocab,
        practices,
        awards,
        award_index,
        pages,
        facets,
        newest,
        related,
        by_slug,
    }
}

/// Each practice's id by its slug.
fn slug_index(practices: &[Arc<Practice>]) -> HashMap<String, PracticeId> {
    let mut by_slug = HashMap::with_capacity(practices.len());
    for (i, p) in practices.iter().enumerate() {
        by_slug.insert(p.slug.clone(), i);
    }
    by_slug
}

/// The practices by start, latest first, and in list order where they started at the same
/// time. The start dates are gathered first: sorting by them in place would read a record from
/// memory at every comparison.
fn newest_first(practices: &[Arc<Practice>]) -> Vec<PracticeId> {
    let starts: Vec<_> = practices
        .iter()
        .map(|p| p.period.start.earliest())
        .collect();
    let mut newest: Vec<PracticeId> = (0..practices.len()).collect();
    // Ids are unique, so an unstable sort gives the one order.
    newest.sort_unstable_by_key(|&i| (Reverse(starts[i]), i));
    newest
}

/// The facets, taken from `memo` while their inputs (the vocabularies and every practice's
/// [`Inputs::facets`], in list order) are unchanged, and remembered there; built without a memo.
fn facets_again(
    practices: &[Arc<Practice>],
    vocab: &Vocab,
    memo: Option<&mut Memo>,
    inputs: Option<&[Inputs]>,
) -> Arc<Vec<Facet>> {
    let (Some(memo), Some(inputs)) = (memo, inputs) else {
        return Arc::new(facets(practices, vocab));
    };
    let mut prints = vec![crate::fingerprint::of(&(
        &vocab.themes,
        &vocab.target_groups,
        &vocab.instruments,
    ))];
    prints.extend(inputs.iter().map(|i| i.facets));
    let key = crate::fingerprint::of_prints("facets", &prints);
    if let Some((k, facets)) = &memo.facets {
        if *k == key {
            return facets.clone();
        }
    }
    let built = Arc::new(facets(practices, vocab));
    memo.facets = Some((key, built.clone()));
    built
}

/// Every facet, in [`FacetKind::ALL`] order, built side by side.
fn facets(practices: &[Arc<Practice>], vocab: &Vocab) -> Vec<Facet> {
    use rayon::prelude::*;
    FacetKind::ALL
        .par_iter()
        .map(|&k| facet(k, practices, vocab))
        .collect()
}

fn facet(kind: FacetKind, practices: &[Arc<Practice>], vocab: &Vocab) -> Facet {
    let terms = match kind {
        FacetKind::Theme => vocab_terms(&vocab.themes, practices, |p| &p.themes),
        FacetKind::TargetGroup => {
            vocab_terms(&vocab.target_groups, practices, |p| &p.target_groups)
        }
        FacetKind::Instrument => vocab_terms(&vocab.instruments, practices, |p| &p.instruments),
        FacetKind::Municipality => grouped(practices, |p| {
            p.municipalities
                .iter()
                .map(|m| (slugify(m), m.clone()))
                .collect()
        }),
        FacetKind::Partner => grouped(practices, |p| {
            p.partners
                .iter()
                .map(|x| (x.slug.clone(), x.name.clone()))
                .collect()
        }),
        FacetKind::Province => {
            let mut by: BTreeMap<Province, Vec<PracticeId>> = BTreeMap::new();
            for (i, p) in practices.iter().enumerate() {
                for prov in &p.provinces {
                    by.entry(*prov).or_default().push(i);
                }
            }
            by.into_iter()
                .map(|(prov, ids)| {
                    term(slugify(prov.key()), prov.key().to_string(), None, None, ids)
                })
                .collect()
        }
        FacetKind::Year => {
            let mut by: BTreeMap<Reverse<i32>, Vec<PracticeId>> = BTreeMap::new();
            for (i, p) in practices.iter().enumerate() {
                by.entry(Reverse(p.period.start.year)).or_default().push(i);
            }
            by.into_iter()
                .map(|(Reverse(y), ids)| term(y.to_string(), y.to_string(), None, None, ids))
                .collect()
        }
    };
    Facet { kind, terms }
}

fn term(
    slug: String,
    label: String,
    label_en: Option<String>,
    description: Option<String>,
    practices: Vec<PracticeId>,
) -> FacetTerm {
    FacetTerm {
        slug,
        label,
        label_en,
        description,
        practices,
    }
}

/// Terms of a vocabulary in file order; unused terms are kept (with no practices) so the index
/// shows the whole vocabulary.
fn vocab_terms(
    v: &Vocabulary,
    practices: &[Arc<Practice>],
    keys: impl Fn(&Practice) -> &Vec<String>,
) -> Vec<FacetTerm> {
    let mut ids: Vec<Vec<PracticeId>> = vec![Vec::new(); v.terms.len()];
    for (i, p) in practices.iter().enumerate() {
        for k in keys(p) {
            if let Some(pos) = v.position(k) {
                ids[pos].push(i);
            }
        }
    }
    v.terms
        .iter()
        .zip(ids)
        .map(|(t, ids)| {
            term(
                t.key.clone(),
                t.nl.clone(),
                t.en.clone(),
                t.description.clone(),
                ids,
            )
        })
        .collect()
}

/// Free-text terms (municipalities, partners) grouped by slug, labelled by their first spelling,
/// sorted by label.
fn grouped(
    practices: &[Arc<Practice>],
    terms: impl Fn(&Practice) -> Vec<(String, String)>,
) -> Vec<FacetTerm> {
    let mut by: HashMap<String, (String, Vec<PracticeId>)> = HashMap::new();
    for (i, p) in practices.iter().enumerate() {
        for (slug, label) in terms(p) {
            let entry = by.entry(slug).or_insert_with(|| (label, Vec::new()));
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
        }
    }
    let mut out: Vec<FacetTerm> = by
        .into_iter()
        .map(|(slug, (label, ids))| term(slug, label, None, None, ids))
        .collect();
    out.sort_by_cached_key(|t| (sort_key(&t.label), t.slug.clone()));
    out
}

/// Per practice: its explicit `related` first, then the [`SIMILAR`] practices sharing the most
/// themes, instruments and target groups (ties: list order; see `related.rs`).
fn related(
    practices: &[Arc<Practice>],
    by_slug: &HashMap<String, PracticeId>,
) -> Vec<Vec<PracticeId>> {
    let explicit: Vec<Vec<PracticeId>> = practices
        .iter()
        .map(|p| {
            p.related
                .iter()
                .filter_map(|s| by_slug.get(s).copied())
                .collect()
        })
        .collect();
    let terms: Vec<related::Terms> = practices
        .iter()
        .map(|p| [&p.themes[..], &p.instruments[..], &p.target_groups[..]])
        .collect();
    let similar = related::similar(&terms, &explicit, SIMILAR);
    explicit
        .into_iter()
        .zip(similar)
        .map(|(mut out, more)| {
            out.extend(more);
            out
        })
        .collect()
}

fn index_award(award: &Award, practices: &[Arc<Practice>]) -> AwardIndex {
    let mut editions: Vec<EditionEntries> = award
        .editions
        .iter()
        .enumerate()
        .map(|(i, e)| EditionEntries {
            key: e.key.clone(),
            meta: Some(i),
            entries: Vec::new(),
        })
        .collect();
    for (pid, p) in practices.iter().enumerate() {
        for (ei, entry) in p
            .awards
            .iter()
            .enumerate()
            .filter(|(_, e)| e.award == award.slug)
        {
            let pos = match editions.iter().position(|e| e.key == entry.edition) {
                Some(pos) => pos,
                None => {
                    editions.push(EditionEntries {
                        key: entry.edition.clone(),
                        meta: None,
                        entries: Vec::new(),
                    });
                    editions.len() - 1
                }
            };
            editions[pos].entries.push((pid, ei));
        }
    }
    for e in &mut editions {
        e.entries.sort_by_key(|&(pid, ei)| {
            (
                rank_order(practices[pid].awards[ei].rank),
                practices[pid].awards[ei].prize_type,
                pid,
            )
        });
    }
    editions.sort_by(|a, b| b.key.cmp(&a.key));
    AwardIndex { editions }
}

fn rank_order(rank: Rank) -> usize {
    Rank::ALL
        .iter()
        .position(|&r| r == rank)
        .unwrap_or(usize::MAX)
}
