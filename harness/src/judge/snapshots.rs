//! The snapshot policy of one target: where its accepted snapshots are,
//! which stanzas they leave out, and what to do with a new or changed one.
//! This is the only place that writes snapshot files.

use std::path::PathBuf;

use crate::scenario::Case;
use crate::snapshot::{SnapshotStatus, SnapshotStore, UpdateMode, Volatile, snapshot_text};
use crate::verdict::{Grade, Verdict};

/// Snapshot checks for the cells of one target.
#[derive(Debug, Clone)]
pub struct SnapshotCheck {
    store: SnapshotStore,
    mode: UpdateMode,
    /// The volatile stanzas left out on this target's server.
    left_out: Vec<String>,
}

/// Where a run keeps its snapshots and what it does with new ones.
#[derive(Debug, Clone)]
pub struct SnapshotPolicy {
    /// The folder of accepted snapshots (`<dir>/<target>/<case>.snap`).
    pub dir: PathBuf,
    /// What to do with a new or changed snapshot.
    pub mode: UpdateMode,
    /// The stanzas no client controls, left out (`volatile.toml`).
    pub volatile: Volatile,
}

impl SnapshotPolicy {
    /// The folder's policy, `volatile.toml` read from it when present.
    pub fn open(dir: PathBuf, mode: UpdateMode) -> Result<SnapshotPolicy, String> {
        let volatile = Volatile::load(&dir)?;
        Ok(SnapshotPolicy {
            dir,
            mode,
            volatile,
        })
    }

    /// The check for a target running `server`.
    pub fn for_server(&self, server: &str) -> SnapshotCheck {
        SnapshotCheck {
            store: SnapshotStore::new(&self.dir),
            mode: self.mode,
            left_out: self.volatile.keys_for(server),
        }
    }

    /// Whether snapshots of `target` were ever accepted in this folder.
    pub fn has_accepted(&self, target: &str) -> bool {
        SnapshotStore::new(&self.dir).target_dir(target).is_dir()
    }
}

impl SnapshotCheck {
    /// Compares the cell's stanzas with the accepted snapshot; a cell graded
    /// `error` has none worth keeping. A snapshot that cannot be read or
    /// written is reported as the error it is.
    pub fn check(
        &self,
        target: &str,
        case: &Case,
        verdict: &Verdict,
    ) -> Result<Option<SnapshotStatus>, String> {
        if verdict.grade == Grade::Error {
            return Ok(None);
        }
        let text = self.text(case, verdict);
        self.store
            .check(target, &case.id, &text, self.mode)
            .map(Some)
    }

    /// The snapshot text of `case`'s verdict on this target.
    pub fn text(&self, case: &Case, verdict: &Verdict) -> String {
        let actors: Vec<String> = case
            .scenario
            .actors
            .iter()
            .map(|a| a.name.clone())
            .collect();
        snapshot_text(verdict, &actors, &self.left_out)
    }

    /// How the cell's stanzas differ from the accepted snapshot, as a
    /// unified diff after the accepted file's path; `None` when they do not.
    pub fn difference(&self, target: &str, case: &Case, verdict: &Verdict) -> Option<String> {
        let text = self.text(case, verdict);
        let accepted = self
            .store
            .accepted(target, &case.id)
            .ok()
            .flatten()
            .unwrap_or_default();
        if accepted.trim_end() == text.trim_end() {
            return None;
        }
        let diff = similar::TextDiff::from_lines(accepted.trim_end(), text.trim_end())
            .unified_diff()
            .header("accepted", "this run")
            .to_string();
        Some(format!(
            "{}\n{diff}",
            self.store.path(target, &case.id).display()
        ))
    }
}
