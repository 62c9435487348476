//! Between runs: which cells changed grade (`xepspec diff`), and joining
//! the matrices of several shards into one (`xepspec merge`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::{Matrix, SCHEMA_VERSION};
use crate::judge::Outcome;

/// A cell whose outcome differs between two runs; `None` where the cell is
/// missing from that run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeChange {
    /// The case id.
    pub case: String,
    /// The target name.
    pub target: String,
    /// The outcome in the older run.
    pub old: Option<Outcome>,
    /// The outcome in the newer run.
    pub new: Option<Outcome>,
}

impl GradeChange {
    /// Whether the newer run is worse: the cell now fails the run and did
    /// not before.
    pub fn is_regression(&self) -> bool {
        let fails = |g: Option<Outcome>| g.is_some_and(|g| g.fails_run(false));
        self.new.is_some() && fails(self.new) && !fails(self.old)
    }
}

/// Every cell whose outcome changed from `old` to `new`, in case then
/// target order.
pub fn changes(old: &Matrix, new: &Matrix) -> Vec<GradeChange> {
    let grades = |m: &Matrix| -> BTreeMap<(String, String), Outcome> {
        m.cells
            .iter()
            .map(|c| ((c.case.clone(), c.target.clone()), c.outcome()))
            .collect()
    };
    let (before, after) = (grades(old), grades(new));
    let keys: BTreeSet<&(String, String)> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let (o, n) = (before.get(key).copied(), after.get(key).copied());
            (o != n).then(|| GradeChange {
                case: key.0.clone(),
                target: key.1.clone(),
                old: o,
                new: n,
            })
        })
        .collect()
}

/// Joins the matrices of several shards (or runs on different targets)
/// into one: targets and cases are united, every cell must come from one
/// part only.
pub fn merge(parts: Vec<Matrix>) -> Result<Matrix, String> {
    let mut merged = Matrix::new(Vec::new(), Vec::new(), Vec::new());
    let mut seen = BTreeSet::new();
    for part in parts {
        if part.schema_version > SCHEMA_VERSION {
            return Err(format!(
                "a matrix has schema version {}, newer than this xepspec's {SCHEMA_VERSION}",
                part.schema_version
            ));
        }
        merged.interrupted |= part.interrupted;
        merged.equivalence.extend(part.equivalence);
        for target in part.targets {
            if !merged.targets.iter().any(|t| t.name == target.name) {
                merged.targets.push(target);
            }
        }
        for case in part.cases {
            if merged.case(&case.id).is_none() {
                merged.cases.push(case);
            }
        }
        for cell in part.cells {
            if !seen.insert((cell.case.clone(), cell.target.clone())) {
                return Err(format!(
                    "{} on {} is in more than one of the matrices",
                    cell.case, cell.target
                ));
            }
            merged.cells.push(cell);
        }
    }
    merged.cases.sort_by(|a, b| a.id.cmp(&b.id));
    let order: BTreeMap<String, usize> = merged
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    merged
        .cells
        .sort_by(|a, b| (&a.case, order.get(&a.target)).cmp(&(&b.case, order.get(&b.target))));
    Ok(merged)
}

/// Reads a `matrix.json`.
pub fn read(path: &Path) -> Result<Matrix, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    #[derive(serde::Deserialize)]
    struct Header {
        #[serde(default)]
        schema_version: u32,
    }
    let header: Header =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    match header.schema_version {
        0 => Err(format!(
            "{} has no schema_version: not a matrix.json",
            path.display()
        )),
        v if v < SCHEMA_VERSION => Err(format!(
            "{} has schema version {v}, from an older xepspec: run it again to compare",
            path.display()
        )),
        _ => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::Judgement;
    use crate::matrix::{CaseInfo, Cell};
    use crate::scenario::Level;
    use crate::server::TargetInfo;
    use crate::verdict::{Grade, Verdict};

    fn cell(case: &str, target: &str, grade: Grade) -> Cell {
        Cell {
            case: case.into(),
            target: target.into(),
            verdict: Verdict::without_evidence(grade, None),
            judgement: Judgement::plain(grade),
        }
    }

    fn info(id: &str) -> CaseInfo {
        CaseInfo {
            id: id.into(),
            title: String::new(),
            xep: 60,
            versions: Vec::new(),
            section: "7.1".into(),
            quote: String::new(),
            level: Level::Must,
            actors: Vec::new(),
        }
    }

    fn target(name: &str) -> TargetInfo {
        TargetInfo {
            name: name.into(),
            server: "Prosody".into(),
            version: "13".into(),
            image: None,
        }
    }

    #[test]
    fn a_pass_that_now_fails_is_a_regression_and_a_fix_is_not() {
        let old = Matrix::new(
            vec![target("t")],
            vec![info("a"), info("b"), info("c")],
            vec![
                cell("a", "t", Grade::Pass),
                cell("b", "t", Grade::Fail),
                cell("c", "t", Grade::Pass),
            ],
        );
        let new = Matrix::new(
            vec![target("t")],
            vec![info("a"), info("b"), info("c")],
            vec![
                cell("a", "t", Grade::Fail),
                cell("b", "t", Grade::Pass),
                cell("c", "t", Grade::Pass),
            ],
        );
        let found = changes(&old, &new);
        assert_eq!(found.len(), 2);
        assert!(found[0].is_regression());
        assert_eq!(found[0].case, "a");
        assert!(!found[1].is_regression());
    }

    #[test]
    fn shards_merge_and_overlaps_are_refused() {
        let one = Matrix::new(
            vec![target("t")],
            vec![info("b")],
            vec![cell("b", "t", Grade::Pass)],
        );
        let two = Matrix::new(
            vec![target("t")],
            vec![info("a")],
            vec![cell("a", "t", Grade::Fail)],
        );
        let merged = merge(vec![one.clone(), two]).expect("merges");
        assert_eq!(merged.cases.len(), 2);
        assert_eq!(merged.cells[0].case, "a");
        assert_eq!(merged.targets.len(), 1);
        assert!(merge(vec![one.clone(), one]).is_err());
    }
}
