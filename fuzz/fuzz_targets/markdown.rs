//! Markdown rendering with sanitizing: any body renders, and the HTML never holds a
//! `<script`, an `on…=` event handler attribute or a `javascript:` link.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn resolve(file: &str) -> Option<String> {
    (file == "haarlem-samen.md").then(|| "/praktijken/haarlem-samen/".to_string())
}

/// Whether `html` holds an attribute named `on…` inside a tag.
fn has_handler(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    let mut quote = None;
    for i in 0..bytes.len() {
        let b = bytes[i];
        match (in_tag, quote) {
            (false, _) => in_tag = b == b'<',
            (true, Some(q)) => {
                if b == q {
                    quote = None;
                }
            }
            (true, None) => match b {
                b'"' | b'\'' => quote = Some(b),
                b'>' => in_tag = false,
                b' ' | b'\t' | b'\n' | b'/' => {
                    let rest = &bytes[i + 1..];
                    let name: Vec<u8> = rest
                        .iter()
                        .copied()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                        .collect();
                    if name.len() > 2
                        && name.starts_with(b"on")
                        && rest[name.len()..].iter().find(|c| !c.is_ascii_whitespace())
                            == Some(&b'=')
                    {
                        return true;
                    }
                }
                _ => {}
            },
        }
    }
    false
}

fuzz_target!(|body: &str| {
    let out = etalage::markdown::render(body, 1, &resolve);
    let lower = out.html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script in {}", out.html);
    assert!(!has_handler(&lower), "event handler in {}", out.html);
    for attr in ["href=\"", "src=\""] {
        for (i, _) in lower.match_indices(attr) {
            let value = &lower[i + attr.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let value = value
                .replace("&#x3a;", ":")
                .replace("&colon;", ":")
                .replace("&#58;", ":");
            let squashed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            assert!(
                !squashed.starts_with("javascript:") && !squashed.starts_with("vbscript:"),
                "script URL in {}",
                out.html
            );
        }
    }
    for h in &out.headings {
        assert!((2..=6).contains(&h.level));
        assert!(!h.id.is_empty());
    }
});
