//! A target's container started by hand, as a server implementer's own
//! server would be: `docker run` of a built image with its client port
//! published on loopback, reached as an external server, and removed when
//! dropped (even when a trial fails).

use std::process::Command;
use std::time::{Duration, Instant};

/// The domain every image serves.
pub const DOMAIN: &str = "capulet.lit";

/// A running container, removed when dropped.
pub struct ByHand {
    /// The container's id.
    pub id: String,
    /// `127.0.0.1:PORT` of its client port.
    pub address: String,
}

impl ByHand {
    /// Runs `image` (e.g. `xepspec/prosody-13:latest`) with the environment
    /// `env`, and waits until it answers a stream header.
    pub async fn start(image: &str, env: &[&str]) -> Result<ByHand, String> {
        let label = format!("org.xepspec.run={}", std::process::id());
        let mut args = vec![
            "run",
            "-d",
            "--rm",
            "-p",
            "127.0.0.1::5222",
            "--label",
            &label,
        ];
        for variable in env {
            args.extend(["-e", variable]);
        }
        args.push(image);
        let id = docker(&args)?;
        // From here on, dropping `running` removes the container.
        let mut running = ByHand {
            id,
            address: String::new(),
        };
        let port = docker(&["port", &running.id, "5222/tcp"])?;
        running.address = port.lines().next().unwrap_or_default().trim().to_owned();
        let deadline = Instant::now() + Duration::from_secs(60);
        xepspec::server::container::wait_until_ready(&running.address, DOMAIN, deadline).await?;
        Ok(running)
    }
}

impl Drop for ByHand {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.id]).output();
    }
}

/// Runs `docker ARGS`; its output, or what it said on failure.
pub fn docker(args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .output()
        .map_err(|e| format!("docker {}: {e}", args[0]))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("docker {}: {}", args.join(" "), err.trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
