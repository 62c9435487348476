//! `xepspec run`: load, plan, run on the chosen targets, print the matrix,
//! and exit 0 when nothing failed that was not expected, 1 otherwise.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::matrix::{TargetChoice, expectations, run_matrix};
use crate::report::terminal;
use crate::scenario::{load_dir, plan};
use crate::target::images;
use crate::target::{Catalog, ExternalServer};

/// What `xepspec run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The scenario folder.
    pub scenarios: PathBuf,
    /// Default target names (`all` or empty: every one).
    pub targets: Vec<String>,
    /// An external server instead, when its address is given.
    pub external: ExternalServer,
    /// Keep cases whose id contains this.
    pub filter: Option<String>,
    /// Cases at once.
    pub jobs: usize,
    /// `unsupported` fails the run.
    pub strict: bool,
    /// Where to write the matrix as JSON.
    pub json: Option<PathBuf>,
    /// The known-failures file, if any.
    pub expectations: Option<PathBuf>,
    /// Build missing or outdated images first.
    pub build: bool,
    /// Log in to container targets with STARTTLS and SCRAM.
    pub secure: bool,
}

/// Runs and reports; returns the exit code, or a usage/scenario error.
pub async fn run(catalog: &Catalog, options: RunOptions) -> Result<u8, String> {
    let scenarios = load_dir(&options.scenarios).map_err(|e| e.to_string())?;
    let cases = plan(&scenarios, options.filter.as_deref());
    if cases.is_empty() {
        return Err("no case matches the filter".into());
    }
    let choices: Vec<TargetChoice> = if options.external.address.is_some() {
        vec![TargetChoice::External(options.external.clone())]
    } else {
        catalog
            .select(&options.targets)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(TargetChoice::Default)
            .collect()
    };
    let known = match &options.expectations {
        Some(path) => expectations::load(path)?,
        None => Vec::new(),
    };
    if options.build {
        let defs: Vec<_> = choices
            .iter()
            .filter_map(|c| match c {
                TargetChoice::Default(def) => Some(def.clone()),
                TargetChoice::External(_) => None,
            })
            .collect();
        // A failed build is reported here and becomes error cells below.
        images::build(catalog, &defs, images::BaseSource::Debootstrap, false, 3).await;
    }
    let started = std::time::Instant::now();
    let mut matrix = run_matrix(catalog, &choices, &cases, options.jobs, options.secure).await;
    expectations::apply(&mut matrix, &known);
    let colour = std::io::stdout().is_terminal();
    print!("{}", terminal::matrix(&matrix, colour));
    print!("{}", terminal::details(&matrix));
    println!("took {:.2} s", started.elapsed().as_secs_f64());
    if let Some(path) = &options.json {
        let text = serde_json::to_string_pretty(&matrix).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(if matrix.failed(options.strict) { 1 } else { 0 })
}
