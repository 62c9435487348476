//! The scenario suite as `cargo test` trials: one per target × case, named
//! `TARGET::CASE`, so the usual filters, `--list` and nextest work. A trial
//! fails when its cell grades `fail` or `error`, or when a known failure
//! (`scenarios/known-failures.toml`) unexpectedly passes.
//!
//! Each trial also checks its cell's stanzas against the accepted snapshot
//! under `snapshots/<target>/<case>.snap` with insta: a new or changed
//! snapshot fails the trial and is left as `.snap.new` beside it for
//! `cargo insta review` (or accepted at once with `INSTA_UPDATE=always`).
//!
//! Scenarios with `[equivalent]` values also get a trial per target,
//! `TARGET::equivalence::SCENARIO`, failing when cases that differ only in
//! equivalent values (e.g. "1" and "true") grade differently. Each case runs
//! once per target whichever trial asks for it first.
//!
//! `XEPSPEC_TARGETS=prosody-13,ejabberd-26` narrows the targets.

mod support;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use tokio::sync::OnceCell;
use xepspec::engine::run_case;
use xepspec::matrix::equivalence::inconsistencies;
use xepspec::matrix::expectations::{self, KnownFailure};
use xepspec::matrix::{Cell, Matrix};
use xepspec::report::terminal;
use xepspec::scenario::load::KNOWN_FAILURES;
use xepspec::scenario::{Case, default_scenarios_dir, load_dir, plan};
use xepspec::server::{LiveTarget, TargetDef};
use xepspec::snapshot::{
    SnapshotStore, Volatile, default_snapshots_dir, expression, snapshot_text,
};
use xepspec::verdict::{Grade, Verdict};

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    // Trials wait on the network, not the CPU.
    args.test_threads.get_or_insert(16);
    let dir = default_scenarios_dir();
    let cases = match load_dir(&dir) {
        Ok(scenarios) => plan(&scenarios, None),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let known = match expectations::load(&dir.join(KNOWN_FAILURES)) {
        Ok(k) => k,
        Err(_) if !dir.join(KNOWN_FAILURES).exists() => Vec::new(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (catalog, defs, runtime) = match support::setup("scenario trials", &[]) {
        Ok(setup) => setup,
        Err(code) => return code,
    };
    let started = Arc::new(support::Targets::new(catalog, &defs));
    let known = Arc::new(known);
    let volatile = match Volatile::load(&default_snapshots_dir()) {
        Ok(v) => Arc::new(v),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let verdicts: Arc<Verdicts> = Arc::new(
        defs.iter()
            .flat_map(|d| {
                cases
                    .iter()
                    .map(|c| ((d.name.clone(), c.id.clone()), OnceCell::new()))
            })
            .collect(),
    );
    let mut trials = Vec::new();
    for def in &defs {
        let shared = Shared {
            started: started.clone(),
            verdicts: verdicts.clone(),
            volatile: volatile.clone(),
        };
        for case in &cases {
            let (shared, def, case) = (shared.clone(), def.clone(), case.clone());
            let (runtime, known) = (runtime.clone(), known.clone());
            trials.push(Trial::test(
                format!("{}::{}", def.name, case.id),
                move || runtime.block_on(trial(&shared, &def, &case, &known)),
            ));
        }
        let mut with_equivalents: Vec<&str> = cases
            .iter()
            .filter(|c| !c.scenario.equivalent.is_empty())
            .map(|c| c.scenario.id.as_str())
            .collect();
        with_equivalents.dedup();
        for scenario in with_equivalents {
            let own: Vec<Case> = cases
                .iter()
                .filter(|c| c.scenario.id == scenario)
                .cloned()
                .collect();
            let (shared, def, runtime) = (shared.clone(), def.clone(), runtime.clone());
            trials.push(Trial::test(
                format!("{}::equivalence::{scenario}", def.name),
                move || runtime.block_on(equivalence_trial(&shared, &def, &own)),
            ));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    // Containers go before the runtime that drives their removal.
    runtime.block_on(async move { drop(started) });
    conclusion.exit_code()
}

/// Every case's verdict on every target, computed once.
type Verdicts = HashMap<(String, String), OnceCell<Verdict>>;

/// What all trials of one run share.
#[derive(Clone)]
struct Shared {
    started: Arc<support::Targets>,
    verdicts: Arc<Verdicts>,
    /// The stanzas snapshots leave out (`snapshots/volatile.toml`).
    volatile: Arc<Volatile>,
}

/// The verdict of `case` on `def`, running it (and starting the target)
/// on first use.
async fn verdict(
    shared: &Shared,
    def: &TargetDef,
    case: &Case,
) -> Result<(Arc<LiveTarget>, Verdict), Failed> {
    let (target, limit) = shared.started.get(def).await?;
    let slot = shared
        .verdicts
        .get(&(def.name.clone(), case.id.clone()))
        .ok_or("no slot for this case")?;
    let verdict = slot
        .get_or_init(|| async {
            let _permit = limit.acquire().await;
            run_case(case, &target).await
        })
        .await
        .clone();
    Ok((target, verdict))
}

async fn equivalence_trial(shared: &Shared, def: &TargetDef, cases: &[Case]) -> Result<(), Failed> {
    let results = futures::future::join_all(cases.iter().map(|c| verdict(shared, def, c))).await;
    let mut grades = HashMap::new();
    for (case, result) in cases.iter().zip(results) {
        grades.insert(case.id.clone(), result?.1.grade);
    }
    let found = inconsistencies(cases, &def.name, |id| grades.get(id).copied());
    if found.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = found.iter().map(|f| f.describe()).collect();
    Err(lines.join("\n").into())
}

async fn trial(
    shared: &Shared,
    def: &TargetDef,
    case: &Case,
    known: &[KnownFailure],
) -> Result<(), Failed> {
    let (target, verdict) = verdict(shared, def, case).await?;
    let mut one = Matrix::new(
        vec![target.info.clone()],
        vec![xepspec::matrix::CaseInfo::of(case)],
        vec![Cell {
            case: case.id.clone(),
            target: def.name.clone(),
            verdict,
            stale_expectation: None,
            snapshot: None,
        }],
    );
    expectations::apply(&mut one, known);
    let cell = &one.cells[0];
    if cell.verdict.grade.fails_run(false) || cell.stale_expectation.is_some() {
        return Err(terminal::details(&one).into());
    }
    if cell.verdict.grade != Grade::Error {
        let volatile = shared.volatile.keys_for(&target.info.server);
        let text = snapshot_text(&cell.verdict, &one.cases[0].actors, &volatile);
        check_snapshot(&def.name, &case.id, &text);
    }
    if cell.verdict.grade != Grade::Pass {
        // Visible with --nocapture: why a passing trial was not a plain pass.
        println!("{}", terminal::details(&one));
    }
    Ok(())
}

/// Asserts `text` against the accepted snapshot of `case` on `target`
/// through insta, so its review flow applies; panics (failing the trial) on
/// a difference.
fn check_snapshot(target: &str, case: &str, text: &str) {
    let path = SnapshotStore::new(default_snapshots_dir()).path(target, case);
    let (Some(folder), Some(name)) = (path.parent(), path.file_stem()) else {
        panic!("no snapshot file name for {case} on {target}");
    };
    let name = name.to_string_lossy().into_owned();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(folder);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(expression(target, case));
    settings.bind(|| insta::assert_snapshot!(name, text));
}
