//! The JSON Lines event log (`--events FILE`): one event per line, written
//! and flushed as the run goes, so a run that is killed keeps every cell
//! that finished; and reading it back to rebuild the reports.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::events::{EVENTS_VERSION, Event, Subscriber};

/// Writes every event to a file as it happens.
pub struct EventLog {
    path: PathBuf,
    file: Option<File>,
    problem: Option<String>,
}

impl EventLog {
    /// Creates (or truncates) the log at `path`.
    pub fn create(path: &Path) -> Result<EventLog, String> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("creating {}: {e}", parent.display()))?;
        }
        let file = File::create(path).map_err(|e| format!("creating {}: {e}", path.display()))?;
        Ok(EventLog {
            path: path.to_path_buf(),
            file: Some(file),
            problem: None,
        })
    }
}

impl Subscriber for EventLog {
    fn on_event(&mut self, event: &Event) {
        let Some(file) = &mut self.file else { return };
        let written = serde_json::to_string(event)
            .map_err(|e| e.to_string())
            .and_then(|line| writeln!(file, "{line}").map_err(|e| e.to_string()))
            .and_then(|()| file.flush().map_err(|e| e.to_string()));
        if let Err(e) = written {
            // One failure is reported once; the run goes on without the log.
            self.problem = Some(format!("writing {}: {e}", self.path.display()));
            self.file = None;
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        match self.problem.take() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }
}

/// Reads an event log. A last line cut short (the run was killed while
/// writing it) is dropped; any other bad line is an error naming it.
pub fn read(path: &Path) -> Result<Vec<Event>, String> {
    let file = File::open(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let lines: Vec<String> = BufReader::new(file)
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut events = Vec::new();
    let last = lines.len().saturating_sub(1);
    for (number, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Event>(line) {
            Ok(event) => events.push(event),
            Err(_) if number == last => break,
            Err(e) => return Err(format!("{}:{}: {e}", path.display(), number + 1)),
        }
    }
    match events.first() {
        Some(Event::RunStarted { events_version, .. }) if *events_version <= EVENTS_VERSION => {
            Ok(events)
        }
        Some(Event::RunStarted { events_version, .. }) => Err(format!(
            "{} has event layout {events_version}, newer than this xepspec's {EVENTS_VERSION}",
            path.display()
        )),
        _ => Err(format!(
            "{} does not start with a run-started event: not an xepspec event log",
            path.display()
        )),
    }
}
