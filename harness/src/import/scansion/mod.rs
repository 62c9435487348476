//! `xepspec import scansion`: a scansion script (Prosody's
//! `spec/scansion/*.scs`) as a scenario file.
//!
//! [`script`] reads the script, [`cast`] makes its clients actors,
//! [`stanza_text`] rewrites its stanzas as templates, [`steps`] turns its
//! actions into steps and [`write`] writes the file. What cannot be said
//! the same way is a [`Note`] with the script's line, printed by the
//! command and kept in the scenario's `comment`.

pub mod cast;
pub mod script;
mod shape;
#[cfg(test)]
mod stanza_tests;
pub mod stanza_text;
pub mod steps;
#[cfg(test)]
mod tests;
pub mod write;

use std::path::Path;

use super::Note;
use crate::scenario::{LoadErrors, Scenario, load_str};

/// A script, converted.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The scenario file's text.
    pub toml: String,
    /// What was left out or changed, by line.
    pub notes: Vec<Note>,
}

/// Converts the script `text`, read from a file called `file_name`.
/// Fails, with the notes saying why, when nothing of it can become a
/// scenario (no client, or no action left).
pub fn convert(text: &str, file_name: &str) -> Result<Converted, Vec<Note>> {
    let script = script::read(text);
    let mut notes = script.notes.clone();
    let cast = cast::cast(&script, &mut notes);
    if cast.members.is_empty() {
        notes.push(Note::new(
            1,
            "no [Client] with a jid: a scenario needs at least one actor",
        ));
        return Err(sorted(notes));
    }
    let mut rewriter = stanza_text::Rewriter::new(&cast);
    let steps = steps::steps(&script.actions, &cast, &mut rewriter, &mut notes);
    if steps.is_empty() {
        notes.push(Note::new(
            1,
            "no action could be converted: a scenario needs at least one step",
        ));
        return Err(sorted(notes));
    }
    let spec = write::spec(&script, &mut notes);
    let notes = sorted(notes);
    let document = write::Document {
        file_name,
        script: &script,
        cast: &cast,
        spec: &spec,
        services: &rewriter.services,
        steps: &steps,
        notes: &notes,
    };
    Ok(Converted {
        toml: document.render(),
        notes,
    })
}

/// Loads a converted scenario the way a run would, from `file` (its id
/// being `id`).
pub fn load(converted: &Converted, file: &Path, id: &str) -> Result<Scenario, LoadErrors> {
    load_str(&converted.toml, file, id)
}

fn sorted(mut notes: Vec<Note>) -> Vec<Note> {
    notes.sort_by_key(|n| n.line);
    notes
}
