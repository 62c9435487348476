//! The accounts of one case: fresh, leased from an accounts file, or the
//! target's pre-made ones with a role; reused ones checked empty before the
//! case and cleaned after it.

use std::time::Instant;

use super::case_run::{CaseRun, Stop};
use crate::scenario::StepKind;
use crate::server::account_state::{PrivateSlot, clean, leftovers};
use crate::session::Account;

impl CaseRun<'_> {
    /// Gets an account for every alias: the target's pre-made account for
    /// an alias with a role (leased to this case alone), else fresh ones or
    /// ones leased from the target's accounts file. A reused account must
    /// hold nothing a fresh account would not (else the case is an error
    /// naming what was left). Times count from when the accounts are there,
    /// not from waiting for them.
    pub async fn make_accounts(&mut self) -> Result<(), Stop> {
        let scenario = &self.case.scenario;
        let premade = self
            .target
            .lease_roles(&scenario.roles())
            .await
            .map_err(|e| Stop::Error(e.to_string()))?;
        let mut reused: Vec<String> = Vec::new();
        let mut fresh: Vec<String> = Vec::new();
        for alias in scenario.accounts() {
            match scenario.role_of(alias).and_then(|r| premade.for_role(r)) {
                Some(account) => {
                    self.accounts.insert(alias.to_owned(), account.clone());
                    reused.push(alias.to_owned());
                }
                None => fresh.push(alias.to_owned()),
            }
        }
        self.premade = Some(premade);
        let lease = self
            .target
            .lease_accounts(fresh.len())
            .await
            .map_err(|e| Stop::Error(e.to_string()))?;
        for (alias, account) in fresh.iter().zip(lease.accounts()) {
            self.accounts.insert(alias.clone(), account.clone());
        }
        if lease.reused() {
            reused.extend(fresh);
        }
        self.lease = Some(lease);
        self.origin = Instant::now();
        if !reused.is_empty() {
            self.check_accounts_empty(&reused).await?;
        }
        Ok(())
    }

    /// The private XML slots this case's stanzas use, and the bookmarks'.
    fn private_slots(&self) -> Vec<PrivateSlot> {
        let sent = self
            .case
            .scenario
            .steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Send { xml, .. } => Some(xml.text.as_str()),
                _ => None,
            });
        PrivateSlot::used_by(sent)
    }

    async fn check_accounts_empty(&self, aliases: &[String]) -> Result<(), Stop> {
        let slots = &self.private_slots();
        let endpoint = &self.target.endpoint;
        let reused = self.accounts.iter().filter(|(a, _)| aliases.contains(a));
        let checks = reused.map(|(alias, account)| async move {
            (alias, leftovers(endpoint, account, slots).await)
        });
        let mut problems = Vec::new();
        for (alias, found) in futures::future::join_all(checks).await {
            match found {
                Ok(found) if found.is_empty() => {}
                Ok(found) => problems.push(format!("{alias} holds {}", found.join(", "))),
                Err(e) => problems.push(format!("{alias} could not be checked: {e}")),
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(Stop::Error(format!(
            "a reused account (from the accounts file, or pre-made) is not empty (left by \
             an earlier case or another client; it is cleaned when this case ends): {}",
            problems.join("; ")
        )))
    }

    /// Removes what the case left on reused accounts (leased from a file,
    /// or pre-made), then gives them back.
    pub(super) async fn clean_leased_accounts(&mut self) {
        let lease = self.lease.take();
        let premade = self.premade.take();
        let mut reused: Vec<&Account> = Vec::new();
        if let Some(lease) = lease.as_ref().filter(|l| l.reused()) {
            reused.extend(lease.accounts());
        }
        if premade.is_some() {
            let scenario = &self.case.scenario;
            reused.extend(
                self.accounts
                    .iter()
                    .filter(|(alias, _)| scenario.role_of(alias).is_some())
                    .map(|(_, account)| account),
            );
        }
        let slots = self.private_slots();
        let endpoint = &self.target.endpoint;
        let cleanups = reused.iter().map(|a| clean(endpoint, a, &slots));
        for (account, done) in reused.iter().zip(futures::future::join_all(cleanups).await) {
            if let Err(e) = done {
                tracing::warn!(case = %self.case.id, account = %account.username, "cleaning up: {e}");
            }
        }
        drop(lease);
        drop(premade);
    }
}
