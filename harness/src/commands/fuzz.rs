//! `xepspec fuzz`: runs the offline properties, or the live ones on
//! targets, with a progress display, and reports cases per second, known
//! deviations met and counterexamples.

use std::fmt::Write;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use crate::fuzz::deviations;
use crate::fuzz::live_runner::{live_properties, run_live};
use crate::fuzz::runner::{Report, offline, run};
use crate::server::{Catalog, LiveTarget};

/// What `xepspec fuzz` was asked for.
#[derive(Debug, Clone, clap::Args)]
pub struct FuzzOptions {
    /// Run the live properties on this default target (`all` for every
    /// one) instead of the offline properties.
    #[arg(long)]
    pub target: Option<String>,
    /// Cases per property.
    #[arg(long, default_value_t = 1000)]
    pub cases: u32,
    /// Seed of the generator (default: random).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run only the properties whose name contains this.
    #[arg(long)]
    pub filter: Option<String>,
}

/// Runs the selected offline properties; the reports, one per property.
pub fn fuzz(options: &FuzzOptions) -> Result<Vec<Report>, String> {
    let properties: Vec<_> = offline()
        .into_iter()
        .filter(|p| options.filter.as_deref().is_none_or(|f| p.name.contains(f)))
        .collect();
    if properties.is_empty() {
        return Err("no property matches the filter".into());
    }
    let style = bar_style();
    let mut reports = Vec::new();
    for property in &properties {
        let bar = ProgressBar::new(u64::from(options.cases))
            .with_style(style.clone())
            .with_prefix(property.name);
        let report = run(property, options.cases, options.seed, &|| bar.inc(1));
        bar.finish_and_clear();
        print_line(&report);
        reports.push(report);
    }
    Ok(reports)
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:40} {bar:30} {pos}/{len} {per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn print_line(report: &Report) {
    eprintln!(
        "{:40} {:>7} cases {:>10.0}/s {}",
        report.name,
        report.cases,
        report.rate(),
        if report.failure.is_some() {
            "FAILED"
        } else {
            "ok"
        }
    );
}

/// Runs the selected live properties on each target of `--target`, one
/// target at a time; the reports, by target name. Must run on a
/// multi-threaded runtime that can start containers.
pub async fn fuzz_live(
    catalog: &Catalog,
    options: &FuzzOptions,
) -> Result<Vec<(String, Vec<Report>)>, String> {
    let selection = options.target.clone().unwrap_or_else(|| "all".into());
    let defs = catalog.select(&[selection]).map_err(|e| e.to_string())?;
    let properties: Vec<_> = live_properties()
        .into_iter()
        .filter(|p| options.filter.as_deref().is_none_or(|f| p.name.contains(f)))
        .collect();
    if properties.is_empty() {
        return Err("no live property matches the filter".into());
    }
    let mut all = Vec::new();
    for def in &defs {
        eprintln!("starting {}", def.name);
        let target = Arc::new(
            LiveTarget::start(catalog, def)
                .await
                .map_err(|e| format!("{}: {e}", def.name))?,
        );
        let mut reports = Vec::new();
        for property in &properties {
            let bar = ProgressBar::new(u64::from(options.cases))
                .with_style(bar_style())
                .with_prefix(format!("{}: {}", def.name, property.name));
            let (property, target, handle) =
                (*property, target.clone(), tokio::runtime::Handle::current());
            let (cases, seed, ticks) = (options.cases, options.seed, bar.clone());
            let report = tokio::task::spawn_blocking(move || {
                run_live(&property, target, &handle, cases, seed, &|| ticks.inc(1))
            })
            .await
            .map_err(|e| format!("{}: {}: {e}", def.name, property.name))?;
            bar.finish_and_clear();
            eprint!("{}: ", def.name);
            print_line(&report);
            reports.push(report);
        }
        all.push((def.name.clone(), reports));
    }
    Ok(all)
}

/// The reports as text: per property its cases, rate and known deviations,
/// then every counterexample.
pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:40} {:>8} {:>10}  known deviations met",
        "property", "cases", "cases/s"
    );
    for r in reports {
        let known: Vec<String> = r.known.iter().map(|(id, n)| format!("{id}×{n}")).collect();
        let _ = writeln!(
            out,
            "{:40} {:>8} {:>10.0}  {}",
            r.name,
            r.cases,
            r.rate(),
            known.join(", ")
        );
    }
    for r in reports {
        if let Some(failure) = &r.failure {
            let _ = writeln!(out, "\ncounterexample for {}:\n{failure}", r.name);
        }
    }
    let met: Vec<&str> = deviations::ALL
        .iter()
        .filter(|d| reports.iter().any(|r| r.known.contains_key(d.id)))
        .map(|d| d.id)
        .collect();
    if !met.is_empty() {
        let _ = writeln!(out, "\nknown deviations (see README): {}", met.join(", "));
    }
    out
}

/// `xepspec fuzz`: the offline properties, or with `--target` the live ones
/// on each target; exit 1 on a counterexample.
pub async fn command(
    catalog: &crate::server::Catalog,
    options: &FuzzOptions,
) -> Result<u8, String> {
    if options.target.is_none() {
        let reports = fuzz(options)?;
        print!("{}", render(&reports));
        return Ok(u8::from(reports.iter().any(|r| r.failure.is_some())));
    }
    let by_target = fuzz_live(catalog, options).await?;
    let mut failed = false;
    for (target, reports) in &by_target {
        println!("\n{target}:");
        print!("{}", render(reports));
        failed |= reports.iter().any(|r| r.failure.is_some());
    }
    Ok(u8::from(failed))
}
