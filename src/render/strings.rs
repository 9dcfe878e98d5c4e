//! Interface strings: the words of the theme in the site's language.
//!
//! Read from the theme's `i18n/<lang>.toml` (sections of key = text). The chosen language falls
//! back to Dutch for any key it lacks, so a partial translation still builds. Templates see the
//! table as `t.section.key`; Rust code asks [`Strings::get`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Language;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::SourceFile;

type Table = BTreeMap<String, BTreeMap<String, String>>;

#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Strings {
    table: Table,
    #[serde(skip)]
    months: Option<[String; 12]>,
}

impl Strings {
    /// The text for `section.key`, or the key itself when the theme lacks it.
    pub fn get<'a>(&'a self, section: &str, key: &'a str) -> &'a str {
        self.lookup(section, key).unwrap_or(key)
    }

    /// The text for `section.key`, if the theme has it.
    pub fn lookup(&self, section: &str, key: &str) -> Option<&str> {
        self.table
            .get(section)
            .and_then(|s| s.get(key))
            .map(String::as_str)
    }

    pub fn months(&self) -> &[String; 12] {
        static EMPTY: [String; 12] = [const { String::new() }; 12];
        self.months.as_ref().unwrap_or(&EMPTY)
    }
}

/// The strings a template uses: per section the keys, or `None` for the whole section.
pub type Uses = [(String, Option<Vec<String>>)];

/// Part of the table, serialized as the table would be.
pub struct Sections<'a> {
    strings: &'a Strings,
    only: Option<&'a Uses>,
}

impl Serialize for Sections<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(only) = self.only else {
            return self.strings.table.serialize(s);
        };
        s.collect_map(only.iter().filter_map(|(name, keys)| {
            let (name, section) = self.strings.table.get_key_value(name)?;
            Some((
                name,
                Keys {
                    section,
                    keys: keys.as_deref(),
                },
            ))
        }))
    }
}

/// Some keys of one section (all when `keys` is `None`).
struct Keys<'a> {
    section: &'a BTreeMap<String, String>,
    keys: Option<&'a [String]>,
}

impl Serialize for Keys<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.keys {
            None => self.section.serialize(s),
            Some(keys) => s.collect_map(keys.iter().filter_map(|k| self.section.get_key_value(k))),
        }
    }
}

impl Strings {
    /// The strings named in `only` (all when `None`), for a template that uses just those.
    pub fn sections<'a>(&'a self, only: Option<&'a Uses>) -> Sections<'a> {
        Sections {
            strings: self,
            only,
        }
    }

    /// Builds the table for `lang` from the theme's i18n files.
    pub fn load_for(files: &[SourceFile], lang: Language) -> Result<Strings, Diagnostic> {
        let find = |code: &str| {
            files
                .iter()
                .find(|f| f.path.ends_with(&format!("i18n/{code}.toml")))
        };
        let parse = |f: &SourceFile| -> Result<Table, Diagnostic> {
            toml::from_str(&f.text).map_err(|e| {
                let (line, col) = e
                    .span()
                    .map_or((1, 1), |s| crate::config::line_col(&f.text, s.start));
                Diagnostic::error(
                    Location::new(&f.path, line, col),
                    e.message().trim().to_string(),
                )
            })
        };
        let mut table = match find("nl") {
            Some(f) => parse(f)?,
            None => {
                return Err(Diagnostic::error(
                    Location::file("themes/<theme>/i18n/nl.toml"),
                    "the theme has no Dutch interface strings (i18n/nl.toml)",
                ))
            }
        };
        if lang != Language::Nl {
            let Some(f) = find(lang.code()) else {
                return Err(Diagnostic::error(
                    Location::file(format!("i18n/{}.toml", lang.code())),
                    format!("the theme has no interface strings for `{}`", lang.code()),
                ));
            };
            for (section, entries) in parse(f)? {
                table.entry(section).or_default().extend(entries);
            }
        }
        let months = table.get("months").and_then(|m| {
            let list: Vec<String> = (1..=12)
                .filter_map(|i| m.get(&i.to_string()).cloned())
                .collect();
            list.try_into().ok()
        });
        Ok(Strings { table, months })
    }
}
