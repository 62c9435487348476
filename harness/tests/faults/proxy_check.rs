//! The proxy checked on its own, against a fake server on loopback: what
//! it forwards, where its faults fall and what it records, so that a fault
//! trial that passes is not passing on a proxy that did nothing.

use std::time::Duration;

use base64::Engine;
use libtest_mimic::Failed;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::proxy::{Action, Mode, Point, Proxy};

/// The server's bind result, which ends the login.
const BOUND: &[u8] =
    b"<iq type='result' id='b'><bind><jid>juliet@capulet.lit/balcony</jid></bind></iq>";
/// How long a read waits before the check calls it silence.
const QUIET: Duration = Duration::from_millis(300);

/// A server that answers the first read with [`BOUND`] and echoes the
/// rest; returns its address.
async fn fake_server() -> Result<String, Failed> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?.to_string();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut first = true;
                while let Ok(n) = tcp.read(&mut buf).await {
                    let answer = if first { BOUND } else { &buf[..n] };
                    if n == 0 || tcp.write_all(answer).await.is_err() {
                        return;
                    }
                    first = false;
                }
            });
        }
    });
    Ok(address)
}

/// Logs in as juliet through `proxy`, then sends 100 bytes; returns the
/// connection and the bytes that came back within [`QUIET`], and whether
/// the proxy closed it.
async fn log_in_and_echo(proxy: &Proxy) -> Result<(TcpStream, Vec<u8>, bool), Failed> {
    let mut tcp = TcpStream::connect(proxy.address()).await?;
    let plain = base64::engine::general_purpose::STANDARD.encode(b"\0juliet\0pw");
    let auth = format!("<auth mechanism='PLAIN'>{plain}</auth>");
    tcp.write_all(auth.as_bytes()).await?;
    let mut bound = vec![0u8; BOUND.len()];
    tokio::time::timeout(QUIET, tcp.read_exact(&mut bound)).await??;
    tcp.write_all(&[b'x'; 100]).await?;
    let mut echoed = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        match tokio::time::timeout(QUIET, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Ok((tcp, echoed, true)),
            Ok(Ok(n)) => echoed.extend_from_slice(&buf[..n]),
            Err(_) => return Ok((tcp, echoed, false)),
        }
    }
}

/// A cut 10 bytes after login: juliet's connection is recorded, the fault
/// fired, and the client gets at most those bytes, then the end.
pub async fn cut_after_login() -> Result<(), Failed> {
    let mode = Mode::Fault {
        action: Action::Cut,
        point: Point::AfterLogin(10),
    };
    let proxy = Proxy::start(&fake_server().await?, mode).await?;
    let (_tcp, echoed, closed) = log_in_and_echo(&proxy).await?;
    let seen = proxy.connections();
    let record = seen.first().ok_or("no connection recorded")?;
    if record.user.as_deref() != Some("juliet") || !record.fired || !closed {
        return Err(format!("{record:?}, closed: {closed}").into());
    }
    if echoed.len() > 10 {
        return Err(format!("{} bytes passed a cut at 10", echoed.len()).into());
    }
    Ok(())
}

/// A stall 10 bytes after login: nothing more arrives, and nothing closes;
/// the client's stream end is still seen.
pub async fn stall_keeps_it_open() -> Result<(), Failed> {
    let mode = Mode::Fault {
        action: Action::Stall,
        point: Point::AfterLogin(10),
    };
    let proxy = Proxy::start(&fake_server().await?, mode).await?;
    let (mut tcp, echoed, closed) = log_in_and_echo(&proxy).await?;
    tcp.write_all(b"</stream:stream>").await?;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let seen = proxy.connections();
    let record = seen.first().ok_or("no connection recorded")?;
    if closed || echoed.len() > 10 || !record.fired || !record.client_closed {
        return Err(format!("{record:?}, {} bytes, closed: {closed}", echoed.len()).into());
    }
    Ok(())
}

/// Fragmented and delayed, every byte still arrives, in order.
pub async fn shaping_keeps_the_bytes() -> Result<(), Failed> {
    let modes = [
        Mode::Fragment { seed: 1, max: 3 },
        Mode::Coalesce,
        Mode::Jitter {
            seed: 1,
            max: Duration::from_millis(5),
        },
    ];
    for mode in modes {
        let proxy = Proxy::start(&fake_server().await?, mode).await?;
        let (_tcp, echoed, _) = log_in_and_echo(&proxy).await?;
        if echoed != [b'x'; 100] {
            return Err(format!("{mode:?}: {} bytes came back", echoed.len()).into());
        }
    }
    Ok(())
}
