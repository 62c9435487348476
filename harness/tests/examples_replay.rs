//! XEP-0402's examples (the seed version and the current one) replayed on
//! the targets: `xepspec examples --scenario` writes the scenarios, the
//! loader must take them, and every target × case runs as a trial. Whether
//! a server reproduces an example is informative, so a trial fails only on
//! an `error` cell (the harness or the target broke); with `--nocapture`
//! each other grade is printed with its evidence.
//!
//! `XEPSPEC_TARGETS=prosody-13,ejabberd-26` narrows the targets.

mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use xepspec::commands::examples::write_skeletons;
use xepspec::engine::run_case;
use xepspec::matrix::{CaseInfo, Cell, Matrix};
use xepspec::report::terminal;
use xepspec::scenario::{Case, load_dir, plan};
use xepspec::server::TargetDef;
use xepspec::verdict::Grade;

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
    let started = Arc::new(support::Targets::new(catalog, &defs));
    for def in &defs {
        for case in &cases {
            let (def, case) = (def.clone(), case.clone());
            let (runtime, started) = (runtime.clone(), started.clone());
            trials.push(Trial::test(
                format!("replay::{}::{}", def.name, case.id),
                move || runtime.block_on(trial(&def, &case, &started)),
            ));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    runtime.block_on(async move { drop(started) });
    let _ = std::fs::remove_dir_all(&dir);
    conclusion.exit_code()
}

async fn trial(def: &TargetDef, case: &Case, started: &support::Targets) -> Result<(), Failed> {
    let (target, limit) = started.get(def).await?;
    let verdict = {
        let _permit = limit.acquire().await;
        run_case(case, &target).await
    };
    let grade = verdict.grade;
    let one = Matrix::new(
        vec![target.info.clone()],
        vec![CaseInfo::of(case)],
        vec![Cell {
            case: case.id.clone(),
            target: def.name.clone(),
            verdict,
            stale_expectation: None,
            snapshot: None,
        }],
    );
    if grade == Grade::Error {
        return Err(terminal::details(&one).into());
    }
    if grade != Grade::Pass {
        println!("{}", terminal::details(&one));
    }
    Ok(())
}
