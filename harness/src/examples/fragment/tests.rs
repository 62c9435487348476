//! Parsing examples: recovery, framing, elisions, positions.

use super::*;

fn parsed(text: &str) -> Parsed {
    match parse(text) {
        Fragment::Parsed(p) => p,
        other => panic!("{other:?}"),
    }
}

#[test]
fn tags_line_up_with_the_walk() {
    let text = "<iq type='get' id=\"a&amp;b\">\n  <query xmlns='jabber:iq:roster'><item/></query>\n</iq>\n<presence/>";
    let p = parsed(text);
    let walk = walk(&p.roots);
    assert_eq!(walk.len(), p.tags.len());
    assert_eq!(walk[1].0.name(), "query");
    assert_eq!(&text[p.tags[1].offset..p.tags[1].offset + 6], "<query");
    let xmlns = p.tags[1].attribute("xmlns").unwrap();
    assert_eq!(&text[xmlns.offset..xmlns.offset + 6], "jabber");
    assert_eq!(p.tags[0].attribute("id").unwrap().value, "a&b");
    assert_eq!(walk[2].1, Some(1));
    assert_eq!(walk[3].1, None);
    assert_eq!(p.spans.len(), 2);
    assert!(p.prepared[p.spans[0].clone()].ends_with("</iq>"));
    assert_eq!(&p.prepared[p.spans[1].clone()], "<presence/>");
}

#[test]
fn stream_framing_is_balanced() {
    let open = "<?xml version='1.0'?>\n<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a'>\n<stream:features/>";
    assert_eq!(parsed(open).roots.len(), 1);
    assert_eq!(parsed("</stream:stream>").roots.len(), 0);
    assert_eq!(parsed("<a><!-- é <b> --></a>\n<!-- two -->").roots.len(), 1);
    assert_eq!(
        parsed(
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"
        )
        .roots
        .len(),
        1
    );
}

#[test]
fn elisions_between_stanzas_are_not_errors() {
    assert_eq!(
        parsed("<a/>\n...\n<b/>\n[ ... ]\n<c/>\n.\n.\n.")
            .roots
            .len(),
        3
    );
    assert!(matches!(parse("<a/> hello <b/>"), Fragment::Broken(_)));
}

#[test]
fn elisions_inside_elements_can_be_taken_out() {
    let p = parsed("<query xmlns='q'>\n  ...\n  <item/>\n  [ ... ]\n</query>");
    let clean = without_elisions(&p.roots);
    assert!(clean[0].texts().all(|t| t.trim().is_empty()));
    assert_eq!(clean[0].children().count(), 1);
    assert!(!is_elision("hello"));
}

#[test]
fn an_undeclared_prefix_is_named_at_its_tag() {
    let text = "<iq>\n  <x:query xmlns='a'/>\n</iq>";
    let Fragment::Broken(b) = parse(text) else {
        panic!()
    };
    let e = &b.errors[0];
    assert_eq!(e.message, "namespace prefix 'x' is not declared");
    assert_eq!(&text[e.offset..e.offset + 2], "<x");
    assert!(matches!(
        parse("<db:result from='a' to='b'>k</db:result>"),
        Fragment::Parsed(_)
    ));
}

#[test]
fn every_error_is_reported_and_the_clean_stanzas_are_kept() {
    let text = "C: <iq><query></iq>\nS: <presence/>\n<message><body>a</message>";
    let Fragment::Broken(b) = parse(text) else {
        panic!()
    };
    assert_eq!(b.errors.len(), 2, "{:?}", b.errors);
    let rest = b.rest.expect("the presence is clean");
    assert_eq!(rest.roots.len(), 1);
    assert_eq!(rest.roots[0].name(), "presence");
    assert_eq!(
        &text[rest.tags[0].offset..rest.tags[0].offset + 9],
        "<presence"
    );
}

#[test]
fn a_broken_xml_declaration_is_an_error() {
    let Fragment::Broken(b) = parse("<?xml version='1.0' encoding=utf-8'?>\n<a/>") else {
        panic!()
    };
    assert_eq!(b.errors.len(), 1, "{:?}", b.errors);
    assert!(b.rest.is_some());
    assert!(matches!(
        parse("<?xml version=\"1.0\" encoding='UTF-8' ?>\n<a/>"),
        Fragment::Parsed(_)
    ));
}

#[test]
fn prose_is_not_xml_and_broken_xml_says_where() {
    assert!(matches!(
        parse("_xmpp-client._tcp.example.com. 86400 IN SRV"),
        Fragment::NotXml
    ));
    let Fragment::Broken(b) = parse("<a>\n  <b>\n</a>") else {
        panic!()
    };
    let e = &b.errors[0];
    assert_eq!(
        crate::stanza::parse::line_column("<a>\n  <b>\n</a>", e.offset).0,
        3
    );
}

#[test]
fn an_example_ending_in_an_elision_leaves_elements_open() {
    match parse("<iq type='result'>\n  <query xmlns='q'>\n    <item/>\n    …") {
        Fragment::Broken(broken) => {
            assert!(broken.errors.is_empty(), "{:?}", broken.errors);
            assert!(broken.mended.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_prefix_an_earlier_example_bound_may_be_used() {
    let bound = [("xdv".to_owned(), "urn:x".to_owned())];
    assert!(matches!(
        parse("<field><xdv:validate/></field>"),
        Fragment::Broken(_)
    ));
    assert!(matches!(
        parse_after("<field><xdv:validate/></field>", &bound),
        Fragment::Parsed(_)
    ));
}

#[test]
fn notes_dtds_and_uris_beside_the_xml_are_not_xml() {
    assert!(matches!(
        parse("<?xml version='1.0'?>\n\n<!ELEMENT list ((item)*)>"),
        Fragment::NotXml
    ));
    let sql = "<iq type='get' id='1'/>\n\nSQL Syntax:\n  select a from t\n  where b < 200.00\n<iq type='result' id='1'/>";
    assert_eq!(parsed(sql).roots.len(), 2);
    let broken = "<iq type='get' id='1'><q></x></iq>\nSQL Syntax:\n  where b < 2\n";
    let Fragment::Broken(broken) = parse(broken) else {
        panic!("the mismatched end tag")
    };
    assert_eq!(broken.errors.len(), 1, "{:?}", broken.errors);
    let sip = "<message to='a@b.lit'><body>x</body></message>\n\nMESSAGE sip:a@b.lit SIP/2.0\nTo: <sip:a@b.lit>;tag=1\n";
    assert_eq!(parsed(sip).roots.len(), 1);
}
