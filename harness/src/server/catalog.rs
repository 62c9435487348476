//! The catalogue of default targets, read from `containers/targets.toml`.

use std::collections::BTreeMap;
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
    /// What this target breaks on purpose, for a mutant from
    /// `mutants/mutants.toml` (never set in `targets.toml`).
    #[serde(skip)]
    pub mutant: Option<Mutant>,
}

fn yes() -> bool {
    true
}

/// A server with one requirement broken on purpose, listed in
/// `containers/mutants/mutants.toml`; it becomes the target `<from>-<name>`,
/// built from `mutants/<recipe of from>` with the build argument
/// `MUTANT=<name>`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    /// Short name (`no-autocreate`); the module or patch it loads is named
    /// after it.
    pub name: String,
    /// The target whose image it starts from.
    pub from: String,
    /// The statements it breaks: a case quoting one of them must fail on it.
    pub breaks: Vec<BrokenStatement>,
    /// What the server does instead, in one sentence.
    pub does: String,
}

/// A statement a mutant breaks: a XEP and a section of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenStatement {
    /// The XEP's number.
    pub xep: u32,
    /// The section, as the cases' `[spec] section` gives it (`7.1.5`).
    pub section: String,
}

impl BrokenStatement {
    /// Whether a case quoting `xep` § `section` tests this statement.
    pub fn names(&self, xep: u32, section: &str) -> bool {
        self.xep == xep && self.section == section
    }
}

/// A statement with cases that no mutant of a default target can break so
/// that a case goes from pass to fail, and why (`[[unbreakable]]` in
/// `mutants/mutants.toml`; the traceability table shows the reason).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unbreakable {
    /// The XEP's number.
    pub xep: u32,
    /// Only this section, as the traceability table gives it (default:
    /// every section).
    #[serde(default)]
    pub section: Option<String>,
    /// Only this version of the XEP (default: every version traced).
    #[serde(default)]
    pub version: Option<String>,
    /// Only the statements containing this text, whitespace and case aside
    /// (default: every statement of the section).
    #[serde(default)]
    pub statement: Option<String>,
    /// Why no mutant can prove the cases able to fail.
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MutantsFile {
    #[serde(default)]
    mutant: Vec<Mutant>,
    #[serde(default)]
    unbreakable: Vec<Unbreakable>,
}

/// Where the mutants are listed, under the recipes folder.
const MUTANTS_FILE: &str = "mutants/mutants.toml";

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

/// The target of `mutant`: its parent's server, suite, version command and
/// concurrency, built from `mutants/<parent's recipe>` with `MUTANT=<name>`.
fn mutant_target(targets: &[TargetDef], mutant: Mutant) -> Result<TargetDef, String> {
    let parent = targets
        .iter()
        .find(|t| t.name == mutant.from)
        .ok_or_else(|| {
            format!(
                "{}: from = {:?}, an unknown target",
                mutant.name, mutant.from
            )
        })?;
    if mutant.breaks.is_empty() {
        return Err(format!("{}: breaks names no statement", mutant.name));
    }
    Ok(TargetDef {
        name: format!("{}-{}", parent.name, mutant.name),
        server: parent.server.clone(),
        suite: parent.suite.clone(),
        recipe: format!("mutants/{}", parent.recipe),
        version_command: parent.version_command.clone(),
        concurrency: parent.concurrency,
        default: false,
        from: Some(parent.name.clone()),
        build_args: BTreeMap::from([("MUTANT".to_owned(), mutant.name.clone())]),
        mutant: Some(mutant),
    })
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
mod tests {
    use super::*;

    #[test]
    fn the_repository_catalogue_has_six_default_targets() {
        let catalog = Catalog::default_catalog().unwrap();
        assert_eq!(catalog.select(&["all".into()]).unwrap().len(), 6);
        let chosen = catalog.select(&["prosody-13".into()]).unwrap();
        assert_eq!(chosen[0].suite, "forky");
    }

    #[test]
    fn a_mutant_is_chosen_by_name_only_and_built_from_its_parent() {
        let catalog = Catalog::default_catalog().unwrap();
        let all = catalog.select(&["all".into()]).unwrap();
        assert!(all.iter().all(|t| t.from.is_none()));
        let mutant = catalog
            .select(&["prosody-13-no-autocreate".into()])
            .unwrap()
            .remove(0);
        assert!(!mutant.default);
        assert_eq!(mutant.recipe, "mutants/prosody");
        assert_eq!(
            mutant.build_args.get("MUTANT").map(String::as_str),
            Some("no-autocreate")
        );
        let breaks = &mutant.mutant.as_ref().expect("from mutants.toml").breaks;
        assert!(breaks.iter().any(|b| b.names(163, "3")), "{breaks:?}");
        let both = catalog
            .select(&["all".into(), mutant.name.clone(), "prosody-13".into()])
            .unwrap();
        assert_eq!(both.len(), 7, "all, the mutant, and no target twice");
        let parent = catalog.parent_of(&mutant).map(|p| p.name.as_str());
        assert_eq!(parent, Some("prosody-13"));
    }

    #[test]
    fn a_parent_must_be_a_known_target_built_from_debian() {
        let dir = std::env::temp_dir().join(format!("xepspec-catalog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let entry = |name: &str, from: &str| {
            format!(
                "[[target]]\nname = \"{name}\"\nserver = \"S\"\nsuite = \"forky\"\n\
                 recipe = \"r\"\nversion_command = [\"true\"]\n{from}\n"
            )
        };
        let write = |text: String| std::fs::write(dir.join("targets.toml"), text).unwrap();
        write(entry("a", "from = \"ghost\""));
        let err = Catalog::load(&dir).unwrap_err().to_string();
        assert!(err.contains("unknown target"), "{err}");
        write(entry("a", "") + &entry("b", "from = \"a\"") + &entry("c", "from = \"b\""));
        let err = Catalog::load(&dir).unwrap_err().to_string();
        assert!(err.contains("c: from = \"b\""), "{err}");
        write(entry("a", ""));
        std::fs::create_dir_all(dir.join("mutants")).unwrap();
        let mutant = |from: &str, breaks: &str| {
            format!(
                "[[mutant]]\nname = \"m\"\nfrom = \"{from}\"\nbreaks = [{breaks}]\ndoes = \"d\"\n"
            )
        };
        let write_mutants = |text: String| std::fs::write(dir.join(MUTANTS_FILE), text).unwrap();
        write_mutants(mutant("ghost", "{ xep = 60, section = \"7.2\" }"));
        let err = Catalog::load(&dir).unwrap_err().to_string();
        assert!(
            err.contains("mutants.toml") && err.contains("ghost"),
            "{err}"
        );
        write_mutants(mutant("a", ""));
        let err = Catalog::load(&dir).unwrap_err().to_string();
        assert!(err.contains("breaks names no statement"), "{err}");
        write_mutants(mutant("a", "{ xep = 60, section = \"7.2\" }"));
        let catalog = Catalog::load(&dir).unwrap();
        let names: Vec<_> = catalog.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "a-m"]);
        assert_eq!(catalog.targets[1].recipe, "mutants/r");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let catalog = Catalog::default_catalog().unwrap();
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
