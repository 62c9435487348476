//! Writing a list of files out as a folder in the cache, once per content.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::FolderFile;

/// Why a folder could not be written out.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the {name} folder into {}: {source}", dir.display())]
pub struct MaterialiseError {
    /// Which folder (`scenarios`, `containers`).
    pub name: String,
    /// Where it was being written.
    pub dir: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// A short hash of the files' paths, modes and content.
pub fn content_hash(files: &[FolderFile<'_>]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.path.as_bytes());
        hasher.update([0, u8::from(file.executable)]);
        hasher.update((file.bytes.len() as u64).to_le_bytes());
        hasher.update(file.bytes);
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<cache>/<name>-<hash>` holding `files`: reused when it exists, else
/// written beside it and renamed into place, so a reader never sees half a
/// folder. Falls back to the system's temporary folder when the cache
/// cannot be written.
pub fn materialise(name: &str, files: &[FolderFile<'_>]) -> Result<PathBuf, MaterialiseError> {
    let leaf = format!("{name}-{}", content_hash(files));
    let root = crate::cache::root();
    let cache = root.join(&leaf);
    match write_once(&cache, files) {
        Ok(()) => {
            super::prune::prune(&root, name, &cache, std::time::SystemTime::now());
            Ok(cache)
        }
        Err(_) => {
            let temporary = std::env::temp_dir().join("xepspec-cache").join(&leaf);
            write_once(&temporary, files).map_err(|source| MaterialiseError {
                name: name.to_owned(),
                dir: temporary.clone(),
                source,
            })?;
            Ok(temporary)
        }
    }
}

/// Writes `files` into `dir` unless it already exists.
pub(super) fn write_once(dir: &Path, files: &[FolderFile<'_>]) -> std::io::Result<()> {
    if dir.is_dir() {
        super::prune::mark_used(dir);
        return Ok(());
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    // Private to this process and this call: threads of one process (tests)
    // may write the same folder at once.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let staging = parent.join(format!(
        ".{}.{}-{}",
        dir.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let written = write_files(&staging, files);
    let renamed = written.and_then(|()| std::fs::rename(&staging, dir));
    if renamed.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    match renamed {
        // Another process wrote the same content first.
        Err(_) if dir.is_dir() => Ok(()),
        other => other,
    }
}

fn write_files(dir: &Path, files: &[FolderFile<'_>]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for file in files {
        let path = dir.join(file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, file.bytes)?;
        if file.executable {
            make_executable(&path)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[FolderFile<'static>] = &[
        FolderFile {
            path: "a.toml",
            bytes: b"a = 1\n",
            executable: false,
        },
        FolderFile {
            path: "sub/run.sh",
            bytes: b"echo\n",
            executable: true,
        },
    ];

    #[test]
    fn the_hash_follows_content_and_mode() {
        let mut changed = FILES.to_vec();
        changed[1].executable = false;
        assert_ne!(content_hash(FILES), content_hash(&changed));
        changed[1].executable = true;
        assert_eq!(content_hash(FILES), content_hash(&changed));
    }

    #[test]
    fn a_folder_is_written_once_with_its_modes() {
        let dir = std::env::temp_dir().join(format!("xepspec-materialise-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write_once(&dir, FILES).unwrap();
        assert_eq!(std::fs::read(dir.join("sub/run.sh")).unwrap(), b"echo\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("sub/run.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111);
        }
        std::fs::write(dir.join("a.toml"), "kept").unwrap();
        write_once(&dir, FILES).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("a.toml")).unwrap(), "kept");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn threads_writing_the_same_folder_all_get_it_whole() {
        let dir = std::env::temp_dir().join(format!("xepspec-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let writers: Vec<_> = (0..8)
            .map(|_| {
                let dir = dir.clone();
                std::thread::spawn(move || write_once(&dir, FILES))
            })
            .collect();
        for writer in writers {
            writer.join().unwrap().unwrap();
        }
        assert_eq!(std::fs::read(dir.join("a.toml")).unwrap(), b"a = 1\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
