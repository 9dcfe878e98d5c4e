//! Cross-file checks that turn parsed front matter into validated records.
//!
//! Vocabulary keys, municipalities and provinces, references between results, sources,
//! awards and related practices, unique slugs, length limits and Markdown links are all checked
//! here, and every problem is reported at the line of the offending key or value. Bodies are
//! rendered here because their links can only be checked once every slug is known. Pure.

mod salvaged;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::carry::Carried;
use crate::diagnostic::{did_you_mean, Diagnostic, Location};
use crate::jury::{self, JuryScope};
use crate::markdown::{self, Rendered};
use crate::meta::{BaseMeta, Province, Unit, NATIONAL_LEVELS, NATIONAL_SCHEME};
use crate::parse::{is_slug, ParsedAward, ParsedContent, ParsedPage, ParsedPractice};
use crate::record::*;
use crate::vocab::{Vocab, Vocabulary};

pub const TITLE_MAX: usize = 120;
pub const SUMMARY_MAX: usize = 300;

/// URL segments taken by generated pages; a plain page may not use them as its slug.
pub const RESERVED: &[&str] = &[
    "praktijken",
    "gemeenten",
    "provincies",
    "partners",
    "themas",
    "doelgroepen",
    "instrumenten",
    "jaren",
    "prijzen",
    "zoeken",
    "vergelijk",
    "data",
    "static",
    "_etalage",
];

/// Files and folders at the top of the output besides the sections above.
const GENERATED_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "pagefind",
];

/// Everything that passed validation.
#[derive(Debug, Default)]
pub struct Validated {
    pub practices: Vec<Arc<Practice>>,
    pub awards: Vec<Award>,
    pub pages: Vec<Page>,
}

/// Options that change what is published.
#[derive(Debug, Clone)]
pub struct Options {
    pub include_drafts: bool,
    /// A jury build: drafts entered in this edition are published too (other drafts are not).
    pub jury: Option<JuryScope>,
    /// Results older than this (in years before their edition) are stale for juries.
    pub stale_after_years: u32,
    /// Keep each body's plain text (`Practice::body_text`). Only the search index reads it, so
    /// `check` and a site without search go without (at 10,000 practices, 50 MB less at the
    /// peak).
    pub keep_text: bool,
    /// The build's date: a period that starts, or a result measured, after it is a slip.
    /// `None`: not checked.
    pub today: Option<crate::date::PartialDate>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            include_drafts: false,
            jury: None,
            stale_after_years: 5,
            today: None,
            keep_text: true,
        }
    }
}

impl Options {
    /// Whether a practice is published: drafts only with `include_drafts`, or when they enter
    /// the jury's edition.
    fn publishes(&self, p: &Practice) -> bool {
        !p.draft
            || self.include_drafts
            || self
                .jury
                .as_ref()
                .is_some_and(|j| p.awards.iter().any(|a| j.matches(&a.award, &a.edition)))
    }
}

/// What earlier runs checked: Markdown bodies by body text, first line and link targets,
/// whole practices by [`Checks::key`], and the partner spellings by what they read of the
/// published practices. Its maps are carried from run to run (`carry`): after
/// [`Memo::end_pass`] it holds what the last run used.
#[derive(Debug, Default)]
pub struct Memo {
    bodies: Carried<u128, Arc<Rendered>>,
    practices: Carried<u128, Arc<Checked>>,
    spellings: Carried<u128, Arc<[Diagnostic]>>,
}

impl Memo {
    /// Ends a run that used the memo: `whole` when it checked the whole site and its result is
    /// used (after a failed build the memo keeps what it had as well).
    pub fn end_pass(&mut self, whole: bool) {
        self.bodies.end_pass(whole);
        self.practices.end_pass(whole);
        self.spellings.end_pass(whole);
    }
}

/// One practice checked.
#[derive(Debug)]
struct Checked {
    /// The record, unless the practice has errors.
    practice: Option<Arc<Practice>>,
    problems: Vec<Diagnostic>,
    /// In a run with a memo, a print of all the partner-spelling check reads of the practice:
    /// its path and each partner's slug and name with where the name is written (see
    /// [`spellings`]); 0 otherwise.
    partners: u128,
    /// Where each partner's name is written (1-based line and column), for the spelling check,
    /// which in a build runs after the front matter is dropped; `None` for a partner whose name
    /// no other file writes differently (finding a place indexes the file's positions, which
    /// most files never need). Empty in a run with a memo, whose front matter stays: the check
    /// finds the places there.
    partner_names: Vec<Option<(usize, usize)>>,
}

impl Checked {
    /// The record, if the practice has no errors.
    fn usable(&self) -> Option<&Arc<Practice>> {
        let ok = !self.problems.iter().any(Diagnostic::is_error);
        self.practice.as_ref().filter(|_| ok)
    }
}

/// [`Checked::partner_names`] of `p`, whose record is `record`: of the partners whose slug is
/// in `varied`.
fn partner_names(
    p: &ParsedPractice,
    record: Option<&Practice>,
    varied: &HashSet<String>,
) -> Vec<Option<(usize, usize)>> {
    let partners = record.map_or(&[][..], |r| &r.partners[..]);
    let wanted = |slug: &String| varied.contains(slug);
    partners
        .iter()
        .enumerate()
        .map(|(j, x)| {
            wanted(&x.slug).then(|| {
                let at = p.at(&format!("partners.{j}.name"));
                (at.line, at.column)
            })
        })
        .collect()
}

/// The slugs of the partners written in more than one way in `practices` (published or not):
/// every partner the spelling check can warn about.
fn varied_partners(practices: &[ParsedPractice]) -> HashSet<String> {
    let mut first: HashMap<String, &str> = HashMap::new();
    let mut varied = HashSet::new();
    for x in practices.iter().flat_map(|p| &p.meta.partners) {
        let slug = markdown::slugify(&x.name);
        let name = x.name.trim();
        match first.get(&slug) {
            Some(&seen) if seen != name => {
                varied.insert(slug);
            }
            Some(_) => {}
            None => {
                first.insert(slug, name);
            }
        }
    }
    varied
}

/// The print of [`Checked::partners`]: the partners' slugs and names, and where their names
/// are written, which the print of the front matter's text stands for (every position is a
/// function of it, and it takes no index to print; a new sentence in the body leaves it).
fn partners_print(p: &ParsedPractice, record: Option<&Practice>) -> u128 {
    let partners: Vec<_> = record
        .map_or(&[][..], |r| &r.partners[..])
        .iter()
        .map(|x| (&x.slug, &x.name))
        .collect();
    crate::fingerprint::of(&(p.path, p.positions.print(), partners))
}

/// Everything besides its own file that checking a practice reads: the link targets (every
/// slug, page and award, which also make the set of known practices), the vocabularies, the
/// award files and the staleness limit. A practice whose file and these are unchanged checks
/// the same, so the dev server takes it from the previous run.
struct Checks<'a> {
    memo: &'a Memo,
    site: u128,
}

impl<'a> Checks<'a> {
    fn new(memo: &'a Memo, links: &Links, ctx: &Context, content: &ParsedContent) -> Self {
        let awards: Vec<(&str, u128)> = content
            .awards
            .iter()
            .map(|a| (a.path, a.text_hash))
            .collect();
        let site = crate::fingerprint::of(&(
            links.targets,
            ctx.vocab,
            awards,
            ctx.stale_after_years,
            ctx.keep_text,
            ctx.today,
        ));
        Checks { memo, site }
    }

    /// The key of practice `p`: its path and text with everything else it is checked against.
    fn key(&self, p: &ParsedPractice) -> u128 {
        crate::fingerprint::of(&(self.site, p.path, p.text_hash))
    }

    /// Checks `p`, or takes the result of the previous run when its key is the same. Debug
    /// builds check again and compare, so a key that misses an input fails the tests.
    fn check(&self, p: &ParsedPractice, slug: &str, ctx: &Context) -> Arc<Checked> {
        let key = self.key(p);
        let fresh = || {
            let mut problems = Vec::new();
            let practice = check_practice(p, slug, ctx, &mut problems).map(Arc::new);
            let partners = partners_print(p, practice.as_deref());
            Arc::new(Checked {
                practice,
                problems,
                partners,
                partner_names: Vec::new(),
            })
        };
        match self.memo.practices.get(&key) {
            Some(c) => {
                if cfg!(debug_assertions) {
                    let again = fresh();
                    assert!(
                        crate::fingerprint::of(&again.practice)
                            == crate::fingerprint::of(&c.practice)
                            && again.problems == c.problems
                            && again.partners == c.partners,
                        "{}: a validation key misses an input",
                        p.path
                    );
                }
                c.clone()
            }
            None => {
                let checked = fresh();
                self.memo.practices.insert(key, checked.clone());
                checked
            }
        }
    }
}

/// URL prefixes for resolved Markdown links, and the bodies rendered with them.
struct Links<'a> {
    base_path: &'a str,
    practices: HashMap<&'a str, &'a str>,
    pages: HashMap<&'a str, &'a str>,
    awards: HashSet<&'a str>,
    /// A hash of every link target above: a body renders the same while it is unchanged.
    targets: u128,
    /// The memo of earlier runs, when one is kept.
    memo: Option<&'a Memo>,
}

impl Links<'_> {
    /// The hash of the link targets, independent of map order.
    fn hash_targets(&mut self) {
        let mut h = Xxh3::new();
        let mut feed = |parts: &[&str]| {
            for p in parts {
                h.update(&(p.len() as u64).to_le_bytes());
                h.update(p.as_bytes());
            }
        };
        feed(&[self.base_path]);
        let mut practices: Vec<_> = self.practices.iter().collect();
        practices.sort_unstable();
        practices.iter().for_each(|(a, b)| feed(&["p", a, b]));
        let mut pages: Vec<_> = self.pages.iter().collect();
        pages.sort_unstable();
        pages.iter().for_each(|(a, b)| feed(&["g", a, b]));
        let mut awards: Vec<_> = self.awards.iter().collect();
        awards.sort_unstable();
        awards.iter().for_each(|a| feed(&["a", a]));
        self.targets = h.digest128();
    }

    /// Renders a body, or takes it from the previous run when it and the targets are the same.
    fn render(&self, body: &str, line: usize) -> Rendered {
        let Some(memo) = self.memo else {
            return markdown::render(body, line, &|f| self.resolve(f));
        };
        let mut h = Xxh3::new();
        h.update(&self.targets.to_le_bytes());
        h.update(&(line as u64).to_le_bytes());
        h.update(body.as_bytes());
        let key = h.digest128();
        if let Some(rendered) = memo.bodies.get(&key) {
            return Rendered::clone(rendered);
        }
        let rendered = markdown::render(body, line, &|f| self.resolve(f));
        memo.bodies.insert(key, Arc::new(rendered.clone()));
        rendered
    }

    /// " (did you mean `/gemeenten/zwolle/`?)" for a site path to nothing: the nearest section
    /// or page for its first part, the nearest practice or award for its second.
    fn did_you_mean_path(&self, path: &str) -> String {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let Some(&first) = parts.first() else {
            return String::new();
        };
        let (at, candidates): (usize, Vec<&str>) = match (first, parts.get(1)) {
            ("praktijken", Some(_)) => (1, self.practices.values().copied().collect()),
            ("prijzen", Some(_)) => (1, self.awards.iter().copied().collect()),
            _ => {
                // A page written inside a folder (`/pagina/over-deze-sit/`): its last part.
                let pages = self.pages.values().copied();
                if let Some(page) = parts
                    .last()
                    .and_then(|l| crate::diagnostic::nearest(l, pages))
                {
                    return format!(" (did you mean `/{page}/`?)");
                }
                // Never a folder of etalage's own making that no one links to.
                let public = |r: &&&str| ![crate::search::DIR, "_etalage"].contains(*r);
                let files = RESERVED
                    .iter()
                    .chain(GENERATED_FILES)
                    .filter(public)
                    .copied();
                (0, files.chain(self.pages.values().copied()).collect())
            }
        };
        crate::diagnostic::nearest(parts[at], candidates).map_or(String::new(), |best| {
            crate::diagnostic::did_you_mean_path(path, &parts, at, best)
        })
    }

    /// Whether a link to `/path` (without the leading slash) leads to something the site has:
    /// a practice or award by its slug, a page, or a part of the site etalage makes (lists,
    /// facets, search, open data, static files). Facet terms and award editions are checked once
    /// the site is modelled (`model::links`).
    fn has_site_path(&self, path: &str) -> bool {
        let path = path.split(['#', '?']).next().unwrap_or(path);
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        let Some(first) = segments.next() else {
            return true;
        };
        match (first, segments.next()) {
            // The list's later pages (`/praktijken/pagina/2/`) and its file.
            ("praktijken" | "prijzen", Some("pagina" | "index.html")) => true,
            // A slug is nearly always its file's name: looked up by it first.
            ("praktijken", Some(slug)) => {
                self.practices.get(slug) == Some(&slug)
                    || self.practices.values().any(|s| *s == slug)
            }
            ("prijzen", Some(award)) => self.awards.contains(award),
            (first, _) => {
                RESERVED.contains(&first)
                    || GENERATED_FILES.contains(&first)
                    || self.pages.values().any(|s| *s == first)
            }
        }
    }

    /// " (did you mean `x.md`?)" for a link to a file that is not there, from the files that
    /// are (by their file names, as links name them).
    fn did_you_mean(&self, target: &str) -> String {
        let file = target.split(['#', '?']).next().unwrap_or(target);
        if let Some(path) = file.strip_prefix('/') {
            return self.did_you_mean_path(path);
        }
        let name = file
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(file);
        let stem = name.strip_suffix(".md").unwrap_or(name);
        if stem.is_empty() {
            return String::new();
        }
        let stems = self.practices.keys().chain(self.pages.keys());
        match crate::diagnostic::nearest(stem, stems.chain(self.awards.iter()).copied()) {
            Some(best) => format!(" (did you mean `{best}.md`?)"),
            None => String::new(),
        }
    }

    fn resolve(&self, file: &str) -> Option<String> {
        if let Some(site_path) = file.strip_prefix('/') {
            return self
                .has_site_path(site_path)
                .then(|| format!("{}{site_path}", self.base_path));
        }
        let stem = file.strip_suffix(".md")?;
        if let Some(slug) = self.practices.get(stem) {
            return Some(format!("{}praktijken/{slug}/", self.base_path));
        }
        if let Some(slug) = self.pages.get(stem) {
            return Some(format!("{}{slug}/", self.base_path));
        }
        self.awards
            .contains(stem)
            .then(|| format!("{}prijzen/{stem}/", self.base_path))
    }
}

/// Validates all content. Records with errors are left out; all problems are returned.
pub fn validate(
    content: &ParsedContent<'_>,
    vocab: &Vocab,
    base_path: &str,
    options: Options,
) -> (Validated, Vec<Diagnostic>) {
    let practices = Practices::Borrowed(&content.practices);
    validate_with(content, practices, vocab, base_path, options, None)
}

/// Validates like [`validate`], taking the parsed practices out of `content` and dropping
/// each one's front matter as soon as its record is made: a build does not hold every
/// practice's front matter and every record at once (at 100,000 practices the front matter
/// is 500 MB).
pub fn validate_dropping(
    content: &mut ParsedContent<'_>,
    vocab: &Vocab,
    base_path: &str,
    options: Options,
) -> (Validated, Vec<Diagnostic>) {
    let practices = Practices::Owned(std::mem::take(&mut content.practices));
    validate_with(content, practices, vocab, base_path, options, None)
}

/// The parsed practices [`validate_with`] checks: borrowed, or its own to drop one by one.
enum Practices<'r, 'a> {
    Borrowed(&'r [ParsedPractice<'a>]),
    Owned(Vec<ParsedPractice<'a>>),
}

impl<'a> Practices<'_, 'a> {
    fn list(&self) -> &[ParsedPractice<'a>] {
        match self {
            Practices::Borrowed(list) => list,
            Practices::Owned(list) => list,
        }
    }
}

/// Validates like [`validate`], taking every practice and Markdown body whose inputs are
/// unchanged since the runs `memo` remembers from it, and adding the others to it; end the run
/// with [`Memo::end_pass`].
pub fn validate_again(
    content: &ParsedContent<'_>,
    vocab: &Vocab,
    base_path: &str,
    options: Options,
    memo: &Memo,
) -> (Validated, Vec<Diagnostic>) {
    let practices = Practices::Borrowed(&content.practices);
    validate_with(content, practices, vocab, base_path, options, Some(memo))
}

fn validate_with<'a>(
    content: &ParsedContent<'a>,
    practices: Practices<'_, 'a>,
    vocab: &Vocab,
    base_path: &str,
    options: Options,
    previous: Option<&Memo>,
) -> (Validated, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let slugs: Vec<String> = practices.list().iter().map(practice_slug).collect();
    let page_slugs: Vec<String> = content
        .pages
        .iter()
        .map(|p| p.meta.slug.clone().unwrap_or_else(|| p.stem.to_string()))
        .collect();
    check_unique(
        practices.list().iter().map(|p| (p, "slug")),
        &slugs,
        "practice",
        &mut diags,
    );
    check_unique(
        content.pages.iter().map(|p| (p, "slug")),
        &page_slugs,
        "page",
        &mut diags,
    );
    // The link targets (with their hash, in a dev server's run), the known slugs and the award
    // entrants each walk every practice: side by side.
    let (links, (known, entrants)) = rayon::join(
        || {
            let mut links = Links {
                memo: previous,
                targets: 0,
                base_path,
                practices: slugs_by_stem(practices.list(), &slugs, &content.unparsed_practices),
                pages: slugs_by_stem(&content.pages, &page_slugs, &content.unparsed_pages),
                awards: content
                    .awards
                    .iter()
                    .map(|a| a.stem)
                    .chain(content.unparsed_awards.iter().copied())
                    .collect(),
            };
            if previous.is_some() {
                links.hash_targets();
            }
            links
        },
        || {
            rayon::join(
                || known_slugs(&slugs, &content.unparsed_practices),
                || award_entrants(practices.list(), &slugs),
            )
        },
    );
    let awards: HashMap<&str, &ParsedAward> = content.awards.iter().map(|a| (a.stem, a)).collect();
    let ctx = Context {
        vocab,
        links: &links,
        awards: &awards,
        known: &known,
        stale_after_years: options.stale_after_years,
        today: options.today,
        keep_text: options.keep_text,
    };

    let checks = previous.map(|m| Checks::new(m, &links, &ctx, content));
    // Without a memo, the places of partners' names are found only where a spelling may vary.
    let varied = checks.is_none().then(|| varied_partners(practices.list()));
    let check = |p: &ParsedPractice, slug: &String| match &checks {
        Some(c) => c.check(p, slug, &ctx),
        None => {
            let mut problems = Vec::new();
            let practice = check_practice(p, slug, &ctx, &mut problems).map(Arc::new);
            let partner_names = match &varied {
                Some(v) => partner_names(p, practice.as_deref(), v),
                None => Vec::new(),
            };
            Arc::new(Checked {
                practice,
                problems,
                partners: 0,
                partner_names,
            })
        }
    };
    // A run with a memo keeps its front matter: the spelling check finds places there.
    let parsed = match &practices {
        Practices::Borrowed(list) => Some(*list),
        Practices::Owned(_) => None,
    };
    let checked: Vec<Arc<Checked>> = match practices {
        Practices::Borrowed(list) => list
            .par_iter()
            .zip(&slugs)
            .map(|(p, s)| check(p, s))
            .collect(),
        // Each practice's front matter is dropped once it is checked.
        Practices::Owned(list) => list
            .into_par_iter()
            .zip(&slugs)
            .map(|(p, s)| check(&p, s))
            .collect(),
    };
    // The spellings walk every partner of the site; the records are gathered beside it.
    // The spellings, each practice's problems (thousands of warnings in a large site, copied
    // on every edit) and the usable records, side by side.
    let (spellings, (problems, mut practices)) = rayon::join(
        || spellings(&checked, parsed, &options, previous),
        || {
            rayon::join(
                || {
                    let each = checked.par_iter().flat_map_iter(|c| c.problems.iter());
                    each.cloned().collect::<Vec<_>>()
                },
                || {
                    let usable = checked.iter().filter_map(|c| c.usable());
                    usable.cloned().collect::<Vec<_>>()
                },
            )
        },
    );
    diags.extend(problems);
    diags.extend(spellings.iter().cloned());
    for s in &content.salvaged_practices {
        salvaged::check(s, &ctx, &mut diags);
    }
    let (kept, left_out): (Vec<_>, Vec<_>) =
        practices.into_iter().partition(|p| options.publishes(p));
    practices = kept;
    if !left_out.is_empty() {
        // Links to practices left out are dropped: first found (the set borrows the slugs of
        // the few left out), then changed. Every other `related` slug names a practice kept
        // here, or the site has errors and is not built.
        let changed: Vec<(usize, Vec<String>)> = {
            let gone: HashSet<&str> = left_out.iter().map(|p| p.slug.as_str()).collect();
            practices
                .iter()
                .enumerate()
                .filter(|(_, p)| p.related.iter().any(|r| gone.contains(r.as_str())))
                .map(|(i, p)| {
                    let related = p.related.iter().filter(|r| !gone.contains(r.as_str()));
                    (i, related.cloned().collect())
                })
                .collect()
        };
        for (i, related) in changed {
            Arc::make_mut(&mut practices[i]).related = related;
        }
    }
    let awards = content
        .awards
        .iter()
        .filter_map(|a| {
            let unparsed = &content.unparsed_practices;
            check_award(a, &links, &entrants, unparsed, &mut diags)
        })
        .collect();
    let pages = content
        .pages
        .iter()
        .zip(&page_slugs)
        .filter(|(p, _)| options.include_drafts || !p.meta.draft)
        .filter_map(|(p, slug)| check_page(p, slug, &links, &mut diags))
        .collect::<Vec<_>>();
    diags.extend(fragment_warnings(&practices, &pages));
    (
        Validated {
            practices,
            awards,
            pages,
        },
        diags,
    )
}

/// Every practice slug, with the file names of the practices that could not be parsed.
fn known_slugs<'a>(slugs: &'a [String], unparsed: &[&'a str]) -> HashSet<&'a str> {
    slugs
        .iter()
        .map(String::as_str)
        .chain(unparsed.iter().copied())
        .collect()
}

/// Every award entry as (award, edition, practice slug).
fn award_entrants<'a>(
    practices: &[ParsedPractice],
    slugs: &'a [String],
) -> HashSet<(String, String, &'a str)> {
    // Owned award and edition: the practices' front matter is dropped as each is checked.
    practices
        .iter()
        .zip(slugs)
        .flat_map(|(p, s)| {
            p.meta
                .awards
                .iter()
                .map(move |a| (a.award.clone(), a.edition.0.trim().to_string(), s.as_str()))
        })
        .collect()
}

/// Each file's slug by its file name, the files that could not be parsed by their own name
/// (links to them are not errors too).
fn slugs_by_stem<'a, M>(
    parsed: &[crate::parse::Parsed<'a, M>],
    slugs: &'a [String],
    unparsed: &[&'a str],
) -> HashMap<&'a str, &'a str> {
    parsed
        .iter()
        .zip(slugs)
        .map(|(p, s)| (p.stem, s.as_str()))
        .chain(unparsed.iter().map(|s| (*s, *s)))
        .collect()
}

struct Context<'a> {
    vocab: &'a Vocab,
    links: &'a Links<'a>,
    awards: &'a HashMap<&'a str, &'a ParsedAward<'a>>,
    known: &'a HashSet<&'a str>,
    stale_after_years: u32,
    keep_text: bool,
    today: Option<crate::date::PartialDate>,
}

fn practice_slug(p: &ParsedPractice) -> String {
    p.meta.slug.clone().unwrap_or_else(|| p.stem.to_string())
}

fn check_unique<'a, M: 'a>(
    items: impl Iterator<Item = (&'a crate::parse::Parsed<'a, M>, &'static str)>,
    slugs: &[String],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, (&crate::parse::Parsed<'a, M>, &str)> = HashMap::new();
    for ((item, key), slug) in items.zip(slugs) {
        if let Some(&(other, other_key)) = first.get(slug.as_str()) {
            // The clash is reported where a `slug:` makes it: a file named after its slug
            // clashes because of the other file's key, whichever comes first.
            let (at, other) = if !item.positions.has(key) && other.positions.has(other_key) {
                (other.at(other_key), item.path)
            } else {
                (item.at(key), other.path)
            };
            diags.push(Diagnostic::error(
                at,
                format!("the {what} slug `{slug}` is already used by {other}"),
            ));
        } else {
            first.insert(slug, (item, key));
        }
        if !is_slug(slug) {
            let at = if item.positions.has(key) {
                item.at(key)
            } else {
                Location::file(item.path)
            };
            diags.push(Diagnostic::error(
                at,
                format!("`{slug}` is not a valid slug: use lowercase letters, digits and `-` (set `slug:` or rename the file)"),
            ));
        }
    }
}

fn check_length(
    p: &crate::parse::Parsed<'_, impl Sized>,
    key: &str,
    value: &str,
    max: usize,
    d: &mut Vec<Diagnostic>,
) {
    let n = value.chars().count();
    if value.trim().is_empty() {
        d.push(Diagnostic::error(p.at(key), format!("`{key}` is empty")));
    } else if n > max {
        d.push(Diagnostic::error(
            p.at(key),
            format!("`{key}` is {n} characters long; at most {max} are allowed"),
        ));
    }
}

fn check_terms(
    p: &ParsedPractice,
    key: &str,
    values: &[String],
    vocab: &Vocabulary,
    file: &str,
    required: bool,
    d: &mut Vec<Diagnostic>,
) -> Vec<String> {
    if required && values.is_empty() {
        d.push(Diagnostic::error(
            p.key_at(key),
            format!("`{key}` needs at least one entry from content/data/{file}"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, v) in values.iter().enumerate() {
        if vocab.unreadable {
            // Its file's own error says what is wrong; every key would be unknown.
        } else if vocab.get(v).is_none() {
            let hint = did_you_mean(v, vocab.keys());
            d.push(Diagnostic::error(
                p.at(&format!("{key}.{i}")),
                format!("unknown {key} key `{v}`{hint}; see content/data/{file}"),
            ));
        } else if !seen.insert(v) {
            d.push(Diagnostic::error(
                p.at(&format!("{key}.{i}")),
                format!("`{v}` is listed twice in `{key}`"),
            ));
        }
    }
    values.to_vec()
}

/// The warning for a practice without results (placed at its title).
const NO_RESULTS: &str = "this practice has no `results`: visitors cannot see what it achieved";

fn check_practice(
    p: &ParsedPractice,
    slug: &str,
    ctx: &Context,
    d: &mut Vec<Diagnostic>,
) -> Option<Practice> {
    let m = &p.meta;
    check_length(p, "title", &m.title, TITLE_MAX, d);
    check_length(p, "summary", &m.summary, SUMMARY_MAX, d);
    let (municipalities, province) = check_place(p, ctx.vocab, d);
    let provinces = provinces_of(&municipalities, province, ctx.vocab);
    if let Some(today) = &ctx.today {
        if m.period.start.earliest() > today.latest() {
            d.push(Diagnostic::warning(
                p.at("period.start"),
                format!(
                    "the period starts in {}, after the build's date ({today}): is the date right?",
                    m.period.start
                ),
            ));
        }
    }
    if let Some(end) = m.period.end {
        if end.latest() < m.period.start.earliest() {
            d.push(Diagnostic::error(
                p.at("period.end"),
                format!(
                    "the period ends ({end}) before it starts ({})",
                    m.period.start
                ),
            ));
        }
    }
    let target_groups = check_terms(
        p,
        "target_groups",
        &m.target_groups,
        &ctx.vocab.target_groups,
        "target_groups.yaml",
        true,
        d,
    );
    let themes = check_terms(
        p,
        "themes",
        &m.themes,
        &ctx.vocab.themes,
        "themes.yaml",
        true,
        d,
    );
    let instruments = check_terms(
        p,
        "instruments",
        &m.instruments,
        &ctx.vocab.instruments,
        "instruments.yaml",
        false,
        d,
    );
    let sources = check_sources(p, d);
    let source_index =
        |path: String, id: &Option<String>, d: &mut Vec<Diagnostic>| -> Option<usize> {
            let id = id.as_ref()?;
            let found = m.sources.iter().position(|s| &s.id == id);
            if found.is_none() {
                let hint = did_you_mean(id, m.sources.iter().map(|s| s.id.as_str()));
                d.push(Diagnostic::error(
                    p.at(&path),
                    format!(
                        "unknown source `{id}`{hint}: it must be the `id` of an entry in `sources`"
                    ),
                ));
            }
            found
        };
    let partners = check_partners(p, d);
    let results = check_results(p, &source_index, d);
    if let Some(today) = &ctx.today {
        for (i, r) in m.results.iter().enumerate() {
            if let Some(as_of) = r.as_of.filter(|a| a.earliest() > today.latest()) {
                d.push(Diagnostic::warning(
                    p.at(&format!("results.{i}.as_of")),
                    format!(
                        "this result is measured in {as_of}, after the build's date ({today}): is the date right?"
                    ),
                ));
            }
        }
    }
    let awards = check_award_entries(p, slug, ctx, &source_index, d);
    let recognitions: Vec<Recognition> = m
        .recognitions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let national = NATIONAL_LEVELS.contains(&r.level.as_str());
            if r.scheme == NATIONAL_SCHEME && !national {
                let hint = did_you_mean(&r.level, NATIONAL_LEVELS.iter().copied());
                d.push(Diagnostic::error(p.at(&format!("recognitions.{i}.level")), format!("`{}` is not a level of the national scheme{hint}; allowed: {}", r.level, NATIONAL_LEVELS.join(", "))));
            } else if national && r.scheme != NATIONAL_SCHEME {
                d.push(Diagnostic::error(p.at(&format!("recognitions.{i}.scheme")), format!("the level `{}` belongs to the national scheme: set `scheme: {NATIONAL_SCHEME}`, or use a label of your own for a one-off recognition", r.level)));
            }
            if let Some(until) = r.valid_until {
                if until.latest() < r.date.earliest() {
                    d.push(Diagnostic::error(p.at(&format!("recognitions.{i}.valid_until")), "`valid_until` lies before `date`"));
                }
            }
            Recognition {
                national,
                scheme: r.scheme.clone(),
                level: r.level.clone(),
                body: r.body.clone(),
                date: r.date,
                valid_until: r.valid_until,
                source: source_index(format!("recognitions.{i}.source"), &r.source, d),
            }
        })
        .collect();
    if let Some(c) = &m.contact {
        if let Some(email) = &c.email {
            if !looks_like_email(email) {
                d.push(Diagnostic::error(
                    p.at("contact.email"),
                    format!("`{email}` is not an e-mail address"),
                ));
            }
        }
        if let Some(url) = &c.url {
            check_url(p, "contact.url", url, d);
        }
    }
    let mut related = Vec::new();
    for (i, r) in m.related.iter().enumerate() {
        if r == slug {
            d.push(Diagnostic::error(
                p.at(&format!("related.{i}")),
                "a practice cannot be related to itself",
            ));
        } else if !ctx.known.contains(r.as_str()) {
            let hint = did_you_mean(r, ctx.known.iter().copied());
            d.push(Diagnostic::error(
                p.at(&format!("related.{i}")),
                format!("no practice has the slug `{r}`{hint}"),
            ));
        } else if related.contains(r) {
            d.push(Diagnostic::warning(
                p.at(&format!("related.{i}")),
                format!("`{r}` is listed twice in `related`; it is shown once"),
            ));
        } else {
            related.push(r.clone());
        }
    }
    if m.results.is_empty() {
        d.push(Diagnostic::warning(p.key_at("title"), NO_RESULTS));
    }
    let body = render_body(p.path, p.body, p.body_line, ctx.links, d);
    let period = Period {
        start: m.period.start,
        end: m.period.end,
    };
    let newest_date = crate::record::newest_date(&period, &sources, &results, &recognitions);
    Some(Practice {
        slug: slug.to_string(),
        source_path: p.path.to_string(),
        title: m.title.trim().to_string(),
        summary: m.summary.trim().to_string(),
        municipalities,
        province: province?,
        provinces,
        period,
        newest_date,
        status: m.status,
        legal_framework: m.legal_framework.clone(),
        target_groups,
        themes,
        instruments,
        partners,
        results,
        awards,
        recognitions,
        sources,
        contact: m.contact.clone(),
        related,
        draft: m.draft,
        body_html: body.html,
        headings: body.headings,
        body_text: if ctx.keep_text {
            body.text
        } else {
            String::new()
        },
        fragment_links: body.fragment_links,
        site_links: body.site_links,
    })
}

fn render_body(
    path: &str,
    body: &str,
    line: usize,
    links: &Links,
    d: &mut Vec<Diagnostic>,
) -> Rendered {
    let rendered = links.render(body, line);
    for b in &rendered.broken_links {
        let hint = links.did_you_mean(&b.target);
        let at = Location::new(path, b.line, b.column);
        d.push(Diagnostic::error(
            at,
            if b.relative {
                format!(
                    "the link target `{}` is a relative path, which leads to no page of the site{hint}: link a write-up by its file name (`x.md`), a file in static/ as `/static/x`, or give a full https:// address",
                    b.target
                )
            } else {
                format!(
                    "the link target `{}` is not a practice, award or page in content/{hint}",
                    b.target
                )
            },
        ));
    }
    for &(line, column) in &rendered.images_without_alt {
        d.push(Diagnostic::warning(
            Location::new(path, line, column),
            "this image has no text alternative: write what it shows between the brackets, `![Wat de foto toont](…)`",
        ));
    }
    if let Some((line, column)) = rendered.too_deep {
        d.push(Diagnostic::error(
            Location::new(path, line, column),
            format!(
                "the text nests lists, quotes or HTML elements more than {} levels deep here; flatten it",
                markdown::MAX_NESTING
            ),
        ));
    }
    rendered
}

/// The provinces of `names`, each once, starting with `lead` (the practice's province).
fn provinces_of(names: &[String], lead: Option<Province>, vocab: &Vocab) -> Vec<Province> {
    let mut all: Vec<Province> = lead.into_iter().collect();
    for m in names.iter().filter_map(|n| vocab.municipality(n)) {
        if !all.contains(&m.province) {
            all.push(m.province);
        }
    }
    all
}

/// For a name several municipalities share, told apart by their province (`Bergen (L.)`,
/// `Bergen (NH.)`): all of them, so the editor picks the right one.
fn same_name_hint(name: &str, vocab: &Vocab) -> Option<String> {
    let prefix = format!("{name} (");
    let same: Vec<String> = vocab
        .municipalities
        .iter()
        .filter(|m| m.name.starts_with(&prefix))
        .map(|m| format!("`{}` ({})", m.name, m.province.key()))
        .collect();
    (!same.is_empty()).then(|| format!(" (did you mean {}?)", same.join(" or ")))
}

fn check_place(
    p: &ParsedPractice,
    vocab: &Vocab,
    d: &mut Vec<Diagnostic>,
) -> (Vec<String>, Option<Province>) {
    let names = p.meta.municipality.to_vec();
    let single = matches!(p.meta.municipality, crate::meta::OneOrMany::One(_));
    let path = |i: usize| {
        if single {
            "municipality".to_string()
        } else {
            format!("municipality.{i}")
        }
    };
    if names.is_empty() {
        d.push(Diagnostic::error(
            p.key_at("municipality"),
            "`municipality` needs at least one name",
        ));
    }
    let mut seen = HashSet::new();
    for (i, name) in names.iter().enumerate() {
        if vocab.municipalities_unreadable {
            // Its file's own error says what is wrong; every name would be unknown.
        } else if vocab.municipality(name).is_none() {
            let hint = match vocab.municipality_also_called(name) {
                Some(m) => format!(" (did you mean `{}`? the official name)", m.name),
                None => same_name_hint(name, vocab).unwrap_or_else(|| {
                    did_you_mean(name, vocab.municipalities.iter().map(|m| m.name.as_str()))
                }),
            };
            d.push(Diagnostic::error(
                p.at(&path(i)),
                format!("`{name}` is not a municipality in content/data/municipalities.yaml{hint}"),
            ));
        } else if !seen.insert(name) {
            d.push(Diagnostic::error(
                p.at(&path(i)),
                format!("`{name}` is listed twice"),
            ));
        }
    }
    let lead = names.first().and_then(|n| vocab.municipality(n));
    let province = match (p.meta.province, lead) {
        (Some(given), Some(lead)) if given != lead.province => {
            d.push(Diagnostic::error(
                p.at("province"),
                format!(
                    "`province: {}` contradicts the lead municipality {} (in {})",
                    given.key(),
                    lead.name,
                    lead.province.key()
                ),
            ));
            None
        }
        (_, Some(lead)) => Some(lead.province),
        (given, None) => given,
    };
    (names, province)
}

fn check_sources(p: &ParsedPractice, d: &mut Vec<Diagnostic>) -> Vec<Source> {
    let m = &p.meta;
    if m.sources.is_empty() {
        d.push(Diagnostic::error(
            p.key_at("sources"),
            "`sources` needs at least one entry: where do these facts come from?",
        ));
    }
    let mut ids = HashSet::new();
    m.sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if !ids.insert(&s.id) {
                d.push(Diagnostic::error(
                    p.at(&format!("sources.{i}.id")),
                    format!("the source id `{}` is used twice", s.id),
                ));
            }
            if s.title.trim().is_empty() {
                d.push(Diagnostic::error(
                    p.at(&format!("sources.{i}.title")),
                    "the source `title` is empty",
                ));
            }
            if let Some(url) = &s.url {
                check_url(p, &format!("sources.{i}.url"), url, d);
            }
            Source {
                id: s.id.clone(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: s.url.clone(),
                published: s.published,
                accessed: s.accessed,
            }
        })
        .collect()
}

fn check_url(p: &ParsedPractice, path: &str, url: &str, d: &mut Vec<Diagnostic>) {
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.contains(char::is_whitespace)
    {
        d.push(Diagnostic::error(
            p.at(path),
            format!("`{url}` is not a web address (it must start with https:// or http://)"),
        ));
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn check_partners(p: &ParsedPractice, d: &mut Vec<Diagnostic>) -> Vec<Partner> {
    if p.meta.partners.is_empty() {
        d.push(Diagnostic::error(
            p.key_at("partners"),
            "`partners` needs at least one entry",
        ));
    }
    p.meta
        .partners
        .iter()
        .enumerate()
        .map(|(i, pm)| {
            if pm.name.trim().is_empty() {
                d.push(Diagnostic::error(
                    p.at(&format!("partners.{i}.name")),
                    "the partner `name` is empty",
                ));
            }
            if let (Some(s), Some(u)) = (pm.since, pm.until) {
                if u.latest() < s.earliest() {
                    d.push(Diagnostic::error(
                        p.at(&format!("partners.{i}.until")),
                        "`until` lies before `since`",
                    ));
                }
            }
            Partner {
                name: pm.name.trim().to_string(),
                slug: markdown::slugify(&pm.name),
                role: pm.role,
                since: pm.since,
                until: pm.until,
            }
        })
        .collect()
}

type SourceIndex<'a> = dyn Fn(String, &Option<String>, &mut Vec<Diagnostic>) -> Option<usize> + 'a;

/// The result whose base result `i` is while it is the base of result `i` too, said at the
/// first of the two only.
fn mutual_base(
    list: &[crate::meta::ResultMeta],
    ids: &HashMap<&str, usize>,
    i: usize,
) -> Option<usize> {
    let base_of = |k: usize| match &list[k].of {
        Some(BaseMeta::Id(id)) => ids.get(id.as_str()).copied(),
        _ => None,
    };
    let j = base_of(i)?;
    (j > i && base_of(j) == Some(i)).then_some(j)
}

fn check_results(
    p: &ParsedPractice,
    source_index: &SourceIndex,
    d: &mut Vec<Diagnostic>,
) -> Vec<ResultRecord> {
    let list = &p.meta.results;
    let mut ids: HashMap<&str, usize> = HashMap::new();
    // Ids given to more than one result: a base naming one is ambiguous, and the duplicate's
    // error is all that is said of it.
    let mut twice: HashSet<&str> = HashSet::new();
    // Whether any number is written like `1.550`: asked once per file, by a scan of its text.
    let grouped = !list.is_empty() && p.positions.has_grouped_number();
    for (i, r) in list.iter().enumerate() {
        if let Some(id) = &r.id {
            if ids.insert(id, i).is_some() {
                twice.insert(id);
                d.push(Diagnostic::error(
                    p.at(&format!("results.{i}.id")),
                    format!("the result id `{id}` is used twice"),
                ));
            }
        }
    }
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            let at = |k: &str| p.at(&format!("results.{i}.{k}"));
            if r.label.trim().is_empty() {
                d.push(Diagnostic::error(
                    at("label"),
                    "the result `label` is empty",
                ));
            }
            if !r.value.is_finite() || r.value < 0.0 {
                d.push(Diagnostic::error(
                    at("value"),
                    "a result `value` must be a number of zero or more",
                ));
            }
            let base = match &r.of {
                None => None,
                Some(BaseMeta::Number(n)) if *n > 0.0 && n.is_finite() => Some(Base {
                    value: *n,
                    id: None,
                    label: None,
                    unit: None,
                }),
                Some(BaseMeta::Number(_)) => {
                    d.push(Diagnostic::error(
                        at("of"),
                        "the base `of` must be a number above zero",
                    ));
                    None
                }
                Some(BaseMeta::Id(id)) if twice.contains(id.as_str()) => None,
                Some(BaseMeta::Id(id)) => match ids.get(id.as_str()) {
                    Some(&j) if j == i => {
                        d.push(Diagnostic::error(
                            at("of"),
                            "a result cannot be its own base",
                        ));
                        None
                    }
                    // A base written like `1.550` has its own error; nothing more is said.
                    Some(&j) if grouped_number(p, grouped, &list[j], j, "value").is_some() => None,
                    Some(&j) if list[j].value > 0.0 => Some(Base {
                        value: list[j].value,
                        id: Some(id.clone()),
                        label: Some(list[j].label.clone()),
                        unit: Some(list[j].unit),
                    }),
                    // A base that is not a number of zero or more has its own error.
                    Some(&j) if !list[j].value.is_finite() || list[j].value < 0.0 => None,
                    Some(_) => {
                        d.push(Diagnostic::error(
                            at("of"),
                            format!("the base result `{id}` is zero"),
                        ));
                        None
                    }
                    None => {
                        let hint = match crate::yaml::thousands(id) {
                            Some(whole) => format!(
                                " (a number? write it without thousands separators: `{whole}`)"
                            ),
                            None => did_you_mean(id, ids.keys().copied()),
                        };
                        d.push(Diagnostic::error(
                            at("of"),
                            format!("no result in this file has the id `{id}`{hint}"),
                        ));
                        None
                    }
                },
            };
            if let Some(j) = mutual_base(list, &ids, i) {
                d.push(Diagnostic::warning(
                    at("of"),
                    format!(
                        "the results `{}` and `{}` are each other's base, so neither rate says \
                         anything: measure one of them against something else",
                        r.id.as_deref().unwrap_or_default(),
                        list[j].id.as_deref().unwrap_or_default()
                    ),
                ));
            }
            check_result_sense(p, i, r, base.as_ref(), grouped, d);
            if r.unit == Unit::Procent && r.of.is_none() {
                d.push(Diagnostic::error(
                    p.key_at(&format!("results.{i}.unit")),
                    "a percentage needs its base: add `of` (a number or the id of another result)",
                ));
            }
            if r.source.is_none() {
                d.push(Diagnostic::warning(
                    p.key_at(&format!("results.{i}")),
                    format!("the result `{}` has no `source`", r.label),
                ));
            }
            let computed = base.as_ref().map(|b| match r.unit {
                Unit::Procent => r.value * b.value / 100.0,
                _ => r.value / b.value * 100.0,
            });
            ResultRecord {
                id: r.id.clone(),
                label: r.label.clone(),
                value: r.value,
                unit: r.unit,
                base,
                computed,
                as_of: r.as_of,
                method: r.method.unwrap_or_default(),
                source: source_index(format!("results.{i}.source"), &r.source, d),
                note: r.note.clone(),
            }
        })
        .collect()
}

/// Units that count people, trajectories or benefits: whole numbers, and the bases of shares.
fn counts(unit: Unit) -> bool {
    matches!(unit, Unit::Personen | Unit::Trajecten | Unit::Uitkeringen)
}

/// Whether result `i` (with its `base`, when that was found) can be what it says: a count is a
/// whole number; a share (a count or a percentage of a base) has a base that counts, and is
/// not more than it; euro and days are compared with euro and days.
/// The text and digits of result `i`'s `key` (`value` or `of`) when it is written with a Dutch
/// thousands separator (`1.550`), in a file whose text has such a number (`grouped`). A
/// percentage's value (33.333) is not taken for one.
fn grouped_number<'a>(
    p: &'a ParsedPractice,
    grouped: bool,
    r: &crate::meta::ResultMeta,
    i: usize,
    key: &str,
) -> Option<(&'a str, String)> {
    if !grouped || (key == "value" && r.unit == Unit::Procent) {
        return None;
    }
    let written = p.positions.written(&format!("results.{i}.{key}"))?;
    Some((written, crate::yaml::thousands(written)?))
}

fn check_result_sense(
    p: &ParsedPractice,
    i: usize,
    r: &crate::meta::ResultMeta,
    base: Option<&Base>,
    grouped: bool,
    d: &mut Vec<Diagnostic>,
) {
    let at = |k: &str| p.at(&format!("results.{i}.{k}"));
    let number = |v: f64| v.to_string();
    // A value written like `1.550`: an error for a count and for any base (a base counts
    // something), a warning for an amount, days or money; a percentage such as 33.333 is
    // left alone.
    let slip = |k: &str, read: f64| {
        let (written, whole) = grouped_number(p, grouped, r, i, k)?;
        let message = format!(
            "`{written}` is read as {}: in front matter a dot is the decimal point; if you meant {whole}, write `{whole}` without the thousands separator",
            number(read)
        );
        Some(if counts(r.unit) || k == "of" {
            Diagnostic::error(at(k), message)
        } else {
            Diagnostic::warning(at(k), message)
        })
    };
    if let Some(slip) = slip("value", r.value) {
        d.push(slip);
    } else if counts(r.unit) && r.value.is_finite() && r.value.fract() != 0.0 {
        d.push(Diagnostic::error(
            at("value"),
            format!(
                "`{}` {} is not a whole number: a count of {} has no fractions",
                number(r.value),
                r.unit.key(),
                r.unit.key()
            ),
        ));
    }
    let Some(base) = base else { return };
    // A base written with a thousands separator is not the number meant: nothing more is
    // said of it.
    if base.id.is_none() {
        if let Some(slip) = slip("of", base.value) {
            d.push(slip);
            return;
        }
    }
    let share = counts(r.unit) || r.unit == Unit::Procent;
    match base.unit {
        Some(unit) if share && !counts(unit) => d.push(Diagnostic::error(
            at("of"),
            format!(
                "the base `{}` is in {}: a share of {} needs a base that counts people, trajectories or benefits",
                base.id.as_deref().unwrap_or_default(),
                unit.key(),
                r.unit.key()
            ),
        )),
        Some(unit) if !share && unit != r.unit => d.push(Diagnostic::error(
            at("of"),
            format!(
                "the base `{}` is in {} and this result in {}: a rate compares like with like",
                base.id.as_deref().unwrap_or_default(),
                unit.key(),
                r.unit.key()
            ),
        )),
        None if counts(r.unit) && base.value.fract() != 0.0 => d.push(Diagnostic::error(
            at("of"),
            format!(
                "the base `{}` of a count of {} is not a whole number",
                number(base.value),
                r.unit.key()
            ),
        )),
        _ => {}
    }
    if r.unit == Unit::Procent && r.value > 100.0 {
        d.push(Diagnostic::error(
            at("value"),
            format!(
                "`{}` procent is more than the whole of its base: a share is at most 100 procent",
                number(r.value)
            ),
        ));
    } else if counts(r.unit) && r.value > base.value {
        d.push(Diagnostic::error(
            at("value"),
            format!(
                "`{}` {} is more than its base ({}): a share cannot be larger than what it is a share of",
                number(r.value),
                r.unit.key(),
                number(base.value)
            ),
        ));
    }
}

/// Links to a heading of another practice or page (`zwolle.md#aanpak`) whose target has no
/// heading with that id: the link would open the page at its top. Warnings, at the link.
fn fragment_warnings(practices: &[Arc<Practice>], pages: &[Page]) -> Vec<Diagnostic> {
    use crate::markdown::{FragmentLink, Heading};
    // Every published write-up: its path, the links to headings it makes, its own headings.
    let docs: Vec<(&str, &[FragmentLink], &[Heading])> = practices
        .iter()
        .map(|p| (&*p.source_path, &*p.fragment_links, &*p.headings))
        .chain(
            pages
                .iter()
                .map(|p| (&*p.source_path, &*p.fragment_links, &*p.headings)),
        )
        .collect();
    if docs.iter().all(|(_, links, _)| links.is_empty()) {
        return Vec::new();
    }
    let headings: HashMap<&str, &[Heading]> = docs
        .iter()
        .map(|&(path, _, headings)| (crate::parse::stem_of(path), headings))
        .collect();
    let mut out = Vec::new();
    for &(path, links, _) in &docs {
        for l in links {
            let Some(target) = headings.get(crate::parse::stem_of(&l.file)) else {
                continue; // Not published (a draft): its own check says what it has.
            };
            if target.iter().any(|h| h.id == l.fragment) {
                continue;
            }
            let hint =
                match crate::diagnostic::nearest(&l.fragment, target.iter().map(|h| h.id.as_str()))
                {
                    Some(id) => format!(" (did you mean `#{id}`?)"),
                    None => String::new(),
                };
            out.push(Diagnostic::warning(
                Location::new(path, l.line, l.column),
                format!(
                    "the link `{}#{}` names no heading of {}{hint}: it opens that page at its top",
                    l.file, l.fragment, l.file
                ),
            ));
        }
    }
    out
}

/// A published practice's record, with where its partners' names are written: found in its
/// check, or to be found in its front matter.
type Published<'c> = (
    &'c [Option<(usize, usize)>],
    Option<&'c ParsedPractice<'c>>,
    &'c Practice,
);

/// [`partner_spellings`] of the published practices (from their checks); in a run with a
/// memo, the previous run's when the published practices' partners and where they are written
/// are unchanged (most edits change a practice's text, not its partners), which saves a walk
/// over every partner of the site.
fn spellings<'c>(
    checked: &'c [Arc<Checked>],
    parsed: Option<&'c [ParsedPractice<'c>]>,
    options: &Options,
    memo: Option<&Memo>,
) -> Arc<[Diagnostic]> {
    let (published, prints): (Vec<Published>, Vec<u128>) = checked
        .par_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let record = c.usable().filter(|r| options.publishes(r))?;
            let p = parsed.map(|list| &list[i]);
            Some(((&c.partner_names[..], p, &**record), c.partners))
        })
        .unzip();
    let Some(memo) = memo else {
        return partner_spellings(&published).into();
    };
    let key = crate::fingerprint::of_prints("spellings", &prints);
    let make = || partner_spellings(&published).into();
    memo.spellings.found_or_made(key, make, "partner spellings")
}

/// Partners written in more than one way across the published practices (`UWV` and `UWV.`,
/// `Reïntegratie` and `Reintegratie`): their partner page gathers them under one name, so each
/// spelling but the most used one is a warning where it is written. `published` holds each
/// practice's record with where its partners' names are written.
fn partner_spellings(published: &[Published]) -> Vec<Diagnostic> {
    // Most partners are written one way: only the slugs with a second spelling are counted.
    // Finding them walks every partner of the site, in parts side by side: a slug has a second
    // spelling when a part has one or two parts write it differently.
    type Spellings<'a> = (HashMap<&'a str, &'a str>, HashSet<&'a str>);
    fn note<'a>((first, varied): &mut Spellings<'a>, slug: &'a str, name: &'a str) {
        if *first.entry(slug).or_insert(name) != name {
            varied.insert(slug);
        }
    }
    let (_, varied) = published
        .par_iter()
        .fold(Spellings::default, |mut s, (_, _, record)| {
            for x in &record.partners {
                note(&mut s, &x.slug, &x.name);
            }
            s
        })
        .reduce(Spellings::default, |mut s, (first, varied)| {
            s.1.extend(varied);
            for (slug, name) in first {
                note(&mut s, slug, name);
            }
            s
        });
    if varied.is_empty() {
        return Vec::new();
    }
    let mut varied: HashMap<&str, Vec<(&str, usize)>> =
        varied.into_iter().map(|slug| (slug, Vec::new())).collect();
    for (_, _, record) in published {
        for x in &record.partners {
            if let Some(names) = varied.get_mut(x.slug.as_str()) {
                match names.iter_mut().find(|(n, _)| *n == x.name) {
                    Some((_, count)) => *count += 1,
                    None => names.push((&x.name, 1)),
                }
            }
        }
    }
    // The most used spelling, and of equally used ones the first written.
    let usual: HashMap<&str, (&str, usize)> = varied
        .iter()
        .filter_map(|(slug, names)| {
            let best = names.iter().rev().max_by_key(|(_, count)| *count)?;
            Some((*slug, *best))
        })
        .collect();
    let mut out = Vec::new();
    for (names_at, parsed, record) in published {
        for (j, x) in record.partners.iter().enumerate() {
            match usual.get(x.slug.as_str()) {
                Some(&(name, count)) if name != x.name => out.push(Diagnostic::warning(
                    match (names_at.get(j).copied().flatten(), parsed) {
                        (Some((line, column)), _) => {
                            Location::new(&record.source_path, line, column)
                        }
                        (None, Some(p)) => p.at(&format!("partners.{j}.name")),
                        // Not reached: a build finds the place of every varied spelling.
                        (None, None) => Location::file(&record.source_path),
                    },
                    format!(
                        "the partner `{}` is written `{name}` in {count} other place(s); its partner page shows one name: write it the same way everywhere",
                        x.name
                    ),
                )),
                _ => {}
            }
        }
    }
    out
}

fn check_award_entries(
    p: &ParsedPractice,
    slug: &str,
    ctx: &Context,
    source_index: &SourceIndex,
    d: &mut Vec<Diagnostic>,
) -> Vec<AwardEntry> {
    let mut out = Vec::new();
    let mut entered: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, a) in p.meta.awards.iter().enumerate() {
        let at = |k: &str| p.at(&format!("awards.{i}.{k}"));
        if let Some(first) = entered.insert((a.award.as_str(), a.edition.0.trim()), i) {
            let line = p.at(&format!("awards.{first}")).line;
            d.push(Diagnostic::error(
                at("edition"),
                format!(
                    "the practice already entered `{}` edition `{}` (line {line}): one entry per edition, with its best rank",
                    a.award,
                    a.edition.0.trim()
                ),
            ));
        }
        let source = source_index(format!("awards.{i}.source"), &a.source, d);
        let Some(award) = ctx.awards.get(a.award.as_str()) else {
            if ctx.links.awards.contains(a.award.as_str()) {
                // The award's file has errors of its own, reported there.
                continue;
            }
            let hint = did_you_mean(&a.award, ctx.awards.keys().copied());
            d.push(Diagnostic::error(
                at("award"),
                format!("no award `{}` in content/awards/{hint}", a.award),
            ));
            continue;
        };
        let editions = &award.meta.editions;
        let edition = a.edition.0.trim().to_string();
        if !editions.is_empty() && !editions.iter().any(|e| e.edition.0 == edition) {
            let hint = did_you_mean(&edition, editions.iter().map(|e| e.edition.0.as_str()));
            d.push(Diagnostic::error(
                at("edition"),
                format!(
                    "the award `{}` has no edition `{edition}`{hint}; editions are listed in {}",
                    a.award, award.path
                ),
            ));
        }
        if !is_slug(&edition) {
            d.push(Diagnostic::error(at("edition"), format!("`{edition}` is not a valid edition name: use lowercase letters, digits and `-`")));
        }
        let meta = editions.iter().find(|e| e.edition.0.trim() == edition);
        let warnings = jury_warnings(p, i, &award.meta.title, &edition, meta, ctx, d);
        let motivation = a
            .motivation
            .clone()
            .or_else(|| meta.and_then(|e| e.motivations.get(slug).cloned()));
        out.push(AwardEntry {
            award: a.award.clone(),
            edition,
            rank: a.rank,
            prize_type: a.prize_type.unwrap_or_default(),
            motivation,
            source,
            warnings,
        });
    }
    out
}

/// The jury checks of the award entry `awards.<index>`: located warnings for `check` (those not
/// already reported for every practice), and the full list for the record.
fn jury_warnings(
    p: &ParsedPractice,
    index: usize,
    award_title: &str,
    edition: &str,
    meta: Option<&crate::meta::EditionMeta>,
    ctx: &Context,
    d: &mut Vec<Diagnostic>,
) -> Vec<jury::EntryWarning> {
    let findings = jury::check_entry(&jury::Entry {
        index,
        results: &p.meta.results,
        sources: &p.meta.sources,
        legal_framework: &p.meta.legal_framework,
        edition_year: jury::edition_year(edition, meta.and_then(|e| e.date.as_ref())),
        start_year: p.meta.period.start.year,
        stale_after_years: ctx.stale_after_years,
    });
    let name = format!("{} {edition}", award_title.trim());
    for f in findings.iter().filter(|f| !f.warning.reported_elsewhere()) {
        d.push(Diagnostic::warning(p.at(&f.path), f.warning.message(&name)));
    }
    findings.into_iter().map(|f| f.warning).collect()
}

/// Every practice slug in an edition's `motivations` must enter that edition.
fn check_motivations(
    a: &ParsedAward,
    entrants: &HashSet<(String, String, &str)>,
    unparsed_practices: &[&str],
    d: &mut Vec<Diagnostic>,
) {
    for (i, e) in a.meta.editions.iter().enumerate() {
        let edition = e.edition.0.trim();
        for slug in e.motivations.keys() {
            // A practice file with errors of its own may well name this edition.
            let key = (a.stem.to_string(), edition.to_string(), slug.as_str());
            if entrants.contains(&key) || unparsed_practices.contains(&slug.as_str()) {
                continue;
            }
            let hint = did_you_mean(
                slug,
                entrants
                    .iter()
                    .filter(|(aw, ed, _)| aw == a.stem && ed == edition)
                    .map(|(_, _, s)| *s),
            );
            d.push(Diagnostic::error(
                a.key_at(&format!("editions.{i}.motivations.{slug}")),
                format!(
                    "no practice with the slug `{slug}` names {} {edition} in its `awards`{hint}",
                    a.stem
                ),
            ));
        }
    }
}

fn check_award(
    a: &ParsedAward,
    links: &Links,
    entrants: &HashSet<(String, String, &str)>,
    unparsed_practices: &[&str],
    d: &mut Vec<Diagnostic>,
) -> Option<Award> {
    let before = d.iter().filter(|x| x.is_error()).count();
    let m = &a.meta;
    check_length(a, "title", &m.title, TITLE_MAX, d);
    if let Some(desc) = &m.description {
        check_length(a, "description", desc, SUMMARY_MAX, d);
    }
    if !is_slug(a.stem) {
        d.push(Diagnostic::error(Location::file(a.path), format!("`{}` is not a valid award slug: rename the file using lowercase letters, digits and `-`", a.stem)));
    }
    let mut seen = HashSet::new();
    for (i, e) in m.editions.iter().enumerate() {
        if !seen.insert(&e.edition.0) {
            d.push(Diagnostic::error(
                a.at(&format!("editions.{i}.edition")),
                format!("the edition `{}` is listed twice", e.edition.0),
            ));
        }
    }
    for (i, c) in m.criteria.iter().enumerate() {
        if c.weight.is_some_and(|w| !(w >= 0.0 && w.is_finite())) {
            d.push(Diagnostic::error(
                a.at(&format!("criteria.{i}.weight")),
                "a criterion `weight` must be zero or more",
            ));
        }
    }
    check_motivations(a, entrants, unparsed_practices, d);
    let body = render_body(a.path, a.body, a.body_line, links, d);
    if d.iter().filter(|x| x.is_error()).count() > before {
        return None;
    }
    Some(Award {
        slug: a.stem.to_string(),
        source_path: a.path.to_string(),
        title: m.title.clone(),
        organiser: m.organiser.clone(),
        description: m.description.clone(),
        url: m.url.clone(),
        criteria: m.criteria.clone(),
        criteria_derived: m.criteria_derived,
        editions: m
            .editions
            .iter()
            .map(|e| Edition {
                key: e.edition.0.clone(),
                year: jury::edition_year(e.edition.0.trim(), e.date.as_ref()),
                date: e.date,
                venue: e.venue.clone(),
                jury_chair: e.jury_chair.clone(),
                jury: e.jury.clone(),
            })
            .collect(),
        body_html: body.html,
    })
}

fn check_page(p: &ParsedPage, slug: &str, links: &Links, d: &mut Vec<Diagnostic>) -> Option<Page> {
    let before = d.iter().filter(|x| x.is_error()).count();
    check_length(p, "title", &p.meta.title, TITLE_MAX, d);
    if let Some(s) = &p.meta.summary {
        check_length(p, "summary", s, SUMMARY_MAX, d);
    }
    if RESERVED.contains(&slug) {
        let at = if p.meta.slug.is_some() {
            p.at("slug")
        } else {
            Location::file(p.path)
        };
        d.push(Diagnostic::error(at, format!("the page slug `{slug}` is taken by a generated section of the site; choose another")));
    }
    let body = render_body(p.path, p.body, p.body_line, links, d);
    if d.iter().filter(|x| x.is_error()).count() > before {
        return None;
    }
    Some(Page {
        slug: slug.to_string(),
        source_path: p.path.to_string(),
        title: p.meta.title.clone(),
        summary: p.meta.summary.clone(),
        weight: p.meta.weight.unwrap_or(0),
        body_html: body.html,
        headings: body.headings,
        fragment_links: body.fragment_links,
        site_links: body.site_links,
    })
}
