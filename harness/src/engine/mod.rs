//! The engine: runs one case on one target, step by step, and returns a
//! verdict with its evidence. Every wait is bounded.

pub mod actors;
mod barrier;
mod case_run;
mod liveness;
mod requirements;
mod steps;

use std::time::{Duration, Instant};

use case_run::{CaseRun, Stop};
use steps::{Outcome, run_step};

use crate::scenario::{Case, Step};
use crate::server::LiveTarget;
use crate::verdict::{Grade, Mismatch, SetupStep, Verdict};

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
    // No verdict rests on a session that died before it: a failed settle
    // turns whatever the steps decided into an error naming the session.
    let result = match result {
        Ok(decided) => run.settle().await.map(|()| decided),
        Err(stop) => Err(stop),
    };
    let steps_ended_ms = run.origin.elapsed().as_secs_f64() * 1000.0;
    if result.is_err() {
        run.disconnect_all_at_once().await;
    }
    let aliases = run.aliases();
    let transcript = run.finish().await;
    let decided = match result {
        Ok(None) => Decided::pass(),
        Ok(Some(decided)) => decided,
        Err(Stop::Error(reason)) => Decided::error(reason),
    };
    Verdict {
        grade: decided.grade,
        reason: decided.reason,
        step_line: decided.line,
        mismatch: decided.mismatch,
        setup_step: decided.setup,
        duration: run.origin.elapsed(),
        transcript,
        unclaimed: std::mem::take(&mut run.unclaimed),
        aliases,
        steps_ended_ms,
    }
}

/// The grade of a case and what decided it.
struct Decided {
    grade: Grade,
    reason: Option<String>,
    line: Option<usize>,
    mismatch: Option<Mismatch>,
    setup: Option<SetupStep>,
}

impl Decided {
    fn pass() -> Decided {
        Decided::without_step(Grade::Pass, None)
    }

    fn error(reason: String) -> Decided {
        Decided::without_step(Grade::Error, Some(reason))
    }

    fn without_step(grade: Grade, reason: Option<String>) -> Decided {
        Decided {
            grade,
            reason,
            line: None,
            mismatch: None,
            setup: None,
        }
    }

    /// `step` did not hold: graded at its level; a setup step says so and
    /// names the cases that test its own requirement.
    fn failed_step(
        step: &Step,
        level: crate::scenario::Level,
        reason: String,
        mismatch: Option<Mismatch>,
        answer: Option<String>,
    ) -> Decided {
        let note = step
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let (kind, tested_by) = match &step.setup {
            Some(setup) => (
                "setup step",
                format!(
                    "; this step only sets the stage for the case's requirement, and its own \
                     requirement is tested by {}",
                    setup.tested_by.join(", ")
                ),
            ),
            None => ("step", String::new()),
        };
        let setup = step.setup.as_ref().map(|s| SetupStep {
            tested_by: s.tested_by.clone(),
            answer: answer.or_else(|| mismatch.as_ref().and_then(|m| m.closest.clone())),
        });
        Decided {
            grade: Grade::for_failure(level),
            reason: Some(format!(
                "{kind} at line {}{note}: {reason} [{} requirement]{tested_by}",
                step.line,
                level.as_str()
            )),
            line: Some(step.line),
            mismatch,
            setup,
        }
    }
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
        return Ok(Some(Decided::without_step(
            Grade::Unsupported,
            Some(missing),
        )));
    }
    let started = Instant::now();
    for step in &scenario.steps {
        if let Outcome::Failed {
            reason,
            mismatch,
            answer,
        } = run_step(run, step).await?
        {
            let level = scenario.level_of(step);
            return Ok(Some(Decided::failed_step(
                step, level, reason, mismatch, answer,
            )));
        }
    }
    tracing::debug!(case = %run.case.id, took = ?started.elapsed(), "steps done");
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Level, Setup, StepKind};

    fn step(setup: Option<Setup>) -> Step {
        Step {
            line: 12,
            kind: StepKind::Connect(0),
            level: None,
            note: Some("the node exists".into()),
            setup,
        }
    }

    fn mismatch() -> Mismatch {
        Mismatch {
            actor: "juliet/balcony".into(),
            template: "<iq type='result'/>".into(),
            closest: Some("<message/>".into()),
            differences: Vec::new(),
        }
    }

    #[test]
    fn a_failed_setup_step_names_what_tests_it_and_the_answer() {
        let setup = Setup {
            tested_by: vec!["xep-0223/3-auto-create-supported".into()],
            line: 13,
            column: 9,
        };
        let answer = Some("<iq type='error'/>".to_owned());
        let decided = Decided::failed_step(
            &step(Some(setup)),
            Level::Must,
            "no".into(),
            Some(mismatch()),
            answer,
        );
        assert_eq!(decided.grade, Grade::Fail, "the grade stays the evidence");
        let reason = decided.reason.unwrap_or_default();
        assert!(
            reason.starts_with("setup step at line 12 (the node exists): no"),
            "{reason}"
        );
        assert!(
            reason.contains("tested by xep-0223/3-auto-create-supported"),
            "{reason}"
        );
        let setup_step = decided.setup.expect("a setup step");
        assert_eq!(setup_step.answer.as_deref(), Some("<iq type='error'/>"));
    }

    #[test]
    fn without_an_answer_the_closest_stanza_stands_in() {
        let setup = Setup {
            tested_by: vec!["x".into()],
            line: 13,
            column: 9,
        };
        let decided = Decided::failed_step(
            &step(Some(setup)),
            Level::Should,
            "no".into(),
            Some(mismatch()),
            None,
        );
        assert_eq!(decided.grade, Grade::NonStrict);
        let answer = decided.setup.and_then(|s| s.answer);
        assert_eq!(answer.as_deref(), Some("<message/>"));
    }

    #[test]
    fn an_ordinary_step_has_no_setup_evidence() {
        let decided = Decided::failed_step(&step(None), Level::Must, "no".into(), None, None);
        assert!(decided.setup.is_none());
        let reason = decided.reason.unwrap_or_default();
        assert!(reason.starts_with("step at line 12"), "{reason}");
    }
}
