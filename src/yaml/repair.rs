//! The errors after the first: serde stops at the first value it cannot read, and an editor
//! who fixes that one should not have to run `check` again to learn of the next.
//!
//! The document is read into a plain YAML value; each error's value is replaced by one of the
//! kind serde asked for (the first allowed word of a closed list, empty text, zero, an empty
//! list or mapping, a year for a date), a missing field is filled in the same way, and the
//! document is read again, until it reads or nothing more can be repaired. Errors at places this
//! repair made are its own doing and are not reported. Only files that fail pay for this; it
//! does not decide what a value means (the schema types do).

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use super::{plain_message, split_path, YamlError};

/// How many repairs one file gets: far more errors than anyone fixes in one go.
const MAX_REPAIRS: usize = 64;

/// The errors after `first` in reading `text` as a `T`, in the order serde meets them, each
/// placed by `locate`.
pub(super) fn later_errors<T: DeserializeOwned>(
    text: &str,
    first: &serde_yaml::Error,
    locate: &dyn Fn(&serde_yaml::Error) -> YamlError,
) -> Vec<YamlError> {
    let Ok(mut doc) = serde_yaml::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    let mut touched: HashSet<String> = HashSet::new();
    // How often each path was repaired: each time, the next kind of value is tried there.
    let mut tries: HashMap<String, usize> = HashMap::new();
    let mut message = plain_message(&first.to_string());
    for _ in 0..MAX_REPAIRS {
        let (path, rest) = split_path(&message);
        let path = path.unwrap_or_default();
        let attempt = next_try(&mut tries, &path, &rest);
        let Some(place) = repair(&mut doc, &path, &rest, attempt) else {
            break;
        };
        touched.insert(place);
        let again = serde_yaml::to_string(&doc)
            .ok()
            .and_then(|t| serde_yaml::from_str::<T>(&t).err());
        let Some(err) = again else { break };
        message = plain_message(&err.to_string());
        let (at, rest) = split_path(&message);
        let place = missing_field(&rest).map_or_else(
            || at.clone().unwrap_or_default(),
            |f| join(at.as_deref().unwrap_or(""), f),
        );
        if !touched.iter().any(|t| within(&place, t)) {
            let error = locate(&err);
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
    }
    errors
}

/// The document read as a `T` after repairing, in place, every value serde cannot read (as
/// [`later_errors`] does), or `None` if it still does not read; adds each path repaired to
/// `repaired`.
pub(super) fn until_read<T: DeserializeOwned>(
    doc: &mut Value,
    repaired: &mut Vec<String>,
) -> Option<T> {
    if doc.is_null() {
        // Front matter with nothing in it: a mapping without keys.
        *doc = Value::Mapping(Mapping::new());
    }
    let mut tries: HashMap<String, usize> = HashMap::new();
    for _ in 0..MAX_REPAIRS {
        let err = match serde_yaml::to_string(doc)
            .ok()
            .map(|t| serde_yaml::from_str::<T>(&t))?
        {
            Ok(value) => return Some(value),
            Err(err) => err,
        };
        let message = plain_message(&err.to_string());
        let (path, rest) = split_path(&message);
        let path = path.unwrap_or_default();
        let attempt = next_try(&mut tries, &path, &rest);
        repaired.push(repair(doc, &path, &rest, attempt)?);
    }
    None
}

/// How many times the place `message` is about (at `path`, or the missing field it names
/// there) was repaired before: each time, the next kind of value is tried there. Counted per
/// field, so each missing field of a mapping starts with the first kind.
fn next_try(tries: &mut HashMap<String, usize>, path: &str, message: &str) -> usize {
    // A missing field is filled in at its own count, apart from its value's repairs after.
    let place = missing_field(message).map_or_else(|| path.to_string(), |f| join(path, f) + "+");
    let count = tries.entry(place).or_default();
    *count += 1;
    *count - 1
}

/// Whether `path` is `base` or inside it.
pub fn within(path: &str, base: &str) -> bool {
    base.is_empty()
        || path == base
        || path
            .strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

/// The field of serde's "missing field `x`".
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// Puts a value of the kind `message` asks for at `path` (the `attempt`-th try there), or fills
/// in the missing field it names; returns the path it changed.
fn repair(doc: &mut Value, path: &str, message: &str, attempt: usize) -> Option<String> {
    if let Some(field) = missing_field(message) {
        let at = slot(doc, path)?;
        if at.is_null() {
            // An empty document (or mapping written as nothing): a mapping to fill in.
            *at = Value::Mapping(Mapping::new());
        }
        let Value::Mapping(map) = at else {
            return None;
        };
        map.insert(Value::String(field.into()), guess(attempt)?);
        return Some(join(path, field));
    }
    if path.is_empty() {
        return None;
    }
    let value = match (expected(message), attempt) {
        (Some(v), 0) => v,
        (_, n) => guess(n)?,
    };
    *slot(doc, path)? = value;
    Some(path.to_string())
}

/// The value at dotted `path` (`results.2.unit`).
pub(super) fn slot<'v>(doc: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut at = doc;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        at = match at {
            Value::Sequence(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            Value::Mapping(map) => map.get_mut(segment)?,
            _ => return None,
        };
    }
    Some(at)
}

/// A value of the kind serde's message expects, when it says.
fn expected(message: &str) -> Option<Value> {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let options = rest.split_once("expected ")?.1;
        let first = options.split('`').nth(1)?;
        return Some(Value::String(first.into()));
    }
    // The closed lists of `meta` say "unknown value `x`; allowed: a, b".
    if let Some((_, allowed)) = message.split_once("; allowed: ") {
        let first = allowed.split(", ").next()?;
        return Some(Value::String(first.into()));
    }
    let wanted = message.rsplit_once(", expected ")?.1;
    Some(match wanted {
        "f64" | "f32" | "i64" | "i32" | "u64" | "u32" | "u16" | "u8" | "usize" => {
            Value::Number(0.into())
        }
        "a string" => Value::String(String::new()),
        "a boolean" => Value::Bool(false),
        "a sequence" => Value::Sequence(Vec::new()),
        w if w.starts_with("struct ") || w.contains("map") => Value::Mapping(Mapping::new()),
        _ => return None,
    })
}

/// The `n`-th value to try where the message does not say what is wanted.
fn guess(n: usize) -> Option<Value> {
    Some(match n {
        0 => Value::String("2000".into()),
        1 => Value::String(String::new()),
        2 => Value::Number(0.into()),
        3 => Value::Sequence(Vec::new()),
        4 => Value::Mapping(Mapping::new()),
        5 => Value::Bool(false),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_by_the_kind_serde_asks_for() {
        assert_eq!(
            expected("unknown variant `afgelopen`, expected one of `lopend`, `afgerond`"),
            Some(Value::String("lopend".into()))
        );
        assert_eq!(
            expected("invalid type: string \"x\", expected f64"),
            Some(Value::Number(0.into()))
        );
        assert_eq!(
            expected("unknown value `x` (did you mean `a`?); allowed: lopend, afgerond"),
            Some(Value::String("lopend".into()))
        );
        assert_eq!(expected("invalid date `2009-13`"), None);
        let mut doc: Value = serde_yaml::from_str("a:\n  - { b: 1 }\n").unwrap();
        assert_eq!(
            repair(&mut doc, "a.0", "missing field `c`", 0).as_deref(),
            Some("a.0.c")
        );
        assert_eq!(
            slot(&mut doc, "a.0.c"),
            Some(&mut Value::String("2000".into()))
        );
        assert!(within("a.0.c", "a.0") && !within("a.01", "a.0") && within("x", ""));
    }
}
