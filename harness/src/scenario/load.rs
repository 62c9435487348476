//! Loading scenario files: TOML into the model, then every check that can be
//! made without a server, so that nothing runs half-loaded. Each error names
//! the file, line and column.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_spanned::Spanned;

use super::error::{LoadError, LoadErrors};
pub use super::folder::{KNOWN_FAILURES, UNTESTABLE, load_dir};
use super::loaded::{Actor, Expectation, Scenario, Step, StepKind, Xml};
use super::model::{ExpectDef, ScenarioFile, StepDef};
use super::presence;
use super::setup;
use super::value_text::file_offset;
use super::xml_checks::{locate, placeholder_problem};
use crate::stanza::parse::{line_column, parse_stanza};
use crate::stanza::placeholder::{Piece, render, split};
use crate::stanza::template::markup_problems;

/// How long an expectation waits unless its step says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Placeholder names with a fixed meaning.
const RESERVED: &[&str] = &["domain", "id", "any", "unique"];

/// Loads one scenario from its text; `default_id` is used when the file
/// has no `id`.
pub fn load_str(text: &str, file: &Path, default_id: &str) -> Result<Scenario, LoadErrors> {
    let mut checker = Checker {
        text,
        file,
        errors: Vec::new(),
    };
    let parsed: ScenarioFile = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            checker.error_at(span.start, e.message().to_owned());
            return Err(LoadErrors(checker.errors));
        }
    };
    let scenario = checker.check(parsed, default_id);
    if checker.errors.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadErrors(checker.errors))
    }
}

/// Loads one file, gathering every error it finds.
pub(super) struct Checker<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a Path,
    pub(super) errors: Vec<LoadError>,
}

/// Names a placeholder may use at some point of the scenario.
pub(super) struct Scope {
    /// Names fixed for the whole scenario (actors, accounts, parameters...).
    pub(super) fixed: BTreeSet<String>,
    /// Captures made by the expectations so far.
    pub(super) captured: BTreeSet<String>,
    /// The last stanza sent so far: its line, and whether it has an `id`
    /// (what `{id}` in an expectation stands for).
    pub(super) last_sent: Option<(usize, bool)>,
}

impl Checker<'_> {
    /// Records an error at byte `offset` of the file.
    pub(super) fn error_at(&mut self, offset: usize, message: String) {
        let (line, column) = line_column(self.text, offset);
        self.errors.push(LoadError {
            file: self.file.to_path_buf(),
            line,
            column,
            message,
        });
    }

    fn check(&mut self, parsed: ScenarioFile, default_id: &str) -> Scenario {
        let actors = self.check_actors(&parsed);
        let mut fixed: BTreeSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
        fixed.extend(actors.iter().map(|a| a.name.clone()));
        fixed.extend(actors.iter().map(|a| a.account.clone()));
        fixed.extend(self.check_services(&parsed));
        for (name, values) in &parsed.parameters {
            if fixed.contains(name) {
                self.error_at(
                    0,
                    format!("parameter {name:?} shadows an actor, account or reserved placeholder"),
                );
            }
            if values.is_empty() {
                self.error_at(0, format!("parameter {name:?} has no values"));
            }
        }
        let at = self.text.find("[equivalent]").unwrap_or(0);
        for (name, classes) in &parsed.equivalent {
            let Some(values) = parsed.parameters.get(name) else {
                self.error_at(
                    at,
                    format!("[equivalent] names {name:?}, which is not a parameter"),
                );
                continue;
            };
            for value in classes.iter().flatten() {
                if !values.contains(value) {
                    self.error_at(
                        at,
                        format!(
                            "[equivalent] {name}: {value:?} is not one of the parameter's values"
                        ),
                    );
                }
            }
        }
        fixed.extend(parsed.parameters.keys().cloned());
        fixed.extend(actors.iter().map(|a| presence::caps_placeholder(&a.name)));
        let caps_names = self.caps_names(&fixed, &actors);
        for def in &parsed.actors {
            for (offset, message) in presence::check_actor(def, &caps_names) {
                self.error_at(offset, message);
            }
        }
        let mut scope = Scope {
            fixed,
            captured: BTreeSet::new(),
            last_sent: None,
        };
        if parsed.steps.is_empty() {
            self.error_at(0, "a scenario needs at least one [[step]]".into());
        }
        let steps = parsed
            .steps
            .iter()
            .filter_map(|step| self.check_step(step, &actors, &mut scope))
            .collect();
        Scenario {
            id: parsed.id.unwrap_or_else(|| default_id.to_owned()),
            title: parsed.title,
            spec: parsed.spec,
            comment: parsed.comment,
            requires: parsed.requires,
            parameters: parsed.parameters,
            equivalent: parsed.equivalent,
            actors,
            steps,
            file: self.file.to_path_buf(),
        }
    }

    fn check_step(
        &mut self,
        step: &Spanned<StepDef>,
        actors: &[Actor],
        scope: &mut Scope,
    ) -> Option<Step> {
        let start = step.span().start;
        let line = line_column(self.text, start).0;
        let def = step.get_ref();
        let kinds = [
            def.send.is_some(),
            def.expect.is_some(),
            def.expect_none.is_some(),
            def.any_order.is_some(),
            def.in_order.is_some(),
            def.silence.is_some(),
            def.connect.is_some(),
            def.disconnect.is_some(),
            def.presence.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            self.error_at(
                start,
                "a step needs exactly one of send, expect, expect_none, any_order, in_order, \
                 silence, connect, disconnect, presence"
                    .into(),
            );
            return None;
        }
        let caps_names = self.caps_names(&scope.fixed, actors);
        let key_problems = presence::check_step_keys(def, &caps_names);
        if !key_problems.is_empty() {
            for (offset, message) in key_problems {
                self.error_at(offset, message);
            }
            return None;
        }
        let timeout = def
            .timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(DEFAULT_TIMEOUT);
        let needs_xml = def.send.is_some() || def.expect.is_some() || def.expect_none.is_some();
        if needs_xml != def.xml.is_some() && def.presence.is_none() {
            let message = if needs_xml {
                "this step needs xml"
            } else {
                "this step takes no xml"
            };
            self.error_at(start, message.into());
            return None;
        }
        let kind = if let Some(name) = &def.send {
            let actor = self.actor(name, actors, start)?;
            let xml = self.check_xml(def.xml.as_ref()?, scope, false)?;
            StepKind::Send { actor, xml }
        } else if let Some(name) = def.expect.as_ref().or(def.expect_none.as_ref()) {
            let actor = self.actor(name, actors, start)?;
            let xml = self.check_xml(def.xml.as_ref()?, scope, true)?;
            let e = Expectation {
                actor,
                xml,
                strict: def.strict,
                timeout,
            };
            if def.expect.is_some() {
                StepKind::Expect(e)
            } else {
                StepKind::ExpectNone(e)
            }
        } else if let Some(group) = &def.any_order {
            let expectations =
                self.check_group("any_order", group, start, actors, scope, timeout)?;
            StepKind::AnyOrder(expectations)
        } else if let Some(group) = &def.in_order {
            let expectations =
                self.check_group("in_order", group, start, actors, scope, timeout)?;
            StepKind::InOrder(expectations)
        } else if let Some(name) = &def.silence {
            StepKind::Silence {
                actor: self.actor(name, actors, start)?,
                timeout,
            }
        } else if let Some(name) = &def.presence {
            StepKind::Presence(self.check_presence(def, name, actors, scope, start)?)
        } else if let Some(name) = &def.connect {
            StepKind::Connect(self.actor(name, actors, start)?)
        } else {
            StepKind::Disconnect(self.actor(def.disconnect.as_ref()?, actors, start)?)
        };
        let setup = setup::of_step(def, &kind, self.text).unwrap_or_else(|(offset, message)| {
            self.error_at(offset, message);
            None
        });
        Some(Step {
            line,
            kind,
            level: def.level,
            note: def.note.clone(),
            setup,
        })
    }

    fn check_group(
        &mut self,
        kind: &str,
        group: &[Spanned<ExpectDef>],
        step_start: usize,
        actors: &[Actor],
        scope: &mut Scope,
        timeout: Duration,
    ) -> Option<Vec<Expectation>> {
        if group.is_empty() {
            self.error_at(step_start, format!("{kind} needs at least one expectation"));
            return None;
        }
        let mut out = Vec::new();
        for item in group {
            let def = item.get_ref();
            let actor = self.actor(&def.expect, actors, item.span().start)?;
            let xml = self.check_xml(&def.xml, scope, true)?;
            out.push(Expectation {
                actor,
                xml,
                strict: def.strict,
                timeout,
            });
        }
        Some(out)
    }

    /// The index of actor `name`, or an error at `offset`.
    pub(super) fn actor(&mut self, name: &str, actors: &[Actor], offset: usize) -> Option<usize> {
        let found = actors.iter().position(|a| a.name == name);
        if found.is_none() {
            let known: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
            self.error_at(
                offset,
                format!("unknown actor {name:?} (declared: {})", known.join(", ")),
            );
        }
        found
    }

    /// Checks placeholders and well-formedness of one XML text; records the
    /// captures it makes.
    pub(super) fn check_xml(
        &mut self,
        xml: &Spanned<String>,
        scope: &mut Scope,
        template: bool,
    ) -> Option<Xml> {
        let (file_text, span) = (self.text, xml.span());
        let at = |offset: usize| file_offset(file_text, span.clone(), offset);
        let text = xml.get_ref();
        let pieces = match split(text) {
            Ok(p) => p,
            Err(e) => {
                self.error_at(at(e.offset), e.message);
                return None;
            }
        };
        let mut ok = true;
        let mut new_captures = Vec::new();
        for (offset, piece) in pieces {
            let Piece::Placeholder(name) = piece else {
                continue;
            };
            let problem =
                placeholder_problem(text, offset, name, scope, template, &mut new_captures);
            if let Some(message) = problem {
                self.error_at(at(offset), message);
                ok = false;
            }
        }
        // Same-length stand-ins keep the parser's offsets true to the file.
        let dummy = render(text, false, |name| Some("x".repeat(name.len() + 2)));
        let line = line_column(self.text, at(0)).0;
        match dummy.map(|d| parse_stanza(&d)) {
            Ok(Ok(element)) => {
                for problem in markup_problems(&element, template) {
                    self.error_at(at(locate(text, &problem.near)), problem.message);
                    ok = false;
                }
                if !template {
                    scope.last_sent = Some((line, element.attr("id").is_some()));
                }
            }
            Ok(Err(e)) => {
                self.error_at(
                    at(e.offset.min(text.len())),
                    format!("XML is not one well-formed stanza: {}", e.message),
                );
                ok = false;
            }
            Err(e) => {
                self.error_at(at(e.offset), e.message);
                ok = false;
            }
        }
        if !ok && !template {
            // A broken send still counts as sent, so that an `{id}` after it
            // is not reported as well.
            scope.last_sent = Some((line, true));
        }
        scope.captured.extend(new_captures);
        ok.then(|| Xml {
            text: text.clone(),
            line,
        })
    }
}
