//! Loading a folder of scenarios: every `*.toml` below it, sorted by path,
//! each named by its path unless it sets an id; all problems in all files
//! are reported together.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::error::{LoadError, LoadErrors};
use super::load::load_str;
use super::loaded::Scenario;
use super::setup::unknown_setup_ids;

/// The expectations file that lives beside the scenarios and is not one.
pub const KNOWN_FAILURES: &str = "known-failures.toml";

/// The reasons why some statements cannot be tested (`xepspec trace`),
/// beside the scenarios and not one.
pub const UNTESTABLE: &str = "untestable.toml";

/// Loads every `*.toml` under `dir` (recursively, sorted by path). Reports
/// all problems in all files, or none and every scenario.
pub fn load_dir(dir: &Path) -> Result<Vec<Scenario>, LoadErrors> {
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| {
        LoadErrors(vec![LoadError {
            file: dir.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("cannot read the scenario folder: {e}"),
        }])
    })?;
    files.sort();
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let id = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(&file) {
            Ok(text) => match load_str(&text, &file, &id) {
                Ok(s) => scenarios.push(s),
                Err(mut e) => errors.append(&mut e.0),
            },
            Err(e) => errors.push(LoadError {
                file: file.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    let mut ids = BTreeSet::new();
    for s in &scenarios {
        if !ids.insert(s.id.clone()) {
            errors.push(LoadError {
                file: s.file.clone(),
                line: 1,
                column: 1,
                message: format!("scenario id {:?} is used by another file", s.id),
            });
        }
    }
    errors.extend(unknown_setup_ids(&scenarios));
    if errors.is_empty() {
        Ok(scenarios)
    } else {
        Err(LoadErrors(errors))
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml")
            && !path.ends_with(KNOWN_FAILURES)
            && !path.ends_with(UNTESTABLE)
        {
            out.push(path);
        }
    }
    Ok(())
}
