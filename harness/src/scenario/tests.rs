//! Loading tests: a complete scenario loads; each kind of mistake is refused
//! with the right line and column.

use std::path::Path;

use super::*;

const GOOD: &str = r#"
title = "Publishing with options"
[spec]
xep = 223
versions = ["1.0"]
section = "4"
quote = "The client SHOULD include publish options"
level = "SHOULD"

[parameters]
persist = ["true", "1"]

[[actor]]
name = "juliet/balcony"
notify = ["storage:bookmarks"]

[[actor]]
name = "juliet/chamber"

[[step]]
send = "juliet/balcony"
xml = '''
<iq type='set' id='{id}'>
  <pubsub xmlns='http://jabber.org/protocol/pubsub'>
    <publish node='storage:bookmarks'><item id='current'/></publish>
    <x>{persist}</x>
  </pubsub>
</iq>'''

[[step]]
expect = "juliet/balcony"
xml = "<iq type='result' id='{id}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish><item id='{=item}'/></publish></pubsub></iq>"

[[step]]
any_order = [
  { expect = "juliet/balcony", xml = "<message from='{juliet}'/>" },
  { expect = "juliet/chamber", xml = "<message to='{juliet/chamber}' id='{item}'/>" },
]
"#;

fn load(text: &str) -> Result<Scenario, LoadErrors> {
    load_str(text, Path::new("x.toml"), "x")
}

fn first_error(text: &str) -> LoadError {
    load(text).unwrap_err().0.remove(0)
}

#[test]
fn a_complete_scenario_loads_and_expands() {
    let s = load(GOOD).unwrap();
    assert_eq!(s.actors.len(), 2);
    assert_eq!(s.actors[0].account, "juliet");
    assert_eq!(s.steps.len(), 3);
    assert_eq!(s.steps[0].line, 20);
    match &s.steps[0].kind {
        StepKind::Send { xml, .. } => assert_eq!(xml.line, 23),
        other => panic!("{other:?}"),
    }
    let cases = plan(&[s], None);
    let ids: Vec<_> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["x[persist=true]", "x[persist=1]"]);
}

#[test]
fn bad_toml_names_line_and_column() {
    let e = first_error("title = \"t\"\n[spec\n");
    assert_eq!((e.line, e.file.as_path()), (2, Path::new("x.toml")));
}

#[test]
fn malformed_xml_points_into_the_file() {
    let text = GOOD.replace("<x>{persist}</x>", "<x>{persist}</y>");
    let e = first_error(&text);
    assert_eq!(e.line, 26, "{e}");
    assert!(e.message.contains("well-formed"), "{e}");
}

#[test]
fn unknown_actor_is_refused() {
    let e = first_error(&GOOD.replace("send = \"juliet/balcony\"", "send = \"romeo/orchard\""));
    assert!(e.message.contains("unknown actor \"romeo/orchard\""), "{e}");
    assert_eq!(e.line, 20);
}

#[test]
fn undefined_placeholder_is_refused_where_it_stands() {
    let e = first_error(&GOOD.replace("{persist}", "{persistence}"));
    assert!(e.message.contains("{persistence}"), "{e}");
    assert_eq!((e.line, e.column), (26, 8));
}

#[test]
fn capture_used_before_it_is_bound_is_refused() {
    let text = GOOD.replace("<item id='current'/>", "<item id='{item}'/>");
    let e = first_error(&text);
    assert!(e.message.contains("undefined placeholder `{item}`"), "{e}");
}

#[test]
fn wildcards_are_refused_in_sent_stanzas() {
    let e = first_error(&GOOD.replace("<item id='current'/>", "<item id='{any}'/>"));
    assert!(e.message.contains("{any}"), "{e}");
}

#[test]
fn a_step_with_two_kinds_is_refused() {
    let e = first_error(&GOOD.replace(
        "expect = \"juliet/balcony\"\nxml",
        "expect = \"juliet/balcony\"\nsend = \"juliet/balcony\"\nxml",
    ));
    assert!(e.message.contains("exactly one of"), "{e}");
}

#[test]
fn unknown_fields_are_refused() {
    let e = first_error(&GOOD.replace("level = \"SHOULD\"", "level = \"SHOULD\"\nlevle = 1"));
    assert!(e.message.contains("levle"), "{e}");
}

#[test]
fn the_repository_scenarios_load() {
    let scenarios = load_dir(&repository_scenarios()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!scenarios.is_empty());
}

#[test]
fn the_committed_json_schema_is_current() {
    let generated =
        serde_json::to_string_pretty(&schemars::schema_for!(model::ScenarioFile)).unwrap();
    let path = repository_scenarios().join("scenario.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed.trim_end(),
        generated.trim_end(),
        "{} is stale: run `cargo run -- schema > scenarios/scenario.schema.json`",
        path.display()
    );
}

#[test]
fn a_setup_expectation_loads_with_what_tests_it() {
    let text = GOOD.replace(
        "expect = \"juliet/balcony\"\nxml",
        "expect = \"juliet/balcony\"\nsetup = [\"xep-0223/3-auto-create\"]\nxml",
    );
    let s = load(&text).unwrap();
    let setup = s.steps[1].setup.as_ref().expect("the step is setup");
    assert_eq!(setup.tested_by, ["xep-0223/3-auto-create"]);
    assert_eq!((setup.line, setup.column), (32, 9));
    assert!(s.steps[0].setup.is_none());
}

#[test]
fn a_setup_step_must_name_what_tests_it() {
    let text = GOOD.replace(
        "expect = \"juliet/balcony\"\nxml",
        "expect = \"juliet/balcony\"\nsetup = []\nxml",
    );
    let e = first_error(&text);
    assert!(e.message.contains("setup needs the ids"), "{e}");
    assert_eq!((e.line, e.column), (32, 9));
}

#[test]
fn setup_on_a_send_is_refused() {
    let text = GOOD.replace(
        "send = \"juliet/balcony\"\nxml",
        "send = \"juliet/balcony\"\nsetup = [\"x\"]\nxml",
    );
    let e = first_error(&text);
    assert!(e.message.contains("checks nothing"), "{e}");
    assert_eq!(e.line, 22);
}

/// The repository's `scenarios/` folder, which these tests check.
fn repository_scenarios() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

/// The XML of a basic string is located through its escapes: an error
/// points at the same place as in the same XML written literally.
#[test]
fn malformed_xml_in_an_escaped_string_points_at_the_file() {
    let old = GOOD
        .lines()
        .find(|l| l.starts_with("xml = \"<iq type='result'"))
        .expect("the line");
    let located = |xml: &str| {
        let text = GOOD.replace(old, &format!("xml = {xml}"));
        let e = first_error(&text);
        let line = text.lines().nth(e.line - 1).unwrap_or_default();
        line.chars().skip(e.column - 1).take(8).collect::<String>()
    };
    let literal = located("'''<iq type='result' id='{id}'></i><pubsub/>'''");
    assert_eq!(literal, "><pubsub");
    let escaped = located(r#""\u003ciq type=\u0022result\u0022 id='{id}'>\u003c/i><pubsub/>""#);
    assert_eq!(escaped, literal);
}
