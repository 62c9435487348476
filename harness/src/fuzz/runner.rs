//! Running properties with proptest's `TestRunner` by hand, so that tests
//! and the `fuzz` command share case counts, seeds, the regression file and
//! the per-case callback a progress display needs.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestRng, TestRunner,
};

use super::properties::{self, Checked, Outcome};
use super::strategies;

/// What a property run calls after each evaluated case.
pub type OnCase<'a> = &'a dyn Fn(Outcome);

/// One offline property, ready to run.
#[derive(Clone, Copy)]
pub struct Property {
    /// Its name, as the command and the tests print it.
    pub name: &'static str,
    run: fn(&mut TestRunner, OnCase) -> Result<(), String>,
}

/// What one property run found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The property's name.
    pub name: &'static str,
    /// Cases evaluated, shrinking steps included.
    pub cases: u64,
    /// Known deviations met, by id, with how often.
    pub known: BTreeMap<&'static str, u64>,
    /// How long it took.
    pub elapsed: Duration,
    /// The minimal counterexample and why, if the property failed.
    pub failure: Option<String>,
}

impl Report {
    /// Cases per second.
    pub fn rate(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

fn drive<S>(
    runner: &mut TestRunner,
    strategy: S,
    check: impl Fn(&S::Value) -> Checked,
    on_case: OnCase,
) -> Result<(), String>
where
    S: Strategy,
    S::Value: Debug,
{
    runner
        .run(&strategy, |value| counted(check(&value), on_case))
        .map_err(|e| e.to_string())
}

/// One case's verdict for proptest, after telling `on_case` a case ran (a
/// failing case is counted among the cases, not among the deviations).
pub fn counted(checked: Checked, on_case: OnCase) -> Result<(), TestCaseError> {
    match checked {
        Ok(outcome) => {
            on_case(outcome);
            Ok(())
        }
        Err(why) => {
            on_case(Outcome::Holds);
            Err(TestCaseError::fail(why))
        }
    }
}

macro_rules! property {
    ($name:literal, $strategy:expr, $check:expr) => {
        Property {
            name: $name,
            run: |runner, on_case| drive(runner, $strategy, $check, on_case),
        }
    };
}

/// Every offline property.
pub fn offline() -> Vec<Property> {
    vec![
        property!(
            "bookmarks2-conference-round-trip",
            strategies::conference(),
            properties::conference_round_trip
        ),
        property!(
            "xs-boolean-forms-parse",
            strategies::boolean_form(),
            properties::boolean_form_parses
        ),
        property!(
            "xs-boolean-invalid-refused",
            strategies::invalid_boolean_text(),
            |t: &String| properties::invalid_boolean_refused(t)
        ),
        property!(
            "bookmarks-storage-round-trip",
            strategies::bookmark_storage(),
            properties::bookmark_storage_round_trip
        ),
        property!(
            "pubsubs-storage-round-trip",
            strategies::pubsub_subscriptions(),
            |s: &Vec<_>| properties::pubsub_subscriptions_round_trip(s)
        ),
        property!(
            "publish-options-round-trip",
            strategies::publish_options(),
            |f: &Vec<_>| properties::publish_options_round_trip(f)
        ),
        property!(
            "caps-ver-matches-reference",
            strategies::disco_info(),
            properties::caps_matches_reference
        ),
        property!(
            "stanza-functions-on-foreign-payloads",
            strategies::foreign_element(),
            properties::stanza_functions
        ),
        property!(
            "stanza-parser-on-arbitrary-text",
            strategies::stanza_text(),
            |t: &String| properties::parse_arbitrary(t)
        ),
        property!(
            "scenario-loader-on-arbitrary-text",
            strategies::scenario_text(),
            |t: &String| properties::load_arbitrary(t)
        ),
        property!(
            "scenario-loader-on-broken-files",
            strategies::scenario_mutant(),
            |m: &strategies::ScenarioMutant| properties::load_arbitrary(&m.text)
        ),
    ]
}

/// A runner for `cases` cases, from `seed` when given (else a fresh random
/// seed), replaying the committed regressions first.
pub fn test_runner(cases: u32, seed: Option<u64>) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            super::regressions::offline(),
        ))),
        ..Config::default()
    };
    seeded_runner(config, seed)
}

/// A runner with `config`, generating from `seed` when given (so a run can
/// be repeated), else from a fresh random seed.
pub fn seeded_runner(config: Config, seed: Option<u64>) -> TestRunner {
    match seed {
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
        }
        None => TestRunner::new(config),
    }
}

/// How many cases a property ran, and how many met each known deviation.
#[derive(Default)]
pub struct Tally(RefCell<(u64, BTreeMap<&'static str, u64>)>);

impl Tally {
    /// Counts one case's outcome.
    pub fn record(&self, outcome: Outcome) {
        let mut counted = self.0.borrow_mut();
        counted.0 += 1;
        if let Outcome::Known(d) = outcome {
            *counted.1.entry(d.id).or_insert(0) += 1;
        }
    }

    /// Cases run, and cases per known deviation id.
    pub fn totals(self) -> (u64, BTreeMap<&'static str, u64>) {
        self.0.into_inner()
    }
}

/// Runs `property` for `cases` cases, calling `tick` after each.
pub fn run(property: &Property, cases: u32, seed: Option<u64>, tick: &dyn Fn()) -> Report {
    let mut runner = test_runner(cases, seed);
    let counted = Tally::default();
    let on_case = |outcome: Outcome| {
        counted.record(outcome);
        tick();
    };
    let start = Instant::now();
    let result = (property.run)(&mut runner, &on_case);
    let elapsed = start.elapsed();
    let (cases, known) = counted.totals();
    Report {
        name: property.name,
        cases,
        known,
        elapsed,
        failure: result.err(),
    }
}
