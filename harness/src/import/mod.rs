//! Importers: other test formats turned into scenario files. A wing beside
//! the pipeline: it writes scenario text and uses [`crate::scenario`] only
//! to check that what it wrote loads.
//!
//! - [`scansion`]: the scripts of scansion, the scripted XMPP client
//!   Prosody's integration tests are written for.

pub mod scansion;

use std::fmt;

/// Something an importer could not convert as written, at a line of the
/// file it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The line (1-based).
    pub line: usize,
    /// What was left out or changed, and why.
    pub message: String,
}

impl Note {
    /// A note at `line`.
    pub fn new(line: usize, message: impl Into<String>) -> Note {
        Note {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
