//! Where a run's scenarios come from: the ones compiled into the binary, a
//! folder instead of them, and folders laid over either. The bundled
//! scenarios are read from memory, so a run against your own server writes
//! nothing outside its report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::error::LoadErrors;
use super::folder::{ScenarioText, folder_files, is_scenario_file, load_files};
use super::loaded::Scenario;

/// One layer of scenario files.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Layer {
    /// The scenarios compiled into the binary.
    Bundled,
    /// A folder of scenario files.
    Folder(PathBuf),
}

/// The scenario files of a run, layer over layer: a file at the same path
/// as one in an earlier layer replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSource {
    layers: Vec<Layer>,
}

impl ScenarioSource {
    /// The scenarios compiled into the binary.
    pub fn bundled() -> ScenarioSource {
        ScenarioSource {
            layers: vec![Layer::Bundled],
        }
    }

    /// The scenarios of `dir` alone.
    pub fn folder(dir: impl Into<PathBuf>) -> ScenarioSource {
        ScenarioSource {
            layers: vec![Layer::Folder(dir.into())],
        }
    }

    /// These scenarios with the files of `dir` laid over them.
    pub fn with_extra(mut self, dir: impl Into<PathBuf>) -> ScenarioSource {
        self.layers.push(Layer::Folder(dir.into()));
        self
    }

    /// Every scenario, all problems in all files reported together.
    pub fn load(&self) -> Result<Vec<Scenario>, LoadErrors> {
        let mut by_path: BTreeMap<String, ScenarioText> = BTreeMap::new();
        for layer in &self.layers {
            for file in files_of(layer)? {
                by_path.insert(file.relative.clone(), file);
            }
        }
        load_files(by_path.into_values().collect())
    }

    /// The text of the file `name` beside the scenarios (e.g.
    /// `known-failures.toml`), from the last layer that has one.
    pub fn read(&self, name: &str) -> Result<Option<String>, String> {
        for layer in self.layers.iter().rev() {
            match layer {
                Layer::Bundled => {
                    if let Some(file) = crate::bundled::SCENARIOS.iter().find(|f| f.path == name) {
                        return String::from_utf8(file.bytes.to_vec())
                            .map(Some)
                            .map_err(|e| format!("the bundled {name}: {e}"));
                    }
                }
                Layer::Folder(dir) => {
                    let path = dir.join(name);
                    if path.is_file() {
                        return std::fs::read_to_string(&path)
                            .map(Some)
                            .map_err(|e| format!("{}: {e}", path.display()));
                    }
                }
            }
        }
        Ok(None)
    }
}

/// The scenario files of one layer.
fn files_of(layer: &Layer) -> Result<Vec<ScenarioText>, LoadErrors> {
    match layer {
        Layer::Folder(dir) => folder_files(dir),
        Layer::Bundled => Ok(crate::bundled::SCENARIOS
            .iter()
            .filter(|f| is_scenario_file(f.path))
            .map(|f| ScenarioText {
                shown: PathBuf::from("<bundled scenarios>").join(f.path),
                relative: f.path.to_owned(),
                text: String::from_utf8(f.bytes.to_vec()).map_err(|e| e.to_string()),
            })
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_scenarios_load_from_memory_like_the_repository_folder() {
        let bundled = ScenarioSource::bundled()
            .load()
            .unwrap_or_else(|e| panic!("{e}"));
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let folder = ScenarioSource::folder(&repository)
            .load()
            .unwrap_or_else(|e| panic!("{e}"));
        let ids = |s: &[Scenario]| s.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&bundled), ids(&folder));
        let known = ScenarioSource::bundled().read(crate::scenario::load::KNOWN_FAILURES);
        assert!(known.is_ok_and(|k| k.is_some_and(|k| k.contains("[[known]]"))));
    }

    #[test]
    fn an_extra_folder_adds_and_replaces_files() {
        let extra = std::env::temp_dir().join(format!("xepspec-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&extra);
        std::fs::create_dir_all(extra.join("mine")).expect("makes a folder");
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let one = "xep-0049/2.1-store-and-retrieve.toml";
        let text = std::fs::read_to_string(repository.join(one)).expect("reads");
        std::fs::write(extra.join("mine/own-case.toml"), &text).expect("writes");
        std::fs::write(extra.join("known-failures.toml"), "").expect("writes");
        let source = ScenarioSource::bundled().with_extra(&extra);
        let loaded = source.load().unwrap_or_else(|e| panic!("{e}"));
        let bundled = ScenarioSource::bundled()
            .load()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.len(), bundled.len() + 1);
        assert!(loaded.iter().any(|s| s.id == "mine/own-case"));
        assert_eq!(source.read("known-failures.toml"), Ok(Some(String::new())));
        let _ = std::fs::remove_dir_all(&extra);
    }
}
