//! What the dev server adds to served pages: the live-reload script and, while the sources have
//! problems, an overlay listing them with the source lines around each. Never part of `build`.

use super::partial::HeldBack;
use super::snapshot::Problem;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The problems as an HTML fragment (used by the overlay and the problems page).
pub fn problems_html(problems: &[Problem]) -> String {
    let mut out = String::new();
    for p in problems {
        let d = &p.diagnostic;
        out.push_str("<section class=\"etalage-problem\"><p><code>");
        out.push_str(&escape(&d.location.to_string()));
        out.push_str("</code> ");
        out.push_str(&escape(&d.message));
        out.push_str("</p>");
        if !p.context.is_empty() {
            out.push_str("<pre>");
            for (n, line) in &p.context {
                let mark = *n == d.location.line;
                out.push_str(if mark { "<mark>" } else { "<span>" });
                out.push_str(&format!(
                    "{n:>4} {} {}",
                    if mark { "&gt;" } else { "|" },
                    escape(line)
                ));
                out.push_str(if mark { "</mark>\n" } else { "</span>\n" });
            }
            out.push_str("</pre>");
        }
        out.push_str("</section>");
    }
    out
}

const STYLE: &str = "#etalage-overlay{position:relative;z-index:2147483647;background:#fff4f2;color:#1b1b1b;border-bottom:4px solid #b3261e;padding:1rem;font:15px/1.5 system-ui,sans-serif}#etalage-overlay summary{cursor:pointer}#etalage-overlay h2{display:inline;margin:0;color:#8a1c12;font-size:1.2rem}#etalage-overlay ul{margin:.25rem 0;padding-left:1.25rem}#etalage-overlay pre{background:#1b1b1b;color:#f5f5f5;padding:.5rem;overflow:auto;font:13px/1.4 monospace}#etalage-overlay mark{background:#b3261e;color:#fff;display:inline-block;width:100%}#etalage-overlay code{font-weight:700}";

/// How many problems the overlay shows with their source lines; the others get a line each, so
/// that the page under the overlay stays in view.
const IN_FULL: usize = 3;

/// The overlay shown above a page while there are problems: above the last good page, or
/// above the preview that holds back the broken write-ups (`held_back`, see `partial`). It
/// folds away (a `<details>` element: no script needed).
pub fn overlay(problems: &[Problem], held_back: &[HeldBack]) -> String {
    let (what, held) = if held_back.is_empty() {
        ("dit is de laatste goede versie", String::new())
    } else {
        (
            "uw andere wijzigingen zijn te zien",
            held_back_html(held_back),
        )
    };
    let (full, rest) = problems.split_at(problems.len().min(IN_FULL));
    let more = if rest.is_empty() {
        String::new()
    } else {
        let lines: String = rest
            .iter()
            .map(|p| {
                let d = &p.diagnostic;
                format!(
                    "<li><code>{}</code> {}</li>",
                    escape(&d.location.to_string()),
                    escape(&d.message)
                )
            })
            .collect();
        format!("<p>En nog {}:</p><ul>{lines}</ul>", rest.len())
    };
    let n = problems.len();
    let noun = if n == 1 { "probleem" } else { "problemen" };
    format!(
        "<div id=\"etalage-overlay\" role=\"alert\"><style>{STYLE}</style><details open><summary><h2>{n} {noun} in de bronnen – {what}</h2></summary>{held}{}{more}<p><a href=\"/_etalage/problems/\">Alle problemen</a></p></details></div>",
        problems_html(full)
    )
}

/// How many held-back write-ups the overlay names of each kind (a changed vocabulary can
/// break hundreds); `/_etalage/problems/` has them all, by their problems.
const NAMED: usize = 10;

/// Which write-ups the preview shows as they were, and which it leaves out.
fn held_back_html(held_back: &[HeldBack]) -> String {
    let list = |as_before: bool| {
        let paths: Vec<&str> = held_back
            .iter()
            .filter(|h| h.as_before == as_before)
            .map(|h| h.path.as_str())
            .collect();
        let mut text = paths
            .iter()
            .take(NAMED)
            .map(|p| format!("<code>{}</code>", escape(p)))
            .collect::<Vec<_>>()
            .join(", ");
        if paths.len() > NAMED {
            text.push_str(&format!(" en nog {}", paths.len() - NAMED));
        }
        text
    };
    let mut out = String::new();
    for (as_before, text) in [
        (true, "Getoond zoals bij de laatste versie zonder fouten:"),
        (false, "Weggelaten tot de fouten zijn hersteld:"),
    ] {
        let files = list(as_before);
        if !files.is_empty() {
            out.push_str(&format!("<p class=\"etalage-held\">{text} {files}</p>"));
        }
    }
    out
}

/// The standalone `/_etalage/problems/` page, with what the preview holds back.
pub fn problems_page(problems: &[Problem], held_back: &[HeldBack]) -> String {
    let body = if problems.is_empty() {
        "<p>Geen problemen.</p>".to_string()
    } else {
        held_back_html(held_back) + &problems_html(problems)
    };
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Problemen – etalage</title></head><body><div id=\"etalage-overlay\"><style>{STYLE}</style><h1>Problemen</h1>{body}</div>{}</body></html>",
        script()
    )
}

/// The live-reload client: reloads when its own page changed (or problems appeared or went),
/// swaps stylesheets in place when only CSS changed.
pub fn script() -> &'static str {
    r#"<script>(function(){
var page=location.pathname.replace(/^\//,"");if(page===""||page.endsWith("/"))page+="index.html";
var es=new EventSource("/_etalage/events");
es.addEventListener("change",function(ev){var d=JSON.parse(ev.data);
if(d.problems_changed||d.paths.indexOf(page)>=0){location.reload();return;}
var css=d.paths.filter(function(p){return p.endsWith(".css");});
if(css.length){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("t",Date.now());l.href=u.toString();});}
});})();</script>"#
}

/// Inserts the overlay after `<body…>` and the script before `</body>`.
pub fn inject(html: &str, problems: &[Problem], held_back: &[HeldBack]) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let body_open = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let body_close = html.rfind("</body>");
    match (body_open, body_close) {
        (Some(open), Some(close)) if open <= close => {
            out.push_str(&html[..open]);
            if !problems.is_empty() {
                out.push_str(&overlay(problems, held_back));
            }
            out.push_str(&html[open..close]);
            out.push_str(script());
            out.push_str(&html[close..]);
        }
        _ => {
            out.push_str(html);
            out.push_str(script());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use etalage::{Diagnostic, Location};

    #[test]
    fn injects_overlay_and_script() {
        let p = Problem {
            diagnostic: Diagnostic::error(
                Location::new("content/practices/a.md", 3, 1),
                "bad <key>",
            ),
            context: vec![(2, "title: x".into()), (3, "statu: y".into())],
        };
        let html = inject(
            "<html><body class=\"x\"><h1>Hi</h1></body></html>",
            &[p],
            &[],
        );
        assert!(html.starts_with("<html><body class=\"x\"><div id=\"etalage-overlay\""));
        assert!(html.contains("content/practices/a.md:3:1"));
        assert!(html.contains("bad &lt;key&gt;"));
        assert!(html.contains("<mark>   3 &gt; statu: y</mark>"));
        assert!(html.ends_with("</script></body></html>"));
    }

    #[test]
    fn problems_after_the_first_few_get_a_line_each() {
        let problems: Vec<Problem> = (1..=5)
            .map(|line| Problem {
                diagnostic: Diagnostic::error(
                    Location::new("content/practices/a.md", line, 1),
                    format!("fout {line}"),
                ),
                context: vec![(line, "x: y".into())],
            })
            .collect();
        let html = overlay(&problems, &[]);
        assert!(html.contains("<h2>5 problemen in de bronnen"), "{html}");
        assert_eq!(html.matches("<pre>").count(), IN_FULL);
        assert!(html.contains(
            "<p>En nog 2:</p><ul><li><code>content/practices/a.md:4:1</code> fout 4</li>"
        ));
        assert!(overlay(&problems[..1], &[]).contains("<h2>1 probleem in"));
    }

    #[test]
    fn a_long_list_of_held_back_write_ups_names_the_first_ten() {
        let held: Vec<HeldBack> = (0..12)
            .map(|i| HeldBack {
                path: format!("content/practices/p{i:02}.md"),
                as_before: i == 0,
            })
            .collect();
        let html = held_back_html(&held);
        assert!(html.contains("zonder fouten: <code>content/practices/p00.md</code></p>"));
        assert!(
            html.contains("<code>content/practices/p10.md</code> en nog 1</p>"),
            "{html}"
        );
        assert!(!html.contains("p11"));
    }
}
