//! Front matter splitting and parsing: any text is cut at its fences and read into
//! `PracticeMeta`, or gives errors located inside the file; never a panic or a hang.
#![no_main]

use etalage::load::SourceFile;
use etalage::meta::{practice_schema, PracticeMeta};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = etalage::frontmatter::split(etalage::frontmatter::strip_bom(text)) {
        assert!(split.yaml.len() + split.body.len() <= text.len());
        assert!(split.body_line >= 3);
    }
    let file = SourceFile {
        path: "content/practices/fuzz.md".into(),
        text: text.to_string(),
    };
    // Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` each end one.
    let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
    match etalage::parse::parse_file::<PracticeMeta>(&file, &practice_schema) {
        Ok(parsed) => assert!(parsed.body_line <= lines + 1),
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in diags {
                assert_eq!(d.location.path, file.path);
                assert!(d.location.line >= 1 && d.location.line <= lines + 1, "{d}");
            }
        }
    }
});
