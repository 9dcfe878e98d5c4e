//! Template errors as located diagnostics: `themes/default/templates/practice.html:4:8: error:
//! …`, so a theme author is pointed at the line as an editor is.
//!
//! Tera names the template that failed and, for a template that does not parse, the line and
//! column; for an error while rendering it names the expression in backquotes (`Variable
//! \`p.x\` not found`), which is found in that template's text. What cannot be placed is put at
//! the template's first line. Pure: the texts and where they were read come from `load`.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Diagnostic, Location};
use crate::error::Error;

/// Where the templates were read (by name) and their texts, to place an error.
#[derive(Debug, Default)]
pub struct Origins {
    paths: BTreeMap<String, String>,
    texts: HashMap<String, String>,
}

impl Origins {
    pub fn new(paths: &BTreeMap<String, String>, files: &[(&str, &str)]) -> Origins {
        Origins {
            paths: paths.clone(),
            texts: files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// A Tera error met while loading or rendering `name`, as a content error at its place.
    pub fn error(&self, name: &str, e: &tera::Error) -> Error {
        let message = super::chain(e);
        let failed = self.failed_template(&message).unwrap_or(name);
        let parsed = parse_position(&message);
        // Tera does not always say which template of an `extends` chain failed: the first of
        // the chain whose text holds the culprit is it.
        let found = parsed.is_none().then(|| {
            let (wanted, after_bar) = culprit(&message, |n| self.paths.contains_key(n))?;
            self.chain(failed).into_iter().find_map(|t| {
                let text = self.texts.get(t)?;
                token_position(text, wanted, after_bar).map(|at| (t, at))
            })
        });
        let (failed, (line, column)) = match (parsed, found.flatten()) {
            (Some(at), _) => (failed, at),
            (None, Some((t, at))) => (t, at),
            (None, None) => (failed, (1, 1)),
        };
        let path = self
            .paths
            .get(failed)
            .cloned()
            .unwrap_or_else(|| format!("templates/{failed}"));
        Error::Content(vec![Diagnostic::error(
            Location::new(path, line, column),
            format!("template error: {}", plain(&message)),
        )])
    }

    /// `name` and the templates it extends, nearest first.
    fn chain<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        let mut chain = vec![name];
        while let Some(parent) = self
            .texts
            .get(*chain.last().unwrap_or(&name))
            .and_then(|t| extends(t))
            .filter(|p| !chain.contains(p) && self.texts.contains_key(*p))
        {
            chain.push(parent);
        }
        chain
    }

    /// The template whose text holds the mistake: the one Tera says the error happened in,
    /// else the last template the message names that the theme has (a missing parent or
    /// include is named too, but it is the naming template that is wrong).
    fn failed_template<'m>(&self, message: &'m str) -> Option<&'m str> {
        if let Some(rest) = message.split("error happened in '").nth(1) {
            return rest.split('\'').next();
        }
        quoted_names(message)
            .into_iter()
            .rev()
            .find(|n| self.paths.contains_key(*n))
    }
}

/// The template a template's text extends (`{% extends "base.html" %}`).
fn extends(text: &str) -> Option<&str> {
    let at = text.find("{% extends")? + "{% extends".len();
    let rest = text[at..].trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// Every template name a message quotes ('…'), in order; `[x.html]` lists are unwrapped.
fn quoted_names(message: &str) -> Vec<&str> {
    message
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(|n| n.trim_matches(['[', ']']))
        .filter(|n| n.contains('.') && !n.contains(' '))
        .collect()
}

/// What to look for in the failing template's text: the variable Tera could not find, a filter
/// (found after a `|`), a template it could not load (as the naming template writes it), or
/// else the first text in backquotes.
fn culprit(message: &str, known: impl Fn(&str) -> bool) -> Option<(&str, bool)> {
    let between = |start: &str, end: char| {
        let at = message.find(start)? + start.len();
        let len = message[at..].find(end)?;
        Some(&message[at..at + len]).filter(|s| !s.is_empty())
    };
    if let Some(v) = between("Variable `", '`') {
        return Some((v, false));
    }
    if let Some(f) = between("Filter '", '\'').or_else(|| between("Filter `", '`')) {
        return Some((f, true));
    }
    if let Some(missing) = quoted_names(message).into_iter().find(|n| !known(n)) {
        return Some((missing, false));
    }
    backquoted(message).map(|b| (b, false))
}

/// Tera's parse errors carry `--> 3:5`.
fn parse_position(message: &str) -> Option<(usize, usize)> {
    let at = message.find("--> ")? + 4;
    let rest = &message[at..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, column) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The first text in backquotes: the variable or expression Tera could not evaluate.
fn backquoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len]).filter(|s| !s.is_empty())
}

/// The 1-based line and column (in characters) of `wanted` as a whole name in `text` (not
/// `p.draft` for `draft`), after a `|` for a filter; the first such place inside a tag.
fn token_position(text: &str, wanted: &str, after_bar: bool) -> Option<(usize, usize)> {
    let name_char = |c: char| c.is_alphanumeric() || c == '_';
    let at = text.match_indices(wanted).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + wanted.len()..].chars().next();
        let whole =
            !before.is_some_and(|c| name_char(c) || c == '.') && !after.is_some_and(name_char);
        let bar = !after_bar || text[..i].trim_end().ends_with('|');
        // Inside a tag: the last `{` before it comes after the last `}`.
        let open = text[..i].rfind('{');
        let close = text[..i].rfind('}');
        whole && bar && open.is_some() && open > close
    })?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((line, before[line_start..].chars().count() + 1))
}

/// Tera's message without its position block (the diagnostic carries the position) and on one
/// line.
fn plain(message: &str) -> String {
    let source_line = |l: &str| {
        let digits = l.trim_start_matches(|c: char| c.is_ascii_digit());
        digits.len() < l.len() && digits.trim_start().starts_with('|')
    };
    message
        .lines()
        .map(|l| match l.find("-->") {
            Some(i) => l[..i].trim(),
            None => l.trim(),
        })
        .map(|l| l.strip_prefix("= ").unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !source_line(l))
        .filter(|l| !l.chars().all(|c| matches!(c, '^' | '-' | ' ')))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_template_and_the_culprit() {
        let known = |n: &str| n == "practice.html" || n == "base.html";
        let m = "Failed to render 'index.html' (error happened in 'base.html').: Variable `icon_urll` not found in context while rendering 'index.html'";
        assert_eq!(culprit(m, known), Some(("icon_urll", false)));
        let m = "Failed to render 'card.html': error while rendering macro `m::card`: Variable `c.plaats` not found";
        assert_eq!(culprit(m, known), Some(("c.plaats", false)));
        assert_eq!(
            culprit(
                "Failed to render 'practice.html': Filter 'lowr' not found",
                known
            ),
            Some(("lowr", true))
        );
        let m = "Template 'practice.html' is inheriting from 'bse.html', which doesn't exist or isn't loaded.";
        assert_eq!(culprit(m, known), Some(("bse.html", false)));
    }

    #[test]
    fn finds_whole_names_inside_tags() {
        let text = "<p>{{ p.draft }}</p>\n<h1>\n  {{ draft }} {{ x | lowr }}\n</h1>";
        assert_eq!(token_position(text, "draft", false), Some((3, 6)));
        assert_eq!(token_position(text, "lowr", true), Some((3, 22)));
        assert_eq!(token_position("draft {{ y }}", "draft", false), None);
        assert_eq!(extends("{% extends \"base.html\" %}\n"), Some("base.html"));
        // A missing parent, as `extends` names it.
        assert_eq!(
            token_position("{% extends \"bse.html\" %}", "bse.html", false),
            Some((1, 13))
        );
    }

    #[test]
    fn reads_parse_positions() {
        let m = "Failed to parse 'a.html': --> 3:5\n  |\n3 | {{ }}\n  |     ^---\n  |\n  = expected a value";
        assert_eq!(parse_position(m), Some((3, 5)));
        assert_eq!(plain(m), "Failed to parse 'a.html': expected a value");
    }
}
