//! The whole traceability table: every seed XEP's statements traced to the
//! scenarios of a folder, and the Markdown `scenarios/TRACEABILITY.md` holds.

use std::path::Path;

use super::{SEEDS, TraceError, Traced, render, statements_of, trace, untestable};
use crate::scenario::{load_dir, plan};

/// Traces every seed XEP's statements to the scenarios in `scenarios`,
/// with the XEP texts from the XEP sources' folder `shared` and the
/// reasons from `untestable_file`.
pub fn rows(
    scenarios: &Path,
    shared: &Path,
    untestable_file: &Path,
) -> Result<Vec<Traced>, TraceError> {
    let loaded = load_dir(scenarios)?;
    let cases = plan(&loaded, None);
    let reasons = untestable::load(untestable_file)?;
    let mut out = Vec::new();
    for seed in SEEDS {
        let statements = statements_of(shared, seed)?;
        out.extend(trace(seed, statements, &cases, &reasons));
    }
    Ok(out)
}

/// The Markdown document `scenarios/TRACEABILITY.md` holds.
pub fn markdown(
    scenarios: &Path,
    shared: &Path,
    untestable_file: &Path,
) -> Result<String, TraceError> {
    rows(scenarios, shared, untestable_file).map(|rows| render::markdown(&rows))
}
