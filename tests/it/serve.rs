//! `etalage serve` as a user meets it: the binary on a free port, files edited on disk, pages
//! and live-reload events read over HTTP. Every wait is bounded; nothing here measures speed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::{fixture, Site};

pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A running dev server, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn start(site: &Site) -> Server {
    start_with(site, |_| {})
}

/// Starts the server with a last say on how its process is started.
pub(crate) fn start_with(site: &Site, configure: impl FnOnce(&mut Command)) -> Server {
    launch(site, configure, true)
}

/// Starts the server on a site whose first build fails: waits for its address only.
fn start_broken(site: &Site) -> Server {
    launch(site, |_| {}, false)
}

/// The build's date every test server is started with, so a clean build can match it.
pub(crate) const SERVE_DATE: &str = "2026-01-15";

/// The options of a clean build that equals what `server` serves.
pub(crate) fn clean_options(server: &Server) -> etalage::Options {
    etalage::Options {
        base_url: Some(format!("http://127.0.0.1:{}/", server.port)),
        today: Some(SERVE_DATE.parse().unwrap()),
        // The dev server shows drafts (without `--no-drafts`).
        drafts: true,
        ..Default::default()
    }
}

/// Starts the server; waits for its address and, with `built`, for its first build.
fn launch(site: &Site, configure: impl FnOnce(&mut Command), wait_for_build: bool) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_etalage"));
    cmd.args([
        "serve",
        "--date",
        SERVE_DATE,
        "--port",
        &port.to_string(),
        "--root",
    ])
    .arg(&site.root)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    configure(&mut cmd);
    // Owned by a `Server` at once, so a server that fails to start is stopped too.
    let mut server = Server {
        child: cmd.spawn().unwrap(),
        port,
    };
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The server answers once it prints its address, while its first build still runs; the
    // tests edit files from the state that build made, so they wait for it to be done too.
    let deadline = Instant::now() + WAIT;
    // (The first build of a small site may be done before the address is printed.)
    let (mut serving, mut built) = (false, !wait_for_build);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server did not start");
        if line.starts_with("serving ") {
            assert!(
                line.contains(&format!("http://127.0.0.1:{port}/")),
                "{line}"
            );
            serving = true;
        }
        built |= line.starts_with("built ");
        if serving && built {
            return server;
        }
    }
}

/// A plain HTTP/1.1 request; returns status and body.
pub(crate) fn request(port: u16, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

pub(crate) fn get(server: &Server, path: &str) -> (u16, String) {
    request(server.port, "GET", path)
}

/// Polls `path` until its body satisfies `ok`.
#[track_caller]
pub(crate) fn eventually(
    server: &Server,
    path: &str,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, body) = get(server, path);
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {what}; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The live-reload event stream, as lines of `data:` JSON.
fn events(server: &Server) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        s,
        "GET /_etalage/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ") {
                if tx.send(data.to_string()).is_err() {
                    break;
                }
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    rx
}

/// The next live-reload event about pages: events that only bring a new search index (built
/// after the pages, see `serve/indexer.rs`) are skipped.
fn next_event(rx: &mpsc::Receiver<String>) -> serde_json::Value {
    loop {
        let event: serde_json::Value =
            serde_json::from_str(&rx.recv_timeout(WAIT).expect("no live-reload event")).unwrap();
        let index_only = event["paths"].as_array().is_some_and(|p| {
            !p.is_empty()
                && p.iter()
                    .all(|p| p.as_str().is_some_and(|p| p.starts_with("pagefind/")))
        });
        if !index_only {
            return event;
        }
    }
}

pub(crate) const PRACTICE: &str = "content/practices/haarlem-samen.md";

/// The page of the draft practice of the `drafts/basic` fixture.
const DRAFT_PAGE: &str = "/praktijken/verborgen-concept/";

#[test]
fn drafts_are_served_unless_asked_not_to() {
    let site = fixture("drafts/basic");
    let server = start(&site);
    let (status, _) = get(&server, DRAFT_PAGE);
    assert_eq!(status, 200, "a draft is served by default");
    drop(server);
    let server = start_with(&site, |cmd| {
        cmd.arg("--no-drafts");
    });
    let (status, _) = get(&server, DRAFT_PAGE);
    assert_eq!(status, 404, "--no-drafts leaves drafts out");
}

#[test]
fn serves_pages_with_the_reload_script_and_refuses_escapes() {
    let site = fixture("pages/small");
    let server = start(&site);
    let (status, body) = get(&server, "/praktijken/haarlem-samen/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Project SAMEN</h1>"));
    assert!(body.contains("new EventSource(\"/_etalage/events\")"));
    for bad in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/static/%2e%2e%2f%2e%2e%2fsite.toml",
        "/..%5csite.toml",
        "/content/practices/haarlem-samen.md",
    ] {
        assert_eq!(get(&server, bad).0, 404, "{bad}");
    }
    assert_eq!(request(server.port, "POST", "/").0, 405);
    assert_eq!(request(server.port, "HEAD", "/").0, 200);
}

#[test]
fn an_edit_reloads_only_the_pages_it_changes() {
    let site = fixture("pages/small");
    let server = start(&site);
    let rx = events(&server);
    let text = site
        .read(PRACTICE)
        .replace("title: Project SAMEN", "title: Project SAMEN Haarlem");
    site.write(PRACTICE, text);
    let event = next_event(&rx);
    let paths: Vec<&str> = event["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"praktijken/haarlem-samen/index.html"),
        "{paths:?}"
    );
    assert!(paths.contains(&"praktijken/index.html"), "{paths:?}");
    assert!(
        !paths.contains(&"over-deze-site/index.html"),
        "an unrelated page reloaded: {paths:?}"
    );
    assert_eq!(event["problems_changed"], false);
    eventually(
        &server,
        "/praktijken/haarlem-samen/",
        "the new title",
        |b| b.contains("<h1>Project SAMEN Haarlem</h1>"),
    );
}

#[test]
fn a_stylesheet_change_names_only_the_stylesheet() {
    let site = fixture("pages/small");
    let server = start(&site);
    let rx = events(&server);
    let css = "themes/default/static/etalage.css";
    site.write(css, site.read(css) + "\n.x { color: red; }\n");
    let event = next_event(&rx);
    assert_eq!(event["paths"], serde_json::json!(["static/etalage.css"]));
}

#[test]
fn a_site_broken_from_the_start_shows_the_rest_under_its_problems_and_the_fix_serves_it() {
    let site = fixture("pages/small");
    let good = site.read(PRACTICE);
    site.write(PRACTICE, good.replace("status: lopend", "status: lopnd"));
    let at = site.locate(PRACTICE, "status: |lopnd");
    let server = start_broken(&site);
    // A request made while the first build runs waits for it, then gets the site without the
    // broken write-up, under its problems.
    let (status, body) = get(&server, "/praktijken/");
    assert_eq!(status, 200);
    assert!(body.contains(&at), "{body}");
    assert!(
        body.contains("Weggelaten tot de fouten zijn hersteld"),
        "{body}"
    );
    assert!(body.contains("new EventSource(\"/_etalage/events\")"));
    let (status, body) = get(&server, "/praktijken/haarlem-samen/");
    assert_eq!(status, 404);
    assert!(body.contains(&at), "{body}");
    site.write(PRACTICE, good);
    eventually(&server, "/praktijken/", "the site", |b| {
        b.contains("<h1>Praktijken</h1>") && !b.contains("etalage-overlay")
    });
}

#[test]
fn a_broken_file_shows_an_overlay_and_the_fix_removes_it() {
    let site = fixture("pages/small");
    let server = start(&site);
    let good = site.read(PRACTICE);
    site.write(PRACTICE, good.replace("status: lopend", "status: lopnd"));
    let at = site.locate(PRACTICE, "status: |lopnd");
    let page = eventually(&server, "/praktijken/", "the overlay", |b| {
        b.contains("etalage-overlay")
    });
    assert!(page.contains(&at), "overlay lacks {at}:\n{page}");
    assert!(page.contains("<mark>"), "the offending line is not marked");
    assert!(
        page.contains("<h1>Praktijken</h1>"),
        "the last good page is not under the overlay"
    );
    let (_, problems) = get(&server, "/_etalage/problems/");
    assert!(
        problems.contains(&at) && problems.contains("did you mean `lopend`"),
        "{problems}"
    );
    site.write(PRACTICE, good);
    eventually(&server, "/praktijken/", "recovery", |b| {
        !b.contains("etalage-overlay")
    });
    let (_, problems) = get(&server, "/_etalage/problems/");
    assert!(problems.contains("Geen problemen"));
}

#[test]
fn new_and_deleted_practices_appear_on_and_leave_the_lists() {
    let site = fixture("pages/small");
    let server = start(&site);
    let new = site
        .read(PRACTICE)
        .replace("title: Project SAMEN", "title: Tweede Haarlemse aanpak")
        .replace("related: [intensieve-aanpak-lelystad]", "related: []");
    site.write("content/practices/haarlem-twee.md", new);
    eventually(&server, "/praktijken/", "the new practice", |b| {
        b.contains("Tweede Haarlemse aanpak")
    });
    assert_eq!(get(&server, "/praktijken/haarlem-twee/").0, 200);
    std::fs::remove_file(site.path("content/practices/haarlem-twee.md")).unwrap();
    eventually(&server, "/praktijken/", "the removal", |b| {
        !b.contains("Tweede Haarlemse aanpak")
    });
    assert_eq!(get(&server, "/praktijken/haarlem-twee/").0, 404);
}

/// Removes what only the dev server adds.
pub(crate) fn strip_dev(body: &str) -> String {
    match body.find("<script>(function(){\nvar page=") {
        Some(start) => {
            let end = body[start..]
                .find("</script>")
                .map(|e| start + e + "</script>".len())
                .unwrap();
            format!("{}{}", &body[..start], &body[end..])
        }
        None => body.to_string(),
    }
}

#[test]
fn after_any_sequence_of_edits_the_served_site_equals_a_clean_build() {
    let site = fixture("pages/small");
    let server = start(&site);
    let haarlem = site.read(PRACTICE);
    let steps: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| site.write(PRACTICE, haarlem.replace("value: 85", "value: 86"))),
        Box::new(|| {
            site.write(
                "content/practices/nieuw.md",
                haarlem
                    .replace("title: Project SAMEN", "title: Nieuw")
                    .replace("related: [intensieve-aanpak-lelystad]", "related: []"),
            )
        }),
        Box::new(|| site.write(PRACTICE, haarlem.replace("status: lopend", "status: ["))),
        Box::new(|| {
            std::fs::rename(
                site.path("content/practices/nieuw.md"),
                site.path("content/practices/hernoemd.md"),
            )
            .unwrap()
        }),
        Box::new(|| site.write(PRACTICE, haarlem.clone())),
        Box::new(|| {
            std::fs::remove_file(site.path("content/practices/zwolle-werkloket.md")).unwrap()
        }),
        Box::new(|| site.write("content/pages/extra.md", "---\ntitle: Extra\n---\nTekst.\n")),
    ];
    for step in &steps {
        step();
        std::thread::sleep(Duration::from_millis(150));
    }
    assert_serves_a_clean_build(&server, &site);
    assert_eq!(
        get(&server, "/praktijken/zwolle-werkloket/").0,
        404,
        "a deleted practice is still served"
    );
    assert_eq!(
        get(&server, "/praktijken/nieuw/").0,
        404,
        "a renamed practice is served under its old name"
    );
}

/// Waits until every file of a clean build of `site` is served, byte for byte (less what only
/// the dev server adds).
#[track_caller]
pub(crate) fn assert_serves_a_clean_build(server: &Server, site: &Site) {
    let clean = site.compile(&clean_options(server)).output;
    let deadline = Instant::now() + WAIT;
    'settle: loop {
        for file in &clean.files {
            let url = format!(
                "/{}",
                file.path.strip_suffix("index.html").unwrap_or(&file.path)
            );
            let (status, body) = get(server, &url);
            let expected = String::from_utf8_lossy(&file.bytes);
            if status != 200 || strip_dev(&body) != expected {
                assert!(
                    Instant::now() < deadline,
                    "{} differs from a clean build",
                    file.path
                );
                std::thread::sleep(Duration::from_millis(100));
                continue 'settle;
            }
        }
        break;
    }
}
