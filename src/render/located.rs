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
        let failed = innermost_template(&message).unwrap_or(name);
        let path = self
            .paths
            .get(failed)
            .cloned()
            .unwrap_or_else(|| format!("templates/{failed}"));
        let (line, column) = parse_position(&message)
            .or_else(|| {
                let text = self.texts.get(failed)?;
                expression_position(text, backquoted(&message)?)
            })
            .unwrap_or((1, 1));
        Error::Content(vec![Diagnostic::error(
            Location::new(path, line, column),
            format!("template error: {}", plain(&message)),
        )])
    }
}

/// The last template a message names in single quotes ("… while rendering 'base.html'"): the
/// one whose text was being read when it failed.
fn innermost_template(message: &str) -> Option<&str> {
    let mut found = None;
    let mut rest = message;
    while let Some(start) = rest.find('\'') {
        let after = &rest[start + 1..];
        let Some(len) = after.find('\'') else { break };
        let name = &after[..len];
        if name.contains('.') && !name.contains(' ') {
            found = Some(name);
        }
        rest = &after[len + 1..];
    }
    found
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

/// The 1-based line and column (in characters) of `wanted` inside a template tag of `text`.
fn expression_position(text: &str, wanted: &str) -> Option<(usize, usize)> {
    let at = text.find(wanted)?;
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
    fn finds_the_template_and_the_expression() {
        let m = "Failed to render 'practice.html': Variable `p.x.y` not found in context while rendering 'base.html'";
        assert_eq!(innermost_template(m), Some("base.html"));
        assert_eq!(backquoted(m), Some("p.x.y"));
        let text = "<h1>\n  {{ p.x.y }}\n</h1>";
        assert_eq!(expression_position(text, "p.x.y"), Some((2, 6)));
    }

    #[test]
    fn reads_parse_positions() {
        let m = "Failed to parse 'a.html': --> 3:5\n  |\n3 | {{ }}\n  |     ^---\n  |\n  = expected a value";
        assert_eq!(parse_position(m), Some((3, 5)));
        assert_eq!(innermost_template(m), Some("a.html"));
        assert_eq!(plain(m), "Failed to parse 'a.html': expected a value");
    }
}
