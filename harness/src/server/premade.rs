//! Pre-made accounts with fixed names and roles (an administrator), declared
//! by a target (`[[target.account]]` in `containers/targets.toml` or a
//! targets file), and the pool a run leases them from: an account serves one
//! case at a time, since what it may do (and what it leaves) is shared.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Notify;

use crate::session::Account;

/// An account a target has before any case runs, with the roles it holds
/// there (`admin`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PremadeAccount {
    /// The account's username (the local part of its JID).
    pub name: String,
    /// Its password.
    pub password: String,
    /// The roles it holds on the server; a scenario's actor asks for one
    /// with `account = "<role>"`.
    #[serde(default)]
    pub roles: Vec<String>,
}

impl PremadeAccount {
    /// The login of this account.
    pub fn account(&self) -> Account {
        Account {
            username: self.name.clone(),
            password: self.password.clone(),
        }
    }
}

/// The roles `wanted` that none of `accounts` holds, in the order asked.
pub fn missing_roles<'a>(accounts: &[PremadeAccount], wanted: &[&'a str]) -> Vec<&'a str> {
    wanted
        .iter()
        .filter(|role| !accounts.iter().any(|a| a.roles.iter().any(|r| r == *role)))
        .copied()
        .collect()
}

/// The pre-made accounts of one target, each leased to one case at a time.
pub struct PremadePool {
    accounts: Vec<PremadeAccount>,
    busy: Arc<Mutex<Vec<bool>>>,
    freed: Arc<Notify>,
    wait: Duration,
}

/// Pre-made accounts a case holds, by role; dropping it frees them.
pub struct PremadeLease {
    accounts: BTreeMap<String, Account>,
    held: Vec<usize>,
    busy: Arc<Mutex<Vec<bool>>>,
    freed: Arc<Notify>,
}

impl PremadePool {
    /// A pool of `accounts`; a lease waits at most `wait` for busy ones.
    pub fn new(accounts: Vec<PremadeAccount>, wait: Duration) -> PremadePool {
        PremadePool {
            busy: Arc::new(Mutex::new(vec![false; accounts.len()])),
            accounts,
            freed: Arc::new(Notify::new()),
            wait,
        }
    }

    /// The accounts declared.
    pub fn accounts(&self) -> &[PremadeAccount] {
        &self.accounts
    }

    /// One distinct account for each of `roles`, waiting (at most the
    /// pool's wait) while the ones that hold them serve other cases.
    pub async fn lease(&self, roles: &[&str]) -> Result<PremadeLease, String> {
        let missing = missing_roles(&self.accounts, roles);
        if !missing.is_empty() {
            return Err(format!(
                "no pre-made account holds the role {}",
                missing.join(", ")
            ));
        }
        let deadline = tokio::time::Instant::now() + self.wait;
        loop {
            // Registered before looking, so a release in between wakes us.
            let freed = self.freed.notified();
            if let Some(lease) = self.try_lease(roles)? {
                return Ok(lease);
            }
            if tokio::time::timeout_at(deadline, freed).await.is_err() {
                return Err(format!(
                    "no pre-made account with the role {} was free within {} s",
                    roles.join(", "),
                    self.wait.as_secs()
                ));
            }
        }
    }

    fn try_lease(&self, roles: &[&str]) -> Result<Option<PremadeLease>, String> {
        let mut busy = self.busy.lock().map_err(|_| "the pre-made pool broke")?;
        let mut held: Vec<usize> = Vec::new();
        let mut accounts = BTreeMap::new();
        for role in roles {
            let free = (0..self.accounts.len()).find(|&i| {
                !busy[i] && !held.contains(&i) && self.accounts[i].roles.iter().any(|r| r == role)
            });
            let Some(i) = free else { return Ok(None) };
            held.push(i);
            accounts.insert((*role).to_owned(), self.accounts[i].account());
        }
        for &i in &held {
            busy[i] = true;
        }
        Ok(Some(PremadeLease {
            accounts,
            held,
            busy: self.busy.clone(),
            freed: self.freed.clone(),
        }))
    }
}

impl PremadeLease {
    /// The account leased for `role`.
    pub fn for_role(&self, role: &str) -> Option<&Account> {
        self.accounts.get(role)
    }

    /// A lease of nothing, for a case that needs no role.
    pub fn none() -> PremadeLease {
        PremadeLease {
            accounts: BTreeMap::new(),
            held: Vec::new(),
            busy: Arc::new(Mutex::new(Vec::new())),
            freed: Arc::new(Notify::new()),
        }
    }
}

impl Drop for PremadeLease {
    fn drop(&mut self) {
        if self.held.is_empty() {
            return;
        }
        if let Ok(mut busy) = self.busy.lock() {
            for &i in &self.held {
                busy[i] = false;
            }
        }
        self.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin(name: &str) -> PremadeAccount {
        PremadeAccount {
            name: name.into(),
            password: "pw".into(),
            roles: vec!["admin".into()],
        }
    }

    #[tokio::test]
    async fn an_account_serves_one_case_at_a_time() {
        let pool = Arc::new(PremadePool::new(vec![admin("a")], Duration::from_secs(5)));
        let first = pool.lease(&["admin"]).await.unwrap();
        assert_eq!(first.for_role("admin").unwrap().username, "a");
        let waiting = tokio::spawn({
            let pool = pool.clone();
            async move { pool.lease(&["admin"]).await.map(|l| l.accounts.len()) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the only admin is busy");
        drop(first);
        assert_eq!(waiting.await.unwrap(), Ok(1));
    }

    #[tokio::test]
    async fn two_roles_take_two_accounts_and_a_missing_role_is_named() {
        let mut both = admin("b");
        both.roles.push("moderator".into());
        let pool = PremadePool::new(vec![both, admin("c")], Duration::from_millis(30));
        let lease = pool.lease(&["moderator", "admin"]).await.unwrap();
        assert_eq!(lease.for_role("moderator").unwrap().username, "b");
        assert_eq!(lease.for_role("admin").unwrap().username, "c");
        let busy = pool.lease(&["admin"]).await.err().unwrap();
        assert!(busy.contains("was free within"), "{busy}");
        let err = pool.lease(&["owner"]).await.err().unwrap();
        assert_eq!(err, "no pre-made account holds the role owner");
        assert_eq!(missing_roles(pool.accounts(), &["admin", "x"]), vec!["x"]);
    }
}
