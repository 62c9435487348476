//! Offline properties: plain functions from one generated value to a
//! verdict, so that `cargo test` and `xepspec fuzz` run the same checks.
//! `Err` is a counterexample; `Ok(Outcome::Known(..))` is a known deviation
//! met (see `fuzz::deviations`).

use std::path::Path;

use minidom::Element;
use xmpp_parsers::bookmarks::Storage;
use xmpp_parsers::bookmarks2;
use xmpp_parsers::caps::{compute_disco, hash_caps};
use xmpp_parsers::data_forms::DataForm;
use xmpp_parsers::disco::DiscoInfoResult;
use xmpp_parsers::hashes::Algo;

use super::caps_reference::{Rules, ver_sha1, verification_string};
use super::deviations::{self, Deviation};
use super::strategies::{
    BookmarkStorage, BooleanForm, Conference, DiscoInfo, FormField, PubsubSubscription,
    pubsub_subscriptions_xml,
};
use crate::ns;
use crate::scenario::load_str;
use crate::stanza::canonical::canonical;
use crate::stanza::matching::matches;
use crate::stanza::normalise::{Alias, mask_opaque, replace_values, sort_unordered};
use crate::stanza::parse::{line_column, parse_stanza, parse_stanzas};

/// A property's verdict on one value that is not a counterexample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The property holds.
    Holds,
    /// The value meets a known deviation; the property holds otherwise.
    Known(&'static Deviation),
}

/// A verdict: `Err` carries what went wrong.
pub type Checked = Result<Outcome, String>;

fn parse(text: &str) -> Result<Element, String> {
    parse_stanza(text).map_err(|e| format!("generated XML does not parse: {e:?}\n{text}"))
}

/// canonical ∘ parse ∘ canonical = canonical on `el`.
fn canonical_is_stable(el: &Element) -> Result<(), String> {
    let once = canonical(el);
    let again = canonical(&parse(&once)?);
    if once == again {
        Ok(())
    } else {
        Err(format!("canonical text not stable:\n{once}\n{again}"))
    }
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: parsed {got:?}, generated {want:?}"))
    }
}

/// XEP-0402 conference: xmpp-parsers reads what was written, writes what it
/// read, and reads that back the same; `:0` is not taken for `:1`.
pub fn conference_round_trip(c: &Conference) -> Checked {
    let el = parse(&c.xml())?;
    canonical_is_stable(&el)?;
    let parsed = bookmarks2::Conference::try_from(el.clone());
    if c.ns != ns::BOOKMARKS2 {
        return match parsed {
            Err(_) => Ok(Outcome::Holds),
            Ok(_) => Err(format!("{} read as {}", c.ns, ns::BOOKMARKS2)),
        };
    }
    let parsed = match parsed {
        Ok(p) => p,
        Err(_) if c.autojoin.as_ref().is_some_and(BooleanForm::is_padded) => {
            return Ok(Outcome::Known(&deviations::BOOLEAN_WHITESPACE));
        }
        Err(e) => return Err(format!("refused: {e}")),
    };
    check_conference(&parsed, c)?;
    let written: Element = parsed.into();
    canonical_is_stable(&written)?;
    let reread = bookmarks2::Conference::try_from(written.clone())
        .map_err(|e| format!("own output refused: {e}\n{}", canonical(&written)))?;
    check_conference(&reread, c)?;
    let rewritten: Element = reread.into();
    same(
        "serialise ∘ parse",
        canonical(&rewritten),
        canonical(&written),
    )?;
    Ok(Outcome::Holds)
}

/// What XEP-0402 and XEP-0048 conferences have in common.
struct Room<'a> {
    autojoin: bool,
    name: Option<&'a str>,
    nick: Option<&'a str>,
    password: Option<&'a str>,
}

/// The room as parsed against the room as generated.
fn same_room(parsed: Room<'_>, generated: Room<'_>) -> Result<(), String> {
    same("autojoin", parsed.autojoin, generated.autojoin)?;
    same("name", parsed.name, generated.name)?;
    same("nick", parsed.nick, generated.nick)?;
    same("password", parsed.password, generated.password)
}

fn check_conference(p: &bookmarks2::Conference, c: &Conference) -> Result<(), String> {
    same_room(
        Room {
            autojoin: p.autojoin,
            name: p.name.as_deref(),
            nick: p.nick.as_ref().map(|n| n.as_str()),
            password: p.password.as_deref(),
        },
        Room {
            autojoin: c.autojoin.as_ref().is_some_and(|a| a.value),
            name: c.name.as_deref(),
            nick: c.nick.as_deref(),
            password: c.password.as_deref(),
        },
    )?;
    let got: Option<Vec<String>> = p
        .extensions
        .as_ref()
        .map(|e| e.payloads.iter().map(canonical).collect());
    let want: Option<Vec<String>> = c
        .extensions
        .as_ref()
        .map(|e| e.iter().map(canonical).collect());
    same("extensions", got, want)
}

/// Every lexical form of `xs:boolean` in `autojoin` reads as its value.
pub fn boolean_form_parses(form: &BooleanForm) -> Checked {
    let text = format!(
        "<conference xmlns='{}' autojoin='{}'/>",
        ns::BOOKMARKS2,
        super::xml::escape_attr(&form.text)
    );
    match bookmarks2::Conference::try_from(parse(&text)?) {
        Ok(c) => same("autojoin", c.autojoin, form.value).map(|()| Outcome::Holds),
        Err(_) if form.is_padded() => Ok(Outcome::Known(&deviations::BOOLEAN_WHITESPACE)),
        Err(e) => Err(format!("{:?} refused: {e}", form.text)),
    }
}

/// Texts that are not `xs:boolean` forms are refused in `autojoin`.
pub fn invalid_boolean_refused(text: &str) -> Checked {
    let xml = format!(
        "<conference xmlns='{}' autojoin='{}'/>",
        ns::BOOKMARKS2,
        super::xml::escape_attr(text)
    );
    match bookmarks2::Conference::try_from(parse(&xml)?) {
        Err(_) => Ok(Outcome::Holds),
        Ok(c) => Err(format!("{text:?} accepted as {}", c.autojoin)),
    }
}

/// XEP-0048 storage: read as written; write ∘ read ∘ write is stable.
pub fn bookmark_storage_round_trip(s: &BookmarkStorage) -> Checked {
    let el = parse(&s.xml())?;
    let parsed = Storage::try_from(el).map_err(|e| format!("refused: {e}"))?;
    same("conferences", parsed.conferences.len(), s.conferences.len())?;
    for (p, c) in parsed.conferences.iter().zip(&s.conferences) {
        same("jid", p.jid.to_string(), c.jid.clone())?;
        same_room(
            Room {
                autojoin: p.autojoin,
                name: p.name.as_deref(),
                nick: p.nick.as_ref().map(|n| n.as_str()),
                password: p.password.as_deref(),
            },
            Room {
                autojoin: c.autojoin.as_ref().is_some_and(|a| a.value),
                name: c.name.as_deref(),
                nick: c.nick.as_deref(),
                password: c.password.as_deref(),
            },
        )?;
    }
    let urls: Vec<(Option<String>, String)> = parsed
        .urls
        .iter()
        .map(|u| (u.name.clone(), u.url.clone()))
        .collect();
    same("urls", urls, s.urls.clone())?;
    let written: Element = parsed.clone().into();
    canonical_is_stable(&written)?;
    let reread = Storage::try_from(written).map_err(|e| format!("own output refused: {e}"))?;
    same("serialise ∘ parse", reread, parsed)?;
    Ok(Outcome::Holds)
}

/// XEP-0173 subscriptions (no xmpp-parsers module): xepspec's parser and
/// canonical form keep every attribute, and canonical text is stable.
pub fn pubsub_subscriptions_round_trip(subs: &[PubsubSubscription]) -> Checked {
    let el = parse(&pubsub_subscriptions_xml(subs))?;
    canonical_is_stable(&el)?;
    let reread = parse(&canonical(&el))?;
    let got: Vec<PubsubSubscription> = reread
        .children()
        .map(|s| PubsubSubscription {
            jid: s.attr("jid").unwrap_or_default().to_owned(),
            node: s.attr("node").unwrap_or_default().to_owned(),
            subscription: s.attr("subscription").unwrap_or_default().to_owned(),
            resource: s.attr("resource").map(str::to_owned),
            user: s.attr("user").map(str::to_owned),
            targetns: s.attr("targetns").map(str::to_owned),
        })
        .collect();
    same("subscriptions", got.as_slice(), subs).map(|()| Outcome::Holds)
}

/// Publish-options forms: xmpp-parsers keeps every field's var and values,
/// and its output reads back the same.
pub fn publish_options_round_trip(fields: &[FormField]) -> Checked {
    let el = parse(&super::strategies::form_xml("submit", fields))?;
    let form = DataForm::try_from(el).map_err(|e| format!("refused: {e}"))?;
    same(
        "form type",
        form.form_type(),
        Some(ns::PUBSUB_PUBLISH_OPTIONS),
    )?;
    let got = |form: &DataForm| -> Vec<(Option<String>, Vec<String>)> {
        form.fields
            .iter()
            .map(|f| (f.var.clone(), f.values.clone()))
            .collect()
    };
    let want: Vec<(Option<String>, Vec<String>)> = fields
        .iter()
        .map(|f| (Some(f.var.clone()), f.values.clone()))
        .collect();
    same("fields", got(&form), want.clone())?;
    let written: Element = form.into();
    canonical_is_stable(&written)?;
    let reread = DataForm::try_from(written).map_err(|e| format!("own output refused: {e}"))?;
    same("serialise ∘ parse", got(&reread), want).map(|()| Outcome::Holds)
}

/// XEP-0115: xmpp-parsers' verification string equals the one written from
/// §5.1, or differs only as the known deviations say.
pub fn caps_matches_reference(disco: &DiscoInfo) -> Checked {
    let el = parse(&disco.xml())?;
    let spec = verification_string(&el, Rules::SPEC).map_err(|e| e.to_string())?;
    let modelled = verification_string(&el, Rules::XMPP_PARSERS).map_err(|e| e.to_string())?;
    let info = DiscoInfoResult::try_from(el).map_err(|e| format!("refused: {e}"))?;
    let library = compute_disco(&info);
    let hash = hash_caps(&library, Algo::Sha_1).map_err(|e| format!("hash: {e}"))?;
    same(
        "ver of the library's S",
        hash.to_base64(),
        ver_sha1(&library),
    )?;
    if library == spec {
        return Ok(Outcome::Holds);
    }
    let show = |s: &[u8]| String::from_utf8_lossy(s).into_owned();
    if library != modelled {
        return Err(format!(
            "S differs beyond the known deviations:\nlibrary {}\nspec    {}",
            show(&library),
            show(&spec)
        ));
    }
    let fields_only = verification_string(
        &parse(&disco.xml())?,
        Rules {
            sort_encoded: false,
            fields_in_document_order: true,
        },
    )
    .map_err(|e| e.to_string())?;
    if fields_only == library {
        Ok(Outcome::Known(&deviations::CAPS_FIELD_ORDER))
    } else {
        Ok(Outcome::Known(&deviations::CAPS_SORT_KEY))
    }
}

/// xepspec's stanza functions on an arbitrary element: canonical text is
/// idempotent, normalisation is idempotent, nothing panics, and an element
/// with no placeholder syntax matches itself.
pub fn stanza_functions(el: &Element) -> Checked {
    canonical_is_stable(el)?;
    let sorted = sort_unordered(el);
    same(
        "sort_unordered twice",
        canonical(&sort_unordered(&sorted)),
        canonical(&sorted),
    )?;
    let masked = mask_opaque(el);
    same(
        "mask_opaque twice",
        canonical(&mask_opaque(&masked)),
        canonical(&masked),
    )?;
    let _ = replace_values(el, &[Alias::new("a", "{a}")]);
    let text = canonical(el);
    let plain = parse(&text)?;
    if !text.contains(['{', '}']) && matches(&plain, el, true).is_none() {
        return Err(format!("does not match itself: {text}"));
    }
    Ok(Outcome::Holds)
}

/// xepspec's parser on arbitrary text: no panic, errors locate inside the
/// text, and what parses has stable canonical text.
pub fn parse_arbitrary(text: &str) -> Checked {
    match parse_stanzas(text) {
        Ok(elements) => {
            for el in &elements {
                canonical_is_stable(el)?;
            }
        }
        Err(e) => {
            if e.offset > text.len() {
                return Err(format!("offset {} beyond {} bytes", e.offset, text.len()));
            }
            let _ = line_column(text, e.offset);
        }
    }
    let _ = parse_stanza(text);
    Ok(Outcome::Holds)
}

/// The scenario loader on arbitrary text: a scenario, or errors that each
/// name the file and a line and column inside the text (or just past its
/// end); no panic.
pub fn load_arbitrary(text: &str) -> Checked {
    let file = Path::new("fuzz.toml");
    let Err(errors) = load_str(text, file, "fuzz") else {
        return Ok(Outcome::Holds);
    };
    if errors.0.is_empty() {
        return Err("refused with no error to show".into());
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for e in &errors.0 {
        let columns = e.line.checked_sub(1).and_then(|l| lines.get(l));
        let inside = columns.is_some_and(|l| e.column >= 1 && e.column <= l.chars().count() + 1);
        if e.file != file || !inside {
            return Err(format!(
                "located outside the text ({} lines): {e}",
                lines.len()
            ));
        }
        if e.message.trim().is_empty() {
            return Err(format!("an error without a message at {e}"));
        }
    }
    Ok(Outcome::Holds)
}
