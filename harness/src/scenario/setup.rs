//! `setup` steps: the check of one step as it loads, and the folder-wide
//! check that every scenario or case a setup step names as testing its
//! requirement is among the loaded ones.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::error::LoadError;
use super::expand::expand;
use super::loaded::{Scenario, Setup, StepKind};
use super::model::StepDef;
use crate::stanza::parse::line_column;

/// The step's `setup`, if it has one: it must mark an expectation and name
/// at least one id (whether the ids exist is checked once the whole folder
/// is loaded). A problem comes back as the offset in `text` and a message.
pub fn of_step(
    def: &StepDef,
    kind: &StepKind,
    text: &str,
) -> Result<Option<Setup>, (usize, String)> {
    let Some(setup) = &def.setup else {
        return Ok(None);
    };
    let start = setup.span().start;
    if matches!(
        kind,
        StepKind::Send { .. }
            | StepKind::Connect(_)
            | StepKind::Disconnect(_)
            | StepKind::Presence(_)
    ) {
        return Err((
            start,
            "setup marks the expectation that checks the stage was set; this step checks nothing"
                .into(),
        ));
    }
    if setup.get_ref().is_empty() {
        return Err((
            start,
            "setup needs the ids of the scenarios or cases that test this step's requirement"
                .into(),
        ));
    }
    let (line, column) = line_column(text, start);
    Ok(Some(Setup {
        tested_by: setup.get_ref().clone(),
        line,
        column,
    }))
}

/// One error per id named by a `setup` step that is neither a scenario id
/// nor a case id of `scenarios`, at the `setup` value's line and column.
pub fn unknown_setup_ids(scenarios: &[Scenario]) -> Vec<LoadError> {
    let mut known: BTreeSet<String> = BTreeSet::new();
    for s in scenarios {
        known.insert(s.id.clone());
        known.extend(expand(Arc::new(s.clone())).into_iter().map(|c| c.id));
    }
    let mut errors = Vec::new();
    for s in scenarios {
        for setup in s.steps.iter().filter_map(|step| step.setup.as_ref()) {
            for id in setup.tested_by.iter().filter(|id| !known.contains(*id)) {
                errors.push(LoadError {
                    file: s.file.clone(),
                    line: setup.line,
                    column: setup.column,
                    message: format!(
                        "setup names {id:?}, which is no loaded scenario or case{}",
                        nearest(id, &known)
                    ),
                });
            }
        }
    }
    errors
}

/// `; did you mean …?` with the most similar known id, when one is close.
fn nearest(id: &str, known: &BTreeSet<String>) -> String {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(id, k), k))
        .filter(|(score, _)| *score > 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("; did you mean {k:?}?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::load_str;

    fn scenario(id: &str, setup: &str) -> Scenario {
        let text = format!(
            r#"title = "t"
[spec]
xep = 223
versions = ["1.0"]
section = "3"
quote = "q"
level = "MUST"
[parameters]
node = ["a", "b"]
[[actor]]
name = "juliet/balcony"
[[step]]
expect = "juliet/balcony"
{setup}
xml = "<iq type='result'/>"
"#
        );
        load_str(&text, Path::new(&format!("{id}.toml")), id).unwrap()
    }

    #[test]
    fn scenario_and_case_ids_are_known() {
        let named = scenario("x", r#"setup = ["y", "y[node=b]"]"#);
        assert!(unknown_setup_ids(&[named, scenario("y", "")]).is_empty());
    }

    #[test]
    fn an_unknown_id_is_refused_where_it_is_written() {
        let named = scenario("x", r#"setup = ["y", "yy[node=c]"]"#);
        let errors = unknown_setup_ids(&[named, scenario("yy", "")]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (14, 9));
        assert_eq!(errors[0].file, Path::new("x.toml"));
        assert!(errors[0].message.contains("\"y\""), "{}", errors[0]);
        assert!(
            errors[1].message.contains("did you mean \"yy[node="),
            "{}",
            errors[1]
        );
    }
}
