//! The catalogue: default targets, mutants and their parents.

use super::*;

#[test]
fn the_repository_catalogue_has_eight_default_targets() {
    let catalog = Catalog::default_catalog().unwrap();
    let all = catalog.select(&["all".into()]).unwrap();
    assert_eq!(all.len(), 8);
    let chosen = catalog.select(&["prosody-13".into()]).unwrap();
    assert_eq!(chosen[0].suite, "forky");
    let jabberd2 = catalog.select(&["jabberd2-2.7".into()]).unwrap();
    assert!(!jabberd2[0].default, "jabberd2 runs by name only");
    assert!(!all.iter().any(|t| t.name == "jabberd2-2.7"));
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
    assert_eq!(both.len(), 9, "all, the mutant, and no target twice");
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
        format!("[[mutant]]\nname = \"m\"\nfrom = \"{from}\"\nbreaks = [{breaks}]\ndoes = \"d\"\n")
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
