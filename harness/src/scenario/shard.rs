//! Sharding: a deterministic slice of the cases, so that one matrix can be
//! spread over several CI jobs and joined again with `xepspec merge`.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use super::Case;

/// Slice `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1.
    pub index: u32,
    /// How many slices.
    pub count: u32,
}

impl Shard {
    /// Whether the case `id` belongs to this slice. A case's slice depends on
    /// its id alone, so adding or removing other cases moves no case.
    pub fn keeps(&self, id: &str) -> bool {
        let digest = Sha256::digest(id.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The cases of this slice, in plan order.
    pub fn select(&self, cases: Vec<Case>) -> Vec<Case> {
        cases.into_iter().filter(|c| self.keeps(&c.id)).collect()
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("shard '{text}' is not I/N with 1 ≤ I ≤ N (e.g. 2/4)");
        let (i, n) = text.split_once('/').ok_or_else(usage)?;
        let index: u32 = i.trim().parse().map_err(|_| usage())?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
    }

    #[test]
    fn every_id_lands_in_exactly_one_slice() {
        let ids: Vec<String> = (0..200).map(|i| format!("xep-0060/case-{i}")).collect();
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for id in &ids {
            let homes = shards.iter().filter(|s| s.keeps(id)).count();
            assert_eq!(homes, 1, "{id}");
        }
        for shard in &shards {
            let n = ids.iter().filter(|id| shard.keeps(id)).count();
            assert!(n > 40, "shard {shard} got only {n} of 200");
        }
    }
}
