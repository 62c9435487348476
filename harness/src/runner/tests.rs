use std::time::Duration;

use super::*;
use crate::judge::{Judgement, Outcome};
use crate::matrix::{CaseInfo, Cell};
use crate::scenario::Level;
use crate::server::TargetInfo;
use crate::verdict::{Grade, Verdict};

fn started() -> Event {
    let case = |id: &str| CaseInfo {
        id: id.into(),
        title: String::new(),
        xep: 60,
        versions: Vec::new(),
        section: "7.1".into(),
        quote: String::new(),
        level: Level::Must,
        actors: Vec::new(),
    };
    Event::RunStarted {
        events_version: EVENTS_VERSION,
        xepspec_version: "0".into(),
        shard: None,
        targets: vec![TargetInfo {
            name: "t".into(),
            server: "Prosody".into(),
            version: "unknown".into(),
            image: None,
        }],
        cases: vec![case("a"), case("b"), case("c")],
        cells: 3,
    }
}

fn finished(case: &str, grade: Grade) -> Event {
    let mut verdict = Verdict::without_evidence(grade, None);
    verdict.duration = Duration::from_millis(3);
    Event::CellFinished {
        cell: Box::new(Cell {
            case: case.into(),
            target: "t".into(),
            verdict,
            judgement: Judgement::plain(grade),
        }),
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "xepspec-events-{name}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ))
}

#[test]
fn a_log_cut_short_replays_as_an_interrupted_run_with_its_cells_in_plan_order() {
    let path = scratch("cut").join("events.jsonl");
    let mut log = EventLog::create(&path).expect("creates");
    for event in [
        started(),
        finished("c", Grade::Pass),
        finished("a", Grade::Fail),
    ] {
        log.on_event(&event);
    }
    assert!(log.finish().is_ok());
    // The process died in the middle of a line.
    let mut text = std::fs::read_to_string(&path).expect("reads");
    text.push_str("{\"event\":\"cell-fini");
    std::fs::write(&path, text).expect("writes");
    let events = event_log::read(&path).expect("a cut last line is dropped");
    let result = replay(&events, Vec::new());
    let matrix = result.matrix;
    assert!(matrix.interrupted);
    let order: Vec<&str> = matrix.cells.iter().map(|c| c.case.as_str()).collect();
    assert_eq!(order, ["a", "c"]);
    assert_eq!(matrix.cells[0].outcome(), Outcome::Fail);
    let _ = std::fs::remove_dir_all(path.parent().expect("has a folder"));
}

#[test]
fn a_finished_log_is_not_interrupted_and_a_foreign_file_is_refused() {
    let events = vec![
        started(),
        finished("b", Grade::Pass),
        Event::RunFinished { elapsed_ms: 5.0 },
    ];
    assert!(!replay(&events, Vec::new()).matrix.interrupted);
    let path = scratch("foreign");
    std::fs::write(&path, "{\"event\":\"run-finished\",\"elapsed_ms\":1.0}\n").expect("writes");
    let refused = event_log::read(&path).unwrap_err();
    assert!(refused.contains("not an xepspec event log"), "{refused}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_plan_keeps_only_the_cells_asked_for() {
    let text = "title = \"t\"\n[spec]\nxep = 60\nversions = [\"1\"]\nsection = \"1\"\nquote = \"q\"\nlevel = \"MUST\"\n[parameters]\nv = [\"a\", \"b\"]\n[[actor]]\nname = \"juliet/balcony\"\n[[step]]\nsend = \"juliet/balcony\"\nxml = \"<presence/>\"\n";
    let scenario =
        crate::scenario::load_str(text, std::path::Path::new("x/s.toml"), "x/s").expect("loads");
    let cases = crate::scenario::plan(&[scenario], None);
    let target = |name: &str| {
        TargetChoice::External(crate::server::ExternalServer {
            address: Some("127.0.0.1:5222".into()),
            domain: name.into(),
            tls: crate::session::TlsMode::None,
            insecure: false,
            register: true,
            accounts: None,
        })
    };
    let plan = Plan::new(cases, vec![target("one"), target("two")]);
    assert_eq!(plan.cells.len(), 4);
    let only = plan.only(|case, _| case.ends_with("[v=b]"));
    assert_eq!(only.cells, vec![(1, 0), (1, 1)]);
}
