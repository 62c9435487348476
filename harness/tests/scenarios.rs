//! The scenario suite as `cargo test` trials: one per target × case, named
//! `TARGET::CASE`, so the usual filters, `--list` and nextest work. The
//! cells come from the library's one pipeline (`xepspec::runner::run`),
//! run once in the background for every cell the selected trials need,
//! judged there with `scenarios/known-failures.toml` and the accepted
//! snapshots under `snapshots/`; each trial reads its cell's judgement.
//!
//! A trial fails when its cell's outcome is `fail` or `error`, when a known
//! failure unexpectedly passes, or when its snapshot is new or changed
//! (left as `.snap.new` beside the accepted one for `cargo insta review`,
//! or accepted at once with `INSTA_UPDATE=always`).
//!
//! Scenarios with `[equivalent]` values also get a trial per target,
//! `TARGET::equivalence::SCENARIO`, failing when cases that differ only in
//! equivalent values (e.g. "1" and "true") grade differently.
//!
//! `XEPSPEC_TARGETS=prosody-13,ejabberd-26` narrows the targets.

mod support;

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use support::board::Board;
use xepspec::judge::{Judge, Outcome, SnapshotCheck, SnapshotPolicy, equivalence, known};
use xepspec::matrix::{CaseInfo, Cell, Matrix};
use xepspec::report::terminal;
use xepspec::runner::{Plan, TargetChoice};
use xepspec::scenario::load::KNOWN_FAILURES;
use xepspec::scenario::{Case, load_dir, plan};
use xepspec::server::TargetDef;
use xepspec::snapshot::UpdateMode;

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    args.test_threads.get_or_insert(16);
    let dir = support::repository("scenarios");
    let cases = match load_dir(&dir) {
        Ok(scenarios) => plan(&scenarios, None),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (judge, snapshots) = match policies(&dir, &cases) {
        Ok(policies) => policies,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (catalog, defs, runtime) = match support::setup("scenario trials", &[]) {
        Ok(setup) => setup,
        Err(code) => return code,
    };
    let board = Board::new();
    let mut trials = Vec::new();
    let mut needed: BTreeSet<(String, String)> = BTreeSet::new();
    for def in &defs {
        let check = Arc::new(snapshots.for_server(&def.server));
        for case in &cases {
            let trial = cell_trial(&board, def, case, &check);
            if !args.is_filtered_out(&trial) {
                needed.insert((case.id.clone(), def.name.clone()));
            }
            trials.push(trial);
        }
        for (scenario, own) in with_equivalents(&cases) {
            let trial = equivalence_trial(&board, def, &scenario, own.clone());
            if !args.is_filtered_out(&trial) {
                needed.extend(own.iter().map(|c| (c.id.clone(), def.name.clone())));
            }
            trials.push(trial);
        }
    }
    let background = (!args.list && !needed.is_empty()).then(|| {
        let targets = defs.iter().cloned().map(TargetChoice::Default).collect();
        let plan = Plan::new(cases.clone(), targets)
            .only(|case, target| needed.contains(&(case.to_owned(), target.to_owned())));
        support::run_in_background(runtime.clone(), catalog.clone(), plan, judge, board.clone())
    });
    let conclusion = libtest_mimic::run(&args, trials);
    if let Some(run) = background
        && run.join().is_err()
    {
        eprintln!("error: the run panicked");
        return ExitCode::FAILURE;
    }
    conclusion.exit_code()
}

/// The judge of the suite: the repository's known failures and accepted
/// snapshots (new ones written as `INSTA_UPDATE` says); and the snapshot
/// policy, to show a changed snapshot's difference.
fn policies(dir: &std::path::Path, cases: &[Case]) -> Result<(Judge, SnapshotPolicy), String> {
    let known = known::load(&dir.join(KNOWN_FAILURES))?;
    let snapshots = support::repository("snapshots");
    let policy = SnapshotPolicy::open(snapshots, UpdateMode::from_env())?;
    let mut judge = Judge::new(known, cases);
    let catalog = xepspec::server::Catalog::load(&support::repository("containers"))
        .map_err(|e| e.to_string())?;
    for def in &catalog.targets {
        judge = judge.with_snapshots(&def.name, policy.clone());
    }
    Ok((judge, policy))
}

/// The scenarios with `[equivalent]` values, each with its cases.
fn with_equivalents(cases: &[Case]) -> Vec<(String, Vec<Case>)> {
    let mut ids: Vec<&str> = cases
        .iter()
        .filter(|c| !c.scenario.equivalent.is_empty())
        .map(|c| c.scenario.id.as_str())
        .collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            let own = cases.iter().filter(|c| c.scenario.id == id).cloned();
            (id.to_owned(), own.collect())
        })
        .collect()
}

fn cell_trial(
    board: &Arc<Board>,
    def: &TargetDef,
    case: &Case,
    check: &Arc<SnapshotCheck>,
) -> Trial {
    let (board, target, case, check) =
        (board.clone(), def.name.clone(), case.clone(), check.clone());
    Trial::test(format!("{}::{}", def.name, case.id), move || {
        let cell = board.cell(&case.id, &target)?;
        judge_trial(&cell, &case, &check)
    })
}

/// A trial's verdict from its cell's judgement; with `--nocapture` a cell
/// that was not a plain pass prints why.
fn judge_trial(cell: &Cell, case: &Case, check: &SnapshotCheck) -> Result<(), Failed> {
    let one = Matrix::new(Vec::new(), vec![CaseInfo::of(case)], vec![cell.clone()]);
    let judgement = &cell.judgement;
    if judgement.outcome.fails_run(false)
        || judgement.stale_expectation.is_some()
        || judgement.snapshot_problem.is_some()
    {
        return Err(terminal::details(&one).into());
    }
    if let Some(status) = judgement.snapshot.filter(|s| s.fails_run()) {
        return Err(snapshot_difference(cell, case, check, status.as_str()).into());
    }
    if judgement.outcome != Outcome::Pass {
        println!("{}", terminal::details(&one));
    }
    Ok(())
}

/// What changed in a cell's snapshot, as a unified diff, with what to do.
fn snapshot_difference(cell: &Cell, case: &Case, check: &SnapshotCheck, status: &str) -> String {
    let diff = check
        .difference(&cell.target, case, &cell.verdict)
        .unwrap_or_default();
    format!(
        "snapshot {status}: {diff}\nreview the .snap.new file with `cargo insta review` \
         (or accept with INSTA_UPDATE=always)"
    )
}

fn equivalence_trial(board: &Arc<Board>, def: &TargetDef, scenario: &str, own: Vec<Case>) -> Trial {
    let (board, target) = (board.clone(), def.name.clone());
    Trial::test(
        format!("{}::equivalence::{scenario}", def.name),
        move || {
            let cells: Vec<Cell> = own
                .iter()
                .map(|c| board.cell(&c.id, &target))
                .collect::<Result<_, _>>()?;
            let found = equivalence::inconsistencies(cells.iter().map(|c| {
                (
                    c.target.as_str(),
                    c.case.as_str(),
                    c.judgement.equivalence.as_slice(),
                    c.verdict.grade,
                )
            }));
            if found.is_empty() {
                return Ok(());
            }
            let lines: Vec<String> = found.iter().map(|f| f.describe()).collect();
            Err(lines.join("\n").into())
        },
    )
}
