//! Judgement: the run's policies applied to a verdict, once, when its cell
//! finishes. A verdict is evidence and is never rewritten; the judgement
//! beside it says what the evidence means for this run: a known failure
//! (`xfail`) or one that no longer fails (stale), a case blocked by a
//! failed setup step, the snapshot's status, and the equivalence groups
//! whose grades must agree.

pub mod equivalence;
pub mod known;
mod snapshots;
pub mod version;

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use equivalence::{EquivalenceGroup, Inconsistency};
pub use known::{FailureKind, KnownFailure};
pub use snapshots::{SnapshotCheck, SnapshotPolicy};

use crate::scenario::Case;
use crate::server::TargetInfo;
use crate::snapshot::SnapshotStatus;
use crate::verdict::{Grade, Verdict};

/// What a cell comes to for this run: the verdict's grade, or what a policy
/// makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every step held.
    Pass,
    /// A MUST-level step did not hold.
    Fail,
    /// A SHOULD-level step did not hold.
    NonStrict,
    /// A required feature is not advertised, or a MAY-level step did not hold.
    Unsupported,
    /// A step that only set the stage failed; another case tests it.
    Blocked,
    /// A failure listed as known.
    Xfail,
    /// The harness or the infrastructure failed.
    Error,
}

impl Outcome {
    /// The outcome's name as reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NonStrict => "non-strict",
            Outcome::Unsupported => "unsupported",
            Outcome::Blocked => "blocked",
            Outcome::Xfail => "xfail",
            Outcome::Error => "error",
        }
    }

    /// Whether this outcome fails a run (`unsupported` only when strict).
    pub fn fails_run(self, strict: bool) -> bool {
        matches!(self, Outcome::Fail | Outcome::Error) || (strict && self == Outcome::Unsupported)
    }

    /// The outcome of a grade no policy changed.
    pub fn of(grade: Grade) -> Outcome {
        match grade {
            Grade::Pass => Outcome::Pass,
            Grade::Fail => Outcome::Fail,
            Grade::NonStrict => Outcome::NonStrict,
            Grade::Unsupported => Outcome::Unsupported,
            Grade::Error => Outcome::Error,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policies' reading of one verdict, made once and never changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Judgement {
    /// What the cell comes to.
    pub outcome: Outcome,
    /// Why a policy changed the grade (known failure, blocked), in a
    /// sentence; the verdict's own reason stays in the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The known failure that applied, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_failure: Option<KnownFailure>,
    /// Set when the cell is listed as a known failure but passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_expectation: Option<String>,
    /// How the cell's stanzas compare with the accepted snapshot, when
    /// snapshots were checked for its target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotStatus>,
    /// A snapshot that could not be read or written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_problem: Option<String>,
    /// The groups of equivalent cases this cell's grade must agree with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equivalence: Vec<EquivalenceGroup>,
}

impl Judgement {
    /// The judgement of a cell no policy applies to.
    pub fn plain(grade: Grade) -> Judgement {
        Judgement {
            outcome: Outcome::of(grade),
            note: None,
            known_failure: None,
            stale_expectation: None,
            snapshot: None,
            snapshot_problem: None,
            equivalence: Vec::new(),
        }
    }

    /// Whether the cell fails the run: its outcome does, a known failure
    /// passed, or its snapshot is new, changed or unreadable.
    pub fn fails_run(&self, strict: bool) -> bool {
        self.outcome.fails_run(strict)
            || self.stale_expectation.is_some()
            || self.snapshot.is_some_and(SnapshotStatus::fails_run)
            || self.snapshot_problem.is_some()
    }
}

/// The policies of a run: known failures, snapshot folders per target, and
/// the equivalence groups of the planned cases.
#[derive(Debug, Clone, Default)]
pub struct Judge {
    known: Vec<KnownFailure>,
    snapshots: HashMap<String, SnapshotPolicy>,
    groups: HashMap<String, Vec<EquivalenceGroup>>,
}

impl Judge {
    /// Judges the cells of `cases` against `known` failures; no snapshots
    /// until [`Judge::with_snapshots`] names a target's folder.
    pub fn new(known: Vec<KnownFailure>, cases: &[Case]) -> Judge {
        let mut groups: HashMap<String, Vec<EquivalenceGroup>> = HashMap::new();
        for (group, ids) in equivalence::groups(cases) {
            for id in ids {
                groups.entry(id).or_default().push(group.clone());
            }
        }
        Judge {
            known,
            snapshots: HashMap::new(),
            groups,
        }
    }

    /// Checks the snapshots of `target` against `policy`'s folder.
    pub fn with_snapshots(mut self, target: &str, policy: SnapshotPolicy) -> Judge {
        self.snapshots.insert(target.to_owned(), policy);
        self
    }

    /// The judge of one started target, with its snapshot check prepared.
    pub fn for_target(&self, info: &TargetInfo) -> TargetJudge<'_> {
        TargetJudge {
            judge: self,
            info: info.clone(),
            snapshots: self
                .snapshots
                .get(&info.name)
                .map(|p| p.for_server(&info.server)),
        }
    }
}

/// The judge of one target.
pub struct TargetJudge<'a> {
    judge: &'a Judge,
    info: TargetInfo,
    snapshots: Option<SnapshotCheck>,
}

impl TargetJudge<'_> {
    /// Judges `verdict`, the evidence of `case` on this target.
    pub fn judge(&self, case: &Case, verdict: &Verdict) -> Judgement {
        let info = &self.info;
        let known = self
            .judge
            .known
            .iter()
            .find(|k| k.covers(&case.id, &info.name, &info.server, &info.version));
        let mut judgement = Judgement::plain(verdict.grade);
        judgement.equivalence = self.judge.groups.get(&case.id).cloned().unwrap_or_default();
        match (verdict.grade, &verdict.setup_step, known) {
            (Grade::Fail | Grade::NonStrict | Grade::Unsupported, Some(setup), _) => {
                judgement.outcome = Outcome::Blocked;
                let answer = setup
                    .answer
                    .as_ref()
                    .map(|a| format!("; the server answered {a}"))
                    .unwrap_or_default();
                judgement.note = Some(format!(
                    "blocked by a failed setup step{}; its own requirement is tested by {}{answer}",
                    verdict
                        .step_line
                        .map(|l| format!(" (line {l})"))
                        .unwrap_or_default(),
                    setup.tested_by.join(", ")
                ));
            }
            (Grade::Fail | Grade::NonStrict, None, Some(k)) => {
                judgement.outcome = Outcome::Xfail;
                judgement.note = Some(format!("known failure: {}", k.describe()));
            }
            (Grade::Pass, _, Some(k)) => {
                judgement.stale_expectation = Some(format!(
                    "listed as a known failure ({}) but passed: remove it from the known-failures file",
                    k.describe()
                ));
            }
            _ => {}
        }
        judgement.known_failure = known.cloned();
        if let Some(check) = &self.snapshots {
            match check.check(&info.name, case, verdict) {
                Ok(status) => judgement.snapshot = status,
                Err(e) => judgement.snapshot_problem = Some(e),
            }
        }
        judgement
    }
}

#[cfg(test)]
mod tests;
