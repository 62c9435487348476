//! The loader's checks of a scenario's cast: its actors (names, roles) and
//! the services its `[requires]` names.

use super::load::Checker;
use super::loaded::Actor;
use super::model::ScenarioFile;
use super::names::{check_role, is_name};

impl Checker<'_> {
    /// The actors, checked: `account/resource` names, each once, roles that
    /// agree per account. Errors are recorded; bad actors are left out.
    pub(super) fn check_actors(&mut self, parsed: &ScenarioFile) -> Vec<Actor> {
        let mut actors: Vec<Actor> = Vec::new();
        for def in &parsed.actors {
            let name = def.name.get_ref();
            let start = def.name.span().start;
            let Some((account, resource)) = name.split_once('/') else {
                self.error_at(
                    start,
                    format!("actor {name:?} must be written account/resource"),
                );
                continue;
            };
            let valid = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            };
            if !valid(account) || !valid(resource) {
                self.error_at(
                    start,
                    format!("actor {name:?}: account and resource may use letters, digits, - _ ."),
                );
                continue;
            }
            if actors.iter().any(|a| &a.name == name) {
                self.error_at(start, format!("actor {name:?} is declared twice"));
                continue;
            }
            let role = def.account.as_ref().map(|r| r.get_ref().clone());
            if let Err(message) = check_role(&role, account, &actors) {
                let at = def.account.as_ref().map_or(start, |r| r.span().start);
                self.error_at(at, message);
                continue;
            }
            actors.push(Actor {
                name: name.clone(),
                account: account.into(),
                resource: resource.into(),
                presence: def.presence,
                notify: def.notify.clone(),
                connected: def.connected,
                role,
                caps_node: def.caps_node.as_ref().map(|n| n.get_ref().clone()),
                features: def
                    .features
                    .as_ref()
                    .map(|f| f.get_ref().clone())
                    .unwrap_or_default(),
                answers: def.answers,
            });
        }
        if actors.is_empty() && self.errors.is_empty() {
            self.error_at(0, "a scenario needs at least one [[actor]]".into());
        }
        actors
    }

    /// The `{service:KIND}` placeholders `[requires] services` makes
    /// available.
    pub(super) fn check_services(&mut self, parsed: &ScenarioFile) -> Vec<String> {
        let at = self.text.find("services").unwrap_or(0);
        let mut names = Vec::new();
        for kind in &parsed.requires.services {
            if !is_name(kind) {
                self.error_at(
                    at,
                    format!("service {kind:?}: a kind is letters, digits, - and _ (pubsub, muc)"),
                );
            }
            names.push(format!("service:{kind}"));
        }
        names
    }
}
