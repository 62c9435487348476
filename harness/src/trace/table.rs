//! The whole traceability table: every seed XEP's statements traced to the
//! cases of a set of scenarios and to the mutants of a target catalogue,
//! and the Markdown `scenarios/TRACEABILITY.md` holds.

use std::path::Path;

use super::{SEEDS, TraceError, Traced, proof, render, statements_of, trace, untestable};
use crate::scenario::load::UNTESTABLE;
use crate::scenario::{ScenarioSource, plan};
use crate::server::Catalog;

/// Traces every seed XEP's statements to the cases of `scenarios`, with
/// the XEP texts from the XEP sources' folder `xeps` and the reasons
/// (`untestable.toml`) that come with the scenarios; each row with cases
/// is given the mutants of `catalog` that break it, or the reason none can.
pub fn rows(
    scenarios: &ScenarioSource,
    catalog: &Catalog,
    xeps: &Path,
) -> Result<Vec<Traced>, TraceError> {
    let cases = plan(&scenarios.load()?, None);
    let reasons = match scenarios.read(UNTESTABLE) {
        Ok(Some(text)) => untestable::parse(&text),
        Ok(None) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
    .map_err(|message| TraceError::Untestable {
        path: UNTESTABLE.into(),
        message,
    })?;
    let mut out = Vec::new();
    for seed in SEEDS {
        let statements = statements_of(xeps, seed)?;
        out.extend(trace(seed, statements, &cases, &reasons));
    }
    for row in &mut out {
        row.proof = proof::proof(row, catalog);
    }
    Ok(out)
}

/// The Markdown document `scenarios/TRACEABILITY.md` holds.
pub fn markdown(
    scenarios: &ScenarioSource,
    catalog: &Catalog,
    xeps: &Path,
) -> Result<String, TraceError> {
    rows(scenarios, catalog, xeps).map(|rows| render::markdown(&rows))
}
