//! A fake XMPP server that misbehaves on purpose, for the tests that check
//! xepspec stays bounded and says why when a server talks garbage: random
//! bytes, broken XML after a valid stream header, silence, or a connection
//! closed early; and a player that sends a given script of bytes, in given
//! pieces, then ends its half of the connection.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The domain the fake server claims to serve.
pub const DOMAIN: &str = "capulet.lit";

/// A server's stream header for [`DOMAIN`].
pub const HEADER: &str = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
    xmlns:stream='http://etherx.jabber.org/streams' id='garbage-1' from='capulet.lit' \
    version='1.0'>";

/// Stream features offering SASL PLAIN and in-band registration.
pub const FEATURES: &str = "<stream:features><mechanisms \
    xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>\
    <register xmlns='http://jabber.org/features/iq-register'/></stream:features>";

/// The end of a stream.
pub const FOOTER: &str = "</stream:stream>";

/// How long a connection of the fake server lives at most.
const CONNECTION_BOUND: Duration = Duration::from_secs(60);

/// How a [`GarbageServer`] misbehaves on every connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Random bytes, without end, from a seed.
    RandomBytes,
    /// A valid stream header, then XML that is not well-formed (and never
    /// says `features`).
    BrokenXmlAfterHeader,
    /// A valid stream header, then stream features whose end tag does not
    /// match.
    BrokenXmlInFeatures,
    /// Accepts, reads, and sends nothing.
    Silence,
    /// A valid stream header, then the connection closed.
    CloseAfterHeader,
    /// A valid stream header and half the stream features, then closed.
    CloseMidFeatures,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 6] = [
        Mode::RandomBytes,
        Mode::BrokenXmlAfterHeader,
        Mode::BrokenXmlInFeatures,
        Mode::Silence,
        Mode::CloseAfterHeader,
        Mode::CloseMidFeatures,
    ];

    /// Its name, for target names and messages.
    pub fn name(self) -> &'static str {
        match self {
            Mode::RandomBytes => "random-bytes",
            Mode::BrokenXmlAfterHeader => "broken-xml-after-header",
            Mode::BrokenXmlInFeatures => "broken-xml-in-features",
            Mode::Silence => "silence",
            Mode::CloseAfterHeader => "close-after-header",
            Mode::CloseMidFeatures => "close-mid-features",
        }
    }
}

/// A fake server on a loopback port, serving every connection in its mode
/// until dropped.
pub struct GarbageServer {
    /// `127.0.0.1:PORT`.
    pub address: String,
    accepting: JoinHandle<()>,
}

impl GarbageServer {
    /// Listens on a free loopback port.
    pub async fn start(mode: Mode, seed: u64) -> std::io::Result<GarbageServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?.to_string();
        let accepting = tokio::spawn(async move {
            let mut connection = 0u64;
            while let Ok((tcp, _)) = listener.accept().await {
                connection += 1;
                let seed = seed ^ connection.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                tokio::spawn(tokio::time::timeout(
                    CONNECTION_BOUND,
                    misbehave(tcp, mode, seed),
                ));
            }
        });
        Ok(GarbageServer { address, accepting })
    }
}

impl Drop for GarbageServer {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn misbehave(mut tcp: TcpStream, mode: Mode, seed: u64) {
    let _ = tcp.set_nodelay(true);
    let sent = match mode {
        Mode::RandomBytes => {
            let mut random = XorShift(seed | 1);
            loop {
                let chunk: Vec<u8> = (0..4096).map(|_| random.byte()).collect();
                if tcp.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        Mode::BrokenXmlAfterHeader => {
            let broken = "<message><body>&bogus;</body></messag><</>\u{0}";
            tcp.write_all(format!("{HEADER}{broken}").as_bytes()).await
        }
        Mode::BrokenXmlInFeatures => {
            let broken = FEATURES.replace("</stream:features>", "</stream:feature>");
            tcp.write_all(format!("{HEADER}{broken}").as_bytes()).await
        }
        Mode::Silence => Ok(()),
        Mode::CloseAfterHeader => {
            let _ = tcp.write_all(HEADER.as_bytes()).await;
            return;
        }
        Mode::CloseMidFeatures => {
            let half = &FEATURES[..FEATURES.len() / 2];
            let _ = tcp.write_all(format!("{HEADER}{half}").as_bytes()).await;
            return;
        }
    };
    if sent.is_ok() {
        drain(&mut tcp).await;
    }
}

/// Reads and forgets until the peer closes.
async fn drain(tcp: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = tcp.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

/// Sends `script` on `tcp` in pieces of the sizes `pieces` gives (cycled;
/// the rest in one piece when empty), ends the sending half, and reads
/// until the client closes or `bound` passes.
pub async fn play(mut tcp: TcpStream, script: &[u8], pieces: &[usize], bound: Duration) {
    let _ = tcp.set_nodelay(true);
    let work = async {
        let mut rest = script;
        let mut sizes = pieces.iter().copied().filter(|&n| n > 0).cycle();
        while !rest.is_empty() {
            let n = sizes.next().unwrap_or(rest.len()).min(rest.len());
            if tcp.write_all(&rest[..n]).await.is_err() {
                return;
            }
            rest = &rest[n..];
        }
        let _ = tcp.shutdown().await;
        drain(&mut tcp).await;
    };
    let _ = tokio::time::timeout(bound, work).await;
}

/// A small seeded generator (xorshift64), so the random bytes repeat.
struct XorShift(u64);

impl XorShift {
    fn byte(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 32) as u8
    }
}
