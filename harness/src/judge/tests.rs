use std::path::Path;

use super::*;
use crate::scenario::{load_str, plan};
use crate::verdict::SetupStep;

fn cases() -> Vec<Case> {
    let text = r#"
title = "t"
[spec]
xep = 402
versions = ["1.2.0"]
section = "2"
quote = "q"
level = "MUST"
[parameters]
autojoin = ["1", "true"]
[equivalent]
autojoin = [["1", "true"]]
[[actor]]
name = "juliet/balcony"
[[step]]
send = "juliet/balcony"
xml = "<presence/>"
"#;
    let scenario = load_str(text, Path::new("x/s.toml"), "x/s").expect("loads");
    plan(&[scenario], None)
}

fn info() -> TargetInfo {
    TargetInfo {
        name: "mine".into(),
        server: "ejabberd".into(),
        version: "23.01-1".into(),
        image: None,
    }
}

fn known(before: Option<&str>) -> KnownFailure {
    KnownFailure {
        target: None,
        server: Some("ejabberd".into()),
        versions: before.map(|b| version::VersionRange {
            from: None,
            before: Some(b.into()),
        }),
        case: "x/s".into(),
        reason: "it fails".into(),
        kind: FailureKind::Bug,
        link: Some("https://example.org/1".into()),
        no_link: None,
    }
}

fn verdict(grade: Grade) -> Verdict {
    Verdict::without_evidence(grade, None)
}

#[test]
fn a_listed_failure_is_xfail_and_a_listed_pass_is_stale() {
    let cases = cases();
    let judge = Judge::new(vec![known(None)], &cases);
    let on = judge.for_target(&info());
    let failed = on.judge(&cases[0], &verdict(Grade::Fail));
    assert_eq!(failed.outcome, Outcome::Xfail);
    assert!(
        failed
            .note
            .as_deref()
            .is_some_and(|n| n.contains("it fails [bug]"))
    );
    assert!(!failed.fails_run(false));
    let passed = on.judge(&cases[0], &verdict(Grade::Pass));
    assert_eq!(passed.outcome, Outcome::Pass);
    assert!(passed.stale_expectation.is_some() && passed.fails_run(false));
}

#[test]
fn a_known_failure_outside_its_versions_does_not_apply() {
    let cases = cases();
    let judge = Judge::new(vec![known(Some("23.01"))], &cases);
    let judged = judge
        .for_target(&info())
        .judge(&cases[0], &verdict(Grade::Fail));
    assert_eq!(judged.outcome, Outcome::Fail);
    assert!(judged.known_failure.is_none());
}

#[test]
fn a_failed_setup_step_blocks_rather_than_fails() {
    let cases = cases();
    let judge = Judge::new(vec![known(None)], &cases);
    let mut evidence = verdict(Grade::Fail);
    evidence.step_line = Some(12);
    evidence.setup_step = Some(SetupStep {
        tested_by: vec!["xep-0163/3-auto-create".into()],
        answer: Some("<iq type='error'/>".into()),
    });
    let judged = judge.for_target(&info()).judge(&cases[0], &evidence);
    assert_eq!(judged.outcome, Outcome::Blocked);
    let note = judged.note.unwrap_or_default();
    assert!(note.contains("line 12") && note.contains("xep-0163/3-auto-create"));
    assert!(note.contains("<iq type='error'/>"), "{note}");
    assert_eq!(evidence.grade, Grade::Fail, "the verdict stays as it was");
}

#[test]
fn errors_stay_errors_and_cells_know_their_equivalence_group() {
    let cases = cases();
    let judge = Judge::new(Vec::new(), &cases);
    let judged = judge
        .for_target(&info())
        .judge(&cases[1], &verdict(Grade::Error));
    assert_eq!(judged.outcome, Outcome::Error);
    assert_eq!(judged.equivalence.len(), 1);
    assert_eq!(judged.equivalence[0].parameter, "autojoin");
}
