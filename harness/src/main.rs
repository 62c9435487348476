//! The `xepspec` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use xepspec::commands;
use xepspec::commands::external_args::ExternalArgs;
use xepspec::scenario::default_scenarios_dir;
use xepspec::server::images::BaseSource;
use xepspec::server::{
    Catalog, ChosenTarget, LiveTarget, PreflightLimits, default_containers_dir, docker_api,
    preflight,
};

/// Conformance tests for XMPP servers, run against real servers.
#[derive(Parser)]
#[command(name = "xepspec", version, about)]
struct Cli {
    /// The folder holding `targets.toml` and the image recipes.
    #[arg(long, global = true, value_name = "DIR")]
    containers: Option<PathBuf>,
    /// The folder of scenario files.
    #[arg(long, global = true, value_name = "DIR")]
    scenarios: Option<PathBuf>,
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
    Run(commands::run::RunOptions),
    /// Show which cells changed grade between two runs' matrix.json files
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
    Fuzz(commands::fuzz::FuzzOptions),
    /// Print the traceability table of the seed XEPs' statements (Markdown).
    Trace,
    /// Check the examples of XEP sources, or turn them into scenarios.
    Examples(commands::examples::ExamplesOptions),
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
        base: BaseSource,
        /// Rebuild even when up to date.
        #[arg(long)]
        force: bool,
        /// Builds at once.
        #[arg(long, default_value_t = 3)]
        jobs: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let needs_containers = match &cli.command {
        Command::Probe { .. } | Command::Run { .. } => true,
        Command::Fuzz(options) => options.target.is_some(),
        _ => false,
    };
    let runtime = if needs_containers {
        docker_api::container_runtime()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("starting the async runtime: {e}"))
    };
    match runtime {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(e) => fail(2, &e),
    }
}

async fn run(cli: Cli) -> ExitCode {
    let containers = cli.containers.unwrap_or_else(default_containers_dir);
    let catalog = match Catalog::load(&containers) {
        Ok(c) => c,
        Err(e) => return fail(2, &e.to_string()),
    };
    let scenarios = cli.scenarios.unwrap_or_else(default_scenarios_dir);
    match cli.command {
        Command::List {
            filter,
            accounts_needed: true,
            jobs,
            ..
        } => match commands::cases::accounts_needed(&scenarios, filter.as_deref(), jobs) {
            Ok(n) => {
                println!("{n}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(2, &e.to_string()),
        },
        Command::List { filter, format, .. } => {
            match commands::cases::list(&scenarios, filter.as_deref()) {
                Ok(rows) if format == Format::Json => print_json(&rows),
                Ok(rows) => {
                    print!("{}", commands::cases::table(&rows));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(2, &e.to_string()),
            }
        }
        Command::Diff { old, new, format } => match commands::compare::diff(&old, &new) {
            Ok((found, regressed)) => {
                if format == Format::Json {
                    print_json(&found);
                } else {
                    print!("{}", commands::compare::render_diff(&found));
                }
                ExitCode::from(u8::from(regressed))
            }
            Err(e) => fail(2, &e),
        },
        Command::Merge {
            inputs,
            report,
            strict,
        } => match commands::compare::merge_into(&inputs, &report, strict) {
            Ok(failed) => ExitCode::from(u8::from(failed)),
            Err(e) => fail(2, &e),
        },
        Command::Schema => print_json(&schemars::schema_for!(
            xepspec::scenario::model::ScenarioFile
        )),
        Command::Trace => match commands::trace::markdown(
            &scenarios,
            &xepspec::trace::default_shared_dir(),
            &xepspec::trace::default_untestable_file(),
        ) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(2, &e.to_string()),
        },
        Command::Fuzz(options) if options.target.is_some() => {
            match commands::fuzz::fuzz_live(&catalog, &options).await {
                Ok(by_target) => {
                    let mut failed = false;
                    for (target, reports) in &by_target {
                        println!("\n{target}:");
                        print!("{}", commands::fuzz::render(reports));
                        failed |= reports.iter().any(|r| r.failure.is_some());
                    }
                    ExitCode::from(u8::from(failed))
                }
                Err(e) => fail(2, &e),
            }
        }
        Command::Fuzz(options) => match commands::fuzz::fuzz(&options) {
            Ok(reports) => {
                print!("{}", commands::fuzz::render(&reports));
                if reports.iter().any(|r| r.failure.is_some()) {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => fail(2, &e),
        },
        Command::Examples(options) => examples(options),
        Command::Run(options) => match commands::run::run(&catalog, &scenarios, options).await {
            Ok(code) => ExitCode::from(code),
            Err(e) => fail(2, &e),
        },
        Command::Images {
            action:
                ImagesAction::Build {
                    targets,
                    base,
                    force,
                    jobs,
                },
        } => match commands::targets::build(&catalog, &targets, base, force, jobs).await {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => fail(2, &e.to_string()),
        },
        Command::Targets { format } => match commands::targets::list(&catalog).await {
            Ok(rows) if format == Format::Json => print_json(&rows),
            Ok(rows) => {
                print!("{}", commands::targets::table(&rows));
                ExitCode::SUCCESS
            }
            Err(e) => fail(2, &e.to_string()),
        },
        Command::Probe {
            target,
            external,
            format,
        } => {
            let live = match external.chosen_one(target.as_deref(), &catalog) {
                Ok(ChosenTarget::BuiltIn(def)) => LiveTarget::start(&catalog, &def)
                    .await
                    .map(LiveTarget::secured),
                Ok(ChosenTarget::Own(server)) => {
                    let limits = PreflightLimits::default();
                    if let Err(e) = preflight(&server, 2, &limits).await {
                        return fail(2, &e.to_string());
                    }
                    LiveTarget::external(&server).await
                }
                Err(e) => return fail(2, &e),
            };
            let live = match live {
                Ok(live) => live,
                Err(e) => return fail(1, &e.to_string()),
            };
            match commands::probe::probe(&live).await {
                Ok(report) if format == Format::Json => print_json(&report),
                Ok(report) => {
                    print!("{}", commands::probe::render(&report, &live.info));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(1, &format!("{}: {e}", live.info.name)),
            }
        }
    }
}

fn examples(options: commands::examples::ExamplesOptions) -> ExitCode {
    use commands::examples::{ExamplesFormat, check, default_corpus_dir, write_skeletons};
    use xepspec::examples::{Severity, render};
    let corpus = options.corpus.unwrap_or_else(default_corpus_dir);
    if let Some(out) = &options.scenario {
        return match write_skeletons(&options.files, &corpus, out) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(2, &e.to_string()),
        };
    }
    let results = match check(&options.files, &corpus) {
        Ok(results) => results,
        Err(e) => return fail(2, &e.to_string()),
    };
    match options.format {
        ExamplesFormat::Json => match render::json(&results) {
            Ok(text) => println!("{text}"),
            Err(e) => return fail(2, &e.to_string()),
        },
        ExamplesFormat::Text => {
            print!("{}", render::human(&results));
            print!("{}", render::summary(&results));
        }
    }
    let errors = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity == Severity::Error);
    ExitCode::from(u8::from(errors))
}

fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(2, &e.to_string()),
    }
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}
