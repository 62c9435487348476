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
    let files = folder_files(dir)?;
    load_files(files)
}

/// One scenario file to load: the path errors name, its path under the
/// scenario folder (`/`-separated, with `.toml`), and its text or why it
/// could not be read.
pub struct ScenarioText {
    /// The path shown in errors.
    pub shown: PathBuf,
    /// The path under the scenario folder, which gives the default id.
    pub relative: String,
    /// The file's text, or why it could not be read.
    pub text: Result<String, String>,
}

/// The scenario files under `dir`, sorted by path.
pub fn folder_files(dir: &Path) -> Result<Vec<ScenarioText>, LoadErrors> {
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
    Ok(files
        .into_iter()
        .map(|file| ScenarioText {
            relative: file
                .strip_prefix(dir)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/"),
            text: std::fs::read_to_string(&file).map_err(|e| e.to_string()),
            shown: file,
        })
        .collect())
}

/// Whether a file under a scenario folder is a scenario (not the known
/// failures or the untestable statements beside them).
pub fn is_scenario_file(relative: &str) -> bool {
    relative.ends_with(".toml")
        && !relative.ends_with(KNOWN_FAILURES)
        && !relative.ends_with(UNTESTABLE)
}

/// Loads `files`, each named by its relative path unless it sets an id.
/// Reports all problems in all files, or none and every scenario.
pub fn load_files(files: Vec<ScenarioText>) -> Result<Vec<Scenario>, LoadErrors> {
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let id = file.relative.trim_end_matches(".toml").to_owned();
        match &file.text {
            Ok(text) => match load_str(text, &file.shown, &id) {
                Ok(s) => scenarios.push(s),
                Err(mut e) => errors.append(&mut e.0),
            },
            Err(e) => errors.push(LoadError {
                file: file.shown.clone(),
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
        } else if is_scenario_file(&path.to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}
