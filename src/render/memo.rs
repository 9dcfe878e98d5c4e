//! Rendering again only what changed: a page whose template and context are the same as in the
//! previous render reuses that render's bytes.
//!
//! A page's output is a pure function of its template (with the templates it extends or imports),
//! its typed context and the interface strings, so [`Pass::render`] fingerprints exactly those
//! (`fingerprint`: the context streamed into a 128-bit hash), with a hash of the template's
//! sources and one of the strings (taken once per pass). The fingerprint is
//! looked up in the [`Memo`] of the previous pass; on a miss the page is rendered by Tera. Nothing
//! is tracked by hand, so a dependency cannot be forgotten: whatever a page shows is in its
//! context. Every pass returns a fresh memo holding only the pages it produced, so memory does
//! not grow over many rebuilds. This module does not decide which pages exist (`pages` does).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::fingerprint;
use super::{Strings, Templates};
use crate::error::Result;

/// Rendered bytes, shared between the output, the memo and the dev server.
pub type Bytes = Arc<[u8]>;

/// The pages of one render pass by fingerprint.
#[derive(Debug, Default)]
pub struct Memo {
    pages: HashMap<u128, Bytes>,
}

impl Memo {
    /// How many pages the memo holds.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
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
    previous: Option<&'a Memo>,
    /// Filled only when the caller keeps a memo for the next pass.
    next: Option<Mutex<Memo>>,
    reuse: Mutex<Reuse>,
}

impl<'a> Pass<'a> {
    /// A pass that renders every page and keeps nothing (a plain build).
    pub fn plain(templates: &'a Templates, strings: &'a Strings) -> Pass<'a> {
        Pass {
            templates,
            strings,
            strings_hash: 0,
            previous: None,
            next: None,
            reuse: Mutex::default(),
        }
    }

    /// A pass that reuses what `previous` rendered and remembers its own pages.
    pub fn incremental(
        templates: &'a Templates,
        strings: &'a Strings,
        previous: &'a Memo,
    ) -> Pass<'a> {
        Pass {
            templates,
            strings,
            strings_hash: fingerprint::of(strings),
            previous: Some(previous),
            next: Some(Mutex::default()),
            reuse: Mutex::default(),
        }
    }

    /// Renders template `name` with `ctx`, or reuses the bytes of an identical earlier page.
    pub fn render<C: Serialize>(&self, name: &str, ctx: &C) -> Result<Bytes> {
        let Some(next) = &self.next else {
            return self
                .templates
                .render(name, ctx, self.strings)
                .map(Bytes::from);
        };
        let key = fingerprint::of(&(
            name,
            self.templates.source_hash(name),
            self.strings_hash,
            ctx,
        ));
        let found = self.previous.and_then(|m| m.pages.get(&key)).cloned();
        let reused = found.is_some();
        let bytes = match found {
            Some(b) => b,
            None => Bytes::from(self.templates.render(name, ctx, self.strings)?),
        };
        lock(next).pages.insert(key, bytes.clone());
        let mut r = lock(&self.reuse);
        if reused {
            r.reused += 1;
        } else {
            r.rendered += 1;
        }
        Ok(bytes)
    }

    /// The memo for the next pass, and what this pass reused.
    pub fn finish(self) -> (Memo, Reuse) {
        let reuse = into_inner(self.reuse);
        let memo = self.next.map(into_inner).unwrap_or_default();
        (memo, reuse)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// For each template, a hash of every source it is rendered from: itself, the templates it
/// extends and the macro files it imports. A theme with `{% include %}` anywhere makes every
/// template depend on every source, since includes are resolved while rendering.
pub fn source_hashes(tera: &tera::Tera, sources: &[(&str, &str)]) -> HashMap<String, u64> {
    let text: HashMap<&str, &str> = sources.iter().copied().collect();
    let includes = sources.iter().any(|(_, t)| has_include(t));
    let mut all = DefaultHasher::new();
    let mut sorted: Vec<_> = sources.to_vec();
    sorted.sort();
    sorted.hash(&mut all);
    let all = all.finish();
    tera.templates
        .iter()
        .map(|(name, tpl)| {
            if includes {
                return (name.clone(), all);
            }
            let mut names: Vec<&str> = vec![name.as_str()];
            names.extend(tpl.parents.iter().map(String::as_str));
            names.extend(tpl.imported_macro_files.iter().map(|(f, _)| f.as_str()));
            for parent in &tpl.parents {
                if let Some(p) = tera.templates.get(parent) {
                    names.extend(p.imported_macro_files.iter().map(|(f, _)| f.as_str()));
                }
            }
            names.sort_unstable();
            names.dedup();
            let mut h = DefaultHasher::new();
            for n in names {
                (n, text.get(n).copied().unwrap_or("")).hash(&mut h);
            }
            (name.clone(), h.finish())
        })
        .collect()
}

fn has_include(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("{%") {
        rest = &rest[i + 2..];
        let tag = rest.trim_start_matches('-').trim_start();
        if tag.starts_with("include") {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(files: &[(&str, &str)]) -> (tera::Tera, HashMap<String, u64>) {
        let mut t = tera::Tera::default();
        t.add_raw_templates(files.to_vec()).unwrap();
        let h = source_hashes(&t, files);
        (t, h)
    }

    #[test]
    fn a_template_depends_on_its_parents_and_macros_only() {
        let base = ("base.html", "<html>{% block b %}{% endblock %}</html>");
        let macros = ("macros.html", "{% macro m() %}x{% endmacro %}");
        let page = (
            "page.html",
            "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block b %}{{ m::m() }}{% endblock %}",
        );
        let other = ("other.html", "plain");
        let (_, a) = tera(&[base, macros, page, other]);
        let (_, b) = tera(&[
            base,
            ("macros.html", "{% macro m() %}y{% endmacro %}"),
            page,
            other,
        ]);
        assert_ne!(a["page.html"], b["page.html"]);
        assert_eq!(a["other.html"], b["other.html"]);
        assert_eq!(a["base.html"], b["base.html"]);
        let (_, c) = tera(&[
            ("base.html", "<b>{% block b %}{% endblock %}</b>"),
            macros,
            page,
            other,
        ]);
        assert_ne!(a["page.html"], c["page.html"]);
    }

    #[test]
    fn an_include_makes_every_template_depend_on_all() {
        let (_, a) = tera(&[
            ("a.html", "{%- include \"b.html\" %}"),
            ("b.html", "1"),
            ("c.html", "c"),
        ]);
        let (_, b) = tera(&[
            ("a.html", "{%- include \"b.html\" %}"),
            ("b.html", "2"),
            ("c.html", "c"),
        ]);
        assert_ne!(a["c.html"], b["c.html"]);
        assert!(has_include("{% include 'x' %}"));
        assert!(!has_include("{{ include }} {% if x %}"));
    }
}
