//! The scenarios a command reads: the bundled ones (or `XEPSPEC_SCENARIOS`,
//! or `--scenarios DIR` instead of them), with every `--extra-scenarios
//! DIR` laid over them.

use std::path::PathBuf;

use crate::scenario::ScenarioSource;

/// The source to load: `replace` (else `XEPSPEC_SCENARIOS`, else the
/// bundled scenarios) with each of `extras` laid over it in order, a file
/// at the same path replacing the earlier one. Nothing is written: a run's
/// scenarios are read where they are.
pub fn resolve(replace: Option<PathBuf>, extras: &[PathBuf]) -> Result<ScenarioSource, String> {
    let replace = replace.or_else(|| std::env::var_os("XEPSPEC_SCENARIOS").map(PathBuf::from));
    let mut source = match replace {
        Some(dir) if !dir.is_dir() => {
            return Err(format!("--scenarios {}: not a folder", dir.display()));
        }
        Some(dir) => ScenarioSource::folder(dir),
        None => ScenarioSource::bundled(),
    };
    for extra in extras {
        if !extra.is_dir() {
            return Err(format!(
                "--extra-scenarios {}: not a folder",
                extra.display()
            ));
        }
        source = source.with_extra(extra);
    }
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_extras_the_folder_is_used_as_it_is() {
        let base = std::env::temp_dir();
        assert_eq!(
            resolve(Some(base.clone()), &[]).unwrap(),
            ScenarioSource::folder(base)
        );
    }

    #[test]
    fn a_missing_folder_is_named() {
        let err = resolve(None, &[PathBuf::from("/nonexistent/extra")]).unwrap_err();
        assert!(
            err.contains("--extra-scenarios /nonexistent/extra"),
            "{err}"
        );
        let err = resolve(Some("/nonexistent/own".into()), &[]).unwrap_err();
        assert!(err.contains("--scenarios /nonexistent/own"), "{err}");
    }
}
