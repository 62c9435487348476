//! The declarative scenario format, as serde types. One TOML file is one
//! scenario; `scenarios/README.md` documents it with an example, and
//! `xepspec schema` prints the JSON Schema generated from these types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

/// A scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Stable identifier; defaults to the file's path under `scenarios/`
    /// without `.toml` (e.g. `xep-0060/7.1.5-precondition-not-met`).
    pub id: Option<String>,
    /// One line saying what is checked.
    pub title: String,
    /// The specification text this scenario checks.
    pub spec: SpecRef,
    /// Which reading the scenario takes where servers or specs disagree.
    #[serde(default)]
    pub comment: Option<String>,
    /// Features the server must advertise, or the case is `unsupported`.
    #[serde(default)]
    pub requires: Requirements,
    /// Named value lists; the scenario runs once per combination.
    #[serde(default)]
    pub parameters: BTreeMap<String, Vec<String>>,
    /// Values of a parameter that mean the same (e.g. the lexical forms of
    /// one xs:boolean value): per parameter, classes of equivalent values.
    /// Cases that differ only in values of one class must grade alike on
    /// every target.
    #[serde(default)]
    pub equivalent: BTreeMap<String, Vec<Vec<String>>>,
    /// The clients taking part, by `account/resource`.
    #[serde(rename = "actor")]
    pub actors: Vec<ActorDef>,
    /// What happens, in order.
    #[serde(rename = "step")]
    #[schemars(with = "Vec<StepDef>")]
    pub steps: Vec<Spanned<StepDef>>,
}

/// Where the requirement comes from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SpecRef {
    /// XEP number (`223`), or 0 for an RFC (whose number `versions` gives).
    pub xep: u32,
    /// Versions of the XEP the requirement holds in (`["1.0", "1.1.1"]`);
    /// for an RFC, its number (`["6120"]`).
    pub versions: Vec<String>,
    /// Section number (`4.1`, `7.1.5`).
    pub section: String,
    /// The requirement, quoted as far as traceability needs.
    pub quote: String,
    /// The requirement's keyword level.
    pub level: Level,
}

/// How reports name the specification a case checks: `XEP-0060`, or `RFC`
/// for an RFC (`xep = 0`; its number is the case's version).
pub fn spec_name(xep: u32) -> String {
    if xep == 0 {
        "RFC".to_owned()
    } else {
        format!("XEP-{xep:04}")
    }
}

/// RFC 2119 levels; they decide how a failure is graded.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
pub enum Level {
    /// MUST, MUST NOT, REQUIRED, SHALL: a failure grades `fail`.
    #[serde(rename = "MUST")]
    Must,
    /// SHOULD, SHOULD NOT, RECOMMENDED: a failure grades `non-strict`.
    #[serde(rename = "SHOULD")]
    Should,
    /// MAY, OPTIONAL: a failure grades `unsupported`.
    #[serde(rename = "MAY")]
    May,
}

impl Level {
    /// The keyword as the RFC writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
        }
    }
}

/// Disco features that must be advertised before the steps are worth running.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Features of the server's domain (disco#info to `{domain}`).
    #[serde(default)]
    pub server: Vec<String>,
    /// Features of the first actor's bare JID (the account's PEP service).
    #[serde(default)]
    pub account: Vec<String>,
    /// Services the target must declare (`pubsub`, `muc`), addressed as
    /// `{service:pubsub}`; on a target without one the case is
    /// `unsupported` and no step runs.
    #[serde(default)]
    pub services: Vec<String>,
}

/// One client: a resource of an account.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorDef {
    /// `account/resource`, e.g. `juliet/balcony`. Accounts are made fresh for
    /// every case; the alias only names them inside the scenario.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Send initial presence after login (default true).
    #[serde(default = "yes")]
    pub presence: bool,
    /// Namespaces this client wants notifications for: advertised in caps as
    /// `<namespace>+notify` (XEP-0163 filtered notifications).
    #[serde(default)]
    pub notify: Vec<String>,
    /// Connect before the first step (default true); otherwise a `connect`
    /// step brings it in.
    #[serde(default = "yes")]
    pub connected: bool,
    /// A role (`admin`): the actor's account is one the target made
    /// beforehand with that role (`[[target.account]]`), leased to one case
    /// at a time, instead of a fresh one. A target without such an account
    /// grades the case `unsupported`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub account: Option<Spanned<String>>,
    /// The caps node this client advertises (XEP-0115 `node`, a URI without
    /// `#`); default: the harness's own.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub caps_node: Option<Spanned<String>>,
    /// Features this client advertises in its caps besides the `+notify`
    /// ones (and the harness's own: caps, disco#info, ping).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub features: Option<Spanned<Vec<String>>>,
    /// Who answers the requests the server sends this client: `auto` (the
    /// session, as a well-behaved client) or `scenario` (pings only; the
    /// steps `expect` the rest and answer with a `send`, or do not).
    #[serde(default)]
    pub answers: Answers,
}

/// Who answers the requests (IQ get and set) the server sends a client.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Answers {
    /// The session answers on its own: pings, disco#info (its caps node
    /// among them), an error for anything else.
    #[default]
    Auto,
    /// The session answers pings only; everything else reaches the scenario.
    Scenario,
}

fn yes() -> bool {
    true
}

/// One step, in the file's words.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// The actor that sends `xml`.
    #[serde(default)]
    pub send: Option<String>,
    /// The actor that must receive a stanza matching `xml`.
    #[serde(default)]
    pub expect: Option<String>,
    /// The actor that must receive nothing matching `xml` (checked after a
    /// round trip to the server, never after a fixed sleep).
    #[serde(default)]
    pub expect_none: Option<String>,
    /// Expectations that may be met in any order, across actors.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ExpectDef>>")]
    pub any_order: Option<Vec<Spanned<ExpectDef>>>,
    /// Expectations that must all be met, each actor's in the order listed
    /// (the order between different actors is not checked).
    #[serde(default)]
    #[schemars(with = "Option<Vec<ExpectDef>>")]
    pub in_order: Option<Vec<Spanned<ExpectDef>>>,
    /// The actor at which nothing has arrived that no expectation claimed,
    /// the session's own automatic traffic aside (proven by round trips,
    /// never by a fixed sleep).
    #[serde(default)]
    pub silence: Option<String>,
    /// Close this actor's session.
    #[serde(default)]
    pub disconnect: Option<String>,
    /// Open this actor's session (again).
    #[serde(default)]
    pub connect: Option<String>,
    /// This actor sends presence now: available with its caps, or `xml`
    /// (a `<presence/>` stanza) if given.
    #[serde(default)]
    pub presence: Option<String>,
    /// On a `presence` step: the namespaces of `+notify` interest from now
    /// on, replacing the actor's.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub notify: Option<Spanned<Vec<String>>>,
    /// On a `presence` step: the features advertised from now on, replacing
    /// the actor's `features`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub features: Option<Spanned<Vec<String>>>,
    /// The stanza, as the XEP prints it, with `{placeholders}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub xml: Option<Spanned<String>>,
    /// Extra attributes and children make a stanza not match.
    #[serde(default)]
    pub strict: bool,
    /// Milliseconds to wait for an expectation (default 2000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Level of this step's check, when it differs from the scenario's.
    #[serde(default)]
    pub level: Option<Level>,
    /// What this step checks, for the reader and the report.
    #[serde(default)]
    pub note: Option<String>,
    /// Marks an expectation that only sets the stage for the scenario's own
    /// requirement (the node the case then examines was created, the item
    /// it then retracts was published), naming the scenarios or cases that
    /// test this step's requirement themselves. When it does not hold, the
    /// case is blocked by it rather than failed.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub setup: Option<Spanned<Vec<String>>>,
}

/// One expectation inside `any_order` or `in_order`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectDef {
    /// The actor that must receive it.
    pub expect: String,
    /// The stanza template.
    #[schemars(with = "String")]
    pub xml: Spanned<String>,
    /// Extra attributes and children make a stanza not match.
    #[serde(default)]
    pub strict: bool,
}
