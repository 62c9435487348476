//! `xepspec probe`: the smallest honest proof that a target works. Two fresh
//! accounts, two resources of one of them, and disco#info of the server, of
//! the account's bare JID and of each service the target declares, as the
//! server answered them; then a login with each pre-made account.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::server::LiveTarget;
use crate::session::{DiscoInfo, Session, SessionSpec, disco_info};

/// What the probe found.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// The target probed.
    pub target: String,
    /// The two resources bound for the first account.
    pub resources: Vec<String>,
    /// disco#info of the server's domain.
    pub server: DiscoInfo,
    /// disco#info of the first account's bare JID.
    pub account: DiscoInfo,
    /// disco#info of each declared service, by kind (`pubsub`, `muc`).
    pub services: BTreeMap<String, DiscoInfo>,
    /// The JIDs the pre-made accounts were bound to, by account name.
    pub premade: BTreeMap<String, String>,
    /// How long the whole probe took.
    pub took: Duration,
}

/// Runs the probe against a live target.
pub async fn probe(target: &LiveTarget) -> Result<ProbeReport, String> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(20);
    // Two accounts, as a case has; juliet's is the one looked at.
    let lease = target.lease_accounts(2).await.map_err(|e| e.to_string())?;
    let juliet = lease.accounts()[0].clone();
    let open = |resource: &str| {
        Session::open(SessionSpec {
            endpoint: target.endpoint.clone(),
            account: juliet.clone(),
            resource: resource.into(),
            caps: None,
            origin: started,
        })
    };
    let mut balcony = open("balcony").await.map_err(|e| e.to_string())?;
    let chamber = open("chamber").await.map_err(|e| e.to_string())?;
    let bare = balcony.jid().to_bare().to_string();
    let domain = target.endpoint.domain.clone();
    let server = disco_info(&mut balcony, &domain, deadline)
        .await
        .map_err(|e| e.to_string())?;
    let account = disco_info(&mut balcony, &bare, deadline)
        .await
        .map_err(|e| e.to_string())?;
    let mut services = BTreeMap::new();
    for (kind, jid) in &target.services {
        let info = disco_info(&mut balcony, jid, deadline)
            .await
            .map_err(|e| format!("the {kind} service {jid}: {e}"))?;
        services.insert(kind.clone(), info);
    }
    let resources = vec![balcony.jid().to_string(), chamber.jid().to_string()];
    balcony.close(deadline).await;
    chamber.close(deadline).await;
    let mut premade = BTreeMap::new();
    for made in target.premade_accounts() {
        let session = Session::open(SessionSpec {
            endpoint: target.endpoint.clone(),
            account: made.account(),
            resource: "probe".into(),
            caps: None,
            origin: started,
        })
        .await
        .map_err(|e| format!("the pre-made account {}: {e}", made.name))?;
        premade.insert(made.name.clone(), session.jid().to_string());
        session.close(deadline).await;
    }
    Ok(ProbeReport {
        target: target.info.name.clone(),
        resources,
        server,
        account,
        services,
        premade,
        took: started.elapsed(),
    })
}

/// The probe's findings as text.
pub fn render(report: &ProbeReport, info: &crate::server::TargetInfo) -> String {
    let mut out = format!(
        "{} ({} {}) answered in {} ms\nresources bound: {}\n",
        report.target,
        info.server,
        info.version,
        report.took.as_millis(),
        report.resources.join(", ")
    );
    let services = report
        .services
        .iter()
        .map(|(kind, info)| (format!("{kind} service"), info));
    let sections = [
        ("server".to_owned(), &report.server),
        ("account (bare JID)".to_owned(), &report.account),
    ];
    for (title, disco) in sections.into_iter().chain(services) {
        out += &format!("\ndisco#info of the {title}:\n");
        for i in &disco.identities {
            out += &format!(
                "  identity {}/{}{}\n",
                i.category,
                i.kind,
                i.name
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
        }
        for f in &disco.features {
            out += &format!("  feature  {f}\n");
        }
    }
    for (name, jid) in &report.premade {
        out += &format!("\npre-made account {name} logged in as {jid}\n");
    }
    out
}

/// `xepspec probe`: starts (or reaches) the target, probes it and prints
/// what it found; exit 1 when the target does not work, 2 when an external
/// server fails its preflight.
pub async fn command(
    catalog: &crate::server::Catalog,
    target: Option<String>,
    external: &super::external_args::ExternalArgs,
    as_json: bool,
) -> Result<u8, String> {
    use crate::server::{ChosenTarget, PreflightLimits, preflight};
    let live = match external.chosen_one(target.as_deref(), catalog)? {
        ChosenTarget::BuiltIn(def) => LiveTarget::start(catalog, &def)
            .await
            .map(LiveTarget::secured),
        ChosenTarget::Own(server) => {
            preflight(&server, 2, &PreflightLimits::default())
                .await
                .map_err(|e| e.to_string())?;
            LiveTarget::external(&server).await
        }
    };
    let live = match live {
        Ok(live) => live,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(1);
        }
    };
    match probe(&live).await {
        Ok(report) if as_json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
            Ok(0)
        }
        Ok(report) => {
            print!("{}", render(&report, &live.info));
            Ok(0)
        }
        Err(e) => {
            eprintln!("error: {}: {e}", live.info.name);
            Ok(1)
        }
    }
}
