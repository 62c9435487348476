//! The matrix: every cell of a run (case × target, verdict and judgement),
//! the data every report renders. It is collected from the run's events and
//! only read afterwards.

pub mod compare;

use serde::{Deserialize, Serialize};

use crate::judge::{Inconsistency, Judgement, Outcome, equivalence};
use crate::scenario::{Case, Level};
use crate::server::TargetInfo;
use crate::verdict::Verdict;

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
    /// What happened: the engine's evidence, never rewritten.
    pub verdict: Verdict,
    /// What the run's policies make of it, decided when the cell finished.
    pub judgement: Judgement,
}

/// The version of `matrix.json`'s layout; raised when a field changes
/// meaning or goes away (adding a field does not raise it). Version 2 split
/// each cell into the verdict (evidence) and the judgement (policy).
pub const SCHEMA_VERSION: u32 = 2;

impl Cell {
    /// What the cell comes to for this run.
    pub fn outcome(&self) -> Outcome {
        self.judgement.outcome
    }

    /// Whether this cell fails the run (see [`Judgement::fails_run`]).
    pub fn fails_run(&self, strict: bool) -> bool {
        self.judgement.fails_run(strict)
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
    pub equivalence: Vec<Inconsistency>,
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

    /// Finds the cells that should have graded alike (the same
    /// equivalence group on one target) but did not, and keeps them.
    pub fn check_equivalence(&mut self) {
        self.equivalence = equivalence::inconsistencies(self.cells.iter().map(|c| {
            (
                c.target.as_str(),
                c.case.as_str(),
                c.judgement.equivalence.as_slice(),
                c.verdict.grade,
            )
        }));
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

    /// How many cells have each outcome.
    pub fn counts(&self) -> Vec<(Outcome, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for cell in &self.cells {
            *counts.entry(cell.outcome()).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }
}
