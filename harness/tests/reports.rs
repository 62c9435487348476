//! The report files of a real run, read the way their users read them:
//! `junit.xml` checked against a JUnit schema with xmllint, `index.html`
//! opened in headless Chromium (no console message, the wire log of a
//! failing cell shown), a run interrupted with SIGINT still writing
//! what finished, and a run killed with SIGKILL leaving an event log from
//! which `xepspec report --from-events` writes every report. Needs Docker, xmllint and Chromium (`.ci/run` installs
//! them); a missing one fails loudly.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, Trial};
use xepspec::matrix::Matrix;
use xepspec::verdict::Grade;

const TARGET: &str = "prosody-13";
/// Cases that Prosody is known to fail (so the report has a failing cell
/// with a mismatch) and ones it passes.
const FILTER: &str = "xep-0060/6.5";

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let trials = vec![
        Trial::test("reports::junit_matches_the_schema", || {
            let dir = full_run()?;
            let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/junit.xsd");
            let out = Command::new("xmllint")
                .args(["--noout", "--schema"])
                .arg(&schema)
                .arg(dir.join("junit.xml"))
                .output()
                .map_err(|e| format!("running xmllint (apt-get install libxml2-utils): {e}"))?;
            if !out.status.success() {
                return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
            }
            Ok(())
        }),
        Trial::test("reports::html_shows_a_failing_cell_in_a_browser", || {
            let dir = full_run()?;
            let matrix = read_matrix(&dir)?;
            let failing = matrix
                .cells
                .iter()
                .find(|c| c.verdict.mismatch.is_some() && c.verdict.grade != Grade::Pass)
                .ok_or("the run has no failing cell with a mismatch to look at")?;
            let page = format!(
                "file://{}#cell={}@{}",
                dir.join("index.html").display(),
                encode(&failing.case),
                encode(&failing.target)
            );
            let (dom, log) = headless_dom(&page)?;
            let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
            if !console.is_empty() {
                return Err(
                    format!("the page logged to the console:\n{}", console.join("\n")).into(),
                );
            }
            let checks = [
                ("the matrix table", "<table class=\"matrix\""),
                (
                    "the selected cell's heading",
                    &format!("{} on {}", failing.case, failing.target)[..],
                ),
                ("an actor's wire log", "class=\"log wire-log\""),
                (
                    "who received what, with copies",
                    "class=\"matrix received\"",
                ),
                ("the highlighted mismatch", "class=\"entry mismatch\""),
            ];
            for (what, needle) in checks {
                if !dom.contains(needle) {
                    return Err(format!("the rendered page lacks {what} ({needle:?})").into());
                }
            }
            Ok(())
        }),
        Trial::test("reports::markdown_summarises_must_and_should", || {
            let dir = full_run()?;
            let md = std::fs::read_to_string(dir.join("matrix.md")).map_err(|e| e.to_string())?;
            let row = md
                .lines()
                .find(|l| l.starts_with(&format!("| {TARGET} |")))
                .ok_or("no summary row for the target")?;
            if !(row.contains(" of ") && md.contains("| MUST passed | SHOULD passed |")) {
                return Err(format!("summary row without MUST/SHOULD counts: {row}").into());
            }
            Ok(())
        }),
        Trial::test(
            "reports::an_interrupted_run_keeps_what_finished",
            interrupted_run,
        ),
        Trial::test(
            "reports::a_killed_run_leaves_an_event_log_to_report_from",
            killed_run,
        ),
    ];
    libtest_mimic::run(&args, trials).exit_code()
}

/// Runs the filtered cases on the target once, for every trial that reads
/// the reports.
fn full_run() -> Result<PathBuf, Failed> {
    static DIR: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("full");
        let out = Command::new(env!("CARGO_BIN_EXE_xepspec"))
            .args([
                "run",
                "--target",
                TARGET,
                "--filter",
                FILTER,
                "--no-snapshots",
            ])
            .arg("--report")
            .arg(&dir)
            .output()
            .map_err(|e| format!("running xepspec: {e}"))?;
        // Exit 1 is fine (a listed failure); 2 or a signal is not.
        if !matches!(out.status.code(), Some(0) | Some(1)) {
            return Err(format!(
                "xepspec run failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(dir)
    })
    .clone()
    .map_err(Failed::from)
}

fn interrupted_run() -> Result<(), Failed> {
    let dir = scratch("interrupted");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xepspec"))
        .args(["run", "--target", TARGET, "--no-snapshots"])
        .arg("--report")
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running xepspec: {e}"))?;
    // The image check prints a line before the container starts: once it is
    // out, the run is under way.
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let started = Instant::now();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains(TARGET) => break,
            Some(Ok(_)) => continue,
            _ => return Err("xepspec ended before it started the run".into()),
        }
    }
    let pid = child.id().to_string();
    Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .map_err(|e| format!("kill: {e}"))?;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            return Err("the interrupted run did not end within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if status.code() != Some(130) {
        return Err(format!("an interrupted run should exit 130, got {status}").into());
    }
    let matrix = read_matrix(&dir)?;
    if !matrix.interrupted {
        return Err("matrix.json does not say the run was interrupted".into());
    }
    for name in xepspec::report::REPORT_FILES {
        if !dir.join(name).exists() {
            return Err(format!("{name} was not written").into());
        }
    }
    Ok(())
}

/// SIGKILL gives a run no chance to write anything at the end: what it
/// finished must already be in its event log, and `xepspec report
/// --from-events` must turn that into all four reports.
fn killed_run() -> Result<(), Failed> {
    let dir = scratch("killed");
    let log = dir.join("events.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xepspec"))
        .args(["run", "--target", TARGET, "--no-snapshots", "--jobs", "2"])
        .arg("--events")
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("running xepspec: {e}"))?;
    let finished_in_log = |log: &Path| {
        std::fs::read_to_string(log)
            .map(|t| t.matches("\"event\":\"cell-finished\"").count())
            .unwrap_or(0)
    };
    let started = Instant::now();
    while finished_in_log(&log) < 5 {
        if started.elapsed() > Duration::from_secs(60) || child.try_wait().ok().flatten().is_some()
        {
            let _ = child.kill();
            return Err("the run finished no 5 cells to kill it after".into());
        }
        // Polling a file the other process writes: no round trip to wait on.
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().map_err(|e| format!("kill -9: {e}"))?;
    let _ = child.wait();
    // A killed run cannot remove its container; this test does.
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "docker rm -f $(docker ps -q --filter label=org.xepspec.run={}) >/dev/null 2>&1",
            child.id()
        ))
        .status();
    let logged = finished_in_log(&log);
    let reports = dir.join("report");
    let out = Command::new(env!("CARGO_BIN_EXE_xepspec"))
        .args(["report", "--from-events"])
        .arg(&log)
        .arg("--report")
        .arg(&reports)
        .output()
        .map_err(|e| format!("running xepspec report: {e}"))?;
    if out.status.code() != Some(1) {
        return Err(format!(
            "report from an unfinished run should exit 1, got {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    for name in xepspec::report::REPORT_FILES {
        if !reports.join(name).exists() {
            return Err(format!("{name} was not written from the event log").into());
        }
    }
    let matrix = read_matrix(&reports)?;
    if !matrix.interrupted
        || matrix.cells.len() != logged
        || matrix.cells.len() >= matrix.cases.len()
    {
        return Err(format!(
            "expected the {logged} logged cells of an unfinished run, got {} of {} cases (interrupted: {})",
            matrix.cells.len(),
            matrix.cases.len(),
            matrix.interrupted
        )
        .into());
    }
    Ok(())
}

fn read_matrix(dir: &Path) -> Result<Matrix, Failed> {
    xepspec::matrix::compare::read(&dir.join("matrix.json")).map_err(Failed::from)
}

/// The page's DOM after its scripts ran, and the browser's log.
fn headless_dom(url: &str) -> Result<(String, String), Failed> {
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--timeout=20000",
            "--dump-dom",
            url,
        ])
        .output()
        .map_err(|e| format!("running chromium (apt-get install chromium): {e}"))?;
    if !out.status.success() {
        return Err(format!("chromium failed: {}", out.status).into());
    }
    Ok((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xepspec-reports-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
