//! Fault injection: a slice of the suite run through a TCP proxy of our own
//! (`support/proxy.rs`) between the sessions and a real server, a container
//! started here and addressed as an external target, plain text so that
//! the proxy can read the login. One trial per target × mode:
//!
//! - the shaping modes (fragment, coalesce, 20 ms delay, 30 ms jitter) must
//!   change no grade from the direct run;
//! - the faults (a cut after N bytes, mid-login; a cut at a seeded random
//!   point after login; a stall after login) must make every cell they
//!   touched `error`, never `fail`, `pass`, `non-strict` or `unsupported`,
//!   and leave the other cells as they were;
//! - every run ends within its bound and writes its reports.
//!
//! Three `proxy::` trials check the proxy itself against a fake server.
//!
//! `XEPSPEC_TARGETS` narrows the targets (default prosody-13, ejabberd-26).

#[path = "faults/cells.rs"]
mod cells;
#[path = "faults/proxy_check.rs"]
mod proxy_check;
#[path = "faults/server.rs"]
mod server;
mod support;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use support::proxy::{Action, Mode, Point};
use xepspec::scenario::{Case, ScenarioSource, StepKind, plan};
use xepspec::verdict::Grade;

/// The slice: expect, any_order and expect_none steps, setup steps, one,
/// two and three actors, and a `disconnect` step.
const SLICE: &[&str] = &[
    "xep-0049/2.1-store-and-retrieve",
    "xep-0049/2.3-other-user-get-denied",
    "xep-0060/6.5.9.11-retrieve-nonexistent-node",
    "xep-0060/7.1.5-precondition-not-met",
    "xep-0060/7.2-retract-notify",
    "xep-0163/4-notifications-to-owner-resources",
    "xep-0223/2-whitelist-hides-notifications-from-contacts",
    "xep-0223/3-notifications-to-owner-resources",
    "xep-0402/3.3-adding-a-bookmark",
];

/// Every expectation's timeout in this file's runs (the suite's default is
/// 2 s): a stall makes the step wait it out, and these servers answer in
/// milliseconds.
const STEP_TIMEOUT: Duration = Duration::from_millis(1000);

/// Fragments are 1 to this many bytes long. Only what the server sends is
/// fragmented: the harness's reading is what this file tests. Prosody with
/// Debian's expat (2.5.0+deb12u5 on bookworm, 2.9 on trixie and forky)
/// does not answer a stream header that arrives a few bytes at a time with
/// pauses between them: expat's reparse deferral (since 2.6.0, backported)
/// waits for more input before parsing a token that spans many feeds
/// (libexpat/libexpat#895). Measured with the header sent in 1-byte writes
/// 1 ms apart: no stream features in 1.5 s, 20 times out of 20, on both
/// images; ejabberd answers.
const FRAGMENT_MAX: usize = 8;

fn modes() -> Vec<(&'static str, Mode)> {
    let fault = |action, point| Mode::Fault { action, point };
    // The stall first: it takes longest (each touched cell waits out a step,
    // then a ping).
    vec![
        (
            "stall-after-login",
            fault(Action::Stall, Point::AfterLogin(cells::STALL_AFTER)),
        ),
        (
            "fragment",
            Mode::Fragment {
                seed: 18,
                max: FRAGMENT_MAX,
            },
        ),
        ("coalesce", Mode::Coalesce),
        ("delay", Mode::Delay(Duration::from_millis(20))),
        (
            "jitter",
            Mode::Jitter {
                seed: 18,
                max: Duration::from_millis(30),
            },
        ),
        (
            "cut-mid-login",
            fault(Action::Cut, Point::FromStart(cells::MID_LOGIN)),
        ),
        (
            "cut-random-after-login",
            fault(
                Action::Cut,
                Point::RandomAfterLogin {
                    seed: 18,
                    below: cells::RANDOM_BELOW,
                },
            ),
        ),
    ]
}

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    // Trials wait for a free lane of their server; servers run side by side.
    args.test_threads.get_or_insert(16);
    let cases = match slice() {
        Ok(cases) => Arc::new(cases),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (catalog, defs, runtime) =
        match support::setup("fault trials", &["prosody-13", "ejabberd-26"]) {
            Ok(setup) => setup,
            Err(code) => return code,
        };
    let servers: Vec<Arc<server::Server>> = defs
        .into_iter()
        .map(|def| Arc::new(server::Server::new(catalog.clone(), def)))
        .collect();
    let mut trials = Vec::new();
    for (mode_name, mode) in std::iter::once(("baseline", Mode::Pass)).chain(modes()) {
        for server in &servers {
            for (part, some) in parts(server, mode_name, &cases) {
                let (server, all, runtime) = (server.clone(), cases.clone(), runtime.clone());
                let name = format!("{}::{mode_name}{part}", server.name);
                trials.push(Trial::test(name, move || {
                    runtime.block_on(trial(&server, &all, &some, mode_name, mode))
                }));
            }
        }
    }
    type Check = fn() -> futures::future::BoxFuture<'static, Result<(), Failed>>;
    let checks: [(&str, Check); 3] = [
        ("cut-after-login", || {
            Box::pin(proxy_check::cut_after_login())
        }),
        ("stall-keeps-it-open", || {
            Box::pin(proxy_check::stall_keeps_it_open())
        }),
        ("shaping-keeps-the-bytes", || {
            Box::pin(proxy_check::shaping_keeps_the_bytes())
        }),
    ];
    for (name, check) in checks {
        let runtime = runtime.clone();
        trials.push(Trial::test(format!("proxy::{name}"), move || {
            runtime.block_on(check())
        }));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    // The containers go even when a trial failed or panicked.
    drop(servers);
    drop(runtime);
    conclusion.exit_code()
}

/// The stall on a server that takes one case at a time is the long pole
/// (each cell waits out its presence, a ping and a close, one after the
/// other: 67 s measured on ejabberd-26), so it runs as [`STALL_PARTS`]
/// trials of a part of the slice each, side by side on lanes of their own.
/// Every other trial runs the whole slice (suffix "").
fn parts(
    server: &server::Server,
    mode_name: &str,
    cases: &Arc<Vec<Case>>,
) -> Vec<(String, Arc<Vec<Case>>)> {
    if mode_name != "stall-after-login" || !server.one_at_a_time() {
        return vec![(String::new(), cases.clone())];
    }
    let size = cases.len().div_ceil(STALL_PARTS);
    cases
        .chunks(size)
        .enumerate()
        .map(|(i, chunk)| {
            let n = cases.len().div_ceil(size);
            (format!("::part-{}-of-{n}", i + 1), Arc::new(chunk.to_vec()))
        })
        .collect()
}

/// How many parts the stall trial of a one-case-at-a-time server has.
const STALL_PARTS: usize = 3;

/// The slice's cases, every expectation waiting [`STEP_TIMEOUT`].
fn slice() -> Result<Vec<Case>, String> {
    let mut scenarios = ScenarioSource::bundled()
        .load()
        .map_err(|e| e.to_string())?;
    scenarios.retain(|s| SLICE.contains(&s.id.as_str()));
    if scenarios.len() != SLICE.len() {
        let found: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
        return Err(format!(
            "the slice names missing scenarios (found {found:?})"
        ));
    }
    for scenario in &mut scenarios {
        for step in &mut scenario.steps {
            match &mut step.kind {
                StepKind::Expect(e) | StepKind::ExpectNone(e) => e.timeout = STEP_TIMEOUT,
                StepKind::AnyOrder(group) => {
                    group.iter_mut().for_each(|e| e.timeout = STEP_TIMEOUT)
                }
                _ => {}
            }
        }
    }
    // One case of each scenario: its first parameter values.
    let mut cases = plan(&scenarios, None);
    cases.dedup_by(|b, a| a.scenario.id == b.scenario.id);
    Ok(cases)
}

/// Runs `cases` (the whole slice `all`, or a part of it) in `mode`, and
/// compares with the direct run of `all`.
async fn trial(
    server: &server::Server,
    all: &[Case],
    cases: &[Case],
    mode_name: &str,
    mode: Mode,
) -> Result<(), Failed> {
    let baseline = server.baseline(all).await?;
    if mode_name == "baseline" {
        return baseline_holds(baseline);
    }
    let lane = server.lane().await?;
    let run = cells::through_proxy(&server.name, lane.address().await?, cases, mode).await?;
    println!("{}::{mode_name}: {}", server.name, run.summary());
    match mode {
        Mode::Fault { .. } => run.faults_only_error(baseline),
        _ => run.same_grades(baseline),
    }
}

/// The direct run has no `error` cell, so that every comparison means
/// something.
fn baseline_holds(baseline: &cells::Run) -> Result<(), Failed> {
    println!("{}", baseline.summary());
    let errors: BTreeMap<&String, &String> = baseline
        .cells
        .iter()
        .filter(|(_, c)| c.grade == Grade::Error)
        .map(|(id, c)| (id, &c.reason))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("error cells in the direct run: {errors:#?}").into())
    }
}
