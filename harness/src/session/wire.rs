//! A tap on the byte stream below the XML parser: every byte the server sends
//! and every byte we send, as it crossed the connection (after TLS).

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Which way bytes or an element travelled, seen from the harness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the server to the harness.
    In,
    /// From the harness to the server.
    Out,
}

impl Direction {
    /// The arrow used in wire logs: `←` for received, `→` for sent.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::In => "←",
            Direction::Out => "→",
        }
    }
}

/// One read or write on the connection.
#[derive(Debug, Clone, Serialize)]
pub struct WireChunk {
    /// Time since the session's clock started.
    pub at: Duration,
    /// Which way the bytes went.
    pub direction: Direction,
    /// The bytes, as text (lossy only where the peer sent invalid UTF-8).
    pub text: String,
}

/// The raw bytes of one connection, recorded only while `recording` is on,
/// so that SASL exchanges (which carry credentials) never reach a log.
#[derive(Debug, Default)]
pub struct WireLog {
    recording: bool,
    chunks: Vec<WireChunk>,
}

/// A wire log shared between the tap and whoever reads it.
pub type SharedWireLog = Arc<Mutex<WireLog>>;

impl WireLog {
    /// Starts or stops recording.
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    /// The chunks recorded so far.
    pub fn chunks(&self) -> &[WireChunk] {
        &self.chunks
    }

    fn record(&mut self, origin: Instant, direction: Direction, bytes: &[u8]) {
        if self.recording && !bytes.is_empty() {
            self.chunks.push(WireChunk {
                at: origin.elapsed(),
                direction,
                text: String::from_utf8_lossy(bytes).into_owned(),
            });
        }
    }
}

/// An I/O object that copies what passes through it into a [`WireLog`].
pub struct Tap<T> {
    inner: T,
    log: SharedWireLog,
    origin: Instant,
}

impl<T> Tap<T> {
    /// Wraps `inner`; timestamps count from `origin`.
    pub fn new(inner: T, log: SharedWireLog, origin: Instant) -> Self {
        Tap { inner, log, origin }
    }

    /// Gives back the wrapped I/O object (e.g. to start TLS on it).
    pub fn into_inner(self) -> T {
        self.inner
    }

    fn record(&self, direction: Direction, bytes: &[u8]) {
        if let Ok(mut log) = self.log.lock() {
            log.record(self.origin, direction, bytes);
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Tap<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            this.record(Direction::In, &buf.filled()[before..]);
        }
        result
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tap<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = result {
            this.record(Direction::Out, &buf[..written]);
        }
        result
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn records_both_directions_only_while_recording() {
        let (client, mut server) = tokio::io::duplex(64);
        let log = SharedWireLog::default();
        let mut tap = Tap::new(client, log.clone(), Instant::now());

        tap.write_all(b"<auth>secret</auth>").await.unwrap();
        log.lock().unwrap().set_recording(true);
        tap.write_all(b"<iq/>").await.unwrap();
        server.write_all(b"<message/>").await.unwrap();
        let mut buf = [0u8; 10];
        tap.read_exact(&mut buf).await.unwrap();

        let log = log.lock().unwrap();
        let seen: Vec<_> = log
            .chunks()
            .iter()
            .map(|c| (c.direction, c.text.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![(Direction::Out, "<iq/>"), (Direction::In, "<message/>")]
        );
    }
}
