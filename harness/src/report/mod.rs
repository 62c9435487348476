//! Renderers: they only read a [`Matrix`](crate::matrix::Matrix).

mod html;
mod junit;
mod markdown;
pub mod terminal;

use std::fmt::Write;
use std::path::{Path, PathBuf};

pub use html::html;
pub use junit::junit;
pub use markdown::markdown;

use crate::matrix::Matrix;
use crate::verdict::Verdict;

/// The files `write_all` writes into a report folder.
pub const REPORT_FILES: [&str; 4] = ["matrix.json", "junit.xml", "matrix.md", "index.html"];

/// Writes `matrix.json`, `junit.xml`, `matrix.md` and `index.html` into
/// `dir`, creating it; returns the paths written.
pub fn write_all(matrix: &Matrix, dir: &Path, strict: bool) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let json = serde_json::to_string_pretty(matrix).map_err(|e| e.to_string())?;
    let outputs = [
        ("matrix.json", json),
        ("junit.xml", junit(matrix, strict)?),
        ("matrix.md", markdown(matrix)),
        ("index.html", html(matrix)?),
    ];
    let mut written = Vec::new();
    for (name, text) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// A verdict's transcript as text: one line per element, `actor arrow xml`,
/// with the time in ms.
pub fn wire_log(verdict: &Verdict) -> String {
    let mut out = String::new();
    if let Some(reason) = &verdict.reason {
        let _ = writeln!(out, "reason: {reason}");
    }
    for entry in &verdict.transcript {
        let _ = writeln!(
            out,
            "{:>9.3} ms {} {} {}",
            entry.at_ms,
            entry.actor,
            entry.direction.arrow(),
            entry.xml
        );
    }
    out
}
