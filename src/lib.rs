//! etalage: a static site generator for showcases of good practices in getting people back to
//! work.
//!
//! A build is a pipeline of free functions, one module per stage:
//! [`load`] (disk) → [`parse`] (front matter, YAML) → [`validate`] (cross-file checks, Markdown)
//! → [`model`] (facets, awards, related) → [`render`] (templates) → [`write`] (disk).
//! [`compile`] runs the pure middle; [`build`] and [`check`] add loading and writing. The
//! library never prints: problems and warnings come back as [`Diagnostic`] values.

pub mod alloc;
pub mod carry;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod error;
pub mod fingerprint;
pub mod format;
pub mod frontmatter;
pub mod jury;
pub mod load;
pub mod markdown;
pub mod meta;
pub mod model;
pub mod parse;
pub mod rebuild;
pub mod record;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod validate;
pub mod vocab;
pub mod write;
mod yaml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostic::{Diagnostic, Location, Severity};
pub use error::{Error, Result};
pub use rebuild::{build_again, publish_index, Rebuilding, Rebuilt};

use load::Sources;
use render::{Emit, Output};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish drafts too.
    pub drafts: bool,
    /// Serve from this URL instead of the configured `base_url`.
    pub base_url: Option<String>,
    /// Build-wide page switches; a jury build sets its own.
    pub extra: render::Extra,
    /// Build for the jury of one award edition: its unpublished entries are included, every
    /// page is private and carries a banner (see [`jury`]).
    pub jury: Option<jury::JuryScope>,
    /// The build's date: a recognition valid until before it is shown as expired. The library
    /// never reads the clock; the command line gives it (`--date`, `SOURCE_DATE_EPOCH` or the
    /// day the build runs). `None`: nothing counts as expired.
    pub today: Option<date::PartialDate>,
}

impl Options {
    /// The output folder when none is given: the configured one, or for a jury build
    /// `public-jury-<award>-<edition>` beside it, so a jury build never replaces the public site.
    pub fn default_output_dir(&self, config: &config::Config) -> PathBuf {
        match &self.jury {
            Some(j) => PathBuf::from(format!("public-jury-{}-{}", j.award, j.edition)),
            None => PathBuf::from(&config.output_dir),
        }
    }
}

/// A site built in memory.
#[derive(Debug)]
pub struct Compiled {
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    pub config: config::Config,
}

/// Reads everything a build needs from `root`.
pub fn load_site(root: &Path) -> Result<Sources> {
    let mut sources = load::load(root)?;
    let theme = sources
        .config
        .as_ref()
        .and_then(|c| config::parse(&c.text).ok())
        .map_or_else(|| "default".to_string(), |c| c.theme);
    load::load_theme(root, &theme, &mut sources)?;
    Ok(sources)
}

/// A site checked and modelled, ready to render: everything a build knows before templates run.
pub struct Prepared {
    pub site: model::Site,
    pub strings: render::Strings,
    pub templates: std::sync::Arc<render::Templates>,
    pub extra: render::Extra,
    pub warnings: Vec<Diagnostic>,
}

/// The pure build: sources in, rendered site out, or every problem found.
pub fn compile(sources: &Sources, options: &Options) -> Result<Compiled> {
    let prepared = prepare(sources, options)?;
    let p = &prepared;
    let (output, index) = beside_index(p, || {
        render::render(&p.site, &p.templates, &p.strings, &sources.assets, &p.extra)
    });
    let mut output = output?;
    output.extend(index?);
    Ok(Compiled {
        output,
        warnings: prepared.warnings,
        config: prepared.site.config,
    })
}

/// Runs `render` while the search index of `prepared` is built beside it, on a thread of its
/// own: the index needs only the model.
fn beside_index<T>(
    prepared: &Prepared,
    render: impl FnOnce() -> T,
) -> (T, Result<Vec<render::OutputFile>>) {
    std::thread::scope(|s| {
        let index = s.spawn(|| search_index(prepared));
        let rendered = render();
        let index = index
            .join()
            .unwrap_or_else(|_| Err(Error::Search("the indexer panicked".into())));
        (rendered, index)
    })
}

/// What the incremental build remembers between runs: parsed files and rendered Markdown by
/// their text, the related practices by their inputs, rendered pages by the fingerprint of
/// their template and context. Each run keeps only what it used (its maps are carried from run
/// to run, see `carry`), so the memo does not grow over many rebuilds.
#[derive(Debug, Default)]
pub struct Memo {
    /// The compiled templates, with the hash of their sources.
    templates: Option<(u128, std::sync::Arc<render::Templates>)>,
    /// The vocabularies and their problems, with the hash of the data files they were read from.
    vocab: Option<(u128, vocab::Vocab, Vec<Diagnostic>)>,
    parse: parse::Memo,
    markdown: validate::Memo,
    model: model::Memo,
    render: render::Memo,
}

/// Prepares like [`prepare`], parsing and rendering Markdown only for files whose text changed
/// since the runs `memo` remembers. On success the memo is updated; on errors it is kept.
pub fn prepare_again(sources: &Sources, options: &Options, memo: &mut Memo) -> Result<Prepared> {
    prepare_with(sources, options, Some(memo), true)
}

/// Renders `prepared` reusing every page whose template and context are unchanged since the
/// render `memo` remembers (see [`render::Memo`]), and updates the memo; the output has no
/// search index ([`search_index`] makes it). The dev server uses this and [`prepare_again`],
/// so an edit re-renders only the pages whose context or template changed.
pub fn render_again(
    prepared: &Prepared,
    assets: &[load::Asset],
    memo: &mut Memo,
) -> Result<(Output, render::Reuse)> {
    render_again_showing(prepared, assets, memo, &|_| {})
}

/// [`render_again`], showing `seen` each file as soon as it is made (in no particular order):
/// the dev server serves the pages of its first build while the rest are still being rendered.
pub fn render_again_showing(
    prepared: &Prepared,
    assets: &[load::Asset],
    memo: &mut Memo,
    seen: &(dyn Fn(&render::OutputFile) + Sync),
) -> Result<(Output, render::Reuse)> {
    let p = prepared;
    let (rendered, next) = render::render_again(
        &p.site,
        &p.templates,
        &p.strings,
        assets,
        &p.extra,
        std::mem::take(&mut memo.render),
        seen,
    );
    memo.render = next;
    rendered
}

/// The search index of a prepared site; none when it has no search (`search = false` in
/// `site.toml`, or a private jury build).
pub fn search_index(prepared: &Prepared) -> Result<Vec<render::OutputFile>> {
    if !render::has_search(&prepared.site.config, prepared.extra.private) {
        return Ok(Vec::new());
    }
    search::index(&prepared.site, &prepared.strings)
}

/// Parses, validates and models the site: every problem found, or a site ready to render.
pub fn prepare(sources: &Sources, options: &Options) -> Result<Prepared> {
    prepare_with(sources, options, None, true)
}

/// `keep_text`: keep each body's plain text, which only the search index reads.
fn prepare_with(
    sources: &Sources,
    options: &Options,
    mut memo: Option<&mut Memo>,
    keep_text: bool,
) -> Result<Prepared> {
    let prepared = prepare_once(sources, options, memo.as_deref_mut(), keep_text);
    // The parse and validation memos keep what this run used, or after an error everything.
    if let Some(m) = memo {
        m.parse.end_pass(prepared.is_ok());
        m.markdown.end_pass(prepared.is_ok());
    }
    prepared
}

/// [`prepare_with`] without ending the memos' pass.
fn prepare_once(
    sources: &Sources,
    options: &Options,
    mut memo: Option<&mut Memo>,
    keep_text: bool,
) -> Result<Prepared> {
    let mut diags = sources.problems.clone();
    let config = match sources.config.as_ref().map(|c| config::parse(&c.text)) {
        Some(Ok(c)) => Some(c),
        Some(Err(d)) => {
            diags.push(d);
            None
        }
        None => None,
    };
    let config = match (config, &options.base_url) {
        (Some(c), Some(url)) => Some(c.with_base_url(url).map_err(|m| {
            Error::Content(vec![Diagnostic::error(Location::file(config::FILE), m)])
        })?),
        (c, _) => c,
    };
    let config = config.map(|c| config::Config {
        today: options.today,
        ..c
    });
    let (vocab, vocab_diags) = match memo.as_deref_mut() {
        Some(m) => vocab_again(&sources.data, m),
        None => vocab::parse(&sources.data, "content/data"),
    };
    diags.extend(vocab_diags);
    let strings = config
        .as_ref()
        .map(|c| render::Strings::load_for(&sources.strings, c.language));
    // The templates need only the interface strings, so they compile while the content is
    // parsed and checked (on one thread, a tenth of a 1,000-practice build).
    let (slot, parse_memo, markdown_memo) = match memo.as_deref_mut() {
        Some(Memo {
            templates,
            parse,
            markdown,
            ..
        }) => (Some(templates), Some(&*parse), Some(&*markdown)),
        None => (None, None, None),
    };
    let (templates, (validated, content_diags)) = rayon::join(
        || match &strings {
            Some(Ok(strings)) => Some(compile_templates(sources, strings, slot)),
            _ => None,
        },
        || {
            check_content(
                sources,
                config.as_ref(),
                &vocab,
                options,
                (parse_memo, markdown_memo),
                keep_text,
            )
        },
    );
    diags.extend(content_diags);
    if let Some(Err(d)) = &strings {
        diags.push(d.clone());
    }
    diagnostic::sort(&mut diags);
    let (Some(config), Some(Ok(strings))) = (config, strings) else {
        return Err(Error::Content(diags));
    };
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diags));
    }
    let templates = templates.expect("the strings loaded, so the templates were compiled")?;
    let site = match memo {
        Some(m) => model::build_again(config, vocab, validated, &mut m.model),
        None => model::build(config, vocab, validated),
    };
    // Links to facet terms and award editions: known only now.
    let link_errors = model::links::check(&site);
    if !link_errors.is_empty() {
        diags.extend(link_errors);
        diagnostic::sort(&mut diags);
        return Err(Error::Content(diags));
    }
    let extra = match &options.jury {
        Some(scope) => jury_extra(&site, scope, &strings)?,
        None => options.extra.clone(),
    };
    Ok(Prepared {
        site,
        strings,
        templates,
        extra,
        warnings: diags,
    })
}

/// Parses and validates the write-ups: the checked records and every problem found in them.
/// With the parse and Markdown memos, only files whose text changed are parsed and rendered.
fn check_content(
    sources: &Sources,
    config: Option<&config::Config>,
    vocab: &vocab::Vocab,
    options: &Options,
    memos: (Option<&parse::Memo>, Option<&validate::Memo>),
    keep_text: bool,
) -> (validate::Validated, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (practices, awards, pages) = (&sources.practices, &sources.awards, &sources.pages);
    let (mut content, parse_diags) = match memos.0 {
        Some(m) => parse::parse_content_again(practices, awards, pages, m),
        None => parse::parse_content(practices, awards, pages),
    };
    content.add_unusable(&sources.unusable);
    diags.extend(parse_diags);
    let base_path = config.map_or("/", |c| c.base_path.as_str());
    // Without a search index nothing reads the bodies' plain text. A jury build is the private
    // one (`jury_extra`).
    let private = options.jury.is_some();
    let searched = config.is_none_or(|c| render::has_search(c, private));
    let validate_options = validate::Options {
        include_drafts: options.drafts,
        jury: options.jury.clone(),
        stale_after_years: config.map_or(5, |c| c.stale_after_years),
        keep_text: keep_text && searched,
        today: options.today,
    };
    let (validated, check_diags) = match memos.1 {
        Some(m) => validate::validate_again(&content, vocab, base_path, validate_options, m),
        None => validate::validate_dropping(&mut content, vocab, base_path, validate_options),
    };
    diags.extend(check_diags);
    // The records are built: the front matter they were read from (50 MB at 10,000
    // practices) is not held through the templates and the model. Without a memo each
    // practice's front matter already went as its record was made (`validate_dropping`).
    drop(content);
    (validated, diags)
}

/// The vocabularies of the data `files`, read again only when a file changed since `memo`'s
/// run (which then remembers them): 342 municipalities and the term lists cost milliseconds to
/// read, on every edit of the dev server.
fn vocab_again(files: &[load::SourceFile], memo: &mut Memo) -> (vocab::Vocab, Vec<Diagnostic>) {
    let key = fingerprint::of(&files.iter().map(|f| (&f.path, f.hash)).collect::<Vec<_>>());
    match &memo.vocab {
        Some((k, vocab, diags)) if *k == key => (vocab.clone(), diags.clone()),
        _ => {
            let (vocab, diags) = vocab::parse(files, "content/data");
            memo.vocab = Some((key, vocab.clone(), diags.clone()));
            (vocab, diags)
        }
    }
}

/// The templates of `sources`, compiled. With the memo's `slot`, compiled again only when they,
/// where they were read, or the interface strings folded into them changed since its run
/// (which then remembers them).
fn compile_templates(
    sources: &load::Sources,
    strings: &render::Strings,
    slot: Option<&mut Option<(u128, std::sync::Arc<render::Templates>)>>,
) -> Result<std::sync::Arc<render::Templates>> {
    let (files, origins) = (&sources.templates, &sources.template_origins);
    let Some(slot) = slot else {
        return Ok(std::sync::Arc::new(render::templates(
            files, origins, strings,
        )?));
    };
    let hash = fingerprint::of(&(files, origins, strings));
    if let Some((h, t)) = &*slot {
        if *h == hash {
            return Ok(t.clone());
        }
    }
    let templates = std::sync::Arc::new(render::templates(files, origins, strings)?);
    *slot = Some((hash, templates.clone()));
    Ok(templates)
}

/// The page switches of a jury build: private pages with a banner naming the edition. An
/// edition the site does not have is a usage error that names the nearest one.
fn jury_extra(
    site: &model::Site,
    scope: &jury::JuryScope,
    strings: &render::Strings,
) -> Result<render::Extra> {
    let found = site.award(&scope.award).and_then(|(ai, award)| {
        site.award_index[ai]
            .editions
            .iter()
            .any(|e| e.key == scope.edition)
            .then_some(award)
    });
    let Some(award) = found else {
        let known: Vec<String> = site
            .awards
            .iter()
            .zip(&site.award_index)
            .flat_map(|(a, idx)| {
                idx.editions
                    .iter()
                    .map(move |e| format!("{}/{}", a.slug, e.key))
            })
            .collect();
        let scope = scope.to_string();
        let hint = diagnostic::did_you_mean(&scope, known.iter().map(String::as_str));
        return Err(Error::Usage(format!(
            "no award edition `{scope}` in content/awards/{hint}; editions: {}",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    };
    let banner = strings
        .get("jury", "banner")
        .replace("{award}", &award.title)
        .replace("{edition}", &scope.edition);
    Ok(render::Extra {
        private: true,
        banner: Some(banner),
        jury: Some(scope.clone()),
    })
}

/// Checks the site at `root` without writing anything: everything a build does but the search
/// index (which cannot fail on valid content); returns the warnings.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Diagnostic>> {
    let sources = load_site(root)?;
    // No search index is built, so the bodies' plain text is not kept.
    let p = prepare_with(&sources, options, None, false)?;
    let assets = only_assets(sources);
    // Every page is rendered (a template can fail on any of them) and dropped at once.
    render::render_each(
        &p.site,
        &p.templates,
        &p.strings,
        &assets,
        &p.extra,
        &render::Discard,
    )?;
    Ok(free_aside(p))
}

/// The warnings of `p`, with the rest of it freed on a thread of its own: freeing a site's
/// records takes a serial 30 ms at 10,000 practices, and the caller of a whole build (the
/// command line, which exits next) waits for none of it.
fn free_aside(p: Prepared) -> Vec<Diagnostic> {
    let Prepared { site, warnings, .. } = p;
    let spawned = std::thread::Builder::new()
        .name("etalage-free".into())
        .spawn(move || drop(site));
    // Without a thread to spare the site is freed here: a failed `spawn` drops the closure.
    drop(spawned);
    warnings
}

/// The static files of `sources`, the rest dropped: once prepared, the site needs no source
/// text to render (at 100k practices the texts are 680 MB).
fn only_assets(sources: Sources) -> Vec<load::Asset> {
    sources.assets
}

/// What a finished build reports.
#[derive(Debug)]
pub struct Report {
    /// Files in the site.
    pub files: usize,
    /// Files written: the others were on disk as they are.
    pub written: usize,
    /// Files of the previous site deleted.
    pub removed: usize,
    pub pages: usize,
    pub output_dir: PathBuf,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Loads, compiles and publishes the site at `root` into `output` (or the configured folder).
/// Each file goes to disk as soon as it is rendered (see [`write::publish_each`]), so the
/// site is never held in memory whole.
pub fn build(root: &Path, output: Option<&Path>, options: &Options) -> Result<Report> {
    let start = Instant::now();
    let sources = load_site(root)?;
    let p = prepare(&sources, options)?;
    let assets = only_assets(sources);
    let dir = output.map_or_else(
        || root.join(options.default_output_dir(&p.site.config)),
        Path::to_path_buf,
    );
    write::check_output_dir(root, &dir)?;
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let summary = std::thread::scope(|s| {
        // The search index needs only the model, so it is built beside the rendering, on a
        // thread of its own.
        let index = s.spawn(|| search_index(&p));
        write::publish_each(&dir, |sink| {
            let put = Publishing {
                sink,
                pages: &pages,
            };
            let mut listed =
                render::render_each(&p.site, &p.templates, &p.strings, &assets, &p.extra, &put)?;
            let index = index
                .join()
                .unwrap_or_else(|_| Err(Error::Search("the indexer panicked".into())))?;
            listed.extend(
                index
                    .into_iter()
                    .map(|f| put.file(f))
                    .collect::<Result<Vec<_>>>()?,
            );
            Ok(listed)
        })
    })?;
    Ok(Report {
        files: summary.files,
        written: summary.written,
        removed: summary.removed,
        pages: pages.into_inner(),
        output_dir: dir,
        elapsed: start.elapsed(),
        warnings: free_aside(p),
    })
}

/// A build's files on their way to the writer, its pages counted.
struct Publishing<'s, 'a> {
    sink: &'s write::Sink<'a>,
    pages: &'s std::sync::atomic::AtomicUsize,
}

impl Publishing<'_, '_> {
    fn count(&self, path: &str) {
        if path.ends_with(".html") {
            self.pages
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl render::Emit<write::Listed> for Publishing<'_, '_> {
    fn file(&self, f: render::OutputFile) -> Result<write::Listed> {
        self.count(&f.path);
        self.sink.put(f)
    }

    fn open(&self, path: String) -> Result<Box<dyn render::Parts<write::Listed> + '_>> {
        self.count(&path);
        Emit::open(self.sink, path)
    }
}

/// The vocabularies and award slugs of the site at `root`, for tooling (`new`, `schema`); a
/// data file that is missing or broken is an error, located as `check` reports it.
fn site_vocab(root: &Path) -> Result<(vocab::Vocab, Vec<String>)> {
    let sources = load::load(root)?;
    let (vocab, problems) = vocab::parse(&sources.data, "content/data");
    // A schema or scaffold made from a broken vocabulary would allow nothing there.
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(problems));
    }
    let awards = sources
        .awards
        .iter()
        .map(|f| parse::stem_of(&f.path).to_string())
        .collect();
    Ok((vocab, awards))
}

/// The JSON Schema of practice or award front matter for the site at `root`.
pub fn schema(root: &Path, kind: schema::Kind) -> Result<serde_json::Value> {
    let (vocab, awards) = site_vocab(root)?;
    Ok(schema::schema(kind, &vocab, &awards))
}

/// What `etalage new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Practice,
    Award,
}

/// Writes a new practice or award file with every key explained; never overwrites.
pub fn new_write_up(
    root: &Path,
    kind: NewKind,
    slug: &str,
    title: Option<&str>,
) -> Result<PathBuf> {
    if !parse::is_slug(slug) {
        return Err(Error::Usage(format!(
            "`{slug}` is not a valid slug: use lowercase letters, digits and `-`"
        )));
    }
    let (folder, text) = match kind {
        NewKind::Practice => {
            let (vocab, awards) = site_vocab(root)?;
            ("practices", scaffold::practice(title, &vocab, &awards))
        }
        NewKind::Award => ("awards", scaffold::award(title)),
    };
    let path = root.join("content").join(folder).join(format!("{slug}.md"));
    write::create_new(&path, &text)?;
    Ok(path)
}
