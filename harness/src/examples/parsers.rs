//! Which payloads xmpp-parsers understands, and parsing them with it.
//!
//! The table lists every element type of xmpp-parsers 0.23 with a fixed
//! namespace, by (namespace, element name); `*` stands for types that
//! choose among several element names of their namespace (chat states,
//! conditions). It was made from the crate's sources; when the crate is
//! upgraded, types it gains are simply not tried until listed here.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

use minidom::Element;
use xmpp_parsers::FromElementError;
#[allow(clippy::wildcard_imports)]
use xmpp_parsers::*;

/// What a parse attempt says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The type does not describe this element (another name or shape).
    Mismatch,
    /// The type parsed it.
    Parsed,
    /// The type describes this element and rejects it, saying why.
    Rejected(String),
}

/// A parser for one element type.
pub struct Parser {
    /// The element's namespace.
    pub namespace: &'static str,
    /// Its name, or `*` for any name in the namespace.
    pub name: &'static str,
    /// The Rust type, for messages (`pubsub::pubsub::PubSub`).
    pub type_name: &'static str,
    /// Parses a copy of the element.
    pub parse: fn(&Element) -> Outcome,
}

/// Parses with `T`. Some inputs make xmpp-parsers panic (an assertion in a
/// text codec, for one); a panic is caught, kept quiet, and reported as a
/// rejection, since a checker must not die on a spec's example.
fn attempt<T: TryFrom<Element, Error = FromElementError>>(element: &Element) -> Outcome {
    let element = element.clone();
    let result = quietly(AssertUnwindSafe(move || T::try_from(element)));
    match result {
        Ok(Ok(_)) => Outcome::Parsed,
        Ok(Err(FromElementError::Mismatch(_))) => Outcome::Mismatch,
        Ok(Err(FromElementError::Invalid(e))) => Outcome::Rejected(e.to_string()),
        Err(message) => Outcome::Rejected(format!("xmpp-parsers panicked: {message}")),
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic without printing it; other threads' panics
/// print as before.
fn quietly<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> Result<R, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(f);
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .map(|s| s.lines().collect::<Vec<_>>().join(" "))
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic".to_owned())
    })
}

macro_rules! entry {
    ($ns:expr, $name:expr, $($ty:ident)::+) => {
        Parser {
            namespace: $ns,
            name: $name,
            type_name: stringify!($($ty)::+),
            parse: attempt::<$($ty)::+>,
        }
    };
}

/// The parsers for elements named `name` in `namespace`.
pub fn parsers_for<'a>(
    namespace: &'a str,
    name: &'a str,
) -> impl Iterator<Item = &'static Parser> + 'a {
    PARSERS
        .iter()
        .filter(move |p| p.namespace == namespace && (p.name == name || p.name == "*"))
}

/// Whether xmpp-parsers implements `namespace`.
pub fn understands(namespace: &str) -> bool {
    PARSERS.iter().any(|p| p.namespace == namespace)
}

/// Every element type tried, by namespace and name.
pub static PARSERS: &[Parser] = &[
    entry!(ns::DEFAULT_NS, "iq", iq::Iq),
    entry!(ns::DEFAULT_NS, "message", message::Message),
    entry!(ns::DEFAULT_NS, "presence", presence::Presence),
    entry!(ns::ATTENTION, "attention", attention::Attention),
    entry!(ns::AVATAR_METADATA, "metadata", avatar::Metadata),
    entry!(ns::AVATAR_METADATA, "info", avatar::Info),
    entry!(ns::AVATAR_DATA, "data", avatar::Data),
    entry!(ns::BIND, "bind", bind::BindFeature),
    entry!(ns::BIND, "bind", bind::BindQuery),
    entry!(ns::BIND, "bind", bind::BindResponse),
    entry!(ns::BIND2, "bind", bind2::BindFeature),
    entry!(ns::BIND2, "bind", bind2::BindQuery),
    entry!(ns::BIND2, "bound", bind2::Bound),
    entry!(ns::BLOCKING, "blocklist", blocking::BlocklistRequest),
    entry!(ns::BLOCKING, "blocklist", blocking::BlocklistResult),
    entry!(ns::BLOCKING, "block", blocking::Block),
    entry!(ns::BLOCKING, "unblock", blocking::Unblock),
    entry!(ns::BLOCKING_ERRORS, "blocked", blocking::Blocked),
    entry!(ns::BOB, "data", bob::Data),
    entry!(ns::BOOKMARKS, "conference", bookmarks::Conference),
    entry!(ns::BOOKMARKS, "url", bookmarks::Url),
    entry!(ns::BOOKMARKS, "storage", bookmarks::Storage),
    entry!(ns::BOOKMARKS2, "extensions", bookmarks2::Extensions),
    entry!(ns::BOOKMARKS2, "conference", bookmarks2::Conference),
    entry!(ns::CAM, "list", cam::List),
    entry!(ns::CAM, "user-agent", cam::UserAgent),
    entry!(ns::CAM, "auth", cam::Auth),
    entry!(ns::CAM, "permission", cam::Permission),
    entry!(ns::CAM, "client", cam::Client),
    entry!(ns::CAM, "clients", cam::Clients),
    entry!(ns::CAM, "revoke", cam::Revoke),
    entry!(
        ns::CAM,
        "password-reset-required",
        cam::PasswordResetRequiredError
    ),
    entry!(ns::CAPS, "c", caps::Caps),
    entry!(ns::CARBONS, "enable", carbons::Enable),
    entry!(ns::CARBONS, "disable", carbons::Disable),
    entry!(ns::CARBONS, "private", carbons::Private),
    entry!(ns::CARBONS, "received", carbons::Received),
    entry!(ns::CARBONS, "sent", carbons::Sent),
    entry!(ns::SASL_CERT, "x509cert", cert_management::Cert),
    entry!(ns::SASL_CERT, "append", cert_management::Append),
    entry!(ns::SASL_CERT, "items", cert_management::ListCertsQuery),
    entry!(ns::SASL_CERT, "users", cert_management::Users),
    entry!(ns::SASL_CERT, "item", cert_management::Item),
    entry!(ns::SASL_CERT, "items", cert_management::ListCertsResponse),
    entry!(ns::SASL_CERT, "disable", cert_management::Disable),
    entry!(ns::SASL_CERT, "revoke", cert_management::Revoke),
    entry!(ns::CHATSTATES, "*", chatstates::ChatState),
    entry!(ns::COMPONENT, "handshake", component::Handshake),
    entry!(ns::HTTP_AUTH, "confirm", confirm::Confirm),
    entry!(ns::CSI, "csi", csi::Feature),
    entry!(ns::CSI, "inactive", csi::Inactive),
    entry!(ns::CSI, "active", csi::Active),
    entry!(ns::DATA_FORMS, "option", data_forms::Option_),
    entry!(ns::DATA_FORMS, "field", data_forms::Field),
    entry!(ns::DATA_FORMS, "x", data_forms::DataForm),
    entry!(ns::XDATA_VALIDATE, "*", data_forms_validate::Method),
    entry!(
        ns::XDATA_VALIDATE,
        "list-range",
        data_forms_validate::ListRange
    ),
    entry!(
        ns::XDATA_VALIDATE,
        "validate",
        data_forms_validate::Validate
    ),
    entry!(ns::DELAY, "delay", delay::Delay),
    entry!(ns::DISCO_INFO, "query", disco::DiscoInfoQuery),
    entry!(ns::DISCO_INFO, "identity", disco::Identity),
    entry!(ns::DISCO_INFO, "query", disco::DiscoInfoResult),
    entry!(ns::DISCO_ITEMS, "query", disco::DiscoItemsQuery),
    entry!(ns::DISCO_ITEMS, "item", disco::Item),
    entry!(ns::DISCO_ITEMS, "query", disco::DiscoItemsResult),
    entry!(
        ns::DISPLAYED_MARKERS,
        "markable",
        displayed_markers::Markable
    ),
    entry!(
        ns::DISPLAYED_MARKERS,
        "displayed",
        displayed_markers::Displayed
    ),
    entry!(ns::ECAPS2, "c", ecaps2::ECaps2),
    entry!(ns::EME, "encryption", eme::ExplicitMessageEncryption),
    entry!(ns::EXT_DISCO, "service", extdisco::Service),
    entry!(ns::EXT_DISCO, "services", extdisco::ServicesQuery),
    entry!(ns::EXT_DISCO, "services", extdisco::ServicesResult),
    entry!(ns::EXT_DISCO, "credentials", extdisco::Credentials),
    entry!(ns::FAST, "fast", fast::FastQuery),
    entry!(ns::FAST, "fast", fast::FastResponse),
    entry!(ns::FAST, "request-token", fast::RequestToken),
    entry!(ns::FAST, "token", fast::Token),
    entry!(ns::FORWARD, "forwarded", forwarding::Forwarded),
    entry!(ns::HASHES, "hash", hashes::Hash),
    entry!(ns::HTTP_UPLOAD, "request", http_upload::SlotRequest),
    entry!(ns::HTTP_UPLOAD, "header", http_upload::Header),
    entry!(ns::HTTP_UPLOAD, "put", http_upload::Put),
    entry!(ns::HTTP_UPLOAD, "get", http_upload::Get),
    entry!(ns::HTTP_UPLOAD, "slot", http_upload::SlotResult),
    entry!(ns::IBB, "open", ibb::Open),
    entry!(ns::IBB, "data", ibb::Data),
    entry!(ns::IBB, "close", ibb::Close),
    entry!(ns::REGISTER, "query", ibr::FieldsQuery),
    entry!(ns::REGISTER, "query", ibr::RemoveQuery),
    entry!(ns::REGISTER, "query", ibr::LegacyQuery),
    entry!(ns::REGISTER, "query", ibr::FormQuery),
    entry!(ns::IDLE, "idle", idle::Idle),
    entry!(ns::JID_PREP, "jid", jid_prep::JidPrepQuery),
    entry!(ns::JID_PREP, "jid", jid_prep::JidPrepResponse),
    entry!(ns::JINGLE, "security", jingle::Security),
    entry!(ns::JINGLE, "content", jingle::Content),
    entry!(ns::JINGLE, "*", jingle::Reason),
    entry!(ns::JINGLE, "reason", jingle::ReasonElement),
    entry!(ns::JINGLE, "jingle", jingle::Jingle),
    entry!(ns::JINGLE_CONTENT, "category", jingle_content::Category),
    entry!(
        ns::JINGLE_DTLS,
        "fingerprint",
        jingle_dtls_srtp::Fingerprint
    ),
    entry!(ns::JINGLE_FT, "range", jingle_ft::Range),
    entry!(ns::JINGLE_FT, "file", jingle_ft::File),
    entry!(ns::JINGLE_FT, "description", jingle_ft::Description),
    entry!(ns::JINGLE_FT, "checksum", jingle_ft::Checksum),
    entry!(ns::JINGLE_FT, "received", jingle_ft::Received),
    entry!(ns::JINGLE_GROUPING, "content", jingle_grouping::Content),
    entry!(ns::JINGLE_GROUPING, "group", jingle_grouping::Group),
    entry!(ns::JINGLE_IBB, "transport", jingle_ibb::Transport),
    entry!(ns::JINGLE_ICE_UDP, "transport", jingle_ice_udp::Transport),
    entry!(ns::JINGLE_ICE_UDP, "candidate", jingle_ice_udp::Candidate),
    entry!(ns::JINGLE_MESSAGE, "*", jingle_message::JingleMI),
    entry!(ns::JINGLE_RAW_UDP, "transport", jingle_raw_udp::Transport),
    entry!(ns::JINGLE_RAW_UDP, "candidate", jingle_raw_udp::Candidate),
    entry!(ns::JINGLE_RTCP_FB, "rtcp-fb", jingle_rtcp_fb::RtcpFb),
    entry!(ns::JINGLE_RTP, "description", jingle_rtp::Bandwidth),
    entry!(ns::JINGLE_RTP, "description", jingle_rtp::Description),
    entry!(ns::JINGLE_RTP, "payload-type", jingle_rtp::PayloadType),
    entry!(ns::JINGLE_RTP, "parameter", jingle_rtp::Parameter),
    entry!(
        ns::JINGLE_RTP_HDREXT,
        "rtp-hdrext",
        jingle_rtp_hdrext::RtpHdrext
    ),
    entry!(ns::JINGLE_S5B, "candidate", jingle_s5b::Candidate),
    entry!(ns::JINGLE_SSMA, "source", jingle_ssma::Source),
    entry!(ns::JINGLE_SSMA, "parameter", jingle_ssma::Parameter),
    entry!(ns::JINGLE_SSMA, "ssrc-group", jingle_ssma::Group),
    entry!(
        ns::JINGLE_THUMBNAILS,
        "thumbnail",
        jingle_thumbnails::Thumbnail
    ),
    entry!(ns::JSON_CONTAINERS, "json", json_containers::JsonContainer),
    entry!(ns::LEGACY_OMEMO, "device", legacy_omemo::Device),
    entry!(ns::LEGACY_OMEMO, "list", legacy_omemo::DeviceList),
    entry!(
        ns::LEGACY_OMEMO,
        "signedPreKeyPublic",
        legacy_omemo::SignedPreKeyPublic
    ),
    entry!(
        ns::LEGACY_OMEMO,
        "signedPreKeySignature",
        legacy_omemo::SignedPreKeySignature
    ),
    entry!(ns::LEGACY_OMEMO, "identityKey", legacy_omemo::IdentityKey),
    entry!(ns::LEGACY_OMEMO, "prekeys", legacy_omemo::Prekeys),
    entry!(ns::LEGACY_OMEMO, "preKeyPublic", legacy_omemo::PreKeyPublic),
    entry!(ns::LEGACY_OMEMO, "bundle", legacy_omemo::Bundle),
    entry!(ns::LEGACY_OMEMO, "header", legacy_omemo::Header),
    entry!(ns::LEGACY_OMEMO, "iv", legacy_omemo::IV),
    entry!(ns::LEGACY_OMEMO, "key", legacy_omemo::Key),
    entry!(ns::LEGACY_OMEMO, "payload", legacy_omemo::Payload),
    entry!(ns::LEGACY_OMEMO, "encrypted", legacy_omemo::Encrypted),
    entry!(ns::MAM, "query", mam::Query),
    entry!(ns::MAM, "result", mam::Result_),
    entry!(ns::MAM, "fin", mam::Fin),
    entry!(ns::MAM, "start", mam::Start),
    entry!(ns::MAM, "end", mam::End),
    entry!(ns::MAM, "metadata", mam::MetadataQuery),
    entry!(ns::MAM, "metadata", mam::MetadataResponse),
    entry!(ns::MAM, "prefs", mam_prefs::Prefs),
    entry!(ns::MEDIA_ELEMENT, "uri", media_element::Uri),
    entry!(ns::MEDIA_ELEMENT, "media", media_element::MediaElement),
    entry!(ns::DEFAULT_NS, "thread", message::Thread),
    entry!(ns::MESSAGE_CORRECT, "replace", message_correct::Replace),
    entry!(ns::MDS, "displayed", message_displayed::Displayed),
    entry!(ns::MOOD, "*", mood::MoodEnum),
    entry!(ns::OID, "occupant-id", occupant_id::OccupantId),
    entry!(ns::OOB, "x", oob::Oob),
    entry!(ns::OX, "data", openpgp::PubKeyData),
    entry!(ns::OX, "pubkey", openpgp::PubKey),
    entry!(ns::OX, "pubkey-metadata", openpgp::PubKeyMeta),
    entry!(ns::OX, "public-key-list", openpgp::PubKeysMeta),
    entry!(ns::PING, "ping", ping::Ping),
    entry!(ns::DEFAULT_NS, "priority", presence::Priority),
    entry!(ns::PRIVATE, "query", private::Query),
    entry!(ns::PUSH, "enable", push::Enable),
    entry!(ns::PUSH, "disable", push::Disable),
    entry!(ns::PUSH, "notification", push::Notification),
    entry!(ns::REACTIONS, "reactions", reactions::Reactions),
    entry!(ns::REACTIONS, "reaction", reactions::Reaction),
    entry!(ns::RECEIPTS, "request", receipts::Request),
    entry!(ns::RECEIPTS, "received", receipts::Received),
    entry!(ns::ROSTER, "item", roster::Item),
    entry!(ns::ROSTER, "query", roster::Roster),
    entry!(ns::RSM, "set", rsm::SetQuery),
    entry!(ns::RSM, "first", rsm::First),
    entry!(ns::RSM, "set", rsm::SetResult),
    entry!(ns::RTT, "*", rtt::Action),
    entry!(ns::RTT, "rtt", rtt::Rtt),
    entry!(ns::SASL, "auth", sasl::Auth),
    entry!(ns::SASL, "challenge", sasl::Challenge),
    entry!(ns::SASL, "response", sasl::Response),
    entry!(ns::SASL, "abort", sasl::Abort),
    entry!(ns::SASL, "success", sasl::Success),
    entry!(ns::SASL, "*", sasl::DefinedCondition),
    entry!(ns::SASL, "failure", sasl::Failure),
    entry!(ns::SASL2, "authentication", sasl2::Authentication),
    entry!(ns::SASL2, "inline", sasl2::InlineFeatures),
    entry!(ns::SASL2, "abort", sasl2::Abort),
    entry!(ns::SASL2, "user-agent", sasl2::UserAgent),
    entry!(ns::SASL2, "authenticate", sasl2::Authenticate),
    entry!(ns::SASL2, "challenge", sasl2::Challenge),
    entry!(ns::SASL2, "response", sasl2::Response),
    entry!(ns::SASL2, "success", sasl2::Success),
    entry!(ns::SASL2, "failure", sasl2::Failure),
    entry!(ns::SASL2, "continue", sasl2::Continue),
    entry!(ns::SASL2, "next", sasl2::Next),
    entry!(ns::SASL2, "task-data", sasl2::TaskData),
    entry!(
        ns::SASL_CB,
        "sasl-channel-binding",
        sasl_cb::SaslChannelBinding
    ),
    entry!(ns::SM, "a", sm::A),
    entry!(ns::SM, "enable", sm::Enable),
    entry!(ns::SM, "enabled", sm::Enabled),
    entry!(ns::SM, "failed", sm::Failed),
    entry!(ns::SM, "r", sm::R),
    entry!(ns::SM, "resume", sm::Resume),
    entry!(ns::SM, "resumed", sm::Resumed),
    entry!(ns::SM, "sm", sm::StreamManagement),
    entry!(ns::SM, "handled-count-too-high", sm::HandledCountTooHigh),
    entry!(ns::SPAM_REPORTING, "report", spam_reporting::Report),
    entry!(ns::XMPP_STANZAS, "*", stanza_error::DefinedCondition),
    entry!(ns::DEFAULT_NS, "error", stanza_error::StanzaError),
    entry!(ns::SID, "stanza-id", stanza_id::StanzaId),
    entry!(ns::SID, "origin-id", stanza_id::OriginId),
    entry!(ns::TLS, "starttls", starttls::Request),
    entry!(ns::TLS, "proceed", starttls::Proceed),
    entry!(ns::TLS, "failure", starttls::Failure),
    entry!(ns::TLS, "starttls", starttls::StartTls),
    entry!(ns::STREAM, "stream", stream::Stream),
    entry!(ns::XMPP_STREAMS, "*", stream_error::DefinedCondition),
    entry!(ns::STREAM, "error", stream_error::StreamError),
    entry!(ns::STREAM, "features", stream_features::StreamFeatures),
    entry!(ns::STREAM_LIMITS, "limits", stream_limits::Limits),
    entry!(ns::TIME, "time", time::TimeQuery),
    entry!(ns::TIME, "time", time::TimeResult),
    entry!(ns::TUNE, "tune", tune::Tune),
    entry!(ns::VCARD, "PHOTO", vcard::Photo),
    entry!(ns::VCARD, "TYPE", vcard::Type),
    entry!(ns::VCARD, "BINVAL", vcard::Binval),
    entry!(ns::VCARD, "vCard", vcard::VCard),
    entry!(ns::VCARD, "vCard", vcard::VCardQuery),
    entry!(ns::VCARD_UPDATE, "x", vcard_update::VCardUpdate),
    entry!(ns::VCARD_UPDATE, "photo", vcard_update::Photo),
    entry!(ns::VERSION, "query", version::VersionQuery),
    entry!(ns::VERSION, "query", version::VersionResult),
    entry!(ns::WEBSOCKET, "open", websocket::Open),
    entry!(ns::MAV, "mav", muc::mav::AffiliationsVersioning),
    entry!(ns::MUC, "history", muc::muc::History),
    entry!(ns::MUC, "x", muc::muc::Muc),
    entry!(ns::MUC_USER, "actor", muc::user::Actor),
    entry!(ns::MUC_USER, "continue", muc::user::Continue),
    entry!(ns::MUC_USER, "item", muc::user::Item),
    entry!(ns::MUC_USER, "invite", muc::user::Invite),
    entry!(ns::MUC_USER, "decline", muc::user::Decline),
    entry!(ns::MUC_USER, "x", muc::user::MucUser),
    entry!(ns::PUBSUB_EVENT, "item", pubsub::event::Item),
    entry!(ns::PUBSUB_EVENT, "event", pubsub::event::Event),
    entry!(ns::PUBSUB_EVENT, "*", pubsub::event::Payload),
    entry!(ns::PUBSUB_OWNER, "affiliation", pubsub::owner::Affiliation),
    entry!(
        ns::PUBSUB_OWNER,
        "subscription",
        pubsub::owner::SubscriptionElem
    ),
    entry!(ns::PUBSUB_OWNER, "pubsub", pubsub::owner::Owner),
    entry!(ns::PUBSUB_OWNER, "*", pubsub::owner::Payload),
    entry!(ns::PUBSUB, "affiliations", pubsub::pubsub::Affiliations),
    entry!(ns::PUBSUB, "affiliation", pubsub::pubsub::Affiliation),
    entry!(ns::PUBSUB, "configure", pubsub::pubsub::Configure),
    entry!(ns::PUBSUB, "create", pubsub::pubsub::Create),
    entry!(ns::PUBSUB, "default", pubsub::pubsub::Default),
    entry!(ns::PUBSUB, "items", pubsub::pubsub::Items),
    entry!(ns::PUBSUB, "item", pubsub::pubsub::Item),
    entry!(ns::PUBSUB, "options", pubsub::pubsub::Options),
    entry!(ns::PUBSUB, "publish", pubsub::pubsub::Publish),
    entry!(
        ns::PUBSUB,
        "publish-options",
        pubsub::pubsub::PublishOptions
    ),
    entry!(ns::PUBSUB, "retract", pubsub::pubsub::Retract),
    entry!(
        ns::PUBSUB,
        "subscribe-options",
        pubsub::pubsub::SubscribeOptions
    ),
    entry!(ns::PUBSUB, "subscribe", pubsub::pubsub::Subscribe),
    entry!(ns::PUBSUB, "subscriptions", pubsub::pubsub::Subscriptions),
    entry!(ns::PUBSUB, "subscription", pubsub::pubsub::SubscriptionElem),
    entry!(ns::PUBSUB, "unsubscribe", pubsub::pubsub::Unsubscribe),
    entry!(ns::PUBSUB, "pubsub", pubsub::pubsub::PubSub),
    entry!(ns::XHTML_IM, "html", xhtml::XhtmlIm),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(xml: &str) -> Vec<Outcome> {
        let el = crate::stanza::parse::parse_stanza(xml).unwrap();
        parsers_for(&el.ns(), el.name())
            .map(|p| (p.parse)(&el))
            .collect()
    }

    #[test]
    fn parses_accepts_and_rejects() {
        assert_eq!(
            outcome("<ping xmlns='urn:xmpp:ping'/>"),
            vec![Outcome::Parsed]
        );
        let bad = outcome("<delay xmlns='urn:xmpp:delay' stamp='yesterday'/>");
        assert!(matches!(&bad[..], [Outcome::Rejected(_)]), "{bad:?}");
        assert!(understands("urn:xmpp:bookmarks:1"));
        assert!(!understands("urn:example:nothing"));
    }

    #[test]
    fn a_panic_inside_the_parser_is_a_rejection() {
        // An odd number of hex digits trips an assertion in xso 0.4.
        let odd = "<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='active'>0:AB</fingerprint>";
        let outcomes = outcome(odd);
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, Outcome::Rejected(m) if m.contains("panicked"))),
            "{outcomes:?}"
        );
    }
}
