//! `xepspec run`: load, plan, run on the chosen targets, print the matrix,
//! and exit 0 when nothing failed that was not expected, 1 otherwise.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::matrix::{TargetChoice, expectations, run_matrix};
use crate::report::terminal;
use crate::scenario::load::KNOWN_FAILURES;
use crate::scenario::{load_dir, plan};
use crate::target::images;
use crate::target::{Catalog, ExternalServer};

/// What `xepspec run` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOptions {
    /// Default targets to run on (`all`, the default, or names; repeatable).
    #[arg(long = "target", value_name = "NAME", conflicts_with = "address")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub external: ExternalServer,
    /// Keep cases whose id contains this.
    #[arg(long)]
    pub filter: Option<String>,
    /// Cases running at once.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
    /// `unsupported` cells fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// Also write the matrix, transcripts included, as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Known failures (default: `known-failures.toml` in the scenario folder, if there).
    #[arg(long, value_name = "FILE")]
    pub expectations: Option<PathBuf>,
    /// Don't build missing or outdated images first.
    #[arg(long)]
    pub no_build: bool,
    /// Log in to container targets with STARTTLS and SCRAM (default: plain
    /// TCP and PLAIN on loopback, which is faster).
    #[arg(long)]
    pub secure: bool,
}

/// Runs and reports; returns the exit code, or a usage/scenario error.
pub async fn run(
    catalog: &Catalog,
    scenario_dir: &Path,
    options: RunOptions,
) -> Result<u8, String> {
    let scenarios = load_dir(scenario_dir).map_err(|e| e.to_string())?;
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
    let default_known = scenario_dir.join(KNOWN_FAILURES);
    let known = match &options.expectations {
        Some(path) => expectations::load(path)?,
        None if default_known.exists() => expectations::load(&default_known)?,
        None => Vec::new(),
    };
    if !options.no_build {
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
