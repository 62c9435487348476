//! Traceability: the RFC 2119 statements of the seed XEPs, each with the
//! scenarios that test it or the reason no server test can, and the mutants
//! that prove those scenarios able to fail.
//!
//! The XEP texts are read at run time from the XEP sources' folder (see
//! [`crate::xeps`]), never copied into the project. `xepspec trace` prints the table that
//! `scenarios/TRACEABILITY.md` holds.

mod error;
pub mod extract;
pub mod matching;
pub mod proof;
pub mod render;
pub mod sentences;
pub mod table;
#[cfg(test)]
mod tests;
pub mod untestable;

use std::path::Path;

pub use error::TraceError;
pub use matching::{Coverage, Traced, trace};
pub use proof::Proof;
pub use sentences::Statement;
pub use untestable::Reason;

/// Where a seed XEP's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedFormat {
    /// A complete XEP XML source.
    Xml,
    /// A fragment of XEP source that may not be well-formed.
    Fragment,
}

/// One XEP version whose statements are traced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// XEP number.
    pub xep: u32,
    /// The version the text is.
    pub version: &'static str,
    /// Path of the text under the XEP sources' folder (see [`crate::xeps`]).
    pub path: &'static str,
    /// How to read it.
    pub format: SeedFormat,
}

/// The seed XEPs, in table order. XEP-0173's current source is still
/// version 0.1; the others are older versions, kept under `history/`.
pub const SEEDS: &[Seed] = &[
    Seed {
        xep: 173,
        version: "0.1",
        path: "xep-0173.xml",
        format: SeedFormat::Xml,
    },
    Seed {
        xep: 223,
        version: "1.0",
        path: "history/xep-0223-1.0.xml",
        format: SeedFormat::Xml,
    },
    Seed {
        xep: 402,
        version: "0.2.1",
        path: "history/xep-0402-0.2.1.xml",
        format: SeedFormat::Xml,
    },
];

/// The older versions `xepspec xeps fetch` must put under `history/`.
pub fn history_versions() -> Vec<(u32, &'static str)> {
    SEEDS
        .iter()
        .filter(|s| s.path.starts_with("history/"))
        .map(|s| (s.xep, s.version))
        .collect()
}

/// Reads a seed's statements from the XEP sources' folder, after checking
/// that the file is the version traced.
pub fn statements_of(xeps: &Path, seed: &Seed) -> Result<Vec<Statement>, TraceError> {
    let path = xeps.join(seed.path);
    let text = std::fs::read_to_string(&path).map_err(|source| TraceError::Read {
        path: path.clone(),
        source,
    })?;
    if seed.format == SeedFormat::Xml {
        let found = crate::xeps::newest_revision(&text);
        if found != Some(seed.version) {
            return Err(TraceError::Version {
                path,
                wanted: seed.version,
                found: found.unwrap_or("none").to_owned(),
            });
        }
    }
    match seed.format {
        SeedFormat::Xml => extract::from_xml(&text).map_err(|message| TraceError::Xml {
            path: path.clone(),
            message,
        }),
        SeedFormat::Fragment => Ok(extract::from_fragment(&text)),
    }
}
