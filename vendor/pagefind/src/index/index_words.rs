#[cfg(any(test, debug_assertions))]
use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

// A single word index chunk (`pagefind/index/*.pf_index`) is the CBOR of `[words]`, each word
// `[word, pages, additional_variants]`: see `write_word_index`.

/// A single word as an inverse index of all locations on the site
/// (etalage patch: its pages held as their CBOR, `Pages`, not as a `PackedPage` each)
#[derive(Clone, Debug)]
pub struct PackedWord {
    pub word: String,
    pub pages: Pages,
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Clone, Debug)]
pub struct PackedVariant {
    pub form: String,
    pub pages: Pages,
}

/// A set of locations on a given page (etalage patch: what `Pages` holds one of; kept for
/// the check of `write_word_index` against minicbor and for tests)
#[cfg(any(test, debug_assertions))]
#[derive(Encode, Clone, Debug, PartialEq)]
pub struct PackedPage {
    #[n(0)]
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    #[n(1)]
    pub locs: Vec<i32>,
    #[n(2)]
    pub meta_locs: Vec<i32>,
}

/// etalage patch: the pages of a word (or of a variant), in page order, as the CBOR of the
/// index chunk's array of `[page number, locs, meta_locs]`, each page number written as the
/// difference from the page before (the first from 0), as the chunk holds it. Pages are
/// written as they are added, in order, so the index builds without a `PackedPage` with two
/// vectors for every page of every word: at 10,000 pages about two million of them, 72 bytes
/// and an allocation each, where the CBOR takes about 8 bytes.
#[derive(Clone, Debug, Default)]
pub struct Pages {
    /// The pages' CBOR, without the array's head.
    bytes: Vec<u8>,
    count: u32,
    /// The page numbers of the first and the last page.
    first: u32,
    last: u32,
    /// Where the last page's `meta_locs` start in `bytes`, and how many there are.
    last_meta_at: u32,
    last_meta_len: u32,
    /// `locs` and `meta_locs` of every page, plus one per page: the measure of `chunk_index`.
    units: usize,
}

impl Pages {
    /// The bytes the pages take in a chunk, without the array's head.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// `chunk_index`'s measure of the pages: their `locs` and `meta_locs`, plus one each.
    pub fn units(&self) -> usize {
        self.units
    }

    /// Adds page `page_number`, which comes after every page added so far.
    pub fn push(&mut self, page_number: usize, locs: &[i32], meta_locs: &[i32]) {
        let page = page_number as u32;
        debug_assert!(self.count == 0 || page > self.last, "pages out of order");
        let previous = if self.count == 0 { 0 } else { self.last };
        if self.count == 0 {
            self.first = page;
        }
        head(&mut self.bytes, ARRAY, 3);
        head(&mut self.bytes, UNSIGNED, u64::from(page - previous));
        write_ints(locs, &mut self.bytes);
        self.last_meta_at = self.bytes.len() as u32;
        self.last_meta_len = meta_locs.len() as u32;
        write_ints(meta_locs, &mut self.bytes);
        self.count += 1;
        self.last = page;
        self.units += locs.len() + meta_locs.len() + 1;
    }

    /// Sets the `meta_locs` of page `page_number`, which is the last page if it was added,
    /// and is added without `locs` if not.
    pub fn set_meta_locs(&mut self, page_number: usize, meta_locs: &[i32]) {
        if self.count == 0 || self.last != page_number as u32 {
            self.push(page_number, &[], meta_locs);
            return;
        }
        self.bytes.truncate(self.last_meta_at as usize);
        self.units = self.units - self.last_meta_len as usize + meta_locs.len();
        self.last_meta_len = meta_locs.len() as u32;
        write_ints(meta_locs, &mut self.bytes);
    }

    /// Adds the pages of `next`, which all come after these.
    pub fn append(&mut self, next: Pages) {
        if next.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = next;
            return;
        }
        debug_assert!(next.first > self.last, "pages out of order");
        // The first page of `next` was written as the difference from 0: its head and page
        // number are written again, as the difference from the last page here.
        let skipped = 2 + head_len(next.bytes[1]);
        let before = self.bytes.len();
        head(&mut self.bytes, ARRAY, 3);
        head(&mut self.bytes, UNSIGNED, u64::from(next.first - self.last));
        let written = self.bytes.len() - before;
        self.bytes.extend_from_slice(&next.bytes[skipped..]);
        self.last_meta_at = (before + written - skipped) as u32 + next.last_meta_at;
        self.last_meta_len = next.last_meta_len;
        self.count += next.count;
        self.last = next.last;
        self.units += next.units;
    }

    /// The array of these pages, as a chunk holds it.
    fn write(&self, out: &mut Vec<u8>) {
        head(out, ARRAY, u64::from(self.count));
        out.extend_from_slice(&self.bytes);
    }

    /// The pages, read back from their CBOR, page numbers as written (each the difference from
    /// the page before).
    #[cfg(any(test, debug_assertions))]
    pub fn decode(&self) -> Vec<PackedPage> {
        let bytes = &self.bytes;
        let mut at = 0;
        let mut next = move || {
            let (major, x, n) = read_head(&bytes[at..]);
            at += n;
            (major, x)
        };
        let mut pages = Vec::new();
        for _ in 0..self.count {
            let _array = next();
            let (_, page_number) = next();
            let mut lists = [Vec::new(), Vec::new()];
            for list in &mut lists {
                let (_, n) = next();
                for _ in 0..n {
                    list.push(match next() {
                        (UNSIGNED, x) => x as i32,
                        (_, x) => (-1 - x as i64) as i32,
                    });
                }
            }
            let [locs, meta_locs] = lists;
            pages.push(PackedPage {
                page_number: page_number as usize,
                locs,
                meta_locs,
            });
        }
        pages
    }
}

/// The bytes of a CBOR head that starts with `first`, after that first byte.
fn head_len(first: u8) -> usize {
    match first & 0x1f {
        0..=23 => 0,
        24 => 1,
        25 => 2,
        26 => 4,
        _ => 8,
    }
}

/// A CBOR head at the start of `bytes`: its major type, argument and length.
#[cfg(any(test, debug_assertions))]
fn read_head(bytes: &[u8]) -> (u8, u64, usize) {
    let n = head_len(bytes[0]);
    let x = if n == 0 {
        u64::from(bytes[0] & 0x1f)
    } else {
        bytes[1..=n].iter().fold(0, |x, &b| x << 8 | u64::from(b))
    };
    (bytes[0] & 0xe0, x, 1 + n)
}

/// etalage patch: `WordIndex`'s CBOR, written straight into a buffer: the same bytes as
/// `minicbor::encode(WordIndex { words }, out)` would be for the same words with their pages
/// as `PackedPage`s (the derived encoders write each struct as an array of its fields, every
/// integer in its shortest form), without a call and a capacity check for every byte or two,
/// and the pages' CBOR copied as `Pages` holds it. Debug builds check each chunk against
/// minicbor (`encode_word_index` in `index/mod.rs`).
pub fn write_word_index(words: &[PackedWord], out: &mut Vec<u8>) {
    head(out, ARRAY, 1);
    head(out, ARRAY, words.len() as u64);
    for word in words {
        head(out, ARRAY, 3);
        head(out, TEXT, word.word.len() as u64);
        out.extend_from_slice(word.word.as_bytes());
        word.pages.write(out);
        head(out, ARRAY, word.additional_variants.len() as u64);
        for variant in &word.additional_variants {
            head(out, ARRAY, 2);
            head(out, TEXT, variant.form.len() as u64);
            out.extend_from_slice(variant.form.as_bytes());
            variant.pages.write(out);
        }
    }
}

/// The word index chunk as minicbor writes it, from the words' pages read back (debug
/// builds' check of `write_word_index`).
#[cfg(any(test, debug_assertions))]
pub fn minicbor_word_index(words: &[PackedWord]) -> Vec<u8> {
    #[derive(Encode)]
    struct Variant {
        #[n(0)]
        form: String,
        #[n(1)]
        pages: Vec<PackedPage>,
    }
    #[derive(Encode)]
    struct Word {
        #[n(0)]
        word: String,
        #[n(1)]
        pages: Vec<PackedPage>,
        #[n(2)]
        additional_variants: Vec<Variant>,
    }
    #[derive(Encode)]
    struct Index {
        #[n(0)]
        words: Vec<Word>,
    }
    let words = words
        .iter()
        .map(|w| Word {
            word: w.word.clone(),
            pages: w.pages.decode(),
            additional_variants: w
                .additional_variants
                .iter()
                .map(|v| Variant {
                    form: v.form.clone(),
                    pages: v.pages.decode(),
                })
                .collect(),
        })
        .collect();
    let mut out: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<Index, &mut Vec<u8>>(Index { words }, out.as_mut());
    out
}

const UNSIGNED: u8 = 0x00;
const SIGNED: u8 = 0x20;
const TEXT: u8 = 0x60;
const ARRAY: u8 = 0x80;

fn write_ints(ints: &[i32], out: &mut Vec<u8>) {
    head(out, ARRAY, ints.len() as u64);
    for &x in ints {
        if x >= 0 {
            head(out, UNSIGNED, x as u64);
        } else {
            head(out, SIGNED, (-1 - i64::from(x)) as u64);
        }
    }
}

/// A CBOR item head: the major type and its argument in the shortest form.
#[inline]
fn head(out: &mut Vec<u8>, major: u8, x: u64) {
    match x {
        0..=0x17 => out.push(major | x as u8),
        0x18..=0xff => out.extend_from_slice(&[major | 24, x as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(x as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(x as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&x.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(entries: &[(usize, &[i32], &[i32])]) -> Pages {
        let mut p = Pages::default();
        for &(n, locs, meta) in entries {
            p.push(n, locs, meta);
        }
        p
    }

    fn page(page_number: usize, locs: &[i32], meta_locs: &[i32]) -> PackedPage {
        PackedPage {
            page_number,
            locs: locs.to_vec(),
            meta_locs: meta_locs.to_vec(),
        }
    }

    #[test]
    fn pages_are_written_as_differences() {
        let p = pages(&[
            (3, &[1, -26, 5], &[]),
            (300, &[70000], &[-1, 2]),
            (301, &[], &[]),
        ]);
        assert_eq!(
            p.decode(),
            vec![
                page(3, &[1, -26, 5], &[]),
                page(297, &[70000], &[-1, 2]),
                page(1, &[], &[])
            ]
        );
        assert_eq!(p.units(), 3 + 1 + 3 + 1 + 1);
    }

    #[test]
    fn meta_locs_replace_the_last_pages_or_add_one() {
        let mut p = pages(&[(2, &[4], &[])]);
        p.set_meta_locs(2, &[-3, 1]);
        p.set_meta_locs(2, &[7]);
        p.set_meta_locs(9, &[8]);
        assert_eq!(p.decode(), vec![page(2, &[4], &[7]), page(7, &[], &[8])]);
        assert_eq!(p.units(), 1 + 1 + 1 + 1 + 1);
    }

    #[test]
    fn appended_pages_are_as_if_pushed() {
        let all: &[(usize, &[i32], &[i32])] = &[
            (0, &[1], &[]),
            (5, &[2, 3], &[4]),
            (40_000, &[9], &[]),
            (40_001, &[], &[1]),
        ];
        for cut in 0..=all.len() {
            let mut a = pages(&all[..cut]);
            a.append(pages(&all[cut..]));
            a.set_meta_locs(40_001, &[6]);
            let mut b = pages(all);
            b.set_meta_locs(40_001, &[6]);
            assert_eq!(a.decode(), b.decode(), "cut at {cut}");
            assert_eq!(a.bytes, b.bytes);
            assert_eq!(
                (a.count, a.first, a.last, a.units),
                (b.count, b.first, b.last, b.units)
            );
        }
    }
}
