//! Verdicts across cases × targets: running the whole plan, and the data
//! every report renders.

pub mod expectations;
mod run;

pub use run::{TargetChoice, run_matrix};

use serde::{Deserialize, Serialize};

use crate::engine::{Grade, Verdict};
use crate::scenario::{Case, Level};
use crate::target::TargetInfo;

/// A case as reports describe it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseInfo {
    /// Case id, parameters included.
    pub id: String,
    /// Scenario title.
    pub title: String,
    /// XEP number.
    pub xep: u32,
    /// XEP versions it applies to.
    pub versions: Vec<String>,
    /// Section.
    pub section: String,
    /// The quoted requirement.
    pub quote: String,
    /// MUST, SHOULD or MAY.
    pub level: Level,
}

impl CaseInfo {
    /// Describes `case`.
    pub fn of(case: &Case) -> CaseInfo {
        let s = &case.scenario;
        CaseInfo {
            id: case.id.clone(),
            title: s.title.clone(),
            xep: s.spec.xep,
            versions: s.spec.versions.clone(),
            section: s.spec.section.clone(),
            quote: s.spec.quote.clone(),
            level: s.spec.level,
        }
    }
}

/// One case on one target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cell {
    /// The case id.
    pub case: String,
    /// The target name.
    pub target: String,
    /// What happened.
    pub verdict: Verdict,
    /// Set when the cell is listed as a known failure but passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_expectation: Option<String>,
}

/// The whole result of a run.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Matrix {
    /// The targets, in the order asked for.
    pub targets: Vec<TargetInfo>,
    /// The cases, in plan order.
    pub cases: Vec<CaseInfo>,
    /// One cell per case × target, in case order then target order.
    pub cells: Vec<Cell>,
}

impl Matrix {
    /// The cell of `case` on `target`.
    pub fn cell(&self, case: &str, target: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.case == case && c.target == target)
    }

    /// Whether any cell fails the run.
    pub fn failed(&self, strict: bool) -> bool {
        self.cells
            .iter()
            .any(|c| c.verdict.grade.fails_run(strict) || c.stale_expectation.is_some())
    }

    /// How many cells have each grade.
    pub fn counts(&self) -> Vec<(Grade, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for cell in &self.cells {
            *counts.entry(cell.verdict.grade).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }
}
