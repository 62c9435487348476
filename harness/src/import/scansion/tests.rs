//! The scansion importer without a server: reading scripts, the cast, the
//! steps, and the files it writes for the fixture scripts of
//! `harness/tests/fixtures/scansion/` (the stanza rewriting is in
//! `stanza_tests.rs`).

use super::cast::cast;
use super::script::{Verb, read};
use super::stanza_text::Rewriter;
use super::steps::{Step, steps};
use super::*;

pub(super) const TWO_CLIENTS: &str = "\
# Messages reach the phone
# A second line of description.
## status: stable
## xep: 0045

[Client] Juliet
\tjid: juliet@localhost
\tpassword: password

[Client] Juliet's phone
\tjid: juliet@localhost
\tpassword: password
\tresource: mobile

[Client] Romeo
\tjid: romeo@localhost/orchard
\tpassword: password
\tconnect_port: 5222

// a comment of another kind
-----

Juliet connects

# The phone comes online
Juliet's phone connects
Romeo connects

Romeo sends:
\t<message to=\"${Juliet's phone's full JID}\">
\t\t<body>Hi</body>
\t</message>

Juliet's phone receives:
\t<message from=\"romeo@localhost/orchard\"/>
Juliet receives: nothing
-- Juliet receives:
--\t<message/>
Romeo disconnects
";

pub(super) fn cast_of(text: &str) -> (super::cast::Cast, Vec<Note>) {
    let script = read(text);
    let mut notes = Vec::new();
    let cast = cast(&script, &mut notes);
    (cast, notes)
}

pub(super) fn payload(text: &str) -> script::Payload {
    script::Payload {
        text: text.to_owned(),
        line: 10,
    }
}

#[test]
fn a_script_is_read_with_its_lines() {
    let script = read(TWO_CLIENTS);
    assert_eq!(script.title.as_deref(), Some("Messages reach the phone"));
    assert_eq!(script.description, ["A second line of description."]);
    assert_eq!(script.tags.len(), 2);
    assert_eq!(script.tags[1].name, "xep");
    assert_eq!(script.tags[1].value.as_deref(), Some("0045"));
    let names: Vec<&str> = script.characters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Juliet", "Juliet's phone", "Romeo"]);
    assert_eq!(script.characters[1].property("resource"), Some("mobile"));
    let verbs: Vec<(&str, &Verb)> = script
        .actions
        .iter()
        .map(|a| (a.character.as_str(), &a.verb))
        .collect();
    assert_eq!(
        verbs,
        [
            ("Juliet", &Verb::Connects),
            ("Juliet's phone", &Verb::Connects),
            ("Romeo", &Verb::Connects),
            ("Romeo", &Verb::Sends),
            ("Juliet's phone", &Verb::Receives),
            ("Juliet", &Verb::ReceivesNothing),
            ("Romeo", &Verb::Disconnects),
        ]
    );
    assert_eq!(script.actions[1].comment, ["The phone comes online"]);
    let sent = script.actions[3].payload.as_ref().expect("a stanza");
    assert_eq!(sent.line, 30);
    assert!(sent.text.starts_with("<message to="));
    assert!(sent.text.contains("\n\t<body>Hi</body>\n</message>"));
    assert!(script.notes.is_empty(), "{:?}", script.notes);
}

#[test]
fn the_colon_after_a_verb_may_be_left_out() {
    let script = read("[Client] Romeo\n\tjid: romeo@localhost\n\nRomeo sends\n\t<presence/>\n");
    assert_eq!(script.actions[0].verb, Verb::Sends);
    assert_eq!(
        script.actions[0].payload.as_ref().map(|p| p.text.as_str()),
        Some("<presence/>")
    );
}

#[test]
fn lines_that_cannot_be_read_are_noted_with_their_line() {
    let script = read(
        "[Client] Romeo\n\tjid: romeo@localhost\n\tno colon here\n\nMercutio sends:\n\t<presence/>\n[Client\nRomeo sends: hello\n",
    );
    let lines: Vec<usize> = script.notes.iter().map(|n| n.line).collect();
    assert_eq!(lines, [3, 5, 7, 8], "{:?}", script.notes);
    assert!(script.notes[1].message.contains("names no character"));
    assert!(script.actions.is_empty());
}

#[test]
fn clients_become_actors_with_resources_of_their_own() {
    let (cast, notes) = cast_of(TWO_CLIENTS);
    let actors: Vec<String> = cast.members.iter().map(|m| m.actor()).collect();
    assert_eq!(actors, ["juliet/juliet", "juliet/mobile", "romeo/orchard"]);
    assert_eq!(cast.domain, "localhost");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].line, 18);
    assert!(notes[0].message.contains("connect_port"));
}

#[test]
fn two_clients_of_one_account_without_resources_get_two() {
    let (cast, _) = cast_of(
        "[Client] Juliet\n\tjid: juliet@localhost\n[Client] Juliet's phone\n\tjid: juliet@localhost\n[Component] Nurse\n\tjid: nurse.localhost\n",
    );
    let actors: Vec<String> = cast.members.iter().map(|m| m.actor()).collect();
    assert_eq!(actors, ["juliet/juliet", "juliet/juliets-phone"]);
}

#[test]
fn what_is_not_a_client_with_a_jid_is_noted() {
    let (cast, notes) = cast_of(
        "[Component] Nurse\n\tjid: nurse.localhost\n[Client] Tybalt\n\tpassword: x\n[Client] Benvolio\n\tjid: benvolio@montague.lit\n\tcolour: blue\n[Client] Romeo\n\tjid: ro meo@localhost\n[Client] Juliet\n\tjid: juliet@localhost\n",
    );
    let messages: Vec<String> = notes.iter().map(ToString::to_string).collect();
    assert!(messages[0].starts_with("line 1: [Component] Nurse is not a client"));
    assert!(messages[1].starts_with("line 3: Tybalt has no `jid`"));
    assert!(messages[2].starts_with("line 7: unknown client property `colour`"));
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`benvolio@montague.lit`") || m.contains("on `montague.lit`"))
    );
    assert!(messages.iter().any(|m| m.contains("`ro-meo`")));
    assert_eq!(cast.members.len(), 3);
}

fn steps_of(text: &str) -> (Vec<Step>, Vec<Note>) {
    let script = read(text);
    let mut notes = script.notes.clone();
    let cast = cast(&script, &mut notes);
    let mut rewriter = Rewriter::new(&cast);
    let out = steps(&script.actions, &cast, &mut rewriter, &mut notes);
    (out.into_iter().map(|c| c.step).collect(), notes)
}

#[test]
fn receives_in_a_row_are_one_in_order_step_and_silence_comes_between_runs() {
    let (steps, notes) = steps_of(
        "[Client] A\n\tjid: a@localhost\n[Client] B\n\tjid: b@localhost\n\
         A connects\nB connects\nA sends:\n\t<message/>\n\
         B receives:\n\t<message/>\nA receives:\n\t<message/>\nB receives:\n\t<presence/>\n\
         A sends:\n\t<presence/>\nA receives:\n\t<presence/>\n\
         A disconnects\nB receives: nothing\nB disconnects\n",
    );
    assert!(notes.is_empty(), "{notes:?}");
    let kinds: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Connect(a) => format!("connect {a}"),
            Step::Disconnect(a) => format!("disconnect {a}"),
            Step::Send(a, _) => format!("send {a}"),
            Step::Expect(items) => {
                let who: Vec<&str> = items.iter().map(|i| i.actor.as_str()).collect();
                format!("expect {}", who.join(","))
            }
            Step::Silence(a, said) => format!("silence {a} {said}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "connect a/a",
            "connect b/b",
            "send a/a",
            "expect b/b,a/a,b/b",
            "silence a/a false",
            "send a/a",
            "expect a/a",
            "disconnect a/a",
            "silence b/b true",
            "disconnect b/b",
        ]
    );
}

#[test]
fn silence_stays_within_a_connection_and_after_the_last_run_there_is_none() {
    let (steps, _) = steps_of(
        "[Client] A\n\tjid: a@localhost\nA connects\nA receives:\n\t<message/>\nA sends:\n\t<presence/>\nA receives:\n\t<presence/>\nA disconnects\nA connects\nA receives:\n\t<presence/>\nA sends:\n\t<presence/>\nA receives:\n\t<message/>\n",
    );
    let silences = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Step::Silence(_, false)))
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    // connect, expect, [silence], send, expect, disconnect, connect,
    // expect, [silence], send, expect
    assert_eq!(silences, [2, 8]);
    assert_eq!(steps.len(), 11);
}

#[test]
fn unknown_verbs_are_noted() {
    let (steps, notes) = steps_of("[Client] A\n\tjid: a@localhost\nA connects\nA waits\n");
    assert_eq!(steps.len(), 1);
    assert_eq!(notes[0].line, 4);
    assert!(notes[0].message.contains("`A waits`"));
}

#[test]
fn a_script_without_a_client_is_not_converted() {
    let notes = convert("# Nothing\n\n[Component] X\n\tjid: x.localhost\n", "x.scs").unwrap_err();
    assert!(notes.iter().any(|n| n.message.contains("no [Client]")));
}

#[test]
fn the_file_reads_like_a_scenario() {
    let converted = convert(TWO_CLIENTS, "phone.scs").expect("converted");
    let text = &converted.toml;
    assert!(
        text.starts_with("title = \"Messages reach the phone\"\n"),
        "{text}"
    );
    assert!(text.contains("Converted by `xepspec import scansion` from phone.scs."));
    assert!(text.contains("\n[spec]\nxep = 45\n"));
    assert!(text.contains(
        "# [Client] Juliet's phone (juliet@localhost)\n[[actor]]\nname = \"juliet/mobile\"\nconnected = false\npresence = false\nanswers = \"scenario\"\n"
    ));
    assert!(
        text.contains("[[step]]\nnote = \"The phone comes online\"\nconnect = \"juliet/mobile\"\n")
    );
    assert!(text.contains(
        "[[step]]\nsend = \"romeo/orchard\"\nxml = '''\n<message to=\"{juliet/mobile}\">\n  <body>Hi</body>\n</message>'''\n"
    ));
    assert!(text.contains(
        "[[step]]\nexpect = \"juliet/mobile\"\nxml = '''<message from=\"{romeo/orchard}\"/>'''\n"
    ));
    assert!(
        !text.contains("silence = \"juliet/mobile\""),
        "one run: no silence"
    );
    assert!(text.contains("silence = \"juliet/juliet\""));
    let parsed: toml::Value = toml::from_str(text).expect("valid TOML");
    assert_eq!(parsed["actor"].as_array().map(Vec::len), Some(3));
    assert_eq!(parsed["step"].as_array().map(Vec::len), Some(7));
    assert_eq!(converted.notes.len(), 1, "{:?}", converted.notes);
}

#[test]
fn a_script_naming_no_specification_gets_a_placeholder() {
    let converted = convert(
        "# Ping\n[Client] A\n\tjid: a@localhost\nA connects\n",
        "ping.scs",
    )
    .expect("converted");
    assert!(
        converted.notes[0]
            .message
            .contains("[spec] is a placeholder")
    );
    assert!(converted.toml.contains("# A placeholder"));
    let rfc = convert(
        "# Roster\n## rfc: 6121\n[Client] A\n\tjid: a@localhost\nA connects\n",
        "roster.scs",
    )
    .expect("converted");
    assert!(rfc.notes.is_empty(), "{:?}", rfc.notes);
    assert!(
        rfc.toml
            .contains("The requirement is RFC 6121's (xep = 0).")
    );
    assert!(rfc.toml.contains("xep = 0\n"));
    assert!(converted.toml.contains(
        "xep = 0\nversions = []\nsection = \"unknown\"\nquote = \"Ping\"\nlevel = \"MUST\""
    ));
}

/// The fixture scripts, by file name.
fn fixtures() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scansion");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the fixture folder")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).expect("a fixture"))
        })
        .filter(|(name, _)| name.ends_with(".scs"))
        .collect();
    out.sort();
    out
}

#[test]
fn the_fixtures_convert_with_only_the_notes_they_are_written_to_cause() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 7, "fixtures found: {}", fixtures.len());
    for (name, text) in fixtures {
        let converted = convert(&text, &name).unwrap_or_else(|n| panic!("{name}: {n:?}"));
        let expected_notes = usize::from(name == "recorded_ping.scs");
        assert_eq!(
            converted.notes.len(),
            expected_notes,
            "{name}: {:?}",
            converted.notes
        );
        let parsed: toml::Value =
            toml::from_str(&converted.toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(parsed["step"].as_array().is_some_and(|s| !s.is_empty()));
    }
}

#[test]
fn the_fixtures_cover_every_construct() {
    let all: String = fixtures().into_iter().map(|(_, t)| t).collect();
    for construct in [
        "\n## ",
        "\n# ",
        "\n// ",
        "\n-- ",
        "\n-----",
        "[Client] ",
        "\tresource: ",
        "\tjid: romeo@localhost/",
        " connects\n",
        " disconnects\n",
        " sends:\n",
        " sends\n",
        " receives:\n",
        " receives\n",
        " receives: nothing\n",
        "'s full JID}",
        "'s phone's full JID}",
        "'s JID}",
        "{scansion:any}",
        "{scansion:capture:",
        "scansion:strict='true'",
        "scansion:strict='false'",
        "@conference.localhost",
        "mod_scansion_record",
    ] {
        assert!(all.contains(construct), "no fixture uses {construct:?}");
    }
}
