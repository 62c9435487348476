//! Docker Engine API versions: testcontainers talks to the engine through
//! bollard, which asks for its own (recent) API version on every request, and
//! an older engine refuses that outright. When the local engine is older, a
//! small forwarder on a private socket rewrites the version in each request
//! path to one the engine speaks; everything else passes through untouched.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream as StdUnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use http_body_util::BodyExt;
use http_body_util::combinators::BoxBody;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::{UnixListener, UnixStream};

/// The API version bollard (and so testcontainers) asks for.
pub fn client_api_version() -> (u64, u64) {
    let v = bollard::API_DEFAULT_VERSION;
    (v.major_version as u64, v.minor_version as u64)
}

/// Where the engine listens: `DOCKER_HOST` when it is a unix socket, else the
/// default socket.
pub fn engine_socket() -> PathBuf {
    match std::env::var("DOCKER_HOST") {
        Ok(host) => match host.strip_prefix("unix://") {
            Some(path) => PathBuf::from(path),
            None => PathBuf::from(host),
        },
        Err(_) => PathBuf::from("/var/run/docker.sock"),
    }
}

/// Asks the engine for its highest API version (`GET /version`), blocking:
/// this runs before any async runtime exists.
pub fn engine_api_version(socket: &Path) -> Result<(u64, u64), String> {
    let mut stream = StdUnixStream::connect(socket).map_err(|e| {
        format!(
            "cannot reach the Docker Engine at {}: {e}",
            socket.display()
        )
    })?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /version HTTP/1.0\r\nHost: docker\r\n\r\n")
        .map_err(|e| format!("asking the Docker Engine its version: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("reading the Docker Engine's version: {e}"))?;
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    let json: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| format!("the Docker Engine's /version answer is not JSON: {e}"))?;
    json.get("ApiVersion")
        .and_then(|v| v.as_str())
        .and_then(parse_version)
        .ok_or_else(|| format!("no ApiVersion in the Docker Engine's answer: {body}"))
}

fn parse_version(text: &str) -> Option<(u64, u64)> {
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Replaces a leading `/v<major>.<minor>` in `path_and_query` with `version`.
pub fn rewrite_path(path_and_query: &str, version: (u64, u64)) -> String {
    if let Some(rest) = path_and_query.strip_prefix("/v") {
        let end = rest.find('/').unwrap_or(rest.len());
        if parse_version(&rest[..end]).is_some() {
            return format!("/v{}.{}{}", version.0, version.1, &rest[end..]);
        }
    }
    path_and_query.to_owned()
}

/// Serves the forwarder on `listen`, passing requests to `engine` with their
/// API version replaced by `version`. Runs until the process ends.
pub async fn serve_forwarder(listener: UnixListener, engine: PathBuf, version: (u64, u64)) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        let engine = engine.clone();
        tokio::spawn(async move {
            let _ = forward_connection(client, engine, version).await;
        });
    }
}

async fn forward_connection(
    client: UnixStream,
    engine: PathBuf,
    version: (u64, u64),
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let upstream = UnixStream::connect(&engine).await?;
    let (sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(upstream)).await?;
    tokio::spawn(connection.with_upgrades());
    let sender = std::sync::Arc::new(tokio::sync::Mutex::new(sender));
    let service = service_fn(move |request: Request<Incoming>| {
        let sender = sender.clone();
        async move { forward_request(request, &sender, version).await }
    });
    hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(client), service)
        .with_upgrades()
        .await?;
    Ok(())
}

type Sender = tokio::sync::Mutex<hyper::client::conn::http1::SendRequest<Incoming>>;

async fn forward_request(
    mut request: Request<Incoming>,
    sender: &Sender,
    version: (u64, u64),
) -> Result<Response<BoxBody<Bytes, hyper::Error>>, hyper::Error> {
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    if let Ok(uri) = rewrite_path(path, version).parse::<Uri>() {
        *request.uri_mut() = uri;
    }
    let client_upgrade = hyper::upgrade::on(&mut request);
    let mut response = sender.lock().await.send_request(request).await?;
    if response.status() == hyper::StatusCode::SWITCHING_PROTOCOLS {
        let engine_upgrade = hyper::upgrade::on(&mut response);
        tokio::spawn(async move {
            if let (Ok(client), Ok(engine)) = (client_upgrade.await, engine_upgrade.await) {
                let mut client = TokioIo::new(client);
                let mut engine = TokioIo::new(engine);
                let _ = tokio::io::copy_bidirectional(&mut client, &mut engine).await;
            }
        });
    }
    Ok(response.map(|body| body.boxed()))
}

/// A forwarder planned before the async runtime starts; [`Self::spawn`] it
/// inside the runtime before the first container is started.
pub struct EngineBridge {
    listener: std::os::unix::net::UnixListener,
    engine: PathBuf,
    version: (u64, u64),
}

/// The engine's socket as the process found it, for the `docker` command
/// line (which negotiates versions itself and needs no forwarder).
static ENGINE_SOCKET: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// The engine socket for `docker` commands run by the harness.
pub fn engine_host() -> String {
    format!(
        "unix://{}",
        ENGINE_SOCKET.get_or_init(engine_socket).display()
    )
}

/// Where this process's forwarder listens, when it needs one.
fn forwarder_socket() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("xepspec-docker-{}.sock", std::process::id()))
}

/// Removes this process's forwarder socket, if it made one; call it when
/// the process is done with containers.
pub fn remove_forwarder_socket() {
    let _ = std::fs::remove_file(forwarder_socket());
}

/// Checks the engine's API version and, when it is older than bollard's,
/// binds a forwarder socket and points `DOCKER_HOST` at it.
///
/// Must be called while the process has a single thread (before the async
/// runtime is built), because it sets an environment variable.
pub fn bridge_if_needed() -> Result<Option<EngineBridge>, String> {
    let engine = ENGINE_SOCKET.get_or_init(engine_socket).clone();
    let engine_version = engine_api_version(&engine)?;
    if engine_version >= client_api_version() {
        return Ok(None);
    }
    let path = forwarder_socket();
    let _ = std::fs::remove_file(&path);
    let listener = std::os::unix::net::UnixListener::bind(&path)
        .and_then(|l| l.set_nonblocking(true).map(|_| l))
        .map_err(|e| {
            format!(
                "binding the Docker API forwarder at {}: {e}",
                path.display()
            )
        })?;
    // SAFETY: documented precondition: no other thread exists yet, so no one
    // can read the environment while it changes.
    unsafe { std::env::set_var("DOCKER_HOST", format!("unix://{}", path.display())) };
    Ok(Some(EngineBridge {
        listener,
        engine,
        version: engine_version,
    }))
}

impl EngineBridge {
    /// Starts forwarding on the current tokio runtime.
    pub fn spawn(self) -> Result<(), String> {
        let listener = UnixListener::from_std(self.listener)
            .map_err(|e| format!("starting the Docker API forwarder: {e}"))?;
        tokio::spawn(serve_forwarder(listener, self.engine, self.version));
        Ok(())
    }
}

/// A multi-threaded tokio runtime that can start containers: the engine's
/// API version is checked (and bridged when older) first, while the process
/// still has one thread.
pub fn container_runtime() -> Result<tokio::runtime::Runtime, String> {
    let bridge = bridge_if_needed()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the async runtime: {e}"))?;
    if let Some(bridge) = bridge {
        runtime.block_on(async { bridge.spawn() })?;
    }
    Ok(runtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_a_leading_version() {
        assert_eq!(
            rewrite_path("/v1.53/containers/json?all=1", (1, 41)),
            "/v1.41/containers/json?all=1"
        );
        assert_eq!(rewrite_path("/v1.53", (1, 41)), "/v1.41");
        assert_eq!(rewrite_path("/version", (1, 41)), "/version");
        assert_eq!(rewrite_path("/_ping", (1, 41)), "/_ping");
    }

    #[test]
    fn parses_engine_versions() {
        assert_eq!(parse_version("1.41"), Some((1, 41)));
        assert_eq!(parse_version("x"), None);
    }
}
