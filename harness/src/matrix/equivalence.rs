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
    /// Each case with its grade (`xfail` counted as the failure it is).
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

/// Groups of case ids whose grades must agree: per scenario, parameter and
/// class of equivalent values, the cases that share every other parameter.
pub fn groups(cases: &[Case]) -> Vec<(String, String, Vec<String>)> {
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
                for ids in by_rest.into_values().filter(|ids| ids.len() > 1) {
                    out.push((scenario.to_owned(), parameter.clone(), ids));
                }
            }
        }
    }
    out
}

/// The groups of `cases` graded differently on `target`; `grade` gives a
/// case's grade there (groups with a missing cell are skipped).
pub fn inconsistencies(
    cases: &[Case],
    target: &str,
    grade: impl Fn(&str) -> Option<Grade>,
) -> Vec<Inconsistency> {
    let raw = |g: Grade| if g == Grade::Xfail { Grade::Fail } else { g };
    groups(cases)
        .into_iter()
        .filter_map(|(scenario, parameter, ids)| {
            let grades: Option<Vec<(String, Grade)>> = ids
                .iter()
                .map(|id| grade(id).map(|g| (id.clone(), raw(g))))
                .collect();
            let grades = grades?;
            let first = grades.first()?.1;
            let alike = grades.iter().all(|(_, g)| *g == first);
            let errored = grades.iter().any(|(_, g)| *g == Grade::Error);
            (!alike && !errored).then(|| Inconsistency {
                target: target.to_owned(),
                scenario,
                parameter,
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
        for (_, parameter, ids) in &groups {
            assert_eq!(parameter, "autojoin");
            assert_eq!(ids.len(), 2);
        }
    }

    #[test]
    fn a_difference_within_a_class_is_reported_and_xfail_counts_as_fail() {
        let found = inconsistencies(&cases(), "t", |id| {
            Some(if id.contains("autojoin=0") && id.contains("node=a") {
                Grade::Pass
            } else if id.contains("autojoin=true") {
                Grade::Xfail
            } else if id.contains("autojoin=1") {
                Grade::Fail
            } else {
                Grade::Pass
            })
        });
        assert_eq!(found.len(), 0, "{found:?}");
        let found = inconsistencies(&cases(), "t", |id| {
            Some(if id.contains("autojoin=false") && id.contains("node=b") {
                Grade::Fail
            } else {
                Grade::Pass
            })
        });
        assert_eq!(found.len(), 1);
        assert!(found[0].describe().contains("node=b"));
    }
}
