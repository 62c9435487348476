//! `xepspec report --from-events FILE`: the reports of a recorded run,
//! rebuilt by replaying its event log through the same subscribers a live
//! run uses (also for a run that was killed: its finished cells).

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::runner::{self, Reports, Subscriber, Terminal, event_log};

/// What `xepspec report` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportOptions {
    /// The event log a run wrote with `--events FILE`.
    #[arg(long = "from-events", value_name = "FILE")]
    pub events: PathBuf,
    /// Where to write matrix.json, junit.xml, matrix.md and index.html.
    #[arg(long, value_name = "DIR")]
    pub report: PathBuf,
    /// `unsupported` cells fail too.
    #[arg(long)]
    pub strict: bool,
    /// Also print the matrix.
    #[arg(long)]
    pub print: bool,
}

/// Writes the reports; exit 1 when the recorded run failed or did not
/// finish, 0 otherwise.
pub fn report(options: &ReportOptions) -> Result<u8, String> {
    let events = event_log::read(&options.events)?;
    let mut subscribers: Vec<Box<dyn Subscriber>> = vec![Box::new(Reports::new(
        options.report.clone(),
        options.strict,
    ))];
    if options.print {
        subscribers.push(Box::new(Terminal::stdout(std::io::stdout().is_terminal())));
    }
    let result = runner::replay(&events, subscribers);
    if !result.problems.is_empty() {
        return Err(result.problems.join("; "));
    }
    let matrix = &result.matrix;
    println!(
        "reports: {} ({} cells{})",
        options.report.display(),
        matrix.cells.len(),
        if matrix.interrupted {
            ", from a run that did not finish"
        } else {
            ""
        }
    );
    Ok(u8::from(matrix.failed(options.strict)))
}
