//! The bundled site in a real browser: builds it into a temporary folder, serves it on a free
//! localhost port and runs `node tests/browser/run.mjs <url>` (headless Chromium through
//! playwright-core, accessibility through axe-core): search, filters, compare, keyboard use,
//! the skip link, no sideways scrolling at 375 px, no WCAG 2.1 A/AA violation; and search in
//! the same site built for a subfolder of its host.
//!
//! Needs `/usr/bin/chromium` (or `$ETALAGE_CHROMIUM`), `node`, and the node modules in
//! `.ci/node` (`.ci/run` installs all of them). Without them the test fails in CI (`CI` set)
//! and is skipped with a note elsewhere. `ETALAGE_SCREENSHOTS=DIR` keeps screenshots of the
//! search and compare pages at 1280 and 375 px.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bundled::build_bundled;
use crate::harness::repo;
use etalage::Options;

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// What the browser tests need and is missing, if anything.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var_os("ETALAGE_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.is_file() {
        missing.push(format!("{} (apt-get install chromium)", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    }
    let modules = repo().join(".ci/node/node_modules");
    for m in ["playwright-core", "axe-core"] {
        if !modules.join(m).join("package.json").is_file() {
            missing.push(format!(
                "{m} (npm install --prefix .ci/node playwright-core axe-core)"
            ));
        }
    }
    missing
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Answers one request from the folder `root`: `/a/b/` is `a/b/index.html`, anything missing
/// is the site's 404 page with status 404.
fn answer(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Skip the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut rel = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment.contains('\\') {
            rel.clear();
            break;
        }
        rel.push_str(segment);
        rel.push('/');
    }
    let mut file = root.join(rel.trim_end_matches('/'));
    if path.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

/// Serves `root` on a free port of 127.0.0.1 from a background thread; returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// Where the second build of the bundled site is served: a site in a subfolder of its host.
const SUBFOLDER: &str = "werk/etalage/";

#[test]
fn bundled_site_works_in_a_real_browser() {
    let missing = missing();
    if !missing.is_empty() {
        let note = format!("browser tests need: {}", missing.join(", "));
        assert!(!in_ci(), "{note}");
        eprintln!("note: skipping the browser tests; {note}");
        return;
    }
    let (_tmp, out) = build_bundled();
    let url = serve(out);
    // The same site built for a subfolder, served from the folder above it.
    let sub = tempfile::tempdir().unwrap();
    let options = Options {
        base_url: Some(format!("https://example.nl/{SUBFOLDER}")),
        ..Options::default()
    };
    etalage::build(&repo(), Some(&sub.path().join(SUBFOLDER)), &options).unwrap();
    let sub_url = format!("{}{SUBFOLDER}", serve(sub.path().to_path_buf()));
    let output = Command::new("node")
        .arg(repo().join("tests/browser/run.mjs"))
        .arg(&url)
        .arg(&sub_url)
        .current_dir(repo())
        .output()
        .expect("cannot run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "browser tests failed:\n{text}");
    assert!(
        text.contains(" passed, 0 failed"),
        "browser tests said:\n{text}"
    );
}
