//! Which mutants run, with the clean targets they are compared to, and the
//! one plan that runs them all.

use crate::judge::Judge;
use crate::runner::{Plan, TargetChoice};
use crate::scenario::Case;
use crate::server::{Catalog, TargetDef};

/// The mutants chosen and their parents.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The clean targets the mutants are built from, each once.
    pub parents: Vec<TargetDef>,
    /// The mutants, in the order named (catalogue order for all).
    pub mutants: Vec<TargetDef>,
}

impl Selection {
    /// Every target to run: the parents, then the mutants.
    pub fn targets(&self) -> Vec<TargetDef> {
        self.parents.iter().chain(&self.mutants).cloned().collect()
    }

    /// One plan: every case on every parent and mutant, `jobs` at once.
    pub fn plan(&self, cases: Vec<Case>, jobs: usize) -> Plan {
        let targets = self.targets().into_iter().map(TargetChoice::Default);
        let mut plan = Plan::new(cases, targets.collect());
        plan.jobs = jobs;
        plan
    }
}

/// The judge of a mutant run: no known failures, so that a parent's cell is
/// what the server did and a mutant's failure is never softened.
pub fn judge(cases: &[Case]) -> Judge {
    Judge::new(Vec::new(), cases)
}

/// The mutants `names` names, by mutant name (`no-autocreate`) or target
/// name (`prosody-13-no-autocreate`); no names means every mutant of the
/// catalogue. An unknown name is an error listing the known ones.
pub fn select(catalog: &Catalog, names: &[String]) -> Result<Selection, String> {
    let all = catalog.mutants();
    if all.is_empty() {
        return Err("the target catalogue lists no mutant".into());
    }
    let mut mutants: Vec<TargetDef> = Vec::new();
    if names.is_empty() {
        mutants = all.clone();
    }
    for name in names {
        let found = all
            .iter()
            .find(|d| &d.name == name || d.mutant.as_ref().is_some_and(|m| &m.name == name))
            .ok_or_else(|| {
                let known: Vec<&str> = all.iter().map(|d| d.name.as_str()).collect();
                format!("no mutant {name:?}; known: {}", known.join(", "))
            })?;
        if !mutants.iter().any(|m| m.name == found.name) {
            mutants.push(found.clone());
        }
    }
    let mut parents: Vec<TargetDef> = Vec::new();
    for mutant in &mutants {
        let parent = catalog
            .parent_of(mutant)
            .ok_or_else(|| format!("{}: its parent is not in the catalogue", mutant.name))?;
        if !parents.iter().any(|p| p.name == parent.name) {
            parents.push(parent.clone());
        }
    }
    Ok(Selection { parents, mutants })
}
