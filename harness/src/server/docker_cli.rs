//! Running the `docker` command line (for builds, inspection and version
//! reads), always against the engine's own socket.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::docker_api::engine_host;

/// A `docker` command with the engine's socket set.
pub fn docker() -> Command {
    let mut command = Command::new("docker");
    command.env("DOCKER_HOST", engine_host()).kill_on_drop(true);
    command
}

/// Runs `command`, returning stdout, or stderr's text as the error.
pub async fn output(mut command: Command) -> Result<String, String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| format!("cannot run {:?}: {e}", command.as_std().get_program()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// Runs `command`, handing each output line (stdout and stderr) to `line`;
/// on failure the error carries the last lines.
pub async fn streamed(mut command: Command, mut line: impl FnMut(&str)) -> Result<(), String> {
    let program = format!("{:?}", command.as_std().get_program());
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for reader in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(text)) = lines.next_line().await {
                let _ = tx.send(text);
            }
        });
    }
    drop(tx);
    let mut tail: std::collections::VecDeque<String> = Default::default();
    while let Some(text) = rx.recv().await {
        line(&text);
        tail.push_back(text);
        if tail.len() > 15 {
            tail.pop_front();
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        let tail: Vec<String> = tail.into_iter().collect();
        Err(format!(
            "{program} exited with {status}; last output:\n{}",
            tail.join("\n")
        ))
    }
}
