//! What the real-server trial files share: the targets to run on
//! (`XEPSPEC_TARGETS` narrows them), a runtime that can drive containers,
//! the run of the library's one pipeline in the background with its board
//! of finished cells, and (for the fuzzing trials) each target started once,
//! on first use, with its case limit.

#[allow(dead_code)] // not every trial file uses the board
pub mod board;
#[allow(dead_code)] // only the trials of servers started by hand
pub mod by_hand;
#[allow(dead_code)] // only the fault trials use the proxy
pub mod proxy;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::Failed;
use tokio::sync::{OnceCell, Semaphore};
use xepspec::server::images::{self, BaseSource};
use xepspec::server::{Catalog, LiveTarget, TargetDef, docker_api};

/// Runs `plan` once, in the background, through the library's pipeline
/// (images built first where missing), posting every finished cell on
/// `board`; the board is closed when the run ends, however it ends.
#[allow(dead_code)] // not every trial file runs a plan
pub fn run_in_background(
    runtime: Arc<tokio::runtime::Runtime>,
    catalog: Arc<Catalog>,
    plan: xepspec::runner::Plan,
    judge: xepspec::judge::Judge,
    board: Arc<board::Board>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        runtime.block_on(async {
            let defs: Vec<TargetDef> = plan
                .targets
                .iter()
                .filter_map(|t| match t {
                    xepspec::runner::TargetChoice::Default(def) => Some(def.clone()),
                    xepspec::runner::TargetChoice::External(_) => None,
                })
                .collect();
            images::build(&catalog, &defs, BaseSource::Debootstrap, false, 3).await;
            let stop = tokio_util::sync::CancellationToken::new();
            let on_board = Box::new(board::OnBoard(board.clone()));
            xepspec::runner::run(&plan, &catalog, &judge, &stop, vec![on_board]).await;
        });
        board.close();
    })
}

/// The repository folder `name` (`scenarios`, `snapshots`), found from this
/// test file's crate; tests may rely on the checkout they run in.
#[allow(dead_code)] // not every trial file reads the repository
pub fn repository(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
}

/// The default targets chosen by `XEPSPEC_TARGETS`, else `default` (all
/// when empty).
#[allow(dead_code)] // the CI recipe trial starts its server by hand
fn chosen_targets_or(default: &[&str]) -> Result<(Arc<Catalog>, Vec<TargetDef>), String> {
    let catalog = Catalog::default_catalog().map_err(|e| e.to_string())?;
    let wanted: Vec<String> = std::env::var("XEPSPEC_TARGETS")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_else(|_| default.iter().map(|s| s.to_string()).collect());
    let defs = catalog.select(&wanted).map_err(|e| e.to_string())?;
    Ok((Arc::new(catalog), defs))
}

/// What a trial file needs before its trials: the chosen targets (see
/// [`chosen_targets_or`]) and the runtime. A failure is printed and given
/// as the exit code: 2 for a bad selection, 1 without a Docker Engine.
#[allow(clippy::type_complexity)]
#[allow(dead_code)] // the CI recipe trial starts its server by hand
pub fn setup(
    what: &str,
    default: &[&str],
) -> Result<(Arc<Catalog>, Vec<TargetDef>, Arc<tokio::runtime::Runtime>), ExitCode> {
    let (catalog, defs) = chosen_targets_or(default).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let runtime = runtime(what).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    })?;
    Ok((catalog, defs, runtime))
}

/// The runtime the trials block on; it must exist before any other thread
/// (see `docker_api::container_runtime`).
#[allow(dead_code)] // the CI recipe trial starts its server by hand
fn runtime(what: &str) -> Result<Arc<tokio::runtime::Runtime>, String> {
    docker_api::container_runtime()
        .map(Arc::new)
        .map_err(|e| format!("the {what} need a Docker Engine: {e}"))
}

/// A target once started (or why it could not be).
type StartedTarget = OnceCell<Result<Arc<LiveTarget>, String>>;

/// Each target, started on first use (its image built if missing), with the
/// limit on cases running on it at once.
#[allow(dead_code)] // not every trial file uses every helper
pub struct Targets {
    catalog: Arc<Catalog>,
    started: HashMap<String, (StartedTarget, Semaphore)>,
}

#[allow(dead_code)] // not every trial file uses every helper
impl Targets {
    /// None started yet.
    pub fn new(catalog: Arc<Catalog>, defs: &[TargetDef]) -> Targets {
        let started = defs
            .iter()
            .map(|d| {
                let limit = Semaphore::new(d.concurrency.unwrap_or(64).max(1));
                (d.name.clone(), (OnceCell::new(), limit))
            })
            .collect();
        Targets { catalog, started }
    }

    /// `def` running, and its case limit.
    pub async fn get(&self, def: &TargetDef) -> Result<(Arc<LiveTarget>, &Semaphore), Failed> {
        let (cell, limit) = self
            .started
            .get(&def.name)
            .ok_or_else(|| format!("{} was not chosen", def.name))?;
        let target = cell
            .get_or_init(|| async {
                images::build(
                    &self.catalog,
                    std::slice::from_ref(def),
                    BaseSource::Debootstrap,
                    false,
                    1,
                )
                .await;
                LiveTarget::start(&self.catalog, def)
                    .await
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .await
            .clone()
            .map_err(Failed::from)?;
        Ok((target, limit))
    }
}
