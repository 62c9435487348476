//! A target of the fault trials: containers of a built image (lanes),
//! started here on first use (not by xepspec) and removed when dropped; a
//! trial holds one lane for its run. A server that takes one case at a time
//! (ejabberd) gets two lanes, so that its slow modes run side by side; the
//! direct run is made once, on a lane like any other.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use libtest_mimic::Failed;
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit};
use xepspec::scenario::Case;
use xepspec::server::container::{DOMAIN, wait_until_ready};
use xepspec::server::images::{self, BaseSource, BuildOutcome};
use xepspec::server::{Catalog, TargetDef};

use crate::cells::{self, Run};

/// A server the trials share.
pub struct Server {
    /// Its name in reports and trial names.
    pub name: String,
    catalog: Arc<Catalog>,
    def: TargetDef,
    lanes: Vec<OnceCell<Result<Running, String>>>,
    free: std::sync::Mutex<Vec<usize>>,
    permits: Semaphore,
    baseline: OnceCell<Result<Run, String>>,
}

/// A lane a trial holds; given back when dropped.
pub struct Lane<'a> {
    server: &'a Server,
    index: usize,
    _permit: SemaphorePermit<'a>,
}

impl Lane<'_> {
    /// `host:port` of its container's client port, once it answers.
    pub async fn address(&self) -> Result<&str, Failed> {
        let server = self.server;
        let started = server.lanes[self.index]
            .get_or_init(|| server.start())
            .await;
        match started {
            Ok(running) => Ok(&running.address),
            Err(e) => Err(e.clone().into()),
        }
    }
}

impl Drop for Lane<'_> {
    fn drop(&mut self) {
        if let Ok(mut free) = self.server.free.lock() {
            free.push(self.index);
        }
    }
}

/// A running container and its client port.
struct Running {
    id: String,
    address: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.id]).output();
    }
}

impl Server {
    /// The default target `def`, not started yet.
    pub fn new(catalog: Arc<Catalog>, def: TargetDef) -> Server {
        let lanes = if def.concurrency == Some(1) { 2 } else { 1 };
        Server {
            name: def.name.clone(),
            catalog,
            def,
            lanes: (0..lanes).map(|_| OnceCell::new()).collect(),
            free: std::sync::Mutex::new((0..lanes).rev().collect()),
            permits: Semaphore::new(lanes),
            baseline: OnceCell::new(),
        }
    }

    /// A lane of its own, once one is free.
    pub async fn lane(&self) -> Result<Lane<'_>, Failed> {
        let permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        let index = self
            .free
            .lock()
            .map_err(|e| e.to_string())?
            .pop()
            .ok_or("a permit without a free lane")?;
        Ok(Lane {
            server: self,
            index,
            _permit: permit,
        })
    }

    /// The slice run directly, once.
    pub async fn baseline(&self, cases: &[Case]) -> Result<&Run, Failed> {
        let run = self
            .baseline
            .get_or_init(|| async {
                let lane = self.lane().await.map_err(message)?;
                let address = lane.address().await.map_err(message)?;
                cells::run(&self.name, cases, address).await
            })
            .await;
        run.as_ref().map_err(|e| Failed::from(e.clone()))
    }

    async fn start(&self) -> Result<Running, String> {
        let defs = std::slice::from_ref(&self.def);
        let built = images::build(&self.catalog, defs, BaseSource::Debootstrap, false, 1).await;
        if let Some((_, BuildOutcome::Failed(e))) = built.first() {
            return Err(e.to_string());
        }
        let image = format!("{}:{}", self.def.image(), TargetDef::TAG);
        let label = format!("org.xepspec.run={}", std::process::id());
        let id = docker(&[
            "run",
            "-d",
            "--rm",
            "-p",
            "127.0.0.1::5222",
            "--label",
            &label,
            &image,
        ])?;
        // From here on, dropping `running` removes the container.
        let mut running = Running {
            id,
            address: String::new(),
        };
        let port = docker(&["port", &running.id, "5222/tcp"])?;
        running.address = port.lines().next().unwrap_or_default().trim().to_owned();
        let clock = Instant::now();
        wait_until_ready(&running.address, DOMAIN, clock + Duration::from_secs(60)).await?;
        println!(
            "{}: answering {:.1} s after its start",
            self.name,
            clock.elapsed().as_secs_f64()
        );
        Ok(running)
    }
}

fn message(failed: Failed) -> String {
    failed.message().unwrap_or("failed").to_owned()
}

fn docker(args: &[&str]) -> Result<String, String> {
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
