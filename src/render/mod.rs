//! Site model to output files: Tera templates with typed contexts, plus feeds and sitemaps.
//!
//! [`Templates`] loads the theme (site templates override theme templates by name). [`render`]
//! lists every page the site has, renders them in parallel and returns an [`Output`] held in
//! memory, or ([`render_each`]) hands each file to an [`Emit`] as soon as it is made (the open
//! data's joined files in parts); it writes nothing. XML files (feed, sitemap) and robots.txt
//! are generated in Rust.

mod browse;
mod closure;
mod context;
pub mod csv;
pub mod data;
mod dossier;
mod edition;
mod emit;
mod escape;
mod fold;
mod located;
mod memo;
mod pages;
mod strings;
pub mod urls;
pub mod views;
mod xml;

use std::sync::atomic::Ordering;

use rayon::prelude::*;
use serde::Serialize;

pub use emit::{Discard, Emit, Parts};
pub use memo::{Bytes, Memo, Reuse};
pub use strings::Strings;

use memo::Pass;

use crate::error::{Error, Result};
use crate::load::{Asset, SourceFile};
use crate::model::Site;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated.
    pub path: String,
    pub bytes: Bytes,
}

/// The whole built site, in memory, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: Vec<OutputFile>,
}

impl Output {
    /// The output of `files`, sorted by path (no two have the same path: pages and files get
    /// distinct paths by construction, and validation reserves the generated ones).
    pub fn sorted(mut files: Vec<OutputFile>) -> Output {
        files.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        debug_assert!(
            files.windows(2).all(|w| w[0].path != w[1].path),
            "two files with one path"
        );
        files.dedup_by(|a, b| a.path == b.path);
        Output { files }
    }

    /// Like [`Output::sorted`], trying `order` first: the permutation that sorted the files
    /// of an earlier pass (item `i` of the output was item `order[i]` of the files). A pass after
    /// an edit makes the same files in the same order nearly always, and applying and checking
    /// a permutation is one walk where a sort compares tens of thousands of paths many times
    /// over. Returns the permutation used.
    pub fn sorted_like(files: Vec<OutputFile>, order: &[usize]) -> (Output, Vec<usize>) {
        let fits = order.len() == files.len()
            && order.iter().all(|&i| i < files.len())
            && order
                .windows(2)
                .all(|w| files[w[0]].path < files[w[1]].path);
        let order = if fits {
            order.to_vec()
        } else {
            let mut order: Vec<usize> = (0..files.len()).collect();
            order.par_sort_unstable_by(|&a, &b| files[a].path.cmp(&files[b].path));
            debug_assert!(
                order
                    .windows(2)
                    .all(|w| files[w[0]].path != files[w[1]].path),
                "two files with one path"
            );
            order.dedup_by(|a, b| files[*a].path == files[*b].path);
            order
        };
        let mut slots: Vec<Option<OutputFile>> = files.into_iter().map(Some).collect();
        let sorted = order.iter().filter_map(|&i| slots[i].take()).collect();
        (Output { files: sorted }, order)
    }

    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Adds files, keeping the output sorted by path; a file replaces one with the same path.
    pub fn extend(&mut self, files: impl IntoIterator<Item = OutputFile>) {
        for file in files {
            match self
                .files
                .binary_search_by(|f| f.path.as_str().cmp(&file.path))
            {
                Ok(i) => self.files[i] = file,
                Err(i) => self.files.insert(i, file),
            }
        }
    }

    pub fn pages(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

/// The loaded templates of the theme and the site.
pub struct Templates {
    tera: tera::Tera,
    /// Per template, what it is rendered from (see `closure`).
    info: std::collections::HashMap<String, closure::Info>,
    /// Per template, the size of the largest page it rendered so far: the next page's buffer
    /// starts that large instead of growing from 2 kB by doubling (and copying). A hint only;
    /// no output depends on it.
    sizes: std::collections::HashMap<String, std::sync::atomic::AtomicUsize>,
    /// Where each template was read and its text, to place an error (`located`).
    origins: located::Origins,
}

/// The file name endings of the templates Tera escapes what they print in.
const ESCAPED: [&str; 2] = [".html", ".xml"];

/// Parses every template once, with the interface `strings` folded in (see `fold`).
pub fn templates(
    files: &[SourceFile],
    origins: &std::collections::BTreeMap<String, String>,
    strings: &Strings,
) -> Result<Templates> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(ESCAPED.to_vec());
    tera.set_escape_fn(escape::html);
    tera.set_escape_write_fn(escape::html_write);
    tera.register_filter("lang_span", LangSpan);
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()))
        .collect();
    let origins = located::Origins::new(origins, &sources);
    tera.add_raw_templates(sources.iter().copied())
        .map_err(|e| origins.error("", &e))?;
    let escaped = |name: &str| ESCAPED.iter().any(|s| name.ends_with(s));
    fold::fold(&mut tera, strings, &escaped).map_err(|e| Error::Template(chain(&e)))?;
    let info = closure::analyse(&tera, &sources);
    let sizes = info
        .keys()
        .map(|k| (k.clone(), Default::default()))
        .collect();
    Ok(Templates {
        tera,
        info,
        sizes,
        origins,
    })
}

/// The filter `text | lang_span(lang=l)`: the text, escaped, in `<span lang="l">` when `l` is
/// not empty (content in another language than the interface's, WCAG 3.1.2), else as it is.
/// A filter rather than a template macro: a page calls it for every term, source and partner
/// it shows, and a Tera macro call costs several microseconds.
struct LangSpan;

impl tera::Filter for LangSpan {
    fn filter(
        &self,
        value: &serde_json::Value,
        args: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        let text = match value {
            serde_json::Value::String(s) => escape::html(s),
            serde_json::Value::Null => String::new(),
            other => escape::html(&other.to_string()),
        };
        let lang = args.get("lang").and_then(|l| l.as_str()).unwrap_or("");
        Ok(serde_json::Value::String(if lang.is_empty() {
            text
        } else {
            format!("<span lang=\"{}\">{text}</span>", escape::html(lang))
        }))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Tera errors nest their cause; show the whole chain on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

impl Templates {
    fn has(&self, name: &str) -> bool {
        self.info.contains_key(name)
    }

    fn source_hash(&self, name: &str) -> u64 {
        self.info.get(name).map_or(0, |i| i.hash)
    }

    /// Renders template `name` with `ctx` and, as `t`, the sections of the interface strings
    /// the template uses.
    fn render<C: Serialize>(&self, name: &str, ctx: &C, strings: &Strings) -> Result<Vec<u8>> {
        let context = self.context(name, ctx, strings)?;
        self.render_context(name, &context)
    }

    /// Renders template `name` once per item of `variants`, with the top-level fields of the
    /// variant over those of `ctx`: the context is converted once for all (a card's three
    /// parts, say), not once per render.
    fn render_variants<C: Serialize, V: Serialize>(
        &self,
        name: &str,
        ctx: &C,
        variants: &[V],
        strings: &Strings,
    ) -> Result<Vec<Vec<u8>>> {
        let mut context = self.context(name, ctx, strings)?;
        variants
            .iter()
            .map(|v| {
                let over =
                    tera::Context::from_serialize(v).map_err(|e| Error::Template(chain(&e)))?;
                context.extend(over);
                self.render_context(name, &context)
            })
            .collect()
    }

    /// `ctx` as Tera's context, with the interface strings as `t`: the sections of them the
    /// template uses.
    fn context<C: Serialize>(
        &self,
        name: &str,
        ctx: &C,
        strings: &Strings,
    ) -> Result<tera::Context> {
        let mut context =
            tera::Context::from_serialize(ctx).map_err(|e| Error::Template(chain(&e)))?;
        let sections = self.info.get(name).and_then(|i| i.sections.as_deref());
        context.insert("t", &strings.sections(sections));
        Ok(context)
    }

    fn render_context(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let size = self.sizes.get(name);
        let hint = size.map_or(0, |s| s.load(Ordering::Relaxed));
        let mut out = Vec::with_capacity(hint.max(2048));
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| self.origins.error(name, &e))?;
        if let Some(s) = size {
            s.fetch_max(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }
}

/// Renders every page of `site`, plus the static assets.
pub fn render(
    site: &Site,
    templates: &Templates,
    strings: &Strings,
    assets: &[Asset],
    extra: &context::Extra,
) -> Result<Output> {
    let files = render_each(site, templates, strings, assets, extra, &|f| Ok(f))?;
    Ok(Output::sorted(files))
}

/// Renders like [`render`] but hands every file to `emit` as soon as it is made, from any
/// thread and in no particular order, instead of collecting the site; returns what `emit`
/// returned per file. A build streams its output to disk this way; the open data's joined
/// files are handed over in parts as they are made ([`Emit::open`]), so they are never whole
/// in memory unless `emit` gathers them.
pub fn render_each<T: Send>(
    site: &Site,
    templates: &Templates,
    strings: &Strings,
    assets: &[Asset],
    extra: &context::Extra,
    emit: &dyn Emit<T>,
) -> Result<Vec<T>> {
    let pass = Pass::plain(templates, strings);
    render_pass(site, strings, assets, extra, &pass, emit)
}

/// Renders like [`render`], reusing every page whose template and context are unchanged since
/// the pass that made `previous`; returns the memo for the next pass (also after an error: the
/// previous one with what this pass made) and the output with what was reused.
/// `seen` is shown each file as soon as it is made (in no particular order).
pub fn render_again(
    site: &Site,
    templates: &Templates,
    strings: &Strings,
    assets: &[Asset],
    extra: &context::Extra,
    previous: Memo,
    seen: &(dyn Fn(&OutputFile) + Sync),
) -> (Result<(Output, Reuse)>, Memo) {
    let pass = Pass::incremental(templates, strings, previous);
    let emit = |f: OutputFile| {
        seen(&f);
        Ok(f)
    };
    let files = match render_pass(site, strings, assets, extra, &pass, &emit) {
        Ok(files) => files,
        Err(e) => return (Err(e), pass.finish(false).0),
    };
    let (output, order) = Output::sorted_like(files, pass.previous_order());
    let (mut memo, reuse) = pass.finish(true);
    memo.order = order;
    (Ok((output, reuse)), memo)
}

fn render_pass<T: Send>(
    site: &Site,
    strings: &Strings,
    assets: &[Asset],
    extra: &context::Extra,
    pass: &Pass,
    emit: &dyn Emit<T>,
) -> Result<Vec<T>> {
    let ctx = context::Shared::new(site, strings, extra, pass)?;
    let mut jobs = pages::jobs(site);
    // Without a search index, no search page either.
    if !has_search(&site.config, extra.private) {
        jobs.retain(|j| !matches!(j, pages::Job::Search));
    }
    let pages = || {
        jobs.par_iter()
            .map(|job| {
                let (path, bytes) = pages::render(job, &ctx, pass)?;
                emit.file(OutputFile { path, bytes })
            })
            .collect::<Result<Vec<T>>>()
    };
    // The files made from the whole site without a template, and what `emit` returned for
    // those handed over already: a full pass streams the open data to `emit` as it is made
    // (`data::stream`); an incremental one keeps its pieces and joined files in the memo.
    let files = || -> Result<(Vec<OutputFile>, Vec<T>)> {
        let (mut rest, data) = rayon::join(
            || xml::files(&ctx, pass),
            || {
                if pass.keeps_memo() {
                    Ok((data::files(&ctx, pass), Vec::new()))
                } else {
                    data::stream(&ctx, emit).map(|done| (Vec::new(), done))
                }
            },
        );
        let (data, done) = data?;
        rest.extend(data);
        rest.extend(assets.iter().map(|a| OutputFile {
            path: format!("static/{}", a.output_path),
            bytes: Bytes::new(a.bytes.clone()),
        }));
        Ok((rest, done))
    };
    // In an incremental pass the files are mostly reused and are made beside the pages; a full
    // pass makes them after, so what the open data holds while it is made (a few hundred
    // practices' pieces at a time) does not add to the pages' peak (100k `check`, when the
    // open data was joined whole: 38 s beside, 33 s after).
    let (out, rest) = if pass.keeps_memo() {
        rayon::join(pages, files)
    } else {
        (pages(), files())
    };
    let mut out = out?;
    let (rest, done) = rest?;
    out.extend(done);
    out.par_extend(
        rest.into_par_iter()
            .map(|f| emit.file(f))
            .collect::<Result<Vec<T>>>()?,
    );
    Ok(out)
}

pub use context::Extra;

/// Whether the site gets search, its index and `/zoeken/`: unless `site.toml` turns it off
/// (`search = false`), and never in a private (jury) build (`Extra::private`).
pub fn has_search(config: &crate::config::Config, private: bool) -> bool {
    config.search && !private
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> Vec<OutputFile> {
        paths
            .iter()
            .map(|p| OutputFile {
                path: p.to_string(),
                bytes: Bytes::new(p.as_bytes().to_vec()),
            })
            .collect()
    }

    fn paths(output: &Output) -> Vec<&str> {
        output.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn lang_span_escapes_and_marks_only_with_a_language() {
        use tera::Filter;
        let args =
            |lang: serde_json::Value| std::collections::HashMap::from([("lang".to_string(), lang)]);
        let text = serde_json::json!("KLIQ & <Reïntegratie>");
        let marked = LangSpan
            .filter(&text, &args(serde_json::json!("nl")))
            .unwrap();
        assert_eq!(
            marked,
            "<span lang=\"nl\">KLIQ &amp; &lt;Reïntegratie&gt;</span>"
        );
        let plain = LangSpan
            .filter(&text, &args(serde_json::Value::Null))
            .unwrap();
        assert_eq!(plain, "KLIQ &amp; &lt;Reïntegratie&gt;");
        assert!(LangSpan.is_safe());
    }

    #[test]
    fn sorted_like_uses_an_order_that_still_sorts_and_sorts_otherwise() {
        let (first, order) = Output::sorted_like(files(&["b", "c", "a"]), &[]);
        assert_eq!(paths(&first), ["a", "b", "c"]);
        assert_eq!(order, [2, 0, 1]);
        // The same files again: the order is taken as it is.
        let (again, kept) = Output::sorted_like(files(&["b", "c", "a"]), &order);
        assert_eq!((paths(&again), &kept), (vec!["a", "b", "c"], &order));
        // A renamed file the order no longer sorts, and one more file: sorted.
        let (renamed, _) = Output::sorted_like(files(&["d", "c", "a"]), &order);
        assert_eq!(paths(&renamed), ["a", "c", "d"]);
        let (added, _) = Output::sorted_like(files(&["b", "c", "a", "0"]), &order);
        assert_eq!(paths(&added), ["0", "a", "b", "c"]);
        assert_eq!(added, Output::sorted(files(&["b", "c", "a", "0"])));
    }
}
