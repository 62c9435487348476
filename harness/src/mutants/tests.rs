//! The comparison of a mutant's cells with its parent's, over made-up
//! cells: no Docker needed.

use std::collections::BTreeMap;

use super::{KillMatrix, Standing, render};
use crate::judge::{Judgement, Outcome};
use crate::matrix::{CaseInfo, Cell};
use crate::scenario::Level;
use crate::server::{BrokenStatement, Mutant, TargetDef};
use crate::verdict::{Grade, Verdict};

fn mutant(breaks: &[(u32, &str)]) -> TargetDef {
    TargetDef {
        name: "p-m".into(),
        server: "P".into(),
        suite: "s".into(),
        recipe: "mutants/p".into(),
        version_command: Vec::new(),
        concurrency: None,
        default: false,
        from: Some("p".into()),
        build_args: BTreeMap::new(),
        services: BTreeMap::new(),
        accounts: Vec::new(),
        mutant: Some(Mutant {
            name: "m".into(),
            from: "p".into(),
            breaks: breaks
                .iter()
                .map(|(xep, section)| BrokenStatement {
                    xep: *xep,
                    section: (*section).into(),
                })
                .collect(),
            does: "does harm".into(),
        }),
    }
}

fn case(id: &str, xep: u32, section: &str, level: Level) -> CaseInfo {
    CaseInfo {
        id: id.into(),
        title: id.into(),
        xep,
        versions: Vec::new(),
        section: section.into(),
        quote: String::new(),
        level,
        actors: Vec::new(),
    }
}

fn cell(case: &str, target: &str, outcome: Outcome) -> Cell {
    let grade = match outcome {
        Outcome::Pass => Grade::Pass,
        Outcome::NonStrict => Grade::NonStrict,
        Outcome::Unsupported => Grade::Unsupported,
        Outcome::Error => Grade::Error,
        _ => Grade::Fail,
    };
    let mut judgement = Judgement::plain(grade);
    judgement.outcome = outcome;
    Cell {
        case: case.into(),
        target: target.into(),
        verdict: Verdict::without_evidence(grade, Some(format!("{case} {}", outcome.as_str()))),
        judgement,
    }
}

/// Cases on a mutant breaking XEP-0001 §3: `own` quotes it, `near`
/// (XEP-0001 §4) relies on it, `dep` stops at a setup step.
fn cases() -> Vec<CaseInfo> {
    vec![
        case("own", 1, "3", Level::Must),
        case("should", 1, "3", Level::Should),
        case("near", 1, "4", Level::Must),
        case("dep", 2, "1", Level::Must),
        case("same", 2, "2", Level::Must),
        case("err", 2, "3", Level::Must),
    ]
}

fn cells(own: Outcome, should: Outcome) -> Vec<Cell> {
    let mut cells = Vec::new();
    for (id, parent, on_mutant) in [
        ("own", Outcome::Pass, own),
        ("should", Outcome::Pass, should),
        ("near", Outcome::Pass, Outcome::Fail),
        ("dep", Outcome::Pass, Outcome::Blocked),
        ("same", Outcome::Fail, Outcome::Fail),
        ("err", Outcome::Pass, Outcome::Error),
    ] {
        cells.push(cell(id, "p", parent));
        cells.push(cell(id, "p-m", on_mutant));
    }
    cells
}

#[test]
fn a_failing_case_quoting_a_broken_statement_kills_on_target() {
    let m = KillMatrix::of(
        &[mutant(&[(1, "3")])],
        &cases(),
        &cells(Outcome::Fail, Outcome::Pass),
    );
    let row = &m.mutants[0];
    assert_eq!(row.standing, Standing::Killed);
    let kills: Vec<(&str, bool)> = row
        .kills
        .iter()
        .map(|k| (k.case.as_str(), k.on_target))
        .collect();
    assert_eq!(kills, [("own", true), ("near", false)]);
    assert_eq!(row.kills[0].reason.as_deref(), Some("own fail"));
    assert_eq!(row.breaks, ["XEP-0001 §3"]);
    assert!(m.holds());
}

#[test]
fn a_non_strict_should_case_kills_too() {
    let m = KillMatrix::of(
        &[mutant(&[(1, "3")])],
        &cases(),
        &cells(Outcome::Pass, Outcome::NonStrict),
    );
    let row = &m.mutants[0];
    assert_eq!(row.standing, Standing::Killed);
    assert_eq!(
        row.on_target().map(|k| k.case.as_str()).collect::<Vec<_>>(),
        ["should"]
    );
}

#[test]
fn only_off_target_kills_leave_the_mutant_surviving() {
    let m = KillMatrix::of(
        &[mutant(&[(1, "3")])],
        &cases(),
        &cells(Outcome::Pass, Outcome::Pass),
    );
    assert_eq!(m.mutants[0].standing, Standing::Survives);
    assert_eq!(m.mutants[0].kills.len(), 1);
    assert!(!m.holds());
    assert!(render::text(&m).contains("SURVIVES"));
}

#[test]
fn blocked_and_other_changes_are_listed_apart_from_kills() {
    let m = KillMatrix::of(
        &[mutant(&[(1, "3")])],
        &cases(),
        &cells(Outcome::Fail, Outcome::Pass),
    );
    let row = &m.mutants[0];
    let blocked: Vec<&str> = row.blocked.iter().map(|c| c.case.as_str()).collect();
    assert_eq!(blocked, ["dep"]);
    let other: Vec<(&str, Outcome, Outcome)> = row
        .other
        .iter()
        .map(|c| (c.case.as_str(), c.parent, c.mutant))
        .collect();
    assert_eq!(other, [("err", Outcome::Pass, Outcome::Error)]);
}

#[test]
fn a_case_failing_on_the_parent_cannot_kill() {
    let mut all = cells(Outcome::Fail, Outcome::Pass);
    all.iter_mut()
        .filter(|c| c.case == "own" && c.target == "p")
        .for_each(|c| c.judgement.outcome = Outcome::Fail);
    let m = KillMatrix::of(&[mutant(&[(1, "3")])], &cases(), &all);
    assert_eq!(m.mutants[0].standing, Standing::Survives);
}

#[test]
fn an_error_on_the_parent_fails_the_comparison_with_its_reason() {
    let mut all = cells(Outcome::Fail, Outcome::Pass);
    all.push(cell("extra", "p", Outcome::Error));
    all.push(cell("extra", "other-target", Outcome::Error));
    let m = KillMatrix::of(&[mutant(&[(1, "3")])], &cases(), &all);
    assert_eq!(m.parent_errors, ["extra on p: extra error"]);
    assert!(!m.holds());
}

#[test]
fn a_mutant_with_only_error_cells_did_not_run() {
    let all: Vec<Cell> = cases()
        .iter()
        .flat_map(|c| {
            [
                cell(&c.id, "p", Outcome::Pass),
                cell(&c.id, "p-m", Outcome::Error),
            ]
        })
        .collect();
    let m = KillMatrix::of(&[mutant(&[(1, "3")])], &cases(), &all);
    assert_eq!(m.mutants[0].standing, Standing::Error);
    assert!(!m.holds());
}

#[test]
fn the_markdown_table_has_one_row_per_mutant() {
    let m = KillMatrix::of(
        &[mutant(&[(1, "3")])],
        &cases(),
        &cells(Outcome::Fail, Outcome::Pass),
    );
    let md = render::markdown(&m);
    assert!(md.contains("| mutant | breaks | killed by | blocked | verdict |"));
    assert!(md.contains("| p-m | XEP-0001 §3 | own (+1 off target) | 1 | killed |"));
}
