//! A server that talks garbage (random bytes, broken XML, silence, a
//! connection closed early; see `support/garbage.rs`) must give `error`
//! cells with a reason and a report, never a hang or a panic. Two front
//! doors are tried: the library's pipeline (`xepspec::runner::run`, one
//! external target per mode, all at once), and `xepspec run --server`,
//! whose preflight must stop with one line naming the address and what was
//! tried. Needs no Docker: everything is on loopback.

#[path = "support/garbage.rs"]
#[allow(dead_code)] // the player is for the stream fuzzing
mod garbage;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

use garbage::{DOMAIN, GarbageServer, Mode};
use libtest_mimic::{Arguments, Failed, Trial};
use tokio::runtime::Runtime;
use tokio_util::sync::CancellationToken;
use xepspec::judge::Judge;
use xepspec::report::{REPORT_FILES, write_all};
use xepspec::runner::{Plan, TargetChoice};
use xepspec::scenario::{ScenarioSource, plan};
use xepspec::server::{AccountSupply, Catalog, ExternalTarget};
use xepspec::session::TlsMode;
use xepspec::verdict::Grade;

/// The cases run on every garbage target.
const FILTER: &str = "xep-0049";
/// A bound on each front door, well under a minute (a silent server costs
/// the 10 s the readiness check and the preflight wait for an answer).
const BOUND: Duration = Duration::from_secs(40);
/// A bound on `xepspec run` against a server that talks (not silence):
/// what it sent is refused without waiting.
const QUICK: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    // The trials mostly wait on the fake servers: all at once.
    args.test_threads.get_or_insert(8);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => Arc::new(runtime),
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut trials = Vec::new();
    let r = runtime.clone();
    trials.push(Trial::test(
        "garbage::pipeline::every-cell-error",
        move || pipeline_trial(&r),
    ));
    for mode in Mode::ALL {
        let r = runtime.clone();
        trials.push(Trial::test(
            format!("garbage::run-command::{}", mode.name()),
            move || command_trial(&r, mode),
        ));
    }
    libtest_mimic::run(&args, trials).exit_code()
}

/// A folder for a trial's reports, empty.
fn fresh_dir(name: &str) -> Result<PathBuf, Failed> {
    let dir = std::env::temp_dir().join(format!("xepspec-garbage-{}-{name}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(dir)
}

fn garbage_target(mode: Mode, address: &str) -> ExternalTarget {
    ExternalTarget {
        name: format!("garbage-{}", mode.name()),
        tls: TlsMode::None,
        insecure: true,
        accounts: Some(AccountSupply::Register),
        ..ExternalTarget::one_off(address, DOMAIN)
    }
}

/// The pipeline on one garbage target per mode: every cell `error` with a
/// reason, the four reports written, all within [`BOUND`].
fn pipeline_trial(runtime: &Runtime) -> Result<(), Failed> {
    let scenarios = ScenarioSource::bundled()
        .load()
        .map_err(|e| e.to_string())?;
    let cases = plan(&scenarios, Some(FILTER));
    if cases.is_empty() {
        return Err(format!("no case matches {FILTER}").into());
    }
    let catalog = Catalog::default_catalog().map_err(|e| e.to_string())?;
    let judge = Judge::new(Vec::new(), &cases);
    let started = Instant::now();
    let matrix = runtime.block_on(async {
        let mut servers = Vec::new();
        for (seed, mode) in (1u64..).zip(Mode::ALL) {
            let server = GarbageServer::start(mode, seed)
                .await
                .map_err(|e| format!("starting the {} server: {e}", mode.name()))?;
            servers.push((mode, server));
        }
        let targets = servers
            .iter()
            .map(|(mode, s)| TargetChoice::External(garbage_target(*mode, &s.address)))
            .collect();
        let plan = Plan::new(cases.clone(), targets);
        let stop = CancellationToken::new();
        let run = xepspec::runner::run(&plan, &catalog, &judge, &stop, Vec::new());
        tokio::time::timeout(BOUND, run)
            .await
            .map(|result| result.matrix)
            .map_err(|_| format!("the run did not end within {BOUND:?}"))
    })?;
    let took = started.elapsed();
    let expected = cases.len() * Mode::ALL.len();
    if matrix.cells.len() != expected {
        return Err(format!("{} cells, expected {expected}", matrix.cells.len()).into());
    }
    for cell in &matrix.cells {
        let reason = cell.verdict.reason.as_deref().unwrap_or("");
        if cell.verdict.grade != Grade::Error || reason.trim().is_empty() {
            return Err(format!(
                "{} on {}: {:?} ({reason:?}), expected error with a reason",
                cell.case, cell.target, cell.verdict.grade
            )
            .into());
        }
    }
    let dir = fresh_dir("pipeline")?;
    write_all(&matrix, &dir, false)?;
    for name in REPORT_FILES {
        let size = std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
        if size == 0 {
            return Err(format!("{name} was not written in {}", dir.display()).into());
        }
    }
    println!("{expected} cells, all error, reports written, in {took:.1?}");
    for target in &matrix.targets {
        if let Some(cell) = matrix.cells.iter().find(|c| c.target == target.name) {
            let reason = cell.verdict.reason.as_deref().unwrap_or("");
            println!("  {}: {reason}", target.name);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `xepspec run --server` on a garbage server: exit 2 within [`BOUND`],
/// one line naming the address and what was tried, no panic.
fn command_trial(runtime: &Runtime, mode: Mode) -> Result<(), Failed> {
    let server = runtime.block_on(GarbageServer::start(mode, 7))?;
    let dir = fresh_dir(mode.name())?;
    let started = Instant::now();
    let (code, stderr) = run_bounded(&server.address, &dir)?;
    let took = started.elapsed();
    let address = server.address.clone();
    drop(server);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    println!("{} ({took:.1?}): {}", mode.name(), lines.join(" | "));
    if stderr.contains("panicked") {
        return Err(format!("xepspec panicked:\n{stderr}").into());
    }
    if code != Some(2) {
        return Err(format!("exit {code:?}, expected 2:\n{stderr}").into());
    }
    let [line] = lines.as_slice() else {
        return Err(format!("expected one line, got:\n{stderr}").into());
    };
    // What was tried starts from the TCP connection ("TCP connected, …").
    if !line.contains(&address) || !line.contains("TCP") {
        return Err(
            format!("the message does not name the address and what was tried: {line}").into(),
        );
    }
    // Bytes that cannot start an XML stream are refused at once, not
    // waited on as if the server were silent; only silence is waited on.
    if mode == Mode::RandomBytes && !line.contains("not XML") {
        return Err(format!("random bytes were not refused as not XML: {line}").into());
    }
    if mode != Mode::Silence && took > QUICK {
        return Err(format!("{} took {took:?}, more than {QUICK:?}", mode.name()).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Runs the binary, killed when it outlives [`BOUND`]; its output goes to
/// files beside `report`, so a chatty child cannot fill a pipe and stall.
fn run_bounded(address: &str, report: &Path) -> Result<(Option<i32>, String), Failed> {
    let out = report.with_extension("out");
    let err = report.with_extension("err");
    let file = |p: &Path| std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_xepspec"))
        .args([
            "run", "--server", address, "--domain", DOMAIN, "--tls", "none",
        ])
        .args(["--register", "--filter", FILTER, "--report"])
        .arg(report)
        .stdout(file(&out)?)
        .stderr(file(&err)?)
        .spawn()
        .map_err(|e| format!("starting xepspec: {e}"))?;
    let deadline = Instant::now() + BOUND;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("xepspec run did not end within {BOUND:?}").into());
        }
        // Polls the child's exit; std has no wait with a timeout.
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&err).map_err(|e| format!("{}: {e}", err.display()))?;
    let _ = std::fs::remove_file(out);
    let _ = std::fs::remove_file(err);
    Ok((status.code(), stderr))
}
