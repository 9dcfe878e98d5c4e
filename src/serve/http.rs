//! The HTTP side of the dev server (axum): GET and HEAD only, pages from memory, the event
//! stream for live reload, and the problems page.
//!
//! Connections are served by hyper's HTTP/1 server directly rather than `axum::serve`, which
//! sets no timer and so never times out a client that stops sending halfway through its request
//! head (slowloris). Here a request head must arrive whole within [`HEADER_READ_TIMEOUT`]
//! (idle keep-alive connections included), is at most [`MAX_HEAD_BYTES`] with at most
//! [`MAX_HEADERS`] headers (else 431), a response must be started within [`RESPONSE_TIMEOUT`],
//! and at most [`MAX_CONNECTIONS`] connections are served at once (more wait in the backlog).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use super::overlay;
use super::snapshot::Change;
use super::starting::Lookup;
use super::Shared;

/// How long a client may take to send a whole request head, counted from when the server
/// starts waiting for it (so an idle keep-alive connection is closed after this long too).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a handler may take to start its response (the event stream then runs on).
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest request head (request line and headers) read; hyper's minimum is 8 KiB.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most headers a request may have.
pub const MAX_HEADERS: usize = 64;
/// The largest request body accepted (GET and HEAD need none).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Connections served at once; further ones wait in the listen backlog.
pub const MAX_CONNECTIONS: usize = 1024;

pub async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    let app = Router::new()
        .route("/_etalage/events", get(events))
        .route("/_etalage/problems/", get(problems))
        .fallback(get(page))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .with_state(shared.clone());
    let app = app.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        RESPONSE_TIMEOUT,
    ));
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            _ = &mut stop => return Ok(()),
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait, then accept again.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_headers(MAX_HEADERS)
                .max_buf_size(MAX_HEAD_BYTES);
            // A client that misbehaves or goes away only ends its own connection.
            let _ = http
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` for malformed escapes or non-UTF-8 results.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output file a request path names, or `None` for anything suspicious.
pub fn file_for(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let rel = decoded.strip_prefix('/')?;
    if rel.contains('\\')
        || rel.contains('\0')
        || rel.split('/').any(|s| s == ".." || s == ".")
        || rel.starts_with('/')
    {
        return None;
    }
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

fn no_cache(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn current(shared: &Shared) -> Arc<super::Snapshot> {
    shared
        .snapshot
        .read()
        .map(|s| s.clone())
        .unwrap_or_default()
}

/// The first of `paths` the snapshot has.
fn find(snapshot: &super::Snapshot, paths: &[String]) -> Option<(String, etalage::render::Bytes)> {
    paths
        .iter()
        .find_map(|p| snapshot.get(p).map(|b| (p.clone(), b.clone())))
}

async fn page(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    // The file, or (`/praktijken/x` without the slash) the folder's index.
    let paths: Vec<String> = match file_for(req.uri().path()) {
        Some(p) => {
            let index = format!("{p}/index.html");
            vec![p, index]
        }
        None => Vec::new(),
    };
    let mut snapshot = current(&shared);
    let mut found = find(&snapshot, &paths);
    if found.is_none() {
        // While the first build runs, a page is served as soon as it is rendered.
        match shared.starting.wait_for(&paths).await {
            Lookup::Found(p, b) => found = Some((p, b)),
            Lookup::Done => {
                snapshot = current(&shared);
                found = find(&snapshot, &paths);
            }
        }
    }
    let (status, path, bytes) = match found {
        Some((p, b)) => (StatusCode::OK, p, b),
        None => match snapshot.not_found() {
            Some(b) => (StatusCode::NOT_FOUND, "404.html".to_string(), b.clone()),
            // No site at all (its first build failed): the problems, which reload once fixed.
            None if !snapshot.problems.is_empty() => {
                return problems_response(StatusCode::NOT_FOUND, &snapshot)
            }
            None => return (StatusCode::NOT_FOUND, "niet gevonden").into_response(),
        },
    };
    let body = if path.ends_with(".html") {
        Body::from(overlay::inject(
            &String::from_utf8_lossy(&bytes),
            &snapshot.problems,
            &snapshot.held_back,
        ))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    no_cache(r)
}

async fn problems(State(shared): State<Arc<Shared>>) -> Response {
    problems_response(StatusCode::OK, &current(&shared))
}

/// The problems page (with the live-reload script).
fn problems_response(status: StatusCode, snapshot: &super::Snapshot) -> Response {
    let page = overlay::problems_page(&snapshot.problems, &snapshot.held_back);
    let mut r = (status, page).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    no_cache(r)
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    let stream = stream::unfold(rx, |mut rx| async move {
        let change = match rx.recv().await {
            Ok(change) => change,
            // Missed events: tell the page to reload to be safe.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Change {
                paths: Vec::new(),
                problems_changed: true,
            },
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        let data = serde_json::json!({ "paths": change.paths, "problems_changed": change.problems_changed });
        Some((
            Ok(Event::default().event("change").data(data.to_string())),
            rx,
        ))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_paths_and_refuses_escapes() {
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_for("/praktijken/a/").as_deref(),
            Some("praktijken/a/index.html")
        );
        assert_eq!(
            file_for("/static/etalage.css").as_deref(),
            Some("static/etalage.css")
        );
        assert_eq!(
            file_for("/gemeenten/s-gravenhage/").as_deref(),
            Some("gemeenten/s-gravenhage/index.html")
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2f..%2fb",
            "/a\\..\\b",
            "//etc/passwd",
            "/%zz",
            "/a/./b",
        ] {
            assert_eq!(file_for(bad), None, "{bad}");
        }
    }
}
