//! Checking a scenario's `requires` against what the server advertises.

use std::time::{Duration, Instant};

use super::case_run::{CaseRun, Stop};
use crate::scenario::Case;
use crate::server::LiveTarget;
use crate::server::premade::missing_roles;
use crate::session::disco_info;

/// What `case` needs that `target` does not declare, so that no step can
/// run: a service of `[requires] services`, or a pre-made account with an
/// actor's role. `None` when it has everything.
pub fn undeclared(case: &Case, target: &LiveTarget) -> Option<String> {
    let scenario = &case.scenario;
    let services: Vec<&str> = scenario
        .requires
        .services
        .iter()
        .filter(|kind| !target.services.contains_key(*kind))
        .map(String::as_str)
        .collect();
    let roles = missing_roles(target.premade_accounts(), &scenario.roles());
    let mut lacks = Vec::new();
    if !services.is_empty() {
        lacks.push(format!(
            "no {} service (the target's `services` does not name it)",
            services.join(", no ")
        ));
    }
    if !roles.is_empty() {
        lacks.push(format!(
            "no pre-made account with the role {} (the target's `[[target.account]]`)",
            roles.join(", ")
        ));
    }
    (!lacks.is_empty()).then(|| format!("the target declares {}", lacks.join("; and ")))
}

/// Asks disco#info of the domain and of the first actor's bare JID, as the
/// scenario requires; returns which required features are missing.
pub async fn missing(run: &mut CaseRun<'_>, connected: &[usize]) -> Result<Option<String>, Stop> {
    let requires = &run.case.scenario.requires;
    if requires.server.is_empty() && requires.account.is_empty() {
        return Ok(None);
    }
    let Some(&asker) = connected.first() else {
        return Err(Stop::Error("requirements need a connected actor".into()));
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    let domain = run.target.endpoint.domain.clone();
    let bare = run.bound[asker]
        .as_deref()
        .and_then(|j| j.split('/').next())
        .unwrap_or_default()
        .to_owned();
    let mut absent = Vec::new();
    for (to, wanted, whose) in [
        (&domain, &requires.server, "server"),
        (&bare, &requires.account, "account"),
    ] {
        if wanted.is_empty() {
            continue;
        }
        let session = run.session(asker)?;
        let info = disco_info(session, to, deadline)
            .await
            .map_err(|e| Stop::Error(format!("disco#info of the {whose}: {e}")))?;
        absent.extend(
            wanted
                .iter()
                .filter(|f| !info.features.contains(f))
                .map(|f| format!("{f} (on the {whose})")),
        );
    }
    Ok((!absent.is_empty()).then(|| format!("not advertised: {}", absent.join(", "))))
}
