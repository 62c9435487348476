//! The offline properties with a bounded number of cases, one test each,
//! and checks that every known deviation still holds.

use super::caps_reference::{Rules, verification_string};
use super::deviations;
use super::properties::{self, Outcome};
use super::runner::{offline, run};
use crate::stanza::parse::parse_stanza;

const CASES: u32 = 128;

fn check(name: &str) {
    let property = offline()
        .into_iter()
        .find(|p| p.name == name)
        .expect("property exists");
    let report = run(&property, CASES, None, &|| {});
    assert!(
        report.failure.is_none(),
        "{name}: {}",
        report.failure.unwrap_or_default()
    );
    assert!(
        report.cases >= u64::from(CASES),
        "{name}: only {} cases",
        report.cases
    );
}

#[test]
fn every_property_has_a_test() {
    let names: Vec<&str> = offline().iter().map(|p| p.name).collect();
    let source = include_str!("tests.rs");
    for name in names {
        assert!(
            source.contains(&format!("check(\"{name}\")")),
            "{name} has no test"
        );
    }
}

#[test]
fn bookmarks2_conference_round_trip() {
    check("bookmarks2-conference-round-trip");
}

#[test]
fn xs_boolean_forms_parse() {
    check("xs-boolean-forms-parse");
}

#[test]
fn xs_boolean_invalid_refused() {
    check("xs-boolean-invalid-refused");
}

#[test]
fn bookmarks_storage_round_trip() {
    check("bookmarks-storage-round-trip");
}

#[test]
fn pubsubs_storage_round_trip() {
    check("pubsubs-storage-round-trip");
}

#[test]
fn publish_options_round_trip() {
    check("publish-options-round-trip");
}

#[test]
fn caps_ver_matches_reference() {
    check("caps-ver-matches-reference");
}

#[test]
fn stanza_functions_on_foreign_payloads() {
    check("stanza-functions-on-foreign-payloads");
}

#[test]
fn stanza_parser_on_arbitrary_text() {
    check("stanza-parser-on-arbitrary-text");
}

#[test]
fn scenario_loader_on_arbitrary_text() {
    check("scenario-loader-on-arbitrary-text");
}

#[test]
fn scenario_loader_on_broken_files() {
    check("scenario-loader-on-broken-files");
}

/// Goes red when xso starts accepting padded booleans: then delete the
/// deviation.
#[test]
fn boolean_whitespace_deviation_still_holds() {
    let el = parse_stanza(deviations::BOOLEAN_WHITESPACE.counterexample).unwrap();
    assert!(xmpp_parsers::bookmarks2::Conference::try_from(el).is_err());
    let form = super::strategies::BooleanForm {
        text: " 1".into(),
        value: true,
    };
    assert_eq!(
        properties::boolean_form_parses(&form),
        Ok(Outcome::Known(&deviations::BOOLEAN_WHITESPACE))
    );
}

fn library_s(text: &str) -> Vec<u8> {
    let el = parse_stanza(text).unwrap();
    let info = xmpp_parsers::disco::DiscoInfoResult::try_from(el).unwrap();
    xmpp_parsers::caps::compute_disco(&info)
}

/// Goes red when xmpp-parsers sorts by the items themselves.
#[test]
fn caps_sort_deviation_still_holds() {
    let text = deviations::CAPS_SORT_KEY.counterexample;
    let spec = verification_string(&parse_stanza(text).unwrap(), Rules::SPEC).unwrap();
    assert_eq!(spec, b"a<a+<");
    assert_eq!(library_s(text), b"a+<a<");
}

/// Goes red when xmpp-parsers sorts a form's fields by var.
#[test]
fn caps_field_order_deviation_still_holds() {
    let text = deviations::CAPS_FIELD_ORDER.counterexample;
    let spec = verification_string(&parse_stanza(text).unwrap(), Rules::SPEC).unwrap();
    assert_eq!(spec, b"a<a<b<");
    assert_eq!(library_s(text), b"a<b<a<");
}

#[test]
fn rxml_lone_cr_deviation_still_holds() {
    // XML 1.0 §2.11 and §3.3.3 make both values a space where the CR is.
    assert!(parse_stanza(deviations::RXML_LONE_CR.counterexample).is_err());
    let end = parse_stanza("<c xmlns='urn:x' a='true\r'/>").expect("parses");
    assert_eq!(end.attr("a"), Some("true"));
}

/// The escaping edit changes how a file is written, not what it says: every
/// bundled scenario still loads with any one block escaped.
#[test]
fn escaped_blocks_load_like_literal_ones() {
    use super::strategies::{bundled_scenarios, escape_block};
    let mut escaped = 0;
    for (path, text) in bundled_scenarios() {
        for n in 0..text.matches("'''").count() / 2 {
            let changed = escape_block(text, n);
            assert_ne!(&changed, text);
            let loaded = crate::scenario::load_str(&changed, std::path::Path::new(path), "x");
            assert!(loaded.is_ok(), "{path}, block {n}: {}", loaded.unwrap_err());
            escaped += 1;
        }
    }
    assert!(escaped > 100, "only {escaped} blocks");
}
