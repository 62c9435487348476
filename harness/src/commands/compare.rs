//! `xepspec diff` and `xepspec merge`: results between runs and machines.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::matrix::compare::{GradeChange, changes, merge, read};
use crate::report;

/// The changes from `old` to `new`, and whether any is a regression.
pub fn diff(old: &Path, new: &Path) -> Result<(Vec<GradeChange>, bool), String> {
    let found = changes(&read(old)?, &read(new)?);
    let regressed = found.iter().any(GradeChange::is_regression);
    Ok((found, regressed))
}

/// The changes as text, regressions marked.
pub fn render_diff(found: &[GradeChange]) -> String {
    if found.is_empty() {
        return "no cell changed grade\n".to_owned();
    }
    let name = |g: Option<crate::judge::Outcome>| g.map_or("absent", |g| g.as_str());
    let mut out = String::new();
    for change in found {
        let mark = if change.is_regression() {
            "  REGRESSION"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{} on {}: {} → {}{mark}",
            change.case,
            change.target,
            name(change.old),
            name(change.new)
        );
    }
    let regressions = found.iter().filter(|c| c.is_regression()).count();
    let _ = writeln!(
        out,
        "{} cells changed, {regressions} regressions",
        found.len()
    );
    out
}

/// Joins `inputs` and writes the reports into `dir`; returns whether the
/// joined matrix fails the run.
pub fn merge_into(inputs: &[PathBuf], dir: &Path, strict: bool) -> Result<bool, String> {
    let parts = inputs
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge(parts)?;
    report::write_all(&merged, dir, strict)?;
    print!("{}", report::terminal::matrix(&merged, false));
    Ok(merged.failed(strict))
}
