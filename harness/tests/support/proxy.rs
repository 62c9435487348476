//! A fault-injecting TCP proxy of our own, between sessions and a server.
//! It either shapes the bytes (fragments, coalesces, delays, jitters them)
//! or injects one fault (a cut or a stall) into each connection that logs
//! in, and records per connection as which account it logged in (read from
//! its SASL exchange) and whether the fault fired before the client closed
//! its stream, so that a test can tell which cells a fault touched.
//!
//! It reads the XML as it passes, so the streams must be plain text (no
//! TLS). Connections that never authenticate (the target's readiness
//! probe, in-band registration) are shaped but never faulted.

mod pump;

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// What the proxy does to the bytes it forwards.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// Forwards what it reads, as it reads it.
    Pass,
    /// Splits every chunk the server sends into writes of a seeded random
    /// 1 to `max` bytes (what the client sends goes on as read: see
    /// `tests/faults.rs` on why the servers' side is left alone).
    Fragment {
        /// The seed of the sizes.
        seed: u64,
        /// The largest write.
        max: usize,
    },
    /// Gathers what arrives within a few milliseconds into one write.
    Coalesce,
    /// Forwards every chunk this long after it arrived.
    Delay(Duration),
    /// Forwards every chunk after a seeded random wait of up to `max`,
    /// keeping the order.
    Jitter {
        /// The seed of the waits.
        seed: u64,
        /// The longest wait.
        max: Duration,
    },
    /// Injects `action` into every connection that logs in, at `point`.
    Fault {
        /// Cut or stall.
        action: Action,
        /// Where.
        point: Point,
    },
}

/// A fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Closes both sides of the connection.
    Cut,
    /// Stops forwarding in both directions, leaving both sides open.
    Stall,
}

/// Where a fault fires, in bytes forwarded (both directions together).
#[derive(Debug, Clone, Copy)]
pub enum Point {
    /// After this many bytes from the connection's start.
    FromStart(u64),
    /// After this many bytes from the end of login (the server's bind
    /// result).
    AfterLogin(u64),
    /// After a seeded random number of bytes below `below` from the end of
    /// login, drawn per connection.
    RandomAfterLogin {
        /// The seed of the draws.
        seed: u64,
        /// The draws are below this.
        below: u64,
    },
}

/// What the proxy saw of one connection.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// The account it authenticated as, when it did.
    pub user: Option<String>,
    /// Bytes forwarded so far, both directions together.
    pub bytes: u64,
    /// The byte count when the server's bind result had passed.
    pub login_at: Option<u64>,
    /// The client sent its stream's end, or closed its side.
    pub client_closed: bool,
    /// The fault fired, before the client closed its stream.
    pub fired: bool,
}

/// A running proxy; it stops, closing every connection, when dropped.
pub struct Proxy {
    address: String,
    seen: Arc<Mutex<Vec<Arc<Mutex<Connection>>>>>,
    accepting: JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to
    /// `upstream` (`host:port`) as `mode` says.
    pub async fn start(upstream: &str, mode: Mode) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?.to_string();
        let seen: Arc<Mutex<Vec<Arc<Mutex<Connection>>>>> = Arc::default();
        let accepting = tokio::spawn(accept(listener, upstream.to_owned(), mode, seen.clone()));
        Ok(Proxy {
            address,
            seen,
            accepting,
        })
    }

    /// Where clients connect (`127.0.0.1:PORT`).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// What it saw of each connection so far, in accept order.
    pub fn connections(&self) -> Vec<Connection> {
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        seen.iter()
            .filter_map(|c| c.lock().ok().map(|c| c.clone()))
            .collect()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // The accepting task owns every connection's task.
        self.accepting.abort();
    }
}

async fn accept(
    listener: TcpListener,
    upstream: String,
    mode: Mode,
    seen: Arc<Mutex<Vec<Arc<Mutex<Connection>>>>>,
) {
    let mut connections = JoinSet::new();
    let mut index = 0u64;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { continue };
                index += 1;
                let record = Arc::new(Mutex::new(Connection::default()));
                if let Ok(mut seen) = seen.lock() {
                    seen.push(record.clone());
                }
                let upstream = upstream.clone();
                connections.spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        pump::forward(client, server, mode, index, record).await;
                    }
                });
            }
            // Finished connections are reaped as they end.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
