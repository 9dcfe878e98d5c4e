//! What each template is rendered from: its sources and the interface-string sections it uses.
//!
//! A template's closure is itself, the templates it extends and every macro file imported along
//! the way, transitively. From the closure come a hash of its sources (so the render memo knows
//! which pages a template change affects) and the `t.<section>.<key>` names its text mentions (so
//! each render converts only those strings of the table). Whenever the text is not plain enough
//! to be sure, the answer is the safe one: `{% include %}` anywhere makes every template depend
//! on every source, a `t.<section>` not followed by `.<key>` means the whole section, and a `t`
//! used other than as `t.<section>` means every section.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

/// What one template is rendered from.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// A hash of the sources of the template's closure.
    pub hash: u64,
    /// The strings its closure uses: per section the keys, or `None` for the whole section;
    /// `None` for every section.
    pub sections: Option<Vec<(String, Option<Vec<String>>)>>,
}

/// The [`Info`] of every template.
pub fn analyse(tera: &tera::Tera, sources: &[(&str, &str)]) -> HashMap<String, Info> {
    let text: HashMap<&str, &str> = sources.iter().copied().collect();
    let all = sources.iter().any(|(_, t)| has_include(t)).then(|| {
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
                None => texts.iter().try_fold(Uses::new(), |mut acc, (_, t)| {
                    merge(&mut acc, string_sections(t)?);
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

fn has_include(text: &str) -> bool {
    tags(text).any(|tag| {
        tag.trim_start_matches(['-', '%'])
            .trim_start()
            .starts_with("include")
    })
}

/// The inside of every `{{ … }}` and `{% … %}` of a template.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find("{{").into_iter().chain(rest.find("{%")).min()?;
        let close = if rest[start..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let body = &rest[start + 2..];
        let end = body.find(close).unwrap_or(body.len());
        rest = &body[end..];
        Some(&body[..end])
    })
}

/// Strings by section: the keys named, or `None` for the whole section.
type Uses = BTreeMap<String, Option<BTreeSet<String>>>;

/// Adds `more` to `acc`: a whole section stays whole.
fn merge(acc: &mut Uses, more: Uses) {
    for (section, keys) in more {
        match (
            acc.entry(section).or_insert_with(|| Some(BTreeSet::new())),
            keys,
        ) {
            (Some(have), Some(keys)) => have.extend(keys),
            (have, _) => *have = None,
        }
    }
}

/// The strings named as `t.<section>.<key>` (or whole sections, as `t.<section>`) in a
/// template's tags; `None` if `t` appears otherwise. A macro's parameter named `t` and the
/// argument `t=t` only pass the table on under its own name, so the macro's own uses (in its
/// file, part of the closure) tell.
fn string_sections(text: &str) -> Option<Uses> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Uses::new();
    for tag in tags(text) {
        if tag
            .trim_start_matches('-')
            .trim_start()
            .starts_with("macro ")
        {
            continue;
        }
        let b = tag.as_bytes();
        for (i, _) in tag.match_indices('t') {
            let alone = (i == 0 || !ident(b[i - 1]) && b[i - 1] != b'.')
                && b.get(i + 1).is_none_or(|&c| !ident(c));
            let keyword = tag[i + 1..].starts_with('=') && !tag[i + 1..].starts_with("==");
            let passed_on = tag[..i].ends_with("t=")
                && (i < 3 || !ident(b[i - 3]) && b[i - 3] != b'=' && b[i - 3] != b'!');
            if !alone || keyword || passed_on {
                continue;
            }
            let rest = tag[i + 1..].strip_prefix('.')?;
            let len = rest.bytes().take_while(|&c| ident(c)).count();
            if len == 0 {
                return None;
            }
            let key = rest[len..].strip_prefix('.').map(|k| {
                let n = k.bytes().take_while(|&c| ident(c)).count();
                &k[..n]
            });
            let keys = match key {
                Some(k) if !k.is_empty() => Some(BTreeSet::from([k.to_string()])),
                _ => None,
            };
            merge(&mut found, Uses::from([(rest[..len].to_string(), keys)]));
        }
    }
    Some(found)
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

    #[test]
    fn sections_are_read_from_tags_and_unclear_uses_mean_all() {
        let s = |t: &str| string_sections(t).map(|s| s.into_keys().collect::<Vec<_>>());
        assert_eq!(
            s("<p>Don't {{ t.nav.home }}</p>{% if x %}{{ t.list.pages | upper }}{% endif %}{{ p.t.x }}"),
            Some(vec!["list".to_string(), "nav".to_string()])
        );
        assert_eq!(s("{{ m::card(c=c, t=t) }}"), Some(vec![]));
        assert_eq!(
            s("{% macro card(c, t, level=3) %}{{ t.practice.x }}{% endmacro %}"),
            Some(vec!["practice".to_string()])
        );
        assert_eq!(s("{{ m::card(c=c, x=t) }}"), None);
        assert_eq!(s("{% if t == 1 %}{% endif %}"), None);
        assert_eq!(s("{% set x = t %}"), None);
        assert_eq!(s("{{ t[\"nav\"] }}"), None);
        assert_eq!(s("{{ title }} {{ at }}"), Some(vec![]));
    }

    #[test]
    fn keys_are_read_too_and_a_bare_section_means_all_of_it() {
        let keys = |t: &str| {
            string_sections(t).map(|u| {
                u.into_iter()
                    .map(|(s, k)| (s, k.map(|k| k.into_iter().collect::<Vec<_>>())))
                    .collect::<Vec<_>>()
            })
        };
        let owned = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            keys("{{ t.nav.home }}{{ t.nav.data | lower }}{% if t.list.x %}{% endif %}"),
            Some(vec![
                ("list".to_string(), owned(&["x"])),
                ("nav".to_string(), owned(&["data", "home"])),
            ])
        );
        assert_eq!(
            keys("{{ t.nav.home }}{% for k in t.nav %}{% endfor %}{{ t.list[x] }}"),
            Some(vec![("list".to_string(), None), ("nav".to_string(), None)])
        );
        let mut acc = Uses::new();
        merge(&mut acc, string_sections("{{ t.a.x }}").unwrap());
        merge(&mut acc, string_sections("{{ t.a.y }}{{ t.b }}").unwrap());
        merge(&mut acc, string_sections("{{ t.b.z }}").unwrap());
        assert_eq!(acc["a"], Some(BTreeSet::from(["x".into(), "y".into()])));
        assert_eq!(acc["b"], None);
    }
}

#[cfg(test)]
mod theme_tests {
    /// The bundled theme never falls back to converting every string section, nor a whole
    /// section.
    #[test]
    fn the_bundled_templates_name_their_sections() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(refs.clone()).unwrap();
        let info = super::analyse(&tera, &refs);
        for (name, i) in &info {
            let sections = i
                .sections
                .as_ref()
                .unwrap_or_else(|| panic!("{name} uses every section"));
            assert!(sections.len() < 30, "{name}: {sections:?}");
            for (section, keys) in sections {
                assert!(keys.is_some(), "{name} uses all of section {section}");
            }
        }
    }
}
