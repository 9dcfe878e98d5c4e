//! Plain values a comment cuts short. In YAML a `#` after a space starts a comment, so
//! `title: Werkplein #1 van de regio` is valid and reads as "Werkplein": the file builds, and
//! the rest of the title is silently gone. This module finds such values, as warnings at the
//! `#`, where the comment follows a plain (unquoted) value directly and its first character is
//! not a space (`#1`, `#Werkplein`): a comment written as one (`lopend  # of afgerond`) stays
//! silent. A document without such a `#` is passed over by a byte scan, without parsing.

use super::{in_words, index, Node, Pos, YamlError};

/// The warnings for `text` (the whole YAML document, as handed to the parser).
pub(super) fn cut_values(text: &str) -> Vec<YamlError> {
    if !may_cut(text) {
        return Vec::new();
    }
    let Ok((index, _)) = index(text) else {
        return Vec::new();
    };
    let starts = line_starts(text);
    index
        .nodes
        .iter()
        .filter(|n| n.plain)
        .filter_map(|n| cut(text, &starts, n))
        .collect()
}

/// Whether `text` has a `#` after a space or tab with something other than a space after it.
fn may_cut(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'#', b).any(|i| {
        i > 0
            && matches!(b[i - 1], b' ' | b'\t')
            && b.get(i + 1).is_some_and(|c| !c.is_ascii_whitespace())
    })
}

/// The byte offset where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

/// The byte offset of 1-based `pos` in `text`.
fn offset(text: &str, starts: &[usize], pos: Pos) -> Option<usize> {
    let start = *starts.get(pos.line.checked_sub(1)?)?;
    let line = text.get(start..)?;
    let within = line
        .char_indices()
        .nth(pos.column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    Some(start + within)
}

/// The warning for the plain value `node`, if a comment follows it on the line it ends on.
fn cut(text: &str, starts: &[usize], node: &Node) -> Option<YamlError> {
    let value = node.scalar.as_deref().filter(|v| !v.is_empty())?;
    let start = offset(text, starts, node.value_pos)?;
    let end = plain_end(text, start, value)?;
    let rest = text.get(end..)?;
    let line_rest = rest.split(['\n', '\r']).next().unwrap_or("");
    let comment = line_rest.trim_start_matches([' ', '\t']);
    let after = comment.strip_prefix('#')?;
    if after.is_empty()
        || after.starts_with(char::is_whitespace)
        || comment.len() == line_rest.len()
    {
        return None;
    }
    let hash = end + (line_rest.len() - comment.len());
    let line = starts.partition_point(|&s| s <= hash);
    let line_start = starts.get(line.checked_sub(1)?)?;
    Some(YamlError {
        pos: Pos {
            line,
            column: text.get(*line_start..hash)?.chars().count() + 1,
        },
        message: format!(
            "` {}` is read as a comment and left out of {}: put the whole value in quotes to keep it",
            comment.trim_end(),
            in_words(&node.path)
        ),
    })
}

/// Where the plain scalar `value`, written from byte `start` of `text`, ends there: its
/// characters as written, where a run of spaces and line breaks in the text may stand for one
/// space or line break in the value (YAML folds a plain value over several lines).
fn plain_end(text: &str, start: usize, value: &str) -> Option<usize> {
    let written = text.get(start..)?;
    let mut t = written.char_indices().peekable();
    let mut v = value.chars().peekable();
    while let Some(c) = v.next() {
        let &(_, w) = t.peek()?;
        if c.is_whitespace() {
            if !w.is_whitespace() {
                return None;
            }
            while v.next_if(|c| c.is_whitespace()).is_some() {}
            while t.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        } else if c == w {
            t.next();
        } else {
            return None;
        }
    }
    Some(start + t.peek().map_or(written.len(), |&(i, _)| i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str) -> Vec<(usize, usize, String)> {
        cut_values(text)
            .into_iter()
            .map(|e| (e.pos.line, e.pos.column, e.message))
            .collect()
    }

    #[test]
    fn a_comment_that_cuts_a_plain_value_is_found_at_its_hash() {
        assert_eq!(
            cuts("---\ntitle: Werkplein #1 van de regio\n"),
            vec![(
                2,
                18,
                "` #1 van de regio` is read as a comment and left out of `title`: put the whole value in quotes to keep it".into()
            )]
        );
        let got = cuts("items:\n  - Café #Werk\n  - { name: Zuid,\n      role: één #x\n    }\n");
        let places: Vec<_> = got.iter().map(|g| (g.0, g.1)).collect();
        assert_eq!(places, vec![(2, 10), (4, 17)], "{got:?}");
        assert!(got[0]
            .2
            .ends_with("left out of item 1 of `items`: put the whole value in quotes to keep it"));
        // A value folded over two lines, cut on its second.
        let got = cuts("summary: Een lange\n  samenvatting #2\n");
        assert_eq!(
            got.iter().map(|g| (g.0, g.1)).collect::<Vec<_>>(),
            vec![(2, 16)]
        );
    }

    #[test]
    fn real_comments_and_quoted_values_stay_silent() {
        for text in [
            "status: lopend  # of afgerond\n",
            "# #kop\ntitle: a\n",
            "title: \"Werkplein #1\"\n",
            "title: 'Werkplein' #1\n",
            "summary: |\n  Werkplein #1\n",
            "title: Werkplein#1\n",
            "title: a #\n",
            "themes: [a, b] #x\n",
            "title: [\n",
        ] {
            assert_eq!(cuts(text), vec![], "{text:?}");
        }
    }
}
