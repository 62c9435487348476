//! `xepspec trace`: the traceability table of the seed XEPs' statements.

use std::path::{Path, PathBuf};

use crate::scenario::{load_dir, plan};
use crate::trace::{SEEDS, TraceError, Traced, render, statements_of, trace, untestable};

/// Traces every seed XEP's statements to the scenarios in `scenarios`,
/// with the XEP texts from the XEP sources' folder `xeps` and the reasons from `untestable_file`.
pub fn rows(
    scenarios: &Path,
    xeps: &Path,
    untestable_file: &Path,
) -> Result<Vec<Traced>, TraceError> {
    let loaded = load_dir(scenarios)?;
    let cases = plan(&loaded, None);
    let reasons = untestable::load(untestable_file)?;
    let mut out = Vec::new();
    for seed in SEEDS {
        let statements = statements_of(xeps, seed)?;
        out.extend(trace(seed, statements, &cases, &reasons));
    }
    Ok(out)
}

/// The Markdown document `scenarios/TRACEABILITY.md` holds.
pub fn markdown(
    scenarios: &Path,
    xeps: &Path,
    untestable_file: &Path,
) -> Result<String, TraceError> {
    rows(scenarios, xeps, untestable_file).map(|rows| render::markdown(&rows))
}

/// What `xepspec trace` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct TraceOptions {
    /// The XEP sources' folder (default: `XEPSPEC_XEPS`, else the folder
    /// `xepspec xeps fetch` fills, else `../shared/xeps` beside a checkout).
    #[arg(long, value_name = "DIR")]
    pub xeps: Option<PathBuf>,
}

/// `xepspec trace`: the table for the scenarios in `scenarios`, with the
/// XEP sources found as [`crate::xeps`] says.
pub fn run(scenarios: &Path, options: &TraceOptions) -> Result<String, TraceError> {
    let xeps = crate::xeps::locate(options.xeps.as_deref())?;
    markdown(scenarios, &xeps, &crate::trace::default_untestable_file())
}
