//! Parameter expansion: one scenario becomes one case per combination of its
//! parameter values, each named after its values.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::loaded::Scenario;

/// One runnable case: a scenario with one value chosen per parameter.
#[derive(Debug, Clone)]
pub struct Case {
    /// `scenario-id` or `scenario-id[name=value,...]`.
    pub id: String,
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// The chosen values.
    pub params: BTreeMap<String, String>,
}

/// Every case of `scenario`, in a stable order (parameters by name, values
/// in the order written).
pub fn expand(scenario: Arc<Scenario>) -> Vec<Case> {
    let mut combos: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
    for (name, values) in &scenario.parameters {
        combos = combos
            .into_iter()
            .flat_map(|combo| {
                values.iter().map(move |v| {
                    let mut next = combo.clone();
                    next.insert(name.clone(), v.clone());
                    next
                })
            })
            .collect();
    }
    combos
        .into_iter()
        .map(|params| Case {
            id: case_id(&scenario.id, &params),
            scenario: scenario.clone(),
            params,
        })
        .collect()
}

fn case_id(id: &str, params: &BTreeMap<String, String>) -> String {
    if params.is_empty() {
        return id.to_owned();
    }
    let values: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{id}[{}]", values.join(","))
}

/// Expands all scenarios, keeping those whose case id contains `filter`.
pub fn plan(scenarios: &[Scenario], filter: Option<&str>) -> Vec<Case> {
    scenarios
        .iter()
        .cloned()
        .flat_map(|s| expand(Arc::new(s)))
        .filter(|c| filter.is_none_or(|f| c.id.contains(f)))
        .collect()
}
