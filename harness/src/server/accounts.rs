//! Pre-made accounts: the accounts file, and the pool a run leases them
//! from. A case takes all the accounts it needs at once (so two cases never
//! hold half of what each needs), waits while too few are free, and gives
//! them back when its lease is dropped.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::TargetError;
use crate::session::Account;

/// How long a case waits for free accounts before giving up: within the
/// engine's 60 s case budget, so that the message says why. With the
/// accounts the preflight asks for, no case waits longer than the cases
/// ahead of it take.
pub const LEASE_WAIT: Duration = Duration::from_secs(50);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    account: Vec<AccountEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    username: String,
    password: String,
}

/// Reads an accounts file (`[[account]]` tables with `username` and
/// `password`).
pub fn read_accounts(path: &Path) -> Result<Vec<Account>, TargetError> {
    let problem =
        |e: String| TargetError::Catalog(format!("accounts file {}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| problem(e.to_string()))?;
    let file: AccountsFile = toml::from_str(&text).map_err(|e| problem(e.to_string()))?;
    Ok(file
        .account
        .into_iter()
        .map(|a| Account {
            username: a.username,
            password: a.password,
        })
        .collect())
}

/// The accounts of a file, shared by the cases of a run.
pub struct AccountPool {
    free: Arc<Mutex<Vec<Account>>>,
    permits: Arc<Semaphore>,
    size: usize,
    wait: Duration,
}

/// Accounts a case holds; dropping the lease gives them back to the pool.
pub struct AccountLease {
    accounts: Vec<Account>,
    home: Option<(Arc<Mutex<Vec<Account>>>, OwnedSemaphorePermit)>,
}

impl AccountPool {
    /// A pool of `accounts`; a lease waits at most `wait` for free ones.
    pub fn new(accounts: Vec<Account>, wait: Duration) -> AccountPool {
        AccountPool {
            size: accounts.len(),
            permits: Arc::new(Semaphore::new(accounts.len())),
            free: Arc::new(Mutex::new(accounts)),
            wait,
        }
    }

    /// How many accounts the pool has in all.
    pub fn size(&self) -> usize {
        self.size
    }

    /// `n` accounts no other case holds, waiting (first come, first
    /// served) while fewer are free.
    pub async fn lease(&self, n: usize) -> Result<AccountLease, String> {
        if n > self.size {
            return Err(format!(
                "this case needs {n} accounts, the accounts file has {}",
                self.size
            ));
        }
        let wanted = u32::try_from(n).map_err(|_| format!("{n} accounts is too many"))?;
        let acquire = self.permits.clone().acquire_many_owned(wanted);
        let permit = match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err("the account pool is closed".into()),
            Err(_) => {
                return Err(format!(
                    "no {n} of the file's {} accounts were free within {} s",
                    self.size,
                    self.wait.as_secs()
                ));
            }
        };
        let mut free = self.free.lock().map_err(|_| "the account pool broke")?;
        let at = free.len().saturating_sub(n);
        let accounts = free.split_off(at);
        drop(free);
        Ok(AccountLease {
            accounts,
            home: Some((self.free.clone(), permit)),
        })
    }
}

impl AccountLease {
    /// Accounts made for this case alone (in-band registration): nothing to
    /// give back.
    pub fn fresh(accounts: Vec<Account>) -> AccountLease {
        AccountLease {
            accounts,
            home: None,
        }
    }

    /// The accounts held, in the order asked for.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Whether they come from a pool: other cases used them before, so they
    /// must be checked before and cleaned after.
    pub fn reused(&self) -> bool {
        self.home.is_some()
    }
}

impl Drop for AccountLease {
    fn drop(&mut self) {
        // The accounts go back before the permit does (fields drop after
        // this body), so a case woken by the permit finds them free.
        if let Some((free, _permit)) = &self.home
            && let Ok(mut free) = free.lock()
        {
            free.append(&mut self.accounts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(n: usize, wait: Duration) -> AccountPool {
        let accounts = (0..n)
            .map(|i| Account {
                username: format!("u{i}"),
                password: "p".into(),
            })
            .collect();
        AccountPool::new(accounts, wait)
    }

    #[tokio::test]
    async fn a_lease_waits_for_accounts_given_back() {
        let pool = Arc::new(pool(3, Duration::from_secs(5)));
        let first = pool.lease(2).await.unwrap();
        assert!(first.reused());
        let held: Vec<String> = first
            .accounts()
            .iter()
            .map(|a| a.username.clone())
            .collect();
        let waiting = tokio::spawn({
            let pool = pool.clone();
            async move { pool.lease(2).await.map(|l| l.accounts().len()) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "only one account is free");
        drop(first);
        assert_eq!(waiting.await.unwrap(), Ok(2));
        let again = pool.lease(3).await.unwrap();
        let names: Vec<&str> = again
            .accounts()
            .iter()
            .map(|a| a.username.as_str())
            .collect();
        assert!(
            held.iter().all(|h| names.contains(&h.as_str())),
            "{names:?}"
        );
    }

    #[tokio::test]
    async fn more_than_the_file_has_is_refused_at_once() {
        let err = pool(2, Duration::from_secs(5))
            .lease(3)
            .await
            .err()
            .unwrap();
        assert_eq!(err, "this case needs 3 accounts, the accounts file has 2");
    }

    #[tokio::test]
    async fn waiting_is_bounded() {
        let pool = pool(1, Duration::from_millis(30));
        let _held = pool.lease(1).await.unwrap();
        let err = pool.lease(1).await.err().unwrap();
        assert!(err.contains("were free within"), "{err}");
    }

    #[test]
    fn the_accounts_file_is_read() {
        let dir = std::env::temp_dir().join(format!("xepspec-accounts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("accounts.toml");
        std::fs::write(&path, "[[account]]\nusername = \"a\"\npassword = \"b\"\n").unwrap();
        assert_eq!(read_accounts(&path).unwrap().len(), 1);
        std::fs::write(&path, "[[account]]\nuser = \"a\"\n").unwrap();
        let err = read_accounts(&path).unwrap_err().to_string();
        assert!(
            err.contains("accounts file") && err.contains("user"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
