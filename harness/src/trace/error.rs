//! What can go wrong while building the traceability table.

use std::path::PathBuf;

use crate::scenario::LoadErrors;

/// A reason the table cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// A file could not be read.
    #[error(
        "cannot read {}: {source}{}",
        path.display(),
        if path.to_string_lossy().contains("history/") {
            " (the older XEP versions come from the xeps repository's git history: \
             `xepspec xeps fetch` puts them there)"
        } else {
            ""
        }
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A seed XEP's file is another version than the one traced.
    #[error(
        "{} is version {found} of its XEP, not {wanted}; fetch the XEP sources again \
         (`xepspec xeps fetch`) so that the older versions are put under history/",
        path.display()
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version traced.
        wanted: &'static str,
        /// The version found.
        found: String,
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
    /// The XEP sources were not found.
    #[error(transparent)]
    Xeps(#[from] crate::xeps::XepsError),
    /// The scenarios did not load.
    #[error("{0}")]
    Scenarios(#[from] LoadErrors),
}
