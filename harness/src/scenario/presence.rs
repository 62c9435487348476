//! Loading checks for what a client says about itself and its presence:
//! an actor's `caps_node`, `features` and `answers`, and `presence` steps.
//! Each problem comes back as a byte offset in the file and a message.

use std::collections::BTreeSet;

use serde_spanned::Spanned;

use super::load::{Checker, Scope};
use super::loaded::{Actor, PresenceStep};
use super::model::{ActorDef, StepDef};
use crate::stanza::parse::parse_stanza;
use crate::stanza::placeholder::{Piece, render, split};

/// A problem at a byte offset of the file.
pub type Problem = (usize, String);

/// The placeholder that names actor `name`'s caps `node#ver`.
pub fn caps_placeholder(name: &str) -> String {
    format!("caps:{name}")
}

/// Checks an actor's caps node and features; `names` are the placeholders
/// they may use (the scenario's fixed names, `{unique}` among them).
pub fn check_actor(def: &ActorDef, names: &BTreeSet<String>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(node) = &def.caps_node {
        let start = node.span().start;
        let text = node.get_ref();
        if text.is_empty() || text.contains('#') || text.contains(char::is_whitespace) {
            problems.push((
                start,
                format!(
                    "caps_node {text:?}: a caps node is a URI without `#` or spaces \
                     (the server asks about `node#ver`)"
                ),
            ));
        }
        problems.extend(placeholders(text, start, names));
    }
    if let Some(features) = &def.features {
        problems.extend(check_features(features, names, "features"));
    }
    problems
}

/// Checks a list of features or `+notify` namespaces.
fn check_features(
    list: &Spanned<Vec<String>>,
    names: &BTreeSet<String>,
    key: &str,
) -> Vec<Problem> {
    let start = list.span().start;
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for feature in list.get_ref() {
        if feature.is_empty() || feature.contains(char::is_whitespace) {
            problems.push((start, format!("{key}: {feature:?} is not a feature name")));
        } else if key == "features" && feature.ends_with("+notify") {
            problems.push((
                start,
                format!(
                    "features: write {:?} in `notify`, which adds `+notify` itself",
                    feature.trim_end_matches("+notify")
                ),
            ));
        } else if !seen.insert(feature) {
            problems.push((start, format!("{key}: {feature:?} is listed twice")));
        }
        problems.extend(placeholders(feature, start, names));
    }
    problems
}

/// Undefined placeholders in a value that is not XML (a caps node, a
/// feature); the error points at the value's key.
fn placeholders(text: &str, at: usize, names: &BTreeSet<String>) -> Vec<Problem> {
    let pieces = match split(text) {
        Ok(pieces) => pieces,
        Err(e) => return vec![(at, e.message)],
    };
    pieces
        .into_iter()
        .filter_map(|(_, piece)| match piece {
            Piece::Placeholder(name) if !names.contains(name) => Some((
                at,
                format!(
                    "`{{{name}}}` cannot be used here: caps nodes and features may use \
                     `{{unique}}`, `{{domain}}`, accounts and parameters"
                ),
            )),
            _ => None,
        })
        .collect()
}

/// The names a caps node or feature may use: the scenario's fixed names
/// without `{id}`, `{any}`, actors' bound JIDs and caps (which are not known
/// before the caps are made).
pub fn caps_names(fixed: &BTreeSet<String>, actors: &[&str]) -> BTreeSet<String> {
    fixed
        .iter()
        .filter(|n| !matches!(n.as_str(), "id" | "any") && !n.starts_with("caps:"))
        .filter(|n| !actors.contains(&n.as_str()))
        .cloned()
        .collect()
}

/// Checks what only a `presence` step may carry: `notify` and `features`
/// anywhere else are errors; on a presence step, they are checked.
pub fn check_step_keys(def: &StepDef, names: &BTreeSet<String>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let lists = [("notify", &def.notify), ("features", &def.features)];
    for (key, list) in lists {
        let Some(list) = list else { continue };
        if def.presence.is_none() {
            problems.push((
                list.span().start,
                format!("`{key}` belongs on a `presence` step (or on an [[actor]])"),
            ));
        } else {
            problems.extend(check_features(list, names, key));
        }
    }
    problems
}

/// Whether a presence step's `xml` is a `<presence/>` stanza; a message when
/// it is not. `text` has passed the XML checks already.
pub fn presence_xml_problem(text: &str) -> Option<String> {
    let dummy = render(text, false, |name| Some("x".repeat(name.len() + 2))).ok()?;
    let element = parse_stanza(&dummy).ok()?;
    (element.name() != "presence").then(|| {
        format!(
            "a presence step sends a <presence/> stanza, not <{}> (use `send` for that)",
            element.name()
        )
    })
}

impl Checker<'_> {
    /// A `presence` step: its actor, its new interests and features, and
    /// its stanza, which must be a `<presence/>`.
    pub(super) fn check_presence(
        &mut self,
        def: &StepDef,
        name: &str,
        actors: &[Actor],
        scope: &mut Scope,
        start: usize,
    ) -> Option<PresenceStep> {
        let actor = self.actor(name, actors, start)?;
        let xml = match &def.xml {
            Some(text) => {
                let xml = self.check_xml(text, scope, false)?;
                if let Some(message) = presence_xml_problem(&xml.text) {
                    self.error_at(text.span().start, message);
                    return None;
                }
                Some(xml)
            }
            None => None,
        };
        let list = |l: &Option<Spanned<Vec<String>>>| l.as_ref().map(|l| l.get_ref().clone());
        Some(PresenceStep {
            actor,
            notify: list(&def.notify),
            features: list(&def.features),
            xml,
        })
    }

    /// The placeholders caps nodes and features may use.
    pub(super) fn caps_names(
        &self,
        fixed: &BTreeSet<String>,
        actors: &[Actor],
    ) -> BTreeSet<String> {
        let names: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
        caps_names(fixed, &names)
    }
}
