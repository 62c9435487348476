//! `xepspec targets` and `xepspec images build`: what the targets are,
//! which images are built, and building them.

use serde::Serialize;

use crate::server::images::{self, BaseSource, BuildOutcome};
use crate::server::{Catalog, TargetDef, TargetError};

/// One row of `xepspec targets`.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Target name.
    pub name: String,
    /// Server product.
    pub server: String,
    /// Server version read from the image, `null` when not built.
    pub version: Option<String>,
    /// Debian suite.
    pub suite: String,
    /// Image reference.
    pub image: String,
    /// Whether the image exists.
    pub built: bool,
    /// Whether the image was built from the current recipe.
    pub current: bool,
    /// Whether `all` includes it (mutants run only by name).
    pub default: bool,
}

/// The rows for every target of the catalogue.
pub async fn list(catalog: &Catalog) -> Result<Vec<TargetRow>, TargetError> {
    let rows = futures::future::join_all(catalog.targets.iter().map(|def| row(catalog, def))).await;
    rows.into_iter().collect()
}

async fn row(catalog: &Catalog, def: &TargetDef) -> Result<TargetRow, TargetError> {
    let status = images::status(catalog, def).await?;
    Ok(TargetRow {
        name: def.name.clone(),
        server: def.server.clone(),
        version: status.version,
        suite: def.suite.clone(),
        image: status.image,
        built: status.built,
        current: status.current,
        default: def.default,
    })
}

/// Renders rows as an aligned text table.
pub fn table(rows: &[TargetRow]) -> String {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(16);
    let mut out = format!(
        "{:<width$} {:<9} {:<22} {:<9} {}\n",
        "TARGET", "SERVER", "VERSION", "SUITE", "IMAGE"
    );
    for r in rows {
        let state = match (r.built, r.current) {
            (false, _) => " (not built)",
            (true, false) => " (recipe changed)",
            (true, true) => "",
        };
        let by_name = if r.default { "" } else { " (by name only)" };
        out += &format!(
            "{:<width$} {:<9} {:<22} {:<9} {}{}{}\n",
            r.name,
            r.server,
            r.version.as_deref().unwrap_or("-"),
            r.suite,
            r.image,
            state,
            by_name
        );
    }
    out
}

/// Builds the selected images; returns whether all succeeded.
pub async fn build(
    catalog: &Catalog,
    names: &[String],
    base: BaseSource,
    force: bool,
    jobs: usize,
) -> Result<bool, TargetError> {
    let defs = catalog.select(names)?;
    let outcomes = images::build(catalog, &defs, base, force, jobs).await;
    let mut ok = true;
    for (name, outcome) in &outcomes {
        if let BuildOutcome::Failed(e) = outcome {
            ok = false;
            eprintln!("error: {name}: {e}");
        }
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, default: bool) -> TargetRow {
        TargetRow {
            name: name.into(),
            server: "Prosody".into(),
            version: Some("13.0.7-1".into()),
            suite: "forky".into(),
            image: format!("xepspec/{name}:latest"),
            built: true,
            current: true,
            default,
        }
    }

    #[test]
    fn targets_outside_all_are_marked_and_long_names_stay_aligned() {
        let text = table(&[
            row("prosody-13", true),
            row("prosody-13-no-autocreate", false),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(!lines[1].contains("by name only"), "{text}");
        assert!(lines[2].ends_with("(by name only)"), "{text}");
        let column = |line: &str| line.find("Prosody");
        assert_eq!(column(lines[1]), column(lines[2]), "{text}");
    }
}
