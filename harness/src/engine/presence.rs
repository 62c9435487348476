//! What an actor says about itself: the caps it advertises (its node, its
//! features, its `+notify` interests), `{caps:actor}`, and the `presence`
//! step that sends presence mid-case.

use std::time::Instant;

use minidom::Element;

use super::case_run::{CaseRun, Stop};
use crate::ns;
use crate::scenario::{Answers, PresenceStep};
use crate::session::{self, CAPS_NODE, ClientCaps, DEFAULT_WAIT};
use crate::stanza::normalise::Alias;
use crate::stanza::placeholder::{Piece, split};

/// How a session answers for an actor whose scenario says `answers`.
pub fn session_answers(answers: Answers) -> session::Answers {
    match answers {
        Answers::Auto => session::Answers::Auto,
        Answers::Scenario => session::Answers::Scenario,
    }
}

impl CaseRun<'_> {
    /// The caps actor `index` advertises with `notify` and `features` (the
    /// actor's own where `None`): its caps node, the harness's base
    /// features, `<ns>+notify` per namespace, and the features, with their
    /// placeholders filled.
    pub fn actor_caps(
        &self,
        index: usize,
        notify: Option<&[String]>,
        features: Option<&[String]>,
    ) -> Result<ClientCaps, Stop> {
        let actor = self.actor(index);
        let notify = notify.unwrap_or(&actor.notify);
        let features = features.unwrap_or(&actor.features);
        let mut all: Vec<String> = notify.iter().map(|ns| format!("{ns}+notify")).collect();
        for feature in features {
            all.push(self.fill_value(feature)?);
        }
        let node = match &actor.caps_node {
            Some(node) => self.fill_value(node)?,
            None => CAPS_NODE.to_owned(),
        };
        Ok(ClientCaps::with_node(&node, all.iter().map(String::as_str)))
    }

    /// A caps node or feature with its placeholders filled (not escaped: it
    /// is not XML).
    fn fill_value(&self, text: &str) -> Result<String, Stop> {
        let domain = &self.target.endpoint.domain;
        let pieces = split(text).map_err(|e| Stop::Error(format!("placeholder: {}", e.message)))?;
        let mut out = String::new();
        for (_, piece) in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Brace(c) => out.push(c),
                Piece::Placeholder("unique") => out.push_str(&self.unique),
                Piece::Placeholder("domain") => out.push_str(domain),
                Piece::Placeholder(name) => {
                    let value = self
                        .accounts
                        .get(name)
                        .map(|a| format!("{}@{domain}", a.username))
                        .or_else(|| self.case.params.get(name).cloned())
                        .ok_or_else(|| {
                            Stop::Error(format!("placeholder {{{name}}} has no value"))
                        })?;
                    out.push_str(&value);
                }
            }
        }
        Ok(out)
    }

    /// `{caps:actor}`: the `node#ver` actor `name` advertises now, or will
    /// advertise when it logs in.
    pub fn caps_node_ver(&self, name: &str) -> Option<String> {
        let index = self
            .case
            .scenario
            .actors
            .iter()
            .position(|a| a.name == name)?;
        match &self.caps[index] {
            Some(caps) => Some(caps.node_ver()),
            None => self
                .actor_caps(index, None, None)
                .ok()
                .map(|c| c.node_ver()),
        }
    }

    /// Records that actor `index` advertises `caps` from now on; a ver made
    /// from `{unique}` gets a stable name for reports and snapshots.
    pub fn advertised(&mut self, index: usize, caps: ClientCaps) {
        let varies = caps.node_ver().contains(&self.unique)
            || caps.features().any(|f| f.contains(&self.unique));
        if varies && !self.varying_vers.iter().any(|a| a.value == caps.ver()) {
            let name = format!("{{ver:{}}}", self.actor(index).name);
            self.varying_vers.push(Alias::new(caps.ver(), name));
        }
        self.caps[index] = Some(caps);
    }

    /// The `presence` step: sends the actor's presence now, with new caps
    /// when the step changes its interests or features, and waits as a
    /// login does (a round trip, one more after a caps query the session
    /// answered). The step's own stanza is sent as written, an available
    /// one with the caps added when it carries none.
    pub async fn presence(&mut self, step: &PresenceStep) -> Result<(), Stop> {
        let index = step.actor;
        let name = self.actor(index).name.clone();
        let changes = step.notify.is_some() || step.features.is_some();
        let caps = match (&self.caps[index], changes) {
            (Some(caps), false) => caps.clone(),
            _ => self.actor_caps(index, step.notify.as_deref(), step.features.as_deref())?,
        };
        let stanza = match &step.xml {
            Some(xml) => {
                let id = self.fresh_id();
                with_caps(self.stanza(&xml.text, Some(&id))?, &caps)
            }
            None => Element::builder("presence", ns::JABBER_CLIENT)
                .append(caps.element())
                .build(),
        };
        self.last_request = None;
        if let Some(id) = stanza.attr("id") {
            self.last_id = Some(id.to_owned());
        }
        let session = self.session(index)?;
        let failed = |e: session::SessionError| Stop::Error(format!("{name}: presence: {e}"));
        if changes {
            session.advertise(caps.clone()).await.map_err(failed)?;
        }
        session
            .send_presence_stanza(stanza, Instant::now() + DEFAULT_WAIT)
            .await
            .map_err(failed)?;
        self.advertised(index, caps);
        Ok(())
    }
}

/// `presence` with `caps` added when it is available (no `type`) and has no
/// `<c/>` of its own.
fn with_caps(mut presence: Element, caps: &ClientCaps) -> Element {
    if presence.attr("type").is_none() && !presence.has_child("c", ns::CAPS) {
        presence.append_child(caps.element());
    }
    presence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Element {
        xml.parse().expect("test XML")
    }

    #[test]
    fn an_available_presence_gets_the_caps_and_others_stay_as_written() {
        let caps = ClientCaps::new(["urn:example+notify"]);
        let away = with_caps(
            parse("<presence xmlns='jabber:client'><show>away</show></presence>"),
            &caps,
        );
        let c = away.get_child("c", ns::CAPS).expect("caps added");
        assert_eq!(c.attr("ver"), Some(caps.ver()));
        assert!(away.get_child("show", ns::JABBER_CLIENT).is_some());
        let gone = with_caps(
            parse("<presence xmlns='jabber:client' type='unavailable'/>"),
            &caps,
        );
        assert!(
            gone.get_child("c", ns::CAPS).is_none(),
            "not on unavailable"
        );
        let own = parse(
            "<presence xmlns='jabber:client'><c xmlns='http://jabber.org/protocol/caps' \
             hash='sha-1' node='n' ver='v'/></presence>",
        );
        let kept = with_caps(own, &caps);
        let cs: Vec<_> = kept.children().filter(|c| c.is("c", ns::CAPS)).collect();
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].attr("ver"), Some("v"), "the scenario's own caps stay");
    }

    #[test]
    fn the_scenarios_answers_map_onto_the_sessions() {
        assert_eq!(session_answers(Answers::Auto), session::Answers::Auto);
        assert_eq!(
            session_answers(Answers::Scenario),
            session::Answers::Scenario
        );
    }
}
