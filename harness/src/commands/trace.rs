//! `xepspec trace`: the traceability table of the seed XEPs' statements.

use std::path::Path;

use crate::trace::{TraceError, table};

/// The table for the scenarios in `scenarios`, with the XEP texts from
/// `shared` and the reasons from `untestable_file`, as Markdown.
pub fn markdown(
    scenarios: &Path,
    shared: &Path,
    untestable_file: &Path,
) -> Result<String, TraceError> {
    table::markdown(scenarios, shared, untestable_file)
}
