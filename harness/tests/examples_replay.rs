//! XEP-0402's examples (the seed version and the current one) replayed on
//! the targets: `xepspec examples --scenario` writes the scenarios, the
//! loader must take them, and every target × case runs as a trial. Whether
//! a server reproduces an example is informative, so a trial fails only on
//! an `error` cell (the harness or the target broke); with `--nocapture`
//! each other grade is printed with its evidence.
//!
//! `XEPSPEC_TARGETS=prosody-13,ejabberd-26` narrows the targets.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
use support::board::Board;
use xepspec::commands::examples::write_skeletons;
use xepspec::judge::{Judge, Outcome};
use xepspec::matrix::{CaseInfo, Cell, Matrix};
use xepspec::report::terminal;
use xepspec::runner::{Plan, TargetChoice};
use xepspec::scenario::{Case, load_dir, plan};

/// Writes the replay scenarios into a fresh folder and loads them.
fn generate() -> Result<(PathBuf, Vec<Case>), String> {
    let corpus = xepspec::xeps::locate(None).map_err(|e| e.to_string())?;
    let files = [
        corpus.join("xep-0402.xml"),
        corpus.join("history/xep-0402-0.2.1.xml"),
    ];
    if let Some(missing) = files.iter().find(|f| !f.is_file()) {
        return Err(format!(
            "missing {} (`xepspec xeps fetch` puts it there)",
            missing.display()
        ));
    }
    let dir = std::env::temp_dir().join(format!("xepspec-replay-{}", std::process::id()));
    write_skeletons(&files, &corpus, &dir).map_err(|e| e.to_string())?;
    let scenarios = load_dir(&dir).map_err(|e| e.to_string())?;
    Ok((dir, plan(&scenarios, None)))
}

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    args.test_threads.get_or_insert(16);
    let (dir, cases) = match generate() {
        Ok(generated) => generated,
        Err(e) => {
            let trial = Trial::test("replay::generated_scenarios_load", move || {
                Err(e.clone().into())
            });
            return libtest_mimic::run(&args, vec![trial]).exit_code();
        }
    };
    let count = cases.len();
    let mut trials = vec![Trial::test("replay::generated_scenarios_load", move || {
        if count == 10 {
            Ok(())
        } else {
            Err(format!("expected 10 cases (7 of 1.2.0, 3 of 0.2.1), got {count}").into())
        }
    })];
    let (catalog, defs, runtime) = match support::setup("replay trials", &[]) {
        Ok(setup) => setup,
        Err(code) => return code,
    };
    let board = Board::new();
    let mut needed = BTreeSet::new();
    for def in &defs {
        for case in &cases {
            let (board, target, case) = (board.clone(), def.name.clone(), case.clone());
            let trial = Trial::test(format!("replay::{}::{}", def.name, case.id), move || {
                trial(&board.cell(&case.id, &target)?, &case)
            });
            if !args.is_filtered_out(&trial) {
                needed.insert((case_id(&trial), def.name.clone()));
            }
            trials.push(trial);
        }
    }
    // No known failures and no snapshots: whether a server reproduces an
    // example is informative.
    let judge = Judge::new(Vec::new(), &cases);
    let background = (!args.list && !needed.is_empty()).then(|| {
        let targets = defs.iter().cloned().map(TargetChoice::Default).collect();
        let plan = Plan::new(cases.clone(), targets)
            .only(|case, target| needed.contains(&(case.to_owned(), target.to_owned())));
        support::run_in_background(runtime.clone(), catalog.clone(), plan, judge, board.clone())
    });
    let conclusion = libtest_mimic::run(&args, trials);
    if let Some(run) = background {
        let _ = run.join();
    }
    let _ = std::fs::remove_dir_all(&dir);
    conclusion.exit_code()
}

/// The case id of a `replay::TARGET::CASE` trial.
fn case_id(trial: &Trial) -> String {
    trial
        .name()
        .splitn(3, "::")
        .nth(2)
        .unwrap_or_default()
        .to_owned()
}

fn trial(cell: &Cell, case: &Case) -> Result<(), Failed> {
    let one = Matrix::new(Vec::new(), vec![CaseInfo::of(case)], vec![cell.clone()]);
    if cell.outcome() == Outcome::Error {
        return Err(terminal::details(&one).into());
    }
    if cell.outcome() != Outcome::Pass {
        println!("{}", terminal::details(&one));
    }
    Ok(())
}
