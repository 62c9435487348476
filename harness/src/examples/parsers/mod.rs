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

// One row of the table; it is used in the child module `table`, hence
// `super::attempt`.
macro_rules! entry {
    ($ns:expr, $name:expr, $($ty:ident)::+) => {
        Parser {
            namespace: $ns,
            name: $name,
            type_name: stringify!($($ty)::+),
            parse: super::attempt::<$($ty)::+>,
        }
    };
}

mod table;
pub use table::PARSERS;

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
