//! Which scenarios test which statement: by quote, or by section and words.

use std::collections::BTreeSet;

use super::Seed;
use super::sentences::{Statement, collapse};
use super::untestable::Reason;
use crate::scenario::{Case, Scenario};

/// Share of the quote's long words that must appear in a statement of the
/// same section for a scenario to count as testing it.
pub const WORD_OVERLAP: f64 = 0.6;

/// Words shorter than this are ignored when comparing words.
const LONG_WORD: usize = 4;

/// How a statement is accounted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Scenarios test it: ids with their number of cases.
    Cases(Vec<(String, usize)>),
    /// No server test can check it, for this reason.
    Untestable(String),
    /// Nothing tests it yet.
    NotCovered,
}

/// A statement of a seed XEP and how it is covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    /// XEP number.
    pub xep: u32,
    /// XEP version.
    pub version: String,
    /// The statement.
    pub statement: Statement,
    /// Its coverage.
    pub coverage: Coverage,
    /// For a MUST or SHOULD statement with cases: the mutants that prove
    /// them able to fail, or why none can (set by [`super::table::rows`]).
    pub proof: Option<super::Proof>,
}

/// Whether a scenario's quote and section point at `statement`: the quote
/// and the statement contain one another (whitespace and case aside), or
/// the sections are equal and most of the quote's long words are in the
/// statement.
pub fn quote_matches(statement: &Statement, section: &str, quote: &str) -> bool {
    let text = collapse(&statement.text).to_lowercase();
    let quote = collapse(quote).to_lowercase();
    if quote.is_empty() {
        return false;
    }
    if text.contains(&quote) || quote.contains(&text) {
        return true;
    }
    if statement.section != section {
        return false;
    }
    let wanted = long_words(&quote);
    let present = long_words(&text);
    !wanted.is_empty()
        && wanted.intersection(&present).count() as f64 >= WORD_OVERLAP * wanted.len() as f64
}

fn long_words(text: &str) -> BTreeSet<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= LONG_WORD)
        .collect()
}

/// Whether `scenario` is about this seed XEP and version.
pub fn applies(scenario: &Scenario, seed: &Seed) -> bool {
    scenario.spec.xep == seed.xep && scenario.spec.versions.iter().any(|v| v == seed.version)
}

/// The coverage of each statement of `seed`: its scenarios (counting their
/// cases in `cases`), else a reason, else not covered.
pub fn trace(
    seed: &Seed,
    statements: Vec<Statement>,
    cases: &[Case],
    reasons: &[Reason],
) -> Vec<Traced> {
    statements
        .into_iter()
        .map(|statement| {
            let mut ids: Vec<(String, usize)> = Vec::new();
            for case in cases.iter().filter(|c| applies(&c.scenario, seed)) {
                let spec = &case.scenario.spec;
                if !quote_matches(&statement, &spec.section, &spec.quote) {
                    continue;
                }
                match ids.iter_mut().find(|(id, _)| *id == case.scenario.id) {
                    Some((_, n)) => *n += 1,
                    None => ids.push((case.scenario.id.clone(), 1)),
                }
            }
            let coverage = if !ids.is_empty() {
                Coverage::Cases(ids)
            } else if let Some(r) = reasons.iter().find(|r| r.covers(seed.xep, &statement)) {
                Coverage::Untestable(r.reason.clone())
            } else {
                Coverage::NotCovered
            };
            Traced {
                xep: seed.xep,
                version: seed.version.to_owned(),
                statement,
                coverage,
                proof: None,
            }
        })
        .collect()
}
