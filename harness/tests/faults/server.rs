//! A target of the fault trials: containers of a built image (lanes),
//! started here on first use (not by xepspec) and removed when dropped; a
//! trial holds one lane for its run. A server that takes one case at a time
//! (ejabberd) gets a lane per part of the stall trial and one more, so that
//! its slow modes run side by side; the
//! direct run is made once, on a lane like any other.

use std::sync::Arc;
use std::time::Instant;

use libtest_mimic::Failed;
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit};
use xepspec::scenario::Case;
use xepspec::server::images::{self, BaseSource, BuildOutcome};
use xepspec::server::{Catalog, TargetDef};

use crate::cells::{self, Run};
use crate::support::by_hand::ByHand;

/// A server the trials share.
pub struct Server {
    /// Its name in reports and trial names.
    pub name: String,
    catalog: Arc<Catalog>,
    def: TargetDef,
    lanes: Vec<OnceCell<Result<ByHand, String>>>,
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

impl Server {
    /// The default target `def`, not started yet.
    pub fn new(catalog: Arc<Catalog>, def: TargetDef) -> Server {
        // One lane per part of the stall trial, and one for the other
        // modes, so that the parts run side by side.
        let lanes = if def.concurrency == Some(1) {
            crate::STALL_PARTS + 1
        } else {
            1
        };
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

    /// Whether it takes one case at a time (its lanes are then several).
    pub fn one_at_a_time(&self) -> bool {
        self.def.concurrency == Some(1)
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

    async fn start(&self) -> Result<ByHand, String> {
        let defs = std::slice::from_ref(&self.def);
        let built = images::build(&self.catalog, defs, BaseSource::Debootstrap, false, 1).await;
        if let Some((_, BuildOutcome::Failed(e))) = built.first() {
            return Err(e.to_string());
        }
        let image = format!("{}:{}", self.def.image(), TargetDef::TAG);
        let clock = Instant::now();
        let running = ByHand::start(&image, &[]).await?;
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
