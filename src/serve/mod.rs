//! `etalage serve`: builds the site in memory, serves it on localhost, rebuilds on every save
//! and tells open browsers to reload.
//!
//! Part of the binary, not the library: the library knows nothing of serving. The server never
//! exits on bad content; it keeps the last good site and shows the problems in an overlay on
//! every page. Pages are served from memory, so no path outside the built site can be read.

mod http;
mod indexer;
mod overlay;
mod partial;
mod snapshot;
mod starting;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use etalage::Options;
use tokio::sync::broadcast;

pub use snapshot::{Change, Snapshot};

/// How to serve.
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
    pub open: bool,
    /// The build's date, fixed for the server's life (see `etalage::Options::today`).
    pub today: etalage::date::PartialDate,
}

/// What the server shares between the HTTP side and the rebuild loop.
pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    pub events: broadcast::Sender<Change>,
    /// The first build's pages while it runs.
    pub starting: starting::Starting,
}

const PORT_TRIES: u16 = 50;

/// Runs the dev server until interrupted. Only start-up failures are errors.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(async move {
        let (listener, addr) = bind(opts.bind, opts.port).await?;
        if !opts.bind.is_loopback() {
            eprintln!("warning: serving on {addr}, reachable from other machines; use --bind 127.0.0.1 to keep it local");
        }
        let url = format!("http://{}/", display_host(addr));
        let options = Options {
            drafts: opts.drafts,
            base_url: Some(url.clone()),
            today: Some(opts.today),
            ..Options::default()
        };
        let (events, _) = broadcast::channel(64);
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            events,
            starting: starting::Starting::new(),
        });
        let indexer = indexer::Indexer::spawn(shared.clone())?;
        // The watcher makes the first build; pages are served as soon as they are rendered.
        watch::spawn(opts.root.clone(), options, shared.clone(), indexer)?;
        println!("serving {} on {url} (press Ctrl+C to stop)", opts.root.display());
        if opts.open {
            let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
        }
        http::serve(listener, shared).await.map_err(|e| format!("server error: {e}"))
    })
}

fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

/// Binds `port`, or the next free one.
async fn bind(ip: IpAddr, port: u16) -> Result<(tokio::net::TcpListener, SocketAddr), String> {
    let mut last = None;
    for p in port..port.saturating_add(PORT_TRIES) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => {
                let addr = l.local_addr().map_err(|e| e.to_string())?;
                if p != port {
                    println!("port {port} is taken; using {p}");
                }
                return Ok((l, addr));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "no free port from {port} on {ip}: {}",
        last.map_or_else(String::new, |e| e.to_string())
    ))
}
