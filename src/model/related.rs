//! Similar practices: per practice, the `n` practices that share the most themes, instruments
//! and target groups with it, ties broken by list order.
//!
//! Every term (a theme, instrument or target group key) gets a bit, a practice's terms are a
//! bit set, and the score of a pair is the number of bits both sets have: one AND and one
//! popcount per word, over sets laid out side by side, which the compiler vectorises. Each
//! practice is compared with the [`WINDOW`] practices around it in list order, so the step
//! grows linearly with the site; on a site of up to `WINDOW + 1` practices the ranking is
//! exact. Pure; the explicit `related` lists are the caller's.

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use super::PracticeId;

/// A practice's terms by kind: its themes, instruments and target groups.
pub type Terms<'a> = [&'a [String]; 3];

/// How many practices around each practice (in list order) it is compared with.
const WINDOW: usize = 8192;

/// Every practice's terms as a bit set of `words` words, side by side.
struct Sets {
    words: usize,
    bits: Vec<u64>,
}

fn sets(practices: &[Terms]) -> Sets {
    let mut bit: HashMap<(usize, &str), usize> = HashMap::new();
    for p in practices {
        for (kind, keys) in p.iter().enumerate() {
            for k in keys.iter() {
                let next = bit.len();
                bit.entry((kind, k.as_str())).or_insert(next);
            }
        }
    }
    let words = bit.len().div_ceil(64).max(1);
    let mut bits = vec![0u64; practices.len() * words];
    for (i, p) in practices.iter().enumerate() {
        for (kind, keys) in p.iter().enumerate() {
            for k in keys.iter() {
                let b = bit[&(kind, k.as_str())];
                bits[i * words + b / 64] |= 1 << (b % 64);
            }
        }
    }
    Sets { words, bits }
}

/// The ids compared with practice `i` of `len`: `WINDOW + 1` around it, shifted at the ends.
fn window(i: usize, len: usize) -> std::ops::Range<usize> {
    let lo = i
        .saturating_sub(WINDOW / 2)
        .min(len.saturating_sub(WINDOW + 1));
    lo..len.min(lo + WINDOW + 1)
}

/// Per practice, up to `n` most similar practices (sharing at least one term) that are not
/// the practice itself and not in its `skip` list, most similar first.
pub fn similar(practices: &[Terms], skip: &[Vec<PracticeId>], n: usize) -> Vec<Vec<PracticeId>> {
    let s = sets(practices);
    let w = s.words;
    (0..practices.len())
        .into_par_iter()
        .map_init(Vec::new, |scores: &mut Vec<u8>, i| {
            let range = window(i, practices.len());
            let mine = &s.bits[i * w..][..w];
            let theirs = &s.bits[range.start * w..range.end * w];
            scores.clear();
            if let [one] = mine {
                // The usual case (at most 64 terms), as a loop the compiler vectorises.
                scores.extend(theirs.iter().map(|b| (one & b).count_ones() as u8));
            } else {
                scores.extend(theirs.chunks_exact(w).map(|theirs| {
                    let shared: u32 = mine
                        .iter()
                        .zip(theirs)
                        .map(|(a, b)| (a & b).count_ones())
                        .sum();
                    shared.min(u32::from(u8::MAX)) as u8
                }));
            }
            top(scores, range.start, n, |j| j == i || skip[i].contains(&j))
        })
        .collect()
}

/// The ids (`first + index`) of the `n` highest non-zero `scores`, highest first, ties by id,
/// leaving out the ids `skip` names.
fn top(scores: &[u8], first: usize, n: usize, skip: impl Fn(usize) -> bool) -> Vec<PracticeId> {
    let mut out = Vec::with_capacity(n);
    let mut level = scores.iter().copied().max().unwrap_or(0);
    while level > 0 {
        for k in memchr::memchr_iter(level, scores) {
            if !skip(first + k) {
                out.push(first + k);
                if out.len() == n {
                    return out;
                }
            }
        }
        level = scores
            .iter()
            .map(|&s| if s < level { s } else { 0 })
            .max()
            .unwrap_or(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|s| s.to_string()).collect()
    }

    /// Runs [`similar`] on practices given as (themes, instruments).
    fn run(ps: &[(&[&str], &[&str])], skip: &[Vec<PracticeId>]) -> Vec<Vec<PracticeId>> {
        let owned: Vec<[Vec<String>; 2]> = ps.iter().map(|(t, i)| [owned(t), owned(i)]).collect();
        let terms: Vec<Terms> = owned
            .iter()
            .map(|[t, i]| [&t[..], &i[..], &[][..]])
            .collect();
        similar(&terms, skip, 3)
    }

    #[test]
    fn most_shared_terms_first_ties_in_list_order_skips_excluded() {
        let ps: Vec<(&[&str], &[&str])> = vec![
            (&["a", "b"], &["x"]),
            (&["a"], &[]),
            (&["a", "b"], &[]),
            (&["c"], &["x"]),
            (&["a", "b"], &["x"]),
            (&["d"], &[]),
            (&["a"], &[]),
        ];
        let none = vec![Vec::new(); ps.len()];
        let got = run(&ps, &none);
        // 0 shares three terms with 4, two with 2, one with 1, 3 and 6.
        assert_eq!(got[0], [4, 2, 1]);
        assert_eq!(
            got[5],
            Vec::<usize>::new(),
            "no shared term, nothing similar"
        );
        assert_eq!(got[6], [0, 1, 2], "ties in list order");
        let mut skip = none.clone();
        skip[0] = vec![4, 1];
        assert_eq!(run(&ps, &skip)[0], [2, 3, 6]);
    }

    #[test]
    fn a_theme_and_an_instrument_with_the_same_key_are_different_terms() {
        let ps: Vec<(&[&str], &[&str])> = vec![(&["x"], &[]), (&[], &["x"])];
        assert_eq!(run(&ps, &[vec![], vec![]])[0], Vec::<usize>::new());
    }

    #[test]
    fn more_than_64_terms_use_more_words() {
        let many: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let ps: Vec<(&[&str], &[&str])> = vec![
            (&refs[..100], &[]),
            (&refs[140..], &[]),
            (&refs[90..], &[]),
            (&refs[99..101], &[]),
        ];
        let got = run(&ps, &vec![Vec::new(); 4]);
        assert_eq!(got[0], [2, 3]);
        assert_eq!(got[1], [2]);
    }

    #[test]
    fn windows_hold_the_practice_and_keep_their_width_at_the_ends() {
        let len = 3 * WINDOW;
        for i in [0, 1, WINDOW, len / 2, len - 2, len - 1] {
            let r = window(i, len);
            assert!(r.contains(&i), "{i}");
            assert_eq!(r.len(), WINDOW + 1, "{i}");
        }
        assert_eq!(window(3, 10), 0..10);
    }
}
