//! A memo map carried from one incremental pass to the next.
//!
//! The dev server's passes look up nearly every entry of their memos (tens of thousands of
//! pages, cards and records at 10,000 practices) and make only a few new ones. Building a new
//! map of everything a pass used, as a memo would by default, costs an insert under a lock per
//! entry and the drop of the old map: milliseconds on every save. A [`Carried`] map is instead
//! handed to the next pass whole: a lookup marks its entry as used (one relaxed atomic store),
//! new entries are gathered aside, and [`Round::finish`] adds them and drops every entry the
//! pass did not use, so the memo still holds only what the last pass used and does not grow.
//! Lookups see only what earlier passes made, never an entry made in the same pass.
//!
//! This module knows nothing of what the entries are; `render::memo` and the other memos use it.

use std::hash::Hash;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

use foldhash::{HashMap, HashMapExt};

/// Entries by key, each with the number of the last pass that used it.
#[derive(Debug)]
pub struct Carried<K, V> {
    entries: HashMap<K, Slot<V>>,
    /// The number of the last pass.
    pass: u32,
}

#[derive(Debug)]
struct Slot<V> {
    value: V,
    used: AtomicU32,
}

impl<K, V> Default for Carried<K, V> {
    fn default() -> Self {
        Carried {
            entries: HashMap::new(),
            pass: 0,
        }
    }
}

impl<K: Eq + Hash, V> Carried<K, V> {
    /// How many entries the map holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Starts the next pass over this map.
    pub fn round(self) -> Round<K, V> {
        Round {
            pass: self.pass.wrapping_add(1),
            entries: self.entries,
            made: Mutex::new(Vec::new()),
        }
    }
}

/// One pass over a [`Carried`] map: lookups from any thread, new entries gathered aside.
#[derive(Debug)]
pub struct Round<K, V> {
    entries: HashMap<K, Slot<V>>,
    pass: u32,
    made: Mutex<Vec<(K, V)>>,
}

impl<K: Eq + Hash, V> Round<K, V> {
    /// The entry for `key` made by an earlier pass, which this pass then keeps.
    pub fn get(&self, key: &K) -> Option<&V> {
        let slot = self.entries.get(key)?;
        slot.used.store(self.pass, Ordering::Relaxed);
        Some(&slot.value)
    }

    /// Adds an entry made by this pass (seen by the next pass, not by this one).
    pub fn insert(&self, key: K, value: V) {
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((key, value));
    }

    /// The map for the next pass: the entries this pass used or made.
    pub fn finish(self) -> Carried<K, V> {
        let pass = self.pass;
        let mut entries = self.entries;
        entries.retain(|_, slot| *slot.used.get_mut() == pass);
        let made = self
            .made
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        entries.reserve(made.len());
        for (key, value) in made {
            let used = AtomicU32::new(pass);
            entries.insert(key, Slot { value, used });
        }
        Carried { entries, pass }
    }

    /// The map for the next pass after a pass that stopped early (an error): every entry is
    /// kept, since the pass did not look up all it would have used.
    pub fn keep_all(self) -> Carried<K, V> {
        let pass = self.pass;
        let mut entries = self.entries;
        for slot in entries.values_mut() {
            *slot.used.get_mut() = pass;
        }
        let made = self
            .made
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        for (key, value) in made {
            let used = AtomicU32::new(pass);
            entries.insert(key, Slot { value, used });
        }
        Carried { entries, pass }
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
        Carried { entries, pass: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_a_pass_used_or_made_and_drops_the_rest() {
        let map: Carried<u32, &str> = [(1, "a"), (2, "b"), (3, "c")].into_iter().collect();
        let round = map.round();
        assert_eq!(round.get(&1), Some(&"a"));
        assert_eq!(round.get(&9), None);
        round.insert(4, "d");
        // Made in this pass: not seen until the next.
        assert_eq!(round.get(&4), None);
        let map = round.finish();
        assert_eq!(map.len(), 2);
        let round = map.round();
        assert_eq!(round.get(&1), Some(&"a"));
        assert_eq!(round.get(&4), Some(&"d"));
        assert_eq!(round.get(&2), None);
        // Nothing used in this pass: everything goes.
        let map = round.finish().round().finish();
        assert!(map.is_empty());
    }

    #[test]
    fn a_stopped_pass_keeps_everything() {
        let map: Carried<u32, &str> = [(1, "a"), (2, "b")].into_iter().collect();
        let round = map.round();
        round.insert(3, "c");
        let map = round.keep_all();
        assert_eq!(map.len(), 3);
        let round = map.round();
        assert_eq!(round.get(&2), Some(&"b"));
        assert_eq!(round.finish().len(), 1);
    }

    #[test]
    fn a_made_entry_replaces_a_used_one_with_its_key() {
        let map: Carried<u32, &str> = [(1, "old")].into_iter().collect();
        let round = map.round();
        assert_eq!(round.get(&1), Some(&"old"));
        round.insert(1, "new");
        let round = round.finish().round();
        assert_eq!(round.get(&1), Some(&"new"));
    }
}
