//! The site's vocabularies: themes, target groups, instruments and municipalities.
//!
//! Parsed from `content/data/*.yaml` into lookup tables that keep the file order (which is the
//! display order). Knows nothing about practices; `validate` checks keys against these tables.

use foldhash::HashMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location};
use crate::load::SourceFile;
use crate::meta::Province;
use crate::yaml;

/// One term of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TermMeta {
    pub nl: String,
    #[serde(default)]
    pub en: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A vocabulary term with its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub key: String,
    pub nl: String,
    pub en: Option<String>,
    pub description: Option<String>,
}

/// A vocabulary in file order, with lookup by key.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Vocabulary {
    pub terms: Vec<Term>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    /// The file is missing or does not parse (reported once, as its own error): keys cannot
    /// be checked against it, so they are not.
    pub unreadable: bool,
}

impl Vocabulary {
    fn new(terms: Vec<Term>) -> Vocabulary {
        let index = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.key.clone(), i))
            .collect();
        Vocabulary {
            terms,
            index,
            unreadable: false,
        }
    }

    fn unreadable() -> Vocabulary {
        Vocabulary {
            unreadable: true,
            ..Vocabulary::default()
        }
    }

    pub fn get(&self, key: &str) -> Option<&Term> {
        self.index.get(key).map(|&i| &self.terms[i])
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.key.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub name: String,
    pub code: String,
    pub province: Province,
    /// Names people use that are not the official one (`Den Haag` for `'s-Gravenhage`): not
    /// accepted, but pointed at the official name when written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// All vocabularies of a site.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Vocab {
    pub themes: Vocabulary,
    pub target_groups: Vocabulary,
    pub instruments: Vocabulary,
    pub municipalities: Vec<Municipality>,
    #[serde(skip)]
    municipality_index: HashMap<String, usize>,
    /// Like [`Vocabulary::unreadable`], for the municipalities.
    pub municipalities_unreadable: bool,
}

impl Vocab {
    pub fn municipality(&self, name: &str) -> Option<&Municipality> {
        self.municipality_index
            .get(name)
            .map(|&i| &self.municipalities[i])
    }

    /// The municipality that `name` is another name of (`also`), ignoring case.
    pub fn municipality_also_called(&self, name: &str) -> Option<&Municipality> {
        let name = name.trim();
        self.municipalities
            .iter()
            .find(|m| m.also.iter().any(|a| a.eq_ignore_ascii_case(name)))
    }
}

/// A YAML mapping read in file order.
struct Ordered<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of keys to terms")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered<V>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

const VOCABULARIES: [&str; 3] = ["themes", "target_groups", "instruments"];
const MUNICIPALITIES: &str = "municipalities";

fn term_schema(pattern: &str) -> Option<&'static [&'static str]> {
    (pattern.matches('.').count() == 0 && !pattern.is_empty()).then(yaml::field_names::<TermMeta>)
}

fn municipality_schema(pattern: &str) -> Option<&'static [&'static str]> {
    (pattern == "*").then(yaml::field_names::<Municipality>)
}

/// Parses the data files; missing or malformed ones become diagnostics.
pub fn parse(files: &[SourceFile], data_dir: &str) -> (Vocab, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut vocab = Vocab::default();
    let find = |name: &str| {
        files.iter().find(|f| {
            let stem = f.path.rsplit('/').next().unwrap_or("");
            stem == format!("{name}.yaml") || stem == format!("{name}.yml")
        })
    };
    for name in VOCABULARIES {
        let v = match find(name) {
            None => {
                diags.push(missing(data_dir, name));
                Vocabulary::unreadable()
            }
            Some(file) => match parse_terms(file, &mut diags) {
                Some(terms) => Vocabulary::new(terms),
                None => Vocabulary::unreadable(),
            },
        };
        match name {
            "themes" => vocab.themes = v,
            "target_groups" => vocab.target_groups = v,
            _ => vocab.instruments = v,
        }
    }
    vocab.municipalities_unreadable = true;
    match find(MUNICIPALITIES) {
        None => diags.push(missing(data_dir, MUNICIPALITIES)),
        Some(file) => match yaml::parse::<Vec<Municipality>>(&file.text, &municipality_schema) {
            Ok((list, _)) => {
                vocab.municipality_index = list
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.name.clone(), i))
                    .collect();
                vocab.municipalities = list;
                vocab.municipalities_unreadable = false;
            }
            Err(errors) => diags.extend(located(file, errors)),
        },
    }
    (vocab, diags)
}

/// The terms of a vocabulary file, or `None` when it does not parse (its errors are added).
fn parse_terms(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Vec<Term>> {
    match yaml::parse::<Ordered<TermMeta>>(&file.text, &term_schema) {
        Ok((Ordered(entries), positions)) => Some(
            entries
                .into_iter()
                .filter_map(|(key, t)| {
                    if crate::parse::is_slug(&key) {
                        Some(Term {
                            key,
                            nl: t.nl,
                            en: t.en,
                            description: t.description,
                        })
                    } else {
                        let p = positions.key(&key);
                        diags.push(Diagnostic::error(
                            Location::new(&file.path, p.line, p.column),
                            format!(
                                "`{key}` is not a valid key: use lowercase letters, digits and `-`"
                            ),
                        ));
                        None
                    }
                })
                .collect(),
        ),
        Err(errors) => {
            diags.extend(located(file, errors));
            None
        }
    }
}

fn missing(data_dir: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        Location::file(format!("{data_dir}/{name}.yaml")),
        format!("the vocabulary file `{name}.yaml` is missing from {data_dir}/"),
    )
}

/// Turns YAML errors in `file` into diagnostics.
pub fn located(
    file: &SourceFile,
    errors: Vec<yaml::YamlError>,
) -> impl Iterator<Item = Diagnostic> + '_ {
    errors.into_iter().map(move |e| {
        Diagnostic::error(
            Location::new(&file.path, e.pos.line, e.pos.column),
            e.message,
        )
    })
}
