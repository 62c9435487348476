//! Verdicts across cases × targets: running the whole plan, and the data
//! every report renders.

pub mod compare;
pub mod equivalence;
pub mod expectations;
mod run;

pub use run::{TargetChoice, run_matrix};

use serde::{Deserialize, Serialize};

use crate::scenario::{Case, Level};
use crate::server::TargetInfo;
use crate::snapshot::SnapshotStatus;
use crate::verdict::{Grade, Verdict};

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
    /// The actors, in the scenario's order.
    #[serde(default)]
    pub actors: Vec<String>,
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
            actors: s.actors.iter().map(|a| a.name.clone()).collect(),
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
    /// How the cell's stanzas compare with the accepted snapshot, when
    /// snapshots were checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotStatus>,
}

/// The version of `matrix.json`'s layout; raised when a field changes
/// meaning or goes away (adding a field does not raise it).
pub const SCHEMA_VERSION: u32 = 1;

impl Cell {
    /// Whether this cell fails the run: its grade does, a known failure
    /// passed, or its snapshot is new or changed.
    pub fn fails_run(&self, strict: bool) -> bool {
        self.verdict.grade.fails_run(strict)
            || self.stale_expectation.is_some()
            || self.snapshot.is_some_and(SnapshotStatus::fails_run)
    }
}

/// The whole result of a run.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Matrix {
    /// The layout version of this data, [`SCHEMA_VERSION`] when written.
    #[serde(default)]
    pub schema_version: u32,
    /// The xepspec version that ran the cases.
    #[serde(default)]
    pub xepspec_version: String,
    /// The run stopped before every cell was graded (Ctrl-C, SIGTERM); the
    /// cells that finished are kept.
    #[serde(default)]
    pub interrupted: bool,
    /// The slice of the cases this run covered, `I/N`, when sharded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The targets, in the order asked for.
    pub targets: Vec<TargetInfo>,
    /// The cases, in plan order.
    pub cases: Vec<CaseInfo>,
    /// One cell per case × target, in case order then target order.
    pub cells: Vec<Cell>,
    /// Cases that differ only in equivalent values (e.g. "1" and "true")
    /// yet were graded differently.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equivalence: Vec<equivalence::Inconsistency>,
}

impl Matrix {
    /// A matrix of the current layout version.
    pub fn new(targets: Vec<TargetInfo>, cases: Vec<CaseInfo>, cells: Vec<Cell>) -> Matrix {
        Matrix {
            schema_version: SCHEMA_VERSION,
            xepspec_version: env!("CARGO_PKG_VERSION").to_owned(),
            interrupted: false,
            shard: None,
            targets,
            cases,
            cells,
            equivalence: Vec::new(),
        }
    }

    /// Finds the cases of `cases` that differ only in equivalent values but
    /// were graded differently, on every target, and keeps them.
    pub fn check_equivalence(&mut self, cases: &[Case]) {
        let mut found = Vec::new();
        for target in &self.targets {
            found.extend(equivalence::inconsistencies(cases, &target.name, |id| {
                self.cell(id, &target.name).map(|c| c.verdict.grade)
            }));
        }
        self.equivalence = found;
    }

    /// The case described as `id`.
    pub fn case(&self, id: &str) -> Option<&CaseInfo> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The cell of `case` on `target`.
    pub fn cell(&self, case: &str, target: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.case == case && c.target == target)
    }

    /// Whether any cell fails the run, or the run was interrupted.
    pub fn failed(&self, strict: bool) -> bool {
        self.interrupted
            || !self.equivalence.is_empty()
            || self.cells.iter().any(|c| c.fails_run(strict))
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
