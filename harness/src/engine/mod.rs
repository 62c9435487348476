//! The engine: runs one case on one target, step by step, and returns a
//! verdict with its evidence. Every wait is bounded.

pub mod actors;
mod case_run;
mod requirements;
mod steps;

use std::time::{Duration, Instant};

use case_run::{CaseRun, Stop};
use steps::{Outcome, run_step};

use crate::scenario::Case;
use crate::server::LiveTarget;
use crate::verdict::{Grade, Mismatch, Verdict};

/// The most a whole case may take, setup included; each step has its own,
/// smaller bound as well.
pub const CASE_BUDGET: Duration = Duration::from_secs(60);

/// Runs `case` on `target` and grades it.
pub async fn run_case(case: &Case, target: &LiveTarget) -> Verdict {
    let mut run = CaseRun::new(case, target);
    let result = match tokio::time::timeout(CASE_BUDGET, drive(&mut run)).await {
        Ok(result) => result,
        Err(_) => Err(Stop::Error(format!(
            "the case took longer than {} s",
            CASE_BUDGET.as_secs()
        ))),
    };
    if result.is_ok() {
        run.settle().await;
    }
    let steps_ended_ms = run.origin.elapsed().as_secs_f64() * 1000.0;
    let aliases = run.aliases();
    let transcript = run.finish().await;
    let (grade, reason, step_line, mismatch) = match result {
        Ok(None) => (Grade::Pass, None, None, None),
        Ok(Some(Decided {
            grade,
            reason,
            line,
            mismatch,
        })) => (grade, Some(reason), line, mismatch),
        Err(Stop::Error(reason)) => (Grade::Error, Some(reason), None, None),
    };
    Verdict {
        grade,
        reason,
        step_line,
        mismatch,
        setup_step: None,
        duration: run.origin.elapsed(),
        transcript,
        unclaimed: std::mem::take(&mut run.unclaimed),
        aliases,
        steps_ended_ms,
    }
}

/// A grade other than pass, decided before the last step.
struct Decided {
    grade: Grade,
    reason: String,
    line: Option<usize>,
    mismatch: Option<Mismatch>,
}

async fn drive(run: &mut CaseRun<'_>) -> Result<Option<Decided>, Stop> {
    let scenario = run.case.scenario.clone();
    run.make_accounts().await?;
    let initially: Vec<usize> = (0..scenario.actors.len())
        .filter(|&i| scenario.actors[i].connected)
        .collect();
    run.connect(&initially).await?;
    // Presence broadcasts of the login are on record; steps start afresh.
    for session in run.sessions.iter_mut().flatten() {
        session.discard_unclaimed();
    }
    if let Some(missing) = requirements::missing(run, &initially).await? {
        return Ok(Some(Decided {
            grade: Grade::Unsupported,
            reason: missing,
            line: None,
            mismatch: None,
        }));
    }
    let started = Instant::now();
    for step in &scenario.steps {
        if let Outcome::Failed { reason, mismatch } = run_step(run, step).await? {
            let level = scenario.level_of(step);
            let note = step
                .note
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            return Ok(Some(Decided {
                grade: Grade::for_failure(level),
                reason: format!(
                    "step at line {}{note}: {reason} [{} requirement]",
                    step.line,
                    level.as_str()
                ),
                line: Some(step.line),
                mismatch,
            }));
        }
    }
    tracing::debug!(case = %run.case.id, took = ?started.elapsed(), "steps done");
    Ok(None)
}
