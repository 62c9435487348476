//! Equivalent forms must behave alike: cases of one scenario that differ
//! only in values a scenario declares equivalent (`[equivalent]`, e.g. the
//! lexical forms "1" and "true" of one xs:boolean) must get the same grade
//! on each target.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::Case;
use crate::verdict::Grade;

/// Cases that differ only in equivalent values but were graded differently
/// on one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inconsistency {
    /// The target.
    pub target: String,
    /// The scenario id.
    pub scenario: String,
    /// The parameter whose values are equivalent.
    pub parameter: String,
    /// Each case with the grade its verdict gave.
    pub grades: Vec<(String, Grade)>,
}

impl Inconsistency {
    /// One line saying what differs.
    pub fn describe(&self) -> String {
        let grades: Vec<String> = self
            .grades
            .iter()
            .map(|(case, grade)| format!("{case}: {grade}"))
            .collect();
        format!(
            "{} on {}: equivalent values of {} graded differently ({})",
            self.scenario,
            self.target,
            self.parameter,
            grades.join("; ")
        )
    }
}

/// A set of cases whose grades must agree on every target: one scenario,
/// one parameter, one class of its equivalent values, every other
/// parameter fixed (`key` names the class and the fixed values).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EquivalenceGroup {
    /// The scenario id.
    pub scenario: String,
    /// The parameter whose values are equivalent.
    pub parameter: String,
    /// The class and the other parameters' values, as one stable string.
    pub key: String,
}

/// Every group of `cases` with the ids of its cases (only groups of two or
/// more cases: a lone case has nothing to agree with).
pub fn groups(cases: &[Case]) -> Vec<(EquivalenceGroup, Vec<String>)> {
    let mut out = Vec::new();
    let mut by_scenario: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for case in cases {
        by_scenario.entry(&case.scenario.id).or_default().push(case);
    }
    for (scenario, cases) in by_scenario {
        let Some(first) = cases.first() else { continue };
        for (parameter, classes) in &first.scenario.equivalent {
            for class in classes {
                let mut by_rest: BTreeMap<Vec<(&String, &String)>, Vec<String>> = BTreeMap::new();
                for case in &cases {
                    let Some(value) = case.params.get(parameter) else {
                        continue;
                    };
                    if !class.contains(value) {
                        continue;
                    }
                    let rest: Vec<(&String, &String)> = case
                        .params
                        .iter()
                        .filter(|(k, _)| *k != parameter)
                        .collect();
                    by_rest.entry(rest).or_default().push(case.id.clone());
                }
                for (rest, ids) in by_rest.into_iter().filter(|(_, ids)| ids.len() > 1) {
                    let fixed: Vec<String> = rest.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let group = EquivalenceGroup {
                        scenario: scenario.to_owned(),
                        parameter: parameter.clone(),
                        key: format!("{{{}}} {}", class.join("|"), fixed.join(",")),
                    };
                    out.push((group, ids));
                }
            }
        }
    }
    out
}

/// The groups whose cells were graded differently on one target. `cells`
/// gives, per finished cell, its target, case id, groups and verdict
/// grade; a group with an `error` cell proves nothing and is left out.
pub fn inconsistencies<'a>(
    cells: impl IntoIterator<Item = (&'a str, &'a str, &'a [EquivalenceGroup], Grade)>,
) -> Vec<Inconsistency> {
    let mut by_group: BTreeMap<(&str, &EquivalenceGroup), Vec<(String, Grade)>> = BTreeMap::new();
    for (target, case, groups, grade) in cells {
        for group in groups {
            by_group
                .entry((target, group))
                .or_default()
                .push((case.to_owned(), grade));
        }
    }
    by_group
        .into_iter()
        .filter_map(|((target, group), grades)| {
            let first = grades.first()?.1;
            let alike = grades.iter().all(|(_, g)| *g == first);
            let errored = grades.iter().any(|(_, g)| *g == Grade::Error);
            (!alike && !errored).then(|| Inconsistency {
                target: target.to_owned(),
                scenario: group.scenario.clone(),
                parameter: group.parameter.clone(),
                grades,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load_str, plan};
    use std::path::Path;

    fn cases() -> Vec<Case> {
        let text = r#"
title = "t"
[spec]
xep = 402
versions = ["1.2.0"]
section = "2"
quote = "q"
level = "MUST"
[parameters]
autojoin = ["0", "1", "false", "true"]
node = ["a", "b"]
[equivalent]
autojoin = [["0", "false"], ["1", "true"]]
[[actor]]
name = "juliet/balcony"
[[step]]
send = "juliet/balcony"
xml = "<presence/>"
"#;
        let scenario = load_str(text, Path::new("x/s.toml"), "x/s").expect("loads");
        plan(&[scenario], None)
    }

    #[test]
    fn groups_pair_equivalent_values_with_the_other_parameters_fixed() {
        let groups = groups(&cases());
        assert_eq!(groups.len(), 4);
        for (group, ids) in &groups {
            assert_eq!(group.parameter, "autojoin");
            assert_eq!(ids.len(), 2);
        }
    }

    /// Grades `cases` on target `t` with `grade` and finds inconsistencies.
    fn judged(grade: impl Fn(&str) -> Grade) -> Vec<Inconsistency> {
        let cases = cases();
        let groups = groups(&cases);
        let per_case: Vec<(String, Vec<EquivalenceGroup>, Grade)> = cases
            .iter()
            .map(|c| {
                let own = groups
                    .iter()
                    .filter(|(_, ids)| ids.contains(&c.id))
                    .map(|(g, _)| g.clone())
                    .collect();
                (c.id.clone(), own, grade(&c.id))
            })
            .collect();
        inconsistencies(
            per_case
                .iter()
                .map(|(id, groups, grade)| ("t", id.as_str(), groups.as_slice(), *grade)),
        )
    }

    #[test]
    fn a_difference_within_a_class_is_reported() {
        let found = judged(|id| {
            if id.contains("autojoin=1") || id.contains("autojoin=true") {
                Grade::Fail
            } else {
                Grade::Pass
            }
        });
        assert_eq!(found.len(), 0, "{found:?}");
        let found = judged(|id| {
            if id.contains("autojoin=false") && id.contains("node=b") {
                Grade::Fail
            } else {
                Grade::Pass
            }
        });
        assert_eq!(found.len(), 1);
        assert!(found[0].describe().contains("node=b"));
        let errored = judged(|id| {
            if id.contains("autojoin=false") && id.contains("node=b") {
                Grade::Error
            } else {
                Grade::Pass
            }
        });
        assert!(errored.is_empty(), "an error cell proves nothing");
    }
}
