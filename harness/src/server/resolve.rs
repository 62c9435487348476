//! Which server a `--target NAME` means: the user's targets file first, then
//! the built-in catalogue.

use super::catalog::{Catalog, TargetDef};
use super::error::TargetError;
use super::external::ExternalTarget;
use super::targets_file::TargetsFile;

/// A target chosen by name.
#[derive(Debug, Clone)]
pub enum ChosenTarget {
    /// A server the user runs, from their targets file.
    Own(ExternalTarget),
    /// A built-in target, started from its image.
    BuiltIn(TargetDef),
}

impl ChosenTarget {
    /// The name it goes by in reports.
    pub fn name(&self) -> &str {
        match self {
            ChosenTarget::Own(t) => &t.name,
            ChosenTarget::BuiltIn(d) => &d.name,
        }
    }
}

/// The target called `name`: the targets file's when it declares one (so a
/// user's name may shadow a built-in one), else the catalogue's; an unknown
/// name is an error listing both sets of names.
pub fn resolve_target(
    name: &str,
    own: Option<&TargetsFile>,
    catalog: &Catalog,
) -> Result<ChosenTarget, TargetError> {
    if let Some(target) = own.and_then(|f| f.get(name)) {
        return Ok(ChosenTarget::Own(target.clone()));
    }
    if let Some(def) = catalog.targets.iter().find(|d| d.name == name) {
        return Ok(ChosenTarget::BuiltIn(def.clone()));
    }
    Err(TargetError::UnknownName {
        name: name.to_owned(),
        own_file: own.map(|f| f.path.clone()),
        own: own.map(TargetsFile::names).unwrap_or_default(),
        defaults: built_in_names(catalog),
    })
}

/// The built-in targets' names for an error message: the servers by name,
/// the mutants by count (there are dozens; `xepspec targets` lists them).
fn built_in_names(catalog: &Catalog) -> Vec<String> {
    let (mutants, servers): (Vec<_>, Vec<_>) =
        catalog.targets.iter().partition(|d| d.mutant.is_some());
    let mut names: Vec<String> = servers.iter().map(|d| d.name.clone()).collect();
    if let Some(first) = mutants.first() {
        names.push(format!(
            "{} mutant targets such as {} (`xepspec targets` lists them)",
            mutants.len(),
            first.name
        ));
    }
    names
}

/// The targets named by `selection`: none, or `all`, means the built-in
/// targets of the default matrix (own targets and those outside `all`, such
/// as the mutants, are always named); each other name is found as
/// [`resolve_target`] finds it. A target named twice is chosen once.
pub fn resolve_targets(
    selection: &[String],
    own: Option<&TargetsFile>,
    catalog: &Catalog,
) -> Result<Vec<ChosenTarget>, TargetError> {
    let all = [String::from("all")];
    let selection = if selection.is_empty() {
        &all[..]
    } else {
        selection
    };
    let mut chosen: Vec<ChosenTarget> = Vec::new();
    for name in selection {
        let found = if name == "all" {
            catalog
                .defaults()
                .into_iter()
                .map(ChosenTarget::BuiltIn)
                .collect()
        } else {
            vec![resolve_target(name, own, catalog)?]
        };
        for target in found {
            if !chosen.iter().any(|c| c.name() == target.name()) {
                chosen.push(target);
            }
        }
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_leaves_out_the_targets_outside_the_default_matrix() {
        let catalog = Catalog::default_catalog().unwrap();
        let names = |chosen: Vec<ChosenTarget>| -> Vec<String> {
            chosen.iter().map(|c| c.name().to_owned()).collect()
        };
        let all = names(resolve_targets(&[], None, &catalog).unwrap());
        assert_eq!(all.len(), 8, "{all:?}");
        assert!(!all.iter().any(|n| n.contains("no-autocreate")));
        let both = [
            "all".to_owned(),
            "prosody-13-no-autocreate".to_owned(),
            "prosody-13".to_owned(),
        ];
        let chosen = names(resolve_targets(&both, None, &catalog).unwrap());
        assert_eq!(chosen.len(), 9, "{chosen:?}");
    }

    use std::path::Path;

    use super::*;

    fn own() -> TargetsFile {
        let text = "[[target]]\nname = \"home\"\naddress = \"h:1\"\ndomain = \"d\"\n\
                    [[target]]\nname = \"prosody-13\"\naddress = \"h:2\"\ndomain = \"d\"\n";
        TargetsFile::parse(text, Path::new("xepspec.toml")).unwrap()
    }

    #[test]
    fn the_targets_file_comes_first() {
        let catalog = Catalog::default_catalog().unwrap();
        let own = own();
        let home = resolve_target("home", Some(&own), &catalog).unwrap();
        assert!(matches!(home, ChosenTarget::Own(ref t) if t.address == "h:1"));
        let shadowed = resolve_target("prosody-13", Some(&own), &catalog).unwrap();
        assert!(matches!(shadowed, ChosenTarget::Own(_)));
        let built_in = resolve_target("ejabberd-26", Some(&own), &catalog).unwrap();
        assert!(matches!(built_in, ChosenTarget::BuiltIn(_)));
        assert_eq!(built_in.name(), "ejabberd-26");
    }

    #[test]
    fn an_unknown_name_lists_both_sets() {
        let catalog = Catalog::default_catalog().unwrap();
        let err = resolve_target("hom", Some(&own()), &catalog)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("targets in xepspec.toml: home, prosody-13"),
            "{err}"
        );
        assert!(err.contains("built-in targets: prosody-0.11"), "{err}");
        let err = resolve_target("hom", None, &catalog)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no targets file"), "{err}");
    }

    #[test]
    fn all_means_the_built_in_targets() {
        let catalog = Catalog::default_catalog().unwrap();
        let chosen = resolve_targets(&["all".into()], Some(&own()), &catalog).unwrap();
        assert_eq!(chosen.len(), catalog.defaults().len());
    }
}
