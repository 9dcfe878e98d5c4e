//! The dev server under load and against misbehaving clients, on loopback only: 200 concurrent
//! clients all get the right pages; clients that send half a request, trickle it byte by byte or
//! send nothing are disconnected within a bound while others are still served; oversized request
//! heads are refused. Every loop here is bounded in count and time.

use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::harness::fixture;
use crate::serve::{get, start, strip_dev, Server, WAIT};

/// The server's header read timeout (`src/serve/http.rs`), and the slack allowed beyond it.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
const SLACK: Duration = Duration::from_secs(8);

const CLIENTS: usize = 200;
const PAGES: &[&str] = &[
    "/",
    "/praktijken/",
    "/praktijken/haarlem-samen/",
    "/static/etalage.css",
    "/over-deze-site/",
];

fn connect(server: &Server) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.set_write_timeout(Some(WAIT)).unwrap();
    s
}

/// Sends a GET on an open connection and reads the whole response (the server closes it).
fn fetch(mut s: TcpStream, path: &str) -> Result<(u16, Vec<u8>), String> {
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("{path}: write: {e}"))?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)
        .map_err(|e| format!("{path}: read: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{path}: no response head"))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, raw[split + 4..].to_vec()))
}

/// Reads until the server closes the connection; returns how long that took, or `None` if it
/// was still open after `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            // A 4xx written before closing is fine; keep reading to the end.
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None
            }
            Err(_) => return Some(start.elapsed()),
        }
    }
}

#[test]
fn two_hundred_concurrent_clients_get_the_right_pages() {
    let site = fixture("pages/small");
    let server = start(&site);
    let clean = site.compile(&crate::serve::clean_options(&server)).output;
    let expected: Arc<BTreeMap<&str, etalage::render::Bytes>> = Arc::new(
        PAGES
            .iter()
            .map(|p| {
                let file = if p.ends_with('/') {
                    format!("{}index.html", &p[1..])
                } else {
                    p[1..].to_string()
                };
                let bytes = clean
                    .files
                    .iter()
                    .find(|f| f.path == file)
                    .unwrap_or_else(|| panic!("no {file} in a clean build"))
                    .bytes
                    .clone();
                (*p, bytes)
            })
            .collect(),
    );
    let start = Instant::now();
    // All clients connect first, then send at once: 200 connections open together.
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let first = connect(&server);
            let barrier = barrier.clone();
            let expected = expected.clone();
            let port = server.port;
            std::thread::spawn(move || -> Result<(), String> {
                barrier.wait();
                let mut conn = Some(first);
                for k in 0..PAGES.len() {
                    let path = PAGES[(i + k) % PAGES.len()];
                    let s = match conn.take() {
                        Some(s) => s,
                        None => {
                            let s = TcpStream::connect(("127.0.0.1", port))
                                .map_err(|e| format!("connect: {e}"))?;
                            s.set_read_timeout(Some(WAIT)).unwrap();
                            s
                        }
                    };
                    let (status, body) = fetch(s, path)?;
                    if status != 200 {
                        return Err(format!("{path}: status {status}"));
                    }
                    let want = &expected[path];
                    let same = if path.ends_with('/') {
                        strip_dev(&String::from_utf8_lossy(&body)).as_bytes() == &want[..]
                    } else {
                        body[..] == want[..]
                    };
                    if !same {
                        return Err(format!("{path}: wrong body ({} bytes)", body.len()));
                    }
                }
                Ok(())
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .filter_map(|c| c.join().unwrap().err())
        .collect();
    let took = start.elapsed();
    eprintln!("{CLIENTS} clients x {} pages in {took:.2?}", PAGES.len());
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[test]
fn slow_and_silent_clients_are_disconnected_while_others_are_served() {
    let site = fixture("pages/small");
    let server = start(&site);
    let bound = HEADER_READ_TIMEOUT + SLACK;
    // Half a request line, then nothing.
    let mut half = connect(&server);
    half.write_all(b"GET /praktijken/ HT").unwrap();
    // Nothing at all.
    let mut silent = connect(&server);
    // Fifty more half requests, to show they hold nothing others need.
    let mut crowd: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = connect(&server);
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    // A trickle: one byte every 250 ms of a head that never ends.
    let port = server.port;
    let trickle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_write_timeout(Some(WAIT)).unwrap();
        let start = Instant::now();
        let head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ";
        let mut sent = 0usize;
        loop {
            let byte = head.get(sent).copied().unwrap_or(b'a');
            if s.write_all(&[byte]).is_err() {
                return Some(start.elapsed());
            }
            sent += 1;
            // Once the server has closed, a read sees the end at once.
            s.set_nonblocking(true).unwrap();
            let mut buf = [0u8; 64];
            let gone = match s.read(&mut buf) {
                Err(e) => e.kind() != ErrorKind::WouldBlock,
                // The end, or a response: the server is done with this request.
                Ok(_) => true,
            };
            s.set_nonblocking(false).unwrap();
            if gone {
                return Some(start.elapsed());
            }
            if start.elapsed() > Duration::from_secs(40) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    });
    // Meanwhile a well-behaved client is served at once.
    let t = Instant::now();
    assert_eq!(get(&server, "/praktijken/").0, 200);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());

    let took = closed_within(&mut half, bound).expect("half a request line was never timed out");
    eprintln!("half request line closed after {took:.2?}");
    assert!(
        took >= HEADER_READ_TIMEOUT - Duration::from_secs(2),
        "{took:?}"
    );
    let took = closed_within(&mut silent, bound).expect("a silent client was never timed out");
    eprintln!("silent client closed after {took:.2?}");
    for s in &mut crowd {
        closed_within(s, SLACK).expect("a slow client was never timed out");
    }
    let took = trickle
        .join()
        .unwrap()
        .expect("a trickling client was never timed out");
    eprintln!("trickling client closed after {took:.2?}");
    assert!(took < bound + Duration::from_secs(1), "{took:?}");
    assert_eq!(get(&server, "/").0, 200);
}

#[test]
fn oversized_request_heads_are_refused() {
    let site = fixture("pages/small");
    let server = start(&site);
    let raw = |head: String| -> u16 {
        let mut s = connect(&server);
        // The server may close before reading everything: a failed write is fine.
        let _ = s.write_all(head.as_bytes());
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out)
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    };
    let many: String = (0..70).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let status = raw(format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}Connection: close\r\n\r\n"
    ));
    assert_eq!(status, 431, "70 headers");
    let status = raw(format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(64 * 1024)
    ));
    assert!(
        status == 431 || status == 0,
        "a 64 KiB header gave {status}"
    );
    let status = raw(format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "a".repeat(64 * 1024)
    ));
    assert!(
        status == 414 || status == 431 || status == 0,
        "a 64 KiB path gave {status}"
    );
    // Still serving.
    assert_eq!(get(&server, "/").0, 200);
}
