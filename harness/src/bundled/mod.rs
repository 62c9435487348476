//! The default scenarios and container recipes, compiled into the binary
//! (see `harness/build.rs`). Scenarios are read from memory
//! (`scenario::ScenarioSource`); the recipes are written out at run time
//! when an image is built, because `docker build` reads a folder.
//!
//! The copies live in the cache folder under a name holding a hash of their
//! content, so a binary always reads exactly what it was built with, and
//! two binaries built from different sources never share a copy.

mod materialise;
mod prune;

use std::path::PathBuf;

pub use materialise::{MaterialiseError, content_hash, materialise};

/// One file of a folder: its path under the folder (with `/`), its bytes
/// and whether it is executable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderFile<'a> {
    /// The path under the folder, `/`-separated, never absolute.
    pub path: &'a str,
    /// The content.
    pub bytes: &'a [u8],
    /// Whether the file is written executable.
    pub executable: bool,
}

/// A file compiled into the binary.
pub type EmbeddedFile = FolderFile<'static>;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The bundled `containers/` folder, written out into the cache.
pub fn containers_dir() -> Result<PathBuf, MaterialiseError> {
    materialise("containers", CONTAINERS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(files: &[EmbeddedFile], path: &str) -> bool {
        files.iter().any(|f| f.path == path)
    }

    #[test]
    fn both_folders_are_compiled_in() {
        assert!(has(SCENARIOS, "known-failures.toml"));
        assert!(has(SCENARIOS, "TRACEABILITY.md"));
        assert!(has(CONTAINERS, "targets.toml"));
        assert!(has(CONTAINERS, "prosody/Dockerfile"));
        assert!(
            CONTAINERS
                .iter()
                .any(|f| f.path == "base/debootstrap.sh" && f.executable)
        );
    }

    /// Files allowed a build-time path outside their tests, each with why
    /// (none today).
    const BUILD_TIME_PATHS_ALLOWED: &[(&str, &str)] = &[];

    #[test]
    fn no_path_fixed_at_build_time_outside_tests() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let needle = concat!("env!(\"CARGO_", "MANIFEST_DIR\")");
        let mut scanned = 0;
        let mut found = Vec::new();
        let mut stack = vec![src.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if !name.ends_with(".rs") || name == "tests.rs" || name.ends_with("_tests.rs") {
                    continue;
                }
                scanned += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                let outside_tests = text.split("#[cfg(test)]").next().unwrap_or("");
                let relative = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let allowed = BUILD_TIME_PATHS_ALLOWED.iter().any(|(f, _)| *f == relative);
                if outside_tests.contains(needle) && !allowed {
                    found.push(relative);
                }
            }
        }
        assert!(scanned > 50, "only {scanned} files scanned");
        assert!(
            found.is_empty(),
            "build-time paths outside tests: {found:?}"
        );
    }

    #[test]
    fn the_compiled_copy_matches_the_repository() {
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for (folder, files) in [("scenarios", SCENARIOS), ("containers", CONTAINERS)] {
            for file in files {
                let on_disk = std::fs::read(repository.join(folder).join(file.path))
                    .unwrap_or_else(|e| panic!("{folder}/{}: {e}", file.path));
                assert!(on_disk == file.bytes, "{folder}/{} differs", file.path);
            }
        }
    }
}
