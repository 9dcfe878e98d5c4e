//! A whole practice file through parsing, validation, rendering and (for one input in eight)
//! search indexing: the bundled site with one practice replaced by the input either compiles
//! or fails with errors, every one located in a site file; never a panic or a hang.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use etalage::load::Sources;
use etalage::{Error, Options};
use libfuzzer_sys::fuzz_target;

const PRACTICE: &str = "content/practices/haarlem-samen.md";

fn sources() -> &'static Sources {
    static SOURCES: OnceLock<Sources> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        etalage::load_site(&root).expect("the bundled site loads")
    })
}

fuzz_target!(|text: &str| {
    let mut sources = sources().clone();
    let file = sources
        .practices
        .iter_mut()
        .find(|f| f.path == PRACTICE)
        .expect("the bundled site has the practice");
    file.text = text.to_string();
    // A private build leaves out the search index, feed and sitemap, which take most of the
    // time; one input in eight (by length, so reproducibly) gets the full public build.
    let full = text.len() % 8 == 0;
    let options = Options {
        extra: etalage::render::Extra {
            private: !full,
            ..Default::default()
        },
        ..Options::default()
    };
    match etalage::compile(&sources, &options) {
        Ok(compiled) => assert!(compiled.output.pages() > 0),
        Err(Error::Content(diags)) => {
            assert!(diags.iter().any(|d| d.is_error()));
            for d in &diags {
                assert!(d.location.line >= 1, "{d}");
                assert!(!d.location.path.is_empty(), "{d}");
            }
        }
        Err(e) => panic!("not a content error: {e}"),
    }
});
