//! Fuzzing at scale, in `cargo test`: the scenario loader and the reading
//! of a server's stream each take 10,000 generated inputs from a fixed seed
//! (failures are shrunk, and their seeds kept in
//! `harness/proptest-regressions/`), within a bound on the whole run. Each
//! test prints its cases per second (`--nocapture` shows them).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError};
use tokio::net::TcpListener;
use xepspec::fuzz::runner::{offline, run, seeded_runner};
use xepspec::session::{
    Account, Claim, Endpoint, SaslChoice, Session, SessionError, SessionSpec, TlsMode, register,
    registration_refusal,
};

use garbage::{DOMAIN, play};
use stream::{Reader, StreamCase};

/// Generated inputs per property.
const CASES: u32 = 10_000;
/// The seed every run starts from, so a red run can be repeated
/// (`XEPSPEC_FUZZ_SEED=N` tries another).
const SEED: u64 = 18;

fn seed() -> u64 {
    std::env::var("XEPSPEC_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}
/// What the 10,000 cases of one property may take, however slow the
/// machine (they take a few seconds in a debug build).
const BOUND: Duration = Duration::from_secs(120);

#[test]
fn scenario_loader_takes_10000_broken_files() {
    let property = offline()
        .into_iter()
        .find(|p| p.name == "scenario-loader-on-broken-files")
        .expect("the property exists");
    let report = run(&property, CASES, Some(seed()), &|| {});
    println!(
        "{}: {} cases in {:.2} s, {:.0} cases/s (seed {})",
        report.name,
        report.cases,
        report.elapsed.as_secs_f64(),
        report.rate(),
        seed()
    );
    assert!(
        report.failure.is_none(),
        "{}",
        report.failure.unwrap_or_default()
    );
    assert!(
        report.cases >= u64::from(CASES),
        "only {} cases",
        report.cases
    );
    assert!(report.elapsed < BOUND, "took {:?}", report.elapsed);
}

/// What one attempt may take before it counts as a hang: the server has
/// sent everything and ended its half, so nothing is left to wait for.
const ATTEMPT_BOUND: Duration = Duration::from_secs(5);

/// Where failing seeds of the stream property are kept.
const STREAM_REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/fuzz-stream.txt"
);

/// Each case: a loopback connection on which a player sends the generated
/// bytes and ends its half, while the session's reading path runs; it must
/// end within its bound, with a result or an error, without panicking.
#[test]
fn session_reading_takes_10000_generated_streams() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let endpoint = Endpoint {
        address: listener.local_addr().expect("its address").to_string(),
        domain: DOMAIN.into(),
        tls: TlsMode::None,
        insecure: true,
        sasl: SaslChoice::Plain,
    };
    let config = Config {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(STREAM_REGRESSIONS))),
        ..Config::default()
    };
    let mut runner = seeded_runner(config, Some(seed()));
    let seen: RefCell<BTreeMap<&'static str, u64>> = RefCell::default();
    let start = Instant::now();
    let result = runner.run(&stream::stream_case(), |case| {
        let outcome = runtime.block_on(attempt(&listener, &endpoint, &case));
        let label = outcome.as_ref().map_or("failed", |kind| *kind);
        *seen.borrow_mut().entry(label).or_default() += 1;
        outcome.map(|_| ()).map_err(TestCaseError::fail)
    });
    let elapsed = start.elapsed();
    let seen = seen.into_inner();
    let cases: u64 = seen.values().sum();
    println!(
        "session-reading-on-generated-streams: {cases} cases in {:.2} s, {:.0} cases/s (seed {})",
        elapsed.as_secs_f64(),
        cases as f64 / elapsed.as_secs_f64().max(1e-9),
        seed()
    );
    for (outcome, n) in &seen {
        println!("  {n:>6}  {outcome}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(cases >= u64::from(CASES), "only {cases} cases");
    assert!(elapsed < BOUND, "took {elapsed:?}");
}

/// One case: the player and the reader on one connection; the reader's
/// outcome, or why it is a failure.
async fn attempt(
    listener: &TcpListener,
    endpoint: &Endpoint,
    case: &StreamCase,
) -> Result<&'static str, String> {
    let server = async {
        if let Ok(Ok((tcp, _))) = tokio::time::timeout(ATTEMPT_BOUND, listener.accept()).await {
            play(tcp, &case.bytes, &case.pieces, ATTEMPT_BOUND).await;
        }
    };
    let client = tokio::time::timeout(ATTEMPT_BOUND, read(endpoint, case.reader));
    let ((), read) = tokio::join!(server, client);
    read.unwrap_or_else(|_| Err(format!("no end within {ATTEMPT_BOUND:?}")))
}

/// Runs one reading path against the player.
async fn read(endpoint: &Endpoint, reader: Reader) -> Result<&'static str, String> {
    let account = Account {
        username: "juliet".into(),
        password: "r0m30".into(),
    };
    match reader {
        Reader::Register => Ok(match register(endpoint, &account).await {
            Ok(()) => "registered",
            Err(e) => kind(&e),
        }),
        Reader::RegistrationForm => Ok(match registration_refusal(endpoint).await {
            Ok(None) => "registration form offered",
            Ok(Some(_)) => "registration refused",
            Err(e) => kind(&e),
        }),
        Reader::Login | Reader::Starttls | Reader::DirectTls => {
            let tls = match reader {
                Reader::Starttls => TlsMode::Starttls,
                Reader::DirectTls => TlsMode::Direct,
                _ => TlsMode::None,
            };
            let spec = SessionSpec {
                endpoint: Endpoint {
                    tls,
                    ..endpoint.clone()
                },
                account,
                resource: "balcony".into(),
                caps: None,
                origin: Instant::now(),
            };
            let mut session = match Session::open(spec).await {
                Ok(session) => session,
                Err(e) => return Ok(kind(&e)),
            };
            // The player has ended its half: the session must notice.
            let deadline = Instant::now() + ATTEMPT_BOUND;
            match session.claim(deadline, |_| Claim::Keep).await {
                Err(_) => Ok("logged in, then the end noticed"),
                Ok(_) => Err("logged in, and the stream's end went unnoticed".into()),
            }
        }
    }
}

/// A session error's stage, for the tally.
fn kind(e: &SessionError) -> &'static str {
    match e {
        SessionError::Connect(_) => "error: connecting",
        SessionError::Auth(_) => "error: authenticating",
        SessionError::Bind(_) => "error: binding",
        SessionError::Register(_) => "error: registering",
        SessionError::Timeout(_) => "error: timeout",
        SessionError::Unexpected(_) => "error: unexpected",
        SessionError::Closed(_) => "error: closed",
    }
}

#[path = "support/garbage.rs"]
#[allow(dead_code)] // the fuzzing uses only the player
mod garbage;

#[path = "fuzz_scale/stream.rs"]
mod stream;
