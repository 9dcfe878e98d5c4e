//! A memo map carried from one incremental pass to the next.
//!
//! The dev server's passes look up nearly every entry of their memos (tens of thousands of
//! pages, cards and records at 10,000 practices) and make only a few new ones. Building a new
//! map of everything a pass used, as a memo would by default, costs an insert under a lock per
//! entry and the drop of the old map: milliseconds on every save. A [`Carried`] map is instead
//! kept from pass to pass: during a pass a lookup marks its entry as used (one relaxed atomic
//! store) and new entries are gathered aside; [`Carried::end_pass`] adds them and drops every
//! entry the pass did not use, so the map holds only what the last pass used and does not grow.
//! Lookups see only what earlier passes made, never an entry made in the same pass.
//!
//! This module knows nothing of what the entries are; `render::memo` uses it.

use std::hash::Hash;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

use foldhash::HashMap;

/// Entries by key, each with the number of the last pass that used it, and the entries made by
/// the pass under way.
#[derive(Debug)]
pub struct Carried<K, V> {
    entries: HashMap<K, Slot<V>>,
    /// The number of the pass under way.
    pass: u32,
    made: Mutex<Vec<(K, V)>>,
}

#[derive(Debug)]
struct Slot<V> {
    value: V,
    used: AtomicU32,
}

impl<K, V> Default for Carried<K, V> {
    fn default() -> Self {
        Carried {
            entries: HashMap::default(),
            pass: 1,
            made: Mutex::new(Vec::new()),
        }
    }
}

impl<K: Eq + Hash, V> Carried<K, V> {
    /// How many entries the map holds (those made by the pass under way not counted).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for `key` made by an earlier pass, which the pass under way then keeps.
    pub fn get(&self, key: &K) -> Option<&V> {
        let slot = self.entries.get(key)?;
        slot.used.store(self.pass, Ordering::Relaxed);
        Some(&slot.value)
    }

    /// Adds an entry made by the pass under way (seen by the next pass, not by this one).
    pub fn insert(&self, key: K, value: V) {
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((key, value));
    }

    /// What an earlier pass kept for `key`, or without it what `make` makes, added for the next
    /// pass. Debug builds (every test) make it anyway and check that both agree, so a key that
    /// misses a dependency of `what` fails the tests instead of serving something stale.
    pub fn found_or_made(&self, key: K, make: impl FnOnce() -> V, what: &str) -> V
    where
        V: PartialEq + Clone,
    {
        match self.get(&key) {
            Some(v) => {
                if cfg!(debug_assertions) {
                    assert!(*v == make(), "{what}: a key misses a dependency");
                }
                v.clone()
            }
            None => {
                let v = make();
                self.insert(key, v.clone());
                v
            }
        }
    }

    /// Ends the pass under way: adds what it made and keeps, of the rest, what it used, or,
    /// after a pass that stopped early (`whole` false: it did not look up all it would have
    /// used), everything.
    pub fn end_pass(&mut self, whole: bool) {
        let pass = self.pass;
        if whole {
            self.entries.retain(|_, slot| *slot.used.get_mut() == pass);
        }
        let made = std::mem::take(self.made.get_mut().unwrap_or_else(PoisonError::into_inner));
        self.entries.reserve(made.len());
        for (key, value) in made {
            let used = AtomicU32::new(pass);
            self.entries.insert(key, Slot { value, used });
        }
        if !whole {
            for slot in self.entries.values_mut() {
                *slot.used.get_mut() = pass;
            }
        }
        self.pass = pass.wrapping_add(1);
    }
}

impl<K: Eq + Hash, V> FromIterator<(K, V)> for Carried<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let entries = iter
            .into_iter()
            .map(|(k, value)| {
                let used = AtomicU32::new(0);
                (k, Slot { value, used })
            })
            .collect();
        Carried {
            entries,
            ..Carried::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_a_pass_used_or_made_and_drops_the_rest() {
        let mut map: Carried<u32, &str> = [(1, "a"), (2, "b"), (3, "c")].into_iter().collect();
        assert_eq!(map.get(&1), Some(&"a"));
        assert_eq!(map.get(&9), None);
        map.insert(4, "d");
        // Made in this pass: not seen until the next.
        assert_eq!(map.get(&4), None);
        map.end_pass(true);
        assert_eq!(map.len(), 2);
        assert_eq!(map.get(&1), Some(&"a"));
        assert_eq!(map.get(&4), Some(&"d"));
        assert_eq!(map.get(&2), None);
        map.end_pass(true);
        assert_eq!(map.len(), 2);
        // Nothing used in this pass: everything goes.
        map.end_pass(true);
        assert!(map.is_empty());
    }

    #[test]
    fn a_stopped_pass_keeps_everything() {
        let mut map: Carried<u32, &str> = [(1, "a"), (2, "b")].into_iter().collect();
        map.insert(3, "c");
        map.end_pass(false);
        assert_eq!(map.len(), 3);
        assert_eq!(map.get(&2), Some(&"b"));
        map.end_pass(true);
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn a_made_entry_replaces_a_used_one_with_its_key() {
        let mut map: Carried<u32, &str> = [(1, "old")].into_iter().collect();
        assert_eq!(map.get(&1), Some(&"old"));
        map.insert(1, "new");
        map.end_pass(true);
        assert_eq!(map.get(&1), Some(&"new"));
    }
}
