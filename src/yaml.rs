//! Every call into YAML parsing lives here.
//!
//! serde_yaml (deprecated upstream) turns YAML into typed structs; keeping all its calls in this
//! module makes a move to a maintained fork a small change. Because serde_yaml does not say where
//! a value came from once it is deserialized, this module also builds a [`Positions`] index from
//! yaml-rust2's marked events: the line and column of every key and value, by dotted path
//! (`results.2.source`). The same pass finds duplicate keys and keys a schema does not know.
//! It does not know what a practice is; callers pass the schema.

mod comments;
mod repair;
mod slips;

pub use repair::within;

use std::sync::Arc;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column in the text handed to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn from_marker(m: &Marker) -> Pos {
        Pos {
            line: m.line(),
            column: m.col() + 1,
        }
    }
}

/// Where one mapping key or sequence item stands, with what the checks made while parsing need
/// (its parent, key and scalar text). Kept only while a document is parsed.
#[derive(Debug, Clone)]
struct Node {
    /// Dotted path of the value: `partners.0.name`.
    path: Arc<str>,
    /// Dotted path of the enclosing mapping or sequence (`""` for the root); shared with the
    /// parent's own node.
    parent: Arc<str>,
    /// The key, for mapping entries.
    key: Option<String>,
    key_pos: Pos,
    value_pos: Pos,
    /// The text of a scalar value.
    scalar: Option<String>,
    /// Whether the value is a plain (unquoted) scalar.
    plain: bool,
    /// Whether the value has a local tag (`!Werk`), which no front matter means to write.
    local_tag: bool,
    /// The value's anchor (`&werk`), 0 for none.
    anchor: usize,
}

/// Every node of one document, in document order.
#[derive(Debug, Default)]
struct Index {
    nodes: Vec<Node>,
    /// The anchors an alias refers to.
    aliased: Vec<usize>,
}

impl Index {
    fn has(&self, path: &str) -> bool {
        self.nodes.iter().any(|n| &*n.path == path)
    }

    fn value(&self, path: &str) -> Pos {
        lookup(path, |p| {
            self.nodes
                .iter()
                .find(|n| &*n.path == p)
                .map(|n| n.value_pos)
        })
    }

    /// What a parsed document keeps: the places, not the texts.
    fn spots(self) -> Spots {
        let mut paths = String::with_capacity(self.nodes.iter().map(|n| n.path.len()).sum());
        let spots = self
            .nodes
            .iter()
            .map(|n| {
                let start = paths.len();
                paths.push_str(&n.path);
                Spot {
                    path: start..paths.len(),
                    key: n.key_pos,
                    value: n.value_pos,
                }
            })
            .collect();
        Spots { paths, spots }
    }
}

/// Where the key and the value at one dotted path start; the path is a range of
/// [`Spots::paths`].
#[derive(Debug, Clone)]
struct Spot {
    path: std::ops::Range<usize>,
    key: Pos,
    value: Pos,
}

/// The position of every key and value in one YAML document, by dotted path, in document
/// order. Looked up only to place a diagnostic, so a scan is enough and nothing else is kept.
/// A document [`parse_strict`] accepted is indexed only when a position is first asked for
/// (most are never asked: they have nothing to report); the text is kept for that.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    text: Box<str>,
    spots: std::sync::OnceLock<Spots>,
}

/// The positions of a document. The paths are kept in one string: a document has a hundred
/// of them, and at 10,000 files one allocation each is a million to make and free.
#[derive(Debug, Clone, Default)]
struct Spots {
    paths: String,
    spots: Vec<Spot>,
}

impl Positions {
    fn indexed(text: &str, spots: Spots) -> Positions {
        Positions {
            text: text.into(),
            spots: std::sync::OnceLock::from(spots),
        }
    }

    fn lazy(text: &str) -> Positions {
        Positions {
            text: text.into(),
            spots: std::sync::OnceLock::new(),
        }
    }

    /// The plain values a comment cuts short (`title: Werkplein #1`), as warnings at the `#`
    /// (see `comments`); nothing for a text without a `#` after a space.
    pub fn comment_cuts(&self) -> Vec<YamlError> {
        comments::cut_values(&self.text)
    }

    /// The position of the value at `path`, or of its nearest ancestor that has one.
    pub fn value(&self, path: &str) -> Pos {
        lookup(path, |p| self.find(p).map(|s| s.value))
    }

    /// The position of the key at `path` (for sequence items, the item), or of an ancestor.
    pub fn key(&self, path: &str) -> Pos {
        lookup(path, |p| self.find(p).map(|s| s.key))
    }

    /// The text of the plain (unquoted) scalar at exactly `path`, as written: `1.550` where
    /// the value read is 1.55. `None` for a quoted or block value, or no value there.
    pub fn written(&self, path: &str) -> Option<&str> {
        let pos = self.find(path)?.value;
        let line = self.text.lines().nth(pos.line.checked_sub(1)?)?;
        let start = line
            .char_indices()
            .nth(pos.column.checked_sub(1)?)
            .map(|(i, _)| i)?;
        let rest = &line[start..];
        if rest.starts_with(['"', '\'', '|', '>', '[', '{']) {
            return None;
        }
        let end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
        Some(rest[..end].trim_end())
    }

    /// True when the text has a number written like `1.550` (digits, a dot, three digits)
    /// anywhere: a scan of the text, so that [`Positions::written`], which needs the index,
    /// is asked only of the few documents that may have one.
    pub fn has_grouped_number(&self) -> bool {
        let b = self.text.as_bytes();
        b.iter().enumerate().any(|(i, &c)| {
            c == b'.'
                && i > 0
                && b[i - 1].is_ascii_digit()
                && b.len() > i + 3
                && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
        })
    }

    /// True when the document has a value at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.find(path).is_some()
    }

    /// A print of the document's text, which every position is a function of: a memo keyed
    /// by it needs no position to know that none moved.
    pub fn print(&self) -> u128 {
        xxhash_rust::xxh3::xxh3_128(self.text.as_bytes())
    }

    fn spots(&self) -> &Spots {
        self.spots.get_or_init(|| {
            index(&self.text)
                .map(|(index, _)| index.spots())
                .unwrap_or_default()
        })
    }

    fn find(&self, path: &str) -> Option<&Spot> {
        let spots = self.spots();
        let bytes = spots.paths.as_bytes();
        spots
            .spots
            .iter()
            .find(|s| s.path.len() == path.len() && &bytes[s.path.clone()] == path.as_bytes())
    }
}

/// The position `at` gives for `path`, or for its nearest ancestor that has one.
fn lookup(path: &str, at: impl Fn(&str) -> Option<Pos>) -> Pos {
    let mut p = path;
    loop {
        if let Some(pos) = at(p) {
            return pos;
        }
        match p.rfind('.') {
            Some(dot) => p = &p[..dot],
            None => return Pos { line: 1, column: 1 },
        }
    }
}

/// A problem found while reading YAML, at a position in the text handed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Which keys a mapping at a given path pattern may hold. The pattern replaces sequence indexes
/// with `*` (`results.*`); `None` means the mapping is free-form.
pub type Schema<'a> = &'a dyn Fn(&str) -> Option<&'static [&'static str]>;

/// Parses `text` into `T`, with the position of everything in it. Unknown keys (per `schema`)
/// and duplicate keys are all reported; without them, so are type errors (see `repair`) and
/// values still to be filled in, together: a placeholder does not hide a mistake elsewhere in
/// the file, and is not also reported as a value of the wrong type.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    schema: Schema<'_>,
) -> Result<(T, Positions), Vec<YamlError>> {
    let (index, mut errors) = match index(text) {
        Ok(index) => index,
        Err(scan) => {
            let error = serde_error(text).unwrap_or(scan);
            let plain = slips::explain(text, &error);
            return Err(vec![plain.unwrap_or_else(|| tab_hint(text, error))]);
        }
    };
    let duplicates = !errors.is_empty();
    let (unknown, strays) = unknown_keys(&index, schema);
    errors.extend(unknown);
    let mut holes = placeholders(&index);
    holes.extend(marked(&index, text));
    // serde would report unknown and duplicate keys again, in its own words: with unknown keys
    // (and no duplicate, whose value serde could not choose), the document is read without them.
    let typed = match errors.is_empty().then(|| serde_yaml::from_str::<T>(text)) {
        Some(Ok(value)) if holes.is_empty() => {
            return Ok((value, Positions::indexed(text, index.spots())))
        }
        Some(Ok(_)) => Vec::new(),
        None if duplicates => Vec::new(),
        None => typed_without::<T>(text, &strays, &index),
        Some(Err(e)) => {
            let mut typed = vec![convert(&e, &index)];
            typed.extend(repair::later_errors::<T>(text, &e, &|e| convert(e, &index)));
            typed
        }
    };
    let not_a_hole = |t: &YamlError| !holes.iter().any(|h| h.pos == t.pos);
    errors.extend(typed.into_iter().filter(not_a_hole));
    errors.extend(holes);
    errors.sort_by_key(|e| e.pos);
    Err(errors)
}

/// Like [`parse`], for a type that rejects every unknown and duplicate key itself (structs that
/// deny unknown fields, all the way down, and no maps). A document such a type deserializes
/// without error, holding no placeholder, is then known to be right without the index, which
/// is left to be built when a position is first asked for: on a large site most documents
/// have nothing to report, and the index was a tenth of a build. Anything else goes to
/// [`parse`], which finds and locates every problem.
pub fn parse_strict<T: DeserializeOwned>(
    text: &str,
    schema: Schema<'_>,
) -> Result<(T, Positions), Vec<YamlError>> {
    if !text.contains(crate::scaffold::PLACEHOLDER) && !slips::may_be_marked(text) {
        if let Ok(value) = serde_yaml::from_str::<T>(text) {
            // Debug builds (every test) check the claim: the index finds nothing either.
            if cfg!(debug_assertions) {
                if let Err(errors) = parse::<T>(text, schema) {
                    panic!("parse_strict accepted a document parse rejects: {errors:?}");
                }
            }
            return Ok((value, Positions::lazy(text)));
        }
    }
    parse(text, schema)
}

/// A document that [`parse`] rejected, read all the same: the values serde could not read,
/// unknown keys and values still to be filled in replaced or left out (`repaired`, dotted
/// paths). For the checks that do not depend on those values: an editor learns of a
/// misspelt municipality in the same run as of a wrong date.
#[derive(Debug)]
pub struct Salvage<T> {
    pub value: T,
    pub positions: Positions,
    pub repaired: Vec<String>,
}

/// Reads `text`, which [`parse`] rejected, as well as can be done (see [`Salvage`]); `None`
/// for a document that is not YAML, has a duplicate key, or cannot be repaired.
pub fn salvage<T: DeserializeOwned>(text: &str, schema: Schema<'_>) -> Option<Salvage<T>> {
    let (index, duplicates) = index(text).ok()?;
    if !duplicates.is_empty() {
        return None;
    }
    let mut doc = serde_yaml::from_str::<serde_yaml::Value>(text).ok()?;
    let (_, strays) = unknown_keys(&index, schema);
    let mut repaired: Vec<String> = Vec::new();
    for (parent, key, _) in &strays {
        if let Some(serde_yaml::Value::Mapping(map)) = repair::slot(&mut doc, parent) {
            map.retain(|k, _| !is_key(k, key));
        }
        repaired.push(if parent.is_empty() {
            key.clone()
        } else {
            format!("{parent}.{key}")
        });
    }
    repaired.extend(holes(&index).map(|e| e.path.to_string()));
    repaired.extend(marked_nodes(&index).map(|e| e.path.to_string()));
    let value = repair::until_read::<T>(&mut doc, &mut repaired)?;
    Some(Salvage {
        value,
        positions: Positions::indexed(text, index.spots()),
        repaired,
    })
}

/// serde_yaml's wording of a syntax error. serde_yaml reads values up to the error first, so an
/// alias bomb or deep nesting before it hits serde_yaml's repetition or recursion limit, whose
/// error has no place and hides where the syntax is wrong: then the caller keeps yaml-rust2's
/// located error instead.
fn serde_error(text: &str) -> Option<YamlError> {
    let err = serde_yaml::from_str::<serde_yaml::Value>(text).err()?;
    let message = err.to_string();
    if message.starts_with("repetition limit exceeded")
        || message.starts_with("recursion limit exceeded")
    {
        return None;
    }
    Some(convert(&err, &Index::default()))
}

fn convert(err: &serde_yaml::Error, index: &Index) -> YamlError {
    locate(err, index, &[], true)
}

/// [`convert`] for an error in a document written again from the file (`typed_without`): its
/// line and column are not the file's, so the place comes from the path alone, read back
/// through `renamed` (a key read as the one it resembles: `(path read, path in the file)`).
fn convert_reread(
    err: &serde_yaml::Error,
    index: &Index,
    renamed: &[(String, String)],
) -> YamlError {
    locate(err, index, renamed, false)
}

fn locate(
    err: &serde_yaml::Error,
    index: &Index,
    renamed: &[(String, String)],
    own_lines: bool,
) -> YamlError {
    let message = plain_message(&err.to_string());
    let (path, message) = split_path(&message);
    let path = path.map(|p| {
        renamed
            .iter()
            .find_map(|(read, file)| {
                let rest = p.strip_prefix(read.as_str())?;
                (rest.is_empty() || rest.starts_with('.')).then(|| format!("{file}{rest}"))
            })
            .unwrap_or(p)
    });
    // The error's own line and column mean something only in the file's own text.
    let fallback = if own_lines {
        err.location().map(|l| Pos {
            line: l.line(),
            column: l.column(),
        })
    } else {
        index.nodes.first().map(|n| n.key_pos)
    };
    let top_level_missing = path.is_none() && message.starts_with("missing field `");
    let pos = match path {
        Some(path) if index.has(&path) || !own_lines => index.value(&path),
        // A key missing from the whole document: at its first key, whichever key is missing.
        None if top_level_missing && !index.nodes.is_empty() => index.nodes[0].key_pos,
        _ => quoted_value(&message, index)
            .or(fallback)
            .unwrap_or(Pos { line: 1, column: 1 }),
    };
    YamlError {
        pos,
        message: in_plain_words(&message),
    }
}

/// serde_yaml's message without the positions it embeds (the diagnostic carries the position);
/// the place where an unclosed construct opened is kept in words:
/// "did not find expected ',' or ']' (the flow sequence opened on line 8, column 9)".
fn plain_message(full: &str) -> String {
    let (main, context) = match full.split_once(", while parsing ") {
        Some((m, c)) => (m, Some(c)),
        None => (full, None),
    };
    let strip = |s: &str| {
        s.find(" at line ")
            .map_or_else(|| s.to_string(), |i| s[..i].to_string())
    };
    let main = strip(main);
    let main = main.strip_prefix(": ").unwrap_or(&main).to_string();
    match context {
        Some(c) => match c.split_once(" at line ") {
            Some((what, at)) => {
                let at = at.replacen(" column ", ", column ", 1);
                let what = what
                    .strip_prefix("a ")
                    .or_else(|| what.strip_prefix("an "))
                    .unwrap_or(what);
                format!("{main} (the {what} opened on line {at})")
            }
            None => format!("{main}, while parsing {c}"),
        },
        None => main,
    }
}

/// serde_yaml places errors raised while converting a value (an unknown enum value, a bad
/// date) at the enclosing mapping; the first backquoted value of the message, found among the
/// document's scalars, is a better place.
fn quoted_value(message: &str, index: &Index) -> Option<Pos> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    let wanted = &message[start..start + len];
    index
        .nodes
        .iter()
        .find(|e| e.scalar.as_deref() == Some(wanted))
        .map(|e| e.value_pos)
}

/// serde_yaml prefixes nested errors with the path (`results[2].unit: unknown variant ...`).
fn split_path(message: &str) -> (Option<String>, String) {
    match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            let dotted = path.replace('[', ".").replace(']', "");
            (Some(dotted), rest.to_string())
        }
        _ => (None, message.to_string()),
    }
}

/// A syntax error on a line indented or separated with a tab says so: YAML allows only spaces
/// there, and its own wording ("found character that cannot start any token") does not.
fn tab_hint(text: &str, mut error: YamlError) -> YamlError {
    let line = text
        .lines()
        .nth(error.pos.line.saturating_sub(1))
        .unwrap_or("");
    let before: String = line.chars().take(error.pos.column).collect();
    if before.contains('\t') {
        error
            .message
            .push_str(" (this line has a tab: YAML indents and separates with spaces only)");
    }
    error
}

/// The digits of a number written with Dutch thousands separators (`1.550`, `12.500.000`):
/// YAML reads the first as 1.55 and the second as text. `None` for anything else.
pub fn thousands(written: &str) -> Option<String> {
    let mut groups = written.split('.');
    let first = groups.next()?;
    let ok = |g: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit())
    };
    if !ok(first, 1..=3) || first.starts_with('0') {
        return None;
    }
    let mut digits = first.to_string();
    let mut more = 0;
    for g in groups {
        if !ok(g, 3..=3) {
            return None;
        }
        digits.push_str(g);
        more += 1;
    }
    (more > 0).then_some(digits)
}

/// serde's words for the types it expected, in the editor's terms.
fn type_words(serde: &str) -> String {
    match serde {
        "f64" | "f32" => "a number".into(),
        "i64" | "i32" | "i16" | "i8" | "isize" => "a whole number".into(),
        "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number of zero or more".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text".into(),
        "a sequence" | "sequence" => "a list".into(),
        "map" | "a map" => "keys with values".into(),
        s if s.starts_with("struct ") => "keys with values (`key: value`)".into(),
        s if s.starts_with("string ") => format!("the text {}", &s["string ".len()..]),
        s if s.starts_with("integer ") || s.starts_with("floating point ") => {
            format!("the number {}", s.rsplit(' ').next().unwrap_or(s))
        }
        s => s.to_string(),
    }
}

/// serde's "invalid type: string \"85\", expected f64" in words an editor knows, with a hint
/// for a number written in quotes; `None` for other messages.
fn invalid_type(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let (found, expected) = (type_words(found), type_words(expected));
    let text = found
        .strip_prefix("the text \"")
        .and_then(|t| t.strip_suffix('"'));
    let hint = match text {
        _ if !expected.starts_with("a number") && !expected.starts_with("a whole number") => {
            String::new()
        }
        Some(t) if thousands(t).is_some() => format!(
            " (write the number without thousands separators: `{}`)",
            thousands(t).unwrap_or_default()
        ),
        Some(t) if t.parse::<f64>().is_ok_and(f64::is_infinite) => {
            " (too large a number to read)".into()
        }
        Some(t) if t.parse::<f64>().is_ok() => " (write the number without quotes)".into(),
        Some(t) if t.replacen(',', ".", 1).parse::<f64>().is_ok() => format!(
            " (numbers take a decimal point: `{}`)",
            t.replacen(',', ".", 1)
        ),
        _ => String::new(),
    };
    Some(format!("expected {expected}, found {found}{hint}"))
}

/// serde's words for a wrong value in an editor's, for any serde format (`site.toml` too):
/// "did you mean" added to "unknown variant `x`, expected one of `a`, `b`", type errors and
/// missing keys in plain words; other messages as they are.
pub fn in_plain_words(message: &str) -> String {
    if let Some(plain) = invalid_type(message) {
        return plain;
    }
    if let Some(key) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("required key `{key}` is missing");
    }
    let Some(rest) = message.strip_prefix("unknown variant `") else {
        return message.to_string();
    };
    let Some((wrong, expected)) = rest.split_once("`, expected ") else {
        return message.to_string();
    };
    let options: Vec<&str> = expected
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    let hint = crate::diagnostic::did_you_mean(wrong, options.iter().copied());
    format!(
        "unknown value `{wrong}`{hint}; allowed: {}",
        options.join(", ")
    )
}

fn pattern(path: &str) -> String {
    path.split('.')
        .map(|seg| {
            if seg.bytes().all(|b| b.is_ascii_digit()) && !seg.is_empty() {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The nodes whose value an editor still has to fill in (`etalage new` writes them as `TODO…`).
fn holes(index: &Index) -> impl Iterator<Item = &Node> {
    index.nodes.iter().filter(|e| {
        e.scalar
            .as_deref()
            .is_some_and(|s| s.starts_with(crate::scaffold::PLACEHOLDER))
    })
}

/// The mapping values the parser read as a local tag (`title: !Werk`) or with an anchor no
/// alias refers to (`title: &werk x`): slips of a value that needed quotes.
fn marked_nodes(index: &Index) -> impl Iterator<Item = &Node> {
    index.nodes.iter().filter(|n| {
        n.key.is_some() && (n.local_tag || (n.anchor != 0 && !index.aliased.contains(&n.anchor)))
    })
}

/// [`marked_nodes`] as errors, at the value written on the key's line (the parser places an
/// empty tagged value on the line after it).
fn marked(index: &Index, text: &str) -> Vec<YamlError> {
    marked_nodes(index)
        .filter_map(|n| {
            let line = text.lines().nth(n.key_pos.line.checked_sub(1)?)?;
            slips::marked_value(line, n.key_pos.line)
        })
        .collect()
}

/// Values an editor still has to fill in, as errors.
fn placeholders(index: &Index) -> Vec<YamlError> {
    holes(index)
        .map(|e| YamlError {
            pos: e.value_pos,
            message: format!("{} still has to be filled in", in_words(&e.path)),
        })
        .collect()
}

/// The keys a mapping takes, for an unknown key that resembles none of them: "(allowed here:
/// `start`, `end`)"; a long list is cut, as the schema and the scaffold give them all.
fn allowed_keys(known: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut list: Vec<String> = known.iter().take(SHOWN).map(|k| format!("`{k}`")).collect();
    if known.len() > SHOWN {
        list.push(format!("and {} more", known.len() - SHOWN));
    }
    format!(" (allowed here: {})", list.join(", "))
}

/// A value's path as an editor reads it: `partners.0.name` is "`name` of item 1 of
/// `partners`", `target_groups.1` "item 2 of `target_groups`", `period.start` stays as it is.
fn in_words(path: &str) -> String {
    let mut words = String::new();
    let mut keys: Vec<&str> = Vec::new();
    // Walk from the value up: keys gather until an index, which names its list.
    let segments: Vec<&str> = path.split('.').collect();
    let mut i = segments.len();
    while i > 0 {
        i -= 1;
        let seg = segments[i];
        match seg.parse::<usize>() {
            Ok(n) if !seg.is_empty() => {
                if !keys.is_empty() {
                    keys.reverse();
                    words.push_str(&format!("`{}` of ", keys.join(".")));
                    keys.clear();
                }
                // The list is the key before the index, with the keys above it.
                let mut list: Vec<&str> = Vec::new();
                while i > 0 && segments[i - 1].parse::<usize>().is_err() {
                    i -= 1;
                    list.push(segments[i]);
                }
                list.reverse();
                words.push_str(&format!("item {} of `{}`", n + 1, list.join(".")));
                if i > 0 {
                    words.push_str(" in ");
                }
            }
            _ => keys.push(seg),
        }
    }
    if !keys.is_empty() {
        keys.reverse();
        words.push_str(&format!("`{}`", keys.join(".")));
    }
    words
}

/// The keys no schema type has, each with where it stands (the mapping's path), and the key it
/// most resembles, if one.
type Strays = Vec<(String, String, Option<&'static str>)>;

fn unknown_keys(index: &Index, schema: Schema<'_>) -> (Vec<YamlError>, Strays) {
    let mut errors = Vec::new();
    let mut strays = Vec::new();
    // The keys each mapping may hold, by the mapping's path (shared by its entries, so looked
    // up once per mapping rather than once per key).
    let mut mappings: Vec<(&Arc<str>, Option<&[&str]>)> = Vec::new();
    for entry in &index.nodes {
        let Some(key) = &entry.key else { continue };
        let known = match mappings.iter().find(|(p, _)| Arc::ptr_eq(p, &entry.parent)) {
            Some(&(_, known)) => known,
            None => {
                let known = schema(&pattern(&entry.parent));
                mappings.push((&entry.parent, known));
                known
            }
        };
        let Some(known) = known else {
            continue;
        };
        if !known.contains(&key.as_str()) {
            let hint = if key.bytes().all(|b| b.is_ascii_digit()) && !entry.parent.is_empty() {
                // `{ value: 85,5 }` reads as `value: 85` and a key `5`.
                " (the digits after a decimal comma? numbers take a decimal point: `85.5`)"
                    .to_string()
            } else {
                match crate::diagnostic::did_you_mean(key, known.iter().copied()) {
                    hint if hint.is_empty() => allowed_keys(known),
                    hint => hint,
                }
            };
            errors.push(YamlError {
                pos: entry.key_pos,
                message: format!("unknown key `{key}`{hint}"),
            });
            let nearest = crate::diagnostic::nearest(key, known.iter().copied());
            strays.push((entry.parent.to_string(), key.clone(), nearest));
        }
    }
    (errors, strays)
}

/// Whether mapping key `k` is the key written `key`: a key may read as a number or a boolean
/// (`5:` in `{ value: 85,5 }`).
fn is_key(k: &serde_yaml::Value, key: &str) -> bool {
    match k {
        serde_yaml::Value::String(s) => s == key,
        serde_yaml::Value::Number(n) => n.to_string() == key,
        serde_yaml::Value::Bool(b) => b.to_string() == key,
        _ => false,
    }
}

/// The type errors of a document read without its unknown keys: an editor who misspelt one
/// key learns of a wrong value elsewhere in the same run, not after fixing the key. A key that
/// resembles an allowed one, which the mapping does not have yet, is read as that one (so its
/// value is checked, and it is not also "missing"); any other is left out.
fn typed_without<T: DeserializeOwned>(
    text: &str,
    strays: &Strays,
    index: &Index,
) -> Vec<YamlError> {
    let Ok(mut doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let mut renamed: Vec<(String, String)> = Vec::new();
    let join = |parent: &str, key: &str| {
        if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}.{key}")
        }
    };
    for (parent, key, nearest) in strays {
        if let Some(serde_yaml::Value::Mapping(map)) = repair::slot(&mut doc, parent) {
            let stray = |k: &serde_yaml::Value| is_key(k, key);
            let value = map.iter().find(|(k, _)| stray(k)).map(|(_, v)| v.clone());
            map.retain(|k, _| !stray(k));
            if let (Some(value), Some(meant)) = (value, nearest) {
                if !map.contains_key(*meant) {
                    map.insert((*meant).into(), value);
                    renamed.push((join(parent, meant), join(parent, key)));
                }
            }
        }
    }
    let Ok(cleaned) = serde_yaml::to_string(&doc) else {
        return Vec::new();
    };
    match serde_yaml::from_str::<T>(&cleaned) {
        Ok(_) => Vec::new(),
        Err(e) => {
            let place = |e: &serde_yaml::Error| convert_reread(e, index, &renamed);
            let mut typed = vec![place(&e)];
            typed.extend(repair::later_errors::<T>(&cleaned, &e, &place));
            typed
        }
    }
}

enum Frame {
    Map {
        path: Arc<str>,
        key: Option<(String, Pos)>,
        /// The keys given so far, for duplicates (mappings are small: a list is enough).
        seen: Vec<(String, Pos)>,
    },
    Seq {
        path: Arc<str>,
        index: usize,
    },
}

/// How a scalar is written, for the checks of what the parser accepts but an editor did not
/// mean (see [`Node`]).
#[derive(Default, Clone, Copy)]
struct Marks {
    plain: bool,
    local_tag: bool,
    anchor: usize,
}

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    index: Index,
    duplicates: Vec<YamlError>,
    /// Where paths are put together.
    buf: String,
}

/// `parent.child` (or `child` at the top), built in `buf` and copied once into its `Arc`.
fn join(buf: &mut String, parent: &str, child: impl std::fmt::Display) -> Arc<str> {
    use std::fmt::Write;
    buf.clear();
    if !parent.is_empty() {
        buf.push_str(parent);
        buf.push('.');
    }
    let _ = write!(buf, "{child}");
    Arc::from(buf.as_str())
}

impl Indexer {
    /// Registers a node starting at `pos`; returns its path when it is a value (not a key).
    fn node(&mut self, pos: Pos, scalar: Option<&str>) -> Option<Arc<str>> {
        self.node_with(pos, scalar, Marks::default())
    }

    /// [`Indexer::node`] with how a scalar is written.
    fn node_with(&mut self, pos: Pos, scalar: Option<&str>, marks: Marks) -> Option<Arc<str>> {
        let (path, parent, key, key_pos) = match self.stack.last_mut() {
            None => return Some(Arc::from("")),
            Some(Frame::Seq { path, index }) => {
                let p = join(&mut self.buf, path, *index);
                *index += 1;
                (p, path.clone(), None, pos)
            }
            Some(Frame::Map { path, key, seen }) => match key.take() {
                None => {
                    let name = scalar.unwrap_or("?").to_string();
                    if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                        self.duplicates.push(YamlError {
                            pos,
                            message: format!(
                                "duplicate key `{name}` (first given on line {})",
                                first.line
                            ),
                        });
                    } else {
                        seen.push((name.clone(), pos));
                    }
                    *key = Some((name, pos));
                    return None;
                }
                Some((name, key_pos)) => (
                    join(&mut self.buf, path, &name),
                    path.clone(),
                    Some(name),
                    key_pos,
                ),
            },
        };
        self.index.nodes.push(Node {
            path: path.clone(),
            parent,
            key,
            key_pos,
            value_pos: pos,
            scalar: scalar.map(str::to_string),
            plain: marks.plain,
            local_tag: marks.local_tag,
            anchor: marks.anchor,
        });
        Some(path)
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos::from_marker(&mark);
        match ev {
            Event::Scalar(value, style, anchor, tag) => {
                let marks = Marks {
                    plain: style == yaml_rust2::scanner::TScalarStyle::Plain,
                    local_tag: tag.is_some_and(|t| t.handle == "!"),
                    anchor,
                };
                self.node_with(pos, Some(&value), marks);
            }
            Event::Alias(id) => {
                self.index.aliased.push(id);
                self.node(pos, None);
            }
            Event::MappingStart(..) => {
                let path = self.node(pos, None).unwrap_or_else(|| "?".into());
                self.stack.push(Frame::Map {
                    path,
                    key: None,
                    seen: Vec::new(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.node(pos, None).unwrap_or_else(|| "?".into());
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Builds the position index; a syntax error comes back as `Err`.
fn index(text: &str) -> Result<(Index, Vec<YamlError>), YamlError> {
    let mut indexer = Indexer::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut indexer, false).map_err(|e| YamlError {
        pos: Pos::from_marker(e.marker()),
        message: e.info().to_string(),
    })?;
    Ok((indexer.index, indexer.duplicates))
}

/// A YAML document as JSON (for checking front matter against the JSON Schema).
pub fn to_json(text: &str) -> Option<serde_json::Value> {
    serde_yaml::from_str(text).ok()
}

/// The field names of a struct that derives `Deserialize`, read from serde itself so schemas
/// cannot drift from the types.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    introspect::fields::<T>()
}

mod introspect {
    //! Captures the `fields` list serde passes to `deserialize_struct`.
    use serde::de::{self, Deserialize, Visitor};
    use std::fmt;

    #[derive(Debug)]
    struct Stop;
    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("introspection")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    struct Catch<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for Catch<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    pub fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
        let mut out: &'static [&'static str] = &[];
        let _ = T::deserialize(Catch(&mut out));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn paths_in_words() {
        assert_eq!(in_words("title"), "`title`");
        assert_eq!(in_words("period.start"), "`period.start`");
        assert_eq!(in_words("target_groups.0"), "item 1 of `target_groups`");
        assert_eq!(
            in_words("partners.1.name"),
            "`name` of item 2 of `partners`"
        );
        assert_eq!(
            in_words("editions.0.entries.2.title"),
            "`title` of item 3 of `entries` in item 1 of `editions`"
        );
    }

    #[test]
    fn allowed_keys_are_listed_and_cut() {
        assert_eq!(
            allowed_keys(&["start", "end"]),
            " (allowed here: `start`, `end`)"
        );
        let many = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        assert_eq!(
            allowed_keys(&many),
            " (allowed here: `a`, `b`, `c`, `d`, `e`, `f`, `g`, `h`, and 2 more)"
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[allow(dead_code)]
        name: String,
    }

    #[derive(Debug, Deserialize)]
    struct Dated {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        when: crate::date::PartialDate,
    }

    fn schema(p: &str) -> Option<&'static [&'static str]> {
        match p {
            "" => Some(field_names::<Doc>()),
            "items.*" => Some(field_names::<Item>()),
            _ => None,
        }
    }

    #[test]
    fn positions_match_file_lines() {
        let text = "---\ntitle: a\nitems:\n  - name: x\n  - { name: y }\n";
        let (doc, pos): (Doc, _) = parse(text, &schema).unwrap();
        assert_eq!(doc.title, "a");
        assert_eq!(doc.items.len(), 2);
        assert_eq!(pos.value("title"), Pos { line: 2, column: 8 });
        assert_eq!(pos.key("items.1.name"), Pos { line: 5, column: 7 });
        assert_eq!(
            pos.value("items.1.name"),
            Pos {
                line: 5,
                column: 13
            }
        );
        assert_eq!(pos.value("items.1.missing"), Pos { line: 5, column: 5 });
    }

    #[test]
    fn dutch_thousands_separators() {
        assert_eq!(thousands("1.550").as_deref(), Some("1550"));
        assert_eq!(thousands("12.500.000").as_deref(), Some("12500000"));
        assert_eq!(thousands("1.55"), None);
        assert_eq!(thousands("1550"), None);
        assert_eq!(thousands("0.550"), None);
        assert_eq!(thousands("1.5500"), None);
        assert_eq!(thousands("1,550"), None);
    }

    #[test]
    fn plain_scalars_as_written() {
        let text =
            "---\ntitle: 1.550 # duizendtal\nitems:\n  - { name: 1.550 }\n  - name: \"1.550\"\n";
        let (_, pos): (Doc, _) = parse(text, &schema).unwrap();
        assert_eq!(pos.written("title"), Some("1.550"));
        assert_eq!(pos.written("items.0.name"), Some("1.550"));
        assert_eq!(pos.written("items.1.name"), None);
        assert_eq!(pos.written("items.2.name"), None);
        assert!(pos.has_grouped_number());
        let (_, plain): (Doc, _) = parse("---\ntitle: 1.55\nitems: []\n", &schema).unwrap();
        assert!(!plain.has_grouped_number());
    }

    #[test]
    fn a_misspelt_keys_value_is_checked_at_its_place_in_the_file() {
        // `titel` is read as `title`; its list is the wrong kind of value, found on line 2
        // (not on a line of the document written again without the unknown key).
        let text = "---\ntitel: [a, b]\nitems:\n  - nam: [x]\n";
        let errs = parse::<Doc>(text, &schema).unwrap_err();
        let got: Vec<_> = errs
            .iter()
            .map(|e| (e.pos.line, e.pos.column, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 1, "unknown key `titel` (did you mean `title`?)"),
                (2, 8, "expected text, found a list"),
                (4, 5, "unknown key `nam` (did you mean `name`?)"),
                (4, 10, "expected text, found a list"),
            ]
        );
    }

    #[test]
    fn reports_every_unknown_and_duplicate_key() {
        let text = "---\ntitel: a\ntitle: b\ntitle: c\nitems:\n  - nam: x\n";
        let errs = parse::<Doc>(text, &schema).unwrap_err();
        let got: Vec<_> = errs
            .iter()
            .map(|e| (e.pos.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "unknown key `titel` (did you mean `title`?)"),
                (4, "duplicate key `title` (first given on line 3)"),
                (6, "unknown key `nam` (did you mean `name`?)"),
            ]
        );
    }

    #[test]
    fn a_rejected_document_is_salvaged_without_what_it_could_not_read() {
        let text = "title: a\nitemz: 1\nitems:\n  - name: x\n  - name: [1]\n  - name: TODO\n";
        let s = salvage::<Doc>(text, &schema).unwrap();
        assert_eq!(s.value.title, "a");
        assert_eq!(s.value.items.len(), 3);
        let mut repaired = s.repaired.clone();
        repaired.sort();
        assert_eq!(repaired, ["items.1.name", "items.2.name", "itemz"]);
        assert_eq!(
            s.positions.value("items.0.name"),
            Pos {
                line: 4,
                column: 11
            }
        );
        assert!(salvage::<Doc>("title: [a\n", &schema).is_none(), "not YAML");
        assert!(
            salvage::<Doc>("title: a\ntitle: b\n", &schema).is_none(),
            "duplicate key"
        );
    }

    #[test]
    fn locates_type_and_syntax_errors() {
        let errs = parse::<Doc>("---\ntitle: [a\n", &schema).unwrap_err();
        assert_eq!(errs[0].pos.line, 3);
        let errs = parse::<Doc>("---\ntitle: a\nitems:\n  - name: [1]\n", &schema).unwrap_err();
        assert_eq!(errs[0].pos.line, 4, "{errs:?}");
        let errs = parse::<Dated>("---\ntitle: a\nwhen: 2009-13\n", &|_| None).unwrap_err();
        assert_eq!((errs[0].pos.line, errs[0].pos.column), (3, 7), "{errs:?}");
    }

    #[test]
    fn keeps_where_an_unclosed_construct_opened() {
        let m = plain_message("did not find expected ',' or ']' at line 9 column 9, while parsing a flow sequence at line 8 column 9");
        assert_eq!(
            m,
            "did not find expected ',' or ']' (the flow sequence opened on line 8, column 9)"
        );
        assert_eq!(
            plain_message("invalid type: string at line 2 column 3"),
            "invalid type: string"
        );
    }

    #[test]
    fn an_alias_bomb_before_a_syntax_error_still_locates_the_syntax_error() {
        let mut text = String::from("---\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
        for n in 1..9 {
            let aliases = vec![format!("*l{}", n - 1); 10].join(", ");
            text.push_str(&format!("l{n}: &l{n} [{aliases}]\n"));
        }
        text.push_str("title: [\n");
        let errs = parse::<Doc>(&text, &|_| None).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].pos.line >= 11, "{errs:?}");
        assert!(!errs[0].message.contains("repetition"), "{errs:?}");
    }

    #[test]
    fn type_errors_and_tabs_are_put_in_plain_words() {
        let errs = parse::<Dated>("---\ntitle: [a]\nwhen: 2009\n", &|_| None).unwrap_err();
        assert_eq!(errs[0].message, "expected text, found a list", "{errs:?}");
        assert_eq!(
            invalid_type("invalid type: string \"85\", expected f64").unwrap(),
            "expected a number, found the text \"85\" (write the number without quotes)"
        );
        assert_eq!(
            invalid_type("invalid type: sequence, expected struct PracticeMeta").unwrap(),
            "expected keys with values (`key: value`), found a list"
        );
        assert_eq!(
            invalid_type("invalid type: floating point `1.5`, expected usize").unwrap(),
            "expected a whole number of zero or more, found the number `1.5`"
        );
        assert_eq!(
            invalid_type("invalid value: integer `-1`, expected u32").unwrap(),
            "expected a whole number of zero or more, found the number `-1`"
        );
        assert_eq!(
            invalid_type("invalid type: string \"85,5\", expected f64").unwrap(),
            "expected a number, found the text \"85,5\" (numbers take a decimal point: `85.5`)"
        );
        let errs = parse::<Doc>("---\ntitle: a\nitems:\n\t- name: x\n", &schema).unwrap_err();
        assert!(
            errs[0]
                .message
                .ends_with("(this line has a tab: YAML indents and separates with spaces only)"),
            "{errs:?}"
        );
        let errs =
            parse::<Doc>("---\ntitle: a\nitems:\n  - { name: x, 5: y }\n", &schema).unwrap_err();
        assert!(errs[0].message.contains("decimal comma"), "{errs:?}");
    }

    #[test]
    fn a_tag_or_an_unused_anchor_is_reported_where_it_is_written() {
        let errs = parse_strict::<Dated>("---\ntitle: !Werk\nwhen: 2009\n", &|_| None).unwrap_err();
        assert_eq!(
            errs,
            vec![YamlError {
                pos: Pos { line: 2, column: 8 },
                message:
                    "a value cannot start with `!` unless it is in quotes: write `title: \"!Werk\"`"
                        .into()
            }]
        );
        let errs = parse_strict::<Dated>("title: &werk x\nwhen: 2009\n", &|_| None).unwrap_err();
        assert_eq!((errs[0].pos.line, errs[0].pos.column), (1, 8), "{errs:?}");
        // An anchor an alias refers to is meant; a core tag is YAML's own.
        assert!(parse::<Dated>("title: &t x\nwhen: *t\n", &|_| None)
            .is_err_and(|e| e[0].message.contains("date")));
        assert!(parse_strict::<Dated>("title: !!str 12\nwhen: 2009\n", &|_| None).is_ok());
    }

    #[test]
    fn reads_field_names_from_serde() {
        assert_eq!(field_names::<Doc>(), &["title", "items"]);
    }
}
