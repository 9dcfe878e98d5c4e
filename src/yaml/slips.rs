//! Syntax errors whose slip is clear from the text, named where the slip is and in an editor's
//! words: a quote left open, text after a closing quote, a value that starts with a character
//! YAML reserves (`@`, `[`, `|`, …), a key without a space after its colon, a colon inside an
//! unquoted value, a line indented too far, or one column short in a list item. The YAML parser
//! notices these lines later, in its own terms ("did not find expected key"); each check here
//! speaks only when the text shows that slip and nothing else, and otherwise leaves the parser's
//! message as it is. Text only: no parsing. [`marked_value`] words a value the parser read
//! without complaint but not as written (a tag `!Werk`, an anchor `&werk`).

use super::{Pos, YamlError};

/// The parser's `error` in plain words, when one of the slips explains it.
pub(super) fn explain(text: &str, error: &YamlError) -> Option<YamlError> {
    let lines: Vec<&str> = text.lines().collect();
    unclosed_quote(&lines, error)
        .or_else(|| indicator_first(&lines, error))
        .or_else(|| colon_without_space(&lines, error))
        .or_else(|| colon_in_value(&lines, error))
        .or_else(|| indented_too_far(&lines, error))
        .or_else(|| short_in_item(&lines, error))
}

/// A key as front matter writes them: letters, digits, `_` and `-` (`target_groups`).
fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line that says something: not blank, not only a comment.
fn significant(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// A block mapping entry `key: value` or `- key: value`: the key's column (0-based, in bytes of
/// this ASCII prefix), the key, and what follows the colon.
fn entry(line: &str) -> Option<(usize, &str, &str)> {
    let mut col = indent(line);
    let mut body = &line[col..];
    while let Some(rest) = body.strip_prefix("- ") {
        let more = rest.len() - rest.trim_start_matches(' ').len();
        col += 2 + more;
        body = &rest[more..];
    }
    let (key, rest) = body.split_once(':')?;
    plain_key(key).then_some((col, key, rest))
}

/// A value without its trailing comment (` # …`).
fn without_comment(value: &str) -> &str {
    value.find(" #").map_or(value, |i| &value[..i]).trim()
}

/// Where the value of a block entry `key: value` or a list item `- value` starts on its line
/// (a byte index), and how an editor writes what comes before it: `title: ` or `- `.
fn value_of(line: &str) -> Option<(usize, String)> {
    match entry(line) {
        Some((col, key, rest)) if rest.starts_with(' ') => {
            let at = col + key.len() + 1 + (rest.len() - rest.trim_start().len());
            Some((at, format!("{key}: ")))
        }
        Some(_) => None,
        None => {
            let rest = line.trim_start().strip_prefix("- ")?;
            Some((line.len() - rest.trim_start().len(), "- ".to_string()))
        }
    }
}

/// The 1-based column of byte `at` of `line`, in characters.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(at, |before| before.chars().count()) + 1
}

/// `value` in quotes YAML reads it from as written: double ones when it has no `"` or `\`,
/// else single ones (a `'` inside written twice).
fn in_quotes(value: &str) -> String {
    if !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// "a value cannot start with `@` unless it is in quotes", at the value's first character.
fn must_quote(line: &str, n: usize, (at, lead): (usize, String)) -> Option<YamlError> {
    let value = without_comment(line.get(at..)?);
    let first = value.chars().next()?;
    Some(YamlError {
        pos: Pos {
            line: n,
            column: column(line, at),
        },
        message: format!(
            "a value cannot start with {} unless it is in quotes: write {}",
            code(&first.to_string()),
            code(&format!("{lead}{}", in_quotes(value)))
        ),
    })
}

/// `text` as code in a message: between backquotes, or double ones with spaces when it holds
/// one itself (`` `Werk` ``).
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A value the parser read as a tag (`title: !Werk`) or an anchor nothing refers to
/// (`title: &werk x`): valid YAML that leaves the value empty or cuts its start. `line` is
/// line `n` of the text, the one the entry's key is on; `None` when the value written there
/// does not start with `!` or `&`.
pub(super) fn marked_value(line: &str, n: usize) -> Option<YamlError> {
    let (at, lead) = value_of(line)?;
    if !line.get(at..)?.starts_with(['!', '&']) {
        return None;
    }
    must_quote(line, n, (at, lead))
}

/// Whether `text` may hold a value starting with `!` or `&` (after `: ` or `- `): a scan for
/// the few documents [`marked_value`] needs to look at.
pub(super) fn may_be_marked(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'!', b'&', b).any(|i| {
        let before = &b[..i];
        let spaces = before.iter().rev().take_while(|&&c| c == b' ').count();
        spaces > 0
            && matches!(
                before.len().checked_sub(spaces + 1).map(|j| b[j]),
                Some(b':' | b'-')
            )
    })
}

/// Where the quoted scalar closes in `rest` (the text after its opening quote), if it does:
/// the byte index of the closing quote.
fn closing(rest: &str, quote: u8) -> Option<usize> {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            q if q == quote && quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            q if q == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Whether a quoted scalar that closes at `at` in `rest` ends cleanly there: nothing but spaces,
/// a comment, or the flow punctuation after it on its line.
fn ends_cleanly(rest: &str, at: usize) -> bool {
    let after = rest[at + 1..].split('\n').next().unwrap_or("").trim_start();
    after.is_empty() || after.starts_with(['#', ',', '}', ']', ':'])
}

/// A value that opens with a quote (`key: "…`, `- "…`) and does not close cleanly before the
/// line the parser stopped at: a quoted value may run over several lines, but then it ends
/// with its quote.
fn unclosed_quote(lines: &[&str], error: &YamlError) -> Option<YamlError> {
    let last = error.pos.line.min(lines.len());
    // The document up to the line the parser stopped at, and where each line starts in it.
    let joined = lines[..last].join("\n");
    let mut start = 0;
    for (i, line) in lines[..last].iter().enumerate() {
        let line_start = start;
        start += line.len() + 1;
        let value_at = match entry(line) {
            Some((col, key, rest)) if rest.starts_with(' ') => {
                col + key.len() + 1 + (rest.len() - rest.trim_start().len())
            }
            Some(_) => continue,
            None => match line.trim_start().strip_prefix("- ") {
                Some(rest) => line.len() - rest.trim_start().len(),
                None => continue,
            },
        };
        let quote = match line.as_bytes().get(value_at) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => continue,
        };
        let rest = &joined[line_start + value_at + 1..];
        let q = quote as char;
        let message = match closing(rest, quote) {
            Some(at) if ends_cleanly(rest, at) => continue,
            Some(at) if !rest[..at].contains('\n') => text_after_quote(line, value_at, q)?,
            _ => format!(
                "the quote {q} that opens this value is not closed: add {q} at the end of the value"
            ),
        };
        return Some(YamlError {
            pos: Pos {
                line: i + 1,
                column: column(line, value_at),
            },
            message,
        });
    }
    None
}

/// "text follows the closing quote" of a value that closes on its line (`title: "Werk" eerst`),
/// with the whole value in the other kind of quotes.
fn text_after_quote(line: &str, value_at: usize, q: char) -> Option<String> {
    let (_, lead) = value_of(line)?;
    let value = without_comment(line.get(value_at..)?);
    let other = if q == '"' { '\'' } else { '"' };
    let whole = if value.contains(other) {
        in_quotes(value)
    } else {
        format!("{other}{value}{other}")
    };
    Some(format!(
        "text follows the closing {q} of this value: put the whole value in quotes of the other kind, `{lead}{whole}`"
    ))
}

/// A value whose first character YAML reserves or reads as something else than text (`@`,
/// `` ` ``, `%`, an alias `*`, a list `- ` or `[…] text`, keys `{…} text`, a block `|text`),
/// when the parser stopped on that value's line: it needs quotes.
fn indicator_first(lines: &[&str], error: &YamlError) -> Option<YamlError> {
    let n = error.pos.line;
    let line = *lines.get(n.checked_sub(1)?)?;
    let (at, lead) = value_of(line)?;
    let value = without_comment(line.get(at..)?);
    if error.pos.column < column(line, at) {
        return None;
    }
    let rejected = match value.chars().next()? {
        '@' | '`' | '%' | '*' | '!' | '&' => true,
        '-' => value == "-" || value.starts_with("- "),
        '[' | '{' => text_after_flow(value),
        '|' | '>' => error
            .message
            .starts_with("did not find expected comment or line break"),
        _ => false,
    };
    rejected.then(|| must_quote(line, n, (at, lead))).flatten()
}

/// Whether a flow value (`[Werk] eerst`) closes on its line and text follows it.
fn text_after_flow(value: &str) -> bool {
    let mut depth = 0usize;
    for (i, c) in value.char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return !value[i + 1..].trim().is_empty();
                }
            }
            _ => {}
        }
    }
    false
}

/// "did not find expected '-' indicator" on a key indented less than the key above it, but
/// deeper than that entry's `- `: meant as a key of the list item above.
fn short_in_item(lines: &[&str], error: &YamlError) -> Option<YamlError> {
    if !error
        .message
        .starts_with("did not find expected '-' indicator")
    {
        return None;
    }
    let n = error.pos.line;
    let line = *lines.get(n.checked_sub(1)?)?;
    let (col, key, _) = entry(line)?;
    let (above_n, above) = back_from(lines, n.checked_sub(1)?).next()?;
    let (above_col, above_key, _) = entry(above)?;
    let dash = item_dash(lines, above_n, above_col)?;
    let spaces = |k: usize| {
        if k == 1 {
            "1 space".to_string()
        } else {
            format!("{k} spaces")
        }
    };
    (col == indent(line) && dash < col && col < above_col).then(|| YamlError {
        pos: Pos {
            line: n,
            column: col + 1,
        },
        message: format!(
            "`{key}` is indented {}; to belong to the entry above, align it with `{above_key}` ({})",
            spaces(col),
            spaces(above_col)
        ),
    })
}

/// The column of the `- ` that opens the list item whose keys stand at `key_col`, which line
/// `n` (1-based) belongs to; `None` when a line less deep comes first.
fn item_dash(lines: &[&str], n: usize, key_col: usize) -> Option<usize> {
    for (_, l) in back_from(lines, n) {
        let dash = indent(l);
        match entry(l) {
            Some((col, _, _)) if col == key_col && l[dash..].starts_with("- ") => {
                return Some(dash)
            }
            Some((col, _, _)) if col >= key_col => {}
            None if dash > key_col => {}
            _ => return None,
        }
    }
    None
}

/// The significant lines at and before `line` (1-based), nearest first.
fn back_from<'a>(lines: &'a [&'a str], line: usize) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let last = line.min(lines.len());
    (1..=last)
        .rev()
        .map(move |n| (n, lines[n - 1]))
        .filter(|(_, l)| significant(l))
}

/// Whether line `n` continues the plain value of the entry above it (YAML folds a deeper line
/// into a plain scalar): the entry's key and line.
fn continues<'a>(lines: &'a [&'a str], n: usize) -> Option<(usize, &'a str, usize)> {
    let (above_n, above) = back_from(lines, n.checked_sub(1)?).next()?;
    let (col, key, rest) = entry(above)?;
    let value = without_comment(rest);
    let plain = !value.is_empty() && !value.starts_with(['"', '\'', '[', '{', '|', '>']);
    (plain && indent(lines[n - 1]) > col).then_some((col, key, above_n))
}

/// "could not find expected ':'" after `status:onbekend`: YAML reads a key only with a space
/// after its colon, so the line is text, and the parser complains on a later one.
fn colon_without_space(lines: &[&str], error: &YamlError) -> Option<YamlError> {
    if !error.message.starts_with("could not find expected ':'")
        && !error.message.starts_with("mapping values are not allowed")
    {
        return None;
    }
    back_from(lines, error.pos.line)
        .take(2)
        .find_map(|(n, line)| {
            let (col, key, rest) = entry(line)?;
            let value = without_comment(rest);
            let glued = !rest.is_empty() && !rest.starts_with([' ', '/']) && !value.is_empty();
            (glued && continues(lines, n).is_none()).then(|| YamlError {
                pos: Pos {
                    line: n,
                    column: col + 1,
                },
                message: format!("a key needs a space after its colon: write `{key}: {value}`"),
            })
        })
}

/// "mapping values are not allowed" at a colon and a space inside a value: on the entry's own
/// line (`summary: Aanpak: direct …`), or on a deeper line that YAML folds into it.
fn colon_in_value(lines: &[&str], error: &YamlError) -> Option<YamlError> {
    if !error.message.starts_with("mapping values are not allowed") {
        return None;
    }
    let n = error.pos.line;
    let line = *lines.get(n.checked_sub(1)?)?;
    if let Some((col, key, above_n)) = continues(lines, n) {
        return Some(YamlError {
            pos: error.pos,
            message: format!(
                "this line is deeper than `{key}` on line {above_n}, so YAML reads it as part of that value, where a colon and a space are not allowed: put the value in quotes, or start this line at column {} if it is a key of its own",
                col + 1
            ),
        });
    }
    let (_, key, rest) = entry(line)?;
    let value = without_comment(rest);
    if !rest.starts_with(' ')
        || !value.contains(": ")
        || value.starts_with(['"', '\'', '{', '[', '|', '>'])
    {
        return None;
    }
    Some(YamlError {
        pos: error.pos,
        message: format!(
            "a colon and a space inside a value start a new key: put the value in quotes, `{key}: \"{}\"`",
            value.replace('"', "\\\"")
        ),
    })
}

/// "did not find expected key" on a line deeper than the entry above it, whose value cannot
/// run on (a list, a mapping or a quoted text, closed on its line): the line belongs at the
/// depth of the keys around it.
fn indented_too_far(lines: &[&str], error: &YamlError) -> Option<YamlError> {
    if !error.message.starts_with("did not find expected key") {
        return None;
    }
    let n = error.pos.line;
    let line = *lines.get(n.checked_sub(1)?)?;
    let (_, above) = back_from(lines, n.checked_sub(1)?).next()?;
    let (col, _, rest) = entry(above)?;
    let value = without_comment(rest);
    let closed = value.starts_with(['[', '{', '"', '\'']) && value.len() > 1;
    (closed && indent(line) > col && entry(line).is_some()).then(|| YamlError {
        pos: error.pos,
        message: format!(
            "this line is indented further than the line above it: start it at column {} like the keys around it",
            col + 1
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(line: usize, column: usize, message: &str) -> YamlError {
        YamlError {
            pos: Pos { line, column },
            message: message.into(),
        }
    }

    fn explained(text: &str, e: YamlError) -> Option<(usize, usize, String)> {
        explain(text, &e).map(|e| (e.pos.line, e.pos.column, e.message))
    }

    #[test]
    fn entries_and_their_keys() {
        assert_eq!(entry("  - name: x"), Some((4, "name", " x")));
        assert_eq!(entry("title: a"), Some((0, "title", " a")));
        assert_eq!(
            entry("  1:3 voor iedereen"),
            Some((2, "1", "3 voor iedereen"))
        );
        assert_eq!(entry("een zin: met tekst"), None);
    }

    #[test]
    fn quotes_closed_or_not() {
        assert_eq!(closing("a \\\" b", b'"'), None);
        assert_eq!(closing("a \\\" b\"", b'"'), Some(6));
        assert_eq!(closing("it''s", b'\''), None);
        assert_eq!(closing("it''s'", b'\''), Some(5));
    }

    #[test]
    fn an_unclosed_quote_is_named_where_it_opens() {
        let text = "---\ntitle: \"Project SAMEN\nsummary: iets\nstatus: x\n";
        let got = explained(text, err(4, 1, "did not find expected key"));
        assert_eq!(got.as_ref().map(|g| (g.0, g.1)), Some((2, 8)), "{got:?}");
        // An apostrophe inside a plain value opens nothing.
        let text = "---\nsummary: Trainingen overdag en, 's avonds\nstatus:onbekend\nthemes: []\n";
        let got = explained(text, err(4, 1, "could not find expected ':'"));
        assert_eq!(
            got,
            Some((
                3,
                1,
                "a key needs a space after its colon: write `status: onbekend`".into()
            ))
        );
        // A quoted value over two lines that closes cleanly is no slip.
        let text = "---\n  title: \"Persbericht van de gemeente\n  Haarlem: de prijs\"\n  publisher:Gemeente\n  x: 1\n";
        let got = explained(text, err(5, 3, "could not find expected ':'"));
        assert_eq!(got.map(|g| g.0), Some(4));
    }

    #[test]
    fn a_colon_in_a_value_or_a_line_folded_into_it() {
        let text = "---\nsummary: Aanpak: direct # noot\n";
        let got = explained(
            text,
            err(2, 16, "mapping values are not allowed in this context"),
        );
        assert_eq!(
            got.map(|g| g.2),
            Some("a colon and a space inside a value start a new key: put the value in quotes, `summary: \"Aanpak: direct\"`".into())
        );
        let text = "---\nsummary: Een korte samenvatting\n  van de aanpak: direct\n";
        let got = explained(
            text,
            err(3, 16, "mapping values are not allowed in this context"),
        );
        let message = got.map(|g| g.2).unwrap_or_default();
        assert!(
            message.starts_with("this line is deeper than `summary` on line 2"),
            "{message}"
        );
        // `1:3` on a folded line is the value's text, not a key without its space.
        let text = "---\nsummary: Een aanpak in de verhouding\n  1:3 voor iedereen. Doel: werk\n";
        let got = explained(
            text,
            err(3, 26, "mapping values are not allowed in this context"),
        );
        assert!(got
            .map(|g| g.2)
            .unwrap_or_default()
            .starts_with("this line is deeper"));
    }

    #[test]
    fn a_line_too_deep_after_a_closed_value() {
        let text = "---\nperiod: { start: 1997 }\n  status: onbekend\n";
        let got = explained(text, err(3, 3, "did not find expected key"));
        assert_eq!(
            got.map(|g| g.2),
            Some("this line is indented further than the line above it: start it at column 1 like the keys around it".into())
        );
        // Under a list item the keys stand after its `- `.
        let text = "---\npartners:\n  - name: Gemeente Haarlem\n      role: trekker\n";
        let got = explained(
            text,
            err(4, 11, "mapping values are not allowed in this context"),
        );
        let message = got.map(|g| g.2).unwrap_or_default();
        assert!(
            message.ends_with("start this line at column 5 if it is a key of its own"),
            "{message}"
        );
    }

    #[test]
    fn a_glued_key_behind_a_comment_is_found() {
        let text = "---\nstatus:onbekend\n\n# opmerking\nthemes: []\n";
        let got = explained(text, err(4, 1, "could not find expected ':'"));
        assert_eq!(got.map(|g| (g.0, g.1)), Some((2, 1)));
    }

    #[test]
    fn text_after_a_closing_quote_takes_the_other_quotes() {
        let got = explained(
            "title: \"Werk\" eerst\n",
            err(1, 15, "did not find expected key"),
        );
        assert_eq!(
            got,
            Some((1, 8, "text follows the closing \" of this value: put the whole value in quotes of the other kind, `title: '\"Werk\" eerst'`".into()))
        );
        let got = explained(
            "  - 'Werk' eerst\n",
            err(1, 12, "did not find expected key"),
        );
        assert_eq!(
            got.map(|g| g.2),
            Some("text follows the closing ' of this value: put the whole value in quotes of the other kind, `- \"'Werk' eerst\"`".into())
        );
    }

    #[test]
    fn a_value_that_starts_with_an_indicator_needs_quotes() {
        let cases = [
            ("title: @Werk eerst", 8, "a value cannot start with `@` unless it is in quotes: write `title: \"@Werk eerst\"`"),
            ("title: `Werk`", 8, "a value cannot start with `` ` `` unless it is in quotes: write `` title: \"`Werk`\" ``"),
            ("title: % uitstroom", 8, "write `title: \"% uitstroom\"`"),
            ("title: *werk", 8, "write `title: \"*werk\"`"),
            ("title: - Werk", 8, "write `title: \"- Werk\"`"),
            ("title: [Werk] eerst", 15, "write `title: \"[Werk] eerst\"`"),
            ("title: {Werk} \"eerst\"", 15, "write `title: '{Werk} \"eerst\"'`"),
            ("title: |Werk", 9, "write `title: \"|Werk\"`"),
            ("title: >Wérk", 9, "write `title: \">Wérk\"`"),
        ];
        for (line, col, message) in cases {
            let text = format!("{line}\nsummary: x\n");
            let got = explained(
                &text,
                err(1, col, "did not find expected comment or line break"),
            );
            assert!(
                got.as_ref()
                    .is_some_and(|g| (g.0, g.1) == (1, 8) && g.2.ends_with(message)),
                "{line}: {got:?}"
            );
        }
        // A flow value that closes cleanly, and one that does not close on its line, are no slip.
        let lines = ["themes: [a, b]", "x: 1 ]"];
        assert_eq!(
            indicator_first(&lines, &err(1, 15, "did not find expected key")),
            None
        );
        assert_eq!(
            explained(
                "themes: [a, b\n",
                err(1, 14, "did not find expected ',' or ']'")
            ),
            None
        );
        assert_eq!(
            explained("title: -5 x\n", err(1, 11, "did not find expected key")),
            None
        );
    }

    #[test]
    fn a_key_one_column_short_in_a_list_item() {
        let text = "---\npartners:\n  - name: Gemeente Zwolle\n   role: trekker\n";
        let got = explained(text, err(4, 4, "did not find expected '-' indicator (the block collection opened on line 3, column 3)"));
        assert_eq!(
            got,
            Some((4, 4, "`role` is indented 3 spaces; to belong to the entry above, align it with `name` (4 spaces)".into()))
        );
        // Under a second key of the item, too.
        let text = "partners:\n  - name: a\n    role: b\n   note: c\n";
        let got = explained(text, err(4, 4, "did not find expected '-' indicator"));
        assert!(got.is_some_and(|g| g.2.ends_with("align it with `role` (4 spaces)")));
        // At the dash's own column it is something else.
        let text = "partners:\n  - name: a\n  role: b\n";
        assert_eq!(
            explained(text, err(3, 3, "did not find expected '-' indicator")),
            None
        );
    }

    #[test]
    fn a_tag_or_an_anchor_is_a_value_that_needed_quotes() {
        assert_eq!(
            marked_value("title: !Werk", 2).map(|e| (e.pos.line, e.pos.column, e.message)),
            Some((
                2,
                8,
                "a value cannot start with `!` unless it is in quotes: write `title: \"!Werk\"`"
                    .into()
            ))
        );
        assert!(marked_value("title: Werk & Inkomen", 2).is_none());
        assert!(may_be_marked("a: b\ntitle:  &werk x\n"));
        assert!(may_be_marked("- !x\n"));
        assert!(!may_be_marked("title: Werk & Inkomen!\n"));
    }
}
