//! The record of one session: every element in both directions, parsed, with
//! the time it crossed the connection.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use minidom::Element;

use super::wire::Direction;

/// One element as it crossed the connection.
#[derive(Debug, Clone)]
pub struct TranscriptEntry {
    /// Time since the session's clock started (monotonic).
    pub at: Duration,
    /// Received or sent.
    pub direction: Direction,
    /// The element, parsed by minidom, namespaces intact.
    pub element: Element,
    /// Whether the session answered or sent it on its own (a ping, a caps
    /// query, a barrier) rather than at a scenario's request.
    pub automatic: bool,
}

impl TranscriptEntry {
    /// The element serialised as XML text.
    pub fn xml(&self) -> String {
        String::from(&self.element)
    }
}

/// A transcript shared between a session's task and its owner.
#[derive(Debug, Clone, Default)]
pub struct Transcript(Arc<Mutex<Vec<TranscriptEntry>>>);

impl Transcript {
    /// Appends one entry.
    pub fn push(&self, entry: TranscriptEntry) {
        if let Ok(mut entries) = self.0.lock() {
            entries.push(entry);
        }
    }

    /// How many entries so far satisfy `wanted`, without copying them.
    pub fn count(&self, wanted: impl Fn(&TranscriptEntry) -> bool) -> usize {
        self.0
            .lock()
            .map(|e| e.iter().filter(|x| wanted(x)).count())
            .unwrap_or(0)
    }

    /// A copy of every entry so far, in the order they were recorded.
    pub fn entries(&self) -> Vec<TranscriptEntry> {
        self.0.lock().map(|e| e.clone()).unwrap_or_default()
    }
}
