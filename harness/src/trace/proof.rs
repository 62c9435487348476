//! The "proven by" column: for each MUST or SHOULD statement that has
//! cases, the mutants whose `breaks` name its XEP and section (the mutant
//! trials prove that one of those cases fails on each), or the reason no
//! mutant can be built (`[[unbreakable]]` in `containers/mutants/mutants.toml`).

use super::matching::{Coverage, Traced};
use super::sentences::collapse;
use crate::scenario::Level;
use crate::server::{Catalog, Unbreakable};

/// How a statement's cases are proven able to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The mutant targets that break it.
    Mutants(Vec<String>),
    /// Why no mutant can break it.
    Unbreakable(String),
    /// Neither: the cases may be unable to fail.
    Missing,
}

/// The proof of `row`; `None` for rows without cases and MAY rows. A
/// matching `[[unbreakable]]` entry wins over mutants: it is the more
/// specific (it may name a version, which `breaks` cannot).
pub fn proof(row: &Traced, catalog: &Catalog) -> Option<Proof> {
    if row.statement.level == Level::May || !matches!(row.coverage, Coverage::Cases(_)) {
        return None;
    }
    if let Some(u) = catalog
        .unbreakable
        .iter()
        .find(|u| unbreakable_covers(u, row))
    {
        return Some(Proof::Unbreakable(u.reason.clone()));
    }
    let mutants: Vec<String> = catalog
        .mutants()
        .into_iter()
        .filter(|def| {
            def.mutant.as_ref().is_some_and(|m| {
                m.breaks
                    .iter()
                    .any(|b| b.names(row.xep, &row.statement.section))
            })
        })
        .map(|def| def.name)
        .collect();
    Some(if mutants.is_empty() {
        Proof::Missing
    } else {
        Proof::Mutants(mutants)
    })
}

/// Whether `entry` is about `row`: same XEP, and the section, version and
/// statement text it gives (if any) fit.
pub fn unbreakable_covers(entry: &Unbreakable, row: &Traced) -> bool {
    let fits = |wanted: &Option<String>, found: &str| wanted.as_deref().is_none_or(|w| w == found);
    let text_fits = entry.statement.as_deref().is_none_or(|wanted| {
        let wanted = collapse(wanted).to_lowercase();
        collapse(&row.statement.text)
            .to_lowercase()
            .contains(&wanted)
    });
    entry.xep == row.xep
        && fits(&entry.section, &row.statement.section)
        && fits(&entry.version, &row.version)
        && text_fits
}
