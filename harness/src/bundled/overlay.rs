//! Folders laid over one another: the default scenarios plus the user's
//! extra folders, as one folder the loader reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{FolderFile, MaterialiseError, materialise};

/// Why folders could not be laid over one another.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// A folder could not be read.
    #[error("cannot read {}: {source}", dir.display())]
    Read {
        /// The folder.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The joined folder could not be written.
    #[error(transparent)]
    Write(#[from] MaterialiseError),
}

/// One folder holding every file of `base` and of each of `extras`, in
/// that order: a file at the same path in a later folder replaces the
/// earlier one. Written into the cache like the bundled folders.
pub fn overlay(name: &str, base: &Path, extras: &[PathBuf]) -> Result<PathBuf, OverlayError> {
    let mut files = BTreeMap::new();
    for dir in std::iter::once(base).chain(extras.iter().map(PathBuf::as_path)) {
        read_folder(dir, dir, &mut files).map_err(|source| OverlayError::Read {
            dir: dir.to_path_buf(),
            source,
        })?;
    }
    let listed: Vec<FolderFile<'_>> = files
        .iter()
        .map(|(path, (bytes, executable))| FolderFile {
            path,
            bytes,
            executable: *executable,
        })
        .collect();
    Ok(materialise(name, &listed)?)
}

type Files = BTreeMap<String, (Vec<u8>, bool)>;

fn read_folder(root: &Path, dir: &Path, out: &mut Files) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            read_folder(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let executable = is_executable(&entry.metadata()?);
            out.insert(relative, (std::fs::read(&path)?, executable));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xepspec-overlay-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn later_folders_add_files_and_replace_same_paths() {
        let base = folder("base", &[("a/one.toml", "base"), ("two.toml", "base")]);
        let extra = folder(
            "extra",
            &[("a/one.toml", "extra"), ("b/three.toml", "extra")],
        );
        let joined = overlay("overlay-test", &base, std::slice::from_ref(&extra)).unwrap();
        let read = |p: &str| std::fs::read_to_string(joined.join(p)).unwrap();
        assert_eq!(read("a/one.toml"), "extra");
        assert_eq!(read("two.toml"), "base");
        assert_eq!(read("b/three.toml"), "extra");
        for dir in [base, extra, joined] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn a_missing_folder_is_named() {
        let err = overlay("overlay-test", Path::new("/nonexistent/xepspec"), &[]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/xepspec"), "{err}");
    }
}
