//! One run of the slice through the library's pipeline, direct or through
//! the proxy, and what the fault trials check of it: grades per cell, which
//! cells a fault touched (a connection of one of its accounts on which the
//! fault fired), the time it took and the reports it wrote.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use libtest_mimic::Failed;
use tokio_util::sync::CancellationToken;
use xepspec::judge::Judge;
use xepspec::runner::{self, Plan, Reports, TargetChoice};
use xepspec::scenario::Case;
use xepspec::server::container::DOMAIN;
use xepspec::server::{AccountSupply, Catalog, ExternalTarget};
use xepspec::session::TlsMode;
use xepspec::verdict::Grade;

use crate::support::proxy::{Connection, Mode, Proxy};

/// Where the mid-login cut falls: after the first SASL message, before the
/// bind result (a login through the proxy is about 2 KB on both servers).
pub const MID_LOGIN: u64 = 1500;
/// The random cut after login falls below this many bytes after it.
pub const RANDOM_BELOW: u64 = 6000;
/// The stall falls this many bytes after login.
pub const STALL_AFTER: u64 = 1500;
/// The most a run of the slice may take, whatever the fault: on a server
/// that takes one case at a time, a stall right after login costs each of
/// the 9 cells the session's presence wait (10 s), a liveness ping (2 s)
/// and a close (2 s), about 126 s in the worst case (67 s measured on
/// ejabberd-26); the rest is slack for a loaded machine.
const RUN_BOUND: Duration = Duration::from_secs(180);

/// What one cell came to.
#[derive(Debug, Clone)]
pub struct CellSeen {
    /// Its grade.
    pub grade: Grade,
    /// Why, when not a pass.
    pub reason: String,
    /// The accounts it used.
    pub users: Vec<String>,
}

/// One run of the slice.
#[derive(Debug)]
pub struct Run {
    /// Cells by case id.
    pub cells: BTreeMap<String, CellSeen>,
    /// How long the run took.
    pub took: Duration,
    /// What the proxy saw, when there was one.
    pub connections: Vec<Connection>,
}

/// Runs `cases` on the server at `address` (registering accounts, plain
/// text), bounded by [`RUN_BOUND`], and checks the reports were written.
pub async fn run(name: &str, cases: &[Case], address: &str) -> Result<Run, String> {
    let target = ExternalTarget {
        name: name.to_owned(),
        tls: TlsMode::None,
        accounts: Some(AccountSupply::Register),
        concurrency: Some(if name.starts_with("ejabberd") { 1 } else { 8 }),
        ..ExternalTarget::one_off(address, DOMAIN)
    };
    let plan = Plan::new(cases.to_vec(), vec![TargetChoice::External(target)]);
    let catalog = Catalog::default_catalog().map_err(|e| e.to_string())?;
    let judge = Judge::new(Vec::new(), cases);
    let dir = std::env::temp_dir().join(format!(
        "xepspec-faults-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let reports = Box::new(Reports::new(dir.clone(), false));
    let stop = CancellationToken::new();
    let clock = Instant::now();
    let finished = tokio::time::timeout(
        RUN_BOUND,
        runner::run(&plan, &catalog, &judge, &stop, vec![reports]),
    )
    .await;
    let took = clock.elapsed();
    let written = dir.join("matrix.json").is_file();
    let _ = std::fs::remove_dir_all(&dir);
    let result = finished.map_err(|_| format!("the run took longer than {RUN_BOUND:?}"))?;
    if !result.problems.is_empty() || !written {
        return Err(format!("reports not written: {:?}", result.problems));
    }
    let mut cells = BTreeMap::new();
    for case in cases {
        let cell = result
            .matrix
            .cell(&case.id, name)
            .ok_or_else(|| format!("no cell for {}", case.id))?;
        let users = cell
            .verdict
            .aliases
            .iter()
            .filter(|a| a.name.ends_with(":username}"))
            .map(|a| a.value.clone())
            .collect();
        let seen = CellSeen {
            grade: cell.verdict.grade,
            reason: cell.verdict.reason.clone().unwrap_or_default(),
            users,
        };
        cells.insert(case.id.clone(), seen);
    }
    Ok(Run {
        cells,
        took,
        connections: Vec::new(),
    })
}

/// Runs `cases` on the server `name` at `address` through a proxy in
/// `mode`.
pub async fn through_proxy(
    name: &str,
    address: &str,
    cases: &[Case],
    mode: Mode,
) -> Result<Run, Failed> {
    let proxy = Proxy::start(address, mode)
        .await
        .map_err(|e| format!("the proxy: {e}"))?;
    let mut run = run(name, cases, proxy.address()).await?;
    run.connections = proxy.connections();
    Ok(run)
}

impl Run {
    /// Whether a fault fired on a connection of `cell`'s accounts.
    fn touched(&self, cell: &CellSeen) -> bool {
        self.connections
            .iter()
            .any(|c| c.fired && c.user.as_ref().is_some_and(|u| cell.users.contains(u)))
    }

    /// Grades, time, and what the proxy saw, in one line.
    pub fn summary(&self) -> String {
        let mut grades: BTreeMap<String, usize> = BTreeMap::new();
        for cell in self.cells.values() {
            *grades.entry(format!("{:?}", cell.grade)).or_default() += 1;
        }
        let touched = self.cells.values().filter(|c| self.touched(c)).count();
        let logins: Vec<u64> = self.connections.iter().filter_map(|c| c.login_at).collect();
        format!(
            "{} cells in {:.1} s {grades:?}; {} connections, {} logged in (login {}..{} bytes), \
             fault fired on {}, touching {touched} cells",
            self.cells.len(),
            self.took.as_secs_f64(),
            self.connections.len(),
            self.connections.iter().filter(|c| c.user.is_some()).count(),
            logins.iter().min().unwrap_or(&0),
            logins.iter().max().unwrap_or(&0),
            self.connections.iter().filter(|c| c.fired).count(),
        )
    }

    /// Every cell graded as in `baseline`.
    pub fn same_grades(&self, baseline: &Run) -> Result<(), Failed> {
        let changed: Vec<String> = self
            .cells
            .iter()
            .filter_map(|(id, cell)| {
                let before = baseline.cells.get(id).map(|c| c.grade);
                (before != Some(cell.grade))
                    .then(|| format!("{id}: {before:?} -> {:?}: {}", cell.grade, cell.reason))
            })
            .collect();
        verdict(changed)
    }

    /// Every touched cell `error`, every other as in `baseline`, and at
    /// least one touched.
    pub fn faults_only_error(&self, baseline: &Run) -> Result<(), Failed> {
        let mut wrong = Vec::new();
        for (id, cell) in &self.cells {
            let before = baseline.cells.get(id).map(|c| c.grade);
            let touched = self.touched(cell);
            let expected = if touched { Some(Grade::Error) } else { before };
            if Some(cell.grade) != expected {
                wrong.push(format!(
                    "{id}: {:?} ({}touched, {before:?} directly): {}",
                    cell.grade,
                    if touched { "" } else { "not " },
                    cell.reason
                ));
            }
        }
        if !self.cells.values().any(|c| self.touched(c)) {
            wrong.push("the fault touched no cell".into());
        }
        verdict(wrong)
    }
}

fn verdict(problems: Vec<String>) -> Result<(), Failed> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}
