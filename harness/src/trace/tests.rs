//! Tests of statement extraction, matching and the committed table.

use std::path::Path;

use super::extract::{entity_text, from_fragment, from_xml, prepare};
use super::matching::quote_matches;
use super::sentences::{Statement, level_of, split_sentences};
use super::untestable::parse;
use crate::scenario::Level;

const XEP: &str = "<?xml version='1.0'?>
<!DOCTYPE xep SYSTEM 'xep.dtd' [
  <!ENTITY ns \"urn:example:0\">
  <!ENTITY % ents SYSTEM 'xep.ent'>
%ents;
]>
<?xml-stylesheet type='text/xsl' href='xep.xsl'?>
<xep>
<header><remark><p>Servers MUST NOT be counted here.</p></remark></header>
<section1 topic='Intro'><p>Nothing normative (e.g. &xep0060;). Really.</p></section1>
<section1 topic='Protocol'>
  <p>A node MUST be configured as follows:</p>
  <ol><li>Set persist to true.</li></ol>
  <section2 topic='A'><p>Fine.</p></section2>
  <section2 topic='B'>
    <p>The server SHOULD NOT leak &ns; items.<note>A footnote MUST be ignored.</note> Clients MAY ask.</p>
    <ul><li>The storage MUST be &xep0223;</li></ul>
  </section2>
</section1>
</xep>";

fn statement(section: &str, text: &str) -> Statement {
    Statement {
        section: section.into(),
        level: level_of(text).unwrap_or(Level::May),
        text: text.into(),
    }
}

#[test]
fn sections_are_numbered_in_order_and_nested() {
    let found = from_xml(XEP).unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<(&str, Level, &str)> = found
        .iter()
        .map(|s| (s.section.as_str(), s.level, s.text.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "2",
                Level::Must,
                "A node MUST be configured as follows: Set persist to true."
            ),
            (
                "2.2",
                Level::Should,
                "The server SHOULD NOT leak urn:example:0 items."
            ),
            ("2.2", Level::May, "Clients MAY ask."),
            ("2.2", Level::Must, "The storage MUST be XEP-0223"),
        ]
    );
}

#[test]
fn entities_become_text_and_doctype_goes() {
    let prepared = prepare(XEP);
    assert!(!prepared.contains("DOCTYPE"));
    assert!(prepared.contains("(e.g. XEP-0060)"));
    assert!(prepared.contains("urn:example:0") && !prepared.contains("&ns;"));
    assert_eq!(entity_text("rfc6120"), "RFC 6120");
    assert_eq!(entity_text("REGISTRAR"), "REGISTRAR");
}

#[test]
fn sentences_split_at_full_stops_but_not_abbreviations() {
    assert_eq!(
        split_sentences("Use e.g. XEP-0060 here. (Naturally, it MAY.) Then  stop."),
        vec![
            "Use e.g. XEP-0060 here.",
            "(Naturally, it MAY.)",
            "Then stop."
        ]
    );
}

#[test]
fn keywords_count_only_in_capitals_and_the_strongest_wins() {
    assert_eq!(level_of("clients must not"), None);
    assert_eq!(level_of("it is REQUIRED"), Some(Level::Must));
    assert_eq!(
        level_of("this OPTIONAL thing SHOULD NOT"),
        Some(Level::Should)
    );
    assert_eq!(level_of("it MAY, but MUST NOT"), Some(Level::Must));
    assert_eq!(level_of("MUSTARD"), None);
}

#[test]
fn fragments_keep_unknown_tags_as_text() {
    let found = from_fragment(
        "<section1topic='P'><p>A client MUST send the <subscriptions/> node.</p>\
         <li>A <em>client</em> MUST add &xep0030; items only</li>",
    );
    let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "A client MUST send the <subscriptions/> node.",
            "A client MUST add XEP-0030 items only"
        ]
    );
    assert!(found.iter().all(|s| s.section == "?"));
}

#[test]
fn quotes_match_by_substring_either_way() {
    let s = statement(
        "3",
        "If the node does not exist, the service MUST create the node.",
    );
    assert!(quote_matches(&s, "9", "the SERVICE must  create the node"));
    assert!(quote_matches(&s, "9", &format!("Intro. {} More.", s.text)));
    assert!(!quote_matches(&s, "9", "the service MUST delete the node"));
}

#[test]
fn quotes_match_by_words_only_in_the_same_section() {
    let s = statement(
        "5",
        "The server MUST return an identity and the feauture list.",
    );
    let quote = "The server MUST return an identity and the feature list";
    assert!(quote_matches(&s, "5", quote));
    assert!(!quote_matches(&s, "4", quote));
    assert!(!quote_matches(
        &s,
        "5",
        "clients publish bookmarks with autojoin"
    ));
}

#[test]
fn reasons_cover_their_statement_only() {
    let reasons = parse(
        "[[reason]]\nxep = 223\nsection = \"5\"\nstatement = \"client SHOULD verify\"\nreason = \"client\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let s = statement("5", "Its client SHOULD verify support.");
    assert!(reasons[0].covers(223, &s));
    assert!(!reasons[0].covers(402, &s));
    assert!(!reasons[0].covers(223, &statement("4", &s.text)));
    assert!(parse("[[reason]]\nxep = 1\n").is_err());
}

#[test]
fn committed_table_is_up_to_date() {
    let scenarios = crate::scenario::ScenarioSource::folder(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios"),
    );
    let catalog =
        crate::server::Catalog::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../containers"))
            .unwrap_or_else(|e| panic!("{e}"));
    let xeps = crate::xeps::locate(None).unwrap_or_else(|e| panic!("{e}"));
    let generated =
        super::table::markdown(&scenarios, &catalog, &xeps).unwrap_or_else(|e| panic!("{e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/TRACEABILITY.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date; regenerate it with \
         `cargo run -q -- trace > scenarios/TRACEABILITY.md`",
        Path::new(&path).display()
    );
}

/// A catalogue with one mutant breaking XEP-0001 §3 and the given
/// `[[unbreakable]]` entries.
fn catalog_breaking_1_3(unbreakable: Vec<crate::server::Unbreakable>) -> crate::server::Catalog {
    let mut catalog = crate::server::Catalog::bundled().unwrap_or_else(|e| panic!("{e}"));
    let mut def = catalog.mutants()[0].clone();
    def.name = "p-m".into();
    def.mutant = Some(crate::server::Mutant {
        name: "m".into(),
        from: "p".into(),
        breaks: vec![crate::server::BrokenStatement {
            xep: 1,
            section: "3".into(),
        }],
        does: "harm".into(),
    });
    catalog.targets = vec![def];
    catalog.unbreakable = unbreakable;
    catalog
}

fn row(section: &str, text: &str, coverage: super::Coverage) -> super::Traced {
    super::Traced {
        xep: 1,
        version: "1.0".into(),
        statement: statement(section, text),
        coverage,
        proof: None,
    }
}

#[test]
fn rows_with_cases_are_proven_by_the_mutants_breaking_their_section() {
    use super::{Coverage, Proof, proof::proof};
    let catalog = catalog_breaking_1_3(Vec::new());
    let cases = || Coverage::Cases(vec![("xep-0001/3-x".into(), 1)]);
    let proven = proof(&row("3", "It MUST work.", cases()), &catalog);
    assert_eq!(proven, Some(Proof::Mutants(vec!["p-m".into()])));
    let hole = proof(&row("4", "It MUST work.", cases()), &catalog);
    assert_eq!(hole, Some(Proof::Missing));
    let untestable = row("3", "It MUST work.", Coverage::Untestable("why".into()));
    assert_eq!(proof(&untestable, &catalog), None);
    assert_eq!(proof(&row("3", "It MAY work.", cases()), &catalog), None);
}

#[test]
fn an_unbreakable_entry_names_its_rows_and_wins_over_mutants() {
    use super::{Coverage, Proof, proof::proof};
    let entry = crate::server::Unbreakable {
        xep: 1,
        section: Some("3".into()),
        version: Some("1.0".into()),
        statement: Some("must  WORK".into()),
        reason: "the server refuses it".into(),
    };
    let catalog = catalog_breaking_1_3(vec![entry]);
    let cases = || Coverage::Cases(vec![("xep-0001/3-x".into(), 1)]);
    let named = proof(&row("3", "It MUST work.", cases()), &catalog);
    assert_eq!(
        named,
        Some(Proof::Unbreakable("the server refuses it".into()))
    );
    let other_text = proof(&row("3", "It MUST stop.", cases()), &catalog);
    assert_eq!(other_text, Some(Proof::Mutants(vec!["p-m".into()])));
    let mut other_version = row("3", "It MUST work.", cases());
    other_version.version = "2.0".into();
    assert_eq!(
        proof(&other_version, &catalog),
        Some(Proof::Mutants(vec!["p-m".into()]))
    );
}
