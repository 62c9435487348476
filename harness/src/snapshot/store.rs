//! The accepted snapshots on disk, in insta's file format, so that
//! `cargo insta review` and `INSTA_UPDATE` work on what `xepspec run` and the
//! test harness write: `snapshots/<target>/<case>.snap`, with `<case>`'s
//! slashes as folders.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How a cell's snapshot compares with the accepted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotStatus {
    /// Same as the accepted snapshot.
    Same,
    /// No snapshot was accepted for this cell yet.
    New,
    /// Differs from the accepted snapshot: behaviour changed.
    Changed,
    /// Differed or was new, and was accepted by this run.
    Accepted,
}

impl SnapshotStatus {
    /// The status as reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotStatus::Same => "same",
            SnapshotStatus::New => "new",
            SnapshotStatus::Changed => "changed",
            SnapshotStatus::Accepted => "accepted",
        }
    }

    /// Whether the cell fails the run: a snapshot that changed or was never
    /// accepted has not been reviewed.
    pub fn fails_run(self) -> bool {
        matches!(self, SnapshotStatus::Changed | SnapshotStatus::New)
    }
}

/// What to do with a snapshot that is new or changed, after insta's
/// `INSTA_UPDATE` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// Write `<case>.snap.new` beside the accepted file, for review.
    New,
    /// Overwrite the accepted file (accept without review).
    Always,
    /// Write nothing.
    No,
}

impl UpdateMode {
    /// The mode `INSTA_UPDATE` asks for, else `New` (outside CI) or `No` (in
    /// CI, where a pending file would be thrown away).
    pub fn from_env() -> UpdateMode {
        match std::env::var("INSTA_UPDATE").as_deref() {
            Ok("always") => UpdateMode::Always,
            Ok("no") => UpdateMode::No,
            Ok("new") | Ok("auto") | Ok("unseen") => UpdateMode::New,
            _ if std::env::var_os("CI").is_some() => UpdateMode::No,
            _ => UpdateMode::New,
        }
    }
}

/// The folder of accepted snapshots.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    root: PathBuf,
}

/// The `source` line of every snapshot's header, as insta wrote it when the
/// trials asserted snapshots themselves; kept so files written here equal
/// the accepted ones byte for byte.
const SOURCE: &str = "harness/tests/scenarios.rs";

impl SnapshotStore {
    /// Snapshots under `root` (the repository's `snapshots/`).
    pub fn new(root: impl Into<PathBuf>) -> SnapshotStore {
        SnapshotStore { root: root.into() }
    }

    /// The folder holding the snapshots of `target`.
    pub fn target_dir(&self, target: &str) -> PathBuf {
        self.root.join(file_safe(target))
    }

    /// Where the accepted snapshot of `case` on `target` lives.
    pub fn path(&self, target: &str, case: &str) -> PathBuf {
        let mut path = self.target_dir(target);
        let parts: Vec<&str> = case.split('/').collect();
        for folder in &parts[..parts.len() - 1] {
            path.push(file_safe(folder));
        }
        path.push(format!("{}.snap", file_safe(parts[parts.len() - 1])));
        path
    }

    /// The accepted text of `case` on `target`, if any.
    pub fn accepted(&self, target: &str, case: &str) -> Result<Option<String>, String> {
        let path = self.path(target, case);
        if !path.exists() {
            return Ok(None);
        }
        let snapshot = insta::Snapshot::from_file(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        match snapshot.contents().as_text() {
            Some(text) => Ok(Some(text.to_string())),
            None => Err(format!("{} is not a text snapshot", path.display())),
        }
    }

    /// Compares `text` with the accepted snapshot and, as `mode` says,
    /// writes it for review or accepts it.
    pub fn check(
        &self,
        target: &str,
        case: &str,
        text: &str,
        mode: UpdateMode,
    ) -> Result<SnapshotStatus, String> {
        let status = match self.accepted(target, case)? {
            Some(accepted) if accepted.trim_end() == text.trim_end() => SnapshotStatus::Same,
            Some(_) => SnapshotStatus::Changed,
            None => SnapshotStatus::New,
        };
        let path = self.path(target, case);
        let pending = path.with_extension("snap.new");
        if status == SnapshotStatus::Same {
            remove_if_present(&pending)?;
            return Ok(status);
        }
        match mode {
            UpdateMode::No => Ok(status),
            UpdateMode::New => {
                write(&pending, &file_text(target, case, text))?;
                Ok(status)
            }
            UpdateMode::Always => {
                write(&path, &file_text(target, case, text))?;
                remove_if_present(&pending)?;
                Ok(SnapshotStatus::Accepted)
            }
        }
    }
}

/// A snapshot file's whole text in insta's format.
fn file_text(target: &str, case: &str, text: &str) -> String {
    format!(
        "---\nsource: {SOURCE}\ndescription: \"{}\"\n---\n{}\n",
        description(target, case)
            .replace('\\', "\\\\")
            .replace('"', "\\\""),
        text.trim_end()
    )
}

/// The description line of the snapshot of `case` on `target`, as the
/// accepted files carry it.
pub fn description(target: &str, case: &str) -> String {
    format!("{case} on {target}")
}

/// `name` with characters that file systems or insta treat specially
/// replaced by `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("removing {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xepspec-snapshots-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_case_id_becomes_folders_and_a_file() {
        let store = SnapshotStore::new("/s");
        assert_eq!(
            store.path("prosody-13", "xep-0402/2-autojoin[autojoin=0]"),
            PathBuf::from("/s/prosody-13/xep-0402/2-autojoin[autojoin=0].snap")
        );
    }

    #[test]
    fn new_then_accepted_then_same_then_changed() {
        let root = scratch();
        let store = SnapshotStore::new(&root);
        let case = "xep-0060/7.2-retract";
        let status = store.check("t", case, "a →\n<iq/>\n", UpdateMode::New);
        assert_eq!(status, Ok(SnapshotStatus::New));
        assert!(store.path("t", case).with_extension("snap.new").exists());
        let status = store.check("t", case, "a →\n<iq/>\n", UpdateMode::Always);
        assert_eq!(status, Ok(SnapshotStatus::Accepted));
        assert!(!store.path("t", case).with_extension("snap.new").exists());
        assert_eq!(
            store.check("t", case, "a →\n<iq/>", UpdateMode::New),
            Ok(SnapshotStatus::Same)
        );
        assert_eq!(
            store.check("t", case, "a →\n<iq type='get'/>", UpdateMode::No),
            Ok(SnapshotStatus::Changed)
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn files_written_here_read_back_through_insta() {
        let root = scratch();
        let store = SnapshotStore::new(&root);
        let text = "juliet/balcony →\n<iq id='{id:1}' type='get'/>\n\njuliet/balcony ←\n<iq/>\n";
        store
            .check("t", "x/y", text, UpdateMode::Always)
            .expect("writes");
        let read = store.accepted("t", "x/y").expect("reads").expect("exists");
        assert_eq!(read.trim_end(), text.trim_end());
        let _ = std::fs::remove_dir_all(&root);
    }
}
