//! The mutant targets: each breaks one requirement on purpose, and the suite
//! must say so. Every mutant of the catalogue gets a trial
//! `<mutant>::killed`: some case quoting a statement it breaks passes on its
//! clean parent and fails on it (the comparison is `xepspec mutants`'s,
//! `xepspec::mutants::KillMatrix`). All the mutants and their parents run in
//! one plan, at once.
//!
//! The no-autocreate mutant is also checked case by case: on
//! `prosody-13-no-autocreate` (no PEP auto-create) the cases that test
//! auto-create fail at their own step, the cases that only relied on it
//! stop at a `setup` step answered `<item-not-found/>` and name an
//! auto-create case, which the judge makes `blocked` (the auto-create cases
//! stay `fail`), and no other case stops at a setup step for that reason.
//! Needs a Docker Engine; builds the images (and the ones they start from)
//! if missing. `XEPSPEC_TARGETS` narrows the mutants (one without a mutant
//! leaves no trials).

mod support;

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use support::board::Board;
use xepspec::judge::Outcome;
use xepspec::matrix::{CaseInfo, Cell};
use xepspec::mutants::{self, KillMatrix, Selection, Standing};
use xepspec::scenario::{Case, ScenarioSource, plan};
use xepspec::server::{Catalog, TargetDef};
use xepspec::verdict::{Grade, Verdict};

/// The mutant without PEP auto-create.
const NO_AUTOCREATE: &str = "prosody-13-no-autocreate";

/// Cases whose own step fails without auto-create: those testing it, and
/// XEP-0402 adding a bookmark, whose tested publish is the node's first.
const OWN_STEP: &[&str] = &[
    "xep-0163/3-auto-create-advertised",
    "xep-0223/3-auto-create-supported",
    "xep-0223/3-auto-create[node=urn:xmpp:tmp:xepspec]",
    "xep-0223/3-storing-data-publish-options[node=urn:xmpp:tmp:xepspec]",
    "xep-0402/3.3-adding-a-bookmark",
];

/// Cases that only relied on auto-create to set their stage (the first
/// publish to the node they then examine).
const SETUP_STEP: &[&str] = &[
    "xep-0060/13.7-notification-type-headline",
    "xep-0060/5.5-discover-items-no-node-attribute",
    "xep-0060/7.1.2-publish-result-item-empty",
    "xep-0060/9.2-no-notification-without-interest",
    "xep-0060/7.1.2-publish-result-item-id",
    "xep-0060/7.1.5-precondition-default-value",
    "xep-0060/7.2-retract-notify-absent",
    "xep-0223/2-items-persist-after-logout",
    "xep-0060/6.5.1-whitelist-denies-other-entities",
    "xep-0060/6.5.9.8-not-on-whitelist",
    "xep-0060/7.1.5-boolean-lexical-forms-false[again=0,persist=0]",
    "xep-0060/7.1.5-boolean-lexical-forms-false[again=0,persist=false]",
    "xep-0060/7.1.5-boolean-lexical-forms-false[again=false,persist=0]",
    "xep-0060/7.1.5-boolean-lexical-forms-false[again=false,persist=false]",
    "xep-0060/7.1.5-boolean-lexical-forms[again=1,persist=1]",
    "xep-0060/7.1.5-boolean-lexical-forms[again=1,persist=true]",
    "xep-0060/7.1.5-boolean-lexical-forms[again=true,persist=1]",
    "xep-0060/7.1.5-boolean-lexical-forms[again=true,persist=true]",
    "xep-0060/7.1.5-precondition-not-met[model=open]",
    "xep-0060/7.1.5-precondition-not-met[model=presence]",
    "xep-0060/7.2-retract-notify-false[notify=0]",
    "xep-0060/7.2-retract-notify-false[notify=false]",
    "xep-0060/7.2-retract-notify[notify=1]",
    "xep-0060/7.2-retract-notify[notify=true]",
    "xep-0060/7.2.3.1-retract-insufficient-privileges",
    "xep-0060/7.2.3.2-retract-nonexistent-item",
    "xep-0163/4-notifications-to-owner-resources",
    "xep-0163/4.2-interest-added-by-presence-update",
    "xep-0163/4.3.2-one-notification-per-resource",
    "xep-0163/4.3.3-initial-presence-after-unavailable",
    "xep-0163/4.3.3-presence-update-no-notification",
    "xep-0163/4.3.4-last-published-item-on-presence",
    "xep-0163/6.2-disco-items-hides-whitelist-nodes",
    "xep-0223/2-node-configured-whitelist[node=urn:xmpp:tmp:xepspec]",
    "xep-0223/2-whitelist-hides-notifications-from-contacts[node=storage:bookmarks]",
    "xep-0223/2-whitelist-hides-notifications-from-contacts[node=urn:xmpp:tmp:xepspec]",
    "xep-0223/3-notifications-to-owner-resources[node=urn:xmpp:tmp:xepspec]",
    "xep-0223/8-event-origin-is-own-account",
    "xep-0402/2-autojoin-lexical-forms[autojoin=0]",
    "xep-0402/2-autojoin-lexical-forms[autojoin=1]",
    "xep-0402/2-autojoin-lexical-forms[autojoin=false]",
    "xep-0402/2-autojoin-lexical-forms[autojoin=true]",
    "xep-0402/3.2-retrieving-all-bookmarks",
    "xep-0402/3.3-bookmarks-not-readable-by-others",
    "xep-0402/3.3-send-last-published-item-never",
    "xep-0402/3.4-editing-a-bookmark",
    "xep-0402/3.5-removing-a-bookmark",
    "xep-0402/5.3-compat-bookmarks2-to-private-xml",
    "xep-0402/5.3.1-compat-autojoin-verbatim[autojoin=0]",
    "xep-0402/5.3.1-compat-autojoin-verbatim[autojoin=1]",
    "xep-0402/5.3.1-compat-autojoin-verbatim[autojoin=false]",
    "xep-0402/5.3.1-compat-autojoin-verbatim[autojoin=true]",
];

/// What a service without auto-create answers a publish to a missing node
/// (XEP-0060 §7.1.3.3).
const NOT_FOUND: &str = "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>";

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    args.test_threads.get_or_insert(16);
    let cases = match ScenarioSource::bundled().load() {
        Ok(scenarios) => plan(&scenarios, None),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let every_mutant: Vec<String> = match Catalog::default_catalog() {
        Ok(catalog) => catalog.mutants().into_iter().map(|d| d.name).collect(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let names: Vec<&str> = every_mutant.iter().map(String::as_str).collect();
    let (catalog, defs, runtime) = match support::setup("mutant trials", &names) {
        Ok(setup) => setup,
        Err(code) => return code,
    };
    let chosen: Vec<String> = defs
        .iter()
        .filter(|d| d.mutant.is_some())
        .map(|d| d.name.clone())
        .collect();
    let selection = if chosen.is_empty() {
        Selection {
            parents: Vec::new(),
            mutants: Vec::new(),
        }
    } else {
        match mutants::select(&catalog, &chosen) {
            Ok(selection) => selection,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let board = Board::new();
    let infos: Arc<Vec<CaseInfo>> = Arc::new(cases.iter().map(CaseInfo::of).collect());
    let mut trials = Vec::new();
    let mut needed = BTreeSet::new();
    for def in &selection.mutants {
        // Only the cases that can kill it on target: the trial needs their
        // cells on the mutant and its parent; `xepspec mutants` runs all.
        let quoting: Arc<Vec<CaseInfo>> = Arc::new(
            infos
                .iter()
                .filter(|info| quotes_a_broken_statement(def, info))
                .cloned()
                .collect(),
        );
        let trial = killed_trial(def, &quoting, &board);
        if !args.is_filtered_out(&trial) {
            for case in quoting.iter() {
                for target in [&def.name, &parent_of(def)] {
                    needed.insert((case.id.clone(), target.clone()));
                }
            }
        }
        trials.push(trial);
    }
    if selection.mutants.iter().any(|d| d.name == NO_AUTOCREATE) {
        trials.push(lists_trial(NO_AUTOCREATE, &cases));
        for case in &cases {
            let (board, id) = (board.clone(), case.id.clone());
            let trial = Trial::test(format!("{NO_AUTOCREATE}::{}", case.id), move || {
                trial(&board.cell(&id, NO_AUTOCREATE)?)
            });
            if !args.is_filtered_out(&trial) {
                needed.insert((case.id.clone(), NO_AUTOCREATE.to_owned()));
            }
            trials.push(trial);
        }
    }
    // Every mutant and parent in one plan, through the one pipeline, judged
    // as `xepspec mutants` judges them (no known failure softens a cell).
    let judge = mutants::judge(&cases);
    let background = (!args.list && !needed.is_empty()).then(|| {
        let plan = selection
            .plan(cases.clone(), 16)
            .only(|case, target| needed.contains(&(case.to_owned(), target.to_owned())));
        support::run_in_background(runtime.clone(), catalog.clone(), plan, judge, board.clone())
    });
    let conclusion = libtest_mimic::run(&args, trials);
    if let Some(run) = background {
        let _ = run.join();
    }
    conclusion.exit_code()
}

/// Whether `info` quotes one of the statements the mutant `def` breaks.
fn quotes_a_broken_statement(def: &TargetDef, info: &CaseInfo) -> bool {
    def.mutant
        .as_ref()
        .is_some_and(|m| m.breaks.iter().any(|b| b.names(info.xep, &info.section)))
}

/// The clean target `def` is built from.
fn parent_of(def: &TargetDef) -> String {
    def.from.clone().unwrap_or_default()
}

/// `<mutant>::killed`: the cells of the cases quoting a statement the
/// mutant breaks, on the mutant and its parent, compared as `xepspec
/// mutants` compares them; one of them must pass on the parent and fail on
/// the mutant.
fn killed_trial(def: &TargetDef, infos: &Arc<Vec<CaseInfo>>, board: &Arc<Board>) -> Trial {
    let (def, infos, board) = (def.clone(), infos.clone(), board.clone());
    Trial::test(format!("{}::killed", def.name), move || {
        let parent = parent_of(&def);
        let mut cells: Vec<Cell> = Vec::new();
        for case in infos.iter() {
            cells.push(board.cell(&case.id, &parent)?);
            cells.push(board.cell(&case.id, &def.name)?);
        }
        let matrix = KillMatrix::of(std::slice::from_ref(&def), &infos, &cells);
        if !matrix.parent_errors.is_empty() {
            return Err(format!("errors on {parent}: {}", matrix.parent_errors.join("; ")).into());
        }
        let row = &matrix.mutants[0];
        if row.standing == Standing::Killed {
            return Ok(());
        }
        let kills: Vec<String> = row
            .kills
            .iter()
            .map(|k| format!("{} ({})", k.case, k.spec))
            .collect();
        let other: Vec<String> = row
            .other
            .iter()
            .map(|c| format!("{}: {} -> {}", c.case, c.parent.as_str(), c.mutant.as_str()))
            .collect();
        Err(format!(
            "{}: no case quoting {} went from pass to fail; off-target kills: {kills:?}; \
             blocked: {}; other changes: {other:?}",
            row.standing.as_str(),
            row.breaks.join(", "),
            row.blocked.len()
        )
        .into())
    })
}

/// The expected cases exist, so a renamed case cannot pass unnoticed.
fn lists_trial(target: &str, cases: &[Case]) -> Trial {
    let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    Trial::test(format!("{target}::lists-name-existing-cases"), move || {
        let missing: Vec<&&str> = OWN_STEP
            .iter()
            .chain(SETUP_STEP)
            .filter(|id| !ids.iter().any(|c| c == **id))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("no such case: {missing:?}").into())
        }
    })
}

fn trial(cell: &Cell) -> Result<(), Failed> {
    let (verdict, judged) = (&cell.verdict, cell.outcome());
    let id = cell.case.as_str();
    let outcome = if OWN_STEP.contains(&id) {
        fails_at_own_step(verdict).and_then(|()| judged_as(judged, Outcome::Fail))
    } else if SETUP_STEP.contains(&id) {
        blocked_by_auto_create(verdict).and_then(|()| judged_as(judged, Outcome::Blocked))
    } else {
        not_blocked_by_auto_create(verdict)
    };
    outcome.map_err(|e| Failed::from(format!("{e}\nverdict: {}", describe(verdict))))
}

fn judged_as(judged: Outcome, wanted: Outcome) -> Result<(), String> {
    if judged == wanted {
        Ok(())
    } else {
        Err(format!("judged {judged}, expected {wanted}"))
    }
}

fn fails_at_own_step(verdict: &Verdict) -> Result<(), String> {
    if verdict.grade != Grade::Fail {
        return Err(format!("graded {}, expected fail", verdict.grade));
    }
    match &verdict.setup_step {
        None => Ok(()),
        Some(_) => Err("stopped at a setup step, expected its own step".into()),
    }
}

fn blocked_by_auto_create(verdict: &Verdict) -> Result<(), String> {
    if verdict.grade != Grade::Fail {
        return Err(format!("graded {}, expected fail", verdict.grade));
    }
    let setup = verdict
        .setup_step
        .as_ref()
        .ok_or("failed at its own step, expected a setup step")?;
    if !setup
        .answer
        .as_deref()
        .is_some_and(|a| a.contains(NOT_FOUND))
    {
        return Err(format!("setup step answered {:?}", setup.answer));
    }
    let named = |id: &String| {
        OWN_STEP
            .iter()
            .any(|own| own.split('[').next() == Some(id) || own == id)
    };
    if !setup.tested_by.iter().any(named) {
        return Err(format!(
            "the setup step names {:?}, no auto-create case",
            setup.tested_by
        ));
    }
    Ok(())
}

fn not_blocked_by_auto_create(verdict: &Verdict) -> Result<(), String> {
    match &verdict.setup_step {
        Some(s) if s.answer.as_deref().is_some_and(|a| a.contains(NOT_FOUND)) => {
            Err("stopped at a setup step by item-not-found: add it to SETUP_STEP".into())
        }
        _ => Ok(()),
    }
}

fn describe(verdict: &Verdict) -> String {
    format!(
        "{} at line {:?}: {}",
        verdict.grade,
        verdict.step_line,
        verdict.reason.as_deref().unwrap_or("-")
    )
}
