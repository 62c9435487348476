//! The compact matrix printed at the end of a run, and the details of every
//! cell that did not pass.

use std::fmt::Write;

use crate::matrix::Matrix;
use crate::verdict::Grade;

fn short(grade: Grade) -> &'static str {
    match grade {
        Grade::Pass => "pass",
        Grade::Fail => "FAIL",
        Grade::NonStrict => "n-s",
        Grade::Unsupported => "unsup",
        Grade::Xfail => "xfail",
        Grade::Error => "ERROR",
    }
}

fn paint(grade: Grade, text: &str, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let code = match grade {
        Grade::Pass => "32",
        Grade::Fail | Grade::Error => "31;1",
        Grade::NonStrict => "33",
        Grade::Unsupported | Grade::Xfail => "36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Cases as rows, targets as columns, one grade per cell.
pub fn matrix(m: &Matrix, colour: bool) -> String {
    let width = m.cases.iter().map(|c| c.id.len()).max().unwrap_or(4).max(4);
    let cols: Vec<usize> = m.targets.iter().map(|t| t.name.len().max(5)).collect();
    let mut out = format!("{:width$}", "case");
    for (t, w) in m.targets.iter().zip(&cols) {
        let _ = write!(out, "  {:w$}", t.name);
    }
    out.push('\n');
    for case in &m.cases {
        let _ = write!(out, "{:width$}", case.id);
        for (t, w) in m.targets.iter().zip(&cols) {
            let (text, grade) = match m.cell(&case.id, &t.name) {
                Some(cell) if cell.snapshot.is_some_and(|s| s.fails_run()) => (
                    format!("{}*", short(cell.verdict.grade)),
                    cell.verdict.grade,
                ),
                Some(cell) => (short(cell.verdict.grade).to_owned(), cell.verdict.grade),
                None => ("-".to_owned(), Grade::Unsupported),
            };
            let _ = write!(out, "  {}", paint(grade, &format!("{text:w$}"), colour));
        }
        out.push('\n');
    }
    let counts: Vec<String> = m.counts().iter().map(|(g, n)| format!("{n} {g}")).collect();
    let _ = writeln!(out, "\n{} cells: {}", m.cells.len(), counts.join(", "));
    let unreviewed = m
        .cells
        .iter()
        .filter(|c| c.snapshot.is_some_and(|s| s.fails_run()))
        .count();
    if unreviewed > 0 {
        let _ = writeln!(
            out,
            "* {unreviewed} snapshots new or changed: review them with `cargo insta review` \
             (or accept with `--update-snapshots always`)"
        );
    }
    out
}

/// Why each cell that did not pass did not, with the difference found.
pub fn details(m: &Matrix) -> String {
    let mut out = String::new();
    for found in &m.equivalence {
        let _ = writeln!(out, "{}", found.describe());
    }
    for cell in m.cells.iter().filter(|c| c.stale_expectation.is_some()) {
        let note = cell.stale_expectation.as_deref().unwrap_or_default();
        let _ = writeln!(out, "{} on {}: {note}", cell.case, cell.target);
    }
    for cell in m
        .cells
        .iter()
        .filter(|c| c.snapshot.is_some_and(|s| s.fails_run()))
    {
        let status = cell.snapshot.map_or("", |s| s.as_str());
        let _ = writeln!(out, "{} on {}: snapshot {status}", cell.case, cell.target);
    }
    for cell in m.cells.iter().filter(|c| c.verdict.grade != Grade::Pass) {
        let v = &cell.verdict;
        let _ = writeln!(out, "{} on {}: {}", cell.case, cell.target, v.grade);
        if let Some(reason) = &v.reason {
            let _ = writeln!(out, "  {reason}");
        }
        if let Some(mm) = &v.mismatch {
            let _ = writeln!(out, "  expected at {}: {}", mm.actor, mm.template);
            match &mm.closest {
                Some(c) => {
                    let _ = writeln!(out, "  closest received: {c}");
                    for d in &mm.differences {
                        let _ = writeln!(out, "    - {d}");
                    }
                }
                None => {
                    let _ = writeln!(out, "  nothing comparable was received");
                }
            }
        }
    }
    out
}
