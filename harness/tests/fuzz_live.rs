//! The live fuzzing properties as `cargo test` trials, one per target ×
//! property, named `TARGET::PROPERTY`, each with a bounded number of cases
//! (`xepspec fuzz --target` runs them at full strength). A trial fails on a
//! counterexample; known deviations are reported and pass.
//!
//! Targets: prosody-13 and ejabberd-26, or `XEPSPEC_TARGETS=a,b`. A target
//! is started on first use and its trials run one at a time.

mod support;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};
use tokio::runtime::Runtime;
use xepspec::fuzz::live_runner::{LiveProperty, live_properties, run_live};
use xepspec::server::{Catalog, LiveTarget, TargetDef};

/// Cases per trial.
const CASES: u32 = 16;
/// The generator's seed, so that CI runs the same cases every time (the
/// committed regressions are replayed first).
const SEED: u64 = 7;

/// A target started on first use; the lock also makes its trials take
/// turns.
type Started = Mutex<Option<Result<Arc<LiveTarget>, String>>>;

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let (catalog, defs, runtime) =
        match support::setup("live fuzzing trials", &["prosody-13", "ejabberd-26"]) {
            Ok(setup) => setup,
            Err(code) => return code,
        };
    let started: Arc<HashMap<String, Started>> = Arc::new(
        defs.iter()
            .map(|d| (d.name.clone(), Mutex::new(None)))
            .collect(),
    );
    let mut trials = Vec::new();
    for def in &defs {
        for property in live_properties() {
            let (catalog, def) = (catalog.clone(), def.clone());
            let (runtime, started) = (runtime.clone(), started.clone());
            trials.push(Trial::test(
                format!("{}::{}", def.name, property.name),
                move || trial(&catalog, &def, &property, &runtime, &started),
            ));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    // Containers go before the runtime that drives their removal.
    runtime.block_on(async move { drop(started) });
    conclusion.exit_code()
}

fn trial(
    catalog: &Catalog,
    def: &TargetDef,
    property: &LiveProperty,
    runtime: &Runtime,
    started: &HashMap<String, Started>,
) -> Result<(), Failed> {
    let mut slot = started[&def.name]
        .lock()
        .map_err(|_| Failed::from("an earlier trial on this target panicked"))?;
    let target = slot
        .get_or_insert_with(|| {
            runtime
                .block_on(LiveTarget::start(catalog, def))
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| Failed::from(format!("{}: {e}", def.name)))?;
    let report = run_live(
        property,
        target,
        runtime.handle(),
        CASES,
        Some(SEED),
        &|| {},
    );
    if let Some(failure) = report.failure {
        return Err(Failed::from(failure));
    }
    if report.cases < u64::from(CASES) {
        return Err(Failed::from(format!("only {} cases ran", report.cases)));
    }
    if !report.known.is_empty() {
        eprintln!(
            "{}::{}: known deviations met: {:?}",
            def.name, property.name, report.known
        );
    }
    Ok(())
}
