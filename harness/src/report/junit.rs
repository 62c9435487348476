//! `junit.xml`: one testsuite per target, one testcase per case, as CI
//! systems read them. Failures carry the reason and the spec quote.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::wire_log;
use crate::judge::Outcome;
use crate::matrix::{Cell, Matrix};

/// The matrix as JUnit XML; `strict` makes `unsupported` cells failures.
pub fn junit(matrix: &Matrix, strict: bool) -> Result<String, String> {
    let mut report = Report::new("xepspec");
    for target in &matrix.targets {
        let mut suite = TestSuite::new(target.name.as_str());
        suite.add_property(Property::new("server", target.server.as_str()));
        suite.add_property(Property::new("version", target.version.as_str()));
        let mut time = Duration::ZERO;
        for cell in matrix.cells.iter().filter(|c| c.target == target.name) {
            time += cell.verdict.duration;
            suite.add_test_case(test_case(matrix, cell, strict));
        }
        for found in matrix
            .equivalence
            .iter()
            .filter(|f| f.target == target.name)
        {
            let name = format!("{}::equivalent-{}", found.scenario, found.parameter);
            let status = failure(
                NonSuccessKind::Failure,
                "equivalence",
                &found.describe(),
                "equivalent lexical forms must lead to the same server behaviour",
            );
            let mut case = TestCase::new(name, status);
            case.set_classname(format!("{}.equivalence", target.name));
            suite.add_test_case(case);
        }
        suite.set_time(time);
        report.add_test_suite(suite);
    }
    report
        .to_string()
        .map_err(|e| format!("writing JUnit XML: {e}"))
}

fn test_case(matrix: &Matrix, cell: &Cell, strict: bool) -> TestCase {
    let verdict = &cell.verdict;
    let info = matrix.case(&cell.case);
    let quote = info
        .map(|c| {
            format!(
                "{} §{} ({}): \"{}\"",
                crate::scenario::spec_name(c.xep),
                c.section,
                c.level.as_str(),
                c.quote
            )
        })
        .unwrap_or_default();
    let judgement = &cell.judgement;
    let outcome = judgement.outcome;
    let reason = [judgement.note.clone(), verdict.reason.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
    let status = if let Some(stale) = &judgement.stale_expectation {
        failure(NonSuccessKind::Failure, "stale-expectation", stale, &quote)
    } else if let Some(snapshot) = judgement.snapshot.filter(|s| s.fails_run()) {
        let message = format!(
            "graded {outcome}, but the snapshot is {} (behaviour changed since the accepted run)",
            snapshot.as_str()
        );
        failure(NonSuccessKind::Failure, "snapshot", &message, &quote)
    } else if let Some(problem) = &judgement.snapshot_problem {
        failure(NonSuccessKind::Error, "snapshot", problem, &quote)
    } else {
        match outcome {
            Outcome::Pass => TestCaseStatus::success(),
            Outcome::Fail => failure(NonSuccessKind::Failure, "fail", &reason, &quote),
            Outcome::Error => failure(NonSuccessKind::Error, "error", &reason, &quote),
            Outcome::Unsupported if strict => {
                failure(NonSuccessKind::Failure, "unsupported", &reason, &quote)
            }
            Outcome::Unsupported | Outcome::Xfail | Outcome::NonStrict | Outcome::Blocked => {
                let mut status = TestCaseStatus::skipped();
                status
                    .set_type(outcome.as_str())
                    .set_message(format!("{outcome}: {reason}"))
                    .set_description(quote.clone());
                status
            }
        }
    };
    let mut case = TestCase::new(cell.case.as_str(), status);
    case.set_classname(format!(
        "{}.{}",
        cell.target,
        crate::scenario::spec_name(info.map_or(0, |c| c.xep)).to_lowercase()
    ));
    case.set_time(verdict.duration);
    if outcome != Outcome::Pass {
        case.set_system_out(wire_log(verdict));
    }
    case
}

fn failure(kind: NonSuccessKind, ty: &str, message: &str, quote: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status
        .set_type(ty)
        .set_message(message)
        .set_description(quote);
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::Judgement;
    use crate::server::TargetInfo;
    use crate::verdict::{Grade, Verdict};

    #[test]
    fn a_blocked_cell_is_skipped_with_its_reason() {
        let mut judgement = Judgement::plain(Grade::Fail);
        judgement.outcome = Outcome::Blocked;
        judgement.note = Some("blocked by a failed setup step (line 9)".into());
        let cell = Cell {
            case: "xep-0060/7.2-retract-notify".into(),
            target: "t".into(),
            verdict: Verdict::without_evidence(Grade::Fail, Some("no publish result".into())),
            judgement,
        };
        let target = TargetInfo {
            name: "t".into(),
            server: "Prosody".into(),
            version: "13".into(),
            image: None,
        };
        let xml =
            junit(&Matrix::new(vec![target], Vec::new(), vec![cell]), false).expect("renders");
        assert!(xml.contains("<skipped"), "{xml}");
        assert!(xml.contains("type=\"blocked\""), "{xml}");
        assert!(
            xml.contains("blocked by a failed setup step (line 9); no publish result"),
            "{xml}"
        );
        assert!(!xml.contains("<failure"), "{xml}");
    }
}
