//! The HTTP side of the dev server (axum): GET and HEAD only, pages from memory, the event
//! stream for live reload, and the problems page.

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
use super::Shared;

pub async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    let app = Router::new()
        .route("/_etalage/events", get(events))
        .route("/_etalage/problems/", get(problems))
        .fallback(get(page))
        .layer(RequestBodyLimitLayer::new(16 * 1024))
        .with_state(shared.clone());
    let app = app.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(30),
    ));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
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

async fn page(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let snapshot = shared
        .snapshot
        .read()
        .map(|s| s.clone())
        .unwrap_or_default();
    let wanted = file_for(req.uri().path());
    let found = wanted
        .as_ref()
        .and_then(|p| snapshot.files.get(p).map(|b| (p.clone(), b.clone())));
    let found = found.or_else(|| {
        // `/praktijken/x` without the slash: serve the folder's index.
        let p = format!("{}/index.html", wanted.as_deref()?);
        snapshot.files.get(&p).map(|b| (p, b.clone()))
    });
    let (status, path, bytes) = match found {
        Some((p, b)) => (StatusCode::OK, p, b),
        None => match snapshot.not_found() {
            Some(b) => (StatusCode::NOT_FOUND, "404.html".to_string(), b.clone()),
            None => return (StatusCode::NOT_FOUND, "niet gevonden").into_response(),
        },
    };
    let body = if path.ends_with(".html") {
        Body::from(overlay::inject(
            &String::from_utf8_lossy(&bytes),
            &snapshot.problems,
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
    let snapshot = shared
        .snapshot
        .read()
        .map(|s| s.clone())
        .unwrap_or_default();
    let mut r = overlay::problems_page(&snapshot.problems).into_response();
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
