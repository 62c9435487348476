//! Loading tests for template markup, `in_order`, `silence` and `{id}`:
//! each construct loads, and each misuse is refused where it is written.

use std::path::Path;

use super::*;

const HEAD: &str = r#"
title = "t"
[spec]
xep = 60
versions = ["1.30.0"]
section = "7.1.2"
quote = "q"
level = "MUST"

[[actor]]
name = "juliet/balcony"

[[actor]]
name = "romeo/orchard"
"#;

fn load(steps: &str) -> Result<Scenario, LoadErrors> {
    load_str(&format!("{HEAD}{steps}"), Path::new("x.toml"), "x")
}

fn first_error(steps: &str) -> LoadError {
    load(steps).unwrap_err().0.remove(0)
}

/// Line and column of `needle` in the whole file, 1-based.
fn position_of(steps: &str, needle: &str) -> (usize, usize) {
    let text = format!("{HEAD}{steps}");
    let at = text.find(needle).expect("needle in text");
    crate::stanza::parse::line_column(&text, at)
}

const SEND: &str = r#"
[[step]]
send = "juliet/balcony"
xml = '''<iq type='set' id='publish1'><pubsub xmlns='http://jabber.org/protocol/pubsub'/></iq>'''
"#;

#[test]
fn template_markup_loads_in_expectations() {
    let steps = format!(
        "{SEND}{}",
        r#"
[[step]]
expect = "juliet/balcony"
xml = '''
<iq type='result' id='{id}' xmlns:t='urn:xepspec:template'>
  <pubsub xmlns='http://jabber.org/protocol/pubsub' t:strict='true'>
    <item id='{any}' t:absent='node publisher'/>
    <value>{one-of:1|true}</value>
    <x v='{one-of:a|b}' t:strict='false'/>
  </pubsub>
</iq>'''

[[step]]
in_order = [
  { expect = "romeo/orchard", xml = "<message><body>1</body></message>" },
  { expect = "romeo/orchard", xml = "<message><body>2</body></message>" },
]

[[step]]
silence = "romeo/orchard"
"#
    );
    let s = load(&steps).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(s.steps[2].kind, StepKind::InOrder(ref g) if g.len() == 2));
    assert!(matches!(
        s.steps[3].kind,
        StepKind::Silence { actor: 1, .. }
    ));
}

#[test]
fn template_markup_in_a_send_is_refused() {
    let steps = r#"
[[step]]
send = "juliet/balcony"
xml = '''<iq type='get' id='{id}' xmlns:t='urn:xepspec:template'><query xmlns='q' t:strict='true'/></iq>'''
"#;
    let e = first_error(steps);
    assert!(e.message.contains("never in a stanza that is sent"), "{e}");
    assert_eq!((e.line, e.column), position_of(steps, "strict='true'"));
    let one_of = r#"
[[step]]
send = "juliet/balcony"
xml = '''<iq type='get' id='{id}'><t:one-of xmlns:t='urn:xepspec:template'><a/></t:one-of></iq>'''
"#;
    let e = first_error(one_of);
    assert!(e.message.contains("<one-of> is template markup"), "{e}");
    let value = r#"
[[step]]
send = "juliet/balcony"
xml = '''<iq type='get' id='{id}'><a b='{one-of:x|y}'/></iq>'''
"#;
    let e = first_error(value);
    assert!(e.message.contains("belongs in expectations"), "{e}");
    assert_eq!((e.line, e.column), position_of(value, "{one-of"));
}

#[test]
fn an_unknown_template_attribute_is_refused_where_it_stands() {
    let steps = format!(
        "{SEND}{}",
        r#"
[[step]]
expect = "juliet/balcony"
xml = '''
<iq type='result' xmlns:t='urn:xepspec:template'>
  <pubsub xmlns='p' t:strikt='true'/>
</iq>'''
"#
    );
    let e = first_error(&steps);
    assert!(
        e.message.contains("unknown template attribute t:strikt"),
        "{e}"
    );
    assert_eq!((e.line, e.column), position_of(&steps, "strikt="));
}

#[test]
fn a_one_of_value_must_be_whole_and_have_no_empty_alternative() {
    let part = format!(
        "{SEND}{}",
        r#"
[[step]]
expect = "juliet/balcony"
xml = '''<iq type='result' id='x{one-of:1|2}'/>'''
"#
    );
    let e = first_error(&part);
    assert!(e.message.contains("whole attribute value"), "{e}");
    let empty = format!(
        "{SEND}{}",
        r#"
[[step]]
expect = "juliet/balcony"
xml = '''<iq type='result'><v>{one-of:1||true}</v></iq>'''
"#
    );
    let e = first_error(&empty);
    assert!(e.message.contains("empty alternative"), "{e}");
}

#[test]
fn an_empty_in_order_is_refused_at_its_step() {
    let steps = "\n[[step]]\nin_order = []\n";
    let e = first_error(steps);
    assert!(
        e.message
            .contains("in_order needs at least one expectation"),
        "{e}"
    );
    assert_eq!(e.line, position_of(steps, "[[step]]").0);
}

#[test]
fn silence_names_a_declared_actor() {
    let e = first_error("\n[[step]]\nsilence = \"nurse/kitchen\"\n");
    assert!(e.message.contains("unknown actor \"nurse/kitchen\""), "{e}");
    let e = first_error("\n[[step]]\nsilence = \"romeo/orchard\"\nxml = '<a/>'\n");
    assert!(e.message.contains("takes no xml"), "{e}");
}

#[test]
fn id_in_an_expectation_needs_a_sent_stanza_with_an_id() {
    let before = "\n[[step]]\nexpect = \"juliet/balcony\"\nxml = \"<iq id='{id}'/>\"\n";
    let e = first_error(before);
    assert!(e.message.contains("no stanza is sent before"), "{e}");
    let without = r#"
[[step]]
send = "juliet/balcony"
xml = "<message to='{romeo/orchard}'><body>hi</body></message>"

[[step]]
expect = "juliet/balcony"
xml = "<message id='{id}'/>"
"#;
    let e = first_error(without);
    assert!(e.message.contains("has no id attribute"), "{e}");
    let literal = format!(
        "{SEND}\n[[step]]\nexpect = \"juliet/balcony\"\nxml = \"<iq type='result' id='{{id}}'/>\"\n"
    );
    load(&literal).unwrap_or_else(|e| panic!("{e}"));
}
