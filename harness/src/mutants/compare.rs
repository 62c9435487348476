//! The kill matrix: each mutant's cells compared with its clean parent's,
//! case by case. Pure functions over the cells of a run.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::judge::Outcome;
use crate::matrix::{CaseInfo, Cell};
use crate::scenario::{Level, spec_name};
use crate::server::TargetDef;

/// A case that passes on the parent and fails on the mutant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kill {
    /// The case id.
    pub case: String,
    /// The case's `[spec]`: `XEP-0163 §3`.
    pub spec: String,
    /// The level of the case's statement.
    pub level: Level,
    /// `fail`, or `non-strict` for a SHOULD step.
    pub outcome: Outcome,
    /// The case quotes a statement the mutant breaks.
    pub on_target: bool,
    /// Why the case failed on the mutant, as the verdict says.
    pub reason: Option<String>,
}

impl Kill {
    /// `on target` or `off target`, as reports say it.
    pub fn aim(&self) -> &'static str {
        if self.on_target {
            "on target"
        } else {
            "off target"
        }
    }
}

/// A case whose outcome on the mutant differs from the parent's in any
/// other way than a kill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The case id.
    pub case: String,
    /// Its outcome on the parent.
    pub parent: Outcome,
    /// Its outcome on the mutant.
    pub mutant: Outcome,
    /// Why, as the mutant's verdict says (a `blocked` cell: its setup step).
    pub reason: Option<String>,
}

/// What the suite made of one mutant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// At least one case quoting a broken statement failed on it.
    Killed,
    /// No case quoting a broken statement failed on it: a hole in the suite.
    Survives,
    /// The mutant did not run: every cell of it is `error`.
    Error,
}

impl Standing {
    /// The word the table prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Killed => "killed",
            Standing::Survives => "SURVIVES",
            Standing::Error => "error",
        }
    }
}

/// One mutant against its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutantRow {
    /// The mutant's target (`prosody-13-no-autocreate`).
    pub target: String,
    /// The clean target it was built from.
    pub parent: String,
    /// The statements it breaks, `XEP-0163 §3`.
    pub breaks: Vec<String>,
    /// What it does instead.
    pub does: String,
    /// Pass on the parent, fail (or non-strict) on the mutant.
    pub kills: Vec<Kill>,
    /// Went to `blocked`: stopped at a setup step, dependent on a kill.
    pub blocked: Vec<Change>,
    /// Every other change of outcome.
    pub other: Vec<Change>,
    /// Killed, survives, or did not run.
    pub standing: Standing,
}

impl MutantRow {
    /// The kills of cases quoting a statement the mutant breaks.
    pub fn on_target(&self) -> impl Iterator<Item = &Kill> {
        self.kills.iter().filter(|k| k.on_target)
    }
}

/// Every selected mutant against its parent, and what makes the
/// comparison untrustworthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KillMatrix {
    /// One row per mutant, in the order selected.
    pub mutants: Vec<MutantRow>,
    /// `error` cells on a clean parent (`case on target: reason`): a
    /// parent that did not run proves nothing.
    pub parent_errors: Vec<String>,
    /// The run stopped before every cell was graded.
    pub interrupted: bool,
}

impl KillMatrix {
    /// Compares every mutant in `mutants` with its parent over `cells`
    /// (cells of other targets are ignored).
    pub fn of(mutants: &[TargetDef], cases: &[CaseInfo], cells: &[Cell]) -> KillMatrix {
        let by_key: HashMap<(&str, &str), &Cell> = cells
            .iter()
            .map(|c| ((c.case.as_str(), c.target.as_str()), c))
            .collect();
        let rows: Vec<MutantRow> = mutants
            .iter()
            .filter_map(|def| compare(def, cases, &by_key))
            .collect();
        let mut parents: Vec<&str> = rows.iter().map(|r| r.parent.as_str()).collect();
        parents.dedup();
        let parent_errors = cells
            .iter()
            .filter(|c| c.outcome() == Outcome::Error && parents.contains(&c.target.as_str()))
            .map(|c| {
                let why = c.verdict.reason.as_deref().unwrap_or("no reason given");
                format!("{} on {}: {why}", c.case, c.target)
            })
            .collect();
        KillMatrix {
            mutants: rows,
            parent_errors,
            interrupted: false,
        }
    }

    /// Whether the suite holds: every mutant killed on target, every
    /// parent cell ran, and the run finished.
    pub fn holds(&self) -> bool {
        !self.interrupted
            && self.parent_errors.is_empty()
            && self.mutants.iter().all(|m| m.standing == Standing::Killed)
    }
}

/// `mutant` against its parent, over the cases both have a cell for;
/// `None` when `mutant` is not a mutant.
fn compare(
    mutant: &TargetDef,
    cases: &[CaseInfo],
    cells: &HashMap<(&str, &str), &Cell>,
) -> Option<MutantRow> {
    let spec = mutant.mutant.as_ref()?;
    let mut row = MutantRow {
        target: mutant.name.clone(),
        parent: spec.from.clone(),
        breaks: spec
            .breaks
            .iter()
            .map(|b| format!("{} §{}", spec_name(b.xep), b.section))
            .collect(),
        does: spec.does.clone(),
        kills: Vec::new(),
        blocked: Vec::new(),
        other: Vec::new(),
        standing: Standing::Survives,
    };
    let (mut ran, mut errors) = (0, 0);
    for case in cases {
        let parent = cells.get(&(case.id.as_str(), spec.from.as_str()));
        let Some(on_mutant) = cells.get(&(case.id.as_str(), mutant.name.as_str())) else {
            continue;
        };
        ran += 1;
        errors += usize::from(on_mutant.outcome() == Outcome::Error);
        let Some(parent) = parent else { continue };
        let (before, after) = (parent.outcome(), on_mutant.outcome());
        if before == after {
            continue;
        }
        if before == Outcome::Pass && matches!(after, Outcome::Fail | Outcome::NonStrict) {
            row.kills.push(Kill {
                case: case.id.clone(),
                spec: format!("{} §{}", spec_name(case.xep), case.section),
                level: case.level,
                outcome: after,
                on_target: spec.breaks.iter().any(|b| b.names(case.xep, &case.section)),
                reason: on_mutant.verdict.reason.clone(),
            });
            continue;
        }
        let change = Change {
            case: case.id.clone(),
            parent: before,
            mutant: after,
            reason: why(on_mutant),
        };
        if after == Outcome::Blocked {
            row.blocked.push(change);
        } else {
            row.other.push(change);
        }
    }
    row.standing = if row.on_target().next().is_some() {
        Standing::Killed
    } else if ran > 0 && errors == ran {
        Standing::Error
    } else {
        Standing::Survives
    };
    Some(row)
}

/// Why a cell came out as it did: the judge's note (a `blocked` cell names
/// the case testing its setup step), else the verdict's reason.
fn why(cell: &Cell) -> Option<String> {
    cell.judgement
        .note
        .clone()
        .or_else(|| cell.verdict.reason.clone())
}
