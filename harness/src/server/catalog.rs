//! The catalogue of default targets, read from `containers/targets.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::TargetError;
pub use super::mutant_list::{BrokenStatement, Mutant, Unbreakable};
use super::mutant_list::{MUTANTS_FILE, MutantsFile, mutant_target};
use super::premade::PremadeAccount;

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
    /// Part of `all` (default true); `false` for targets run only by name,
    /// such as mutants that break one requirement on purpose.
    #[serde(default = "yes")]
    pub default: bool,
    /// Another target whose built image this recipe starts from (its
    /// Dockerfile's `FROM ${BASE}`), instead of a Debian base image.
    #[serde(default)]
    pub from: Option<String>,
    /// `docker build --build-arg` values, part of the recipe hash.
    #[serde(default)]
    pub build_args: BTreeMap<String, String>,
    /// The services the image runs beside the domain, by kind (`pubsub`,
    /// `muc`): their JIDs, for `{service:KIND}` in scenarios.
    #[serde(default)]
    pub services: BTreeMap<String, String>,
    /// Accounts the image has from its build, with their roles
    /// (`[[target.account]]`).
    #[serde(default, rename = "account")]
    pub accounts: Vec<PremadeAccount>,
    /// What this target breaks on purpose, for a mutant from
    /// `mutants/mutants.toml` (never set in `targets.toml`).
    #[serde(skip)]
    pub mutant: Option<Mutant>,
}

fn yes() -> bool {
    true
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

/// Where the image recipes are: a folder, or compiled into the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipes {
    /// A `containers/` folder (`--containers DIR`, `XEPSPEC_CONTAINERS`).
    Folder(PathBuf),
    /// The recipes compiled into the binary, written out only when an image
    /// is built (see [`crate::bundled`]).
    Bundled,
}

/// All default targets, and where their recipes are.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The recipes.
    pub recipes: Recipes,
    /// The targets, in file order, the mutants last.
    pub targets: Vec<TargetDef>,
    /// The statements no mutant can break, from `mutants/mutants.toml`.
    pub unbreakable: Vec<Unbreakable>,
}

impl Catalog {
    /// Reads `<containers>/targets.toml`.
    pub fn load(containers: &Path) -> Result<Catalog, TargetError> {
        let path = containers.join("targets.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
        let mutants_path = containers.join(MUTANTS_FILE);
        let mutants = match std::fs::read_to_string(&mutants_path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(TargetError::Catalog(format!(
                    "{}: {e}",
                    mutants_path.display()
                )));
            }
        };
        let recipes = Recipes::Folder(containers.to_path_buf());
        Catalog::parse(&text, mutants.as_deref(), recipes, &path)
    }

    /// The catalogue compiled into the binary, read from memory.
    pub fn bundled() -> Result<Catalog, TargetError> {
        let path = Path::new("<bundled containers>/targets.toml");
        let bundled = |name: &str| {
            crate::bundled::CONTAINERS
                .iter()
                .find(|f| f.path == name)
                .map(|f| String::from_utf8_lossy(f.bytes).into_owned())
        };
        let text = bundled("targets.toml")
            .ok_or_else(|| TargetError::Catalog(format!("{} is missing", path.display())))?;
        let mutants = bundled(MUTANTS_FILE);
        Catalog::parse(&text, mutants.as_deref(), Recipes::Bundled, path)
    }

    /// The catalogue in the environment's `XEPSPEC_CONTAINERS` folder, else
    /// the bundled one.
    pub fn default_catalog() -> Result<Catalog, TargetError> {
        match std::env::var_os("XEPSPEC_CONTAINERS") {
            Some(dir) => Catalog::load(Path::new(&dir)),
            None => Catalog::bundled(),
        }
    }

    fn parse(
        text: &str,
        mutants: Option<&str>,
        recipes: Recipes,
        path: &Path,
    ) -> Result<Catalog, TargetError> {
        let file: CatalogFile = toml::from_str(text)
            .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
        let mut targets = file.target;
        let mut unbreakable = Vec::new();
        if let Some(mutants) = mutants {
            let mutants_path = path.with_file_name(MUTANTS_FILE);
            let at = |e: String| TargetError::Catalog(format!("{}: {e}", mutants_path.display()));
            let file: MutantsFile = toml::from_str(mutants).map_err(|e| at(e.to_string()))?;
            for mutant in file.mutant {
                let def = mutant_target(&targets, mutant).map_err(at)?;
                if targets.iter().any(|t| t.name == def.name) {
                    return Err(at(format!("{} is listed twice", def.name)));
                }
                targets.push(def);
            }
            unbreakable = file.unbreakable;
        }
        let catalog = Catalog {
            recipes,
            targets,
            unbreakable,
        };
        catalog
            .check_parents()
            .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
        Ok(catalog)
    }

    /// Every `from` names a target that is built from a Debian base itself.
    fn check_parents(&self) -> Result<(), String> {
        for def in &self.targets {
            let Some(parent) = &def.from else { continue };
            match self.parent_of(def) {
                Some(p) if p.from.is_none() => {}
                Some(_) => {
                    return Err(format!(
                        "{}: from = {parent:?}, which is built from another target itself",
                        def.name
                    ));
                }
                None => {
                    return Err(format!(
                        "{}: from = {parent:?}, an unknown target",
                        def.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// The target whose image `def` is built from, if it names one.
    pub fn parent_of(&self, def: &TargetDef) -> Option<&TargetDef> {
        let parent = def.from.as_ref()?;
        self.targets.iter().find(|t| &t.name == parent)
    }

    /// The mutant targets, in file order.
    pub fn mutants(&self) -> Vec<TargetDef> {
        self.targets
            .iter()
            .filter(|t| t.mutant.is_some())
            .cloned()
            .collect()
    }

    /// The targets `all` stands for: those not marked `default = false`.
    pub fn defaults(&self) -> Vec<TargetDef> {
        self.targets.iter().filter(|t| t.default).cloned().collect()
    }

    /// The targets named by `selection`: names of any target, and `all` for
    /// the default ones (nothing at all means `all`); unknown names are an
    /// error that lists the known ones. Each target comes once, in the order
    /// first named (`all` in file order).
    pub fn select(&self, selection: &[String]) -> Result<Vec<TargetDef>, TargetError> {
        let all = [String::from("all")];
        let selection = if selection.is_empty() {
            &all[..]
        } else {
            selection
        };
        let mut chosen: Vec<TargetDef> = Vec::new();
        for name in selection {
            let found = if name == "all" {
                self.defaults()
            } else {
                vec![self.named(name)?]
            };
            for def in found {
                if !chosen.iter().any(|c| c.name == def.name) {
                    chosen.push(def);
                }
            }
        }
        Ok(chosen)
    }

    fn named(&self, name: &str) -> Result<TargetDef, TargetError> {
        self.targets
            .iter()
            .find(|t| t.name == name)
            .cloned()
            .ok_or_else(|| TargetError::UnknownTarget {
                name: name.to_owned(),
                known: self.targets.iter().map(|t| t.name.clone()).collect(),
            })
    }
}

impl Catalog {
    /// The recipes as a folder `docker build` can read: the folder itself,
    /// or the bundled recipes written out into the cache.
    pub fn recipes_dir(&self) -> Result<PathBuf, TargetError> {
        match &self.recipes {
            Recipes::Folder(dir) => Ok(dir.clone()),
            Recipes::Bundled => {
                crate::bundled::containers_dir().map_err(|e| TargetError::Catalog(e.to_string()))
            }
        }
    }

    /// The files of the recipe folder `folder` (e.g. `prosody`, `base`), by
    /// their path under it, read from memory for the bundled recipes.
    pub fn recipe_files(&self, folder: &str) -> Result<BTreeMap<String, Vec<u8>>, TargetError> {
        match &self.recipes {
            Recipes::Folder(dir) => {
                let dir = dir.join(folder);
                let mut files = BTreeMap::new();
                collect_files(&dir, &dir, &mut files)
                    .map_err(|e| TargetError::Catalog(format!("reading {}: {e}", dir.display())))?;
                Ok(files)
            }
            Recipes::Bundled => {
                let prefix = format!("{folder}/");
                Ok(crate::bundled::CONTAINERS
                    .iter()
                    .filter_map(|f| {
                        let name = f.path.strip_prefix(&prefix)?;
                        Some((name.to_owned(), f.bytes.to_vec()))
                    })
                    .collect())
            }
        }
    }
}

/// Every file under `dir`, by its `/`-separated path under `root`.
fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, Vec<u8>>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(name, std::fs::read(&path)?);
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
