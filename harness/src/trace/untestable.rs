//! Statements no server test can check, and why: client behaviour, advice
//! to implementers, registry text. Read from a TOML file of `[[reason]]`.

use std::path::Path;

use serde::Deserialize;

use super::TraceError;
use super::sentences::{Statement, collapse};

/// Why one statement cannot be tested against a server.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// XEP number.
    pub xep: u32,
    /// Section number, or `?` where the source does not show it.
    pub section: String,
    /// A distinctive substring of the statement.
    pub statement: String,
    /// Why no server test can check it.
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonFile {
    #[serde(default)]
    reason: Vec<Reason>,
}

impl Reason {
    /// Whether this reason is about `statement` of XEP `xep`: same XEP,
    /// same section (unless either is `?`), and the statement contains the
    /// given text (whitespace and case aside).
    pub fn covers(&self, xep: u32, statement: &Statement) -> bool {
        let section_fits =
            self.section == statement.section || self.section == "?" || statement.section == "?";
        let wanted = collapse(&self.statement).to_lowercase();
        xep == self.xep
            && section_fits
            && !wanted.is_empty()
            && collapse(&statement.text).to_lowercase().contains(&wanted)
    }
}

/// Parses the reasons from TOML text.
pub fn parse(text: &str) -> Result<Vec<Reason>, String> {
    toml::from_str::<ReasonFile>(text)
        .map(|f| f.reason)
        .map_err(|e| e.to_string())
}

/// Reads the reasons file; a missing file means no reasons.
pub fn load(path: &Path) -> Result<Vec<Reason>, TraceError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(TraceError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    parse(&text).map_err(|message| TraceError::Untestable {
        path: path.to_path_buf(),
        message,
    })
}
