//! Server versions as Debian and upstreams write them (`23.01-1`,
//! `0.12.3-1+deb12u1`, `13.0.7`), compared by their upstream part, and the
//! ranges a known failure can be limited to.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// The numbers of a version's upstream part: `24.12-3+deb13u2` → [24, 12].
/// An epoch (`1:`) and a Debian revision (`-3…`) are left out.
fn numbers(version: &str) -> Vec<u64> {
    let upstream = version.split_once(':').map_or(version, |(_, v)| v);
    let upstream = upstream.split_once('-').map_or(upstream, |(v, _)| v);
    upstream
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap_or(u64::MAX))
        .collect()
}

/// Compares two versions by their upstream numbers (`13.0.7` > `13.0.1`,
/// `24.12` > `23.10`, `0.12.3` < `13.0`); missing trailing numbers count 0.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (numbers(a), numbers(b));
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        match x.cmp(&y) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

/// The server versions a known failure holds for: from `from` (inclusive)
/// to `before` (exclusive, typically the release that fixed it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionRange {
    /// The first version that has the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The first version that no longer has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

impl VersionRange {
    /// Whether `version` lies in the range; an unknown version (`unknown`,
    /// empty) lies in no bounded range.
    pub fn contains(&self, version: &str) -> bool {
        if self.from.is_none() && self.before.is_none() {
            return true;
        }
        if numbers(version).is_empty() {
            return false;
        }
        let after_start = self
            .from
            .as_deref()
            .is_none_or(|from| compare(version, from) != Ordering::Less);
        let before_end = self
            .before
            .as_deref()
            .is_none_or(|before| compare(version, before) == Ordering::Less);
        after_start && before_end
    }

    /// The range as a reader writes it: `>= 23.01, < 24.12`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            self.from.as_ref().map(|v| format!(">= {v}")),
            self.before.as_ref().map(|v| format!("< {v}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "any version".into()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_revisions_and_epochs_do_not_count() {
        assert_eq!(compare("24.12-3+deb13u2", "24.12"), Ordering::Equal);
        assert_eq!(compare("1:0.12.3-1+deb12u1", "0.12.3"), Ordering::Equal);
        assert_eq!(compare("13.0.7-1", "13.0.1-1+deb131u"), Ordering::Greater);
        assert_eq!(compare("23.01-1", "23.10"), Ordering::Less);
        assert_eq!(compare("0.12.3", "13"), Ordering::Less);
    }

    #[test]
    fn a_range_holds_from_its_start_to_before_its_fix() {
        let range = VersionRange {
            from: None,
            before: Some("24.12".into()),
        };
        assert!(range.contains("23.01-1"));
        assert!(!range.contains("24.12-3+deb13u2"));
        assert!(!range.contains("26.07-1"));
        assert!(!range.contains("unknown"));
        let open = VersionRange::default();
        assert!(open.contains("unknown"));
        let bounded = VersionRange {
            from: Some("0.12".into()),
            before: Some("13.0.5".into()),
        };
        assert!(bounded.contains("13.0.1-1+deb131u"));
        assert!(!bounded.contains("13.0.7-1"));
        assert_eq!(bounded.describe(), ">= 0.12, < 13.0.5");
    }
}
