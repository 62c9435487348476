//! `xepspec trace`: the traceability table of the seed XEPs' statements.

use std::path::{Path, PathBuf};

use crate::trace::{TraceError, table};

/// The table for the scenarios in `scenarios`, with the XEP texts from the
/// XEP sources' folder `xeps` and the reasons from `untestable_file`, as
/// Markdown.
pub fn markdown(
    scenarios: &Path,
    xeps: &Path,
    untestable_file: &Path,
) -> Result<String, TraceError> {
    table::markdown(scenarios, xeps, untestable_file)
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
