//! The command line: its clap types and the dispatch to each command. Each
//! command loads only what it needs (the target catalogue only where
//! targets are used).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use super::external_args::ExternalArgs;
use super::{
    bench, cases, compare, examples, fuzz, import, mutants, probe, report, run, scenario_folder,
    targets, trace, xeps,
};
use crate::server::Catalog;
use crate::server::images::BaseSource;

/// Conformance tests for XMPP servers, run against real servers.
#[derive(Parser)]
#[command(name = "xepspec", version, about)]
pub struct Cli {
    /// The folder holding `targets.toml` and the image recipes, instead of
    /// the bundled ones.
    #[arg(long, global = true, value_name = "DIR")]
    containers: Option<PathBuf>,
    /// The folder of scenario files, instead of the bundled ones.
    #[arg(long, global = true, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// A folder of scenario files added to the others (repeatable); a file
    /// at the same path as one of theirs replaces it.
    #[arg(long, global = true, value_name = "DIR")]
    extra_scenarios: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the server images.
    Images {
        #[command(subcommand)]
        action: ImagesAction,
    },
    /// List the default targets, their versions and whether they are built.
    Targets {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List the cases after parameter expansion.
    List {
        /// Keep cases whose id contains this.
        #[arg(long)]
        filter: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Print only how many accounts an accounts file needs for a run of
        /// these cases (the widest case's accounts times the cases at once).
        #[arg(long)]
        accounts_needed: bool,
        /// With --accounts-needed: cases running at once.
        #[arg(long, default_value_t = 16, requires = "accounts_needed")]
        jobs: usize,
    },
    /// Run the cases on targets and print the matrix.
    Run(run::RunOptions),
    /// Run the matrix a few times and print what it costs: wall time, each
    /// target's critical path, time lost to timeouts, xepspec's CPU, and
    /// the ratio against the floor measured in the same run.
    Bench(bench::BenchOptions),
    /// Write the reports of a recorded run from its event log.
    Report(report::ReportOptions),
    /// Show which cells changed outcome between two runs' matrix.json files
    /// (exit 1 when a cell regressed).
    Diff {
        /// The older run's matrix.json.
        old: PathBuf,
        /// The newer run's matrix.json.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Join the matrix.json files of several shards into one report.
    Merge {
        /// The shards' matrix.json files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the joined reports.
        #[arg(long, value_name = "DIR")]
        report: PathBuf,
        /// `unsupported` cells fail too.
        #[arg(long)]
        strict: bool,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Run the property-based fuzzing, with cases per second.
    Fuzz(fuzz::FuzzOptions),
    /// Run the suite on the mutant targets and their clean parents and
    /// print which cases kill each mutant (exit 1 when one survives).
    Mutants(mutants::MutantsOptions),
    /// Print the traceability table of the seed XEPs' statements (Markdown).
    Trace(trace::TraceOptions),
    /// Check the examples of XEP sources, or turn them into scenarios.
    Examples(examples::ExamplesOptions),
    /// Convert other test formats into scenario files (exit 1 when a file
    /// could not be converted or its scenario does not load).
    Import {
        #[command(subcommand)]
        format: import::ImportFormat,
    },
    /// Fetch the XEP sources that `trace` and `examples` read, or say where
    /// they are found.
    Xeps {
        #[command(subcommand)]
        action: xeps::XepsAction,
    },
    /// Check that a target works: accounts, sessions, disco#info.
    Probe {
        /// A target's name (from the targets file, or built in).
        #[arg(long, conflicts_with = "address")]
        target: Option<String>,
        #[command(flatten)]
        external: ExternalArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ImagesAction {
    /// Build the images that are missing or whose recipe changed.
    Build {
        /// Targets to build (default: all).
        targets: Vec<String>,
        /// Where the Debian base comes from.
        #[arg(long, value_enum, default_value = "debootstrap")]
        base: BaseArg,
        /// Rebuild even when up to date.
        #[arg(long)]
        force: bool,
        /// Builds at once.
        #[arg(long, default_value_t = 3)]
        jobs: usize,
    },
}

/// Where the Debian base image comes from.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BaseArg {
    /// `debootstrap` on this machine, imported into Docker (no registry).
    Debootstrap,
    /// `debian:<suite>-slim` from a registry the engine can pull from.
    Registry,
}

/// How a listing is printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

impl Cli {
    /// Whether the command drives containers, so the runtime must be one
    /// that can (see `server::docker_api::container_runtime`).
    pub fn needs_containers(&self) -> bool {
        match &self.command {
            Command::Run(options) => !options.external.only_own_servers(&options.targets),
            Command::Bench(_) => true,
            Command::Probe {
                target, external, ..
            } => !external.only_own_servers(target.as_slice()),
            Command::Fuzz(options) => options.target.is_some(),
            Command::Mutants(_) => true,
            _ => false,
        }
    }
}

/// Runs the command `cli` names; returns the process's exit code.
pub async fn dispatch(cli: Cli) -> ExitCode {
    let scenarios = match scenario_folder::resolve(cli.scenarios, &cli.extra_scenarios) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let containers = cli.containers;
    let catalog = || {
        match &containers {
            Some(dir) => Catalog::load(dir),
            None => Catalog::default_catalog(),
        }
        .map_err(|e| e.to_string())
    };
    let code = match cli.command {
        Command::List {
            filter,
            accounts_needed: true,
            jobs,
            ..
        } => cases::accounts_needed(&scenarios, filter.as_deref(), jobs)
            .map_err(|e| e.to_string())
            .and_then(|n| text(format!("{n}\n"))),
        Command::List { filter, format, .. } => cases::list(&scenarios, filter.as_deref())
            .map_err(|e| e.to_string())
            .and_then(|rows| match format {
                Format::Json => json(&rows),
                Format::Text => text(cases::table(&rows)),
            }),
        Command::Diff { old, new, format } => {
            compare::diff(&old, &new).and_then(|(found, regressed)| {
                match format {
                    Format::Json => json(&found)?,
                    Format::Text => text(compare::render_diff(&found))?,
                };
                Ok(u8::from(regressed))
            })
        }
        Command::Merge {
            inputs,
            report,
            strict,
        } => compare::merge_into(&inputs, &report, strict).map(u8::from),
        Command::Report(options) => report::report(&options),
        Command::Schema => json(&schemars::schema_for!(crate::scenario::model::ScenarioFile)),
        Command::Trace(options) => catalog().and_then(|catalog| {
            trace::run(&scenarios, &catalog, &options)
                .map_err(|e| e.to_string())
                .and_then(text)
        }),
        Command::Xeps { action } => xeps::run(&action).and_then(text),
        Command::Import { format } => import::run(&format),
        Command::Fuzz(options) => match catalog() {
            Ok(catalog) => fuzz::command(&catalog, &options).await,
            Err(e) => Err(e),
        },
        Command::Examples(options) => examples::command(options),
        Command::Mutants(options) => match catalog() {
            Ok(catalog) => mutants::run(&catalog, &scenarios, options).await,
            Err(e) => Err(e),
        },
        Command::Run(options) => match catalog() {
            Ok(catalog) => run::run(&catalog, &scenarios, options).await,
            Err(e) => Err(e),
        },
        Command::Bench(options) => match catalog() {
            Ok(catalog) => bench::bench(&catalog, &scenarios, &options).await,
            Err(e) => Err(e),
        },
        Command::Images {
            action:
                ImagesAction::Build {
                    targets: names,
                    base,
                    force,
                    jobs,
                },
        } => {
            let base = match base {
                BaseArg::Debootstrap => BaseSource::Debootstrap,
                BaseArg::Registry => BaseSource::Registry,
            };
            match catalog() {
                Ok(catalog) => targets::build(&catalog, &names, base, force, jobs)
                    .await
                    .map(|ok| u8::from(!ok))
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            }
        }
        Command::Targets { format } => match catalog() {
            Ok(catalog) => targets::list(&catalog)
                .await
                .map_err(|e| e.to_string())
                .and_then(|rows| match format {
                    Format::Json => json(&rows),
                    Format::Text => text(targets::table(&rows)),
                }),
            Err(e) => Err(e),
        },
        Command::Probe {
            target,
            external,
            format,
        } => match catalog() {
            Ok(catalog) => {
                probe::command(&catalog, target, &external, format == Format::Json).await
            }
            Err(e) => Err(e),
        },
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Prints `value` as pretty JSON; exit 0.
fn json(value: &impl serde::Serialize) -> Result<u8, String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(0)
}

/// Prints `out` as it is; exit 0.
fn text(out: String) -> Result<u8, String> {
    print!("{out}");
    Ok(0)
}
