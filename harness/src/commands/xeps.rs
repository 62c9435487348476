//! `xepspec xeps`: fetching the XEP sources into the cache folder, and
//! saying where they are found.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::xeps::{FetchFrom, Origin, Search, cache_dir, fetch};

/// What `xepspec xeps` is asked to do.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum XepsAction {
    /// Fill the cache folder with the XEP sources: a clone of the XSF's
    /// xeps repository, or of `--from`, plus the older versions `trace`
    /// reads, taken from git history.
    Fetch {
        /// A git URL, a local git repository (cloned) or a local folder
        /// (copied) instead of the XSF's repository.
        #[arg(long, value_name = "URL|PATH")]
        from: Option<String>,
    },
    /// Print the XEP sources' folder that `trace` and `examples` would read,
    /// and why that one.
    Where {
        /// A folder to check instead of looking.
        #[arg(long, value_name = "DIR")]
        xeps: Option<PathBuf>,
    },
}

/// Does `action`; what to print, or why it failed.
pub fn run(action: &XepsAction) -> Result<String, String> {
    match action {
        XepsAction::Fetch { from } => fetch_into_cache(from.as_deref()),
        XepsAction::Where { xeps } => {
            let (dir, origin) = Search::from_process(xeps.as_deref())
                .find()
                .map_err(|e| e.to_string())?;
            let why = match origin {
                Origin::Flag => "--xeps",
                Origin::Env => crate::xeps::ENV,
                Origin::Cache => "the cache folder `xepspec xeps fetch` fills",
                Origin::Checkout => "../shared/xeps beside this checkout",
            };
            Ok(format!("{} ({why})\n", dir.display()))
        }
    }
}

fn fetch_into_cache(from: Option<&str>) -> Result<String, String> {
    let from = FetchFrom::parse(from);
    let dest = cache_dir();
    let fetched = fetch(&from, &dest, &crate::trace::history_versions())
        .map_err(|e| format!("fetching the XEP sources into {}: {e}", dest.display()))?;
    let mut out = format!("XEP sources in {}\n", fetched.dir.display());
    for path in &fetched.from_history {
        let _ = writeln!(out, "{path}: taken from git history");
    }
    for path in &fetched.missing {
        let _ = writeln!(
            out,
            "{path}: missing (not in the source and no git history to take it from); \
             `xepspec trace` needs it"
        );
    }
    Ok(out)
}
