use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
#[derive(Encode)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A set of locations on a given page
#[derive(Encode, Clone, Debug)]
pub struct PackedPage {
    #[n(0)]
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    #[n(1)]
    pub locs: Vec<i32>,
    #[n(2)]
    pub meta_locs: Vec<i32>,
}

/// etalage patch: `WordIndex`'s CBOR, written straight into a buffer: the same bytes as
/// `minicbor::encode(WordIndex { words }, out)` (the derived encoders write each struct as an
/// array of its fields, every integer in its shortest form), without a call and a capacity
/// check for every byte or two. At 10,000 pages the chunks hold about two million page
/// entries; debug builds check each chunk against minicbor (`encode_word_index` in
/// `index/mod.rs`).
pub fn write_word_index(words: &[PackedWord], out: &mut Vec<u8>) {
    head(out, ARRAY, 1);
    head(out, ARRAY, words.len() as u64);
    for word in words {
        head(out, ARRAY, 3);
        head(out, TEXT, word.word.len() as u64);
        out.extend_from_slice(word.word.as_bytes());
        write_pages(&word.pages, out);
        head(out, ARRAY, word.additional_variants.len() as u64);
        for variant in &word.additional_variants {
            head(out, ARRAY, 2);
            head(out, TEXT, variant.form.len() as u64);
            out.extend_from_slice(variant.form.as_bytes());
            write_pages(&variant.pages, out);
        }
    }
}

const UNSIGNED: u8 = 0x00;
const SIGNED: u8 = 0x20;
const TEXT: u8 = 0x60;
const ARRAY: u8 = 0x80;

fn write_pages(pages: &[PackedPage], out: &mut Vec<u8>) {
    head(out, ARRAY, pages.len() as u64);
    for page in pages {
        head(out, ARRAY, 3);
        head(out, UNSIGNED, page.page_number as u64);
        write_ints(&page.locs, out);
        write_ints(&page.meta_locs, out);
    }
}

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
