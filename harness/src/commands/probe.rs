//! `xepspec probe`: the smallest honest proof that a target works. Two fresh
//! accounts, two resources of one of them, and disco#info of the server and
//! of the account's bare JID, as the server answered them.

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
    /// How long the whole probe took.
    pub took: Duration,
}

/// Runs the probe against a live target.
pub async fn probe(target: &LiveTarget) -> Result<ProbeReport, String> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(20);
    let juliet = target.fresh_account().await.map_err(|e| e.to_string())?;
    let _romeo = target.fresh_account().await.map_err(|e| e.to_string())?;
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
    let resources = vec![balcony.jid().to_string(), chamber.jid().to_string()];
    balcony.close(deadline).await;
    chamber.close(deadline).await;
    Ok(ProbeReport {
        target: target.info.name.clone(),
        resources,
        server,
        account,
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
    for (title, disco) in [
        ("server", &report.server),
        ("account (bare JID)", &report.account),
    ] {
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
    out
}

/// `xepspec probe`: starts (or reaches) the target, probes it and prints
/// what it found; exit 1 when the target does not work.
pub async fn command(
    catalog: &crate::server::Catalog,
    target: Option<String>,
    external: &crate::server::ExternalServer,
    as_json: bool,
) -> Result<u8, String> {
    let live = match (&target, &external.address) {
        (Some(name), _) => match catalog.select(std::slice::from_ref(name)) {
            Ok(defs) => LiveTarget::start(catalog, &defs[0])
                .await
                .map(LiveTarget::secured),
            Err(e) => return Err(e.to_string()),
        },
        (None, Some(_)) => LiveTarget::external(external).await,
        (None, None) => return Err("probe needs --target NAME or --server HOST:PORT".into()),
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
