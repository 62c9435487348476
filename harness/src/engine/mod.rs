//! The engine: runs one case on one target, step by step, and returns a
//! verdict with its evidence. Every wait is bounded.

pub mod actors;
mod barrier;
mod case_accounts;
mod case_run;
mod liveness;
mod presence;
#[cfg(test)]
mod presence_tests;
mod requirements;
mod silence;
mod steps;

use std::time::{Duration, Instant};

use case_run::{CaseRun, Stop};
use steps::{Outcome, run_step};

use crate::scenario::{Case, Step, StepKind};
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
        not_advertised: decided.not_advertised,
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
    not_advertised: Option<String>,
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
            not_advertised: None,
        }
    }

    /// The steps ran although the server does not advertise features the
    /// case requires (`missing` names them). Holding steps show the
    /// behaviour works without the advertisement; a failed one shows it
    /// absent, which grades the case `unsupported` whatever the step's
    /// level, with the failure kept as evidence. A setup step loses its
    /// setup role then: the missing feature, not another case, explains it.
    fn unadvertised(self, missing: String) -> Decided {
        let decided = match self.grade {
            Grade::Pass | Grade::Error => self,
            Grade::Fail | Grade::NonStrict | Grade::Unsupported => Decided {
                grade: Grade::Unsupported,
                reason: Some(format!(
                    "{missing}; and the behaviour is absent: {}",
                    self.reason.as_deref().unwrap_or("a step did not hold")
                )),
                setup: None,
                ..self
            },
        };
        Decided {
            not_advertised: Some(missing),
            ..decided
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
            not_advertised: None,
        }
    }
}

async fn drive(run: &mut CaseRun<'_>) -> Result<Option<Decided>, Stop> {
    let scenario = run.case.scenario.clone();
    if let Some(lacks) = requirements::undeclared(run.case, run.target) {
        return Ok(Some(Decided::without_step(Grade::Unsupported, Some(lacks))));
    }
    run.make_accounts().await?;
    let initially: Vec<usize> = (0..scenario.actors.len())
        .filter(|&i| scenario.actors[i].connected)
        .collect();
    run.connect(&initially).await?;
    // A case that checks silence must not find the logins' own presence
    // broadcasts still on their way: round trips settle them first.
    let checks_silence = scenario
        .steps
        .iter()
        .any(|s| matches!(s.kind, StepKind::Silence { .. }));
    if checks_silence {
        run.barrier(Instant::now() + actors::LOGIN_SETTLE)
            .await
            .map_err(|Stop::Error(e)| Stop::Error(format!("the logins did not settle: {e}")))?;
    }
    // Presence broadcasts of the login are on record; steps start afresh.
    for session in run.sessions.iter_mut().flatten() {
        session.discard_unclaimed();
    }
    // A feature the server does not advertise does not stop the case: its
    // steps run anyway, so the matrix shows whether the behaviour is there.
    let not_advertised = requirements::missing(run, &initially).await?;
    let started = Instant::now();
    let mut decided = None;
    for step in &scenario.steps {
        if let Outcome::Failed {
            reason,
            mismatch,
            answer,
        } = run_step(run, step).await?
        {
            let level = scenario.level_of(step);
            decided = Some(Decided::failed_step(step, level, reason, mismatch, answer));
            break;
        }
    }
    tracing::debug!(case = %run.case.id, took = ?started.elapsed(), "steps done");
    Ok(match not_advertised {
        Some(missing) => Some(decided.unwrap_or_else(Decided::pass).unadvertised(missing)),
        None => decided,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Level, Setup};

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
    fn without_the_advertisement_a_failure_is_unsupported_and_a_pass_stays() {
        let missing = "not advertised: f (on the account)".to_owned();
        let setup = Setup {
            tested_by: vec!["x".into()],
            line: 13,
            column: 9,
        };
        let failed = Decided::failed_step(
            &step(Some(setup)),
            Level::Must,
            "no".into(),
            Some(mismatch()),
            None,
        )
        .unadvertised(missing.clone());
        assert_eq!(failed.grade, Grade::Unsupported);
        assert!(failed.setup.is_none(), "the missing feature explains it");
        let reason = failed.reason.unwrap_or_default();
        assert!(
            reason.starts_with("not advertised: f (on the account); and the behaviour is absent: setup step at line 12"),
            "{reason}"
        );
        assert!(failed.mismatch.is_some(), "the evidence stays");
        let passed = Decided::pass().unadvertised(missing.clone());
        assert_eq!(passed.grade, Grade::Pass);
        assert_eq!(passed.not_advertised.as_deref(), Some(missing.as_str()));
        let error = Decided::error("gone".into()).unadvertised(missing);
        assert_eq!(error.grade, Grade::Error);
        assert_eq!(error.reason.as_deref(), Some("gone"));
    }

    #[test]
    fn an_ordinary_step_has_no_setup_evidence() {
        let decided = Decided::failed_step(&step(None), Level::Must, "no".into(), None, None);
        assert!(decided.setup.is_none());
        let reason = decided.reason.unwrap_or_default();
        assert!(reason.starts_with("step at line 12"), "{reason}");
    }
}
