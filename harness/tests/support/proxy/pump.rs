//! One proxied connection: a reader and a writer per direction. Readers
//! look at the XML passing (the client's SASL auth and stream end, the
//! server's bind result), decide the fault, and queue chunks with the time
//! they are due; writers shape them onto the other socket.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Action, Connection, Mode, Point};

/// How long coalescing waits for more bytes to join a write.
const GATHER: Duration = Duration::from_millis(5);

/// What a reader hands its writer.
enum Chunk {
    /// Bytes, to be written at `due`.
    Data(Instant, Vec<u8>),
    /// The source ended: end this side too.
    End,
    /// The fault is a cut: close everything once the bytes before it went.
    Cut,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Client to server.
    Up,
    /// Server to client.
    Down,
}

/// What a reader does with the chunk it read.
enum Forward {
    All,
    Nothing,
    /// The first `n` bytes, then the fault.
    Then(usize, Action),
}

/// The connection's state both directions share.
struct Shared {
    record: Arc<Mutex<Connection>>,
    mode: Mode,
    /// Where the fault fires, when it does, after login.
    drawn: u64,
    stalled: Mutex<bool>,
    /// The text the client sent before its auth was read; `None` after.
    auth_text: Mutex<Option<Vec<u8>>>,
    tails: Mutex<[Vec<u8>; 2]>,
    end: CancellationToken,
}

/// Forwards between `client` and `server` as `mode` says, until both sides
/// ended (or a cut, or the client leaving a stalled connection).
pub async fn forward(
    client: TcpStream,
    server: TcpStream,
    mode: Mode,
    index: u64,
    record: Arc<Mutex<Connection>>,
) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let drawn = match mode {
        Mode::Fault {
            point: Point::RandomAfterLogin { seed, below },
            ..
        } => StdRng::seed_from_u64(seed ^ index).random_range(0..below.max(1)),
        _ => 0,
    };
    let shared = Arc::new(Shared {
        record,
        mode,
        drawn,
        stalled: Mutex::new(false),
        auth_text: Mutex::new(Some(Vec::new())),
        tails: Mutex::new([Vec::new(), Vec::new()]),
        end: CancellationToken::new(),
    });
    let (client_in, client_out) = client.into_split();
    let (server_in, server_out) = server.into_split();
    let (up_tx, up_rx) = mpsc::unbounded_channel();
    let (down_tx, down_rx) = mpsc::unbounded_channel();
    let seed = match mode {
        Mode::Jitter { seed, .. } | Mode::Fragment { seed, .. } => seed ^ index.rotate_left(16),
        _ => 0,
    };
    tokio::join!(
        read(client_in, up_tx, Direction::Up, &shared, seed),
        read(server_in, down_tx, Direction::Down, &shared, seed ^ 1),
        write(server_out, up_rx, &shared, Direction::Up, seed ^ 2),
        write(client_out, down_rx, &shared, Direction::Down, seed ^ 3),
    );
}

async fn read(
    mut from: OwnedReadHalf,
    to: mpsc::UnboundedSender<Chunk>,
    direction: Direction,
    shared: &Shared,
    seed: u64,
) {
    let mut jitter = StdRng::seed_from_u64(seed);
    let mut last_due = Instant::now();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let read = tokio::select! {
            read = from.read(&mut buf) => read,
            _ = shared.end.cancelled() => return,
        };
        let n = match read {
            Ok(n) if n > 0 => n,
            _ => {
                shared.on_eof(direction, &to);
                return;
            }
        };
        let due = match shared.mode {
            Mode::Delay(by) => Instant::now() + by,
            Mode::Jitter { max, .. } => {
                let wait = jitter.random_range(0..=max.as_millis() as u64);
                last_due.max(Instant::now() + Duration::from_millis(wait))
            }
            _ => Instant::now(),
        };
        last_due = due;
        match shared.inspect(direction, &buf[..n]) {
            Forward::All => {
                let _ = to.send(Chunk::Data(due, buf[..n].to_vec()));
            }
            Forward::Nothing => {}
            Forward::Then(k, action) => {
                let _ = to.send(Chunk::Data(due, buf[..k].to_vec()));
                if action == Action::Cut {
                    let _ = to.send(Chunk::Cut);
                    return;
                }
            }
        }
    }
}

async fn write(
    mut to: OwnedWriteHalf,
    mut chunks: mpsc::UnboundedReceiver<Chunk>,
    shared: &Shared,
    direction: Direction,
    seed: u64,
) {
    let mut sizes = StdRng::seed_from_u64(seed);
    loop {
        let chunk = tokio::select! {
            chunk = chunks.recv() => chunk,
            _ = shared.end.cancelled() => return,
        };
        let (due, mut bytes) = match chunk {
            Some(Chunk::Data(due, bytes)) => (due, bytes),
            Some(Chunk::End) => {
                let _ = to.shutdown().await;
                return;
            }
            Some(Chunk::Cut) => return shared.end.cancel(),
            // The reader stopped without an end (a stall): hold this side
            // open until the connection ends.
            None => return shared.end.cancelled().await,
        };
        tokio::select! {
            _ = tokio::time::sleep_until(due) => {}
            _ = shared.end.cancelled() => return,
        }
        let mut after = None;
        if let Mode::Coalesce = shared.mode {
            while bytes.len() < 64 * 1024 {
                match tokio::time::timeout(GATHER, chunks.recv()).await {
                    Ok(Some(Chunk::Data(_, more))) => bytes.extend(more),
                    Ok(other) => {
                        after = Some(other);
                        break;
                    }
                    Err(_) => break,
                }
            }
        }
        let written = match shared.mode {
            Mode::Fragment { max, .. } if direction == Direction::Down => {
                fragments(&mut to, &bytes, &mut sizes, max).await
            }
            _ => to.write_all(&bytes).await,
        };
        if written.is_err() {
            return shared.end.cancel();
        }
        match after {
            Some(Some(Chunk::End)) => {
                let _ = to.shutdown().await;
                return;
            }
            Some(Some(Chunk::Cut)) => return shared.end.cancel(),
            Some(None) => return shared.end.cancelled().await,
            _ => {}
        }
    }
}

/// Writes `bytes` in pieces of 1 to `max` bytes, each a write of its own.
async fn fragments(
    to: &mut OwnedWriteHalf,
    mut bytes: &[u8],
    sizes: &mut StdRng,
    max: usize,
) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let size = sizes.random_range(1..=max.max(1)).min(bytes.len());
        to.write_all(&bytes[..size]).await?;
        bytes = &bytes[size..];
    }
    Ok(())
}

impl Shared {
    fn on_eof(&self, direction: Direction, to: &mpsc::UnboundedSender<Chunk>) {
        let stalled = self.stalled.lock().map(|s| *s).unwrap_or(false);
        if direction == Direction::Up
            && let Ok(mut record) = self.record.lock()
        {
            record.client_closed = true;
        }
        match (stalled, direction) {
            // The client left a stalled connection: it is over.
            (true, Direction::Up) => self.end.cancel(),
            // The server's end is not forwarded through a stall.
            (true, Direction::Down) => {}
            (false, _) => {
                let _ = to.send(Chunk::End);
            }
        }
    }

    /// Reads what passes and decides what of `chunk` goes on.
    fn inspect(&self, direction: Direction, chunk: &[u8]) -> Forward {
        let seen = self.scan(direction, chunk);
        let Ok(mut stalled) = self.stalled.lock() else {
            return Forward::All;
        };
        let Ok(mut record) = self.record.lock() else {
            return Forward::All;
        };
        if let Some(user) = seen.user {
            record.user = Some(user);
        }
        if seen.client_end {
            record.client_closed = true;
        }
        if seen.bound && record.user.is_some() && record.login_at.is_none() {
            record.login_at = Some(record.bytes + chunk.len() as u64);
        }
        if *stalled {
            return Forward::Nothing;
        }
        let start = record.bytes;
        record.bytes += chunk.len() as u64;
        let Mode::Fault { action, point } = self.mode else {
            return Forward::All;
        };
        if record.fired || record.client_closed || record.user.is_none() {
            return Forward::All;
        }
        let at = match (point, record.login_at) {
            (Point::FromStart(n), _) => n,
            (Point::AfterLogin(n), Some(login)) => login + n,
            (Point::RandomAfterLogin { .. }, Some(login)) => login + self.drawn,
            (_, None) => return Forward::All,
        };
        if record.bytes <= at {
            return Forward::All;
        }
        record.fired = true;
        *stalled = action == Action::Stall;
        Forward::Then(at.saturating_sub(start) as usize, action)
    }

    /// What `chunk`, with the end of what came before it, shows.
    fn scan(&self, direction: Direction, chunk: &[u8]) -> Seen {
        let mut seen = Seen::default();
        let side = direction as usize;
        let Ok(mut tails) = self.tails.lock() else {
            return seen;
        };
        let tail = &mut tails[side];
        let mut text = std::mem::take(tail);
        text.extend_from_slice(chunk);
        match direction {
            Direction::Up => {
                seen.client_end = find(&text, b"</stream:stream>").is_some();
                seen.user = self.auth_user(chunk);
            }
            Direction::Down => seen.bound = find(&text, b"</jid>").is_some(),
        }
        *tail = text[text.len().saturating_sub(32)..].to_vec();
        seen
    }

    /// The account named in the client's `<auth/>`, once it has all come.
    fn auth_user(&self, chunk: &[u8]) -> Option<String> {
        let mut pending = self.auth_text.lock().ok()?;
        let text = pending.as_mut()?;
        text.extend_from_slice(chunk);
        let start = find(text, b"<auth")?;
        let open = start + find(&text[start..], b">")? + 1;
        let user = if text[open - 2] == b'/' {
            None
        } else {
            let close = open + find(&text[open..], b"</auth>")?;
            let payload = base64::engine::general_purpose::STANDARD
                .decode(text[open..close].trim_ascii())
                .unwrap_or_default();
            sasl_user(&payload)
        };
        *pending = None;
        Some(user.unwrap_or_else(|| "?".into()))
    }
}

#[derive(Default)]
struct Seen {
    user: Option<String>,
    client_end: bool,
    bound: bool,
}

/// The user a SASL initial response names: PLAIN's authcid, SCRAM's `n=`.
fn sasl_user(payload: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(payload);
    if text.contains('\0') {
        return text.split('\0').nth(1).map(str::to_owned);
    }
    text.split(',')
        .skip(2)
        .find_map(|part| part.strip_prefix("n="))
        .map(str::to_owned)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
