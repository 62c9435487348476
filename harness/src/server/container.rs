//! Starting a target's image with testcontainers: port 5222 published on a
//! loopback port, ready once the server answers a real stream header.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::models::PortBinding;
use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericImage, ImageExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::catalog::TargetDef;
use super::error::TargetError;
use crate::ns;

/// The XMPP domain every default image serves.
pub const DOMAIN: &str = "capulet.lit";
/// The c2s port inside the container.
pub const C2S_PORT: u16 = 5222;
/// How long a server may take to answer its first stream header.
pub const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A running container and the loopback address of its c2s port.
pub struct RunningContainer {
    /// Kept so the container lives as long as this value (removed on drop).
    pub container: ContainerAsync<GenericImage>,
    /// `127.0.0.1:<port>`.
    pub address: String,
    /// How long from asking for the container until the server answered.
    pub ready_after: Duration,
}

/// Starts `def`'s image (never pulling: a missing image is an error) and
/// waits until its server answers a stream header.
pub async fn start(def: &TargetDef) -> Result<RunningContainer, TargetError> {
    let started = Instant::now();
    let image = GenericImage::new(def.image(), TargetDef::TAG.to_owned())
        .with_exposed_port(C2S_PORT.tcp())
        .with_wait_for(WaitFor::Nothing);
    let request = image
        .with_label("org.xepspec.run", std::process::id().to_string())
        .with_host_config_modifier(|host| {
            let binding = PortBinding {
                host_ip: Some("127.0.0.1".into()),
                host_port: Some(String::new()),
            };
            host.publish_all_ports = Some(false);
            host.port_bindings = Some(HashMap::from([(
                format!("{C2S_PORT}/tcp"),
                Some(vec![binding]),
            )]));
        });
    let container = request.start().await.map_err(|e| TargetError::NotReady {
        target: def.name.clone(),
        reason: format!("starting the container: {e}"),
    })?;
    let port = match container.get_host_port_ipv4(C2S_PORT.tcp()).await {
        Ok(port) => port,
        // A container that already exited has no mapped ports: say so.
        Err(e) => {
            let reason = match container.is_running().await {
                Ok(false) => exited(&container).await,
                _ => format!("finding the mapped port: {e}"),
            };
            return Err(TargetError::NotReady {
                target: def.name.clone(),
                reason,
            });
        }
    };
    let address = format!("127.0.0.1:{port}");
    let ready = tokio::select! {
        ready = wait_until_ready(&address, DOMAIN, started + READY_TIMEOUT) => ready,
        stopped = exited(&container) => Err(stopped),
    };
    if let Err(reason) = ready {
        let logs = container.stdout_to_vec().await.unwrap_or_default();
        let errs = container.stderr_to_vec().await.unwrap_or_default();
        let tail = last_lines(&[logs, errs].concat(), 12);
        return Err(TargetError::NotReady {
            target: def.name.clone(),
            reason: format!("{reason}; server output ends:\n{tail}"),
        });
    }
    Ok(RunningContainer {
        container,
        address,
        ready_after: started.elapsed(),
    })
}

/// Resolves when the container is no longer running (checked every 100 ms),
/// so a server that dies at start fails at once, not after the timeout.
async fn exited(container: &ContainerAsync<GenericImage>) -> String {
    loop {
        match container.is_running().await {
            Ok(true) => tokio::time::sleep(Duration::from_millis(100)).await,
            Ok(false) => {
                let code = container.exit_code().await.ok().flatten();
                return format!(
                    "the container exited (code {})",
                    code.map_or("unknown".into(), |c| c.to_string())
                );
            }
            Err(e) => return format!("the container cannot be inspected: {e}"),
        }
    }
}

fn last_lines(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Polls `address` until a server there answers a client stream header with
/// its own stream header and features, or `deadline` passes. An open port is
/// not enough: Docker's port proxy accepts connections before the server does.
pub async fn wait_until_ready(
    address: &str,
    domain: &str,
    deadline: Instant,
) -> Result<(), String> {
    let mut last = String::from("no attempt made");
    while Instant::now() < deadline {
        let attempt = tokio::time::timeout(Duration::from_secs(2), stream_answers(address, domain));
        match attempt.await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(e)) => last = e,
            Err(_) => last = "no stream features within 2 s".into(),
        }
        // A poll interval between connection attempts, not a barrier.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(format!(
        "not ready before the deadline (last attempt: {last})"
    ))
}

async fn stream_answers(address: &str, domain: &str) -> Result<(), String> {
    let mut tcp = TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    stream_features(&mut tcp, domain).await.map(|_| ())
}

/// Sends a client stream header on `tcp` and reads until the server's
/// stream features (returned as text), then closes the stream.
pub(crate) async fn stream_features(tcp: &mut TcpStream, domain: &str) -> Result<String, String> {
    let header = format!(
        "<?xml version='1.0'?><stream:stream to='{domain}' version='1.0' \
         xmlns='{}' xmlns:stream='{}'>",
        ns::JABBER_CLIENT,
        ns::STREAM
    );
    tcp.write_all(header.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let n = tcp.read(&mut buf).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before stream features".into());
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(text) = features_in(&seen)? {
            let _ = tcp.write_all(b"</stream:stream>").await;
            return Ok(text);
        }
    }
}

/// How much of an answer is read while looking for stream features: a real
/// server's header and features fit in it many times over.
const ANSWER_LIMIT: usize = 64 * 1024;

/// The answer so far as text once it holds stream features, `None` while
/// they may still come, and an error as soon as it cannot be a stream that
/// offers them: not XML, a stream error, or too long without them.
fn features_in(seen: &[u8]) -> Result<Option<String>, String> {
    let start = seen.strip_prefix(b"\xef\xbb\xbf").unwrap_or(seen);
    if let Some(first) = start.iter().find(|b| !b.is_ascii_whitespace())
        && *first != b'<'
    {
        let excerpt = String::from_utf8_lossy(&start[..start.len().min(32)]).into_owned();
        return Err(format!("the answer is not XML: it starts {excerpt:?}"));
    }
    let text = String::from_utf8_lossy(seen);
    if text.contains("features") {
        return Ok(Some(text.into_owned()));
    }
    if text.contains("stream:error") {
        return Err(format!("stream error: {text}"));
    }
    if let Some(name) = first_after_header(&text) {
        return Err(format!(
            "after its stream header the server sent <{name}>, not stream features"
        ));
    }
    if seen.len() > ANSWER_LIMIT {
        return Err(format!(
            "no stream features in the first {ANSWER_LIMIT} bytes of the answer"
        ));
    }
    Ok(None)
}

/// The name of the first element after the stream header, once its name
/// has arrived (comments and processing instructions leave it undecided).
fn first_after_header(text: &str) -> Option<&str> {
    let open = text.find("<stream:stream")?;
    let header_end = open + text[open..].find('>')? + 1;
    let tag = text[header_end..].trim_start().strip_prefix('<')?;
    if tag.starts_with(['!', '?']) {
        return None;
    }
    let end = tag.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    Some(&tag[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_at_once() {
        let refused = features_in(b"\x16\x03\x01 hello").unwrap_err();
        assert!(refused.starts_with("the answer is not XML"), "{refused}");
        assert!(features_in(&[b'<'; ANSWER_LIMIT + 1]).is_err());
    }

    #[test]
    fn a_stream_is_read_until_its_features() {
        let header = b"\xef\xbb\xbf <?xml version='1.0'?><stream:stream xmlns='jabber:client'>";
        assert_eq!(features_in(header), Ok(None));
        let whole = [&header[..], b"<stream:features/>"].concat();
        assert!(features_in(&whole).unwrap().is_some());
        let partial = [&header[..], b"<stream:feat"].concat();
        assert_eq!(features_in(&partial), Ok(None));
    }

    #[test]
    fn another_element_where_features_belong_is_refused() {
        let answer = b"<stream:stream xmlns='jabber:client'>\n<message><body/></message>";
        let refused = features_in(answer).unwrap_err();
        assert!(refused.contains("sent <message>"), "{refused}");
    }
}
