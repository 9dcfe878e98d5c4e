//! What each template is rendered from: its sources and the interface-string sections it uses.
//!
//! A template's closure is itself, the templates it extends and every macro file imported along
//! the way, transitively. From the closure come a hash of its sources (so the render memo knows
//! which pages a template change affects) and the `t.<section>.<key>` names its parsed templates
//! still read after [`super::fold`] (so each render converts only those strings of the table).
//! Whenever that is not plain enough to be sure, the answer is the safe one: `{% include %}`
//! anywhere makes every template depend on every source and every section, a `t.<section>` not
//! followed by `.<key>` means the whole section, and a `t` used other than as `t.<section>`
//! means every section.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::fold::{self, Uses};

/// What one template is rendered from.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// A hash of the sources of the template's closure.
    pub hash: u64,
    /// The strings its closure uses: per section the keys, or `None` for the whole section;
    /// `None` for every section.
    pub sections: Option<Vec<(String, Option<Vec<String>>)>>,
}

/// The [`Info`] of every template of `tera`, parsed from `sources`.
pub fn analyse(tera: &tera::Tera, sources: &[(&str, &str)]) -> HashMap<String, Info> {
    let text: HashMap<&str, &str> = sources.iter().copied().collect();
    let all = tera.templates.values().any(fold::includes).then(|| {
        let mut sorted: Vec<_> = sources.to_vec();
        sorted.sort();
        hash(&sorted)
    });
    tera.templates
        .keys()
        .map(|name| {
            let names = closure(tera, name);
            let texts: Vec<(&str, &str)> = names
                .iter()
                .map(|n| (*n, text.get(n).copied().unwrap_or("")))
                .collect();
            let sections = match all {
                Some(_) => None,
                None => names.iter().try_fold(Uses::new(), |mut acc, n| {
                    let uses = tera
                        .templates
                        .get(*n)
                        .map_or(Some(Uses::new()), fold::uses)?;
                    fold::merge_all(&mut acc, uses);
                    Some(acc)
                }),
            };
            let info = Info {
                hash: all.unwrap_or_else(|| hash(&texts)),
                sections: sections.map(|s| {
                    s.into_iter()
                        .map(|(k, v)| (k, v.map(|keys| keys.into_iter().collect())))
                        .collect()
                }),
            };
            (name.clone(), info)
        })
        .collect()
}

fn hash<T: Hash>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The templates `name` is rendered from, sorted.
fn closure<'t>(tera: &'t tera::Tera, name: &'t str) -> Vec<&'t str> {
    let mut seen = vec![name];
    let mut i = 0;
    while i < seen.len() {
        if let Some(t) = tera.templates.get(seen[i]) {
            let next = t
                .parents
                .iter()
                .chain(t.imported_macro_files.iter().map(|(f, _)| f));
            for n in next {
                if !seen.contains(&n.as_str()) {
                    seen.push(n);
                }
            }
        }
        i += 1;
    }
    seen.sort_unstable();
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(files: &[(&str, &str)]) -> HashMap<String, Info> {
        let mut t = tera::Tera::default();
        t.add_raw_templates(files.to_vec()).unwrap();
        analyse(&t, files)
    }

    #[test]
    fn a_template_depends_on_its_parents_and_macros_transitively() {
        let base = ("base.html", "<html>{% block b %}{% endblock %}</html>");
        let inner = ("inner.html", "{% macro i() %}x{% endmacro %}");
        let macros = (
            "macros.html",
            "{% import \"inner.html\" as inner %}{% macro m() %}{{ inner::i() }}{% endmacro %}",
        );
        let page = (
            "page.html",
            "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block b %}{{ m::m() }}{% endblock %}",
        );
        let other = ("other.html", "plain");
        let a = analysed(&[base, inner, macros, page, other]);
        let b = analysed(&[
            base,
            ("inner.html", "{% macro i() %}y{% endmacro %}"),
            macros,
            page,
            other,
        ]);
        assert_ne!(a["page.html"].hash, b["page.html"].hash);
        assert_eq!(a["other.html"].hash, b["other.html"].hash);
        assert_eq!(a["base.html"].hash, b["base.html"].hash);
    }

    #[test]
    fn an_include_makes_every_template_depend_on_all() {
        let a = analysed(&[
            ("a.html", "{%- include \"b.html\" %}"),
            ("b.html", "1"),
            ("c.html", "c"),
        ]);
        let b = analysed(&[
            ("a.html", "{%- include \"b.html\" %}"),
            ("b.html", "2"),
            ("c.html", "c"),
        ]);
        assert_ne!(a["c.html"].hash, b["c.html"].hash);
        assert!(a["c.html"].sections.is_none());
    }
}

#[cfg(test)]
mod theme_tests {
    use crate::config::Language;
    use crate::load::SourceFile;

    fn files(dir: &str) -> Vec<SourceFile> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                SourceFile::new(name, std::fs::read_to_string(&p).unwrap())
            })
            .collect()
    }

    /// Once the bundled theme's templates are loaded with its strings folded in (in either
    /// language), a page converts at most a few strings into its context, never a whole
    /// section, nor every section.
    #[test]
    fn the_bundled_templates_read_few_strings_from_their_context() {
        let templates = files("themes/default/templates");
        let i18n: Vec<SourceFile> = files("themes/default/i18n")
            .into_iter()
            .map(|f| SourceFile::new(format!("i18n/{}", f.path), f.text))
            .collect();
        for lang in [Language::Nl, Language::En] {
            let strings = crate::render::Strings::load_for(&i18n, lang).unwrap();
            let loaded =
                crate::render::templates(&templates, &Default::default(), &strings).unwrap();
            for (name, i) in &loaded.info {
                let sections = i
                    .sections
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name} uses every section"));
                let keys: usize = sections
                    .iter()
                    .map(|(section, keys)| {
                        keys.as_ref()
                            .unwrap_or_else(|| panic!("{name} uses all of section {section}"))
                            .len()
                    })
                    .sum();
                assert!(keys <= 3, "{name}: {sections:?}");
            }
        }
    }
}
