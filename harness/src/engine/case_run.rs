//! The state of one case while it runs on one target: accounts, sessions,
//! captured values, and the transcripts gathered so far.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use minidom::Element;

use super::actors::{Login, log_in_with};
use crate::scenario::{Actor, Case};
use crate::server::LiveTarget;
use crate::server::PremadeLease;
use crate::server::accounts::AccountLease;
use crate::session::{Account, ClientCaps, Session, TranscriptEntry};
use crate::stanza::matching::Bindings;
use crate::stanza::normalise::Alias;
use crate::stanza::parse::parse_stanza;
use crate::stanza::placeholder::render;
use crate::verdict::{ActorEntry, Direction};

/// The account of an actor whose alias has none (its login fails).
static NOBODY: Account = Account {
    username: String::new(),
    password: String::new(),
};

/// How long closing a session waits for the server's end of the stream.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// Why a case stopped early for reasons that are not the server's verdict.
pub enum Stop {
    /// The harness, a session or the server's connection failed.
    Error(String),
}

/// One case in progress.
pub struct CaseRun<'a> {
    /// The case.
    pub case: &'a Case,
    /// Where it runs.
    pub target: &'a LiveTarget,
    /// When it started; transcript times count from here.
    pub origin: Instant,
    /// Accounts by alias.
    pub accounts: BTreeMap<String, Account>,
    /// Open sessions by actor index.
    pub sessions: Vec<Option<Session>>,
    /// The JID each actor was last bound to.
    pub bound: Vec<Option<String>>,
    /// Values captured so far.
    pub captures: Bindings,
    /// The id of the last stanza sent.
    pub last_id: Option<String>,
    /// The actor and id of the last stanza sent, when it was an IQ request
    /// (`None` after any other stanza, a connect or a disconnect): the
    /// request whose answer lets a barrier prove absence.
    pub last_request: Option<(usize, String)>,
    /// A value made for this case alone (`{unique}`): names on services
    /// other cases share, such as a pubsub node.
    pub unique: String,
    ids: u64,
    pub(super) lease: Option<AccountLease>,
    pub(super) premade: Option<PremadeLease>,
    finished: Vec<(usize, Vec<TranscriptEntry>)>,
    /// Received stanzas of closed sessions that nothing claimed.
    pub unclaimed: Vec<(String, String)>,
    /// The caps each actor's session advertises now (`None` before login).
    pub caps: Vec<Option<ClientCaps>>,
    /// Caps verification strings that vary from run to run (made from
    /// `{unique}`), with the stable names reports write for them.
    pub varying_vers: Vec<Alias>,
}

impl<'a> CaseRun<'a> {
    /// A case about to start on `target`.
    pub fn new(case: &'a Case, target: &'a LiveTarget) -> Self {
        let actors = case.scenario.actors.len();
        CaseRun {
            case,
            target,
            origin: Instant::now(),
            accounts: BTreeMap::new(),
            sessions: (0..actors).map(|_| None).collect(),
            bound: vec![None; actors],
            captures: Bindings::new(),
            last_id: None,
            last_request: None,
            unique: format!("{:010x}", rand::random::<u64>() & 0xff_ffff_ffff),
            ids: 0,
            lease: None,
            premade: None,
            finished: Vec::new(),
            unclaimed: Vec::new(),
            caps: vec![None; actors],
            varying_vers: Vec::new(),
        }
    }

    /// The scenario's actor at `index`.
    pub fn actor(&self, index: usize) -> &'a Actor {
        &self.case.scenario.actors[index]
    }

    /// The open session of actor `index`.
    pub fn session(&mut self, index: usize) -> Result<&mut Session, Stop> {
        let name = &self.case.scenario.actors[index].name;
        self.sessions[index]
            .as_mut()
            .ok_or_else(|| Stop::Error(format!("{name} is not connected")))
    }

    /// Opens the sessions of `actors` one at a time, in the order given, each
    /// sending its presence (when it has one) before the next logs in. The
    /// server sees the logins in the same order every run, so what it does
    /// on a login (presence broadcasts, nodes made at bind, last items sent)
    /// reaches the same sessions every run.
    pub async fn connect(&mut self, actors: &[usize]) -> Result<(), Stop> {
        for &i in actors {
            let caps = self.actor_caps(i, None, None)?;
            let answers = super::presence::session_answers(self.actor(i).answers);
            let logged = log_in_with(self.target, self.login(i), caps.clone(), answers).await;
            self.advertised(i, caps);
            match logged {
                Ok(session) => self.seat(i, session),
                Err(e) => {
                    let stop = Stop::Error(format!("{}: {e}", self.actor(i).name));
                    if let Some(session) = e.into_session() {
                        self.seat(i, session);
                    }
                    return Err(stop);
                }
            }
        }
        Ok(())
    }

    /// How actor `index` logs in.
    fn login(&self, index: usize) -> Login<'_> {
        let actor = self.actor(index);
        Login {
            account: self.accounts.get(&actor.account).unwrap_or(&NOBODY),
            resource: &actor.resource,
            notify: &actor.notify,
            presence: actor.presence,
            origin: self.origin,
        }
    }

    /// Keeps actor `index`'s session and the JID it is bound to.
    fn seat(&mut self, index: usize, session: Session) {
        self.bound[index] = Some(session.jid().to_string());
        self.sessions[index] = Some(session);
    }

    /// Closes actor `index`'s session and keeps its transcript.
    pub async fn disconnect(&mut self, index: usize) {
        if let Some(session) = self.sessions[index].take() {
            self.retire(index, session).await;
        }
    }

    async fn retire(&mut self, index: usize, session: Session) {
        let name = self.actor(index).name.clone();
        self.unclaimed
            .extend(session.unclaimed().map(|e| (name.clone(), String::from(e))));
        let transcript = session.transcript().clone();
        session.close(Instant::now() + CLOSE_WAIT).await;
        self.finished.push((index, transcript.entries()));
    }

    /// Closes every open session at once, keeping their transcripts, for a
    /// case that stopped as an error: nothing is compared in the order the
    /// sessions end then, and a stalled link costs one wait, not one per
    /// session.
    pub async fn disconnect_all_at_once(&mut self) {
        let deadline = Instant::now() + CLOSE_WAIT;
        let mut transcripts = Vec::new();
        let mut closing = Vec::new();
        for index in 0..self.sessions.len() {
            let Some(session) = self.sessions[index].take() else {
                continue;
            };
            let name = self.actor(index).name.clone();
            self.unclaimed
                .extend(session.unclaimed().map(|e| (name.clone(), String::from(e))));
            transcripts.push((index, session.transcript().clone()));
            closing.push(session.close(deadline));
        }
        futures::future::join_all(closing).await;
        for (index, transcript) in transcripts {
            self.finished.push((index, transcript.entries()));
        }
    }

    /// The stable names of this run's accounts, bound JIDs and domain, for
    /// normalised output.
    pub fn aliases(&self) -> Vec<Alias> {
        let domain = &self.target.endpoint.domain;
        let mut aliases = vec![
            Alias::new(domain.clone(), "{domain}"),
            Alias::new(self.unique.clone(), "{unique}"),
        ];
        for (kind, jid) in &self.target.services {
            aliases.push(Alias::new(jid.clone(), format!("{{service:{kind}}}")));
        }
        aliases.extend(self.varying_vers.iter().cloned());
        for (alias, account) in &self.accounts {
            aliases.push(Alias::new(
                format!("{}@{domain}", account.username),
                format!("{{{alias}}}"),
            ));
            // A pre-made account's name is the same every run, and may be a
            // common word ("admin") that a bare replacement would find
            // inside other values.
            if self.case.scenario.role_of(alias).is_none() {
                aliases.push(Alias::new(
                    account.username.clone(),
                    format!("{{{alias}:username}}"),
                ));
            }
        }
        for (actor, bound) in self.case.scenario.actors.iter().zip(&self.bound) {
            if let Some(jid) = bound {
                aliases.push(Alias::new(jid.clone(), format!("{{{}}}", actor.name)));
            }
        }
        aliases
    }

    /// Closes every session, cleans and gives back leased accounts, and
    /// returns the whole transcript in time order, with every account
    /// password replaced by `{alias:password}`.
    pub async fn finish(&mut self) -> Vec<ActorEntry> {
        for i in 0..self.sessions.len() {
            self.disconnect(i).await;
        }
        self.clean_leased_accounts().await;
        let accounts = &self.accounts;
        let mut all: Vec<ActorEntry> = self
            .finished
            .iter()
            .flat_map(|(i, entries)| {
                let actor = self.case.scenario.actors[*i].name.clone();
                entries.iter().map(move |e| ActorEntry {
                    actor: actor.clone(),
                    at_ms: e.at.as_secs_f64() * 1000.0,
                    direction: match e.direction {
                        crate::session::Direction::In => Direction::In,
                        crate::session::Direction::Out => Direction::Out,
                    },
                    xml: redact(e.xml(), accounts),
                    automatic: e.automatic,
                })
            })
            .collect();
        all.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
        all
    }

    /// Fills the placeholders of `text`: `{id}` is `id`, and `{any}` and
    /// captures stay for the matcher.
    pub fn fill(&self, text: &str, id: Option<&str>) -> Result<String, Stop> {
        let domain = &self.target.endpoint.domain;
        render(text, true, |name| {
            if name == "domain" {
                return Some(domain.clone());
            }
            if name == "id" {
                return id.map(str::to_owned);
            }
            if name == "unique" {
                return Some(self.unique.clone());
            }
            if let Some(kind) = name.strip_prefix("service:") {
                return self.target.services.get(kind).cloned();
            }
            if let Some(actor) = name.strip_prefix("caps:") {
                return self.caps_node_ver(actor);
            }
            if let Some(account) = self.accounts.get(name) {
                return Some(format!("{}@{domain}", account.username));
            }
            if let Some(i) = self
                .case
                .scenario
                .actors
                .iter()
                .position(|a| a.name == name)
            {
                let actor = &self.case.scenario.actors[i];
                return self.bound[i].clone().or_else(|| {
                    let account = self.accounts.get(&actor.account)?;
                    Some(format!("{}@{domain}/{}", account.username, actor.resource))
                });
            }
            if let Some(value) = self.case.params.get(name) {
                return Some(value.clone());
            }
            self.captures.get(name).cloned()
        })
        .map_err(|e| Stop::Error(format!("placeholder: {}", e.message)))
    }

    /// Fills and parses a stanza or template.
    pub fn stanza(&self, text: &str, id: Option<&str>) -> Result<Element, Stop> {
        let filled = self.fill(text, id)?;
        parse_stanza(&filled)
            .map_err(|e| Stop::Error(format!("stanza after filling placeholders: {}", e.message)))
    }

    /// A fresh stanza id for this case.
    pub fn fresh_id(&mut self) -> String {
        self.ids += 1;
        format!("xs{}", self.ids)
    }
}

/// `xml` with every account's password replaced by a placeholder.
fn redact(mut xml: String, accounts: &BTreeMap<String, Account>) -> String {
    for (alias, account) in accounts {
        if !account.password.is_empty() && xml.contains(&account.password) {
            xml = xml.replace(&account.password, &format!("{{{alias}:password}}"));
        }
    }
    xml
}
