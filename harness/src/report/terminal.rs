//! The compact matrix printed at the end of a run, and the details of every
//! cell that did not pass.

use std::fmt::Write;

use crate::judge::Outcome;
use crate::matrix::Matrix;

fn short(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::NonStrict => "n-s",
        Outcome::Unsupported => "unsup",
        Outcome::Blocked => "block",
        Outcome::Xfail => "xfail",
        Outcome::Error => "ERROR",
    }
}

fn paint(outcome: Outcome, text: &str, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let code = match outcome {
        Outcome::Pass => "32",
        Outcome::Fail | Outcome::Error => "31;1",
        Outcome::NonStrict => "33",
        Outcome::Unsupported | Outcome::Xfail => "36",
        Outcome::Blocked => "35",
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
                Some(cell) => {
                    let mut text = short(cell.outcome()).to_owned();
                    if cell.verdict.not_advertised.is_some() {
                        text.push('°');
                    }
                    if cell.judgement.snapshot.is_some_and(|s| s.fails_run()) {
                        text.push('*');
                    }
                    (text, cell.outcome())
                }
                None => ("-".to_owned(), Outcome::Unsupported),
            };
            let padded = format!("{text:w$}", w = w + text.len() - text.chars().count());
            let _ = write!(out, "  {}", paint(grade, &padded, colour));
        }
        out.push('\n');
    }
    let counts: Vec<String> = m.counts().iter().map(|(g, n)| format!("{n} {g}")).collect();
    let _ = writeln!(out, "\n{} cells: {}", m.cells.len(), counts.join(", "));
    if m.cells.iter().any(|c| c.verdict.not_advertised.is_some()) {
        let _ = writeln!(
            out,
            "° a feature the case requires is not advertised; its steps ran anyway: \
             pass° works without the advertisement, unsup° is absent as well"
        );
    }
    let unreviewed = m
        .cells
        .iter()
        .filter(|c| c.judgement.snapshot.is_some_and(|s| s.fails_run()))
        .count();
    if unreviewed > 0 {
        let _ = writeln!(
            out,
            "* {unreviewed} snapshots new or changed: review the .snap.new files beside them \
             (`cargo insta review` in a checkout), or accept with `--update-snapshots always`"
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
    for cell in m.cells.iter() {
        let j = &cell.judgement;
        if let Some(note) = &j.stale_expectation {
            let _ = writeln!(out, "{} on {}: {note}", cell.case, cell.target);
        }
        if let Some(status) = j.snapshot.filter(|s| s.fails_run()) {
            let _ = writeln!(
                out,
                "{} on {}: snapshot {}",
                cell.case,
                cell.target,
                status.as_str()
            );
        }
        if let Some(problem) = &j.snapshot_problem {
            let _ = writeln!(out, "{} on {}: snapshot: {problem}", cell.case, cell.target);
        }
    }
    for cell in m.cells.iter().filter(|c| c.outcome() == Outcome::Pass) {
        if let Some(missing) = &cell.verdict.not_advertised {
            let _ = writeln!(
                out,
                "{} on {}: pass, but {missing}: works without the advertisement",
                cell.case, cell.target
            );
        }
    }
    for cell in m.cells.iter().filter(|c| c.outcome() != Outcome::Pass) {
        let v = &cell.verdict;
        let _ = writeln!(out, "{} on {}: {}", cell.case, cell.target, cell.outcome());
        if let Some(note) = &cell.judgement.note {
            let _ = writeln!(out, "  {note}");
        }
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
