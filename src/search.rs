//! Full-text search: a Pagefind index of every practice, built from the typed data.
//!
//! Runs beside `render`, in the same build. Each practice goes to Pagefind (through its Rust
//! API) as one record: its searchable text (summary, places, partners, the Dutch labels of its
//! themes, target groups and instruments, awards, results and the write-up's plain text), the
//! fields a result shows (title, "place · period", slug), its filter values and a sort key.
//! Records rather than the rendered pages: the text is the same, and not parsing 10,000 HTML
//! pages a second time keeps indexing a fraction of the build. The index is Dutch (stemming
//! included), since the write-ups are Dutch whatever the interface language. Pagefind's files
//! (its JS, the WebAssembly search engine, index chunks, filters and one fragment per practice)
//! are returned under `pagefind/` for the caller to add to the output. Pure: no disk, no
//! printing.
//!
//! Filter values are machine keys (vocabulary keys, award slugs, decades as `1990`), so a shared
//! URL such as `/zoeken/?thema=sluitende-aanpak` reads the same in every interface language; the
//! search page maps them to labels (see `render::browse`).
//!
//! What a search downloads is kept small (bench/README.md, "Search"): the records go in in the
//! site's title order, so Pagefind's page order is the title order and a search with filters
//! only lists in that order without a sort index in Pagefind's metadata; a result's slug is read
//! from its URL, not stored; a result's fragment holds its fields and filters but not its text
//! (the search page shows the summary, never an excerpt); and the search page loads a filter
//! group's index only when the group is opened or used (`zoeken.js`).

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::Site;
use crate::record::Practice;
use crate::render::urls::practice_rel;
use crate::render::views::{place_text, Fmt};
use crate::render::{OutputFile, Strings};

/// The folder of the search bundle inside the output.
pub const DIR: &str = "pagefind";

/// The language the index is built for: the write-ups are Dutch.
pub const LANGUAGE: &str = "nl";

/// The filters of the search page, in display order, with their URL parameter names.
pub const FILTERS: &[&str] = &[
    "provincie",
    "gemeente",
    "thema",
    "doelgroep",
    "instrument",
    "prijs",
    "status",
    "startdecennium",
    "resultaten",
];

/// The value of the `resultaten` filter: practices with at least one measured result.
pub const WITH_RESULTS: &str = "gemeten";

/// The decade a year falls in, as its first year: 1997 → 1990.
pub fn decade(year: i32) -> i32 {
    year.div_euclid(10) * 10
}

/// The filter values of one practice, by filter name (see [`FILTERS`]).
pub fn filters(p: &Practice) -> BTreeMap<&'static str, Vec<String>> {
    let mut f: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    f.insert(
        "provincie",
        p.provinces.iter().map(|x| x.key().to_string()).collect(),
    );
    f.insert("gemeente", p.municipalities.clone());
    f.insert("thema", p.themes.clone());
    f.insert("doelgroep", p.target_groups.clone());
    f.insert("instrument", p.instruments.clone());
    let mut awards: Vec<String> = p.awards.iter().map(|a| a.award.clone()).collect();
    awards.dedup();
    f.insert("prijs", awards);
    f.insert("status", vec![p.status.key().to_string()]);
    f.insert(
        "startdecennium",
        vec![decade(p.period.start.year).to_string()],
    );
    if !p.results.is_empty() {
        f.insert("resultaten", vec![WITH_RESULTS.to_string()]);
    }
    f.retain(|_, v| !v.is_empty());
    f
}

/// One practice as the indexer gets it.
struct Entry {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

/// How much text of one practice is indexed. A write-up is a few thousand words; text far
/// beyond this (a pasted table of a million rows) is indexed up to here, so one such page
/// cannot stretch the build by minutes.
pub const MAX_INDEXED_BYTES: usize = 256 * 1024;

fn label<'a>(v: &'a crate::vocab::Vocabulary, key: &'a str) -> &'a str {
    v.get(key).map_or(key, |t| t.nl.as_str())
}

/// The searchable text of a practice, in Dutch: its summary, places, partners, the Dutch labels
/// of its themes, target groups and instruments, awards, results, and its write-up, each
/// distinct word once (see [`Words`]), up to [`MAX_INDEXED_BYTES`]. The title and summary are
/// searchable as fields too, and a result shows them rather than an excerpt of this text.
fn content(site: &Site, p: &Practice, words: &mut Words) -> String {
    words.start();
    words.add(&p.summary);
    for m in &p.municipalities {
        words.add(m);
    }
    for x in &p.provinces {
        words.add(x.key());
    }
    for x in &p.partners {
        words.add(&x.name);
    }
    let v = &site.vocab;
    for k in &p.themes {
        words.add(label(&v.themes, k));
    }
    for k in &p.target_groups {
        words.add(label(&v.target_groups, k));
    }
    for k in &p.instruments {
        words.add(label(&v.instruments, k));
    }
    for a in &p.awards {
        words.add(
            site.award(&a.award)
                .map_or(a.award.as_str(), |(_, x)| x.title.as_str()),
        );
        words.add(&a.edition);
    }
    for r in &p.results {
        words.add(&r.label);
    }
    words.add(&p.body_text);
    words.finish()
}

/// Collects every distinct word of some texts once, in order of first appearance, ignoring case
/// and the punctuation around words, up to [`MAX_INDEXED_BYTES`] (cut at a word). Every word
/// stays findable (with Dutch stemming); what is lost is only how often a word occurs, for
/// ranking. It makes Pagefind's work (per word) less than half: at 10,000 practices the index
/// takes about 8 s of CPU instead of 15 s. Its buffers are reused from one practice to the next.
struct Words {
    /// A 64-bit hash of the lowercase form of every word taken.
    seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<Identity>>,
    /// The lowercase form of the current word.
    lower: String,
    out: String,
    full: bool,
}

impl Words {
    fn new() -> Self {
        Words {
            seen: Default::default(),
            lower: String::new(),
            out: String::new(),
            full: false,
        }
    }

    fn start(&mut self) {
        self.seen.clear();
        self.out.clear();
        self.full = false;
    }

    fn add(&mut self, text: &str) {
        if self.full {
            return;
        }
        let bytes = text.as_bytes();
        // A word is a run of letters, digits, '-' and '\'', the last two trimmed from its
        // ends; every other character separates words. `runs` finds the runs of ASCII letters,
        // digits, '-', '\'' and non-ASCII characters; a run with a non-ASCII character is split
        // again by `char::is_alphanumeric`, since a quotation mark or a dash outside ASCII
        // separates words too.
        runs(bytes, |start, end, plain| {
            if plain {
                let (start, end) = trim_joiners(bytes, start, end);
                return start == end || self.take(&text[start..end], true);
            }
            let run = &text[start..end];
            if run.is_ascii() {
                let (start, end) = trim_joiners(bytes, start, end);
                return start == end || self.take(&text[start..end], false);
            }
            for word in run.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
                let word = word.trim_matches(|c: char| c == '-' || c == '\'');
                if !word.is_empty() && !self.take(word, false) {
                    return false;
                }
            }
            true
        });
    }

    /// Takes `word` unless it was taken before; false once the text is full. `plain`: the
    /// word is ASCII without capitals, its own lowercase form.
    fn take(&mut self, word: &str, plain: bool) -> bool {
        use xxhash_rust::xxh3::xxh3_64;
        // The set holds a 64-bit hash of the lowercase word, not the word: no allocation per
        // word. Two different words of one practice with the same hash (odds about 1 in 10^14)
        // would only lose the second from the index.
        let key = if plain {
            xxh3_64(word.as_bytes())
        } else if word.is_ascii() {
            self.lower.clear();
            self.lower.push_str(word);
            self.lower.make_ascii_lowercase();
            xxh3_64(self.lower.as_bytes())
        } else {
            self.lower.clear();
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
            xxh3_64(self.lower.as_bytes())
        };
        if !self.seen.insert(key) {
            return true;
        }
        let room = MAX_INDEXED_BYTES - self.out.len();
        let needed = word.len() + usize::from(!self.out.is_empty());
        if needed > room {
            if self.out.is_empty() {
                // One word longer than the limit: its start.
                let mut end = MAX_INDEXED_BYTES;
                while !word.is_char_boundary(end) {
                    end -= 1;
                }
                self.out.push_str(&word[..end]);
            }
            self.full = true;
            return false;
        }
        if !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(word);
        true
    }

    fn finish(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// How [`runs`] classes a byte: 1 for a byte of a word, 3 for a byte of a word that is not its
/// own lowercase form (an ASCII capital, or any byte of a character outside ASCII), 0 for
/// every other byte.
const CLASS: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'\'' {
            1
        } else if c.is_ascii_uppercase() || c >= 0x80 {
            3
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The word bytes and the cased word bytes (see [`CLASS`]) of up to 64 bytes, as bit masks.
fn masks(block: &[u8]) -> (u64, u64) {
    let (mut word, mut cased) = (0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        let c = u64::from(CLASS[usize::from(b)]);
        word |= (c & 1) << i;
        cased |= (c >> 1) << i;
    }
    (word, cased)
}

/// Calls `f` with the start, end and plainness (no cased byte) of every maximal run of word
/// bytes of `text` (see [`CLASS`]), in order, until `f` returns false. Runs start and end at
/// character boundaries, since every byte of a character outside ASCII is a word byte. The
/// bytes are classed 64 at a time into bit masks and the runs read from those: a byte loop
/// that branches at every word's start and end takes twice as long on prose.
fn runs(text: &[u8], mut f: impl FnMut(usize, usize, bool) -> bool) {
    let cased = |range: &[u8]| range.iter().any(|&b| CLASS[usize::from(b)] == 3);
    // A run still open at the end of the block before: where it started.
    let mut open: Option<usize> = None;
    let mut base = 0;
    while base < text.len() {
        let n = (text.len() - base).min(64);
        let (mut word, cased_bits) = masks(&text[base..base + n]);
        if let Some(start) = open {
            // How far the open run goes into this block.
            let len = (!word).trailing_zeros() as usize;
            if len >= n {
                base += n;
                continue;
            }
            open = None;
            if !f(start, base + len, !cased(&text[start..base + len])) {
                return;
            }
            word &= !((1u64 << len) - 1);
        }
        while word != 0 {
            let at = word.trailing_zeros() as usize;
            let len = (!(word >> at)).trailing_zeros() as usize;
            if at + len >= n {
                open = Some(base + at);
                break;
            }
            let bits = ((1u64 << len) - 1) << at;
            if !f(base + at, base + at + len, cased_bits & bits == 0) {
                return;
            }
            word &= !bits;
        }
        base += n;
    }
    if let Some(start) = open {
        f(start, text.len(), !cased(&text[start..]));
    }
}

/// `start..end` without the '-' and '\'' at its ends.
fn trim_joiners(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    let joiner = |b: u8| b == b'-' || b == b'\'';
    while start < end && joiner(bytes[start]) {
        start += 1;
    }
    while end > start && joiner(bytes[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// The hasher of the set of [`Words`]: its keys are hashes already.
#[derive(Default)]
struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What the indexer gets for practice `p`: its text, the fields results show (title, the
/// "place · period" line in the site's language, summary; the slug is in the URL) and its filter
/// values.
fn entry(site: &Site, fmt: &Fmt, p: &Practice, words: &mut Words) -> Entry {
    let kicker = format!(
        "{} · {}",
        place_text(&p.municipalities, fmt.t),
        fmt.period(&p.period.start, &p.period.end)
    );
    let meta = BTreeMap::from([
        ("title".to_string(), p.title.clone()),
        ("kicker".to_string(), kicker),
        ("summary".to_string(), p.summary.clone()),
    ]);
    Entry {
        // Relative to the site's root, not to the host: Pagefind's script puts the folder its
        // bundle is loaded from (the site's base path) in front of every result's URL.
        url: ["/", &practice_rel(&p.slug)].concat(),
        content: content(site, p, words),
        meta,
        filters: filters(p)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

/// Builds the search bundle for every practice of `site`.
pub fn index(site: &Site, strings: &Strings) -> Result<Vec<OutputFile>> {
    let fmt = Fmt {
        t: strings,
        lang: site.config.language,
    };
    // Pagefind is async; it gets a runtime of its own on a thread of its own, so the index
    // builds the same whether or not the caller already runs inside a tokio runtime (serve).
    // Every parallel step (rayon), the records' too, runs in a pool of its own: in the global
    // pool, which `render` keeps busy while the index is built beside it, a step waits until
    // every page is rendered (rayon's workers take outside work only when idle), and the index
    // then runs alone at the end.
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("etalage-search-{i}"))
        .build()
        .map_err(|e| Error::Search(e.to_string()))?;
    std::thread::scope(|s| {
        s.spawn(|| {
            pool.install(|| {
                let entries = entries(site, &fmt);
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::Search(e.to_string()))?;
                runtime.block_on(build(entries))
            })
        })
        .join()
        .unwrap_or_else(|_| Err(Error::Search("the indexer panicked".into())))
    })
}

/// Every practice's record, in the site's order (by title): Pagefind numbers its pages in the
/// order they are added, and lists the results of a search without words in that order.
fn entries(site: &Site, fmt: &Fmt) -> Vec<Entry> {
    use rayon::prelude::*;
    site.practices
        .par_iter()
        .map_init(Words::new, |words, p| entry(site, fmt, p, words))
        .collect()
}

/// Pagefind's errors (anyhow) with their causes.
fn err(e: impl std::fmt::Display) -> Error {
    Error::Search(format!("{e:#}"))
}

async fn build(entries: Vec<Entry>) -> Result<Vec<OutputFile>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    let options = PagefindServiceConfig::builder()
        .force_language(LANGUAGE.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(err)?;
    let records = entries
        .into_iter()
        .map(|e| (e.url, e.content, LANGUAGE.to_string(), e.meta, e.filters))
        .collect();
    // A result shows the practice's title, place and summary (`meta`), never an excerpt of
    // its text: the fragments leave the text out (a third of what a search downloads for its
    // results, most of what the index compresses).
    // Each record's words are read as the index is built, and its word map dropped once folded
    // in (a patched-in method, see vendor/pagefind/ETALAGE.md).
    index
        .add_custom_records_deferred(records, false)
        .await
        .map_err(err)?;
    // The pages' word data goes into the index build rather than being copied for it (a
    // patched-in method, see vendor/pagefind/ETALAGE.md), and is freed as it is used.
    let files = index.into_files().await.map_err(err)?;
    let mut out: Vec<OutputFile> = files
        .into_iter()
        .map(|f| {
            let name = f
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            OutputFile {
                path: format!("{DIR}/{name}"),
                bytes: f.contents.into(),
            }
        })
        // The bundled UIs and the playground are not used: the theme has its own search page.
        .filter(|f| !is_unused(&f.path))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Files of the bundle the theme does not load.
fn is_unused(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight.")
        || path.contains("/playground/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_start_at_round_years() {
        assert_eq!(decade(1997), 1990);
        assert_eq!(decade(2000), 2000);
        assert_eq!(decade(2009), 2000);
    }

    fn distinct(texts: &[&str]) -> String {
        let mut w = Words::new();
        w.start();
        for t in texts {
            w.add(t);
        }
        w.finish()
    }

    #[test]
    fn every_word_is_kept_once() {
        assert_eq!(
            distinct(&["Werk, werk en nog eens WERK: 's-Hertogenbosch (re-integratie)."]),
            "Werk en nog eens s-Hertogenbosch re-integratie"
        );
        assert_eq!(
            distinct(&["Één uitkering", "één Uitkering, ÉÉN twee"]),
            "Één uitkering twee"
        );
    }

    /// What `Words` keeps, the plain way: split at every character that is not a letter,
    /// digit, '-' or '\'', trim '-' and '\'' from the ends, keep each lowercase form once.
    fn reference(texts: &[&str]) -> String {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<&str> = Vec::new();
        for t in texts {
            for word in t.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
                let word = word.trim_matches(|c: char| c == '-' || c == '\'');
                if !word.is_empty() && seen.insert(word.to_lowercase()) {
                    out.push(word);
                }
            }
        }
        out.join(" ")
    }

    proptest::proptest! {
        #[test]
        fn words_are_the_plain_split(
            texts in proptest::collection::vec("[a-zA-Z0-9 ,.'\\-éÉëĲ“”–\n]{0,300}", 1..4)
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(distinct(&texts), reference(&texts));
        }

        /// Long words, across the 64-byte blocks `runs` reads.
        #[test]
        fn long_words_are_the_plain_split(
            text in "[a-zA-Zé'\\-]{0,150}( [a-zA-Zé“”'\\-]{0,100}){0,4}"
        ) {
            proptest::prop_assert_eq!(distinct(&[&text]), reference(&[&text]));
        }
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(distinct(&["kort"]), "kort");
        let long: String = (0..100_000).map(|i| format!("wérk{i} ")).collect();
        let c = distinct(&[&long]);
        assert!(c.len() <= MAX_INDEXED_BYTES && c.len() > MAX_INDEXED_BYTES - 20);
        assert!(long.starts_with(&format!("{c} ")));
        let one = "ä".repeat(MAX_INDEXED_BYTES);
        let c = distinct(&[&one, "meer"]);
        assert!(c.len() == MAX_INDEXED_BYTES && one.starts_with(&c));
    }

    #[test]
    fn a_practice_is_indexed_after_the_previous_one_was_cut() {
        let mut w = Words::new();
        w.start();
        w.add(&"x".repeat(MAX_INDEXED_BYTES + 1));
        w.add("later");
        assert_eq!(w.finish().len(), MAX_INDEXED_BYTES);
        w.start();
        w.add("werk werk");
        assert_eq!(w.finish(), "werk");
    }
}
