//! Properties over generated input (proptest): hostile text in front matter is only ever
//! escaped, hostile Markdown never yields script, and builds are deterministic.

use std::sync::OnceLock;

use etalage::load::Sources;
use etalage::Options;
use proptest::prelude::*;

use crate::harness::fixture;

const PRACTICE: &str = "content/practices/haarlem-samen.md";

/// The small fixture site, loaded once.
fn sources() -> &'static Sources {
    static SOURCES: OnceLock<Sources> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let site = fixture("pages/small");
        etalage::load_site(&site.root).unwrap()
    })
}

fn with_practice(text: String) -> Sources {
    let mut s = sources().clone();
    let file = s.practices.iter_mut().find(|f| f.path == PRACTICE).unwrap();
    file.text = text;
    s
}

/// A YAML double-quoted scalar holding `s`.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text with markup-significant characters, never empty, never only spaces.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("\"><svg onload=alert(1)>".to_string()),
        Just("&amp;&lt;&#60;".to_string()),
        Just("]]><!--".to_string()),
        Just("</title></script>".to_string()),
        "[a-zA-Z0-9 '&<>/=]{1,12}",
    ];
    prop::collection::vec(piece, 1..4).prop_map(|v| format!("X{}", v.concat()))
}

fn outputs_text(sources: &Sources) -> Option<Vec<(String, String)>> {
    let compiled = etalage::compile(sources, &Options::default()).ok()?;
    Some(
        compiled
            .output
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html") || f.path.ends_with(".xml"))
            .map(|f| {
                (
                    f.path.clone(),
                    String::from_utf8_lossy(&f.bytes).into_owned(),
                )
            })
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_text_is_only_ever_escaped(s in hostile_text(), field in 0usize..5) {
        let original = &sources().practices.iter().find(|f| f.path == PRACTICE).unwrap().text;
        let quoted = yaml_quoted(&s);
        let text = match field {
            0 => original.replace("title: Project SAMEN", &format!("title: {quoted}")),
            1 => original.replace("summary: Haarlem en KLIQ starten direct een traject en pakken belemmeringen meteen aan.", &format!("summary: {quoted}")),
            2 => original.replace("name: Gemeente Haarlem", &format!("name: {quoted}")),
            3 => original.replace("label: Aan het werk", &format!("label: {quoted}")),
            _ => original.replace("title: Persbericht over de Werksleutel", &format!("title: {quoted}")),
        };
        prop_assume!(&text != original);
        // Over-long values are rejected with an error, which is fine; a built site must be safe.
        if let Some(files) = outputs_text(&with_practice(text)) {
            // A raw `<` can only come from unescaped text (escaping never produces one).
            if s.contains('<') {
                for (path, body) in &files {
                    prop_assert!(!body.contains(s.as_str()), "{} holds the raw value {:?}", path, s);
                }
            }
        }
    }

    #[test]
    fn markdown_never_yields_script(parts in prop::collection::vec(markdown_piece(), 1..12)) {
        let body = parts.join("\n\n");
        let out = etalage::markdown::render(&body, 1, &|_| None).html;
        let lower = out.to_ascii_lowercase();
        prop_assert!(!lower.contains("<script"), "script in {}", out);
        let handler = regex::Regex::new(r#"<[^>]*\son[a-z]+\s*="#).unwrap();
        prop_assert!(!handler.is_match(&lower), "event handler in {}", out);
        // URLs in the attributes of real tags (escaped text such as `&lt;a href="…"` in a code
        // block is not one).
        let tag = regex::Regex::new(r#"<[a-z][^>]*>"#).unwrap();
        let url = regex::Regex::new(r#"(?:href|src)\s*=\s*"([^"]*)""#).unwrap();
        for cap in tag.find_iter(&lower).flat_map(|t| url.captures_iter(t.as_str())) {
            let value: String = cap[1].chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            prop_assert!(!value.starts_with("javascript:") && !value.starts_with("vbscript:") && !value.starts_with("data:text"), "script URL in {}", out);
        }
    }

    #[test]
    fn builds_are_byte_identical(s in "[a-z ]{1,20}") {
        let original = &sources().practices.iter().find(|f| f.path == PRACTICE).unwrap().text;
        let sources = with_practice(original.replace("Haarlem begon", &format!("Haarlem {s} begon")));
        let a = etalage::compile(&sources, &Options::default()).unwrap().output;
        let b = etalage::compile(&sources, &Options::default()).unwrap().output;
        prop_assert!(a == b);
    }
}

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<SCRIPT SRC=//x.example/x.js></SCRIPT>".to_string()),
        Just("<p onclick=\"x()\">hi</p>".to_string()),
        Just("<a href=\"javascript:alert(1)\">a</a>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<iframe src=\"javascript:alert(1)\"></iframe>".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("[x](JaVaScRiPt:alert(1))".to_string()),
        Just("[x](jav&#x61;script:alert(1))".to_string()),
        Just("[x](<java\tscript:alert(1)>)".to_string()),
        Just("<javascript:alert(1)>".to_string()),
        Just("![i](javascript:alert(1))".to_string()),
        Just("[x](vbscript:msgbox(1))".to_string()),
        Just("[x](data:text/html;base64,PHNjcmlwdD4=)".to_string()),
        Just("<div><p>open".to_string()),
        Just("</div></p>close".to_string()),
        Just("<svg><script>alert(1)</script></svg>".to_string()),
        Just("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>".to_string()),
        Just("| a | b |\n|---|---|\n| <b onmouseover=x>1</b> | 2 |".to_string()),
        Just("> quote\n> > nested <style>body{}</style>".to_string()),
        Just("# Kop {#eigen-id}".to_string()),
        Just("## Kop {#x .c onclick=alert(1) style=x}".to_string()),
        Just("tekst[^1]\n\n[^1]: <script>x</script>".to_string()),
        "[a-zA-Z<>/=\"' ]{0,30}",
        "[-*#>|`\\[\\]()!]{0,10}",
    ]
}
