//! Known failures: cells a server is known to fail, each with the reason
//! and, where there is one, the server's ticket. A listed cell that fails is
//! graded `xfail`; a listed cell that passes is flagged, so the file stays
//! honest.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Matrix;
use crate::verdict::Grade;

/// One known failure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KnownFailure {
    /// The target name.
    pub target: String,
    /// The case id, or a scenario id or folder to cover all its cases.
    pub case: String,
    /// Why it fails, in a sentence.
    pub reason: String,
    /// The server's ticket or other reference, when there is one.
    #[serde(default)]
    pub link: Option<String>,
}

impl KnownFailure {
    /// Whether this entry names `case` on `target`: the case itself, its
    /// scenario (all parameter values), or a folder of scenarios.
    fn covers(&self, case: &str, target: &str) -> bool {
        let rest = case.strip_prefix(self.case.as_str());
        self.target == target
            && rest.is_some_and(|r| r.is_empty() || r.starts_with('[') || r.starts_with('/'))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "known")]
    known: Vec<KnownFailure>,
}

/// Reads an expectations file (`[[known]]` tables).
pub fn load(path: &Path) -> Result<Vec<KnownFailure>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(file.known)
}

/// Turns listed failures into `xfail` and flags listed cells that passed.
pub fn apply(matrix: &mut Matrix, known: &[KnownFailure]) {
    for cell in &mut matrix.cells {
        let Some(k) = known.iter().find(|k| k.covers(&cell.case, &cell.target)) else {
            continue;
        };
        let link = k
            .link
            .as_ref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        match cell.verdict.grade {
            Grade::Fail | Grade::NonStrict => {
                let was = cell.verdict.reason.take().unwrap_or_default();
                cell.verdict.grade = Grade::Xfail;
                cell.verdict.reason = Some(format!("known failure: {}{link}; {was}", k.reason));
            }
            Grade::Pass => {
                cell.stale_expectation = Some(format!(
                    "listed as a known failure ({}{link}) but passed: remove it from the expectations file",
                    k.reason
                ));
            }
            Grade::Unsupported | Grade::Xfail | Grade::Error => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_id_covers_its_parameterised_cases() {
        let k = KnownFailure {
            target: "t".into(),
            case: "xep-0402/x".into(),
            reason: "r".into(),
            link: None,
        };
        assert!(k.covers("xep-0402/x", "t"));
        assert!(k.covers("xep-0402/x[autojoin=1]", "t"));
        assert!(!k.covers("xep-0402/xy", "t"));
        assert!(k.covers("xep-0402/x/3.1-retrieving", "t"));
        assert!(!k.covers("xep-0402/x", "u"));
    }
}
