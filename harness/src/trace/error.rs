//! What can go wrong while building the traceability table.

use std::path::PathBuf;

use crate::scenario::LoadErrors;

/// A reason the table cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A XEP's XML could not be parsed.
    #[error("cannot parse the XEP {}: {message}", path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// The parser's complaint.
        message: String,
    },
    /// The untestable-statements file is malformed.
    #[error("{}: {message}", path.display())]
    Untestable {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The scenarios did not load.
    #[error("{0}")]
    Scenarios(#[from] LoadErrors),
}
