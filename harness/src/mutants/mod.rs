//! Mutation testing of the suite: each mutant target breaks one statement
//! on purpose (`containers/mutants/mutants.toml`), and the suite must notice.
//! The mutants and their clean parents run in one plan through
//! [`runner::run`]; each mutant's cells are then compared with its parent's
//! into a [`KillMatrix`]. A mutant that no case quoting a statement it breaks
//! fails on (no kill *on target*) survives: a hole in the suite.

mod compare;
pub mod render;
mod select;
#[cfg(test)]
mod tests;

pub use compare::{Change, Kill, KillMatrix, MutantRow, Standing};
pub use select::{Selection, judge, select};

use tokio_util::sync::CancellationToken;

use crate::matrix::CaseInfo;
use crate::runner::{self, RunResult, Subscriber};
use crate::scenario::Case;
use crate::server::{Catalog, images};

/// Runs every case on the selection's parents and mutants in one plan
/// (images built first when `build`), telling events to `subscribers`,
/// and compares each mutant with its parent.
pub async fn run(
    catalog: &Catalog,
    selection: &Selection,
    cases: Vec<Case>,
    jobs: usize,
    build: bool,
    stop: &CancellationToken,
    subscribers: Vec<Box<dyn Subscriber + '_>>,
) -> (KillMatrix, RunResult) {
    if build {
        // A failed build is reported here and becomes error cells below.
        let targets = selection.targets();
        images::build(catalog, &targets, images::BaseSource::Debootstrap, false, 3).await;
    }
    let judge = judge(&cases);
    let plan = selection.plan(cases, jobs);
    let result = runner::run(&plan, catalog, &judge, stop, subscribers).await;
    let infos: Vec<CaseInfo> = plan.cases.iter().map(CaseInfo::of).collect();
    let mut kills = KillMatrix::of(&selection.mutants, &infos, &result.matrix.cells);
    kills.interrupted = result.matrix.interrupted;
    (kills, result)
}
