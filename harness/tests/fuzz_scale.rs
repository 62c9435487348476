//! Fuzzing at scale, in `cargo test`: the scenario loader and the reading
//! of a server's stream each take 10,000 generated inputs from a fixed seed
//! (failures are shrunk, and their seeds kept in
//! `harness/proptest-regressions/`), within a bound on the whole run. Each
//! test prints its cases per second (`--nocapture` shows them).

use std::time::Duration;

use xepspec::fuzz::runner::{offline, run};

/// Generated inputs per property.
const CASES: u32 = 10_000;
/// The seed every run starts from, so a red run can be repeated.
const SEED: u64 = 18;
/// What the 10,000 cases of one property may take, however slow the
/// machine (they take a few seconds in a debug build).
const BOUND: Duration = Duration::from_secs(120);

#[test]
fn scenario_loader_takes_10000_broken_files() {
    let property = offline()
        .into_iter()
        .find(|p| p.name == "scenario-loader-on-broken-files")
        .expect("the property exists");
    let report = run(&property, CASES, Some(SEED), &|| {});
    println!(
        "{}: {} cases in {:.2} s, {:.0} cases/s (seed {SEED})",
        report.name,
        report.cases,
        report.elapsed.as_secs_f64(),
        report.rate()
    );
    assert!(
        report.failure.is_none(),
        "{}",
        report.failure.unwrap_or_default()
    );
    assert!(
        report.cases >= u64::from(CASES),
        "only {} cases",
        report.cases
    );
    assert!(report.elapsed < BOUND, "took {:?}", report.elapsed);
}
