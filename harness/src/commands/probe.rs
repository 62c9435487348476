//! `xepspec probe`: the smallest honest proof that a target works. Two fresh
//! accounts, two resources of one of them, and disco#info of the server and
//! of the account's bare JID, as the server answered them.

use std::time::{Duration, Instant};

use minidom::Element;
use serde::Serialize;

use crate::session::{Session, SessionError, SessionSpec};
use crate::stanza::build::WithAttr;
use crate::target::LiveTarget;

const DISCO_INFO_NS: &str = "http://jabber.org/protocol/disco#info";

/// An identity from a disco#info result.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Identity {
    /// `category` attribute.
    pub category: String,
    /// `type` attribute.
    #[serde(rename = "type")]
    pub kind: String,
    /// `name` attribute, if any.
    pub name: Option<String>,
}

/// A disco#info answer: identities and features.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DiscoInfo {
    /// Identities, in the order the server sent them.
    pub identities: Vec<Identity>,
    /// Feature vars, in the order the server sent them.
    pub features: Vec<String>,
}

impl DiscoInfo {
    /// Reads a `<query xmlns='…disco#info'/>` payload.
    pub fn from_query(query: &Element) -> DiscoInfo {
        let mut info = DiscoInfo::default();
        for child in query.children() {
            if child.is("identity", DISCO_INFO_NS) {
                info.identities.push(Identity {
                    category: child.attr("category").unwrap_or("").into(),
                    kind: child.attr("type").unwrap_or("").into(),
                    name: child.attr("name").map(str::to_owned),
                });
            } else if child.is("feature", DISCO_INFO_NS) {
                info.features.push(child.attr("var").unwrap_or("").into());
            }
        }
        info
    }

    /// Whether an identity `category/type` is present.
    pub fn has_identity(&self, category: &str, kind: &str) -> bool {
        self.identities
            .iter()
            .any(|i| i.category == category && i.kind == kind)
    }
}

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

/// Asks `to` for disco#info and reads the answer.
pub async fn disco_info(
    session: &mut Session,
    to: &str,
    deadline: Instant,
) -> Result<DiscoInfo, SessionError> {
    let id = session.fresh_id("disco");
    let iq = Element::builder("iq", "jabber:client")
        .with("type", "get")
        .with("id", id.as_str())
        .with("to", to)
        .append(Element::builder("query", DISCO_INFO_NS).build())
        .build();
    session.send(iq).await?;
    let answer = session
        .claim(deadline, |el| {
            el.name() == "iq" && el.attr("id") == Some(id.as_str())
        })
        .await?
        .ok_or_else(|| SessionError::Timeout(format!("disco#info of {to}")))?;
    if answer.attr("type") != Some("result") {
        return Err(SessionError::Unexpected(format!(
            "disco#info of {to} failed: {}",
            String::from(&answer)
        )));
    }
    Ok(answer
        .get_child("query", DISCO_INFO_NS)
        .map(DiscoInfo::from_query)
        .unwrap_or_default())
}

/// The probe's findings as text.
pub fn render(report: &ProbeReport, info: &crate::target::TargetInfo) -> String {
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
