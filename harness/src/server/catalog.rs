//! The catalogue of default targets, read from `containers/targets.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::TargetError;

/// One default target: a server version packaged by a Debian suite.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    /// The name used on the command line and in reports (`prosody-13`).
    pub name: String,
    /// The server's product name (`Prosody`, `ejabberd`).
    pub server: String,
    /// The Debian suite whose package is installed.
    pub suite: String,
    /// The recipe folder under `containers/`.
    pub recipe: String,
    /// The command that prints the installed version inside the image.
    pub version_command: Vec<String>,
    /// At most this many cases at once on this target (default: no limit
    /// beyond `--jobs`).
    #[serde(default)]
    pub concurrency: Option<usize>,
}

impl TargetDef {
    /// The local image this target is built into.
    pub fn image(&self) -> String {
        format!("xepspec/{}", self.name)
    }

    /// The image tag used.
    pub const TAG: &'static str = "latest";
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    target: Vec<TargetDef>,
}

/// All default targets, and the folder their recipes live in.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The `containers/` folder.
    pub root: PathBuf,
    /// The targets, in file order.
    pub targets: Vec<TargetDef>,
}

impl Catalog {
    /// Reads `<containers>/targets.toml`.
    pub fn load(containers: &Path) -> Result<Catalog, TargetError> {
        let path = containers.join("targets.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
        let file: CatalogFile = toml::from_str(&text)
            .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
        Ok(Catalog {
            root: containers.to_path_buf(),
            targets: file.target,
        })
    }

    /// The targets named by `selection`: `all` or names; unknown names are an
    /// error that lists the known ones.
    pub fn select(&self, selection: &[String]) -> Result<Vec<TargetDef>, TargetError> {
        if selection.is_empty() || selection.iter().any(|s| s == "all") {
            return Ok(self.targets.clone());
        }
        selection
            .iter()
            .map(|name| {
                self.targets
                    .iter()
                    .find(|t| &t.name == name)
                    .cloned()
                    .ok_or_else(|| TargetError::UnknownTarget {
                        name: name.clone(),
                        known: self.targets.iter().map(|t| t.name.clone()).collect(),
                    })
            })
            .collect()
    }
}

/// The default image recipes: `XEPSPEC_CONTAINERS`, else the ones compiled
/// into the binary, written out into the cache folder (see
/// [`crate::bundled`]). Should that fail, the path returned does not exist
/// and loading it names the problem.
pub fn default_containers_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XEPSPEC_CONTAINERS") {
        return dir.into();
    }
    crate::bundled::containers_dir().unwrap_or_else(|e| {
        tracing::error!("{e}");
        e.dir
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_catalogue_has_six_targets() {
        let catalog = Catalog::load(&default_containers_dir()).unwrap();
        assert_eq!(catalog.targets.len(), 6);
        let chosen = catalog.select(&["prosody-13".into()]).unwrap();
        assert_eq!(chosen[0].suite, "forky");
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let catalog = Catalog::load(&default_containers_dir()).unwrap();
        let err = catalog
            .select(&["openfire".into()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("openfire") && err.contains("prosody-0.12"),
            "{err}"
        );
    }

    #[test]
    fn the_bundled_recipes_hash_like_the_repository_ones() {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../containers");
        let bundled = crate::bundled::containers_dir().unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(repository.canonicalize().ok(), bundled.canonicalize().ok());
        let from_repository = Catalog::load(&repository).unwrap();
        let from_bundle = Catalog::load(&bundled).unwrap();
        for def in &from_repository.targets {
            assert_eq!(
                super::super::images::recipe_hash(&from_repository, def).unwrap(),
                super::super::images::recipe_hash(&from_bundle, def).unwrap(),
                "{}",
                def.name
            );
        }
    }
}
