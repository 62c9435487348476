//! A checkout of this repository, when the current folder is inside one:
//! where `../shared/xeps` and the committed fuzzing regressions are looked
//! for. Found at run time, never from a path fixed at build time.

use std::path::{Path, PathBuf};

/// The nearest folder at or above `start` that is a checkout of this
/// repository: the workspace's `Cargo.toml` with `harness/` and
/// `scenarios/` beside it.
pub fn above(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let is_checkout = dir.join("Cargo.toml").is_file()
            && dir.join("harness").is_dir()
            && dir.join("scenarios").is_dir();
        is_checkout.then(|| dir.to_path_buf())
    })
}

/// The checkout holding the current folder, if any.
pub fn current() -> Option<PathBuf> {
    std::env::current_dir().ok().as_deref().and_then(above)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_is_found_from_below_and_not_from_outside() {
        let root = std::env::temp_dir().join(format!("xepspec-checkout-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["repo/harness/src", "repo/scenarios", "elsewhere"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("repo/Cargo.toml"), "").unwrap();
        assert_eq!(
            above(&root.join("repo/harness/src")),
            Some(root.join("repo"))
        );
        assert_eq!(above(&root.join("elsewhere")), None);
        std::fs::remove_dir_all(root).unwrap();
    }
}
