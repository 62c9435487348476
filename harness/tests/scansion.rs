//! `xepspec import scansion` against a real server: the fixture scripts of
//! `tests/fixtures/scansion/` (one per scansion construct, written for this
//! project) converted by the importer, then
//! - `load::SCRIPT`: the converted scenario loads (fails with the loader's
//!   errors, file/line/column, when it does not);
//! - `TARGET::scansion/SCRIPT`: each scenario that loads runs on the
//!   targets (default `prosody-13`, the server the scripts are written
//!   for; `XEPSPEC_TARGETS` narrows or widens) through the library's one
//!   pipeline, and must pass: the issue's "the converted scenarios load
//!   and pass on prosody-13".

mod support;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use support::board::Board;
use xepspec::import::scansion;
use xepspec::judge::{Judge, Outcome};
use xepspec::matrix::{CaseInfo, Matrix};
use xepspec::report::terminal;
use xepspec::runner::{Plan, TargetChoice};
use xepspec::scenario::{Case, Scenario, plan};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let fixtures = match fixtures() {
        Ok(found) if !found.is_empty() => found,
        Ok(_) => {
            eprintln!("error: no fixture scripts found");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut trials = Vec::new();
    let mut scenarios: Vec<Scenario> = Vec::new();
    for path in &fixtures {
        if let Ok(scenario) = converted(path) {
            scenarios.push(scenario);
        }
        let path = path.clone();
        trials.push(Trial::test(format!("load::{}", stem(&path)), move || {
            converted(&path).map(|_| ()).map_err(Failed::from)
        }));
    }
    let cases = plan(&scenarios, None);
    let (catalog, defs, runtime) = match support::setup("scansion trials", &["prosody-13"]) {
        Ok(setup) => setup,
        Err(code) => return code,
    };
    let board = Board::new();
    let mut needed = std::collections::BTreeSet::new();
    for def in &defs {
        for case in &cases {
            let trial = run_trial(&board, &def.name, case);
            if !args.is_filtered_out(&trial) {
                needed.insert((case.id.clone(), def.name.clone()));
            }
            trials.push(trial);
        }
    }
    let background = (!args.list && !needed.is_empty()).then(|| {
        let targets = defs.iter().cloned().map(TargetChoice::Default).collect();
        let plan = Plan::new(cases.clone(), targets)
            .only(|case, target| needed.contains(&(case.to_owned(), target.to_owned())));
        let judge = Judge::new(Vec::new(), &cases);
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

/// The fixture scripts.
fn fixtures() -> Result<Vec<PathBuf>, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scansion");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scs"))
        .collect();
    found.sort();
    Ok(found)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The script at `path` converted and loaded, as `scansion/STEM`.
fn converted(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = format!("{}.scs", stem(path));
    let converted = scansion::convert(&text, &name).map_err(|notes| {
        let lines: Vec<String> = notes.iter().map(|n| format!("{name}:{n}")).collect();
        format!("not converted:\n{}", lines.join("\n"))
    })?;
    let file = PathBuf::from(format!("scansion/{}.toml", stem(path)));
    let id = format!("scansion/{}", stem(path));
    scansion::load(&converted, &file, &id)
        .map_err(|e| format!("{e}\n--- the converted scenario:\n{}", converted.toml))
}

/// `TARGET::CASE`: the cell must pass.
fn run_trial(board: &Arc<Board>, target: &str, case: &Case) -> Trial {
    let (board, target, case) = (board.clone(), target.to_owned(), case.clone());
    Trial::test(format!("{target}::{}", case.id), move || {
        let cell = board.cell(&case.id, &target)?;
        if cell.judgement.outcome == Outcome::Pass {
            return Ok(());
        }
        let one = Matrix::new(Vec::new(), vec![CaseInfo::of(&case)], vec![cell]);
        Err(terminal::details(&one).into())
    })
}
