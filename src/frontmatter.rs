//! Splits a source file into its YAML front matter and its Markdown body.
//!
//! The YAML slice handed on starts at the opening `---` line, which YAML reads as a document
//! start, so line numbers reported by the YAML parser equal line numbers in the file. A byte-order
//! mark and CRLF line endings are accepted. This module does not parse YAML or Markdown.

/// A file cut at its fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// From the opening fence up to (not including) the closing fence.
    pub yaml: &'a str,
    /// Everything after the closing fence line.
    pub body: &'a str,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
}

/// Why a file could not be split; each carries the 1-based line it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    Empty,
    NoOpeningFence { line: usize },
    Unclosed { line: usize },
}

impl SplitError {
    pub fn line(&self) -> usize {
        match self {
            SplitError::Empty => 1,
            SplitError::NoOpeningFence { line } | SplitError::Unclosed { line } => *line,
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            SplitError::Empty => {
                "the file is empty; a write-up starts with front matter between `---` lines"
            }
            SplitError::NoOpeningFence { .. } => {
                "expected front matter: the file must start with a line `---`"
            }
            SplitError::Unclosed { .. } => {
                "the front matter opened here is never closed: add a line `---` after it"
            }
        }
    }
}

/// Strips a UTF-8 byte-order mark, if any.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Cuts `text` (BOM already stripped) at its front matter fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(SplitError::NoOpeningFence { line: 1 });
    }
    let mut offset = first.len();
    for (index, line) in lines.enumerate() {
        if is_fence(line) || line.trim_end() == "..." {
            return Ok(Split {
                yaml: &text[..offset],
                body: &text[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed { line: 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences() {
        let s = split("---\ntitle: a\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "---\ntitle: a\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_crlf() {
        let s = split("---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "---\r\ntitle: a\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn reports_missing_fences() {
        assert_eq!(split("  \n"), Err(SplitError::Empty));
        assert_eq!(
            split("title: a\n"),
            Err(SplitError::NoOpeningFence { line: 1 })
        );
        assert_eq!(
            split("---\ntitle: a\n"),
            Err(SplitError::Unclosed { line: 1 })
        );
    }

    #[test]
    fn strips_bom() {
        assert_eq!(strip_bom("\u{feff}---"), "---");
    }
}
