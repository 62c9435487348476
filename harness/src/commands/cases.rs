//! `xepspec list`: the cases after parameter expansion, with their spec
//! references.

use crate::matrix::CaseInfo;
use crate::scenario::{LoadErrors, ScenarioSource, accounts_needed as needed, plan};

/// How many accounts an accounts file needs for a run of the cases
/// matching `filter` with `jobs` cases at once.
pub fn accounts_needed(
    source: &ScenarioSource,
    filter: Option<&str>,
    jobs: usize,
) -> Result<usize, LoadErrors> {
    let cases = plan(&source.load()?, filter);
    Ok(needed(&cases, jobs))
}

/// Loads the scenarios and describes every case whose id contains `filter`.
pub fn list(source: &ScenarioSource, filter: Option<&str>) -> Result<Vec<CaseInfo>, LoadErrors> {
    let scenarios = source.load()?;
    Ok(plan(&scenarios, filter).iter().map(CaseInfo::of).collect())
}

/// One line per case: id, level, XEP, versions and section.
pub fn table(rows: &[CaseInfo]) -> String {
    let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(4);
    let mut out = String::new();
    for r in rows {
        out += &format!(
            "{:width$}  {:6}  {} {} §{}\n",
            r.id,
            r.level.as_str(),
            crate::scenario::spec_name(r.xep),
            r.versions.join("/"),
            r.section
        );
    }
    out += &format!("{} cases\n", rows.len());
    out
}
