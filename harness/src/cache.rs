//! The user's cache folder for xepspec: where the bundled scenarios and
//! recipes are written out and where `xepspec xeps fetch` puts the XEP
//! sources. Nothing in it is precious; deleting it only costs a rewrite or
//! a fetch.

use std::ffi::OsString;
use std::path::PathBuf;

/// `$XDG_CACHE_HOME/xepspec`, else `$HOME/.cache/xepspec`, else a folder
/// in the system's temporary folder.
pub fn root() -> PathBuf {
    root_from(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
}

/// [`root`] from the given values of `XDG_CACHE_HOME` and `HOME`; empty
/// values count as unset, as the XDG base directory specification says.
pub fn root_from(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> PathBuf {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(cache) = set(xdg_cache_home).filter(|p| p.is_absolute()) {
        return cache.join("xepspec");
    }
    if let Some(home) = set(home) {
        return home.join(".cache/xepspec");
    }
    std::env::temp_dir().join("xepspec-cache")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_cache_home_wins_over_home() {
        let root = root_from(Some("/c".into()), Some("/h".into()));
        assert_eq!(root, PathBuf::from("/c/xepspec"));
    }

    #[test]
    fn home_is_used_when_xdg_is_unset_empty_or_relative() {
        for xdg in [None, Some("".into()), Some("rel".into())] {
            assert_eq!(
                root_from(xdg, Some("/h".into())),
                PathBuf::from("/h/.cache/xepspec")
            );
        }
    }

    #[test]
    fn without_either_the_temporary_folder_is_used() {
        assert!(root_from(None, None).starts_with(std::env::temp_dir()));
    }
}
