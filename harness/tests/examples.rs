//! `xepspec examples` on a fixture XEP with one seeded fault per check, on
//! the whole XEP corpus (the XEP sources' folder, see `xepspec::xeps`), and
//! through the binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xepspec::commands::examples::check;
use xepspec::examples::{Code, FileResult, Finding};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/examples")
}

fn fixture() -> FileResult {
    let file = fixtures().join("xep-9999.xml");
    let mut results = check(&[file], &fixtures()).expect("the fixture reads");
    assert_eq!(results.len(), 1);
    results.remove(0)
}

/// The XEP sources, found as `xepspec examples` finds them; a test that
/// needs them fails, naming the fix, when there are none.
fn corpus_dir() -> PathBuf {
    xepspec::xeps::locate(None).unwrap_or_else(|e| panic!("{e}"))
}

/// The line and column of the first `needle` in the fixture after `after`.
fn position_of(needle: &str, after: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(fixtures().join("xep-9999.xml")).unwrap();
    let start = text.find(after).expect("anchor in fixture");
    let at = start + text[start..].find(needle).expect("needle in fixture");
    xepspec::stanza::parse::line_column(&text, at)
}

fn in_example(result: &FileResult, n: usize) -> Vec<&Finding> {
    result.findings.iter().filter(|f| f.example == n).collect()
}

fn only(result: &FileResult, n: usize, code: Code) -> &Finding {
    let found = in_example(result, n);
    assert_eq!(found.len(), 1, "example {n}: {found:#?}");
    assert_eq!(found[0].code, code, "example {n}: {found:#?}");
    found[0]
}

#[test]
fn a_correct_example_and_prose_have_no_findings() {
    let result = fixture();
    assert_eq!(result.examples, 9);
    assert_eq!(result.xml_examples, 8, "the SRV record is not XML");
    assert!(
        in_example(&result, 1).is_empty(),
        "{:#?}",
        in_example(&result, 1)
    );
    assert!(in_example(&result, 9).is_empty());
}

#[test]
fn e001_not_well_formed_points_into_the_source() {
    let result = fixture();
    let f = only(&result, 2, Code::NotWellFormed);
    assert_eq!(f.caption, "Unclosed element");
    assert_eq!((f.line, f.column), position_of("</iq>", "id='e001'"));
}

#[test]
fn w002_unresolved_entity() {
    let result = fixture();
    let f = only(&result, 3, Code::UnresolvedEntity);
    assert!(f.message.contains("&nosuch;"), "{}", f.message);
    assert_eq!((f.line, f.column), position_of("&nosuch;", "w002"));
}

#[test]
fn w101_unknown_namespace_suggests_the_version_and_the_separator() {
    let result = fixture();
    let f = only(&result, 4, Code::UnknownNamespace);
    assert!(
        f.message
            .ends_with("did you mean 'urn:xmpp:fixture:1' (XEP-9999)?"),
        "{}",
        f.message
    );
    assert_eq!(
        (f.line, f.column),
        position_of("urn:xmpp:fixture:2", "w101a")
    );
    let f = only(&result, 5, Code::UnknownNamespace);
    assert!(
        f.message
            .contains("did you mean 'urn:xmpp:fixture:1#extra'"),
        "{}",
        f.message
    );
}

#[test]
fn w102_unknown_feature() {
    let result = fixture();
    let f = only(&result, 6, Code::UnknownFeature);
    assert!(
        f.message.contains("'urn:xmpp:fixture:1#extar'"),
        "{}",
        f.message
    );
    assert!(
        f.message
            .contains("did you mean 'urn:xmpp:fixture:1#extra'"),
        "{}",
        f.message
    );
}

#[test]
fn i202_the_parsers_refusal_is_a_note_with_its_message() {
    let result = fixture();
    let f = only(&result, 7, Code::ParserStricter);
    assert_eq!(f.severity, xepspec::examples::Severity::Info);
    assert!(
        f.message
            .starts_with("xmpp-parsers rejects <delay xmlns='urn:xmpp:delay'>: "),
        "{}",
        f.message
    );
    assert_eq!((f.line, f.column), position_of("<delay", "w201"));
}

#[test]
fn a_broken_example_is_mended_and_checked_at_its_own_positions() {
    let file = fixtures().join("xep-9998.xml");
    let result = check(std::slice::from_ref(&file), &fixtures()).expect("the fixture reads");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = |needle: &str| {
        let offset = text.find(needle).expect("needle in fixture");
        xepspec::stanza::parse::line_column(&text, offset)
    };
    let findings = &result[0].findings;
    let of = |code: Code| findings.iter().find(|f| f.code == code);
    let typed = of(Code::NotWellFormed).expect("the typed end tag");
    assert!(
        typed.message.contains("where its end tag </value> belongs"),
        "{typed:?}"
    );
    assert_eq!((typed.line, typed.column), at("<value></field>"));
    let form = of(Code::FormType).expect("the form without type, found after mending");
    assert_eq!((form.line, form.column), at("<x xmlns='jabber:x:data'>"));
}

#[test]
fn sketches_leave_out_ids_namespaces_and_xml_on_purpose() {
    let file = fixtures().join("xep-9997.xml");
    let result = check(std::slice::from_ref(&file), &fixtures()).expect("the fixture reads");
    let alarms: Vec<&Finding> = result[0]
        .findings
        .iter()
        .filter(|f| f.severity != xepspec::examples::Severity::Info)
        .collect();
    assert!(alarms.is_empty(), "{alarms:#?}");
    let own: Vec<&Finding> = result[0]
        .findings
        .iter()
        .filter(|f| f.code == Code::OwnNamespace)
        .collect();
    assert_eq!(
        own.len(),
        2,
        "the short name's namespace, each use: {own:#?}"
    );
    assert!(own[0].message.contains("states no namespace of its own"));
}

#[test]
fn w301_unregistered_field_and_e302_invalid_boolean() {
    let result = fixture();
    let found = in_example(&result, 8);
    assert_eq!(found.len(), 2, "{found:#?}");
    let field = found
        .iter()
        .find(|f| f.code == Code::UnregisteredField)
        .unwrap();
    assert!(
        field.message.contains("'fixture#color'"),
        "{}",
        field.message
    );
    assert!(
        field.message.contains("did you mean 'fixture#colour'"),
        "{}",
        field.message
    );
    let boolean = found
        .iter()
        .find(|f| f.code == Code::InvalidBoolean)
        .unwrap();
    assert!(boolean.message.contains("'yes'"), "{}", boolean.message);
    assert_eq!(
        (boolean.line, boolean.column),
        position_of("<value>yes", "w301")
    );
}

#[test]
fn e000_a_broken_source_is_a_finding_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("xepspec-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("xep-0001.xml");
    std::fs::write(&file, "<xep>\n<p>a</q>\n</xep>\n").unwrap();
    let results = check(std::slice::from_ref(&file), &fixtures()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let f = &results[0].findings[0];
    assert_eq!((f.code, f.line), (Code::SourceNotWellFormed, 2));
}

#[test]
fn the_binary_prints_json_and_exits_1_on_errors() {
    let output = Command::new(env!("CARGO_BIN_EXE_xepspec"))
        .arg("examples")
        .arg("--corpus")
        .arg(fixtures())
        .args(["--format", "json"])
        .arg(fixtures().join("xep-9999.xml"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 8);
    for key in [
        "file", "example", "line", "column", "severity", "code", "message",
    ] {
        assert!(findings.iter().all(|f| f.get(key).is_some()), "{key}");
    }
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "E001" && f["severity"] == "error")
    );
}

#[test]
fn the_whole_corpus_runs_in_seconds_with_documented_codes() {
    let dir = corpus_dir();
    let started = Instant::now();
    let results = check(&[], &dir).unwrap();
    let took = started.elapsed();
    assert!(results.len() >= 500, "{} files", results.len());
    assert!(took.as_secs() < 60, "took {took:?}");
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    for code in Code::ALL {
        let row = format!("| `{}` | `{}` |", code.id(), code.name());
        assert!(
            readme.contains(&row),
            "README lacks the row for {}",
            code.id()
        );
    }
    let counts = xepspec::examples::render::counts(&results);
    for code in [
        Code::NotWellFormed,
        Code::UnknownNamespace,
        Code::ParserStricter,
        Code::IqAttributes,
        Code::UnregisteredField,
    ] {
        assert!(
            counts.get(&code).copied().unwrap_or(0) > 0,
            "no {} in the corpus: {counts:?}",
            code.id()
        );
    }
    let bookmarks = results.iter().find(|r| r.file == "xep-0402.xml").unwrap();
    assert_eq!(bookmarks.examples, 14);
}

#[test]
fn xep_0402_seed_and_current_versions_read() {
    let dir = corpus_dir();
    let files = [
        dir.join("xep-0402.xml"),
        dir.join("history/xep-0402-0.2.1.xml"),
    ];
    let results = check(&files, &dir).unwrap();
    assert_eq!(results[0].examples, 14);
    assert_eq!(results[1].examples, 8);
    assert_eq!(results[0].xml_examples, 14);
    assert_eq!(results[1].xml_examples, 8);
}

mod skeletons {
    use super::*;
    use xepspec::examples::XepSource;
    use xepspec::examples::entities::Entities;
    use xepspec::examples::skeleton::skeletons;
    use xepspec::scenario::{StepKind, load_str};

    fn generate(path: &Path) -> xepspec::examples::skeleton::Skeletons {
        let entities =
            Entities::parse(&std::fs::read_to_string(corpus_dir().join("xep.ent")).unwrap());
        skeletons(&XepSource::read(path, &entities).unwrap())
    }

    fn loads(skeleton: &xepspec::examples::skeleton::Skeleton) -> xepspec::scenario::Scenario {
        let id = skeleton.path.with_extension("").display().to_string();
        load_str(&skeleton.text, &skeleton.path, &id)
            .unwrap_or_else(|e| panic!("{e}\n{}", skeleton.text))
    }

    #[test]
    fn xep_0402_current_becomes_one_scenario_per_server_stanza() {
        let generated = generate(&corpus_dir().join("xep-0402.xml"));
        let examples: Vec<usize> = generated.scenarios.iter().map(|s| s.example).collect();
        assert_eq!(examples, [5, 7, 9, 11, 12, 13, 14]);
        let skipped: Vec<usize> = generated.skipped.iter().map(|s| s.0).collect();
        assert_eq!(skipped, [1, 2, 3]);
        for skeleton in &generated.scenarios {
            let scenario = loads(skeleton);
            assert!(matches!(
                scenario.steps.last().map(|s| &s.kind),
                Some(StepKind::Expect(_))
            ));
        }
        let twelve = &generated.scenarios[4];
        assert_eq!(twelve.path, Path::new("xep-0402/1.2.0/example-12.toml"));
        let text = &twelve.text;
        assert!(
            text.contains("notify = [\"urn:xmpp:bookmarks:1\"]"),
            "{text}"
        );
        assert!(
            text.contains("<message from='{juliet}' to='{juliet/balcony}' type='headline'>"),
            "{text}"
        );
        assert!(
            text.contains("note = \"Example 6 (Client adds a new bookmark)\""),
            "{text}"
        );
        assert!(text.contains("setup, unchecked: Example 4"), "{text}");
        assert!(
            !text.contains("new-room1"),
            "a message's own id is left out"
        );
        let fourteen = &generated.scenarios[6].text;
        assert!(
            fourteen.contains("Example 10 (Client removes a new bookmark)"),
            "{fourteen}"
        );
        let seven = &generated.scenarios[1].text;
        assert!(
            seven.contains("<iq to='{juliet/balcony}' type='result' id='{id}'/>"),
            "{seven}"
        );
    }

    #[test]
    fn xep_0402_seed_becomes_three_scenarios() {
        let generated = generate(&corpus_dir().join("history/xep-0402-0.2.1.xml"));
        let examples: Vec<usize> = generated.scenarios.iter().map(|s| s.example).collect();
        assert_eq!(examples, [4, 6, 8]);
        for skeleton in &generated.scenarios {
            loads(skeleton);
            assert!(skeleton.path.starts_with("xep-0402/0.2.1"));
        }
    }
}

#[path = "examples/measured.rs"]
mod measured;
