//! The library's error type: why a build or check could not finish.
//!
//! Problems in content are not errors of the tool; they come back as a list of diagnostics in
//! [`Error::Content`] so that every file is reported in one run.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the sources have {} error(s)", count_errors(.0))]
    Content(Vec<Diagnostic>),
    #[error("refusing to use {path} as output folder: {reason}")]
    OutputRefused { path: PathBuf, reason: String },
    #[error("template error: {0}")]
    Template(String),
    /// The search index could not be built (an internal problem, not the content's).
    #[error("search index: {0}")]
    Search(String),
    #[error("{0}")]
    Usage(String),
    #[error("{} already exists; etalage never overwrites a file", .0.display())]
    Exists(PathBuf),
}

fn count_errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Errors in the user's sources (exit code 1) as opposed to usage or I/O trouble (2).
    pub fn is_content(&self) -> bool {
        matches!(self, Error::Content(_) | Error::Template(_))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
