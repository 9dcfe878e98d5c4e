//! Markdown rendering with sanitizing: any body renders, and the HTML never holds a
//! `<script>` element, an `on…` event handler attribute or a script URL (`javascript:`,
//! `vbscript:`, `data:text/html`) in a link or source, read as a browser reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn resolve(file: &str) -> Option<String> {
    (file == "haarlem-samen.md").then(|| "/praktijken/haarlem-samen/".to_string())
}

/// Decodes the character references a browser would decode in an attribute value.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e < 12);
        let entity = end.map(|e| &rest[1..e]);
        let decoded = match entity {
            Some("colon") => Some(':'),
            Some("tab") => Some('\t'),
            Some("newline") => Some('\n'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every tag of serialized HTML as (name, attributes), lowercased; text and comments skipped.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>') {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let v = i + 1;
                    i = v;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[v..i.min(b.len())].to_string();
                    i += 1;
                } else {
                    let v = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[v..i].to_string();
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

fuzz_target!(|body: &str| {
    let out = etalage::markdown::render(body, 1, &resolve);
    for (name, attrs) in tags(&out.html) {
        assert!(name != "script", "script in {}", out.html);
        for (attr, value) in attrs {
            assert!(!attr.starts_with("on"), "event handler in {}", out.html);
            // What a browser's URL parser does (WHATWG URL): leading and trailing C0 controls
            // and spaces are trimmed, tabs and newlines removed anywhere; any other control
            // character inside the scheme makes it no scheme (a harmless relative URL).
            let url: String = decode(&value)
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                attr.as_str(),
                "href" | "src" | "xlink:href" | "action" | "formaction"
            ) {
                assert!(
                    !url.starts_with("javascript:")
                        && !url.starts_with("vbscript:")
                        && !url.starts_with("data:text/html"),
                    "script URL in {}",
                    out.html
                );
            }
        }
    }
    for h in &out.headings {
        assert!((2..=6).contains(&h.level));
        assert!(!h.id.is_empty());
    }
});
