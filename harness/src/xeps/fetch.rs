//! `xepspec xeps fetch`: fills the cache folder with XEP sources, from the
//! XSF's repository, another git repository or a plain local folder, and
//! adds the older XEP versions that `xepspec trace` reads.

use std::path::{Path, PathBuf};

use super::history::{from_git, git, history_path};
use super::holds_xeps;

/// The XSF's repository of XEP sources, cloned when nothing else is named.
pub const XSF_XEPS: &str = "https://github.com/xsf/xeps";

/// Where the XEP sources come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFrom {
    /// A git URL, cloned without file contents until needed
    /// (`--filter=blob:none`), so that older versions can be found.
    Url(String),
    /// A local git repository, cloned.
    Repository(PathBuf),
    /// A local folder that is no git repository, copied.
    Folder(PathBuf),
}

impl FetchFrom {
    /// `--from`'s value: nothing for the XSF's repository, an existing
    /// folder (a repository when it has `.git`), else a URL.
    pub fn parse(from: Option<&str>) -> FetchFrom {
        let Some(from) = from else {
            return FetchFrom::Url(XSF_XEPS.to_owned());
        };
        let path = Path::new(from);
        if path.join(".git").exists() {
            FetchFrom::Repository(path.to_path_buf())
        } else if path.is_dir() {
            FetchFrom::Folder(path.to_path_buf())
        } else {
            FetchFrom::Url(from.to_owned())
        }
    }

    fn describe(&self) -> String {
        match self {
            FetchFrom::Url(url) => url.clone(),
            FetchFrom::Repository(p) | FetchFrom::Folder(p) => p.display().to_string(),
        }
    }
}

/// Why the XEP sources could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// git could not be started.
    #[error("cannot run git (is it installed?): {source}")]
    GitMissing {
        /// Why.
        source: std::io::Error,
    },
    /// git failed.
    #[error("git {args} failed: {stderr}")]
    Git {
        /// Its arguments.
        args: String,
        /// What it said.
        stderr: String,
    },
    /// A file could not be copied or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// What was fetched holds no XEP sources.
    #[error("{from} holds no XEP sources (no xep.ent, no xep-*.xml at its top)")]
    NotXeps {
        /// Where it came from.
        from: String,
    },
}

/// What a fetch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The folder now holding the XEP sources.
    pub dir: PathBuf,
    /// Older versions taken from git history (`history/…` paths).
    pub from_history: Vec<String>,
    /// Older versions asked for and found nowhere.
    pub missing: Vec<String>,
}

/// Replaces `dest` with the XEP sources of `from`, then makes sure each of
/// `versions` (XEP number, version) is under `history/`, taking it from git
/// history when `from` is a repository. `dest` is only replaced once the
/// new copy is complete.
pub fn fetch(
    from: &FetchFrom,
    dest: &Path,
    versions: &[(u32, &str)],
) -> Result<Fetched, FetchError> {
    let staging = sibling(dest, "fetch");
    let _ = std::fs::remove_dir_all(&staging);
    let result = fill(from, &staging, versions).and_then(|(from_history, missing)| {
        replace(&staging, dest)?;
        Ok(Fetched {
            dir: dest.to_path_buf(),
            from_history,
            missing,
        })
    });
    let _ = std::fs::remove_dir_all(&staging);
    result
}

type Filled = (Vec<String>, Vec<String>);

fn fill(from: &FetchFrom, staging: &Path, versions: &[(u32, &str)]) -> Result<Filled, FetchError> {
    let parent = staging.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| FetchError::File {
        path: parent.to_path_buf(),
        source,
    })?;
    match from {
        FetchFrom::Url(url) => clone(&["--filter=blob:none", url], staging)?,
        FetchFrom::Repository(repo) => clone(&[&repo.to_string_lossy()], staging)?,
        FetchFrom::Folder(dir) => copy_folder(dir, staging)?,
    }
    if !holds_xeps(staging) {
        return Err(FetchError::NotXeps {
            from: from.describe(),
        });
    }
    let (mut from_history, mut missing) = (Vec::new(), Vec::new());
    for &(xep, version) in versions {
        let relative = history_path(xep, version);
        let path = staging.join(&relative);
        if path.is_file() {
            continue;
        }
        let text = match from {
            FetchFrom::Folder(_) => None,
            _ => from_git(staging, xep, version)?,
        };
        match text {
            Some(text) => {
                write(&path, &text)?;
                from_history.push(relative);
            }
            None => missing.push(relative),
        }
    }
    Ok((from_history, missing))
}

fn clone(source: &[&str], staging: &Path) -> Result<(), FetchError> {
    let parent = staging.parent().unwrap_or(Path::new("."));
    let mut args = vec!["clone", "--quiet"];
    args.extend_from_slice(source);
    let target = staging.to_string_lossy();
    args.push(&target);
    git(parent, &args).map(|_| ())
}

fn copy_folder(from: &Path, to: &Path) -> Result<(), FetchError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FetchError::File { path, source }
    };
    std::fs::create_dir_all(to).map_err(failed(to))?;
    for entry in std::fs::read_dir(from).map_err(failed(from))? {
        let entry = entry.map_err(failed(from))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(failed(&path))?.is_dir() {
            copy_folder(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(failed(&path))?;
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), FetchError> {
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text));
    written.map_err(|source| FetchError::File {
        path: path.to_path_buf(),
        source,
    })
}

/// Puts `staging` where `dest` is, moving the old copy away first.
fn replace(staging: &Path, dest: &Path) -> Result<(), FetchError> {
    let old = sibling(dest, "old");
    let failed = |source| FetchError::File {
        path: dest.to_path_buf(),
        source,
    };
    if dest.exists() {
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(dest, &old).map_err(failed)?;
    }
    std::fs::rename(staging, dest).map_err(failed)?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// A hidden folder beside `dest`, private to this process.
fn sibling(dest: &Path, what: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "xeps".to_owned(), |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

#[cfg(test)]
#[path = "fetch_tests.rs"]
mod tests;
