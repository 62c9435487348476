//! Where the XEP sources are: the XML of the XSF's `xeps` repository that
//! `xepspec trace`, `xepspec examples` and their tests read. They are never
//! copied into this project; they are found at run time, in this order:
//!
//! 1. a folder named on the command line (`--xeps DIR`),
//! 2. the `XEPSPEC_XEPS` environment variable,
//! 3. the cache folder `xepspec xeps fetch` fills,
//! 4. `../shared/xeps` beside a checkout of this repository (found by
//!    walking up from the current folder).
//!
//! A folder named by the first two must hold XEP sources; the last two are
//! skipped when empty. When none is found, the error names every fix.

mod fetch;
mod history;

use std::path::{Path, PathBuf};

pub use fetch::{FetchError, FetchFrom, XSF_XEPS, fetch};
pub use history::{history_path, newest_revision};

/// The environment variable naming the XEP sources' folder.
pub const ENV: &str = "XEPSPEC_XEPS";

/// Where the XEP sources were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--xeps DIR`.
    Flag,
    /// `XEPSPEC_XEPS`.
    Env,
    /// The folder `xepspec xeps fetch` fills.
    Cache,
    /// `../shared/xeps` beside a checkout.
    Checkout,
}

/// The places to look, as explicit values (the process's are read by
/// [`Search::from_process`]).
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// `--xeps DIR`, if given.
    pub flag: Option<PathBuf>,
    /// The value of `XEPSPEC_XEPS`, if set and not empty.
    pub env: Option<PathBuf>,
    /// The folder `xepspec xeps fetch` fills.
    pub cache: PathBuf,
    /// Where to start looking for a checkout (the current folder).
    pub start: Option<PathBuf>,
}

/// Why no XEP sources were found.
#[derive(Debug, thiserror::Error)]
pub enum XepsError {
    /// A folder named on purpose holds no XEP sources.
    #[error(
        "{named} names {}, which holds no XEP sources (no xep.ent, no xep-*.xml); point it at a \
         clone of the XSF's xeps repository, or run `xepspec xeps fetch`",
        dir.display()
    )]
    NotThere {
        /// `--xeps` or `XEPSPEC_XEPS`.
        named: String,
        /// The folder.
        dir: PathBuf,
    },
    /// Nothing was named and nothing was found.
    #[error(
        "no XEP sources found (looked in {}); run `xepspec xeps fetch` (in a checkout: \
         `cargo run -- xeps fetch`, or `--from DIR` for a local copy), or name a folder \
         with --xeps DIR or {ENV}=DIR",
        tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    NotFound {
        /// The folders looked in.
        tried: Vec<PathBuf>,
    },
}

impl Search {
    /// The search of this process: `flag`, `XEPSPEC_XEPS`, the cache folder
    /// and the current folder.
    pub fn from_process(flag: Option<&Path>) -> Search {
        Search {
            flag: flag.map(Path::to_path_buf),
            env: std::env::var_os(ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            cache: cache_dir(),
            start: std::env::current_dir().ok(),
        }
    }

    /// The first place, in order, that holds XEP sources.
    pub fn find(&self) -> Result<(PathBuf, Origin), XepsError> {
        let named = [
            (&self.flag, Origin::Flag, "--xeps"),
            (&self.env, Origin::Env, ENV),
        ];
        for (dir, origin, name) in named {
            if let Some(dir) = dir {
                return if holds_xeps(dir) {
                    Ok((dir.clone(), origin))
                } else {
                    Err(XepsError::NotThere {
                        named: name.to_owned(),
                        dir: dir.clone(),
                    })
                };
            }
        }
        let mut tried = vec![self.cache.clone()];
        if holds_xeps(&self.cache) {
            return Ok((self.cache.clone(), Origin::Cache));
        }
        if let Some(checkout) = self.start.as_deref().and_then(crate::checkout::above) {
            let beside = checkout.join("../shared/xeps");
            if holds_xeps(&beside) {
                return Ok((beside, Origin::Checkout));
            }
            tried.push(beside);
        }
        Err(XepsError::NotFound { tried })
    }
}

/// The XEP sources' folder of this process (see the module's order).
pub fn locate(flag: Option<&Path>) -> Result<PathBuf, XepsError> {
    Search::from_process(flag).find().map(|(dir, _)| dir)
}

/// The folder `xepspec xeps fetch` fills: `xeps` in the cache folder.
pub fn cache_dir() -> PathBuf {
    crate::cache::root().join("xeps")
}

/// Whether `dir` holds XEP sources: the entities all XEPs use, or at
/// least one XEP.
fn holds_xeps(dir: &Path) -> bool {
    if dir.join("xep.ent").is_file() {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.starts_with("xep-") && name.ends_with(".xml")
    })
}

#[cfg(test)]
mod tests;
