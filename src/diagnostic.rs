//! Problems found in a site's sources, as values.
//!
//! A [`Diagnostic`] says where (`path:line:col`, the path relative to the site folder), how bad
//! (error or warning) and what. The library never prints them; `main.rs` and the dev server do.
//! This module also holds the "did you mean" helper used wherever a name is looked up.

use std::fmt;

/// A place in a source file. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(path: impl Into<String>, line: usize, column: usize) -> Location {
        Location {
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The start of a file, for problems that concern the file as a whole.
    pub fn file(path: impl Into<String>) -> Location {
        Location::new(path, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Diagnostic {
    pub location: Location,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.location, level, self.message)
    }
}

/// Sorts diagnostics by file, line and column so output is stable across parallel runs, and
/// drops repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.location, a.severity, &a.message).cmp(&(&b.location, b.severity, &b.message))
    });
    // The same problem found twice (two award entries of one practice) is said once.
    diagnostics.dedup();
}

/// The candidate closest to `wrong`, if it is close enough to be a plausible typo.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// " (did you mean `/a/best/`?)": site path `path`, split into `parts`, with `best` in place of
/// part `at` (a trailing slash kept).
pub fn did_you_mean_path(path: &str, parts: &[&str], at: usize, best: &str) -> String {
    let mut fixed = parts.to_vec();
    fixed[at] = best;
    let slash = if path.ends_with('/') { "/" } else { "" };
    format!(" (did you mean `/{}{slash}`?)", fixed.join("/"))
}

/// " (did you mean `x`?)" when there is a near candidate, else "".
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match nearest(wrong, candidates) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_drops_a_problem_said_twice() {
        let w = |line, m: &str| Diagnostic::warning(Location::new("a.md", line, 1), m);
        let mut d = vec![w(5, "b"), w(2, "a"), w(5, "b"), w(5, "c")];
        sort(&mut d);
        assert_eq!(d, [w(2, "a"), w(5, "b"), w(5, "c")]);
    }

    #[test]
    fn displays_as_path_line_col() {
        let d = Diagnostic::error(Location::new("content/practices/a.md", 3, 5), "bad");
        assert_eq!(d.to_string(), "content/practices/a.md:3:5: error: bad");
    }

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["partners", "period", "province"];
        assert_eq!(nearest("partnrs", keys), Some("partners"));
        assert_eq!(nearest("zzzzzz", keys), None);
        assert_eq!(did_you_mean("provnce", keys), " (did you mean `province`?)");
    }
}
