//! `xepspec trace`: the traceability table of the seed XEPs' statements.

use std::path::PathBuf;

use crate::scenario::ScenarioSource;
use crate::server::Catalog;
use crate::trace::{TraceError, table};

/// What `xepspec trace` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct TraceOptions {
    /// The XEP sources' folder (default: `XEPSPEC_XEPS`, else the folder
    /// `xepspec xeps fetch` fills, else `../shared/xeps` beside a checkout).
    #[arg(long, value_name = "DIR")]
    pub xeps: Option<PathBuf>,
}

/// `xepspec trace`: the table for `scenarios` and the mutants of
/// `catalog`, with the XEP sources found as [`crate::xeps`] says.
pub fn run(
    scenarios: &ScenarioSource,
    catalog: &Catalog,
    options: &TraceOptions,
) -> Result<String, TraceError> {
    let xeps = crate::xeps::locate(options.xeps.as_deref())?;
    table::markdown(scenarios, catalog, &xeps)
}
