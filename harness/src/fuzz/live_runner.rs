//! Running the live properties on a started target: proptest's
//! `TestRunner` drives generation and shrinking on a blocking thread, and
//! each case's async check runs on the tokio runtime through its handle.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Instant;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, TestError, TestRunner};
use tokio::runtime::Handle;

use super::live::{self, Bench};
use super::live_scenario;
use super::properties::{Checked, Outcome};
use super::runner::{OnCase, Report, Tally, counted, seeded_runner};
use super::strategies;
use crate::server::LiveTarget;

/// Shrinking steps allowed after a live failure (each costs round trips).
const MAX_SHRINK_ITERS: u32 = 512;

type Run = fn(&mut TestRunner, &Handle, &mut Bench, OnCase) -> Result<(), String>;

/// One live property, ready to run on a bench.
#[derive(Clone, Copy)]
pub struct LiveProperty {
    /// Its name, as the command and the tests print it.
    pub name: &'static str,
    run: Run,
}

/// Runs `check` on every generated value; a failure comes back shrunk,
/// with its minimal value and that value as a scenario file.
fn drive<S>(
    runner: &mut TestRunner,
    strategy: S,
    mut check: impl FnMut(&S::Value) -> Checked,
    scenario: impl Fn(&S::Value) -> String,
    on_case: OnCase,
) -> Result<(), String>
where
    S: Strategy,
    S::Value: Debug,
{
    let check = RefCell::new(&mut check);
    let result = runner.run(&strategy, |value| {
        let checked = (check.borrow_mut())(&value);
        counted(checked, on_case)
    });
    match result {
        Ok(()) => Ok(()),
        Err(TestError::Fail(why, value)) => Err(format!(
            "{why}\nminimal input: {value:?}\nas a scenario file:\n{}",
            scenario(&value)
        )),
        Err(TestError::Abort(why)) => Err(format!("aborted: {why}")),
    }
}

macro_rules! live_property {
    ($name:literal, $strategy:expr, $check:path, $scenario:path) => {
        LiveProperty {
            name: $name,
            run: |runner, handle, bench, on_case| {
                drive(
                    runner,
                    $strategy,
                    |value| {
                        handle.block_on(async {
                            bench.reopen_if_closed().await?;
                            $check(bench, value).await
                        })
                    },
                    |value| $scenario(value),
                    on_case,
                )
            },
        }
    };
}

/// Every live property.
pub fn live_properties() -> Vec<LiveProperty> {
    vec![
        live_property!(
            "payload-preserved",
            strategies::payload_text(),
            live::payload_preserved,
            live_scenario::payload_scenario
        ),
        live_property!(
            "persist-items-forms-equivalent",
            strategies::equivalent_boolean_forms(),
            live::persist_items_equivalent,
            live_scenario::persist_items_scenario
        ),
        live_property!(
            "autojoin-forms-equivalent",
            (
                strategies::conference(),
                strategies::equivalent_boolean_forms()
            ),
            live::autojoin_equivalent,
            live_scenario::autojoin_scenario
        ),
    ]
}

/// A runner for `cases` live cases, seeded like the offline one, replaying
/// the committed live regressions first.
pub fn live_test_runner(cases: u32, seed: Option<u64>) -> TestRunner {
    let config = Config {
        cases,
        max_shrink_iters: MAX_SHRINK_ITERS,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            super::regressions::live(),
        ))),
        ..Config::default()
    };
    seeded_runner(config, seed)
}

/// Runs `property` on `target` for `cases` cases, calling `tick` after
/// each. It blocks: call it from a thread outside the runtime of `handle`
/// (e.g. `spawn_blocking`), which drives the sessions.
pub fn run_live(
    property: &LiveProperty,
    target: Arc<LiveTarget>,
    handle: &Handle,
    cases: u32,
    seed: Option<u64>,
    tick: &dyn Fn(),
) -> Report {
    let start = Instant::now();
    let mut bench = match handle.block_on(Bench::open(target)) {
        Ok(bench) => bench,
        Err(e) => {
            return Report {
                name: property.name,
                cases: 0,
                known: BTreeMap::new(),
                elapsed: start.elapsed(),
                failure: Some(format!("setting up the sessions: {e}")),
            };
        }
    };
    let mut runner = live_test_runner(cases, seed);
    let counted = Tally::default();
    let on_case = |outcome: Outcome| {
        counted.record(outcome);
        tick();
    };
    let start = Instant::now();
    let result = (property.run)(&mut runner, handle, &mut bench, &on_case);
    let elapsed = start.elapsed();
    handle.block_on(bench.close());
    let (cases, known) = counted.totals();
    Report {
        name: property.name,
        cases,
        known,
        elapsed,
        failure: result.err(),
    }
}
