//! Site settings: `site.toml` as written ([`RawConfig`]) and as resolved ([`Config`]).
//!
//! Parsing and checking only; the file is read by `load`. Errors come back as located
//! diagnostics on `site.toml`.

use serde::Deserialize;

use crate::diagnostic::{did_you_mean, Diagnostic, Location};

pub const FILE: &str = "site.toml";

/// The interface language of the generated site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Nl,
    En,
}

/// The language the content is written in (titles, summaries, bodies, results, names): Dutch,
/// whatever the interface language. There is no setting for it; an English interface shows
/// Dutch content marked as such (`lang="nl"`), and the open data is a Dutch dataset.
pub const CONTENT_LANGUAGE: Language = Language::Nl;

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// The code to mark content with on pages in this interface language: `None` when the
    /// interface speaks the content's language (the page's own `lang` already says it).
    pub fn content_lang(self) -> Option<&'static str> {
        (self != CONTENT_LANGUAGE).then(|| CONTENT_LANGUAGE.code())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: toml::Spanned<String>,
    #[serde(default = "default_language")]
    pub language: Language,
    #[serde(default = "default_output")]
    pub output_dir: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_per_page")]
    pub per_page: toml::Spanned<usize>,
    #[serde(default = "default_stale")]
    pub stale_after_years: u32,
    #[serde(default)]
    pub publisher: Option<String>,
    /// The licence of the open data (`/data/`).
    #[serde(default)]
    pub data_licence: Licence,
    /// Whether the site gets its search index and search page.
    #[serde(default = "default_search")]
    pub search: bool,
}

/// A licence: its name as people read it and the URL that identifies it (in DCAT-AP-NL, a
/// value of the licence list).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    pub url: String,
}

/// The open data's licence when `site.toml` names none: CC0 1.0, public domain.
impl Default for Licence {
    fn default() -> Self {
        Licence {
            name: "CC0 1.0".into(),
            url: "http://creativecommons.org/publicdomain/zero/1.0/deed.nl".into(),
        }
    }
}

fn default_language() -> Language {
    Language::Nl
}
fn default_output() -> String {
    "public".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_per_page() -> toml::Spanned<usize> {
    toml::Spanned::new(0..0, 50)
}
fn default_stale() -> u32 {
    5
}
fn default_search() -> bool {
    true
}

/// Resolved settings. `base_url` always ends in `/`; `base_path` is its path part (`/` or
/// `/sub/dir/`), which every internal link starts with.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: Language,
    pub output_dir: String,
    pub theme: String,
    pub per_page: usize,
    pub stale_after_years: u32,
    pub publisher: Option<String>,
    pub data_licence: Licence,
    /// Whether the site has search (`/zoeken/` and its index); on unless `search = false`.
    pub search: bool,
    /// The build's date, against which a recognition's `valid_until` is judged (not a key of
    /// `site.toml`: the caller gives it, see `Options::today`). `None`: nothing has expired.
    pub today: Option<crate::date::PartialDate>,
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "output_dir",
    "theme",
    "per_page",
    "stale_after_years",
    "publisher",
    "data_licence",
    "search",
];

/// Parses and resolves `site.toml`.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_diagnostic(text, &e))?;
    resolve(raw).map_err(|(m, span)| {
        let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
        Diagnostic::error(Location::new(FILE, line, column), m)
    })
}

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, column) = match e.span() {
        Some(span) => line_col(text, span.start),
        None => (1, 1),
    };
    let mut message = crate::yaml::in_plain_words(e.message().trim());
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((wrong, _)) = rest.split_once('`') {
            message = format!(
                "unknown key `{wrong}`{}",
                did_you_mean(wrong, KEYS.iter().copied())
            );
        }
    }
    Diagnostic::error(Location::new(FILE, line, column), message)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The settings resolved, or what is wrong with them and, when known, where (a byte range of
/// `site.toml`; the licence's own keys are not tracked and point at the file).
fn resolve(raw: RawConfig) -> Result<Config, (String, Option<std::ops::Range<usize>>)> {
    let at = |span: std::ops::Range<usize>| Some(span).filter(|s| !s.is_empty());
    let (base_url, base_path) =
        split_base_url(raw.base_url.get_ref()).map_err(|m| (m, at(raw.base_url.span())))?;
    if *raw.per_page.get_ref() == 0 {
        let message = "`per_page` must be at least 1".to_string();
        return Err((message, at(raw.per_page.span())));
    }
    let licence = &raw.data_licence;
    if licence.name.trim().is_empty() {
        return Err(("`data_licence.name` must not be empty".into(), None));
    }
    if !(licence.url.starts_with("https://") || licence.url.starts_with("http://")) {
        let message = format!(
            "`data_licence.url` must start with https:// or http://, got `{}`",
            licence.url
        );
        return Err((message, None));
    }
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        language: raw.language,
        output_dir: raw.output_dir,
        theme: raw.theme,
        per_page: raw.per_page.into_inner(),
        stale_after_years: raw.stale_after_years,
        publisher: raw.publisher,
        data_licence: raw.data_licence,
        search: raw.search,
        today: None,
    })
}

/// `https://x.nl/a/b` → (`https://x.nl/a/b/`, `/a/b/`).
pub fn split_base_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`base_url` must start with https:// or http://, got `{url}`"))?;
    let path = match rest.find('/') {
        Some(i) => &rest[i..],
        None => "/",
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("`base_url` has no host: `{url}`"));
    }
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let origin = &rest[..rest.len() - path.trim_end_matches('/').len().min(rest.len())];
    let scheme_len = url.len() - rest.len();
    let base_url = format!(
        "{}{}{}",
        &url[..scheme_len],
        origin.trim_end_matches('/'),
        path
    );
    Ok((base_url, path))
}

impl Config {
    /// A copy that serves from `url` instead (the dev server).
    pub fn with_base_url(&self, url: &str) -> Result<Config, String> {
        let (base_url, base_path) = split_base_url(url)?;
        Ok(Config {
            base_url,
            base_path,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_marked_only_in_another_interface_language() {
        assert_eq!(Language::Nl.content_lang(), None);
        assert_eq!(Language::En.content_lang(), Some("nl"));
    }

    #[test]
    fn splits_base_url_with_subpath() {
        assert_eq!(
            split_base_url("https://www.x.nl/werk/etalage").unwrap(),
            (
                "https://www.x.nl/werk/etalage/".to_string(),
                "/werk/etalage/".to_string()
            )
        );
        assert_eq!(split_base_url("http://localhost:1111").unwrap().1, "/");
        assert!(split_base_url("www.x.nl").is_err());
    }

    #[test]
    fn the_data_licence_is_cc0_unless_named() {
        let base = "title = 'x'\nbase_url = 'https://x.nl/'\n";
        let c = parse(base).unwrap();
        assert_eq!(c.data_licence.name, "CC0 1.0");
        assert_eq!(
            c.data_licence.url,
            "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
        );
        let c = parse(&format!(
            "{base}[data_licence]\nname = 'CC BY 4.0'\nurl = 'https://creativecommons.org/licenses/by/4.0/deed.nl'\n"
        ))
        .unwrap();
        assert_eq!(c.data_licence.name, "CC BY 4.0");
        let e = parse(&format!("{base}[data_licence]\nname = 'x'\nurl = 'cc0'\n")).unwrap_err();
        assert!(
            e.to_string().contains("`data_licence.url` must start with"),
            "{e}"
        );
        let e = parse(&format!("{base}[data_licence]\nname = 'x'\n")).unwrap_err();
        assert!(
            e.to_string().contains("required key `url` is missing"),
            "{e}"
        );
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        let base = "title = 'x'\nbase_url = 'https://x.nl/'\n";
        assert!(parse(base).unwrap().search);
        assert!(!parse(&format!("{base}search = false\n")).unwrap().search);
        let d = parse(&format!("{base}search = 'nee'\n")).unwrap_err();
        assert!(d.to_string().starts_with("site.toml:3:10: error:"), "{d}");
    }

    #[test]
    fn locates_unknown_keys() {
        let d = parse("title = 'x'\nbase_url = 'https://x.nl/'\nlanguag = 'nl'\n").unwrap_err();
        assert_eq!(
            d.to_string(),
            "site.toml:3:1: error: unknown key `languag` (did you mean `language`?)"
        );
    }
}
