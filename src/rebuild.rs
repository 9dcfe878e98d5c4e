//! Building again and again in one process (`etalage build --watch`). Each build reads again
//! only the files that changed, reuses what the previous builds parsed and rendered (the
//! [`Memo`]) and publishes with [`write::publish_again`], writing only the files whose bytes
//! changed, in the same two generations as [`crate::build`]: a failed build leaves the output
//! as it was, a killed one leaves the previous site whole.
//!
//! The search index, which costs far more than the rest of a rebuild (at 10,000 practices
//! about 0.8 s against 0.13 s), is made apart: a rebuild publishes its pages at once with the
//! search index already published, and hands the site back ([`Rebuilt::to_index`]) for the
//! caller to index when it likes, usually on a thread of its own, and to publish with
//! [`publish_index`]. The first build, and the first into another folder, index before they
//! publish, so no site is published without an index it should have. Like `build`, this
//! touches the disk only through `load` and `write`, and prints nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::error::Result;
use crate::load::{self, Sources};
use crate::render::{self, Output, OutputFile};
use crate::{write, Diagnostic, Memo, Options, Prepared, Report};

/// What [`build_again`] keeps from one build to the next: the sources as last read, the memo
/// of the incremental build, and the site last published.
#[derive(Default)]
pub struct Rebuilding {
    sources: Option<Sources>,
    memo: Memo,
    published: write::Published,
    last: Option<Last>,
    /// Counts the builds published.
    builds: u64,
}

/// The site last published.
struct Last {
    dir: PathBuf,
    /// Every file but the search index.
    pages: Output,
    /// The search index published with it (none for a site without search).
    index: Vec<OutputFile>,
    /// The build the index was made for.
    index_of: u64,
}

/// A build published by [`build_again`].
pub struct Rebuilt {
    pub report: Report,
    /// The site whose search index is still to be made ([`crate::search_index`]) and
    /// published ([`publish_index`]); meanwhile the output has the index published before.
    pub to_index: Option<ToIndex>,
}

/// A site to index for search.
pub struct ToIndex {
    /// The build it is (`publish_index` ignores an index older than the one published).
    pub build: u64,
    pub prepared: Arc<Prepared>,
}

/// [`crate::build`] again after the files `touched` (absolute paths) changed: reads again only
/// those when that is all that changed (see [`load::reload`]; the first call reads everything),
/// prepares and renders the site with the memo of the builds `state` remembers, and publishes
/// it (see the module comment for the search index). On any error the output is left as it
/// was and `state` keeps what it had, so the next call after a fix still reuses it. Unlike
/// `build`, the site is held in memory whole: the memo keeps every page for the next build.
pub fn build_again(
    root: &Path,
    output: Option<&Path>,
    options: &Options,
    state: &mut Rebuilding,
    touched: &[PathBuf],
) -> Result<Rebuilt> {
    let start = Instant::now();
    let sources = match state.sources.take() {
        Some(last) => {
            load::reload(root, last, touched).map_or_else(|| crate::load_site(root), Ok)?
        }
        None => crate::load_site(root)?,
    };
    let built = publish_site(root, output, options, &sources, state);
    state.sources = Some(sources);
    let (summary, to_index, warnings) = built?;
    let last = state
        .last
        .as_ref()
        .expect("a published build is remembered");
    Ok(Rebuilt {
        report: report(last, &summary, start, warnings),
        to_index,
    })
}

/// The middle and end of [`build_again`]: prepares, renders and publishes the site of
/// `sources`, and remembers it in `state`; returns the site's warnings too.
fn publish_site(
    root: &Path,
    output: Option<&Path>,
    options: &Options,
    sources: &Sources,
    state: &mut Rebuilding,
) -> Result<(write::Summary, Option<ToIndex>, Vec<Diagnostic>)> {
    let mut p = crate::prepare_again(sources, options, &mut state.memo)?;
    let dir = output.map_or_else(
        || root.join(options.default_output_dir(&p.site.config)),
        Path::to_path_buf,
    );
    write::check_output_dir(root, &dir)?;
    let build = state.builds + 1;
    let searched = render::has_search(&p.site.config, p.extra.private);
    let previous = state.last.as_ref().filter(|l| l.dir == dir && searched);
    let (pages, index, index_of) = match previous {
        // The index published before, until the caller makes this build's.
        Some(last) => {
            let (pages, _) = crate::render_again(&p, &sources.assets, &mut state.memo)?;
            (pages, last.index.clone(), last.index_of)
        }
        // The first build here indexes beside the rendering, as `build` does.
        None => {
            let memo = &mut state.memo;
            let (pages, index) =
                crate::beside_index(&p, || crate::render_again(&p, &sources.assets, memo));
            (pages?.0, index?, build)
        }
    };
    let summary = write::publish_again(&[&pages.files, &index], &dir, &mut state.published)?;
    let warnings = std::mem::take(&mut p.warnings);
    let to_index = (index_of != build).then(|| ToIndex {
        build,
        prepared: Arc::new(p),
    });
    state.builds = build;
    state.last = Some(Last {
        dir,
        pages,
        index,
        index_of,
    });
    Ok((summary, to_index, warnings))
}

/// Publishes `index`, the search index of build `build`, with the pages last published, unless
/// an index of that build or a later one is published already (`Ok(None)`). On errors the
/// output is left as it was.
pub fn publish_index(
    state: &mut Rebuilding,
    build: u64,
    index: Vec<OutputFile>,
) -> Result<Option<Report>> {
    let start = Instant::now();
    let Some(last) = state.last.as_mut().filter(|l| l.index_of < build) else {
        return Ok(None);
    };
    let summary = write::publish_again(
        &[&last.pages.files, &index],
        &last.dir,
        &mut state.published,
    )?;
    last.index = index;
    last.index_of = build;
    Ok(Some(report(last, &summary, start, Vec::new())))
}

/// The report of a publish of `last`; an index's publish has no `warnings` of its own.
fn report(
    last: &Last,
    summary: &write::Summary,
    start: Instant,
    warnings: Vec<Diagnostic>,
) -> Report {
    Report {
        files: summary.files,
        written: summary.written,
        removed: summary.removed,
        pages: last
            .pages
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count(),
        output_dir: last.dir.clone(),
        warnings,
        elapsed: start.elapsed(),
    }
}
