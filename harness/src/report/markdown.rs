//! `matrix.md`: the matrix as a Markdown table for a pull-request comment,
//! with a per-target summary of MUST and SHOULD cases passed.

use std::fmt::Write;

use crate::judge::Outcome;
use crate::matrix::Matrix;
use crate::scenario::Level;

/// A cell's outcome as a short label with a symbol that survives any theme.
fn label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✅ pass",
        Outcome::Fail => "❌ fail",
        Outcome::NonStrict => "⚠️ non-strict",
        Outcome::Unsupported => "➖ unsupported",
        Outcome::Blocked => "⛔ blocked",
        Outcome::Xfail => "🔕 xfail",
        Outcome::Error => "💥 error",
    }
}

/// The Markdown report.
pub fn markdown(m: &Matrix) -> String {
    let mut out = String::from("# xepspec conformance matrix\n\n");
    if m.interrupted {
        out.push_str("**The run was interrupted; only the cells that finished are shown.**\n\n");
    }
    if let Some(shard) = &m.shard {
        let _ = writeln!(out, "Shard {shard} of the cases.\n");
    }
    out.push_str("| target | server | version | MUST passed | SHOULD passed | cells |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for t in &m.targets {
        let (must_pass, must) = passed(m, &t.name, Level::Must);
        let (should_pass, should) = passed(m, &t.name, Level::Should);
        let cells = m.cells.iter().filter(|c| c.target == t.name).count();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {must_pass} of {must} | {should_pass} of {should} | {cells} |",
            t.name, t.server, t.version
        );
    }
    out.push_str("\n| case | XEP | § | level |");
    for t in &m.targets {
        let _ = write!(out, " {} |", t.name);
    }
    out.push_str("\n|---|---|---|---|");
    out.push_str(&"---|".repeat(m.targets.len()));
    out.push('\n');
    for case in &m.cases {
        let _ = write!(
            out,
            "| `{}` | {} | {} | {} |",
            escape(&case.id),
            spec_number(case.xep),
            escape(&case.section),
            case.level.as_str()
        );
        for t in &m.targets {
            let text = match m.cell(&case.id, &t.name) {
                Some(cell) => {
                    let j = &cell.judgement;
                    let mut text = label(j.outcome).to_owned();
                    if let Some(k) = j
                        .known_failure
                        .as_ref()
                        .filter(|_| j.outcome == Outcome::Xfail)
                    {
                        let _ = write!(text, " ({})", k.kind.as_str());
                    }
                    if let Some(s) = j.snapshot.filter(|s| s.fails_run()) {
                        let _ = write!(text, " (snapshot {})", s.as_str());
                    }
                    if j.stale_expectation.is_some() {
                        text.push_str(" (known failure passed)");
                    }
                    if cell.verdict.not_advertised.is_some() {
                        text.push_str(" (not advertised)");
                    }
                    text
                }
                None => "·".to_owned(),
            };
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
    }
    let counts: Vec<String> = m.counts().iter().map(|(g, n)| format!("{n} {g}")).collect();
    let _ = writeln!(out, "\n{} cells: {}.", m.cells.len(), counts.join(", "));
    if !m.equivalence.is_empty() {
        out.push_str("\n## Equivalent forms graded differently\n\n");
        for found in &m.equivalence {
            let _ = writeln!(out, "- {}", escape(&found.describe()));
        }
    }
    out
}

/// `(passed, total)` cells of `level` on `target`.
fn passed(m: &Matrix, target: &str, level: Level) -> (usize, usize) {
    let of_level = m
        .cells
        .iter()
        .filter(|c| c.target == target)
        .filter(|c| m.case(&c.case).is_some_and(|i| i.level == level));
    let (mut pass, mut total) = (0, 0);
    for cell in of_level {
        total += 1;
        if cell.outcome() == Outcome::Pass {
            pass += 1;
        }
    }
    (pass, total)
}

/// The XEP column's text: the XEP's number, or `RFC` for an RFC.
fn spec_number(xep: u32) -> String {
    if xep == 0 {
        "RFC".to_owned()
    } else {
        format!("{xep:04}")
    }
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
