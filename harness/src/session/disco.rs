//! Service discovery (XEP-0030) as a client asks it: disco#info of a JID.

use std::time::Instant;

use minidom::Element;
use serde::Serialize;

use super::{Claim, Session, SessionError};
use crate::ns;
use crate::stanza::build::WithAttr;

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
            if child.is("identity", ns::DISCO_INFO) {
                info.identities.push(Identity {
                    category: child.attr("category").unwrap_or("").into(),
                    kind: child.attr("type").unwrap_or("").into(),
                    name: child.attr("name").map(str::to_owned),
                });
            } else if child.is("feature", ns::DISCO_INFO) {
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

/// Asks `to` for disco#info and reads the answer.
pub async fn disco_info(
    session: &mut Session,
    to: &str,
    deadline: Instant,
) -> Result<DiscoInfo, SessionError> {
    let id = session.fresh_id("disco");
    let iq = Element::builder("iq", ns::JABBER_CLIENT)
        .with("type", "get")
        .with("id", id.as_str())
        .with("to", to)
        .append(Element::builder("query", ns::DISCO_INFO).build())
        .build();
    session.send(iq).await?;
    let answer = session
        .claim(deadline, |el| {
            Claim::take_if(el.name() == "iq" && el.attr("id") == Some(id.as_str()))
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
        .get_child("query", ns::DISCO_INFO)
        .map(DiscoInfo::from_query)
        .unwrap_or_default())
}
