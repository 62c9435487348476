//! How many accounts a run uses: each case needs its distinct account
//! aliases (`juliet` of `juliet/balcony`) at once, and a target runs several
//! cases at once.

use super::expand::Case;

/// The most distinct fresh accounts any one of `cases` uses (pre-made
/// accounts with a role, `account = "admin"`, are the target's own and not
/// counted).
pub fn accounts_per_case(cases: &[Case]) -> usize {
    cases
        .iter()
        .map(|c| c.scenario.accounts().len() - c.scenario.roles().len())
        .max()
        .unwrap_or(0)
}

/// The accounts a run of `cases` needs from an accounts file when a target
/// runs `at_once` cases at a time: the largest case's accounts times the
/// cases at once (no more cases than there are).
pub fn accounts_needed(cases: &[Case], at_once: usize) -> usize {
    accounts_per_case(cases) * at_once.clamp(1, cases.len().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ScenarioSource, plan};

    #[test]
    fn the_repository_suite_needs_its_largest_case_times_the_jobs() {
        let cases = plan(&ScenarioSource::bundled().load().unwrap(), None);
        let widest = accounts_per_case(&cases);
        assert!((2..=4).contains(&widest), "{widest}");
        assert_eq!(accounts_needed(&cases, 1), widest);
        assert_eq!(accounts_needed(&cases, 16), 16 * widest);
        assert_eq!(
            accounts_needed(&cases[..1], 16),
            cases[0].scenario.accounts().len()
        );
        assert_eq!(accounts_needed(&[], 16), 0);
    }
}
