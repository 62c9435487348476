//! `xepspec run`: load, plan, run on the chosen targets, check snapshots,
//! print the matrix, write the reports, and exit 0 when nothing failed that
//! was not expected, 1 otherwise (130 when interrupted).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use tokio_util::sync::CancellationToken;

use crate::commands::external_args::ExternalArgs;
use crate::matrix::{Matrix, TargetChoice, expectations, run_matrix};
use crate::report::{self, terminal};
use crate::scenario::load::KNOWN_FAILURES;
use crate::scenario::{Shard, accounts_needed, load_dir, plan};
use crate::server::images;
use crate::server::{Catalog, ChosenTarget, PreflightLimits, preflight};
use crate::snapshot::{SnapshotStore, UpdateMode, Volatile, default_snapshots_dir, snapshot_text};
use crate::verdict::Grade;

/// What `xepspec run` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOptions {
    /// Targets to run on: names from the targets file or built-in ones
    /// (`all`, the default, means every built-in target; repeatable).
    #[arg(long = "target", value_name = "NAME", conflicts_with = "address")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub external: ExternalArgs,
    /// Keep cases whose id contains this.
    #[arg(long)]
    pub filter: Option<String>,
    /// Cases running at once.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
    /// `unsupported` cells fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// Also write the matrix, transcripts included, as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write matrix.json, junit.xml, matrix.md and index.html into this
    /// folder (also when the run fails part-way or is interrupted).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Run only slice I of N of the cases (e.g. 2/4); join the slices'
    /// matrix.json files with `xepspec merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// The folder of accepted snapshots (default: the repository's
    /// `snapshots/`).
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Don't compare the cells' stanzas with the accepted snapshots.
    #[arg(long)]
    pub no_snapshots: bool,
    /// What to do with new or changed snapshots: `new` writes `.snap.new`
    /// files for `cargo insta review`, `always` accepts them, `no` writes
    /// nothing (default: from INSTA_UPDATE, else `new`, or `no` in CI).
    #[arg(long, value_enum, value_name = "MODE")]
    pub update_snapshots: Option<UpdateMode>,
    /// Known failures (default: `known-failures.toml` in the scenario folder, if there).
    #[arg(long, value_name = "FILE")]
    pub expectations: Option<PathBuf>,
    /// Don't build missing or outdated images first.
    #[arg(long)]
    pub no_build: bool,
    /// Log in to container targets with STARTTLS and SCRAM (default: plain
    /// TCP and PLAIN on loopback, which is faster).
    #[arg(long)]
    pub secure: bool,
}

/// Runs and reports; returns the exit code, or a usage/scenario error.
pub async fn run(
    catalog: &Catalog,
    scenario_dir: &Path,
    options: RunOptions,
) -> Result<u8, String> {
    let scenarios = load_dir(scenario_dir).map_err(|e| e.to_string())?;
    // Signals are caught from here on, before images are built or
    // containers started, so an early Ctrl-C also ends in a report.
    let stop = CancellationToken::new();
    let watcher = tokio::spawn(cancel_on_signal(stop.clone(), Signals::catch()?));
    let mut cases = plan(&scenarios, options.filter.as_deref());
    if let Some(shard) = options.shard {
        cases = shard.select(cases);
    }
    if cases.is_empty() {
        return Err("no case matches the filter".into());
    }
    let choices: Vec<TargetChoice> = options
        .external
        .chosen(&options.targets, catalog)?
        .into_iter()
        .map(|chosen| match chosen {
            ChosenTarget::Own(target) => TargetChoice::External(target),
            ChosenTarget::BuiltIn(def) => TargetChoice::Default(def),
        })
        .collect();
    // External servers are checked once, before anything starts.
    for choice in &choices {
        if let TargetChoice::External(target) = choice {
            let at_once = target.concurrency.unwrap_or(options.jobs).min(options.jobs);
            let needed = accounts_needed(&cases, at_once);
            preflight(target, needed, &PreflightLimits::default())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let default_known = scenario_dir.join(KNOWN_FAILURES);
    let known = match &options.expectations {
        Some(path) => expectations::load(path)?,
        None if default_known.exists() => expectations::load(&default_known)?,
        None => Vec::new(),
    };
    if !options.no_build {
        let defs: Vec<_> = choices
            .iter()
            .filter_map(|c| match c {
                TargetChoice::Default(def) => Some(def.clone()),
                TargetChoice::External(_) => None,
            })
            .collect();
        // A failed build is reported here and becomes error cells below.
        images::build(catalog, &defs, images::BaseSource::Debootstrap, false, 3).await;
    }
    let started = std::time::Instant::now();
    let mut matrix = run_matrix(
        catalog,
        &choices,
        &cases,
        options.jobs,
        options.secure,
        &stop,
    )
    .await;
    watcher.abort();
    matrix.shard = options.shard.map(|s| s.to_string());
    expectations::apply(&mut matrix, &known);
    matrix.check_equivalence(&cases);
    let mut problems = Vec::new();
    if !options.no_snapshots {
        let dir = options
            .snapshots
            .clone()
            .unwrap_or_else(default_snapshots_dir);
        let mode = options
            .update_snapshots
            .unwrap_or_else(UpdateMode::from_env);
        // A snapshot folder that cannot be read must not cost the report.
        if let Err(e) = check_snapshots(&mut matrix, &dir, mode) {
            problems.push(format!("snapshots: {e}"));
        }
    }
    let colour = std::io::stdout().is_terminal();
    print!("{}", terminal::matrix(&matrix, colour));
    print!("{}", terminal::details(&matrix));
    println!("took {:.2} s", started.elapsed().as_secs_f64());
    if let Some(dir) = &options.report {
        match report::write_all(&matrix, dir, options.strict) {
            Ok(_) => println!("reports: {}", dir.display()),
            Err(e) => problems.push(e),
        }
    }
    if let Some(path) = &options.json {
        let written = serde_json::to_string_pretty(&matrix)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
            });
        if let Err(e) = written {
            problems.push(e);
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(if matrix.interrupted {
        eprintln!("interrupted: the reports hold the cells that finished");
        130
    } else if matrix.failed(options.strict) {
        1
    } else {
        0
    })
}

/// SIGINT and SIGTERM, caught from the moment this is made.
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn catch() -> Result<Signals, String> {
        use tokio::signal::unix::{SignalKind, signal};
        let catch = |kind| signal(kind).map_err(|e| format!("catching signals: {e}"));
        Ok(Signals {
            interrupt: catch(SignalKind::interrupt())?,
            terminate: catch(SignalKind::terminate())?,
        })
    }
}

/// Cancels `stop` on the first SIGINT (Ctrl-C) or SIGTERM.
async fn cancel_on_signal(stop: CancellationToken, mut signals: Signals) {
    tokio::select! {
        _ = signals.interrupt.recv() => {}
        _ = signals.terminate.recv() => {}
    }
    stop.cancel();
}

/// Compares every graded cell's stanzas with its accepted snapshot (cells
/// graded `error` have none worth keeping).
fn check_snapshots(matrix: &mut Matrix, dir: &Path, mode: UpdateMode) -> Result<(), String> {
    let store = SnapshotStore::new(dir);
    let volatile = Volatile::load(dir)?;
    // The stanzas left out depend on the server; worked out once per target.
    let left_out: HashMap<String, Vec<String>> = matrix
        .targets
        .iter()
        .map(|t| (t.name.clone(), volatile.keys_for(&t.server)))
        .collect();
    let actors: HashMap<String, Vec<String>> = matrix
        .cases
        .iter()
        .map(|c| (c.id.clone(), c.actors.clone()))
        .collect();
    for cell in &mut matrix.cells {
        if cell.verdict.grade == Grade::Error {
            continue;
        }
        let left_out = left_out.get(&cell.target).map_or(&[][..], Vec::as_slice);
        let actors = actors.get(&cell.case).map_or(&[][..], Vec::as_slice);
        let text = snapshot_text(&cell.verdict, actors, left_out);
        cell.snapshot = Some(store.check(&cell.target, &cell.case, &text, mode)?);
    }
    Ok(())
}
