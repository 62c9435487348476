//! The scenario folder a command reads: the bundled scenarios or
//! `--scenarios DIR` instead of them, plus every `--extra-scenarios DIR`.

use std::path::{Path, PathBuf};

use crate::bundled::overlay;
use crate::scenario::{default_scenarios_dir, load_dir};

/// The folder to load: `replace` (else the default scenarios) with each of
/// `extras` laid over it in order, a file at the same path replacing the
/// earlier one. Each extra folder is loaded on its own first, so that its
/// mistakes are reported against the user's own files.
pub fn resolve(replace: Option<PathBuf>, extras: &[PathBuf]) -> Result<PathBuf, String> {
    let base = replace.unwrap_or_else(default_scenarios_dir);
    if extras.is_empty() {
        return Ok(base);
    }
    for extra in extras {
        check(extra)?;
    }
    overlay("scenarios-joined", &base, extras).map_err(|e| e.to_string())
}

fn check(extra: &Path) -> Result<(), String> {
    if !extra.is_dir() {
        return Err(format!(
            "--extra-scenarios {}: not a folder",
            extra.display()
        ));
    }
    load_dir(extra)
        .map(|_| ())
        .map_err(|e| format!("--extra-scenarios {}:\n{e}", extra.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_extras_the_base_is_used_as_it_is() {
        let base = PathBuf::from("/somewhere/scenarios");
        assert_eq!(resolve(Some(base.clone()), &[]).unwrap(), base);
    }

    #[test]
    fn a_missing_extra_folder_is_named() {
        let err = resolve(None, &[PathBuf::from("/nonexistent/extra")]).unwrap_err();
        assert!(
            err.contains("--extra-scenarios /nonexistent/extra"),
            "{err}"
        );
    }

    #[test]
    fn extra_scenarios_are_added_to_the_bundled_ones() {
        let extra = std::env::temp_dir().join(format!("xepspec-extra-{}", std::process::id()));
        let file = extra.join("mine/own-case.toml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let bundled = load_dir(&default_scenarios_dir()).unwrap_or_else(|e| panic!("{e}"));
        let one = bundled
            .iter()
            .find(|s| s.id.starts_with("xep-0049/"))
            .unwrap();
        std::fs::copy(&one.file, &file).unwrap();
        let joined = resolve(None, std::slice::from_ref(&extra)).unwrap();
        let loaded = load_dir(&joined).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.len(), bundled.len() + 1);
        assert!(loaded.iter().any(|s| s.id == "mine/own-case"));
        std::fs::remove_dir_all(&extra).unwrap();
        std::fs::remove_dir_all(&joined).unwrap();
    }
}
