//! `xepspec mutants`: runs the suite on the mutant targets and their clean
//! parents in one plan, prints the kill matrix, and exits 0 when every
//! mutant is killed on target, 1 when one survives or a parent cell is
//! `error` (130 when interrupted).

use std::path::PathBuf;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use super::signals::{Signals, cancel_on_signal};
use crate::mutants::{self, KillMatrix, render};
use crate::runner::{Progress, Reports, Subscriber};
use crate::scenario::{ScenarioSource, plan};
use crate::server::Catalog;

/// What `xepspec mutants` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct MutantsOptions {
    /// Mutants to run, by name (`no-autocreate`) or target name
    /// (`prosody-13-no-autocreate`); repeatable; default: every mutant.
    #[arg(long = "mutant", value_name = "NAME")]
    pub mutants: Vec<String>,
    /// Write mutants.json and mutants.md (and the run's matrix.json,
    /// junit.xml, matrix.md, index.html) into this folder.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Cases running at once, across all targets.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
    /// Don't build missing or outdated images first.
    #[arg(long)]
    pub no_build: bool,
}

/// Runs, prints and writes the kill matrix; returns the exit code, or a
/// usage/scenario error.
pub async fn run(
    catalog: &Catalog,
    source: &ScenarioSource,
    options: MutantsOptions,
) -> Result<u8, String> {
    let scenarios = source.load().map_err(|e| e.to_string())?;
    let selection = mutants::select(catalog, &options.mutants)?;
    let stop = CancellationToken::new();
    let watcher = tokio::spawn(cancel_on_signal(stop.clone(), Signals::catch()?));
    let mut subscribers: Vec<Box<dyn Subscriber>> = vec![Box::new(Progress::new())];
    if let Some(dir) = &options.report {
        subscribers.push(Box::new(Reports::new(dir.clone(), false)));
    }
    let started = Instant::now();
    let (kills, result) = mutants::run(
        catalog,
        &selection,
        plan(&scenarios, None),
        options.jobs,
        !options.no_build,
        &stop,
        subscribers,
    )
    .await;
    watcher.abort();
    print!("{}", render::text(&kills));
    println!(
        "{} cells in {:.1} s",
        result.matrix.cells.len(),
        started.elapsed().as_secs_f64()
    );
    let mut problems = result.problems;
    if let Some(dir) = &options.report {
        problems.extend(write(dir, &kills).err());
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    if let Some(dir) = &options.report {
        println!("reports: {}", dir.display());
    }
    Ok(if kills.interrupted {
        130
    } else {
        u8::from(!kills.holds())
    })
}

/// Writes `mutants.json` and `mutants.md` into `dir`.
fn write(dir: &std::path::Path, kills: &KillMatrix) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let json = serde_json::to_string_pretty(kills).map_err(|e| e.to_string())?;
    for (name, text) in [
        ("mutants.json", json),
        ("mutants.md", render::markdown(kills)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(())
}
